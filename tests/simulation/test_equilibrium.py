"""Corridor choice at equilibrium and the steady state, against queueing theory worked by hand.

The toy (``data/tiny-two-corridors.yaml``) has two corridors between aa and zz, each with one
M/D/1 resource: Poisson arrivals, a deterministic service of ``D`` hours, mean wait in queue
``W = rho D / (2 (1 - rho))`` (Pollaczek-Khinchine with zero service variance). The truths below
come from that formula and the logit, solved by bisection here, not from the code under test.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from corridor.network import example_network, load_scenario
from corridor.simulation import (
    ChoiceParameters,
    Flow,
    equilibrium,
    mser5,
    simulate,
    steady_state,
)
from tests.simulation.conftest import DATA

TOY = DATA / "tiny-two-corridors.yaml"
V0_PER_DAY = 2920 / 365  # the toy's demand, TEU/day
CAP_MIDDLE, CAP_NORTH = 6.0, 12.0  # TEU/day of pp (middle) and rr (north-south)


def md1_delay_h(lam_day: float, cap_day: float) -> float:
    """Mean wait in queue plus service of an M/D/1 queue, hours."""
    d = 24.0 / cap_day
    rho = lam_day / cap_day
    return rho * d / (2.0 * (1.0 - rho)) + d


def analytic_middle_share(vot: float, sigma: float, s0: float) -> float:
    """The share of the toy's demand that stays on the middle corridor at equilibrium.

    The stated flow is ``s0`` of a market of ``V0 / s0``; the middle keeps ``(V0 / s0) P_m``
    with ``P_m = s0 e^-a / (s0 e^-a + (1 - s0) e^-b)``, ``a`` and ``b`` the M/D/1 delays of
    each corridor (times the value of time, over sigma) at the volumes they carry.
    """

    def excess(lam_m: float) -> float:
        lam_n = V0_PER_DAY - lam_m
        a = vot * md1_delay_h(lam_m, CAP_MIDDLE) / sigma
        b = vot * md1_delay_h(lam_n, CAP_NORTH) / sigma
        p_m = s0 * math.exp(-a) / (s0 * math.exp(-a) + (1 - s0) * math.exp(-b))
        return lam_m - min(V0_PER_DAY / s0 * p_m, V0_PER_DAY)

    lo, hi = 0.0, min(V0_PER_DAY, CAP_MIDDLE * 0.999)
    for _ in range(100):
        mid = 0.5 * (lo + hi)
        if excess(mid) > 0:
            hi = mid
        else:
            lo = mid
    return 0.5 * (lo + hi) / V0_PER_DAY


@pytest.fixture(scope="module")
def tiny():  # type: ignore[no-untyped-def]
    return example_network("tiny")


@pytest.mark.parametrize(("vot", "sigma"), [(10.0, 50.0), (10.0, 20.0)])
def test_two_corridor_shares_match_the_logit_queueing_solution(tiny, vot, sigma) -> None:  # type: ignore[no-untyped-def]
    params = ChoiceParameters(
        value_of_time_usd_per_h=vot, reference_share=0.5, logit_scale_usd=sigma
    )
    sc = load_scenario(TOY, tiny)
    eq = equilibrium(
        sc, network=tiny, days=1000, seed=3, parameters=params, max_iterations=20, tolerance=0.01
    )
    assert eq.converged
    truth = analytic_middle_share(vot, sigma, 0.5)
    assert eq.shares["middle"] == pytest.approx(truth, abs=0.03)
    assert eq.diverted_teu == pytest.approx(2920 * (1 - eq.shares["middle"]), rel=1e-6)
    # all on the middle corridor would overload its port (8 > 6 TEU/day): some must divert
    assert eq.shares["middle"] < CAP_MIDDLE / V0_PER_DAY
    doc = eq.to_dict()
    assert set(doc["equilibrium"]) >= {"iterations", "gap", "converged", "shares", "diverted_teu"}
    assert doc["steady_state"]["exists"] is True


def test_mser5_cuts_a_decaying_start() -> None:
    rng = np.random.default_rng(0)
    warm = np.linspace(100.0, 20.0, 40)
    flat = 20.0 + rng.normal(0.0, 1.0, 200)
    cut = mser5(np.concatenate([warm, flat]))
    assert 30 <= cut <= 50
    assert mser5(flat) <= 20  # nothing to cut from a stationary series (a few batches at most)


def test_overloaded_run_has_no_steady_state_and_grows_at_demand_minus_capacity(tiny) -> None:  # type: ignore[no-untyped-def]
    # all demand on the middle corridor: 8 TEU/day into a 6 TEU/day port
    sc = load_scenario(TOY, tiny)
    sc = sc.__class__(
        **{
            **{f: getattr(sc, f) for f in sc.__dataclass_fields__},
            "flows": (Flow(origin="aa", destination="zz", teu_year=2920),),
        }
    )
    st = steady_state(simulate(sc, network=tiny, days=300, seed=2))
    assert not st.exists
    assert st.queue_growth_teu_per_day == pytest.approx(V0_PER_DAY - CAP_MIDDLE, rel=0.15)


@pytest.mark.parametrize("teu_year", [1460.0, 1900.0])
def test_steady_state_p50_does_not_depend_on_the_horizon(tiny, teu_year) -> None:  # type: ignore[no-untyped-def]
    sc = load_scenario(TOY, tiny)
    sc = sc.__class__(
        **{
            **{f: getattr(sc, f) for f in sc.__dataclass_fields__},
            "flows": (Flow(origin="aa", destination="zz", teu_year=teu_year),),
        }
    )
    a = steady_state(simulate(sc, network=tiny, days=365, seed=4))
    b = steady_state(simulate(sc, network=tiny, days=730, seed=5))
    assert a.exists and b.exists
    assert a.p50_days == pytest.approx(b.p50_days, rel=0.15)
