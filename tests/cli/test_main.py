"""The ``corridor`` command: JSON contracts and every error path (exit codes 0/1/2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from corridor.cli.main import app
from tests.conftest import GOLDEN, TINY_DIR

runner = CliRunner()
TINY = ["--network", str(TINY_DIR)]


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, [*TINY, *args])
    return result.exit_code, result.stdout, result.stderr


def test_route_json_golden() -> None:
    code, out, _ = run("route", "Alpha", "Zulu", "--optimize", "cost", "--json")
    assert code == 0
    doc = json.loads(out)
    assert doc == json.loads((GOLDEN / "route_tiny_cost.json").read_text(encoding="utf-8"))
    route = doc["routes"][0]
    assert set(route) >= {
        "corridor",
        "nodes",
        "legs",
        "distance_km",
        "hours",
        "cost_usd",
        "co2_kg",
        "borders",
        "transshipments",
    }


def test_compare_json_is_reproducible_and_pure() -> None:
    args = (
        "compare",
        "alpha",
        "zulu",
        "--depart",
        "2025-01-15",
        "--samples",
        "500",
        "--seed",
        "3",
        "--json",
    )
    code1, out1, err1 = run(*args)
    code2, out2, _ = run(*args)
    assert code1 == code2 == 0
    assert out1 == out2
    doc = json.loads(out1)
    assert [o["corridor"] for o in doc["options"]] == ["northern", "middle"]
    leg = doc["options"][1]["route"]["legs"][0]
    assert set(leg["hours"]) == {"mean", "p90"}
    assert err1 == ""


def test_compare_human_output_shows_where_the_days_go(tmp_path: Path) -> None:
    png = tmp_path / "d.png"
    code, out, _ = run(
        "compare",
        "alpha",
        "zulu",
        "--depart",
        "2025-01-15",
        "--samples",
        "300",
        "--deadline",
        "7.5",
        "--plot",
        str(png),
    )
    assert code == 0
    assert "where the days go" in out
    assert "≤ 7.5 d" in out
    assert png.exists()


def test_nodes_json_and_search() -> None:
    code, out, _ = run("nodes", "--json")
    assert code == 0
    nodes = json.loads(out)["nodes"]
    assert len(nodes) == 7
    assert set(nodes[0]) >= {"id", "name", "aliases", "country", "lat", "lon", "kind"}
    code, out, _ = run("nodes", "--search", "port")
    assert code == 0
    assert "Papa Port" in out


def test_export_network_and_route(tmp_path: Path) -> None:
    out = tmp_path / "net.geojson"
    code, _, _ = run("export", "--out", str(out))
    assert code == 0
    doc = json.loads(out.read_text())
    assert doc["type"] == "FeatureCollection"
    kinds = {f["geometry"]["type"] for f in doc["features"]}
    assert kinds == {"Point", "LineString"}
    route_out = tmp_path / "route.geojson"
    code, _, _ = run("export", "--from", "alpha", "--to", "zulu", "--out", str(route_out))
    assert code == 0
    feats = json.loads(route_out.read_text())["features"]
    assert {f["properties"]["corridor"] for f in feats} == {"northern"}


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("route", "Alpha", "Zuluu"), 1, "did you mean Zulu?"),
        (("compare", "Alpah", "Zulu"), 1, "did you mean Alpha?"),
        (("route", "Alpha", "Zulu", "--avoid", "pp", "--avoid", "rr"), 1, "no route from Alpha"),
        (("route", "Alpha", "Zulu", "--avoid", "Nowhere"), 1, "unknown place 'Nowhere'"),
        (("route", "Alpha", "Alpha"), 1, "same place"),
        (("route", "Alpha", "Zulu", "--via", "Zzz"), 1, "unknown place"),
        (("nodes", "--search", "qwerty"), 1, "no place matches"),
        (("compare", "Alpha", "Zulu", "--depart", "2025-13-01"), 2, "not a date"),
        (("compare", "Alpha", "Zulu", "--samples", "0"), 2, "--samples"),
        (("route", "Alpha", "Zulu", "--optimize", "fastest"), 2, "--optimize"),
        (("route", "Alpha"), 2, "Missing argument"),
        (("export", "--from", "Alpha", "--out", "x.geojson"), 2, "both --from and --to"),
    ],
)
def test_error_paths(args: tuple[str, ...], code: int, message: str) -> None:
    result = runner.invoke(app, [*TINY, *args])
    assert result.exit_code == code
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    if code == 1:
        assert result.stderr.startswith("error: ")
        assert result.stderr.count("\n") == 1
        assert result.stdout == ""


def test_unwritable_export(tmp_path: Path) -> None:
    code, _, err = run("export", "--out", str(tmp_path / "missing" / "x.geojson"))
    assert code == 1
    assert "cannot write" in err


def test_broken_network_folder(tmp_path: Path) -> None:
    result = runner.invoke(app, ["--network", str(tmp_path), "nodes"])
    assert result.exit_code == 1
    assert "sources.csv: file not found" in result.stderr
