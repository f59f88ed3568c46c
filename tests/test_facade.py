"""The Python API: results convert the same way, print briefly and speak GeoJSON."""

from __future__ import annotations

import pytest

import corridor
from corridor import facade
from corridor.network import Network


def test_route_and_compare_documents_name_places_the_same_way(tiny: Network) -> None:
    plan = corridor.route("Alpha", "Zulu", network=tiny)
    comparison = corridor.compare("Alpha", "Zulu", depart="2025-01-15", samples=200, network=tiny)
    for doc in (plan.to_dict(), comparison.to_dict()):
        assert doc["origin"] == {"id": "aa", "name": "Alpha"}
        assert doc["destination"] == {"id": "zz", "name": "Zulu"}


def test_to_geojson_needs_no_argument_on_either_result(tiny: Network) -> None:
    plan = corridor.route("Alpha", "Zulu", network=tiny)
    comparison = corridor.compare("Alpha", "Zulu", depart="2025-01-15", samples=200, network=tiny)
    for result in (plan, comparison):
        doc = result.to_geojson()
        assert doc["type"] == "FeatureCollection"
        assert {f["geometry"]["type"] for f in doc["features"]} == {"Point", "LineString"}
        assert result.__geo_interface__ == doc
        assert result.to_geojson(tiny) == doc
    corridors = {f["properties"]["corridor"] for f in comparison.to_geojson()["features"]}
    assert corridors == {o.corridor.value for o in comparison.options}


def test_short_repr(tiny: Network) -> None:
    plan = corridor.route("Alpha", "Zulu", network=tiny, alternatives=2)
    comparison = corridor.compare("Alpha", "Zulu", depart="2025-01-15", samples=200, network=tiny)
    assert repr(plan).startswith("<RoutePlan Alpha → Zulu: 2 routes, best ")
    assert repr(comparison).startswith(
        "<Comparison Alpha → Zulu, departing 2025-01-15, 200 samples"
    )
    for text in (repr(plan), repr(comparison)):
        assert len(text) < 300
        assert "Network" not in text


def test_to_geodataframe(tiny: Network) -> None:
    pytest.importorskip("geopandas")
    plan = corridor.route("Alpha", "Zulu", network=tiny)
    frame = plan.to_geodataframe()
    assert frame.crs.to_epsg() == 4326
    assert len(frame) == len(plan.to_geojson()["features"])
    assert set(frame.geometry.geom_type) == {"Point", "LineString"}


def test_eta_plans_on_the_network_of_the_departure_year(bundled: Network) -> None:
    """Without ``year`` an ETA is planned on the departure year's network and says so; a 2019
    sailing Shanghai → Rotterdam went through Suez, a 2025 one round the Cape."""
    old, new = (
        corridor.eta("Shanghai", "Rotterdam", depart=day, corridor="maritime", samples=200)
        for day in ("2019-06-01", "2025-06-01")
    )
    assert old.to_dict()["year"] == 2019
    assert new.to_dict()["year"] == 2025
    assert "suez" in old.planned.nodes
    assert "cape_good_hope" in new.planned.nodes


def test_a_corridor_asked_for_by_name_follows_the_compare_row(bundled: Network) -> None:
    """The emission report and a shipment booked on the maritime corridor use the sea-rail
    gateway the comparison shows (Lianyungang, Antwerp), not the fastest one (Yantian, Genoa)."""
    shown = next(
        o.route.nodes
        for o in corridor.compare("Xi'an", "Duisburg", year=2025, samples=200).options
        if o.corridor.value == "maritime"
    )
    report = facade.emissions("Xi'an", "Duisburg", year=2025, corridor="maritime")
    assert report.chains[0].nodes == shown
    eta = corridor.eta("Xi'an", "Duisburg", depart="2025-06-01", corridor="maritime", samples=200)
    assert "lianyungang" in eta.planned.nodes
    assert "yantian" not in eta.planned.nodes


def test_route_compare_emissions_and_eta_default_the_year_the_same_way(bundled: Network) -> None:
    """One rule: without ``year`` every command works in the departure year (today by default).

    The truth is the Red Sea: container lines sailed Shanghai → Rotterdam through Suez in 2019
    and round the Cape of Good Hope in 2025 (corridor-facts, Red Sea crisis from December 2023),
    so a route planned in the departure year's network shows which year was used.
    """
    for day, passage in (("2019-06-03", "suez"), ("2025-06-02", "cape_good_hope")):
        year = int(day[:4])
        plan = corridor.route("Shanghai", "Rotterdam", depart=day, corridor="maritime")
        comparison = corridor.compare("Shanghai", "Rotterdam", depart=day, samples=100)
        report = corridor.emissions("Shanghai", "Rotterdam", depart=day, corridor="maritime")
        tracked = corridor.eta(
            "Shanghai", "Rotterdam", depart=day, corridor="maritime", samples=100
        )
        assert (plan.year, comparison.year, report.year, tracked.year) == (year,) * 4
        maritime = next(o.route for o in comparison.options if o.corridor.value == "maritime")
        for nodes in (plan.routes[0].nodes, maritime.nodes, report.chains[0].nodes):
            assert passage in nodes, (day, nodes)
        assert passage in tracked.planned.nodes


def test_without_a_date_every_command_works_in_this_year(tiny: Network) -> None:
    from datetime import date

    this_year = date.today().year
    assert corridor.route("Alpha", "Zulu", network=tiny).year == this_year
    assert corridor.compare("Alpha", "Zulu", samples=50, network=tiny).year == this_year
    assert corridor.emissions("Alpha", "Zulu", network=tiny).year == this_year
    today = date.today().isoformat()
    assert corridor.eta("Alpha", "Zulu", depart=today, samples=50, network=tiny).year == this_year


def test_a_request_is_built_once_and_shared_by_the_python_functions(tiny: Network) -> None:
    request = corridor.CompareRequest(
        origin="Alpha", destination="Zulu", depart="2025-01-15", samples=300, seed=4
    )
    by_request = corridor.compare(request, network=tiny)
    by_names = corridor.compare(
        "Alpha", "Zulu", depart="2025-01-15", samples=300, seed=4, network=tiny
    )
    assert by_request.to_dict() == by_names.to_dict()
    assert (
        request.resolved(tiny).key()
        == corridor.CompareRequest(
            origin="aa", destination="ZZ", depart="2025-01-15", samples=300, seed=4
        )
        .resolved(tiny)
        .key()
    )
    with pytest.raises(corridor.ModelError, match="samples"):
        corridor.compare("Alpha", "Zulu", samples=0, network=tiny)


def test_a_request_crosses_processes_unchanged() -> None:
    import pickle

    request = corridor.CompareRequest(
        origin="Xi'an", destination="Istanbul", depart="2025-07-15", avoid=("RU",), via=("Baku",)
    )
    again = pickle.loads(pickle.dumps(request))
    assert again == request
    assert again.key() == request.key()
