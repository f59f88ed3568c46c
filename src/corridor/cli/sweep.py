"""``corridor sweep``: many scenario variants × replications on Dask."""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from corridor.errors import CorridorError

if TYPE_CHECKING:
    from rich.table import Table

__all__ = ["register"]

_SCHEDULER = re.compile(r"^(?:(?:tcp|tls|ws|wss|ucx)://)?(?:\[[0-9a-fA-F:]+\]|[\w.\-]+):\d{1,5}$")


def _scheduler(value: str | None) -> str | None:
    if value is not None and not _SCHEDULER.match(value):
        raise typer.BadParameter(
            f"'{value}' is not a scheduler address HOST:PORT or tcp://HOST:PORT"
        )
    return value


def _out_folder(value: Path | None) -> Path | None:
    if value is not None and value.exists() and not value.is_dir():
        raise typer.BadParameter(f"'{value}' exists and is not a folder")
    return value


MAX_SWEEP_TASKS = 20_000
"""Most runs (grid points × replications) one sweep plans: each is a simulation."""


def _check_size(grid: list[str], replications: int) -> None:
    """A usage error when the sweep would plan more than :data:`MAX_SWEEP_TASKS` runs, counted
    before any parsing or planning (1,000 values × 1,000 replications used to take a minute and
    1 GB before the first run)."""
    points = 1
    for spec in grid:
        points *= spec.count(",") + 1
    if points * replications > MAX_SWEEP_TASKS:
        raise typer.BadParameter(
            f"the grid has {points:,} points × {replications:,} replications = "
            f"{points * replications:,} runs, more than {MAX_SWEEP_TASKS:,}; "
            "sweep fewer values or replications"
        )


def register(app: typer.Typer) -> None:
    """Add the ``sweep`` command to ``app``."""

    @app.command()
    def sweep(
        scenario: Annotated[
            str,
            typer.Argument(metavar="SCENARIO", help="Bundled scenario name or YAML path."),
        ],
        grid: Annotated[
            list[str],
            typer.Option(
                "--grid",
                metavar="PATH=V1,V2,...",
                help="A dotted path into the scenario and its values; repeatable.",
            ),
        ],
        replications: Annotated[
            int,
            typer.Option("--replications", metavar="R", min=1, max=1000, help="Runs per point."),
        ] = 1,
        days: Annotated[
            int | None,
            typer.Option("--days", metavar="N", min=1, max=3660, help="Simulated days per run."),
        ] = None,
        seed: Annotated[
            int, typer.Option("--seed", metavar="SEED", min=0, help="Root seed of the sweep.")
        ] = 1,
        scheduler: Annotated[
            str | None,
            typer.Option(
                "--scheduler",
                metavar="ADDRESS",
                callback=_scheduler,
                help="Dask scheduler address, e.g. tcp://host:8786.",
            ),
        ] = None,
        workers: Annotated[
            int | None,
            typer.Option(
                "--workers",
                metavar="N",
                min=1,
                help="Local worker processes (default: cores).",
            ),
        ] = None,
        out: Annotated[
            Path | None,
            typer.Option(
                "--out",
                metavar="FOLDER",
                callback=_out_folder,
                help="Folder for Parquet, summary and chart.",
            ),
        ] = None,
        equilibrium: Annotated[
            bool,
            typer.Option(
                "--equilibrium",
                help="Each run is the point's corridor-choice equilibrium (as simulate "
                "--equilibrium): several simulations in a row on one worker.",
            ),
        ] = False,
    ) -> None:
        """Run a scenario over a grid of variants × replications (Dask); resumable with --out."""
        from corridor.cli.render import make_console  # noqa: PLC0415

        _check_size(grid, replications)
        df = _run_with_progress(
            scenario,
            grid,
            replications=replications,
            days=days,
            seed=seed,
            scheduler=scheduler,
            workers=workers,
            out=out,
            equilibrium=equilibrium,
        )
        failed = df[df["status"] != "ok"] if not df.empty else df
        make_console().print(_results_table(df, scenario, equilibrium=equilibrium))
        for _, r in failed.iterrows():
            typer.echo(f"failed {r['task']}: {r['error']}", err=True)
        if out is not None:
            typer.echo(f"results in {out}/results.parquet, summary in {out}/summary.csv", err=True)


def _run_with_progress(
    scenario: str,
    grid: list[str],
    *,
    replications: int,
    days: int | None,
    seed: int,
    scheduler: str | None,
    workers: int | None,
    out: Path | None,
    equilibrium: bool,
) -> Any:
    """Run the sweep under a progress bar on stderr; its errors become one line and an exit code."""
    from rich.console import Console  # noqa: PLC0415
    from rich.progress import (  # noqa: PLC0415
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    from corridor.sweep import sweep as run_sweep  # noqa: PLC0415  (dask is slow to import)

    err = Console(stderr=True)
    with Progress(
        TextColumn("[bold]sweep"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[last]}"),
        TimeElapsedColumn(),
        console=err,
        transient=False,
    ) as bar:
        job = bar.add_task("sweep", total=None, last="", visible=False)

        def progress(done: int, total: int, row: dict[str, Any]) -> None:
            # the bar appears once the grid is checked and the tasks are planned, so a
            # rejected grid shows only its error
            bar.update(job, visible=True)
            last = ""
            if row:
                last = f"{row.get('task', '')} {row.get('status', '')}"
            bar.update(job, completed=done, total=total, last=last)

        try:
            return run_sweep(
                scenario,
                grid,
                replications=replications,
                days=days,
                seed=seed,
                scheduler=scheduler,
                workers=workers,
                out=out,
                progress=progress,
                equilibrium=equilibrium,
            )
        except CorridorError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(1) from None
        except OSError as exc:  # the output folder, or the scheduler, cannot be reached
            where = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
            typer.echo(f"error: {exc.strerror or exc}{where}", err=True)
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            where = f"; finished tasks are in {out}/tasks" if out else ""
            typer.echo(f"interrupted{where}", err=True)
            raise typer.Exit(130) from None


def _results_table(df: Any, scenario: str, *, equilibrium: bool) -> Table:
    """One row per run: its grid values, replication, status, P90, utilisation, bottleneck."""
    from rich.table import Table  # noqa: PLC0415

    t = Table(title=f"{scenario}: {len(df)} runs", header_style="bold")
    grid_cols = [c for c in df.columns if c.startswith("grid.")]
    shown = [*grid_cols, "replication", "status", "transit_p90_days", "max_utilization"]
    if equilibrium:
        shown += ["equilibrium.converged", "equilibrium.diverted_teu"]
    shown.append("bottleneck_1")
    for c in shown:
        t.add_column(c.removeprefix("grid.").removeprefix("equilibrium."), justify="right")
    for _, r in df.iterrows():
        t.add_row(*[_fmt(r.get(c)) for c in shown])
    return t


def _fmt(v: Any) -> str:
    if isinstance(v, float):
        return "" if math.isnan(v) else f"{v:.2f}"
    return "" if v is None else str(v)
