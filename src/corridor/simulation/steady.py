"""The steady state of a run: where the warm-up ends, and whether the queues settle at all.

A run starts empty, so its first weeks are not typical; and a run whose demand is above the
capacity of a resource has no steady state at all: its queue grows for as long as it runs, and
every statistic then depends on the horizon. :func:`steady_state` separates the two cases.

The rule, stated once:

1. **Door-to-door time of each TEU**, censored at the horizon: ``delivered - arrival``, or
   ``horizon - arrival`` for a TEU still on the way (a lower bound).
2. **End of the window.** TEU that arrive in the last days cannot all be delivered before the
   horizon, so their times are cut short. The window ends ``tail`` days before the horizon,
   where ``tail`` is the 99th percentile of the door-to-door days of the TEU delivered that
   arrived in the first half of the run (at most half the run).
3. **Warm-up: MSER-5** (White 1997; White, Cobb & Spratt 2000, "A comparison of five steady-state
   truncation heuristics"): the daily means of the times of the TEU arriving each day are
   batched by five; the truncation ``d`` (in batches, at most half of them) minimises
   ``sum((b_j - mean_d)^2) / (n - d)^2`` over the batches ``j >= d``. The warm-up is ``5 d`` days.
4. **Steady or not.** Over the window (from one ``tail`` after the start at the earliest: the
   pipeline fills for a door-to-door time) the TEU in the system are regressed on time (least
   squares, daily samples). The queues are *growing* (no steady state: demand above capacity)
   when the trend adds more than :data:`GROWTH_SHARE` of the TEU that arrived in the window,
   or when more than :data:`GROWTH_SHARE` of those TEU were still not delivered at the horizon.
   Then the growth rate (TEU/day) is what to read, not the times.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from corridor.simulation.run import SimulationResult

__all__ = ["GROWTH_SHARE", "MSER_BATCH_DAYS", "SteadyState", "mser5", "steady_state"]

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

MSER_BATCH_DAYS = 5
"""Batch size of MSER-5, days (one batch = the TEU arriving in five days)."""
GROWTH_SHARE = 0.05
"""Above this share of the window's arrivals piling up (trend, or not delivered), the run has no
steady state."""
_TAIL_QUANTILE = 99.0


@dataclass(frozen=True, slots=True, kw_only=True)
class SteadyState:
    """The steady-state window of a run and what it says.

    Attributes
    ----------
    exists
        Whether the queues settle (see the module docstring for the rule).
    warmup_days, end_day
        The window: TEU arriving from ``warmup_days`` to ``end_day`` (days from the start).
    transit_days
        Door-to-door days of the TEU arriving in the window (censored at the horizon).
    in_window
        Mask over the run's arrivals: which TEU arrived in the window.
    censored_h
        Door-to-door hours of every TEU of the run, censored at the horizon.
    queue_growth_teu_per_day
        Trend of the TEU in the system over the window, TEU/day (about 0 when steady).
    undelivered_share
        Share of the TEU arriving in the window still on the way at the horizon.
    """

    exists: bool
    warmup_days: float
    end_day: float
    transit_days: FloatArray
    in_window: BoolArray
    censored_h: FloatArray
    queue_growth_teu_per_day: float
    undelivered_share: float

    @property
    def p50_days(self) -> float:
        """Median door-to-door days in the window (NaN when no TEU arrived in it)."""
        return float(np.percentile(self.transit_days, 50)) if self.transit_days.size else math.nan

    @property
    def p90_days(self) -> float:
        """90th percentile of door-to-door days in the window."""
        return float(np.percentile(self.transit_days, 90)) if self.transit_days.size else math.nan

    def to_dict(self) -> dict[str, Any]:
        """``steady_state`` of the ``corridor simulate --equilibrium --json`` document."""
        return {
            "exists": self.exists,
            "warmup_days": round(self.warmup_days, 1),
            "end_day": round(self.end_day, 1),
            "teu": int(self.transit_days.size),
            "queue_growth_teu_per_day": round(self.queue_growth_teu_per_day, 2),
            "undelivered_share": round(self.undelivered_share, 4),
        }


def mser5(daily: FloatArray, batch: int = MSER_BATCH_DAYS) -> int:
    """The MSER-5 truncation point of a daily series, in days (a multiple of ``batch``).

    Examples
    --------
    >>> y = np.concatenate([np.linspace(50, 10, 30), np.full(120, 10.0)])
    >>> mser5(y + 0.1 * np.sin(np.arange(150)))
    30
    """
    n = daily.size // batch
    if n < 4:
        return 0
    b = daily[: n * batch].reshape(n, batch).mean(axis=1)
    best_d, best = 0, math.inf
    for d in range(n // 2 + 1):
        tail = b[d:]
        stat = float(np.sum((tail - tail.mean()) ** 2)) / (n - d) ** 2
        if stat < best:
            best_d, best = d, stat
    return best_d * batch


def _daily_means(day: npt.NDArray[np.int64], values: FloatArray, n_days: int) -> FloatArray:
    """Mean of ``values`` per day; days without a value take the previous day's mean."""
    sums = np.bincount(day, weights=values, minlength=n_days)[:n_days]
    counts = np.bincount(day, minlength=n_days)[:n_days]
    out = np.full(n_days, np.nan)
    has = counts > 0
    out[has] = sums[has] / counts[has]
    # carry the last value forward over empty days (and back over leading empty days)
    idx = np.where(has, np.arange(n_days), 0)
    np.maximum.accumulate(idx, out=idx)
    out = out[idx]
    if np.isnan(out).any():
        first = out[~np.isnan(out)]
        out[np.isnan(out)] = first[0] if first.size else 0.0
    return out


def steady_state(result: SimulationResult) -> SteadyState:
    """Detect the warm-up of a run and whether it reaches a steady state (module docstring)."""
    horizon_h = result.days * 24.0
    arr = result.arrival_h
    deliver = result.delivered_h
    done = ~np.isnan(deliver)
    censored = np.where(done, deliver, horizon_h) - arr
    first_half = arr < horizon_h / 2
    early = censored[first_half & done]
    tail_h = float(np.percentile(early, _TAIL_QUANTILE)) if early.size else horizon_h / 2
    end_h = max(horizon_h - min(tail_h, horizon_h / 2), 24.0)
    n_days = max(int(end_h // 24.0), 1)
    inside = arr < n_days * 24.0
    day = (arr[inside] // 24.0).astype(np.int64)
    warm = mser5(_daily_means(day, censored[inside], n_days)) if day.size else 0
    window = (arr >= warm * 24.0) & (arr < n_days * 24.0)
    n_arr = int(window.sum())
    undelivered = float((~done[window]).sum() / n_arr) if n_arr else 0.0
    # the pipeline fills for a door-to-door time after the start: the trend is read after it
    times = result.times_h
    start_h = max(warm * 24.0, min(tail_h, horizon_h / 2))
    sel = (times >= start_h) & (times <= n_days * 24.0)
    growth = 0.0
    if int(sel.sum()) >= 3:
        t_days = times[sel] / 24.0
        growth = float(np.polyfit(t_days, result.in_system_series[sel], 1)[0])
    span = n_days - warm
    piles = growth * span > GROWTH_SHARE * n_arr or undelivered > GROWTH_SHARE
    return SteadyState(
        exists=bool(n_arr > 0 and not piles),
        warmup_days=float(warm),
        end_day=float(n_days),
        transit_days=censored[window] / 24.0,
        in_window=window,
        censored_h=censored,
        queue_growth_teu_per_day=growth,
        undelivered_share=undelivered,
    )
