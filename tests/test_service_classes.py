"""Service classes, direction at borders, years and the sea route on the bundled network."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from corridor.model import Corridor, LinkStatusValue, Mode, OperationKind, ServiceClass, Status
from corridor.network import Network, apply_scenario
from corridor.routing import CompareRequest, Constraints, best_route
from corridor.transit import compare_routes

DEPART = date(2025, 4, 15)


def _days(net: Network, o: str, d: str, **kw: object) -> dict[Corridor, tuple[float, float, float]]:
    c = compare_routes(
        net, CompareRequest(origin=o, destination=d, depart=DEPART, samples=4000, seed=3, **kw)
    )
    return {opt.corridor: (opt.days.p10, opt.days.p50, opt.days.p90) for opt in c.options}


@pytest.mark.parametrize(
    ("origin", "destination"),
    [("xian", "alat"), ("xian", "istanbul"), ("alat", "kars"), ("almaty", "poti")],
)
def test_express_is_never_slower_than_standard(
    bundled: Network, origin: str, destination: str
) -> None:
    std = _days(bundled, origin, destination, service="standard")
    exp = _days(bundled, origin, destination, service="express")
    # A back-tracking route is shown only as the fastest option (Xi'an to Istanbul by the
    # northern route through Prague is fastest as a standard train, not as an express): the
    # corridors shown may differ by that one, and no more.
    assert len(std.keys() ^ exp.keys()) <= 1
    assert min(e[1] for e in exp.values()) <= min(s[1] for s in std.values()) + 0.05
    for corridor in std.keys() & exp.keys():
        p10, p50, p90 = std[corridor]
        e10, e50, e90 = exp[corridor]
        assert e10 <= e50 <= e90
        assert p10 <= p50 <= p90
        assert (e10, e50, e90) <= (p10 + 0.05, p50 + 0.05, p90 + 0.05), corridor
    # on the Middle Corridor itself the express product is clearly faster
    if Corridor.MIDDLE in std and origin == "xian":
        assert exp[Corridor.MIDDLE][1] < 0.75 * std[Corridor.MIDDLE][1]


def _border(route_legs: tuple, node: str) -> float:  # type: ignore[type-arg]
    """Mean clearance hours at ``node`` (its border leg's dwell, even where it overlaps)."""
    return next(
        leg.dwell.mean
        for leg in route_legs
        if leg.from_id == node and leg.operation is OperationKind.BORDER and leg.dwell
    )


def test_kazakh_border_uses_the_figure_of_the_direction(bundled: Network) -> None:
    cons = Constraints(year=2022, corridor=Corridor.MIDDLE)
    west = best_route(bundled, "xian", "alat", constraints=cons)
    east = best_route(bundled, "alat", "xian", constraints=cons)
    kz_west = next(n for n in west.nodes if n in ("dostyk", "altynkol"))
    kz_east = next(n for n in east.nodes if n in ("dostyk", "altynkol"))
    assert _border(west.legs, kz_west) == 78.0  # CPMM Kazakhstan 2022, inbound
    assert _border(east.legs, kz_east) == 6.8  # outbound
    # leaving Kazakhstan by sea (at Aktau or Kuryk) westbound is an outbound clearance too
    port = next(n for n in west.nodes if n in ("aktau", "kuryk"))
    assert _border(west.legs, port) == 6.8


def test_an_undirected_average_is_charged_once_per_frontier(bundled: Network) -> None:
    route = best_route(bundled, "alat", "kars", constraints=Constraints(year=2022))
    assert tuple(n for n in route.nodes if n in ("boyuk_kesik", "gardabani")) == (
        "boyuk_kesik",
        "gardabani",
    )
    assert _border(route.legs, "gardabani") == 40.6  # CAREC 2022 average, entry side
    assert _border(route.legs, "boyuk_kesik") == 3.0  # exit side: a technical handover
    # Türkiye is not in CAREC, but Kars faces Georgia: the crossing's one clearance is the CAREC
    # average of the year, the value Kartsakhi-bound trains meet in the other direction
    assert _border(route.legs, "kars") == 40.6
    assert _border(route.legs, "kartsakhi") == 3.0
    back = best_route(bundled, "kars", "alat", constraints=Constraints(year=2022))
    assert _border(back.legs, "kartsakhi") == _border(route.legs, "kars")


def test_a_crossing_with_china_costs_the_same_clearance_in_both_directions(
    bundled: Network,
) -> None:
    """Every Chinese exit station is a clearance; the frontier's single clearance is symmetric."""
    for year, carec in ((2019, 20.6), (2021, 51.9), (2022, 40.6), (2026, 40.6)):
        cons = Constraints(year=year)
        west = best_route(bundled, "harbin", "chita", constraints=cons)
        east = best_route(bundled, "chita", "harbin", constraints=cons)
        assert _border(west.legs, "zabaikalsk") == _border(east.legs, "manzhouli") == carec
        # the Chinese exit side carries a clearance like Alashankou's and Erenhot's, not a handover
        assert _border(west.legs, "manzhouli") >= 20.0


def test_standard_trains_from_xian_leave_china_westward(bundled: Network) -> None:
    """The 3,200 km detour via Manzhouli is not the fastest standard northern route from Xi'an."""
    for year in (2019, 2024, 2026):
        cons = Constraints(year=year, corridor=Corridor.NORTHERN)
        route = best_route(bundled, "xian", "duisburg", constraints=cons)
        assert "manzhouli" not in route.nodes, year
        assert {"dostyk", "altynkol"} & set(route.nodes), year


def test_2022_is_slower_than_2025_on_the_middle_corridor(bundled: Network) -> None:
    for service in ServiceClass:
        y22 = _days(bundled, "xian", "alat", service=service, year=2022)[Corridor.MIDDLE]
        y25 = _days(bundled, "xian", "alat", service=service, year=2025)[Corridor.MIDDLE]
        assert y22[1] > y25[1], service
    express22 = _days(bundled, "xian", "alat", service="express", year=2022)[Corridor.MIDDLE]
    express25 = _days(bundled, "xian", "alat", service="express", year=2025)[Corridor.MIDDLE]
    assert express22[1] - express25[1] > 2.0  # hub-to-hub border, faster ports, declarations
    # before the 2021-22 congestion the CPMM border times were far shorter
    y19 = _days(bundled, "xian", "alat", year=2019)[Corridor.MIDDLE]
    y22 = _days(bundled, "xian", "alat", year=2022)[Corridor.MIDDLE]
    assert y19[1] < y22[1] - 2.0


def _maritime_nodes(net: Network, year: int | None) -> tuple[str, ...]:
    c = compare_routes(
        net,
        CompareRequest(
            origin="shanghai", destination="rotterdam", depart=DEPART, samples=500, year=year
        ),
    )
    return next(o.route.nodes for o in c.options if o.corridor is Corridor.MARITIME)


def test_red_sea_status_by_year(bundled: Network) -> None:
    assert "cape_good_hope" in _maritime_nodes(bundled, 2024)
    assert "suez" not in _maritime_nodes(bundled, 2024)
    assert "suez" in _maritime_nodes(bundled, 2019)
    assert "cape_good_hope" in _maritime_nodes(bundled, None)  # still diverted today


def test_a_scenario_can_reopen_the_red_sea(bundled: Network) -> None:
    reopened = replace(
        bundled,
        values=bundled.values.with_link_status(
            LinkStatusValue(
                id="red-sea-reopens",
                from_id="bab_el_mandeb",
                to_id="suez",
                mode=Mode.SEA,
                status=Status.OPERATIONAL,
                date_from=date(2024, 1, 1),
            )
        ),
    )
    assert "suez" in _maritime_nodes(reopened, 2024)
    # the scenario layer's own link edit does the same
    from corridor.model import Changes, LinkEdit, Scenario

    scenario = Scenario(
        name="red-sea-open",
        changes=Changes(
            links=(
                LinkEdit(
                    from_id="bab_el_mandeb", to_id="suez", mode=Mode.SEA, status=Status.OPERATIONAL
                ),
            )
        ),
    )
    assert "suez" in _maritime_nodes(apply_scenario(bundled, scenario), 2024)


def test_suez_canal_length_and_transit(bundled: Network) -> None:
    canal = bundled.by_key[("suez", "port_said", "sea")]
    assert canal.distance_km == pytest.approx(193.3)
    mean_h = canal.profile.speed.mean_hours(canal.distance_km)
    assert 11 + 6 < mean_h < 16 + 24  # convoy transit plus a wait at the anchorage


@pytest.mark.parametrize("year", [2015, 2019, 2021, 2022, 2023, 2024, 2025, 2026, None])
def test_no_express_value_is_slower_than_the_standard_one(
    bundled: Network, year: int | None
) -> None:
    """Data invariant: in every year, each express dwell (per side and direction), speed and
    sailing wait is at most the standard one, so no route can be slower in the express class."""
    from corridor.model import Direction
    from corridor.network import select_values

    std = select_values(bundled, "standard", year)
    exp = select_values(bundled, "express", year)
    for nid, node in std.nodes.items():
        for kind, op in node.operations.items():
            fast = exp.nodes[nid].operations[kind]
            for d in (None, Direction.IN, Direction.OUT):
                a, b = op.dwell_for(d), fast.dwell_for(d)
                assert b.mean_h <= a.mean_h, (nid, kind, d, year)
    for pid, profile in std.profiles.items():
        assert exp.profiles[pid].speed.mean_kmh >= profile.speed.mean_kmh, (pid, year)
    for sid, svc in std.services.items():
        assert exp.services[sid].departure.mean_wait_h() <= svc.departure.mean_wait_h(), sid
