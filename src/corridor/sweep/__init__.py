"""L3c sweep: many scenarios × replications of the capacity simulation on Dask.

The module itself is callable, so ``corridor.sweep(...)`` runs a sweep (it is
:func:`corridor.sweep.runner.sweep`). The runner, which imports the simulation engine, pandas and
Dask, is loaded on first use so that ``import corridor`` stays light.
"""

from __future__ import annotations

import sys
import types
from typing import Any

from corridor.errors import require_extra
from corridor.sweep.grid import GridAxis, Point, expand_grid, parse_grid, set_path

__all__ = [
    "HEADLINE_KPIS",
    "GridAxis",
    "Point",
    "SweepTask",
    "batch_tasks",
    "dask_map",
    "equilibrium_row",
    "expand_grid",
    "kpi_row",
    "parse_grid",
    "plan_tasks",
    "run_batch",
    "run_task",
    "set_path",
    "summarize",
    "sweep",
]


def _runner() -> types.ModuleType:
    """The runner module; on an installation without the ``sweep`` extra, an error naming it."""
    for module in ("dask.distributed", "pandas", "pyarrow", "numba"):
        require_extra(module, "sweep", "a sweep")
    from corridor.sweep import runner  # noqa: PLC0415  (heavy: simulation, pandas, dask)

    return runner


def __getattr__(name: str) -> Any:
    if name in __all__:  # the runner's names: the grid's are imported above
        return getattr(_runner(), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class _CallableModule(types.ModuleType):
    """Lets ``corridor.sweep(...)`` call :func:`corridor.sweep.runner.sweep`."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return _runner().sweep(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
