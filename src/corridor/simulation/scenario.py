"""Scenario files: schema, loading (with ``base`` inheritance) and the network edits they make.

A scenario is a YAML file (see ``docs/simulation.md``)::

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

The file is validated at the edge with pydantic; every problem raises :class:`ScenarioError`
naming the file, the key and what would be valid. The result is a frozen
:class:`~corridor.model.Scenario` (the records live in the model layer).
"""

from __future__ import annotations

import copy
import types
import typing
from collections.abc import Mapping
from dataclasses import replace
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from corridor.errors import CorridorError, ScenarioError
from corridor.model import (
    DEFAULT_REFORM_MAX_WAIT_H,
    DEFAULT_TRAIN_MAX_WAIT_H,
    DEFAULT_TRAIN_TEU,
    Changes,
    Corridor,
    DepartureRule,
    DepartureRuleKind,
    Flow,
    Link,
    LinkEdit,
    Mode,
    Node,
    OperationEdit,
    OperationKind,
    Scenario,
    Service,
    ServiceEdit,
    Status,
)
from corridor.network import Network

__all__ = [
    "Changes",
    "Flow",
    "LinkEdit",
    "OperationEdit",
    "Scenario",
    "ServiceEdit",
    "apply_changes",
    "bundled_scenario_dir",
    "bundled_scenarios",
    "load_scenario",
    "scenario_document",
    "scenario_from_document",
    "scenario_summary",
]

# --------------------------------------------------------------------------------------------
# Edge schema (pydantic): what a scenario file may contain.
# --------------------------------------------------------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class _FlowIn(_Strict):
    origin: str = Field(min_length=1)
    destination: str = Field(min_length=1)
    teu_year: float = Field(ge=0)
    return_teu_year: float = Field(default=0.0, ge=0)
    via: list[str] = []
    corridor: Corridor | Literal["any"] | None = None
    label: str = ""


class _DemandIn(_Strict):
    scale: float | None = Field(default=None, ge=0)
    corridor: Corridor | Literal["any"] | None = None
    seasonality: dict[int, float] | None = None
    flows: list[_FlowIn] | None = None

    @field_validator("seasonality")
    @classmethod
    def _months(cls, v: dict[int, float] | None) -> dict[int, float] | None:
        if v is None:
            return v
        bad = [m for m in v if not 1 <= m <= 12]
        if bad:
            raise ValueError(f"months must be 1..12, got {bad}")
        if any(x < 0 for x in v.values()):
            raise ValueError("monthly multipliers must be >= 0")
        if sum(v.get(m, 1.0) for m in range(1, 13)) <= 0:
            raise ValueError("at least one month needs a multiplier > 0")
        return v


class _SettingsIn(_Strict):
    train_teu: float | None = Field(default=None, gt=0)
    train_max_wait_h: float | None = Field(default=None, gt=0)
    reform_max_wait_h: float | None = Field(default=None, gt=0)
    arrivals: Literal["poisson", "uniform"] | None = None


class _OperationChangeIn(_Strict):
    capacity_teu_day: float | None = Field(default=None, gt=0)
    trains_day: float | None = Field(default=None, gt=0)


class _ServiceChangeIn(_Strict):
    vessels: int | None = Field(default=None, ge=1)
    capacity_teu: float | None = Field(default=None, gt=0)
    turnaround_h: float | None = Field(default=None, ge=0)
    max_wait_h: float | None = Field(default=None, gt=0)
    every_h: float | None = Field(default=None, gt=0)
    weather: Literal["none"] | None = None


class _LinkChangeIn(_Strict):
    from_: str = Field(alias="from", min_length=1)
    to: str = Field(min_length=1)
    mode: Mode = Mode.RAIL
    capacity_trains_day: float | None = Field(default=None, gt=0)
    status: Literal["open", "closed"] | None = None
    both_directions: bool = True


class _ChangesIn(_Strict):
    services: dict[str, _ServiceChangeIn] = {}
    nodes: dict[str, dict[OperationKind, _OperationChangeIn]] = {}
    links: list[_LinkChangeIn] = []
    close_countries: list[str] = []
    close_nodes: list[str] = []


class _ScenarioIn(_Strict):
    name: str | None = None
    description: str | None = None
    base: str | None = None
    year: int | None = Field(default=None, ge=1990, le=2100)
    network_year: int | None = Field(default=None, ge=1990, le=2100)
    days: int | None = Field(default=None, ge=1, le=3650)
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


# --------------------------------------------------------------------------------------------
# Loading.
# --------------------------------------------------------------------------------------------


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


def _locate(ref: str | Path, relative_to: Path | None) -> Path:
    text = str(ref)
    path = Path(text)
    candidates = [path]
    if relative_to is not None and not path.is_absolute():
        candidates.append(relative_to / path)
    if path.suffix not in (".yaml", ".yml"):
        candidates.append(bundled_scenario_dir() / f"{text}.yaml")
    for cand in candidates:
        if cand.is_file():
            return cand
    names = ", ".join(bundled_scenarios())
    raise ScenarioError(
        f"scenario '{text}' not found: give a YAML file path or a bundled scenario ({names})"
    )


def _read_raw(path: Path) -> dict[str, Any]:
    name = path.name
    try:
        doc: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ScenarioError(f"{name}: cannot read the file ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise ScenarioError(f"{name}: not UTF-8 text") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f"line {mark.line + 1}: " if mark is not None else ""
        raise ScenarioError(
            f"{name}: {line}not valid YAML ({getattr(exc, 'problem', exc)})"
        ) from None
    if doc is None:
        doc = {}
    if not isinstance(doc, dict):
        raise ScenarioError(f"{name}: expected a mapping of keys (name, base, year, demand, ...)")
    try:
        _ScenarioIn.model_validate(doc)
    except ValidationError as exc:
        raise _format_validation(exc, name) from None
    return doc


def _resolve_node(net: Network, query: str, *, file: str, key: str) -> str:
    try:
        return net.node(str(query)).id
    except CorridorError as exc:
        raise ScenarioError(f"{file}: key '{key}': {exc}") from None


def _resolve_names(doc: dict[str, Any], net: Network, file: str) -> dict[str, Any]:
    """Replace place names by node ids and check service ids, naming the file on error."""
    out = copy.deepcopy(doc)
    demand = out.get("demand") or {}
    for i, flow in enumerate(demand.get("flows") or []):
        for k in ("origin", "destination"):
            flow[k] = _resolve_node(net, flow[k], file=file, key=f"demand.flows.{i}.{k}")
        flow["via"] = [
            _resolve_node(net, v, file=file, key=f"demand.flows.{i}.via.{j}")
            for j, v in enumerate(flow.get("via") or [])
        ]
    changes = out.get("changes") or {}
    for sid in changes.get("services") or {}:
        if sid not in net.services:
            known = ", ".join(sorted(net.services)) or "none"
            raise ScenarioError(
                f"{file}: key 'changes.services.{sid}': unknown service '{sid}'; "
                f"the network has: {known}"
            )
    nodes = changes.get("nodes") or {}
    resolved_nodes: dict[str, Any] = {}
    for name, ops in nodes.items():
        nid = _resolve_node(net, name, file=file, key=f"changes.nodes.{name}")
        node = net.nodes[nid]
        for kind in ops:
            if OperationKind(kind) not in node.operations:
                have = ", ".join(sorted(k.value for k in node.operations)) or "none"
                raise ScenarioError(
                    f"{file}: key 'changes.nodes.{name}.{kind}': {node.name} ({nid}) has no "
                    f"'{kind}' operation; it has: {have}"
                )
        resolved_nodes[nid] = ops
    if nodes:
        changes["nodes"] = resolved_nodes
    for i, lk in enumerate(changes.get("links") or []):
        a = _resolve_node(net, lk["from"], file=file, key=f"changes.links.{i}.from")
        b = _resolve_node(net, lk["to"], file=file, key=f"changes.links.{i}.to")
        mode = str(lk.get("mode", "rail"))
        if (a, b, mode) not in net.by_key:
            raise ScenarioError(
                f"{file}: key 'changes.links.{i}': no {mode} link {a} -> {b} in the network"
            )
        lk["from"], lk["to"] = a, b
    changes["close_nodes"] = [
        _resolve_node(net, v, file=file, key=f"changes.close_nodes.{j}")
        for j, v in enumerate(changes.get("close_nodes") or [])
    ]
    countries = {n.country for n in net.nodes.values()}
    for j, c in enumerate(changes.get("close_countries") or []):
        if str(c).upper() not in countries:
            raise ScenarioError(
                f"{file}: key 'changes.close_countries.{j}': no node in country '{c}'; "
                f"use ISO codes such as {', '.join(sorted(countries)[:8])}, ..."
            )
    return out


def _merge(base: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    """Child keys override the base; mappings merge; ``flows`` replaces; lists of changes add."""
    out = copy.deepcopy(base)
    for key, value in child.items():
        if key == "base":
            continue
        if key in ("flows",) or not isinstance(value, dict | list):
            out[key] = copy.deepcopy(value)
        elif isinstance(value, dict):
            prev = out.get(key)
            out[key] = _merge(prev if isinstance(prev, dict) else {}, value)
        else:
            prev_list = out.get(key)
            out[key] = [*(prev_list if isinstance(prev_list, list) else []), *value]
    return out


def _load_chain(
    ref: str | Path, net: Network, relative_to: Path | None, seen: tuple[str, ...]
) -> tuple[dict[str, Any], tuple[str, ...], Path]:
    path = _locate(ref, relative_to)
    key = str(path.resolve())
    if key in seen:
        raise ScenarioError(f"{path.name}: key 'base': scenarios inherit from each other in a loop")
    raw = _read_raw(path)
    doc = _resolve_names(raw, net, path.name)
    base_ref = raw.get("base")
    if base_ref is None or str(base_ref) == "network":
        return doc, (), path
    parent, chain, _ = _load_chain(str(base_ref), net, path.parent, (*seen, key))
    return _merge(parent, doc), (*chain, str(parent.get("name") or base_ref)), path


def load_scenario(source: str | Path, network: Network | None = None) -> Scenario:
    """Load a scenario file (or a bundled scenario by name) and check it against the network.

    Parameters
    ----------
    source
        A YAML file path, or the name of a bundled scenario (``baseline-2024``, ...).
    network
        Network whose node and service ids the scenario must use (default: the bundled one).

    Returns
    -------
    Scenario
        The merged scenario (``base`` chain applied), with node ids instead of names.

    Raises
    ------
    ScenarioError
        Unknown file, invalid YAML, unknown key, invalid value, unknown place or service, naming
        the file, the key and what would be valid.

    Examples
    --------
    >>> s = load_scenario("baseline-2024")
    >>> s.year, s.days
    (2024, 365)
    """
    if network is None:
        from corridor.network import load_network  # noqa: PLC0415  (lazy: heavy on first use)

        network = load_network()
    doc, bases, path = _load_chain(source, network, None, ())
    try:
        parsed = _ScenarioIn.model_validate(doc)
    except ValidationError as exc:
        raise _format_validation(exc, path.name) from None
    return _build(parsed, name=parsed.name or path.stem, file=str(path), bases=bases)


def scenario_document(source: str | Path, network: Network) -> tuple[str, dict[str, Any]]:
    """The merged document of a scenario (its ``base`` chain applied, node ids resolved).

    Use it to edit a scenario programmatically (e.g. a sweep setting ``demand.scale``) and turn it
    back into a :class:`Scenario` with :func:`scenario_from_document`.

    Returns
    -------
    tuple
        ``(name, document)``; the document is plain data (dicts, lists, numbers, strings).

    Raises
    ------
    ScenarioError
        As :func:`load_scenario`.

    Examples
    --------
    >>> from corridor.network import load_network
    >>> name, doc = scenario_document("wb-2030", load_network())
    >>> name, doc["demand"]["scale"]
    ('wb-2030', 5.057)
    """
    doc, bases, path = _load_chain(source, network, None, ())
    doc = {k: v for k, v in doc.items() if k != "base"}
    name = str(doc.get("name") or path.stem)
    doc["name"] = name
    doc["_bases"] = list(bases)
    doc["_file"] = str(path)
    return name, doc


def scenario_from_document(
    document: Mapping[str, Any], network: Network, *, name: str | None = None
) -> Scenario:
    """Validate a scenario document (from :func:`scenario_document`, possibly edited).

    Raises
    ------
    ScenarioError
        Unknown key, invalid value or unknown place, naming the scenario and the key.
    """
    doc = {k: copy.deepcopy(v) for k, v in document.items() if not k.startswith("_")}
    doc.pop("base", None)
    label = name or str(doc.get("name") or "scenario")
    try:
        _ScenarioIn.model_validate(doc)
    except ValidationError as exc:
        raise _format_validation(exc, label) from None
    resolved = _resolve_names(doc, network, label)
    parsed = _ScenarioIn.model_validate(resolved)
    bases = tuple(str(b) for b in document.get("_bases") or ())
    return _build(parsed, name=label, file=str(document.get("_file") or label), bases=bases)


def _build(p: _ScenarioIn, *, name: str, file: str, bases: tuple[str, ...]) -> Scenario:
    year = p.year or 2024
    settings = p.settings or _SettingsIn()
    demand = p.demand or _DemandIn()
    default_corridor = demand.corridor if demand.corridor is not None else Corridor.MIDDLE
    flows: list[Flow] = []
    for f in demand.flows or []:
        corr = f.corridor if f.corridor is not None else default_corridor
        corridor = None if corr == "any" else Corridor(corr)
        if f.origin == f.destination:
            raise ScenarioError(
                f"{Path(file).name}: key 'demand.flows': origin and destination are both "
                f"'{f.origin}'"
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
    season = demand.seasonality or {}
    raw_months = [float(season.get(m, 1.0)) for m in range(1, 13)]
    mean = sum(raw_months) / 12.0
    ch = p.changes or _ChangesIn()
    changes = Changes(
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
    )
    return Scenario(
        name=name,
        description=(p.description or "").strip(),
        file=file,
        bases=bases,
        year=year,
        network_year=p.network_year or year,
        days=p.days or 365,
        train_teu=settings.train_teu or DEFAULT_TRAIN_TEU,
        train_max_wait_h=settings.train_max_wait_h or DEFAULT_TRAIN_MAX_WAIT_H,
        reform_max_wait_h=settings.reform_max_wait_h or DEFAULT_REFORM_MAX_WAIT_H,
        arrivals=settings.arrivals or "poisson",
        scale=demand.scale if demand.scale is not None else 1.0,
        seasonality=tuple(m / mean for m in raw_months),
        flows=tuple(flows),
        changes=changes,
    )


def scenario_summary(source: str | Path) -> dict[str, Any]:
    """Name, description, year and base of a scenario file, without checking it (for listings).

    Raises
    ------
    ScenarioError
        When the file is missing or not valid YAML.
    """
    path = _locate(source, None)
    raw = _read_raw(path)
    demand = raw.get("demand") or {}
    return {
        "name": str(raw.get("name") or path.stem),
        "description": " ".join(str(raw.get("description") or "").split()),
        "year": raw.get("year"),
        "base": raw.get("base") or "network",
        "flows": len(demand.get("flows") or []),
        "scale": demand.get("scale", 1.0),
    }


# --------------------------------------------------------------------------------------------
# Applying the changes.
# --------------------------------------------------------------------------------------------


def _edit_service(svc: Service, e: ServiceEdit) -> Service:
    dep = svc.departure
    if e.max_wait_h is not None or e.every_h is not None:
        dep = DepartureRule(
            kind=dep.kind,
            every_h=e.every_h if e.every_h is not None else dep.every_h,
            max_wait_h=e.max_wait_h if e.max_wait_h is not None else dep.max_wait_h,
            weekdays=dep.weekdays,
            hour=dep.hour,
        )
        if e.every_h is not None and dep.kind is not DepartureRuleKind.INTERVAL:
            dep = replace(dep, kind=DepartureRuleKind.INTERVAL)
    return replace(
        svc,
        vessels=e.vessels if e.vessels is not None else svc.vessels,
        capacity_teu=e.capacity_teu if e.capacity_teu is not None else svc.capacity_teu,
        turnaround_h=e.turnaround_h if e.turnaround_h is not None else svc.turnaround_h,
        departure=dep,
        weather=MappingProxyType({}) if e.no_weather else svc.weather,
    )


def apply_changes(net: Network, scenario: Scenario) -> Network:
    """The network with the scenario's service, node-capacity and link edits applied.

    Closed countries and nodes are not removed: the routes avoid them (see
    :func:`corridor.simulation.build_model`).
    """
    ch = scenario.changes
    services = dict(net.services)
    for sid, e in ch.services.items():
        services[sid] = _edit_service(services[sid], e)
    nodes: dict[str, Node] = dict(net.nodes)
    for (nid, kind), oe in ch.operations.items():
        node = nodes[nid]
        op = node.operations[kind]
        if oe.capacity_teu_day is not None:
            ops = dict(node.operations)
            ops[kind] = replace(op, capacity_teu_day=oe.capacity_teu_day)
            nodes[nid] = replace(node, operations=MappingProxyType(ops))
    edits: dict[tuple[str, str, str], LinkEdit] = {}
    for le in ch.links:
        edits[(le.from_id, le.to_id, le.mode.value)] = le
        if le.both_directions:
            edits[(le.to_id, le.from_id, le.mode.value)] = le
    links: list[Link] = []
    for lk in net.links:
        new = lk
        found = edits.get(lk.key)
        if found is not None:
            le = found
            if le.capacity_trains_day is not None:
                new = replace(new, capacity_trains_day=le.capacity_trains_day)
            if le.status is Status.CLOSED:
                new = replace(new, status=Status.CLOSED)
            elif le.status is Status.OPERATIONAL:
                new = replace(new, status=Status.OPERATIONAL, open_year=None)
        if new.service is not None and new.service.id in ch.services:
            new = replace(new, service=services[new.service.id])
        links.append(new)
    return Network(
        nodes=MappingProxyType(nodes),
        links=tuple(links),
        sources=net.sources,
        services=MappingProxyType(services),
        profiles=net.profiles,
        geometries=net.geometries,
    )
