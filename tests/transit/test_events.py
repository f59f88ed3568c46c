"""Dated disruptions (events.csv) in a comparison: a warning on the option that meets one, a
closure leaves the option out with the event as the reason; outside the dates nothing changes."""

from __future__ import annotations

from datetime import date

from corridor.model import Corridor
from corridor.network import Network
from corridor.routing import CompareRequest
from corridor.transit import compare_routes


def _compare(net: Network, o: str, d: str, depart: date) -> object:
    return compare_routes(
        net, CompareRequest(origin=o, destination=d, depart=depart, samples=500, seed=1)
    )


def test_a_southern_row_in_the_iran_war_names_the_event(bundled: Network) -> None:
    c = _compare(bundled, "xian", "tehran", date(2026, 3, 15))
    south = next(o for o in c.options if o.corridor is Corridor.SOUTHERN)  # type: ignore[attr-defined]
    assert [e.id for e in south.events] == ["iran-war-2026"]
    assert any("Iran war" in n for n in south.notes)
    doc = south.to_dict()
    assert doc["events"][0]["id"] == "iran-war-2026"
    assert doc["events"][0]["to"] is None  # still going on


def test_before_the_war_the_row_carries_no_event(bundled: Network) -> None:
    c = _compare(bundled, "xian", "tehran", date(2024, 3, 15))
    south = next(o for o in c.options if o.corridor is Corridor.SOUTHERN)  # type: ignore[attr-defined]
    assert south.events == ()


def test_the_poland_belarus_closure_leaves_brest_routes_out(bundled: Network) -> None:
    inside = _compare(bundled, "xian", "duisburg", date(2025, 9, 5))
    shown = {o.corridor: o for o in inside.options}  # type: ignore[attr-defined]
    for o in shown.values():
        assert "malaszewicze" not in o.route.nodes and "brest" not in o.route.nodes
    reasons = [x.reason for x in inside.omitted]  # type: ignore[attr-defined]
    assert any("Poland-Belarus border closed" in r for r in reasons)
    # a month later the border is open again: the northern row is back, without a warning
    after = _compare(bundled, "xian", "duisburg", date(2025, 10, 5))
    north = next(o for o in after.options if o.corridor is Corridor.NORTHERN)  # type: ignore[attr-defined]
    assert "malaszewicze" in north.route.nodes
    assert not any(e.id == "pl-by-closure-2025-09" for e in north.events)


def test_an_eta_inside_the_iran_war_warns(bundled: Network) -> None:
    from datetime import datetime

    from corridor.facade import eta

    r = eta(
        "Xi'an",
        "Tehran",
        depart="2026-03-15",
        samples=500,
        now=datetime(2026, 3, 16),
        network=bundled,
    )
    doc = r.to_dict()
    assert [e["id"] for e in doc["events"]] == ["iran-war-2026"]
    assert "Iran war" in doc["warnings"][0]
    before = eta(
        "Xi'an",
        "Tehran",
        depart="2024-03-15",
        samples=500,
        now=datetime(2024, 3, 16),
        network=bundled,
    )
    assert before.to_dict()["events"] == []


def test_a_dated_caspian_storm_holds_the_boxes_that_would_sail_in_it(bundled: Network) -> None:
    """Ships sheltered 5-10 Feb 2025: a box from Xi'an leaving on 28 Jan reaches Aktau in those
    days in many journeys and waits for the end of the storm; without the event it would not."""
    from dataclasses import replace

    bare = replace(bundled, values=replace(bundled.values, events=()))
    depart = date(2025, 1, 28)

    def middle(net: Network) -> object:
        c = compare_routes(
            net, CompareRequest(origin="xian", destination="alat", depart=depart, samples=2000)
        )
        return next(o for o in c.options if o.corridor is Corridor.MIDDLE)  # type: ignore[attr-defined]

    held, free = middle(bundled), middle(bare)
    assert "caspian-storm-2025-02" in [e.id for e in held.events]  # type: ignore[attr-defined]
    # the fastest tenth is the one the storm catches: it cannot sail before 11 Feb
    assert held.days.p10 > free.days.p10 + 1.0  # type: ignore[attr-defined]
    assert held.days.mean > free.days.mean  # type: ignore[attr-defined]
