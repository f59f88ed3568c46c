"""Which railway runs a cross-border link: the one on the far side of a border station."""

from __future__ import annotations

import pytest

from corridor.model import Leg, Route
from corridor.network import Network
from corridor.routing import best_route, price_route, route_emissions
from corridor.routing.lanes import leg_network


def _leg(route: Route, a: str, b: str) -> int:
    return next(
        i for i, leg in enumerate(route.legs) if {leg.from_id, leg.to_id} == {a, b} and a != b
    )


@pytest.mark.parametrize(("origin", "destination"), [("alat", "kars"), ("kars", "alat")])
def test_kartsakhi_kars_is_turkish_railway_both_ways(
    bundled: Network, origin: str, destination: str
) -> None:
    """BTK chainage: Kars 0, TR/GE border 76; the 76 km link lies in Türkiye."""
    route = price_route(best_route(bundled, origin, destination), bundled, year=2025)
    i = _leg(route, "kartsakhi", "kars")
    leg: Leg = route.legs[i]
    assert leg.distance_km == 76
    assert leg_network(leg) == "TR"
    assert "rail-tcdd" in {item.rate_id for item in leg.cost_items}
    assert "rail-ge" not in {item.rate_id for item in leg.cost_items}
    emission = route_emissions(route, bundled)[i]
    assert emission is not None
    assert emission.factor_id == "rail-tr"


def test_turkmen_section_of_the_kti_line_is_turkmen(bundled: Network) -> None:
    route = best_route(bundled, "bolashak", "incheh_burun")
    networks = {leg_network(leg) for leg in route.link_legs}
    assert networks == {"TM"}
