"""The leg-time model shared by the transit (Monte Carlo) and simulation (capacity) engines.

Both engines turn the legs of a :class:`~corridor.model.Route` into times with the rules of
this module, so that they cannot drift apart:

- **durations**: a node operation's dwell is ``min_h + LogNormal`` (:func:`dwell_code`); a
  running leg takes ``distance_km / V`` with ``V`` the log-normal commercial speed
  (:func:`running_code`); a vessel crossing is a dwell of the service, or the running time of
  the link when the service states none. A duration is encoded once as a :class:`DurationKind`
  and three parameters, and drawn from a standard normal ``z`` by :func:`draw_duration`
  (vectorised) or by the simulation kernel's scalar copy of the same formula;
- **departure rules** (:func:`departure_slots`): a weekly timetable and an interval rule sail at
  fixed slots (``period_h`` and offsets from an origin at 00:00); "when full" has no slots;
- **calendar** (:func:`month_edges`): hours from an origin date to the start of each month,
  for seasonal weather (:func:`weather_tables`) and seasonal demand;
- **concurrent operations at a node** (:func:`node_groups`, :func:`overlap_node`): the
  operations a container undergoes at one node overlap, so the node takes as long as the
  longest of them;
- **dependence within a journey** (:data:`SHARED_SHOCK_CORRELATION`, :func:`railway_key`): a
  journey's legs share a common shock (a congested week slows every leg), and a train's running
  speed is one draw per railway it crosses, not one per link of that railway.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import IntEnum

import numpy as np
import numpy.typing as npt

from corridor.model.distributions import LogNormalSpeed, ShiftedLogNormal, lognormal_params
from corridor.model.enums import DepartureRuleKind
from corridor.model.network import DepartureRule, Service
from corridor.model.route import Leg
from corridor.units import HOURS_PER_DAY, HOURS_PER_WEEK

__all__ = [
    "HOURS_PER_DAY",
    "HOURS_PER_WEEK",
    "SHARED_SHOCK_CORRELATION",
    "SHOCK_MEMORY_H",
    "DurationCode",
    "DurationKind",
    "departure_slots",
    "draw_duration",
    "dwell_code",
    "month_edges",
    "next_slot_wait",
    "node_dwell_codes",
    "node_groups",
    "overlap_node",
    "planned_starts",
    "railway_key",
    "row_quantile",
    "running_code",
    "weather_tables",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


class DurationKind(IntEnum):
    """How a duration is drawn from its three parameters ``(d0, d1, d2)`` and a normal ``z``."""

    FIXED = 0
    """``d0`` hours."""
    LOGNORMAL = 1
    """``d0 + exp(d1 + d2 z)`` hours: a shifted log-normal dwell."""
    RUNNING = 2
    """``d0 / exp(d1 + d2 z)`` hours: ``d0`` km at a log-normal speed (km/h)."""
    LONGEST = 3
    """The longest of ``d1`` durations listed from index ``d0`` of a table of codes: the
    operations of one node, which overlap (:func:`node_dwell_codes`)."""


DurationCode = tuple[DurationKind, tuple[float, float, float]]
"""A duration encoded as its kind and three parameters."""

SHARED_SHOCK_CORRELATION = 0.3
"""Share of each leg's normal that is the journey's shock (``rho``).

Each leg's normal is ``sqrt(rho) * S(t) + sqrt(1 - rho) * e``: ``S(t)`` is the shock of the
week the journey is in at that leg (congestion, weather, staffing), ``e`` the leg's own. A high
``S`` lengthens every dwell and slows every train in those days; the marginal distribution of
each leg is unchanged, so means (and the planner's hours) stay as they are while the spread of
the door-to-door time widens. No source measures this share; 0.3 (the common factor explains
30 % of each leg's log-variance) is a stated assumption (``assumption-shared-shock``,
docs/calibration.md), not a fitted value.
"""

SHOCK_MEMORY_H = 168.0
"""Memory of the journey's shock, hours: ``S(t)`` and ``S(t + h)`` correlate ``exp(-h / 168)``.

A congested week: legs a day apart share most of it, legs three weeks apart little
(``assumption-shared-shock``).
"""


def railway_key(leg: Leg) -> tuple[str, float, float] | None:
    """The railway (or road network) whose single speed draw a running leg shares, or ``None``.

    A train crosses one country's network at one commercial speed: its priority, the crossings
    it waits at and its locomotive changes belong to the run, not to the links the data happen
    to split the line into. So every running leg of one network and speed profile takes the same
    draw in a journey (otherwise the spread of a crossing would shrink with the number of links
    it is digitised into). Vessel legs and node operations return ``None``.

    Examples
    --------
    >>> from corridor.model.enums import LegMode
    >>> leg = Leg(from_id="a", to_id="b", mode=LegMode.RAIL, distance_km=100.0, hours=2.0,
    ...           cost_usd=0.0, co2_kg=0.0, speed=LogNormalSpeed(mean_kmh=50.0, cv=0.2),
    ...           countries=("KZ", "KZ"))
    >>> railway_key(leg)
    ('KZ', 50.0, 0.2)
    """
    vessel = leg.service is not None and not leg.service.is_land
    if leg.dwell is not None or vessel or leg.speed is None:
        return None
    return (leg.network or leg.countries[0], leg.speed.mean_kmh, leg.speed.cv)


def row_quantile(a: FloatArray, q: float) -> FloatArray:
    """The ``q``-th percentile of each row of ``a`` (linear interpolation, as ``np.percentile``).

    Uses a partial sort (``np.partition``) of a C-contiguous copy, which is several times faster
    than ``np.percentile(a, q, axis=1)`` on the strided rows of a sample matrix.

    Examples
    --------
    >>> a = np.array([[4.0, 1.0, 3.0, 2.0], [10.0, 30.0, 20.0, 40.0]])
    >>> row_quantile(a, 90.0).tolist() == np.percentile(a, 90.0, axis=1).tolist()
    True
    """
    n = a.shape[1]
    pos = q / 100.0 * (n - 1)
    lo = int(np.floor(pos))
    hi = min(lo + 1, n - 1)
    frac = pos - lo
    part = np.partition(np.ascontiguousarray(a), (lo, hi) if hi != lo else lo, axis=1)
    low = part[:, lo]
    if hi == lo or frac == 0.0:
        return np.asarray(low, dtype=np.float64)
    high = part[:, hi]
    diff = high - low
    # numpy's own interpolation, from the nearer end (so the values are identical)
    if frac >= 0.5:
        return np.asarray(high - diff * (1.0 - frac), dtype=np.float64)
    return np.asarray(low + diff * frac, dtype=np.float64)


def dwell_code(dwell: ShiftedLogNormal) -> DurationCode:
    """Encode a dwell ``min_h + LogNormal(mean_h - min_h, cv)`` hours.

    Examples
    --------
    >>> dwell_code(ShiftedLogNormal(min_h=2.0, mean_h=2.0, cv=0.5))
    (<DurationKind.FIXED: 0>, (2.0, 0.0, 0.0))
    >>> kind, (shift, mu, sigma) = dwell_code(ShiftedLogNormal(min_h=2.0, mean_h=6.0, cv=0.5))
    >>> kind.name, shift, round(float(np.exp(mu + sigma**2 / 2)), 6)
    ('LOGNORMAL', 2.0, 4.0)
    """
    excess = dwell.mean_h - dwell.min_h
    if excess <= 0 or dwell.cv == 0:
        return DurationKind.FIXED, (dwell.mean_h, 0.0, 0.0)
    mu, sigma = lognormal_params(excess, dwell.cv)
    return DurationKind.LOGNORMAL, (dwell.min_h, mu, sigma)


def running_code(distance_km: float, speed: LogNormalSpeed) -> DurationCode:
    """Encode the running time ``distance_km / V``, ``V`` log-normal (km/h).

    Examples
    --------
    >>> running_code(100.0, LogNormalSpeed(mean_kmh=50.0, cv=0.0))
    (<DurationKind.FIXED: 0>, (2.0, 0.0, 0.0))
    """
    if speed.cv == 0:
        return DurationKind.FIXED, (distance_km / speed.mean_kmh, 0.0, 0.0)
    mu, sigma = lognormal_params(speed.mean_kmh, speed.cv)
    return DurationKind.RUNNING, (distance_km, mu, sigma)


def draw_duration(code: DurationCode, z: FloatArray) -> FloatArray:
    """Durations (hours) for the standard normal draws ``z``: one per element.

    Examples
    --------
    >>> z = np.array([-1.0, 0.0, 1.0])
    >>> draw_duration((DurationKind.FIXED, (3.0, 0.0, 0.0)), z).tolist()
    [3.0, 3.0, 3.0]
    >>> code = running_code(100.0, LogNormalSpeed(mean_kmh=50.0, cv=0.2))
    >>> draw_duration(code, z).round(2).tolist()
    [2.49, 2.04, 1.67]
    """
    kind, (d0, d1, d2) = code
    if kind is DurationKind.LONGEST:
        raise ValueError("draw the members of a LONGEST duration and take their maximum")
    if kind is DurationKind.FIXED:
        return np.full_like(z, d0)
    out = np.exp(d1 + d2 * z)
    if kind is DurationKind.LOGNORMAL:
        out += d0
        return out
    return d0 / out


def departure_slots(rule: DepartureRule, origin: date) -> tuple[float, list[float]]:
    """Period and sorted slot offsets of a departure rule, hours from ``origin`` at 00:00.

    A weekly timetable repeats every :data:`HOURS_PER_WEEK` hours, an interval rule every
    ``every_h`` hours from the origin; "when full" has no slots (``(0.0, [])``).

    Examples
    --------
    >>> rule = DepartureRule(kind=DepartureRuleKind.TIMETABLE, weekdays=(0, 3), hour=6.0)
    >>> departure_slots(rule, date(2025, 1, 1))  # a Wednesday
    (168.0, [30.0, 126.0])
    """
    if rule.kind is DepartureRuleKind.INTERVAL:
        return float(rule.every_h or HOURS_PER_DAY), [0.0]
    if rule.kind is DepartureRuleKind.TIMETABLE:
        wd0 = origin.weekday()
        offsets = sorted({((d - wd0) % 7) * HOURS_PER_DAY + rule.hour for d in rule.weekdays})
        return HOURS_PER_WEEK, offsets
    return 0.0, []


def next_slot_wait(period_h: float, offsets_h: list[float], t_h: FloatArray) -> FloatArray:
    """Hours from each time ``t_h`` to the next slot (0 when a slot is exactly then).

    Examples
    --------
    >>> next_slot_wait(168.0, [30.0, 126.0], np.array([0.0, 30.0, 31.0, 130.0])).tolist()
    [30.0, 0.0, 95.0, 68.0]
    """
    slots = np.asarray(offsets_h, dtype=np.float64)
    extended = np.concatenate([slots, slots[:1] + period_h])
    phase = np.mod(t_h, period_h)
    idx = np.searchsorted(extended, phase, side="left")
    return np.asarray(extended[idx] - phase, dtype=np.float64)


def month_edges(origin: date, horizon_h: float) -> tuple[FloatArray, IntArray]:
    """Hours from ``origin`` (00:00) to the start of each month from ``origin``'s month on.

    The first edge is the start of ``origin``'s month (0 or negative); the table runs past
    ``horizon_h``. The month of time ``t`` is ``months[searchsorted(edges, t, "right") - 1]``.

    Examples
    --------
    >>> edges, months = month_edges(date(2024, 1, 1), 24 * 40)
    >>> edges[:3].tolist(), months[:3].tolist()
    ([0.0, 744.0, 1440.0], [1, 2, 3])
    >>> month_edges(date(2024, 3, 11), 24)[0].tolist()
    [-240.0, 504.0]
    """
    starts: list[float] = []
    months: list[int] = []
    start_of = datetime(origin.year, origin.month, origin.day)
    y, m = origin.year, origin.month
    while True:
        starts.append((datetime(y, m, 1) - start_of).total_seconds() / 3600.0)
        months.append(m)
        if starts[-1] > horizon_h:
            break
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return np.asarray(starts, dtype=np.float64), np.asarray(months, dtype=np.int64)


def weather_tables(service: Service) -> tuple[FloatArray, FloatArray]:
    """Per calendar month (index 0 = January): probability a sailing is held, mean hold, hours.

    A held sailing waits an exponentially distributed time with that mean.
    """
    prob = np.zeros(12)
    mean = np.zeros(12)
    for m in range(1, 13):
        w = service.weather_in(m)
        prob[m - 1] = w.hold_prob
        mean[m - 1] = w.hold_h_mean
    return prob, mean


def node_groups(legs: tuple[Leg, ...]) -> list[range]:
    """Index ranges of the consecutive operation legs at one node (every operation is in one).

    The operations a container undergoes at one node (border clearance, gauge change, port
    handling, terminal work) run at the same time: documents are cleared while the box is lifted
    and waits in the yard, and published border times already include the wait for a gauge
    change. So a node takes as long as its longest operation (:func:`overlap_node`).
    """
    groups: list[range] = []
    i = 0
    while i < len(legs):
        if legs[i].dwell is None:
            i += 1
            continue
        j = i + 1
        while j < len(legs) and legs[j].dwell is not None and legs[j].from_id == legs[i].from_id:
            j += 1
        groups.append(range(i, j))
        i = j
    return groups


def planned_starts(legs: tuple[Leg, ...]) -> list[float]:
    """The planned hour each leg starts at: the legs' mean hours, a node its longest operation.

    The journey's shock (:data:`SHOCK_MEMORY_H`) decays along this clock, not along the journey's
    drawn one: were its memory counted in drawn hours, a journey slowed by a high shock would
    reach its later legs after more of the shock had decayed and a fast one would keep its low
    shock longer, so every later leg would be faster on average than its own distribution (a
    mean 0.3 d below the independent legs' on a 18-day overland route) and the planner's time
    would no longer bound the mean from below. On the planned clock each leg's shock is a
    standard normal and its marginal distribution (and so every mean) is the leg's own.

    Examples
    --------
    >>> from corridor.model.enums import LegMode
    >>> run = Leg(from_id="a", to_id="b", mode=LegMode.RAIL, distance_km=100.0, hours=2.0,
    ...           cost_usd=0.0, co2_kg=0.0)
    >>> planned_starts((run, run))
    [0.0, 2.0]
    """
    starts = [0.0] * len(legs)
    ends = {group.start: group for group in node_groups(legs)}
    t = 0.0
    i = 0
    while i < len(legs):
        group = ends.get(i)
        if group is None:
            starts[i] = t
            t += legs[i].hours
            i += 1
            continue
        for j in group:
            starts[j] = t
        t += max(legs[j].hours for j in group)
        i = group.stop
    return starts


def node_dwell_codes(dwells: list[ShiftedLogNormal]) -> tuple[DurationCode, list[DurationCode]]:
    """The time a container spends at a node with these overlapping operations.

    Returns the node's duration and the codes it is the longest of: a single operation is its
    own dwell; several are :attr:`DurationKind.LONGEST` of their dwells, whose ``(d0, d1)``
    (the place and number of the member codes in the caller's table) the caller fills in;
    when every member is fixed the longest is a fixed duration.

    Examples
    --------
    >>> fixed = [ShiftedLogNormal(min_h=5.0, mean_h=5.0, cv=0.0),
    ...          ShiftedLogNormal(min_h=4.0, mean_h=4.0, cv=0.0)]
    >>> node_dwell_codes(fixed)
    ((<DurationKind.FIXED: 0>, (5.0, 0.0, 0.0)), [])
    """
    codes = [dwell_code(d) for d in dwells]
    if len(codes) == 1:
        return codes[0], []
    if all(kind is DurationKind.FIXED for kind, _ in codes):
        return (DurationKind.FIXED, (max(p[0] for _, p in codes), 0.0, 0.0)), []
    return (DurationKind.LONGEST, (0.0, float(len(codes)), 0.0)), codes


def overlap_node(times: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Overlap the operations of one node, ``times[operation, journey]`` hours.

    Returns the node's time per journey (the longest operation) and the times credited to each
    operation: the longest keeps its time and the others get 0 (hidden under it), so the
    credited rows add up to the node's time.

    Examples
    --------
    >>> node, credited = overlap_node(np.array([[1.0, 5.0], [3.0, 2.0]]))
    >>> node.tolist(), credited.tolist()
    ([3.0, 5.0], [[0.0, 5.0], [3.0, 0.0]])
    """
    if times.shape[0] == 1:
        return np.array(times[0], dtype=np.float64), np.array(times, dtype=np.float64)
    longest = times.argmax(axis=0)
    node: FloatArray = np.max(times, axis=0)
    credited = np.zeros_like(times)
    credited[longest, np.arange(times.shape[1])] = node
    return node, credited
