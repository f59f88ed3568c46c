"""Comparing two simulation results, and writing them to files (JSON, Parquet, PNG)."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from corridor.errors import MissingExtraError, SimulationError
from corridor.simulation.run import SimulationResult

__all__ = ["Difference", "compare_results", "write_outputs", "write_series"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Difference:
    """One row of a scenario comparison: a quantity in ``base`` and in ``other``.

    ``resource`` is empty for whole-system quantities; ``None`` means the scenario does not use
    that resource.
    """

    resource: str
    quantity: str
    base: float | None
    other: float | None

    @property
    def change(self) -> float | None:
        """``other - base`` (None when either side is missing)."""
        if self.base is None or self.other is None:
            return None
        return self.other - self.base

    def to_dict(self) -> dict[str, Any]:
        """The row as JSON."""

        def r(x: float | None) -> float | None:
            return None if x is None or math.isnan(x) else round(x, 3)

        return {
            "resource": self.resource,
            "quantity": self.quantity,
            "base": r(self.base),
            "other": r(self.other),
            "change": r(self.change),
        }


def compare_results(base: SimulationResult, other: SimulationResult) -> list[Difference]:
    """What changes from ``base`` to ``other``: system totals, transit days, and each resource.

    Resources are listed when either run has them; formation pools are left out.

    Examples
    --------
    >>> from corridor.network import example_network
    >>> from corridor.simulation import Flow, Scenario, simulate
    >>> net = example_network("tiny")
    >>> flows = (Flow(origin="aa", destination="zz", teu_year=5000),)
    >>> a = simulate(Scenario(name="a", flows=flows), network=net, days=60)
    >>> rows = compare_results(a, a)
    >>> rows[0].quantity, rows[0].change
    ('delivered_teu', 0.0)
    """
    rows = [
        Difference(
            resource="",
            quantity="delivered_teu",
            base=float(base.delivered_teu),
            other=float(other.delivered_teu),
        ),
        Difference(
            resource="",
            quantity="in_system_teu",
            base=float(base.in_system_teu),
            other=float(other.in_system_teu),
        ),
        Difference(
            resource="",
            quantity="transit_p50_days",
            base=base.transit_p50_days,
            other=other.transit_p50_days,
        ),
        Difference(
            resource="",
            quantity="transit_p90_days",
            base=base.transit_p90_days,
            other=other.transit_p90_days,
        ),
    ]
    a = {r.id: r for r in base.resources if r.kind.capacitated}
    b = {r.id: r for r in other.resources if r.kind.capacitated}
    order = [*a, *(k for k in b if k not in a)]
    for rid in order:
        ra, rb = a.get(rid), b.get(rid)
        for q in ("utilization", "mean_wait_h", "max_queue_teu", "throughput_teu"):
            rows.append(
                Difference(
                    resource=rid,
                    quantity=q,
                    base=float(getattr(ra, q)) if ra is not None else None,
                    other=float(getattr(rb, q)) if rb is not None else None,
                )
            )
    return rows


def write_series(result: SimulationResult, out_dir: Path) -> list[Path]:
    """Write the time series and per-TEU results as Parquet files in ``out_dir``.

    Files: ``queues.parquet`` (day, resource, kind, queue_teu), ``system.parquet`` (day,
    in_system_teu, delivered_teu), ``transit.parquet`` (one row per delivered TEU: flow,
    arrival_day, transit_days), ``resources.parquet`` (the resource table).
    """
    try:
        import pyarrow as pa  # noqa: PLC0415  (heavy; only when writing files)
        import pyarrow.parquet as pq  # noqa: PLC0415
    except ModuleNotFoundError as exc:
        raise MissingExtraError("parquet", "pyarrow", "writing Parquet files") from exc

    paths: list[Path] = []
    n_t, n_r = result.queue_teu.shape
    days = result.times_h / 24.0
    ids = [r.id for r in result.resources]
    kinds = [r.kind.value for r in result.resources]
    queues = pa.table(
        {
            "day": np.repeat(days, n_r),
            "resource": np.tile(np.array(ids, dtype=object), n_t),
            "kind": np.tile(np.array(kinds, dtype=object), n_t),
            "queue_teu": result.queue_teu.reshape(-1),
        }
    )
    system = pa.table(
        {
            "day": days,
            "in_system_teu": result.in_system_series,
            "delivered_teu": result.delivered_series,
        }
    )
    done = ~np.isnan(result.delivered_h)
    labels = np.array([f["flow"] for f in result.flows], dtype=object)
    transit = pa.table(
        {
            "flow": labels[result.arrival_flow[done]] if labels.size else np.zeros(0, object),
            "arrival_day": result.arrival_h[done] / 24.0,
            "transit_days": result.transit_days,
        }
    )
    resources = pa.table(
        {
            "id": ids,
            "kind": kinds,
            "name": [r.name for r in result.resources],
            "capacity": [r.capacity for r in result.resources],
            "capacity_unit": [r.capacity_unit for r in result.resources],
            "utilization": [r.utilization for r in result.resources],
            "mean_wait_h": [r.mean_wait_h for r in result.resources],
            "p90_wait_h": [r.p90_wait_h for r in result.resources],
            "max_queue_teu": [r.max_queue_teu for r in result.resources],
            "throughput_teu": [r.throughput_teu for r in result.resources],
        }
    )
    for name, table in (
        ("queues", queues),
        ("system", system),
        ("transit", transit),
        ("resources", resources),
    ):
        path = out_dir / f"{name}.parquet"
        pq.write_table(table, path)
        paths.append(path)
    return paths


def write_outputs(result: SimulationResult, out_dir: str | Path) -> list[Path]:
    """Write ``result.json`` and the Parquet series into ``out_dir``.

    The PNG charts are drawn by :func:`corridor.present.write_simulation_charts` (as
    ``corridor simulate --out`` does).

    Raises
    ------
    SimulationError
        When the folder cannot be created or written.
    """
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
        doc = {**result.to_dict(), "flows": list(result.flows)}
        summary = out / "result.json"
        summary.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        return [summary, *write_series(result, out)]
    except OSError as exc:
        raise SimulationError(f"cannot write to {out}: {exc.strerror or exc}") from None
