"""Sweep speed-up from 1 to 2 Dask workers (local processes) on the same sweep, in one run.

For each worker count, a LocalCluster is started and its workers warmed (package imported,
bundled network loaded, the numba kernel loaded from its cache); then the same sweep is timed on
it through ``--scheduler``, ``--repeats`` times (at least 3), with the 1- and 2-worker runs
interleaved so that a change in the machine's load hits both alike. This process is warmed too
(the Parquet writer and the chart library imported once, as in any session that sweeps twice).
Prints every time, the median sweep time per worker count, the speed-up of the medians and its
range over the repeats, the same batches run one after another in this process (what the
sweep computes, without Dask: the 1-worker time over it is the cost of the machinery) and the
load average before and after. On a shared machine the spread and the load matter as much as
the median; the goal (>= 1.7x) is for an idle one.

The sweep is 4 points (demand x1 to x4) x ``--replications`` (default 4): the replications of a
point run as one batch (the scenario routed and compiled once), so each task lasts long enough
for the scheduling to be a small part of it.

Usage: python benchmarks/sweep_scaling.py [--scenario baseline-2024] [--days 365]
[--replications 4] [--repeats 3] (``make bench-sweep``)
"""

from __future__ import annotations

import argparse
import importlib
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

from dask.distributed import Client, LocalCluster

from corridor.network import load_network, scenario_document
from corridor.present.png import _pyplot
from corridor.simulation import simulate
from corridor.sweep import expand_grid, parse_grid, plan_tasks, run_batch, sweep


def _warm(scenario: str) -> bool:
    simulate(scenario, days=2, seed=0)
    return True


def _timed_sweep(args: argparse.Namespace, grid: list[str], workers: int, out: Path) -> float:
    """Start a cluster of ``workers``, warm it, time the sweep on it; the sweep time, seconds."""
    cluster = LocalCluster(
        n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
    )
    client = Client(cluster)
    try:
        client.run(_warm, args.scenario)
        t0 = time.perf_counter()
        df = sweep(
            args.scenario,
            grid,
            replications=args.replications,
            days=args.days,
            scheduler=cluster.scheduler_address,
            out=out,
        )
        elapsed = time.perf_counter() - t0
    finally:
        client.close()
        cluster.close()
    assert (df["status"] == "ok").all(), df["error"].tolist()
    return elapsed


def _load(avg: tuple[float, float, float]) -> str:
    return " ".join(f"{x:.2f}" for x in avg)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scenario", default="baseline-2024")
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--replications", type=int, default=4)
    parser.add_argument("--repeats", type=int, default=3, help="timed runs per worker count (>= 3)")
    args = parser.parse_args()
    if args.repeats < 3:
        parser.error("--repeats must be at least 3 (the median of one run is that run)")
    grid = ["demand.scale=1,2,3,4"]  # up to the World Bank 2030 volumes and beyond
    tasks = 4 * args.replications  # the grid's 4 points
    load_before = os.getloadavg()
    simulate(args.scenario, days=args.days, seed=1)  # warm this process (numba cache)
    _pyplot()  # and the libraries the sweep's outputs use, once per process
    importlib.import_module("pyarrow.parquet")
    # the sweep's own batches, one after another in this process: the work without Dask
    net = load_network()
    name, document = scenario_document(args.scenario, net)
    planned = plan_tasks(expand_grid(parse_grid(grid)), args.replications, seed=1, days=args.days)
    t0 = time.perf_counter()
    for point in range(4):
        run_batch([t for t in planned if t.point.index == point], document, name)
    serial = time.perf_counter() - t0
    timed: dict[int, list[float]] = {1: [], 2: []}
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(args.repeats):
            for workers in (1, 2):
                out = Path(tmp) / f"w{workers}-{r}"
                timed[workers].append(_timed_sweep(args, grid, workers, out))
    load_after = os.getloadavg()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
        f"; load average before {_load(load_before)}, after {_load(load_after)}"
    )
    print(
        f"sweep: {args.scenario}, {tasks} tasks of {args.days} simulated days, "
        f"{args.repeats} repeats; the same batches in this process, without Dask: {serial:.2f} s"
    )
    med = {w: statistics.median(v) for w, v in timed.items()}
    for w in (1, 2):
        runs = ", ".join(f"{x:.2f}" for x in timed[w])
        print(f"{w} worker{'s' if w > 1 else ' '}: sweep median {med[w]:6.2f} s  (runs: {runs})")
    ratios = [a / b for a, b in zip(timed[1], timed[2], strict=True)]
    print(
        f"speed-up 1 -> 2 workers: {med[1] / med[2]:.2f}x (median of each); "
        f"per repeat {min(ratios):.2f}x to {max(ratios):.2f}x"
    )
    print(
        f"1 worker / serial in this process: {med[1] / serial:.2f}x (the cost of scheduling, "
        "sending the scenario and writing each row's Parquet)"
    )


if __name__ == "__main__":
    main()
