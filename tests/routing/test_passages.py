"""Black Sea voyages cross the sea directly; the Bosphorus is passed only to leave it."""

from __future__ import annotations

from datetime import date
from itertools import permutations

import pytest

from corridor.errors import NoRouteError
from corridor.model import Corridor, LegMode
from corridor.network import Network
from corridor.routing import CompareRequest, Constraints, Objective, best_route, link_leg
from corridor.routing.passages import passage_sides
from corridor.transit import compare_routes

BLACK_SEA_PORTS = ("poti", "batumi", "constanta", "varna", "burgas")
KNOT_KMH = 1.852


@pytest.mark.parametrize("objective", list(Objective))
def test_poti_to_constanta_crosses_the_black_sea_directly(
    bundled: Network, objective: Objective
) -> None:
    r = best_route(bundled, "poti", "constanta", objective=objective)
    assert "bosphorus" not in r.nodes
    sea = [leg for leg in r.link_legs if leg.mode is LegMode.SEA]
    assert [(leg.from_id, leg.to_id) for leg in sea] == [("poti", "constanta")]
    # searoute 1,093 km; facts sheet: about 590 nm = 1,093 km
    assert 1_050 < r.distance_km < 1_150


def test_no_voyage_between_black_sea_ports_passes_the_bosphorus(bundled: Network) -> None:
    for a, b in permutations(BLACK_SEA_PORTS, 2):
        for objective in (Objective.TIME, Objective.COST):
            try:
                r = best_route(bundled, a, b, objective=objective)
            except NoRouteError:
                continue
            assert "bosphorus" not in r.nodes, (a, b, objective, r.nodes)


def test_compare_poti_constanta_shows_the_direct_crossing(bundled: Network) -> None:
    c = compare_routes(
        bundled,
        CompareRequest(
            origin="poti", destination="constanta", depart=date(2025, 6, 1), samples=500
        ),
    )
    for option in c.options:
        assert "bosphorus" not in option.route.nodes
        assert option.route.distance_km < 1_150
        text = str(option.to_dict() if hasattr(option, "to_dict") else option)
        assert "Bosphorus" not in text


@pytest.mark.parametrize("destination", ["constanta", "duisburg", "varna"])
def test_middle_corridor_via_poti_to_europe_does_not_pass_the_bosphorus(
    bundled: Network, destination: str
) -> None:
    r = best_route(
        bundled,
        "xian",
        destination,
        constraints=Constraints(via=("poti",), corridor=Corridor.MIDDLE, year=2025),
    )
    assert "poti" in r.nodes
    assert "bosphorus" not in r.nodes
    after_poti = r.nodes[r.nodes.index("poti") + 1]
    assert after_poti in {"constanta", "varna", "burgas"}


def test_deep_sea_voyages_still_pass_the_straits(bundled: Network) -> None:
    """Entering or leaving the Black Sea goes through the Bosphorus (and the Dardanelles)."""
    into = best_route(
        bundled, "shanghai", "constanta", constraints=Constraints(corridor=Corridor.MARITIME)
    )
    assert into.nodes[-3:] == ("dardanelles", "bosphorus", "constanta")
    out_of = best_route(
        bundled, "constanta", "shanghai", constraints=Constraints(corridor=Corridor.MARITIME)
    )
    assert out_of.nodes[:3] == ("constanta", "bosphorus", "dardanelles")


@pytest.mark.parametrize("destination", ["duisburg", "rotterdam", "hamburg"])
def test_the_asia_europe_liner_carries_no_box_between_two_european_ports(
    bundled: Network, destination: str
) -> None:
    """A voyage on the liner runs between its trade's two ranges: the middle corridor reaches
    North Europe from Constanța by rail, not by the Asia-Europe liner round Gibraltar."""
    r = best_route(
        bundled,
        "xian",
        destination,
        constraints=Constraints(corridor=Corridor.MIDDLE),
        objective=Objective.COST,
    )
    liner = [leg for leg in r.link_legs if leg.service and leg.service.id == "asia-europe-mainline"]
    assert not liner, [(leg.from_id, leg.to_id) for leg in liner]
    assert "gibraltar" not in r.nodes


@pytest.mark.parametrize(
    ("origin", "destination"), [("shanghai", "rotterdam"), ("chongqing", "duisburg")]
)
def test_no_liner_calls_at_the_georgian_ports(
    bundled: Network, origin: str, destination: str
) -> None:
    """Poti and Batumi take no deep-sea ships (Poti's first terminal for 300 m vessels opens in
    2027), so the middle corridor leaves them on a Black Sea feeder: it never sails on from
    Poti through the Bosphorus and round to the North Sea."""
    r = best_route(bundled, origin, destination, constraints=Constraints(corridor=Corridor.MIDDLE))
    port = next(p for p in ("poti", "batumi") if p in r.nodes)
    leaving = next(leg for leg in r.link_legs if leg.from_id == port)
    assert leaving.service is not None
    assert leaving.service.id.startswith("blacksea-feeder-")
    assert "bosphorus" not in r.nodes
    assert all(
        leg.service is None or leg.service.id != "asia-europe-mainline" for leg in r.link_legs
    )
    for georgian in ("poti", "batumi"):
        liner_ports = {p for link in bundled.services["asia-europe-mainline"].links for p in link}
        assert georgian not in liner_ports


def test_sides_of_the_bosphorus(bundled: Network) -> None:
    sides = passage_sides(bundled)["bosphorus"]
    black_sea = {sides[p] for p in ("constanta", "varna", "burgas")}
    assert len(black_sea) == 1
    assert sides["dardanelles"] == sides["ambarli"] != black_sea.pop()
    # the water network goes round Suez (via the Cape), so its sides are declared in the data:
    # the Red Sea on one side, Port Said on the other; Port Said: the canal against the Med
    suez = passage_sides(bundled)["suez"]
    assert suez["bab_el_mandeb"] != suez["port_said"]
    port_said = passage_sides(bundled)["port_said"]
    assert {port_said[p] for p in ("piraeus", "koper", "genoa", "dardanelles")} == {
        1 - port_said["suez"]
    }


@pytest.mark.parametrize("black_sea", ["poti", "constanta", "varna"])
@pytest.mark.parametrize("med", ["koper", "genoa", "piraeus"])
def test_black_sea_to_the_mediterranean_never_sails_by_port_said(
    bundled: Network, black_sea: str, med: str
) -> None:
    """Port Said is on the way only between the Suez Canal and the Mediterranean: a ship from the
    Black Sea to the Adriatic or Genoa leaves by the Dardanelles and does not call at Egypt."""
    for objective in (Objective.TIME, Objective.COST, Objective.GENERALIZED):
        for a, b in ((black_sea, med), (med, black_sea)):
            try:
                r = best_route(bundled, a, b, objective=objective)
            except NoRouteError:
                continue
            assert "port_said" not in r.nodes, (a, b, objective, r.nodes)


def test_black_sea_feeders_sail_at_one_speed_on_their_own_distance(bundled: Network) -> None:
    """One sourced speed (14 kn) for every Black Sea feeder crossing, in proportion to distance."""
    feeders = [
        lk
        for lk in bundled.links
        if lk.service is not None and lk.service.id.startswith("blacksea-feeder")
    ]
    assert len(feeders) >= 8
    for lk in feeders:
        assert lk.profile.speed.mean_kmh == pytest.approx(14 * KNOT_KMH, abs=0.05), lk.key
        hours = link_leg(lk, bundled.nodes, boarding=False).hours
        # a lognormal speed V with mean 14 kn and variation cv: E[d / V] = d / E[V] * (1 + cv^2)
        theory = lk.distance_km / (14 * KNOT_KMH) * (1 + lk.profile.speed.cv**2)
        assert hours == pytest.approx(theory, rel=2e-3), lk.key
    poti_constanta = bundled.by_key[("poti", "constanta", "sea")]
    # 1,093 km at 14 kn: about 42 h at sea (the mean of d / V is a little above d / mean V)
    assert 42 < link_leg(poti_constanta, bundled.nodes, boarding=False).hours < 44
