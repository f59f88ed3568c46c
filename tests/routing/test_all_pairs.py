"""Every pair of terminals and ports of the bundled network, as a comparison shows it.

For each pair: no option visits a place twice or re-enters a country, the overall best route is
among the options, and no option shown is slower, dearer and higher in CO2 than another shown
(``docs/options.md``). One search per origin, corridor and objective serves all destinations
(``choose_options_from``); a rotating sample of pairs is checked against the single-pair
planner that ``corridor route`` and ``corridor compare`` use.
"""

from __future__ import annotations

import pytest

from corridor.errors import NoRouteError
from corridor.model import NodeKind
from corridor.network import Network
from corridor.routing import (
    Constraints,
    best_route,
    choose_options,
    choose_options_from,
    price_route,
)
from corridor.routing.classify import reentered_countries

pytestmark = pytest.mark.exhaustive  # about 2 to 3 minutes of set-up: make test-all

MARCH = Constraints(month=3)


def _places(net: Network) -> list[str]:
    return sorted(n.id for n in net.nodes.values() if n.kind in (NodeKind.TERMINAL, NodeKind.PORT))


@pytest.fixture(scope="module")
def sweep(bundled: Network) -> dict[tuple[str, str], object]:
    places = _places(bundled)
    out: dict[tuple[str, str], object] = {}
    for origin in places:
        for dest, choice in choose_options_from(bundled, origin, places, constraints=MARCH).items():
            out[origin, dest] = choice
    return out


def test_every_pair_with_a_route_has_options(
    bundled: Network, sweep: dict[tuple[str, str], object]
) -> None:
    places = _places(bundled)
    assert len(places) > 50
    missing = [(a, b) for a in places for b in places if a != b and (a, b) not in sweep]
    assert len(sweep) > 0.9 * len(places) * (len(places) - 1)
    for a, b in missing:  # places not reachable today (a planned port, an exclave)
        with pytest.raises(NoRouteError):
            best_route(bundled, a, b, constraints=MARCH)


def test_no_option_visits_a_place_twice(sweep: dict[tuple[str, str], object]) -> None:
    loops = [
        (pair, r.corridor.value)
        for pair, choice in sweep.items()
        for r in choice.routes  # type: ignore[attr-defined]
        if len(set(r.nodes)) != len(r.nodes)
    ]
    assert loops == []


def test_the_best_route_is_always_shown(sweep: dict[tuple[str, str], object]) -> None:
    missing = [pair for pair, c in sweep.items() if c.best not in c.routes]  # type: ignore[attr-defined]
    assert missing == []


def test_no_option_shown_is_beaten_on_time_cost_and_co2(
    bundled: Network, sweep: dict[tuple[str, str], object]
) -> None:
    # priced independently here (40-ft box, the policy's default), 1 % margin as in the policy
    bad = []
    for i, (pair, choice) in enumerate(sorted(sweep.items())):
        if i % 13:
            continue  # a sample: pricing every option of every pair is slow
        shown = [price_route(r, bundled, container_ft=40) for r in choice.routes]  # type: ignore[attr-defined]
        for r in shown:
            for o in shown:
                better = (
                    o.hours < r.hours * 0.99
                    and o.cost_usd < r.cost_usd * 0.99
                    and o.co2_kg < r.co2_kg * 0.99
                )
                if o is not r and better:
                    bad.append((pair, r.corridor.value, o.corridor.value))
    assert bad == []


def test_sweep_agrees_with_the_single_pair_planner(
    bundled: Network, sweep: dict[tuple[str, str], object]
) -> None:
    places = _places(bundled)
    for i, origin in enumerate(places):
        dest = places[(i * 7 + 3) % len(places)]
        if (origin, dest) not in sweep:
            continue
        swept = sweep[origin, dest]
        best = best_route(bundled, origin, dest, constraints=MARCH)
        assert best.hours == pytest.approx(swept.best.hours)  # type: ignore[attr-defined]
        if i % 8 == 0:
            single = choose_options(bundled, origin, dest, constraints=MARCH)
            assert [r.nodes for r in single.routes] == [
                r.nodes
                for r in swept.routes  # type: ignore[attr-defined]
            ]
            assert single.omitted == swept.omitted  # type: ignore[attr-defined]


def test_no_option_re_enters_a_country(
    bundled: Network, sweep: dict[tuple[str, str], object]
) -> None:
    again = [
        (pair, r.corridor.value, reentered_countries(r, bundled.nodes))
        for pair, choice in sweep.items()
        for r in choice.routes  # type: ignore[attr-defined]
        if reentered_countries(r, bundled.nodes)
    ]
    assert again == []
