"""A corridor's capacity as a number: the throughput at which door-to-door time doubles.

For each corridor, the scenario's flows (their origin–destination mix) are routed in that
corridor (the options a comparison shows, :func:`corridor.simulation.flow_options`) and
simulated at growing volumes. The *curve* is the steady-state P50 door-to-door days against the
offered TEU per year (:func:`corridor.simulation.steady_state`); the **free-flow P50** is the
lowest P50 on the curve (at very low volumes block trains wait longer to fill, so the fastest
point is not the emptiest); the **saturation throughput** is where P50 first reaches twice the
free-flow P50, or the queues stop settling (no steady state) — found on a doubling grid of
volumes and refined by bisection, then interpolated linearly in P50 between the last two points.
The **limiting resource** is the capacitated resource (border, terminal, port, line or fleet)
whose mean wait grew most from the free-flow point to the first volume past saturation: the
queue that doubles the time. A corridor whose routes meet no
capacitated resource (deep-sea liners are not capacity-limited in this model) has no
saturation, and says so.

"What does one more vessel buy" is the difference in this number between two scenarios.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from corridor.errors import ScenarioError, SimulationError
from corridor.model import Corridor, Flow, Route, Scenario
from corridor.network import Network, load_scenario
from corridor.simulation.build import CompiledModel, build_model, scenario_network
from corridor.simulation.equilibrium import flow_options
from corridor.simulation.run import DEFAULT_MAX_TEU, Seed, SimulationResult, simulate_model
from corridor.simulation.steady import steady_state

__all__ = ["CapacityPoint", "CorridorCapacity", "MapFn", "capacity", "capacity_point"]

SATURATION_FACTOR = 2.0
"""P50 at saturation over free-flow P50."""
_GRID = (0.125, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0)
_BISECTIONS = 6


@dataclass(frozen=True, slots=True, kw_only=True)
class CapacityPoint:
    """One point of a capacity curve."""

    teu_per_year: float
    p50_days: float
    steady: bool
    busiest: str
    busiest_utilization: float
    waits_h: dict[str, float] = field(default_factory=dict)
    """Mean wait at each capacitated resource, hours."""

    def to_dict(self) -> dict[str, Any]:
        """``{"teu_per_year", "p50_days"}`` plus whether the run was steady."""
        return {
            "teu_per_year": round(self.teu_per_year, 0),
            "p50_days": None if math.isnan(self.p50_days) else round(self.p50_days, 2),
            "steady": self.steady,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class CorridorCapacity:
    """The capacity of one corridor under a scenario."""

    corridor: Corridor
    saturation_teu_per_year: float | None
    limiting_resource: str | None
    free_flow_p50_days: float
    curve: tuple[CapacityPoint, ...]
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        """One element of ``corridors`` in the ``corridor capacity --json`` contract."""
        sat = self.saturation_teu_per_year
        return {
            "corridor": self.corridor.value,
            "saturation_teu_per_year": None if sat is None else round(sat, -1),
            "limiting_resource": self.limiting_resource,
            "free_flow_p50_days": round(self.free_flow_p50_days, 2),
            "curve": [p.to_dict() for p in sorted(self.curve, key=lambda p: p.teu_per_year)],
            "note": self.note,
        }


MapFn = Callable[[Callable[..., Any], Sequence[tuple[Any, ...]]], list[Any]]
"""Runs a function over argument tuples, maybe in parallel: ``map_fn(fn, [args, ...])``."""


def _point(res: SimulationResult, teu_per_year: float) -> CapacityPoint:
    st = steady_state(res)
    rid, util = _busiest(res)
    return CapacityPoint(
        teu_per_year=teu_per_year,
        p50_days=st.p50_days,
        steady=st.exists,
        busiest=rid,
        busiest_utilization=util,
        waits_h={r.id: r.mean_wait_h for r in res.resources if r.kind.capacitated},
    )


@functools.lru_cache(maxsize=8)
def _document_model(document_json: str, name: str, corridor: str) -> tuple[CompiledModel, float]:
    """The corridor's model of a scenario document, built once per process (Dask workers)."""
    from corridor.network import load_network, scenario_from_document  # noqa: PLC0415

    network = load_network()
    sc = scenario_from_document(json.loads(document_json), network, name=name)
    net = scenario_network(sc, network)
    options_of: _Options = [(f, flow_options(net, sc, f)[1]) for f in sc.flows]
    pairs = _corridor_routes(options_of, Corridor(corridor))
    flows = tuple(replace(f, corridor=Corridor(corridor)) for f, _ in pairs)
    model = build_model(replace(sc, flows=flows), network, routes=[r for _, r in pairs], net=net)
    return model, float(sum(f.teu_year for f in flows) * sc.scale)


def capacity_point(  # noqa: PLR0917  (a Dask task's arguments travel as one tuple)
    document_json: str,
    name: str,
    corridor: str,
    multiplier: float,
    days: int | None,
    seed: int,
    max_teu: float | None,
) -> CapacityPoint:
    """One point of a corridor's curve from a scenario document (what a Dask task runs).

    The document is the merged scenario (:func:`corridor.network.scenario_document`) as JSON;
    the bundled network is used. The model is built once per process and reused.
    """
    model, base_teu = _document_model(document_json, name, corridor)
    res = simulate_model(
        replace(model, flow_rate_teu_h=model.flow_rate_teu_h * multiplier),
        days=days,
        seed=seed,
        max_teu=max_teu,
    )
    return _point(res, base_teu * multiplier)


def _busiest(res: SimulationResult) -> tuple[str, float]:
    cap = [r for r in res.resources if r.kind.capacitated]
    if not cap:
        return "", 0.0
    top = max(cap, key=lambda r: (r.utilization, r.mean_wait_h))
    return top.id, top.utilization


_Options = list[tuple[Flow, list[tuple[Corridor, Route]]]]


def _corridor_routes(options_of: _Options, corridor: Corridor) -> list[tuple[Flow, Route]]:
    out: list[tuple[Flow, Route]] = []
    for f, options in options_of:
        for corr, route in options:
            if corr is corridor:
                out.append((f, route))
                break
    return out


def _corridors(options_of: _Options) -> list[Corridor]:
    """Corridors with a route for at least one flow, in the order the options come."""
    seen: list[Corridor] = []
    for _flow, options in options_of:
        for corr, _route in options:
            if corr not in seen:
                seen.append(corr)
    return seen


def _uncapacitated(corridor: Corridor, res: SimulationResult, base_teu: float) -> CorridorCapacity:
    st = steady_state(res)
    return CorridorCapacity(
        corridor=corridor,
        saturation_teu_per_year=None,
        limiting_resource=None,
        free_flow_p50_days=st.p50_days,
        curve=(
            CapacityPoint(
                teu_per_year=base_teu,
                p50_days=st.p50_days,
                steady=st.exists,
                busiest="",
                busiest_utilization=0.0,
            ),
        ),
        note="no capacitated resource on its routes in this model (deep-sea liners and "
        "roads are not capacity-limited): no saturation",
    )


def _one_corridor(
    sc: Scenario,
    network: Network,
    net: Network,
    corridor: Corridor,
    *,
    run: Callable[[CompiledModel], SimulationResult],
    pairs: list[tuple[Flow, Route]],
    remote: Callable[[list[float]], list[CapacityPoint]] | None = None,
) -> CorridorCapacity:
    flows = tuple(replace(f, corridor=corridor) for f, _ in pairs)
    sub = replace(sc, flows=flows)
    model = build_model(sub, network, routes=[r for _, r in pairs], net=net)
    base_teu = float(sum(f.teu_year for f in flows) * sc.scale)
    if model.n_servers == 0 and model.n_dirs == 0:
        return _uncapacitated(corridor, run(model), base_teu)
    base_rates = model.flow_rate_teu_h.copy()
    points: dict[float, CapacityPoint] = {}

    def evaluate(ms: list[float]) -> None:
        todo = [m for m in ms if m not in points]
        if remote is not None and len(todo) > 1:
            points.update(zip(todo, remote(todo), strict=True))
            return
        for m in todo:
            points[m] = _point(run(replace(model, flow_rate_teu_h=base_rates * m)), base_teu * m)

    def point(m: float) -> CapacityPoint:
        evaluate([m])
        return points[m]

    if remote is not None:
        evaluate(list(_GRID))  # the whole grid at once, in parallel

    def over(p: CapacityPoint, free: float) -> bool:
        return (not p.steady) or p.p50_days >= SATURATION_FACTOR * free

    lo: float | None = None
    hi: float | None = None
    for m in _GRID:
        p = point(m)
        free = (
            min(q.p50_days for q in points.values() if q.steady)
            if any(q.steady for q in points.values())
            else math.inf
        )
        if over(p, free):
            hi = m
            break
        lo = m
    if hi is None or lo is None:
        free = min((q.p50_days for q in points.values() if q.steady), default=math.nan)
        top = points[max(points)]
        note = (
            "saturated at the lowest volume tried"
            if lo is None
            else f"not saturated at {_GRID[-1]:g}× the scenario's volume"
        )
        return CorridorCapacity(
            corridor=corridor,
            saturation_teu_per_year=None,
            limiting_resource=top.busiest or None,
            free_flow_p50_days=free,
            curve=tuple(points.values()),
            note=note,
        )
    # refine: one point per round (bisection), or three at once when running in parallel
    # (quartering: two rounds of three points narrow the bracket as much as four bisections)
    parts = 4 if remote is not None else 2
    rounds = _BISECTIONS // 2 if remote is not None else _BISECTIONS
    for _ in range(rounds):
        ratio = hi / lo
        inner = [lo * ratio ** (k / parts) for k in range(1, parts)]
        evaluate(inner)
        free = min(q.p50_days for q in points.values() if q.steady)
        for m in inner:
            if over(points[m], free):
                hi = m
                break
            lo = m
    free = min(q.p50_days for q in points.values() if q.steady)
    a, b = points[lo], points[hi]
    target = SATURATION_FACTOR * free
    if b.steady and b.p50_days > a.p50_days:
        frac = (target - a.p50_days) / (b.p50_days - a.p50_days)
        sat = a.teu_per_year + float(np.clip(frac, 0.0, 1.0)) * (b.teu_per_year - a.teu_per_year)
    else:
        sat = 0.5 * (a.teu_per_year + b.teu_per_year)
    ref = min((q for q in points.values() if q.steady), key=lambda q: q.p50_days)
    grown = {r: w - ref.waits_h.get(r, 0.0) for r, w in b.waits_h.items()}
    limiting = max(grown, key=lambda r: grown[r]) if grown else b.busiest
    return CorridorCapacity(
        corridor=corridor,
        saturation_teu_per_year=sat,
        limiting_resource=limiting or None,
        free_flow_p50_days=free,
        curve=tuple(points.values()),
    )


def _remote_points(
    map_fn: MapFn,
    what: tuple[str, str, str],
    how: tuple[int | None, Seed, float | None],
    multipliers: list[float],
) -> list[CapacityPoint]:
    document_json, name, corridor = what
    days, seed, max_teu = how
    args = [(document_json, name, corridor, m, days, seed, max_teu) for m in multipliers]
    return list(map_fn(capacity_point, args))


def capacity(
    scenario: Scenario | str | Path,
    *,
    network: Network | None = None,
    corridor: Corridor | str | None = None,
    days: int | None = None,
    seed: Seed = 1,
    max_teu: float | None = DEFAULT_MAX_TEU,
    progress: Callable[[str], None] | None = None,
    simulate_fn: Callable[[CompiledModel], SimulationResult] | None = None,
    map_fn: MapFn | None = None,
) -> list[CorridorCapacity]:
    """The capacity of each corridor of a scenario (module docstring), busiest data first.

    Parameters
    ----------
    scenario
        A :class:`Scenario`, a YAML path or a bundled scenario name.
    corridor
        Only this corridor (default: every corridor with a route for one of the flows).
    days, seed, max_teu
        As :func:`corridor.simulation.simulate`; every run of the curve uses the same seed.
    simulate_fn
        Runs one simulation of a compiled model (default :func:`simulate_model`).
    map_fn
        Runs :func:`capacity_point` over many argument tuples, in parallel (a Dask cluster:
        :func:`corridor.sweep.dask_map`): the grid of volumes is then simulated at once and
        refined three points at a time. Needs a scenario name or file (the workers read the
        document on the bundled network).

    Raises
    ------
    ScenarioError
        Invalid scenario, or no flow has a route in the corridor asked for.
    SimulationError
        Invalid horizon, or a run larger than ``max_teu``.
    """
    if network is None:
        from corridor.network import load_network  # noqa: PLC0415  (heavy on first use)

        network = load_network()
    if map_fn is not None and isinstance(scenario, Scenario):
        raise SimulationError("to run on Dask, give the scenario by name or file")
    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario, network)
    document_json = ""
    if map_fn is not None and not isinstance(scenario, Scenario):
        from corridor.network import scenario_document  # noqa: PLC0415

        document_json = json.dumps(scenario_document(scenario, network)[1])
    if not sc.flows:
        raise ScenarioError(f"{sc.name}: key 'demand.flows': the scenario has no flows")
    net = scenario_network(sc, network)
    options_of: _Options = [(f, flow_options(net, sc, f)[1]) for f in sc.flows]
    wanted: list[Corridor]
    if corridor is not None:
        try:
            wanted = [Corridor(corridor)]
        except ValueError:
            valid = ", ".join(c.value for c in Corridor)
            raise ScenarioError(f"unknown corridor '{corridor}'; valid: {valid}") from None
    else:
        wanted = _corridors(options_of)

    def run(model: CompiledModel) -> SimulationResult:
        if simulate_fn is not None:
            return simulate_fn(model)
        return simulate_model(model, days=days, seed=seed, max_teu=max_teu)

    out: list[CorridorCapacity] = []
    for c in wanted:
        if progress:
            progress(f"{sc.name}: capacity of the {c.value} corridor")
        pairs = _corridor_routes(options_of, c)
        if not pairs:
            raise ScenarioError(f"{sc.name}: no flow has a route in the {c.value} corridor")
        remote = None
        if map_fn is not None:
            remote = functools.partial(
                _remote_points, map_fn, (document_json, sc.name, c.value), (days, seed, max_teu)
            )
        out.append(_one_corridor(sc, network, net, c, run=run, pairs=pairs, remote=remote))
    return out
