"""The ``corridor`` command: JSON contracts and every error path (exit codes 0/1/2)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from corridor.cli.main import app
from tests.conftest import TINY_DIR

runner = CliRunner()
TINY = ["--network", str(TINY_DIR)]


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, [*TINY, *args])
    return result.exit_code, result.stdout, result.stderr


def test_route_json_by_hand() -> None:
    """The cheapest route on the tiny network, worked by hand from its files (every cv is 0).

    Middle, aa > bb > cc > pp > qq > zz: rail 1,000 + 10 km at 50 km/h and 2,000 + 100 km at 40
    km/h, 1 USD/FEU-km, 10 g/TEU-km; a 400 km ferry at 20 km/h, 2 USD/FEU-km, 50 g/TEU-km, that
    sails every 48 h (a mean wait of 24 h) and in January is held with probability 0.5 for a mean
    20 h (0.83 h over the year). The northern route through rr costs 5,850 USD.
    """
    code, out, _ = run("route", "Alpha", "Zulu", "--optimize", "cost", "--json")
    assert code == 0
    doc = json.loads(out)
    # without --year the route is planned and priced in this year, as compare is
    assert doc["year"] == doc["routes"][0]["price_year"] == date.today().year
    assert (doc["origin"], doc["destination"]) == (
        {"id": "aa", "name": "Alpha"},
        {"id": "zz", "name": "Zulu"},
    )
    route = doc["routes"][0]
    assert len(doc["routes"]) == 1
    assert route["nodes"] == ["aa", "bb", "cc", "pp", "qq", "zz"]
    assert route["distance_km"] == 1000 + 10 + 2000 + 400 + 100
    # rail 3,110 + ferry 800 + terminals 100 + 30 + borders 50 + 50 + gauge change 40
    # + ports 60 + 60
    assert route["cost_usd"] == 4300
    # terminals 10 + 8, borders 5 + 5 (the gauge change at cc runs alongside), ports 12 + 12,
    # rail 20 + 0.2 + 50 + 2.5, ferry 20 + 24 + 10 / 12
    assert route["hours"] == pytest.approx(18 + 10 + 24 + 72.7 + 20 + 24 + 10 / 12, abs=0.01)
    # 2 TEU per FEU: rail 10 g x 2 x 3,110 km + ferry 50 g x 2 x 400 km
    assert route["co2_kg"] == pytest.approx((10 * 2 * 3110 + 50 * 2 * 400) / 1000)
    assert (route["borders"], route["transshipments"]) == (2, 3)  # bb, cc; cc gauge, pp, qq
    hours = [(leg["from"], leg["to"], leg["hours"]) for leg in route["legs"]]
    assert hours == [
        ("aa", "aa", 10.0),
        ("aa", "bb", 20.0),
        ("bb", "bb", 5.0),
        ("bb", "cc", 0.2),
        ("cc", "cc", 5.0),
        ("cc", "cc", 0.0),
        ("cc", "pp", 50.0),
        ("pp", "pp", 12.0),
        ("pp", "qq", pytest.approx(20 + 24 + 10 / 12, abs=0.01)),
        ("qq", "qq", 12.0),
        ("qq", "zz", 2.5),
        ("zz", "zz", 8.0),
    ]
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
    assert [o["corridor"] for o in doc["options"]] == ["north-south", "middle"]
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
    code, out, _ = run("nodes", "--search", "papa")
    assert code == 0
    assert out.lstrip().startswith("1 place ")  # singular


def test_nodes_search_is_containment_not_fuzzy() -> None:
    code, out, _ = run("nodes", "--search", "Zul", "--json")
    assert code == 0
    assert [n["id"] for n in json.loads(out)["nodes"]] == ["zz"]
    # a misspelling lists nothing, and the error suggests the close name instead
    result = runner.invoke(app, [*TINY, "nodes", "--search", "Zuluu"])
    assert result.exit_code == 1
    assert "did you mean Zulu?" in result.stderr


def test_version() -> None:
    from corridor import __version__

    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"corridor {__version__}"


def test_help_shows_readable_value_names() -> None:
    import typer

    commands = sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]
    assert {"route", "compare", "export", "simulate", "sweep", "nodes"} <= set(commands)
    for command in commands:
        result = runner.invoke(app, [command, "--help"], env={"COLUMNS": "160"})
        assert result.exit_code == 0, command
        assert "<list[" not in result.stdout, command
        assert "range>" not in result.stdout, command
    route_help = runner.invoke(app, ["route", "--help"], env={"COLUMNS": "160"}).stdout
    assert "time|cost|co2|generalized" in route_help
    assert "--install-completion" in runner.invoke(app, ["--help"]).stdout


def test_cli_choices_match_the_routing_engine() -> None:
    from corridor.cli.main import OBJECTIVES, VALUE_OF_TIME_USD_PER_H
    from corridor.routing import DEFAULT_VALUE_OF_TIME_USD_PER_H, Objective

    assert set(OBJECTIVES) == {o.value for o in Objective}
    from corridor.cli.eta import CORRIDOR_NAMES
    from corridor.model import Corridor

    assert set(CORRIDOR_NAMES) == {c.value for c in Corridor}
    assert VALUE_OF_TIME_USD_PER_H == DEFAULT_VALUE_OF_TIME_USD_PER_H


def test_building_the_cli_imports_no_engine() -> None:
    """``corridor --help`` must not pay for numpy, pandas, networkx or pydantic."""
    import subprocess
    import sys

    code = (
        "import sys, typer\n"
        "from corridor.cli.main import app\n"
        "typer.main.get_command(app)\n"
        "heavy = {'numpy', 'pandas', 'networkx', 'pydantic', 'numba', 'yaml', 'matplotlib'}\n"
        "loaded = {m.split('.')[0] for m in sys.modules}\n"
        "model = sorted(m for m in sys.modules if m.startswith('corridor.model'))\n"
        "print(sorted(heavy & loaded) + model)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_route_human_output_keeps_each_route_on_one_line() -> None:
    code, out, _ = run("route", "Alpha", "Zulu", "--alternatives", "2")
    assert code == 0
    lines = [ln for ln in out.splitlines() if "Alpha >" in ln]
    assert len(lines) == 2
    assert all(ln.rstrip().endswith("Zulu") for ln in lines)
    code, out, _ = run("route", "Alpha", "Zulu", "--pareto")
    assert code == 0
    assert "Pareto front" in out
    assert "optimised for time" not in out


def test_csv_tables() -> None:
    import csv
    import io

    code, out, _ = run("nodes", "--csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 7
    assert {"id", "name", "country", "lat", "lon"} <= set(rows[0])
    code, out, _ = run("route", "Alpha", "Zulu", "--alternatives", "2", "--csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["rank"] for r in rows] == ["1", "2"]
    assert rows[0]["nodes"].startswith("aa;") and rows[0]["nodes"].endswith(";zz")
    code, out, _ = run(
        "compare", "alpha", "zulu", "--depart", "2025-01-15", "--samples", "300", "--csv"
    )
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["corridor"] for r in rows] == ["north-south", "middle"]
    assert float(rows[0]["p10_days"]) <= float(rows[0]["p50_days"]) <= float(rows[0]["p90_days"])


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
    assert {f["properties"]["corridor"] for f in feats} == {"north-south"}


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("route", "Alpha", "Zuluu"), 1, "did you mean Zulu?"),
        (("compare", "Alpah", "Zulu"), 1, "did you mean Alpha?"),
        (("route", "Alpha", "Zulu", "--avoid", "pp", "--avoid", "rr"), 1, "no route from Alpha"),
        (("route", "Alpha", "Zulu", "--avoid", "Nowhere"), 1, "unknown country or place 'Nowhere'"),
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


def test_export_geopackage_has_a_point_and_a_line_layer(tmp_path: Path) -> None:
    pyogrio = pytest.importorskip("pyogrio")
    out = tmp_path / "net.gpkg"
    result = runner.invoke(app, [*TINY, "export", "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    assert out.read_bytes()[:16] == b"SQLite format 3\x00"  # a GeoPackage is an SQLite database
    layers = {str(name): str(kind) for name, kind in pyogrio.list_layers(out)}
    assert layers == {"nodes": "Point", "links": "LineString"}
    info = pyogrio.read_info(out, layer="nodes")
    assert info["features"] == 7
    assert info["crs"] == "EPSG:4326"
    meta, _, geometry, fields = pyogrio.raw.read(out, layer="nodes")
    names = list(meta["fields"])
    row = names.index("id")
    ids = list(fields[row])
    alpha = ids.index("aa")
    assert fields[names.index("name")][alpha] == "Alpha"
    # the point is where the node is (lon 80, lat 40), read back through GDAL
    import struct

    assert struct.unpack("<dd", bytes(geometry[alpha])[5:21]) == (80.0, 40.0)
    links = pyogrio.read_info(out, layer="links")
    assert links["features"] > 0
    assert "distance_km" in list(links["fields"])

    routes = tmp_path / "routes.gpkg"
    result = runner.invoke(
        app, [*TINY, "export", "--from", "alpha", "--to", "zulu", "--out", str(routes)]
    )
    assert result.exit_code == 0, result.stderr
    assert {name for name, _ in pyogrio.list_layers(routes)} == {"nodes", "routes"}
    assert "route legs" in result.stderr

    fgb = tmp_path / "net.fgb"
    result = runner.invoke(app, [*TINY, "export", "--out", str(fgb)])
    assert result.exit_code == 0, result.stderr
    assert pyogrio.read_info(tmp_path / "net-nodes.fgb")["features"] == 7


def test_export_refuses_an_unknown_format(tmp_path: Path) -> None:
    result = runner.invoke(app, [*TINY, "export", "--out", str(tmp_path / "net.shp")])
    assert result.exit_code == 2
    assert ".gpkg" in result.stderr
    assert not (tmp_path / "net.shp").exists()


def test_unwritable_export(tmp_path: Path) -> None:
    code, _, err = run("export", "--out", str(tmp_path / "missing" / "x.geojson"))
    assert code == 1
    assert "cannot write" in err


def test_broken_network_folder(tmp_path: Path) -> None:
    result = runner.invoke(app, ["--network", str(tmp_path), "nodes"])
    assert result.exit_code == 1
    assert "sources.csv: file not found" in result.stderr


def test_avoid_by_country_name_is_echoed_and_respected() -> None:
    result = runner.invoke(
        app,
        ["compare", "Xi'an", "Istanbul", "--avoid", "Russia", "--samples", "200", "--json"],
    )
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["avoid"] == ["RU"]
    assert doc["options"]
    for option in doc["options"]:
        assert "moscow" not in option["route"]["nodes"]
        assert option["corridor"] != "northern"
    unknown = runner.invoke(app, ["compare", "Xi'an", "Istanbul", "--avoid", "XX"])
    assert unknown.exit_code == 1
    assert "unknown country or place 'XX'" in unknown.stderr
    assert "Traceback" not in unknown.stderr


def test_container_and_cargo_options_of_route_and_compare() -> None:
    code, out, _ = run("route", "Alpha", "Zulu", "--container", "20", "--json")
    assert code == 0
    doc = json.loads(out)
    assert doc["container"] == 20
    assert doc["routes"][0]["container"] == 20
    _, out40, _ = run("route", "Alpha", "Zulu", "--json")
    assert json.loads(out40)["routes"][0]["cost_usd"] > doc["routes"][0]["cost_usd"]
    code, out, _ = run(
        "compare", "Alpha", "Zulu", "--samples", "200", "--container", "20", "--json"
    )
    assert code == 0
    opt = json.loads(out)["options"][0]
    assert opt["container"] == 20
    assert opt["cost_usd"]["low"] <= opt["cost_usd"]["expected"] <= opt["cost_usd"]["high"]
    assert opt["co2e_kg"]["wtw"] >= opt["co2e_kg"]["ttw"]
    code, _, err = run("route", "Alpha", "Zulu", "--container", "30")
    assert code == 2 and "30" in err
    code, _, err = run("route", "Alpha", "Zulu", "--container", "20", "--cargo-t", "40")
    assert code == 1 and err.startswith("error: cargo mass") and "\n" not in err.strip()


def test_emissions_report_files(tmp_path: Path) -> None:
    for ext in ("csv", "json", "html"):
        out = tmp_path / f"report.{ext}"
        code, _, err = run("emissions", "Alpha", "Zulu", "--out", str(out))
        assert code == 0, err
        assert out.exists() and out.stat().st_size > 100
        assert "WTW" in err and "TTW" in err
    doc = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert doc["chains"][0]["elements"]
    header = (tmp_path / "report.csv").read_text(encoding="utf-8").splitlines()[0]
    assert "wtw_kg" in header and "ttw_kg" in header and "factor_id" in header
    one = tmp_path / "one.json"
    code, _, err = run(
        "emissions", "Alpha", "Zulu", "--out", str(one), "--service", "express",
        "--corridor", doc["chains"][0]["corridor"], "--container", "20",
    )  # fmt: skip
    assert code == 0, err
    single = json.loads(one.read_text(encoding="utf-8"))
    assert len(single["chains"]) == 1 and single["container"] == 20


def test_emissions_bad_input(tmp_path: Path) -> None:
    code, _, err = run("emissions", "Alpha", "Zulu", "--out", str(tmp_path / "r.xlsx"))
    assert code == 2 and ".csv" in err
    code, _, err = run("emissions", "Alpha", "Nowhere", "--out", str(tmp_path / "r.csv"))
    assert code == 1 and err.startswith("error:")
    code, _, err = run("emissions", "Alpha", "Zulu", "--out", str(tmp_path / "no" / "r.csv"))
    assert code == 1 and "cannot write" in err


def test_compare_without_year_uses_the_departure_year_for_route_and_prices() -> None:
    """The domain review's case: a June 2019 departure Shanghai → Rotterdam sails through Suez
    (the Red Sea diversion began in December 2023) and is priced at 2019 rates."""
    result = runner.invoke(
        app,
        [
            "compare",
            "Shanghai",
            "Rotterdam",
            "--depart",
            "2019-06-01",
            "--samples",
            "200",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["year"] == 2019
    assert doc["price_year"] == 2019
    sea = next(o for o in doc["options"] if o["corridor"] == "maritime")
    assert "suez" in sea["route"]["nodes"]
    assert "cape_good_hope" not in sea["route"]["nodes"]


def test_usage_errors_are_one_line_from_the_installed_entry_point() -> None:
    """The ``corridor`` script reports a usage error as one ``error:`` line and exit code 2."""
    import subprocess
    import sys

    cases = {
        ("compare", "xian"): "Missing argument 'DESTINATION'",
        ("compare", "xian", "baku", "--samples", "abc"): "'--samples'",
        ("compare", "xian", "baku", "--bogus"): "--bogus",
        ("no-such-command",): "no-such-command",
    }
    for args, what in cases.items():
        res = subprocess.run(
            [sys.executable, "-m", "corridor", *args], capture_output=True, text=True, check=False
        )
        assert res.returncode == 2, args
        lines = res.stderr.strip().splitlines()
        assert len(lines) == 1, res.stderr
        assert lines[0].startswith("error: ") and what in lines[0], lines[0]
        assert "-h'" in lines[0]
        assert res.stdout == ""


def test_a_via_at_an_end_is_refused() -> None:
    for args in (("--via", "Alpha"), ("--via", "Zulu")):
        code, out, err = run("route", "Alpha", "Zulu", *args)
        assert code == 1
        assert out == ""
        assert "must lie between the origin and the destination" in err
        assert len(err.strip().splitlines()) == 1
