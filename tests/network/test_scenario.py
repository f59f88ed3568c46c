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
    scenario_document,
    scenario_from_document,
    scenario_network,
)
from corridor.routing import Constraints, best_route
from corridor.routing.services import service_rides

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


def _train(countries: list[str], **extra: Any) -> dict[str, Any]:
    return {
        "operator": "Rail Co",
        "countries": countries,
        "frequency_per_week": 2,  # every 84 h: a box changing onto it waits 42 h on average
        "estimate": True,
        "source": ["tiny"],
        **extra,
    }


def test_a_scenario_adds_the_trains_of_its_links(tiny: Network) -> None:
    """Hand-worked on the tiny network (see tests/routing/test_services.py): overland by Romeo
    166.7 h plus 42 h waiting at Charlie for ``west``; by the ferry 168.7 h plus 42 h at Quebec,
    unless ``west`` is timed to the ferry."""
    july_overland = Constraints(month=7, via=("rr",))
    net = _under(
        tiny, {"land_services": {"east": _train(["CN", "KZ"]), "west": _train(["KZ", "RU", "AZ"])}}
    )
    assert set(net.land_services) == {"east", "west"}
    assert best_route(net, "aa", "zz", constraints=july_overland).hours == pytest.approx(208.7)
    assert best_route(net, "aa", "zz", constraints=Constraints(month=7)).hours == (
        pytest.approx(208.7)
    )
    timed = _train(
        ["KZ", "RU", "AZ"], connects={"with": ["ferry-pq"], "source": ["tiny"], "estimate": True}
    )
    net = _under(tiny, {"land_services": {"east": _train(["CN", "KZ"]), "west": timed}})
    assert best_route(net, "aa", "zz", constraints=Constraints(month=7)).hours == (
        pytest.approx(168.7)
    )


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        (_train(["XX"]), r"land_services\.west\.countries': no node in country 'XX'"),
        (_train(["KZ"], source=["nowhere"]), r"unknown source id 'nowhere'"),
        (
            _train(["KZ"], connects={"with": ["ferry-xy"], "source": ["tiny"], "estimate": True}),
            r"connects\.with': 'ferry-xy' is not another service",
        ),
        (_train(["KZ"], weekdays=[1]), r"give either frequency_per_week or weekdays"),
        (_train(["KZ"], weekdays=[7], frequency_per_week=None), r"weekdays are 0 \(Monday\)"),
        ({"countries": ["KZ"], "frequency_per_week": 1}, r"land_services\.west\.operator"),
    ],
)
def test_bad_land_services_are_one_line(
    tiny: Network, entry: dict[str, Any], expected: str
) -> None:
    doc = {"name": "mine", "demand": FLOW, "changes": {"land_services": {"west": entry}}}
    with pytest.raises(ScenarioError, match=expected) as info:
        scenario_from_document(doc, tiny)
    assert str(info.value).startswith("mine: key 'changes.land_services.west")
    assert "\n" not in str(info.value)


def test_the_new_links_scenario_runs_trains_over_the_nakhchivan_line(bundled: Network) -> None:
    """With Iran avoided, Xi'an-Istanbul via Nakhchivan crosses the Caspian and takes the
    Horadiz-Aghband-Meghri-Ordubad line: one planned through service from Alat, not the
    generic weekly train of each national network (3.5 d at Meghri and again at Ordubad)."""
    name, doc = scenario_document("new-links-2030", bundled)
    c = Constraints(year=2030, via=("nakhchivan",), avoid_countries=frozenset({"IR"}))
    with_trains = apply_scenario(bundled, scenario_from_document(doc, bundled, name=name))
    r = best_route(with_trains, "xian", "istanbul", constraints=c)
    assert {"aghband", "meghri", "ordubad"} <= set(r.nodes)
    rides = service_rides(r)
    assert not any(x.service.generic for x in rides)
    assert [x.service.id for x in rides if x.from_id == "alat"] == ["zangezur-rail"]
    doc["changes"].pop("land_services")
    without = apply_scenario(bundled, scenario_from_document(doc, bundled, name=name))
    assert best_route(without, "xian", "istanbul", constraints=c).hours > r.hours + 72
