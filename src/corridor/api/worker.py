"""The entry point of a simulation worker process.

It runs in a fresh (spawned) process so that a crash, a kill or a runaway simulation never takes
the server with it. It talks to the server through one end of a pipe: ``("progress", x)`` messages,
then exactly one ``("result", doc)`` or ``("error", message)``.

Before any work the worker ties itself to the server (it ends when the server ends, even by
``kill -9``) and caps its own memory (``memory_mb``), so one job cannot take the machine down.
"""

from __future__ import annotations

import inspect
import time
from multiprocessing.connection import Connection
from typing import Any

__all__ = ["run_job"]

_MIN_PROGRESS_INTERVAL_S = 0.2


def run_job(
    conn: Connection,
    simulator: str,
    scenario: dict[str, Any],
    days: int,
    seed: int,
    *,
    network_dir: str | None = None,
    parent_pid: int | None = None,
    memory_mb: int = 0,
    max_teu: float | None = None,
    equilibrium: bool = False,
) -> None:
    """Run one job and report through ``conn`` (a ``multiprocessing`` pipe end)."""
    from corridor.api.procs import bind_to_parent, limit_memory  # noqa: PLC0415

    if parent_pid is not None:
        bind_to_parent(parent_pid)
    limit_memory(memory_mb)

    from corridor.api.simulator import load_simulator  # noqa: PLC0415  (inside the child only)
    from corridor.errors import CorridorError, SimulationError  # noqa: PLC0415

    last = [0.0]

    def progress(fraction: float) -> None:
        now = time.monotonic()
        if now - last[0] >= _MIN_PROGRESS_INTERVAL_S or fraction >= 1.0:
            last[0] = now
            conn.send(("progress", float(fraction)))

    try:
        func = load_simulator(simulator)
        extra: dict[str, Any] = {}
        if max_teu is not None and "max_teu" in inspect.signature(func).parameters:
            extra["max_teu"] = max_teu
        if equilibrium:
            if "equilibrium" not in inspect.signature(func).parameters:
                raise SimulationError(f"the simulator '{simulator}' does not take equilibrium")
            extra["equilibrium"] = True
        result = func(
            scenario, days=days, seed=seed, progress=progress, network_dir=network_dir, **extra
        )
        conn.send(("result", result))
    except CorridorError as exc:
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
    except MemoryError:
        conn.send(
            (
                "error",
                f"the simulation needed more than the worker's memory cap of {memory_mb} MB "
                "(CORRIDOR_WORKER_MEMORY_MB); simulate fewer days or less demand",
            )
        )
    except Exception as exc:
        conn.send(("error", f"unexpected {type(exc).__name__}: {exc}"))
    finally:
        conn.close()
