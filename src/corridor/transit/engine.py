"""Vectorised Monte-Carlo sampling of door-to-door transit time.

For a :class:`~corridor.model.Route`, :func:`sample_route` draws ``n`` journeys at once, leg by leg,
each leg a vector of ``n`` hours:

- a running leg (rail, road, or a vessel leg without a service) takes ``distance_km / V`` with
  ``V`` the log-normal commercial speed of the link's profile;
- a node operation (border clearance, gauge change, port handling, terminal/formation) takes its
  shifted log-normal dwell; the operations at one node overlap, so the node takes the longest of
  them (its time is credited to that operation, the others get 0 in that journey);
- a vessel leg with a service takes the crossing time; on boarding (the first leg of a voyage)
  it adds the wait for the next sailing by the departure rule (a weekly timetable, every ``N``
  hours, or "when full, at the latest after ``H`` hours") and a weather hold with the
  probability of the calendar month in which the container reaches the port (exponential
  duration).

Legs are walked in order while each journey keeps its own clock, so the timetable wait and the
weather month depend on when that journey actually reaches the port. Random numbers come from one
``numpy.random.Generator``: the same seed gives the same arrays.

The legs of one journey are not independent (``dependence=True``, the default): every leg's
standard normal carries the journey's common shock with correlation
:data:`~corridor.model.timing.SHARED_SHOCK_CORRELATION` (a congested week lengthens the dwells
and slows the trains of that journey together), and the running legs of one railway share one
speed draw (:func:`~corridor.model.timing.railway_key`). Each leg's own distribution, and so
every mean, is the same with or without the dependence; only the spread of the sum changes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np
import numpy.typing as npt

from corridor.errors import ModelError
from corridor.model import DepartureRuleKind, Event, Leg, LogNormalSpeed, Route, Service
from corridor.model.timing import (
    SHARED_SHOCK_CORRELATION,
    SHOCK_MEMORY_H,
    DurationCode,
    DurationKind,
    departure_slots,
    draw_duration,
    dwell_code,
    month_edges,
    next_slot_wait,
    node_groups,
    overlap_node,
    planned_starts,
    railway_key,
    running_code,
    weather_tables,
)

__all__ = [
    "Closures",
    "RouteSamples",
    "closure_windows",
    "leg_minimum_hours",
    "route_minimum_hours",
    "sample_route",
]

HOLDING_KINDS = frozenset({"storm", "suspension"})
"""Kinds of dated event that stop departures from their places until they end."""


def closure_windows(
    events: Iterable[Event], depart: date
) -> dict[str, list[tuple[float, float, bool]]]:
    """Closure windows per node (hours from ``depart`` at 00:00) of the dated events that stop
    departures: storms closing ports (sailings only) and halted borders with an end date (to its
    end of day).

    An event with no end date, or one that affects whole countries only, gives no window: how
    long it holds a container is unknown (it stays a warning).

    Examples
    --------
    >>> from corridor.model import Event
    >>> e = Event(id="s", kind="storm", title="storm", date_from=date(2025, 2, 5),
    ...           date_to=date(2025, 2, 10), nodes=("alat",))
    >>> closure_windows([e], date(2025, 2, 1))
    {'alat': [(96.0, 240.0, True)]}
    """
    out: dict[str, list[tuple[float, float, bool]]] = {}
    for e in events:
        if e.kind not in HOLDING_KINDS or e.date_to is None:
            continue
        start_h = (e.date_from - depart).days * 24.0
        end_h = (e.date_to + timedelta(days=1) - depart).days * 24.0
        if end_h <= 0:
            continue
        for node in e.nodes:
            out.setdefault(node, []).append((start_h, end_h, e.kind == "storm"))
    return out


FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True, kw_only=True)
class RouteSamples:
    """Sampled journeys of one route.

    Attributes
    ----------
    route
        The route sampled.
    leg_hours
        ``(n_legs, n)`` array: hours spent in each leg by each journey.
    total_hours
        ``(n,)`` array: door-to-door hours of each journey.
    """

    route: Route
    leg_hours: FloatArray
    total_hours: FloatArray

    @property
    def total_days(self) -> FloatArray:
        """Door-to-door days of each journey."""
        return self.total_hours / 24.0


def leg_minimum_hours(leg: Leg) -> float:
    """The smallest time the leg can take, hours (0 for unbounded-below draws)."""
    if leg.dwell is not None:
        return leg.dwell.min_h
    if leg.service is not None and leg.service.crossing is not None:
        return leg.service.crossing.min_h
    return 0.0


def route_minimum_hours(route: Route) -> float:
    """The smallest door-to-door time of the route, hours.

    The sum of the legs' minima, where the operations at one node count with the largest of
    their minima (they overlap).
    """
    legs = route.legs
    groups = node_groups(legs)
    in_node = {i for group in groups for i in group}
    running = sum(leg_minimum_hours(leg) for i, leg in enumerate(legs) if i not in in_node)
    nodes = sum(max(leg_minimum_hours(legs[i]) for i in group) for group in groups)
    return running + nodes


def _leg_code(leg: Leg) -> DurationCode:
    """The duration of a leg's own time: dwell, crossing or running (no waits)."""
    if leg.dwell is not None:
        return dwell_code(leg.dwell)
    if leg.service is not None and leg.service.crossing is not None:
        return dwell_code(leg.service.crossing)
    if leg.speed is not None:
        return running_code(leg.distance_km, leg.speed)
    raise ModelError(f"leg {leg.from_id} -> {leg.to_id} carries no time distribution")


def _boarding_wait(
    service: Service,
    *,
    clock: FloatArray,
    rng: np.random.Generator,
    depart: date,
    months: tuple[FloatArray, IntArray],
) -> FloatArray:
    """Wait for the sailing by the departure rule, then the weather hold of the month, hours.

    A weekly timetable gives the wait to the next slot from each journey's clock. The phase of
    an interval service and the fill of a "when full" one are unknown to a single container, so
    its wait is uniform over the interval or the maximum wait.
    """
    n = clock.shape[0]
    rule = service.departure
    wait: FloatArray
    if rule.kind is DepartureRuleKind.INTERVAL:
        wait = np.asarray(rng.random(n) * float(rule.every_h or 0.0))
    elif rule.kind is DepartureRuleKind.WHEN_FULL:
        wait = np.asarray(rng.random(n) * float(rule.max_wait_h or 0.0))
    else:
        period_h, offsets_h = departure_slots(rule, depart)
        wait = next_slot_wait(period_h, offsets_h, clock)
    if not service.weather:
        return wait
    edges, month_of = months
    month = month_of[np.searchsorted(edges, clock + wait, side="right") - 1]
    prob, mean = weather_tables(service)
    held = rng.random(n) < prob[month - 1]
    hold = np.where(held, rng.exponential(1.0, n) * mean[month - 1], 0.0)
    return np.asarray(wait + hold, dtype=np.float64)


def _normal_rows(legs: tuple[Leg, ...]) -> tuple[list[int], int]:
    """The row of the journeys' own normals each leg reads, and the number of rows.

    Every leg has its own row, except the running legs of one railway, which share the row of
    the first of them (:func:`railway_key`: one speed draw per railway and journey).
    """
    rows: list[int] = []
    of_railway: dict[tuple[str, float, float], int] = {}
    count = 0
    for leg in legs:
        key = railway_key(leg)
        if key is not None and key in of_railway:
            rows.append(of_railway[key])
            continue
        if key is not None:
            of_railway[key] = count
        rows.append(count)
        count += 1
    return rows, count


def _evolve_shock(shock: FloatArray, elapsed_h: float, rng: np.random.Generator) -> FloatArray:
    """The journey's shock ``elapsed_h`` planned hours later: an AR(1) with memory
    :data:`SHOCK_MEMORY_H`.

    ``S' = k S + sqrt(1 - k^2) eta`` with ``k = exp(-elapsed / memory)``: still a standard
    normal, correlated ``k`` with the shock before (``elapsed_h`` is on the route's planned
    clock, :func:`~corridor.model.timing.planned_starts`, so ``k`` does not depend on ``S``).
    """
    keep = float(np.exp(-elapsed_h / SHOCK_MEMORY_H))
    fresh = rng.standard_normal(shock.shape[0])
    return np.asarray(keep * shock + np.sqrt(1.0 - keep * keep) * fresh, dtype=np.float64)


def _hours_per_km(
    speed: LogNormalSpeed, own: FloatArray, shock: FloatArray, weight: float
) -> FloatArray:
    """Hours per km ``1 / V`` of a railway, ``V = exp(mu + sigma z)``; a high shock is slow."""
    kind, (d0, mu, sigma) = running_code(1.0, speed)
    if kind is DurationKind.FIXED:
        return np.full(own.shape[0], d0)
    z = shock * -weight
    z += own
    z *= -sigma
    z -= mu
    return np.asarray(np.exp(z), dtype=np.float64)


Closures = Mapping[str, Sequence[tuple[float, float, bool]]]
"""Per node id, the windows (hours from the start at 00:00) in which nothing leaves it, each
with whether it stops sailings only (a storm: a train leaving the port by rail is not held)."""


def _held(
    legs: tuple[Leg, ...], last: int, arrival: FloatArray, node_h: FloatArray, closures: Closures
) -> FloatArray:
    """Extra hours a container waits at the node whose last operation is ``legs[last]`` because
    the node is closed when it gets there.

    A container that arrives inside a closure window cannot leave before the window ends: the
    node takes ``max(its own time, end - arrival)``. Nothing is held at the destination, and a
    window of sailings only holds a container whose next leg is a vessel's.
    """
    extra = np.zeros_like(arrival)
    if last + 1 >= len(legs):
        return extra
    sails = legs[last + 1].service is not None
    for start_h, end_h, sailings_only in closures.get(legs[last].from_id, ()):
        if sailings_only and not sails:
            continue
        inside = (arrival >= start_h) & (arrival < end_h)
        extra = np.maximum(extra, np.where(inside, end_h - arrival - node_h, 0.0))
    return np.asarray(np.maximum(extra, 0.0), dtype=np.float64)


def _walk_dependent(  # noqa: PLR0917  (the walk's state, shared with sample_route)
    legs: tuple[Leg, ...],
    out: FloatArray,
    clock: FloatArray,
    node_end: dict[int, range],
    rng: np.random.Generator,
    start: date,
    months: tuple[FloatArray, IntArray],
    closures: Closures,
) -> None:
    """Walk the legs with the journey's shock and one speed per railway; fills ``out``, ``clock``.

    The shock is redrawn (:func:`_evolve_shock`) when a node or a vessel leg is reached after
    the clocks moved; consecutive running legs of one railway share it and their speed, so the
    hours per km of a railway are drawn once and multiplied by each link's length.
    """
    n = clock.shape[0]
    rows, count = _normal_rows(legs)
    own = rng.standard_normal((count, n))
    own *= np.sqrt(1.0 - SHARED_SHOCK_CORRELATION)
    weight = float(np.sqrt(SHARED_SHOCK_CORRELATION))
    shock: FloatArray = np.asarray(rng.standard_normal(n), dtype=np.float64)
    planned = planned_starts(legs)
    shock_at = 0.0  # planned hour of the shock's last draw
    moved = False  # whether the clocks moved since the shock was last drawn
    per_km: dict[tuple[str, float, float], FloatArray] = {}
    z = np.empty(n)
    for i, leg in enumerate(legs):
        key = railway_key(leg)
        if key is None and moved:
            shock = _evolve_shock(shock, planned[i] - shock_at, rng)
            shock_at = planned[i]
            moved = False
            per_km.clear()
        if key is not None:
            assert leg.speed is not None
            hpk = per_km.get(key)
            if hpk is None:
                hpk = per_km[key] = _hours_per_km(leg.speed, own[rows[i]], shock, weight)
            hours = leg.distance_km * hpk
            if leg.service is not None and leg.boarding:  # a change of train: its departure
                hours = hours + _boarding_wait(
                    leg.service, clock=clock, rng=rng, depart=start, months=months
                )
            out[i] = hours
            clock += hours
            moved = True
            continue
        np.multiply(shock, weight, out=z)
        z += own[rows[i]]
        hours = draw_duration(_leg_code(leg), z)
        if leg.dwell is not None:
            out[i] = hours
            group = node_end.get(i)
            if group is not None:  # the node's last operation: the node takes the longest
                node_h, out[group.start : group.stop] = overlap_node(out[group.start : group.stop])
                if closures:
                    extra = _held(legs, i, clock, node_h, closures)
                    out[group.start] += extra
                    node_h = node_h + extra
                clock += node_h
                moved = True
            continue
        if leg.service is not None and leg.boarding:
            hours += _boarding_wait(leg.service, clock=clock, rng=rng, depart=start, months=months)
        out[i] = hours
        clock += hours
        moved = True


def sample_route(
    route: Route,
    n: int,
    *,
    seed: int | np.random.Generator | None = None,
    depart: date | datetime | None = None,
    dependence: bool = True,
    closures: Closures | None = None,
) -> RouteSamples:
    """Draw ``n`` door-to-door journeys of ``route``.

    Parameters
    ----------
    route
        The route; its legs carry the distributions.
    n
        Number of journeys (>= 1).
    seed
        Seed or generator; the same seed gives identical arrays.
    depart
        When the journeys start: a date (at 00:00) or a date-time (naive, on the timetables'
        clock). It sets the weekday and hour for timetables and the months for seasonal
        weather. ``None`` means the first of the route's month, or 1 January. Sampling the tail
        of a route from a later date-time is how an ETA is conditioned on a milestone.
    dependence
        Draw the legs of a journey with their common shock and one speed per railway (the
        model); ``False`` draws every leg independently (for comparison and benchmarks).
    closures
        Per node id, windows (hours from ``depart``'s day at 00:00) in which nothing leaves the
        node (a storm closing a port, a halted border): a container that reaches it inside one
        waits there until it ends. Dated events give them (:func:`closure_windows`).

    Raises
    ------
    ModelError
        If ``n`` < 1.

    Examples
    --------
    >>> from corridor.network import example_network
    >>> from corridor.routing import best_route
    >>> route = best_route(example_network(), "aa", "zz", objective="cost")
    >>> s = sample_route(route, 1000, seed=1, depart=date(2025, 7, 1))
    >>> s.leg_hours.shape
    (12, 1000)
    >>> bool(s.total_hours.min() >= 168.7 - 24)  # the ferry wait is uniform on [0, 48) h
    True
    """
    if n < 1:
        raise ModelError(f"the number of samples must be >= 1, got {n}")
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    when = depart or date(2025, route.month or 1, 1)
    start = when.date() if isinstance(when, datetime) else when
    # the journeys' clocks run from ``start`` at 00:00; a start later that day is an offset
    offset_h = (
        (when.replace(tzinfo=None) - datetime(start.year, start.month, start.day)).total_seconds()
        / 3600.0
        if isinstance(when, datetime)
        else 0.0
    )
    # generous horizon for the month table: the sum of leg means times 4, at least 120 days
    horizon = max(route.hours * 4.0, 120 * 24.0) + offset_h
    months = month_edges(start, horizon)
    legs = route.legs
    out = np.empty((len(legs), n), dtype=np.float64)
    clock = np.full(n, offset_h, dtype=np.float64)
    node_end = {group.stop - 1: group for group in node_groups(legs)}
    if dependence:
        _walk_dependent(legs, out, clock, node_end, rng, start, months, closures or {})
    else:
        z_all = rng.standard_normal((len(legs), n))
        for i, leg in enumerate(legs):
            hours = draw_duration(_leg_code(leg), z_all[i])
            if leg.dwell is not None:
                out[i] = hours
                group = node_end.get(i)
                if group is not None:  # the node's last operation: the node takes the longest
                    node_h, out[group.start : group.stop] = overlap_node(
                        out[group.start : group.stop]
                    )
                    if closures:
                        extra = _held(legs, i, clock, node_h, closures)
                        out[group.start] += extra
                        node_h = node_h + extra
                    clock += node_h
                continue
            if leg.service is not None and leg.boarding:
                hours += _boarding_wait(
                    leg.service, clock=clock, rng=rng, depart=start, months=months
                )
            out[i] = hours
            clock += hours
    total = clock - offset_h if offset_h else clock
    return RouteSamples(route=route, leg_hours=out, total_hours=total)
