"""The scenario overlay: every kind of edit reaches the network, bases merge, bad names fail."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from corridor.errors import NoRouteError, ScenarioError
from corridor.facade import route
from corridor.model import DepartureRuleKind, OperationKind, Status
from corridor.network import (
    Network,
    apply_scenario,
    load_scenario,
    scenario_from_document,
    scenario_network,
)

FLOW = {"flows": [{"origin": "aa", "destination": "zz", "teu_year": 1000}]}


def _under(tiny: Network, changes: dict[str, Any]) -> Network:
    scenario = scenario_from_document({"name": "t", "demand": FLOW, "changes": changes}, tiny)
    return apply_scenario(tiny, scenario)


def _best(net: Network, **kw: Any) -> tuple[str, ...]:
    return route("aa", "zz", network=net, **kw).routes[0].nodes


def test_service_edit_reaches_the_links(tiny: Network) -> None:
    net = _under(tiny, {"services": {"ferry-pq": {"vessels": 5, "every_h": 24, "weather": "none"}}})
    svc = net.services["ferry-pq"]
    assert svc.vessels == 5
    assert svc.departure.kind is DepartureRuleKind.INTERVAL and svc.departure.every_h == 24
    assert not svc.weather
    ferry = net.by_key[("pp", "qq", "ferry")]
    assert ferry.service is not None and ferry.service.vessels == 5
    # the network it was applied to is untouched
    assert tiny.services["ferry-pq"].vessels == 2
    assert tiny.by_key[("pp", "qq", "ferry")].service.vessels == 2  # type: ignore[union-attr]


def test_node_edits_set_teu_and_trains_per_day(tiny: Network) -> None:
    net = _under(
        tiny,
        {
            "nodes": {
                "Charlie": {"gauge_change": {"capacity_teu_day": 300}},
                "bb": {"border": {"trains_day": 6}},
            }
        },
    )
    gauge = net.nodes["cc"].operations[OperationKind.GAUGE_CHANGE]
    border = net.nodes["bb"].operations[OperationKind.BORDER]
    assert gauge.capacity_teu_day == 300 and gauge.capacity_trains_day is None
    assert border.capacity_trains_day == 6 and border.capacity_teu_day is None
    assert tiny.nodes["bb"].operations[OperationKind.BORDER].capacity_trains_day is None


def test_link_edits_both_directions_or_one(tiny: Network) -> None:
    both = _under(tiny, {"links": [{"from": "aa", "to": "Bravo", "capacity_trains_day": 9}]})
    assert both.by_key[("aa", "bb", "rail")].capacity_trains_day == 9
    assert both.by_key[("bb", "aa", "rail")].capacity_trains_day == 9
    one = _under(
        tiny,
        {"links": [{"from": "aa", "to": "bb", "capacity_trains_day": 9, "both_directions": False}]},
    )
    assert one.by_key[("aa", "bb", "rail")].capacity_trains_day == 9
    assert one.by_key[("bb", "aa", "rail")].capacity_trains_day is None


def test_opening_a_planned_link_changes_the_route(tiny: Network) -> None:
    assert _best(tiny) == ("aa", "bb", "cc", "rr", "zz")
    net = _under(tiny, {"links": [{"from": "cc", "to": "zz", "status": "open"}]})
    assert net.by_key[("cc", "zz", "rail")].is_open(None)
    assert _best(net) == ("aa", "bb", "cc", "zz")


def test_closing_a_link_changes_the_route(tiny: Network) -> None:
    net = _under(tiny, {"links": [{"from": "cc", "to": "rr", "status": "closed"}]})
    assert net.by_key[("rr", "cc", "rail")].status is Status.CLOSED
    assert _best(net) == ("aa", "bb", "cc", "pp", "qq", "zz")


def test_closed_country_and_closed_place_change_the_route(tiny: Network) -> None:
    assert _best(_under(tiny, {"close_countries": ["ru"]})) == ("aa", "bb", "cc", "pp", "qq", "zz")
    assert _best(_under(tiny, {"close_nodes": ["Papa Port"]})) == ("aa", "bb", "cc", "rr", "zz")
    both = _under(tiny, {"close_countries": ["RU"], "close_nodes": ["pp"]})
    with pytest.raises(NoRouteError):
        _best(both)


def test_base_merge_overrides_and_adds(tiny: Network, tmp_path: Path) -> None:
    (tmp_path / "parent.yaml").write_text(
        "name: parent\nyear: 2024\ndays: 90\n"
        "demand: {scale: 2, flows: [{origin: aa, destination: zz, teu_year: 1000}]}\n"
        "changes:\n"
        "  nodes: {cc: {gauge_change: {capacity_teu_day: 300}}}\n"
        "  links: [{from: aa, to: bb, capacity_trains_day: 9}]\n",
        encoding="utf-8",
    )
    (tmp_path / "child.yaml").write_text(
        "name: child\nbase: parent.yaml\nyear: 2030\n"
        "demand: {scale: 3}\n"
        "changes:\n"
        "  nodes: {Charlie: {border: {trains_day: 4}}}\n"
        "  links: [{from: qq, to: zz, capacity_trains_day: 5}]\n"
        "  close_countries: [RU]\n",
        encoding="utf-8",
    )
    sc, net = scenario_network(tmp_path / "child.yaml", tiny)
    assert (sc.name, sc.bases, sc.year, sc.days, sc.scale) == ("child", ("parent",), 2030, 90, 3)
    assert [f.teu_year for f in sc.flows] == [1000]
    ops = net.nodes["cc"].operations
    assert ops[OperationKind.GAUGE_CHANGE].capacity_teu_day == 300  # from the parent
    assert ops[OperationKind.BORDER].capacity_trains_day == 4  # from the child
    assert net.by_key[("aa", "bb", "rail")].capacity_trains_day == 9
    assert net.by_key[("qq", "zz", "rail")].capacity_trains_day == 5
    assert net.by_key[("cc", "rr", "rail")].status is Status.CLOSED


def test_document_with_a_bundled_base(bundled: Network) -> None:
    sc = scenario_from_document(
        {"name": "mine", "base": "wb-2030", "demand": {"scale": 2}}, bundled
    )
    wb = load_scenario("wb-2030", bundled)
    assert sc.bases == ("baseline-2024", "wb-2030")
    assert sc.scale == 2 and sc.flows == wb.flows and sc.year == wb.year


def test_document_base_may_not_name_a_file(bundled: Network, tmp_path: Path) -> None:
    (tmp_path / "x.yaml").write_text("name: x\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"mine: key 'base'.*bundled scenario.*baseline-2024"):
        scenario_from_document({"name": "mine", "base": str(tmp_path / "x.yaml")}, bundled)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"close_nodes": ["Atlantis"]}, r"changes\.close_nodes\.0.*unknown place 'Atlantis'"),
        ({"nodes": {"Alfa": {"terminal": {"capacity_teu_day": 5}}}}, r"Alpha"),
        ({"links": [{"from": "aa", "to": "qq"}]}, r"no rail link aa -> qq"),
        ({"services": {"ferry": {"vessels": 1}}}, r"unknown service 'ferry'.*ferry-pq"),
        ({"close_countries": ["XX"]}, r"no node in country 'XX'"),
        ({"nodes": {"aa": {"port": {"capacity_teu_day": 5}}}}, r"no 'port' operation"),
    ],
)
def test_unknown_names_are_clear(tiny: Network, changes: dict[str, Any], expected: str) -> None:
    with pytest.raises(ScenarioError, match=expected) as info:
        scenario_from_document({"name": "mine", "demand": FLOW, "changes": changes}, tiny)
    assert str(info.value).startswith("mine: key 'changes.")
    assert "\n" not in str(info.value)


def test_unknown_scenario_lists_bundled(tiny: Network) -> None:
    with pytest.raises(ScenarioError, match="new-links-2030"):
        scenario_network("new-links-2031", tiny)


def test_simulation_uses_trains_per_day_from_the_overlay(tiny: Network) -> None:
    from corridor.simulation import build_model

    sc = scenario_from_document(
        {"name": "t", "demand": FLOW, "changes": {"nodes": {"bb": {"border": {"trains_day": 6}}}}},
        tiny,
    )
    model = build_model(sc, tiny)
    border = next(r for r in model.resources if r.id == "bb:border")
    assert (border.capacity, border.capacity_unit) == (6, "trains/day")


def test_service_edit_reaches_the_transit_engine(tiny: Network) -> None:
    from corridor.facade import compare

    def middle_p50(scenario: dict[str, Any] | None) -> float:
        c = compare(
            "aa", "zz", depart="2026-07-01", samples=2000, avoid=["RU"], scenario=scenario,
            network=tiny,
        )  # fmt: skip
        (opt,) = c.options
        return opt.days.p50

    today = middle_p50(None)
    # a sailing every 6 h instead of every 48 h: the mean wait for the ferry drops by ~21 h
    frequent = middle_p50({"name": "f", "changes": {"services": {"ferry-pq": {"every_h": 6}}}})
    assert 0.6 < today - frequent < 1.1
