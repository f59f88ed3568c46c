"""Check `compare` the way a new user would, over many realistic origin-destination pairs.

For each of 11 Chinese origins x 17 destinations (Central Asia, the Caucasus, Türkiye, Europe,
Russia and Iran) it runs ``corridor.compare`` and counts:

- options whose route visits a place twice;
- options whose route leaves a country and comes back into it;
- pairs where the fastest route (``corridor.route``) is not among the options;
- options that break the detour rule (more than 1.5x the shortest option's distance while being
  neither the fastest, the cheapest nor the lowest in CO2).

Usage: python scripts/compare_sweep.py [--samples N] [--json] [--avoid X]...
Exit status 1 when any check fails.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter

from corridor import NoRouteError, compare, load_network, route
from corridor.routing import reentered_countries

ORIGINS = (
    "xian",
    "chongqing",
    "chengdu",
    "zhengzhou",
    "yiwu",
    "wuhan",
    "lanzhou",
    "urumqi",
    "kashgar",
    "lianyungang",
    "shanghai",
)
DESTINATIONS = (
    "almaty",
    "astana",
    "tashkent",
    "ashgabat",
    "aktau",
    "alat",
    "tbilisi",
    "poti",
    "kars",
    "ankara",
    "istanbul",
    "moscow",
    "minsk",
    "warsaw",
    "duisburg",
    "rotterdam",
    "tehran",
)
DETOUR = 1.5


def main() -> int:  # noqa: PLR0912  (one count per check, each one branch)
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--avoid", action="append", default=[])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    net = load_network()
    t0 = time.perf_counter()
    pairs = options = 0
    loops: list[str] = []
    reentries: list[str] = []
    missing_best: list[str] = []
    detours: list[str] = []
    no_route: list[str] = []
    labels: Counter[str] = Counter()
    for a in ORIGINS:
        for b in DESTINATIONS:
            pairs += 1
            try:
                c = compare(
                    a, b, depart="2026-03-02", samples=args.samples, avoid=args.avoid, network=net
                )
                best = route(a, b, avoid=args.avoid, month=3, network=net).routes[0]
            except NoRouteError:
                no_route.append(f"{a}->{b}")
                continue
            shown = [o.route for o in c.options]
            options += len(shown)
            labels.update(o.corridor.value for o in c.options)
            for r in shown:
                if len(set(r.nodes)) != len(r.nodes):
                    loops.append(f"{a}->{b} {r.corridor.value}")
                if again := reentered_countries(r, net.nodes):
                    reentries.append(f"{a}->{b} {r.corridor.value} ({','.join(again)})")
            if best.nodes not in {r.nodes for r in shown}:
                missing_best.append(f"{a}->{b} ({best.corridor.value})")
            shortest = min(r.distance_km for r in shown)
            for r in shown:
                if r.distance_km > DETOUR * shortest and not (
                    r.hours <= min(x.hours for x in shown) + 1e-9
                    or r.cost_usd <= min(x.cost_usd for x in shown) + 1e-9
                    or r.co2_kg <= min(x.co2_kg for x in shown) + 1e-9
                ):
                    detours.append(f"{a}->{b} {r.corridor.value} {r.distance_km / shortest:.1f}x")
    elapsed = time.perf_counter() - t0
    report = {
        "pairs": pairs,
        "options": options,
        "labels": dict(labels),
        "no_route": no_route,
        "revisiting_options": loops,
        "reentering_options": reentries,
        "best_route_missing": missing_best,
        "detours_shown": detours,
        "seconds": round(elapsed, 1),
    }
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(f"{pairs} pairs, {options} options {dict(labels)} in {elapsed:.1f} s")
        print(f"options visiting a place twice: {len(loops)}")
        print(f"options re-entering a country: {len(reentries)}")
        print(f"pairs whose fastest route is not shown: {len(missing_best)}")
        print(f"absurd detours shown: {len(detours)}")
        for name in (
            "revisiting_options",
            "reentering_options",
            "best_route_missing",
            "detours_shown",
            "no_route",
        ):
            items = report[name]
            if items:
                print(f"  {name}: " + ", ".join(items[:12]) + (" …" if len(items) > 12 else ""))
    return 1 if loops or reentries or missing_best or detours else 0


if __name__ == "__main__":
    sys.exit(main())
