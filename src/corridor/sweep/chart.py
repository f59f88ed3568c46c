"""The headline chart of a sweep: a KPI over the first grid axis, one line per other combination."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import matplotlib as mpl

mpl.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd

from corridor.sweep.grid import GridAxis

__all__ = ["plot_headline"]

_LABELS = {
    "transit_p90_days": "P90 door-to-door days (congested)",
    "transit_p50_days": "median door-to-door days (congested)",
    "max_utilization": "utilisation of the busiest resource",
}


def plot_headline(
    summary: pd.DataFrame,
    axes: Sequence[GridAxis],
    path: Path,
    kpi: str = "transit_p90_days",
) -> None:
    """Plot ``kpi`` (mean with its 95 % interval) against the first axis of the grid.

    Each combination of the other axes is one line; with no axis, one point.
    """
    fig, ax = plt.subplots(figsize=(8, 4.8))
    x_col = f"grid.{axes[0].path}" if axes else None
    others = [f"grid.{a.path}" for a in axes[1:]]
    groups = summary.groupby(others, sort=True) if others else [((), summary)]
    for key, group in groups:
        keys = key if isinstance(key, tuple) else (key,)
        label = ", ".join(
            f"{c.removeprefix('grid.')}={v}" for c, v in zip(others, keys, strict=True)
        )
        g = group.sort_values(x_col) if x_col else group
        x = (
            g[x_col].astype(str)
            if x_col and g[x_col].dtype == object
            else (g[x_col] if x_col else [0] * len(g))
        )
        y = g[f"{kpi}.mean"]
        lo = (y - g[f"{kpi}.ci95_low"]).fillna(0)
        hi = (g[f"{kpi}.ci95_high"] - y).fillna(0)
        ax.errorbar(x, y, yerr=[lo, hi], marker="o", capsize=4, label=label or None)
    ax.set_xlabel(axes[0].path if axes else "")
    ax.set_ylabel(_LABELS.get(kpi, kpi))
    ax.set_title(f"{_LABELS.get(kpi, kpi)} over the sweep (mean, 95 % interval)", fontsize=11)
    ax.grid(alpha=0.3)
    if others:
        ax.legend(fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
