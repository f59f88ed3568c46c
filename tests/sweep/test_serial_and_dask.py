"""A sweep on Dask gives, task for task, what the same runs give one after another in this process.

The oracle is the serial path itself, called directly with each task's seed: the scenario read
with the point's edits, then :func:`simulate_model` (or :func:`equilibrium`). Spreading the
tasks over worker processes and batching them must change nothing but the time taken.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import pytest

from corridor.network import load_network, scenario_document, scenario_from_document
from corridor.simulation import build_model, simulate_model
from corridor.simulation.equilibrium import equilibrium
from corridor.sweep import equilibrium_row, kpi_row, set_path, sweep

pytestmark = pytest.mark.slow

SCENARIO = "baseline-2024"


def _serial_scenario(row: pd.Series, axes: list[str]) -> Any:
    net = load_network()
    name, doc = scenario_document(SCENARIO, net)
    for path in axes:
        value = row[f"grid.{path}"]
        doc = set_path(doc, path, value.item() if hasattr(value, "item") else value)
    return scenario_from_document(doc, net, name=name), net


def _same(got: pd.Series, want: dict[str, Any]) -> None:
    for key, value in want.items():
        seen = got[key]
        if isinstance(value, float) and math.isnan(value):
            assert math.isnan(seen), key
        else:
            assert seen == value, key


def test_sweep_on_two_workers_matches_the_runs_made_one_by_one() -> None:
    df = sweep(SCENARIO, ["demand.scale=1,2.5"], replications=2, days=25, seed=7, workers=2)
    assert len(df) == 4
    assert (df["status"] == "ok").all(), df["error"].tolist()
    assert df["seed"].nunique() == 4  # every replication its own stream
    for _, row in df.iterrows():
        sc, net = _serial_scenario(row, ["demand.scale"])
        result = simulate_model(build_model(sc, net), days=25, seed=int(row["seed"]))
        _same(row, kpi_row(result.to_dict()))


def test_equilibrium_sweep_matches_the_equilibria_run_one_by_one() -> None:
    df = sweep(
        SCENARIO, ["demand.scale=3"], replications=2, days=30, seed=2, workers=2, equilibrium=True
    )
    assert (df["status"] == "ok").all(), df["error"].tolist()
    assert {"equilibrium.iterations", "equilibrium.gap", "share.middle"} <= set(df.columns)
    for _, row in df.iterrows():
        sc, net = _serial_scenario(row, ["demand.scale"])
        eq = equilibrium(sc, network=net, days=30, seed=int(row["seed"]))
        _same(row, equilibrium_row(eq.to_dict()))
