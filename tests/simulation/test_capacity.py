"""``corridor capacity`` against the M/D/1 queue worked out from theory.

The toy (``data/tiny-md1.yaml``) sends boxes by a route whose legs and dwells are all fixed,
through one border that clears a TEU in ``D = 48`` h, with Poisson arrivals: door-to-door time is
the fixed time plus ``D`` plus the M/D/1 wait in queue. Its waiting-time distribution is
Erlang's (Crommelin 1932): ``P(Wq <= t) = (1 - rho) sum_{k=0}^{floor(t/D)} (lam (kD - t))^k / k!
e^{-lam (kD - t)}``. The capacity is the arrival rate at which the median of ``Wq`` equals the
free-flow time (fixed time + D): then the median door-to-door time is twice the free-flow one.
"""

from __future__ import annotations

import json
import math

import pytest
from typer.testing import CliRunner

from corridor.network import example_network, load_scenario
from corridor.simulation import flow_options, scenario_network
from corridor.simulation.capacity import capacity
from tests.conftest import TINY_DIR
from tests.simulation.conftest import DATA

TOY = DATA / "tiny-md1.yaml"
SERVICE_H = 24.0 / 0.5  # the border clears half a train (of one TEU) a day


def md1_wait_cdf(t: float, lam: float, d: float) -> float:
    """Erlang's M/D/1 waiting-time distribution, ``P(Wq <= t)`` (lam per hour, d hours)."""
    total = 0.0
    for k in range(math.floor(t / d) + 1):
        x = lam * (k * d - t)
        total += x**k / math.factorial(k) * math.exp(-x)
    return (1.0 - lam * d) * total


def md1_median_wait(lam: float, d: float) -> float:
    if md1_wait_cdf(0.0, lam, d) >= 0.5:
        return 0.0
    lo, hi = 0.0, 40.0 * d
    for _ in range(80):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if md1_wait_cdf(mid, lam, d) < 0.5 else (lo, mid)
    return 0.5 * (lo + hi)


def md1_capacity_teu_year(free_flow_h: float, d: float) -> float:
    """Arrival rate (TEU/year) at which the median wait in queue equals ``free_flow_h``."""
    lo, hi = 0.01, 0.999
    for _ in range(60):
        rho = 0.5 * (lo + hi)
        lo, hi = (rho, hi) if md1_median_wait(rho / d, d) < free_flow_h else (lo, rho)
    return 0.5 * (lo + hi) / d * 24.0 * 365.0


def test_capacity_of_one_md1_resource_matches_theory() -> None:
    net = example_network("tiny")
    sc = load_scenario(TOY, net)
    # the fixed part of the trip: the route's expected hours (every leg and dwell is fixed)
    route = flow_options(scenario_network(sc, net), sc, sc.flows[0])[1][0][1]
    free_flow_h = route.hours + SERVICE_H
    (found,) = capacity(sc, network=net, corridor="north-south", days=3650, seed=1)
    assert found.limiting_resource == "rr:border"
    assert found.free_flow_p50_days * 24 == pytest.approx(free_flow_h, rel=0.02)
    truth = md1_capacity_teu_year(free_flow_h, SERVICE_H)
    assert 150 < truth < 190  # about 93 % of the border's 182.5 TEU/year
    assert found.saturation_teu_per_year == pytest.approx(truth, rel=0.05)


def test_capacity_cli_json_contract_and_compare_to(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from corridor.cli.main import app as main_app
    from corridor.cli.simulate import register

    if "capacity" not in {c.name for c in main_app.registered_commands}:
        register(main_app)
    faster = tmp_path / "faster.yaml"
    faster.write_text(
        f"name: faster\nbase: {TOY}\nchanges:\n  nodes:\n    rr: {{border: {{trains_day: 1}}}}\n",
        encoding="utf-8",
    )
    plot = tmp_path / "cap.png"
    res = CliRunner().invoke(
        main_app,
        [
            "--network",
            str(TINY_DIR),
            "capacity",
            str(TOY),
            "--corridor",
            "north-south",
            "--json",
            "--compare-to",
            str(faster),
            "--plot",
            str(plot),
        ],
    )
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["scenario"] == "tiny-md1"
    (c,) = doc["corridors"]
    assert {
        "corridor",
        "saturation_teu_per_year",
        "limiting_resource",
        "free_flow_p50_days",
        "curve",
    } <= set(c)
    assert c["corridor"] == "north-south"
    assert all(set(p) >= {"teu_per_year", "p50_days"} for p in c["curve"])
    # twice the border's rate: about twice the capacity (the fixed time is shorter by 24 h)
    (diff,) = doc["differences"]
    assert diff["other"] > 1.7 * diff["base"]
    assert plot.stat().st_size > 0


def test_capacity_unknown_corridor_is_a_clear_error() -> None:
    from corridor.cli.main import app as main_app
    from corridor.cli.simulate import register

    if "capacity" not in {c.name for c in main_app.registered_commands}:
        register(main_app)
    res = CliRunner().invoke(
        main_app, ["--network", str(TINY_DIR), "capacity", str(TOY), "--corridor", "nowhere"]
    )
    assert res.exit_code == 1
    assert "unknown corridor 'nowhere'" in res.stderr
    assert "Traceback" not in res.output


@pytest.mark.slow
def test_capacity_on_a_local_dask_cluster_matches_the_serial_run() -> None:
    from corridor.sweep import dask_map

    serial = capacity("baseline-2024", corridor="middle", days=150, seed=2)
    with dask_map(workers=2) as map_fn:
        parallel = capacity("baseline-2024", corridor="middle", days=150, seed=2, map_fn=map_fn)
    (a,), (b,) = serial, parallel
    # same seed, same volumes on the grid: the same points; the refinement differs (bisection
    # versus three points a round), so the saturation agrees to the width of the final bracket
    grid_a = {round(p.teu_per_year): p.p50_days for p in a.curve}
    grid_b = {round(p.teu_per_year): p.p50_days for p in b.curve}
    shared = set(grid_a) & set(grid_b)
    assert len(shared) >= 3
    assert all(grid_a[k] == pytest.approx(grid_b[k]) for k in shared)
    assert a.saturation_teu_per_year is not None and b.saturation_teu_per_year is not None
    assert b.saturation_teu_per_year == pytest.approx(a.saturation_teu_per_year, rel=0.05)
