"""Units and physical constants used across Corridor.

Quantities carry their unit in their name (``distance_km``, ``dwell_h``); this module holds
the conversion factors and the few geometric helpers every layer may need.
"""

from __future__ import annotations

import math

__all__ = [
    "EARTH_RADIUS_KM",
    "HOURS_PER_DAY",
    "HOURS_PER_WEEK",
    "KM_PER_NM",
    "TEU_PER_FEU",
    "great_circle_km",
]

KM_PER_NM = 1.852
"""Kilometres per nautical mile (exact, by definition)."""

HOURS_PER_DAY = 24.0
HOURS_PER_WEEK = 168.0
"""A weekly timetable repeats every 168 hours."""

TEU_PER_FEU = 2.0
"""One forty-foot container (FEU) is two twenty-foot equivalent units (TEU)."""

EARTH_RADIUS_KM = 6371.0088
"""Mean Earth radius (IUGG), km."""


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance between two WGS84 points, in km (haversine on a sphere).

    Examples
    --------
    >>> round(great_circle_km(43.65, 51.17, 40.0, 49.4))  # Aktau to Alat, straight line
    432
    """
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, a)))
