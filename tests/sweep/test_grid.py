"""Grid specifications and dotted-path edits."""

from __future__ import annotations

import pytest

from corridor.errors import ScenarioError
from corridor.sweep import expand_grid, parse_grid, plan_tasks, set_path


def test_parse_and_expand() -> None:
    axes = parse_grid(["demand.scale=1,2", "changes.services.x.vessels=4,6,8"])
    assert axes[0].values == (1, 2)
    points = expand_grid(axes)
    assert len(points) == 6
    assert points[0].as_dict() == {"demand.scale": 1, "changes.services.x.vessels": 4}
    assert points[-1].as_dict() == {"demand.scale": 2, "changes.services.x.vessels": 8}
    assert [p.index for p in points] == list(range(6))


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("demand.scale", "expected PATH=V1,V2"),
        ("=1,2", "expected PATH=V1,V2"),
        ("demand..scale=1", "not a dotted path"),
        ("demand.scale=1,1", "repeated"),
        ("demand.scale=[1,2]", "single number"),
    ],
)
def test_bad_specs(spec: str, message: str) -> None:
    with pytest.raises(ScenarioError, match=message):
        parse_grid([spec])


def test_same_path_twice() -> None:
    with pytest.raises(ScenarioError, match="given twice"):
        parse_grid(["demand.scale=1", "demand.scale=2"])


def test_set_path_creates_and_indexes() -> None:
    doc = {"demand": {"scale": 1, "flows": [{"teu_year": 10}]}}
    out = set_path(doc, "demand.flows.0.teu_year", 20)
    assert out["demand"]["flows"][0]["teu_year"] == 20
    assert doc["demand"]["flows"][0]["teu_year"] == 10  # the input is not modified
    out = set_path(doc, "changes.services.ferry.vessels", 7)
    assert out["changes"] == {"services": {"ferry": {"vessels": 7}}}
    with pytest.raises(ScenarioError, match="index below 1"):
        set_path(doc, "demand.flows.3.teu_year", 1)
    with pytest.raises(ScenarioError, match="not a mapping"):
        set_path(doc, "demand.scale.x", 1)


def test_seeds_are_independent_of_layout() -> None:
    points = expand_grid(parse_grid(["demand.scale=1,2"]))
    a = plan_tasks(points, 3, seed=5, days=10)
    b = plan_tasks(points, 3, seed=5, days=10)
    assert [t.seed for t in a] == [t.seed for t in b]
    assert len({t.seed for t in a}) == 6
    assert [t.name for t in a][:2] == ["p0000-r000", "p0000-r001"]
    with pytest.raises(ScenarioError):
        plan_tasks(points, 0, seed=1, days=None)


def test_corridor_sweep_is_callable() -> None:
    import corridor

    assert callable(corridor.sweep)
    from corridor.sweep import runner

    assert corridor.sweep.sweep is runner.sweep


def test_a_path_naming_no_key_fails_before_any_work(tmp_path: object) -> None:
    from corridor.sweep import sweep

    with pytest.raises(ScenarioError, match="unknown key 'nope'"):
        sweep("baseline-2024", ["nope.x=1"], days=2, workers=1)


def test_summary_interval_is_students_t() -> None:
    import math

    import pandas as pd

    from corridor.sweep import summarize

    # two replications of one point: the 95 % interval uses t(0.975, 1) = 12.706, not 1.96
    results = pd.DataFrame(
        {
            "point": [0, 0, 1, 1, 1],
            "grid.demand.scale": [1, 1, 2, 2, 2],
            "status": ["ok"] * 5,
            "transit_p90_days": [10.0, 12.0, 20.0, 21.0, 22.0],
        }
    )
    summary = summarize(results, kpis=["transit_p90_days"]).set_index("point")
    two = summary.loc[0]
    assert two["transit_p90_days.mean"] == pytest.approx(11.0)
    sd = math.sqrt(2.0)
    assert two["transit_p90_days.ci95_high"] - 11.0 == pytest.approx(
        12.706 * sd / math.sqrt(2), rel=1e-4
    )
    three = summary.loc[1]
    assert three["transit_p90_days.ci95_low"] == pytest.approx(
        21.0 - 4.303 * 1.0 / math.sqrt(3), rel=1e-4
    )


def test_sweep_without_dask_says_which_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from corridor.errors import CorridorError
    from corridor.sweep import runner

    monkeypatch.setitem(sys.modules, "dask.distributed", None)
    with pytest.raises(CorridorError, match=r"corridor\[sweep\]"):
        runner._client(None, 1)
