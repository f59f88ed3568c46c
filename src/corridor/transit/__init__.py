"""L3b transit: door-to-door time as a distribution, by vectorised Monte Carlo."""

from corridor.transit.compare import (
    Comparison,
    CorridorOption,
    DaysSummary,
    LegStat,
    compare_routes,
)
from corridor.transit.engine import (
    RouteSamples,
    leg_minimum_hours,
    route_minimum_hours,
    sample_route,
)

__all__ = [
    "Comparison",
    "CorridorOption",
    "DaysSummary",
    "LegStat",
    "RouteSamples",
    "compare_routes",
    "leg_minimum_hours",
    "route_minimum_hours",
    "sample_route",
]
