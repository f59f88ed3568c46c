"""One option policy: compare, route, eta, emissions and the simulation's flows agree.

For the same pair, corridor, service class and year, each entry point must plan the same route
(the row ``compare`` shows), and ``eta`` without a corridor plans the row ``compare`` shows
first. The issue's examples are regressions: no route from China to Türkiye is offered through
Germany or Czechia, where no service runs (a box sent that way changes trains in Europe).
"""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from corridor import compare, emissions, eta, route
from corridor.model import Corridor
from corridor.network import Network, load_scenario
from corridor.routing import CompareRequest, RouteRequest
from corridor.simulation.build import flow_route

DEPART = date(2025, 3, 3)


def _scenario(net: Network, corridor: Corridor) -> object:
    doc = {
        "name": "one-flow",
        "base": "network",
        "year": 2025,
        "days": 30,
        "demand": {
            "corridor": corridor.value,
            "flows": [{"origin": "xian", "destination": "istanbul", "teu_year": 1000}],
        },
    }
    return load_scenario(doc, net)


@pytest.mark.parametrize("corridor", [Corridor.MIDDLE, Corridor.SOUTHERN])
def test_every_entry_point_plans_the_same_route(bundled: Network, corridor: Corridor) -> None:
    c = compare(
        CompareRequest(
            origin="Xi'an", destination="Istanbul", depart=DEPART, samples=200, year=2025
        ),
        network=bundled,
    )
    shown = {o.corridor: o.route.nodes for o in c.options}
    assert corridor in shown
    rep = emissions(
        RouteRequest(
            origin="Xi'an",
            destination="Istanbul",
            depart=DEPART,
            month=3,
            year=2025,
            corridor=corridor,
        ),
        network=bundled,
    )
    assert rep.chains[0].nodes == shown[corridor]
    planned = route(
        RouteRequest(
            origin="Xi'an",
            destination="Istanbul",
            depart=DEPART,
            month=3,
            year=2025,
            corridor=corridor,
        ),
        network=bundled,
    )
    assert planned.routes[0].nodes == shown[corridor]
    forecast = eta("Xi'an", "Istanbul", depart=DEPART, corridor=corridor, year=2025, samples=200)
    assert forecast.forecast.track.route.nodes == shown[corridor]
    sc = _scenario(bundled, corridor)
    flow = sc.flows[0]  # type: ignore[attr-defined]
    # the simulation plans for the year average (no month): same route as March here
    assert flow_route(bundled, sc, flow).nodes == shown[corridor]  # type: ignore[arg-type]


def test_eta_plans_the_row_compare_shows_first(bundled: Network) -> None:
    c = compare(
        CompareRequest(origin="Xi'an", destination="Istanbul", depart=DEPART, samples=2000),
        network=bundled,
    )
    forecast = eta("Xi'an", "Istanbul", depart=DEPART, samples=200)
    assert forecast.forecast.track.route.nodes == c.options[0].route.nodes


@pytest.mark.parametrize(
    ("origin", "destination"),
    [("Xi'an", "Istanbul"), ("Almaty", "Istanbul"), ("Chongqing", "Ankara"), ("Yiwu", "Kars")],
)
def test_no_option_to_turkiye_runs_through_germany_or_czechia(
    bundled: Network, origin: str, destination: str
) -> None:
    c = compare(
        CompareRequest(origin=origin, destination=destination, depart=DEPART, samples=100),
        network=bundled,
    )
    for o in c.options:
        countries = {bundled.nodes[n].country for n in o.route.nodes}
        assert not countries & {"DE", "CZ"}, (o.corridor.value, o.route.nodes)


def test_options_name_their_services(bundled: Network) -> None:
    c = compare(
        CompareRequest(origin="Xi'an", destination="Istanbul", depart=DEPART, samples=100),
        network=bundled,
    )
    doc = c.to_dict()
    assert doc["optimize"] == "time"
    middle = next(o for o in doc["options"] if o["corridor"] == "middle")
    services = middle["services"]
    assert {"id", "operator", "from", "to", "frequency_per_week"} <= set(services[0])
    # a chain: each service starts where the one before ended, from origin to destination
    assert services[0]["from"] == "xian"
    assert services[-1]["to"] == "istanbul"
    for a, b in itertools.pairwise(services):
        assert a["to"] == b["from"]
    ids = [s["id"] for s in services]
    assert any(i.startswith("caspian-") for i in ids)  # the Caspian crossing is a service
