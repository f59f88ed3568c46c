"""The shared, guided search gives the answers of plain searches.

The searches of a comparison share one state graph per network (each transition computed
once, for every search and every later request), remember what a corridor's rule says of each
link, and are guided by a lower bound of the cost still to come (A*). None of that may change
an answer. The reference is :func:`corridor.routing.search.plain_search`: every search builds
its own graph and runs a plain Dijkstra, as the planner did before. The two are compared on
random small networks (with and without ``via``, with countries that tempt a route back into
one it has left) and on the README's ``compare`` examples, whose JSON must be the same.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import corridor
from corridor.errors import CorridorError, NoRouteError
from corridor.model import Route
from corridor.network import Network
from corridor.routing import Constraints, best_route, choose_options, choose_options_from
from corridor.routing.options import CorridorChoice
from corridor.routing.search import plain_search
from tests.strategies import networks


def _route(r: Route) -> tuple[Any, ...]:
    return (
        r.nodes,
        r.corridor,
        tuple((x.from_id, x.to_id, x.service.id if x.service else None) for x in r.legs),
        round(r.hours, 9),
        round(r.cost_usd, 6),
        round(r.co2_kg, 6),
    )


def _choice(c: CorridorChoice) -> tuple[Any, ...]:
    return (
        tuple(_route(r) for r in c.routes),
        _route(c.best),
        tuple((o.corridor, o.reason) for o in c.omitted),
        tuple(sorted((k.value, v) for k, v in c.notes.items())),
    )


def _options(net: Network, a: str, b: str, **kw: Any) -> tuple[Any, ...] | str:
    try:
        return _choice(choose_options(net, a, b, **kw))
    except NoRouteError as exc:
        return str(exc)


@settings(max_examples=40, deadline=None)
@given(networks(max_nodes=8, contiguous=False), st.data())
def test_random_networks_same_routes_and_options(net: Network, data: st.DataObject) -> None:
    ids = sorted(net.nodes)
    a, b = ids[0], data.draw(st.sampled_from(ids[1:]))
    inner = [x for x in ids if x not in (a, b)]
    via = (data.draw(st.sampled_from(inner)),) if inner and data.draw(st.booleans()) else ()
    objective = data.draw(st.sampled_from(["time", "cost", "generalized"]))
    cons = Constraints(via=via)
    fast = _options(net, a, b, constraints=cons, objective=objective)
    with plain_search():
        plain = _options(net, a, b, constraints=cons, objective=objective)
    assert fast == plain


@pytest.mark.parametrize(
    ("a", "b", "cons"),
    [
        ("xian", "istanbul", Constraints()),
        ("shanghai", "rotterdam", Constraints(year=2024)),
        ("almaty", "baku_city", Constraints(service="express")),
        ("chongqing", "duisburg", Constraints(month=1)),
        ("xian", "aktau", Constraints()),  # the best path re-enters a country: relaxation
        ("xian", "istanbul", Constraints(via=("tbilisi",))),
        ("shanghai", "tbilisi", Constraints(avoid_countries=frozenset({"RU"}))),
    ],
)
def test_bundled_network_same_routes_and_options(
    bundled: Network, a: str, b: str, cons: Constraints
) -> None:
    for objective in ("time", "cost"):
        fast = _options(bundled, a, b, constraints=cons, objective=objective)
        with plain_search():
            plain = _options(bundled, a, b, constraints=cons, objective=objective)
        assert fast == plain
    fast_route = _route(best_route(bundled, a, b, constraints=cons))
    with plain_search():
        assert _route(best_route(bundled, a, b, constraints=cons)) == fast_route


# The README's compare examples (its usage section), as requests of the library.
README_COMPARES: list[tuple[str, str, dict[str, Any]]] = [
    ("Xi'an", "Istanbul", {"depart": "2026-03-01", "deadline_days": 30}),
    ("Xi'an", "Almaty", {"depart": "2026-03-01"}),
    ("Xi'an", "Istanbul", {"avoid": ("Russia",)}),
    ("Xi'an", "Baku", {"depart": "2025-05-01", "year": 2025, "service": "express"}),
    ("Xi'an", "Baku", {"depart": "2025-05-01", "year": 2025, "service": "standard"}),
    ("Shanghai", "Rotterdam", {"depart": "2024-06-01"}),
    ("Shanghai", "Rotterdam", {"depart": "2019-06-01"}),
    ("Shanghai", "Rotterdam", {"scenario": "red-sea-open"}),
    ("Baku", "Kars", {"via": ("Nakhchivan",)}),
    ("Baku", "Kars", {"via": ("Nakhchivan",), "scenario": "new-links-2030"}),
]


@pytest.mark.parametrize(("a", "b", "fields"), README_COMPARES)
def test_readme_compare_json_is_the_plain_searches(a: str, b: str, fields: dict[str, Any]) -> None:
    def doc() -> str:
        try:
            c = corridor.compare(a, b, samples=300, seed=7, **fields)
        except CorridorError as exc:  # Baku-Kars via Nakhchivan: no such line before 2030
            return f"error: {exc}"
        return json.dumps(c.to_dict(), sort_keys=True)

    fast = doc()
    with plain_search():
        plain = doc()
    assert fast == plain


def test_one_search_for_many_destinations_agrees_with_each_pair(bundled: Network) -> None:
    # A corridor's rule depends on the countries at the route's ends (a route may end in Iran
    # without being a transit through Iran), so destinations in different countries cannot
    # share one search blindly: Bandar Abbas beside Rotterdam and Tbilisi, from Ningbo.
    dests = ["bandar_abbas", "rotterdam", "tbilisi"]
    swept = choose_options_from(bundled, "ningbo", dests, constraints=Constraints(month=3))
    for dest in dests:
        single = choose_options(bundled, "ningbo", dest, constraints=Constraints(month=3))
        assert _choice(swept[dest]) == _choice(single), dest
