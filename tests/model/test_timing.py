"""The shared leg-time model: the rules both engines draw their times from."""

from __future__ import annotations

from datetime import date

import numpy as np

from corridor.model import DepartureRule, DepartureRuleKind, LogNormalSpeed, ShiftedLogNormal
from corridor.model.timing import (
    HOURS_PER_WEEK,
    DurationKind,
    departure_slots,
    draw_duration,
    dwell_code,
    month_edges,
    next_slot_wait,
    overlap_node,
    running_code,
)


def test_dwell_draws_have_the_stated_minimum_and_mean() -> None:
    dwell = ShiftedLogNormal(min_h=4.0, mean_h=10.0, cv=0.6)
    z = np.random.default_rng(1).standard_normal(400_000)
    hours = draw_duration(dwell_code(dwell), z)
    assert hours.min() >= 4.0
    assert abs(hours.mean() - 10.0) < 0.05


def test_running_time_mean_matches_the_speed_model() -> None:
    speed = LogNormalSpeed(mean_kmh=40.0, cv=0.3)
    z = np.random.default_rng(2).standard_normal(400_000)
    hours = draw_duration(running_code(800.0, speed), z)
    assert abs(hours.mean() - speed.mean_hours(800.0)) < 0.05


def test_a_fixed_dwell_is_its_mean() -> None:
    kind, params = dwell_code(ShiftedLogNormal(min_h=3.0, mean_h=7.0, cv=0.0))
    assert kind is DurationKind.FIXED
    assert params[0] == 7.0


def test_timetable_wait_is_to_the_next_sailing_of_the_week() -> None:
    # sailings on Monday and Thursday at 06:00; the origin is a Wednesday
    rule = DepartureRule(kind=DepartureRuleKind.TIMETABLE, weekdays=(0, 3), hour=6.0)
    period, offsets = departure_slots(rule, date(2025, 1, 1))
    assert period == HOURS_PER_WEEK
    assert offsets == [30.0, 126.0]  # Thursday 06:00, Monday 06:00
    waits = next_slot_wait(period, offsets, np.array([0.0, 30.0, 127.0, 168.0 + 29.0]))
    assert waits.tolist() == [30.0, 0.0, 168.0 + 30.0 - 127.0, 1.0]


def test_timetable_mean_wait_agrees_with_the_analytic_rule() -> None:
    rule = DepartureRule(kind=DepartureRuleKind.TIMETABLE, weekdays=(1, 2, 5), hour=10.0)
    period, offsets = departure_slots(rule, date(2024, 6, 3))
    t = np.random.default_rng(3).uniform(0.0, 10 * HOURS_PER_WEEK, 400_000)
    assert abs(next_slot_wait(period, offsets, t).mean() - rule.mean_wait_h()) < 0.3


def test_month_edges_follow_the_calendar_across_a_leap_february() -> None:
    edges, months = month_edges(date(2024, 2, 10), 24 * 60)
    assert months[:3].tolist() == [2, 3, 4]
    assert edges[:3].tolist() == [-9 * 24.0, 20 * 24.0, 51 * 24.0]


def test_a_node_takes_its_longest_operation() -> None:
    times = np.array([[2.0, 9.0, 1.0], [5.0, 3.0, 1.0]])
    node, credited = overlap_node(times)
    assert node.tolist() == [5.0, 9.0, 1.0]
    assert credited.sum(axis=0).tolist() == node.tolist()
