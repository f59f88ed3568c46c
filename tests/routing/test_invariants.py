"""Invariants of the planner on random networks (Hypothesis)."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corridor.errors import NoRouteError
from corridor.model import Route
from corridor.network import Network
from corridor.routing import DEFAULT_VALUE_OF_TIME_USD_PER_H, Constraints, best_route
from tests.strategies import extra_link, networks

OBJECTIVES = st.sampled_from(["time", "cost", "co2", "generalized"])


@given(networks(), OBJECTIVES)
def test_totals_equal_the_sum_of_legs(net: Network, objective: str) -> None:
    last = f"n{len(net.nodes) - 1}"
    r = best_route(net, "n0", last, objective=objective)
    assert r.hours == pytest.approx(sum(leg.hours for leg in r.legs))
    assert r.cost_usd == pytest.approx(sum(leg.cost_usd for leg in r.legs))
    assert r.co2_kg == pytest.approx(sum(leg.co2_kg for leg in r.legs))
    assert r.nodes[0] == "n0"
    assert r.nodes[-1] == last
    # consecutive link legs chain up
    links = r.link_legs
    assert all(a.to_id == b.from_id for a, b in itertools.pairwise(links))


@settings(max_examples=60)
@given(networks(), st.data())
def test_adding_a_link_never_worsens_the_best_route(net: Network, data: st.DataObject) -> None:
    ids = sorted(net.nodes)
    a = data.draw(st.sampled_from(ids))
    b = data.draw(st.sampled_from([i for i in ids if i != a]))
    dist = data.draw(st.floats(1, 2000))
    objective = data.draw(OBJECTIVES)
    before = best_route(net, "n0", ids[-1], objective=objective)
    after = best_route(
        net.with_links([extra_link(net, a, b, dist)]), "n0", ids[-1], objective=objective
    )
    assert _value(after, objective) <= _value(before, objective) + 1e-6 * max(
        1.0, abs(_value(before, objective))
    )


def _value(r: Route, objective: str) -> float:
    if objective == "generalized":
        return r.cost_usd + DEFAULT_VALUE_OF_TIME_USD_PER_H * r.hours
    return float(getattr(r, {"time": "hours", "cost": "cost_usd", "co2": "co2_kg"}[objective]))


@given(networks(), st.sampled_from(["CN", "KZ", "AZ", "GE", "TR"]))
def test_avoided_countries_never_appear(net: Network, country: str) -> None:
    ids = sorted(net.nodes)
    try:
        r = best_route(
            net, ids[0], ids[-1], constraints=Constraints(avoid_countries=frozenset({country}))
        )
    except NoRouteError:
        return
    assert all(net.nodes[n].country != country for n in r.nodes)
    assert math.isfinite(r.hours)
