"""Check `compare` the way a new user would, over many realistic origin-destination pairs.

For each of 11 Chinese origins x 17 destinations (Central Asia, the Caucasus, Türkiye, Europe,
Russia and Iran) it runs ``corridor.compare`` and counts:

- options whose route visits a place twice;
- options whose route leaves a country and comes back into it;
- pairs where the best route (``corridor.route``) is not among the options;
- options slower, dearer and higher in CO2 than another option shown (the policy leaves them
  out: ``docs/options.md``);
- options to Türkiye that run through Germany or Czechia (no service runs that way);

and prints the share of pairs whose fastest row (lowest P50) is each corridor.

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
TOLERANCE = 0.01
TURKIYE = {"kars", "ankara", "istanbul"}


def main() -> int:  # noqa: PLR0912, PLR0915  (one count per check, each one branch)
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
    dominated: list[str] = []
    via_de_cz: list[str] = []
    fastest: Counter[str] = Counter()
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
            fastest[c.options[0].corridor.value] += 1
            for r in shown:
                if any(_dominates(o, r) for o in shown if o is not r):
                    dominated.append(f"{a}->{b} {r.corridor.value}")
                if b in TURKIYE and {net.nodes[n].country for n in r.nodes} & {"DE", "CZ"}:
                    via_de_cz.append(f"{a}->{b} {r.corridor.value}")
    elapsed = time.perf_counter() - t0
    report = {
        "pairs": pairs,
        "options": options,
        "labels": dict(labels),
        "no_route": no_route,
        "revisiting_options": loops,
        "reentering_options": reentries,
        "best_route_missing": missing_best,
        "dominated_shown": dominated,
        "turkiye_via_de_or_cz": via_de_cz,
        "fastest_row_share": {
            k: round(v / max(1, sum(fastest.values())), 3) for k, v in fastest.most_common()
        },
        "seconds": round(elapsed, 1),
    }
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(f"{pairs} pairs, {options} options {dict(labels)} in {elapsed:.1f} s")
        print(f"options visiting a place twice: {len(loops)}")
        print(f"options re-entering a country: {len(reentries)}")
        print(f"pairs whose fastest route is not shown: {len(missing_best)}")
        print(f"dominated options shown: {len(dominated)}")
        print(f"options to Türkiye through Germany or Czechia: {len(via_de_cz)}")
        print(
            "fastest row by corridor: "
            + ", ".join(f"{k} {v:.0%} ({fastest[k]})" for k, v in _shares(fastest).items())
        )
        for name in (
            "revisiting_options",
            "reentering_options",
            "best_route_missing",
            "dominated_shown",
            "turkiye_via_de_or_cz",
            "no_route",
        ):
            items = report[name]
            if items:
                print(f"  {name}: " + ", ".join(items[:12]) + (" …" if len(items) > 12 else ""))
    return 1 if loops or reentries or missing_best or dominated or via_de_cz else 0


def _shares(counts: Counter[str]) -> dict[str, float]:
    """Each key's share of the total, largest first."""
    total = max(1, sum(counts.values()))
    return {k: round(v / total, 3) for k, v in counts.most_common()}


def _dominates(a: object, b: object) -> bool:
    """Whether route ``a`` is no worse than ``b`` on time, cost and CO2, better on one."""
    ka = (a.hours, a.cost_usd, a.co2_kg)  # type: ignore[attr-defined]
    kb = (b.hours, b.cost_usd, b.co2_kg)  # type: ignore[attr-defined]
    return all(x <= y * (1 + TOLERANCE) for x, y in zip(ka, kb, strict=True)) and any(
        x < y * (1 - TOLERANCE) for x, y in zip(ka, kb, strict=True)
    )


if __name__ == "__main__":
    sys.exit(main())
