"""Chart series as plain data: what the API sends and the web page draws.

Built from engine results (a :class:`~corridor.transit.Comparison`, a
:class:`~corridor.simulation.SimulationResult`); JSON-ready lists and dicts, thinned to what a
chart can show.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from corridor.simulation import SimulationResult
    from corridor.transit import Comparison, CorridorOption

__all__ = [
    "HISTOGRAM_BINS",
    "MAX_POINTS",
    "MAX_SERIES",
    "comparison_histogram",
    "simulation_series",
]

HISTOGRAM_BINS = 40
"""About this many bins in a transit-time histogram."""
MAX_POINTS = 240
"""Most points of a time series (a year of snapshots is thinned to this)."""
MAX_SERIES = 8
"""Most queue series (the resources with the longest queues)."""


def _nice_step(span: float, bins: int) -> float:
    """A bin width of 1, 2 or 5 × 10^k days giving about ``bins`` bins over ``span`` days."""
    raw = max(span / bins, 1e-3)
    power = 10.0 ** np.floor(np.log10(raw))
    for factor in (1.0, 2.0, 5.0, 10.0):
        if raw <= factor * power:
            return float(factor * power)
    return float(10.0 * power)


def comparison_histogram(result: Comparison, bins: int = HISTOGRAM_BINS) -> dict[str, Any]:
    """Door-to-door days of each corridor counted on shared bins covering every sample.

    Bins have a round width (1, 2 or 5 × 10^k days) and start on a multiple of it, so the chart's
    ticks fall on round values; no sample is clipped into the first or last bin.
    """
    arrays = {_row_key(o, result): o.samples.total_days for o in result.options if o.samples}
    if not arrays:
        return {"edges_days": [], "counts": {}}
    lo = min(float(np.min(a)) for a in arrays.values())
    hi = max(float(np.max(a)) for a in arrays.values())
    step = _nice_step(hi - lo, bins)
    start = float(np.floor(lo / step) * step)
    n = max(1, int(np.ceil((hi - start) / step - 1e-9)))
    if start + n * step <= hi:  # the top sample belongs to a closed last bin, not beyond it
        n += 1
    edges = start + step * np.arange(n + 1)
    counts = {
        name: np.histogram(days, bins=edges)[0].astype(int).tolist()
        for name, days in arrays.items()
    }
    return {"edges_days": [round(float(e), 3) for e in edges], "counts": counts}


def _row_key(option: CorridorOption, result: Comparison) -> str:
    """A row's key: its corridor, or for a further row of the same corridor (another main
    mode, ``docs/options.md`` rule 3) the corridor and the mode (``direct river``)."""
    first = next(o for o in result.options if o.corridor is option.corridor)
    if first is option:
        return option.corridor.value
    return f"{option.corridor.value} {option.mode}"


def _downsample(n: int) -> np.ndarray[Any, np.dtype[np.intp]]:
    if n <= MAX_POINTS:
        return np.arange(n)
    return np.unique(np.linspace(0, n - 1, MAX_POINTS).round().astype(np.intp))


def simulation_series(result: SimulationResult) -> dict[str, Any]:
    """Time series for the page's charts: queues of the busiest resources, TEU in the system."""
    times = np.asarray(result.times_h, dtype=float)
    queues = np.asarray(result.queue_teu, dtype=float)
    idx = _downsample(len(times))
    out: dict[str, Any] = {
        "days": [round(float(t) / 24.0, 2) for t in times[idx]],
        "in_system_teu": [round(float(v), 1) for v in np.asarray(result.in_system_series)[idx]],
        "queue_teu": {},
        # readable names for the charts (ids such as ``formation:xian>dostyk`` are for programs)
        "names": {r.id: r.name for r in result.resources},
    }
    if queues.ndim == 2 and queues.shape[0] == len(times) and queues.size:
        worst = np.argsort(-queues.max(axis=0))[:MAX_SERIES]
        for col in worst:
            if queues[:, col].max() <= 0:
                continue
            rid = result.resources[int(col)].id
            out["queue_teu"][rid] = [round(float(v), 1) for v in queues[idx, col]]
    return out
