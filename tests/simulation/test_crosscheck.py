"""The two engines share one leg-time model: without capacity limits they agree.

When nothing is capacitated (no server limits a node or a line, a block train leaves with its
first TEU), the capacity simulation moves each TEU through the same legs as the transit Monte
Carlo, drawn by the same rules (``corridor.model.timing``): the distributions of door-to-door
time must match within sampling error. The route runs overland through several borders and
gauge changes, so the running times, the dwells and the overlap of the operations at a node
are all compared; it has no sailing, so its time does not depend on the calendar.

The transit engine also gives a journey's legs a common shock and one speed per railway
(``corridor.model.timing.SHARED_SHOCK_CORRELATION``, ``railway_key``); that dependence leaves
every leg's distribution, and so the mean, unchanged, but widens the spread of the sum. The
simulation draws a TEU's legs independently, so its mean is compared with the transit model as
it stands and its distribution with the transit legs drawn independently.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from types import MappingProxyType

import numpy as np

from corridor.model import Corridor, Flow, Scenario
from corridor.model.timing import node_groups
from corridor.network import Network
from corridor.simulation import build_model, simulate_model
from corridor.transit import sample_route

DAYS = 365
ARRIVALS_UNTIL_H = 250 * 24.0  # every TEU arriving earlier is delivered within the horizon


def _uncapacitated(net: Network) -> Network:
    nodes = {
        k: replace(
            n,
            operations=MappingProxyType(
                {
                    kind: replace(op, capacity_teu_day=None, capacity_trains_day=None)
                    for kind, op in n.operations.items()
                }
            ),
        )
        for k, n in net.nodes.items()
    }
    links = tuple(replace(lk, capacity_trains_day=None) for lk in net.links)
    return replace(net, nodes=MappingProxyType(nodes), links=links)


def _ks_statistic(a: np.ndarray, b: np.ndarray) -> float:
    grid = np.sort(np.concatenate([a, b]))
    fa = np.searchsorted(np.sort(a), grid, side="right") / a.size
    fb = np.searchsorted(np.sort(b), grid, side="right") / b.size
    return float(np.max(np.abs(fa - fb)))


def test_low_demand_simulation_reproduces_the_transit_distribution(bundled: Network) -> None:
    net = _uncapacitated(bundled)
    scenario = Scenario(
        name="crosscheck",
        year=2024,
        network_year=2024,
        days=DAYS,
        train_teu=1,  # a block train leaves with its first TEU: no formation wait
        flows=(
            Flow(origin="xian", destination="duisburg", teu_year=4000, corridor=Corridor.NORTHERN),
        ),
    )
    model = build_model(scenario, net)
    route = model.routes[0]
    groups = node_groups(route.legs)
    assert any(len(g) > 1 for g in groups)  # overlapping operations are part of the check
    assert not any(leg.service and not leg.service.is_land for leg in route.legs)  # no vessel

    res = simulate_model(model, seed=3)
    early = res.arrival_h < ARRIVALS_UNTIL_H
    assert not np.isnan(res.delivered_h[early]).any()
    sim_days = (res.delivered_h[early] - res.arrival_h[early]) / 24.0
    mc_days = sample_route(route, 20_000, seed=4, depart=date(2024, 3, 1)).total_days
    mc_independent = sample_route(
        route, 20_000, seed=5, depart=date(2024, 3, 1), dependence=False
    ).total_days

    n, m = sim_days.size, mc_days.size
    assert n > 2000
    se = np.sqrt(sim_days.var(ddof=1) / n + mc_days.var(ddof=1) / m)
    assert abs(sim_days.mean() - mc_days.mean()) < 4 * se, (sim_days.mean(), mc_days.mean(), se)
    # two-sample Kolmogorov-Smirnov at the 0.1 % level, against the same legs drawn independently
    assert _ks_statistic(sim_days, mc_independent) < 1.95 * np.sqrt((n + m) / (n * m))
    # and the analytic planner agrees on the mean (the longest operation by its mean is a
    # lower bound of the mean of the longest, so the planner may only be shorter)
    assert route.days <= mc_days.mean() + 4 * se
