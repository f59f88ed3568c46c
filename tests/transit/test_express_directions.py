"""Express trains both ways: a crossing's express figure holds in either direction.

The agreed Middle Corridor norms (memorandum of 1 Oct 2025) are written westbound; no source
says the eastbound train is slower or faster. So Kars -> Baku and Baku -> Kars by express must
take about the same time (the issue's regression: 6.2 d against 3.8 d before the fix).
"""

from __future__ import annotations

from datetime import date

from corridor.model import Corridor, ServiceClass
from corridor.network import Network
from corridor.routing import CompareRequest
from corridor.transit import compare_routes

DEPART = date(2025, 5, 1)


def _p50(net: Network, o: str, d: str) -> float:
    c = compare_routes(
        net,
        CompareRequest(
            origin=o,
            destination=d,
            depart=DEPART,
            samples=4000,
            seed=3,
            year=2025,
            service=ServiceClass.EXPRESS,
        ),
    )
    return next(x for x in c.options if x.corridor is Corridor.MIDDLE).days.p50


def test_btk_express_is_about_as_fast_both_ways(bundled: Network) -> None:
    east = _p50(bundled, "kars", "baku")
    west = _p50(bundled, "baku", "kars")
    # the Kars -> Istanbul norm and the Gardabani -> Akhalkalaki norm give 13.9 h and 12.7 h
    # at the entry station of either direction; what remains are exit handovers (3 h) and
    # running, the same both ways: well under a day apart
    assert abs(east - west) < 1.0
