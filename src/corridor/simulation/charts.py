"""PNG charts of a simulation run (matplotlib, Agg backend): for port and corridor planners."""

from __future__ import annotations

from pathlib import Path

import matplotlib as mpl

mpl.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

from corridor.simulation.run import BOTTLENECK_UTILIZATION, SimulationResult

__all__ = ["plot_queues", "plot_transit", "plot_utilization", "write_charts"]

_TOP = 4


def _capacitated(result: SimulationResult) -> list[int]:
    return [i for i, r in enumerate(result.resources) if r.kind.capacitated]


def plot_queues(result: SimulationResult, path: Path) -> Path:
    """Queue (TEU waiting) over the year at the busiest resources."""
    idx = sorted(
        _capacitated(result),
        key=lambda i: (-result.resources[i].utilization, -result.resources[i].max_queue_teu),
    )[:_TOP]
    fig, ax = plt.subplots(figsize=(10, 4.8))
    days = result.times_h / 24.0
    for i in idx:
        r = result.resources[i]
        ax.plot(days, result.queue_teu[:, i], lw=1.6, label=f"{r.name} ({r.utilization:.0%} busy)")
    ax.set_xlabel(f"day of {result.year}")
    ax.set_ylabel("TEU waiting")
    ax.set_title(f"{result.scenario}: queues at the {len(idx)} busiest resources")
    ax.grid(alpha=0.3)
    ax.set_xlim(0, max(float(days[-1]), 1.0))
    ax.set_ylim(bottom=0)
    if idx:
        ax.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def plot_utilization(result: SimulationResult, path: Path) -> Path:
    """Horizontal bars of utilisation, red above the bottleneck threshold."""
    idx = sorted(_capacitated(result), key=lambda i: result.resources[i].utilization)
    names = [
        f"{result.resources[i].name} ({result.resources[i].capacity:,.0f} "
        f"{result.resources[i].capacity_unit})"
        for i in idx
    ]
    util = np.array([result.resources[i].utilization for i in idx])
    fig, ax = plt.subplots(figsize=(10, 0.45 * max(len(idx), 2) + 1.4))
    colours = ["#c0392b" if u >= BOTTLENECK_UTILIZATION else "#2e86c1" for u in util]
    ax.barh(names, util * 100.0, color=colours)
    ax.axvline(BOTTLENECK_UTILIZATION * 100.0, color="k", ls="--", lw=1)
    ax.text(BOTTLENECK_UTILIZATION * 100.0, -0.9, " bottleneck threshold", fontsize=8)
    for y, u in enumerate(util):
        ax.text(u * 100.0 + 1, y, f"{u:.0%}", va="center", fontsize=8)
    ax.set_xlim(0, 110)
    ax.set_xlabel("utilisation, % (vessels: load factor of the sailings)")
    ax.set_title(f"{result.scenario}: how busy each resource is")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def plot_transit(result: SimulationResult, path: Path) -> Path:
    """Histogram of door-to-door days of the delivered TEU, with P50 and P90."""
    fig, ax = plt.subplots(figsize=(8, 4.5))
    days = result.transit_days
    if days.size:
        ax.hist(days, bins=60, color="#5d6d7e")
        for q, style in ((50, "-"), (90, "--")):
            v = float(np.percentile(days, q))
            ax.axvline(v, color="#c0392b", ls=style, lw=1.5, label=f"P{q}: {v:.1f} days")
        ax.legend()
    ax.set_xlabel("door-to-door days (with congestion)")
    ax.set_ylabel("TEU delivered")
    ax.set_title(f"{result.scenario}: transit time of {days.size:,} delivered TEU")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def write_charts(result: SimulationResult, out_dir: Path) -> list[Path]:
    """Write ``queues.png``, ``utilization.png`` and ``transit.png`` into ``out_dir``."""
    return [
        plot_queues(result, out_dir / "queues.png"),
        plot_utilization(result, out_dir / "utilization.png"),
        plot_transit(result, out_dir / "transit.png"),
    ]
