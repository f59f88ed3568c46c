"""The tables fit the terminal: at 80 columns every figure a user asked for is printed whole."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from corridor.cli.main import app
from corridor.model import NodeKind
from corridor.network import load_network

runner = CliRunner()
ARGS = ["compare", "Xi'an", "Istanbul", "--samples", "400", "--deadline", "30"]


def _table_rows(text: str) -> dict[str, list[str]]:
    """The body rows of the boxed table, by corridor: their cells as printed."""
    rows = {}
    for line in text.splitlines():
        if line.startswith("│"):
            cells = [c.strip() for c in line.strip("│").split("│")]
            rows[cells[0]] = cells
    return rows


def _header(text: str) -> list[str]:
    line = next(line for line in text.splitlines() if line.startswith("┃"))
    return [c.strip() for c in line.strip("┃").split("┃")]


@pytest.mark.parametrize("columns", [80, 100, 200])
def test_compare_keeps_p50_usd_and_on_time_whole_at_any_width(columns: int) -> None:
    doc = json.loads(runner.invoke(app, [*ARGS, "--json"]).stdout)
    result = runner.invoke(app, ARGS, env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert max(len(line) for line in text.splitlines()) <= columns
    assert "…" not in "".join(line for line in text.splitlines() if line.startswith("│"))
    header = _header(text)
    rows = _table_rows(text)
    assert set(rows) == {o["corridor"] for o in doc["options"]}
    for option in doc["options"]:
        row = dict(zip(header, rows[option["corridor"]], strict=True))
        # the JSON rounds to 2 decimals, the table to 1 (or 0): equal within that rounding
        assert float(row["P50 d"]) == pytest.approx(option["days"]["p50"], abs=0.051)
        assert float(row["USD/FEU"].replace(",", "")) == pytest.approx(
            option["cost_usd"]["expected"], abs=0.51
        )
        on_time = float(row["≤ 30 d"].rstrip("%")) / 100
        assert on_time == pytest.approx(option["on_time_probability"], abs=0.0051)


def test_columns_left_out_at_80_are_printed_under_each_corridor() -> None:
    doc = json.loads(runner.invoke(app, [*ARGS, "--json"]).stdout)
    narrow = runner.invoke(app, ARGS, env={"COLUMNS": "80"}).stdout
    wide = runner.invoke(app, ARGS, env={"COLUMNS": "200"}).stdout
    assert "km" in _header(wide)
    assert "km" not in _header(narrow)
    flat = " ".join(narrow.split())  # wrapped lines joined
    for option in doc["options"]:
        assert f"{option['distance_km']:,.0f} km" in flat


def test_the_maritime_stops_name_the_passages_the_ship_takes() -> None:
    """Suez or the Cape is what sets a sea route apart: the stops line names every passage."""
    net = load_network()
    args = ["compare", "Shanghai", "Rotterdam", "--samples", "200"]
    doc = json.loads(runner.invoke(app, [*args, "--json"]).stdout)
    (sea,) = [o for o in doc["options"] if o["corridor"] == "maritime"]
    passages = [n for n in sea["route"]["nodes"] if net.nodes[n].kind is NodeKind.PASSAGE]
    assert {"suez", "cape_good_hope"} & set(passages)
    text = " ".join(runner.invoke(app, args, env={"COLUMNS": "200"}).stdout.split())
    line = text[text.index(" maritime CN") :]
    for node in passages:
        assert f"> {net.nodes[node].name} >" in line
