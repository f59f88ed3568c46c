"""Sweep speed-up from 1 to 2 Dask workers (local processes) on the same sweep, in one run.

For each worker count, a LocalCluster is started and its workers warmed (package imported,
bundled network loaded, the numba kernel loaded from its cache); then the same sweep is timed on
it through ``--scheduler``. Prints the start-up time, the sweep time, the speed-up, and the
per-task overhead (sweep time on one worker divided by the tasks, minus one in-process run).

Usage: python benchmarks/sweep_scaling.py [--scenario baseline-2024] [--days 365] [--replications 2]
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from pathlib import Path

from dask.distributed import Client, LocalCluster

from corridor.simulation import simulate
from corridor.sweep import sweep


def _warm(scenario: str) -> bool:
    simulate(scenario, days=2, seed=0)
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scenario", default="baseline-2024")
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--replications", type=int, default=2)
    args = parser.parse_args()
    grid = ["demand.scale=1,2,3,4"]  # up to the World Bank 2030 volumes and beyond
    tasks = 4 * args.replications
    simulate(args.scenario, days=args.days, seed=1)  # warm this process (numba cache)
    t0 = time.perf_counter()
    for s in range(3):
        simulate(args.scenario, days=args.days, seed=s)
    in_task = (time.perf_counter() - t0) / 3
    startup: dict[int, float] = {}
    timed: dict[int, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for workers in (1, 2):
            t0 = time.perf_counter()
            cluster = LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
            )
            client = Client(cluster)
            client.run(_warm, args.scenario)
            startup[workers] = time.perf_counter() - t0
            t0 = time.perf_counter()
            df = sweep(
                args.scenario,
                grid,
                replications=args.replications,
                days=args.days,
                scheduler=cluster.scheduler_address,
                out=Path(tmp) / f"w{workers}",
            )
            timed[workers] = time.perf_counter() - t0
            client.close()
            cluster.close()
            assert (df["status"] == "ok").all(), df["error"].tolist()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(
        f"sweep: {args.scenario}, {tasks} tasks of {args.days} simulated days "
        f"(one run in-process: {in_task:.3f} s)"
    )
    for w in (1, 2):
        print(
            f"{w} worker{'s' if w > 1 else ' '}: cluster start-up + warm-up {startup[w]:5.2f} s, "
            f"sweep {timed[w]:6.2f} s"
        )
    print(f"speed-up 1 -> 2 workers: {timed[1] / timed[2]:.2f}x")
    print(
        f"per-task overhead (1 worker): {timed[1] / tasks - in_task:.3f} s "
        "(scheduling, scenario validation and routing in the worker, Parquet write)"
    )


if __name__ == "__main__":
    main()
