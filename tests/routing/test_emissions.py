"""ISO 14083 / GLEC emissions per transport chain element: hand-checked factors and scopes."""

from __future__ import annotations

import csv

import pytest

from corridor.model import Corridor, LegMode, OperationKind
from corridor.network import Network, bundled_data_dir
from corridor.routing import Constraints, best_route, price_route, routes_by_corridor
from corridor.routing.lanes import leg_network

PAIRS = [
    ("xian", "duisburg"),
    ("xian", "istanbul"),
    ("shanghai", "rotterdam"),
    ("almaty", "poti"),
    ("tehran", "kars"),
]


def test_shanghai_rotterdam_sea_legs_at_the_glec_asia_north_europe_factor(
    bundled: Network,
) -> None:
    # 2019: the liners went through Suez (from December 2023 round the Cape)
    all_sea = Constraints(corridor=Corridor.MARITIME, via=("english_channel",), year=2019)
    r = price_route(
        best_route(bundled, "shanghai", "rotterdam", constraints=all_sea), bundled, year=2025
    )
    sea = [leg for leg in r.legs if leg.mode is LegMode.SEA]
    km = sum(leg.distance_km for leg in sea)
    assert 19_000 < km < 20_500  # via Suez (the facts: 10,600 nm = 19,631 km)
    assert "suez" in r.nodes
    wtw = sum(leg.emission.wtw_kg for leg in sea if leg.emission is not None)
    ttw = sum(leg.emission.ttw_kg for leg in sea if leg.emission is not None)
    # GLEC v3.2 Asia-North Europe: 46.9 g WTW (8.2 WTT + 38.7 TTW) per TEU-km; a FEU is 2 TEU.
    assert wtw == pytest.approx(46.9 * 2 * km / 1000, rel=1e-9)
    assert ttw == pytest.approx(38.7 * 2 * km / 1000, rel=1e-9)
    # about 1,850 kg WTW for the 19,700 km of the bundled sea path
    assert wtw == pytest.approx(1850, rel=0.01)
    # A heavier box does not change a container ship's per-TEU allocation.
    heavy = price_route(r, bundled, year=2025, cargo_t=28)
    assert sum(leg.co2_kg for leg in heavy.legs if leg.mode is LegMode.SEA) == pytest.approx(wtw)


def test_rail_leg_factor_from_traction_and_grid(bundled: Network) -> None:
    r = price_route(best_route(bundled, "xian", "duisburg"), bundled, year=2025, cargo_t=15)
    ru = [leg for leg in r.legs if leg.mode is LegMode.RAIL and leg_network(leg) == "RU"]
    assert ru
    for leg in ru:
        assert leg.emission is not None
        # 90 % electric at 380 g/kWh (UBA 19 g/t-km at 366 g/kWh), 10 % diesel (34.5 / 27.8)
        wtw_f = 0.1 * 34.5 + 0.9 * 19.0 * 380 / 366
        ttw_f = 0.1 * 27.8
        assert leg.emission.wtw_kg == pytest.approx(wtw_f * 15 * leg.distance_km / 1000)
        assert leg.emission.ttw_kg == pytest.approx(ttw_f * 15 * leg.distance_km / 1000)
        assert leg.emission.activity_unit == "t-km"


def test_caspian_rail_ferry_is_ro_pax_and_hubs_count_per_container(bundled: Network) -> None:
    ferry_only = Constraints(corridor=Corridor.MIDDLE, avoid_nodes=frozenset({"aktau"}))
    r = price_route(best_route(bundled, "almaty", "poti", constraints=ferry_only), bundled)
    ferries = [leg for leg in r.legs if leg.mode is LegMode.FERRY]
    assert ferries
    for leg in ferries:
        assert leg.emission is not None
        assert leg.emission.factor_id == "ferry-ropax"
        # 205.6 g/t-km WTW, 20 t, distance x 1.15
        assert leg.emission.wtw_kg == pytest.approx(205.6 * 20 * leg.distance_km * 1.15 / 1000)
    hubs = [leg for leg in r.legs if leg.operation is OperationKind.PORT]
    assert hubs
    for leg in hubs:
        assert leg.emission is not None
        assert leg.emission.wtw_kg == pytest.approx(11.4)
    borders = [leg for leg in r.legs if leg.operation is OperationKind.BORDER]
    assert all(leg.emission is None and leg.co2_kg == 0 for leg in borders)


def test_wtw_at_least_ttw_and_totals_are_the_legs(bundled: Network) -> None:
    for a, b in PAIRS:
        for route in routes_by_corridor(bundled, a, b):
            for size in (20, 40):
                doc = price_route(route, bundled, container_ft=size).to_dict()
                wtw = ttw = 0.0
                for leg in doc["legs"]:
                    if "co2e_kg" not in leg:
                        assert leg["co2_kg"] == 0
                        continue
                    assert leg["co2e_kg"]["wtw"] >= leg["co2e_kg"]["ttw"] >= 0, leg
                    assert leg["co2_kg"] == leg["co2e_kg"]["wtw"]
                    wtw += leg["co2e_kg"]["wtw"]
                    ttw += leg["co2e_kg"]["ttw"]
                assert doc["co2e_kg"]["wtw"] == pytest.approx(wtw, abs=0.1)
                assert doc["co2e_kg"]["ttw"] == pytest.approx(ttw, abs=0.1)
                assert doc["co2_kg"] == pytest.approx(wtw, abs=0.1)


def test_each_element_is_its_distance_and_load_times_the_published_factor(
    bundled: Network,
) -> None:
    """Every element priced at a factor of ``emission_factors.csv`` (read here with the csv
    module) is that factor times the leg's own distance (times the factor's distance
    adjustment) and the load: 1 TEU for a 20 ft box, 8 t in it, one container at a hub. Rail
    factors are computed from traction and grid (checked by hand above)."""
    with (bundled_data_dir() / "emission_factors.csv").open(encoding="utf-8") as f:
        factors = {row["id"]: row for row in csv.DictReader(f)}
    per_unit = {"g_per_teu_km": 1.0, "g_per_t_km": 8.0}
    seen: set[str] = set()
    routes = [r for a, b in PAIRS for r in routes_by_corridor(bundled, a, b)]
    for route in routes:
        r = price_route(route, bundled, container_ft=20, cargo_t=8)
        for leg in r.legs:
            e = leg.emission
            if e is None or e.factor_id not in factors:
                continue
            row = factors[e.factor_id]
            if row["basis"] == "kg_per_container":
                expected_wtw, expected_ttw = float(row["wtw"]), float(row["ttw"])
            else:
                activity = per_unit[row["basis"]] * leg.distance_km * float(row["distance_factor"])
                expected_wtw = float(row["wtw"]) * activity / 1000
                expected_ttw = float(row["ttw"]) * activity / 1000
            assert e.wtw_kg == pytest.approx(expected_wtw, rel=1e-6), (leg, row)
            assert e.ttw_kg == pytest.approx(expected_ttw, rel=1e-6), (leg, row)
            seen.add(row["basis"])
    assert seen == {"g_per_teu_km", "g_per_t_km", "kg_per_container"}
