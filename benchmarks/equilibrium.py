"""Cost of an equilibrium against one simulation of the same scenario, in the same run.

Times one plain simulation of the scenario (median of ``--repeats``; routing included, as
``corridor simulate`` does it) and one equilibrium (``corridor simulate --equilibrium``: the
options of every flow, then the simulations until the flows stop moving), and prints the ratio.
The process is warmed first (the numba kernel loaded from its cache, the network read). On a
shared machine the ratio is what to read: both sides see the same load.

Usage: python benchmarks/equilibrium.py [--scenario surge-2022] [--days 365] [--repeats 3]
[--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from corridor.network import load_network
from corridor.simulation import equilibrium, simulate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scenario", default="surge-2022")
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    net = load_network()
    simulate(args.scenario, network=net, days=5, seed=0)  # warm: kernel cache, imports
    plain: list[float] = []
    for r in range(args.repeats):
        t0 = time.perf_counter()
        simulate(args.scenario, network=net, days=args.days, seed=1 + r)
        plain.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    eq = equilibrium(args.scenario, network=net, days=args.days, seed=1)
    eq_s = time.perf_counter() - t0
    one = statistics.median(plain)
    doc = {
        "scenario": args.scenario,
        "days": args.days,
        "simulation_s": round(one, 3),
        "equilibrium_s": round(eq_s, 3),
        "ratio": round(eq_s / one, 2),
        "iterations": eq.iterations,
        "converged": eq.converged,
        "gap": round(eq.gap, 4),
    }
    if args.json:
        print(json.dumps(doc))
        return
    print(
        f"{args.scenario}, {args.days} days: one simulation {one:.2f} s (median of "
        f"{args.repeats}: {', '.join(f'{x:.2f}' for x in plain)}); equilibrium {eq_s:.2f} s "
        f"({eq.iterations} simulations, gap {eq.gap:.3f}, converged {eq.converged})"
    )
    print(f"equilibrium / one simulation: {eq_s / one:.2f}x (target < 10x)")


if __name__ == "__main__":
    main()
