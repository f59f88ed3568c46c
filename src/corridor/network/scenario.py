"""The scenario overlay: place names resolved against a network, and every edit applied.

Files and documents are read by :mod:`corridor.io.scenario` (schema, lookup, ``base`` chain);
this module turns them into a :class:`~corridor.model.Scenario` whose places are node ids, and
:func:`apply_scenario` returns the :class:`~corridor.network.Network` the scenario describes:
services, node capacities (TEU and trains per day), line capacities, links opened or closed,
and closed countries and places (every link into or out of them closed). Routing, transit and
the simulation all run on that network, so a scenario means the same thing to each of them.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from corridor.errors import CorridorError, ScenarioError
from corridor.io.scenario import (
    ScenarioLayer,
    check_scenario_document,
    merge_scenario_documents,
    read_scenario_layers,
    scenario_record,
)
from corridor.model import (
    DepartureRule,
    DepartureRuleKind,
    Link,
    LinkEdit,
    Node,
    OperationKind,
    Scenario,
    Service,
    ServiceEdit,
    Status,
)
from corridor.network.graph import Network

__all__ = [
    "apply_scenario",
    "closed_places",
    "load_scenario",
    "resolve_scenario_names",
    "scenario_document",
    "scenario_from_document",
    "scenario_network",
]


# --------------------------------------------------------------------------------------------
# Names.
# --------------------------------------------------------------------------------------------


def _resolve_node(net: Network, query: object, *, file: str, key: str) -> str:
    try:
        return net.node(str(query)).id
    except CorridorError as exc:
        raise ScenarioError(f"{file}: key '{key}': {exc}") from None


def _resolve_flows(doc: dict[str, Any], net: Network, file: str) -> None:
    demand = doc.get("demand") or {}
    for i, flow in enumerate(demand.get("flows") or []):
        for k in ("origin", "destination"):
            flow[k] = _resolve_node(net, flow[k], file=file, key=f"demand.flows.{i}.{k}")
        flow["via"] = [
            _resolve_node(net, v, file=file, key=f"demand.flows.{i}.via.{j}")
            for j, v in enumerate(flow.get("via") or [])
        ]


def _resolve_node_edits(changes: dict[str, Any], net: Network, file: str) -> None:
    nodes = changes.get("nodes") or {}
    resolved: dict[str, dict[str, Any]] = {}
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
        into = resolved.setdefault(nid, {})
        for kind, edit in ops.items():  # two spellings of one place: the later one wins
            into[str(kind)] = {**into.get(str(kind), {}), **edit}
    if nodes:
        changes["nodes"] = resolved


def _resolve_changes(changes: dict[str, Any], net: Network, file: str) -> None:
    for sid in changes.get("services") or {}:
        if sid not in net.services:
            known = ", ".join(sorted(net.services)) or "none"
            raise ScenarioError(
                f"{file}: key 'changes.services.{sid}': unknown service '{sid}'; "
                f"the network has: {known}"
            )
    _resolve_node_edits(changes, net, file)
    _check_land_services(changes, net, file)
    for i, lk in enumerate(changes.get("links") or []):
        a = _resolve_node(net, lk["from"], file=file, key=f"changes.links.{i}.from")
        b = _resolve_node(net, lk["to"], file=file, key=f"changes.links.{i}.to")
        mode = str(lk.get("mode", "rail"))
        if (a, b, mode) not in net.by_key:
            raise ScenarioError(
                f"{file}: key 'changes.links.{i}': no {mode} link {a} -> {b} in the network"
            )
        lk["from"], lk["to"] = a, b
    if "close_nodes" in changes:
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


def _check_land_services(changes: dict[str, Any], net: Network, file: str) -> None:
    """The countries, sources and connecting services named by ``changes.land_services``
    exist in the network (or, for a connection, among the scenario's own land services)."""
    added = changes.get("land_services") or {}
    countries = {n.country for n in net.nodes.values()}
    services = set(net.services) | set(net.land_services) | set(added)
    for sid, entry in added.items():
        key = f"changes.land_services.{sid}"
        for c in entry.get("countries") or []:
            if str(c).upper() not in countries:
                raise ScenarioError(
                    f"{file}: key '{key}.countries': no node in country '{c}'; use ISO codes "
                    f"such as {', '.join(sorted(countries)[:8])}, ..."
                )
        connects = entry.get("connects") or {}
        for ref in [*(entry.get("source") or []), *(connects.get("source") or [])]:
            if ref not in net.sources:
                raise ScenarioError(
                    f"{file}: key '{key}': unknown source id '{ref}'; cite a row of sources.csv"
                )
        for other in connects.get("with") or []:
            if other not in services or other == sid:
                raise ScenarioError(
                    f"{file}: key '{key}.connects.with': '{other}' is not another service of "
                    f"the network or the scenario"
                )


def resolve_scenario_names(
    document: Mapping[str, Any], network: Network, file: str
) -> dict[str, Any]:
    """A copy of a (schema-checked) document with place names replaced by node ids.

    Also checks that services, node operations, links and countries named by ``changes`` exist.

    Raises
    ------
    ScenarioError
        Unknown or ambiguous place (with the closest candidates), unknown service, operation,
        link or country, naming ``file`` and the key.
    """
    out = copy.deepcopy(dict(document))
    _resolve_flows(out, network, file)
    changes = out.get("changes")
    if isinstance(changes, dict):
        _resolve_changes(changes, network, file)
    return out


# --------------------------------------------------------------------------------------------
# Documents and files to resolved scenarios.
# --------------------------------------------------------------------------------------------


def _resolved_merge(
    layers: Sequence[ScenarioLayer], network: Network
) -> tuple[dict[str, Any], tuple[str, ...]]:
    docs = [resolve_scenario_names(ly.document, network, ly.label) for ly in layers]
    return merge_scenario_documents(docs), tuple(ly.name for ly in layers[:-1])


def load_scenario(source: str | Path | Mapping[str, Any], network: Network) -> Scenario:
    """Load a scenario (file path, bundled name or document) and resolve it against ``network``.

    Parameters
    ----------
    source
        A YAML file path, the name of a bundled scenario (``baseline-2024``, ...), or a document
        (see :func:`scenario_from_document`).
    network
        The network whose places and services the scenario names.

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
    >>> from corridor.network import load_network
    >>> s = load_scenario("new-links-2030", load_network())
    >>> s.bases, s.network_year
    (('baseline-2024', 'wb-2030'), 2030)
    """
    if isinstance(source, Mapping):
        return scenario_from_document(source, network)
    layers = read_scenario_layers(source)
    doc, bases = _resolved_merge(layers, network)
    top = layers[-1]
    return scenario_record(doc, name=top.name, file=top.path, bases=bases)


def scenario_document(source: str | Path, network: Network) -> tuple[str, dict[str, Any]]:
    """The merged document of a scenario file (``base`` chain applied, node ids resolved).

    Use it to edit a scenario programmatically (e.g. a sweep setting ``demand.scale``) and turn
    it back into a :class:`Scenario` with :func:`scenario_from_document`.

    Returns
    -------
    tuple
        ``(name, document)``; the document is plain data (dicts, lists, numbers, strings), with
        ``_bases`` and ``_file`` recording where it came from.

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
    layers = read_scenario_layers(source)
    doc, bases = _resolved_merge(layers, network)
    top = layers[-1]
    doc["name"] = top.name
    doc["_bases"] = list(bases)
    doc["_file"] = top.path
    return top.name, doc


def scenario_from_document(
    document: Mapping[str, Any], network: Network, *, name: str | None = None
) -> Scenario:
    """Validate a scenario document and resolve it against ``network``.

    The one way documents become scenarios: the API's request bodies and saved scenarios, and
    the sweep's edited documents (from :func:`scenario_document`). A ``base`` may be
    ``network`` or a bundled scenario (no files are opened on a document's behalf).

    Raises
    ------
    ScenarioError
        Unknown key, invalid value, unknown base or place, naming the scenario and the key.
    """
    label = name or str(document.get("name") or "scenario")
    meta_bases = tuple(str(b) for b in document.get("_bases") or ())
    meta_file = str(document.get("_file") or "")
    plain = {k: v for k, v in document.items() if not str(k).startswith("_")}
    check_scenario_document(plain, label)
    layers = read_scenario_layers(plain, label=label, files=False)
    doc, bases = _resolved_merge(layers, network)
    return scenario_record(doc, name=label, file=meta_file or label, bases=meta_bases or bases)


# --------------------------------------------------------------------------------------------
# The overlay.
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


def _edit_nodes(net: Network, scenario: Scenario) -> dict[str, Node]:
    nodes: dict[str, Node] = dict(net.nodes)
    for (nid, kind), oe in scenario.changes.operations.items():
        node = nodes[nid]
        op = node.operations[kind]
        new_op = op
        if oe.capacity_teu_day is not None:
            new_op = replace(new_op, capacity_teu_day=oe.capacity_teu_day)
        if oe.trains_day is not None:
            new_op = replace(new_op, capacity_trains_day=oe.trains_day)
        if new_op is not op:
            ops = dict(node.operations)
            ops[kind] = new_op
            nodes[nid] = replace(node, operations=MappingProxyType(ops))
    return nodes


def _edit_link(lk: Link, edit: LinkEdit | None, closed: bool) -> Link:
    new = lk
    if edit is not None:
        if edit.capacity_trains_day is not None:
            new = replace(new, capacity_trains_day=edit.capacity_trains_day)
        if edit.status is Status.CLOSED:
            new = replace(new, status=Status.CLOSED)
        elif edit.status is Status.OPERATIONAL:
            new = replace(new, status=Status.OPERATIONAL, open_year=None)
    if closed:
        new = replace(new, status=Status.CLOSED)
    return new


def closed_places(network: Network, scenario: Scenario) -> frozenset[str]:
    """Ids of the places a scenario closes: ``close_nodes`` and the places of closed countries.

    Examples
    --------
    >>> from corridor.network import example_network
    >>> tiny = example_network("tiny")
    >>> s = scenario_from_document({"changes": {"close_countries": ["RU"]}}, tiny)
    >>> sorted(closed_places(tiny, s))
    ['rr']
    """
    ch = scenario.changes
    return frozenset(ch.close_nodes) | {
        n.id for n in network.nodes.values() if n.country in ch.close_countries
    }


def apply_scenario(network: Network, scenario: Scenario) -> Network:
    """The network as the scenario describes it.

    Applies, in one place, every edit of ``scenario.changes``: services (fleet, TEU per sailing,
    turnaround, departure rule, weather), land services added (the trains of new links),
    node operations (TEU and trains per day), links (line
    capacity, opened or closed, both directions unless stated) and closures (every link into or
    out of a closed place or a place in a closed country is closed, so no route passes there).

    The scenario must have been resolved against ``network`` (:func:`load_scenario`).

    Examples
    --------
    >>> from corridor.network import load_network
    >>> net = load_network()
    >>> s = load_scenario("surge-2022", net)
    >>> apply_scenario(net, s).services["caspian-feeder-aktau-alat"].vessels
    3
    """
    ch = scenario.changes
    services = dict(network.services)
    for sid, se in ch.services.items():
        services[sid] = _edit_service(services[sid], se)
    nodes = _edit_nodes(network, scenario)
    closed_nodes = closed_places(network, scenario)
    edits: dict[tuple[str, str, str], LinkEdit] = {}
    for le in ch.links:
        edits[(le.from_id, le.to_id, le.mode.value)] = le
        if le.both_directions:
            edits[(le.to_id, le.from_id, le.mode.value)] = le
    links: list[Link] = []
    for lk in network.links:
        closed = lk.from_id in closed_nodes or lk.to_id in closed_nodes
        new = _edit_link(lk, edits.get(lk.key), closed)
        if new.service is not None and new.service.id in ch.services:
            new = replace(new, service=services[new.service.id])
        links.append(new)
    return replace(
        network,
        nodes=MappingProxyType(nodes),
        links=tuple(links),
        services=MappingProxyType(services),
        land_services=MappingProxyType({**network.land_services, **ch.land_services})
        if ch.land_services
        else network.land_services,
        # a link whose status the scenario sets is no longer governed by dated status rows
        # (e.g. a scenario reopening the Red Sea after the diversion of December 2023)
        values=network.values.without_link_status(
            key for key, le in edits.items() if le.status is not None
        ),
    )


def scenario_network(
    source: str | Path | Mapping[str, Any] | Scenario, network: Network
) -> tuple[Scenario, Network]:
    """Load a scenario (unless given one) and apply it: ``(scenario, network under it)``.

    Raises
    ------
    ScenarioError
        As :func:`load_scenario`.
    """
    scenario = source if isinstance(source, Scenario) else load_scenario(source, network)
    return scenario, apply_scenario(network, scenario)
