"""The Python API mirroring the CLI: names in, typed results out.

Every function accepts place names as the CLI does (id, name, alias or UN/LOCODE, any case or
accents) and an optional ``network`` (the bundled one by default).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from corridor.errors import NodeNotFoundError
from corridor.io import route_geojson
from corridor.model import Node, Route
from corridor.network import Network, load_network
from corridor.routing import (
    DEFAULT_VALUE_OF_TIME_USD_PER_H,
    Constraints,
    Objective,
    alternative_routes,
    pareto_routes,
)
from corridor.transit import Comparison, compare_routes

__all__ = ["RoutePlan", "compare", "resolve_avoid", "route"]


@dataclass(frozen=True, slots=True, kw_only=True)
class RoutePlan:
    """Routes between two places, best first, with the request that produced them."""

    origin: Node
    destination: Node
    routes: tuple[Route, ...]
    network: Network

    def to_dict(self) -> dict[str, Any]:
        """The ``corridor route --json`` document."""
        return {
            "origin": self.origin.id,
            "destination": self.destination.id,
            "routes": [r.to_dict() for r in self.routes],
        }

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
                    "co2_kg": r.co2_kg,
                    "borders": r.borders,
                    "transshipments": r.transshipments,
                }
                for r in self.routes
            ]
        )

    def to_geojson(self) -> dict[str, Any]:
        """The routes as a GeoJSON FeatureCollection (one feature per link leg and stop)."""
        net = self.network
        return route_geojson(self.routes, net.nodes, net.by_key, net.geometries)


def resolve_avoid(net: Network, items: Iterable[str]) -> tuple[frozenset[str], frozenset[str]]:
    """Split ``--avoid`` values into country codes and node ids.

    A two-letter value that is a country of the network is a country (``RU``, ``ir``); anything
    else must name a node.

    Raises
    ------
    NodeNotFoundError
        For a value that is neither a country of the network nor a node.
    """
    countries = {n.country for n in net.nodes.values()}
    avoid_c: set[str] = set()
    avoid_n: set[str] = set()
    for item in items:
        code = item.strip().upper()
        if len(code) == 2 and code in countries:
            avoid_c.add(code)
            continue
        try:
            avoid_n.add(net.node(item).id)
        except NodeNotFoundError as exc:
            raise NodeNotFoundError(item, exc.candidates, ambiguous=exc.ambiguous) from None
    return frozenset(avoid_c), frozenset(avoid_n)


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
    network: Network | None = None,
) -> RoutePlan:
    """Plan routes between two places.

    Parameters
    ----------
    origin, destination
        Place names (id, name, alias or UN/LOCODE).
    via
        Places to pass, in order.
    avoid
        Country codes (``RU``) or places (``Suez``) to avoid.
    optimize
        ``time`` (expected hours), ``cost`` (USD/FEU), ``co2`` (kg CO2e/FEU) or ``generalized``.
    alternatives
        Number of genuinely different routes wanted.
    pareto
        Return the time/cost/CO2 Pareto front instead.
    year
        Network year (planned links open from their opening year).
    month
        Calendar month for seasonal weather (``None``: year average).
    value_of_time_usd_per_h
        Value of time in the generalized cost, USD per FEU-hour.
    network
        The network (bundled by default).

    Raises
    ------
    NodeNotFoundError, NoRouteError

    Examples
    --------
    >>> plan = route("Baku", "Kars")
    >>> "akhalkalaki" in plan.routes[0].nodes
    True
    """
    net = network or load_network()
    o, d = net.node(origin), net.node(destination)
    avoid_c, avoid_n = resolve_avoid(net, avoid)
    cons = Constraints(
        avoid_countries=avoid_c,
        avoid_nodes=avoid_n,
        via=tuple(net.node(v).id for v in via),
        year=year,
        month=month,
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
    return RoutePlan(origin=o, destination=d, routes=tuple(routes), network=net)


def compare(
    origin: str,
    destination: str,
    *,
    depart: date | str | None = None,
    samples: int = 10_000,
    seed: int = 1,
    year: int | None = None,
    avoid: Iterable[str] = (),
    deadline_days: float | None = None,
    optimize: Objective | str = Objective.TIME,
    value_of_time_usd_per_h: float = DEFAULT_VALUE_OF_TIME_USD_PER_H,
    keep_samples: bool = False,
    network: Network | None = None,
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
        Network year.
    avoid
        Country codes or places to avoid.
    deadline_days
        Report the probability of arriving within this many days.
    optimize, value_of_time_usd_per_h
        How each corridor's route is chosen.
    keep_samples
        Keep sampled arrays (for plots).
    network
        The network (bundled by default).

    Examples
    --------
    >>> c = compare("Xi'an", "Istanbul", depart="2025-07-15", samples=2000)
    >>> "middle" in [o.corridor.value for o in c.options]
    True
    """
    net = network or load_network()
    o, d = net.node(origin), net.node(destination)
    avoid_c, avoid_n = resolve_avoid(net, avoid)
    when = date.fromisoformat(depart) if isinstance(depart, str) else (depart or date.today())
    return compare_routes(
        net,
        o.id,
        d.id,
        depart=when,
        samples=samples,
        seed=seed,
        year=year,
        avoid_countries=avoid_c,
        avoid_nodes=avoid_n,
        deadline_days=deadline_days,
        objective=optimize,
        value_of_time_usd_per_h=value_of_time_usd_per_h,
        keep_samples=keep_samples,
    )
