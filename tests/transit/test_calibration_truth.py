"""Validation metrics against a synthetic truth: journeys drawn from a known model.

When the "observed" journeys come from the very distribution the model samples, about 80 % of
them must land inside P10-P90, about 50 % inside P25-P75, and the PIT must be roughly uniform.
When the truth is twice as spread as the model (the model's band twice too narrow), coverage
must drop far below 80 %: the report has to notice an over-confident model.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from corridor.model import Corridor, ObservedJourney
from corridor.network import Network
from corridor.routing import Constraints, best_route
from corridor.transit import sample_route, validate_journeys
from corridor.transit.validate import pit_histogram

DEPART = date(2025, 3, 1)
N_OBS = 120


def _observed(tiny: Network, widen: float) -> list[ObservedJourney]:
    """``N_OBS`` journeys aa -> zz on the middle corridor (a Caspian-like ferry with a spread),
    drawn from the model with a seed of their own and spread by ``widen`` around its median."""
    route = best_route(tiny, "aa", "zz", objective="cost", constraints=Constraints(month=3))
    assert route.corridor is Corridor.MIDDLE  # the ferry route, the one with a spread
    truth = sample_route(route, 200_000, seed=2024, depart=DEPART).total_days
    median = float(np.median(truth))
    rng = np.random.default_rng(7)
    days = median + widen * (rng.choice(truth, N_OBS) - median)
    return [
        ObservedJourney(
            row=i + 2,
            origin="aa",
            destination="zz",
            depart=DEPART,
            days_min=float(d),
            days_max=float(d),
            corridor=Corridor.MIDDLE,
        )
        for i, d in enumerate(days)
    ]


def _coverage(tiny: Network, widen: float) -> dict[str, object]:
    v = validate_journeys(tiny, _observed(tiny, widen), samples=4000, seed=11)
    return v.to_dict()["summary"]


def test_a_calibrated_model_covers_eighty_percent(tiny: Network) -> None:
    s = _coverage(tiny, 1.0)
    # binomial sd of a coverage of 0.8 over 120 journeys: 0.037; 3 sd either way
    assert 0.8 - 0.11 <= s["coverage"] <= 0.8 + 0.11
    assert 0.5 - 0.14 <= s["coverage_p25_p75"] <= 0.5 + 0.14
    hist = s["pit_histogram"]
    assert isinstance(hist, list)
    # a flat histogram: 12 per decile expected; none empty and none holding a quarter
    assert min(hist) >= 3 and max(hist) <= 30


def test_a_band_twice_too_narrow_is_caught(tiny: Network) -> None:
    calibrated = _coverage(tiny, 1.0)
    narrow = _coverage(tiny, 2.0)
    assert narrow["coverage"] < 0.65
    assert narrow["mean_crps_days"] > calibrated["mean_crps_days"]
    hist = narrow["pit_histogram"]
    assert isinstance(hist, list)
    assert hist[0] + hist[-1] > 2 * (N_OBS / 10)  # observations pile up in the tails


@pytest.mark.parametrize(
    ("pits", "expected"),
    [
        ([0.0, 0.5, 1.0], [1, 0, 0, 0, 0, 1, 0, 0, 0, 1]),
        ([0.09, 0.1, 0.11], [1, 2, 0, 0, 0, 0, 0, 0, 0, 0]),
    ],
)
def test_pit_histogram_bins(pits: list[float], expected: list[int]) -> None:
    assert pit_histogram(pits) == expected
