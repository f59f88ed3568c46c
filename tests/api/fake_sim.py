"""A stand-in simulator for job tests; ``CORRIDOR_FAKE_SIM`` picks its behaviour.

``fast`` (default) returns at once; ``slow`` takes about 20 s (to be killed mid-way); ``medium``
about 4 s; ``hog`` allocates memory until it fails; ``crash``
exits the worker process with code 3; ``error`` raises a ScenarioError; ``nan`` returns a
document that is not valid JSON.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from typing import Any

from corridor.errors import ScenarioError


def simulate(
    scenario: Mapping[str, Any],
    *,
    days: int,
    seed: int,
    progress: Callable[[float], None],
    network_dir: str | None = None,
) -> dict[str, Any]:
    """Pretend to simulate."""
    mode = os.environ.get("CORRIDOR_FAKE_SIM", "fast")
    steps = {"slow": 40, "medium": 8}.get(mode, 4)
    if mode == "hog":
        hoard = [bytearray(64 * 1024 * 1024) for _ in range(10_000)]  # 640 GB: never ends well
        return {"held": len(hoard)}
    for i in range(steps):
        if mode in ("slow", "medium"):
            time.sleep(0.5)
        progress((i + 1) / steps * 0.9)
    if mode == "crash":
        os._exit(3)
    if mode == "error":
        raise ScenarioError("flow 1: unknown place 'Atlantis'")
    teu = 100.0 * days
    return {
        "scenario": str(scenario.get("name", "fake")),
        "days": days,
        "seed": seed,
        "arrived_teu": teu,
        "delivered_teu": teu - 10,
        "in_system_teu": 10 if mode != "nan" else float("nan"),
        "transit_days": {"p50": 12.5, "p90": 16.0},
        "resources": [
            {
                "id": "alat:port",
                "kind": "port",
                "utilization": 0.8,
                "mean_wait_h": 5.0,
                "p90_wait_h": 12.0,
                "max_queue_teu": 300.0,
                "throughput_teu": teu,
            }
        ],
        "bottlenecks": ["alat:port"],
        "series": {"days": [0, 1], "in_system_teu": [0, 10], "queue_teu": {"alat:port": [0, 3]}},
    }
