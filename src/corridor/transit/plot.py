"""Charts of transit-time distributions (matplotlib, no display needed)."""

from __future__ import annotations

from pathlib import Path

import matplotlib as mpl

mpl.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

from corridor.errors import ModelError
from corridor.transit.compare import Comparison

__all__ = ["CORRIDOR_COLOURS", "plot_comparison"]

CORRIDOR_COLOURS = {
    "middle": "#2a9d8f",
    "northern": "#e63946",
    "southern": "#e9a23b",
    "maritime": "#457b9d",
    "direct": "#777777",
}


def plot_comparison(comparison: Comparison, path: Path) -> None:
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
    all_days = np.concatenate([o.samples.total_days for o in options if o.samples is not None])
    lo, hi = np.percentile(all_days, [0.2, 99.8])
    bins = np.linspace(max(0.0, lo - 1), hi + 1, 80)
    fig, axes = plt.subplots(
        len(options), 1, figsize=(9, 1.6 + 1.5 * len(options)), sharex=True, squeeze=False
    )
    for ax, o in zip(axes[:, 0], options, strict=True):
        assert o.samples is not None
        colour = CORRIDOR_COLOURS.get(o.corridor.value, "#777777")
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
    fig.suptitle(
        f"{comparison.origin.name} → {comparison.destination.name}, departing "
        f"{comparison.depart.isoformat()} ({comparison.samples:,} journeys per corridor)",
        fontsize=11,
    )
    fig.tight_layout()
    try:
        fig.savefig(path, dpi=120)
    except OSError as exc:
        raise ModelError(f"cannot write {path}: {exc.strerror}") from None
    finally:
        plt.close(fig)
