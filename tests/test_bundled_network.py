"""The bundled Eurasian network: coverage, provenance, and the journeys users ask about."""

from __future__ import annotations

import csv
import json
from datetime import date

import networkx as nx
import pytest
from typer.testing import CliRunner

from corridor import compare
from corridor.cli.main import app
from corridor.errors import NoRouteError
from corridor.model import Corridor, Mode, OperationKind, Route, Status
from corridor.network import Network, bundled_data_dir, load_network
from corridor.routing import Constraints, best_route

runner = CliRunner()


def test_size_and_kinds(bundled: Network) -> None:
    assert len(bundled.nodes) >= 150
    with (bundled_data_dir() / "links.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) >= 250
    modes = {lk.mode for lk in bundled.links}
    assert {Mode.RAIL, Mode.FERRY, Mode.SEA} <= modes
    assert any(lk.status is Status.PLANNED for lk in bundled.links)


def test_every_row_traces_to_a_source(bundled: Network) -> None:
    for link in bundled.links:
        assert link.sources, link.key
        assert all(s in bundled.sources for s in link.sources)
    for node in bundled.nodes.values():
        for op in node.operations.values():
            assert op.sources
    estimated = [lk for lk in bundled.links if lk.distance_method == "estimate"]
    assert all("estimate-circuity" in lk.sources for lk in estimated)


@pytest.mark.parametrize(("a", "b"), [("alat", "kars"), ("kars", "alat")])
def test_btk_both_ways_changes_gauge_at_akhalkalaki(bundled: Network, a: str, b: str) -> None:
    r = best_route(bundled, a, b)
    assert "akhalkalaki" in r.nodes
    gauge_changes = [leg.from_id for leg in r.legs if leg.operation is OperationKind.GAUGE_CHANGE]
    assert gauge_changes == ["akhalkalaki"]


def test_planned_nakhchivan_link_depends_on_year(bundled: Network) -> None:
    via = (bundled.node("Nakhchivan").id,)
    r = best_route(bundled, "alat", "kars", constraints=Constraints(via=via, year=2031))
    assert via[0] in r.nodes
    with pytest.raises(NoRouteError):
        best_route(bundled, "alat", "kars", constraints=Constraints(via=via, year=2024))


def test_btk_exists_from_its_opening_year(bundled: Network) -> None:
    """BTK opened in October 2017: before that, Tbilisi reaches Kars only the long way round."""
    after = best_route(bundled, "tbilisi", "kars", constraints=Constraints(year=2018))
    before = best_route(bundled, "tbilisi", "kars", constraints=Constraints(year=2016))
    assert "kartsakhi" in after.nodes
    assert "kartsakhi" not in before.nodes
    assert before.hours > 2 * after.hours


def test_zhezkazgan_beyneu_exists_from_its_opening_year(bundled: Network) -> None:
    """The Zhezkazgan–Beyneu shortcut to the Caspian opened in 2014 (KTZ: about 600 km saved to
    Aktau); before that, China–Aktau trains ran round by Kyzylorda and Kandyagash."""
    after = best_route(bundled, "xian", "aktau", constraints=Constraints(year=2014))
    before = best_route(bundled, "xian", "aktau", constraints=Constraints(year=2013))
    assert "zhezkazgan" in after.nodes
    assert "zhezkazgan" not in before.nodes
    assert 300 < before.distance_km - after.distance_km < 1000


def test_istanbul_xian_offers_three_corridors_and_a_realistic_middle_route() -> None:
    c = compare("Istanbul", "Xi'an", depart="2025-05-10", samples=2000)
    corridors = {o.corridor for o in c.options}
    assert {Corridor.MIDDLE, Corridor.MARITIME} <= corridors
    assert len(corridors) >= 3
    middle = next(o for o in c.options if o.corridor is Corridor.MIDDLE)
    assert "alat" in middle.route.nodes
    # A real Istanbul -> Xi'an train ran via the Caspian in December 2020 (TRT World/AA, by
    # country): 3,200 km in Kazakhstan. Its 8,693 km total is not a usable truth: it gives
    # 2,100 km in China, less than the cited Lanzhou-Urumqi line (1,904 km) plus Urumqi-Khorgos
    # and Xi'an-Lanzhou.
    net = load_network()
    in_kz = sum(
        leg.distance_km
        for leg in middle.route.link_legs
        if net.nodes[leg.from_id].country == net.nodes[leg.to_id].country == "KZ"
    )
    assert in_kz == pytest.approx(3200, rel=0.08)
    # and the Chinese section holds the cited Lanxin line: longer than Lanzhou-Urumqi alone
    in_cn = sum(
        leg.distance_km
        for leg in middle.route.link_legs
        if net.nodes[leg.from_id].country == net.nodes[leg.to_id].country == "CN"
    )
    assert 1904 < in_cn < 1904 * 2


def test_sea_distances_match_the_anchors(bundled: Network) -> None:
    # ~420 km is quoted to Baku; Alat lies south of the Absheron peninsula, which a vessel must
    # round: the great circle is 432 km and the water path about 490-500 km (data/README.md).
    aktau_alat = bundled.by_key[("aktau", "alat", "sea")]
    assert 420 <= aktau_alat.distance_km <= 510
    g = nx.DiGraph()
    for lk in bundled.links:
        if lk.mode is Mode.SEA:
            g.add_edge(lk.from_id, lk.to_id, km=lk.distance_km)
    sea_km = nx.shortest_path_length(g, "shanghai", "rotterdam", weight="km")
    assert sea_km / 1.852 == pytest.approx(10_600, rel=0.03)  # PEMP: 10,600 nm via Suez


def test_avoiding_suez_goes_round_the_cape() -> None:
    def maritime(avoid: list[str]) -> Route:
        # 2019: before the Red Sea diversion, so the liner would take Suez unless avoided
        c = compare(
            "Shanghai", "Rotterdam", depart="2019-03-01", samples=200, avoid=avoid, year=2019
        )
        return next(o.route for o in c.options if o.corridor is Corridor.MARITIME)

    cape = maritime(["Suez"])
    suez = maritime([])
    assert "suez" not in cape.nodes
    assert "cape_good_hope" in cape.nodes
    assert cape.distance_km > suez.distance_km + 4000


def test_winter_caspian_is_slower_for_xian_baku() -> None:
    kw = {"samples": 4000, "seed": 1}
    winter = compare("Xi'an", "Baku", depart=date(2025, 1, 15), **kw)  # type: ignore[arg-type]
    summer = compare("Xi'an", "Baku", depart=date(2025, 7, 15), **kw)  # type: ignore[arg-type]
    w = next(o for o in winter.options if o.corridor is Corridor.MIDDLE)
    s = next(o for o in summer.options if o.corridor is Corridor.MIDDLE)
    assert w.days.p10 <= w.days.p50 <= w.days.p90
    assert w.days.mean > s.days.mean


def test_cli_nodes_and_suggestions() -> None:
    result = runner.invoke(app, ["nodes", "--json"])
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)["nodes"]) >= 150
    result = runner.invoke(app, ["route", "Aktaau", "Baku"])
    assert result.exit_code == 1
    assert "did you mean Aktau" in result.stderr


def test_cli_route_via_nakhchivan() -> None:
    ok = runner.invoke(app, ["route", "Baku", "Kars", "--via", "Nakhchivan", "--year", "2031"])
    assert ok.exit_code == 0, ok.stderr
    no = runner.invoke(app, ["route", "Baku", "Kars", "--via", "Nakhchivan", "--year", "2024"])
    assert no.exit_code == 1
    assert "no route" in no.stderr
