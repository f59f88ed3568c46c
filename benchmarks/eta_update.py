"""Speed of a shipment event update: store the event and re-forecast with 10,000 samples.

Books shipments Xi'an -> Istanbul on the Middle Corridor in a fresh SQLite file (WAL, synchronous
FULL: every commit reaches the disk, as in the service) and posts their actual milestones one by
one through the service's tracker (replay of the stored milestones, conditioned forecast, one
transaction for the event and the forecast). Plans are warm (one booking runs first), as in a
running server. Prints the p50 and p90 of an update in ms and, as the baseline measured in the
same run, the time of one unconditioned 10,000-sample forecast of the whole route, with the
machine it ran on. Pinned to one core where the OS allows it.

Usage: python benchmarks/eta_update.py [--shipments N] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from corridor import load_network
from corridor.api.tracking import EventIn, Tracker
from corridor.facade import plan_shipment
from corridor.store import Store
from corridor.transit import forecast, plan_track

# Milestones of a Middle Corridor journey, hours after departure (roughly its median timeline)
_MILESTONES = [
    ("dostyk", "ARRI", 80),
    ("dostyk", "DEPA", 118),
    ("aktau", "ARRI", 190),
    ("aktau", "DEPA", 250),
    ("alat", "ARRI", 268),
    ("akhalkalaki", "ARRI", 330),
    ("kars", "ARRI", 400),
    ("ankara", "ARRI", 470),
]


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def main() -> None:
    """Run the benchmark and print the result."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shipments", type=int, default=8)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    net = load_network()
    tmp = Path(tempfile.mkdtemp(prefix="corridor-eta-bench-"))
    store = Store(f"sqlite:///{tmp / 'bench.db'}")
    tracker = Tracker(store, lambda: net)
    depart = date(2025, 1, 6)
    start = datetime(2025, 1, 6)
    now = datetime(2026, 1, 1)

    def book() -> str:
        rec = tracker.book(
            origin="xian",
            destination="istanbul",
            depart=depart,
            service="standard",
            corridor="middle",
            samples=10_000,
        )
        return rec.id

    book()  # warm: plans, numpy, SQLAlchemy
    update_ms: list[float] = []
    update_cpu_ms: list[float] = []
    for _ in range(args.shipments):
        sid = book()
        for node, code, hours in _MILESTONES:
            event = EventIn(
                classifier="ACT",
                event_type=code,
                node=node,
                at=start + timedelta(hours=hours),
                body={"eventClassifierCode": "ACT"},
            )
            t0, c0 = time.perf_counter(), time.thread_time()
            result = tracker.post_event(sid, event, now=now)
            update_ms.append((time.perf_counter() - t0) * 1000.0)
            update_cpu_ms.append((time.thread_time() - c0) * 1000.0)
            assert result is not None and result[2], "the event was not stored"
    route = plan_shipment(net, "xian", "istanbul", depart=depart, corridor="middle")
    base_ms = []
    base_cpu_ms = []
    for _ in range(20):
        t0, c0 = time.perf_counter(), time.thread_time()
        forecast(plan_track(route, depart), samples=10_000, seed=1)
        base_ms.append((time.perf_counter() - t0) * 1000.0)
        base_cpu_ms.append((time.thread_time() - c0) * 1000.0)
    store.close()
    p50, p90 = np.percentile(update_ms, [50, 90])
    base = float(np.median(base_ms))
    cpu50, cpu90 = np.percentile(update_cpu_ms, [50, 90])
    doc: dict[str, Any] = {
        "updates": len(update_ms),
        "samples": 10_000,
        "update_ms": {"p50": round(float(p50), 1), "p90": round(float(p90), 1)},
        "update_cpu_ms": {"p50": round(float(cpu50), 1), "p90": round(float(cpu90), 1)},
        "full_route_forecast_ms": round(base, 1),
        "full_route_forecast_cpu_ms": round(float(np.median(base_cpu_ms)), 1),
        "load_average": round(os.getloadavg()[0], 1) if hasattr(os, "getloadavg") else None,
        "update_over_full_forecast": round(float(p50) / base, 2),
        "target_p50_ms": 50,
        "machine": f"{_cpu()}, {os.cpu_count()} cores (pinned to 1), "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}",
    }
    if args.json:
        print(json.dumps(doc))
        return
    ms = doc["update_ms"]
    print(f"event update (store + re-forecast, 10,000 samples), {len(update_ms)} updates:")
    cpu = doc["update_cpu_ms"]
    print(f"  wall p50 {ms['p50']} ms, p90 {ms['p90']} ms (target: p50 <= 50 ms)")
    print(
        f"  CPU  p50 {cpu['p50']} ms, p90 {cpu['p90']} ms (the rest is waiting: disk, other work)"
    )
    ratio = doc["update_over_full_forecast"]
    print(f"  baseline, one forecast of the whole route: {base:.1f} ms; update/baseline {ratio}")
    print(f"  machine: {doc['machine']}; load average {doc['load_average']}")


if __name__ == "__main__":
    main()
