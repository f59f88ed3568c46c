"""The Python API mirroring the CLI: names in, typed results out.

Every function accepts place names as the CLI does (id, name, alias or UN/LOCODE, any case or
accents) and an optional ``network`` (the bundled one by default).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from corridor.errors import DataError, ModelError, NodeNotFoundError, NoRouteError
from corridor.io import (
    parse_observed_rows,
    raise_problems,
    read_observed_text,
    route_geojson,
    to_geodataframe,
)
from corridor.model import Corridor, Node, NodeKind, Route, Scenario, ServiceClass
from corridor.network import (
    Network,
    closed_places,
    country_candidates,
    country_code,
    load_network,
    scenario_network,
)
from corridor.routing import (
    DEFAULT_PRICE_YEAR,
    DEFAULT_VALUE_OF_TIME_USD_PER_H,
    Constraints,
    EmissionReport,
    Objective,
    alternative_routes,
    choose_options,
    corridor_option,
    pareto_routes,
    price_route,
    route_countries,
    routes_by_corridor,
)
from corridor.transit import (
    DEFAULT_ETA_SAMPLES,
    Comparison,
    EtaForecast,
    EtaStage,
    Milestone,
    MilestoneKind,
    ShipmentStatus,
    Validation,
    as_utc,
    compare_routes,
    fits,
    replanner,
    track_eta,
    validate_journeys,
)

__all__ = [
    "EtaResult",
    "RoutePlan",
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


ScenarioRef = str | Path | Mapping[str, Any] | Scenario
"""A scenario: a bundled name, a YAML file, a document, or a loaded :class:`Scenario`."""


def _under_scenario(
    net: Network, scenario: ScenarioRef | None, year: int | None, places: Iterable[str]
) -> tuple[Network, int | None, Scenario | None]:
    """The network under ``scenario`` and the year to route in (``year`` wins over the scenario's).

    Raises
    ------
    ScenarioError
        Unknown or invalid scenario.
    NoRouteError
        When the scenario closes one of ``places`` (the origin, the destination or a via).
    NodeNotFoundError
        For an unknown place.
    """
    if scenario is None:
        return net, year, None
    sc, under = scenario_network(scenario, net)
    if year is None and sc.year_stated:
        year = sc.network_year
    closed = closed_places(net, sc)
    for place in places:
        node = net.node(place)
        if node.id in closed:
            raise NoRouteError(f"{node.name} ({node.id}) is closed in scenario {sc.name}")
    return under, year, sc


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
        out["routes"] = [
            {**r.to_dict(), "countries": list(route_countries(r, self.network.nodes))}
            for r in self.routes
        ]
        return out

    def to_frame(self) -> Any:
        """One row per route (a ``pandas.DataFrame``)."""
        import pandas as pd  # noqa: PLC0415  (optional heavy import)

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
        net = network or self.network
        return route_geojson(self.routes, net.nodes, net.by_key, net.geometries)

    @property
    def __geo_interface__(self) -> dict[str, Any]:
        """The GeoJSON FeatureCollection (the geo interface protocol used by GIS libraries)."""
        return self.to_geojson()

    def to_geodataframe(self) -> Any:
        """The routes' legs and stops as a ``geopandas.GeoDataFrame`` (needs geopandas)."""
        return to_geodataframe(self.to_geojson())


def resolve_avoid(net: Network, items: Iterable[str]) -> tuple[frozenset[str], frozenset[str]]:
    """Split ``--avoid`` values into country codes and node ids.

    A value that names a country (ISO alpha-2 or alpha-3 code, or English name: ``RU``, ``rus``,
    ``Russia``, ``Türkiye``) is that country; anything else must name a place (id, name, alias or
    UN/LOCODE).

    Raises
    ------
    NodeNotFoundError
        For a value that is neither a country nor a place, with the closest of both.

    Examples
    --------
    >>> from corridor import load_network
    >>> countries, places = resolve_avoid(load_network(), ["Russia", "IRN", "Suez"])
    >>> sorted(countries), sorted(places)
    (['IR', 'RU'], ['suez'])
    """
    avoid_c: set[str] = set()
    avoid_n: set[str] = set()
    for item in items:
        code = country_code(item)
        if code is not None:
            avoid_c.add(code)
            continue
        try:
            avoid_n.add(net.node(item).id)
        except NodeNotFoundError as exc:
            if exc.ambiguous:
                raise
            candidates = [*country_candidates(item, 2), *exc.candidates][:3]
            raise NodeNotFoundError(item, candidates, what="country or place") from None
    return frozenset(avoid_c), frozenset(avoid_n)


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
    origin: str,
    destination: str,
    *,
    via: Sequence[str] = (),
    avoid: Iterable[str] = (),
    optimize: Objective | str = Objective.TIME,
    alternatives: int = 1,
    pareto: bool = False,
    year: int | None = None,
    month: int | None = None,
    value_of_time_usd_per_h: float = DEFAULT_VALUE_OF_TIME_USD_PER_H,
    scenario: ScenarioRef | None = None,
    container_ft: int = 40,
    cargo_t: float | None = None,
    network: Network | None = None,
    service: ServiceClass | str = ServiceClass.STANDARD,
) -> RoutePlan:
    """Plan routes between two places.

    Parameters
    ----------
    origin, destination
        Place names (id, name, alias or UN/LOCODE).
    via
        Places to pass, in order.
    avoid
        Countries (``RU``, ``RUS``, ``Russia``) or places (``Suez``) to avoid.
    optimize
        ``time`` (expected hours), ``cost`` (USD/FEU), ``co2`` (kg CO2e/FEU) or ``generalized``.
    alternatives
        Number of genuinely different routes wanted.
    pareto
        Return the time/cost/CO2 Pareto front instead.
    year
        Network year: planned links open from their opening year, and the values (border
        times, speeds, sailings, the Red Sea status) in force that year; ``None``: today's.
    month
        Calendar month for seasonal weather (``None``: year average).
    value_of_time_usd_per_h
        Value of time in the generalized cost, USD per FEU-hour.
    scenario
        Plan on the network as this scenario describes it (bundled name, YAML file, document
        or :class:`Scenario`); ``year`` defaults to the scenario's ``network_year`` (if it
        states one).
    container_ft, cargo_t
        Container size (20 or 40 ft) and cargo mass in it (t; default 10 t per TEU) that the
        routes' costs and emissions are for (tariffs of ``year``, else of
        :data:`corridor.routing.DEFAULT_PRICE_YEAR`).
    network
        The network (bundled by default).
    service
        ``standard`` (regular train at CPMM averages) or ``express`` (scheduled block train
        with through-transit customs, priority path and reserved ferry slot).

    Raises
    ------
    NodeNotFoundError, NoRouteError, ScenarioError
    ModelError
        For an unknown service class.
        For a container size other than 20 or 40 or an impossible cargo mass.

    Examples
    --------
    >>> plan = route("Baku", "Kars")
    >>> "akhalkalaki" in plan.routes[0].nodes
    True
    >>> route("Baku", "Kars", via=["Nakhchivan"], scenario="new-links-2030").routes[0].nodes[3]
    'horadiz'
    """
    net, year, sc = _under_scenario(
        network or load_network(), scenario, year, (origin, destination, *via)
    )
    o, d = net.node(origin), net.node(destination)
    avoid_c, avoid_n = resolve_avoid(net, avoid)
    cons = Constraints(
        avoid_countries=avoid_c,
        avoid_nodes=avoid_n,
        via=tuple(net.node(v).id for v in via),
        year=year,
        month=month,
        service=ServiceClass.parse(service),
    )
    if pareto:
        routes = pareto_routes(net, o.id, d.id, constraints=cons)
    else:
        routes = alternative_routes(
            net,
            o.id,
            d.id,
            alternatives,
            constraints=cons,
            objective=optimize,
            value_of_time_usd_per_h=value_of_time_usd_per_h,
        )
    when = year if year is not None else DEFAULT_PRICE_YEAR
    priced = _price_routes(
        routes,
        net,
        container_ft=container_ft,
        year=when,
        service=cons.service.value,
        cargo_t=cargo_t,
    )
    return RoutePlan(
        origin=o,
        destination=d,
        routes=priced,
        network=net,
        service=cons.service,
        scenario=sc.name if sc is not None else None,
        year=year,
        avoid=(*sorted(avoid_c), *sorted(avoid_n)),
        container_ft=container_ft,
    )


def compare(
    origin: str,
    destination: str,
    *,
    depart: date | str | None = None,
    samples: int = 10_000,
    seed: int = 1,
    year: int | None = None,
    avoid: Iterable[str] = (),
    via: Sequence[str] = (),
    deadline_days: float | None = None,
    optimize: Objective | str = Objective.TIME,
    value_of_time_usd_per_h: float = DEFAULT_VALUE_OF_TIME_USD_PER_H,
    keep_samples: bool = False,
    scenario: ScenarioRef | None = None,
    container_ft: int = 40,
    cargo_t: float | None = None,
    network: Network | None = None,
    service: ServiceClass | str = ServiceClass.STANDARD,
    progress: Callable[[int, int], None] | None = None,
    route_cache: MutableMapping[Hashable, Any] | None = None,
) -> Comparison:
    """Compare the corridors between two places: best route of each with P10/P50/P90 days.

    Parameters
    ----------
    origin, destination
        Place names.
    depart
        Departure date (``date`` or ``YYYY-MM-DD``); default today.
    samples, seed
        Monte-Carlo journeys per corridor and the seed (same seed, same numbers).
    year
        Network year (links open, values in force) and tariff year; ``None``: the departure
        year (the network, the values in force and the prices always come from one year).
    avoid
        Countries (code or English name) or places to avoid.
    via
        Places every route passes, in order.
    deadline_days
        Report the probability of arriving within this many days.
    optimize, value_of_time_usd_per_h
        How each corridor's route is chosen.
    keep_samples
        Keep sampled arrays (for plots).
    scenario
        Compare on the network as this scenario describes it (bundled name, YAML file,
        document or :class:`Scenario`); ``year`` defaults to the scenario's ``network_year`` (if it
        states one).
    container_ft, cargo_t
        Container size (20 or 40 ft) and cargo mass in it (t; default 10 t per TEU).
    network
        The network (bundled by default).
    service
        ``standard`` or ``express``.
    progress
        Called as ``progress(done, total)`` with the journeys drawn so far, over all corridors
        (large requests are drawn in chunks of 100,000 with bounded memory).
    route_cache
        Keeps the routes of earlier comparisons on the same network (see
        :func:`corridor.transit.compare_routes`); ignored under a ``scenario``.

    Raises
    ------
    NodeNotFoundError, NoRouteError, ScenarioError

    Examples
    --------
    >>> c = compare("Xi'an", "Istanbul", depart="2025-07-15", samples=2000)
    >>> "middle" in [o.corridor.value for o in c.options]
    True
    """
    net, year, sc = _under_scenario(
        network or load_network(), scenario, year, (origin, destination, *via)
    )
    o, d = net.node(origin), net.node(destination)
    avoid_c, avoid_n = resolve_avoid(net, avoid)
    when = date.fromisoformat(depart) if isinstance(depart, str) else (depart or date.today())
    result = compare_routes(
        net,
        o.id,
        d.id,
        depart=when,
        samples=samples,
        seed=seed,
        year=year,
        avoid_countries=avoid_c,
        avoid_nodes=avoid_n,
        via=tuple(net.node(v).id for v in via),
        deadline_days=deadline_days,
        objective=optimize,
        value_of_time_usd_per_h=value_of_time_usd_per_h,
        keep_samples=keep_samples,
        service=service,
        container_ft=container_ft,
        cargo_t=cargo_t,
        progress=progress,
        route_cache=route_cache if sc is None else None,
    )
    return result if sc is None else replace(result, scenario=sc.name)


def emissions(
    origin: str,
    destination: str,
    *,
    year: int | None = None,
    avoid: Iterable[str] = (),
    via: Sequence[str] = (),
    corridor: Corridor | str | None = None,
    service: ServiceClass | str = ServiceClass.STANDARD,
    container_ft: int = 40,
    cargo_t: float | None = None,
    network: Network | None = None,
) -> EmissionReport:
    """An ISO 14083 / GLEC emission report of the routes ``compare`` shows (or of one corridor).

    Parameters
    ----------
    origin, destination
        Place names.
    year
        Network and tariff year: the links open, the values in force and the prices of that
        year (default :data:`corridor.routing.DEFAULT_PRICE_YEAR`, for all three).
    avoid, via
        Country codes or places to avoid; places to pass.
    corridor
        Only this corridor (``middle``, ``northern``, ``southern``, ``maritime``, ``direct``).
    service
        ``standard`` or ``express``: the service class whose values choose the routes.
    container_ft, cargo_t
        Container size (20 or 40 ft) and cargo mass in it (t; default 10 t per TEU).
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
    net = network or load_network()
    o, d = net.node(origin), net.node(destination)
    avoid_c, avoid_n = resolve_avoid(net, avoid)
    when = year if year is not None else DEFAULT_PRICE_YEAR
    cons = Constraints(
        avoid_countries=avoid_c,
        avoid_nodes=avoid_n,
        via=tuple(net.node(v).id for v in via),
        year=when,
        service=ServiceClass.parse(service),
    )
    if corridor is not None:
        routes: Sequence[Route] = [
            corridor_option(net, o.id, d.id, Corridor(corridor), constraints=cons)
        ]
    else:
        routes = choose_options(net, o.id, d.id, constraints=cons).routes
    priced = _price_routes(
        routes,
        net,
        container_ft=container_ft,
        year=when,
        service=cons.service.value,
        cargo_t=cargo_t,
    )
    return EmissionReport(
        origin=o,
        destination=d,
        container_ft=container_ft,
        cargo_t=priced[0].cargo_t or 0.0,
        year=when,
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
        """The ``corridor eta --json`` document."""
        return eta_document(
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
    if isinstance(value, datetime):
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
) -> Route:
    """The planned route of a shipment: the fastest in the departure month (node ids in).

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
        year=year if year is not None else depart.year,
        month=depart.month,
        via=tuple(via),
        service=ServiceClass.parse(service or ServiceClass.STANDARD),
    )
    if corridor is not None:
        return corridor_option(net, origin, destination, Corridor(corridor), constraints=cons)
    best = alternative_routes(net, origin, destination, 1, constraints=cons)[0]
    ports = port_ids(net)
    if not seen or fits(best, seen, ports):
        return best
    fitting = [
        r
        for r in routes_by_corridor(net, origin, destination, constraints=cons)
        if fits(r, seen, ports)
    ]
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
    net = network or load_network()
    o, d = net.node(origin), net.node(destination)
    when = date.fromisoformat(depart) if isinstance(depart, str) else depart
    year = year if year is not None else when.year
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
