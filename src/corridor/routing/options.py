"""The option policy: which routes a comparison shows, and which route represents a corridor.

One policy for ``compare``, ``route --corridor``, ``eta``, ``emissions`` and the simulation's
flows (``docs/options.md``):

1. **Routes a forwarder can book.** Every route is a simple path that re-enters no country and
   rides a chain of services; where the box changes service it waits for the next departure
   and is handled (:mod:`corridor.routing.search`, :mod:`corridor.routing.services`).
2. **Candidates.** A corridor's candidates are its best routes for the user's objective, for
   time, for cost and for generalized cost, each priced for the container asked for (tariffs
   of the year). Those dominated on time, cost and CO2 by another candidate are dropped.
3. **Representative.** A corridor is represented by its candidate with the lowest generalized
   cost (priced USD plus the value of time × hours: what a forwarder buys), or the lowest cost
   or CO2 when the user optimises those (``--optimize cost|co2``). A forwarder books a train, a
   truck, a barge or a ship, so a candidate whose main haul (:func:`main_mode`) goes by another
   mode is another product: the best of each other main mode is shown as a further row of the
   corridor when no row shown beats it on time, cost and CO2 (the Yangtze barge beside the
   train from Chongqing to Shanghai).
4. **The overall best is always shown**: the candidate best for the user's objective
   (``--optimize``, time by default) over all corridors is its corridor's row, whatever rule 3
   says, and no rule below removes it.
5. **Dominated corridors are left out, unless named**: a corridor whose representative is
   slower, dearer and higher in CO2 than another corridor's (by more than :data:`TOLERANCE`) is
   omitted, and the reason names the option that beats it. A corridor the caller names (a
   subset of the corridors: ``eta --corridor``, ``emissions --corridor``, a booking or an
   observed journey on that corridor) is shown all the same, with that reason as a note: the
   user asked for that corridor, and may have reasons of their own (sanctions, risk, a
   contract). A corridor without a route is omitted with the reason (none under the
   constraints, or only by re-entering a country).
6. **Notes** say where the box changes service and how long it waits on average, where no
   service is known (a generic weekly train is assumed), and the cheaper and the faster
   candidate of the same corridor, priced for the container asked for.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from corridor.errors import NoRouteError
from corridor.model import Corridor, Mode, NodeKind, Route, Service
from corridor.network import Network
from corridor.routing.classify import reentered_countries, route_countries
from corridor.routing.pricing import DEFAULT_PRICE_YEAR, price_route
from corridor.routing.search import (
    DEFAULT_VALUE_OF_TIME_USD_PER_H,
    Constraints,
    NoRouteWithoutReentryError,
    Objective,
    Reentry,
    best_route,
    best_routes_from,
    obeys_corridor,
)
from corridor.routing.services import service_rides

__all__ = [
    "ALL_CORRIDORS",
    "TOLERANCE",
    "CorridorChoice",
    "Omitted",
    "OptionTerms",
    "choose_options",
    "choose_options_from",
    "corridor_option",
    "main_mode",
]

ALL_CORRIDORS: tuple[Corridor, ...] = tuple(Corridor)
"""Every corridor, in the order of :class:`corridor.model.Corridor`."""
TOLERANCE = 0.01
"""Relative margin within which two figures count as equal in a dominance test (1 %: below the
precision of the data behind them)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class OptionTerms:
    """What the policy needs from a request besides the places and constraints."""

    objective: Objective = Objective.TIME
    value_of_time_usd_per_h: float = DEFAULT_VALUE_OF_TIME_USD_PER_H
    container_ft: int = 40

    def __post_init__(self) -> None:
        object.__setattr__(self, "objective", Objective(self.objective))

    def generalized(self, r: _Priced) -> float:
        """USD plus the value of time × hours."""
        return r.cost_usd + self.value_of_time_usd_per_h * r.hours

    def score(self, r: _Priced) -> tuple[float, float]:
        """What the overall best minimises (rule 4), then the generalized cost."""
        gen = self.generalized(r)
        first = {
            Objective.TIME: r.hours,
            Objective.COST: r.cost_usd,
            Objective.CO2: r.co2_kg,
            Objective.GENERALIZED: gen,
        }[self.objective]
        return (first, gen)

    def rep_score(self, r: _Priced) -> tuple[float, float]:
        """What a corridor's representative minimises (rule 3): the generalized cost, or the
        cost or CO2 when the user optimises those, then the generalized cost."""
        if self.objective is Objective.TIME:
            gen = self.generalized(r)
            return (gen, r.hours)
        return self.score(r)

    def searches(self) -> tuple[Objective, ...]:
        """The searches whose routes are a corridor's candidates (rule 2)."""
        return tuple(
            dict.fromkeys((self.objective, Objective.TIME, Objective.COST, Objective.GENERALIZED))
        )


@dataclass(frozen=True, slots=True)
class _Priced:
    """A candidate route and its figures priced for the container asked for."""

    route: Route
    hours: float
    cost_usd: float
    co2_kg: float


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
    """What a forwarder should know about a corridor's row (rule 6), by corridor."""
    route_notes: Mapping[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict)
    """The notes of every shown route, by its nodes (a corridor may show a row for each main
    mode, rule 3)."""

    def notes_of(self, which: Corridor | Route) -> tuple[str, ...]:
        """The notes of a shown option, by corridor (its row) or route (``()`` if none)."""
        if isinstance(which, Route):
            if which.nodes in self.route_notes:
                return tuple(self.route_notes[which.nodes])
            which = which.corridor
        return tuple(self.notes.get(which, ()))

    def route_of(self, corridor: Corridor) -> Route | None:
        """The route that represents a corridor (``None`` if it is left out): its first row."""
        return next((r for r in self.routes if r.corridor is corridor), None)


Finder = Callable[[Constraints, Objective], Mapping[str, Route]]
"""Best routes under constraints and an objective, by destination (one or many)."""


def choose_options(
    net: Network,
    origin: str,
    destination: str,
    *,
    constraints: Constraints | None = None,
    objective: Objective | str = Objective.TIME,
    value_of_time_usd_per_h: float = DEFAULT_VALUE_OF_TIME_USD_PER_H,
    container_ft: int = 40,
    corridors: Sequence[Corridor] = ALL_CORRIDORS,
) -> CorridorChoice:
    """The options of a comparison between two node ids (the rules of the module docstring).

    Raises
    ------
    NoRouteError
        When there is no route at all.
    """
    terms = OptionTerms(
        objective=Objective(objective),
        value_of_time_usd_per_h=value_of_time_usd_per_h,
        container_ft=container_ft,
    )

    memo: dict[tuple[Constraints, Objective], dict[str, Route]] = {}

    def find(cons: Constraints, obj: Objective) -> dict[str, Route]:
        key = (cons, obj)
        if key not in memo:
            try:
                memo[key] = {
                    destination: best_route(
                        net,
                        origin,
                        destination,
                        constraints=cons,
                        objective=obj,
                        value_of_time_usd_per_h=value_of_time_usd_per_h,
                    )
                }
            except NoRouteError:
                memo[key] = {}
        return memo[key]

    base = replace(constraints or Constraints(), corridor=None)
    try:
        memo[(base, terms.objective)] = {
            destination: best_route(
                net,
                origin,
                destination,
                constraints=base,
                objective=terms.objective,
                value_of_time_usd_per_h=value_of_time_usd_per_h,
            )
        }
    except NoRouteWithoutReentryError as exc:
        loose = find(replace(base, reentry=Reentry.ALLOWED), terms.objective).get(destination)
        if loose is None:
            raise
        raise NoRouteError(
            f"{exc}: every route leaves a country and comes back into it "
            f"(the best re-enters {_reentry_text(net, loose)})"
        ) from None
    overall = memo[(base, terms.objective)][destination]
    own = replace(base, corridor=overall.corridor)
    if obeys_corridor(net, overall, own):  # its corridor's search would find it again
        memo[(own, terms.objective)] = {destination: overall}
    return _choose(net, [destination], find, base, terms, corridors)[destination]


def choose_options_from(
    net: Network,
    origin: str,
    destinations: Sequence[str],
    *,
    constraints: Constraints | None = None,
    objective: Objective | str = Objective.TIME,
    value_of_time_usd_per_h: float = DEFAULT_VALUE_OF_TIME_USD_PER_H,
    container_ft: int = 40,
    corridors: Sequence[Corridor] = ALL_CORRIDORS,
) -> dict[str, CorridorChoice]:
    """:func:`choose_options` from one origin to many destinations (those with a route).

    The same policy, from one search per corridor and objective for all destinations (sweeps).
    """
    terms = OptionTerms(
        objective=Objective(objective),
        value_of_time_usd_per_h=value_of_time_usd_per_h,
        container_ft=container_ft,
    )
    dests = [d for d in dict.fromkeys(destinations) if d != origin]

    memo: dict[tuple[Constraints, Objective], dict[str, Route]] = {}

    def find(cons: Constraints, obj: Objective) -> dict[str, Route]:
        key = (cons, obj)
        if key not in memo:
            memo[key] = best_routes_from(
                net,
                origin,
                dests,
                constraints=cons,
                objective=obj,
                value_of_time_usd_per_h=value_of_time_usd_per_h,
            )
        return memo[key]

    base = replace(constraints or Constraints(), corridor=None)
    return _choose(net, dests, find, base, terms, corridors)


def corridor_option(
    net: Network,
    origin: str,
    destination: str,
    corridor: Corridor,
    *,
    constraints: Constraints | None = None,
    objective: Objective | str = Objective.TIME,
    value_of_time_usd_per_h: float = DEFAULT_VALUE_OF_TIME_USD_PER_H,
    container_ft: int = 40,
) -> Route:
    """The route that represents ``corridor`` between two node ids (rules 2-4): the row
    ``compare`` shows for it, which ``emissions --corridor``, a shipment booked on the corridor
    and a simulated flow of the corridor use.

    Raises
    ------
    NoRouteError
        When the corridor has no route between the two places.
    """
    choice = choose_options(
        net,
        origin,
        destination,
        constraints=constraints,
        objective=objective,
        value_of_time_usd_per_h=value_of_time_usd_per_h,
        container_ft=container_ft,
        corridors=(corridor,),
    )
    shown = choice.route_of(corridor)
    if shown is None:
        reason = next((o.reason for o in choice.omitted if o.corridor is corridor), "")
        raise NoRouteError(
            f"no {corridor.value} route from {net.nodes[origin].name} to "
            f"{net.nodes[destination].name}" + (f" ({reason})" if reason else "")
        )
    return shown


def _choose(  # noqa: PLR0917  (internal: the pieces of one request)
    net: Network,
    dests: Sequence[str],
    find: Finder,
    base: Constraints,
    terms: OptionTerms,
    corridors: Sequence[Corridor],
) -> dict[str, CorridorChoice]:
    """Rules 2-6 for each destination, from the routes ``find`` returns."""
    year = base.year if base.year is not None else DEFAULT_PRICE_YEAR
    priced_memo: dict[tuple[str, ...], _Priced] = {}

    def priced(r: Route) -> _Priced:
        p = priced_memo.get(r.nodes)
        if p is None:
            q = price_route(
                r,
                net,
                container_ft=terms.container_ft,
                year=year,
                service=base.service.value,
            )
            p = _Priced(route=r, hours=q.hours, cost_usd=q.cost_usd, co2_kg=q.co2_kg)
            priced_memo[r.nodes] = p
        return p

    overall = find(base, terms.objective)
    every = tuple(dict.fromkeys((*corridors, *(r.corridor for r in overall.values()))))
    found: dict[Corridor, list[Mapping[str, Route]]] = {
        c: _candidates(replace(base, corridor=c), find, terms, dests) for c in every
    }
    out: dict[str, CorridorChoice] = {}
    for dest in dests:
        best = overall.get(dest)
        if best is None:
            continue
        candidates: dict[Corridor, list[_Priced]] = {}
        for c in every:
            routes = [f[dest] for f in found[c] if dest in f and f[dest].corridor is c]
            if best.corridor is c:
                routes.append(best)
            if routes:
                unique = {r.nodes: r for r in routes}
                candidates[c] = [priced(r) for r in unique.values()]
        out[dest] = _select(net, candidates, base, terms, corridors, find, dest)
    return out


def _candidates(
    cons: Constraints, find: Finder, terms: OptionTerms, dests: Sequence[str]
) -> list[Mapping[str, Route]]:
    """The routes of each search of rule 2 under ``cons``, by destination.

    Where the fastest route is also the cheapest, it is the best for the generalized cost too
    (it minimises both of its terms), so that search is not run.
    """
    searches = terms.searches()
    out: dict[Objective, Mapping[str, Route]] = {}
    for obj in searches:
        if obj is Objective.GENERALIZED and Objective.TIME in out and Objective.COST in out:
            fast, cheap = out[Objective.TIME], out[Objective.COST]
            if all(_same(fast.get(d), cheap.get(d)) for d in dests):
                out[obj] = fast
                continue
        out[obj] = find(cons, obj)
    return [out[obj] for obj in searches]


def _same(a: Route | None, b: Route | None) -> bool:
    """Whether two search results are the same route (or both none)."""
    if a is None or b is None:
        return a is b
    return a.nodes == b.nodes and a.legs == b.legs


def _efficient(cands: Sequence[_Priced]) -> list[_Priced]:
    """The candidates no other candidate dominates on time, cost and CO2 (rule 2)."""
    return [p for p in cands if not any(_dominates(q, p) for q in cands if q is not p)]


def _dominates(a: _Priced, b: _Priced) -> bool:
    ka = (a.hours, a.cost_usd, a.co2_kg)
    kb = (b.hours, b.cost_usd, b.co2_kg)
    return all(x <= y * (1 + TOLERANCE) for x, y in zip(ka, kb, strict=True)) and any(
        x < y * (1 - TOLERANCE) for x, y in zip(ka, kb, strict=True)
    )


def _select(  # noqa: PLR0917  (internal: the pieces of one request)
    net: Network,
    candidates: Mapping[Corridor, list[_Priced]],
    base: Constraints,
    terms: OptionTerms,
    corridors: Sequence[Corridor],
    find: Finder,
    dest: str,
) -> CorridorChoice:
    """Rules 3-6 for one pair."""
    reps: dict[Corridor, _Priced] = {}
    efficient: dict[Corridor, list[_Priced]] = {}
    for c, cands in candidates.items():
        efficient[c] = _efficient(cands)
        reps[c] = min(efficient[c], key=terms.rep_score)
    best = min((p for e in efficient.values() for p in e), key=terms.score)
    reps[best.route.corridor] = best  # rule 4: the overall best is its corridor's row
    # rule 3: the best candidate of each other main mode of a corridor (a barge beside a train)
    others = {c: _other_modes(efficient[c], rep, terms) for c, rep in reps.items()}
    omitted: dict[Corridor, Omitted] = {}
    # rule 5: the corridors the caller names (a subset of all) stay, with the reason as a note
    named = frozenset(corridors) if frozenset(corridors) != frozenset(ALL_CORRIDORS) else None
    beaten_notes: dict[Corridor, str] = {}
    pool = [*reps.values(), *(p for ps in others.values() for p in ps)]  # every row it may show
    for c, rep in list(reps.items()):
        beaten = [o for o in pool if o is not rep and _dominates(o, rep)]
        if rep is not best and beaten:
            by = min(beaten, key=terms.score)
            if named is not None and c in named:
                beaten_notes[c] = _dominated_reason(by, rep)
                continue
            omitted[c] = Omitted(c, _dominated_reason(by, rep))
            del reps[c]
    shown: dict[Corridor, list[_Priced]] = {c: [rep] for c, rep in reps.items()}
    for c, ps in others.items():
        for p in ps:
            if not any(_dominates(o, p) for o in pool if o is not p):
                shown.setdefault(c, []).append(p)
                omitted.pop(c, None)
    for c in corridors:
        if c not in shown and c not in omitted:
            omitted[c] = Omitted(c, _no_route_reason(net, c, base, find, dest))
    route_notes = {
        p.route.nodes: n
        for c, ps in shown.items()
        for p, n in _row_notes(net, ps, efficient[c], terms)
    }
    for c, why in beaten_notes.items():
        first = shown[c][0].route.nodes
        route_notes[first] = (f"shown because it was asked for: {why}", *route_notes[first])
    order = {c: i for i, c in enumerate((*corridors, *ALL_CORRIDORS, *Corridor))}
    routes = tuple(p.route for c in sorted(shown, key=order.__getitem__) for p in shown[c])
    return CorridorChoice(
        routes=routes,
        best=best.route,
        omitted=tuple(sorted(omitted.values(), key=lambda o: order[o.corridor])),
        notes={
            c: route_notes[ps[0].route.nodes]
            for c, ps in shown.items()
            if route_notes[ps[0].route.nodes]
        },
        route_notes={k: n for k, n in route_notes.items() if n},
    )


def _other_modes(efficient: Sequence[_Priced], rep: _Priced, terms: OptionTerms) -> list[_Priced]:
    """The best candidate (rule 3's score) of each main mode other than the representative's."""
    modes: dict[Mode, list[_Priced]] = {}
    for p in efficient:
        modes.setdefault(main_mode(p.route), []).append(p)
    modes.pop(main_mode(rep.route), None)
    return [min(group, key=terms.rep_score) for group in modes.values()]


def _row_notes(
    net: Network, rows: Sequence[_Priced], efficient: Sequence[_Priced], terms: OptionTerms
) -> list[tuple[_Priced, tuple[str, ...]]]:
    """Rule 6 for each row a corridor shows: its cheaper and faster candidates are those of its
    own main mode, or of a mode the corridor shows no row for."""
    own = {main_mode(p.route) for p in rows}
    out = []
    for p in rows:
        alike = [q for q in efficient if main_mode(q.route) not in own - {main_mode(p.route)}]
        out.append((p, _notes(net, p, alike, terms)))
    return out


def main_mode(route: Route) -> Mode:
    """The mode that carries the box furthest on a route (its main haul): a forwarder books a
    train, a truck, a barge or a ship, so a corridor shows the best route of each main mode
    that no other row beats (rule 3)."""
    km: dict[Mode, float] = {}
    for leg in route.legs:
        if leg.from_id != leg.to_id:
            mode = Mode(leg.mode.value)
            km[mode] = km.get(mode, 0.0) + leg.distance_km
    return max(km, key=km.__getitem__) if km else Mode.RAIL


def _dominated_reason(by: _Priced, rep: _Priced) -> str:
    c = by.route.corridor.value

    def worse(mine: float, theirs: float, word: str, tied: str) -> str:
        return word if mine > theirs * (1 + TOLERANCE) else tied

    how = (
        f"{worse(rep.hours, by.hours, 'slower', 'no faster')}, "
        f"{worse(rep.cost_usd, by.cost_usd, 'dearer', 'no cheaper')} and "
        f"{worse(rep.co2_kg, by.co2_kg, 'higher in CO2', 'no lower in CO2')}"
    )
    return (
        f"{how} than the {c} option "
        f"({rep.hours / 24:.1f} d vs {by.hours / 24:.1f} d, "
        f"{rep.cost_usd:,.0f} vs {by.cost_usd:,.0f} USD, "
        f"{rep.co2_kg:,.0f} vs {by.co2_kg:,.0f} kg CO2e)"
    )


def _notes(
    net: Network, rep: _Priced, efficient: Sequence[_Priced], terms: OptionTerms
) -> tuple[str, ...]:
    """Rule 6: changes of service, unknown services, the cheaper candidate, re-entries."""
    name = net.nodes
    said: list[str] = []
    rides = service_rides(rep.route)
    for x in rides:
        assumed = " (no service known: assumed)" if x.service.generic else ""
        if x.wait_h > 0:
            said.append(
                f"changes at {name[x.from_id].name} to {_service_name(x.service)}: "
                f"waits {x.wait_h / 24:.1f} d on average{assumed}"
            )
        elif assumed:
            said.append(
                f"no known service {name[x.from_id].name}–{name[x.to_id].name}: "
                f"{_service_name(x.service)} assumed"
            )
    cheaper = min(efficient, key=lambda p: (p.cost_usd, p.hours))
    if cheaper is not rep and cheaper.cost_usd < rep.cost_usd * (1 - TOLERANCE):
        said.append(_alternative_note(net, "cheaper", cheaper, rep, terms.container_ft))
    faster = min(efficient, key=lambda p: (p.hours, p.cost_usd))
    if faster is not rep and faster.hours < rep.hours * (1 - TOLERANCE):
        said.append(_alternative_note(net, "faster", faster, rep, terms.container_ft))
    again = reentered_countries(rep.route, net.nodes)
    if again:
        said.append(f"re-enters {', '.join(again)} between the places it must pass")
    return tuple(said)


def _service_name(svc: Service) -> str:
    """``North–South trains of RZD, ADY and RAI, 1.5 a week``: who runs it and how often."""
    freq = svc.frequency_per_week
    how = f"{freq:.3g} a week" if freq is not None else "sails when full"
    return f"{svc.operator or svc.id}, {how}"


def _alternative_note(
    net: Network, kind: str, alt: _Priced, rep: _Priced, container_ft: int
) -> str:
    """The note naming a ``"cheaper"`` or ``"faster"`` route of the same corridor and what it
    trades: days slower and USD less, or days quicker and USD more, for one container."""
    slower_less = kind == "cheaper"
    sign = 1 if slower_less else -1
    days = sign * (alt.hours - rep.hours) / 24
    usd = sign * (rep.cost_usd - alt.cost_usd)
    return (
        f"{kind} via {_via(net, alt.route, rep.route)}: {days:.1f} d "
        f"{'slower' if slower_less else 'quicker'}, {usd:,.0f} USD "
        f"{'less' if slower_less else 'more'} per {container_ft}-ft container"
    )


def _via(net: Network, route: Route, other: Route) -> str:
    """The border and port stations of ``route`` that ``other`` does not pass (first two), or
    where its voyage begins and ends."""
    theirs = set(other.nodes)
    places = [
        n
        for n in route.nodes
        if n not in theirs and net.nodes[n].kind in (NodeKind.BORDER, NodeKind.PORT)
    ][:2] or [n for n in route.nodes if n not in theirs][:2]
    return " and ".join(dict.fromkeys(net.nodes[x].name for x in places)) or "another way"


def _reentry_text(net: Network, route: Route) -> str:
    """``TM, KZ (CN › KZ › UZ › TM › IR › TM › KZ)``: what a route re-enters, and its countries."""
    again = ", ".join(reentered_countries(route, net.nodes))
    return f"{again} ({' › '.join(route_countries(route, net.nodes))})"


def _no_route_reason(
    net: Network, corridor: Corridor, cons: Constraints, find: Finder, dest: str
) -> str:
    """Why a corridor has no route: only by re-entering a country, or none at all."""
    if cons.reentry is Reentry.NEVER:
        loose = find(replace(cons, corridor=corridor, reentry=Reentry.ALLOWED), Objective.TIME)
        r = loose.get(dest)
        if r is not None and r.corridor is corridor:
            return f"re-enters {_reentry_text(net, r)}"
    parts = [f"no {corridor.value} route"]
    if cons.avoid_countries or cons.avoid_nodes:
        names = sorted(cons.avoid_countries) + sorted(net.nodes[n].name for n in cons.avoid_nodes)
        parts.append("avoiding " + ", ".join(names))
    if cons.via:
        parts.append("via " + ", ".join(net.nodes[v].name for v in cons.via))
    if cons.year is not None:
        parts.append(f"on the network of {cons.year}")
    return " ".join(parts)
