"""One request: what a user asks ``route``, ``compare``, ``emissions`` and ``eta`` for.

Every edge (the command line, the API, the Python functions) builds a :class:`RouteRequest` or a
:class:`CompareRequest` once; it is checked once, when it is built, and carries the one rule for
defaults (:func:`default_year`). :meth:`RouteRequest.resolved` turns the place names into node
ids and country codes on a network, after which :meth:`RouteRequest.key` is a cache key (two
requests that name the same places the same way have the same key). Requests are frozen and
picklable, so they cross process boundaries as they are.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from corridor.errors import ModelError, NodeNotFoundError
from corridor.model import Corridor, Scenario, ServiceClass
from corridor.network import country_candidates, country_code
from corridor.routing.pricing import CONTAINER_SIZES
from corridor.routing.search import DEFAULT_VALUE_OF_TIME_USD_PER_H, Constraints, Objective

if TYPE_CHECKING:
    from corridor.network import Network

__all__ = [
    "EARLIEST_DEPART",
    "LATEST_DEPART",
    "MAX_SAMPLES",
    "CompareRequest",
    "RouteRequest",
    "ScenarioRef",
    "default_year",
    "resolve_avoid",
]

ScenarioRef = str | Path | Mapping[str, Any] | Scenario
"""A scenario: a bundled name, a YAML file, a document, or a loaded :class:`Scenario`."""

EARLIEST_DEPART = date(2000, 1, 1)
LATEST_DEPART = date(2100, 12, 31)
EARLIEST_YEAR, LATEST_YEAR = 1990, 2100
MAX_SAMPLES = 1_000_000
MAX_CARGO_T = 60.0
MAX_DEADLINE_DAYS = 365.0


def default_year(year: int | None, depart: date, scenario_year: int | None = None) -> int:
    """The network, values-in-force and tariff year of a request: the one rule for defaults.

    ``year`` when given; else the scenario's network year (when the scenario states one); else the
    departure year. A journey that leaves in 2019 runs on the 2019 network, with the 2019 border
    times and Red Sea status, at 2019 rates.

    Examples
    --------
    >>> default_year(None, date(2019, 5, 1)), default_year(2024, date(2019, 5, 1))
    (2019, 2024)
    >>> default_year(None, date(2019, 5, 1), scenario_year=2030)
    2030
    """
    if year is not None:
        return year
    return scenario_year if scenario_year is not None else depart.year


def resolve_avoid(net: Network, items: Iterable[str]) -> tuple[frozenset[str], frozenset[str]]:
    """Split ``--avoid`` values into country codes and node ids.

    A value that names a country (ISO alpha-2 or alpha-3 code, or English name: ``RU``, ``rus``,
    ``Russia``, ``Türkiye``) is that country; anything else must name a place (id, name, alias or
    UN/LOCODE).

    Raises
    ------
    NodeNotFoundError
        For a value that is neither a country nor a place, with the closest of both.

    Examples
    --------
    >>> from corridor import load_network
    >>> countries, places = resolve_avoid(load_network(), ["Russia", "IRN", "Suez"])
    >>> sorted(countries), sorted(places)
    (['IR', 'RU'], ['suez'])
    """
    avoid_c: set[str] = set()
    avoid_n: set[str] = set()
    for item in items:
        code = country_code(item)
        if code is not None:
            avoid_c.add(code)
            continue
        try:
            avoid_n.add(net.node(item).id)
        except NodeNotFoundError as exc:
            if exc.ambiguous:
                raise
            candidates = [*country_candidates(item, 2), *exc.candidates][:3]
            raise NodeNotFoundError(item, candidates, what="country or place") from None
    return frozenset(avoid_c), frozenset(avoid_n)


def _depart(value: date | str | None) -> date:
    if value is None:
        return date.today()
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            raise ModelError(f"depart '{value}' is not a date YYYY-MM-DD") from None
    if not EARLIEST_DEPART <= value <= LATEST_DEPART:
        raise ModelError(f"depart must be between {EARLIEST_DEPART} and {LATEST_DEPART}")
    return value


def _names(value: Iterable[str] | str, what: str) -> tuple[str, ...]:
    items = (value,) if isinstance(value, str) else tuple(value)
    for item in items:
        if not isinstance(item, str) or not item.strip():
            raise ModelError(f"{what}: every place must be a non-empty name, got {item!r}")
    return items


@dataclass(frozen=True, slots=True, kw_only=True)
class RouteRequest:
    """Where from, where to, when and under what terms: the request of ``route`` and ``emissions``.

    Parameters
    ----------
    origin, destination
        Place names (id, name, alias or UN/LOCODE).
    depart
        Departure date (``date`` or ``YYYY-MM-DD``; default today, fixed when the request is
        built: read it as :attr:`departure`). It sets the year (see :func:`default_year`) and,
        in a comparison, the season and the weekday.
    year
        Network year (planned links open from their opening year), values in force (border
        times, speeds, sailings, the Red Sea status) and tariffs of that year; ``None``: the
        scenario's network year if it states one, else the departure year.
    month
        Calendar month for seasonal weather in ``route`` (``None``: the year average);
        a comparison uses the departure month.
    service
        ``standard`` (regular train at CPMM averages) or ``express`` (scheduled block train).
    container_ft, cargo_t
        Container size (20 or 40 ft) and cargo mass in it (t; default 10 t per TEU).
    avoid
        Countries (``RU``, ``RUS``, ``Russia``) or places (``Suez``) no route may touch.
    via
        Places every route passes, in order.
    objective, value_of_time_usd_per_h
        What the route search minimises (``time``, ``cost``, ``co2``, ``generalized``) and the
        value of time of the generalized cost, USD per FEU-hour.
    corridor
        Keep to this corridor (``emissions``, ``eta``); ``None``: every corridor.
    scenario
        The network as this scenario describes it (bundled name, YAML file, document or
        :class:`Scenario`).

    Raises
    ------
    ModelError
        For any value out of its range, naming the field.

    Examples
    --------
    >>> r = RouteRequest(origin="Xi'an", destination="Baku", depart="2025-03-01", via="Aktau")
    >>> r.via, r.year_for(), r.service.value
    (('Aktau',), 2025, 'standard')
    >>> RouteRequest(origin="A", destination="B", container_ft=30)
    Traceback (most recent call last):
    ...
    corridor.errors.ModelError: container_ft must be one of 20, 40, got 30
    """

    origin: str
    destination: str
    depart: date | str | None = None
    year: int | None = None
    month: int | None = None
    service: ServiceClass = ServiceClass.STANDARD
    container_ft: int = 40
    cargo_t: float | None = None
    avoid: tuple[str, ...] = ()
    via: tuple[str, ...] = ()
    objective: Objective = Objective.TIME
    value_of_time_usd_per_h: float = DEFAULT_VALUE_OF_TIME_USD_PER_H
    corridor: Corridor | None = None
    scenario: ScenarioRef | None = None

    def __post_init__(self) -> None:
        put = object.__setattr__
        put(self, "origin", _names(self.origin, "origin")[0])
        put(self, "destination", _names(self.destination, "destination")[0])
        put(self, "depart", _depart(self.depart))
        if self.year is not None and not EARLIEST_YEAR <= self.year <= LATEST_YEAR:
            raise ModelError(f"year must be between {EARLIEST_YEAR} and {LATEST_YEAR}")
        if self.month is not None and not 1 <= self.month <= 12:
            raise ModelError(f"month must be 1..12, got {self.month}")
        put(self, "service", ServiceClass.parse(self.service))
        try:
            put(self, "container_ft", int(self.container_ft))
        except (TypeError, ValueError):
            raise ModelError(
                f"container_ft must be one of 20, 40, got {self.container_ft!r}"
            ) from None
        if self.container_ft not in CONTAINER_SIZES:
            raise ModelError(f"container_ft must be one of 20, 40, got {self.container_ft}")
        if self.cargo_t is not None and not (
            math.isfinite(self.cargo_t) and 0 < self.cargo_t <= MAX_CARGO_T
        ):
            raise ModelError(f"cargo_t must be > 0 and at most {MAX_CARGO_T:g} t")
        put(self, "avoid", _names(self.avoid, "avoid"))
        put(self, "via", _names(self.via, "via"))
        try:
            put(self, "objective", Objective(str(self.objective)))
        except ValueError:
            names = ", ".join(o.value for o in Objective)
            raise ModelError(f"objective must be one of {names}, got {self.objective}") from None
        vot = self.value_of_time_usd_per_h
        if not (math.isfinite(vot) and vot >= 0):
            raise ModelError(f"value_of_time_usd_per_h must be >= 0, got {vot}")
        if self.corridor is not None:
            try:
                put(self, "corridor", Corridor(self.corridor))
            except ValueError:
                raise ModelError(f"unknown corridor '{self.corridor}'") from None

    @property
    def departure(self) -> date:
        """The departure date (``depart``, set to today when the request was built without one)."""
        assert isinstance(self.depart, date)
        return self.depart

    @classmethod
    def of(cls, request: Self | str, destination: str | None = None, **fields: Any) -> Self:
        """A request from a request (with some fields replaced) or from two place names.

        Raises
        ------
        ModelError
            For an invalid field, or a missing destination.
        TypeError
            For a field this request does not have.
        """
        if isinstance(request, cls):
            if destination is not None:
                fields["destination"] = destination
            return replace(request, **fields) if fields else request
        if destination is None:
            raise ModelError("a destination is needed")
        return cls(origin=str(request), destination=destination, **fields)

    def year_for(self, scenario_year: int | None = None) -> int:
        """The year this request routes and prices in (see :func:`default_year`)."""
        return default_year(self.year, self.departure, scenario_year)

    def resolved(self, net: Network) -> Self:
        """The same request with node ids for its places and country codes or node ids for
        ``avoid`` (sorted), so that its :meth:`key` no longer depends on spelling.

        Raises
        ------
        NodeNotFoundError
            For an unknown place.
        """
        o, d = net.node(self.origin).id, net.node(self.destination).id
        via = tuple(net.node(v).id for v in self.via)
        avoid_c, avoid_n = resolve_avoid(net, self.avoid)
        return replace(
            self,
            origin=o,
            destination=d,
            via=via,
            avoid=(*sorted(avoid_c), *sorted(avoid_n)),
        )

    def constraints(self, *, year: int, month: int | None) -> Constraints:
        """The routing constraints of a :meth:`resolved` request in ``year`` and ``month``.

        Country codes are upper case and node ids lower case, which is how ``avoid`` is split.
        """
        return Constraints(
            avoid_countries=frozenset(a for a in self.avoid if a.isupper()),
            avoid_nodes=frozenset(a for a in self.avoid if not a.isupper()),
            via=self.via,
            year=year,
            month=month,
            corridor=None,
            service=self.service,
            on=self.departure,
        )

    def key(self) -> tuple[Any, ...]:
        """A hashable key of every field (a scenario by its name or file; a loaded one by its
        name and year). Call it on a :meth:`resolved` request."""
        out: list[Any] = []
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "scenario" and value is not None:
                value = (
                    ("scenario", value.name, value.network_year)
                    if isinstance(value, Scenario)
                    else str(value)
                    if isinstance(value, str | Path)
                    else ("document", repr(sorted(value.items())))
                )
            out.append(value)
        return tuple(out)


@dataclass(frozen=True, slots=True, kw_only=True)
class CompareRequest(RouteRequest):
    """A :class:`RouteRequest` and how to sample it: the request of ``compare``.

    Parameters
    ----------
    samples, seed
        Monte-Carlo journeys per corridor (1 to 1,000,000) and the seed (same seed, same numbers).
    deadline_days
        Also report the probability of arriving within this many days (0 to 365).

    Examples
    --------
    >>> CompareRequest(origin="Xi'an", destination="Istanbul", samples=0)
    Traceback (most recent call last):
    ...
    corridor.errors.ModelError: samples must be between 1 and 1,000,000, got 0
    """

    samples: int = 10_000
    seed: int = 1
    deadline_days: float | None = None

    def __post_init__(self) -> None:
        super(CompareRequest, self).__post_init__()
        if not 1 <= self.samples <= MAX_SAMPLES:
            raise ModelError(f"samples must be between 1 and {MAX_SAMPLES:,}, got {self.samples}")
        if not 0 <= self.seed < 2**32:
            raise ModelError(f"seed must be between 0 and 2**32 - 1, got {self.seed}")
        d = self.deadline_days
        if d is not None and not (math.isfinite(d) and 0 < d <= MAX_DEADLINE_DAYS):
            raise ModelError(f"the deadline must be > 0 and at most 365 days, got {d}")
