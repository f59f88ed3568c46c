"""The numba engine and the SimPy reference agree (Welch tests with a Bonferroni correction)."""

from __future__ import annotations

from types import ModuleType

import numpy as np
import pytest

from corridor.network import Network
from corridor.simulation import build_model, load_scenario, simulate_model
from tests.simulation.conftest import DATA

REPLICATIONS = 12  # per model: the least the agreement rule accepts


@pytest.mark.slow
def test_engine_agrees_with_simpy(
    tiny: Network, reference_simpy: ModuleType, agreement: ModuleType
) -> None:
    sc = load_scenario(DATA / "tiny-capacity.yaml", tiny)
    model = build_model(sc, tiny)
    ids = [r.id for r in model.resources]
    seeds = np.random.SeedSequence(2024).spawn(2 * REPLICATIONS)
    engine_seeds = [int(s.generate_state(1)[0]) for s in seeds[:REPLICATIONS]]
    simpy_seeds = [int(s.generate_state(1)[0]) for s in seeds[REPLICATIONS:]]  # independent
    keys = ["delivered_teu", "transit_days", *ids[:4], "ferry-pq:pp>qq", "ferry-pq:qq>pp"]
    engine: dict[str, list[float]] = {k: [] for k in keys}
    ref: dict[str, list[float]] = {k: [] for k in keys}
    for seed in engine_seeds:
        res = simulate_model(model, seed=seed)
        engine["delivered_teu"].append(res.delivered_teu)
        engine["transit_days"].append(float(np.mean(res.transit_days)))
        for k in keys[2:]:
            engine[k].append(res.resource(k).mean_wait_h)
    for seed in simpy_seeds:
        out = reference_simpy.run_reference(model, days=sc.days, seed=seed)
        ref["delivered_teu"].append(out.delivered_teu)
        ref["transit_days"].append(out.mean_transit_days)
        for k in keys[2:]:
            ref[k].append(out.mean_wait_h(ids.index(k)))
    ok, failed = agreement.agreement(engine, ref)
    assert ok, failed


def test_the_rule_rejects_a_shifted_model(agreement: ModuleType) -> None:
    """The rule has power: a 10 % longer wait at one resource is called a disagreement."""
    rng = np.random.default_rng(7)
    same = {"wait": list(rng.normal(10.0, 0.3, REPLICATIONS))}
    shifted = {"wait": list(rng.normal(11.0, 0.3, REPLICATIONS))}
    assert agreement.agreement(same, {"wait": list(rng.normal(10.0, 0.3, REPLICATIONS))})[0]
    ok, failed = agreement.agreement(same, shifted)
    assert not ok
    assert failed[0].startswith("wait:")


def test_false_alarms_are_rare(agreement: ModuleType) -> None:
    """Two samples of one model, ten statistics, 2,000 trials: well under 1 % false alarms."""
    rng = np.random.default_rng(11)
    alarms = 0
    trials = 2000
    for _ in range(trials):
        a = {f"s{i}": list(rng.gamma(4.0, 1.0, REPLICATIONS)) for i in range(10)}
        b = {f"s{i}": list(rng.gamma(4.0, 1.0, REPLICATIONS)) for i in range(10)}
        alarms += not agreement.agreement(a, b)[0]
    assert alarms / trials < 0.01


def test_common_random_arrivals_give_same_counts(
    tiny: Network, reference_simpy: ModuleType
) -> None:
    """With the same seed both models see the same arrivals."""
    sc = load_scenario(DATA / "tiny-capacity.yaml", tiny)
    model = build_model(sc, tiny)
    res = simulate_model(model, seed=5, days=30)
    out = reference_simpy.run_reference(model, days=30, seed=5)
    assert out.arrived_teu == res.arrived_teu
