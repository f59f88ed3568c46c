"""Read the network data files into model records.

The files are ``sources.csv``, ``nodes.csv``, ``operations.csv``, ``profiles.csv``, ``links.csv``
and ``services.yaml``, and optionally the values in force by service class, direction and year
(``operation_values.csv``, ``profile_values.csv``, ``service_values.csv``, ``link_status.csv``).

Every row is validated by a pydantic schema; the first problem raises :class:`DataError` naming the
file, the row (the header is row 1, so the first record is row 2), the field and what is valid.
"""

from __future__ import annotations

import csv
import dataclasses
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from corridor.errors import DataError, ModelError
from corridor.io.land_services import read_land_services
from corridor.io.yamlsafe import YamlShapeError, load_yaml
from corridor.model import (
    DepartureRule,
    DepartureRuleKind,
    Direction,
    Event,
    EventEffect,
    InForce,
    Link,
    LinkStatusValue,
    LogNormalSpeed,
    Mode,
    MonthWeather,
    Node,
    NodeKind,
    Operation,
    OperationKind,
    OperationValue,
    Profile,
    ProfileValue,
    Service,
    ServiceClass,
    ServiceValue,
    ShiftedLogNormal,
    Source,
    Status,
    ValueSet,
)
from corridor.model.tariffs import (
    Band,
    EmissionFactor,
    Rate,
    RateComponent,
    RateUnit,
    TariffBook,
    Traction,
)

__all__ = ["NetworkData", "read_network_data", "read_tariff_book"]

_SLUG = re.compile(r"^[a-z0-9_.\-]+$")
_NODE_ID = re.compile(r"^[a-z0-9_]+$")
_GAUGES = {1435, 1520}


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(";") if part.strip())


class _Row(BaseModel):
    model_config = ConfigDict(
        extra="ignore", str_strip_whitespace=True, frozen=True, allow_inf_nan=False
    )


class SourceRow(_Row):
    """A row of ``sources.csv``."""

    id: str = Field(pattern=_SLUG.pattern)
    title: str = Field(min_length=1)
    url: str = ""
    date: str = Field(pattern=r"^(\d{4}(-\d{2}(-\d{2})?)?|n\.d\.)$")
    confidence: Literal["high", "medium", "low"]
    note: str = ""


class NodeRow(_Row):
    """A row of ``nodes.csv``."""

    id: str = Field(pattern=_NODE_ID.pattern)
    name: str = Field(min_length=1)
    aliases: str = ""
    country: str = Field(pattern=r"^[A-Z]{2}$")
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    kind: NodeKind
    locode: str = Field(default="", pattern=r"^([A-Z]{2}[A-Z0-9]{3})?$")
    gauges: str = ""
    coord_source: str = Field(min_length=1)
    source: str = ""
    note: str = ""

    @field_validator("gauges")
    @classmethod
    def _gauges(cls, v: str) -> str:
        for part in _split(v):
            if not part.isdigit() or int(part) not in _GAUGES:
                raise ValueError(f"gauge '{part}' is not one of 1435, 1520 (';'-separated)")
        return v


class OperationRow(_Row):
    """A row of ``operations.csv``."""

    node: str = Field(min_length=1)
    operation: OperationKind
    dwell_h_min: float = Field(ge=0)
    dwell_h_mean: float = Field(ge=0)
    dwell_h_cv: float = Field(ge=0, le=5)
    cost_usd: float = Field(ge=0)
    capacity_teu_day: float | None = Field(default=None, gt=0)
    source: str = Field(min_length=1)
    note: str = ""
    side: str = Field(default="", pattern=r"^([A-Z]{2})?$")
    operator: str = ""


class ProfileRow(_Row):
    """A row of ``profiles.csv``."""

    id: str = Field(pattern=_SLUG.pattern)
    mode: Mode
    speed_kmh_mean: float = Field(ge=1, le=1000)  # below 1 km/h a leg takes years
    speed_kmh_cv: float = Field(ge=0, le=3)
    cost_usd_per_feu_km: float = Field(ge=0)
    co2_g_per_teu_km: float = Field(ge=0)
    source: str = Field(min_length=1)
    note: str = ""


class LinkRow(_Row):
    """A row of ``links.csv``."""

    from_: str = Field(alias="from", min_length=1)
    to: str = Field(min_length=1)
    mode: Mode
    gauge: int | None = None
    distance_km: float = Field(gt=0)
    distance_method: Literal["source", "estimate", "searoute"]
    bidirectional: Literal["yes", "no"]
    profile: str = Field(min_length=1)
    status: Status
    open_year: int | None = Field(default=None, ge=1850, le=2100)
    capacity_trains_day: float | None = Field(default=None, gt=0)
    service: str = ""
    source: str = Field(min_length=1)
    note: str = ""

    @field_validator("gauge")
    @classmethod
    def _gauge(cls, v: int | None) -> int | None:
        if v is not None and v not in _GAUGES:
            raise ValueError("gauge must be 1435 or 1520 (or empty for non-rail links)")
        return v


class _InForceRow(_Row):
    service_class: ServiceClass | None = None
    year_from: int | None = Field(default=None, ge=1990, le=2100)
    year_to: int | None = Field(default=None, ge=1990, le=2100)
    estimate: Literal["yes", "no"] = "no"
    source: str = Field(min_length=1)
    note: str = ""


class OperationValueRow(_InForceRow):
    """A row of ``operation_values.csv``."""

    node: str = Field(min_length=1)
    operation: OperationKind
    direction: Direction | None = None
    dwell_h_min: float = Field(ge=0)
    dwell_h_mean: float = Field(ge=0)
    dwell_h_cv: float = Field(ge=0, le=5)


class ProfileValueRow(_InForceRow):
    """A row of ``profile_values.csv``."""

    profile: str = Field(min_length=1)
    speed_kmh_mean: float = Field(gt=0, le=1000)
    speed_kmh_cv: float = Field(ge=0, le=3)


class ServiceValueRow(_InForceRow):
    """A row of ``service_values.csv``."""

    service: str = Field(min_length=1)
    rule: DepartureRuleKind | None = None
    every_h: float | None = Field(default=None, gt=0)
    max_wait_h: float | None = Field(default=None, gt=0)
    crossing_h_min: float | None = Field(default=None, ge=0)
    crossing_h_mean: float | None = Field(default=None, gt=0)
    crossing_h_cv: float | None = Field(default=None, ge=0, le=5)


class EventRow(_Row):
    """A row of ``events.csv``."""

    id: str = Field(pattern=_SLUG.pattern)
    kind: Literal["closure", "war", "diversion", "storm", "congestion", "suspension"]
    title: str = Field(min_length=1)
    date_from: date
    date_to: date | None = None
    countries: str = ""
    nodes: str = ""
    effect: EventEffect = EventEffect.WARN
    source: str = Field(min_length=1)
    note: str = ""


class LinkStatusRow(_Row):
    """A row of ``link_status.csv``."""

    id: str = Field(pattern=_SLUG.pattern)
    from_: str = Field(alias="from", min_length=1)
    to: str = Field(min_length=1)
    mode: Mode
    both_directions: Literal["yes", "no"] = "yes"
    status: Status
    date_from: date
    date_to: date | None = None
    source: str = Field(min_length=1)
    note: str = ""


class _WeatherMonth(BaseModel):
    model_config = ConfigDict(extra="forbid")
    hold_prob: float = Field(ge=0, le=1)
    hold_h_mean: float = Field(ge=0)


class _Weather(BaseModel):
    model_config = ConfigDict(extra="forbid")
    months: dict[int, _WeatherMonth] = {}
    source: list[str] = []

    @field_validator("months")
    @classmethod
    def _months(cls, v: dict[int, _WeatherMonth]) -> dict[int, _WeatherMonth]:
        bad = [m for m in v if not 1 <= m <= 12]
        if bad:
            raise ValueError(f"months must be 1..12, got {bad}")
        return v


class _Departure(BaseModel):
    model_config = ConfigDict(extra="forbid")
    rule: DepartureRuleKind
    every_h: float | None = Field(default=None, gt=0)
    max_wait_h: float | None = Field(default=None, gt=0)
    weekdays: list[int] = []
    hour: float = Field(default=0.0, ge=0, lt=24)


class _Dwell(BaseModel):
    model_config = ConfigDict(extra="forbid")
    min: float = Field(ge=0)
    mean: float = Field(gt=0)
    cv: float = Field(ge=0, le=5)


class ServiceEntry(BaseModel):
    """An entry of ``services.yaml``."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=_SLUG.pattern)
    mode: Literal["ferry", "sea", "river"]
    links: list[tuple[str, str]] = Field(min_length=1)
    vessels: int = Field(ge=1)
    capacity_teu: float = Field(gt=0)
    departure: _Departure
    crossing_h: _Dwell | None = None
    turnaround_h: float = Field(default=0.0, ge=0)
    weather: _Weather | None = None
    source: list[str] = Field(min_length=1)
    estimate: bool = False
    """The departure rule is an estimate (no published timetable found)."""
    ranges: list[list[str]] = []
    """The ranges of the service's trade (country codes): see ``Service.ranges``."""
    note: str = ""
    operator: str = ""


class RateRow(_Row):
    """A row of ``tariffs.csv``."""

    id: str = Field(pattern=_SLUG.pattern)
    component: RateComponent
    applies_to: str = Field(min_length=1)
    year_from: int | None = Field(default=None, ge=1900, le=2200)
    year_to: int | None = Field(default=None, ge=1900, le=2200)
    unit: RateUnit
    low: float = Field(ge=0)
    expected: float = Field(ge=0)
    high: float = Field(ge=0)
    low_20: float | None = Field(default=None, ge=0)
    expected_20: float | None = Field(default=None, ge=0)
    high_20: float | None = Field(default=None, ge=0)
    source: str = Field(min_length=1)
    estimate: Literal["yes", "no"]
    note: str = ""


class FactorRow(_Row):
    """A row of ``emission_factors.csv``."""

    id: str = Field(pattern=_SLUG.pattern)
    applies_to: str = Field(min_length=1)
    basis: Literal["g_per_teu_km", "g_per_t_km", "kg_per_container"]
    wtw: float = Field(ge=0)
    ttw: float = Field(ge=0)
    distance_factor: float = Field(default=1.0, gt=0, le=3)
    source: str = Field(min_length=1)
    estimate: Literal["yes", "no"]
    note: str = ""


class TractionRow(_Row):
    """A row of ``rail_traction.csv``."""

    network: str = Field(pattern=r"^([A-Z]{2}|EU|reference)$")
    electric_share: float = Field(ge=0, le=1)
    grid_g_per_kwh: float = Field(ge=0, le=2000)
    source: str = Field(min_length=1)
    estimate: Literal["yes", "no"]
    note: str = ""


def _prefixed(value: str) -> tuple[str, ...]:
    """``"profile:a;b"`` -> ``("profile:a", "profile:b")``: a prefix carries over the list."""
    out: list[str] = []
    prefix = ""
    for part in _split(value):
        if ":" in part:
            prefix = part.split(":", 1)[0] + ":"
            out.append(part)
        else:
            out.append(prefix + part)
    return tuple(out)


@dataclass(frozen=True, slots=True, kw_only=True)
class NetworkData:
    """Everything read from a data directory, cross-checked and converted to model records."""

    sources: Mapping[str, Source]
    nodes: Mapping[str, Node]
    links: tuple[Link, ...]
    services: Mapping[str, Service]
    profiles: Mapping[str, Profile]
    values: ValueSet = dataclasses.field(default_factory=ValueSet)
    tariffs: TariffBook | None = None
    land_services: Mapping[str, Service] = dataclasses.field(
        default_factory=lambda: MappingProxyType({})
    )
    """Block-train and trucking services (``land_services.yaml``, optional)."""


_R = TypeVar("_R", bound=BaseModel)


def _read_text(path: Path) -> str:
    """The UTF-8 text of a data file, or a DataError naming the file and what went wrong."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataError("file not found", file=str(path)) from None
    except UnicodeDecodeError as exc:
        raise DataError(
            f"not UTF-8 text ({exc.reason} at byte {exc.start})", file=path.name
        ) from None
    except OSError as exc:
        raise DataError(f"cannot read the file ({exc.strerror})", file=str(path)) from None


def _checked_rows(reader: csv.DictReader[str], file: str) -> Iterator[dict[str | Any, str | Any]]:
    """The reader's rows; a malformed CSV line becomes a DataError naming the row."""
    rows = iter(reader)
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except csv.Error as exc:
            raise DataError(f"not valid CSV ({exc})", file=file, row=reader.line_num) from None
        yield row


def _rows(path: Path, schema: type[_R]) -> Iterator[tuple[int, _R]]:
    """Yield ``(row_number, validated_row)``; the header is row 1."""
    text = _read_text(path)
    reader = csv.DictReader(text.splitlines())
    try:
        header = reader.fieldnames or []
    except csv.Error as exc:
        raise DataError(f"not valid CSV ({exc})", file=path.name, row=1) from None
    required = [(f.alias or name) for name, f in schema.model_fields.items() if f.is_required()]
    missing = [c for c in required if c not in header]
    if missing:
        raise DataError(
            f"missing column(s) {', '.join(missing)}; "
            f"the header has {', '.join(header) or 'nothing'}",
            file=path.name,
            row=1,
        )
    for index, raw in enumerate(_checked_rows(reader, path.name), start=2):
        if None in raw:
            raise DataError(
                f"{len(header) + len(raw[None])} cells for {len(header)} columns "
                "(an unquoted comma?)",
                file=path.name,
                row=index,
            )
        cleaned = {k: (v if v is not None and v.strip() != "" else None) for k, v in raw.items()}
        data = {k: v for k, v in cleaned.items() if v is not None}
        try:
            yield index, schema.model_validate(data)
        except ValidationError as exc:
            err = exc.errors()[0]
            loc = ".".join(str(p) for p in err["loc"]) or None
            value = data.get(str(err["loc"][0])) if err["loc"] else None
            shown = f" (got {value!r})" if value is not None else ""
            raise DataError(f"{err['msg']}{shown}", file=path.name, row=index, field=loc) from None


def _check_sources(
    ids: tuple[str, ...], sources: Mapping[str, Source], *, file: str, row: int, field: str
) -> tuple[str, ...]:
    for sid in ids:
        if sid not in sources:
            raise DataError(
                f"unknown source id '{sid}' (not in sources.csv)", file=file, row=row, field=field
            )
    return ids


def _with_native_names(
    nodes: dict[str, Node], path: Path, sources: Mapping[str, Source]
) -> dict[str, Node]:
    """Attach the names of ``native_names.csv`` (``node,name,geonameid,source``) to the nodes.

    The file is generated (``scripts/build_native_names.py``) and has thousands of rows, so it is
    checked with plain code rather than a row schema.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DataError(f"not UTF-8 text ({exc.reason})", file=path.name) from None
    reader = csv.reader(text.splitlines())
    header = next(reader, [])
    if header[:2] != ["node", "name"] or "source" not in header:
        raise DataError("expected the columns node,name,...,source", file=path.name, row=1)
    at_source = header.index("source")
    names: dict[str, list[str]] = {}
    for row, cells in enumerate(reader, start=2):
        if len(cells) != len(header):
            raise DataError(
                f"{len(cells)} cells for {len(header)} columns", file=path.name, row=row
            )
        node, name, source = cells[0], cells[1].strip(), cells[at_source]
        if node not in nodes:
            raise DataError(f"unknown node '{node}'", file=path.name, row=row, field="node")
        if source not in sources:
            raise DataError(
                f"unknown source '{source}' (not in sources.csv)",
                file=path.name,
                row=row,
                field="source",
            )
        if name:
            names.setdefault(node, []).append(name)
    return {
        nid: replace(n, native_names=tuple(names[nid])) if nid in names else n
        for nid, n in nodes.items()
    }


def _read_sources(directory: Path) -> dict[str, Source]:
    sources: dict[str, Source] = {}
    for row, s in _rows(directory / "sources.csv", SourceRow):
        if s.id in sources:
            raise DataError(
                f"duplicate source id '{s.id}'", file="sources.csv", row=row, field="id"
            )
        sources[s.id] = Source(
            id=s.id, title=s.title, url=s.url, date=s.date, confidence=s.confidence, note=s.note
        )
    return sources


def _read_operations(
    directory: Path, sources: Mapping[str, Source]
) -> tuple[dict[str, dict[OperationKind, Operation]], dict[str, int]]:
    """Operations by node, and the first row of each node (for errors)."""
    operations: dict[str, dict[OperationKind, Operation]] = {}
    op_rows: dict[str, int] = {}
    for row, o in _rows(directory / "operations.csv", OperationRow):
        ids = _check_sources(
            _split(o.source), sources, file="operations.csv", row=row, field="source"
        )
        if o.dwell_h_mean < o.dwell_h_min:
            raise DataError(
                f"dwell_h_mean {o.dwell_h_mean} is below dwell_h_min {o.dwell_h_min}",
                file="operations.csv",
                row=row,
                field="dwell_h_mean",
            )
        per_node = operations.setdefault(o.node, {})
        if o.operation in per_node:
            raise DataError(
                f"node '{o.node}' already has a '{o.operation}' operation",
                file="operations.csv",
                row=row,
                field="operation",
            )
        per_node[o.operation] = Operation(
            kind=o.operation,
            dwell=ShiftedLogNormal(min_h=o.dwell_h_min, mean_h=o.dwell_h_mean, cv=o.dwell_h_cv),
            cost_usd=o.cost_usd,
            capacity_teu_day=o.capacity_teu_day,
            sources=ids,
            note=o.note,
            side=o.side,
            operator=o.operator,
        )
        op_rows.setdefault(o.node, row)
    return operations, op_rows


def _read_nodes(directory: Path, sources: Mapping[str, Source]) -> dict[str, Node]:
    operations, op_rows = _read_operations(directory, sources)
    nodes: dict[str, Node] = {}
    for row, n in _rows(directory / "nodes.csv", NodeRow):
        if n.id in nodes:
            raise DataError(f"duplicate node id '{n.id}'", file="nodes.csv", row=row, field="id")
        _check_sources((n.coord_source,), sources, file="nodes.csv", row=row, field="coord_source")
        ids = _check_sources(_split(n.source), sources, file="nodes.csv", row=row, field="source")
        nodes[n.id] = Node(
            id=n.id,
            name=n.name,
            aliases=_split(n.aliases),
            country=n.country,
            lat=n.lat,
            lon=n.lon,
            kind=n.kind,
            locode=n.locode or None,
            gauges=frozenset(int(g) for g in _split(n.gauges)),
            operations=MappingProxyType(operations.pop(n.id, {})),
            sources=ids,
            note=n.note,
        )
    native = directory / "native_names.csv"
    if native.exists():
        nodes = _with_native_names(nodes, native, sources)
    if operations:
        node_id = next(iter(operations))
        raise DataError(
            f"operation for unknown node '{node_id}'",
            file="operations.csv",
            row=op_rows[node_id],
            field="node",
        )
    return nodes


def _read_profiles(directory: Path, sources: Mapping[str, Source]) -> dict[str, Profile]:
    profiles: dict[str, Profile] = {}
    for row, p in _rows(directory / "profiles.csv", ProfileRow):
        if p.id in profiles:
            raise DataError(
                f"duplicate profile id '{p.id}'", file="profiles.csv", row=row, field="id"
            )
        profiles[p.id] = Profile(
            id=p.id,
            mode=p.mode,
            speed=LogNormalSpeed(mean_kmh=p.speed_kmh_mean, cv=p.speed_kmh_cv),
            cost_usd_per_feu_km=p.cost_usd_per_feu_km,
            co2_g_per_teu_km=p.co2_g_per_teu_km,
            sources=_check_sources(
                _split(p.source), sources, file="profiles.csv", row=row, field="source"
            ),
            note=p.note,
        )
    return profiles


def _link_profile(r: LinkRow, row: int, profiles: Mapping[str, Profile]) -> Profile:
    """The profile of a link row, checked against the row's mode."""
    profile = profiles.get(r.profile)
    if profile is None:
        raise DataError(
            f"unknown profile '{r.profile}'; known: {', '.join(sorted(profiles))}",
            file="links.csv",
            row=row,
            field="profile",
        )
    if profile.mode is not r.mode:
        raise DataError(
            f"profile '{r.profile}' is for {profile.mode} links, not {r.mode}",
            file="links.csv",
            row=row,
            field="profile",
        )
    return profile


def _link_service(r: LinkRow, row: int, services: Mapping[str, Service]) -> Service | None:
    """The service a link row runs (ferry and sea links only), or None."""
    if not r.service:
        return None
    service = services.get(r.service)
    if service is None:
        raise DataError(
            f"unknown service '{r.service}' (not in services.yaml)",
            file="links.csv",
            row=row,
            field="service",
        )
    if not r.mode.is_water:
        raise DataError(
            "only ferry, sea and river links run a service",
            file="links.csv",
            row=row,
            field="service",
        )
    return service


def _check_link_ends(r: LinkRow, row: int, nodes: Mapping[str, Node]) -> None:
    for end, field in ((r.from_, "from"), (r.to, "to")):
        if end not in nodes:
            raise DataError(f"unknown node '{end}'", file="links.csv", row=row, field=field)
    if r.from_ == r.to:
        raise DataError(
            "a link cannot start and end at the same node", file="links.csv", row=row, field="to"
        )


def _check_link_gauge_status(r: LinkRow, row: int) -> None:
    if (r.mode is Mode.RAIL) != (r.gauge is not None):
        raise DataError(
            "rail links need a gauge (1435 or 1520); other modes none",
            file="links.csv",
            row=row,
            field="gauge",
        )
    if r.status is Status.PLANNED and r.open_year is None:
        raise DataError(
            "a planned link needs an open_year", file="links.csv", row=row, field="open_year"
        )


def _read_links(
    directory: Path,
    sources: Mapping[str, Source],
    nodes: Mapping[str, Node],
    profiles: Mapping[str, Profile],
    services: Mapping[str, Service],
) -> tuple[list[Link], dict[tuple[str, str, str], int]]:
    """The links (both directions of a bidirectional row), and the row of each link key."""
    links: list[Link] = []
    seen: dict[tuple[str, str, str], int] = {}
    for row, r in _rows(directory / "links.csv", LinkRow):
        _check_link_ends(r, row, nodes)
        profile = _link_profile(r, row, profiles)
        _check_link_gauge_status(r, row)
        service = _link_service(r, row, services)
        ids = _check_sources(_split(r.source), sources, file="links.csv", row=row, field="source")
        pairs = [(r.from_, r.to)] + ([(r.to, r.from_)] if r.bidirectional == "yes" else [])
        for a, b in pairs:
            key = (a, b, r.mode.value)
            if key in seen:
                raise DataError(
                    f"duplicate {r.mode} link {a} -> {b} (also row {seen[key]})",
                    file="links.csv",
                    row=row,
                    field="from",
                )
            seen[key] = row
            try:
                links.append(
                    Link(
                        from_id=a,
                        to_id=b,
                        mode=r.mode,
                        distance_km=r.distance_km,
                        profile=profile,
                        gauge=r.gauge,
                        distance_method=r.distance_method,
                        status=r.status,
                        open_year=r.open_year,
                        capacity_trains_day=r.capacity_trains_day,
                        service=service,
                        sources=ids,
                        note=r.note,
                    )
                )
            except ModelError as exc:
                raise DataError(str(exc), file="links.csv", row=row) from None
    return links, seen


def read_network_data(directory: Path) -> NetworkData:
    """Read and cross-check the network files of ``directory``.

    Parameters
    ----------
    directory
        Folder holding ``sources.csv``, ``nodes.csv``, ``operations.csv``, ``profiles.csv``,
        ``links.csv`` and ``services.yaml``.

    Raises
    ------
    DataError
        On the first malformed row, unknown reference or duplicate id, naming file, row and field.
    """
    if not directory.is_dir():
        what = "not a folder" if directory.exists() else "no such folder"
        raise DataError(
            f"{what}: the network is a folder of CSV and YAML files", file=str(directory)
        )
    sources = _read_sources(directory)
    nodes = _read_nodes(directory, sources)
    profiles = _read_profiles(directory, sources)
    services = _read_services(directory / "services.yaml", sources, nodes)
    links, seen = _read_links(directory, sources, nodes, profiles, services)
    return NetworkData(
        sources=MappingProxyType(sources),
        nodes=MappingProxyType(nodes),
        links=tuple(links),
        services=MappingProxyType(services),
        profiles=MappingProxyType(profiles),
        values=_read_values(directory, sources, nodes, profiles, services, seen),
        tariffs=read_tariff_book(directory, sources),
        land_services=MappingProxyType(
            read_land_services(directory, sources, nodes, vessel_services=frozenset(services))
        ),
    )


def _when(r: _InForceRow, file: str, row: int) -> InForce:
    try:
        return InForce(service=r.service_class, year_from=r.year_from, year_to=r.year_to)
    except ModelError as exc:
        raise DataError(str(exc), file=file, row=row, field="year_to") from None


def _read_operation_values(
    directory: Path, sources: Mapping[str, Source], nodes: Mapping[str, Node]
) -> list[OperationValue]:
    """Operation dwell times in force by service class, direction and year (optional file)."""
    ops: list[OperationValue] = []
    name = "operation_values.csv"
    if (directory / name).exists():
        for row, o in _rows(directory / name, OperationValueRow):
            ids = _check_sources(_split(o.source), sources, file=name, row=row, field="source")
            node = nodes.get(o.node)
            if node is None:
                raise DataError(f"unknown node '{o.node}'", file=name, row=row, field="node")
            if node.operation(o.operation) is None:
                raise DataError(
                    f"node '{o.node}' has no '{o.operation}' operation in operations.csv",
                    file=name,
                    row=row,
                    field="operation",
                )
            if o.direction is not None and o.operation is not OperationKind.BORDER:
                raise DataError(
                    "only border operations have a direction", file=name, row=row, field="direction"
                )
            if o.dwell_h_mean < o.dwell_h_min:
                raise DataError(
                    f"dwell_h_mean {o.dwell_h_mean} is below dwell_h_min {o.dwell_h_min}",
                    file=name,
                    row=row,
                    field="dwell_h_mean",
                )
            ops.append(
                OperationValue(
                    node=o.node,
                    kind=o.operation,
                    when=_when(o, name, row),
                    direction=o.direction,
                    dwell=ShiftedLogNormal(
                        min_h=o.dwell_h_min, mean_h=o.dwell_h_mean, cv=o.dwell_h_cv
                    ),
                    estimate=o.estimate == "yes",
                    sources=ids,
                    note=o.note,
                )
            )
    return ops


def _read_values(  # noqa: PLR0917  (internal helper: the records read so far)
    directory: Path,
    sources: Mapping[str, Source],
    nodes: Mapping[str, Node],
    profiles: Mapping[str, Profile],
    services: Mapping[str, Service],
    links: Mapping[tuple[str, str, str], int],
) -> ValueSet:
    """Read the optional files of values in force by service class, direction and year."""
    ops = _read_operation_values(directory, sources, nodes)
    profs = _read_profile_values(directory, sources, profiles)
    servs = _read_service_values(directory, sources, services)
    statuses = _read_link_status(directory, sources, links)
    return ValueSet(
        operations=tuple(ops),
        profiles=profs,
        services=servs,
        link_status=statuses,
        events=_read_events(directory, sources, nodes),
    )


def _read_profile_values(
    directory: Path, sources: Mapping[str, Source], profiles: Mapping[str, Profile]
) -> tuple[ProfileValue, ...]:
    """Read the optional ``profile_values.csv``: speeds of link profiles by year."""
    name = "profile_values.csv"
    if not (directory / name).exists():
        return ()
    profs: list[ProfileValue] = []
    for row, p in _rows(directory / name, ProfileValueRow):
        ids = _check_sources(_split(p.source), sources, file=name, row=row, field="source")
        if p.profile not in profiles:
            raise DataError(f"unknown profile '{p.profile}'", file=name, row=row, field="profile")
        profs.append(
            ProfileValue(
                profile=p.profile,
                when=_when(p, name, row),
                speed=LogNormalSpeed(mean_kmh=p.speed_kmh_mean, cv=p.speed_kmh_cv),
                estimate=p.estimate == "yes",
                sources=ids,
                note=p.note,
            )
        )
    return tuple(profs)


def _read_service_values(
    directory: Path, sources: Mapping[str, Source], services: Mapping[str, Service]
) -> tuple[ServiceValue, ...]:
    """Read the optional ``service_values.csv``: departures and crossings of services by year."""
    name = "service_values.csv"
    if not (directory / name).exists():
        return ()
    servs: list[ServiceValue] = []
    for row, v in _rows(directory / name, ServiceValueRow):
        ids = _check_sources(_split(v.source), sources, file=name, row=row, field="source")
        if v.service not in services:
            raise DataError(
                f"unknown service '{v.service}' (not in services.yaml)",
                file=name,
                row=row,
                field="service",
            )
        crossing_fields = (v.crossing_h_min, v.crossing_h_mean, v.crossing_h_cv)
        if any(x is not None for x in crossing_fields) and None in crossing_fields:
            raise DataError(
                "give crossing_h_min, crossing_h_mean and crossing_h_cv together",
                file=name,
                row=row,
                field="crossing_h_mean",
            )
        try:
            departure = (
                DepartureRule(kind=v.rule, every_h=v.every_h, max_wait_h=v.max_wait_h)
                if v.rule is not None
                else None
            )
            crossing = (
                ShiftedLogNormal(
                    min_h=float(v.crossing_h_min or 0.0),
                    mean_h=float(v.crossing_h_mean or 0.0),
                    cv=float(v.crossing_h_cv or 0.0),
                )
                if v.crossing_h_mean is not None
                else None
            )
        except ModelError as exc:
            raise DataError(str(exc), file=name, row=row, field="rule") from None
        servs.append(
            ServiceValue(
                service=v.service,
                when=_when(v, name, row),
                departure=departure,
                crossing=crossing,
                estimate=v.estimate == "yes",
                sources=ids,
                note=v.note,
            )
        )
    return tuple(servs)


def _read_link_status(
    directory: Path, sources: Mapping[str, Source], links: Mapping[tuple[str, str, str], int]
) -> tuple[LinkStatusValue, ...]:
    """Read the optional ``link_status.csv``: dated openings and closures of links."""
    name = "link_status.csv"
    if not (directory / name).exists():
        return ()
    statuses: list[LinkStatusValue] = []
    for row, ls in _rows(directory / name, LinkStatusRow):
        ids = _check_sources(_split(ls.source), sources, file=name, row=row, field="source")
        if (ls.from_, ls.to, ls.mode.value) not in links:
            raise DataError(
                f"no {ls.mode} link {ls.from_} -> {ls.to} in links.csv",
                file=name,
                row=row,
                field="from",
            )
        try:
            statuses.append(
                LinkStatusValue(
                    id=ls.id,
                    from_id=ls.from_,
                    to_id=ls.to,
                    mode=ls.mode,
                    status=ls.status,
                    date_from=ls.date_from,
                    date_to=ls.date_to,
                    both_directions=ls.both_directions == "yes",
                    sources=ids,
                    note=ls.note,
                )
            )
        except ModelError as exc:
            raise DataError(str(exc), file=name, row=row, field="date_to") from None
    return tuple(statuses)


def _read_events(
    directory: Path, sources: Mapping[str, Source], nodes: Mapping[str, Node]
) -> tuple[Event, ...]:
    """Read the optional ``events.csv``: dated disruptions (closures, wars, storms)."""
    name = "events.csv"
    if not (directory / name).exists():
        return ()
    events: list[Event] = []
    for row, e in _rows(directory / name, EventRow):
        ids = _check_sources(_split(e.source), sources, file=name, row=row, field="source")
        affected = _split(e.nodes)
        for nid in affected:
            if nid not in nodes:
                raise DataError(f"unknown node '{nid}'", file=name, row=row, field="nodes")
        try:
            events.append(
                Event(
                    id=e.id,
                    kind=e.kind,
                    title=e.title,
                    date_from=e.date_from,
                    date_to=e.date_to,
                    countries=_split(e.countries),
                    nodes=affected,
                    effect=e.effect,
                    sources=ids,
                    note=e.note,
                )
            )
        except ModelError as exc:
            raise DataError(str(exc), file=name, row=row, field="date_to") from None
    return tuple(events)


def _band(row: int, name: str, low: float, expected: float, high: float) -> Band:
    try:
        return Band(low=low, expected=expected, high=high)
    except ModelError as exc:
        raise DataError(str(exc), file=name, row=row, field="expected") from None


def read_tariff_book(directory: Path, sources: Mapping[str, Source]) -> TariffBook | None:
    """Read ``tariffs.csv``, ``emission_factors.csv`` and ``rail_traction.csv`` of ``directory``.

    The three files are optional as a set: a folder with none of them gives ``None`` (costs and
    emissions then come from the link profiles and node operations alone).

    Raises
    ------
    DataError
        On a malformed row, an unknown source id, a low/expected/high out of order, or a
        duplicate id, naming file, row and field; or when only some of the three files exist.
    """
    names = ("tariffs.csv", "emission_factors.csv", "rail_traction.csv")
    present = [n for n in names if (directory / n).exists()]
    if not present:
        return None
    if len(present) != len(names):
        missing = ", ".join(n for n in names if n not in present)
        raise DataError(f"{missing} missing (the tariff files come as a set)", file=present[0])
    return TariffBook(
        rates=_read_rates(directory, sources),
        factors=_read_factors(directory, sources),
        traction=_read_traction(directory, sources),
    )


def _read_rates(directory: Path, sources: Mapping[str, Source]) -> tuple[Rate, ...]:
    """The rates of ``tariffs.csv``: unique ids, complete TEU bands, years in order."""
    rates: list[Rate] = []
    seen: set[str] = set()
    for row, r in _rows(directory / "tariffs.csv", RateRow):
        if r.id in seen:
            raise DataError(f"duplicate rate id '{r.id}'", file="tariffs.csv", row=row, field="id")
        seen.add(r.id)
        ids = _check_sources(_split(r.source), sources, file="tariffs.csv", row=row, field="source")
        teu_values = (r.low_20, r.expected_20, r.high_20)
        if any(v is not None for v in teu_values) and any(v is None for v in teu_values):
            raise DataError(
                "give all of low_20, expected_20, high_20 or none",
                file="tariffs.csv",
                row=row,
                field="low_20",
            )
        teu = (
            _band(row, "tariffs.csv", r.low_20 or 0.0, r.expected_20 or 0.0, r.high_20 or 0.0)
            if r.expected_20 is not None
            else None
        )
        if r.year_from is not None and r.year_to is not None and r.year_to < r.year_from:
            raise DataError(
                f"year_to {r.year_to} is before year_from {r.year_from}",
                file="tariffs.csv",
                row=row,
                field="year_to",
            )
        rates.append(
            Rate(
                id=r.id,
                component=r.component,
                applies_to=_split(r.applies_to),
                unit=r.unit,
                feu=_band(row, "tariffs.csv", r.low, r.expected, r.high),
                teu=teu,
                year_from=r.year_from,
                year_to=r.year_to,
                sources=ids,
                estimate=r.estimate == "yes",
                note=r.note,
            )
        )
    return tuple(rates)


def _read_factors(directory: Path, sources: Mapping[str, Source]) -> tuple[EmissionFactor, ...]:
    """The factors of ``emission_factors.csv``; tank-to-wheel never above well-to-wheel."""
    factors: list[EmissionFactor] = []
    for row, f in _rows(directory / "emission_factors.csv", FactorRow):
        ids = _check_sources(
            _split(f.source), sources, file="emission_factors.csv", row=row, field="source"
        )
        if f.ttw > f.wtw:
            raise DataError(
                f"ttw {f.ttw} exceeds wtw {f.wtw} (well-to-wheel includes tank-to-wheel)",
                file="emission_factors.csv",
                row=row,
                field="ttw",
            )
        factors.append(
            EmissionFactor(
                id=f.id,
                applies_to=_prefixed(f.applies_to),
                basis=f.basis,
                wtw=f.wtw,
                ttw=f.ttw,
                distance_factor=f.distance_factor,
                sources=ids,
                estimate=f.estimate == "yes",
                note=f.note,
            )
        )
    return tuple(factors)


def _read_traction(directory: Path, sources: Mapping[str, Source]) -> tuple[Traction, ...]:
    """The electric share and grid intensity of each rail network (``rail_traction.csv``)."""
    traction: list[Traction] = []
    for row, t in _rows(directory / "rail_traction.csv", TractionRow):
        ids = _check_sources(
            _split(t.source), sources, file="rail_traction.csv", row=row, field="source"
        )
        traction.append(
            Traction(
                network=t.network,
                electric_share=t.electric_share,
                grid_g_per_kwh=t.grid_g_per_kwh,
                sources=ids,
                estimate=t.estimate == "yes",
                note=t.note,
            )
        )
    return tuple(traction)


def _read_services(
    path: Path, sources: Mapping[str, Source], nodes: Mapping[str, Node]
) -> dict[str, Service]:
    name = path.name
    text = _read_text(path)
    try:
        doc: Any = load_yaml(text)
    except YamlShapeError as exc:
        raise DataError(str(exc), file=name) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f"line {mark.line + 1}: " if mark is not None else ""
        raise DataError(
            f"{line}not valid YAML ({getattr(exc, 'problem', exc)})", file=name
        ) from None
    if not isinstance(doc, dict) or not isinstance(doc.get("services"), list):
        raise DataError("expected a mapping with a 'services' list", file=name)
    services: dict[str, Service] = {}
    for i, raw in enumerate(doc["services"]):
        where = f"services[{i}]"
        try:
            entry = ServiceEntry.model_validate(raw)
        except ValidationError as exc:
            err = exc.errors()[0]
            loc = ".".join(str(p) for p in err["loc"])
            raise DataError(err["msg"], file=name, field=f"{where}.{loc}") from None
        if entry.id in services:
            raise DataError(f"duplicate service id '{entry.id}'", file=name, field=f"{where}.id")
        for sid in [*entry.source, *(entry.weather.source if entry.weather else [])]:
            if sid not in sources:
                raise DataError(f"unknown source id '{sid}'", file=name, field=f"{where}.source")
        for a, b in entry.links:
            for end in (a, b):
                if end not in nodes:
                    raise DataError(f"unknown node '{end}'", file=name, field=f"{where}.links")
        d = entry.departure
        try:
            rule = DepartureRule(
                kind=d.rule,
                every_h=d.every_h,
                max_wait_h=d.max_wait_h,
                weekdays=tuple(d.weekdays),
                hour=d.hour,
            )
            crossing = (
                ShiftedLogNormal(
                    min_h=entry.crossing_h.min, mean_h=entry.crossing_h.mean, cv=entry.crossing_h.cv
                )
                if entry.crossing_h
                else None
            )
            weather = {
                m: MonthWeather(hold_prob=w.hold_prob, hold_h_mean=w.hold_h_mean)
                for m, w in (entry.weather.months.items() if entry.weather else [])
            }
        except ModelError as exc:
            raise DataError(str(exc), file=name, field=where) from None
        services[entry.id] = Service(
            id=entry.id,
            mode=Mode(entry.mode),
            links=tuple((a, b) for a, b in entry.links),
            vessels=entry.vessels,
            capacity_teu=entry.capacity_teu,
            departure=rule,
            crossing=crossing,
            turnaround_h=entry.turnaround_h,
            weather=MappingProxyType(weather),
            sources=tuple(entry.source),
            weather_sources=tuple(entry.weather.source if entry.weather else ()),
            operator=entry.operator,
            note=entry.note,
            estimate=entry.estimate,
            ranges=tuple(frozenset(c.upper() for c in r) for r in entry.ranges),
        )
    return services
