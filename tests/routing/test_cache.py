"""Routing keeps its memo of derived legs itself, one per live network."""

from __future__ import annotations

import dataclasses
import gc

from corridor.network import example_network
from corridor.routing import best_route
from corridor.routing.cache import _MEMOS, network_memo


def test_a_changed_network_is_not_answered_from_another_networks_memo() -> None:
    """Two networks that differ in one link's length: the second network's search must see the
    change (a memo keyed by anything but the network would hand back the first one's legs).
    Seen failing with the memo keyed by a constant instead of the network."""
    net = example_network()
    first = best_route(net, "aa", "zz", objective="cost")
    on_path = next(lk for lk in net.links if (lk.from_id, lk.to_id) == first.nodes[:2])
    longer = dataclasses.replace(
        net,
        links=tuple(
            dataclasses.replace(lk, distance_km=lk.distance_km * 3) if lk is on_path else lk
            for lk in net.links
        ),
    )
    second = best_route(longer, "aa", "zz", objective="cost")
    assert second != first
    assert second.cost_usd > first.cost_usd or second.nodes != first.nodes


def test_the_memo_is_filled_by_a_search_and_reused() -> None:
    net = example_network()
    first = best_route(net, "aa", "zz", objective="cost")
    memo = network_memo(net)
    assert memo  # the search stored the legs it derived
    size = len(memo)
    again = best_route(net, "aa", "zz", objective="cost")
    assert again == first
    assert len(network_memo(net)) == size


def test_the_memo_goes_with_its_network() -> None:
    net = example_network()
    best_route(net, "aa", "zz", objective="cost")
    key = id(net)
    assert key in _MEMOS
    del net
    gc.collect()
    assert key not in _MEMOS
