"""Scenario files at the edge: the YAML schema, file lookup, ``base`` inheritance, the record.

A scenario is a YAML document (see ``docs/simulation.md``)::

    name: baseline-2024
    base: network            # the bundled network, or another scenario (name or path)
    year: 2024               # calendar year simulated: weather months, weekdays, links open
    network_year: 2024       # links open in this year (default: ``year``)
    days: 365
    settings: {train_teu: 100, train_max_wait_h: 72, arrivals: poisson}
    demand:
      scale: 1.0
      corridor: middle       # default corridor of the flows' routes (or ``any``)
      seasonality: {1: 0.8, 2: 0.9, ...}       # monthly multipliers, normalised to mean 1
      flows:
        - {origin: xian, destination: istanbul, teu_year: 20000, return_teu_year: 5000}
    changes:
      services: {caspian-aktau-alat: {vessels: 7}}
      nodes: {alat: {port: {capacity_teu_day: 1370}}, dostyk: {border: {trains_day: 28}}}
      links: [{from: tbilisi, to: kars, capacity_trains_day: 12}, {from: a, to: b, status: closed}]
      close_countries: [RU]
      close_nodes: [poti]
      land_services:         # block trains on new links (as in land_services.yaml)
        nakhchivan-rail: {countries: [AZ, AM, TR], frequency_per_week: 7, operator: ADY,
                          estimate: true, source: [assumption-new-links-services]}

This module knows files and documents, not the network: it checks every document against the
schema (pydantic), finds files (a path, or the name of a bundled scenario), reads the ``base``
chain as a list of :class:`ScenarioLayer` and merges documents. Place names are resolved against
a network, and the edits applied, by :mod:`corridor.network.scenario`. Every problem raises
:class:`~corridor.errors.ScenarioError` naming the file, the key and what would be valid.
"""

from __future__ import annotations

import copy
import types
import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from corridor.errors import ModelError, ScenarioError
from corridor.io.files import UnreadableFileError, read_text_bounded
from corridor.io.land_services import land_service
from corridor.io.yamlsafe import YamlShapeError, load_yaml
from corridor.model import (
    DEFAULT_REFORM_MAX_WAIT_H,
    DEFAULT_TRAIN_MAX_WAIT_H,
    DEFAULT_TRAIN_TEU,
    Changes,
    Corridor,
    Flow,
    LinkEdit,
    Mode,
    OperationEdit,
    OperationKind,
    Scenario,
    Service,
    ServiceEdit,
    Status,
)

__all__ = [
    "NETWORK_BASE",
    "ScenarioLayer",
    "bundled_scenario_dir",
    "bundled_scenarios",
    "check_scenario_document",
    "locate_scenario",
    "merge_scenario_documents",
    "read_scenario_layers",
    "scenario_record",
    "scenario_summary",
]

NETWORK_BASE = "network"
"""The ``base`` of a scenario that starts from the network itself."""

# --------------------------------------------------------------------------------------------
# Schema (pydantic): what a scenario document may contain.
# --------------------------------------------------------------------------------------------


class _Strict(BaseModel):
    # No NaN or infinity; numbers are numbers (``days: true`` is not 1).
    model_config = ConfigDict(
        extra="forbid", frozen=True, populate_by_name=True, allow_inf_nan=False
    )


# Plausible upper bounds of scenario numbers. They are generous (several times anything
# observed or planned on the corridors) and exist so that a typo or a hostile file is refused
# with a clear message instead of a run that exhausts the machine. Reference points: all the
# container trade between Asia and Europe is about 25 million TEU a year; the largest container
# ship carries about 24,000 TEU; a block train carries up to about 120 TEU.
MAX_FLOW_TEU_YEAR = 50_000_000.0
MAX_SCALE = 1_000.0
MAX_TRAIN_TEU = 500.0
MAX_VESSELS = 1_000
MAX_VESSEL_TEU = 30_000.0
MAX_HOURS = 8_760.0  # one year
MAX_NODE_TEU_DAY = 1_000_000.0
MAX_TRAINS_DAY = 1_000.0
MAX_MONTH_MULTIPLIER = 12.0

_Float = Annotated[float, Field(strict=True)]
_Int = Annotated[int, Field(strict=True)]


class _FlowIn(_Strict):
    origin: str = Field(min_length=1)
    destination: str = Field(min_length=1)
    teu_year: _Float = Field(ge=0, le=MAX_FLOW_TEU_YEAR)
    return_teu_year: _Float = Field(default=0.0, ge=0, le=MAX_FLOW_TEU_YEAR)
    via: list[str] = []
    corridor: Corridor | Literal["any"] | None = None
    label: str = ""


class _DemandIn(_Strict):
    scale: _Float | None = Field(default=None, ge=0, le=MAX_SCALE)
    corridor: Corridor | Literal["any"] | None = None
    seasonality: dict[int, _Float] | None = None
    flows: list[_FlowIn] | None = None

    @field_validator("seasonality")
    @classmethod
    def _months(cls, v: dict[int, float] | None) -> dict[int, float] | None:
        if v is None:
            return v
        bad = [m for m in v if not 1 <= m <= 12]
        if bad:
            raise ValueError(f"months must be 1..12, got {bad}")
        if any(not 0 <= x <= MAX_MONTH_MULTIPLIER for x in v.values()):
            raise ValueError(f"monthly multipliers must be between 0 and {MAX_MONTH_MULTIPLIER:g}")
        if sum(v.get(m, 1.0) for m in range(1, 13)) <= 0:
            raise ValueError("at least one month needs a multiplier > 0")
        return v


class _SettingsIn(_Strict):
    train_teu: _Float | None = Field(default=None, gt=0, le=MAX_TRAIN_TEU)
    train_max_wait_h: _Float | None = Field(default=None, gt=0, le=MAX_HOURS)
    reform_max_wait_h: _Float | None = Field(default=None, gt=0, le=MAX_HOURS)
    arrivals: Literal["poisson", "uniform"] | None = None


class _OperationChangeIn(_Strict):
    capacity_teu_day: _Float | None = Field(default=None, gt=0, le=MAX_NODE_TEU_DAY)
    trains_day: _Float | None = Field(default=None, gt=0, le=MAX_TRAINS_DAY)


class _ServiceChangeIn(_Strict):
    vessels: _Int | None = Field(default=None, ge=1, le=MAX_VESSELS)
    capacity_teu: _Float | None = Field(default=None, gt=0, le=MAX_VESSEL_TEU)
    turnaround_h: _Float | None = Field(default=None, ge=0, le=MAX_HOURS)
    max_wait_h: _Float | None = Field(default=None, gt=0, le=MAX_HOURS)
    every_h: _Float | None = Field(default=None, gt=0, le=MAX_HOURS)
    weather: Literal["none"] | None = None


class _LinkChangeIn(_Strict):
    from_: str = Field(alias="from", min_length=1)
    to: str = Field(min_length=1)
    mode: Mode = Mode.RAIL
    capacity_trains_day: _Float | None = Field(default=None, gt=0, le=MAX_TRAINS_DAY)
    status: Literal["open", "closed"] | None = None
    both_directions: bool = True


class _ConnectsIn(_Strict):
    with_: list[str] = Field(alias="with", min_length=1)
    source: list[str] = Field(min_length=1)
    estimate: bool


MAX_DEPARTURES_WEEK = 500.0


class _LandServiceIn(_Strict):
    mode: Literal["rail", "road"] = "rail"
    operator: str = Field(min_length=1)
    countries: list[str] = Field(min_length=1)
    frequency_per_week: _Float | None = Field(default=None, gt=0, le=MAX_DEPARTURES_WEEK)
    weekdays: list[_Int] = []
    estimate: bool
    source: list[str] = Field(min_length=1)
    connects: _ConnectsIn | None = None
    note: str = ""

    @model_validator(mode="after")
    def _one_rule(self) -> _LandServiceIn:
        if (self.frequency_per_week is None) == (not self.weekdays):
            raise ValueError("give either frequency_per_week or weekdays")
        if any(not 0 <= d <= 6 for d in self.weekdays):
            raise ValueError(f"weekdays are 0 (Monday) to 6 (Sunday), got {self.weekdays}")
        return self


_ServiceId = Annotated[str, Field(pattern=r"^[a-z0-9_.\-]+$")]


class _ChangesIn(_Strict):
    services: dict[str, _ServiceChangeIn] = {}
    land_services: dict[_ServiceId, _LandServiceIn] = {}
    nodes: dict[str, dict[OperationKind, _OperationChangeIn]] = {}
    links: list[_LinkChangeIn] = []
    close_countries: list[str] = []
    close_nodes: list[str] = []


class _ScenarioIn(_Strict):
    name: str | None = None
    description: str | None = None
    base: str | None = None
    year: _Int | None = Field(default=None, ge=1990, le=2100)
    network_year: _Int | None = Field(default=None, ge=1990, le=2100)
    days: _Int | None = Field(default=None, ge=1, le=3650)
    settings: _SettingsIn | None = None
    demand: _DemandIn | None = None
    changes: _ChangesIn | None = None


def _unwrap_model(tp: Any) -> type[BaseModel] | None:
    """The pydantic model class inside ``tp`` (through Optional, list and dict), if any."""
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return tp
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType, list, dict):
        for arg in reversed(typing.get_args(tp)):
            found = _unwrap_model(arg)
            if found is not None:
                return found
    return None


def _valid_keys(loc: tuple[int | str, ...]) -> list[str]:
    """Keys allowed at the mapping that holds ``loc[-1]``."""
    model: type[BaseModel] = _ScenarioIn
    for part in loc[:-1]:
        if isinstance(part, str) and part in model.model_fields:
            inner = _unwrap_model(model.model_fields[part].annotation)
            if inner is None:
                return []
            model = inner
    return [f.alias or name for name, f in model.model_fields.items()]


def _format_validation(exc: ValidationError, file: str) -> ScenarioError:
    err = exc.errors()[0]
    loc = tuple(err["loc"])
    key = ".".join(str(p) for p in loc) or "(top level)"
    if err["type"] == "extra_forbidden":
        valid = ", ".join(_valid_keys(loc))
        return ScenarioError(f"{file}: unknown key '{key}'; valid keys here: {valid}")
    value = err.get("input")
    shown = f" (got {value!r})" if isinstance(value, str | int | float) else ""
    return ScenarioError(f"{file}: key '{key}': {err['msg']}{shown}")


def check_scenario_document(document: Any, label: str) -> dict[str, Any]:
    """Check a document against the schema; return it as a plain ``dict``.

    Raises
    ------
    ScenarioError
        Not a mapping, an unknown key (with the valid keys listed) or an invalid value, naming
        ``label`` (the file) and the key.
    """
    if document is None:
        document = {}
    if not isinstance(document, Mapping):
        raise ScenarioError(f"{label}: expected a mapping of keys (name, base, year, demand, ...)")
    doc = {str(k): copy.deepcopy(v) for k, v in document.items()}
    try:
        _ScenarioIn.model_validate(doc)
    except ValidationError as exc:
        raise _format_validation(exc, label) from None
    return doc


# --------------------------------------------------------------------------------------------
# Files: lookup, reading, the base chain, merging.
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class ScenarioLayer:
    """One document of a scenario's ``base`` chain, as written (schema-checked, names unresolved).

    Attributes
    ----------
    label
        How messages name it: the file name, or the name given to a document passed as data.
    path
        The file it was read from (``""`` for a document passed as data).
    document
        The document; its ``base`` is kept.
    """

    label: str
    path: str
    document: Mapping[str, Any]

    @property
    def name(self) -> str:
        """The scenario's own ``name``, else the file stem (or the label)."""
        own = self.document.get("name")
        if own:
            return str(own)
        return Path(self.path).stem if self.path else self.label


def bundled_scenario_dir() -> Path:
    """Folder of the scenarios shipped with the package."""
    return Path(str(resources.files("corridor") / "data" / "scenarios"))


def bundled_scenarios() -> list[str]:
    """Names of the bundled scenarios, sorted.

    Examples
    --------
    >>> "baseline-2024" in bundled_scenarios()
    True
    """
    return sorted(p.stem for p in bundled_scenario_dir().glob("*.yaml"))


def _not_found(text: str, *, files: bool) -> ScenarioError:
    names = ", ".join(bundled_scenarios())
    if files:
        return ScenarioError(
            f"scenario '{text}' not found: give a YAML file path or a bundled scenario ({names})"
        )
    return ScenarioError(f"scenario '{text}' not found: use a bundled scenario ({names})")


def locate_scenario(
    ref: str | Path, relative_to: Path | None = None, *, files: bool = True
) -> Path:
    """The file of a scenario: a path (also relative to ``relative_to``) or a bundled name.

    With ``files=False`` only bundled names are accepted (a server does not open its own files
    on a client's behalf).

    Raises
    ------
    ScenarioError
        Nothing found; the message lists the bundled scenarios.
    """
    text = str(ref)
    bundled = bundled_scenario_dir() / f"{text}.yaml"
    if not files:
        if text in bundled_scenarios():
            return bundled
        raise _not_found(text, files=False)
    path = Path(text)
    candidates = [path]
    if relative_to is not None and not path.is_absolute():
        candidates.append(relative_to / path)
    if path.suffix not in (".yaml", ".yml"):
        candidates.append(bundled)
    for cand in candidates:
        if cand.is_file():
            return cand
    raise _not_found(text, files=True)


MAX_SCENARIO_BYTES = 2**20
"""Largest scenario file: a hand-written document of changes and flows (the API takes 256 kB)."""


def _read_file(path: Path) -> dict[str, Any]:
    name = path.name
    try:
        text = read_text_bounded(path, max_bytes=MAX_SCENARIO_BYTES)
    except UnreadableFileError as exc:
        raise ScenarioError(f"{name}: {exc}") from None
    if not text.strip():
        raise ScenarioError(f"{name}: the file is empty; a scenario needs at least 'base'")
    try:
        doc: Any = load_yaml(text)
    except YamlShapeError as exc:
        raise ScenarioError(f"{name}: {exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f"line {mark.line + 1}: " if mark is not None else ""
        raise ScenarioError(
            f"{name}: {line}not valid YAML ({getattr(exc, 'problem', exc)})"
        ) from None
    return check_scenario_document(doc, name)


def read_scenario_layers(
    source: str | Path | Mapping[str, Any], *, label: str | None = None, files: bool = True
) -> list[ScenarioLayer]:
    """A scenario and its ``base`` chain, the root first, each document schema-checked.

    Parameters
    ----------
    source
        A YAML file path, the name of a bundled scenario, or a document (a mapping).
    label
        How messages name a document passed as data (default: its ``name``, else ``scenario``).
    files
        Whether files may be named (a path as ``source`` or as a ``base``); when ``False``, only
        bundled scenarios are (the API's case).

    Raises
    ------
    ScenarioError
        Unknown file or scenario, invalid YAML, schema error, ``base`` loop, naming the file.

    Examples
    --------
    >>> [layer.name for layer in read_scenario_layers("wb-2030")]
    ['baseline-2024', 'wb-2030']
    """
    layers: list[ScenarioLayer] = []
    seen: set[str] = set()
    relative_to: Path | None = None
    if isinstance(source, Mapping):
        shown = label or str(source.get("name") or "scenario")
        layers.append(
            ScenarioLayer(label=shown, path="", document=check_scenario_document(source, shown))
        )
        base = layers[0].document.get("base")
    else:
        base = source
    while base is not None and str(base) != NETWORK_BASE:
        if not isinstance(base, str | Path):
            raise ScenarioError(
                f"{layers[-1].label}: key 'base': give '{NETWORK_BASE}' or a scenario name"
            )
        try:
            path = locate_scenario(base, relative_to, files=files)
        except ScenarioError as exc:
            if not layers:
                raise
            raise ScenarioError(f"{layers[-1].label}: key 'base': {exc}") from None
        key = str(path.resolve())
        if key in seen:
            raise ScenarioError(
                f"{path.name}: key 'base': scenarios inherit from each other in a loop"
            )
        seen.add(key)
        doc = _read_file(path)
        layers.append(ScenarioLayer(label=path.name, path=str(path), document=doc))
        relative_to = path.parent
        base = doc.get("base")
    layers.reverse()
    return layers


def merge_scenario_documents(documents: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Merge documents, the root first: later keys override, mappings merge, lists add.

    ``demand.flows`` is replaced as a whole (a child scenario restates its flows); lists of
    changes (``links``, ``close_countries``, ``close_nodes``) add up; ``base`` is dropped.

    Examples
    --------
    >>> merge_scenario_documents([{"year": 2024, "demand": {"scale": 1}},
    ...                           {"year": 2030, "demand": {"scale": 5}}])
    {'year': 2030, 'demand': {'scale': 5}}
    """
    out: dict[str, Any] = {}
    for doc in documents:
        out = _merge(out, doc)
    out.pop("base", None)
    return out


def _merge(base: Mapping[str, Any], child: Mapping[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(dict(base))
    for key, value in child.items():
        if key == "base":
            continue
        if key == "flows" or not isinstance(value, dict | list):
            out[key] = copy.deepcopy(value)
        elif isinstance(value, dict):
            prev = out.get(key)
            out[key] = _merge(prev if isinstance(prev, dict) else {}, value)
        else:
            prev_list = out.get(key)
            out[key] = [*(prev_list if isinstance(prev_list, list) else []), *value]
    return out


def scenario_summary(source: str | Path) -> dict[str, Any]:
    """Name, description, year and base of a scenario file, without checking names (listings).

    Raises
    ------
    ScenarioError
        When the file is missing, not valid YAML or not valid against the schema.
    """
    path = locate_scenario(source)
    raw = _read_file(path)
    demand = raw.get("demand") or {}
    return {
        "name": str(raw.get("name") or path.stem),
        "description": " ".join(str(raw.get("description") or "").split()),
        "year": raw.get("year"),
        "base": raw.get("base") or NETWORK_BASE,
        "flows": len(demand.get("flows") or []),
        "scale": demand.get("scale", 1.0),
    }


# --------------------------------------------------------------------------------------------
# The record.
# --------------------------------------------------------------------------------------------


def scenario_record(
    document: Mapping[str, Any], *, name: str, file: str = "", bases: tuple[str, ...] = ()
) -> Scenario:
    """The :class:`~corridor.model.Scenario` of a merged document (names as the document has them).

    Call it on a document whose place names are already node ids (see
    :func:`corridor.network.scenario_from_document`); this function does not know the network.

    Raises
    ------
    ScenarioError
        Schema error, or a flow whose origin is its destination, naming ``file`` (or ``name``).
    """
    label = Path(file).name if file else name
    doc = {k: v for k, v in document.items() if k != "base" and not str(k).startswith("_")}
    try:
        parsed = _ScenarioIn.model_validate(doc)
    except ValidationError as exc:
        raise _format_validation(exc, label) from None
    return _build(parsed, name=name, label=label, file=file, bases=bases)


def _land_services(ch: _ChangesIn, label: str) -> dict[str, Service]:
    out: dict[str, Service] = {}
    for sid, e in ch.land_services.items():
        try:
            out[sid] = land_service(
                sid=sid,
                mode=e.mode,
                operator=e.operator,
                countries=e.countries,
                frequency_per_week=e.frequency_per_week,
                weekdays=list(e.weekdays),
                estimate=e.estimate,
                sources=e.source,
                connects_with=e.connects.with_ if e.connects else [],
                note=e.note,
            )
        except ModelError as exc:
            raise ScenarioError(f"{label}: key 'changes.land_services.{sid}': {exc}") from None
    return out


def _flows(demand: _DemandIn, label: str) -> tuple[Flow, ...]:
    """The scenario's flows, each return flow after its outbound one."""
    default_corridor = demand.corridor if demand.corridor is not None else Corridor.MIDDLE
    flows: list[Flow] = []
    for f in demand.flows or []:
        corr = f.corridor if f.corridor is not None else default_corridor
        corridor = None if corr == "any" else Corridor(corr)
        if f.origin == f.destination:
            raise ScenarioError(
                f"{label}: key 'demand.flows': origin and destination are both '{f.origin}'"
            )
        flows.append(
            Flow(
                origin=f.origin,
                destination=f.destination,
                teu_year=f.teu_year,
                via=tuple(f.via),
                corridor=corridor,
                label=f.label,
            )
        )
        if f.return_teu_year > 0:
            flows.append(
                Flow(
                    origin=f.destination,
                    destination=f.origin,
                    teu_year=f.return_teu_year,
                    via=tuple(reversed(f.via)),
                    corridor=corridor,
                    label=f"{f.label} return" if f.label else "",
                )
            )
    return tuple(flows)


def _seasonality(demand: _DemandIn) -> tuple[float, ...]:
    """Twelve monthly factors (January first) with mean 1; a month not given weighs 1."""
    season = demand.seasonality or {}
    raw_months = [float(season.get(m, 1.0)) for m in range(1, 13)]
    mean = sum(raw_months) / 12.0
    return tuple(m / mean for m in raw_months)


def _changes(ch: _ChangesIn, label: str) -> Changes:
    """The edits the scenario makes to services, node operations, links and closures, and the
    land services it adds."""
    return Changes(
        services=MappingProxyType(
            {
                sid: ServiceEdit(
                    vessels=e.vessels,
                    capacity_teu=e.capacity_teu,
                    turnaround_h=e.turnaround_h,
                    max_wait_h=e.max_wait_h,
                    every_h=e.every_h,
                    no_weather=e.weather == "none",
                )
                for sid, e in ch.services.items()
            }
        ),
        operations=MappingProxyType(
            {
                (nid, OperationKind(kind)): OperationEdit(
                    capacity_teu_day=e.capacity_teu_day, trains_day=e.trains_day
                )
                for nid, ops in ch.nodes.items()
                for kind, e in ops.items()
            }
        ),
        links=tuple(
            LinkEdit(
                from_id=lk.from_,
                to_id=lk.to,
                mode=lk.mode,
                capacity_trains_day=lk.capacity_trains_day,
                status=None
                if lk.status is None
                else (Status.CLOSED if lk.status == "closed" else Status.OPERATIONAL),
                both_directions=lk.both_directions,
            )
            for lk in ch.links
        ),
        close_countries=frozenset(c.upper() for c in ch.close_countries),
        close_nodes=frozenset(ch.close_nodes),
        land_services=MappingProxyType(_land_services(ch, label)),
    )


def _build(p: _ScenarioIn, *, name: str, label: str, file: str, bases: tuple[str, ...]) -> Scenario:
    year = p.year or 2024
    settings = p.settings or _SettingsIn()
    demand = p.demand or _DemandIn()
    return Scenario(
        name=name,
        description=(p.description or "").strip(),
        file=file,
        bases=bases,
        year=year,
        network_year=p.network_year or year,
        year_stated=p.year is not None or p.network_year is not None,
        days=p.days or 365,
        train_teu=settings.train_teu or DEFAULT_TRAIN_TEU,
        train_max_wait_h=settings.train_max_wait_h or DEFAULT_TRAIN_MAX_WAIT_H,
        reform_max_wait_h=settings.reform_max_wait_h or DEFAULT_REFORM_MAX_WAIT_H,
        arrivals=settings.arrivals or "poisson",
        scale=demand.scale if demand.scale is not None else 1.0,
        seasonality=_seasonality(demand),
        flows=_flows(demand, label),
        changes=_changes(p.changes or _ChangesIn(), label),
    )
