"""Select the values in force for a service class and a year.

The base data hold one value per node operation, profile, service and link. The value files
(``operation_values.csv``, ``profile_values.csv``, ``service_values.csv``, ``link_status.csv``)
refine them per service class, direction of a border crossing and year. :func:`select_values`
returns the network a request runs on: for every record, the most specific row in force — a
row for the class beats one for both classes, a row for the direction beats an undirected one,
and among those the row that started latest wins — or the base value where no row applies.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from types import MappingProxyType

from corridor.model import (
    Direction,
    Link,
    LinkStatusValue,
    Node,
    Operation,
    OperationKind,
    OperationValue,
    Profile,
    ProfileValue,
    Service,
    ServiceClass,
    ServiceValue,
    ShiftedLogNormal,
    Status,
)
from corridor.network.graph import BaseValues, Network

__all__ = ["operation_value", "select_values", "status_day"]

_CACHE: dict[int, dict[tuple[ServiceClass, int | None, tuple[str, ...]], Network]] = {}
"""Selected networks per live base network (by id), dropped when the base is collected."""
_LOCK = threading.Lock()
_STATUSES: dict[int, tuple[str, ...]] = {}
"""The dated link-status rows each live selected network (by id) was built with."""


def _unselected(net: Network) -> Network:
    if net.base is None:
        return net
    b = net.base
    return replace(
        net,
        nodes=b.nodes,
        links=b.links,
        services=b.services,
        profiles=b.profiles,
        selected=None,
        base=None,
    )


def _best(rows: Iterable[OperationValue], direction: Direction | None) -> OperationValue | None:
    """The most specific row for ``direction`` (undirected rows apply to both directions)."""
    best: OperationValue | None = None
    best_key: tuple[int, int, int] | None = None
    for row in rows:
        if row.direction is not None and row.direction is not direction:
            continue
        cls, start = row.when.rank
        key = (cls, row.direction is not None, start)
        if best_key is None or key > best_key:
            best, best_key = row, key
    return best


def operation_value(
    net: Network,
    node_id: str,
    kind: OperationKind,
    *,
    service: ServiceClass,
    year: int | None,
    direction: Direction | None = None,
) -> OperationValue | None:
    """The row of ``operation_values.csv`` in force, or ``None`` where the base value applies.

    Examples
    --------
    >>> from corridor import load_network
    >>> net = load_network()
    >>> row = operation_value(net, "altynkol", OperationKind.BORDER,
    ...                       service=ServiceClass.STANDARD, year=2022, direction=Direction.IN)
    >>> row.dwell.mean_h
    78.0
    """
    base = _unselected(net)
    rows = [
        r
        for r in base.values.operations
        if r.node == node_id and r.kind is kind and r.when.applies(service, year)
    ]
    return _best(rows, direction)


def _select_operation(op: Operation, rows: list[OperationValue]) -> Operation:
    undirected = _best([r for r in rows if r.direction is None], None)
    dwell: ShiftedLogNormal = undirected.dwell if undirected else op.dwell
    inbound = _best(rows, Direction.IN)
    outbound = _best(rows, Direction.OUT)
    return replace(
        op,
        dwell=dwell,
        inbound=inbound.dwell if inbound is not None else None,
        outbound=outbound.dwell if outbound is not None else None,
    )


def _status_day(year: int | None, on: date | None) -> date | None:
    """The day dated link statuses are read on: ``on`` when it falls in ``year``, else 1 July."""
    if year is None:
        return None
    if on is not None and on.year == year:
        return on
    return date(year, 7, 1)


def status_day(net: Network, year: int | None, on: date | None) -> date | None:
    """``on`` if the dated link statuses in force that day differ from those of 1 July of
    ``year``, else ``None``: a canonical day, so that requests on days with the same statuses
    share their routes (a cache key).

    Examples
    --------
    >>> from corridor import load_network
    >>> net = load_network()
    >>> status_day(net, 2023, date(2023, 12, 20)), status_day(net, 2023, date(2023, 3, 1))
    (datetime.date(2023, 12, 20), None)
    """
    day = _status_day(year, on)
    if day is None or on is None or year is None:
        return None
    rows = net.values.link_status
    july = date(year, 7, 1)
    same = all(ls.in_force_on(year, day) == ls.in_force_on(year, july) for ls in rows)
    return None if same else day


def select_values(
    net: Network, service: ServiceClass | str, year: int | None, *, on: date | None = None
) -> Network:
    """The network with the values in force for ``service`` in ``year``.

    Parameters
    ----------
    net
        A network (with its base values, or already selected: the selection then starts again
        from the base values). A network without value rows is returned as it is.
    service
        ``standard`` or ``express``.
    year
        Calendar year; ``None`` gives the latest values (the rows still in force).
    on
        The departure date: a dated link status (the Red Sea diversion from 15 Dec 2023) is
        read on that day when it falls in ``year``, otherwise on 1 July of ``year``.

    Examples
    --------
    >>> from corridor import load_network
    >>> net = load_network()
    >>> express = select_values(net, "express", 2025)
    >>> express.selected
    (<ServiceClass.EXPRESS: 'express'>, 2025)
    >>> select_values(express, "express", 2025) is express
    True
    """
    cls = ServiceClass.parse(service)
    key = (cls, year)
    values = net.values
    day = _status_day(year, on)
    in_force = tuple(sorted(ls.id for ls in values.link_status if ls.in_force_on(year, day)))
    if net.selected == key and _STATUSES.get(id(net), ()) == in_force:
        return net
    if not (values.operations or values.profiles or values.services or values.link_status):
        return net  # nothing to select: the base values are the only ones
    base = _unselected(net)
    per_base = _CACHE.get(id(base))
    cached = per_base.get((cls, year, in_force)) if per_base is not None else None
    if cached is not None:
        return cached

    nodes = _selected_nodes(base, values.operations, cls, year)
    profiles = _selected_profiles(base, values.profiles, cls, year)
    services = _selected_services(base, values.services, cls, year)
    status = _link_statuses(values.link_status, in_force)
    out = replace(
        base,
        nodes=MappingProxyType(nodes),
        links=tuple(_selected_link(lk, profiles, services, status) for lk in base.links),
        services=MappingProxyType(services),
        profiles=MappingProxyType(profiles),
        selected=key,
        base=BaseValues(
            nodes=base.nodes, links=base.links, services=base.services, profiles=base.profiles
        ),
    )
    with _LOCK:
        if id(base) not in _CACHE:
            _CACHE[id(base)] = {}
            weakref.finalize(base, _CACHE.pop, id(base), None)
        _CACHE[id(base)][(cls, year, in_force)] = out
        _STATUSES[id(out)] = in_force
        weakref.finalize(out, _STATUSES.pop, id(out), None)
    return out


def _selected_nodes(
    base: Network, rows: Iterable[OperationValue], cls: ServiceClass, year: int | None
) -> dict[str, Node]:
    """The nodes with the dwell of each operation in force (undirected and per direction)."""
    by_op: dict[tuple[str, OperationKind], list[OperationValue]] = {}
    for row in rows:
        if row.when.applies(cls, year):
            by_op.setdefault((row.node, row.kind), []).append(row)
    nodes: dict[str, Node] = dict(base.nodes)
    for nid in {nid for nid, _ in by_op}:
        node = nodes[nid]
        ops = dict(node.operations)
        for kind, op in node.operations.items():
            op_rows = by_op.get((nid, kind))
            if op_rows:
                ops[kind] = _select_operation(op, op_rows)
        nodes[nid] = replace(node, operations=MappingProxyType(ops))
    return nodes


def _selected_profiles(
    base: Network, rows: Iterable[ProfileValue], cls: ServiceClass, year: int | None
) -> dict[str, Profile]:
    """The speed profiles with the speed in force."""
    applying = [r for r in rows if r.when.applies(cls, year)]
    profiles: dict[str, Profile] = dict(base.profiles)
    for pid, profile in base.profiles.items():
        mine = [r for r in applying if r.profile == pid]
        if mine:
            profiles[pid] = replace(profile, speed=max(mine, key=lambda r: r.when.rank).speed)
    return profiles


def _selected_services(
    base: Network, rows: Iterable[ServiceValue], cls: ServiceClass, year: int | None
) -> dict[str, Service]:
    """The services with the timetable (departures) and crossing in force."""
    applying = [r for r in rows if r.when.applies(cls, year)]
    services: dict[str, Service] = dict(base.services)
    for sid, svc in base.services.items():
        mine = [r for r in applying if r.service == sid]
        dep = [r for r in mine if r.departure is not None]
        cross = [r for r in mine if r.crossing is not None]
        new = svc
        if dep:
            rule = max(dep, key=lambda r: r.when.rank).departure
            assert rule is not None
            new = replace(new, departure=rule)
        if cross:
            new = replace(new, crossing=max(cross, key=lambda r: r.when.rank).crossing)
        if new is not svc:
            services[sid] = new
    return services


def _link_statuses(
    rows: Iterable[LinkStatusValue], in_force: tuple[str, ...]
) -> dict[tuple[str, str, str], Status]:
    """The status of each link a dated row in force names (the latest row wins)."""
    latest: dict[tuple[str, str, str], tuple[date, Status]] = {}
    for ls in rows:
        if ls.id in in_force:
            for k in ls.link_keys():
                prev = latest.get(k)
                if prev is None or ls.date_from >= prev[0]:
                    latest[k] = (ls.date_from, ls.status)
    return {k: st for k, (_, st) in latest.items()}


def _selected_link(
    lk: Link,
    profiles: dict[str, Profile],
    services: dict[str, Service],
    status: dict[tuple[str, str, str], Status],
) -> Link:
    """The link with its selected profile and service, and its dated status if one applies."""
    new_lk = lk
    profile = profiles.get(lk.profile.id, lk.profile)
    if profile is not lk.profile:
        new_lk = replace(new_lk, profile=profile)
    if lk.service is not None and services.get(lk.service.id) is not lk.service:
        new_lk = replace(new_lk, service=services[lk.service.id])
    found = status.get(lk.key)
    if found is not None:
        new_lk = replace(new_lk, status=found, open_year=None)
    return new_lk
