"""Corridor comparison: contract, reproducibility, deadline, plot."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from corridor.errors import ModelError
from corridor.network import Network
from corridor.present import plot_comparison
from corridor.routing import CompareRequest
from corridor.transit import compare_routes

# The tiny network worked by hand (data/examples/tiny: every cv is 0, so only the ferry varies).
# Northern, aa > bb > cc > rr > zz: terminal 10 h + rail 1,000 km at 50 km/h (20 h) + border bb
# 5 h + 10 km (0.2 h) + border cc 5 h (its gauge change runs alongside) + 3,000 km at 40 km/h
# (75 h) + border rr 6 h + 1,500 km (37.5 h) + terminal zz 8 h = 166.7 h.
NORTHERN_H = 10 + 20 + 5 + 0.2 + 5 + 75 + 6 + 37.5 + 8
# Middle, aa > bb > cc > pp > qq > zz without waiting for the ferry: terminal 10 + 20 + 5 + 0.2
# + 5 + 2,000 km at 40 km/h (50) + port pp 12 + crossing 20 + port qq 12 + 100 km (2.5) +
# terminal 8 = 144.7 h. On top: the wait for a sailing every 48 h (uniform, mean 24 h) and in
# January a weather hold with probability 0.5, mean 20 h (mean 10 h).
MIDDLE_FLOOR_H = 10 + 20 + 5 + 0.2 + 5 + 50 + 12 + 20 + 12 + 2.5 + 8
MIDDLE_MEAN_H = MIDDLE_FLOOR_H + 24 + 0.5 * 20


def test_compare_tiny_by_hand(tiny: Network) -> None:
    c = compare_routes(
        tiny,
        CompareRequest(
            origin="aa",
            destination="zz",
            depart=date(2025, 1, 15),
            samples=2000,
            seed=7,
            deadline_days=7.5,
        ),
    )
    doc = json.loads(json.dumps(c.to_dict()))
    options = {o["corridor"]: o for o in doc["options"]}
    # the route through Romeo (RU) into Azerbaijan is the north-south corridor
    assert list(options) == ["north-south", "middle"]  # by median days: 6.95 before about 7.3
    north, middle = options["north-south"], options["middle"]
    assert north["route"]["nodes"] == ["aa", "bb", "cc", "rr", "zz"]
    assert middle["route"]["nodes"] == ["aa", "bb", "cc", "pp", "qq", "zz"]
    # Nothing varies on the northern route: every percentile is 166.7 h, always within 7.5 days.
    for key in ("p10", "p50", "p90", "mean"):
        assert north["days"][key] == pytest.approx(NORTHERN_H / 24, abs=0.005)
    assert north["on_time_probability"] == 1.0
    # Middle: never below the floor, on average the floor plus 24 h of wait and 10 h of hold.
    assert middle["days"]["p10"] >= MIDDLE_FLOOR_H / 24 - 0.005
    assert middle["days"]["mean"] == pytest.approx(MIDDLE_MEAN_H / 24, abs=0.1)
    # Within 7.5 days (180 h): at most when the wait alone fits (35.3 of 48 h: 0.735), at least
    # when there is no hold and the wait fits (0.5 x 0.735).
    fits = (7.5 * 24 - MIDDLE_FLOOR_H) / 48
    assert 0.5 * fits - 0.03 <= middle["on_time_probability"] <= fits + 0.03
    # USD per FEU: rail 1 USD/km (3,110 km), ferry 2 USD/km (400 km), terminals 100 + 30,
    # borders 50 + 50, gauge change 40, ports 60 + 60; northern: 5,510 km of rail, border rr 70.
    assert middle["cost_usd"]["expected"] == 3110 + 800 + 100 + 30 + 50 + 50 + 40 + 60 + 60
    assert north["cost_usd"]["expected"] == 5510 + 100 + 30 + 50 + 50 + 40 + 70
    assert (middle["distance_km"], north["distance_km"]) == (3510, 5510)


def test_options_sorted_by_median_and_same_seed_same_json(tiny: Network) -> None:
    a = compare_routes(
        tiny,
        CompareRequest(
            origin="aa", destination="zz", depart=date(2025, 1, 15), samples=3000, seed=2
        ),
    )
    b = compare_routes(
        tiny,
        CompareRequest(
            origin="aa", destination="zz", depart=date(2025, 1, 15), samples=3000, seed=2
        ),
    )
    assert json.dumps(a.to_dict()) == json.dumps(b.to_dict())
    p50s = [o.days.p50 for o in a.options]
    assert p50s == sorted(p50s)
    for o in a.options:
        assert o.days.p10 <= o.days.p50 <= o.days.p90
        assert len(o.legs) == len(o.route.legs)


def test_invalid_requests(tiny: Network) -> None:
    with pytest.raises(ModelError, match="samples"):
        compare_routes(
            tiny, CompareRequest(origin="aa", destination="zz", depart=date(2025, 1, 1), samples=0)
        )
    with pytest.raises(ModelError, match="deadline"):
        compare_routes(
            tiny,
            CompareRequest(
                origin="aa", destination="zz", depart=date(2025, 1, 1), deadline_days=-1
            ),
        )


def test_plot_writes_png(tiny: Network, tmp_path: Path) -> None:
    c = compare_routes(
        tiny,
        CompareRequest(
            origin="aa", destination="zz", depart=date(2025, 1, 15), samples=500, deadline_days=7.5
        ),
        keep_samples=True,
    )
    out = tmp_path / "days.png"
    plot_comparison(c, out)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    no_samples = compare_routes(
        tiny, CompareRequest(origin="aa", destination="zz", depart=date(2025, 1, 15), samples=10)
    )
    with pytest.raises(ModelError, match="keep_samples"):
        plot_comparison(no_samples, out)


def test_same_place(tiny: Network) -> None:
    from corridor.errors import NoRouteError

    with pytest.raises(NoRouteError, match="same place"):
        compare_routes(tiny, CompareRequest(origin="aa", destination="aa", depart=date(2025, 1, 1)))


def test_to_geojson_and_frame(tiny: Network) -> None:
    c = compare_routes(
        tiny, CompareRequest(origin="aa", destination="zz", depart=date(2025, 7, 1), samples=100)
    )
    doc = c.to_geojson(tiny)
    assert doc["type"] == "FeatureCollection"
    assert {f["properties"]["corridor"] for f in doc["features"]} == {"middle", "north-south"}
    frame = c.to_frame()
    assert list(frame["corridor"]) == [o.corridor.value for o in c.options]


def test_large_requests_are_sampled_in_chunks(
    tiny: Network, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Chunked sampling: every journey counted, chunks independent, answers as unchunked."""
    import numpy as np

    from corridor.transit import compare as compare_module

    when = date(2025, 1, 15)
    single = compare_routes(
        tiny, CompareRequest(origin="aa", destination="zz", depart=when, samples=20_000, seed=5)
    )
    monkeypatch.setattr(compare_module, "CHUNK_SAMPLES", 3_000)
    monkeypatch.setattr(compare_module, "LEG_P90_SAMPLES", 6_000)
    calls: list[tuple[int, int]] = []
    chunked = compare_routes(
        tiny,
        CompareRequest(origin="aa", destination="zz", depart=when, samples=20_000, seed=5),
        keep_samples=True,
        progress=lambda done, total: calls.append((done, total)),
    )
    options = len(chunked.options)
    assert calls[-1] == (20_000 * options, 20_000 * options)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)
    assert len(calls) == 7 * options  # six chunks of 3,000 and one of 2,000 per corridor
    for a, b in zip(single.options, chunked.options, strict=True):
        assert a.corridor == b.corridor
        assert b.samples is not None
        days = b.samples.total_days
        assert days.shape == (20_000,)
        if np.unique(days).size > 1:  # (a route without random legs gives one value)
            # independent chunks: a repeated seed would repeat the chunk exactly
            assert not np.array_equal(days[:3_000], days[3_000:6_000])
        # the same distribution as drawn at once (standard error of a median ~ 0.01 d here)
        assert b.days.p50 == pytest.approx(a.days.p50, abs=0.15)
        assert b.days.p90 == pytest.approx(a.days.p90, abs=0.25)
        for x, y in zip(a.legs, b.legs, strict=True):
            assert y.mean_h == pytest.approx(x.mean_h, rel=0.03, abs=0.2)
            assert y.p90_h == pytest.approx(x.p90_h, rel=0.05, abs=0.3)
    again = compare_routes(
        tiny, CompareRequest(origin="aa", destination="zz", depart=when, samples=20_000, seed=5)
    )
    assert (
        again.to_dict()
        == compare_routes(
            tiny, CompareRequest(origin="aa", destination="zz", depart=when, samples=20_000, seed=5)
        ).to_dict()
    )


@pytest.mark.parametrize(
    ("depart", "sea_passage", "other_passage"),
    [
        (date(2019, 6, 1), "suez", "cape_good_hope"),
        (date(2025, 6, 1), "cape_good_hope", "suez"),
    ],
)
def test_without_a_year_the_departure_year_sets_network_values_and_prices(
    bundled: Network, depart: date, sea_passage: str, other_passage: str
) -> None:
    """A June 2019 sailing went through Suez at 2019 rates; June 2025 ones went round the Cape
    (Red Sea diversion from December 2023) at 2025 rates: never one year's route at another's
    prices."""
    implicit = compare_routes(
        bundled,
        CompareRequest(
            origin="shanghai", destination="rotterdam", depart=depart, samples=200, seed=3
        ),
    )
    explicit = compare_routes(
        bundled,
        CompareRequest(
            origin="shanghai",
            destination="rotterdam",
            depart=depart,
            samples=200,
            seed=3,
            year=depart.year,
        ),
    )
    assert implicit.to_dict() == explicit.to_dict()
    doc = implicit.to_dict()
    assert doc["year"] == depart.year
    assert doc["price_year"] == depart.year
    sea = next(o for o in implicit.options if o.corridor.value == "maritime")
    assert sea_passage in sea.route.nodes
    assert other_passage not in sea.route.nodes
    assert sea.route.price_year == depart.year
