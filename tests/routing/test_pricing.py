"""Cost per container from segment tariffs: hand-checked legs, ranges, sizes, surcharges."""

from __future__ import annotations

import csv
import json
from dataclasses import replace

import pytest

from corridor.errors import ModelError
from corridor.model import (
    Band,
    Corridor,
    LegMode,
    OperationKind,
    Rate,
    RateComponent,
    RateUnit,
    Route,
)
from corridor.network import Network, bundled_data_dir
from corridor.routing import Constraints, best_route, price_route
from corridor.routing.lanes import leg_network, sea_lane

VIA_DOSTYK = Constraints(corridor=Corridor.NORTHERN, via=("dostyk",))
PAIRS = [
    ("xian", "duisburg"),
    ("xian", "istanbul"),
    ("shanghai", "rotterdam"),
    ("almaty", "poti"),
    ("alat", "kars"),
    ("chongqing", "moscow"),
]


@pytest.fixture(scope="module")
def routes(bundled: Network) -> list[Route]:
    return [best_route(bundled, a, b) for a, b in PAIRS]


def _rail_legs(route: Route, network: str) -> list[int]:
    return [
        i
        for i, leg in enumerate(route.legs)
        if leg.mode is LegMode.RAIL and leg_network(leg) == network and leg.distance_km > 50
    ]


def test_totals_are_the_sum_of_the_items_in_the_json(bundled: Network, routes: list[Route]) -> None:
    for r in routes:
        doc = price_route(r, bundled, year=2025).to_dict()
        sums = {"low": 0.0, "expected": 0.0, "high": 0.0}
        for leg in doc["legs"]:
            leg_sum = {"low": 0.0, "expected": 0.0, "high": 0.0}
            for item in leg["cost_breakdown"]:
                assert item["usd"]["low"] <= item["usd"]["expected"] <= item["usd"]["high"]
                if item.get("included_in_rate"):
                    continue
                for k in leg_sum:
                    leg_sum[k] += item["usd"][k]
            for k in sums:
                sums[k] += leg_sum[k]
            assert leg["cost_usd"] == pytest.approx(leg_sum["expected"], abs=0.02)
        for k, total in sums.items():
            assert doc["cost_usd_range"][k] == pytest.approx(total, abs=0.5)
        assert doc["cost_usd"] == pytest.approx(sums["expected"], abs=0.5)


def test_a_kazakh_leg_at_the_ktz_rate_and_a_turkish_one_at_tcdd(bundled: Network) -> None:
    middle = Constraints(corridor=Corridor.MIDDLE)
    # 2024: the uniform rate's own years (later years scale it: tests/routing/test_prices_by_date)
    r = price_route(
        best_route(bundled, "almaty", "istanbul", constraints=middle), bundled, year=2024
    )
    kz = _rail_legs(r, "KZ")
    assert kz
    for i in kz:
        leg = r.legs[i]
        rail = next(it for it in leg.cost_items if it.item.startswith("rail"))
        assert rail.rate_id == "rail-ktz-tm-ir"
        # uniform 2023 container rate: 0.24 USD per FEU-km
        assert rail.usd.expected == pytest.approx(0.24 * leg.distance_km, rel=1e-9)
    tr = _rail_legs(r, "TR")
    assert tr
    for i in tr:
        leg = r.legs[i]
        rail = next(it for it in leg.cost_items if it.rate_id == "rail-tcdd")
        # 0.23 EUR per 40-ft-km at 1.08 USD/EUR
        assert rail.usd.expected == pytest.approx(0.23 * 1.08 * leg.distance_km, rel=1e-9)


def test_erai_prices_the_kz_ru_by_transit_and_covers_the_dostyk_transshipment(
    bundled: Network,
) -> None:
    # 2024: the year ERAI was measured (other years scale it: tests/routing/test_prices_by_date)
    r = price_route(
        best_route(bundled, "xian", "duisburg", constraints=VIA_DOSTYK), bundled, year=2024
    )
    assert r.corridor.value == "northern"
    for net in ("KZ", "RU", "BY"):
        for i in _rail_legs(r, net):
            leg = r.legs[i]
            rail = next(it for it in leg.cost_items if it.item.startswith("rail"))
            assert rail.rate_id == "rail-erai"
            # 3,289 USD/FEU over 5,430 km
            assert rail.usd.expected == pytest.approx(3289 / 5430 * leg.distance_km, rel=2e-3)
    gauge = [leg for leg in r.legs if leg.operation is OperationKind.GAUGE_CHANGE]
    by_node = {leg.from_id: leg.cost_usd for leg in gauge}
    assert by_node[r.nodes[r.nodes.index("dostyk")]] == 0.0
    assert by_node["malaszewicze"] > 0.0
    # The middle corridor pays for the transshipment at the Chinese border.
    m = price_route(best_route(bundled, "xian", "aktau"), bundled, year=2025)
    assert any(leg.operation is OperationKind.GAUGE_CHANGE and leg.cost_usd > 0 for leg in m.legs)


def test_northern_rail_xian_duisburg_is_priced_at_market_level(bundled: Network) -> None:
    """The Xi'an trains' path (Alashankou/Dostyk, KZ-RU-BY) in single-digit thousands."""
    r = price_route(
        best_route(bundled, "xian", "duisburg", constraints=VIA_DOSTYK), bundled, year=2025
    )
    band = r.cost_band
    assert 1_000 <= band.low <= band.expected <= band.high
    assert 5_000 <= band.expected < 10_000


def test_a_hand_made_tariff_book_prices_a_tiny_rail_leg(tiny: Network) -> None:
    from corridor.model import TariffBook

    rate = Rate(
        id="test-rail",
        component=RateComponent.RAIL,
        applies_to=("*",),
        unit=RateUnit.USD_PER_CONTAINER_KM,
        feu=Band(low=0.4, expected=0.5, high=0.6),
        teu=Band(low=0.2, expected=0.3, high=0.35),
        sources=("tiny",),
    )
    net = replace(tiny, tariffs=TariffBook(rates=(rate,)))
    r = best_route(net, "aa", "zz")
    rail = [i for i, leg in enumerate(r.legs) if leg.mode is LegMode.RAIL]
    p40 = price_route(r, net, container_ft=40)
    p20 = price_route(r, net, container_ft=20)
    for i in rail:
        km = r.legs[i].distance_km
        assert p40.legs[i].cost_band == Band(low=0.4 * km, expected=0.5 * km, high=0.6 * km)
        assert p20.legs[i].cost_usd == pytest.approx(0.3 * km)


def test_a_20ft_box_costs_less_than_a_40ft_one(bundled: Network, routes: list[Route]) -> None:
    for r in routes:
        p20 = price_route(r, bundled, container_ft=20, year=2025)
        p40 = price_route(r, bundled, container_ft=40, year=2025)
        assert p20.cost_usd < p40.cost_usd, r.nodes
        assert p20.cost_band.low < p40.cost_band.low
        assert p20.cost_band.high < p40.cost_band.high
        # Rail emissions follow the cargo mass (10 t vs 20 t), sea the TEUs.
        assert p20.co2e_kg[0] < p40.co2e_kg[0]


def test_sea_freight_follows_the_year_and_shows_contained_surcharges(bundled: Network) -> None:
    all_sea = Constraints(corridor=Corridor.MARITIME, via=("english_channel",))
    sea_route = best_route(bundled, "shanghai", "rotterdam", constraints=all_sea)
    by_year = {y: price_route(sea_route, bundled, year=y) for y in (2021, 2023, 2024, 2025)}
    assert by_year[2021].cost_usd > by_year[2024].cost_usd > by_year[2023].cost_usd

    def items(r: Route) -> dict[str, bool]:
        return {it.item: it.included for leg in r.legs for it in leg.cost_items}

    assert items(by_year[2024]).get("Red Sea surcharge") is True
    assert "Red Sea surcharge" not in items(by_year[2023])
    assert items(by_year[2025]).get("EU ETS surcharge") is True
    assert "EU ETS surcharge" not in items(by_year[2023])
    assert lane_of(bundled, sea_route) == "asia-north_europe"


def _sea_freight(route: Route) -> tuple[float, set[str], set[str]]:
    """Expected sea freight of a priced route, its rate ids, and the contained surcharges."""
    usd, ids, contained = 0.0, set(), set()
    for leg in route.legs:
        for it in leg.cost_items:
            if it.item.startswith("sea freight"):
                usd += it.usd.expected
                ids.add(it.rate_id)
            elif it.included:
                contained.add(it.item)
    return usd, ids, contained


@pytest.mark.parametrize("year", [2019, 2021, 2025])
def test_europe_to_asia_is_the_cheaper_backhaul(bundled: Network, year: int) -> None:
    """Shanghai -> Rotterdam is the headhaul; the same voyage back is priced on the backhaul
    series (a flagged estimate), which is lower in every year of the index."""
    liner = Constraints(corridor=Corridor.MARITIME, year=year)
    west = price_route(best_route(bundled, "shanghai", "rotterdam", constraints=liner), bundled)
    east = price_route(best_route(bundled, "rotterdam", "shanghai", constraints=liner), bundled)
    w_usd, w_ids, _ = _sea_freight(west)
    e_usd, e_ids, e_contained = _sea_freight(east)
    assert w_ids == {f"sea-ane-{year}"}
    assert e_ids == {f"sea-nea-{year}"}
    assert e_usd < w_usd
    assert east.cost_usd < west.cost_usd
    # the carriers' Red Sea surcharges were for Asia -> Europe cargo
    assert "Red Sea surcharge" not in e_contained
    assert all(it.estimate for leg in east.legs for it in leg.cost_items if it.rate_id in e_ids)


def test_backhaul_from_the_black_sea_scales_the_north_europe_backhaul(bundled: Network) -> None:
    sea = Constraints(corridor=Corridor.MARITIME, year=2025)
    east = price_route(best_route(bundled, "poti", "shanghai", constraints=sea), bundled)
    west = price_route(best_route(bundled, "shanghai", "poti", constraints=sea), bundled)
    (e_id,) = _sea_freight(east)[1]
    assert e_id == "sea-nea-2025*lane-ratio-med-backhaul"
    assert _sea_freight(east)[0] < _sea_freight(west)[0]


def lane_of(net: Network, route: Route) -> str:
    sea = [leg for leg in route.legs if leg.mode is LegMode.SEA]
    return sea_lane(net.nodes[sea[0].from_id].country, net.nodes[sea[-1].to_id].country)


def test_express_adds_the_premium_to_rail_routes_only(bundled: Network) -> None:
    r = best_route(bundled, "xian", "duisburg", constraints=VIA_DOSTYK)
    std = price_route(r, bundled, year=2025)
    exp = price_route(r, bundled, year=2025, service="express")
    assert exp.cost_usd - std.cost_usd == pytest.approx(1750.0)
    short = best_route(bundled, "alat", "kars")  # a Caucasus block train, not China-Europe
    assert price_route(short, bundled, service="express").cost_usd == pytest.approx(
        price_route(short, bundled).cost_usd
    )


def test_no_express_premium_on_rail_to_a_deep_sea_port(bundled: Network) -> None:
    """Xi'an -> Istanbul by sea is rail to Zhengzhou and on to the port, then a liner: a sea
    product, not the China-Europe express block train the premium is for. A domestic rail
    route (no frontier) is no such train either."""
    sea = best_route(
        bundled, "xian", "istanbul", constraints=Constraints(corridor=Corridor.MARITIME)
    )
    assert any(leg.mode is LegMode.RAIL for leg in sea.legs)
    std = price_route(sea, bundled, year=2025)
    exp = price_route(sea, bundled, year=2025, service="express")
    assert exp.cost_usd == pytest.approx(std.cost_usd)
    assert not any(it.item == "express premium" for leg in exp.legs for it in leg.cost_items)
    home = best_route(bundled, "xian", "lanzhou")
    assert price_route(home, bundled, year=2025, service="express").cost_usd == pytest.approx(
        price_route(home, bundled, year=2025).cost_usd
    )
    middle = best_route(
        bundled, "xian", "istanbul", constraints=Constraints(corridor=Corridor.MIDDLE)
    )
    charged = price_route(middle, bundled, year=2025, service="express")
    assert [
        it.usd.expected
        for leg in charged.legs
        for it in leg.cost_items
        if it.item == "express premium"
    ] == [pytest.approx(1750.0)]


def test_the_lease_applies_to_overland_routes_across_a_frontier(bundled: Network) -> None:
    over = price_route(best_route(bundled, "xian", "istanbul"), bundled, year=2025)
    assert any(
        it.rate_id.startswith("container-lease") for leg in over.legs for it in leg.cost_items
    )
    for a, b in (("xian", "lanzhou"), ("alat", "kars")):  # domestic; not a China-Europe box
        other = price_route(best_route(bundled, a, b), bundled, year=2025)
        assert not any(
            it.rate_id.startswith("container-lease") for leg in other.legs for it in leg.cost_items
        )


def test_bad_sizes_and_masses_are_refused(bundled: Network) -> None:
    r = best_route(bundled, "alat", "kars")
    with pytest.raises(ModelError, match="20 or 40"):
        price_route(r, bundled, container_ft=30)
    with pytest.raises(ModelError, match="cargo mass"):
        price_route(r, bundled, container_ft=20, cargo_t=45)
    with pytest.raises(ModelError, match="cargo mass"):
        price_route(r, bundled, cargo_t=0)


def test_every_priced_item_names_a_source_or_is_flagged(
    bundled: Network, routes: list[Route]
) -> None:
    for r in routes:
        for size in (20, 40):
            p = price_route(r, bundled, container_ft=size, year=2026)
            for leg in p.legs:
                for it in leg.cost_items:
                    assert it.sources or it.estimate, (leg.from_id, it)
                    assert all(s in bundled.sources for s in it.sources)
                if leg.emission is not None:
                    assert leg.emission.sources or leg.emission.estimate
                    assert all(s in bundled.sources for s in leg.emission.sources)


def test_bundled_tariff_rows_carry_sources_and_honest_estimate_flags(bundled: Network) -> None:
    book = bundled.tariffs
    assert book is not None
    for rate in book.rates:
        assert rate.sources, rate.id
        assert all(s in bundled.sources for s in rate.sources)
        # A row resting on an assumption must say it is an estimate, unless the assumption
        # only sets the spread around a published figure or converts its unit.
        assumed = [s for s in rate.sources if s.startswith("assumption-")]
        if set(assumed) - {"assumption-tariff-spread", "assumption-feu-payload"}:
            assert rate.estimate, rate.id
    for f in book.factors:
        assert f.sources, f.id
        assert f.ttw <= f.wtw
    for t in book.traction:
        assert t.sources and (t.estimate or t.network == "reference")


def test_profiles_rank_routes_with_the_tariffs_they_are_priced_with(bundled: Network) -> None:
    """The search ranks by a profile's per-km tariff; it must be the priced expected rate of
    every network its links run in (one source of truth, checked)."""
    book = bundled.tariffs
    assert book is not None
    with (bundled_data_dir() / "links.csv").open(encoding="utf-8") as f:
        rail_profiles = {row["profile"] for row in csv.DictReader(f) if row["mode"] == "rail"}
    checked = 0
    for link in bundled.links:
        if link.profile.id not in rail_profiles or link.mode.value != "rail":
            continue
        a, b = bundled.nodes[link.from_id], bundled.nodes[link.to_id]
        if a.country != b.country:
            continue
        rate = book.rate(RateComponent.RAIL, a.country, 2025)
        assert rate is not None, a.country
        per_km = rate.feu.expected * (1.08 if rate.unit.in_eur else 1.0)
        assert link.profile.cost_usd_per_feu_km == pytest.approx(per_km, rel=0.01), link.key
        checked += 1
    assert checked > 200


def test_route_json_keeps_the_contract_and_adds_the_range(bundled: Network) -> None:
    r = price_route(best_route(bundled, "alat", "kars"), bundled, container_ft=20, year=2025)
    doc = json.loads(json.dumps(r.to_dict()))
    assert {"cost_usd", "co2_kg", "legs", "borders"} <= set(doc)
    assert doc["container"] == 20
    assert doc["cost_usd_range"]["low"] <= doc["cost_usd"] <= doc["cost_usd_range"]["high"]
    for leg in doc["legs"]:
        assert isinstance(leg["cost_usd"], float)
        for item in leg["cost_breakdown"]:
            assert item["rate_id"]
