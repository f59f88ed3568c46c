"""Start-up cost of the command line, each command as a ratio to ``python -c "import numpy"``.

Every command runs as a fresh process, interleaved with the baseline, ``--repeat`` times (at least
5); the medians are compared. Goals: ``--help`` at most 2x, ``route`` at most 2.5x, ``compare``
at most 3x the cost of importing numpy; ``simulate`` (numba's cache warmed by ``make install``)
is reported without a goal. On a loaded machine the ratios, measured in the same run, still
compare; the absolute times do not. The CPU time of each process (user + system) is reported
beside the wall time: it moves less than the wall time when other work shares the cores.

The commands run as an installed ``corridor`` does: Python writes the byte-code caches of the
package (``PYTHONDONTWRITEBYTECODE`` is dropped from their environment), and the warm-up run
before the timed ones fills them.

Usage: python benchmarks/startup.py [--repeat N] [--json] [--only NAME ...]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

GOALS = {"help": 2.0, "route": 2.5, "compare": 3.0}


_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _time(cmd: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds (user + system) of one fresh process running ``cmd``."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=_ENV)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise subprocess.CalledProcessError(proc.returncode, cmd)
    return wall, usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.add_argument("--only", nargs="*", help="only these commands (and the baseline)")
    args = parser.parse_args()
    repeat = max(args.repeat, 5)
    script = shutil.which("corridor") or str(Path(sys.executable).parent / "corridor")
    commands = {
        "numpy": [sys.executable, "-c", "import numpy"],
        "python": [sys.executable, "-c", "pass"],
        "version": [script, "--version"],
        "help": [script, "--help"],
        "route": [script, "route", "Shanghai", "Rotterdam"],
        "compare": [script, "compare", "Xi'an", "Istanbul"],
        "simulate": [script, "simulate", "baseline-2024"],
    }
    if args.only:
        commands = {k: v for k, v in commands.items() if k in {"numpy", *args.only}}
    for cmd in commands.values():  # warm the file cache, the .pyc files and numba's cache
        _time(cmd)
    walls: dict[str, list[float]] = {k: [] for k in commands}
    cpus: dict[str, list[float]] = {k: [] for k in commands}
    for _ in range(repeat):
        for name, cmd in commands.items():
            wall, cpu = _time(cmd)
            walls[name].append(wall)
            cpus[name].append(cpu)
    med = {k: statistics.median(v) for k, v in walls.items()}
    cpu_med = {k: statistics.median(v) for k, v in cpus.items()}
    base, cpu_base = med["numpy"], cpu_med["numpy"]
    doc = {
        "numpy_s": round(base, 4),
        "numpy_cpu_s": round(cpu_base, 4),
        "commands": {
            k: {
                "median_s": round(v, 4),
                "ratio": round(v / base, 2),
                "cpu_s": round(cpu_med[k], 4),
                "cpu_ratio": round(cpu_med[k] / cpu_base, 2),
                "goal": GOALS.get(k),
            }
            for k, v in med.items()
            if k != "numpy"
        },
        "repeat": repeat,
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}",
    }
    if args.json:
        print(json.dumps(doc))
        return
    print(
        f"machine: {doc['machine']}; medians of {repeat} fresh processes each; "
        f"load average {doc['load_average']}"
    )
    print(f"{'':28s} {'wall':>9s} {'ratio':>6s} {'cpu':>9s} {'ratio':>6s}")
    for name, v in med.items():
        what = {"numpy": 'python -c "import numpy"', "python": "python -c pass"}.get(
            name, f"corridor {name}"
        )
        goal = f"  (goal <= {GOALS[name]})" if name in GOALS else ""
        c = cpu_med[name]
        print(f"{what:28s} {v:7.3f} s {v / base:5.2f}x {c:7.3f} s {c / cpu_base:5.2f}x{goal}")


if __name__ == "__main__":
    main()
