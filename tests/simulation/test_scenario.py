"""Scenario files: the bundled ones load, bad ones fail with a clear one-line error."""

from __future__ import annotations

from pathlib import Path

import pytest

from corridor.errors import ScenarioError
from corridor.network import Network
from corridor.simulation import bundled_scenarios, load_scenario
from tests.simulation.conftest import DATA, write_scenario

GOOD = """
name: ok
year: 2024
demand:
  flows:
    - {origin: aa, destination: zz, teu_year: 1000}
"""


def test_bundled_scenarios_listed() -> None:
    assert {"baseline-2024", "surge-2022", "wb-2030", "new-links-2030"} <= set(bundled_scenarios())


@pytest.mark.parametrize("name", ["baseline-2024", "surge-2022", "wb-2030", "new-links-2030"])
def test_bundled_scenarios_load(bundled: Network, name: str) -> None:
    sc = load_scenario(name, bundled)
    assert sc.name == name
    assert sc.flows and all(f.teu_year > 0 for f in sc.flows)
    assert abs(sum(sc.seasonality) / 12 - 1) < 1e-9


def test_base_chain_merges(bundled: Network) -> None:
    wb = load_scenario("wb-2030", bundled)
    base = load_scenario("baseline-2024", bundled)
    assert wb.bases == ("baseline-2024",)
    assert wb.flows == base.flows
    assert wb.scale > 5 and wb.year == 2030
    new = load_scenario("new-links-2030", bundled)
    assert new.scale == wb.scale and new.network_year == 2030
    assert abs(new.teu_year - wb.teu_year) / wb.teu_year < 1e-3


def test_names_resolve_to_ids(tiny: Network, tmp_path: Path) -> None:
    path = write_scenario(
        tmp_path, GOOD.replace("origin: aa", "origin: Origin City").replace("zz", "Zulú Terminal")
    )
    sc = load_scenario(path, tiny)
    assert (sc.flows[0].origin, sc.flows[0].destination) == ("aa", "zz")


def test_return_flow_expanded(tiny: Network, tmp_path: Path) -> None:
    text = GOOD.replace("teu_year: 1000}", "teu_year: 1000, return_teu_year: 300}")
    sc = load_scenario(write_scenario(tmp_path, text), tiny)
    assert [(f.origin, f.destination, f.teu_year) for f in sc.flows] == [
        ("aa", "zz", 1000),
        ("zz", "aa", 300),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (GOOD.replace("origin: aa", "origin: atlantis"), "unknown place 'atlantis'"),
        (GOOD + "changes:\n  nodes: {pp: {port: {capacity_teu_day: -5}}}\n", "greater than 0"),
        (GOOD + "flavour: vanilla\n", "unknown key 'flavour'; valid keys here: name"),
        (GOOD.replace("teu_year: 1000", "teu_year: 1000, colour: red"), "unknown key"),
        (GOOD + "changes:\n  services: {nope: {vessels: 3}}\n", "unknown service 'nope'"),
        (GOOD + "changes:\n  services: {ferry-pq: {vessels: 0}}\n", "greater than or equal"),
        (GOOD + "changes:\n  nodes: {aa: {port: {capacity_teu_day: 5}}}\n", "no 'port' operation"),
        (GOOD + "changes:\n  links: [{from: aa, to: zz}]\n", "no rail link aa -> zz"),
        (GOOD + "changes:\n  close_countries: [XY]\n", "no node in country 'XY'"),
        (GOOD.replace("year: 2024", "year: [2024"), "not valid YAML"),
        (GOOD.replace("year: 2024", "year: 1492"), "key 'year'"),
        ("- just\n- a list\n", "expected a mapping"),
    ],
)
def test_bad_scenarios(tiny: Network, tmp_path: Path, text: str, expected: str) -> None:
    path = write_scenario(tmp_path, text)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path, tiny)
    message = str(info.value)
    assert expected in message
    assert "scn.yaml" in message
    assert "\n" not in message


def test_unknown_key_nested_lists_valid_keys(tiny: Network, tmp_path: Path) -> None:
    text = GOOD + "changes:\n  services: {ferry-pq: {fleet: 3}}\n"
    with pytest.raises(ScenarioError, match=r"changes\.services\.ferry-pq\.fleet.*vessels"):
        load_scenario(write_scenario(tmp_path, text), tiny)


def test_missing_scenario_lists_bundled(tiny: Network) -> None:
    with pytest.raises(ScenarioError, match="baseline-2024"):
        load_scenario("no-such-scenario", tiny)


def test_base_loop_detected(tiny: Network, tmp_path: Path) -> None:
    write_scenario(tmp_path, GOOD + "base: b.yaml\n", "a.yaml")
    write_scenario(tmp_path, GOOD + "base: a.yaml\n", "b.yaml")
    with pytest.raises(ScenarioError, match="loop"):
        load_scenario(tmp_path / "a.yaml", tiny)


def test_error_in_base_names_base_file(tiny: Network, tmp_path: Path) -> None:
    write_scenario(tmp_path, GOOD.replace("origin: aa", "origin: atlantis"), "parent.yaml")
    write_scenario(tmp_path, "base: parent.yaml\nyear: 2025\n", "child.yaml")
    with pytest.raises(ScenarioError, match=r"parent\.yaml"):
        load_scenario(tmp_path / "child.yaml", tiny)


def test_test_data_scenario_loads(tiny: Network) -> None:
    sc = load_scenario(DATA / "tiny-capacity.yaml", tiny)
    assert sc.train_teu == 50
