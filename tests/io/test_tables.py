"""Loading validates every row and names file, row and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from corridor.errors import DataError
from corridor.network import load_network


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_tiny_copy_loads(tiny_copy: Path) -> None:
    net = load_network(tiny_copy)
    assert len(net.nodes) == 7
    assert len(net.links) == 16  # 8 bidirectional rows


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        (
            "nodes.csv",
            "aa,Alpha,Origin City,CN,40.0",
            "aa,Alpha,Origin City,CN,400.0",
            "nodes.csv, row 2, field 'lat'",
        ),
        ("nodes.csv", "terminal,CNAAA", "termnal,CNAAA", "nodes.csv, row 2, field 'kind'"),
        ("nodes.csv", "1435;1520", "1435;1000", "nodes.csv, row 4, field 'gauges'"),
        (
            "links.csv",
            "aa,bb,rail,1435,1000",
            "aa,bb,rail,1435,-5",
            "links.csv, row 2, field 'distance_km'",
        ),
        ("links.csv", "aa,bb,rail,1435", "aa,bx,rail,1435", "links.csv, row 2, field 'to'"),
        (
            "links.csv",
            ",rail_a,operational,,,,tiny,\nbb",
            ",rail_x,operational,,,,tiny,\nbb",
            "links.csv, row 2, field 'profile'",
        ),
        (
            "links.csv",
            "1000,source,yes,rail_a",
            "1000,source,yes,ferry",
            "links.csv, row 2, field 'profile'",
        ),
        ("links.csv", "aa,bb,rail,1435", "aa,bb,rail,", "links.csv, row 2, field 'gauge'"),
        ("links.csv", "planned,2030", "planned,", "links.csv, row 9, field 'open_year'"),
        ("links.csv", "ferry-pq,tiny", "ferry-xx,tiny", "links.csv, row 5, field 'service'"),
        (
            "links.csv",
            "1000,source,yes,rail_a,operational,,,,tiny,",
            "1000,source,yes,rail_a,operational,,,,tiny,,extra",
            "links.csv, row 2",
        ),
        (
            "operations.csv",
            "aa,terminal,10,10,0,100",
            "aa,terminal,10,5,0,100",
            "operations.csv, row 2, field 'dwell_h_mean'",
        ),
        ("operations.csv", "aa,terminal", "ax,terminal", "operations.csv, row 2, field 'node'"),
        (
            "operations.csv",
            "bb,border,5,5,0,50,,tiny",
            "bb,border,5,5,0,50,,nosuch",
            "operations.csv, row 3, field 'source'",
        ),
        ("sources.csv", ",2026,low,", ",2026,certain,", "sources.csv, row 2, field 'confidence'"),
        (
            "services.yaml",
            "every_h: 48",
            "every_h: -48",
            "services.yaml, field 'services[0].departure.every_h'",
        ),
        (
            "services.yaml",
            "vessels: 2",
            "vessels: 2\n    vesels: 3",
            "services.yaml, field 'services[0].vesels'",
        ),
        ("services.yaml", "links: [[pp, qq]", "links: [[pp, qx]", "unknown node 'qx'"),
        ("services.yaml", "services:", "services: [", "not valid YAML"),
    ],
)
def test_malformed_rows_are_reported_precisely(
    tiny_copy: Path, file: str, old: str, new: str, expected: str
) -> None:
    _edit(tiny_copy / file, old, new)
    with pytest.raises(DataError) as info:
        load_network(tiny_copy)
    assert expected in str(info.value)
    assert "\n" not in str(info.value)


def test_missing_column(tiny_copy: Path) -> None:
    _edit(tiny_copy / "links.csv", "distance_km,", "dist,")
    with pytest.raises(DataError, match=r"links.csv, row 1: missing column\(s\) distance_km"):
        load_network(tiny_copy)


def test_duplicate_link(tiny_copy: Path) -> None:
    path = tiny_copy / "links.csv"
    path.write_text(
        path.read_text() + "bb,aa,rail,1435,900,source,no,rail_a,operational,,,,tiny,\n"
    )
    with pytest.raises(DataError, match="duplicate rail link bb -> aa"):
        load_network(tiny_copy)


def test_missing_file(tiny_copy: Path) -> None:
    (tiny_copy / "profiles.csv").unlink()
    with pytest.raises(DataError, match=r"profiles\.csv: file not found"):
        load_network(tiny_copy)


_LAND = """services:
  - id: west
    mode: rail
    operator: West Rail
    countries: [KZ, AZ]
    frequency_per_week: 2
    estimate: true
    source: [tiny]
    connects: {with: [%s], source: [tiny], estimate: true}
"""


def test_a_land_service_connects_with_a_vessel_service(tiny_copy: Path) -> None:
    (tiny_copy / "land_services.yaml").write_text(_LAND % "ferry-pq", encoding="utf-8")
    net = load_network(tiny_copy)
    assert net.land_services["west"].connects_with == {"ferry-pq"}
    assert not net.land_services["west"].waits_after("ferry-pq")


def test_a_connection_to_an_unknown_service_is_one_line(tiny_copy: Path) -> None:
    (tiny_copy / "land_services.yaml").write_text(_LAND % "ferry-xy", encoding="utf-8")
    with pytest.raises(DataError) as info:
        load_network(tiny_copy)
    msg = str(info.value)
    assert "\n" not in msg
    assert "land_services.yaml" in msg and "services[0].connects" in msg and "ferry-xy" in msg
