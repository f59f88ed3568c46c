"""Corridor choice at equilibrium: shippers divert when a corridor chokes.

Each flow of a scenario is the demand of an origin–destination pair (TEU/year), stated on the
corridor its shippers use when that corridor runs freely (``corridor`` of the flow; ``any``:
the fastest route's). When the simulation makes that corridor slow, some of them move to the
other options a comparison shows between the same places (:func:`corridor.routing.choose_options`,
called in one place, :func:`flow_options`).

**Generalized cost** of option ``k``, USD per FEU: ``price_k + VOT × T_k``, where ``price_k`` is
the option's tariff price (:func:`corridor.routing.price_route`, the scenario's network year)
and ``T_k`` its expected door-to-door hours: the mean simulated time of the option's TEU in
the steady state (waits included), or its free-flow expectation (the route's hours, what a
comparison quotes) while fewer than :data:`MIN_OBSERVED_TEU` of them were observed.

**Choice: an incremental (pivot-point) logit** (Koppelman 1983; Ben-Akiva & Lerman 1985,
ch. 5). The corridor is a small player in a large market (the Middle Corridor carried 56,500
TEU in 2024 against 674,000 TEU China–Europe by the Northern route in 2023), so each flow is
read as the share ``s0`` (:attr:`ChoiceParameters.reference_share`) of a market of
``V0 / s0`` TEU whose other shippers use the alternatives (in proportion to their free-flow
logit shares ``exp(-C_k / sigma)``). Congestion changes the costs by ``dC_k = VOT × max(0,
T_k - T0_k)`` (``T0_k``: free-flow hours), and the shares become::

    P_k = s0_k exp(-dC_k / sigma) / sum_j s0_j exp(-dC_j / sigma)

The flow keeps ``(V0 / s0) × P_stated`` on its corridor; the rest, ``V0 - (V0 / s0) × P_stated``,
goes to the alternatives in proportion to the shares they gain (``P_k - s0_k``). The market's
own traffic on the alternatives is not simulated (the scenario does not state it); the diverted
TEU are, so they load what the alternatives share with the corridor (a border, a gauge change).

**The scale** ``sigma`` (USD) follows from an own-cost elasticity ``e`` of the corridor's volume
at the reference: for a logit, ``e = -C_stated (1 - s0) / sigma``, so ``sigma = C_stated (1 -
s0) / |e|``. :attr:`ChoiceParameters.elasticity` is -1, the middle of the range of rail-freight
price elasticities (-0.5 to -1.5) in the freight-demand reviews; an assumption (flagged as such
in the output), not fitted to anything the simulation produces.

**Iterations: self-regulated averaging** (Liu, He & He 2009, a variant of the method of
successive averages): ``x <- x + (y - x) / beta``, where ``y`` is the choice at the costs of the
run at ``x``; ``beta`` grows by 1.5 after a step that increased the gap and by 0.3 after one that
reduced it. Every run uses the same seed (common random numbers). The relative gap is
``sum |y - x| / (2 sum V0)``: the share of the demand not on the options it would choose at the
costs it meets. Converged when it is below ``tolerance``.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from corridor.errors import CorridorError, ScenarioError, SimulationError
from corridor.model import Corridor, Flow, Route, Scenario
from corridor.network import Network, load_scenario
from corridor.routing import (
    DEFAULT_VALUE_OF_TIME_USD_PER_H,
    Constraints,
    choose_options,
    price_route,
)
from corridor.simulation.build import CompiledModel, build_model, flow_route, scenario_network
from corridor.simulation.run import DEFAULT_MAX_TEU, Seed, SimulationResult, simulate_model
from corridor.simulation.steady import SteadyState, steady_state

__all__ = [
    "MIN_OBSERVED_TEU",
    "ChoiceParameters",
    "EquilibriumResult",
    "OptionFlow",
    "equilibrium",
    "flow_options",
]

FloatArray = npt.NDArray[np.float64]

MIN_OBSERVED_TEU = 30
"""Below this many TEU of an option in the steady-state window, its time is its free-flow
expectation (the mean of fewer boxes is mostly noise)."""

_REFERENCE_SHARE = 56_500 / (56_500 + 674_000)
"""Middle Corridor containers of 2024 (56,500 TEU, ``astanatimes-2025-03-titr``) over those and
the China–Europe containers of the Northern route in 2023 (674,000 TEU, ``trend-2024-04-rzd``)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ChoiceParameters:
    """The choice model's parameters (see the module docstring); each stated with its origin.

    Attributes
    ----------
    value_of_time_usd_per_h
        Value of time of a loaded FEU: the routing layer's default (inventory carrying cost,
        an assumption stated in :data:`corridor.routing.DEFAULT_VALUE_OF_TIME_USD_PER_H`).
    elasticity
        Own generalized-cost elasticity of a flow's volume on its corridor at the reference;
        assumption: -1, the middle of the rail-freight price elasticities of the reviews.
    reference_share
        The flow's share of its market at the reference: 0.077, the Middle Corridor's TEU of
        2024 over those and the Northern route's of 2023 (sourced, see the module).
    logit_scale_usd
        Overrides the scale ``sigma`` derived from the elasticity (for hand-worked checks).
    """

    value_of_time_usd_per_h: float = DEFAULT_VALUE_OF_TIME_USD_PER_H
    elasticity: float = -1.0
    reference_share: float = _REFERENCE_SHARE
    logit_scale_usd: float | None = None

    def __post_init__(self) -> None:
        if not self.value_of_time_usd_per_h >= 0:
            raise SimulationError("value of time must be >= 0 USD/h")
        if not self.elasticity < 0:
            raise SimulationError(f"elasticity must be negative, got {self.elasticity}")
        if not 0 < self.reference_share < 1:
            raise SimulationError(f"reference share must be in (0, 1), got {self.reference_share}")
        if self.logit_scale_usd is not None and not self.logit_scale_usd > 0:
            raise SimulationError("the logit scale must be > 0 USD")

    def to_dict(self) -> dict[str, Any]:
        """The parameters and where each comes from."""
        return {
            "value_of_time_usd_per_h": self.value_of_time_usd_per_h,
            "elasticity": self.elasticity,
            "reference_share": round(self.reference_share, 4),
            "logit_scale_usd": self.logit_scale_usd,
            "sources": {
                "value_of_time_usd_per_h": "assumption: inventory carrying cost of a 100,000 USD "
                "FEU at 25 %/yr (routing default)",
                "elasticity": "assumption-eq-elasticity: middle of the rail-freight price "
                "elasticities (-0.5 to -1.5) of the freight-demand reviews; not fitted",
                "reference_share": "astanatimes-2025-03-titr, trend-2024-04-rzd",
            },
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class OptionFlow:
    """One option of one flow: its route, price, free-flow hours and equilibrium volume."""

    flow: int
    """Index of the scenario flow it serves."""
    corridor: Corridor
    stated: bool
    """Whether it is the flow's own (stated) corridor."""
    route: Route
    price_usd: float
    free_flow_h: float
    teu_year: float = 0.0
    """Volume at the end (before the scenario's ``scale``)."""
    time_h: float = math.nan
    """Expected door-to-door hours met at the end (simulated, or free-flow when few TEU)."""
    observed_teu: int = 0

    def to_dict(self, scale: float, vot: float) -> dict[str, Any]:
        """One row of ``equilibrium.options`` in the JSON document."""
        return {
            "flow": self.flow,
            "corridor": self.corridor.value,
            "stated": self.stated,
            "teu_year": round(self.teu_year * scale, 1),
            "price_usd_per_feu": round(self.price_usd, 0),
            "free_flow_days": round(self.free_flow_h / 24.0, 2),
            "expected_days": round(self.time_h / 24.0, 2),
            "generalized_cost_usd": round(self.price_usd + vot * self.time_h, 0),
            "observed_teu": self.observed_teu,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class EquilibriumResult:
    """The run at the equilibrium flows, its steady state, and how the iterations went."""

    result: SimulationResult
    steady: SteadyState
    options: tuple[OptionFlow, ...]
    parameters: ChoiceParameters
    iterations: int
    gap: float
    converged: bool
    gaps: tuple[float, ...]
    stated_teu_year: float
    """Demand of the scenario's flows, TEU/year (scale in)."""
    elapsed_s: float = 0.0
    simulations_s: float = 0.0
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def shares(self) -> dict[str, float]:
        """Share of the scenario's demand on each corridor at equilibrium."""
        total = sum(o.teu_year for o in self.options)
        out: dict[str, float] = {}
        for o in self.options:
            out[o.corridor.value] = out.get(o.corridor.value, 0.0) + o.teu_year
        return {k: (v / total if total > 0 else 0.0) for k, v in out.items()}

    @property
    def diverted_teu(self) -> float:
        """TEU per year moved off their stated corridor (scale in)."""
        scale = self.result_scale
        return sum(o.teu_year for o in self.options if not o.stated) * scale

    @property
    def result_scale(self) -> float:
        """The scenario's demand scale."""
        return float(self.meta.get("scale", 1.0))

    def equilibrium_dict(self) -> dict[str, Any]:
        """The ``equilibrium`` member of the ``corridor simulate --equilibrium --json`` document."""
        scale = self.result_scale
        vot = self.parameters.value_of_time_usd_per_h
        return {
            "iterations": self.iterations,
            "gap": round(self.gap, 5),
            "converged": self.converged,
            "shares": {k: round(v, 4) for k, v in self.shares.items()},
            "diverted_teu": round(self.diverted_teu, 1),
            "stated_teu_year": round(self.stated_teu_year, 1),
            "gaps": [round(g, 5) for g in self.gaps],
            "parameters": self.parameters.to_dict(),
            "options": [o.to_dict(scale, vot) for o in self.options],
        }

    def to_dict(self) -> dict[str, Any]:
        """The simulate document of the equilibrium run; times from the steady state."""
        doc = self.result.to_dict()
        st = self.steady
        doc["transit_days"] = {
            "p50": None if math.isnan(st.p50_days) else round(st.p50_days, 2),
            "p90": None if math.isnan(st.p90_days) else round(st.p90_days, 2),
        }
        doc["steady_state"] = st.to_dict()
        doc["equilibrium"] = self.equilibrium_dict()
        return doc


def flow_options(
    net: Network, scenario: Scenario, flow: Flow
) -> tuple[Corridor, list[tuple[Corridor, Route]]]:
    """The stated corridor of a flow and the options a comparison shows for its places.

    The one place where the equilibrium asks the routing layer which options exist. The stated
    route is the one :func:`corridor.simulation.simulate` gives the flow (the row a comparison
    shows for its corridor), so an equilibrium without congestion simulates what a plain run does.

    Raises
    ------
    ScenarioError
        The flow has no route in its corridor.
    """
    constraints = Constraints(via=flow.via, year=scenario.network_year)
    stated = flow_route(net, scenario, flow)
    options = [(stated.corridor, stated)]
    try:
        choice = choose_options(net, flow.origin, flow.destination, constraints=constraints)
    except CorridorError:
        return stated.corridor, options  # no other option to divert to: the flow stays
    options += [(r.corridor, r) for r in choice.routes if r.corridor is not stated.corridor]
    return stated.corridor, options


def _priced(net: Network, route: Route, year: int) -> float:
    return float(price_route(route, net, year=year).cost_usd)


@dataclass(slots=True)
class _Market:
    """The choice of one flow: its options (indices into the expanded flows) and constants."""

    options: list[int]
    stated: int
    v0: float
    s0: FloatArray
    sigma: float


def _choice(markets: Sequence[_Market], d_cost: FloatArray, n_options: int) -> FloatArray:
    """The volumes (TEU/year) each option gets at the cost changes ``d_cost`` (USD/FEU)."""
    y = np.zeros(n_options)
    for m in markets:
        idx = np.array(m.options)
        dc = d_cost[idx]
        w = m.s0 * np.exp(-(dc - dc.min()) / m.sigma)
        p = w / w.sum()
        demand = m.v0 / m.s0[0]
        keep = min(demand * p[0], m.v0)
        gain = np.maximum(p[1:] - m.s0[1:], 0.0)
        y[idx[0]] = keep
        if gain.sum() > 0:
            y[idx[1:]] = (m.v0 - keep) * gain / gain.sum()
        else:
            y[idx[0]] = m.v0
    return y


def _option_times(
    res: SimulationResult, steady: SteadyState, free_flow_h: FloatArray
) -> tuple[FloatArray, npt.NDArray[np.int64]]:
    """Mean door-to-door hours per option in the steady window (free-flow with few TEU)."""
    n = free_flow_h.size
    flows = res.arrival_flow[steady.in_window]
    hours = steady.censored_h[steady.in_window]
    counts = np.bincount(flows, minlength=n)[:n]
    sums = np.bincount(flows, weights=hours, minlength=n)[:n]
    t = free_flow_h.copy()
    ok = counts >= MIN_OBSERVED_TEU
    t[ok] = sums[ok] / counts[ok]
    return t, counts.astype(np.int64)


def _setup(
    sc: Scenario, network: Network, params: ChoiceParameters
) -> tuple[list[OptionFlow], list[_Market], tuple[Flow, ...], Scenario, CompiledModel]:
    """Every option of every flow, the choice of each flow, and the model of all options."""
    net = scenario_network(sc, network)
    vot = params.value_of_time_usd_per_h
    options: list[OptionFlow] = []
    markets: list[_Market] = []
    for i, f in enumerate(sc.flows):
        _, found = flow_options(net, sc, f)
        first = len(options)
        for k, (corr, route) in enumerate(found):
            options.append(
                OptionFlow(
                    flow=i,
                    corridor=corr,
                    stated=k == 0,
                    route=route,
                    price_usd=_priced(net, route, sc.network_year),
                    free_flow_h=route.hours,
                )
            )
        cost = np.array([o.price_usd + vot * o.free_flow_h for o in options[first:]])
        s0 = params.reference_share
        sigma = params.logit_scale_usd or cost[0] * (1 - s0) / abs(params.elasticity)
        alt = np.exp(-(cost[1:] - cost[1:].min()) / sigma) if cost.size > 1 else np.zeros(0)
        shares = np.concatenate(([s0], (1 - s0) * alt / alt.sum() if alt.size else alt))
        if alt.size == 0:
            shares = np.array([1.0])
        markets.append(
            _Market(
                options=list(range(first, len(options))),
                stated=first,
                v0=f.teu_year,
                s0=shares,
                sigma=float(sigma),
            )
        )
    flows = tuple(
        Flow(
            origin=o.route.origin,
            destination=o.route.destination,
            teu_year=0.0,
            via=sc.flows[o.flow].via,
            corridor=o.corridor,
            label=f"{sc.flows[o.flow].label or sc.flows[o.flow].key} · {o.corridor.value}",
        )
        for o in options
    )
    expanded = replace(sc, flows=flows)
    model = build_model(expanded, network, routes=[o.route for o in options], net=net)
    return options, markets, flows, expanded, model


def _checked(
    scenario: Scenario | str | Path,
    network: Network | None,
    tolerance: float,
    max_iterations: int,
) -> tuple[Scenario, Network]:
    """The scenario (with flows) and network of an equilibrium, once its settings are valid."""
    if not 0 < tolerance < 1:
        raise SimulationError(f"tolerance must be in (0, 1), got {tolerance}")
    if max_iterations < 1:
        raise SimulationError(f"max_iterations must be >= 1, got {max_iterations}")
    if network is None:
        from corridor.network import load_network  # noqa: PLC0415  (heavy on first use)

        network = load_network()
    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario, network)
    if not sc.flows:
        raise ScenarioError(f"{sc.name}: key 'demand.flows': the scenario has no flows")
    return sc, network


def equilibrium(
    scenario: Scenario | str | Path,
    *,
    network: Network | None = None,
    days: int | None = None,
    seed: Seed = 1,
    parameters: ChoiceParameters | None = None,
    tolerance: float = 0.02,
    max_iterations: int = 8,
    max_teu: float | None = DEFAULT_MAX_TEU,
    progress: Callable[[str], None] | None = None,
    simulate_fn: Callable[[CompiledModel], SimulationResult] | None = None,
) -> EquilibriumResult:
    """Iterate simulation and corridor choice until the flows stop moving (module docstring).

    Parameters
    ----------
    scenario
        A :class:`Scenario`, a YAML path or a bundled scenario name.
    network
        Base network (default: the bundled one).
    days, seed, max_teu
        As :func:`corridor.simulation.simulate`; every iteration uses the same seed.
    parameters
        The choice model (default :class:`ChoiceParameters`).
    tolerance
        Relative gap below which the flows have stopped moving.
    max_iterations
        Most simulations run; the result says whether it converged within them.
    progress
        Called with a short label at each iteration.
    simulate_fn
        Runs one simulation of a compiled model (default: :func:`simulate_model` with ``days``,
        ``seed`` and ``max_teu``); the sweep passes one that spreads replications over Dask.

    Raises
    ------
    ScenarioError
        Invalid scenario or a flow without a route.
    SimulationError
        Invalid horizon or parameters, or a run larger than ``max_teu``.
    """
    started = time.perf_counter()
    params = parameters or ChoiceParameters()
    sc, network = _checked(scenario, network, tolerance, max_iterations)
    if progress:
        progress("finding the options of each flow")
    options, markets, flows, expanded, model = _setup(sc, network, params)
    vot = params.value_of_time_usd_per_h
    n_opt = len(options)
    free = np.array([o.free_flow_h for o in options])
    x = np.zeros(n_opt)
    for m in markets:
        x[m.stated] = m.v0
    total = float(sum(m.v0 for m in markets))

    def run(volumes: FloatArray) -> SimulationResult:
        vols = np.maximum(volumes, 0.0)
        fl = tuple(replace(f, teu_year=float(v)) for f, v in zip(flows, vols, strict=True))
        m = replace(
            model,
            scenario=replace(expanded, flows=fl),
            flow_rate_teu_h=vols * sc.scale / (365.0 * 24.0),
        )
        if simulate_fn is not None:
            return simulate_fn(m)
        return simulate_model(m, days=days, seed=seed, max_teu=max_teu)

    it = _iterate(
        run,
        markets,
        free,
        x,
        vot=vot,
        total=total,
        tolerance=tolerance,
        max_iterations=max_iterations,
        progress=progress,
    )
    final = tuple(
        replace(o, teu_year=float(v), time_h=float(t), observed_teu=int(c))
        for o, v, t, c in zip(options, it.x, it.times, it.counts, strict=True)
    )
    return EquilibriumResult(
        result=it.result,
        steady=it.steady,
        options=final,
        parameters=params,
        iterations=len(it.gaps),
        gap=it.gaps[-1],
        converged=it.converged,
        gaps=tuple(it.gaps),
        stated_teu_year=total * sc.scale,
        elapsed_s=time.perf_counter() - started,
        simulations_s=it.simulations_s,
        meta={"scale": sc.scale},
    )


@dataclass(frozen=True)
class _Iterations:
    """Where the iterations of :func:`equilibrium` ended."""

    result: SimulationResult
    steady: SteadyState
    x: FloatArray
    times: FloatArray
    counts: npt.NDArray[np.int64]
    gaps: list[float]
    converged: bool
    simulations_s: float


def _iterate(
    run: Callable[[FloatArray], SimulationResult],
    markets: Sequence[_Market],
    free: FloatArray,
    x: FloatArray,
    *,
    vot: float,
    total: float,
    tolerance: float,
    max_iterations: int,
    progress: Callable[[str], None] | None,
) -> _Iterations:
    """Simulate the volumes ``x``, let shippers re-choose on the delays seen, and move ``x``
    towards their choice with a step that shrinks faster when the gap grows (method of
    successive averages), until the gap is below ``tolerance`` or ``max_iterations`` ran."""
    n_opt = len(free)
    gaps: list[float] = []
    beta = 1.0
    sim_s = 0.0
    res: SimulationResult | None = None
    steady: SteadyState | None = None
    times = free.copy()
    counts = np.zeros(n_opt, dtype=np.int64)
    converged = False
    for it in range(1, max_iterations + 1):
        if progress:
            last = f", gap {gaps[-1]:.3f}" if gaps else ""
            progress(f"equilibrium: simulation {it} of at most {max_iterations}{last}")
        t0 = time.perf_counter()
        res = run(x)
        sim_s += time.perf_counter() - t0
        steady = steady_state(res)
        times, counts = _option_times(res, steady, free)
        d_cost = vot * np.maximum(times - free, 0.0)
        y = _choice(markets, d_cost, n_opt)
        gap = float(np.abs(y - x).sum() / (2.0 * total)) if total > 0 else 0.0
        gaps.append(gap)
        if gap < tolerance:
            converged = True
            break
        if it == max_iterations:
            break
        if len(gaps) >= 2:
            beta += 1.5 if gaps[-1] >= gaps[-2] else 0.3
        x = x + (y - x) / beta
    assert res is not None and steady is not None
    return _Iterations(res, steady, x, times, counts, gaps, converged, sim_s)
