"""Every public result has a short repr: a notebook cell shows a line, not a flood."""

from __future__ import annotations

import corridor
from corridor.network import Network


def test_the_network_repr_is_one_line(bundled: Network) -> None:
    text = repr(corridor.load_network())
    assert len(text) < 2000
    assert "\n" not in text
    assert f"{len(bundled.nodes)} nodes" in text
    assert f"{len(bundled.links)} links" in text


def test_results_and_their_parts_read_in_a_line(bundled: Network) -> None:
    plan = corridor.route("Xi'an", "Istanbul", network=bundled)
    route = plan.routes[0]
    cmp = corridor.compare("Xi'an", "Istanbul", samples=200, network=bundled)
    eta = corridor.eta("Xi'an", "Istanbul", depart="2025-01-06", samples=200, network=bundled)
    report = corridor.emissions("Xi'an", "Istanbul", network=bundled)
    things = [
        plan,
        route,
        route.legs[0],
        route.legs[1],
        cmp,
        cmp.options[0],
        eta,
        eta.forecast,
        eta.forecast.track,
        eta.stages[0],
        report,
        bundled.nodes["aktau"],
        bundled.links[0],
    ]
    for thing in things:
        text = repr(thing)
        assert len(text) < 500, (type(thing).__name__, len(text))
        assert "\n" not in text
    assert f"{route.days:.1f} d" in repr(route)
    assert f"P50 {cmp.options[0].days.p50:.1f} d" in repr(cmp.options[0])
