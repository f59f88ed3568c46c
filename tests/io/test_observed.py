"""Reading observed journeys: columns, ranges, and one clear error per bad row."""

from __future__ import annotations

from pathlib import Path

import pytest

from corridor.errors import DataError
from corridor.io import parse_observed, read_observed
from corridor.model import Corridor, ServiceClass


def test_ranges_classes_and_corridors() -> None:
    rows = parse_observed(
        "origin,destination,depart,days,service,corridor,label\n"
        "Xi'an,Duisburg,2024-01-15,13,express,northern,fast\n"
        "Xi'an,Constanța,2025-07-01,31-34,,middle,\n"
        "Xi'an,Baku,2025-07-01, 9 – 12 ,Standard,,\n"
    )
    assert [(r.days_min, r.days_max) for r in rows] == [(13, 13), (31, 34), (9, 12)]
    assert [r.service for r in rows] == [
        ServiceClass.EXPRESS,
        ServiceClass.STANDARD,
        ServiceClass.STANDARD,
    ]
    assert [r.corridor for r in rows] == [Corridor.NORTHERN, Corridor.MIDDLE, None]
    assert rows[1].days == 32.5


def test_min_max_columns() -> None:
    (row,) = parse_observed("origin,destination,depart,days_min,days_max\nA,B,2025-01-01,5,7\n")
    assert (row.days_min, row.days_max) == (5, 7)


def test_every_bad_row_is_reported_with_its_field() -> None:
    text = (
        "origin,destination,depart,days,service,corridor\n"
        "Xi'an,Baku,2025-02-30,12,,\n"
        "Xi'an,Baku,2025-02-01,twelve,,\n"
        "Xi'an,Baku,2025-02-01,14-9,,\n"
        "Xi'an,Baku,2025-02-01,12,premium,\n"
        "Xi'an,Baku,2025-02-01,12,,arctic\n"
        ",Baku,2025-02-01,12,,\n"
        "Xi'an,Baku,2025-02-01,12,,,,\n"
        "Xi'an,Baku,2025-02-01,12,,\n"
    )
    with pytest.raises(DataError) as info:
        parse_observed(text, file="obs.csv")
    got = [(p.row, p.field) for p in info.value.problems]
    assert got == [
        (2, "depart"),
        (3, "days"),
        (4, "days"),
        (5, "service"),
        (6, "corridor"),
        (7, "origin"),
        (8, None),
    ]
    for p in info.value.problems:
        assert "\n" not in str(p)
        assert str(p).startswith(f"obs.csv, row {p.row}")


def test_missing_columns_and_empty_files(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"row 1: missing column\(s\) depart, days"):
        parse_observed("origin,destination\nA,B\n")
    with pytest.raises(DataError, match="no journeys"):
        parse_observed("origin,destination,depart,days\n")
    with pytest.raises(DataError, match="file not found"):
        read_observed(tmp_path / "nope.csv")
    bad = tmp_path / "latin1.csv"
    bad.write_bytes("origin,destination,depart,days\nKöln,B,2025-01-01,3\n".encode("latin-1"))
    with pytest.raises(DataError, match="not UTF-8"):
        read_observed(bad)
