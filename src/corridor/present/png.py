"""PNG charts for people: corridor comparisons, simulation runs and sweeps (matplotlib).

matplotlib is imported on first use (it is slow to import and most commands draw nothing),
with the non-interactive Agg backend, so no display is needed. Corridors and resources take
their colours from :mod:`corridor.present.colours`, as the terminal and the web page do.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from corridor.errors import CorridorError, ModelError, SimulationError
from corridor.present.colours import MAP_COLOURS, MODE_COLOURS, RESOURCE_COLOURS, corridor_colour

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

    from corridor.simulation import SimulationResult
    from corridor.transit import Comparison

__all__ = [
    "plot_capacity",
    "plot_comparison",
    "plot_comparison_map",
    "plot_queues",
    "plot_sweep",
    "plot_transit",
    "plot_utilization",
    "write_simulation_charts",
]

_TOP = 4
_DPI = 120
_SWEEP_LABELS = {
    "transit_p90_days": "P90 door-to-door days (congested)",
    "transit_p50_days": "median door-to-door days (congested)",
    "max_utilization": "utilisation of the busiest resource",
}


def _pyplot() -> Any:
    """``matplotlib.pyplot`` on the Agg backend, imported on first use."""
    import matplotlib as mpl  # noqa: PLC0415  (slow import, only when drawing)

    mpl.use("Agg")
    import matplotlib.pyplot as plt  # noqa: PLC0415

    return plt


def _save(fig: Figure, path: Path, error: Callable[[str], CorridorError]) -> Path:
    """Write the figure and close it; an unwritable file raises ``error(message)``."""
    plt = _pyplot()
    try:
        fig.tight_layout()
        fig.savefig(path, dpi=_DPI)
    except OSError as exc:
        raise error(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        plt.close(fig)
    return path


# --------------------------------------------------------------------------------------------
# Comparison.
# --------------------------------------------------------------------------------------------


def plot_comparison(comparison: Comparison, path: Path) -> Path:
    """Draw each corridor's door-to-door days side by side and write a PNG.

    One horizontal row per corridor: a histogram of the sampled days, the P10-P90 band and the
    median marked, and the deadline (if any) as a vertical line with each corridor's on-time
    probability.

    Raises
    ------
    ModelError
        If the comparison was made without ``keep_samples=True`` or the file cannot be written.
    """
    options = [o for o in comparison.options if o.samples is not None]
    if not options or len(options) != len(comparison.options):
        raise ModelError("the comparison holds no samples; compare with keep_samples=True")
    plt = _pyplot()
    all_days = np.concatenate([o.samples.total_days for o in options if o.samples is not None])
    lo, hi = np.percentile(all_days, [0.2, 99.8])
    bins = np.linspace(max(0.0, lo - 1), hi + 1, 80)
    fig, axes = plt.subplots(
        len(options), 1, figsize=(9, 1.6 + 1.5 * len(options)), sharex=True, squeeze=False
    )
    for ax, o in zip(axes[:, 0], options, strict=True):
        assert o.samples is not None
        colour = corridor_colour(o.corridor.value)
        ax.hist(o.samples.total_days, bins=bins, color=colour, alpha=0.85, density=True)
        ax.axvspan(o.days.p10, o.days.p90, color=colour, alpha=0.12)
        ax.axvline(o.days.p50, color="black", lw=1.2)
        label = (
            f"{o.corridor.value}: P10 {o.days.p10:.1f}  P50 {o.days.p50:.1f}  "
            f"P90 {o.days.p90:.1f} days"
        )
        if o.on_time_probability is not None:
            label += f"   on time {o.on_time_probability:.0%}"
        ax.set_title(label, loc="left", fontsize=10)
        ax.set_yticks([])
        ax.spines[["left", "right", "top"]].set_visible(False)
        if comparison.deadline_days is not None:
            ax.axvline(comparison.deadline_days, color="#444444", ls="--", lw=1)
    axes[-1, 0].set_xlabel("door-to-door days")
    under = f", scenario {comparison.scenario}" if comparison.scenario else ""
    fig.suptitle(
        f"{comparison.origin.name} → {comparison.destination.name}, departing "
        f"{comparison.depart.isoformat()}{under} ({comparison.samples:,} journeys per corridor)",
        fontsize=11,
    )
    return _save(fig, path, ModelError)


Ring = Sequence[tuple[float, float]]
"""A closed ring of ``(lon, lat)`` points."""


def _leg_coords(comparison: Comparison, frm: str, to: str, mode: str) -> list[tuple[float, float]]:
    """The drawn line of a link: its geometry (measured track, sea lane) when the network has
    one, else straight."""
    net = comparison.network
    if net is not None:
        line = net.geometries.get((frm, to, mode))
        if line is not None:
            return [(float(x), float(y)) for x, y in line]
        back = net.geometries.get((to, frm, mode))
        if back is not None:
            return [(float(x), float(y)) for x, y in reversed(back)]
    a, b = comparison_nodes(comparison, frm), comparison_nodes(comparison, to)
    return [(a.lon, a.lat), (b.lon, b.lat)]


def comparison_nodes(comparison: Comparison, node: str) -> Any:
    """The node ``node`` of the comparison's network (its ends when there is none)."""
    if comparison.network is not None:
        return comparison.network.nodes[node]
    for n in (comparison.origin, comparison.destination):
        if n.id == node:
            return n
    raise ModelError(f"the comparison has no network to draw {node} from")


def plot_comparison_map(comparison: Comparison, path: Path, *, land: Sequence[Ring] = ()) -> Path:
    """Draw the network and each corridor's route on a map and write a PNG.

    The network's links are drawn faint in their mode's colour, each option's route on top in
    its corridor's colour, the origin and destination named. ``land`` (country outlines,
    ``(lon, lat)`` rings) is filled beneath when given. Longitude and latitude are drawn
    equirectangular, with the aspect set for the middle latitude of the routes.

    Raises
    ------
    ModelError
        If the file cannot be written.
    """
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(10, 6.2))
    ax.set_facecolor(MAP_COLOURS["water"])
    for ring in land:
        xs, ys = zip(*ring, strict=True)
        ax.fill(xs, ys, facecolor=MAP_COLOURS["land"], edgecolor=MAP_COLOURS["border"], lw=0.4)
    net = comparison.network
    if net is not None:
        for link in net.links:
            xs, ys = zip(
                *_leg_coords(comparison, link.from_id, link.to_id, link.mode.value), strict=True
            )
            ax.plot(xs, ys, color=MODE_COLOURS.get(link.mode.value, "#999999"), lw=0.5, alpha=0.5)
    points: list[tuple[float, float]] = []
    for o in comparison.options:
        colour = corridor_colour(o.corridor.value)
        line: list[tuple[float, float]] = []
        for leg in o.route.legs:
            if not leg.is_operation:
                line.extend(_leg_coords(comparison, leg.from_id, leg.to_id, leg.mode.value))
        if line:
            xs, ys = zip(*line, strict=True)
            ax.plot(
                xs,
                ys,
                color=colour,
                lw=2.6,
                label=f"{o.corridor.value}: P50 {o.days.p50:.1f} d, {o.route.cost_usd:,.0f} USD",
            )
            points.extend(line)
    for n in (comparison.origin, comparison.destination):
        ax.plot(n.lon, n.lat, "o", color="black", ms=5)
        ax.annotate(
            n.name,
            (n.lon, n.lat),
            xytext=(4, 4),
            textcoords="offset points",
            fontsize=9,
            weight="bold",
        )
    if points:
        lons = [p[0] for p in points]
        lats = [p[1] for p in points]
        pad = 4.0
        ax.set_xlim(min(lons) - pad, max(lons) + pad)
        ax.set_ylim(min(lats) - pad, max(lats) + pad)
        middle = np.radians((min(lats) + max(lats)) / 2)
        ax.set_aspect(1 / max(np.cos(middle), 0.2))
    ax.set_xticks([])
    ax.set_yticks([])
    ax.legend(loc="lower left", fontsize=8, framealpha=0.9)
    ax.set_title(
        f"{comparison.origin.name} → {comparison.destination.name}: the best route of each "
        "corridor",
        loc="left",
        fontsize=11,
    )
    return _save(fig, path, ModelError)


# --------------------------------------------------------------------------------------------
# Simulation.
# --------------------------------------------------------------------------------------------


def _capacitated(result: SimulationResult) -> list[int]:
    return [i for i, r in enumerate(result.resources) if r.kind.capacitated]


def plot_queues(result: SimulationResult, path: Path) -> Path:
    """Queue (TEU waiting) over the run at the busiest capacitated resources."""
    plt = _pyplot()
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
    return _save(fig, path, SimulationError)


def plot_utilization(result: SimulationResult, path: Path) -> Path:
    """Horizontal bars of utilisation, in the bottleneck colour above the threshold."""
    from corridor.simulation import BOTTLENECK_UTILIZATION  # noqa: PLC0415  (numba is slow)

    plt = _pyplot()
    idx = sorted(_capacitated(result), key=lambda i: result.resources[i].utilization)
    names = [
        f"{result.resources[i].name} ({result.resources[i].capacity:,.0f} "
        f"{result.resources[i].capacity_unit})"
        for i in idx
    ]
    util = np.array([result.resources[i].utilization for i in idx])
    fig, ax = plt.subplots(figsize=(10, 0.45 * max(len(idx), 2) + 1.4))
    colours = [
        RESOURCE_COLOURS["bottleneck" if u >= BOTTLENECK_UTILIZATION else "capacitated"]
        for u in util
    ]
    ax.barh(names, util * 100.0, color=colours)
    ax.axvline(BOTTLENECK_UTILIZATION * 100.0, color="k", ls="--", lw=1)
    ax.text(BOTTLENECK_UTILIZATION * 100.0, -0.9, " bottleneck threshold", fontsize=8)
    for y, u in enumerate(util):
        ax.text(u * 100.0 + 1, y, f"{u:.0%}", va="center", fontsize=8)
    ax.set_xlim(0, 110)
    ax.set_xlabel("utilisation, % (vessels: load factor of the sailings)")
    ax.set_title(f"{result.scenario}: how busy each resource is")
    return _save(fig, path, SimulationError)


def plot_transit(result: SimulationResult, path: Path) -> Path:
    """Histogram of door-to-door days of the delivered TEU, with P50 and P90."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(8, 4.5))
    days = result.transit_days
    if days.size:
        ax.hist(days, bins=60, color="#5d6d7e")
        for q, style in ((50, "-"), (90, "--")):
            v = float(np.percentile(days, q))
            ax.axvline(
                v,
                color=RESOURCE_COLOURS["bottleneck"],
                ls=style,
                lw=1.5,
                label=f"P{q}: {v:.1f} days",
            )
        ax.legend()
    ax.set_xlabel("door-to-door days (with congestion)")
    ax.set_ylabel("TEU delivered")
    ax.set_title(f"{result.scenario}: transit time of {days.size:,} delivered TEU")
    return _save(fig, path, SimulationError)


def write_simulation_charts(result: SimulationResult, out_dir: str | Path) -> list[Path]:
    """Write ``queues.png``, ``utilization.png`` and ``transit.png`` into ``out_dir``.

    Raises
    ------
    SimulationError
        When a file cannot be written.
    """
    out = Path(out_dir)
    return [
        plot_queues(result, out / "queues.png"),
        plot_utilization(result, out / "utilization.png"),
        plot_transit(result, out / "transit.png"),
    ]


# --------------------------------------------------------------------------------------------
# Sweep.
# --------------------------------------------------------------------------------------------


def plot_sweep(
    summary: pd.DataFrame,
    axes: Sequence[str],
    path: Path,
    kpi: str = "transit_p90_days",
) -> Path:
    """Plot ``kpi`` (mean with its 95 % interval) against the first axis of a sweep's grid.

    ``axes`` are the grid's dotted paths (``demand.scale``), the columns ``grid.<path>`` of
    ``summary``. Each combination of the other axes is one line; with no axis, one point.

    Raises
    ------
    SimulationError
        When the file cannot be written.
    """
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(8, 4.8))
    x_col = f"grid.{axes[0]}" if axes else None
    others = [f"grid.{a}" for a in axes[1:]]
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
    ax.set_xlabel(axes[0] if axes else "")
    ax.set_ylabel(_SWEEP_LABELS.get(kpi, kpi))
    ax.set_title(f"{_SWEEP_LABELS.get(kpi, kpi)} over the sweep (mean, 95 % interval)", fontsize=11)
    ax.grid(alpha=0.3)
    if others:
        ax.legend(fontsize=9)
    return _save(fig, path, SimulationError)


# --------------------------------------------------------------------------------------------
# Capacity curves.
# --------------------------------------------------------------------------------------------


def plot_capacity(documents: Sequence[dict[str, Any]], path: Path) -> Path:
    """Draw the capacity curves of one or more scenarios and write a PNG.

    ``documents`` are ``corridor capacity --json`` documents: one line per corridor and scenario
    (median door-to-door days against TEU/year; the later scenarios dashed), the saturation
    throughput marked where the median reaches twice its free-flow value.

    Raises
    ------
    SimulationError
        When the file cannot be written.
    """
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(8, 4.8))
    styles = ("-", "--", ":", "-.")
    for i, doc in enumerate(documents):
        for c in doc["corridors"]:
            pts = [p for p in c["curve"] if p["p50_days"] is not None]
            if not pts:
                continue
            colour = corridor_colour(c["corridor"])
            x = [p["teu_per_year"] / 1000.0 for p in pts]
            y = [p["p50_days"] for p in pts]
            ax.plot(
                x,
                y,
                styles[i % len(styles)],
                marker="o",
                markersize=3,
                color=colour,
                label=f"{doc['scenario']}: {c['corridor']}",
            )
            sat = c["saturation_teu_per_year"]
            if sat is not None:
                ax.axvline(sat / 1000.0, color=colour, linestyle=styles[i % len(styles)], lw=0.8)
                ax.plot([sat / 1000.0], [2 * c["free_flow_p50_days"]], "x", color=colour)
    ax.set_xscale("log")
    ax.set_xlabel("offered TEU per year (thousands, log scale)")
    ax.set_ylabel("median door-to-door days (steady state)")
    ax.set_title("corridor capacity: where the median doubles")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7)
    return _save(fig, path, SimulationError)
