"""Which routes a comparison shows: one sane option per corridor, always the overall best.

The rules (the ``corridor compare`` contract):

1. every route is a simple path (the search guarantees it, see :mod:`corridor.routing.search`);
2. the overall best route for the objective is always shown, whatever its corridor;
3. one best route per corridor that has one; a corridor without a route is listed as omitted
   with the reason (``no middle route avoiding KZ``);
4. an option more than ``detour_factor`` (1.5) times the distance of the shortest option that is
   neither the fastest, the cheapest nor the lowest in CO2 is an absurd detour: omitted, with
   the reason (``detour: 2.3× the shortest route``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from corridor.errors import ModelError, NoRouteError
from corridor.model import Corridor, Route
from corridor.network import Network
from corridor.routing.search import (
    DEFAULT_VALUE_OF_TIME_USD_PER_H,
    Constraints,
    Objective,
    best_route,
    best_routes_from,
)

__all__ = [
    "ALL_CORRIDORS",
    "DETOUR_FACTOR",
    "CorridorChoice",
    "Omitted",
    "choose_options",
    "choose_options_from",
]

ALL_CORRIDORS: tuple[Corridor, ...] = (
    Corridor.MIDDLE,
    Corridor.NORTHERN,
    Corridor.SOUTHERN,
    Corridor.MARITIME,
    Corridor.DIRECT,
)
DETOUR_FACTOR = 1.5
"""An option longer than this multiple of the shortest option's distance is a detour, unless it
is the fastest, the cheapest or the lowest in CO2 (then a forwarder would still consider it)."""


@dataclass(frozen=True, slots=True)
class Omitted:
    """A corridor a comparison leaves out, and why."""

    corridor: Corridor
    reason: str

    def to_dict(self) -> dict[str, str]:
        """As one element of ``omitted`` in the ``corridor compare --json`` contract."""
        return {"corridor": self.corridor.value, "reason": self.reason}


@dataclass(frozen=True, slots=True, kw_only=True)
class CorridorChoice:
    """The routes a comparison shows (corridor order), the overall best, and what is left out."""

    routes: tuple[Route, ...]
    best: Route
    omitted: tuple[Omitted, ...]


def choose_options(
    net: Network,
    origin: str,
    destination: str,
    *,
    constraints: Constraints | None = None,
    objective: Objective | str = Objective.TIME,
    value_of_time_usd_per_h: float = DEFAULT_VALUE_OF_TIME_USD_PER_H,
    corridors: Sequence[Corridor] = ALL_CORRIDORS,
    detour_factor: float = DETOUR_FACTOR,
) -> CorridorChoice:
    """The options of a comparison between two node ids (see the module docstring).

    Raises
    ------
    NoRouteError
        When there is no route at all.
    ModelError
        On a detour factor below 1.
    """
    _check(detour_factor)
    base = replace(constraints or Constraints(), corridor=None)
    objective = Objective(objective)

    def search(cons: Constraints) -> Route | None:
        try:
            return best_route(
                net,
                origin,
                destination,
                constraints=cons,
                objective=objective,
                value_of_time_usd_per_h=value_of_time_usd_per_h,
            )
        except NoRouteError:
            return None

    overall = best_route(
        net,
        origin,
        destination,
        constraints=base,
        objective=objective,
        value_of_time_usd_per_h=value_of_time_usd_per_h,
    )
    by_corridor = {
        c: overall if c is overall.corridor else search(replace(base, corridor=c))
        for c in corridors
    }
    return _select(
        net, overall, by_corridor, base=base, corridors=corridors, detour_factor=detour_factor
    )


def choose_options_from(
    net: Network,
    origin: str,
    destinations: Sequence[str],
    *,
    constraints: Constraints | None = None,
    objective: Objective | str = Objective.TIME,
    value_of_time_usd_per_h: float = DEFAULT_VALUE_OF_TIME_USD_PER_H,
    corridors: Sequence[Corridor] = ALL_CORRIDORS,
    detour_factor: float = DETOUR_FACTOR,
) -> dict[str, CorridorChoice]:
    """:func:`choose_options` from one origin to many destinations (those with a route).

    Runs one search per corridor (and kind of destination) instead of one per pair, for sweeps
    over many pairs.
    """
    _check(detour_factor)
    base = replace(constraints or Constraints(), corridor=None)

    def routes(cons: Constraints) -> dict[str, Route]:
        return best_routes_from(
            net,
            origin,
            destinations,
            constraints=cons,
            objective=objective,
            value_of_time_usd_per_h=value_of_time_usd_per_h,
        )

    overall = routes(base)
    by_corridor = {c: routes(replace(base, corridor=c)) for c in corridors}
    return {
        dest: _select(
            net,
            best,
            {c: by_corridor[c].get(dest) for c in corridors},
            base=base,
            corridors=corridors,
            detour_factor=detour_factor,
        )
        for dest, best in overall.items()
    }


def _check(detour_factor: float) -> None:
    if detour_factor < 1:
        raise ModelError(f"the detour factor must be >= 1, got {detour_factor}")


def _select(
    net: Network,
    overall: Route,
    by_corridor: Mapping[Corridor, Route | None],
    *,
    base: Constraints,
    corridors: Sequence[Corridor],
    detour_factor: float,
) -> CorridorChoice:
    """Apply the rules of the module docstring to the best route of each corridor."""
    found: dict[Corridor, Route] = {}
    omitted: dict[Corridor, Omitted] = {}
    for corridor in corridors:
        route = overall if corridor is overall.corridor else by_corridor.get(corridor)
        if route is None or route.corridor is not corridor:
            omitted[corridor] = Omitted(corridor, _no_route_reason(net, corridor, base))
        else:
            found[corridor] = route
    shown = list(found.values())
    if shown:
        shortest = min(r.distance_km for r in shown)
        fastest = min(r.hours for r in shown)
        cheapest = min(r.cost_usd for r in shown)
        cleanest = min(r.co2_kg for r in shown)
        for corridor, route in list(found.items()):
            ratio = route.distance_km / shortest if shortest > 0 else 1.0
            if (
                route is not overall
                and ratio > detour_factor
                and route.hours > fastest
                and route.cost_usd > cheapest
                and route.co2_kg > cleanest
            ):
                del found[corridor]
                omitted[corridor] = Omitted(
                    corridor,
                    f"detour: {ratio:.1f}× the shortest route "
                    f"({route.distance_km:,.0f} km vs {shortest:,.0f} km)",
                )
    if overall.corridor not in corridors:
        found[overall.corridor] = overall
    order = {c: i for i, c in enumerate((*corridors, *ALL_CORRIDORS))}
    return CorridorChoice(
        routes=tuple(sorted(found.values(), key=lambda r: order[r.corridor])),
        best=overall,
        omitted=tuple(sorted(omitted.values(), key=lambda o: order[o.corridor])),
    )


def _no_route_reason(net: Network, corridor: Corridor, cons: Constraints) -> str:
    parts = [f"no {corridor.value} route"]
    if cons.avoid_countries or cons.avoid_nodes:
        names = sorted(cons.avoid_countries) + sorted(net.nodes[n].name for n in cons.avoid_nodes)
        parts.append("avoiding " + ", ".join(names))
    if cons.via:
        parts.append("via " + ", ".join(net.nodes[v].name for v in cons.via))
    if cons.year is not None:
        parts.append(f"on the network of {cons.year}")
    return " ".join(parts)
