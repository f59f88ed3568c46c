"""Sweeps on a real LocalCluster: determinism across worker counts, resume, recorded failures."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from corridor.sweep import sweep

pytestmark = pytest.mark.slow

SCENARIO = "baseline-2024"
GRID = ["demand.scale=1,2", "settings.train_max_wait_h=48,72"]


def test_same_parquet_with_one_or_two_workers(tmp_path: Path) -> None:
    one = sweep(SCENARIO, GRID, replications=2, days=20, seed=3, workers=1, out=tmp_path / "a")
    two = sweep(SCENARIO, GRID, replications=2, days=20, seed=3, workers=2, out=tmp_path / "b")
    assert len(one) == len(two) == 8
    assert (one["status"] == "ok").all(), one["error"].tolist()
    pd.testing.assert_frame_equal(
        pd.read_parquet(tmp_path / "a" / "results.parquet"),
        pd.read_parquet(tmp_path / "b" / "results.parquet"),
    )
    summary = pd.read_csv(tmp_path / "a" / "summary.csv")
    assert len(summary) == 4
    assert {"transit_p90_days.mean", "transit_p90_days.ci95_low"} <= set(summary.columns)
    assert (tmp_path / "a" / "headline.png").stat().st_size > 0
    # more demand is never delivered faster on average at the same settings
    means = summary.set_index(["grid.demand.scale", "grid.settings.train_max_wait_h"])
    assert (means.loc[2]["delivered_teu.mean"] > means.loc[1]["delivered_teu.mean"]).all()


def test_resume_skips_finished_tasks(tmp_path: Path) -> None:
    out = tmp_path / "sw"
    first = sweep(SCENARIO, ["demand.scale=1,2"], replications=1, days=10, workers=1, out=out)
    (out / "tasks" / "p0001-r000.parquet").unlink()  # as if interrupted before the last task
    calls: list[int] = []
    again = sweep(
        SCENARIO,
        ["demand.scale=1,2"],
        replications=1,
        days=10,
        workers=1,
        out=out,
        progress=lambda done, total, row: calls.append(done),
    )
    assert calls[0] == 1  # one task was already finished
    pd.testing.assert_frame_equal(first, again)
    calls.clear()
    sweep(
        SCENARIO,
        ["demand.scale=1,2"],
        replications=1,
        days=10,
        workers=1,
        out=out,
        progress=lambda done, total, row: calls.append(done),
    )
    assert calls == [2]  # nothing left to do


@pytest.mark.parametrize("values", ["1,-1", "abc", "1,abc,-2"])
def test_bad_grid_value_is_refused_before_any_work(tmp_path: Path, values: str) -> None:
    from corridor.errors import ScenarioError

    calls: list[int] = []
    with pytest.raises(ScenarioError, match=r"demand\.scale=") as info:
        sweep(
            SCENARIO,
            [f"demand.scale={values}"],
            days=5,
            workers=1,
            out=tmp_path / "f",
            progress=lambda done, total, row: calls.append(done),
        )
    assert "scale" in str(info.value)
    assert calls == []  # no task planned, no cluster started
    assert not (tmp_path / "f").exists()


def test_other_sweep_in_same_folder_is_refused(tmp_path: Path) -> None:
    from corridor.errors import ScenarioError

    sweep(SCENARIO, ["demand.scale=1"], days=5, workers=1, out=tmp_path / "o")
    with pytest.raises(ScenarioError, match="different sweep"):
        sweep(SCENARIO, ["demand.scale=2"], days=5, workers=1, out=tmp_path / "o")
