"""Every pair of terminals and ports of the bundled network, as a comparison shows it.

For each pair: no option visits a place twice or re-enters a country, the overall best route is
among the options, a long or back-tracking option says why it is shown, and no option shown is
an absurd detour (more than 1.5x the shortest option's distance while being neither the
fastest, the cheapest nor the lowest in CO2). One search per origin and corridor serves all
destinations (``choose_options_from``); a rotating sample of pairs is checked against the
single-pair planner that ``corridor route`` and ``corridor compare`` use.
"""

from __future__ import annotations

import re

import pytest

from corridor.errors import NoRouteError
from corridor.model import Corridor, NodeKind
from corridor.network import Network
from corridor.routing import (
    BACKTRACK_KM,
    DETOUR_FACTOR,
    NOT_APPLICABLE_FACTOR,
    Constraints,
    best_route,
    choose_options,
    choose_options_from,
)
from corridor.routing.classify import beyond_destination, reentered_countries

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


def test_no_absurd_detour_is_shown(sweep: dict[tuple[str, str], object]) -> None:
    bad = []
    for pair, choice in sweep.items():
        shown = choice.routes  # type: ignore[attr-defined]
        shortest = min(r.distance_km for r in shown)
        for r in shown:
            if r.distance_km > DETOUR_FACTOR * shortest and not (
                r.hours <= min(x.hours for x in shown)
                or r.cost_usd <= min(x.cost_usd for x in shown)
                or r.co2_kg <= min(x.co2_kg for x in shown)
            ):
                bad.append((pair, r.corridor.value, round(r.distance_km / shortest, 2)))
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


def test_no_reason_quotes_an_absurd_ratio(sweep: dict[tuple[str, str], object]) -> None:
    ratios = [
        float(m.group(1))
        for choice in sweep.values()
        for o in choice.omitted  # type: ignore[attr-defined]
        if (m := re.match(r"detour: ([\d.]+)×", o.reason))
    ]
    assert ratios
    assert max(ratios) <= NOT_APPLICABLE_FACTOR + 0.05


def test_a_shown_detour_says_so(sweep: dict[tuple[str, str], object]) -> None:
    silent = []
    for pair, choice in sweep.items():
        shown = choice.routes  # type: ignore[attr-defined]
        shortest = min(r.distance_km for r in shown)
        for r in shown:
            notes = choice.notes_of(r.corridor)  # type: ignore[attr-defined]
            long = r.distance_km > DETOUR_FACTOR * shortest and r.corridor is not Corridor.MARITIME
            if long != any("the distance of the shortest option" in n for n in notes):
                silent.append((pair, r.corridor.value))
    assert silent == []


def test_a_back_tracking_option_is_shown_only_as_a_best_and_says_so(
    bundled: Network, sweep: dict[tuple[str, str], object]
) -> None:
    bad = []
    flagged = 0
    for pair, choice in sweep.items():
        shown = choice.routes  # type: ignore[attr-defined]
        shortest = min(shown, key=lambda r: r.distance_km)
        base = beyond_destination(shortest, bundled.nodes)[0]
        for r in shown:
            notes = choice.notes_of(r.corridor)  # type: ignore[attr-defined]
            back = (
                r.corridor is not Corridor.MARITIME
                and beyond_destination(r, bundled.nodes)[0] - base > BACKTRACK_KM
            )
            best = (
                r.hours <= min(x.hours for x in shown)
                or r.cost_usd <= min(x.cost_usd for x in shown)
                or r.co2_kg <= min(x.co2_kg for x in shown)
            )
            said = any(" past " in n and "and back; shown as" in n for n in notes)
            flagged += said
            if back != said or (back and not best):
                bad.append((pair, r.corridor.value))
    assert bad == []
    assert flagged > 0
