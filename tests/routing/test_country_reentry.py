"""No route leaves a country and comes back into it, by construction of the search.

On random small networks whose countries are scattered (so that the cheapest path often goes
out and back), the planner is checked against brute force: every simple path is enumerated
(networkx), the ones that re-enter a country are set aside by an independent count of the
countries along them, and the planner's answer must be the best of the rest. A ``via`` place
splits the route into two stretches, and the rule holds in each.
"""

from __future__ import annotations

import itertools

import networkx as nx
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from corridor.errors import NoRouteError
from corridor.model import Corridor, Node, NodeKind, Route
from corridor.network import Network
from corridor.routing import (
    Constraints,
    alternative_routes,
    best_route,
    beyond_destination,
    choose_options,
    pareto_routes,
)
from corridor.routing.classify import reentered_countries
from corridor.routing.search import Reentry
from tests.strategies import networks, path_hours


def _reenters(net: Network, path: list[str]) -> bool:
    """Whether a land path enters a country it has left (independent of the planner)."""
    runs = [c for c, _ in itertools.groupby(net.nodes[n].country for n in path)]
    return len(runs) != len(set(runs))


def _graph(net: Network) -> nx.DiGraph:
    g = nx.DiGraph()
    g.add_edges_from((lk.from_id, lk.to_id) for lk in net.links)
    return g


@settings(max_examples=60, deadline=None)
@given(networks(max_nodes=7, contiguous=False))
def test_best_route_is_the_best_path_that_never_re_enters_a_country(net: Network) -> None:
    ids = sorted(net.nodes)
    origin, dest = ids[0], ids[-1]
    paths = list(nx.all_simple_paths(_graph(net), origin, dest))
    allowed = [p for p in paths if not _reenters(net, p)]
    try:
        r = best_route(net, origin, dest)
    except NoRouteError:
        assert not allowed
        return
    assert not _reenters(net, list(r.nodes))
    assert r.hours == pytest.approx(min(path_hours(net, p) for p in allowed))
    # and the rule is what made the difference when the unrestricted best goes out and back
    loose = best_route(net, origin, dest, constraints=Constraints(reentry=Reentry.ALLOWED))
    assert loose.hours <= r.hours + 1e-9


@settings(max_examples=40, deadline=None)
@given(networks(max_nodes=7, contiguous=False), st.data())
def test_with_a_via_the_rule_holds_on_each_stretch(net: Network, data: st.DataObject) -> None:
    ids = sorted(net.nodes)
    assume(len(ids) > 2)
    origin, dest = ids[0], ids[-1]
    via = data.draw(st.sampled_from(ids[1:-1]))

    def fine(p: list[str]) -> bool:
        i = p.index(via)
        return not _reenters(net, p[: i + 1]) and not _reenters(net, p[i:])

    candidates = [
        p for p in nx.all_simple_paths(_graph(net), origin, dest) if via in p[1:-1] and fine(p)
    ]
    try:
        r = best_route(net, origin, dest, constraints=Constraints(via=(via,)))
    except NoRouteError:
        assert not candidates
        return
    assert fine(list(r.nodes))
    assert r.hours == pytest.approx(min(path_hours(net, p) for p in candidates))
    assert reentered_countries(r, net.nodes, (via,)) == ()


@settings(max_examples=40, deadline=None)
@given(networks(contiguous=False))
def test_alternatives_pareto_and_options_never_re_enter(net: Network) -> None:
    ids = sorted(net.nodes)
    try:
        routes: list[Route] = [
            *alternative_routes(net, ids[0], ids[-1], 3),
            *pareto_routes(net, ids[0], ids[-1]),
            *choose_options(net, ids[0], ids[-1]).routes,
        ]
    except NoRouteError:
        return
    assert all(not _reenters(net, list(r.nodes)) for r in routes)


def test_an_exclave_is_its_own_territory(bundled: Network) -> None:
    # Baku to Nakhchivan through Armenia (Meghri) enters the exclave; it does not re-enter AZ
    cons = Constraints(via=("meghri", "nakhchivan"), year=2031)
    r = best_route(bundled, "alat", "kars", constraints=cons)
    assert [bundled.nodes[n].country for n in r.nodes].count("AM") > 0
    assert reentered_countries(r, bundled.nodes) == ()


def test_a_corridor_that_only_goes_out_and_back_is_omitted_with_its_countries(
    bundled: Network,
) -> None:
    # Xi'an to Aktau through Iran: CN › KZ › UZ › TM › IR › TM › KZ
    c = choose_options(bundled, "xian", "aktau", constraints=Constraints(year=2024, month=6))
    assert Corridor.SOUTHERN not in {r.corridor for r in c.routes}
    reason = {o.corridor: o.reason for o in c.omitted}[Corridor.SOUTHERN]
    assert reason.startswith("re-enters ")
    assert "KZ" in reason and "IR" in reason


def test_beyond_destination_measures_the_overshoot() -> None:
    def node(i: str, lat: float, lon: float) -> Node:
        return Node(id=i, name=i.upper(), country="TR", lat=lat, lon=lon, kind=NodeKind.JUNCTION)

    nodes = {
        "o": node("o", 40.0, 60.0),
        "m": node("m", 41.0, 55.0),
        "x": node("x", 40.0, 45.0),
        "d": node("d", 40.0, 50.0),
    }
    on_the_way = Route(nodes=("o", "m", "d"), legs=(), corridor=Corridor.DIRECT)
    past = Route(nodes=("o", "m", "x", "d"), legs=(), corridor=Corridor.DIRECT)
    assert beyond_destination(on_the_way, nodes) == (0.0, "d", "d")
    km, at, end = beyond_destination(past, nodes)
    assert (at, end) == ("x", "d")
    # 5 degrees of longitude at 40 N is about 426 km
    assert km == pytest.approx(426, rel=0.03)


def test_the_southern_row_to_poti_through_turkiye_is_beaten(bundled: Network) -> None:
    # Xi'an to Poti through Iran runs to Çetinkaya in central Türkiye, then back east to Georgia:
    # slower, dearer and higher in CO2 than the middle row, so it is left out and says why
    c = choose_options(bundled, "xian", "poti", constraints=Constraints(year=2024, month=6))
    assert all("cetinkaya" not in r.nodes for r in c.routes)
    reasons = {o.corridor: o.reason for o in c.omitted}
    assert reasons[Corridor.SOUTHERN].startswith("slower, dearer and higher in CO2 than the ")
