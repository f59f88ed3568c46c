"""The journey's shared shock and per-railway speed widen the spread but keep the mean.

Each leg's normal is ``sqrt(rho) S + sqrt(1 - rho) e`` with ``S`` and ``e`` standard normals, so
each leg keeps its own distribution; a sum's mean is the sum of the legs' means whatever their
correlation. The node overlap (a maximum) is the only non-linear step, and a positive
correlation can only lower a maximum's mean, never below the largest member mean. So on a route
of running legs and single-operation nodes the mean with dependence equals the mean without,
and the spread is wider.
"""

from __future__ import annotations

from datetime import date

import numpy as np

from corridor.model import Corridor, Leg, Route, ShiftedLogNormal
from corridor.model.distributions import LogNormalSpeed
from corridor.model.enums import LegMode, OperationKind
from corridor.transit import sample_route


def _route() -> Route:
    """Five 1000 km runs of one railway, each after a border stop of a day (hand-built)."""
    speed = LogNormalSpeed(mean_kmh=40.0, cv=0.4)
    legs: list[Leg] = []
    for k in range(5):
        a, b = f"n{k}", f"n{k + 1}"
        stop = ShiftedLogNormal(min_h=4.0, mean_h=24.0, cv=1.0)
        legs.append(
            Leg(
                from_id=a,
                to_id=a,
                mode=LegMode.RAIL,
                distance_km=0.0,
                hours=24.0,
                cost_usd=0.0,
                co2_kg=0.0,
                operation=OperationKind.BORDER,
                dwell=stop,
            )
        )
        legs.append(
            Leg(
                from_id=a,
                to_id=b,
                mode=LegMode.RAIL,
                distance_km=1000.0,
                hours=29.0,
                cost_usd=0.0,
                co2_kg=0.0,
                speed=speed,
                countries=("KZ", "KZ"),
            )
        )
    nodes = tuple(f"n{k}" for k in range(6))
    return Route(nodes=nodes, legs=tuple(legs), corridor=Corridor.MIDDLE)


# Each stop: 24 h. Each run: 1000 km / V with V log-normal, mean 40 km/h, cv 0.4, so
# E[1/V] = (1 + cv^2) / mean and the run takes 1000 * 1.16 / 40 = 29 h on average.
MEAN_H = 5 * 24.0 + 5 * 1000.0 * (1.0 + 0.4**2) / 40.0


def test_dependence_keeps_the_mean_and_widens_the_spread() -> None:
    route = _route()
    n = 40_000
    dep = sample_route(route, n, seed=1, depart=date(2024, 3, 1)).total_hours
    ind = sample_route(route, n, seed=2, depart=date(2024, 3, 1), dependence=False).total_hours
    for sample in (dep, ind):
        se = sample.std(ddof=1) / np.sqrt(n)
        assert abs(sample.mean() - MEAN_H) < 4 * se, (sample.mean(), MEAN_H, se)
    # the runs of one railway share a speed and every leg a part of the shock: wider sums
    assert dep.std() > 1.2 * ind.std()
