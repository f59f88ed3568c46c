"""Frozen records of the network: sources, nodes, operations, link profiles, links, services."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from corridor.errors import ModelError
from corridor.model.distributions import LogNormalSpeed, ShiftedLogNormal
from corridor.model.enums import (
    DepartureRuleKind,
    Direction,
    Mode,
    NodeKind,
    OperationKind,
    Status,
)
from corridor.units import HOURS_PER_WEEK

__all__ = [
    "DepartureRule",
    "Link",
    "MonthWeather",
    "Node",
    "Operation",
    "Profile",
    "Service",
    "Source",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class Source:
    """A row of ``sources.csv``: where a figure comes from."""

    id: str
    title: str
    url: str
    date: str
    confidence: str
    note: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Operation:
    """What a node does to a container: its dwell distribution (hours), cost (USD/FEU), capacity.

    ``capacity_teu_day`` limits containers; ``capacity_trains_day`` (border crossings stated in
    trains, e.g. by a scenario) limits whole trains.
    """

    kind: OperationKind
    dwell: ShiftedLogNormal
    cost_usd: float
    capacity_teu_day: float | None = None
    capacity_trains_day: float | None = None
    sources: tuple[str, ...] = ()
    note: str = ""
    inbound: ShiftedLogNormal | None = None
    """Dwell of a container entering the node's country here (border clearance), if it differs."""
    outbound: ShiftedLogNormal | None = None
    """Dwell of a container leaving the node's country here, if it differs."""
    side: str = ""
    """Country (ISO code) on whose side of a frontier the operation happens."""
    operator: str = ""
    """Who runs it (the railway, the customs, the port terminal)."""

    def dwell_for(self, direction: Direction | None) -> ShiftedLogNormal:
        """The dwell for a crossing in ``direction`` (``None``: the undirected dwell)."""
        if direction is Direction.IN and self.inbound is not None:
            return self.inbound
        if direction is Direction.OUT and self.outbound is not None:
            return self.outbound
        return self.dwell


@dataclass(frozen=True, slots=True, kw_only=True)
class Node:
    """A place of the network: terminal, port, border station, junction or sea passage."""

    def __repr__(self) -> str:
        return f"<Node {self.id} {self.name!r} {self.country} {self.kind.value}>"

    id: str
    name: str
    country: str
    lat: float
    lon: float
    kind: NodeKind
    aliases: tuple[str, ...] = ()
    locode: str | None = None
    gauges: frozenset[int] = frozenset()
    operations: Mapping[OperationKind, Operation] = field(
        default_factory=lambda: MappingProxyType({})
    )
    sources: tuple[str, ...] = ()
    note: str = ""
    native_names: tuple[str, ...] = field(default=(), repr=False)
    """Names in other languages and scripts (``Баку``, ``西安``): found by lookup, not listed."""

    def operation(self, kind: OperationKind) -> Operation | None:
        """The node's operation of that kind, or None."""
        return self.operations.get(kind)

    def to_dict(self) -> dict[str, Any]:
        """The node as in ``corridor nodes --json`` (and ``GET /api/v1/nodes``)."""
        return {
            "id": self.id,
            "name": self.name,
            "aliases": list(self.aliases),
            "country": self.country,
            "lat": self.lat,
            "lon": self.lon,
            "kind": self.kind.value,
            "locode": self.locode,
            "gauges": sorted(self.gauges),
            "operations": sorted(k.value for k in self.operations),
            "operators": {
                k.value: {"side": op.side, "operator": op.operator}
                for k, op in sorted(self.operations.items())
                if op.side or op.operator
            },
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Profile:
    """Speed, tariff and emission class shared by links of one network and mode."""

    id: str
    mode: Mode
    speed: LogNormalSpeed
    cost_usd_per_feu_km: float
    co2_g_per_teu_km: float
    sources: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class DepartureRule:
    """When a vessel sails.

    ``timetable``: on the given weekdays (0 = Monday) at ``hour``; ``interval``: every ``every_h``
    hours; ``when_full``: when ``capacity_teu`` is reached, at the latest after ``max_wait_h``.
    """

    kind: DepartureRuleKind
    every_h: float | None = None
    max_wait_h: float | None = None
    weekdays: tuple[int, ...] = ()
    hour: float = 0.0

    def __post_init__(self) -> None:
        if self.kind is DepartureRuleKind.INTERVAL and not (self.every_h and self.every_h > 0):
            raise ModelError("an 'interval' departure rule needs every_h > 0")
        if self.kind is DepartureRuleKind.WHEN_FULL and not (
            self.max_wait_h and self.max_wait_h > 0
        ):
            raise ModelError("a 'when_full' departure rule needs max_wait_h > 0")
        if self.kind is DepartureRuleKind.TIMETABLE and not self.weekdays:
            raise ModelError("a 'timetable' departure rule needs at least one weekday")

    def mean_wait_h(self) -> float:
        """Mean wait of a container arriving at a random time, hours.

        For a timetable with gaps ``g_i`` between sailings over a 168 h week the mean wait is
        ``sum(g_i**2) / (2 * 168)``; for an interval ``every_h / 2``; for "when full" without
        demand information, the container is assumed to arrive uniformly within the maximum wait,
        giving ``max_wait_h / 2``.

        Examples
        --------
        >>> DepartureRule(kind=DepartureRuleKind.INTERVAL, every_h=48).mean_wait_h()
        24.0
        >>> DepartureRule(kind=DepartureRuleKind.TIMETABLE, weekdays=(0,)).mean_wait_h()
        84.0
        """
        if self.kind is DepartureRuleKind.INTERVAL:
            return float(self.every_h or 0.0) / 2.0
        if self.kind is DepartureRuleKind.WHEN_FULL:
            return float(self.max_wait_h or 0.0) / 2.0
        gaps = self.timetable_gaps_h()
        return sum(g * g for g in gaps) / (2.0 * HOURS_PER_WEEK)

    def timetable_gaps_h(self) -> list[float]:
        """Hours between consecutive sailings of a weekly timetable."""
        times = sorted({d * 24.0 + self.hour for d in self.weekdays})
        week = HOURS_PER_WEEK
        return [(times[(i + 1) % len(times)] - t) % week or week for i, t in enumerate(times)]


@dataclass(frozen=True, slots=True, kw_only=True)
class MonthWeather:
    """Weather disruption of sailings in one calendar month.

    A sailing is held (storm, closed port) with probability ``hold_prob``; a hold lasts an
    exponentially distributed time with mean ``hold_h_mean`` hours.
    """

    hold_prob: float = 0.0
    hold_h_mean: float = 0.0

    def __post_init__(self) -> None:
        if not 0.0 <= self.hold_prob <= 1.0 or self.hold_h_mean < 0:
            raise ModelError(
                f"invalid weather: need 0 <= hold_prob <= 1 and hold_h_mean >= 0, "
                f"got {self.hold_prob}, {self.hold_h_mean}"
            )

    @property
    def mean_delay_h(self) -> float:
        """Expected weather delay of one sailing, hours."""
        return self.hold_prob * self.hold_h_mean


@dataclass(frozen=True, slots=True, kw_only=True)
class Service:
    """A service that carries containers: a vessel service on ferry or sea links (Caspian
    feeder, rail ferry, liner), or a land service (block trains, trucking) on the rail or road
    lines of ``countries``.

    A vessel service names its ``links``; a land service runs on any link of its mode between
    two places of its ``countries`` (``links`` empty). A ``generic`` land service stands in
    where no service is known: one per national network for rail (a box on it changes trains at
    each frontier), one for trucking; its frequency is a stated, conservative assumption.
    """

    id: str
    mode: Mode
    links: tuple[tuple[str, str], ...]
    vessels: int
    capacity_teu: float
    departure: DepartureRule
    crossing: ShiftedLogNormal | None
    turnaround_h: float = 0.0
    weather: Mapping[int, MonthWeather] = field(default_factory=lambda: MappingProxyType({}))
    sources: tuple[str, ...] = ()
    weather_sources: tuple[str, ...] = ()
    note: str = ""
    operator: str = ""
    countries: frozenset[str] = frozenset()
    """Land service: the countries whose lines it runs on."""
    estimate: bool = False
    """The frequency is an estimate (no published timetable found)."""
    generic: bool = False
    """A stand-in where no service is known (see the class docstring)."""
    connects_with: frozenset[str] = frozenset()
    ranges: tuple[frozenset[str], ...] = ()
    """Vessel service: the ranges of its trade, as sets of countries (Asia, Europe for a liner):
    a voyage carries a box from a port of one range to a port of another, never between two
    ports of one range; a port in no range is not restricted."""
    """Land service: the services whose arrivals its departures are timed to (trains formed from
    a vessel's load at the port): a box changing from one of them waits for no departure."""

    @property
    def is_land(self) -> bool:
        """True for a block-train or trucking service."""
        return not self.mode.is_water

    def carries(self, from_country: str, to_country: str) -> bool:
        """Whether one voyage of this service carries a box between ports of these countries:
        not when both lie in the same range of its trade (:attr:`ranges`).

        Examples
        --------
        >>> rule = DepartureRule(kind=DepartureRuleKind.INTERVAL, every_h=168)
        >>> liner = Service(id="x", mode=Mode.SEA, links=(), vessels=1, capacity_teu=1,
        ...                 departure=rule, crossing=None,
        ...                 ranges=(frozenset({"CN"}), frozenset({"NL", "RO"})))
        >>> liner.carries("CN", "NL"), liner.carries("RO", "NL"), liner.carries("IR", "CN")
        (True, False, True)
        """
        return not any(from_country in r and to_country in r for r in self.ranges)

    def waits_after(self, arriving: str) -> bool:
        """Whether a box changing onto this service from the service ``arriving`` (its id; ``""``
        at the origin) waits for the next departure.

        The wait depends on the departing service alone: its departure rule sets how long
        (:meth:`DepartureRule.mean_wait_h`), whatever mode the box arrived by, unless its
        departures are timed to the arrivals of ``arriving`` (``connects_with``). At the origin
        the shipper delivers the box for a departure: no wait.

        Examples
        --------
        >>> rule = DepartureRule(kind=DepartureRuleKind.INTERVAL, every_h=24)
        >>> s = Service(id="train", mode=Mode.RAIL, links=(), vessels=0, capacity_teu=0,
        ...             departure=rule, crossing=None, connects_with=frozenset({"feeder"}))
        >>> s.waits_after("ferry"), s.waits_after("feeder"), s.waits_after("")
        (True, False, False)
        """
        return bool(arriving) and arriving != self.id and arriving not in self.connects_with

    @property
    def frequency_per_week(self) -> float | None:
        """Departures per week by the departure rule (``None``: sails when full).

        Examples
        --------
        >>> rule = DepartureRule(kind=DepartureRuleKind.INTERVAL, every_h=84)
        >>> Service(id="x", mode=Mode.RAIL, links=(), vessels=0, capacity_teu=0,
        ...         departure=rule, crossing=None).frequency_per_week
        2.0
        """
        rule = self.departure
        if rule.kind is DepartureRuleKind.INTERVAL and rule.every_h:
            return HOURS_PER_WEEK / float(rule.every_h)
        if rule.kind is DepartureRuleKind.TIMETABLE:
            return float(len(set(rule.weekdays)))
        return None

    def weather_in(self, month: int | None) -> MonthWeather:
        """Weather of a calendar month (1-12); ``None`` gives the average over the year."""
        if month is not None:
            return self.weather.get(month, MonthWeather())
        if not self.weather:
            return MonthWeather()
        delay = sum(w.mean_delay_h for w in self.weather.values()) / 12.0
        prob = sum(w.hold_prob for w in self.weather.values()) / 12.0
        return MonthWeather(hold_prob=prob, hold_h_mean=delay / prob if prob > 0 else 0.0)


@dataclass(frozen=True, slots=True, kw_only=True)
class Link:
    """A directed link between two nodes."""

    def __repr__(self) -> str:
        return (
            f"<Link {self.mode.value} {self.from_id} → {self.to_id}, {self.distance_km:,.0f} km, "
            f"{self.status.value}>"
        )

    from_id: str
    to_id: str
    mode: Mode
    distance_km: float
    profile: Profile
    gauge: int | None = None
    distance_method: str = "source"
    """``source`` (a cited figure), ``osm`` (measured on OpenStreetMap track),
    ``osm_track_bridged`` (measured on OSM track pieces, the gaps between them bridged straight:
    ``bridged_km``), ``searoute`` (sea distance) or ``estimate`` (great-circle × circuity;
    ``distance_note`` says why)."""
    distance_note: str = ""
    """Why the length is an estimate (e.g. no OSM track near a node), empty otherwise."""
    through: frozenset[str] = frozenset()
    """Countries other than its ends' that the link's track crosses (OSM), e.g. ``AT`` for
    Munich–Verona; ``--avoid`` of such a country leaves the link out."""
    bridged_km: float = 0.0
    """Of an ``osm_track_bridged`` link, the km of straight bridges over gaps in the mapped
    track (at most 15 % of the length); 0 otherwise."""
    status: Status = Status.OPERATIONAL
    open_year: int | None = None
    capacity_trains_day: float | None = None
    service: Service | None = None
    sources: tuple[str, ...] = ()
    note: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        """``(from_id, to_id, mode)``, unique within a network."""
        return (self.from_id, self.to_id, self.mode.value)

    def is_open(self, year: int | None) -> bool:
        """Whether the link carries traffic in ``year`` (``None``: today's operational network)."""
        if self.status is Status.CLOSED:
            return False
        if self.status is Status.OPERATIONAL:
            # An operational link with an opening year did not exist before it.
            return year is None or self.open_year is None or year >= self.open_year
        return year is not None and self.open_year is not None and year >= self.open_year
