"""Routing keeps its memo of derived legs itself, one per live network."""

from __future__ import annotations

import dataclasses
import gc

from corridor.network import Network, example_network
from corridor.routing import best_route
from corridor.routing.cache import _MEMOS, network_memo


def test_the_network_record_carries_no_routing_state() -> None:
    names = {f.name for f in dataclasses.fields(Network)}
    assert "memo" not in names


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
