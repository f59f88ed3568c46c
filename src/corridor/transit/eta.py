"""A conditioned ETA: where is the container, and when will it arrive?

A shipment is planned like any journey (a :class:`~corridor.model.Route` from the origin
departing on a date). Milestones observed on the way (arrival at, or departure from, a node at a
date-time) move the container along the route; the forecast then samples only the legs that
remain, starting at the last milestone's node *and clock*: the weekday and hour of the next
sailing and the month of the Caspian weather are those of that moment. Legs already travelled
play no part: the time they took is known.

- An **arrival** at node ``k`` leaves every operation at ``k`` (border, gauge change, port
  handling) and everything after it to do.
- A **departure** from ``k`` means the train or vessel has left: the wait for the sailing and the
  weather hold in port are over, only the running or crossing time of the leg remains.
- A milestone at a node the route does not visit re-plans from that node (the container took
  another path); a milestone at a node the container has already passed, or earlier than the
  previous one, or in the future, is an error.
- An arrival at the destination ends the journey: the ETA is that time, with no spread.
- **Silence is information.** Forecast at a moment ``now`` later than the last milestone (or
  the departure), the band is conditioned on the container *not having arrived by now*: only
  the sampled journeys still under way at ``now`` count, and the ETA is ``now`` plus what they
  have left. The band moves forward with the clock. A container past the P90 of the forecast
  made at its last milestone is *overdue*. When fewer than 1 % of the journeys (at least 20)
  are still under way, the model has no journey that late: the forecast then takes the latest
  1 % of journeys as they stood at their own start of that tail (a flat extrapolation of the
  tail, marked ``beyond_model``).

The pure functions here (:func:`plan_track`, :func:`advance`, :func:`remaining_route`,
:func:`forecast`) are what the CLI and the service call; the service replays a shipment's stored
milestones through them.

Times are naive date-times in UTC; an offset-aware time is converted to UTC first.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Any

import numpy as np

from corridor.errors import CorridorError, ModelError, NoRouteError
from corridor.model import Corridor, Leg, NodeKind, OperationKind, Route, ServiceClass
from corridor.network import Network
from corridor.routing import Constraints, choose_options
from corridor.transit.engine import sample_route
from corridor.transit.sizes import DEFAULT_ETA_SAMPLES

__all__ = [
    "EtaForecast",
    "EtaStage",
    "Milestone",
    "MilestoneError",
    "MilestoneKind",
    "Planner",
    "ShipmentStatus",
    "Track",
    "advance",
    "as_utc",
    "fits",
    "forecast",
    "plan_track",
    "remaining_route",
    "replanner",
    "track_eta",
]


class MilestoneKind(StrEnum):
    """What was seen at a node: the container arrived there, or left it."""

    ARRIVAL = "arr"
    DEPARTURE = "dep"


class ShipmentStatus(StrEnum):
    """Where a tracked shipment stands: on its way, or delivered at its destination."""

    IN_TRANSIT = "in_transit"
    DELIVERED = "delivered"


class MilestoneError(ModelError):
    """A milestone that cannot be applied: out of order, in the future, behind the container."""


def as_utc(when: datetime) -> datetime:
    """A naive UTC date-time (offset-aware values are converted, naive ones taken as UTC).

    Examples
    --------
    >>> from datetime import timezone
    >>> as_utc(datetime(2025, 1, 14, 12, 0, tzinfo=timezone(timedelta(hours=4))))
    datetime.datetime(2025, 1, 14, 8, 0)
    """
    if when.tzinfo is None:
        return when
    return when.astimezone(UTC).replace(tzinfo=None)


@dataclass(frozen=True, slots=True, kw_only=True)
class Milestone:
    """An observed arrival at or departure from a node.

    Parameters
    ----------
    node
        Node id (resolve names with ``net.node(name).id`` first).
    at
        When, UTC (naive, or offset-aware and then converted).
    kind
        Arrival or departure.
    """

    node: str
    at: datetime
    kind: MilestoneKind = MilestoneKind.ARRIVAL

    def __post_init__(self) -> None:
        object.__setattr__(self, "at", as_utc(self.at))
        object.__setattr__(self, "kind", MilestoneKind(self.kind))

    def to_dict(self) -> dict[str, Any]:
        """``{"node", "event", "at"}``."""
        return {"node": self.node, "event": self.kind.value, "at": _iso(self.at)}


@dataclass(frozen=True, slots=True, kw_only=True)
class Track:
    """Where a container is on its (possibly re-planned) route.

    Attributes
    ----------
    route
        The route the container is on now (after a re-plan, the route from the re-plan node).
    pos
        Index of the first leg still to travel in ``route.legs``.
    underway
        True when the leg at ``pos`` has begun (a departure was seen): no wait for the sailing.
    travelled
        Nodes passed before ``route`` begins (empty unless re-planned); the full path is
        ``travelled + route.nodes``.
    last
        The last milestone applied (``None``: the container has not been seen yet).
    depart
        The planned departure (the clock of the first forecast starts at its 00:00).
    replanned_at
        Nodes at which the route was re-planned, in order.
    """

    route: Route
    pos: int = 0
    underway: bool = False
    travelled: tuple[str, ...] = ()
    last: Milestone | None = None
    depart: datetime
    replanned_at: tuple[str, ...] = ()

    def __repr__(self) -> str:
        if self.delivered:
            where = "delivered"
        elif self.last is not None:
            verb = "left" if self.last.kind is MilestoneKind.DEPARTURE else "at"
            where = f"{verb} {self.last.node} {_iso(self.last.at)}"
        else:
            where = f"departing {_iso(self.depart)}"
        return (
            f"<Track {self.route.corridor.value} {self.route.origin} → "
            f"{self.route.destination}: {where}, leg {self.pos}/{len(self.route.legs)}>"
        )

    @property
    def delivered(self) -> bool:
        """True once the container has arrived at the destination."""
        return (
            self.last is not None
            and self.last.kind is MilestoneKind.ARRIVAL
            and self.last.node == self.route.destination
            and self.pos == len(self.route.legs)
        )

    @property
    def node_index(self) -> int:
        """Index in ``route.nodes`` of the node the container was last seen at (0 if not seen)."""
        return sum(1 for leg in self.route.legs[: self.pos] if not leg.is_operation)

    @property
    def path(self) -> tuple[str, ...]:
        """Every node of the journey: travelled before a re-plan, then the current route."""
        return self.travelled + self.route.nodes

    @property
    def reached(self) -> int:
        """How many nodes of :attr:`path` the container has reached (the origin at least)."""
        return len(self.travelled) + self.node_index + 1

    @property
    def clock(self) -> datetime:
        """When the remaining legs start: the last milestone, or the departure at 00:00."""
        return self.last.at if self.last is not None else self.depart


Planner = Callable[[str, str, Milestone | None], Route]
"""Plans a route between two node ids; the milestone (if any) says how the box left the first."""


def _iso(when: datetime) -> str:
    return when.isoformat(timespec="minutes")


def plan_track(route: Route, depart: date | datetime) -> Track:
    """The track of a container about to leave on ``route`` on ``depart`` (00:00 for a date)."""
    start = (
        as_utc(depart)
        if isinstance(depart, datetime)
        else datetime(depart.year, depart.month, depart.day)
    )
    return Track(route=route, depart=start)


def remaining_route(track: Track) -> Route:
    """The legs still to travel, as a route starting at the container's node.

    When the container is ``underway`` on the first of them (it was seen leaving), that leg no
    longer waits for its sailing.
    """
    route = track.route
    legs = list(route.legs[track.pos :])
    if track.underway and legs and legs[0].boarding:
        legs[0] = replace(legs[0], boarding=False)
    return Route(
        nodes=route.nodes[track.node_index :],
        legs=tuple(legs),
        corridor=route.corridor,
        year=route.year,
        month=track.clock.month,
    )


def _locate(route: Route, start: int, m: Milestone) -> tuple[int, bool] | None:
    """The new ``(pos, underway)`` on ``route`` for milestone ``m``, searching from leg ``start``.

    ``None`` when the route does not visit the node from ``start`` on.
    """
    legs = route.legs
    if m.kind is MilestoneKind.ARRIVAL:
        if start == 0 and route.origin == m.node:
            return 0, False
        for j in range(start, len(legs)):
            if not legs[j].is_operation and legs[j].to_id == m.node:
                # at the destination the journey ends on arrival: nothing remains
                last_link = all(leg.is_operation for leg in legs[j + 1 :])
                return (len(legs) if last_link else j + 1), False
        return None
    for j in range(start, len(legs)):
        if not legs[j].is_operation and legs[j].from_id == m.node:
            return j, True
    return None


def fits(
    route: Route, milestones: Sequence[Milestone], ports: frozenset[str] = frozenset()
) -> bool:
    """True when ``route`` passes every milestone's node in order, each in its way.

    A departure from one of ``ports`` must leave it on a vessel (a port's departure event is
    the sailing).
    """
    pos = 0
    for m in milestones:
        found = _locate(route, pos, m)
        if found is None:
            return False
        pos = found[0]
        sailed = m.kind is MilestoneKind.DEPARTURE and m.node in ports
        if sailed and not _sails(route.legs[pos]):
            return False
    return True


def _describe(m: Milestone, names: Callable[[str], str]) -> str:
    verb = "arrival at" if m.kind is MilestoneKind.ARRIVAL else "departure from"
    return f"{verb} {names(m.node)} at {_iso(m.at)}"


def advance(
    track: Track,
    m: Milestone,
    *,
    planner: Planner,
    now: datetime | None = None,
    names: Callable[[str], str] = str,
) -> Track:
    """Move the container to milestone ``m``.

    Parameters
    ----------
    track
        Where the container is.
    m
        The milestone seen.
    planner
        Plans routes between nodes (used when ``m`` is off the route: from its node on, and
        the way the container most likely came there).
    now
        The present (UTC, default: the clock of this machine); later milestones are refused.
    names
        Node id to display name, for messages.

    Raises
    ------
    MilestoneError
        If ``m`` is in the future, earlier than the previous milestone or the departure day, at
        a node the container has already passed, a repeat of the previous milestone, a departure
        from the destination, or after the delivery.
    NoRouteError
        If ``m`` is off the route and no route leads from its node to the destination.
    """
    what = _describe(m, names)
    present = as_utc(now) if now is not None else datetime.now(UTC).replace(tzinfo=None)
    if m.at > present:
        raise MilestoneError(f"{what} is in the future (now is {_iso(present)} UTC)")
    if m.at < track.depart:
        raise MilestoneError(f"{what} is before the departure on {track.depart.date()}")
    if track.delivered:
        raise MilestoneError(f"{what} comes after the delivery at {names(track.route.destination)}")
    last = track.last
    if last is not None:
        if last.node == m.node and last.kind is m.kind:
            raise MilestoneError(f"{what} repeats the previous milestone ({_iso(last.at)})")
        if m.at < last.at:
            raise MilestoneError(f"{what} is earlier than the previous {_describe(last, names)}")
    if m.kind is MilestoneKind.DEPARTURE and m.node == track.route.destination:
        raise MilestoneError(
            f"{what}: the destination ends the journey; report the arrival there instead"
        )
    found = _locate(track.route, track.pos, m)
    if found is not None:
        pos, underway = found
        return replace(track, pos=pos, underway=underway, last=m)
    if m.node in track.path[: track.reached]:
        raise MilestoneError(
            f"{what} is out of order: the container has already passed {names(m.node)}"
        )
    # Off the route: the container took another path; plan again from where it was seen, and
    # take the way it most likely came from where it was before.
    route = planner(m.node, track.route.destination, m)
    here = track.path[track.reached - 1]
    try:
        came = planner(here, m.node, None).nodes[1:-1]
    except CorridorError:
        came = ()
    passed = track.path[: track.reached] + came
    if m.kind is MilestoneKind.ARRIVAL:
        # the container is in transit there: no train formation as at an origin
        first = _first_link(route)
        legs = tuple(
            leg
            for i, leg in enumerate(route.legs)
            if i >= first or leg.operation is not OperationKind.TERMINAL
        )
        route = replace(route, legs=legs)
    pos, underway = _locate(route, 0, m) or (0, False)
    return Track(
        route=route,
        pos=pos,
        underway=underway,
        travelled=passed,
        last=m,
        depart=track.depart,
        replanned_at=(*track.replanned_at, m.node),
    )


def _sails(leg: Leg) -> bool:
    """Whether a leg is a voyage of a vessel service (a port's departure event is a sailing)."""
    return leg.service is not None and leg.service.mode.is_water


def _first_link(route: Route) -> int:
    for i, leg in enumerate(route.legs):
        if not leg.is_operation:
            return i
    return len(route.legs)


def replanner(
    net: Network,
    *,
    year: int | None = None,
    corridor: Corridor | None = None,
    service: str | None = None,
) -> Planner:
    """The :data:`Planner` used to re-plan from an off-route node.

    Among the best route of each corridor from the node (and the best route overall), it takes:
    for a departure from a port, the routes that leave the port by water (the container sailed);
    then the routes of ``corridor`` (the shipment's corridor) if any; then the fastest.
    ``service`` is the service class the routes are planned for.
    """
    cls = ServiceClass.parse(service or ServiceClass.STANDARD)

    def plan(node: str, to: str, m: Milestone | None) -> Route:
        if m is None:  # the way between two places the container was seen at
            return choose_options(
                net, node, to, constraints=Constraints(year=year, service=cls)
            ).best
        month = m.at.month
        cons = Constraints(year=year, month=month, service=cls)
        candidates: list[Route] = []
        best: Route | None = None
        with contextlib.suppress(NoRouteError):
            choice = choose_options(net, node, to, constraints=cons)
            candidates.extend(choice.routes)
            best = choice.best
        if best is not None and all(r.nodes != best.nodes for r in candidates):
            candidates.append(best)
        if not candidates:
            raise NoRouteError(f"no route from {net.nodes[node].name} to {net.nodes[to].name}")
        sailed = (
            m is not None
            and m.kind is MilestoneKind.DEPARTURE
            and net.nodes[node].kind is NodeKind.PORT
        )
        if sailed:
            by_water = [r for r in candidates if r.link_legs and _sails(r.link_legs[0])]
            if not by_water:
                # the best routes leave by land (Aktau by rail to the Kuryk ferry); the container
                # sailed, so plan again without the port's land links
                land = frozenset(lk.to_id for lk in net.outgoing[node] if not lk.mode.is_water) - {
                    to
                }
                by_land_closed = Constraints(year=year, month=month, service=cls, avoid_nodes=land)
                with contextlib.suppress(NoRouteError):
                    shown = choose_options(net, node, to, constraints=by_land_closed)
                    by_water.extend(shown.routes)
            candidates = by_water or candidates
        if corridor is not None:
            same = [r for r in candidates if r.corridor is corridor]
            candidates = same or candidates
        return min(candidates, key=lambda r: (r.hours, r.corridor.value))

    return plan


@dataclass(frozen=True, slots=True, kw_only=True)
class EtaStage:
    """One forecast: the ETA band as seen after a milestone (or at departure).

    A forecast conditioned on a later moment (:func:`forecast` with ``now``) has ``as_of`` set:
    the band and ``remaining_days`` are then those of the journeys not yet arrived at ``as_of``
    (remaining days counted from ``as_of``); ``expected_by`` is the P90 as forecast at the last
    milestone and ``overdue`` says ``as_of`` is past it.
    """

    after: Milestone | None
    eta_p10: datetime
    eta_p50: datetime
    eta_p90: datetime
    remaining_days: tuple[float, float, float, float]
    on_time_probability: float | None = None
    as_of: datetime | None = None
    overdue: bool = False
    beyond_model: bool = False
    expected_by: datetime | None = None

    @property
    def band_days(self) -> float:
        """Width of the P10–P90 band, days."""
        return (self.eta_p90 - self.eta_p10).total_seconds() / 86_400.0

    def to_dict(self) -> dict[str, Any]:
        """The stage as in the ``corridor eta --json`` document."""
        p10, p50, p90, mean = self.remaining_days
        out: dict[str, Any] = {
            "after": self.after.to_dict() if self.after is not None else None,
            "eta": {
                "p10": _iso(self.eta_p10),
                "p50": _iso(self.eta_p50),
                "p90": _iso(self.eta_p90),
            },
            "remaining_days": {
                "p10": round(p10, 2),
                "p50": round(p50, 2),
                "p90": round(p90, 2),
                "mean": round(mean, 2),
            },
            "band_days": round(self.band_days, 2),
        }
        if self.on_time_probability is not None:
            out["on_time_probability"] = round(self.on_time_probability, 4)
        if self.as_of is not None:
            out["as_of"] = _iso(self.as_of)
            out["overdue"] = self.overdue
            if self.expected_by is not None:
                out["expected_by"] = _iso(self.expected_by)
            if self.beyond_model:
                out["beyond_model"] = True
        return out


@dataclass(frozen=True, slots=True, kw_only=True)
class EtaForecast:
    """The forecast from a track: ETA band, remaining days, where they go, the next milestone.

    Attributes
    ----------
    stage
        The ETA band.
    track
        Where the container is.
    arrival_hours
        ``(n,)`` sampled hours from the track's clock to the arrival (empty when delivered).
    where
        Mean remaining days by mode (``rail``, ``ferry``, ``border``...), largest first.
    legs
        The remaining legs with their mean hours.
    next_milestone
        The next node where the container stops (its arrival), or the departure from the
        current node, with the P50 of when it happens; ``None`` when delivered.
    """

    stage: EtaStage
    track: Track
    arrival_hours: np.ndarray[Any, np.dtype[np.float64]]
    where: tuple[tuple[str, float], ...]
    legs: tuple[tuple[Leg, float], ...]
    next_milestone: tuple[str, MilestoneKind, datetime] | None

    def __repr__(self) -> str:
        st = self.stage
        flag = ", overdue" if st.overdue else ""
        return (
            f"<EtaForecast P50 {_iso(st.eta_p50)} (P10–P90 {_iso(st.eta_p10)} – "
            f"{_iso(st.eta_p90)}), {len(self.arrival_hours):,} samples{flag}>"
        )


def _stage_from_hours(
    after: Milestone | None,
    clock: datetime,
    hours: np.ndarray[Any, np.dtype[np.float64]],
    deadline: datetime | None,
) -> EtaStage:
    p10, p50, p90 = (float(x) for x in np.percentile(hours, [10, 50, 90]))
    on_time = None
    if deadline is not None:
        on_time = float(np.mean(hours <= (deadline - clock).total_seconds() / 3600.0))
    return EtaStage(
        after=after,
        eta_p10=clock + timedelta(hours=p10),
        eta_p50=clock + timedelta(hours=p50),
        eta_p90=clock + timedelta(hours=p90),
        remaining_days=(p10 / 24.0, p50 / 24.0, p90 / 24.0, float(hours.mean()) / 24.0),
        on_time_probability=on_time,
    )


MIN_TAIL_SHARE = 0.01
"""Below this share of journeys still under way (and at least 20), the tail is extrapolated."""


def _still_under_way(
    hours: np.ndarray[Any, np.dtype[np.float64]], elapsed: float
) -> tuple[np.ndarray[Any, np.dtype[np.intp]], float, bool]:
    """Indices of the journeys not arrived after ``elapsed`` hours, the threshold, and whether
    the tail had to be extrapolated (too few journeys that late: the latest ones instead)."""
    n = len(hours)
    alive = np.flatnonzero(hours > elapsed)
    need = min(n, max(20, int(np.ceil(MIN_TAIL_SHARE * n))))
    if len(alive) >= need:
        return alive, elapsed, False
    order = np.argsort(hours, kind="stable")
    tail = order[n - need :]
    return tail, float(hours[tail[0]]), True


def forecast(
    track: Track,
    *,
    samples: int = DEFAULT_ETA_SAMPLES,
    seed: int = 1,
    deadline: datetime | None = None,
    now: datetime | None = None,
) -> EtaForecast:
    """Sample the remaining legs of ``track`` from its clock: the ETA band and its detail.

    Without ``now`` (or with ``now`` not after the clock) the result is exactly that of
    ``sample_route(remaining_route(track), samples, seed=seed, depart=track.clock)`` shifted by
    the clock: same seed, same numbers.

    Parameters
    ----------
    track
        Where the container is.
    samples
        Journeys drawn (>= 1).
    seed
        Seed of the draws.
    deadline
        When the container is due (UTC); the forecast reports P(arrival <= deadline).
    now
        The present (UTC). When later than the clock and the container is not delivered, the
        forecast is conditioned on no arrival by ``now`` (see the module notes) and says
        whether the container is overdue.

    Raises
    ------
    ModelError
        If ``samples`` < 1.

    Examples
    --------
    A box that left Xi'an ten weeks ago and was never seen again is not arriving in the past:

    >>> from corridor import load_network
    >>> from corridor.routing import best_route
    >>> net = load_network()
    >>> route = best_route(net, "xian", "istanbul")
    >>> now = datetime(2025, 3, 17)
    >>> f = forecast(plan_track(route, date(2025, 1, 6)), samples=2000, now=now)
    >>> f.stage.eta_p10 > now, f.stage.overdue
    (True, True)
    """
    clock = track.clock
    due = as_utc(deadline) if deadline is not None else None
    if track.delivered:
        stage = _stage_from_hours(track.last, clock, np.zeros(1), due)
        return EtaForecast(
            stage=stage,
            track=track,
            arrival_hours=np.zeros(0),
            where=(),
            legs=(),
            next_milestone=None,
        )
    rest = remaining_route(track)
    sampled = sample_route(rest, samples, seed=seed, depart=clock)
    hours = sampled.total_hours
    leg_hours = sampled.leg_hours
    stage = _stage_from_hours(track.last, clock, hours, due)
    at = as_utc(now) if now is not None else None
    if at is not None and at > clock:
        elapsed = (at - clock).total_seconds() / 3600.0
        alive, start, beyond = _still_under_way(hours, elapsed)
        left = hours[alive] - start
        leg_hours = _left_per_leg(leg_hours[:, alive], start)
        hours = left
        then = _stage_from_hours(track.last, at, left, due)
        stage = replace(
            then,
            as_of=at,
            overdue=at > stage.eta_p90,
            beyond_model=beyond,
            expected_by=stage.eta_p90,
        )
        clock = at
    where: dict[str, float] = {}
    means = leg_hours.mean(axis=1)
    for leg, mean in zip(rest.legs, means, strict=True):
        where[leg.mode.value] = where.get(leg.mode.value, 0.0) + float(mean) / 24.0
    ordered = tuple(sorted(where.items(), key=lambda kv: (-kv[1], kv[0])))
    return EtaForecast(
        stage=stage,
        track=track,
        arrival_hours=hours,
        where=ordered,
        legs=tuple((leg, float(m)) for leg, m in zip(rest.legs, means, strict=True)),
        next_milestone=_next_milestone(rest, leg_hours, clock, skip_passed=clock != track.clock),
    )


def _left_per_leg(
    leg_hours: np.ndarray[Any, np.dtype[np.float64]], start: float
) -> np.ndarray[Any, np.dtype[np.float64]]:
    """The hours of each leg still ahead ``start`` hours into each journey (legs x samples).

    A leg finished by then has 0 left, the leg in progress what remains of it; the rows sum
    to each journey's remaining time.
    """
    ends = np.cumsum(leg_hours, axis=0)
    begins = ends - leg_hours
    left: np.ndarray[Any, np.dtype[np.float64]] = np.clip(
        ends - np.maximum(begins, start), 0.0, None
    )
    return left


def _next_milestone(
    rest: Route,
    leg_hours: np.ndarray[Any, np.dtype[np.float64]],
    clock: datetime,
    *,
    skip_passed: bool = False,
) -> tuple[str, MilestoneKind, datetime] | None:
    """The next event to expect, with its median time.

    At a node (operations ahead): leaving it. On the move: arriving at the next stop, the next
    node with an operation (border, port, gauge change, terminal) or the destination. With
    ``skip_passed`` (hours left counted from a later moment), events most journeys have already
    passed unreported are skipped: the next one is the first still ahead in most of them.
    """
    legs = rest.legs
    if not legs:
        return None
    events: list[tuple[str, MilestoneKind, int]] = []
    first = _first_link(rest)
    if first > 0 and first < len(legs):
        events.append((legs[first].from_id, MilestoneKind.DEPARTURE, first - 1))
    for k in range(first, len(legs)):
        if legs[k].is_operation:
            continue
        if k + 1 == len(legs) or legs[k + 1].is_operation:
            events.append((legs[k].to_id, MilestoneKind.ARRIVAL, k))
    for i, (node, kind, k) in enumerate(events):
        median = float(np.median(leg_hours[: k + 1].sum(axis=0)))
        if skip_passed and median <= 0.0 and i + 1 < len(events):
            continue
        return node, kind, clock + timedelta(hours=median)
    return None


def track_eta(
    route: Route,
    depart: date | datetime,
    milestones: Sequence[Milestone],
    *,
    planner: Planner,
    samples: int = DEFAULT_ETA_SAMPLES,
    seed: int = 1,
    deadline: datetime | None = None,
    now: datetime | None = None,
    names: Callable[[str], str] = str,
    at_now: bool = False,
) -> tuple[EtaForecast, tuple[EtaStage, ...]]:
    """Apply ``milestones`` in order and forecast after each.

    Returns the forecast after the last milestone and the stages (the forecast at departure,
    then one after each milestone, each as made at its moment), each sampled with the same
    ``seed``. With ``at_now`` the returned forecast is conditioned on ``now`` (no arrival
    since the last milestone), see :func:`forecast`.

    Raises
    ------
    MilestoneError, NoRouteError
        As :func:`advance`.
    """
    track = plan_track(route, depart)
    result = forecast(track, samples=samples, seed=seed, deadline=deadline)
    stages = [result.stage]
    for m in milestones:
        track = advance(track, m, planner=planner, now=now, names=names)
        result = forecast(track, samples=samples, seed=seed, deadline=deadline)
        stages.append(result.stage)
    if at_now and now is not None:
        result = forecast(track, samples=samples, seed=seed, deadline=deadline, now=now)
    return result, tuple(stages)
