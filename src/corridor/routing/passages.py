"""The sides of sea passages: a voyage sails *through* a strait, it does not turn round in it.

A passage node (the Bosphorus, the Dardanelles, Malacca ...) joins sea areas. The water links
that meet at a passage reach its neighbours; two neighbours lie on the same side of the passage
when the network's water links join them without it (Poti and Constanța are joined by the Black
Sea feeders, so both are on the Black Sea side of the Bosphorus; the Dardanelles are not, because
every water path from them to the Black Sea runs through the Bosphorus).

A voyage that enters a passage from one side and leaves it towards the same side has sailed into
the strait and back: Poti → Bosphorus → Constanța is 1,431 km on the liner against a 1,093 km
direct crossing, and no ship sails it. Routing forbids that turn. Passages whose neighbours all lie
on one side (the water network goes round them: Suez, via the Cape) impose nothing. The sides are
geography, so they are computed over every water link, whatever its status or opening year.
Hence a data rule: a water link between two seas goes through the passage node that joins them
(a direct Constanța–Ambarlı link would put both on one side of the Bosphorus and lift the rule
there; ``tests/routing/test_passages.py`` guards the Black Sea case).

Where the water links go round a passage (from the Channel round the Cape to the Red Sea, every
sea reaches every other without Gibraltar, Suez or Port Said), its sides cannot be found from the
links: ``corridors.yaml`` (``passages``) names a passage's neighbours on one side, every other
water neighbour being on the other. Port Said is such a node though it is a port: a voyage that
only passes it sails between the canal and the Mediterranean, so a box from the Black Sea to the
Adriatic does not sail to Port Said and back.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from corridor.model import NodeKind
from corridor.network import Network
from corridor.routing.cache import network_memo

__all__ = ["passage_sides"]

_MEMO_KEY = "passage_sides"


def passage_sides(net: Network) -> Mapping[str, Mapping[str, int]]:
    """For each passage with more than one side: its water neighbours mapped to a side number.

    Memoised per network.
    """
    memo = network_memo(net)
    found = memo.get(_MEMO_KEY)
    if found is None:
        found = _compute(net)
        memo[_MEMO_KEY] = found
    assert isinstance(found, Mapping)
    return found


def _compute(net: Network) -> Mapping[str, Mapping[str, int]]:
    water: dict[str, set[str]] = {}
    for link in net.links:
        if link.mode.is_water:
            water.setdefault(link.from_id, set()).add(link.to_id)
            water.setdefault(link.to_id, set()).add(link.from_id)
    out: dict[str, Mapping[str, int]] = {}
    declared = net.geo.passages
    for pid, node in net.nodes.items():
        if pid in declared and pid in water:
            one_side = declared[pid]
            out[pid] = MappingProxyType({n: int(n not in one_side) for n in sorted(water[pid])})
            continue
        if node.kind is not NodeKind.PASSAGE or pid not in water:
            continue
        side: dict[str, int] = {}
        for start in sorted(water[pid]):
            if start in side:
                continue
            number = len(set(side.values()))
            stack = [start]
            reached = {start}
            while stack:
                here = stack.pop()
                for nxt in water.get(here, ()):
                    if nxt != pid and nxt not in reached:
                        reached.add(nxt)
                        stack.append(nxt)
            for neighbour in water[pid] & reached:
                side[neighbour] = number
        if len(set(side.values())) > 1:
            out[pid] = MappingProxyType(side)
    return MappingProxyType(out)
