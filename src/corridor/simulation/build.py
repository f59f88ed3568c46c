"""The resource model: a scenario's flows routed on the network and compiled to flat arrays.

Every flow is routed once (fastest expected route, in the scenario's corridor, avoiding closed
countries and nodes) and keeps that route. The route's legs become *steps* of two kinds:

- container steps, walked by each TEU on its own: a node operation (FIFO server of
  ``capacity_teu_day`` then a dwell), block-train formation, a vessel sailing, the end;
- train steps, walked by a whole block train: a border crossing (``trains_day`` then the
  clearance dwell, once per train), a line section (``capacity_trains_day`` train paths, then the
  running time at the link's speed).

A train is formed (``FORM``) wherever a rail link follows a container step; it runs the train
steps up to the next container-level operation (gauge change, port, destination terminal), where
it is dissolved and every TEU continues alone. Containers share a train only when their train
steps are identical (a block train runs between two fixed terminals).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import numpy.typing as npt

from corridor.errors import CorridorError, ScenarioError
from corridor.model import (
    DepartureRuleKind,
    Flow,
    Leg,
    LegMode,
    Mode,
    NodeKind,
    OperationKind,
    ResourceKind,
    Route,
    Scenario,
    Service,
    ServiceClass,
)
from corridor.model.timing import (
    DurationCode,
    DurationKind,
    departure_slots,
    dwell_code,
    month_edges,
    node_dwell_codes,
    node_groups,
    running_code,
    weather_tables,
)
from corridor.network import Network, apply_scenario, select_values
from corridor.routing import Constraints, choose_options, corridor_option
from corridor.simulation.codes import StepKind
from corridor.simulation.records import (
    Calendar,
    KernelModel,
    NodeDwells,
    PoolSpec,
    ServerSpec,
    ServiceSpec,
    Steps,
    TrainSteps,
)

__all__ = ["CompiledModel", "ResourceInfo", "build_model", "scenario_network"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

_FIXED_0: DurationCode = (DurationKind.FIXED, (0.0, 0.0, 0.0))
Step = tuple[StepKind, int, DurationCode]
"""A container step: kind, resource (-1: none) and duration."""
TrainStep = tuple[int, DurationCode]
"""A train step: server (-1: none) and duration."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ResourceInfo:
    """A capacitated resource reported by the simulation.

    Attributes
    ----------
    id
        ``node:operation`` (``alat:port``), ``line:a-b``, ``service:from>to`` (a vessel
        direction) or ``formation:node>node``.
    kind
        What it is (a node operation, ``line``, ``vessel`` or ``formation``); see
        :class:`~corridor.model.ResourceKind` for which kinds are capacitated.
    name
        Human-readable name.
    capacity
        Capacity in the unit of ``capacity_unit``.
    capacity_unit
        ``TEU/day``, ``trains/day``, ``TEU/sailing`` or ``TEU/train``.
    """

    id: str
    kind: ResourceKind
    name: str
    capacity: float
    capacity_unit: str


@dataclass(frozen=True, slots=True, kw_only=True)
class CompiledModel:
    """The resource model of a scenario; built by :func:`build_model`.

    ``kernel`` holds the named records of arrays the engine runs on (see
    :mod:`corridor.simulation.records`). Resource statistics are indexed
    ``[servers..., pools..., vessel directions...]`` in the order of :attr:`resources`.
    """

    scenario: Scenario
    network: Network
    routes: tuple[Route, ...]
    flow_rate_teu_h: FloatArray
    kernel: KernelModel
    resources: tuple[ResourceInfo, ...] = field(default=())
    n_servers: int = 0
    n_pools: int = 0
    n_dirs: int = 0

    @property
    def n_stats(self) -> int:
        """Number of reported resources."""
        return self.n_servers + self.n_pools + self.n_dirs


def _running(leg: Leg) -> DurationCode:
    """The running time of a link leg (its mean hours when the leg has no speed)."""
    if leg.speed is None:
        return DurationKind.FIXED, (leg.hours, 0.0, 0.0)
    return running_code(leg.distance_km, leg.speed)


@dataclass(slots=True)
class _Builder:
    net: Network
    scenario: Scenario
    res_index: dict[str, int] = field(default_factory=dict)
    res_info: list[ResourceInfo] = field(default_factory=list)
    res_h_teu: list[float] = field(default_factory=list)
    res_h_train: list[float] = field(default_factory=list)
    segments: dict[tuple[object, ...], int] = field(default_factory=dict)
    seg_steps: list[list[TrainStep]] = field(default_factory=list)
    pools: dict[tuple[str, int, bool], int] = field(default_factory=dict)
    pool_info: list[ResourceInfo] = field(default_factory=list)
    pool_seg: list[int] = field(default_factory=list)
    pool_wait: list[float] = field(default_factory=list)
    svc_index: dict[str, int] = field(default_factory=dict)
    services: list[Service] = field(default_factory=list)
    svc_ports: list[list[str]] = field(default_factory=list)
    vessel_steps: list[tuple[int, int, int]] = field(default_factory=list)
    node_dwells: list[DurationCode] = field(default_factory=list)
    node_dwell_index: dict[tuple[DurationCode, ...], int] = field(default_factory=dict)

    # ---------------------------------------------------------------- servers
    def server(self, key: str, info: ResourceInfo, h_teu: float, h_train: float) -> int:
        idx = self.res_index.get(key)
        if idx is None:
            idx = len(self.res_info)
            self.res_index[key] = idx
            self.res_info.append(info)
            self.res_h_teu.append(h_teu)
            self.res_h_train.append(h_train)
        return idx

    def op_server(self, leg: Leg) -> int:
        """The FIFO server of a node operation, or -1 when it has no stated capacity."""
        assert leg.operation is not None
        node = self.net.nodes[leg.from_id]
        kind = leg.operation
        op = node.operation(kind)
        teu_day = op.capacity_teu_day if op is not None else None
        trains_day = op.capacity_trains_day if op is not None else None
        stated_in_trains = trains_day is not None
        if teu_day is None and trains_day is None:
            return -1
        train_teu = self.scenario.train_teu
        if teu_day is None:
            assert trains_day is not None
            teu_day = trains_day * train_teu
        if trains_day is None:
            trains_day = teu_day / train_teu
        key = f"{node.id}:{kind.value}"
        if kind is OperationKind.BORDER and stated_in_trains:
            cap, unit = trains_day, "trains/day"
        else:
            cap, unit = teu_day, "TEU/day"
        info = ResourceInfo(
            id=key,
            kind=ResourceKind.of_operation(kind),
            name=f"{node.name} {kind.value.replace('_', ' ')}",
            capacity=cap,
            capacity_unit=unit,
        )
        return self.server(key, info, 24.0 / teu_day, 24.0 / trains_day)

    def line_server(self, leg: Leg) -> int:
        link = self.net.by_key.get((leg.from_id, leg.to_id, Mode.RAIL.value))
        if link is None or link.capacity_trains_day is None:
            return -1
        a, b = sorted((leg.from_id, leg.to_id))
        key = f"line:{a}-{b}"
        na, nb = self.net.nodes[a].name, self.net.nodes[b].name
        info = ResourceInfo(
            id=key,
            kind=ResourceKind.LINE,
            name=f"{na}–{nb} line",
            capacity=link.capacity_trains_day,
            capacity_unit="trains/day",
        )
        h_train = 24.0 / link.capacity_trains_day
        return self.server(key, info, h_train / self.scenario.train_teu, h_train)

    # ---------------------------------------------------------------- pools
    def pool(
        self,
        node_id: str,
        end_id: str,
        steps: list[TrainStep],
        *,
        at_origin: bool,
    ) -> int:
        sig = (node_id, end_id, *steps)
        seg = self.segments.get(sig)
        if seg is None:
            seg = len(self.seg_steps)
            self.segments[sig] = seg
            self.seg_steps.append(list(steps))
        key = (node_id, seg, at_origin)
        idx = self.pools.get(key)
        if idx is None:
            idx = len(self.pool_info)
            self.pools[key] = idx
            self.pool_seg.append(seg)
            sc = self.scenario
            self.pool_wait.append(sc.train_max_wait_h if at_origin else sc.reform_max_wait_h)
            base = f"formation:{node_id}>{end_id}"
            existing = {p.id for p in self.pool_info}
            rid, n = base, 2
            while rid in existing:
                rid, n = f"{base}#{n}", n + 1
            nodes = self.net.nodes
            self.pool_info.append(
                ResourceInfo(
                    id=rid,
                    kind=ResourceKind.FORMATION,
                    name=f"block trains {nodes[node_id].name} → {nodes[end_id].name}",
                    capacity=self.scenario.train_teu,
                    capacity_unit="TEU/train",
                )
            )
        return idx

    # ---------------------------------------------------------------- services
    def service(self, svc: Service) -> int:
        idx = self.svc_index.get(svc.id)
        if idx is None:
            idx = len(self.services)
            self.svc_index[svc.id] = idx
            self.services.append(svc)
            ports: list[str] = []
            for a, b in svc.links:
                for p in (a, b):
                    if p not in ports:
                        ports.append(p)
            self.svc_ports.append(ports)
        return idx

    def direction(self, s: int, i: int, j: int) -> int:
        """A reference to the direction ``i -> j`` (port indices) of service ``s``.

        The directions are numbered once every service is known (:func:`build_model`).
        """
        self.vessel_steps.append((s, i, j))
        return len(self.vessel_steps) - 1

    def operation_codes(self, route: Route) -> dict[int, DurationCode]:
        """The duration of every operation leg of ``route`` (index: leg).

        The operations at one node overlap: the node's first operation takes the longest of
        their dwells (:func:`~corridor.model.timing.node_dwell_codes`), the others none; each
        still takes its server's capacity.
        """
        out: dict[int, DurationCode] = {}
        for group in node_groups(route.legs):
            dwells = [d for i in group if (d := route.legs[i].dwell) is not None]
            code, members = node_dwell_codes(dwells)
            if members:
                key = tuple(members)
                first = self.node_dwell_index.get(key)
                if first is None:
                    first = len(self.node_dwells)
                    self.node_dwell_index[key] = first
                    self.node_dwells.extend(members)
                code = (DurationKind.LONGEST, (float(first), float(len(members)), 0.0))
            out[group.start] = code
            for i in group[1:]:
                out[i] = _FIXED_0
        return out

    def is_liner(self, svc: Service) -> bool:
        """True for a deep-sea liner network (its links pass sea passages such as Suez)."""
        return any(self.net.nodes[p].kind is NodeKind.PASSAGE for link in svc.links for p in link)

    # ---------------------------------------------------------------- routes
    def compile_route(self, route: Route) -> list[Step]:
        """Container steps of a route; registers trains, servers, pools and services."""
        steps: list[Step] = []
        train: list[TrainStep] | None = None
        form_node = ""
        form_at = -1

        def close_train(end_node: str) -> None:
            nonlocal train
            if train is None:
                return
            pool = self.pool(form_node, end_node, train, at_origin=form_node == route.origin)
            steps[form_at] = (StepKind.FORM, pool, _FIXED_0)
            train = None

        op_codes = self.operation_codes(route)
        for i, leg in enumerate(route.legs):
            if leg.operation is not None:
                code = op_codes.get(i, (DurationKind.FIXED, (leg.hours, 0.0, 0.0)))
                res = self.op_server(leg)
                if leg.operation is OperationKind.BORDER and train is not None:
                    train.append((res, code))
                    continue
                close_train(leg.from_id)
                steps.append((StepKind.OP, res, code))
                continue
            if leg.mode is LegMode.RAIL:
                if train is None:
                    train = []
                    form_node = leg.from_id
                    form_at = len(steps)
                    steps.append((StepKind.FORM, -1, _FIXED_0))
                train.append((self.line_server(leg), _running(leg)))
                continue
            close_train(leg.from_id)
            if (
                leg.mode in (LegMode.FERRY, LegMode.SEA, LegMode.RIVER)
                and leg.service is not None
                and not self.is_liner(leg.service)
            ):
                s = self.service(leg.service)
                ports = self.svc_ports[s]
                if leg.from_id not in ports or leg.to_id not in ports:
                    raise ScenarioError(
                        f"service '{leg.service.id}' does not call at {leg.from_id}/{leg.to_id}"
                    )
                pi, pj = ports.index(leg.from_id), ports.index(leg.to_id)
                steps.append((StepKind.VESSEL, self.direction(s, pi, pj), _FIXED_0))
                continue
            # Road, a vessel leg without a service, or a deep-sea liner leg: a plain running
            # time per container (liners are not capacity-constrained in this model).
            liner = leg.service is not None and not leg.service.is_land
            code = (DurationKind.FIXED, (leg.hours, 0.0, 0.0)) if liner else _running(leg)
            steps.append((StepKind.OP, -1, code))
        close_train(route.destination)
        steps.append((StepKind.END, -1, _FIXED_0))
        return steps


def _route_for(net: Network, scenario: Scenario, i: int) -> Route:
    return flow_route(net, scenario, scenario.flows[i])


def flow_route(net: Network, scenario: Scenario, flow: Flow) -> Route:
    """The route of a flow: the row a comparison shows for its corridor (or the best overall
    when the flow names none), by the one option policy (:mod:`corridor.routing.options`).

    Raises
    ------
    ScenarioError
        The flow has no route in its corridor.
    """
    constraints = Constraints(via=flow.via, year=scenario.network_year)
    try:
        if flow.corridor is not None:
            return corridor_option(
                net, flow.origin, flow.destination, flow.corridor, constraints=constraints
            )
        return choose_options(net, flow.origin, flow.destination, constraints=constraints).best
    except CorridorError as exc:
        name = scenario.file.rsplit("/", 1)[-1] or scenario.name
        raise ScenarioError(f"{name}: key 'demand.flows' ({flow.key}): {exc}") from None


def _directions(b: _Builder) -> tuple[list[int], list[int], list[ResourceInfo]]:
    """Every direction ``(service, i, j)`` of every service: base index per service, whether the
    service sails it, and its resource record."""
    dir_base: list[int] = []
    dir_valid: list[int] = []
    dir_info: list[ResourceInfo] = []
    nodes = b.net.nodes
    for s, svc in enumerate(b.services):
        ports = b.svc_ports[s]
        dir_base.append(len(dir_valid))
        links = set(svc.links)
        for a in ports:
            for c in ports:
                dir_valid.append(1 if (a, c) in links else 0)
                dir_info.append(
                    ResourceInfo(
                        id=f"{svc.id}:{a}>{c}",
                        kind=ResourceKind.VESSEL,
                        name=f"{svc.id} {nodes[a].name} → {nodes[c].name}",
                        capacity=svc.capacity_teu,
                        capacity_unit="TEU/sailing",
                    )
                )
    return dir_base, dir_valid, dir_info


def _crossing(net: Network, svc: Service) -> DurationCode:
    """The crossing time of a service: its own distribution, or the mean running time of its
    first link when it states none."""
    if svc.crossing is not None:
        return dwell_code(svc.crossing)
    link = next(lk for lk in net.links if lk.service and lk.service.id == svc.id)
    return DurationKind.FIXED, (link.profile.speed.mean_hours(link.distance_km), 0.0, 0.0)


def _service_spec(b: _Builder, year: int, dir_base: list[int], dir_valid: list[int]) -> ServiceSpec:
    services = b.services
    nports = [len(p) for p in b.svc_ports]
    slot_offsets: list[float] = []
    slot_start: list[int] = []
    slot_n: list[int] = []
    period: list[float] = []
    crossings = [_crossing(b.net, svc) for svc in services]
    wprob = np.zeros((len(services), 12))
    wmean = np.zeros((len(services), 12))
    for s, svc in enumerate(services):
        p, offs = departure_slots(svc.departure, date(year, 1, 1))
        period.append(p)
        slot_start.append(len(slot_offsets))
        slot_offsets.extend(offs)
        slot_n.append(len(offs))
        wprob[s], wmean[s] = weather_tables(svc)
    port_base = list(np.cumsum([0, *nports])[:-1]) if services else []
    return ServiceSpec(
        vessels=_ints([s.vessels for s in services]),
        cap=_floats([math.floor(s.capacity_teu) for s in services]),
        when_full=_ints([int(s.departure.kind is DepartureRuleKind.WHEN_FULL) for s in services]),
        max_wait_h=_floats([float(s.departure.max_wait_h or 0.0) for s in services]),
        period_h=_floats(period),
        slot_start=_ints(slot_start),
        slot_n=_ints(slot_n),
        slot_offsets_h=_floats(slot_offsets),
        cross_dk=_ints([int(k) for k, _ in crossings]),
        cross_d=_floats([d for _, d in crossings]).reshape(-1, 3),
        turn_h=_floats([s.turnaround_h for s in services]),
        wprob=wprob,
        wmean=wmean,
        nports=_ints(nports),
        port_base=_ints(port_base),
        dir_base=_ints(dir_base),
        dir_valid=_ints(dir_valid),
    )


def _ints(values: Sequence[int]) -> IntArray:
    return np.array(values, dtype=np.int64)


def _floats(values: Sequence[object]) -> FloatArray:
    return np.array(values, dtype=np.float64)


def _train_steps(b: _Builder) -> TrainSteps:
    seg_start: list[int] = []
    seg_end: list[int] = []
    flat: list[TrainStep] = []
    for seg in b.seg_steps:
        seg_start.append(len(flat))
        flat.extend(seg)
        seg_end.append(len(flat))
    return TrainSteps(
        seg_start=_ints(seg_start),
        seg_end=_ints(seg_end),
        res=_ints([r for r, _ in flat]),
        dk=_ints([int(code[0]) for _, code in flat]),
        d=_floats([code[1] for _, code in flat]).reshape(-1, 3),
    )


def _container_steps(b: _Builder, all_steps: list[list[Step]], dir_base: list[int]) -> Steps:
    n_srv, n_pool = len(b.res_info), len(b.pool_info)
    svc_nports = [len(p) for p in b.svc_ports]

    def stat_index(kind: StepKind, res: int) -> int:
        if res < 0:
            return -1
        if kind is StepKind.OP:
            return res
        if kind is StepKind.FORM:
            return n_srv + res
        if kind is StepKind.VESSEL:
            s, i, j = b.vessel_steps[res]
            return n_srv + n_pool + dir_base[s] + i * svc_nports[s] + j
        return -1

    flat: list[Step] = []
    first: list[int] = []
    for steps in all_steps:
        first.append(len(flat))
        flat.extend(steps)
    return Steps(
        first_of_flow=_ints(first),
        kind=_ints([int(k) for k, _, _ in flat]),
        res=_ints([stat_index(k, r) for k, r, _ in flat]),
        dk=_ints([int(code[0]) for _, _, code in flat]),
        d=_floats([code[1] for _, _, code in flat]).reshape(-1, 3),
    )


def scenario_network(scenario: Scenario, network: Network) -> Network:
    """The network a scenario's flows run on: the scenario applied, the standard class's values
    of its network year (the routes and the resources alike come from it)."""
    return select_values(
        apply_scenario(network, scenario), ServiceClass.STANDARD, scenario.network_year
    )


def build_model(
    scenario: Scenario,
    network: Network,
    *,
    routes: Sequence[Route] | None = None,
    net: Network | None = None,
) -> CompiledModel:
    """Route the scenario's flows and compile the resources they use.

    Parameters
    ----------
    scenario
        A loaded scenario.
    network
        The network the scenario is based on (the scenario is applied to it here with
        :func:`corridor.network.apply_scenario`).
    routes
        The route of each flow, when the caller chose them (the equilibrium does, among the
        options a comparison shows); routes of :func:`scenario_network`. Default: each flow's
        fastest route in its corridor.
    net
        :func:`scenario_network` of ``scenario`` and ``network`` when the caller has it already.

    Raises
    ------
    ScenarioError
        A flow has no route under the scenario's constraints, or a service does not call where a
        route needs it.
    """
    if not scenario.flows:
        raise ScenarioError(f"{scenario.name}: key 'demand.flows': the scenario has no flows")
    # the standard class's values in force in the network year, for the routes and the
    # resources alike (the routes are searched on this same selection)
    if net is None:
        net = scenario_network(scenario, network)
    b = _Builder(net=net, scenario=scenario)
    if routes is None:
        routes = tuple(_route_for(net, scenario, i) for i in range(len(scenario.flows)))
    elif len(routes) != len(scenario.flows):
        raise ScenarioError(
            f"{scenario.name}: {len(routes)} routes given for {len(scenario.flows)} flows"
        )
    routes = tuple(routes)
    all_steps = [b.compile_route(r) for r in routes]
    dir_base, dir_valid, dir_info = _directions(b)
    n_pool = len(b.pool_info)
    edges, months = month_edges(date(scenario.year, 1, 1), scenario.days * 24.0 + 24.0 * 400)
    kernel = KernelModel(
        steps=_container_steps(b, all_steps, dir_base),
        trains=_train_steps(b),
        servers=ServerSpec(h_teu=_floats(b.res_h_teu), h_train=_floats(b.res_h_train)),
        pools=PoolSpec(
            seg=_ints(b.pool_seg),
            cap=np.full(n_pool, math.floor(scenario.train_teu), dtype=np.float64),
            wait_h=_floats(b.pool_wait),
        ),
        services=_service_spec(b, scenario.year, dir_base, dir_valid),
        calendar=Calendar(month_edge_h=edges, month_num=months),
        node_dwells=NodeDwells(
            dk=_ints([int(k) for k, _ in b.node_dwells]),
            d=_floats([p for _, p in b.node_dwells]).reshape(-1, 3),
        ),
    )
    rates = _floats([f.teu_year * scenario.scale / (365.0 * 24.0) for f in scenario.flows])
    return CompiledModel(
        scenario=scenario,
        network=net,
        routes=routes,
        flow_rate_teu_h=rates,
        kernel=kernel,
        resources=(*b.res_info, *b.pool_info, *dir_info),
        n_servers=len(b.res_info),
        n_pools=n_pool,
        n_dirs=len(dir_info),
    )
