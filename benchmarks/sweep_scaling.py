"""Sweep speed-up from 1 to 2 Dask workers (local processes) on the same sweep, in one run.

Prints the wall time of each, the speed-up, and the per-task overhead (wall time x workers /
tasks minus the mean in-task simulation time). Usage: python benchmarks/sweep_scaling.py
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from pathlib import Path

from corridor.simulation import simulate
from corridor.sweep import sweep


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scenario", default="baseline-2024")
    parser.add_argument("--days", type=int, default=120)
    parser.add_argument("--replications", type=int, default=4)
    args = parser.parse_args()
    grid = ["demand.scale=1,1.5,2,3"]
    times: dict[int, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for workers in (1, 2):
            t0 = time.perf_counter()
            df = sweep(
                args.scenario,
                grid,
                replications=args.replications,
                days=args.days,
                workers=workers,
                out=Path(tmp) / f"w{workers}",
            )
            times[workers] = time.perf_counter() - t0
            assert (df["status"] == "ok").all()
    tasks = 4 * args.replications
    simulate(args.scenario, days=args.days, seed=1)  # warm (numba compile)
    t0 = time.perf_counter()
    for scale_seed in range(3):
        simulate(args.scenario, days=args.days, seed=scale_seed)
    in_task = (time.perf_counter() - t0) / 3
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"sweep: {args.scenario}, {tasks} tasks of {args.days} simulated days")
    print(f"1 worker : {times[1]:7.2f} s  ({times[1] / tasks:.3f} s per task incl. start-up)")
    print(f"2 workers: {times[2]:7.2f} s")
    print(f"speed-up 1 -> 2 workers: {times[1] / times[2]:.2f}x")
    print(
        f"one simulation in-process (warm): {in_task:.3f} s; per-task overhead on 1 worker "
        f"(cluster start-up, compile, transfer, Parquet): {times[1] / tasks - in_task:.3f} s"
    )


if __name__ == "__main__":
    main()
