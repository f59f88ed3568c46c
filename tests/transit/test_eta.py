"""The conditioned ETA: sampling only what remains, from the milestone's node and clock."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date, datetime, timedelta
from types import MappingProxyType

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corridor.errors import NodeNotFoundError
from corridor.facade import parse_milestone, plan_shipment
from corridor.model import (
    Corridor,
    DepartureRule,
    DepartureRuleKind,
    Leg,
    LegMode,
    LogNormalSpeed,
    Mode,
    Route,
    Service,
    ServiceClass,
    ShiftedLogNormal,
)
from corridor.network import Network
from corridor.routing import Constraints, routes_by_corridor
from corridor.transit import (
    Milestone,
    MilestoneError,
    MilestoneKind,
    Track,
    advance,
    forecast,
    plan_track,
    remaining_route,
    replanner,
    route_minimum_hours,
    sample_route,
)

NOW = datetime(2026, 1, 1)
ARR, DEP = MilestoneKind.ARRIVAL, MilestoneKind.DEPARTURE


def _middle(net: Network, month: int) -> Route:
    cons = Constraints(month=month)
    return routes_by_corridor(
        net, "xian", "istanbul", constraints=cons, corridors=(Corridor.MIDDLE,)
    )[0]


def _caspian_port(route: Route) -> str:
    """The port the route sails across the Caspian from (read from the route, not assumed)."""
    return next(
        leg.from_id
        for leg in route.legs
        if leg.service is not None and leg.mode in (LegMode.FERRY, LegMode.SEA)
    )


def _go(track: Track, net: Network, *milestones: Milestone) -> Track:
    for m in milestones:
        track = advance(track, m, planner=replanner(net), now=NOW)
    return track


def test_arrival_forecast_is_the_tail_sampled_from_the_milestone_clock(bundled: Network) -> None:
    route = _middle(bundled, 1)
    port = _caspian_port(route)
    at = datetime(2025, 1, 13, 17, 30)
    track = _go(plan_track(route, date(2025, 1, 6)), bundled, Milestone(node=port, at=at))
    assert track.replanned_at == ()  # the port is on the planned route
    got = forecast(track, samples=5000, seed=11)
    # by hand: everything after the link into the port, sampled from 13 January 17:30
    j = next(i for i, leg in enumerate(route.legs) if leg.to_id == port and not leg.is_operation)
    k = route.nodes.index(port)
    tail = Route(nodes=route.nodes[k:], legs=route.legs[j + 1 :], corridor=route.corridor)
    expected = sample_route(tail, 5000, seed=11, depart=at).total_hours
    assert np.array_equal(got.arrival_hours, expected)
    assert got.stage.eta_p50 == at + timedelta(hours=float(np.percentile(expected, 50)))
    assert tail.legs[0].operation is not None  # the port handling is still ahead


def test_departure_forecast_starts_on_board_without_the_sailing_wait(bundled: Network) -> None:
    route = _middle(bundled, 1)
    port = _caspian_port(route)
    at = datetime(2025, 1, 14, 8, 0)
    track = _go(plan_track(route, date(2025, 1, 6)), bundled, Milestone(node=port, at=at, kind=DEP))
    assert track.replanned_at == ()
    got = forecast(track, samples=5000, seed=3)
    j = next(i for i, leg in enumerate(route.legs) if leg.from_id == port and not leg.is_operation)
    assert route.legs[j].boarding  # the planned ferry leg waits for a sailing...
    sailing = replace(route.legs[j], boarding=False)
    k = route.nodes.index(port)
    tail = Route(
        nodes=route.nodes[k:], legs=(sailing, *route.legs[j + 1 :]), corridor=route.corridor
    )
    expected = sample_route(tail, 5000, seed=3, depart=at).total_hours
    assert np.array_equal(got.arrival_hours, expected)  # ...the one seen leaving does not


def test_only_the_milestone_matters_not_the_departure_day(bundled: Network) -> None:
    m = Milestone(node="dostyk", at=datetime(2025, 1, 12, 6, 0))
    route = _middle(bundled, 1)
    a = forecast(_go(plan_track(route, date(2025, 1, 2)), bundled, m), samples=3000, seed=5)
    b = forecast(_go(plan_track(route, date(2025, 1, 9)), bundled, m), samples=3000, seed=5)
    assert np.array_equal(a.arrival_hours, b.arrival_hours)


def test_the_month_of_the_milestone_sets_the_caspian_weather(bundled: Network) -> None:
    winter_route, summer_route = _middle(bundled, 1), _middle(bundled, 7)
    winter = _go(
        plan_track(winter_route, date(2025, 1, 2)),
        bundled,
        Milestone(node=_caspian_port(winter_route), at=datetime(2025, 1, 15)),
    )
    summer = _go(
        plan_track(summer_route, date(2025, 7, 2)),
        bundled,
        Milestone(node=_caspian_port(summer_route), at=datetime(2025, 7, 15)),
    )
    assert winter.replanned_at == summer.replanned_at == ()
    w = forecast(winter, samples=20_000, seed=1).arrival_hours
    s = forecast(summer, samples=20_000, seed=1).arrival_hours
    assert w.mean() > s.mean() + 5  # winter holds the Caspian ferry at the port


def test_timetable_wait_follows_the_clock_of_the_milestone() -> None:
    rule = DepartureRule(kind=DepartureRuleKind.TIMETABLE, weekdays=(0,), hour=18)
    service = Service(
        id="s",
        mode=Mode.FERRY,
        links=(("b", "c"),),
        vessels=1,
        capacity_teu=100,
        departure=rule,
        crossing=ShiftedLogNormal(min_h=10, mean_h=10, cv=0),
        weather=MappingProxyType({}),
    )
    rail = Leg(
        from_id="a",
        to_id="b",
        mode=LegMode.RAIL,
        distance_km=100.0,
        hours=1.0,
        cost_usd=0.0,
        co2_kg=0.0,
        speed=LogNormalSpeed(mean_kmh=100.0, cv=0.0),
    )
    ferry = replace(
        rail, from_id="b", to_id="c", mode=LegMode.FERRY, speed=None, service=service, boarding=True
    )
    legs = (rail, ferry)
    route = Route(nodes=("a", "b", "c"), legs=legs, corridor=Corridor.DIRECT)

    def never(_a: str, _b: str, _m: Milestone | None) -> Route:
        raise AssertionError("no re-plan expected")

    track = plan_track(route, date(2025, 3, 1))
    # arrived at b on Monday 3 March 2025 at 12:00: sails at 18:00, lands 10 h later
    monday = advance(
        track, Milestone(node="b", at=datetime(2025, 3, 3, 12)), planner=never, now=NOW
    )
    got = forecast(monday, samples=50, seed=1)
    assert got.stage.eta_p10 == got.stage.eta_p90 == datetime(2025, 3, 4, 4, 0)
    # arrived at 19:00 the same Monday: the sailing is gone, next one a week later
    late = advance(track, Milestone(node="b", at=datetime(2025, 3, 3, 19)), planner=never, now=NOW)
    assert forecast(late, samples=50, seed=1).stage.eta_p50 == datetime(2025, 3, 11, 4, 0)


@pytest.mark.parametrize(
    ("month", "service"), [(6, "standard"), (7, "standard"), (8, "express"), (9, "express")]
)
def test_later_milestones_never_widen_the_band_in_a_calm_month(
    bundled: Network, month: int, service: str
) -> None:
    cons = Constraints(month=month, service=ServiceClass.parse(service))
    route = routes_by_corridor(
        bundled, "xian", "istanbul", constraints=cons, corridors=(Corridor.MIDDLE,)
    )[0]
    track = plan_track(route, date(2025, month, 2))
    band = forecast(track, samples=20_000, seed=2).stage.band_days
    # walk the container along the route, each stop seen at its mean time from the last one
    stops = ["dostyk", _caspian_port(route), "alat", "akhalkalaki", "kars", "ankara"]
    assert set(stops) <= set(route.nodes)  # every stop is on the plan: no re-plan widens it
    planner = replanner(bundled, service=service)
    for node in stops:
        f = forecast(track, samples=20_000, seed=2)
        hours = 0.0
        for leg, mean_h in f.legs:
            hours += mean_h
            if not leg.is_operation and leg.to_id == node:
                break
        m = Milestone(node=node, at=track.clock + timedelta(hours=hours))
        track = advance(track, m, planner=planner, now=NOW)
        after = forecast(track, samples=20_000, seed=2).stage.band_days
        assert after <= band + 1e-9, node
        band = after


@settings(max_examples=25, deadline=None)
@given(
    k=st.integers(1, 40),
    kind=st.sampled_from([ARR, DEP]),
    hour=st.floats(0, 23.99),
    month=st.integers(1, 12),
)
def test_the_band_is_ordered_and_above_the_fastest_remaining_time(
    bundled: Network, k: int, kind: MilestoneKind, hour: float, month: int
) -> None:
    route = _middle(bundled, month)
    node = route.nodes[min(k, len(route.nodes) - 2)]
    at = datetime(2025, month, 20) + timedelta(hours=hour)
    track = _go(
        plan_track(route, date(2025, month, 1)), bundled, Milestone(node=node, at=at, kind=kind)
    )
    st_ = forecast(track, samples=2000, seed=k).stage
    assert at <= st_.eta_p10 <= st_.eta_p50 <= st_.eta_p90
    floor = route_minimum_hours(remaining_route(track))
    assert st_.eta_p10 >= at + timedelta(hours=floor) - timedelta(seconds=1)


def test_arrival_at_the_destination_ends_with_no_spread(bundled: Network) -> None:
    route = _middle(bundled, 3)
    at = datetime(2025, 3, 28, 9, 45)
    track = _go(
        plan_track(route, date(2025, 3, 3)),
        bundled,
        Milestone(node=_caspian_port(route), at=datetime(2025, 3, 12)),
        Milestone(node="istanbul", at=at),
    )
    assert track.delivered
    done = forecast(track, deadline=datetime(2025, 3, 29)).stage
    assert done.eta_p10 == done.eta_p50 == done.eta_p90 == at
    assert done.on_time_probability == 1.0
    with pytest.raises(MilestoneError, match="after the delivery"):
        _go(track, bundled, Milestone(node="kars", at=datetime(2025, 3, 29)))


@pytest.mark.parametrize(
    ("milestones", "reason"),
    [
        ([("aktau", "2026-02-01T00:00", ARR)], "in the future"),
        ([("dostyk", "2025-01-05T00:00", ARR)], "before the departure"),
        ([("aktau", "2025-01-14T00:00", ARR), ("alat", "2025-01-13T00:00", ARR)], "earlier than"),
        (
            [("aktau", "2025-01-14T00:00", ARR), ("dostyk", "2025-01-15T00:00", ARR)],
            "already passed",
        ),
        ([("aktau", "2025-01-14T00:00", DEP), ("aktau", "2025-01-15T00:00", DEP)], "repeats"),
        (
            [("aktau", "2025-01-14T00:00", DEP), ("aktau", "2025-01-15T00:00", ARR)],
            "already passed",
        ),
        ([("istanbul", "2025-01-24T00:00", DEP)], "report the arrival"),
    ],
)
def test_bad_milestones_are_refused_with_a_reason(
    bundled: Network, milestones: list[tuple[str, str, MilestoneKind]], reason: str
) -> None:
    track = plan_track(_middle(bundled, 1), date(2025, 1, 6))
    with pytest.raises(MilestoneError, match=reason) as err:
        _go(
            track,
            bundled,
            *(Milestone(node=n, at=datetime.fromisoformat(t), kind=k) for n, t, k in milestones),
        )
    assert "\n" not in str(err.value)


def test_off_route_milestone_replans_from_that_node(bundled: Network) -> None:
    route = _middle(bundled, 1)
    assert "moscow" not in route.nodes
    track = _go(
        plan_track(route, date(2025, 1, 6)),
        bundled,
        Milestone(node="dostyk", at=datetime(2025, 1, 9)),
        Milestone(node="moscow", at=datetime(2025, 1, 16)),
    )
    assert track.replanned_at == ("moscow",)
    assert track.route.origin == "moscow"
    assert track.route.destination == "istanbul"
    path = track.path
    assert path[0] == "xian"
    assert path[track.reached - 1] == "moscow"
    assert "dostyk" in path[: track.reached]
    # the path is continuous: every consecutive pair is a link of the network
    links = {(lk.from_id, lk.to_id) for lk in bundled.links} | {
        (lk.to_id, lk.from_id) for lk in bundled.links
    }
    assert all((a, b) in links for a, b in itertools.pairwise(path))
    assert len(set(path)) == len(path)
    f = forecast(track, samples=2000, seed=1)
    assert f.stage.eta_p10 > datetime(2025, 1, 16)
    # no train formation at the place where the container was seen in transit
    assert f.legs[0][0].operation is None or f.legs[0][0].operation.value != "terminal"


def test_departure_from_a_port_off_the_route_sails(bundled: Network) -> None:
    route = plan_shipment(bundled, "xian", "istanbul", depart=date(2025, 1, 6), corridor="northern")
    assert "aktau" not in route.nodes
    track = _go(
        plan_track(route, date(2025, 1, 6)),
        bundled,
        Milestone(node="aktau", at=datetime(2025, 1, 14, 8), kind=DEP),
    )
    first = track.route.legs[track.pos]
    assert first.mode in (LegMode.FERRY, LegMode.SEA)
    assert track.route.corridor is Corridor.MIDDLE


def test_plan_fits_the_milestones_seen(bundled: Network) -> None:
    fastest = plan_shipment(bundled, "xian", "istanbul", depart=date(2025, 1, 6))
    # another option's place the fastest route does not pass (read from the options shown)
    rows = routes_by_corridor(bundled, "xian", "istanbul", constraints=Constraints(month=1))
    other = next(r for r in rows if r.corridor is not fastest.corridor)
    place = next(n for n in other.nodes[1:-1] if n not in fastest.nodes)
    seen = [parse_milestone(bundled, f"{place}@2025-01-14T08:00:arr")]
    route = plan_shipment(bundled, "xian", "istanbul", depart=date(2025, 1, 6), seen=seen)
    assert place in route.nodes  # the plan is a route that passes the place seen...
    assert route.corridor is other.corridor  # ...the option shown for that corridor


@pytest.mark.parametrize(
    "text",
    ["aktau", "aktau@", "aktau@2025-13-01", "aktau@2025-01-14T08:00:sail", "@2025-01-14"],
)
def test_milestone_text_errors(bundled: Network, text: str) -> None:
    with pytest.raises(ValueError, match="milestone") as err:
        parse_milestone(bundled, text)
    assert "\n" not in str(err.value)


def test_milestone_text_unknown_place(bundled: Network) -> None:
    with pytest.raises(NodeNotFoundError, match="Aktau"):
        parse_milestone(bundled, "atkau@2025-01-14")


def test_milestone_text_forms(bundled: Network) -> None:
    assert parse_milestone(bundled, "KZAAU@2025-01-14").to_dict() == {
        "node": "aktau",
        "event": "arr",
        "at": "2025-01-14T00:00",
    }
    m = parse_milestone(bundled, "Aktau@2025-01-14T12:00+04:00:dep")
    assert (m.at, m.kind) == (datetime(2025, 1, 14, 8, 0), DEP)


def test_silence_conditions_the_band_on_no_arrival_by_now(bundled: Network) -> None:
    """Forecast at a later moment, the ETA is that of the journeys still under way then: by
    the definition of a conditional distribution, over the same draws as the forecast at the
    last milestone."""
    route = _middle(bundled, 1)
    track = plan_track(route, date(2025, 1, 6))
    start = track.clock
    hours = sample_route(route, 5000, seed=5, depart=start).total_hours
    elapsed = float(np.percentile(hours, 40))  # 40 % of the boxes would be there by now
    now = start + timedelta(hours=elapsed)
    got = forecast(track, samples=5000, seed=5, now=now)
    left = hours[hours > elapsed] - elapsed
    assert len(left) == pytest.approx(3000, abs=2)
    # the same number up to the microsecond rounding of a timedelta built from float hours
    expected = now + timedelta(hours=float(np.percentile(left, 50)))
    assert abs(got.stage.eta_p50 - expected) <= timedelta(microseconds=2)
    assert got.stage.remaining_days[1] == pytest.approx(float(np.percentile(left, 50)) / 24)
    assert got.stage.eta_p10 > now
    assert got.stage.as_of == now
    assert not got.stage.overdue
    assert got.stage.expected_by == start + timedelta(hours=float(np.percentile(hours, 90)))
    # the time left by mode adds up to the mean time left
    assert sum(d for _, d in got.where) == pytest.approx(float(left.mean()) / 24, rel=1e-9)


def test_the_band_moves_with_the_clock_and_past_p90_is_overdue(bundled: Network) -> None:
    route = _middle(bundled, 1)
    track = plan_track(route, date(2025, 1, 6))
    at_start = forecast(track, samples=4000, seed=2)
    p90 = at_start.stage.eta_p90
    previous = None
    for days in (5, 15, p90_days := (p90 - track.clock).days, p90_days + 1, p90_days + 40):
        now = track.clock + timedelta(days=days)
        stage = forecast(track, samples=4000, seed=2, now=now).stage
        assert stage.eta_p10 >= now  # never in the past
        assert stage.overdue is (now > p90)
        if previous is not None:
            # later silence, later ETA (no box arrives within 15 days: nothing to learn then)
            assert stage.eta_p50 > previous.eta_p50 or days == 15
            assert stage.eta_p50 >= previous.eta_p50
        previous = stage
    # 40 days past P90 no modelled journey is that late: the tail is extrapolated, flagged
    assert previous is not None and previous.beyond_model


def test_a_delivered_box_ignores_the_clock(bundled: Network) -> None:
    route = _middle(bundled, 1)
    end = Milestone(node="istanbul", at=datetime(2025, 1, 28, 10))
    track = _go(plan_track(route, date(2025, 1, 6)), bundled, end)
    stage = forecast(track, samples=100, now=datetime(2025, 6, 1)).stage
    assert stage.eta_p50 == end.at
    assert not stage.overdue
