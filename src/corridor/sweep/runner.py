"""Run a sweep: grid points × replications of a scenario as tasks on a Dask cluster.

Each task loads the scenario document with the point's edits, simulates it with its own seed and
returns one row of KPIs; with ``equilibrium=True`` it runs the point's corridor-choice
equilibrium instead (:func:`corridor.simulation.equilibrium`, several simulations in a row), and
the row adds its iterations, gap, convergence, diverted TEU and corridor shares. Rows are
written to ``OUT/tasks/`` as they finish, so a rerun into the same folder skips finished tasks
and an interrupted sweep keeps what finished. A failing task is recorded as a row with
``status = "failed"`` and its error; it does not stop the sweep.
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import math
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from corridor.errors import CorridorError, ScenarioError
from corridor.model import ResourceKind
from corridor.network import Network, load_network, scenario_document, scenario_from_document
from corridor.present import plot_sweep
from corridor.simulation import build_model, simulate_model
from corridor.simulation.equilibrium import equilibrium as run_equilibrium
from corridor.sweep.grid import GridAxis, Point, Scalar, expand_grid, parse_grid, set_path
from corridor.sweep.stats import t_quantile_975

__all__ = [
    "HEADLINE_KPIS",
    "SweepTask",
    "batch_tasks",
    "dask_map",
    "equilibrium_row",
    "kpi_row",
    "plan_tasks",
    "run_batch",
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


def equilibrium_row(doc: Mapping[str, Any]) -> dict[str, Any]:
    """The KPIs of an equilibrium's ``corridor simulate --equilibrium --json`` document: those
    of :func:`kpi_row` (times from the steady state) and ``equilibrium.iterations``, ``.gap``,
    ``.converged``, ``.diverted_teu`` and ``share.CORRIDOR`` for each corridor."""
    eq = doc["equilibrium"]
    row = kpi_row(doc)
    row["equilibrium.iterations"] = int(eq["iterations"])
    row["equilibrium.gap"] = float(eq["gap"])
    row["equilibrium.converged"] = bool(eq["converged"])
    row["equilibrium.diverted_teu"] = float(eq["diverted_teu"])
    for corridor, share in eq["shares"].items():
        row[f"share.{corridor}"] = float(share)
    return row


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


def _task_row(task: SweepTask) -> dict[str, Any]:
    row: dict[str, Any] = {
        "task": task.name,
        "point": task.point.index,
        "replication": task.replication,
        "seed": task.seed,
    }
    row.update({f"grid.{k}": v for k, v in task.point.values})
    return row


def _failed(row: dict[str, Any], exc: BaseException) -> dict[str, Any]:
    row["status"] = "failed"
    row["error"] = str(exc) if isinstance(exc, CorridorError) else f"{type(exc).__name__}: {exc}"
    return row


@functools.lru_cache(maxsize=1)
def _worker_network() -> Network:
    """The bundled network, loaded once per worker process (every batch reuses it)."""
    return load_network()


def run_batch(
    tasks: Sequence[SweepTask],
    document: Mapping[str, Any],
    scenario_name: str,
    *,
    equilibrium: bool = False,
) -> list[dict[str, Any]]:
    """Simulate replications of one grid point and return their rows; errors are recorded.

    Runs in a Dask worker. The point's scenario is read, routed and compiled once
    (:func:`corridor.simulation.build_model`) and each replication only runs the engine with
    its own seed, so a batch does the set-up once and runs long enough for the scheduling
    overhead not to matter. Every task of a batch must belong to the same point. With
    ``equilibrium``, each replication is the point's equilibrium with the task's seed.
    """
    rows = [_task_row(t) for t in tasks]
    if not tasks:
        return rows
    point = tasks[0].point
    try:
        if any(t.point.index != point.index for t in tasks):
            raise ScenarioError("a sweep batch mixes grid points")
        doc = dict(document)
        for path, value in point.values:
            doc = set_path(doc, path, value)
        net = _worker_network()
        scenario = scenario_from_document(doc, net, name=scenario_name)
        model = None if equilibrium else build_model(scenario, net)
    except Exception as exc:  # recorded, never raised: one point must not stop the sweep
        return [_failed(row, exc) for row in rows]
    for task, row in zip(tasks, rows, strict=True):
        try:
            if model is None:
                eq = run_equilibrium(scenario, network=net, days=task.days, seed=task.seed)
                kpis = equilibrium_row(eq.to_dict())
            else:
                kpis = kpi_row(simulate_model(model, days=task.days, seed=task.seed).to_dict())
            row["status"] = "ok"
            row["error"] = ""
            row.update(kpis)
        except Exception as exc:  # recorded, never raised
            _failed(row, exc)
    return rows


def run_task(
    task: SweepTask,
    document: Mapping[str, Any],
    scenario_name: str,
    *,
    equilibrium: bool = False,
) -> dict[str, Any]:
    """Simulate one task and return its row (a batch of one, :func:`run_batch`)."""
    return run_batch([task], document, scenario_name, equilibrium=equilibrium)[0]


def batch_tasks(tasks: Sequence[SweepTask], workers: int) -> list[list[SweepTask]]:
    """Group the replications of each point into batches, about two batches per worker.

    A batch holds replications of one point only (set up once, see :func:`run_batch`); its
    size is ``ceil(tasks / (2 workers))`` at most, so every worker gets about two batches and
    the last ones to finish are short.

    Examples
    --------
    >>> from corridor.sweep.grid import Point
    >>> pts = [Point(index=i, values=()) for i in range(4)]
    >>> tasks = plan_tasks(pts, 4, seed=1, days=10)
    >>> [len(b) for b in batch_tasks(tasks, 2)]
    [4, 4, 4, 4]
    >>> [len(b) for b in batch_tasks(tasks, 8)]
    [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]
    """
    size = max(1, math.ceil(len(tasks) / (2 * max(workers, 1))))
    batches: list[list[SweepTask]] = []
    for task in tasks:
        last = batches[-1] if batches else None
        if last and last[0].point.index == task.point.index and len(last) < size:
            last.append(task)
        else:
            batches.append([task])
    return batches


def _manifest(
    scenario: str,
    axes: Sequence[GridAxis],
    replications: int,
    days: int | None,
    seed: int,
    *,
    equilibrium: bool,
) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "scenario": scenario,
        "grid": [{"path": a.path, "values": list(a.values)} for a in axes],
        "replications": replications,
        "days": days,
        "seed": seed,
    }
    if equilibrium:  # absent otherwise, so the folders of earlier sweeps still resume
        doc["equilibrium"] = True
    return doc


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


class _ShutdownChatter(logging.Filter):
    """Drops Dask's "Worker process still alive after ... seconds, killing" at shutdown.

    A local cluster that closes while a worker finishes a cancelled or last task logs it as a
    warning; it is the expected end of a worker, not a fault, and only alarms a user.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return "still alive after" not in record.getMessage()


logging.getLogger("distributed.nanny").addFilter(_ShutdownChatter())


def _close_quietly(client: Any, cluster: Any) -> None:
    """Close the client and the local cluster without Dask's shutdown chatter.

    When a local cluster closes, its nannies may log "Worker process still alive after ...
    seconds, killing" for workers still finishing a cancelled task: expected at shutdown, not
    a fault of the sweep, so those loggers are muted while closing.
    """
    loggers = [logging.getLogger(n) for n in ("distributed.nanny", "distributed.worker")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.ERROR)
    try:
        client.close()
        if cluster is not None:
            cluster.close()
    finally:
        for lg, level in zip(loggers, levels, strict=True):
            lg.setLevel(level)


@contextlib.contextmanager
def dask_map(
    scheduler: str | None = None, workers: int | None = None
) -> Iterator[Callable[[Callable[..., Any], Sequence[tuple[Any, ...]]], list[Any]]]:
    """A function that runs ``fn(*args)`` for each argument tuple on a Dask cluster.

    The cluster is the scheduler at ``scheduler`` (``tcp://host:8786``), else a local one with
    ``workers`` processes (default: one per core); it is closed (the local one) when the block
    ends. ``corridor capacity --scheduler`` runs the points of its curves through it.

    Raises
    ------
    CorridorError
        Dask not installed, or the scheduler unreachable.
    """
    client, cluster = _client(scheduler, workers)

    def run(fn: Callable[..., Any], items: Sequence[tuple[Any, ...]]) -> list[Any]:
        futures = [client.submit(fn, *args, pure=False) for args in items]
        return list(client.gather(futures))

    try:
        yield run
    finally:
        _close_quietly(client, cluster)


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


def sweep(
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
    equilibrium: bool = False,
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
    equilibrium
        Each task runs the point's corridor-choice equilibrium with its seed (as
        ``corridor simulate --equilibrium``) instead of one simulation; the row adds
        :func:`equilibrium_row`'s columns.

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
    work = _check_points(points, document, net, name, days)
    out_dir = Path(out) if out is not None else None
    rows: dict[str, dict[str, Any]] = {}
    if out_dir is not None:
        _check_manifest(
            out_dir, _manifest(name, axes, replications, days, seed, equilibrium=equilibrium)
        )
        rows = _finished(out_dir)
    todo = [t for t in tasks if t.name not in rows]
    done = len(rows)
    if progress is not None:
        progress(done, len(tasks), {})
    if todo:
        _run_on_dask(
            todo,
            document,
            name,
            work=work,
            scheduler=scheduler,
            workers=workers,
            equilibrium=equilibrium,
            rows=rows,
            out_dir=out_dir,
            progress=progress,
            done=done,
            total=len(tasks),
        )
    df = _frame(rows.values())
    if out_dir is not None and not df.empty:
        _write_results(df, out_dir, axes)
    return df


def _check_points(
    points: Sequence[Point],
    document: Mapping[str, Any],
    net: Network,
    name: str,
    days: int | None,
) -> dict[int, float]:
    """The expected TEU simulated per replication of each point; a :class:`ScenarioError`
    naming the first invalid point (and how many more) when a point's scenario is invalid."""
    # Check every point before starting a cluster: a path that names no key of the scenario (a
    # typo) or a value the scenario rejects (``demand.scale=abc``, a negative scale) would fail
    # every replication of its point, so the whole sweep stops here, before any work.
    bad: list[str] = []
    work: dict[int, float] = {}  # expected TEU simulated per replication of each point
    for p in points:
        doc = dict(document)
        for path, value in p.values:
            doc = set_path(doc, path, value)
        try:
            sc = scenario_from_document(doc, net, name=name)
            work[p.index] = sum(f.teu_year for f in sc.flows) * sc.scale * (days or sc.days)
        except ScenarioError as exc:
            bad.append(f"--grid {p.label}: {exc}")
    if bad:
        more = f" (and {len(bad) - 1} more invalid points)" if len(bad) > 1 else ""
        raise ScenarioError(bad[0] + more)
    return work


def _run_on_dask(
    todo: list[SweepTask],
    document: Mapping[str, Any],
    name: str,
    *,
    work: Mapping[int, float],
    scheduler: str | None,
    workers: int | None,
    equilibrium: bool,
    rows: dict[str, dict[str, Any]],
    out_dir: Path | None,
    progress: Progress | None,
    done: int,
    total: int,
) -> None:
    """Run ``todo`` in batches on Dask, longest first; each finished row goes into ``rows``
    (and ``out_dir``) and is reported as ``progress(done, total, row)``; a killed worker's batch is
    recorded as failed."""
    client, cluster = _client(scheduler, workers)
    futures: list[Any] = []
    try:
        from dask.distributed import as_completed  # noqa: PLC0415

        doc_future = client.scatter(document, broadcast=True)
        n_workers = max(len(client.scheduler_info().get("workers", {})), 1)
        # longest first (the engine's time grows with the TEU simulated): the last batches
        # to start are the short ones, so no worker idles while one long batch finishes
        batches = sorted(
            batch_tasks(todo, n_workers),
            key=lambda b: -work.get(b[0].point.index, 0.0) * len(b),
        )
        futures = [
            client.submit(
                run_batch,
                b,
                doc_future,
                name,
                equilibrium=equilibrium,
                key=f"corridor-{b[0].name}-{len(b)}",
                pure=False,
                priority=len(batches) - i,
            )
            for i, b in enumerate(batches)
        ]
        by_key = {f.key: b for f, b in zip(futures, batches, strict=True)}
        for fut in as_completed(futures):
            batch = by_key[fut.key]
            try:
                got = fut.result()
            except Exception as exc:  # a killed worker: record it and go on
                got = [_failed(_task_row(t), exc) for t in batch]
            for task, row in zip(batch, got, strict=True):
                rows[task.name] = row
                if out_dir is not None:
                    _write_row(out_dir, task.name, row)
                done += 1
                if progress is not None:
                    progress(done, total, row)
    finally:
        for f in futures:
            f.cancel()
        _close_quietly(client, cluster)


def _write_results(df: pd.DataFrame, out_dir: Path, axes: Sequence[GridAxis]) -> None:
    """``results.parquet``, ``summary.csv`` and the headline chart of a finished sweep."""
    df.to_parquet(out_dir / "results.parquet", index=False)
    summary = summarize(df)
    summary.to_csv(out_dir / "summary.csv", index=False)
    plot_sweep(summary, [a.path for a in axes], out_dir / "headline.png")
