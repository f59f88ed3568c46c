"""GIS exports: flat attributes, one feature per comparison option, measured rail shapes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from corridor.cli.main import app
from corridor.network import example_network

runner = CliRunner()


def _tiny() -> list[str]:
    from corridor.network import bundled_data_dir

    return ["--network", str(bundled_data_dir() / "examples" / "tiny")]


def _plain(value: object) -> bool:
    """A GIS cell a user can filter on: a number, or text that is not a JSON document."""
    return not (isinstance(value, str) and value[:1] in ("{", "["))


def test_per_option_export_has_one_line_per_option_with_its_figures(tmp_path: Path) -> None:
    out = tmp_path / "options.geojson"
    result = runner.invoke(
        app,
        [*_tiny(), "export", "--from", "Alpha", "--to", "Zulu", "--per-option", "--out", str(out)],
    )
    assert result.exit_code == 0, result.stderr
    features = json.loads(out.read_text(encoding="utf-8"))["features"]
    compare = runner.invoke(
        app, [*_tiny(), "compare", "Alpha", "Zulu", "--json", "--samples", "500"]
    )
    options = json.loads(compare.stdout)["options"]
    assert [f["properties"]["corridor"] for f in features] == [o["corridor"] for o in options]
    for f in features:
        p = f["properties"]
        assert f["geometry"]["type"] == "LineString"
        # the line runs from Alpha (80.0 E, 40.0 N) to Zulu (47.0 E, 40.4 N)
        assert f["geometry"]["coordinates"][0] == [80.0, 40.0]
        assert f["geometry"]["coordinates"][-1] == [47.0, 40.4]
        assert p["days_p10"] <= p["days_p50"] <= p["days_p90"]
        assert p["via"].startswith("Alpha > ") and p["via"].endswith(" > Zulu")
        assert all(_plain(v) for v in p.values()), p


def test_per_option_export_needs_both_places() -> None:
    result = runner.invoke(app, [*_tiny(), "export", "--per-option", "--out", "x.geojson"])
    assert result.exit_code == 2
    assert "--from and --to" in result.stderr


def test_geopackage_attributes_are_flat_columns(tmp_path: Path) -> None:
    pyogrio = pytest.importorskip("pyogrio")
    routes = tmp_path / "routes.gpkg"
    result = runner.invoke(
        app, [*_tiny(), "export", "--from", "Alpha", "--to", "Zulu", "--out", str(routes)]
    )
    assert result.exit_code == 0, result.stderr
    df = pyogrio.read_dataframe(routes, layer="routes")
    assert {"cost_usd_range_low", "cost_usd_range_high", "co2e_kg_wtw", "co2e_kg_ttw"} <= set(
        df.columns
    )
    assert "emission_factor_id" in df.columns
    assert not {"cost_usd_range", "co2e_kg", "emission_factor"} & set(df.columns)
    assert df["co2e_kg_wtw"].dtype.kind == "f"
    for column in df.columns.drop("geometry"):
        assert all(_plain(v) for v in df[column].dropna()), column

    options = tmp_path / "options.gpkg"
    result = runner.invoke(
        app,
        [
            *_tiny(),
            "export",
            "--from",
            "Alpha",
            "--to",
            "Zulu",
            "--per-option",
            "--out",
            str(options),
        ],
    )
    assert result.exit_code == 0, result.stderr
    assert {str(name) for name, _ in pyogrio.list_layers(options)} == {"options"}
    df = pyogrio.read_dataframe(options, layer="options")
    assert df["days_p50"].dtype.kind == "f"
    assert df["cost_usd_expected"].dtype.kind == "f"


def test_geodataframes_have_flat_columns() -> None:
    pytest.importorskip("geopandas")
    import corridor

    net = example_network()
    comparison = corridor.compare("Alpha", "Zulu", network=net, samples=500)
    per_option = comparison.to_geodataframe(per_option=True)
    assert len(per_option) == len(comparison.options)
    assert {"days_p50", "co2e_kg_wtw", "cost_usd_low"} <= set(per_option.columns)
    legs = comparison.to_geodataframe()
    assert "co2e_kg_wtw" in legs.columns and "co2e_kg" not in legs.columns


def test_bundled_network_export_draws_rail_on_measured_track(tmp_path: Path) -> None:
    out = tmp_path / "net.geojson"
    result = runner.invoke(app, ["export", "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    rail = [
        f
        for f in json.loads(out.read_text(encoding="utf-8"))["features"]
        if f["properties"].get("mode") == "rail"
    ]
    shaped = [
        f
        for f in rail
        if f["properties"]["distance_method"] != "estimate"
        and len(f["geometry"]["coordinates"]) > 2
    ]
    assert len(shaped) >= 0.85 * len(rail)
    # every estimate says why OSM does not measure it
    for f in rail:
        if f["properties"]["distance_method"] == "estimate":
            assert f["properties"]["distance_note"], f["properties"]
