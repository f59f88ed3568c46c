"""``--scenario NAME|FILE`` on ``corridor route`` and ``corridor compare``."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from typer.testing import CliRunner

from corridor.cli.main import app
from tests.conftest import TINY_DIR

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_compare_under_a_bundled_scenario_with_via() -> None:
    # Nakhchivan is also reached through Iran (Astara, Tabriz, Julfa); avoiding Iran leaves the
    # planned Horadiz-Aghband line as the only way in, which the scenario opens
    args = ("compare", "Baku", "Kars", "--via", "Nakhchivan", "--avoid", "IR", "--samples", "300")
    code, _, err = run(*args, "--json")
    assert code == 1 and "no route" in err  # the line through Nakhchivan is planned
    code, out, _ = run(*args, "--scenario", "new-links-2030", "--json")
    assert code == 0
    doc = json.loads(out)
    assert doc["scenario"] == "new-links-2030" and doc["year"] == 2030
    assert doc["via"] == ["nakhchivan"]
    assert "horadiz" in doc["options"][0]["route"]["nodes"]
    code, out, _ = run(*args, "--scenario", "new-links-2030")
    assert code == 0 and "scenario: new-links-2030" in out


def test_explicit_year_wins_over_the_scenario() -> None:
    code, _, err = run(
        "route", "Baku", "Kars", "--via", "Nakhchivan", "--scenario", "new-links-2030",
        "--year", "2025", "--json",
    )  # fmt: skip
    assert code == 1 and "no route" in err


def test_scenario_file_closes_a_country(tmp_path: Path) -> None:
    path = tmp_path / "no-russia.yaml"
    path.write_text("name: no-russia\nchanges: {close_countries: [RU]}\n", encoding="utf-8")
    tiny = ["--network", str(TINY_DIR)]
    code, out, _ = run(*tiny, "route", "Alpha", "Zulu", "--json")
    assert code == 0 and "rr" in json.loads(out)["routes"][0]["nodes"]
    code, out, _ = run(*tiny, "route", "Alpha", "Zulu", "--scenario", str(path), "--json")
    assert code == 0
    doc = json.loads(out)
    assert doc["scenario"] == "no-russia"
    assert doc["routes"][0]["nodes"] == ["aa", "bb", "cc", "pp", "qq", "zz"]


def test_unknown_or_invalid_scenario_is_one_line_exit_1(tmp_path: Path) -> None:
    code, _, err = run("compare", "Baku", "Kars", "--scenario", "new-links-2031")
    assert code == 1 and "new-links-2030" in err and err.count("\n") == 1
    bad = tmp_path / "bad.yaml"
    bad.write_text("changes: {close_nodes: [Atlantis]}\n", encoding="utf-8")
    code, _, err = run("route", "Baku", "Kars", "--scenario", str(bad))
    assert code == 1
    assert "bad.yaml: key 'changes.close_nodes.0': unknown place 'Atlantis'" in err
    assert err.count("\n") == 1


def test_closed_origin_says_so_and_a_scenario_without_year_keeps_today(tmp_path: Path) -> None:
    path = tmp_path / "no-az.yaml"
    path.write_text("name: no-az\nchanges: {close_countries: [AZ]}\n", encoding="utf-8")
    code, _, err = run("route", "Baku", "Kars", "--scenario", str(path))
    assert code == 1
    assert err == "error: Baku (Alat port) (alat) is closed in scenario no-az\n"
    code, out, _ = run("route", "Tbilisi", "Kars", "--scenario", str(path), "--json")
    assert code == 0 and json.loads(out)["year"] == date.today().year  # today's, not 2024's
    dated = tmp_path / "dated.yaml"
    dated.write_text("name: dated\nyear: 2030\n", encoding="utf-8")
    code, out, _ = run("route", "Tbilisi", "Kars", "--scenario", str(dated), "--json")
    assert code == 0 and json.loads(out)["year"] == 2030


def test_export_routes_under_a_scenario(tmp_path: Path) -> None:
    out = tmp_path / "r.geojson"
    args = (
        *("export", "--out", str(out), "--from", "Baku", "--to", "Kars"),
        *("--via", "Nakhchivan", "--avoid", "IR"),
    )
    code, _, err = run(*args)
    assert code == 1 and "no route" in err
    code, _, _ = run(*args, "--scenario", "new-links-2030")
    assert code == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    ids = {f["properties"].get("id") for f in doc["features"]}
    assert {"horadiz", "nakhchivan"} <= ids
