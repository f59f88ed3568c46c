"""Start-up cost of the command line: ``corridor --help`` against ``python -c "import numpy"``.

Both run as fresh processes, interleaved, several times; the medians are compared. The goal is a
ratio of at most 2 (the help must not pay for the engines: numpy, numba, pandas, networkx).

Usage: python benchmarks/startup.py [--repeat N] [--json]
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


def _time(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    args = parser.parse_args()
    script = shutil.which("corridor") or str(Path(sys.executable).parent / "corridor")
    commands = {
        "numpy": [sys.executable, "-c", "import numpy"],
        "help": [script, "--help"],
        "version": [script, "--version"],
        "python": [sys.executable, "-c", "pass"],
    }
    for cmd in commands.values():  # warm the file cache and the .pyc files
        _time(cmd)
    samples: dict[str, list[float]] = {k: [] for k in commands}
    for _ in range(args.repeat):
        for name, cmd in commands.items():
            samples[name].append(_time(cmd))
    med = {k: statistics.median(v) for k, v in samples.items()}
    doc = {
        "numpy_s": round(med["numpy"], 4),
        "help_s": round(med["help"], 4),
        "version_s": round(med["version"], 4),
        "python_s": round(med["python"], 4),
        "ratio": round(med["help"] / med["numpy"], 2),
        "goal": 2.0,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}",
    }
    if args.json:
        print(json.dumps(doc))
        return
    print(f"machine: {doc['machine']}; medians of {args.repeat} fresh processes each")
    print(f"python -c pass           {med['python']:.3f} s")
    print(f'python -c "import numpy" {med["numpy"]:.3f} s')
    print(f"corridor --version       {med['version']:.3f} s")
    print(f"corridor --help          {med['help']:.3f} s")
    print(f"ratio help / numpy       {doc['ratio']:.2f}  (goal <= 2)")


if __name__ == "__main__":
    main()
