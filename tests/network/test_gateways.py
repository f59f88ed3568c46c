"""The gateways that carry real freight: each one sourced, with its operations, and used."""

from __future__ import annotations

import pytest

from corridor.model import Corridor, LegMode, Mode, NodeKind, OperationKind, Status
from corridor.network import Network
from corridor.routing import Constraints, Objective, best_route, choose_options
from corridor.routing.options import main_mode
from corridor.routing.services import service_rides

# Border stations, ports and transfer points added for the missing gateways, with the
# operation each must perform.
GATEWAYS: dict[str, tuple[OperationKind, ...]] = {
    "bandar_abbas": (OperationKind.PORT, OperationKind.BORDER),
    "astara_az": (OperationKind.BORDER,),
    "astara_ir": (OperationKind.BORDER, OperationKind.TRANSFER, OperationKind.GAUGE_CHANGE),
    "rasht": (OperationKind.TRANSFER,),
    "anzali": (OperationKind.PORT, OperationKind.BORDER),
    "amirabad": (OperationKind.PORT, OperationKind.BORDER),
    "makhachkala": (OperationKind.PORT, OperationKind.BORDER),
    "jolfa_ir": (OperationKind.BORDER, OperationKind.GAUGE_CHANGE),
    "julfa": (OperationKind.BORDER,),
    "gdansk": (OperationKind.PORT, OperationKind.BORDER, OperationKind.TERMINAL),
    "mersin": (OperationKind.PORT, OperationKind.BORDER, OperationKind.TERMINAL),
    "piraeus": (OperationKind.PORT, OperationKind.TERMINAL),
    "idomeni": (OperationKind.BORDER,),
    "gevgelija": (OperationKind.BORDER,),
    "tabanovce": (OperationKind.BORDER,),
    "presevo": (OperationKind.BORDER,),
    "zebrzydowice": (OperationKind.BORDER,),
    "petrovice": (OperationKind.BORDER,),
    "zwardon": (OperationKind.BORDER,),
    "skalite": (OperationKind.BORDER,),
    "irkeshtam_cn": (OperationKind.BORDER,),
    "irkeshtam_kg": (OperationKind.BORDER,),
    "dostuk": (OperationKind.BORDER,),
    "dustlik": (OperationKind.BORDER,),
    "torugart_cn": (OperationKind.BORDER,),
    "torugart_road": (OperationKind.BORDER,),
    "khorgos_road": (OperationKind.BORDER,),
    "nur_zholy": (OperationKind.BORDER,),
    "chongqing": (OperationKind.PORT,),
}


@pytest.mark.parametrize("node_id", sorted(GATEWAYS))
def test_every_new_gateway_has_sources_and_its_operations(bundled: Network, node_id: str) -> None:
    node = bundled.nodes[node_id]
    assert node.sources, node_id
    assert all(s in bundled.sources for s in node.sources), node.sources
    for kind in GATEWAYS[node_id]:
        op = node.operation(kind)
        assert op is not None, (node_id, kind)
        assert op.sources and all(s in bundled.sources for s in op.sources), (node_id, kind)
        assert op.note, (node_id, kind)  # says what happens there, on which side, who runs it
    if node.kind is NodeKind.BORDER:
        # a border station sits next to a frontier: one of its links leads abroad
        assert any(
            bundled.nodes[lk.to_id].country != node.country for lk in bundled.outgoing[node_id]
        ), node_id


def test_new_and_planned_links_carry_their_year(bundled: Network) -> None:
    years = {
        frozenset(k): (lk.status, lk.open_year)
        for lk in bundled.links
        for k in [(lk.from_id, lk.to_id, lk.mode.value)]
    }
    assert years[frozenset({"astara_az", "astara_ir", "rail"})] == (Status.OPERATIONAL, 2018)
    assert years[frozenset({"astara_ir", "rasht", "rail"})] == (Status.PLANNED, 2029)
    assert years[frozenset({"horadiz", "aghband", "rail"})] == (Status.PLANNED, 2026)
    assert years[frozenset({"kars", "igdir", "rail"})] == (Status.PLANNED, 2029)
    assert years[frozenset({"zwardon", "skalite", "rail"})] == (Status.OPERATIONAL, 1999)
    assert years[frozenset({"chongqing", "shanghai", "river"})] == (Status.OPERATIONAL, 2019)


def _maritime(net: Network, a: str, b: str, year: int | None = None) -> list[str]:
    cons = Constraints(corridor=Corridor.MARITIME, year=year)
    return list(best_route(net, a, b, constraints=cons).nodes)


def test_xian_to_tehran_by_sea_lands_at_bandar_abbas(bundled: Network) -> None:
    nodes = _maritime(bundled, "xian", "tehran")
    assert "bandar_abbas" in nodes
    assert nodes.index("bandar_abbas") < nodes.index("bafq") < nodes.index("tehran")


def test_baku_to_tehran_crosses_at_astara_and_trucks_the_gap_until_the_railway(
    bundled: Network,
) -> None:
    now = best_route(bundled, "alat", "tehran", constraints=Constraints(year=2026))
    assert now.nodes[1:4] == ("astara_az", "astara_ir", "rasht")
    modes = {(x.from_id, x.to_id): x.mode for x in now.link_legs}
    assert modes[("astara_ir", "rasht")] is LegMode.ROAD  # 162 km not built yet
    later = best_route(bundled, "alat", "tehran", constraints=Constraints(year=2030))
    assert {(x.from_id, x.to_id): x.mode for x in later.link_legs}[
        ("astara_ir", "rasht")
    ] is LegMode.RAIL


def test_baku_to_moscow_overland_by_the_west_caspian_shore(bundled: Network) -> None:
    r = best_route(
        bundled, "alat", "moscow", constraints=Constraints(corridor=Corridor.NORTH_SOUTH)
    )
    assert {"yalama", "samur", "makhachkala"} <= set(r.nodes)
    assert r.corridor is Corridor.NORTH_SOUTH


def test_chongqing_to_shanghai_cheapest_by_the_yangtze(bundled: Network) -> None:
    r = best_route(bundled, "chongqing", "shanghai", objective=Objective.COST)
    assert r.nodes == ("chongqing", "shanghai")
    assert [x.mode for x in r.link_legs] == [LegMode.RIVER]


def test_xian_to_belgrade_by_sea_and_rail_through_piraeus_when_suez_is_open(
    bundled: Network,
) -> None:
    nodes = _maritime(bundled, "xian", "belgrade", year=2023)
    assert nodes[nodes.index("piraeus") :][:3] == ["piraeus", "thessaloniki", "idomeni"]


def test_kashgar_to_tashkent_by_truck_over_irkeshtam(bundled: Network) -> None:
    r = best_route(bundled, "kashgar", "tashkent")
    assert {"irkeshtam_cn", "irkeshtam_kg", "osh"} <= set(r.nodes)
    assert {x.mode for x in r.link_legs} == {LegMode.ROAD}
    assert r.distance_km == pytest.approx(920, abs=1)  # Kabar 2018: 920 km
    assert r.distance_km < 1_200


def test_poland_reaches_czechia_and_slovakia_directly(bundled: Network) -> None:
    assert "zebrzydowice" in best_route(bundled, "warsaw", "vienna").nodes
    assert "berlin" not in best_route(bundled, "gdansk", "prague").nodes
    assert "zwardon" in best_route(bundled, "katowice", "zilina").nodes


def test_baku_reaches_nakhchivan_through_iran_and_julfa(bundled: Network) -> None:
    r = best_route(bundled, "alat", "nakhchivan", constraints=Constraints(year=2026))
    assert r.nodes[-3:] == ("jolfa_ir", "julfa", "nakhchivan")


@pytest.mark.parametrize(
    ("a", "b"),
    [("xian", "tehran"), ("xian", "belgrade"), ("qingdao", "alat"), ("urumqi", "istanbul")],
)
def test_no_box_leaves_a_train_for_a_truck_where_the_railway_runs(
    bundled: Network, a: str, b: str
) -> None:
    """Trucks carry boxes to or from the ends of a route, or across a gap in the railway
    (Astara-Rasht); never rail, truck, rail where a rail line joins the two places."""
    for corridor in (None, Corridor.NORTHERN, Corridor.MIDDLE, Corridor.SOUTHERN):
        try:
            r = best_route(bundled, a, b, constraints=Constraints(corridor=corridor))
        except Exception:
            continue
        modes = [x.mode for x in r.link_legs]
        inner = [
            (x.from_id, x.to_id)
            for i, x in enumerate(r.link_legs)
            if x.mode is LegMode.ROAD
            and any(m is not LegMode.ROAD for m in modes[:i])
            and any(m is not LegMode.ROAD for m in modes[i + 1 :])
        ]
        for end_a, end_b in inner:
            rail = [
                lk for lk in bundled.outgoing[end_a] if lk.to_id == end_b and lk.mode is Mode.RAIL
            ]
            assert rail and not any(lk.is_open(None) for lk in rail), (a, b, r.nodes)


def test_kuryk_to_baku_crosses_on_the_kuryk_ferry(bundled: Network) -> None:
    """The sourced ferry (about two sailings a day, Kuryk -> Baku 18-22 h) beats the rail loop
    through Russia (over 2,000 km) and the rail detour to the Aktau feeder."""
    choice = choose_options(bundled, "kuryk", "alat")
    middle = choice.route_of(Corridor.MIDDLE)
    assert middle is not None
    assert middle.nodes == ("kuryk", "alat")
    (crossing,) = middle.link_legs
    assert crossing.service is not None
    assert crossing.service.id == "caspian-ferry-kuryk-alat"
    assert crossing.service.departure.mean_wait_h() == pytest.approx(6)  # every 12 h
    assert middle.distance_km < 500


def test_chongqing_to_shanghai_shows_the_barge_beside_the_train(bundled: Network) -> None:
    """By default, not only with --optimize cost: the barge is cheaper, the train faster, so
    neither beats the other and each main mode gets its row."""
    routes = choose_options(bundled, "chongqing", "shanghai").routes
    by_mode = {main_mode(r): r for r in routes if r.corridor is Corridor.DIRECT}
    assert set(by_mode) == {Mode.RAIL, Mode.RIVER}
    river, rail = by_mode[Mode.RIVER], by_mode[Mode.RAIL]
    assert river.nodes == ("chongqing", "shanghai")
    assert river.cost_usd < rail.cost_usd and river.hours > rail.hours
    assert river.link_legs[0].service is not None
    assert river.link_legs[0].service.id == "yangtze-direct-express"


def test_russian_iranian_caspian_sailings_wait_for_a_departure(bundled: Network) -> None:
    """A box reaching Makhachkala waits for a sailing to Anzali (when full, at most a week:
    84 h on average), not sailing the moment it arrives (Azerbaijan avoided: by land through
    Astara is faster)."""
    r = best_route(
        bundled, "makhachkala", "anzali", constraints=Constraints(avoid_countries=frozenset({"AZ"}))
    )
    (ride,) = [x for x in service_rides(r) if x.service.mode is Mode.SEA]
    assert ride.service.id == "caspian-feeder-makhachkala-iran"
    assert ride.wait_h == pytest.approx(168 / 2)
