"""Values in force: per service class, direction of travel and year, over one network.

The base files (``operations.csv``, ``profiles.csv``, ``services.yaml``, ``links.csv``) hold one
value per record. The records here refine them: a row applies to one service class (or both), to
one direction of a border crossing (or both) and to a range of years (or all), and carries its
own source ids. :func:`corridor.network.select_values` picks, for a request, the most specific
row in force and builds the network the engines then use.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from corridor.errors import ModelError
from corridor.model.distributions import LogNormalSpeed, ShiftedLogNormal
from corridor.model.enums import Direction, Mode, OperationKind, ServiceClass, Status
from corridor.model.network import DepartureRule

__all__ = [
    "Event",
    "EventEffect",
    "InForce",
    "LinkStatusValue",
    "OperationValue",
    "ProfileValue",
    "ServiceValue",
    "ValueSet",
    "meeting",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class InForce:
    """When a value applies: a service class (``None``: both) and years (inclusive, open ends).

    Examples
    --------
    >>> w = InForce(service=ServiceClass.EXPRESS, year_from=2024)
    >>> w.applies(ServiceClass.EXPRESS, 2025), w.applies(ServiceClass.STANDARD, 2025)
    (True, False)
    >>> w.applies(ServiceClass.EXPRESS, None)  # no year: the latest values (open-ended rows)
    True
    """

    service: ServiceClass | None = None
    year_from: int | None = None
    year_to: int | None = None

    def __post_init__(self) -> None:
        if (
            self.year_from is not None
            and self.year_to is not None
            and self.year_to < self.year_from
        ):
            raise ModelError(f"year_to {self.year_to} is before year_from {self.year_from}")

    def applies(self, service: ServiceClass, year: int | None) -> bool:
        """Whether the value is in force for ``service`` in ``year`` (``None``: latest values)."""
        if self.service is not None and self.service is not service:
            return False
        if year is None:
            return self.year_to is None
        if self.year_from is not None and year < self.year_from:
            return False
        return self.year_to is None or year <= self.year_to

    @property
    def rank(self) -> tuple[int, int]:
        """Specificity: a class-specific row beats a general one, then the later start wins."""
        return (self.service is not None, self.year_from if self.year_from is not None else -1)


@dataclass(frozen=True, slots=True, kw_only=True)
class OperationValue:
    """A dwell of a node operation (a row of ``operation_values.csv``)."""

    node: str
    kind: OperationKind
    when: InForce
    direction: Direction | None
    dwell: ShiftedLogNormal
    estimate: bool = False
    sources: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class ProfileValue:
    """A running speed of a link profile (a row of ``profile_values.csv``)."""

    profile: str
    when: InForce
    speed: LogNormalSpeed
    estimate: bool = False
    sources: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class ServiceValue:
    """A departure rule and/or crossing time of a vessel service (``service_values.csv``)."""

    service: str
    when: InForce
    departure: DepartureRule | None = None
    crossing: ShiftedLogNormal | None = None
    estimate: bool = False
    sources: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class LinkStatusValue:
    """A dated status of a link (a row of ``link_status.csv``), e.g. the Red Sea diversion.

    The row is in force from ``date_from`` until ``date_to`` (``None``: still in force). For a
    request by year, a row is in force in year ``Y`` when it is in force on 1 July of ``Y`` (the
    status that held for most of the year); without a year, the rows still in force apply.
    """

    id: str
    from_id: str
    to_id: str
    mode: Mode
    status: Status
    date_from: date
    date_to: date | None = None
    both_directions: bool = True
    sources: tuple[str, ...] = ()
    note: str = ""

    def __post_init__(self) -> None:
        if self.date_to is not None and self.date_to < self.date_from:
            raise ModelError(f"date_to {self.date_to} is before date_from {self.date_from}")

    def in_force_on(self, year: int | None, day: date | None) -> bool:
        """Whether the status holds on ``day`` (``None``: now, i.e. the row is open-ended).

        ``year`` is ignored when ``day`` is given; it is there so that a request by year alone
        (``day`` None, ``year`` set) reads the status of 1 July of that year.
        """
        if day is None:
            return self.in_force(year)
        return self.date_from <= day and (self.date_to is None or day <= self.date_to)

    def in_force(self, year: int | None) -> bool:
        """Whether the status holds in ``year`` (``None``: now, i.e. the row is open-ended)."""
        if year is None:
            return self.date_to is None
        mid = date(year, 7, 1)
        return self.date_from <= mid and (self.date_to is None or mid <= self.date_to)

    def link_keys(self) -> tuple[tuple[str, str, str], ...]:
        """The ``(from, to, mode)`` link keys the row covers."""
        one = (self.from_id, self.to_id, self.mode.value)
        if not self.both_directions:
            return (one,)
        return (one, (self.to_id, self.from_id, self.mode.value))


class EventEffect(StrEnum):
    """What a dated event does to an option that meets it."""

    WARN = "warn"
    """The option is shown with a warning naming the event (delays or a suspension likely)."""
    OMIT = "omit"
    """The option is left out of a comparison, with the event as the reason (a closure)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Event:
    """A dated disruption (a row of ``events.csv``): a closure, a war, a diversion, a storm.

    It affects a route that visits one of its ``nodes`` or ``countries`` while the event lasts,
    from ``date_from`` to ``date_to`` inclusive (``None``: still going on).

    Examples
    --------
    >>> e = Event(id="x", kind="closure", title="Border closed", date_from=date(2025, 9, 12),
    ...           date_to=date(2025, 9, 24), nodes=("brest",), effect=EventEffect.OMIT)
    >>> e.overlaps(date(2025, 9, 1), date(2025, 9, 15)), e.overlaps(date(2025, 9, 25), None)
    (True, False)
    >>> e.touches({"minsk", "brest"}, {"BY"})
    True
    """

    id: str
    kind: str
    title: str
    date_from: date
    date_to: date | None = None
    countries: tuple[str, ...] = ()
    nodes: tuple[str, ...] = ()
    effect: EventEffect = EventEffect.WARN
    sources: tuple[str, ...] = ()
    note: str = ""

    def __post_init__(self) -> None:
        if self.date_to is not None and self.date_to < self.date_from:
            raise ModelError(f"date_to {self.date_to} is before date_from {self.date_from}")
        if not (self.countries or self.nodes):
            raise ModelError(f"event {self.id} affects no country and no node")

    def overlaps(self, start: date, end: date | None) -> bool:
        """Whether the event lasts into ``[start, end]`` (``end`` None: from ``start`` on)."""
        if self.date_to is not None and self.date_to < start:
            return False
        return end is None or self.date_from <= end

    def touches(self, nodes: Iterable[str], countries: Iterable[str]) -> bool:
        """Whether a route through these nodes and countries meets the event."""
        return bool(set(self.nodes) & set(nodes)) or bool(set(self.countries) & set(countries))

    def describe(self) -> str:
        """``title (from – to)``, the way notes and warnings name the event."""
        end = self.date_to.isoformat() if self.date_to is not None else "ongoing"
        return f"{self.title} ({self.date_from.isoformat()} – {end})"

    def to_dict(self) -> dict[str, object]:
        """As one element of an option's ``events`` in the ``corridor compare --json`` contract."""
        return {
            "id": self.id,
            "kind": self.kind,
            "title": self.title,
            "from": self.date_from.isoformat(),
            "to": self.date_to.isoformat() if self.date_to is not None else None,
            "effect": self.effect.value,
            "sources": list(self.sources),
            "note": self.note,
        }


def meeting(
    events: Iterable[Event],
    *,
    nodes: Iterable[str],
    countries: Iterable[str],
    start: date,
    end: date | None,
) -> tuple[Event, ...]:
    """The events a journey through ``nodes`` and ``countries`` meets between ``start`` and
    ``end`` (inclusive; ``None``: from ``start`` on)."""
    at, through = tuple(nodes), tuple(countries)
    return tuple(e for e in events if e.overlaps(start, end) and e.touches(at, through))


@dataclass(frozen=True, slots=True, kw_only=True)
class ValueSet:
    """All refined values of a network."""

    operations: tuple[OperationValue, ...] = ()
    profiles: tuple[ProfileValue, ...] = ()
    services: tuple[ServiceValue, ...] = ()
    link_status: tuple[LinkStatusValue, ...] = ()
    events: tuple[Event, ...] = ()

    def without_link_status(self, keys: Iterable[tuple[str, str, str]]) -> ValueSet:
        """A copy without the dated status rows of these ``(from, to, mode)`` links.

        A scenario that sets a link's status itself (e.g. reopens the Red Sea) uses this, so
        that no dated row overrides its edit.
        """
        drop = set(keys)
        return ValueSet(
            operations=self.operations,
            profiles=self.profiles,
            services=self.services,
            events=self.events,
            link_status=tuple(
                r for r in self.link_status if not any(k in drop for k in r.link_keys())
            ),
        )

    def with_link_status(self, *rows: LinkStatusValue) -> ValueSet:
        """A copy with more dated link-status rows (e.g. a scenario reopening the Red Sea)."""
        return ValueSet(
            operations=self.operations,
            profiles=self.profiles,
            services=self.services,
            link_status=self.link_status + rows,
        )
