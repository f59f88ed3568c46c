"""L3c sweep: many scenarios × replications of the capacity simulation on Dask."""

from corridor.sweep.grid import GridAxis, Point, expand_grid, parse_grid, set_path
from corridor.sweep.runner import (
    HEADLINE_KPIS,
    SweepTask,
    kpi_row,
    plan_tasks,
    run_task,
    summarize,
    sweep,
)

__all__ = [
    "HEADLINE_KPIS",
    "GridAxis",
    "Point",
    "SweepTask",
    "expand_grid",
    "kpi_row",
    "parse_grid",
    "plan_tasks",
    "run_task",
    "set_path",
    "summarize",
    "sweep",
]
