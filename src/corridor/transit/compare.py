"""Compare corridors between two places: the best route of each; transit time as a distribution."""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, MutableMapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

import numpy as np

from corridor.errors import ModelError, NoRouteError, require_extra
from corridor.io import option_geojson, route_geojson, to_geodataframe
from corridor.model import Corridor, Event, EventEffect, Node, Route, ServiceClass, meeting
from corridor.model.timing import row_quantile
from corridor.network import Network
from corridor.network.values import status_day
from corridor.routing import (
    ALL_CORRIDORS,
    DEFAULT_VALUE_OF_TIME_USD_PER_H,
    CompareRequest,
    Constraints,
    CorridorChoice,
    Objective,
    Omitted,
    choose_options,
    main_mode,
    price_route,
    route_countries,
    service_rides,
)
from corridor.transit.engine import Closures, RouteSamples, closure_windows, sample_route

__all__ = ["Comparison", "CorridorOption", "DaysSummary", "LegStat", "compare_routes"]

_CORRIDORS: tuple[Corridor, ...] = (
    *(c for c in ALL_CORRIDORS if c is not Corridor.NORTH_SOUTH),
    Corridor.NORTH_SOUTH,
)
"""Seed order: a corridor added later takes the next child, so the others keep their draws."""
MAX_SAMPLES = 1_000_000
CHUNK_SAMPLES = 100_000
"""Journeys drawn at once per corridor; larger requests are drawn in chunks of this size."""
LEG_P90_SAMPLES = 200_000
"""Journeys used for the legs' P90 hours in a chunked comparison."""


@dataclass(frozen=True, slots=True, kw_only=True)
class DaysSummary:
    """Percentiles and mean of door-to-door days."""

    p10: float
    p50: float
    p90: float
    mean: float

    @classmethod
    def of(cls, days: np.ndarray[Any, np.dtype[np.float64]]) -> DaysSummary:
        """Summarise an array of sampled days."""
        p10, p50, p90 = np.percentile(days, [10, 50, 90])
        return cls(p10=float(p10), p50=float(p50), p90=float(p90), mean=float(days.mean()))

    def to_dict(self) -> dict[str, float]:
        """Rounded to 0.01 day."""
        return {k: round(getattr(self, k), 2) for k in ("p10", "p50", "p90", "mean")}


@dataclass(frozen=True, slots=True, kw_only=True)
class LegStat:
    """Where the days go: a leg's mean and P90 hours in the sampled journeys."""

    mean_h: float
    p90_h: float


@dataclass(frozen=True, slots=True, kw_only=True)
class CorridorOption:
    """The best route of one corridor and its sampled transit time."""

    corridor: Corridor
    route: Route
    days: DaysSummary
    legs: tuple[LegStat, ...]
    on_time_probability: float | None = None
    samples: RouteSamples | None = None
    countries: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    """What a user should know about this option (a detour kept as the fastest, countries
    re-entered between the via places); see :mod:`corridor.routing.options`."""
    events: tuple[Event, ...] = ()
    """Dated disruptions (``events.csv``) the journey meets between its departure and its P90
    arrival; each also gives a line of ``notes``."""

    def __repr__(self) -> str:
        d = self.days
        return (
            f"<CorridorOption {self.corridor.value}: P50 {d.p50:.1f} d "
            f"(P10–P90 {d.p10:.1f}–{d.p90:.1f}), {self.route.distance_km:,.0f} km, "
            f"{self.route.cost_usd:,.0f} USD, {len(self.route.nodes)} nodes>"
        )

    @property
    def mode(self) -> str:
        """The main mode of the route (the one carrying the box furthest): ``rail``, ``road``,
        ``river``, ``sea`` or ``ferry``; a corridor shows a row for each (docs/options.md)."""
        return main_mode(self.route).value

    def to_dict(self) -> dict[str, Any]:
        """As one element of ``options`` in the ``corridor compare --json`` contract."""
        legs = []
        for leg, stat in zip(self.route.legs, self.legs, strict=True):
            d = leg.to_dict()
            d["hours"] = {"mean": round(stat.mean_h, 2), "p90": round(stat.p90_h, 2)}
            legs.append(d)
        out: dict[str, Any] = {
            "corridor": self.corridor.value,
            "mode": self.mode,
            "route": {"nodes": list(self.route.nodes), "legs": legs},
            "countries": list(self.countries),
            "distance_km": round(self.route.distance_km, 1),
            "days": self.days.to_dict(),
            "cost_usd_per_feu": round(self.route.cost_usd, 2),
            "co2_kg_per_feu": round(self.route.co2_kg, 2),
            "borders": self.route.borders,
            "transshipments": self.route.transshipments,
            "notes": list(self.notes),
            "events": [e.to_dict() for e in self.events],
            "services": [x.to_dict() for x in service_rides(self.route)],
        }
        if self.route.priced:
            wtw, ttw = self.route.co2e_kg
            out["container"] = self.route.container_ft
            out["cost_usd"] = self.route.cost_band.to_dict()
            out["cost_estimated_share"] = round(self.route.cost_estimated_share, 3)
            out["co2e_kg"] = {"wtw": round(wtw, 2), "ttw": round(ttw, 2)}
        if self.on_time_probability is not None:
            out["on_time_probability"] = round(self.on_time_probability, 4)
        return out


@dataclass(frozen=True, slots=True, kw_only=True)
class Comparison:
    """The corridors between two places, fastest (by median days) first."""

    origin: Node
    destination: Node
    depart: date
    samples: int
    seed: int
    options: tuple[CorridorOption, ...]
    deadline_days: float | None = None
    year: int | None = None
    avoid: tuple[str, ...] = ()
    omitted: tuple[Omitted, ...] = ()
    service: ServiceClass = ServiceClass.STANDARD
    via: tuple[str, ...] = ()
    scenario: str | None = None
    """Name of the scenario the network was taken from (``None``: the network as loaded)."""
    network: Network | None = field(default=None, repr=False, compare=False)
    """The network the comparison was made on (for maps and exports)."""
    container_ft: int = 40
    cargo_t: float | None = None
    optimize: Objective = Objective.TIME
    """What chose each corridor's route (the request's objective)."""
    value_of_time_usd_per_h: float = DEFAULT_VALUE_OF_TIME_USD_PER_H

    def __repr__(self) -> str:
        ranked = ", ".join(f"{o.corridor.value} P50 {o.days.p50:.1f} d" for o in self.options)
        return (
            f"<Comparison {self.origin.name} → {self.destination.name}, departing "
            f"{self.depart.isoformat()}, {self.samples:,} samples: {ranked or 'no route'}>"
        )

    def to_dict(self) -> dict[str, Any]:
        """The ``corridor compare --json`` document."""
        out: dict[str, Any] = {
            "origin": {"id": self.origin.id, "name": self.origin.name},
            "destination": {"id": self.destination.id, "name": self.destination.name},
            "depart": self.depart.isoformat(),
            "samples": self.samples,
            "seed": self.seed,
            "service": self.service.value,
            "optimize": self.optimize.value,
            "value_of_time_usd_per_h": self.value_of_time_usd_per_h,
        }
        if self.year is not None:
            out["year"] = self.year
        if self.deadline_days is not None:
            out["deadline_days"] = self.deadline_days
        out["avoid"] = list(self.avoid)
        if self.via:
            out["via"] = list(self.via)
        if self.scenario is not None:
            out["scenario"] = self.scenario
        out["container"] = self.container_ft
        if self.cargo_t is not None:
            out["cargo_t"] = self.cargo_t
        if self.options and self.options[0].route.price_year is not None:
            out["price_year"] = self.options[0].route.price_year
        out["options"] = [o.to_dict() for o in self.options]
        out["omitted"] = [o.to_dict() for o in self.omitted]
        return out

    def to_geojson(
        self, network: Network | None = None, *, per_option: bool = False
    ) -> dict[str, Any]:
        """The corridors' routes as a GeoJSON FeatureCollection.

        By default one feature per link leg and per stop (``route`` = option index); with
        ``per_option`` one LineString per option, carrying the option's figures as flat
        properties (days P10/P50/P90/mean, on-time probability, km, USD per container with its
        range, CO2e WTW/TTW, borders, countries, notes).

        Node positions and measured track or sea geometries come from the network the
        comparison was made on; ``network`` is needed only for a comparison built by hand
        without one.

        Raises
        ------
        ModelError
            Without a network to draw on.
        """
        net = network or self.network
        if net is None:
            raise ModelError("this comparison has no network: pass to_geojson(network)")
        routes = [o.route for o in self.options]
        if per_option:
            summaries = []
            for o in self.options:
                row = o.to_dict()
                del row["route"], row["corridor"]
                row["countries"] = " › ".join(o.countries)
                row["notes"] = " | ".join(o.notes) or None
                summaries.append(row)
            return option_geojson(routes, summaries, net.nodes, net.by_key, net.geometries)
        return route_geojson(routes, net.nodes, net.by_key, net.geometries)

    @property
    def __geo_interface__(self) -> dict[str, Any]:
        """The GeoJSON FeatureCollection (the geo interface protocol used by GIS libraries)."""
        return self.to_geojson()

    def to_geodataframe(self, *, per_option: bool = False) -> Any:
        """The routes' legs and stops, or with ``per_option`` one line per option, as a
        ``geopandas.GeoDataFrame`` with flat columns (needs geopandas)."""
        return to_geodataframe(self.to_geojson(per_option=per_option))

    def to_frame(self) -> Any:
        """One row per corridor (a ``pandas.DataFrame``)."""
        pd = require_extra("pandas", "frames", "Comparison.to_frame()")

        rows = []
        for o in self.options:
            rows.append(
                {
                    "corridor": o.corridor.value,
                    "p10_days": o.days.p10,
                    "p50_days": o.days.p50,
                    "p90_days": o.days.p90,
                    "mean_days": o.days.mean,
                    "distance_km": o.route.distance_km,
                    "cost_usd_per_feu": o.route.cost_usd,
                    "cost_usd_low": o.route.cost_band.low,
                    "cost_usd_high": o.route.cost_band.high,
                    "co2_kg_per_feu": o.route.co2_kg,
                    "co2e_kg_ttw": o.route.co2e_kg[1],
                    "borders": o.route.borders,
                    "transshipments": o.route.transshipments,
                    "on_time_probability": o.on_time_probability,
                    "countries": " › ".join(o.countries),
                }
            )
        return pd.DataFrame(rows)


def compare_routes(
    net: Network,
    request: CompareRequest,
    *,
    corridors: Sequence[Corridor] = _CORRIDORS,
    keep_samples: bool = False,
    progress: Callable[[int, int], None] | None = None,
    route_cache: MutableMapping[Hashable, CorridorChoice] | None = None,
) -> Comparison:
    """The options between two places, each with its sampled transit time.

    One option per corridor with a sane route, and always the overall best route (see
    :func:`corridor.routing.choose_options`); the corridors left out are in ``omitted``.

    Parameters
    ----------
    net
        The network.
    request
        What to compare (:class:`corridor.routing.CompareRequest`, checked when it was built);
        its places are resolved on ``net`` here. The departure date sets the season (weather)
        and the weekday (timetables); the year defaults to the departure year, so that the
        network, the values in force and the tariffs are all of one year. Corridor ``i`` in
        the fixed order middle, northern, southern, maritime, direct, north-south samples with
        the ``i``-th child of ``SeedSequence(seed)``, so each corridor's draws do not depend on
        which other corridors are feasible. The request's scenario is not applied here (see
        :func:`corridor.compare`).
    corridors
        The corridors to consider.
    keep_samples
        Keep the sampled arrays in the options (for plots).
    progress
        Called as ``progress(done, total)`` with the journeys drawn so far.
    route_cache
        A mapping that keeps the corridors' routes of earlier calls on the same network, keyed by
        origin, destination and the routing constraints (month, year, avoid, via, service) and
        objective: a repeated comparison then only samples. The caller bounds its size.

    Raises
    ------
    NoRouteError
        When no corridor has a route.
    NodeNotFoundError
        For an unknown place.
    """
    request = request.resolved(net)
    origin, destination = request.origin, request.destination
    samples, deadline_days = request.samples, request.deadline_days
    year = request.year_for()
    depart = request.departure
    constraints = request.constraints(year=year, month=depart.month)
    # the departure day matters only where a dated link status changes within the year
    constraints = replace(constraints, on=status_day(net, year, constraints.on))
    container_ft, cargo_t = request.container_ft, request.cargo_t
    choice = _cached_choice(
        route_cache,
        net,
        origin,
        destination,
        constraints=constraints,
        objective=request.objective,
        value_of_time_usd_per_h=request.value_of_time_usd_per_h,
        container_ft=request.container_ft,
        corridors=corridors,
    )
    options = _sample_options(
        net,
        request,
        choice,
        constraints,
        year=year,
        keep_samples=keep_samples,
        progress=progress,
    )
    options, omitted = _meet_events(net, options, choice.omitted, depart)
    options.sort(key=lambda o: (o.days.p50, o.corridor.value))
    return Comparison(
        origin=net.nodes[origin],
        destination=net.nodes[destination],
        depart=depart,
        samples=samples,
        seed=request.seed,
        options=tuple(options),
        deadline_days=deadline_days,
        year=year,
        avoid=(*sorted(constraints.avoid_countries), *sorted(constraints.avoid_nodes)),
        omitted=omitted,
        service=constraints.service,
        via=constraints.via,
        network=net,
        container_ft=container_ft,
        cargo_t=cargo_t,
        optimize=request.objective,
        value_of_time_usd_per_h=request.value_of_time_usd_per_h,
    )


def _sample_options(
    net: Network,
    request: CompareRequest,
    choice: CorridorChoice,
    constraints: Constraints,
    *,
    year: int,
    keep_samples: bool,
    progress: Callable[[int, int], None] | None,
) -> list[CorridorOption]:
    """Price each chosen route in ``year`` and draw its transit times (corridor ``i`` with the
    ``i``-th child seed), holding containers at the dated closures on the way."""
    samples, deadline_days = request.samples, request.deadline_days
    depart = request.departure
    container_ft, cargo_t = request.container_ft, request.cargo_t
    children = np.random.SeedSequence(request.seed).spawn(len(_CORRIDORS))
    price_year = year
    total = samples * len(choice.routes)
    # dated storms and halts hold a container at the places they close (events.csv)
    closures = closure_windows(net.values.events, depart)
    options: list[CorridorOption] = []
    for i, route in enumerate(choice.routes):

        def step(done: int, base: int = i * samples) -> None:
            if progress is not None:
                progress(base + done, total)

        options.append(
            _sampled_option(
                price_route(
                    route,
                    net,
                    container_ft=container_ft,
                    year=price_year,
                    service=constraints.service.value,
                    cargo_t=cargo_t,
                ),
                samples,
                children[_CORRIDORS.index(route.corridor)],
                depart=depart,
                deadline_days=deadline_days,
                keep_samples=keep_samples,
                countries=route_countries(route, net.nodes),
                progress=step,
                notes=choice.notes_of(route),
                closures=closures,
            )
        )
    return options


def _meet_events(
    net: Network, options: list[CorridorOption], omitted: tuple[Omitted, ...], depart: date
) -> tuple[list[CorridorOption], tuple[Omitted, ...]]:
    """Attach the dated events each option meets; leave out those a closure stops.

    An option meets an event that touches one of its places or countries and lasts into the
    days between the departure and the option's P90 arrival. A closure (``omit``) removes the
    option, with the event as the reason; any other event stays on the option as a warning (a
    line of its notes and an element of its ``events``).

    Raises
    ------
    NoRouteError
        When every option is stopped by a closure (the message names the events).
    """
    events = net.values.events
    if not events:
        return options, omitted
    kept: list[CorridorOption] = []
    left = list(omitted)
    for o in options:
        end = depart + timedelta(days=math.ceil(o.days.p90))
        hits = meeting(events, nodes=o.route.nodes, countries=o.countries, start=depart, end=end)
        stop = [e for e in hits if e.effect is EventEffect.OMIT]
        if stop:
            left.append(
                Omitted(
                    corridor=o.corridor,
                    reason=f"{stop[0].describe()}: {stop[0].note}".strip(": "),
                )
            )
            continue
        warnings = tuple(f"Warning: {e.describe()}" for e in hits)
        kept.append(replace(o, events=hits, notes=o.notes + warnings) if hits else o)
    if not kept:
        reasons = "; ".join(x.reason for x in left)
        raise NoRouteError(f"every corridor is closed on {depart.isoformat()}: {reasons}")
    return kept, tuple(left)


def _cached_choice(
    cache: MutableMapping[Hashable, CorridorChoice] | None,
    net: Network,
    origin: str,
    destination: str,
    *,
    constraints: Constraints,
    objective: Objective | str,
    value_of_time_usd_per_h: float,
    container_ft: int,
    corridors: Sequence[Corridor],
) -> CorridorChoice:
    """:func:`choose_options`, through ``cache`` when one is given (same network assumed)."""
    key = (
        origin,
        destination,
        constraints,
        str(objective),
        value_of_time_usd_per_h,
        container_ft,
        tuple(corridors),
    )
    choice = cache.get(key) if cache is not None else None
    if choice is None:
        choice = choose_options(
            net,
            origin,
            destination,
            constraints=constraints,
            objective=objective,
            value_of_time_usd_per_h=value_of_time_usd_per_h,
            container_ft=container_ft,
            corridors=corridors,
        )
        if cache is not None:
            cache[key] = choice
    return choice


def _sampled_option(
    route: Route,
    samples: int,
    stream: np.random.SeedSequence,
    *,
    depart: date,
    deadline_days: float | None,
    keep_samples: bool,
    countries: tuple[str, ...] = (),
    progress: Callable[[int], None] | None = None,
    notes: tuple[str, ...] = (),
    closures: Closures | None = None,
) -> CorridorOption:
    """One option: the route with its sampled door-to-door days and per-leg statistics.

    Up to :data:`CHUNK_SAMPLES` journeys are drawn at once. Beyond that they are drawn in chunks
    of that size, chunk ``j`` from the ``j``-th child of the corridor's seed sequence, so that the
    memory stays bounded (the per-leg arrays of one chunk) whatever the number of samples: the
    door-to-door percentiles, the on-time probability and the legs' mean hours use every
    journey; the legs' P90 hours use the first :data:`LEG_P90_SAMPLES` (a quantile estimate whose
    error at that size is far below the 0.1 h it is shown with). ``progress`` is called with the
    number of journeys drawn so far after each chunk.
    """
    if samples <= CHUNK_SAMPLES:
        sampled = sample_route(
            route, samples, seed=np.random.default_rng(stream), depart=depart, closures=closures
        )
        if progress is not None:
            progress(samples)
        days = sampled.total_days
        p90s = row_quantile(sampled.leg_hours, 90.0)
        means = sampled.leg_hours.mean(axis=1)
    else:
        sizes = [CHUNK_SAMPLES] * (samples // CHUNK_SAMPLES)
        if samples % CHUNK_SAMPLES:
            sizes.append(samples % CHUNK_SAMPLES)
        total_hours = np.empty(samples, dtype=np.float64)
        leg_sum = np.zeros(len(route.legs), dtype=np.float64)
        head: list[np.ndarray[Any, np.dtype[np.float32]]] = []
        kept, done = 0, 0
        for size, child in zip(sizes, stream.spawn(len(sizes)), strict=True):
            part = sample_route(
                route, size, seed=np.random.default_rng(child), depart=depart, closures=closures
            )
            total_hours[done : done + size] = part.total_hours
            leg_sum += part.leg_hours.sum(axis=1)
            if kept < LEG_P90_SAMPLES:
                head.append(part.leg_hours.astype(np.float32))
                kept += size
            done += size
            del part
            if progress is not None:
                progress(done)
        days = total_hours / 24.0
        p90s = row_quantile(np.concatenate(head, axis=1).astype(np.float64), 90.0)
        means = leg_sum / samples
        sampled = RouteSamples(
            route=route,
            leg_hours=np.empty((len(route.legs), 0), dtype=np.float64),
            total_hours=total_hours,
        )
    return CorridorOption(
        corridor=route.corridor,
        route=route,
        days=DaysSummary.of(days),
        legs=tuple(
            LegStat(mean_h=float(m), p90_h=float(p)) for m, p in zip(means, p90s, strict=True)
        ),
        on_time_probability=(
            float(np.mean(days <= deadline_days)) if deadline_days is not None else None
        ),
        samples=sampled if keep_samples else None,
        countries=countries,
        notes=notes,
    )
