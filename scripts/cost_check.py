"""Print the model's priced totals next to the market figures of the facts sheet.

The tariffs are not fitted to these figures; this table shows how far the segment-built totals
land from corridor-level market prices (docs/costs.md, "Model against market"). Run:

    .venv/bin/python scripts/cost_check.py
"""

from __future__ import annotations

from dataclasses import dataclass

from corridor import load_network
from corridor.model import Corridor, Route
from corridor.network import Network
from corridor.routing import Constraints, best_route, choose_options, price_route


@dataclass(frozen=True)
class Check:
    label: str
    origin: str
    destination: str
    corridor: Corridor | None
    year: int
    size: int
    market: str
    via: tuple[str, ...] = ()
    avoid: tuple[str, ...] = ()


CHECKS = [
    Check(
        "China -> Aktau by rail, 40 ft (Argus, probably Q4 2024; quoted to Almaty and Aktau)",
        "xian", "aktau", Corridor.MIDDLE, 2024, 40, "5,350-5,400",
    ),
    Check(
        "Sea Shanghai -> Poti, 40 ft (Argus, same article)",
        "shanghai", "poti", Corridor.MARITIME, 2024, 40, "2,000-2,500",
    ),
    Check(
        "Northern rail China -> Russia via Dostyk, 40 ft (TELS, Feb / Mar 2022)",
        "xian", "moscow", Corridor.NORTHERN, 2022, 40, "12,000-13,000 / ~8,000", via=("dostyk",),
    ),
    Check(
        "Northern rail Xi'an -> Duisburg via Dostyk (the Xi'an trains' path), 40 ft",
        "xian", "duisburg", Corridor.NORTHERN, 2025, 40, "- (none in the facts)", via=("dostyk",),
    ),
    Check(
        "Northern rail Xi'an -> Duisburg via Zabaikalsk (Trans-Siberian), 40 ft",
        "xian", "duisburg", Corridor.NORTHERN, 2025, 40, "- (none in the facts)",
        via=("zabaikalsk",),
    ),
    Check(
        "Middle corridor Xi'an -> Duisburg, 20 ft (Maxmodal MSRI, Nov 2025-Jan 2026)",
        "xian", "duisburg", Corridor.MIDDLE, 2025, 20, "11,180-11,317 (index points)",
    ),
    Check(
        "Sea + rail on-carriage Xi'an -> Duisburg, 20 ft (Maxmodal MSCI, Dec 2025-Jan 2026)",
        "xian", "duisburg", Corridor.MARITIME, 2025, 20, "3,105-3,258 (index points)",
    ),
    Check(
        "Sea Shanghai -> Rotterdam, 40 ft (Drewry WCI 6 Mar 2025; an input of the sea rate table)",
        "shanghai", "rotterdam", Corridor.MARITIME, 2025, 40, "2,636", via=("english_channel",),
    ),
    Check(
        "TITR through rate Altynkol -> Istanbul, 40 ft (about 2018; section 15)",
        "altynkol", "istanbul", Corridor.MIDDLE, 2019, 40, "3,474 (rail and ferry only)",
    ),
    Check(
        "Tashkent -> Derince via Aktau-Baku, 40 ft, all-in (interrail, Apr 2020; section 15)",
        "tashkent", "derince", Corridor.MIDDLE, 2020, 40, "4,284",
    ),
]  # fmt: skip


def _route(net: Network, c: Check) -> Route:
    """The corridor's route as `corridor compare` shows it (for the maritime row: the sea-rail
    gateway a shipper buys, see corridor.routing.options), or the forced path of ``via``."""
    if c.corridor is Corridor.MARITIME and not c.via:
        choice = choose_options(
            net, c.origin, c.destination, constraints=Constraints(year=c.year),
            corridors=(Corridor.MARITIME,),
        )  # fmt: skip
        return next(r for r in choice.routes if r.corridor is Corridor.MARITIME)
    cons = Constraints(corridor=c.corridor, via=c.via, year=c.year)
    return best_route(net, c.origin, c.destination, constraints=cons)


def main() -> None:
    net = load_network()
    print("| check | year | model low / expected / high USD | estimated share | market USD |")
    print("|---|---|---|---|---|")
    for c in CHECKS:
        if c.destination not in net.nodes or c.origin not in net.nodes:
            print(f"| {c.label} | {c.year} | (place not in the network) | | {c.market} |")
            continue
        route = price_route(_route(net, c), net, container_ft=c.size, year=c.year)
        b = route.cost_band
        print(
            f"| {c.label} | {c.year} | {b.low:,.0f} / {b.expected:,.0f} / {b.high:,.0f} | "
            f"{route.cost_estimated_share:.0%} | {c.market} |"
        )
    middle = price_route(
        best_route(net, "xian", "duisburg", constraints=Constraints(corridor=Corridor.MIDDLE)),
        net,
        year=2022,
    )
    via_dostyk = Constraints(corridor=Corridor.NORTHERN, via=("dostyk",))
    northern = price_route(
        best_route(net, "xian", "duisburg", constraints=via_dostyk), net, year=2022
    )
    print(
        f"\nMiddle / Northern (via Dostyk), Xi'an -> Duisburg, 40 ft, 2022: "
        f"{middle.cost_usd / northern.cost_usd:.2f} (TELS 2022: about 1.33)"
    )


if __name__ == "__main__":
    main()
