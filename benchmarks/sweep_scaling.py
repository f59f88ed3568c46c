"""Sweep speed-up from 1 to 2 Dask workers (local processes) on the same sweep, in one run.

For each worker count, a LocalCluster is started and its workers warmed (package imported,
bundled network loaded, the numba kernel loaded from its cache); then the same sweep is timed on
it through ``--scheduler``, ``--repeats`` times (at least 3), with the 1- and 2-worker runs
interleaved so that a change in the machine's load hits both alike. Prints every time, the
median sweep time per worker count, the speed-up of the medians and its range over the
repeats, and the per-task overhead (median sweep time on one worker divided by the tasks, minus
one in-process run). On a shared machine the spread matters as much as the median.

Usage: python benchmarks/sweep_scaling.py [--scenario baseline-2024] [--days 365]
[--replications 2] [--repeats 3]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

from dask.distributed import Client, LocalCluster

from corridor.simulation import simulate
from corridor.sweep import sweep


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scenario", default="baseline-2024")
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--replications", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3, help="timed runs per worker count (>= 3)")
    args = parser.parse_args()
    if args.repeats < 3:
        parser.error("--repeats must be at least 3 (the median of one run is that run)")
    grid = ["demand.scale=1,2,3,4"]  # up to the World Bank 2030 volumes and beyond
    tasks = 4 * args.replications
    simulate(args.scenario, days=args.days, seed=1)  # warm this process (numba cache)
    t0 = time.perf_counter()
    for s in range(3):
        simulate(args.scenario, days=args.days, seed=s)
    in_task = (time.perf_counter() - t0) / 3
    timed: dict[int, list[float]] = {1: [], 2: []}
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(args.repeats):
            for workers in (1, 2):
                out = Path(tmp) / f"w{workers}-{r}"
                timed[workers].append(_timed_sweep(args, grid, workers, out))
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(
        f"sweep: {args.scenario}, {tasks} tasks of {args.days} simulated days, "
        f"{args.repeats} repeats (one run in-process: {in_task:.3f} s)"
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
        f"per-task overhead (1 worker): {med[1] / tasks - in_task:.3f} s "
        "(scheduling, scenario validation and routing in the worker, Parquet write)"
    )


if __name__ == "__main__":
    main()
