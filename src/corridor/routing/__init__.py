"""L3a routing: exact search over a mode/gauge state graph, alternatives, Pareto, corridors."""

from corridor.routing.classify import (
    beyond_destination,
    classify_route,
    corridor_rule,
    is_landlocked_port,
    is_seaport,
    makes_crossing,
    reentered_countries,
    route_countries,
)
from corridor.routing.costs import link_leg, link_network, operation_leg, sailing_hours
from corridor.routing.emissions import DEFAULT_CARGO_T_PER_TEU, route_emissions
from corridor.routing.options import (
    ALL_CORRIDORS,
    TOLERANCE,
    CorridorChoice,
    Omitted,
    OptionTerms,
    choose_options,
    choose_options_from,
    corridor_option,
    main_mode,
)
from corridor.routing.pricing import CONTAINER_SIZES, DEFAULT_PRICE_YEAR, price_route
from corridor.routing.report import EmissionReport
from corridor.routing.request import (
    CompareRequest,
    RouteRequest,
    ScenarioRef,
    default_year,
    resolve_avoid,
)
from corridor.routing.search import (
    DEFAULT_VALUE_OF_TIME_USD_PER_H,
    Constraints,
    NoRouteWithoutReentryError,
    Objective,
    Reentry,
    alternative_routes,
    best_route,
    best_routes_from,
    pareto_routes,
    routes_by_corridor,
)
from corridor.routing.services import ServiceRide, service_rides

__all__ = [
    "ALL_CORRIDORS",
    "CONTAINER_SIZES",
    "DEFAULT_CARGO_T_PER_TEU",
    "DEFAULT_PRICE_YEAR",
    "DEFAULT_VALUE_OF_TIME_USD_PER_H",
    "TOLERANCE",
    "CompareRequest",
    "Constraints",
    "CorridorChoice",
    "EmissionReport",
    "NoRouteWithoutReentryError",
    "Objective",
    "Omitted",
    "OptionTerms",
    "Reentry",
    "RouteRequest",
    "ScenarioRef",
    "ServiceRide",
    "alternative_routes",
    "best_route",
    "best_routes_from",
    "beyond_destination",
    "choose_options",
    "choose_options_from",
    "classify_route",
    "corridor_option",
    "corridor_rule",
    "default_year",
    "is_landlocked_port",
    "is_seaport",
    "link_leg",
    "link_network",
    "main_mode",
    "makes_crossing",
    "operation_leg",
    "pareto_routes",
    "price_route",
    "reentered_countries",
    "resolve_avoid",
    "route_countries",
    "route_emissions",
    "routes_by_corridor",
    "sailing_hours",
    "service_rides",
]
