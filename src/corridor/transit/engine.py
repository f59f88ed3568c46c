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
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
import numpy.typing as npt

from corridor.errors import ModelError
from corridor.model import DepartureRuleKind, Leg, Route, Service, lognormal_params

__all__ = ["RouteSamples", "leg_minimum_hours", "route_minimum_hours", "sample_route"]

FloatArray = npt.NDArray[np.float64]

_HOURS_PER_WEEK = 168.0


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


def _month_boundaries(depart: date, horizon_h: float) -> tuple[FloatArray, npt.NDArray[np.int64]]:
    """Hours from ``depart`` (00:00) to the start of each following month, and those months."""
    starts: list[float] = []
    months: list[int] = []
    y, m = depart.year, depart.month
    start = datetime(y, m, 1)
    origin = datetime(depart.year, depart.month, depart.day)
    while True:
        starts.append((start - origin).total_seconds() / 3600.0)
        months.append(m)
        if starts[-1] > horizon_h:
            break
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        start = datetime(y, m, 1)
    return np.asarray(starts, dtype=np.float64), np.asarray(months, dtype=np.int64)


def _node_group(legs: tuple[Leg, ...], last: int) -> range:
    """Indices of the consecutive operation legs at one node that end at ``last``."""
    first = last
    while (
        first > 0
        and legs[first - 1].dwell is not None
        and legs[first - 1].from_id == legs[last].from_id
    ):
        first -= 1
    return range(first, last + 1)


def _overlap(out: FloatArray, group: range) -> FloatArray:
    """Overlap the operations of one node: it takes as long as the longest of them.

    In each journey the longest operation keeps its time and the others get 0 (their time is
    hidden under it), so the rows still add up to the door-to-door time. Returns the node's
    time per journey.
    """
    if len(group) == 1:
        return np.array(out[group.start], dtype=np.float64)
    block = out[group.start : group.stop]
    longest = block.argmax(axis=0)
    node_time: FloatArray = np.max(block, axis=0)
    block[:] = 0.0
    block[longest, np.arange(block.shape[1])] = node_time
    return node_time


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
    total = 0.0
    node_min: dict[int, float] = {}
    legs = route.legs
    for i, leg in enumerate(legs):
        if leg.dwell is not None:
            group = _node_group(legs, i).start
            node_min[group] = max(node_min.get(group, 0.0), leg.dwell.min_h)
        else:
            total += leg_minimum_hours(leg)
    return total + sum(node_min.values())


def _dwell(shift: float, mu: float, sigma: float, z: FloatArray) -> FloatArray:
    if sigma == 0.0:
        return np.full_like(z, shift + (0.0 if mu == -math.inf else math.exp(mu)))
    out = np.exp(mu + sigma * z)
    out += shift
    return out


def _running(distance_km: float, mean_kmh: float, cv: float, z: FloatArray) -> FloatArray:
    mu, sigma = lognormal_params(mean_kmh, cv)
    if sigma == 0.0:
        return np.full_like(z, distance_km / mean_kmh)
    return distance_km * np.exp(-(mu + sigma * z))


def _sailing(
    leg: Leg,
    *,
    service: Service,
    clock: FloatArray,
    z: FloatArray,
    rng: np.random.Generator,
    depart: date,
    month_starts: FloatArray,
    month_of: npt.NDArray[np.int64],
) -> FloatArray:
    n = clock.shape[0]
    if service.crossing is not None:
        shift, mu, sigma = service.crossing.params()
        crossing = _dwell(shift, mu, sigma, z)
    else:
        assert leg.speed is not None
        crossing = _running(leg.distance_km, leg.speed.mean_kmh, leg.speed.cv, z)
    if not leg.boarding:
        return crossing
    rule = service.departure
    wait: FloatArray
    if rule.kind is DepartureRuleKind.INTERVAL:
        wait = np.asarray(rng.random(n) * float(rule.every_h or 0.0))
    elif rule.kind is DepartureRuleKind.WHEN_FULL:
        wait = np.asarray(rng.random(n) * float(rule.max_wait_h or 0.0))
    else:
        sailings = np.sort(np.array([d * 24.0 + rule.hour for d in set(rule.weekdays)]))
        extended = np.concatenate([sailings, sailings[:1] + _HOURS_PER_WEEK])
        week0 = depart.weekday() * 24.0  # the clock starts on the departure day at 00:00
        t = np.mod(clock + week0, _HOURS_PER_WEEK)
        idx = np.searchsorted(extended, t, side="left")
        wait = np.asarray(extended[idx] - t, dtype=np.float64)
    at_port = clock + wait
    if service.weather:
        months = month_of[np.searchsorted(month_starts, at_port, side="right") - 1]
        prob = np.zeros(13)
        mean = np.zeros(13)
        for month, w in service.weather.items():
            prob[month] = w.hold_prob
            mean[month] = w.hold_h_mean
        held = rng.random(n) < prob[months]
        hold = np.where(held, rng.exponential(1.0, n) * mean[months], 0.0)
    else:
        hold = np.zeros(n)
    return wait + hold + crossing


def sample_route(
    route: Route,
    n: int,
    *,
    seed: int | np.random.Generator | None = None,
    depart: date | None = None,
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
        Departure date (journeys start at 00:00); sets the weekday for timetables and the months
        for seasonal weather. ``None`` means the first of the route's month, or 1 January.

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
    start = depart or date(2025, route.month or 1, 1)
    # generous horizon for the month table: the sum of leg means times 4, at least 120 days
    horizon = max(route.hours * 4.0, 120 * 24.0)
    month_starts, month_of = _month_boundaries(start, horizon)
    legs = route.legs
    z_all = rng.standard_normal((len(legs), n))
    out = np.empty((len(legs), n), dtype=np.float64)
    clock = np.zeros(n, dtype=np.float64)
    for i, leg in enumerate(legs):
        z = z_all[i]
        if leg.dwell is not None:
            shift, mu, sigma = leg.dwell.params()
            out[i] = _dwell(shift, mu, sigma, z)
            last_of_node = i + 1 == len(legs) or not (
                legs[i + 1].dwell is not None and legs[i + 1].from_id == leg.from_id
            )
            if last_of_node:
                clock += _overlap(out, _node_group(legs, i))
            continue
        if leg.service is not None:
            hours = _sailing(
                leg,
                service=leg.service,
                clock=clock,
                z=z,
                rng=rng,
                depart=start,
                month_starts=month_starts,
                month_of=month_of,
            )
        elif leg.speed is not None:
            hours = _running(leg.distance_km, leg.speed.mean_kmh, leg.speed.cv, z)
        else:
            raise ModelError(f"leg {leg.from_id} -> {leg.to_id} carries no time distribution")
        out[i] = hours
        clock += hours
    return RouteSamples(route=route, leg_hours=out, total_hours=clock)
