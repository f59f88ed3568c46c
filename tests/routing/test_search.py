"""Route search on the tiny network, every answer worked out on paper.

Tiny network (month 7, no weather): terminal at Alpha 10 h / 100 USD; rail Alpha-Bravo 1000 km at
50 km/h = 20 h, 1 USD/km, 10 g/TEU-km -> 20 kg per FEU; border Bravo 5 h/50; rail Bravo-Charlie
10 km = 0.2 h; border Charlie 5 h/50 and gauge change 4 h/40, which overlap (the node takes
the longer, 5 h; both costs count); then
- middle: rail Charlie-Papa 2000 km at 40 km/h = 50 h; port Papa 12 h/60; ferry 24 h mean wait
  (every 48 h) + 20 h crossing, 800 USD, 40 kg; port Quebec 12 h/60; rail 100 km = 2.5 h;
  terminal Zulu 8 h/30: 168.7 h, 4,300 USD, 102.2 kg;
- northern: rail Charlie-Romeo 3000 km = 75 h; border Romeo 6 h/70 (once, though both links
  cross a frontier); rail Romeo-Zulu 1500 km = 37.5 h; terminal 8 h: 166.7 h, 5,850 USD, 110.2 kg.
"""

from __future__ import annotations

import pytest

from corridor.errors import ModelError, NoRouteError
from corridor.model import Corridor, LegMode, OperationKind
from corridor.network import Network
from corridor.routing import (
    Constraints,
    alternative_routes,
    best_route,
    pareto_routes,
    routes_by_corridor,
)

JULY = Constraints(month=7)


def test_fastest_route_is_northern_with_hand_computed_totals(tiny: Network) -> None:
    r = best_route(tiny, "aa", "zz", constraints=JULY, objective="time")
    assert r.nodes == ("aa", "bb", "cc", "rr", "zz")
    assert r.corridor is Corridor.NORTH_SOUTH  # Russia to Azerbaijan: the INSTC western branch
    assert r.hours == pytest.approx(166.7)
    assert r.cost_usd == pytest.approx(5850.0)
    assert r.co2_kg == pytest.approx(110.2)
    assert r.distance_km == pytest.approx(5510.0)
    assert r.borders == 3
    assert r.transshipments == 1  # the gauge change at Charlie


def test_cheapest_route_crosses_the_caspian(tiny: Network) -> None:
    r = best_route(tiny, "aa", "zz", constraints=JULY, objective="cost")
    assert r.nodes == ("aa", "bb", "cc", "pp", "qq", "zz")
    assert r.corridor is Corridor.MIDDLE
    assert r.hours == pytest.approx(168.7)
    assert r.cost_usd == pytest.approx(4300.0)
    assert r.co2_kg == pytest.approx(102.2)
    assert r.transshipments == 3


def test_legs_list_every_node_operation_in_order(tiny: Network) -> None:
    r = best_route(tiny, "aa", "zz", constraints=JULY, objective="cost")
    ops = [(leg.from_id, leg.operation) for leg in r.legs if leg.operation]
    assert ops == [
        ("aa", OperationKind.TERMINAL),
        ("bb", OperationKind.BORDER),
        ("cc", OperationKind.BORDER),
        ("cc", OperationKind.GAUGE_CHANGE),
        ("pp", OperationKind.PORT),
        ("qq", OperationKind.PORT),
        ("zz", OperationKind.TERMINAL),
    ]
    gauge = next(leg for leg in r.legs if leg.operation is OperationKind.GAUGE_CHANGE)
    assert gauge.mode is LegMode.TRANSFER
    assert gauge.concurrent  # its 4 h pass while the 5 h border clearance runs
    assert gauge.hours == 0.0
    assert gauge.cost_usd == 40.0
    ferry = next(leg for leg in r.legs if leg.mode is LegMode.FERRY)
    assert ferry.hours == pytest.approx(44.0)


def test_generalized_cost_trades_money_for_time(tiny: Network) -> None:
    # northern is 2 h faster and 1,550 USD dearer: it wins only above 775 USD/h
    cheap = best_route(
        tiny, "aa", "zz", constraints=JULY, objective="generalized", value_of_time_usd_per_h=700.0
    )
    dear = best_route(
        tiny, "aa", "zz", constraints=JULY, objective="generalized", value_of_time_usd_per_h=800.0
    )
    assert cheap.corridor is Corridor.MIDDLE
    assert dear.corridor is Corridor.NORTH_SOUTH


def test_winter_weather_slows_the_ferry(tiny: Network) -> None:
    jan = best_route(tiny, "aa", "zz", constraints=Constraints(month=1), objective="cost")
    # January: half the sailings held for 20 h on average -> +10 h
    assert jan.hours == pytest.approx(178.7)


def test_year_opens_planned_link(tiny: Network) -> None:
    r = best_route(tiny, "aa", "zz", constraints=Constraints(year=2030, month=7))
    assert r.nodes == ("aa", "bb", "cc", "zz")
    assert r.hours == pytest.approx(10 + 20 + 5 + 0.2 + 5 + 25 + 8)
    before = best_route(tiny, "aa", "zz", constraints=Constraints(year=2029, month=7))
    assert "rr" in before.nodes


def test_avoid_country_and_node(tiny: Network) -> None:
    r = best_route(tiny, "aa", "zz", constraints=Constraints(avoid_countries=frozenset({"RU"})))
    assert r.corridor is Corridor.MIDDLE
    r = best_route(tiny, "aa", "zz", constraints=Constraints(avoid_nodes=frozenset({"pp"})))
    assert "pp" not in r.nodes
    with pytest.raises(NoRouteError, match="avoiding"):
        best_route(tiny, "aa", "zz", constraints=Constraints(avoid_nodes=frozenset({"pp", "rr"})))
    with pytest.raises(NoRouteError, match="itself avoided"):
        best_route(tiny, "aa", "zz", constraints=Constraints(avoid_countries=frozenset({"CN"})))


def test_via_forces_the_route(tiny: Network) -> None:
    r = best_route(tiny, "aa", "zz", constraints=Constraints(via=("qq",), month=7))
    assert r.nodes == ("aa", "bb", "cc", "pp", "qq", "zz")


def test_reverse_direction_has_the_same_operations(tiny: Network) -> None:
    fwd = best_route(tiny, "aa", "zz", constraints=JULY, objective="cost")
    back = best_route(tiny, "zz", "aa", constraints=JULY, objective="cost")
    assert back.nodes == tuple(reversed(fwd.nodes))
    assert back.hours == pytest.approx(fwd.hours)
    assert back.cost_usd == pytest.approx(fwd.cost_usd)


def test_same_place_is_an_error(tiny: Network) -> None:
    with pytest.raises(NoRouteError, match="same place"):
        best_route(tiny, "aa", "aa")


def test_alternatives_are_different_routes(tiny: Network) -> None:
    routes = alternative_routes(tiny, "aa", "zz", 3, constraints=JULY)
    assert [r.corridor for r in routes] == [Corridor.NORTH_SOUTH, Corridor.MIDDLE]
    with pytest.raises(ModelError):
        alternative_routes(tiny, "aa", "zz", 0)


def test_pareto_front_keeps_both_tradeoffs(tiny: Network) -> None:
    front = pareto_routes(tiny, "aa", "zz", constraints=JULY)
    assert {r.corridor for r in front} == {Corridor.NORTH_SOUTH, Corridor.MIDDLE}
    assert front[0].hours <= front[-1].hours


def test_routes_by_corridor(tiny: Network) -> None:
    routes = routes_by_corridor(tiny, "aa", "zz", constraints=JULY)
    assert [r.corridor for r in routes] == [Corridor.MIDDLE, Corridor.NORTH_SOUTH]


def test_route_to_a_caspian_port_without_crossing_is_direct(bundled: Network) -> None:
    """China to Aktau by rail makes no Caspian crossing: `direct`. No route crosses to Baku and
    back to Aktau (the transshipment at Alat enters Azerbaijan, and Kazakhstan would be entered
    twice)."""
    from corridor.routing import reentered_countries

    routes = routes_by_corridor(bundled, "lianyungang", "aktau")
    direct = next(r for r in routes if r.corridor is Corridor.DIRECT)
    assert direct.nodes[-1] == "aktau"
    assert "alat" not in direct.nodes
    for r in routes:
        assert reentered_countries(r, bundled.nodes) == (), r.nodes
        if "alat" in r.nodes:
            assert "aktau" not in r.nodes[: r.nodes.index("alat")], r.nodes


def test_countries_line_marks_the_caspian_and_a_detour(bundled: Network) -> None:
    from corridor.routing import route_countries

    middle = best_route(
        bundled, "xian", "istanbul", constraints=Constraints(corridor=Corridor.MIDDLE)
    )
    assert route_countries(middle, bundled.nodes) == ("CN", "KZ", "(Caspian)", "AZ", "GE", "TR")
    sea = best_route(
        bundled, "shanghai", "rotterdam", constraints=Constraints(corridor=Corridor.MARITIME)
    )
    assert route_countries(sea, bundled.nodes) == ("CN", "(sea)", "NL")


def test_alternatives_differ_in_corridor_or_a_fifth_of_the_distance(bundled: Network) -> None:
    from corridor.routing.search import _overlap

    routes = alternative_routes(bundled, "shanghai", "rotterdam", 4)
    assert len(routes) >= 3
    for i, a in enumerate(routes):
        assert len(set(a.nodes)) == len(a.nodes)
        for b in routes[:i]:
            assert a.corridor is not b.corridor or max(_overlap(a, b), _overlap(b, a)) <= 0.8
    # no pointless stop: Berlin to Hannover goes straight, not by Hamburg
    for r in routes:
        if "berlin" in r.nodes and "hannover" in r.nodes:
            assert "hamburg" not in r.nodes
