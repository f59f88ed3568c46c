"""``corridor validate`` on the command line: table, JSON, CSV and one line per bad row."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from corridor.cli.main import app
from tests.conftest import TINY_DIR

runner = CliRunner()
TINY = ["--network", str(TINY_DIR)]


def _file(tmp_path: Path, body: str) -> str:
    path = tmp_path / "seen.csv"
    path.write_text("label,origin,destination,depart,days\n" + body, encoding="utf-8")
    return str(path)


def test_table_json_and_csv(tmp_path: Path) -> None:
    path = _file(tmp_path, "one,Alpha,Zulu,2025-03-03,6\ntwo,Alpha,Zulu,2025-03-03,60\n")
    result = runner.invoke(app, [*TINY, "validate", path, "--json"])
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["summary"]["journeys"] == 2
    far = doc["journeys"][1]
    assert far["inside"] is False and far["bias_days"] < 0
    table = runner.invoke(app, [*TINY, "validate", path])
    assert table.exit_code == 0
    assert "coverage" in table.stdout and "two" in table.stdout
    csv_out = runner.invoke(app, [*TINY, "validate", path, "--csv"])
    assert csv_out.stdout.splitlines()[0].startswith("row,label,origin,destination,depart")
    assert len(csv_out.stdout.splitlines()) == 3


def test_bad_rows_give_one_line_each_and_exit_1(tmp_path: Path) -> None:
    path = _file(tmp_path, "a,Alpha,Zulu,2025-02-30,6\nb,Alpha,Zulu,2025-03-03,soon\n")
    result = runner.invoke(app, [*TINY, "validate", path])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert lines == [
        "error: seen.csv, row 2, field 'depart': '2025-02-30' is not a date YYYY-MM-DD",
        "error: seen.csv, row 3, field 'days': 'soon' is not a number of days or a range "
        "like 13-16",
    ]
    assert result.stdout == ""
    missing = runner.invoke(app, [*TINY, "validate", str(tmp_path / "none.csv")])
    assert missing.exit_code == 1
    assert "file not found" in missing.stderr
    place = runner.invoke(
        app, [*TINY, "validate", _file(tmp_path, "x,Alpha,Nowhere,2025-03-03,6\n")]
    )
    assert place.exit_code == 1
    assert "row 2, field 'destination': unknown place 'Nowhere'" in place.stderr
    # unknown places of good rows are reported together with the malformed rows, by row
    mixed = _file(tmp_path, "a,Alpha,Zulu,2025-02-30,6\nb,Atlantis,Zulu,2025-03-03,6\n")
    both = runner.invoke(app, [*TINY, "validate", mixed])
    lines = both.stderr.strip().splitlines()
    assert [line.split(":")[1].strip() for line in lines] == [
        "seen.csv, row 2, field 'depart'",
        "seen.csv, row 3, field 'origin'",
    ]
