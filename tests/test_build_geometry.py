"""The measuring rules of ``scripts/build_geometry.py`` on a small hand-made track graph."""

from __future__ import annotations

import math
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
import build_geometry as bg  # a build script, not a package

KM_PER_DEG = bg.EARTH_R_KM * math.pi / 180  # along the equator


def _graph(points: list[tuple[float, float]], edges: list[tuple[int, int]]) -> bg.TrackGraph:
    """A track graph of ``[lat, lon]`` points joined by straight edges weighted by length."""
    tg = object.__new__(bg.TrackGraph)
    tg.nodes = [[lat, lon] for lat, lon in points]
    tg.graph = [{} for _ in points]
    for u, v in edges:
        w = bg.haversine_km(*points[u], *points[v])
        tg.graph[u][v] = tg.graph[v][u] = w
    arr = np.asarray(tg.nodes, dtype=float)
    tg.lat, tg.lon = np.radians(arr[:, 0]), np.radians(arr[:, 1])
    tg.bridges = {}
    tg.component = tg._components()
    return tg


def _node(name: str, lat: float, lon: float) -> dict[str, str]:
    return {
        "name": name,
        "lat": str(lat),
        "lon": str(lon),
        "country": "KZ",
        "gauges": "1520",
        "kind": "junction",
    }


def _link(a: str, b: str, km: float, method: str = "estimate") -> dict[str, str]:
    return {
        "from": a,
        "to": b,
        "distance_km": str(km),
        "distance_method": method,
        "status": "operational",
        "mode": "rail",
    }


@pytest.fixture
def line() -> bg.TrackGraph:
    # a straight line along the equator from 0° to 2° E, a node every 0.1° (about 11 km)
    pts = [(0.0, k / 10) for k in range(21)]
    return _graph(pts, [(k, k + 1) for k in range(20)])


def test_a_through_node_off_the_track_splits_the_line_at_its_station(
    line: bg.TrackGraph,
) -> None:
    # X is 0.18° (20 km) north of the line at 1.05° E: farther than the 12 km an end may be
    # attached, so each of its links alone is refused; the line A–B splits where X projects
    nodes = {"a": _node("A", 0, 0), "x": _node("X", 0.18, 1.05), "b": _node("B", 0, 2)}
    pair = [_link("a", "x", 130), _link("x", "b", 120)]
    alone = bg.measure(line, "rail", pair[0], nodes)
    assert "coords" not in alone
    got = bg.through_station(line, "x", pair, nodes, None, check_cited=False)
    assert not isinstance(got, str)
    first, second = got
    assert first["distance_km"] == pytest.approx(1.05 * KM_PER_DEG, abs=0.2)
    assert second["distance_km"] == pytest.approx(0.95 * KM_PER_DEG, abs=0.2)
    assert first["station_km"] == second["station_km"] == pytest.approx(0.18 * KM_PER_DEG, abs=0.1)
    # drawn from the link's first node to its last: the station's point on the track, then X
    assert first["coords"][0] == [0.0, 0.0] and first["coords"][-1] == [1.05, 0.18]
    assert first["coords"][-2] == pytest.approx([1.05, 0.0], abs=1e-4)
    assert second["coords"][0] == [1.05, 0.18] and second["coords"][-1] == [2.0, 0.0]
    assert (first["snap_to_km"], second["snap_from_km"]) == (0.0, 0.0)


def test_a_link_stored_the_other_way_is_drawn_from_its_own_first_node(
    line: bg.TrackGraph,
) -> None:
    nodes = {"a": _node("A", 0, 0), "x": _node("X", 0.18, 1.05), "b": _node("B", 0, 2)}
    got = bg.through_station(
        line, "x", [_link("x", "a", 130), _link("b", "x", 120)], nodes, None, check_cited=False
    )
    assert not isinstance(got, str)
    assert got[0]["coords"][0] == [1.05, 0.18] and got[0]["coords"][-1] == [0.0, 0.0]
    assert got[1]["coords"][0] == [2.0, 0.0] and got[1]["coords"][-1] == [1.05, 0.18]
    assert got[0]["distance_km"] == pytest.approx(1.05 * KM_PER_DEG, abs=0.2)


def test_a_node_far_from_the_line_between_its_neighbours_is_not_its_station(
    line: bg.TrackGraph,
) -> None:
    # 0.3° (33 km) off the line: beyond the 25 km an attachment may have, whatever the graph
    nodes = {"a": _node("A", 0, 0), "x": _node("X", 0.3, 1.05), "b": _node("B", 0, 2)}
    got = bg.through_station(
        line, "x", [_link("a", "x", 130), _link("x", "b", 120)], nodes, None, check_cited=False
    )
    assert isinstance(got, str) and "33 km from X" in got


def _measured(km: float) -> dict[str, Any]:
    return {"great_circle_km": km, "distance_km": km, "coords": [[0, 0], [1, 1], [2, 2]]}


def test_shares_of_a_sourced_total_are_compared_together(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    group = {"links": [("p", "q"), ("q", "r")], "total": 200.0, "what": "P–R 200 km"}
    monkeypatch.setattr(bg, "split_groups", lambda mode: [group])
    # the pro-rata shares are 100 + 100; measured 70 + 150 = 220 km: the second link alone is
    # 50 % over its share, the line 10 % over the total, so both are kept
    results = {
        ("p", "q"): (_link("p", "q", 100, "source"), _measured(70)),
        ("q", "r"): (_link("q", "r", 100, "source"), _measured(150)),
    }
    bg.check_splits(results, "rail")
    assert all("coords" in m for _, m in results.values())
    # 300 km against 200: a detour, and neither link keeps its measure
    results[("p", "q")] = (results[("p", "q")][0], _measured(150))
    bg.check_splits(results, "rail")
    assert all("coords" not in m and "300 km" in m["reason"] for _, m in results.values())


@pytest.fixture
def broken() -> bg.TrackGraph:
    # the equator line from 0° to 2° E, a node every 0.1°, with the node at 1.1° missing: two
    # pieces of track (0°-1.0° and 1.2°-2.0°) that the graph does not connect, a 0.2° gap
    # (22.2 km, over the 15 km of a short bridge)
    pts = [(0.0, k / 10) for k in range(21) if k != 11]
    edges = [(k, k + 1) for k in range(10)] + [(k, k + 1) for k in range(11, 19)]
    return _graph(pts, edges)


def test_a_line_broken_by_a_gap_is_measured_on_its_pieces_and_bridged(
    broken: bg.TrackGraph,
) -> None:
    nodes = {"a": _node("A", 0, 0), "b": _node("B", 0, 2)}
    link = _link("a", "b", 250)
    assert "coords" not in bg.measure(broken, "rail", link, nodes)  # not one piece of track
    got = bg.measure_link(broken, "rail", link, nodes, None, check_cited=True)
    # by hand: 1.0° + 0.8° on track and a 0.2° straight bridge, 111.19 km per degree
    assert got["method"] == "osm_track_bridged"
    assert got["distance_km"] == pytest.approx(2.0 * KM_PER_DEG, abs=0.2)  # 222.4 km
    assert got["bridged_km"] == pytest.approx(0.2 * KM_PER_DEG, abs=0.1)  # 22.2 km, 10 %
    feature = bg.feature(link, "rail", got)
    assert feature["properties"]["distance_method"] == "osm_track_bridged"
    assert feature["properties"]["bridged_km"] == pytest.approx(22.2, abs=0.1)


def test_a_gap_over_the_stated_share_of_the_link_keeps_the_estimate() -> None:
    # pieces 0°-0.6° and 1.2°-2.0°: a 0.6° gap (66.7 km) is 30 % of the 222 km link
    pts = [(0.0, k / 10) for k in range(21) if not 7 <= k <= 11]
    edges = [(k, k + 1) for k in range(6)] + [(k, k + 1) for k in range(7, 15)]
    tg = _graph(pts, edges)
    nodes = {"a": _node("A", 0, 0), "b": _node("B", 0, 2)}
    got = bg.measure_link(tg, "rail", _link("a", "b", 250), nodes, None, check_cited=True)
    assert "coords" not in got
    assert "67 km of the 222 km path bridge gaps" in got["reason"]
    assert bg.feature(_link("a", "b", 250), "rail", got)["properties"]["distance_method"] == (
        "estimate"
    )


def test_a_bridged_line_that_disagrees_with_a_cited_length_is_refused(
    broken: bg.TrackGraph,
) -> None:
    # 222 km bridged against a cited 300 km: 26 % off, beyond the 25 % tolerance
    nodes = {"a": _node("A", 0, 0), "b": _node("B", 0, 2)}
    cited = _link("a", "b", 300, method="source")
    got = bg.measure_link(broken, "rail", cited, nodes, None, check_cited=True)
    assert "coords" not in got
    assert "where the cited length is 300 km" in got["reason"]
    near = bg.measure_link(
        broken, "rail", _link("a", "b", 230, "source"), nodes, None, check_cited=True
    )
    assert near["method"] == "osm_track_bridged"
