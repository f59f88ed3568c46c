"""L3a routing: exact search over a mode/gauge state graph, alternatives, Pareto, corridors."""

from corridor.routing.classify import classify_route, corridor_rule, is_caspian_crossing
from corridor.routing.costs import link_leg, operation_leg, sailing_hours
from corridor.routing.search import (
    DEFAULT_VALUE_OF_TIME_USD_PER_H,
    Constraints,
    Objective,
    alternative_routes,
    best_route,
    pareto_routes,
    routes_by_corridor,
)

__all__ = [
    "DEFAULT_VALUE_OF_TIME_USD_PER_H",
    "Constraints",
    "Objective",
    "alternative_routes",
    "best_route",
    "classify_route",
    "corridor_rule",
    "is_caspian_crossing",
    "link_leg",
    "operation_leg",
    "pareto_routes",
    "routes_by_corridor",
    "sailing_hours",
]
