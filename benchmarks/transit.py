"""Monte-Carlo transit engine speed: vectorised engine vs a plain per-sample Python loop.

Both implement the same model (log-normal running speeds, shifted log-normal dwells, sailing waits
by departure rule, monthly weather holds); the loop draws one journey at a time with
``random.Random``. Prints leg-samples per second of each, their ratio, and the wall time of a
warm ``compare`` (four corridors x 10,000 samples).

The vectorised engine is timed with and without the dependence between legs (the journey
shock and one speed per railway), and the legs' P90 with np.percentile and np.partition.

Usage: python benchmarks/transit.py [--samples N]
"""

from __future__ import annotations

import argparse
import bisect
import math
import os
import platform
import random
import time
from datetime import date

import numpy as np

from corridor import compare, load_network
from corridor.model import DepartureRuleKind, Leg, Route, lognormal_params
from corridor.model.timing import row_quantile
from corridor.routing import Constraints, best_route
from corridor.transit import sample_route


def _loop_leg(leg: Leg, clock: float, month: int, rnd: random.Random) -> float:
    if leg.dwell is not None:
        shift, mu, sigma = leg.dwell.params()
        return shift + (
            math.exp(mu + sigma * rnd.gauss(0, 1))
            if sigma
            else (0.0 if mu == -math.inf else math.exp(mu))
        )
    if leg.service is not None:
        svc = leg.service
        rule = svc.departure
        if rule.kind is DepartureRuleKind.INTERVAL:
            wait = rnd.random() * float(rule.every_h or 0)
        elif rule.kind is DepartureRuleKind.WHEN_FULL:
            wait = rnd.random() * float(rule.max_wait_h or 0)
        else:
            times = sorted(d * 24.0 + rule.hour for d in set(rule.weekdays))
            t = clock % 168.0
            i = bisect.bisect_left(times, t)
            wait = (times[i] if i < len(times) else times[0] + 168.0) - t
        w = svc.weather.get(month)
        hold = rnd.expovariate(1.0) * w.hold_h_mean if w and rnd.random() < w.hold_prob else 0.0
        if svc.crossing is not None:
            shift, mu, sigma = svc.crossing.params()
            cross = shift + (
                math.exp(mu + sigma * rnd.gauss(0, 1))
                if sigma
                else (0.0 if mu == -math.inf else math.exp(mu))
            )
        else:
            assert leg.speed is not None
            mu, sigma = lognormal_params(leg.speed.mean_kmh, leg.speed.cv)
            cross = leg.distance_km / math.exp(mu + sigma * rnd.gauss(0, 1))
        return wait + hold + cross
    assert leg.speed is not None
    mu, sigma = lognormal_params(leg.speed.mean_kmh, leg.speed.cv)
    return leg.distance_km / math.exp(mu + sigma * rnd.gauss(0, 1))


def loop_sample(route: Route, n: int, month: int, seed: int) -> list[float]:
    """The same model, one journey at a time (the month is held fixed: a simplification that
    only makes the loop faster). Operations at one node overlap: the node takes the longest."""
    rnd = random.Random(seed)
    legs = route.legs
    out = []
    for _ in range(n):
        clock = 0.0
        node_time = 0.0
        for i, leg in enumerate(legs):
            hours = _loop_leg(leg, clock, month, rnd)
            if leg.dwell is None:
                clock += hours
                continue
            node_time = max(node_time, hours)
            nxt = legs[i + 1] if i + 1 < len(legs) else None
            if nxt is None or nxt.dwell is None or nxt.from_id != leg.from_id:
                clock += node_time
                node_time = 0.0
        out.append(clock)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--samples", type=int, default=100_000)
    args = parser.parse_args()
    net = load_network()
    route = best_route(net, "xian", "istanbul", constraints=Constraints(month=1))
    legs = len(route.legs)
    depart = date(2025, 1, 15)
    sample_route(route, 1000, seed=0, depart=depart)  # warm-up

    n_loop = max(2000, args.samples // 20)
    t0 = time.perf_counter()
    loop_sample(route, n_loop, 1, 1)
    loop_s = time.perf_counter() - t0
    loop_rate = n_loop * legs / loop_s

    reps = 5
    rates: dict[bool, float] = {}
    for dependence in (False, True, False, True):  # interleaved: load changes hit both alike
        t0 = time.perf_counter()
        for i in range(reps):
            sample_route(route, args.samples, seed=i, depart=depart, dependence=dependence)
        eng_s = (time.perf_counter() - t0) / reps
        rates[dependence] = max(rates.get(dependence, 0.0), args.samples * legs / eng_s)
    eng_rate = rates[True]

    rows = np.random.default_rng(0).gamma(2.0, 10.0, (legs, args.samples))
    t0 = time.perf_counter()
    np.percentile(rows, 90, axis=1)
    pct_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    row_quantile(rows, 90.0)
    part_s = time.perf_counter() - t0

    compare("Xi'an", "Istanbul", depart=depart, samples=10_000, network=net)  # warm
    t0 = time.perf_counter()
    c = compare("Xi'an", "Istanbul", depart=depart, samples=10_000, network=net)
    cmp_s = time.perf_counter() - t0

    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; one core used"
    )
    print(f"route Xi'an -> Istanbul ({route.corridor.value}): {legs} legs")
    print(f"python per-sample loop : {loop_rate / 1e6:8.2f} M leg-samples/s ({n_loop:,} journeys)")
    print(
        f"vectorised engine      : {eng_rate / 1e6:8.2f} M leg-samples/s "
        f"({args.samples:,} journeys)"
    )
    print(
        f"independent legs       : {rates[False] / 1e6:8.2f} M leg-samples/s "
        "(the engine without the journey shock and shared railway speeds)"
    )
    print(f"ratio engine / loop    : {eng_rate / loop_rate:8.1f}x")
    print(f"ratio dependent / independent legs: {rates[True] / rates[False]:.2f}")
    print(
        f"legs' P90: np.percentile {pct_s * 1e3:.1f} ms, np.partition {part_s * 1e3:.1f} ms "
        f"(ratio {pct_s / part_s:.1f}x)"
    )
    print(f"compare, {len(c.options)} corridors x 10,000 samples, warm: {cmp_s:.3f} s")
    # the floor: sampling the same routes alone (the draws compare cannot avoid)
    t0 = time.perf_counter()
    for o in c.options:
        sample_route(o.route, 10_000, seed=1, depart=depart)
    floor_s = time.perf_counter() - t0
    print(
        f"sampling floor (the same {len(c.options)} routes x 10,000): {floor_s:.3f} s; "
        f"warm compare / floor: {cmp_s / floor_s:.2f}x (goal <= 2x)"
    )


if __name__ == "__main__":
    main()
