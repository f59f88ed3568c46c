"""Links measured on OSM track (``link_geometry.geojson``) override estimates, not cited lengths."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from corridor.errors import DataError
from corridor.io import network_geojson
from corridor.network import load_network

OSM_SOURCE = "osm,OSM rail graph (test),,2024,medium,measured\n"


def _measure(a: str, b: str, **props: Any) -> dict[str, Any]:
    coords = props.pop("coords", None)
    return {
        "type": "Feature",
        "properties": {"from": a, "to": b, "mode": "rail", **props},
        "geometry": {"type": "LineString", "coordinates": coords} if coords else None,
    }


def _write(folder: Path, *features: dict[str, Any]) -> None:
    doc = {"type": "FeatureCollection", "features": list(features)}
    (folder / "link_geometry.geojson").write_text(json.dumps(doc), encoding="utf-8")
    with (folder / "sources.csv").open("a", encoding="utf-8") as f:
        f.write(OSM_SOURCE)


def _make_estimates(folder: Path) -> None:
    links = folder / "links.csv"
    text = links.read_text(encoding="utf-8")
    text = text.replace("aa,bb,rail,1435,1000,source", "aa,bb,rail,1435,1000,estimate")
    text = text.replace("cc,rr,rail,1520,3000,source", "cc,rr,rail,1520,3000,estimate")
    links.write_text(text, encoding="utf-8")


ZIGZAG = [[80.0, 40.0], [80.6, 42.0], [80.5, 44.0]]


def test_measured_length_replaces_an_estimate_both_ways(tiny_copy: Path) -> None:
    _make_estimates(tiny_copy)
    _write(
        tiny_copy,
        _measure(
            "aa",
            "bb",
            distance_method="osm",
            distance_km=470.5,
            snap_from_km=0.4,
            snap_to_km=1.0,
            source="osm",
            coords=ZIGZAG,
        ),
    )
    net = load_network(tiny_copy)
    there, back = net.by_key[("aa", "bb", "rail")], net.by_key[("bb", "aa", "rail")]
    assert (there.distance_km, there.distance_method) == (470.5, "osm")
    assert (back.distance_km, back.distance_method) == (470.5, "osm")
    assert there.sources[0] == "osm"
    assert net.geometries[("aa", "bb", "rail")] == ZIGZAG
    assert net.geometries[("bb", "aa", "rail")] == ZIGZAG[::-1]
    # the map and the export draw the polyline, not a straight line
    doc = network_geojson(net.nodes, net.links, net.geometries)
    line = next(
        f
        for f in doc["features"]
        if f["properties"].get("from") in ("aa", "bb") and f["properties"].get("to") in ("aa", "bb")
    )
    assert len(line["geometry"]["coordinates"]) == 3
    assert line["properties"]["distance_method"] == "osm"


def test_a_bridged_measure_keeps_its_method_and_bridged_km_in_the_export(
    tiny_copy: Path,
) -> None:
    _make_estimates(tiny_copy)
    _write(
        tiny_copy,
        _measure(
            "aa",
            "bb",
            distance_method="osm_track_bridged",
            distance_km=470.5,
            snap_from_km=0.4,
            snap_to_km=1.0,
            bridged_km=41.0,
            source="osm",
            coords=ZIGZAG,
        ),
    )
    net = load_network(tiny_copy)
    for key in (("aa", "bb", "rail"), ("bb", "aa", "rail")):
        link = net.by_key[key]
        assert (link.distance_km, link.distance_method, link.bridged_km) == (
            470.5,
            "osm_track_bridged",
            41.0,
        )
    doc = network_geojson(net.nodes, net.links, net.geometries)
    props = [f["properties"] for f in doc["features"] if f["geometry"]["type"] == "LineString"]
    line = next(p for p in props if {p["from"], p["to"]} == {"aa", "bb"})
    assert (line["distance_method"], line["bridged_km"]) == ("osm_track_bridged", 41.0)
    # a link measured without gaps has no bridged length
    other = next(p for p in props if {p["from"], p["to"]} != {"aa", "bb"})
    assert other["bridged_km"] is None


def test_a_cited_length_stays_and_gets_the_polyline(tiny_copy: Path) -> None:
    _write(
        tiny_copy,
        _measure(
            "aa",
            "bb",
            distance_method="osm",
            distance_km=470.5,
            snap_from_km=0.4,
            snap_to_km=1.0,
            source="osm",
            coords=ZIGZAG,
        ),
    )
    link = load_network(tiny_copy).by_key[("aa", "bb", "rail")]
    assert (link.distance_km, link.distance_method) == (1000, "source")


def test_an_unmeasured_link_keeps_its_estimate_with_the_reason(tiny_copy: Path) -> None:
    _make_estimates(tiny_copy)
    reason = "no rail track of the OSM graph within 25 km of Romeo"
    _write(tiny_copy, _measure("cc", "rr", distance_method="estimate", reason=reason))
    net = load_network(tiny_copy)
    link = net.by_key[("rr", "cc", "rail")]
    assert (link.distance_km, link.distance_method, link.distance_note) == (
        3000,
        "estimate",
        reason,
    )


@pytest.mark.parametrize(
    ("props", "message"),
    [
        ({"distance_method": "estimate"}, "an estimate needs a reason"),
        ({"distance_method": "guess", "reason": "x"}, "is not osm, osm_track_bridged or estimate"),
        (
            {
                "distance_method": "osm",
                "distance_km": 5,
                "snap_from_km": 0,
                "snap_to_km": 0,
                "source": "nowhere",
                "coords": ZIGZAG,
            },
            "unknown source 'nowhere'",
        ),
        (
            {"distance_method": "osm", "distance_km": 5, "snap_from_km": 0, "snap_to_km": 0},
            "needs a LineString",
        ),
    ],
)
def test_a_malformed_measure_names_file_and_feature(
    tiny_copy: Path, props: dict[str, Any], message: str
) -> None:
    _write(tiny_copy, _measure("aa", "bb", **props))
    with pytest.raises(DataError) as err:
        load_network(tiny_copy)
    assert "link_geometry.geojson" in str(err.value)
    assert "row 1" in str(err.value)
    assert message in str(err.value)


def test_a_track_through_an_avoided_country_is_left_out(tiny_copy: Path) -> None:
    import corridor

    # the Charlie-Papa line (both ends in KZ) is said to run through Georgia on OSM track
    _write(
        tiny_copy,
        _measure(
            "cc",
            "pp",
            distance_method="osm",
            distance_km=2000,
            snap_from_km=0.1,
            snap_to_km=0.1,
            source="osm",
            through="GE",
            coords=[[80.6, 44.1], [60.0, 44.0], [51.2, 43.6]],
        ),
    )
    net = load_network(tiny_copy)
    assert net.by_key[("pp", "cc", "rail")].through == frozenset({"GE"})
    free = corridor.compare("Alpha", "Zulu", network=net, samples=200)
    assert any("pp" in o.route.nodes for o in free.options)
    avoiding = corridor.compare("Alpha", "Zulu", network=net, samples=200, avoid=["GE"])
    assert avoiding.options
    assert all("pp" not in o.route.nodes for o in avoiding.options)
