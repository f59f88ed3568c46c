"""``corridor validate``: bands, inside/outside, sharpness, bias and the summary."""

from __future__ import annotations

from datetime import date

import pytest

from corridor.errors import DataError
from corridor.io import parse_observed
from corridor.model import Corridor, ObservedJourney, ServiceClass
from corridor.network import Network
from corridor.routing import CompareRequest
from corridor.transit import compare_routes, validate_journeys

DEPART = date(2025, 5, 1)


def _band(net: Network, service: str) -> tuple[float, float, float]:
    c = compare_routes(
        net,
        CompareRequest(
            origin="xian",
            destination="alat",
            depart=DEPART,
            samples=1000,
            seed=5,
            year=2025,
            service=service,
        ),
    )
    o = next(o for o in c.options if o.corridor is Corridor.MIDDLE)
    return o.days.p10, o.days.p50, o.days.p90


def test_inside_and_outside_are_reported(bundled: Network) -> None:
    p10, p50, p90 = _band(bundled, "standard")
    text = (
        "label,origin,destination,depart,days,service,corridor\n"
        f"inside,Xi'an,Baku,{DEPART},{p50:.2f},standard,middle\n"
        f"outside,Xi'an,Baku,{DEPART},{p90 * 1.5:.2f},standard,middle\n"
        f"range,Xi'an,Baku,{DEPART},{p10 / 2:.2f}-{p10 / 1.5:.2f},standard,middle\n"
    )
    v = validate_journeys(bundled, parse_observed(text), samples=1000, seed=5)
    inside, outside, low = v.checks
    assert (inside.inside, outside.inside, low.inside) == (True, False, False)
    assert inside.p10 == pytest.approx(p10) and inside.p90 == pytest.approx(p90)
    assert outside.bias_days == pytest.approx(p50 - p90 * 1.5, abs=0.02)
    assert low.bias_days > 0  # the model is slower than that (fast) observation
    assert low.journey.days == pytest.approx((p10 / 2 + p10 / 1.5) / 2, abs=0.01)
    assert inside.sharpness == pytest.approx(p90 / p10)
    doc = v.to_dict()
    assert doc["summary"]["journeys"] == 3
    assert doc["summary"]["inside"] == 1
    assert doc["summary"]["coverage"] == pytest.approx(1 / 3, abs=1e-4)
    assert [j["inside"] for j in doc["journeys"]] == [True, False, False]


def test_each_journey_uses_its_service_class_and_year(bundled: Network) -> None:
    std = ObservedJourney(
        row=2,
        origin="Xi'an",
        destination="Baku",
        depart=DEPART,
        days_min=10,
        days_max=10,
        corridor=Corridor.MIDDLE,
    )
    exp = ObservedJourney(
        row=3,
        origin="Xi'an",
        destination="Baku",
        depart=DEPART,
        days_min=10,
        days_max=10,
        service=ServiceClass.EXPRESS,
        corridor=Corridor.MIDDLE,
    )
    v = validate_journeys(bundled, [std, exp], samples=1000, seed=5)
    assert v.checks[1].p50 < v.checks[0].p50
    assert (v.checks[0].p10, v.checks[0].p50, v.checks[0].p90) == pytest.approx(
        _band(bundled, "standard")
    )
    by_class = v.to_dict()["summary"]["by_service"]
    assert by_class["standard"]["journeys"] == by_class["express"]["journeys"] == 1


def test_unknown_places_are_row_errors(bundled: Network) -> None:
    text = (
        "origin,destination,depart,days\n"
        "Xi'an,Baku,2025-05-01,12\n"
        "Xi'an,Atlantis,2025-05-01,12\n"
        "Narnia,Baku,2025-05-01,12\n"
    )
    with pytest.raises(DataError) as info:
        validate_journeys(bundled, parse_observed(text, file="mine.csv"), file="mine.csv")
    problems = info.value.problems
    assert [(p.row, p.field) for p in problems] == [(3, "destination"), (4, "origin")]
    assert str(problems[0]).startswith("mine.csv, row 3, field 'destination': unknown place")


def test_the_example_file_is_built_from_corridor_level_figures() -> None:
    from pathlib import Path

    from corridor.io import read_observed

    path = Path(__file__).parents[2] / "examples" / "observed.csv"
    rows = read_observed(path)
    assert len(rows) >= 10
    assert all("facts 2b" in r.source for r in rows)
    assert {r.service for r in rows} == set(ServiceClass)
