"""The Python API mirroring the CLI: names in, typed results out.

Every function accepts place names as the CLI does (id, name, alias or UN/LOCODE, any case or
accents) and an optional ``network`` (the bundled one by default).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from corridor.errors import DataError, ModelError, NodeNotFoundError, NoRouteError, require_extra
from corridor.model import (
    Corridor,
    Event,
    Node,
    NodeKind,
    Route,
    Scenario,
    ServiceClass,
    meeting,
)
from corridor.network import Network, load_network
from corridor.routing import (
    DEFAULT_VALUE_OF_TIME_USD_PER_H,
    CompareRequest,
    Constraints,
    EmissionReport,
    Objective,
    RouteRequest,
    ScenarioRef,
    alternative_routes,
    choose_options,
    corridor_option,
    default_year,
    pareto_routes,
    price_route,
    resolve_avoid,
    route_countries,
    service_rides,
)
from corridor.transit.sizes import DEFAULT_ETA_SAMPLES

# The transit engines (numpy) and the file readers load in the functions that use them: a route
# needs neither (start-up time of ``corridor route``).
if TYPE_CHECKING:
    from corridor.transit import Comparison, EtaForecast, EtaStage, Milestone, Validation

__all__ = [
    "CompareRequest",
    "EtaResult",
    "RoutePlan",
    "RouteRequest",
    "ScenarioRef",
    "compare",
    "emissions",
    "eta",
    "eta_document",
    "parse_deadline",
    "parse_milestone",
    "plan_shipment",
    "port_ids",
    "resolve_avoid",
    "route",
    "validate",
]

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
    routes: Iterable[Route],
    net: Network,
    *,
    container_ft: int,
    year: int,
    service: str,
    cargo_t: float | None,
) -> tuple[Route, ...]:
    """Each route priced and its emissions counted for one container, year and service class."""
    return tuple(
        price_route(r, net, container_ft=container_ft, year=year, service=service, cargo_t=cargo_t)
        for r in routes
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
    priced = _price_routes(
        routes,
        net,
        container_ft=r.container_ft,
        year=year,
        service=r.service.value,
        cargo_t=r.cargo_t,
    )
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
    priced = _price_routes(
        routes,
        net,
        container_ft=r.container_ft,
        year=year,
        service=r.service.value,
        cargo_t=r.cargo_t,
    )
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


@dataclass(frozen=True, slots=True, kw_only=True)
class EtaResult:
    """A conditioned ETA: the forecast after the last milestone and the band at every stage."""

    origin: Node
    destination: Node
    depart: date
    service: str | None
    samples: int
    seed: int
    deadline: datetime | None
    milestones: tuple[Milestone, ...]
    forecast: EtaForecast
    stages: tuple[EtaStage, ...]
    planned: Route
    network: Network
    year: int | None = None
    events: tuple[Event, ...] = ()
    """Dated disruptions (``events.csv``) on the planned route between the departure and the
    P90 arrival."""

    def __repr__(self) -> str:
        track = self.forecast.track
        stage = self.forecast.stage
        if track.delivered:
            where = "delivered"
        elif track.last is not None:
            where = f"in transit, last seen at {self.network.nodes[track.last.node].name}"
        else:
            where = "not seen yet"
        if stage.overdue:
            where += ", overdue"
        return (
            f"<EtaResult {self.origin.name} → {self.destination.name}: {where}, "
            f"ETA P50 {stage.eta_p50:%Y-%m-%d %H:%M} (P10–P90 {stage.band_days:.1f} d)>"
        )

    def to_dict(self) -> dict[str, Any]:
        """The ``corridor eta --json`` document (with the dated ``events`` the route meets)."""
        doc = eta_document(
            self.forecast,
            self.stages,
            origin=self.origin,
            destination=self.destination,
            depart=self.depart,
            service=self.service,
            samples=self.samples,
            seed=self.seed,
            deadline=self.deadline,
            network=self.network,
            year=self.year,
        )
        doc["events"] = [e.to_dict() for e in self.events]
        doc["warnings"] = [f"{e.describe()}. {e.note}".strip() for e in self.events]
        return doc


def parse_deadline(value: date | datetime | str | None) -> datetime | None:
    """A deadline as a naive UTC date-time: a date means by the end of that day.

    Raises
    ------
    ModelError
        For text that is neither ``YYYY-MM-DD`` nor an ISO date-time.

    Examples
    --------
    >>> parse_deadline("2025-01-31")
    datetime.datetime(2025, 2, 1, 0, 0)
    """
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip()
        try:
            value = date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text)
        except ValueError:
            raise ModelError(
                f"deadline '{value}' is not a date YYYY-MM-DD or a date-time"
            ) from None
    day = value.date() if isinstance(value, datetime) else value
    if not date(2000, 1, 1) <= day <= date(2100, 12, 31):
        raise ModelError(f"deadline {day} is not between 2000-01-01 and 2100-12-31")
    if isinstance(value, datetime):
        from corridor.transit import as_utc  # noqa: PLC0415

        return as_utc(value)
    return datetime(value.year, value.month, value.day) + timedelta(days=1)


def plan_shipment(
    net: Network,
    origin: str,
    destination: str,
    *,
    depart: date,
    year: int | None = None,
    corridor: Corridor | str | None = None,
    via: Sequence[str] = (),
    service: str | None = None,
    seen: Sequence[Milestone] = (),
    objective: Objective | str = Objective.TIME,
    value_of_time_usd_per_h: float = DEFAULT_VALUE_OF_TIME_USD_PER_H,
) -> Route:
    """The planned route of a shipment (node ids in): the option policy's best route in the
    departure month for ``objective`` (:func:`corridor.routing.choose_options`), the row
    ``compare`` shows first.

    With ``corridor``, the route a comparison shows for that corridor
    (:func:`corridor.routing.corridor_option`: the fastest, the maritime one by price). With
    milestones already ``seen`` (and no corridor given), the fastest of the corridors' best
    routes that passes them all in order, a departure from a port being a sailing; when none
    does, the fastest route (the forecast then re-plans at the first milestone off it).
    ``service`` is the service class it is planned for (``None``: standard), whose values in
    force the legs carry; ``year`` is the network year (``None``: the departure year).

    Raises
    ------
    NoRouteError
    ModelError
        For an unknown service class.
    """
    cons = Constraints(
        year=default_year(year, depart),
        month=depart.month,
        via=tuple(via),
        service=ServiceClass.parse(service or ServiceClass.STANDARD),
    )
    terms: dict[str, Any] = {
        "constraints": cons,
        "objective": objective,
        "value_of_time_usd_per_h": value_of_time_usd_per_h,
    }
    if corridor is not None:
        return corridor_option(net, origin, destination, Corridor(corridor), **terms)
    from corridor.transit import compare_routes, fits  # noqa: PLC0415

    choice = choose_options(net, origin, destination, **terms)
    best = choice.best
    if objective == Objective.TIME and len(choice.routes) > 1:
        # the row compare shows first: the lowest median of the sampled journeys
        first = compare_routes(
            net,
            CompareRequest(
                origin=origin,
                destination=destination,
                depart=depart,
                year=cons.year,
                via=tuple(via),
                service=cons.service,
                value_of_time_usd_per_h=value_of_time_usd_per_h,
            ),
        ).options[0]
        best = next((r for r in choice.routes if r.nodes == first.route.nodes), best)
    ports = port_ids(net)
    if not seen or fits(best, seen, ports):
        return best
    fitting = [r for r in choice.routes if fits(r, seen, ports)]
    return min(fitting, key=lambda r: (r.hours, r.corridor.value)) if fitting else best


def port_ids(net: Network) -> frozenset[str]:
    """Ids of the network's ports (a departure from a port is a sailing)."""
    return frozenset(n.id for n in net.nodes.values() if n.kind is NodeKind.PORT)


def eta_document(
    result: EtaForecast,
    stages: Sequence[EtaStage],
    *,
    origin: Node,
    destination: Node,
    depart: date,
    service: str | None,
    samples: int,
    seed: int,
    deadline: datetime | None,
    network: Network,
    year: int | None = None,
) -> dict[str, Any]:
    """The ETA document shared by ``corridor eta --json`` and the shipments API.

    ``year`` is the network year the route was planned in (``None``: the departure year).
    """
    track = result.track
    nodes = network.nodes
    last = track.last
    out: dict[str, Any] = {
        "origin": {"id": origin.id, "name": origin.name},
        "destination": {"id": destination.id, "name": destination.name},
        "depart": depart.isoformat(),
        "service": service or "standard",
        "year": year if year is not None else depart.year,
        "samples": samples,
        "seed": seed,
    }
    if deadline is not None:
        out["deadline"] = deadline.isoformat(timespec="minutes")
    from corridor.transit import ShipmentStatus  # noqa: PLC0415

    out["status"] = str(ShipmentStatus.DELIVERED if track.delivered else ShipmentStatus.IN_TRANSIT)
    out["position"] = (
        {**last.to_dict(), "name": nodes[last.node].name} if last is not None else None
    )
    stage = result.stage.to_dict()
    out["eta"] = stage["eta"]
    out["remaining_days"] = stage["remaining_days"]
    out["band_days"] = stage["band_days"]
    if "on_time_probability" in stage:
        out["on_time_probability"] = stage["on_time_probability"]
    for key in ("as_of", "overdue", "expected_by", "beyond_model"):
        if key in stage:
            out[key] = stage[key]
    _add_local_times(out, result, destination, nodes)
    out["where"] = [{"mode": mode, "days": round(days, 2)} for mode, days in result.where]
    nxt = result.next_milestone
    out["next_milestone"] = (
        {
            "node": nxt[0],
            "name": nodes[nxt[0]].name,
            "event": nxt[1].value,
            "p50": nxt[2].isoformat(timespec="minutes"),
        }
        if nxt is not None
        else None
    )
    out["route"] = {
        "corridor": track.route.corridor.value,
        "nodes": list(track.path),
        "reached": track.reached,
        "replanned_at": list(track.replanned_at),
        "remaining_legs": [
            {**leg.to_dict(), "hours": {"mean": round(m, 2)}} for leg, m in result.legs
        ],
    }
    out["stages"] = [s.to_dict() for s in stages]
    return out


def _add_local_times(
    out: dict[str, Any], result: EtaForecast, destination: Node, nodes: Mapping[str, Node]
) -> None:
    """Add the ETA, the position and the next milestone in their place's local time.

    ``eta_local`` holds the destination's zone and the band in it; the position and the next
    milestone get ``at_local`` / ``p50_local`` in their node's zone (nothing where no zone is
    known, such as at sea).
    """
    from corridor.network.timezones import local_iso, zone_name  # noqa: PLC0415

    zone = zone_name(destination)
    st = result.stage
    if zone is not None:
        out["eta_local"] = {
            "tz": zone,
            "p10": local_iso(st.eta_p10, zone),
            "p50": local_iso(st.eta_p50, zone),
            "p90": local_iso(st.eta_p90, zone),
        }
    last = result.track.last
    if last is not None and out.get("position") is not None:
        here = zone_name(nodes[last.node])
        if here is not None:
            out["position"]["at_local"] = local_iso(last.at, here)
            out["position"]["tz"] = here
    nxt = result.next_milestone
    if nxt is not None and out.get("next_milestone") is not None:
        there = zone_name(nodes[nxt[0]])
        if there is not None:
            out["next_milestone"]["p50_local"] = local_iso(nxt[2], there)
            out["next_milestone"]["tz"] = there


def eta(
    origin: str,
    destination: str,
    *,
    depart: date | str,
    seen: Iterable[Milestone | str] = (),
    deadline: date | datetime | str | None = None,
    service: str | None = None,
    corridor: Corridor | str | None = None,
    year: int | None = None,
    samples: int = DEFAULT_ETA_SAMPLES,
    seed: int = 1,
    now: datetime | None = None,
    network: Network | None = None,
    objective: Objective | str = Objective.TIME,
    value_of_time_usd_per_h: float = DEFAULT_VALUE_OF_TIME_USD_PER_H,
) -> EtaResult:
    """The ETA of a container, conditioned on the milestones seen so far.

    Parameters
    ----------
    origin, destination
        Place names.
    depart
        Planned departure date (the journey starts at 00:00 UTC that day).
    seen
        Milestones in the order they happened: :class:`Milestone` records (node ids) or text
        ``NODE@DATETIME[:arr|dep]`` with any place name (``aktau@2025-01-14T08:00:dep``;
        arrival when the suffix is left out).
    deadline
        Due date (by the end of that day) or date-time: adds the on-time probability.
    service
        Service class (``express`` or ``standard``, the default).
    corridor
        Plan within this corridor (default: the fastest route).
    year
        Network year: links open and values in force (``None``: the departure year).
    samples, seed
        Monte-Carlo journeys per forecast and their seed.
    objective, value_of_time_usd_per_h
        What picks the planned route (as ``compare --optimize``).
    now
        The present, UTC (default: this machine's clock); later milestones are refused, and
        the ETA is conditioned on no arrival between the last milestone and ``now`` (it moves
        forward with the clock; past the P90 the container is flagged ``overdue``).
    network
        The network (bundled by default).

    Raises
    ------
    NodeNotFoundError, NoRouteError, MilestoneError, ModelError

    Examples
    --------
    >>> r = eta("Xi'an", "Istanbul", depart="2025-01-06", seen=["aktau@2025-01-14T08:00:dep"],
    ...         samples=2000)
    >>> r.to_dict()["route"]["nodes"][r.forecast.track.reached - 1]
    'aktau'
    """
    from corridor.transit import Milestone, as_utc, replanner, track_eta  # noqa: PLC0415

    net = network or load_network()
    o, d = net.node(origin), net.node(destination)
    when = date.fromisoformat(depart) if isinstance(depart, str) else depart
    year = default_year(year, when)
    if not 1 <= samples <= 1_000_000:
        raise ModelError(f"samples must be between 1 and 1,000,000, got {samples}")
    milestones = tuple(m if isinstance(m, Milestone) else parse_milestone(net, m) for m in seen)
    route_plan = plan_shipment(
        net,
        o.id,
        d.id,
        depart=when,
        year=year,
        corridor=corridor,
        service=service,
        seen=milestones,
        objective=objective,
        value_of_time_usd_per_h=value_of_time_usd_per_h,
    )
    plan = replanner(
        net,
        year=year,
        corridor=Corridor(corridor) if corridor is not None else route_plan.corridor,
        service=service,
    )
    due = parse_deadline(deadline)
    present = as_utc(now) if now is not None else datetime.now(UTC).replace(tzinfo=None)
    result, stages = track_eta(
        route_plan,
        when,
        milestones,
        planner=plan,
        samples=samples,
        seed=seed,
        deadline=due,
        now=present,
        names=lambda node: net.nodes[node].name,
        at_now=True,
    )
    return EtaResult(
        origin=o,
        destination=d,
        depart=when,
        service=service,
        samples=samples,
        seed=seed,
        deadline=due,
        milestones=milestones,
        forecast=result,
        stages=stages,
        planned=route_plan,
        network=net,
        year=year,
        events=meeting(
            net.values.events,
            nodes=route_plan.nodes,
            countries={net.nodes[n].country for n in route_plan.nodes},
            start=when,
            end=result.stage.eta_p90.date(),
        ),
    )


def parse_milestone(net: Network, text: str) -> Milestone:
    """A milestone from ``NODE@DATETIME[:arr|dep]`` (any place name; arrival by default).

    Raises
    ------
    ModelError
        When the text has no ``@``, a bad date-time or an unknown event suffix.
    NodeNotFoundError
        For an unknown place.

    Examples
    --------
    >>> from corridor import load_network
    >>> parse_milestone(load_network(), "Aktau@2025-01-14T08:00:dep").to_dict()
    {'node': 'aktau', 'event': 'dep', 'at': '2025-01-14T08:00'}
    """
    from corridor.transit import Milestone, MilestoneKind  # noqa: PLC0415

    place, sep, rest = text.rpartition("@")
    if not sep or not place.strip() or not rest.strip():
        raise ModelError(f"milestone '{text}' is not NODE@DATETIME[:arr|dep]")
    kind = MilestoneKind.ARRIVAL
    stamp = rest.strip()
    head, colon, tail = stamp.rpartition(":")
    if colon and tail.lower() in ("arr", "dep"):
        kind, stamp = MilestoneKind(tail.lower()), head
    try:
        at = datetime.fromisoformat(stamp)
    except ValueError:
        raise ModelError(
            f"milestone '{text}': '{stamp}' is not a date-time like 2025-01-14T08:00"
        ) from None
    return Milestone(node=net.node(place.strip()).id, at=at, kind=kind)


def validate(
    observed: str | Path,
    *,
    samples: int = 2000,
    seed: int = 1,
    network: Network | None = None,
    text: str | None = None,
) -> Validation:
    """The model's P10/P50/P90 against observed journeys (``corridor validate``).

    Parameters
    ----------
    observed
        A CSV file of observed journeys (see :mod:`corridor.io.observed` for the columns), or,
        with ``text``, the name to give the CSV in messages.
    samples, seed
        Monte-Carlo journeys per corridor and row, and the seed.
    network
        The network (bundled by default).
    text
        The CSV itself (as the API receives it) instead of reading ``observed``.

    Raises
    ------
    DataError
        A missing file, missing columns or bad rows, each naming its file, row and field (all
        bad rows in ``problems``).

    Examples
    --------
    >>> csv_text = "origin,destination,depart,days,service\\nXi'an,Baku,2025-05-01,9-12,express\\n"
    >>> v = validate("mine.csv", text=csv_text, samples=500)
    >>> v.checks[0].journey.service.value
    'express'
    """
    from corridor.io import parse_observed_rows, raise_problems, read_observed_text  # noqa: PLC0415
    from corridor.transit import validate_journeys  # noqa: PLC0415

    net = network or load_network()
    name = Path(str(observed)).name
    if text is None:
        text = read_observed_text(observed)
    journeys, problems = parse_observed_rows(text, file=name)
    if problems:
        # report the unknown places of the well-formed rows with the malformed rows
        names = [
            DataError(str(exc), file=name, row=j.row, field=field)
            for j in journeys
            for field, place in (("origin", j.origin), ("destination", j.destination))
            if (exc := _unknown(net, place)) is not None
        ]
        raise_problems([*problems, *names])
    if not journeys:
        raise DataError("no journeys (only a header)", file=name, row=2)
    return validate_journeys(net, journeys, samples=samples, seed=seed, file=name)


def _unknown(net: Network, place: str) -> NodeNotFoundError | None:
    try:
        net.node(place)
    except NodeNotFoundError as exc:
        return exc
    return None
