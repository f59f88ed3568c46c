"""What a forwarder sees first: the comparisons that used to lose their trust."""

from __future__ import annotations

from datetime import date

import pytest

from corridor.model import Corridor
from corridor.network import Network
from corridor.routing import CompareRequest, Constraints, best_route, price_route
from corridor.routing.options import TOLERANCE
from corridor.transit import Comparison, CorridorOption, compare_routes

MARCH = date(2026, 3, 2)


def _compare(net: Network, a: str, b: str, **kw: object) -> Comparison:
    return compare_routes(
        net, CompareRequest(origin=a, destination=b, depart=MARCH, samples=200, **kw)
    )


def _by_corridor(c: Comparison) -> dict[str, CorridorOption]:
    return {o.corridor.value: o for o in c.options}


def test_xian_almaty_shows_the_direct_route_and_nothing_that_loops(bundled: Network) -> None:
    c = _compare(bundled, "xian", "almaty")
    options = _by_corridor(c)
    direct = c.options[0]
    assert direct.corridor is Corridor.DIRECT
    # through Khorgos, by train or by truck on from Ürümqi (3,535 km by rail)
    assert {"horgos", "khorgos_road"} & set(direct.route.nodes)
    assert direct.route.distance_km == pytest.approx(3535, rel=0.05)
    for o in c.options:
        assert len(set(o.route.nodes)) == len(o.route.nodes)
    # the Caspian round trip, the Singapore one and the Russian/Iranian ones are not offered
    assert "middle" not in options
    omitted = {o.corridor.value: o.reason for o in c.omitted}
    # without going out and back, a Caspian crossing means sailing round Africa to Poti: slower,
    # dearer and dirtier than the direct train, so the row that beats it is named
    assert omitted["middle"].startswith("slower, dearer and higher in CO2 than the direct option")
    # Iran is reached only by leaving Kazakhstan and coming back into it
    assert omitted["southern"].startswith("re-enters ")
    assert "KZ" in omitted["southern"]
    assert set(omitted) | set(options) == {m.value for m in Corridor}


def test_xian_istanbul_avoiding_kazakhstan_has_no_middle_route(bundled: Network) -> None:
    c = _compare(bundled, "xian", "istanbul", avoid=("KZ",))
    assert "middle" not in _by_corridor(c)
    reasons = {o.corridor.value: o.reason for o in c.omitted}
    assert reasons["middle"] == "no middle route avoiding KZ on the network of 2026"
    doc = c.to_dict()
    assert doc["avoid"] == ["KZ"]
    assert {
        "corridor": "middle",
        "reason": "no middle route avoiding KZ on the network of 2026",
    } in doc["omitted"]
    for o in c.options:
        assert all(bundled.nodes[n].country != "KZ" for n in o.route.nodes)


def test_shanghai_rotterdam_maritime_is_the_all_water_liner(bundled: Network) -> None:
    # 2019: through Suez (from December 2023 the liners go round the Cape, 26,100 km)
    c = _compare(bundled, "shanghai", "rotterdam", year=2019)
    sea = _by_corridor(c)["maritime"]
    assert sea.route.distance_km == pytest.approx(19_770, rel=0.02)
    assert {leg.mode.value for leg in sea.route.link_legs} == {"sea"}


def test_sea_rail_stays_available_to_inland_places(bundled: Network) -> None:
    # Xi'an is inland: its maritime option reaches a port by rail first
    c = _compare(bundled, "xian", "duisburg")
    sea = _by_corridor(c)["maritime"]
    modes = {leg.mode.value for leg in sea.route.link_legs}
    assert {"rail", "sea"} <= modes


def test_the_best_route_is_always_among_the_options(bundled: Network) -> None:
    for a, b in (("xian", "tashkent"), ("urumqi", "ashgabat"), ("istanbul", "alat")):
        best = best_route(bundled, a, b, constraints=Constraints(month=MARCH.month))
        c = _compare(bundled, a, b)
        assert best.nodes in {o.route.nodes for o in c.options}, (a, b)


def test_shanghai_baku_has_a_sea_option_via_a_georgian_port(bundled: Network) -> None:
    # Baku is a Caspian port: no liner reaches it, but sea to Poti or Batumi and rail on to Baku
    # is a standard product, and it is the maritime row (a deep-sea main haul, no Caspian leg).
    c = _compare(bundled, "shanghai", "alat", year=2025)
    sea = _by_corridor(c)["maritime"]
    nodes = sea.route.nodes
    assert {"poti", "batumi"} & set(nodes)
    modes = [leg.mode.value for leg in sea.route.link_legs]
    assert modes[0] == "sea" and modes[-1] == "rail"
    assert all(bundled.nodes[n].country not in {"RU", "IR", "KZ"} for n in nodes)


@pytest.mark.parametrize(
    ("origin", "destination", "china", "europe"),
    [
        # Xi'an's sea-rail trains run east along the Longhai line; the Rhine-Ruhr is served
        # through Antwerp and Rotterdam
        ("xian", "duisburg", {"lianyungang", "qingdao"}, {"antwerp", "rotterdam"}),
        ("shanghai", "duisburg", {"shanghai"}, {"antwerp", "rotterdam"}),
        # Chongqing reaches the sea by the land-sea corridor to the Beibu Gulf
        ("chongqing", "duisburg", {"qinzhou"}, {"antwerp", "rotterdam"}),
        # Hungary's sea gateways are the North Adriatic, Hamburg and Piraeus
        ("xian", "budapest", {"lianyungang", "qingdao"}, {"koper", "hamburg", "piraeus"}),
    ],
)
def test_the_sea_option_uses_the_gateways_shippers_buy(
    bundled: Network, origin: str, destination: str, china: set[str], europe: set[str]
) -> None:
    # Sea freight is bought on price: not 2,200 km of rail to Yantian to save half a day at sea,
    # and not Genoa plus the Alps for the Rhine-Ruhr when Antwerp and Rotterdam are 200 km away.
    c = _compare(bundled, origin, destination, year=2025)
    sea = _by_corridor(c)["maritime"]
    nodes = sea.route.nodes
    assert "yantian" not in nodes
    assert "genoa" not in nodes
    assert china & set(nodes)
    assert europe & set(nodes)
    # the gateway chosen is the cheaper one, not only the faster
    fastest = best_route(
        bundled,
        origin,
        destination,
        constraints=Constraints(corridor=Corridor.MARITIME, year=2025, month=MARCH.month),
    )
    quick = price_route(fastest, bundled, year=2025)
    assert sea.route.cost_usd <= quick.cost_usd
    # and the row says what the faster sea route would have been, when it is faster by more
    # than the policy's tolerance (Antwerp and Rotterdam are within the hour of each other)
    if quick.hours < sea.route.hours * (1 - TOLERANCE):
        assert any(n.startswith("faster via ") for n in sea.notes), sea.notes
    else:
        assert not any(n.startswith("faster via ") for n in sea.notes), sea.notes


def test_north_sea_ports_take_as_long_as_other_deep_sea_ports(bundled: Network) -> None:
    # Customs clearance runs while the box waits in the yard at every port (the operations at a
    # node overlap); Rotterdam and Antwerp keep it inside their port operation, so it must not
    # make them a day slower than Hamburg or Genoa.
    def port_call_h(port: str, inland: str) -> float:
        r = best_route(
            bundled,
            "shanghai",
            inland,
            constraints=Constraints(corridor=Corridor.MARITIME, via=(port,), year=2025),
        )
        return sum(leg.hours for leg in r.legs if leg.is_operation and leg.from_id == port)

    calls = {p: port_call_h(p, "duisburg") for p in ("rotterdam", "antwerp", "hamburg", "genoa")}
    assert max(calls.values()) - min(calls.values()) < 1.0, calls
