"""Speed and agreement of the numba engine against the SimPy reference model.

Usage::

    python benchmarks/simulation_vs_simpy.py --days 365 --json
    python benchmarks/simulation_vs_simpy.py --scenario wb-2030 --days 365

Both models run the same compiled scenario with the same seed (so the same arrivals). ``simpy_s``
is the idiomatic SimPy run as written; ``simpy_gc_off_s`` is the same with Python's garbage
collector disabled (reported beside it so that the ratio is not inflated by an avoidable
handicap). ``engine_s`` is the whole ``simulate_model`` call (arrivals, kernel, statistics;
median of eleven runs after a warm-up); ``kernel_s`` is the compiled event loop alone, from the
same runs. The SimPy environments are kept alive until the end so that tearing down long queues
is not timed. ``agree`` is true when, over ``--replications`` (at least 12) independent seeds
per model and a horizon of ``agree_days`` (``--days`` unless ``--agree-days`` says otherwise;
both are printed), no Welch t-test of delivered TEU, mean transit days or the mean wait at a
capacitated resource rejects equal means at the Bonferroni-corrected level (see
``benchmarks/agreement.py``: false alarms at most 0.5 % when the models are the same).
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))

from agreement import FAMILY_ALPHA, MIN_REPLICATIONS, agreement
from reference_simpy import run_reference

from corridor.network import load_network
from corridor.simulation import CompiledModel, build_model, load_scenario, simulate_model

ENGINE_RUNS = 11
"""Timed engine runs (median): a run takes milliseconds, so one busy moment on a shared machine
would otherwise decide the ratio."""


def _agree(model: CompiledModel, days: int, reps: int, seed: int) -> tuple[bool, list[str]]:
    """Run ``reps`` independent replications of each model and apply the agreement rule."""
    children = np.random.SeedSequence(seed).spawn(2 * reps)
    ids = [r.id for r in model.resources]
    keys: list[str] = []
    eng: dict[str, list[float]] = {}
    ref: dict[str, list[float]] = {}
    keep: list[Any] = []
    for i in range(reps):
        res = simulate_model(model, days=days, seed=int(children[i].generate_state(1)[0]))
        out = run_reference(model, days=days, seed=int(children[reps + i].generate_state(1)[0]))
        keep.append(out.env)
        if not keys:
            keys = ["delivered_teu", "transit_days"] + [
                r.id for r in res.resources if r.kind.capacitated and r.arrived_teu > 0
            ]
        eng.setdefault("delivered_teu", []).append(res.delivered_teu)
        ref.setdefault("delivered_teu", []).append(out.delivered_teu)
        eng.setdefault("transit_days", []).append(float(np.mean(res.transit_days)))
        ref.setdefault("transit_days", []).append(out.mean_transit_days)
        for k in keys[2:]:
            eng.setdefault(k, []).append(res.resource(k).mean_wait_h)
            ref.setdefault(k, []).append(out.mean_wait_h(ids.index(k)))
    return agreement(eng, ref)


def main() -> None:
    """Run the benchmark and print the result."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", default="baseline-2024")
    ap.add_argument("--days", type=int, default=365)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument(
        "--replications", type=int, default=MIN_REPLICATIONS, help="per model (at least 12)"
    )
    ap.add_argument(
        "--agree-days",
        type=int,
        default=None,
        help="horizon of the agreement runs (default: --days)",
    )
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    if args.replications < MIN_REPLICATIONS:
        ap.error(f"--replications must be at least {MIN_REPLICATIONS}")
    agree_days = args.days if args.agree_days is None else args.agree_days

    net = load_network()
    scenario = load_scenario(args.scenario, net)
    model = build_model(scenario, net)
    simulate_model(model, days=2, seed=args.seed)  # compile (or load the numba cache)

    engine_times = []
    kernel_times = []
    result = None
    for _ in range(ENGINE_RUNS):
        t0 = time.perf_counter()
        result = simulate_model(model, days=args.days, seed=args.seed)
        engine_times.append(time.perf_counter() - t0)
        kernel_times.append(result.meta["kernel_s"])
    engine_s = float(np.median(engine_times))
    kernel_s = float(np.median(kernel_times))

    alive = []
    t0 = time.perf_counter()
    out = run_reference(model, days=args.days, seed=args.seed)
    simpy_s = time.perf_counter() - t0
    alive.append(out.env)
    gc.disable()
    try:
        t0 = time.perf_counter()
        out_gc = run_reference(model, days=args.days, seed=args.seed)
        simpy_gc_off_s = time.perf_counter() - t0
        alive.append(out_gc.env)
    finally:
        gc.enable()

    ok, failed = _agree(model, agree_days, args.replications, args.seed)
    assert result is not None
    doc = {
        "simpy_s": round(simpy_s, 3),
        "engine_s": round(engine_s, 4),
        "ratio": round(simpy_s / engine_s, 1),
        "agree": ok,
        "simpy_gc_off_s": round(simpy_gc_off_s, 3),
        "ratio_gc_off": round(simpy_gc_off_s / engine_s, 1),
        "kernel_s": round(kernel_s, 4),
        "ratio_kernel": round(simpy_s / kernel_s, 1),
        "scenario": scenario.name,
        "days": args.days,
        "agree_days": agree_days,
        "replications": args.replications,
        "agree_rule": f"Welch t-test per statistic, Bonferroni, family alpha {FAMILY_ALPHA}",
        "seed": args.seed,
        "teu": result.arrived_teu,
        "same_arrivals": out.arrived_teu == result.arrived_teu,
    }
    if failed:
        doc["disagreements"] = failed
    if args.json:
        print(json.dumps(doc))
    else:
        for k, v in doc.items():
            print(f"{k:>16}: {v}")


if __name__ == "__main__":
    main()
