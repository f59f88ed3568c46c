"""Routes, comparisons and emission reports between two places (``corridor route``,
``compare`` and ``emissions``), under a scenario where one is asked for."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, MutableMapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, TypeVar

from corridor.errors import NoRouteError, require_extra
from corridor.model import (
    Node,
    Route,
    Scenario,
    ServiceClass,
)
from corridor.network import Network, load_network
from corridor.routing import (
    CompareRequest,
    Constraints,
    EmissionReport,
    Objective,
    RouteRequest,
    alternative_routes,
    choose_options,
    corridor_option,
    pareto_routes,
    price_route,
    route_countries,
    service_rides,
)

# The transit engines (numpy) and the file readers load in the functions that use them: a route
# needs neither (start-up time of ``corridor route``).
if TYPE_CHECKING:
    from corridor.transit import Comparison

__all__ = ["RoutePlan", "compare", "emissions", "route"]

_R = TypeVar("_R", bound=RouteRequest)


def _prepared(request: _R, network: Network | None) -> tuple[Network, _R, int, Scenario | None]:
    """The network to plan on (under the request's scenario), the request resolved on it, and
    the year it routes and prices in (:func:`corridor.routing.default_year`).

    Raises
    ------
    ScenarioError
        Unknown or invalid scenario.
    NoRouteError
        When the scenario closes the origin, the destination or a via place.
    NodeNotFoundError
        For an unknown place.
    """
    base = network or load_network()
    if request.scenario is None:
        return base, request.resolved(base), request.year_for(), None
    # scenario files are read only when a scenario is asked for (start-up time)
    from corridor.network.scenario import closed_places, scenario_network  # noqa: PLC0415

    sc, under = scenario_network(request.scenario, base)
    closed = closed_places(base, sc)
    for place in (request.origin, request.destination, *request.via):
        node = base.node(place)
        if node.id in closed:
            raise NoRouteError(f"{node.name} ({node.id}) is closed in scenario {sc.name}")
    year = request.year_for(sc.network_year if sc.year_stated else None)
    return under, request.resolved(under), year, sc


@dataclass(frozen=True, slots=True, kw_only=True)
class RoutePlan:
    """Routes between two places, best first, with the request that produced them.

    ``network`` is the network the routes were planned on (under ``scenario``, if one was given).
    """

    origin: Node
    destination: Node
    routes: tuple[Route, ...]
    network: Network = field(repr=False, compare=False)
    service: ServiceClass = ServiceClass.STANDARD
    scenario: str | None = None
    year: int | None = None
    avoid: tuple[str, ...] = ()
    container_ft: int = 40
    optimize: Objective = Objective.TIME

    def __repr__(self) -> str:
        n = len(self.routes)
        best = (
            f", best {self.routes[0].corridor.value} {self.routes[0].days:.1f} d"
            if self.routes
            else ""
        )
        return (
            f"<RoutePlan {self.origin.name} → {self.destination.name}: "
            f"{n} route{'' if n == 1 else 's'}{best}>"
        )

    def to_dict(self) -> dict[str, Any]:
        """The ``corridor route --json`` document.

        ``origin`` and ``destination`` are ``{"id", "name"}``, as in ``corridor compare --json``.
        """
        out: dict[str, Any] = {
            "origin": {"id": self.origin.id, "name": self.origin.name},
            "destination": {"id": self.destination.id, "name": self.destination.name},
            "service": self.service.value,
            "avoid": list(self.avoid),
            "container": self.container_ft,
        }
        if self.scenario is not None:
            out["scenario"] = self.scenario
        if self.year is not None:
            out["year"] = self.year
        out["optimize"] = self.optimize.value
        out["routes"] = [
            {
                **r.to_dict(),
                "countries": list(route_countries(r, self.network.nodes)),
                "services": [x.to_dict() for x in service_rides(r)],
            }
            for r in self.routes
        ]
        return out

    def to_frame(self) -> Any:
        """One row per route (a ``pandas.DataFrame``)."""
        pd = require_extra("pandas", "frames", "RoutePlan.to_frame()")

        return pd.DataFrame(
            [
                {
                    "corridor": r.corridor.value,
                    "nodes": " > ".join(r.nodes),
                    "distance_km": r.distance_km,
                    "hours": r.hours,
                    "days": r.days,
                    "cost_usd": r.cost_usd,
                    "cost_usd_low": r.cost_band.low,
                    "cost_usd_high": r.cost_band.high,
                    "co2_kg": r.co2_kg,
                    "co2e_kg_ttw": r.co2e_kg[1],
                    "borders": r.borders,
                    "transshipments": r.transshipments,
                }
                for r in self.routes
            ]
        )

    def to_geojson(self, network: Network | None = None) -> dict[str, Any]:
        """The routes as a GeoJSON FeatureCollection (one feature per link leg and stop).

        ``network`` defaults to the one the routes were planned on (the argument exists so that
        :meth:`corridor.Comparison.to_geojson` and this method are called the same way).
        """
        from corridor.io import route_geojson  # noqa: PLC0415

        net = network or self.network
        return route_geojson(self.routes, net.nodes, net.by_key, net.geometries)

    @property
    def __geo_interface__(self) -> dict[str, Any]:
        """The GeoJSON FeatureCollection (the geo interface protocol used by GIS libraries)."""
        return self.to_geojson()

    def to_geodataframe(self) -> Any:
        """The routes' legs and stops as a ``geopandas.GeoDataFrame`` (needs geopandas)."""
        from corridor.io import to_geodataframe  # noqa: PLC0415

        return to_geodataframe(self.to_geojson())


def _price_routes(
    routes: Iterable[Route], net: Network, request: RouteRequest, year: int
) -> tuple[Route, ...]:
    """Each route priced and its emissions counted for the request's container, cargo and
    service class, at the tariffs of ``year``."""
    return tuple(
        price_route(
            route,
            net,
            container_ft=request.container_ft,
            year=year,
            service=request.service.value,
            cargo_t=request.cargo_t,
        )
        for route in routes
    )


def route(
    request: RouteRequest | str,
    destination: str | None = None,
    /,
    *,
    alternatives: int = 1,
    pareto: bool = False,
    network: Network | None = None,
    **fields: Any,
) -> RoutePlan:
    """Plan routes between two places.

    Parameters
    ----------
    request, destination
        A :class:`corridor.RouteRequest`, or the origin and destination names with the request's
        other fields as keywords (``via``, ``avoid``, ``objective``, ``depart``, ``year``,
        ``month``, ``value_of_time_usd_per_h``, ``scenario``, ``container_ft``, ``cargo_t``,
        ``service``, ``corridor`` to keep inside one corridor; see
        :class:`corridor.RouteRequest`). The year defaults as in every
        command: the scenario's network year, else the departure year (today's by default).
    alternatives
        Number of genuinely different routes wanted.
    pareto
        Return the time/cost/CO2 Pareto front instead.
    network
        The network (bundled by default).

    Raises
    ------
    NodeNotFoundError, NoRouteError, ScenarioError
    ModelError
        For an invalid request field (an unknown service class, a container size other than
        20 or 40, an impossible cargo mass, ...).

    Examples
    --------
    >>> plan = route("Baku", "Kars")
    >>> "akhalkalaki" in plan.routes[0].nodes
    True
    >>> route(
    ...     "Baku", "Kars", via=["Nakhchivan"], avoid=["IR"], scenario="new-links-2030"
    ... ).routes[0].nodes[3]
    'horadiz'
    """
    req = RouteRequest.of(request, destination, **fields)
    net, r, year, sc = _prepared(req, network)
    cons = replace(r.constraints(year=year, month=r.month), corridor=r.corridor)
    if pareto:
        routes = pareto_routes(net, r.origin, r.destination, constraints=cons)
    else:
        routes = _planned_routes(net, r, cons, alternatives)
    priced = _price_routes(routes, net, r, year)
    return RoutePlan(
        origin=net.nodes[r.origin],
        destination=net.nodes[r.destination],
        routes=priced,
        network=net,
        optimize=r.objective,
        service=r.service,
        scenario=sc.name if sc is not None else None,
        year=year,
        avoid=r.avoid,
        container_ft=r.container_ft,
    )


def _planned_routes(
    net: Network, r: RouteRequest, cons: Constraints, alternatives: int
) -> list[Route]:
    """The route the option policy picks (of the request's corridor, or the overall best),
    then genuinely different alternatives."""
    terms: dict[str, Any] = {
        "constraints": replace(cons, corridor=None),
        "objective": r.objective,
        "value_of_time_usd_per_h": r.value_of_time_usd_per_h,
        "container_ft": r.container_ft,
    }
    first = (
        corridor_option(net, r.origin, r.destination, r.corridor, **terms)
        if r.corridor is not None
        else choose_options(net, r.origin, r.destination, **terms).best
    )
    if alternatives <= 1:
        return [first]
    others = alternative_routes(
        net,
        r.origin,
        r.destination,
        alternatives,
        constraints=cons,
        objective=r.objective,
        value_of_time_usd_per_h=r.value_of_time_usd_per_h,
    )
    return [first, *(x for x in others if x.nodes != first.nodes)][:alternatives]


def compare(
    request: CompareRequest | str,
    destination: str | None = None,
    /,
    *,
    keep_samples: bool = False,
    network: Network | None = None,
    progress: Callable[[int, int], None] | None = None,
    route_cache: MutableMapping[Hashable, Any] | None = None,
    **fields: Any,
) -> Comparison:
    """Compare the corridors between two places: best route of each with P10/P50/P90 days.

    Parameters
    ----------
    request, destination
        A :class:`corridor.CompareRequest`, or the origin and destination names with the
        request's other fields as keywords (``depart``, ``samples``, ``seed``, ``year``,
        ``avoid``, ``via``, ``deadline_days``, ``objective``, ``value_of_time_usd_per_h``,
        ``scenario``, ``container_ft``, ``cargo_t``, ``service``; see
        :class:`corridor.CompareRequest`).
    keep_samples
        Keep sampled arrays (for plots).
    network
        The network (bundled by default).
    progress
        Called as ``progress(done, total)`` with the journeys drawn so far, over all corridors
        (large requests are drawn in chunks of 100,000 with bounded memory).
    route_cache
        Keeps the routes of earlier comparisons on the same network (see
        :func:`corridor.transit.compare_routes`); ignored under a ``scenario``.

    Raises
    ------
    NodeNotFoundError, NoRouteError, ScenarioError
    ModelError
        For an invalid request field.

    Examples
    --------
    >>> c = compare("Xi'an", "Istanbul", depart="2025-07-15", samples=2000)
    >>> "middle" in [o.corridor.value for o in c.options]
    True
    """
    from corridor.transit import compare_routes  # noqa: PLC0415

    req = CompareRequest.of(request, destination, **fields)
    net, r, year, sc = _prepared(req, network)
    result = compare_routes(
        net,
        replace(r, year=year, scenario=None),
        keep_samples=keep_samples,
        progress=progress,
        route_cache=route_cache if sc is None else None,
    )
    return result if sc is None else replace(result, scenario=sc.name)


def emissions(
    request: RouteRequest | str,
    destination: str | None = None,
    /,
    *,
    network: Network | None = None,
    **fields: Any,
) -> EmissionReport:
    """An ISO 14083 / GLEC emission report of the routes ``compare`` shows (or of one corridor).

    Parameters
    ----------
    request, destination
        A :class:`corridor.RouteRequest`, or the origin and destination names with the request's
        other fields as keywords (``year``, ``depart``, ``avoid``, ``via``, ``corridor``,
        ``service``, ``container_ft``, ``cargo_t``, ``scenario``). The network, values in
        force and tariffs are of the request's year (by default the departure year, as in
        ``compare``).
    network
        The network (bundled by default).

    Raises
    ------
    NodeNotFoundError, NoRouteError
    ModelError
        For a container size other than 20 or 40 or an impossible cargo mass.

    Examples
    --------
    >>> rep = emissions("Baku", "Kars", container_ft=20)
    >>> doc = rep.to_dict()
    >>> doc["container"], doc["chains"][0]["totals"]["total"]["wtw"] > 0
    (20, True)
    """
    req = RouteRequest.of(request, destination, **fields)
    net, r, year, _ = _prepared(req, network)
    cons = r.constraints(year=year, month=r.month)
    terms: dict[str, Any] = {
        "constraints": cons,
        "objective": r.objective,
        "value_of_time_usd_per_h": r.value_of_time_usd_per_h,
        "container_ft": r.container_ft,
    }
    if r.corridor is not None:
        routes: Sequence[Route] = [
            corridor_option(net, r.origin, r.destination, r.corridor, **terms)
        ]
    else:
        routes = choose_options(net, r.origin, r.destination, **terms).routes
    priced = _price_routes(routes, net, r, year)
    return EmissionReport(
        origin=net.nodes[r.origin],
        destination=net.nodes[r.destination],
        container_ft=r.container_ft,
        cargo_t=priced[0].cargo_t or 0.0,
        year=year,
        chains=priced,
        nodes=net.nodes,
        sources=net.sources,
    )
