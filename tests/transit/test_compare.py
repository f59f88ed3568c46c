"""Corridor comparison: contract, reproducibility, deadline, plot."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from corridor.errors import ModelError
from corridor.network import Network
from corridor.present import plot_comparison
from corridor.transit import compare_routes

GOLDEN = Path(__file__).parents[1] / "golden"


def test_golden_compare_tiny(tiny: Network) -> None:
    c = compare_routes(
        tiny, "aa", "zz", depart=date(2025, 1, 15), samples=2000, seed=7, deadline_days=7.5
    )
    doc = json.loads(json.dumps(c.to_dict()))
    golden = json.loads((GOLDEN / "compare_tiny.json").read_text(encoding="utf-8"))
    assert doc == golden


def test_options_sorted_by_median_and_same_seed_same_json(tiny: Network) -> None:
    a = compare_routes(tiny, "aa", "zz", depart=date(2025, 1, 15), samples=3000, seed=2)
    b = compare_routes(tiny, "aa", "zz", depart=date(2025, 1, 15), samples=3000, seed=2)
    assert json.dumps(a.to_dict()) == json.dumps(b.to_dict())
    p50s = [o.days.p50 for o in a.options]
    assert p50s == sorted(p50s)
    for o in a.options:
        assert o.days.p10 <= o.days.p50 <= o.days.p90
        assert len(o.legs) == len(o.route.legs)


def test_invalid_requests(tiny: Network) -> None:
    with pytest.raises(ModelError, match="samples"):
        compare_routes(tiny, "aa", "zz", depart=date(2025, 1, 1), samples=0)
    with pytest.raises(ModelError, match="deadline"):
        compare_routes(tiny, "aa", "zz", depart=date(2025, 1, 1), deadline_days=-1)


def test_plot_writes_png(tiny: Network, tmp_path: Path) -> None:
    c = compare_routes(
        tiny,
        "aa",
        "zz",
        depart=date(2025, 1, 15),
        samples=500,
        deadline_days=7.5,
        keep_samples=True,
    )
    out = tmp_path / "days.png"
    plot_comparison(c, out)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    no_samples = compare_routes(tiny, "aa", "zz", depart=date(2025, 1, 15), samples=10)
    with pytest.raises(ModelError, match="keep_samples"):
        plot_comparison(no_samples, out)


def test_same_place(tiny: Network) -> None:
    from corridor.errors import NoRouteError

    with pytest.raises(NoRouteError, match="same place"):
        compare_routes(tiny, "aa", "aa", depart=date(2025, 1, 1))


def test_to_geojson_and_frame(tiny: Network) -> None:
    c = compare_routes(tiny, "aa", "zz", depart=date(2025, 7, 1), samples=100)
    doc = c.to_geojson(tiny)
    assert doc["type"] == "FeatureCollection"
    assert {f["properties"]["corridor"] for f in doc["features"]} == {"middle", "northern"}
    frame = c.to_frame()
    assert list(frame["corridor"]) == [o.corridor.value for o in c.options]
