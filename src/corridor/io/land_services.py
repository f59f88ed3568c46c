"""Reader of ``land_services.yaml``: the block-train and trucking services of a network.

The file is optional: a network without it has no land services, and its routes run as one
conveyance from door to door (the behaviour of hand-built test networks).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from corridor.errors import DataError, ModelError
from corridor.io.yamlsafe import YamlShapeError, load_yaml
from corridor.model import DepartureRule, DepartureRuleKind, Mode, Node, Service, Source
from corridor.units import HOURS_PER_WEEK

__all__ = ["FILE", "land_service", "read_land_services"]

FILE = "land_services.yaml"


class _Connects(BaseModel):
    """Services whose arrivals a land service's departures are timed to (a train formed from a
    vessel's load): a box changing from one of them waits for no departure."""

    model_config = ConfigDict(extra="forbid")
    with_: list[str] = Field(alias="with", min_length=1)
    source: list[str] = Field(min_length=1)
    estimate: bool


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z0-9_.\-]+$")
    mode: Literal["rail", "road"]
    operator: str = Field(min_length=1)
    countries: list[str] = Field(min_length=1)
    frequency_per_week: float | None = Field(default=None, gt=0, le=500)
    weekdays: list[int] = []
    estimate: bool
    source: list[str] = Field(min_length=1)
    connects: _Connects | None = None
    note: str = ""


class _Generic(BaseModel):
    model_config = ConfigDict(extra="forbid")
    mode: Literal["rail", "road"]
    operator: str = Field(min_length=1)
    per_country: bool
    frequency_per_week: float = Field(gt=0, le=500)
    source: list[str] = Field(min_length=1)
    note: str = ""


class _Doc(BaseModel):
    model_config = ConfigDict(extra="forbid")
    services: list[_Entry]
    generic: list[_Generic] = []


def _rule(freq: float | None, weekdays: list[int], where: str) -> DepartureRule:
    try:
        if weekdays:
            return DepartureRule(kind=DepartureRuleKind.TIMETABLE, weekdays=tuple(weekdays))
        if freq is None:
            raise ModelError("give frequency_per_week or weekdays")
        return DepartureRule(kind=DepartureRuleKind.INTERVAL, every_h=HOURS_PER_WEEK / freq)
    except ModelError as exc:
        raise DataError(str(exc), file=FILE, field=where) from None


def land_service(
    *,
    sid: str,
    mode: str,
    operator: str,
    countries: list[str],
    frequency_per_week: float | None,
    weekdays: list[int],
    estimate: bool,
    sources: list[str],
    connects_with: list[str],
    note: str = "",
) -> Service:
    """A named land service from the fields of an entry (``land_services.yaml`` or a
    scenario's ``changes.land_services``).

    Raises
    ------
    ModelError
        Neither a frequency nor weekdays, or an invalid weekday.
    """
    if weekdays:
        if any(not 0 <= d <= 6 for d in weekdays):
            raise ModelError(f"weekdays are 0 (Monday) to 6 (Sunday), got {weekdays}")
        rule = DepartureRule(kind=DepartureRuleKind.TIMETABLE, weekdays=tuple(weekdays))
    elif frequency_per_week is None:
        raise ModelError("give frequency_per_week or weekdays")
    else:
        rule = DepartureRule(
            kind=DepartureRuleKind.INTERVAL, every_h=HOURS_PER_WEEK / frequency_per_week
        )
    return Service(
        id=sid,
        mode=Mode(mode),
        links=(),
        vessels=0,
        capacity_teu=0.0,
        departure=rule,
        crossing=None,
        sources=tuple(sources),
        note=note,
        operator=operator,
        countries=frozenset(c.upper() for c in countries),
        estimate=estimate,
        connects_with=frozenset(connects_with),
    )


def _generic(
    g: _Generic, where: str, sources: Mapping[str, Source], countries: list[str]
) -> dict[str, Service]:
    """The generic services of one ``generic`` entry (one per country when ``per_country``)."""
    for ref in g.source:
        if ref not in sources:
            raise DataError(f"unknown source id '{ref}'", file=FILE, field=f"{where}.source")
    mode = Mode(g.mode)
    out: dict[str, Service] = {}
    areas: list[str | None] = list(countries) if g.per_country else [None]
    for c in areas:
        sid = generic_id(mode, c)
        out[sid] = Service(
            id=sid,
            mode=mode,
            links=(),
            vessels=0,
            capacity_teu=0.0,
            departure=_rule(g.frequency_per_week, [], where),
            crossing=None,
            sources=tuple(g.source),
            note=g.note,
            operator=f"{g.operator} {c}" if c else g.operator,
            countries=frozenset({c}) if c else frozenset(countries),
            estimate=True,
            generic=True,
        )
    return out


def generic_id(mode: Mode, country: str | None) -> str:
    """Id of the generic service of a mode (and national network): ``generic-rail-ro``."""
    return f"generic-{mode.value}" + (f"-{country.lower()}" if country else "")


def read_land_services(
    directory: Path,
    sources: Mapping[str, Source],
    nodes: Mapping[str, Node],
    *,
    vessel_services: frozenset[str] = frozenset(),
) -> dict[str, Service]:
    """The land services of ``land_services.yaml`` in ``directory`` (``{}`` without the file).

    ``vessel_services`` are the ids of the network's vessel services, which a land service may
    connect with (``connects.with``), as may another land service of the file.

    Raises
    ------
    DataError
        On a malformed entry, an unknown source, country or connecting service, or a duplicate
        id.
    """
    path = directory / FILE
    if not path.exists():
        return {}
    try:
        raw: Any = load_yaml(path.read_text(encoding="utf-8"))
        doc = _Doc.model_validate(raw)
    except YamlShapeError as exc:
        raise DataError(str(exc), file=FILE) from None
    except yaml.YAMLError as exc:
        raise DataError(f"not valid YAML ({exc})", file=FILE) from None
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(p) for p in err["loc"])
        raise DataError(err["msg"], file=FILE, field=loc) from None
    countries = {n.country for n in nodes.values()}
    out: dict[str, Service] = {}
    for i, e in enumerate(doc.services):
        where = f"services[{i}]"
        if e.id in out:
            raise DataError(f"duplicate service id '{e.id}'", file=FILE, field=f"{where}.id")
        for sid in e.source:
            if sid not in sources:
                raise DataError(f"unknown source id '{sid}'", file=FILE, field=f"{where}.source")
        for c in e.countries:
            if c not in countries:
                raise DataError(f"no node in country '{c}'", file=FILE, field=f"{where}.countries")
        try:
            out[e.id] = land_service(
                sid=e.id,
                mode=e.mode,
                operator=e.operator,
                countries=e.countries,
                frequency_per_week=e.frequency_per_week,
                weekdays=e.weekdays,
                estimate=e.estimate,
                sources=e.source,
                connects_with=e.connects.with_ if e.connects else [],
                note=e.note,
            )
        except ModelError as exc:
            raise DataError(str(exc), file=FILE, field=where) from None
    for i, g in enumerate(doc.generic):
        out.update(_generic(g, f"generic[{i}]", sources, sorted(countries)))
    _check_connections(doc.services, sources, vessel_services | set(out))
    return out


def _check_connections(
    entries: list[_Entry], sources: Mapping[str, Source], known: set[str] | frozenset[str]
) -> None:
    """Each ``connects`` names other services of the network and known sources."""
    for i, e in enumerate(entries):
        if e.connects is None:
            continue
        where = f"services[{i}].connects"
        for sid in e.connects.source:
            if sid not in sources:
                raise DataError(f"unknown source id '{sid}'", file=FILE, field=f"{where}.source")
        for sid in e.connects.with_:
            if sid not in known or sid == e.id:
                raise DataError(
                    f"'{sid}' is not another service of the network", file=FILE, field=where
                )
