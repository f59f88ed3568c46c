"""How much of the network rests on documents, and how much only on stated assumptions."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from corridor.network.graph import Network

__all__ = ["ASSUMPTION_PREFIXES", "assumption_only", "data_stats"]

ASSUMPTION_PREFIXES = ("assumption-", "estimate-")
"""Source ids of modelling assumptions and estimation methods (``sources.csv``), not documents."""


def assumption_only(sources: Iterable[str]) -> bool:
    """True when every source of a figure is an assumption or an estimation method.

    >>> assumption_only(["assumption-terminal-ops"]), assumption_only(["cpmm-2022", "assumption-x"])
    (True, False)
    """
    ids = list(sources)
    return all(s.startswith(ASSUMPTION_PREFIXES) for s in ids)


def _share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def data_stats(net: Network) -> dict[str, Any]:
    """Counts of the network's operations and links, and the shares resting only on assumptions.

    ``operations``: per kind, how many, how many rest only on ``assumption-*`` sources, and how
    many name the side of the frontier and who runs them. ``links``: link rows (one per pair and
    mode, either direction), by how their length was obtained (``distance_method``), and how many
    rest only on ``assumption-*`` / ``estimate-*`` sources. ``rail_on_track``: of the rail link
    rows, how many have a length that is not an estimate and a drawn polyline of more than two
    points (measured on OpenStreetMap track at build time, ``link_geometry.geojson``).
    """
    by_kind: dict[str, Counter[str]] = {}
    for node in net.nodes.values():
        for kind, op in node.operations.items():
            c = by_kind.setdefault(kind.value, Counter())
            c["count"] += 1
            c["assumption_only"] += assumption_only(op.sources)
            c["with_operator"] += bool(op.side and op.operator)
    ops_total = sum(c["count"] for c in by_kind.values())
    ops_assumed = sum(c["assumption_only"] for c in by_kind.values())
    seen: set[tuple[frozenset[str], str]] = set()
    methods: Counter[str] = Counter()
    links_assumed = 0
    rail = on_track = 0
    for lk in net.links:
        key = (frozenset((lk.from_id, lk.to_id)), lk.mode.value)
        if key in seen:
            continue
        seen.add(key)
        methods[lk.distance_method] += 1
        links_assumed += assumption_only(lk.sources)
        if lk.mode.value == "rail":
            rail += 1
            drawn = len(net.geometries.get(lk.key, ())) > 2
            on_track += drawn and lk.distance_method != "estimate"
    return {
        "operations": {
            "count": ops_total,
            "assumption_only": ops_assumed,
            "assumption_only_share": _share(ops_assumed, ops_total),
            "by_kind": {
                kind: {
                    "count": c["count"],
                    "assumption_only": c["assumption_only"],
                    "assumption_only_share": _share(c["assumption_only"], c["count"]),
                    "with_side_and_operator": c["with_operator"],
                }
                for kind, c in sorted(by_kind.items())
            },
        },
        "links": {
            "count": len(seen),
            "assumption_only": links_assumed,
            "assumption_only_share": _share(links_assumed, len(seen)),
            "distance_method": dict(sorted(methods.items())),
        },
        "rail_on_track": {"count": rail, "on_track": on_track, "share": _share(on_track, rail)},
    }
