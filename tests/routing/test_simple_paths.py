"""Routes are simple paths, by construction of the search, and still the best ones.

On random small networks the search is checked against brute force: every simple path is
enumerated (networkx) and priced by an oracle of its own (``tests.strategies.path_hours``,
not the planner), and the planner's answer must be the cheapest of them. A ``via`` place off
the direct line is what tempts a state-graph search into going out and back.
"""

from __future__ import annotations

import itertools

import networkx as nx
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from corridor.errors import NoRouteError
from corridor.model import Route
from corridor.network import Network
from corridor.routing import (
    Constraints,
    alternative_routes,
    best_route,
    choose_options,
    pareto_routes,
)
from tests.strategies import extra_link, networks, path_hours


def _simple(r: Route) -> bool:
    return len(set(r.nodes)) == len(r.nodes)


def _graph(net: Network) -> nx.DiGraph:
    g = nx.DiGraph()
    g.add_edges_from((lk.from_id, lk.to_id) for lk in net.links)
    return g


@settings(max_examples=40, deadline=None)
@given(networks(max_nodes=7), st.data())
def test_best_route_with_via_is_the_best_simple_path(net: Network, data: st.DataObject) -> None:
    ids = sorted(net.nodes)
    origin, dest = ids[0], ids[-1]
    via = data.draw(st.sampled_from(ids[1:-1])) if len(ids) > 2 else None
    assume(via is not None)
    cons = Constraints(via=(via,))

    def enters_once(path: list[str]) -> bool:
        # no country left and entered again between two named places (test_country_reentry)
        runs = [c for c, _ in itertools.groupby(net.nodes[n].country for n in path)]
        return len(runs) == len(set(runs))

    candidates = [
        p
        for p in nx.all_simple_paths(_graph(net), origin, dest)
        if via in p[1:-1] and enters_once(p[: p.index(via) + 1]) and enters_once(p[p.index(via) :])
    ]
    try:
        r = best_route(net, origin, dest, constraints=cons)
    except NoRouteError:
        assert not candidates
        return
    assert _simple(r)
    assert r.hours == pytest.approx(min(path_hours(net, p) for p in candidates))


@settings(max_examples=40, deadline=None)
@given(networks(), st.data())
def test_alternatives_and_pareto_are_simple(net: Network, data: st.DataObject) -> None:
    ids = sorted(net.nodes)
    via = data.draw(st.sampled_from(ids[1:-1])) if len(ids) > 2 else None
    cons = Constraints(via=(via,) if via else ())
    try:
        routes = [
            *alternative_routes(net, ids[0], ids[-1], 3, constraints=cons),
            *pareto_routes(net, ids[0], ids[-1], constraints=cons),
        ]
    except NoRouteError:
        return
    assert all(_simple(r) for r in routes)


@settings(max_examples=60, deadline=None)
@given(networks(), st.data())
def test_adding_a_link_never_drops_the_best_route(net: Network, data: st.DataObject) -> None:
    ids = sorted(net.nodes)
    a = data.draw(st.sampled_from(ids))
    b = data.draw(st.sampled_from([i for i in ids if i != a]))
    dist = data.draw(st.floats(1, 3000))
    before = choose_options(net, ids[0], ids[-1])
    after = choose_options(net.with_links([extra_link(net, a, b, dist)]), ids[0], ids[-1])
    assert before.best in before.routes
    assert after.best in after.routes
    assert after.best.hours <= before.best.hours + 1e-6
    if not {(a, b), (b, a)} & set(zip(before.best.nodes, before.best.nodes[1:], strict=False)):
        # the old best is still there, so the new best is at least as good and shown
        assert any(r.hours <= before.best.hours + 1e-6 for r in after.routes)
