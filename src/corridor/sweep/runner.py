"""Run a sweep: grid points × replications of a scenario as tasks on a Dask cluster.

Each task loads the scenario document with the point's edits, simulates it with its own seed and
returns one row of KPIs. Rows are written to ``OUT/tasks/`` as they finish, so a rerun into the
same folder skips finished tasks and an interrupted sweep keeps what finished. A failing task is
recorded as a row with ``status = "failed"`` and its error; it does not stop the sweep.
"""

from __future__ import annotations

import json
import logging
import math
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from corridor.errors import CorridorError, ScenarioError
from corridor.model import ResourceKind
from corridor.network import load_network, scenario_document, scenario_from_document
from corridor.present import plot_sweep
from corridor.simulation import simulate
from corridor.sweep.grid import GridAxis, Point, Scalar, expand_grid, parse_grid, set_path
from corridor.sweep.stats import t_quantile_975

__all__ = [
    "HEADLINE_KPIS",
    "SweepTask",
    "kpi_row",
    "plan_tasks",
    "run_task",
    "summarize",
    "sweep",
]

HEADLINE_KPIS = (
    "transit_p50_days",
    "transit_p90_days",
    "delivered_teu",
    "in_system_teu",
    "max_utilization",
)
"""KPIs summarised per grid point (mean and 95 % interval over replications)."""

Progress = Callable[[int, int, dict[str, Any]], None]


@dataclass(frozen=True, slots=True, kw_only=True)
class SweepTask:
    """One simulation of the sweep: a grid point and a replication with its own seed."""

    point: Point
    replication: int
    seed: int
    days: int | None

    @property
    def name(self) -> str:
        """A file-safe, unique name: ``p0003-r001``."""
        return f"p{self.point.index:04d}-r{self.replication:03d}"


def plan_tasks(
    points: Sequence[Point], replications: int, *, seed: int, days: int | None
) -> list[SweepTask]:
    """Every point × replication with independent seeds from ``SeedSequence(seed).spawn``.

    Task ``(point i, replication r)`` takes child ``i * replications + r``; its integer seed is
    the child's first 63 bits of state, so the seeds do not depend on how the tasks are spread
    over workers.
    """
    if replications < 1:
        raise ScenarioError(f"replications must be >= 1, got {replications}")
    children = np.random.SeedSequence(seed).spawn(len(points) * replications)
    tasks = []
    for p in points:
        for r in range(replications):
            child = children[p.index * replications + r]
            int_seed = int(child.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1))
            tasks.append(SweepTask(point=p, replication=r, seed=int_seed, days=days))
    return tasks


def kpi_row(result_doc: Mapping[str, Any]) -> dict[str, Any]:
    """Flatten a ``corridor simulate --json`` document into one row of KPIs.

    Scalars keep their names (``transit_days.p50`` becomes ``transit_p50_days``); each
    resource ``R`` gives ``R.utilization``, ``R.mean_wait_h``, ``R.p90_wait_h``,
    ``R.max_queue_teu`` and ``R.throughput_teu``; the three worst bottlenecks and the most used
    capacitated resource (formation pools excluded) are named.
    """
    transit = result_doc.get("transit_days") or {}
    row: dict[str, Any] = {
        "arrived_teu": result_doc["arrived_teu"],
        "delivered_teu": result_doc["delivered_teu"],
        "in_system_teu": result_doc["in_system_teu"],
        "transit_p50_days": _num(transit.get("p50")),
        "transit_p90_days": _num(transit.get("p90")),
    }
    resources = list(result_doc.get("resources") or [])
    # block-train formation reports the fill of its trains, not a use of capacity: left out
    capacitated = [r for r in resources if ResourceKind(r["kind"]).capacitated]
    busiest = max(capacitated, key=lambda r: r["utilization"], default=None)
    row["max_utilization"] = float(busiest["utilization"]) if busiest else math.nan
    row["max_utilization_resource"] = busiest["id"] if busiest else ""
    bottlenecks = list(result_doc.get("bottlenecks") or [])
    for i in range(3):
        row[f"bottleneck_{i + 1}"] = bottlenecks[i] if i < len(bottlenecks) else ""
    for r in resources:
        for key in ("utilization", "mean_wait_h", "p90_wait_h", "max_queue_teu", "throughput_teu"):
            row[f"{r['id']}.{key}"] = _num(r.get(key))
    return row


def _num(x: Any) -> float:
    return math.nan if x is None else float(x)


def run_task(task: SweepTask, document: Mapping[str, Any], scenario_name: str) -> dict[str, Any]:
    """Simulate one task and return its row; errors are caught and recorded in the row.

    Runs in a Dask worker: it only needs the package installed (the bundled network is loaded
    in the worker) and the scenario document, which travels with the task.
    """
    row: dict[str, Any] = {
        "task": task.name,
        "point": task.point.index,
        "replication": task.replication,
        "seed": task.seed,
    }
    row.update({f"grid.{k}": v for k, v in task.point.values})
    try:
        doc = dict(document)
        for path, value in task.point.values:
            doc = set_path(doc, path, value)
        net = load_network()
        scenario = scenario_from_document(doc, net, name=scenario_name)
        result = simulate(scenario, network=net, days=task.days, seed=task.seed)
        row["status"] = "ok"
        row["error"] = ""
        row.update(kpi_row(result.to_dict()))
    except CorridorError as exc:
        row["status"] = "failed"
        row["error"] = str(exc)
    except Exception as exc:  # recorded, never raised: one task must not stop the sweep
        row["status"] = "failed"
        row["error"] = f"{type(exc).__name__}: {exc}"
    return row


def _manifest(
    scenario: str, axes: Sequence[GridAxis], replications: int, days: int | None, seed: int
) -> dict[str, Any]:
    return {
        "scenario": scenario,
        "grid": [{"path": a.path, "values": list(a.values)} for a in axes],
        "replications": replications,
        "days": days,
        "seed": seed,
    }


def _check_manifest(out: Path, manifest: Mapping[str, Any]) -> None:
    path = out / "sweep.json"
    if path.exists():
        try:
            old = json.loads(path.read_text(encoding="utf-8"))
        except ValueError:
            old = None
        if old != manifest:
            raise ScenarioError(
                f"{out} holds the results of a different sweep ({path.name} differs); "
                "use a new --out folder to start another sweep"
            )
    out.mkdir(parents=True, exist_ok=True)
    (out / "tasks").mkdir(exist_ok=True)
    path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _finished(out: Path) -> dict[str, dict[str, Any]]:
    rows: dict[str, dict[str, Any]] = {}
    for f in sorted((out / "tasks").glob("*.parquet")):
        try:
            row = {str(k): v for k, v in pd.read_parquet(f).iloc[0].to_dict().items()}
        except (OSError, ValueError, IndexError):
            continue  # a partial write from an interrupted run: redo the task
        if row.get("status") == "ok":
            rows[f.stem] = row
    return rows


def _write_row(out: Path, name: str, row: Mapping[str, Any]) -> None:
    tmp = out / "tasks" / f".{name}.parquet.tmp"
    pd.DataFrame([dict(row)]).to_parquet(tmp, index=False)
    tmp.replace(out / "tasks" / f"{name}.parquet")  # atomic: a file is either whole or absent


def _frame(rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    df = pd.DataFrame(list(rows))
    if df.empty:
        return df
    df = df.sort_values(["point", "replication"], kind="stable").reset_index(drop=True)
    fixed = [c for c in ("task", "point", "replication", "seed") if c in df.columns]
    grid = sorted(c for c in df.columns if c.startswith("grid."))
    head = [c for c in ("status", "error", *HEADLINE_KPIS, "arrived_teu") if c in df.columns]
    rest = sorted(c for c in df.columns if c not in {*fixed, *grid, *head})
    return df[[*fixed, *grid, *dict.fromkeys(head), *rest]]


def summarize(results: pd.DataFrame, kpis: Sequence[str] = HEADLINE_KPIS) -> pd.DataFrame:
    """Mean and 95 % confidence interval of KPIs per point.

    The interval is Student's t: ``mean ± t(0.975, n-1) × sd / √n`` (with two replications the
    factor is 12.7, not 1.96); it needs at least two successful replications.
    """
    grid = [c for c in results.columns if c.startswith("grid.")]
    ok = results[results["status"] == "ok"] if "status" in results else results
    out_rows = []
    for point, group in results.groupby("point", sort=True):
        good = ok[ok["point"] == point]
        row: dict[str, Any] = {"point": point}
        row.update({g: group[g].iloc[0] for g in grid})
        row["replications_ok"] = len(good)
        row["replications_failed"] = len(group) - len(good)
        for k in kpis:
            vals = good[k].astype(float).dropna() if k in good else pd.Series(dtype=float)
            n = len(vals)
            mean = float(vals.mean()) if n else math.nan
            half = (
                t_quantile_975(n - 1) * float(vals.std(ddof=1)) / math.sqrt(n)
                if n > 1
                else math.nan
            )
            row[f"{k}.mean"] = mean
            row[f"{k}.ci95_low"] = mean - half if n > 1 else math.nan
            row[f"{k}.ci95_high"] = mean + half if n > 1 else math.nan
        out_rows.append(row)
    return pd.DataFrame(out_rows)


def _client(scheduler: str | None, workers: int | None) -> tuple[Any, Any]:
    try:
        from dask.distributed import Client, LocalCluster  # noqa: PLC0415  (heavy; when running)
    except ImportError:
        raise CorridorError(
            "sweeps run on Dask, which is not installed: pip install 'corridor[sweep]'"
        ) from None

    if scheduler:
        try:
            return Client(scheduler, timeout="10s"), None
        except (OSError, TimeoutError) as exc:
            raise CorridorError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
    n = workers or os.cpu_count() or 1
    # The dashboard takes any free loopback port: with ``None`` Dask still tries 8787 and warns
    # (an error under ``-W error``) when another cluster on the machine holds it.
    # ``silence_logs``: Dask's own notices (a worker "still alive after 4 seconds, killing" at
    # shutdown) are not the user's business; errors still show.
    cluster = LocalCluster(
        n_workers=n,
        threads_per_worker=1,
        processes=True,
        dashboard_address="127.0.0.1:0",
        silence_logs=logging.ERROR,
    )
    return Client(cluster), cluster


def sweep(  # noqa: PLR0912, PLR0915  (the public entry: validates every option, then runs)
    scenario: str | Path,
    grid: Mapping[str, Sequence[Scalar]] | Sequence[str],
    *,
    replications: int = 1,
    days: int | None = None,
    seed: int = 1,
    scheduler: str | None = None,
    workers: int | None = None,
    out: str | Path | None = None,
    progress: Progress | None = None,
) -> pd.DataFrame:
    """Simulate every grid point × replication of a scenario on Dask; one row per task.

    Parameters
    ----------
    scenario
        Bundled scenario name or YAML path.
    grid
        ``{"demand.scale": [1, 2]}`` or ``["demand.scale=1,2", ...]``: dotted paths into the
        scenario and their values; the sweep runs their Cartesian product.
    replications
        Simulations per point, each with an independent seed (``SeedSequence(seed).spawn``).
    days
        Simulated days per run (default: the scenario's).
    seed
        Root seed of the sweep.
    scheduler
        Address of a running Dask scheduler (``tcp://host:8786``); default a local cluster with
        ``workers`` processes (default: one per core).
    out
        Folder for ``tasks/*.parquet``, ``results.parquet``, ``summary.csv`` and the chart;
        rerunning into it skips finished tasks.
    progress
        Called as ``progress(done, total, row)`` after each task.

    Returns
    -------
    pandas.DataFrame
        One row per point × replication, sorted by point then replication, with the grid
        values (``grid.PATH``), the seed, ``status``/``error`` and every KPI.

    Raises
    ------
    ScenarioError
        Invalid scenario or grid, or an ``out`` folder holding another sweep.
    """
    axes = (
        parse_grid(grid)
        if not isinstance(grid, Mapping)
        else [GridAxis(path=k, values=tuple(v)) for k, v in grid.items()]
    )
    net = load_network()
    name, document = scenario_document(scenario, net)
    points = expand_grid(axes)
    tasks = plan_tasks(points, replications, seed=seed, days=days)
    # Check every point before starting a cluster: a path that names no key of the scenario (a
    # typo) or a value the scenario rejects (``demand.scale=abc``, a negative scale) would fail
    # every replication of its point, so the whole sweep stops here, before any work.
    bad: list[str] = []
    for p in points:
        doc = dict(document)
        for path, value in p.values:
            doc = set_path(doc, path, value)
        try:
            scenario_from_document(doc, net, name=name)
        except ScenarioError as exc:
            bad.append(f"--grid {p.label}: {exc}")
    if bad:
        more = f" (and {len(bad) - 1} more invalid points)" if len(bad) > 1 else ""
        raise ScenarioError(bad[0] + more)
    out_dir = Path(out) if out is not None else None
    rows: dict[str, dict[str, Any]] = {}
    if out_dir is not None:
        _check_manifest(out_dir, _manifest(name, axes, replications, days, seed))
        rows = _finished(out_dir)
    todo = [t for t in tasks if t.name not in rows]
    done = len(rows)
    if progress is not None:
        progress(done, len(tasks), {})
    if todo:
        client, cluster = _client(scheduler, workers)
        futures: list[Any] = []
        try:
            from dask.distributed import as_completed  # noqa: PLC0415

            doc_future = client.scatter(document, broadcast=True)
            futures = [
                client.submit(run_task, t, doc_future, name, key=f"corridor-{t.name}", pure=False)
                for t in todo
            ]
            by_key = {f.key: t for f, t in zip(futures, todo, strict=True)}
            for fut in as_completed(futures):
                task = by_key[fut.key]
                try:
                    row = fut.result()
                except Exception as exc:  # a killed worker: record it and go on
                    row = {
                        "task": task.name,
                        "point": task.point.index,
                        "replication": task.replication,
                        "seed": task.seed,
                        **{f"grid.{k}": v for k, v in task.point.values},
                        "status": "failed",
                        "error": f"{type(exc).__name__}: {exc}",
                    }
                rows[task.name] = row
                if out_dir is not None:
                    _write_row(out_dir, task.name, row)
                done += 1
                if progress is not None:
                    progress(done, len(tasks), row)
        finally:
            for f in futures:
                f.cancel()
            client.close()
            if cluster is not None:
                cluster.close()
    df = _frame(rows.values())
    if out_dir is not None and not df.empty:
        df.to_parquet(out_dir / "results.parquet", index=False)
        summary = summarize(df)
        summary.to_csv(out_dir / "summary.csv", index=False)
        plot_sweep(summary, [a.path for a in axes], out_dir / "headline.png")
    return df
