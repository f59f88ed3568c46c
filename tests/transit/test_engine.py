"""The Monte-Carlo engine: ordering, bounds, reproducibility, seasons, analytic means."""

from __future__ import annotations

from datetime import date
from types import MappingProxyType

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corridor.model import (
    Corridor,
    DepartureRule,
    DepartureRuleKind,
    Leg,
    LegMode,
    LogNormalSpeed,
    Mode,
    MonthWeather,
    Route,
    Service,
    ShiftedLogNormal,
)
from corridor.network import Network
from corridor.routing import Constraints, best_route
from corridor.transit import route_minimum_hours, sample_route


def _middle(tiny: Network) -> Route:
    return best_route(tiny, "aa", "zz", objective="cost", constraints=Constraints(month=7))


def test_same_seed_same_arrays(tiny: Network) -> None:
    r = _middle(tiny)
    a = sample_route(r, 5000, seed=42, depart=date(2025, 3, 1))
    b = sample_route(r, 5000, seed=42, depart=date(2025, 3, 1))
    c = sample_route(r, 5000, seed=43, depart=date(2025, 3, 1))
    assert np.array_equal(a.leg_hours, b.leg_hours)
    assert not np.array_equal(a.total_hours, c.total_hours)


def test_totals_are_sum_of_legs_and_above_minimum(tiny: Network) -> None:
    r = _middle(tiny)
    s = sample_route(r, 4000, seed=1, depart=date(2025, 1, 20))
    assert np.allclose(s.leg_hours.sum(axis=0), s.total_hours)
    floor = route_minimum_hours(r)
    assert s.total_hours.min() >= floor - 1e-9


def test_mean_matches_the_planner_in_a_calm_month(tiny: Network) -> None:
    r = _middle(tiny)
    s = sample_route(r, 200_000, seed=3, depart=date(2025, 7, 1))
    # the only random leg is the ferry wait, uniform on [0, 48): sd 13.9 h
    assert s.total_hours.mean() == pytest.approx(r.hours, abs=4 * 13.9 / np.sqrt(200_000))


def test_winter_caspian_is_slower_than_summer(tiny: Network) -> None:
    r = _middle(tiny)
    winter = sample_route(r, 20_000, seed=5, depart=date(2025, 1, 10)).total_hours
    summer = sample_route(r, 20_000, seed=5, depart=date(2025, 7, 10)).total_hours
    assert winter.mean() > summer.mean() + 5
    assert np.percentile(winter, 90) > np.percentile(summer, 90)


def _leg(**kw: object) -> Leg:
    base: dict[str, object] = {
        "from_id": "a",
        "to_id": "b",
        "mode": LegMode.RAIL,
        "distance_km": 0.0,
        "hours": 0.0,
        "cost_usd": 0.0,
        "co2_kg": 0.0,
    }
    base.update(kw)
    return Leg(**base)  # type: ignore[arg-type]


def _route(*legs: Leg) -> Route:
    return Route(nodes=("a", "b"), legs=legs, corridor=Corridor.DIRECT)


@settings(max_examples=25, deadline=None)
@given(
    st.floats(0, 50),
    st.floats(0.1, 100),
    st.floats(0.05, 1.5),
)
def test_shifted_lognormal_sample_mean_is_analytic(mn: float, extra: float, cv: float) -> None:
    d = ShiftedLogNormal(min_h=mn, mean_h=mn + extra, cv=cv)
    s = sample_route(_route(_leg(dwell=d)), 200_000, seed=7).total_hours
    se = extra * cv / np.sqrt(200_000)
    assert s.mean() == pytest.approx(d.mean, abs=6 * se + 1e-9)
    assert s.min() >= mn


@settings(max_examples=25, deadline=None)
@given(st.floats(10, 5000), st.floats(5, 80), st.floats(0.05, 0.6))
def test_running_time_mean_is_analytic(dist: float, speed: float, cv: float) -> None:
    v = LogNormalSpeed(mean_kmh=speed, cv=cv)
    s = sample_route(_route(_leg(distance_km=dist, speed=v)), 200_000, seed=11).total_hours
    mean = v.mean_hours(dist)
    assert s.mean() == pytest.approx(mean, rel=0.02)
    assert np.percentile(s, 90) == pytest.approx(v.quantile_hours(dist, 0.9), rel=0.02)


def _service(rule: DepartureRule, weather: dict[int, MonthWeather] | None = None) -> Service:
    return Service(
        id="s",
        mode=Mode.FERRY,
        links=(("a", "b"),),
        vessels=1,
        capacity_teu=100,
        departure=rule,
        crossing=ShiftedLogNormal(min_h=10, mean_h=10, cv=0),
        weather=MappingProxyType(weather or {}),
    )


def test_timetable_wait_depends_on_the_weekday() -> None:
    # one sailing a week, Monday 18:00; departing on a Monday at 00:00 -> wait exactly 18 h
    rule = DepartureRule(kind=DepartureRuleKind.TIMETABLE, weekdays=(0,), hour=18)
    leg = _leg(mode=LegMode.FERRY, distance_km=300, service=_service(rule), boarding=True)
    monday = sample_route(_route(leg), 100, seed=1, depart=date(2025, 3, 3)).total_hours
    assert np.allclose(monday, 18 + 10)
    tuesday = sample_route(_route(leg), 100, seed=1, depart=date(2025, 3, 4)).total_hours
    assert np.allclose(tuesday, 6 * 24 + 18 + 10)


@settings(max_examples=15, deadline=None)
@given(st.floats(0.01, 1.0), st.floats(1, 200), st.integers(1, 12))
def test_weather_hold_mean(prob: float, hold: float, month: int) -> None:
    rule = DepartureRule(kind=DepartureRuleKind.INTERVAL, every_h=24)
    svc = _service(rule, {month: MonthWeather(hold_prob=prob, hold_h_mean=hold)})
    leg = _leg(mode=LegMode.FERRY, distance_km=300, service=svc, boarding=True)
    s = sample_route(_route(leg), 200_000, seed=2, depart=date(2025, month, 1)).total_hours
    expected = 12 + prob * hold + 10
    sd = np.sqrt(24**2 / 12 + prob * 2 * hold**2 - (prob * hold) ** 2)
    assert s.mean() == pytest.approx(expected, abs=6 * sd / np.sqrt(200_000))


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 3000), st.integers(0, 2**32 - 1))
def test_percentiles_are_ordered(n: int, seed: int) -> None:
    d = ShiftedLogNormal(min_h=3, mean_h=9, cv=0.8)
    s = sample_route(_route(_leg(dwell=d)), n, seed=seed).total_hours
    p10, p50, p90 = np.percentile(s, [10, 50, 90])
    assert p10 <= p50 <= p90


def test_a_closed_port_holds_the_container_until_it_reopens(tiny: Network) -> None:
    """Hand-worked on the tiny route: the container reaches port pp after 90.2 fixed hours
    (terminal 10, rail 20 + 0.2 + 50, two borders of 5 h); pp's own handling is 12 h. A storm
    closing pp's sailings until hour 200 keeps it there until then: 200 - 90.2 - 12 = 97.8 h
    more, for every journey. A storm does not hold a box that leaves by rail (qq), a halt holds
    any box, and nothing is held at the destination."""
    r = _middle(tiny)
    depart = date(2025, 7, 1)

    def total(closures: dict[str, list[tuple[float, float, bool]]]) -> np.ndarray:
        s = sample_route(r, 2000, seed=4, depart=depart, dependence=False, closures=closures)
        return s.total_hours

    free = total({})
    assert np.allclose(total({"pp": [(0.0, 200.0, True)]}) - free, 200.0 - 90.2 - 12.0)
    assert np.allclose(total({"pp": [(0.0, 50.0, True)]}), free)  # over before it arrives
    assert np.allclose(total({"qq": [(0.0, 1e4, True)]}), free)  # leaves qq by rail
    assert (total({"qq": [(0.0, 1e4, False)]}) > free + 1000).all()  # a halt holds any box
    assert np.allclose(total({"zz": [(0.0, 1e4, False)]}), free)  # the destination
