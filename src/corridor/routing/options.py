"""Which routes a comparison shows: one sane option per corridor, always the overall best.

The rules (the ``corridor compare`` contract):

1. every route is a simple path (the search guarantees it, see :mod:`corridor.routing.search`);
2. the overall best route for the objective is always shown, whatever its corridor;
3. one best route per corridor that has one; a corridor without a route is listed as omitted
   with the reason (``no middle route avoiding KZ``);
4. an option more than ``detour_factor`` (1.5) times the distance of the shortest option that is
   neither the fastest, the cheapest nor the lowest in CO2 is an absurd detour: omitted, with
   the reason (``detour: 2.3× the shortest route``); one more than :data:`NOT_APPLICABLE_FACTOR`
   (4) times as long is a corridor that does not apply between these places (a Caspian
   crossing between Tbilisi and Kars), and says so rather than quoting an absurd figure;
5. no route leaves a country and comes back into it (the search guarantees it, like simple
   paths); a corridor that exists only that way is omitted with the countries it would
   re-enter (``re-enters TM, KZ (CN › KZ › UZ › TM › IR › TM › KZ)``). The places a request must
   pass (``via``) split the route into stretches and the rule holds in each: a route re-entering
   a country between two of them says so in its notes;
6. an overland option that runs more than :data:`BACKTRACK_KM` (300 km) farther past the
   destination than the shortest option does, and then comes back, back-tracks (Xi'an to
   Istanbul through Poland, Germany and Czechia, 550 km past Istanbul at Prague): omitted with
   the reason (``back-tracks: runs 660 km past Tbilisi, to Çetinkaya, and back``) unless it is
   the fastest, the cheapest or the lowest in CO2;
7. an option kept by rule 2 or 4 although it is more than ``detour_factor`` times as long as the
   shortest option, or kept although it back-tracks, carries a note saying so (``1.7× the
   distance of the shortest option (15,279 km vs 9,177 km), shown as the fastest``; ``runs
   554 km past Istanbul, to Prague, and back; shown as the fastest``), in the table and the
   JSON. Deep-sea voyages are long by nature and get no such note;
8. under the default objective (time), the maritime option is the sea-rail combination a
   shipper would buy, not the fastest one: among the fastest, the cheapest and the best
   generalized-cost route of the corridor, the one with the lowest *priced* generalized cost
   (tariffs of the year, 40-ft box, plus the value of time × hours). Sea freight is bought on
   price: a shipper who accepts five or six weeks at sea does not pay hundreds of dollars more
   to rail a box 1,000 km further to a port that saves half a day (Xi'an to Yantian instead of
   Lianyungang, Duisburg via Genoa and the Alps instead of Antwerp or Rotterdam). An overland
   option stays the corridor's fastest route (rail is bought for its speed, and rule 2 keeps
   the fastest), but when the corridor's best generalized-cost route passes another gateway
   (a border or port station), is no more than ``detour_factor`` times as long and does not
   back-track, the option carries a note naming it (``cheaper via Alashankou and Dostyk: 1.2 d
   slower, 1,506 USD/FEU less`` on Shanghai to Rotterdam via Manzhouli).

Why a note and not an omission for the fastest route: the fastest route is always shown (rule
2) — hiding it would answer "what is fastest?" wrongly, and which route is fastest follows from
the border and running data of the year and service, not from a geometric judgement. The note
makes the row honest: how much longer it is, or how far it goes past the destination.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from corridor.errors import ModelError, NoRouteError
from corridor.model import Corridor, NodeKind, Route
from corridor.network import Network
from corridor.routing.classify import beyond_destination, reentered_countries, route_countries
from corridor.routing.pricing import price_route
from corridor.routing.search import (
    DEFAULT_VALUE_OF_TIME_USD_PER_H,
    Constraints,
    NoRouteWithoutReentryError,
    Objective,
    Reentry,
    best_route,
    best_routes_from,
)

__all__ = [
    "ALL_CORRIDORS",
    "BACKTRACK_KM",
    "DETOUR_FACTOR",
    "NOT_APPLICABLE_FACTOR",
    "CorridorChoice",
    "Omitted",
    "choose_options",
    "choose_options_from",
    "corridor_option",
]

ALL_CORRIDORS: tuple[Corridor, ...] = tuple(Corridor)
"""Every corridor, in the order of :class:`corridor.model.Corridor`."""
DETOUR_FACTOR = 1.5
"""An option longer than this multiple of the shortest option's distance is a detour, unless it
is the fastest, the cheapest or the lowest in CO2 (then a forwarder would still consider it)."""
BACKTRACK_KM = 300.0
"""An overland option that runs this much farther past its destination (along the direction
from the origin to the destination) than the shortest option does, before turning back to it,
back-tracks: Xi'an to Istanbul through Prague (550 km past Istanbul), Xi'an to Tbilisi through
Çetinkaya (660 km past Tbilisi), Shanghai to Piraeus by rail through Prague to a ship at Varna
(500 km past Varna; see :func:`corridor.routing.classify.beyond_destination`). It is omitted
unless it is the fastest, the cheapest or the lowest in CO2, and then shown with a note. 300 km
past and 300 km back is a day of running at the corridors' commercial speeds, more than any
approach of the network's lines to a terminal (Poti by Marabda and Tbilisi: about 100 km)."""
NOT_APPLICABLE = "not applicable between these places"
NOT_APPLICABLE_FACTOR = 4.0
"""A corridor whose best route is more than this multiple of the shortest option's distance does
not apply between the two places (it goes somewhere else to reach its defining feature): it is
omitted as ``not applicable between these places``. Between the detour factor and this, the
reason quotes the ratio."""
_GATEWAY_CANDIDATES = (Objective.TIME, Objective.GENERALIZED, Objective.COST)
"""The searches whose routes compete for the maritime option (rule 8 of the module docstring)."""
_OVERLAND_CANDIDATES = (Objective.TIME, Objective.GENERALIZED)
"""The searches whose routes an overland option's note compares (rule 8): the fastest is shown,
the best generalized-cost route is the cheaper gateway a note may name."""


def _candidates(corridor: Corridor | None) -> tuple[Objective, ...]:
    return _GATEWAY_CANDIDATES if corridor is Corridor.MARITIME else _OVERLAND_CANDIDATES


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
    notes: Mapping[Corridor, tuple[str, ...]] = field(default_factory=dict)
    """What a user should know about a shown option (a detour kept as the fastest, countries
    re-entered between the via places), by corridor; corridors without notes absent."""

    def notes_of(self, corridor: Corridor) -> tuple[str, ...]:
        """The notes of a shown option (``()`` if none)."""
        return tuple(self.notes.get(corridor, ()))


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

    # corridors whose search found nothing without ever meeting a route that re-enters a
    # country: the same search with re-entry allowed would find nothing either
    plainly_none: set[Corridor | None] = set()

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
        except NoRouteWithoutReentryError:
            return None
        except NoRouteError:
            plainly_none.add(cons.corridor)
            return None

    try:
        overall = best_route(
            net,
            origin,
            destination,
            constraints=base,
            objective=objective,
            value_of_time_usd_per_h=value_of_time_usd_per_h,
        )
    except NoRouteWithoutReentryError as exc:
        loose = search(replace(base, reentry=Reentry.ALLOWED))
        if loose is None:
            raise
        raise NoRouteError(
            f"{exc}: every route leaves a country and comes back into it "
            f"(the best re-enters {_reentry_text(net, loose)})"
        ) from None

    def option(c: Corridor) -> Route | None:
        try:
            chosen, note = _corridor_option(
                net,
                origin,
                destination,
                replace(base, corridor=c),
                objective=objective,
                value_of_time=value_of_time_usd_per_h,
            )
        except NoRouteWithoutReentryError:
            return None
        except NoRouteError:
            plainly_none.add(c)
            return None
        notes.update(note)
        return chosen

    notes: dict[tuple[str, ...], str] = {}
    by_corridor = {c: option(c) for c in corridors}
    by_corridor[overall.corridor] = overall  # rule 2: the fastest is shown, with a note (rule 8)
    loose_by_corridor = {
        c: search(replace(base, corridor=c, reentry=Reentry.ALLOWED))
        for c in _lacking(corridors, overall, by_corridor, base)
        if c not in plainly_none
    }
    return _with_purchase_notes(
        _select(
            net,
            overall,
            by_corridor,
            loose_by_corridor,
            base=base,
            corridors=corridors,
            detour_factor=detour_factor,
        ),
        notes,
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

    def routes(cons: Constraints, dests: Sequence[str]) -> dict[str, Route]:
        if not dests:
            return {}
        return best_routes_from(
            net,
            origin,
            dests,
            constraints=cons,
            objective=objective,
            value_of_time_usd_per_h=value_of_time_usd_per_h,
        )

    objective = Objective(objective)
    overall = routes(base, destinations)

    def options(c: Corridor) -> dict[str, Route]:
        cons = replace(base, corridor=c)
        if objective is not Objective.TIME:
            return routes(cons, destinations)
        found = [
            best_routes_from(
                net,
                origin,
                destinations,
                constraints=cons,
                objective=obj,
                value_of_time_usd_per_h=value_of_time_usd_per_h,
            )
            for obj in _candidates(c)
        ]
        out: dict[str, Route] = {}
        for dest in found[0]:
            if all(dest in f for f in found):
                out[dest], note = _purchase(net, [f[dest] for f in found], value_of_time_usd_per_h)
                notes.update(note)
        return out

    notes: dict[tuple[str, ...], str] = {}
    by_corridor = {c: options(c) for c in corridors}
    for dest, best in overall.items():  # rule 2: the fastest is shown, with a note (rule 8)
        by_corridor.setdefault(best.corridor, {})[dest] = best
    lacking: dict[Corridor, list[str]] = {c: [] for c in corridors}
    for dest, best in overall.items():
        for c in _lacking(corridors, best, {k: v.get(dest) for k, v in by_corridor.items()}, base):
            lacking[c].append(dest)
    loose = {
        c: routes(replace(base, corridor=c, reentry=Reentry.ALLOWED), dests)
        for c, dests in lacking.items()
    }
    return {
        dest: _with_purchase_notes(
            _select(
                net,
                best,
                {c: by_corridor[c].get(dest) for c in corridors},
                {c: loose[c].get(dest) for c in corridors if dest in lacking[c]},
                base=base,
                corridors=corridors,
                detour_factor=detour_factor,
            ),
            notes,
        )
        for dest, best in overall.items()
    }


def corridor_option(
    net: Network,
    origin: str,
    destination: str,
    corridor: Corridor,
    *,
    constraints: Constraints | None = None,
    objective: Objective | str = Objective.TIME,
    value_of_time_usd_per_h: float = DEFAULT_VALUE_OF_TIME_USD_PER_H,
) -> Route:
    """The route a comparison shows for one corridor (rules 2 and 8), between two
    node ids: what ``emissions --corridor`` and a shipment booked on a corridor use, so they
    follow the same route as ``compare``.

    Raises
    ------
    NoRouteError
        When the corridor has no route between the two places.
    """
    cons = replace(constraints or Constraints(), corridor=corridor)
    objective = Objective(objective)
    chosen = _corridor_option(
        net, origin, destination, cons, objective=objective, value_of_time=value_of_time_usd_per_h
    )[0]
    if objective is Objective.TIME:  # rule 2: the overall fastest keeps its corridor's row
        overall = best_route(
            net, origin, destination, constraints=replace(cons, corridor=None),
            objective=objective, value_of_time_usd_per_h=value_of_time_usd_per_h,
        )  # fmt: skip
        if overall.corridor is corridor:
            return overall
    return chosen


def _corridor_option(
    net: Network,
    origin: str,
    destination: str,
    cons: Constraints,
    *,
    objective: Objective,
    value_of_time: float,
) -> tuple[Route, dict[tuple[str, ...], str]]:
    """The route a shipper buys under ``cons`` (which names the corridor; rule 8), with the
    notes of rule 8 keyed by route."""
    if objective is not Objective.TIME:
        route = best_route(
            net, origin, destination, constraints=cons, objective=objective,
            value_of_time_usd_per_h=value_of_time,
        )  # fmt: skip
        return route, {}
    found = [
        best_route(
            net,
            origin,
            destination,
            constraints=cons,
            objective=obj,
            value_of_time_usd_per_h=value_of_time,
        )
        for obj in _candidates(cons.corridor)
    ]
    return _purchase(net, found, value_of_time)


def _purchase(
    net: Network, candidates: Sequence[Route], value_of_time: float
) -> tuple[Route, dict[tuple[str, ...], str]]:
    """The option of a corridor under the time objective (rule 8), with notes keyed by route.

    ``candidates`` are the corridor's fastest, best generalized-cost and cheapest routes, the
    fastest first. The one with the lowest priced generalized cost is what a shipper buys. A
    sea option is that route, with a note when the fastest sea route was passed over; an
    overland option stays the fastest, with a note naming the cheaper gateway when one exists
    (another border or port station, no longer than ``DETOUR_FACTOR`` times the fastest, and
    not back-tracking where the fastest does not). Ties go to the first, so
    a seaport-to-seaport liner voyage is unchanged.
    """
    cost: dict[tuple[str, ...], float] = {}
    unique: dict[tuple[str, ...], Route] = {}
    for r in candidates:
        if r.nodes not in unique and r.corridor is candidates[0].corridor:
            unique[r.nodes] = r
            cost[r.nodes] = price_route(r, net, container_ft=40, year=r.year).cost_usd
    fastest = candidates[0]
    if fastest.corridor is not Corridor.MARITIME:
        unique = {
            k: r for k, r in unique.items() if r is fastest or _sane_alternative(net, r, fastest)
        }
    chosen = min(unique.values(), key=lambda r: cost[r.nodes] + value_of_time * r.hours)
    if chosen.nodes == fastest.nodes:
        return chosen, {}
    days = (chosen.hours - fastest.hours) / 24
    usd = cost[fastest.nodes] - cost[chosen.nodes]
    if fastest.corridor is Corridor.MARITIME:
        return chosen, {
            chosen.nodes: f"gateway chosen on price: the fastest sea route, via "
            f"{_via(net, fastest, chosen)}, is {days:.1f} d quicker, {usd:,.0f} USD/FEU dearer"
        }
    return fastest, {
        fastest.nodes: f"cheaper via {_via(net, chosen, fastest)}: {days:.1f} d slower, "
        f"{usd:,.0f} USD/FEU less"
    }


def _sane_alternative(net: Network, route: Route, fastest: Route) -> bool:
    """Whether an overland route a note may offer instead of the fastest: through another
    gateway (a border or port station the fastest does not pass), at most ``DETOUR_FACTOR``
    times as long, and running no more than ``BACKTRACK_KM`` farther past the destination
    than the fastest does (rule 6)."""
    past = beyond_destination(route, net.nodes)[0]
    return (
        bool(_gateways_not_in(net, route, fastest))
        and route.distance_km <= DETOUR_FACTOR * fastest.distance_km
        and past <= beyond_destination(fastest, net.nodes)[0] + BACKTRACK_KM
    )


def _via(net: Network, route: Route, other: Route) -> str:
    """The places that tell ``route`` from ``other``: where a sea route boards and leaves its
    vessels, or the first two border and port stations of an overland route that ``other``
    does not pass."""
    if route.corridor is Corridor.MARITIME:
        ends = _voyage_ends(route)
        places = [x for x in ends if x not in _voyage_ends(other)] or list(ends)
    else:
        places = _gateways_not_in(net, route, other)[:2]
    return " and ".join(dict.fromkeys(net.nodes[x].name for x in places))


def _gateways_not_in(net: Network, route: Route, other: Route) -> list[str]:
    """The border and port stations of ``route`` that ``other`` does not pass, in route order."""
    theirs = set(other.nodes)
    return [
        n
        for n in route.nodes
        if n not in theirs and net.nodes[n].kind in (NodeKind.BORDER, NodeKind.PORT)
    ]


def _voyage_ends(route: Route) -> tuple[str, str]:
    """Where a route boards its first vessel and leaves its last one."""
    water = [leg for leg in route.link_legs if leg.mode.value in ("sea", "ferry")]
    return water[0].from_id, water[-1].to_id


def _with_purchase_notes(
    choice: CorridorChoice, notes: Mapping[tuple[str, ...], str]
) -> CorridorChoice:
    """The choice with the notes of rule 8 on the options it shows."""
    extra = {
        r.corridor: (*choice.notes_of(r.corridor), notes[r.nodes])
        for r in choice.routes
        if r.nodes in notes
    }
    return replace(choice, notes={**choice.notes, **extra}) if extra else choice


def _check(detour_factor: float) -> None:
    if detour_factor < 1:
        raise ModelError(f"the detour factor must be >= 1, got {detour_factor}")


def _lacking(
    corridors: Sequence[Corridor],
    overall: Route,
    by_corridor: Mapping[Corridor, Route | None],
    base: Constraints,
) -> list[Corridor]:
    """The corridors without a route of their own (whose reason the search without the
    country rule may tell: a route that exists only by re-entering a country)."""
    if base.reentry is Reentry.ALLOWED:
        return []
    out = []
    for c in corridors:
        route = overall if c is overall.corridor else by_corridor.get(c)
        if route is None or route.corridor is not c:
            out.append(c)
    return out


def _reentry_text(net: Network, route: Route) -> str:
    """``TM, KZ (CN › KZ › UZ › TM › IR › TM › KZ)``: what a route re-enters, and its countries."""
    again = ", ".join(reentered_countries(route, net.nodes))
    return f"{again} ({' › '.join(route_countries(route, net.nodes))})"


def _select(
    net: Network,
    overall: Route,
    by_corridor: Mapping[Corridor, Route | None],
    loose: Mapping[Corridor, Route | None],
    *,
    base: Constraints,
    corridors: Sequence[Corridor],
    detour_factor: float,
) -> CorridorChoice:
    """Apply the rules of the module docstring to the best route of each corridor.

    ``loose`` holds, for corridors without a route, their best route when re-entering a
    country is allowed (to say why they are left out).
    """
    found: dict[Corridor, Route] = {}
    omitted: dict[Corridor, Omitted] = {}
    reentering: dict[Corridor, Route] = {}
    for corridor in corridors:
        route = overall if corridor is overall.corridor else by_corridor.get(corridor)
        if route is not None and route.corridor is corridor:
            found[corridor] = route
        elif (other := loose.get(corridor)) is not None and other.corridor is corridor:
            reentering[corridor] = other
        else:
            omitted[corridor] = Omitted(corridor, _no_route_reason(net, corridor, base))
    yard = _Yardstick.of(list(found.values()) or [overall], net)
    for corridor, route in reentering.items():
        omitted[corridor] = Omitted(
            corridor,
            NOT_APPLICABLE
            if yard.ratio(route) > NOT_APPLICABLE_FACTOR
            else f"re-enters {_reentry_text(net, route)}",
        )
    for corridor, route in list(found.items()):
        if route is not overall and yard.ratio(route) > detour_factor and not yard.merits(route):
            del found[corridor]
            omitted[corridor] = Omitted(
                corridor,
                NOT_APPLICABLE
                if yard.ratio(route) > NOT_APPLICABLE_FACTOR
                else f"detour: {yard.ratio(route):.1f}× the shortest route "
                f"({route.distance_km:,.0f} km vs {yard.shortest_km:,.0f} km)",
            )
    if overall.corridor not in corridors:
        found[overall.corridor] = overall
    notes: dict[Corridor, tuple[str, ...]] = {}
    for corridor, route in list(found.items()):
        past = yard.back_track(route, net)
        if past and route is not overall and not yard.merits(route):
            del found[corridor]
            omitted[corridor] = Omitted(corridor, f"back-tracks: {past}")
            continue
        said = yard.notes(route, net, past, detour_factor)
        if said:
            notes[corridor] = said
    order = {c: i for i, c in enumerate((*corridors, *ALL_CORRIDORS))}
    return CorridorChoice(
        routes=tuple(sorted(found.values(), key=lambda r: order[r.corridor])),
        best=overall,
        omitted=tuple(sorted(omitted.values(), key=lambda o: order[o.corridor])),
        notes=notes,
    )


@dataclass(frozen=True, slots=True)
class _Yardstick:
    """What the options of one comparison are measured against: the shortest option, and the
    best time, cost and CO2 among them."""

    shortest_km: float
    shortest_past_km: float
    hours: float
    cost_usd: float
    co2_kg: float

    @classmethod
    def of(cls, shown: Sequence[Route], net: Network) -> _Yardstick:
        shortest = min(shown, key=lambda r: r.distance_km)
        return cls(
            shortest_km=shortest.distance_km,
            shortest_past_km=beyond_destination(shortest, net.nodes)[0],
            hours=min(r.hours for r in shown),
            cost_usd=min(r.cost_usd for r in shown),
            co2_kg=min(r.co2_kg for r in shown),
        )

    def ratio(self, route: Route) -> float:
        """The route's distance over the shortest option's."""
        return route.distance_km / self.shortest_km if self.shortest_km > 0 else 1.0

    def merits(self, route: Route) -> str:
        """``the fastest and the cheapest``: what the route is best at ("" if nothing)."""
        named = [
            name
            for name, best in (
                ("the fastest", route.hours <= self.hours),
                ("the cheapest", route.cost_usd <= self.cost_usd),
                ("the lowest in CO2", route.co2_kg <= self.co2_kg),
            )
            if best
        ]
        return " and ".join(named)

    def back_track(self, route: Route, net: Network) -> str:
        """``runs 554 km past Istanbul, to Prague, and back`` for an overland route that
        back-tracks (rule 6), else ""."""
        if route.corridor is Corridor.MARITIME:
            return ""
        km, at, end = beyond_destination(route, net.nodes)
        if km - self.shortest_past_km <= BACKTRACK_KM:
            return ""
        return f"runs {km:,.0f} km past {net.nodes[end].name}, to {net.nodes[at].name}, and back"

    def notes(self, route: Route, net: Network, past: str, detour_factor: float) -> tuple[str, ...]:
        """The notes of a shown option (rule 7, and the countries re-entered between vias)."""
        why = self.merits(route) or "the best route"
        said: list[str] = []
        if past:
            said.append(f"{past}; shown as {why}")
        if self.ratio(route) > detour_factor and route.corridor is not Corridor.MARITIME:
            said.append(
                f"{self.ratio(route):.1f}× the distance of the shortest option "
                f"({route.distance_km:,.0f} km vs {self.shortest_km:,.0f} km), shown as {why}"
            )
        again = reentered_countries(route, net.nodes)
        if again:
            said.append(f"re-enters {', '.join(again)} between the places it must pass")
        return tuple(said)


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
