"""Prices and link status follow the date: rail tariffs by year, Suez priced as Suez, the Red Sea
diversion from its own day.

Truths of their own: the dated percentage changes of tariffs.csv (an index per year, checked by
hand below), the rule that a voyage through Suez does not pay the Cape detour's surcharge, and
the diversion's start on 15 Dec 2023 (link_status.csv).
"""

from __future__ import annotations

from datetime import date

import pytest

from corridor.model import Corridor, LegMode, Mode, Status
from corridor.model.scenario import Changes, LinkEdit, Scenario
from corridor.network import Network, apply_scenario
from corridor.routing import Constraints, best_route, price_route
from corridor.routing.lanes import leg_network

VIA_DOSTYK = Constraints(corridor=Corridor.NORTHERN, via=("dostyk",), year=2024)


def _rail_usd(net: Network, year: int, network: str) -> float:
    route = best_route(net, "xian", "duisburg", constraints=VIA_DOSTYK)
    priced = price_route(route, net, year=year)
    return sum(
        it.usd.expected
        for leg in priced.legs
        if leg.mode is LegMode.RAIL and not leg.is_operation and leg_network(leg) == network
        for it in leg.cost_items
        if it.item.startswith("rail")
    )


def test_rail_tariffs_move_with_the_year(bundled: Network) -> None:
    """The KZ-RU-BY transit is priced at the ERAI level of its year: 0.818 of Jul 2024 up to 2021
    (the low of ERAI's three-year range, 2,691 / 3,289), 1.088 in 2025 (KTZ +16 % from March on
    0.45 of the distance, RZD +7 % on 0.41)."""
    ru = {y: _rail_usd(bundled, y, "RU") for y in (2019, 2021, 2024, 2025)}
    assert ru[2019] == pytest.approx(ru[2024] * 2691 / 3289, rel=0.01)
    assert ru[2021] == pytest.approx(ru[2019])
    assert ru[2025] == pytest.approx(ru[2024] * (1 + 0.45 * 0.16 * 0.82 + 0.41 * 0.07), rel=0.01)


def _maritime(net: Network, depart: date) -> tuple[str, ...]:
    c = Constraints(corridor=Corridor.MARITIME, year=depart.year, on=depart)
    return best_route(net, "shanghai", "rotterdam", constraints=c).nodes


def test_the_red_sea_diversion_starts_on_its_day(bundled: Network) -> None:
    assert "suez" in _maritime(bundled, date(2023, 12, 10))
    assert "suez" not in _maritime(bundled, date(2023, 12, 20))
    # a request by year alone reads the status of 1 July
    c = Constraints(corridor=Corridor.MARITIME, year=2023)
    assert "suez" in best_route(bundled, "shanghai", "rotterdam", constraints=c).nodes


def test_red_sea_open_prices_suez_without_the_cape_surcharge(bundled: Network) -> None:
    scenario = Scenario(
        name="red-sea-open",
        changes=Changes(
            links=(
                LinkEdit(
                    from_id="bab_el_mandeb", to_id="suez", mode=Mode.SEA, status=Status.OPERATIONAL
                ),
            )
        ),
    )
    opened = apply_scenario(bundled, scenario)
    c = Constraints(corridor=Corridor.MARITIME, year=2025)
    via_suez = price_route(best_route(opened, "shanghai", "rotterdam", constraints=c), opened)
    via_cape = price_route(best_route(bundled, "shanghai", "rotterdam", constraints=c), bundled)
    assert "suez" in via_suez.nodes and "suez" not in via_cape.nodes

    def items(r: object) -> dict[str, float]:
        return {
            it.item: it.usd.expected
            for leg in r.legs  # type: ignore[attr-defined]
            for it in leg.cost_items
            if it.item in ("Suez Canal toll", "Red Sea surcharge")
        }

    assert set(items(via_suez)) == {"Suez Canal toll"}
    assert set(items(via_cape)) == {"Red Sea surcharge"}
    surcharge = items(via_cape)["Red Sea surcharge"]
    # the same spot rate, less the surcharge the Cape detour is charged for
    assert via_suez.cost_usd == pytest.approx(via_cape.cost_usd - surcharge, abs=1.0)
