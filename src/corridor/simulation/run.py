"""Running a scenario: demand arrivals, the kernel, and the results it reports."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from corridor.errors import SimulationError
from corridor.model import ResourceKind, Scenario
from corridor.model.timing import month_edges
from corridor.network import Network, load_scenario
from corridor.simulation.build import CompiledModel, build_model
from corridor.simulation.codes import StepKind, Table
from corridor.simulation.engine import hist_quantile, run_kernel
from corridor.simulation.records import Calendar, KernelResult

__all__ = [
    "BOTTLENECK_UTILIZATION",
    "BYTES_PER_TEU",
    "DEFAULT_MAX_TEU",
    "ResourceStats",
    "SimulationResult",
    "demand_arrivals",
    "expected_teu",
    "simulate",
    "simulate_model",
]

DEFAULT_MAX_TEU = 20_000_000.0
"""Largest run simulated unless the caller raises it: expected TEU over the horizon.

About a minute of engine time and 2-3 GB of memory on a 2024 laptop core; 350 times the
bundled 2024 baseline for a year."""

BYTES_PER_TEU = 150
"""Memory the engine needs per simulated TEU, bytes: measured 90-130 B on overloaded runs of
3 and 1.1 million TEU (arrival arrays, event heap, train and queue tables), plus a margin."""

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
Seed = int | np.random.Generator | None

BOTTLENECK_UTILIZATION = 0.8
"""A resource busier than this is listed as a bottleneck.

Above about 80 % utilisation the waiting time of a queue grows steeply (for an M/D/1 queue the
mean wait is ``rho / (2 (1 - rho))`` service times: 2 at 80 %, 4.5 at 90 %), which is the usual
planning threshold for terminals and lines.
"""


@dataclass(frozen=True, slots=True, kw_only=True)
class ResourceStats:
    """What one resource did over the horizon.

    Attributes
    ----------
    utilization
        Servers (ports, gauge changes, borders, lines): fraction of the horizon busy (0-1).
        Vessel directions: load factor of the sailings (TEU carried / TEU offered).
        Formation: mean fill of the block trains (TEU / train capacity).
    mean_wait_h, p90_wait_h
        Wait before service, departure of the train or sailing, per TEU, hours (waits still
        running at the end count up to the end). P90 from a histogram with 4 % wide bins.
    max_queue_teu
        Most TEU waiting at once (for a vessel direction: in the port or on a ship still loading).
    throughput_teu
        TEU served, sent on a train or sailed within the horizon.
    """

    id: str
    kind: ResourceKind
    name: str
    capacity: float
    capacity_unit: str
    utilization: float
    mean_wait_h: float
    p90_wait_h: float
    max_queue_teu: float
    throughput_teu: float
    arrived_teu: float
    units: int

    def to_dict(self) -> dict[str, Any]:
        """The resource as in the ``corridor simulate --json`` contract."""
        return {
            "id": self.id,
            "kind": self.kind.value,
            "utilization": round(self.utilization, 4),
            "mean_wait_h": round(self.mean_wait_h, 2),
            "p90_wait_h": round(self.p90_wait_h, 2),
            "max_queue_teu": round(self.max_queue_teu, 1),
            "throughput_teu": round(self.throughput_teu, 1),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class SimulationResult:
    """Outputs of one simulation run.

    Attributes
    ----------
    scenario
        Scenario name.
    days
        Horizon, days (the run starts on 1 January of ``year`` at 00:00, empty).
    seed
        The integer seed used (``None`` when a ``Generator`` was passed).
    arrived_teu, delivered_teu, in_system_teu
        TEU that entered, reached their destination, and are still on the way at the end
        (counted where they are: ``in_system_where``).
    in_system_where
        TEU still on the way at the end by where they are, counted from the engine's state:
        ``moving`` (in a node operation or on a running leg), ``in_pools`` (waiting for a block
        train), ``on_trains``, ``in_ports`` (waiting for a ship), ``on_ships`` and ``finishing``
        (on their last step, delivered after the end).
    transit_days
        Door-to-door days of each delivered TEU (congestion included).
    resources
        Statistics of every capacitated resource and formation pool, in route order.
    bottlenecks
        Ids of the resources above :data:`BOTTLENECK_UTILIZATION`, worst first.
    times_h, queue_teu, in_system_series, delivered_series
        Time series sampled every ``snapshot_h``: TEU waiting at each resource
        (``queue_teu[time, resource]``), TEU in the system and delivered so far.
    sailing_t_h, sailing_resource, sailing_load_teu
        Every sailing: time the ship cast off (before any weather hold), its direction (index
        into ``resources``) and load.
    elapsed_s, meta
        Wall time of the run (arrivals and kernel), seconds; ``meta["kernel_s"]`` is the time
        of the compiled kernel alone (its last call) and ``meta["kernel_runs"]`` how many calls
        it took (more than one only when an internal table had to grow).
    """

    scenario: str
    year: int
    days: int
    seed: int | None
    arrived_teu: int
    delivered_teu: int
    in_system_teu: int
    transit_days: FloatArray
    resources: tuple[ResourceStats, ...]
    bottlenecks: tuple[str, ...]
    times_h: FloatArray
    queue_teu: FloatArray
    in_system_series: FloatArray
    delivered_series: FloatArray
    sailing_t_h: FloatArray
    sailing_resource: IntArray
    sailing_load_teu: IntArray
    sailing_capacity_teu: FloatArray
    arrival_h: FloatArray
    arrival_flow: IntArray
    delivered_h: FloatArray
    flows: tuple[dict[str, Any], ...] = ()
    in_system_where: dict[str, int] = field(default_factory=dict)
    clock_reversals: int = 0
    elapsed_s: float = 0.0
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def transit_p50_days(self) -> float:
        """Median door-to-door days of the delivered TEU (NaN when none was delivered)."""
        return _pct(self.transit_days, 50)

    @property
    def transit_p90_days(self) -> float:
        """90th percentile of door-to-door days (NaN when none was delivered)."""
        return _pct(self.transit_days, 90)

    def resource(self, rid: str) -> ResourceStats:
        """The statistics of the resource with that id.

        Raises
        ------
        KeyError
            When the run has no such resource.
        """
        for r in self.resources:
            if r.id == rid:
                return r
        raise KeyError(rid)

    def to_dict(self) -> dict[str, Any]:
        """The ``corridor simulate --json`` document."""
        return {
            "scenario": self.scenario,
            "days": self.days,
            "seed": self.seed,
            "arrived_teu": self.arrived_teu,
            "delivered_teu": self.delivered_teu,
            "in_system_teu": self.in_system_teu,
            "transit_days": {
                "p50": _json_float(self.transit_p50_days),
                "p90": _json_float(self.transit_p90_days),
            },
            "resources": [r.to_dict() for r in self.resources],
            "bottlenecks": list(self.bottlenecks),
        }


def _pct(x: FloatArray, q: float) -> float:
    return float(np.percentile(x, q)) if x.size else math.nan


def _json_float(x: float) -> float | None:
    return None if math.isnan(x) else round(x, 2)


def demand_arrivals(
    model: CompiledModel, horizon_h: float, rng: np.random.Generator
) -> tuple[FloatArray, IntArray]:
    """Arrival times (hours) and flow indices of every TEU, sorted by time.

    Each flow is a Poisson process whose rate is the flow's TEU/year times the scenario's
    ``scale`` and the month's seasonal multiplier (``arrivals: uniform`` spaces the TEU evenly
    instead: the k-th TEU arrives when the cumulative expected demand reaches k, from 0).
    """
    sc = model.scenario
    edges, months = month_edges(date(sc.year, 1, 1), horizon_h)
    bounds = np.append(edges[edges < horizon_h], horizon_h)
    mult = np.array([sc.seasonality[m - 1] for m in months[: bounds.size - 1]])
    times: list[FloatArray] = []
    flows: list[IntArray] = []
    for f, rate in enumerate(model.flow_rate_teu_h):
        lam = rate * mult * np.diff(bounds)
        if sc.arrivals == "uniform":
            cum = np.concatenate(([0.0], np.cumsum(lam)))
            k = np.arange(0.0, math.floor(cum[-1] + 1e-9) + 1.0)
            t = np.interp(k, cum, bounds)
            t = t[t <= horizon_h]
        else:
            counts = rng.poisson(lam)
            parts = [
                rng.uniform(a, b, size=n)
                for a, b, n in zip(bounds[:-1], bounds[1:], counts, strict=True)
            ]
            t = np.sort(np.concatenate(parts)) if parts else np.zeros(0)
        times.append(t.astype(np.float64))
        flows.append(np.full(t.size, f, dtype=np.int64))
    all_t = np.concatenate(times) if times else np.zeros(0)
    all_f = np.concatenate(flows) if flows else np.zeros(0, dtype=np.int64)
    order = np.argsort(all_t, kind="stable")
    return all_t[order], all_f[order]


def _initial_caps(model: CompiledModel, arr_f: IntArray, horizon_h: float) -> IntArray:
    """First sizes of the kernel's tables, indexed by :class:`~corridor.simulation.codes.Table`.

    Generous, so that a rerun (see :func:`corridor.simulation.engine.run_kernel`) is rare: a TEU
    has at most two pending events (its next step and the end of its wait in a queue); a TEU
    rides at most as many trains as its route has formation steps; a ship sails at most once per
    turnaround.
    """
    k = model.kernel
    n_c = int(arr_f.size)
    n_v = int(k.services.vessels.sum())
    small = n_v + int(k.services.nports.sum()) + model.n_pools
    forms = np.zeros(k.steps.first_of_flow.size, dtype=np.int64)
    for f, first in enumerate(k.steps.first_of_flow):
        i = int(first)
        while k.steps.kind[i] != StepKind.END:
            forms[f] += int(k.steps.kind[i] == StepKind.FORM)
            i += 1
    trains = int(forms[arr_f].sum()) if n_c else 0
    turn = float(k.services.turn_h.min()) if k.services.turn_h.size else 1.0
    sailings = n_v * int(horizon_h / max(turn, 1.0) + 2)
    caps = np.zeros(len(Table), dtype=np.int64)
    caps[Table.HEAP] = 2 * n_c + 4 * small + 1024
    caps[Table.NOW] = 4096
    caps[Table.TRAINS] = trains + 16
    caps[Table.SAILINGS] = sailings + 1024
    caps[Table.WAIT_ENDS] = n_c + trains + 1024
    return caps


def _seeds(seed: Seed) -> tuple[np.random.Generator, int, int | None]:
    """Generator for the arrivals, integer seed for the kernel, and the seed to record."""
    if isinstance(seed, np.random.Generator):
        return seed, int(seed.integers(0, 2**32 - 1)), None
    ss = np.random.SeedSequence(seed)
    recorded = int(ss.entropy) if isinstance(ss.entropy, int) else None
    arrivals_ss, kernel_ss = ss.spawn(2)
    return (
        np.random.default_rng(arrivals_ss),
        int(kernel_ss.generate_state(1, np.uint32)[0]),
        recorded,
    )


def _run_kernel(
    model: CompiledModel,
    *,
    arrivals: tuple[FloatArray, IntArray],
    kernel_seed: int,
    horizon_h: float,
    snapshot_h: float,
) -> tuple[KernelResult, float, int]:
    """Run the kernel until no table overflows; the result, the last run's time and the runs."""
    arr_t, arr_f = arrivals
    kernel = model.kernel
    if kernel.calendar.month_edge_h[-1] <= horizon_h:
        edges, months = month_edges(date(model.scenario.year, 1, 1), horizon_h + 24.0 * 400)
        kernel = kernel._replace(calendar=Calendar(month_edge_h=edges, month_num=months))
    caps = _initial_caps(model, arr_f, horizon_h)
    runs = 0
    while True:
        started = time.perf_counter()
        out = run_kernel(
            kernel,
            (arr_t, arr_f),
            seed=kernel_seed,
            horizon_h=horizon_h,
            snap_dt_h=float(snapshot_h),
            caps=caps,
        )
        runs += 1
        if out.overflow < 0:
            return out, time.perf_counter() - started, runs
        caps[out.overflow] *= 2  # a table was full: run again with more room, same seed


def _resource_stats(
    model: CompiledModel, out: KernelResult, horizon_h: float
) -> tuple[list[ResourceStats], list[int]]:
    """Statistics of every reported resource, and their indices (directions not sailed skipped)."""
    n_srv, n_pool = model.n_servers, model.n_pools
    dir0 = n_srv + n_pool
    dir_valid = model.kernel.services.dir_valid
    loads = np.bincount(out.sailing_dir, weights=out.sailing_load, minlength=model.n_dirs)
    stats: list[ResourceStats] = []
    keep: list[int] = []
    for r, info in enumerate(model.resources):
        if r >= dir0 and dir_valid[r - dir0] == 0:
            continue
        offered = out.st_capacity_offered[r]
        if r < n_srv:
            util = float(out.st_busy_h[r]) / horizon_h
        elif r < dir0:
            util = float(out.st_throughput[r] / offered) if offered > 0 else 0.0
        else:
            util = float(loads[r - dir0] / offered) if offered > 0 else 0.0
        keep.append(r)
        wn = out.st_wait_n[r]
        stats.append(
            ResourceStats(
                id=info.id,
                kind=info.kind,
                name=info.name,
                capacity=info.capacity,
                capacity_unit=info.capacity_unit,
                utilization=util,
                mean_wait_h=float(out.st_wait_sum_h[r] / wn) if wn > 0 else 0.0,
                p90_wait_h=hist_quantile(out.hist[r], 0.9),
                max_queue_teu=float(out.st_max_queue[r]),
                throughput_teu=float(out.st_throughput[r]),
                arrived_teu=float(out.st_arrived[r]),
                units=int(out.st_units[r]),
            )
        )
    return stats, keep


def _flow_summaries(model: CompiledModel) -> tuple[dict[str, Any], ...]:
    return tuple(
        {
            "flow": f.key,
            "origin": f.origin,
            "destination": f.destination,
            "teu_year": f.teu_year * model.scenario.scale,
            "nodes": list(route.nodes),
            "corridor": route.corridor.value,
            "expected_days": round(route.days, 2),
        }
        for f, route in zip(model.scenario.flows, model.routes, strict=True)
    )


def _capacity_by_direction(model: CompiledModel) -> FloatArray:
    svc = model.kernel.services
    out = np.zeros(model.n_dirs)
    for s in range(svc.vessels.size):
        n = int(svc.nports[s])
        base = int(svc.dir_base[s])
        out[base : base + n * n] = svc.cap[s]
    return out


def expected_teu(model: CompiledModel, days: float) -> float:
    """TEU the demand of ``model`` brings in ``days`` days, on average (scale and season in).

    Examples
    --------
    >>> from corridor.model import Flow
    >>> from corridor.network import example_network
    >>> demo = Scenario(name="demo", flows=(Flow(origin="aa", destination="zz", teu_year=365),))
    >>> round(expected_teu(build_model(demo, example_network("tiny")), 30))
    30
    """
    season = float(np.mean(model.scenario.seasonality)) if model.scenario.seasonality else 1.0
    return float(np.sum(model.flow_rate_teu_h)) * days * 24.0 * season


def _check_size(model: CompiledModel, days: int, max_teu: float | None) -> None:
    if max_teu is None:
        return
    teu = expected_teu(model, days)
    if not math.isfinite(teu) or teu > max_teu:
        gigabytes = teu * BYTES_PER_TEU / 1e9
        raise SimulationError(
            f"this run would simulate about {teu:,.0f} TEU over {days} days "
            f"(about {gigabytes:,.1f} GB of memory), more than the limit of {max_teu:,.0f} TEU; "
            "lower demand.scale, the flows or the days, or raise the limit (--max-teu)"
        )


def simulate_model(
    model: CompiledModel,
    *,
    days: int | None = None,
    seed: Seed = None,
    snapshot_h: float = 24.0,
    max_teu: float | None = DEFAULT_MAX_TEU,
) -> SimulationResult:
    """Run the compiled model once.

    Parameters
    ----------
    model
        From :func:`corridor.simulation.build_model`.
    days
        Horizon in days (default: the scenario's ``days``).
    seed
        Seed or generator; the same seed gives the same result.
    snapshot_h
        Sampling step of the queue time series, hours.
    max_teu
        Refuse, before any work, a run whose expected TEU exceed this (``None``: no limit);
        memory grows by about :data:`BYTES_PER_TEU` per TEU.

    Raises
    ------
    SimulationError
        A horizon or snapshot step that is not positive, or a run larger than ``max_teu``.
    """
    n_days = days if days is not None else model.scenario.days
    if n_days <= 0:
        raise SimulationError(f"days must be >= 1, got {n_days}")
    _check_size(model, n_days, max_teu)
    if snapshot_h <= 0:
        raise SimulationError(f"snapshot_h must be > 0, got {snapshot_h}")
    horizon_h = n_days * 24.0
    rng, kernel_seed, recorded = _seeds(seed)
    started = time.perf_counter()
    arr_t, arr_f = demand_arrivals(model, horizon_h, rng)
    out, kernel_s, kernel_runs = _run_kernel(
        model,
        arrivals=(arr_t, arr_f),
        kernel_seed=kernel_seed,
        horizon_h=horizon_h,
        snapshot_h=snapshot_h,
    )
    elapsed = time.perf_counter() - started
    stats, keep = _resource_stats(model, out, horizon_h)
    stat_pos = np.full(model.n_stats, -1, dtype=np.int64)  # resource index -> reported index
    stat_pos[keep] = np.arange(len(keep), dtype=np.int64)
    ranked = sorted(
        (s for s in stats if s.kind.capacitated and s.utilization >= BOTTLENECK_UTILIZATION),
        key=lambda s: (-s.utilization, -s.mean_wait_h, s.id),
    )
    deliver = out.deliver_h
    done = ~np.isnan(deliver)
    dir0 = model.n_servers + model.n_pools
    sl_dir = out.sailing_dir
    where = out.where
    return SimulationResult(
        scenario=model.scenario.name,
        year=model.scenario.year,
        days=n_days,
        seed=recorded,
        arrived_teu=int(out.arrived),
        delivered_teu=int(out.delivered),
        in_system_teu=int(sum(where)),
        transit_days=(deliver[done] - arr_t[done]) / 24.0,
        resources=tuple(stats),
        bottlenecks=tuple(s.id for s in ranked),
        times_h=np.arange(out.snap_queue.shape[0], dtype=np.float64) * snapshot_h,
        queue_teu=np.asarray(out.snap_queue[:, keep]),
        in_system_series=out.snap_in_system,
        delivered_series=out.snap_delivered,
        sailing_t_h=out.sailing_t_h,
        sailing_resource=stat_pos[dir0 + sl_dir],
        sailing_load_teu=out.sailing_load,
        sailing_capacity_teu=_capacity_by_direction(model)[sl_dir] if sl_dir.size else np.zeros(0),
        arrival_h=arr_t,
        arrival_flow=arr_f,
        delivered_h=deliver,
        flows=_flow_summaries(model),
        in_system_where={k: int(v) for k, v in where._asdict().items()},
        clock_reversals=int(out.clock_reversals),
        elapsed_s=elapsed,
        meta={"kernel_s": kernel_s, "kernel_runs": kernel_runs},
    )


def simulate(
    scenario: Scenario | str | Path,
    *,
    network: Network | None = None,
    days: int | None = None,
    seed: Seed = 1,
    snapshot_h: float = 24.0,
    progress: Callable[[str], None] | None = None,
    max_teu: float | None = DEFAULT_MAX_TEU,
) -> SimulationResult:
    """Simulate a scenario: route its flows, build its resources and run the engine once.

    Parameters
    ----------
    scenario
        A :class:`Scenario`, a YAML path, or the name of a bundled scenario.
    network
        Base network (default: the bundled one).
    days
        Horizon, days (default: the scenario's).
    seed
        Seed or generator; the same seed gives the same numbers.
    snapshot_h
        Sampling step of the queue time series, hours.
    progress
        Called with a short label at each phase (for progress bars).
    max_teu
        Refuse a run whose expected TEU exceed this (see :func:`simulate_model`).

    Raises
    ------
    ScenarioError
        Invalid scenario, or a flow without a route.
    SimulationError
        Invalid horizon, or a run larger than ``max_teu``.

    Examples
    --------
    >>> from corridor.network import example_network
    >>> from corridor.simulation import Flow, Scenario
    >>> demo = Scenario(name="demo", flows=(Flow(origin="aa", destination="zz", teu_year=9000),))
    >>> res = simulate(demo, network=example_network("tiny"), days=60, seed=1)
    >>> res.arrived_teu == res.delivered_teu + res.in_system_teu
    True
    """
    if network is None:
        from corridor.network import load_network  # noqa: PLC0415  (lazy: heavy on first use)

        network = load_network()
    if progress:
        progress("loading scenario")
    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario, network)
    if progress:
        progress("routing flows")
    model = build_model(sc, network)
    if progress:
        progress("simulating")
    return simulate_model(model, days=days, seed=seed, snapshot_h=snapshot_h, max_teu=max_teu)
