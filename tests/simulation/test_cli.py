"""``corridor simulate`` and ``corridor scenarios`` through typer's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from corridor.cli.simulate import register
from tests.conftest import TINY_DIR
from tests.simulation.conftest import DATA, write_scenario


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    from corridor.cli.main import app as main_app

    names = {c.name for c in main_app.registered_commands}
    if "simulate" not in names:
        register(main_app)
    return main_app


runner = CliRunner()
TINY = ["--network", str(TINY_DIR)]
CONTRACT = {
    "scenario",
    "days",
    "seed",
    "arrived_teu",
    "delivered_teu",
    "in_system_teu",
    "transit_days",
    "resources",
    "bottlenecks",
}


def test_simulate_json_contract(app: typer.Typer) -> None:
    res = runner.invoke(
        app, [*TINY, "simulate", str(DATA / "tiny-capacity.yaml"), "--days", "40", "--json"]
    )
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert set(doc) == CONTRACT
    assert doc["days"] == 40 and doc["seed"] == 1
    assert doc["arrived_teu"] == doc["delivered_teu"] + doc["in_system_teu"]
    assert set(doc["transit_days"]) == {"p50", "p90"}
    for r in doc["resources"]:
        assert set(r) == {
            "id",
            "kind",
            "utilization",
            "mean_wait_h",
            "p90_wait_h",
            "max_queue_teu",
            "throughput_teu",
        }
    ids = {r["id"] for r in doc["resources"]}
    assert set(doc["bottlenecks"]) <= ids


def test_simulate_human_output_and_out_dir(app: typer.Typer, tmp_path: Path) -> None:
    out = tmp_path / "results"
    res = runner.invoke(
        app,
        [*TINY, "simulate", str(DATA / "tiny-capacity.yaml"), "--days", "30", "--out", str(out)],
    )
    assert res.exit_code == 0, res.output
    assert "delivered" in res.stdout
    for name in (
        "result.json",
        "queues.parquet",
        "system.parquet",
        "transit.parquet",
        "resources.parquet",
        "queues.png",
        "utilization.png",
        "transit.png",
    ):
        assert (out / name).stat().st_size > 0, name
    import pyarrow.parquet as pq

    queues = pq.read_table(out / "queues.parquet")
    assert queues.column_names == ["day", "resource", "kind", "queue_teu"]


def test_compare_to(app: typer.Typer, tmp_path: Path) -> None:
    more = write_scenario(
        tmp_path,
        f"base: {DATA / 'tiny-capacity.yaml'}\n"
        "changes:\n  services: {ferry-pq: {vessels: 4}}\n",
        "more-ships.yaml",
    )
    args = [*TINY, "simulate", str(more), "--days", "40", "--compare-to"]
    res = runner.invoke(app, [*args, str(DATA / "tiny-capacity.yaml"), "--json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["compare_to"]["scenario"] == "tiny-capacity"
    rows = {(d["resource"], d["quantity"]): d for d in doc["differences"]}
    assert rows[("ferry-pq:pp>qq", "mean_wait_h")]["change"] < 0
    human = runner.invoke(app, [*args, str(DATA / "tiny-capacity.yaml")])
    assert human.exit_code == 0
    assert "compared with" in human.stdout


def test_scenarios_listing(app: typer.Typer) -> None:
    res = runner.invoke(app, ["scenarios", "--json"])
    assert res.exit_code == 0
    names = {s["name"] for s in json.loads(res.stdout)["scenarios"]}
    assert {"baseline-2024", "surge-2022", "wb-2030", "new-links-2030"} <= names
    human = runner.invoke(app, ["scenarios"])
    assert "baseline-2024" in human.stdout


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("demand:\n  flows: [{origin: atlantis, destination: zz, teu_year: 5}]\n", "atlantis"),
        ("demand:\n  flows: [{origin: aa, destination: zz, teu_year: -5}]\n", "teu_year"),
        ("speed: 3\n", "unknown key 'speed'"),
    ],
)
def test_domain_errors_exit_1(app: typer.Typer, tmp_path: Path, text: str, expected: str) -> None:
    path = write_scenario(tmp_path, text)
    res = runner.invoke(app, [*TINY, "simulate", str(path), "--json"])
    assert res.exit_code == 1
    assert res.stdout == ""
    assert res.stderr.startswith("error: ") and expected in res.stderr
    assert "Traceback" not in res.stderr


def test_missing_scenario_exit_1(app: typer.Typer) -> None:
    res = runner.invoke(app, [*TINY, "simulate", "no-such-scenario"])
    assert res.exit_code == 1
    assert "not found" in res.stderr


def test_usage_error_exit_2(app: typer.Typer) -> None:
    res = runner.invoke(app, ["simulate", "baseline-2024", "--days", "0"])
    assert res.exit_code == 2


def test_run_too_short_to_deliver_says_so(app: typer.Typer) -> None:
    """A run that ends before any container arrives prints a hint, not 'P50 nan d'."""
    res = runner.invoke(app, [*TINY, "simulate", str(DATA / "tiny-capacity.yaml"), "--days", "1"])
    assert res.exit_code == 0, res.output
    assert "nan" not in res.stdout
    assert "no container delivered yet" in res.stdout


def test_simulate_equilibrium_json_adds_the_equilibrium(app: typer.Typer) -> None:
    res = runner.invoke(
        app,
        [*TINY, "simulate", str(DATA / "tiny-two-corridors.yaml"), "--equilibrium", "--json"],
    )
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert set(doc) == CONTRACT | {"equilibrium", "steady_state"}
    eq = doc["equilibrium"]
    assert {"iterations", "gap", "converged", "shares", "diverted_teu"} <= set(eq)
    assert set(eq["shares"]) == {"middle", "north-south"}
    assert sum(eq["shares"].values()) == pytest.approx(1.0, abs=1e-3)
    # the middle port alone cannot take the demand (8 > 6 TEU/day): boxes go north
    assert eq["diverted_teu"] > 0
    human = runner.invoke(
        app, [*TINY, "simulate", str(DATA / "tiny-two-corridors.yaml"), "--equilibrium"]
    )
    assert human.exit_code == 0, human.output
    assert "equilibrium:" in human.stdout and "diverted" in human.stdout
