"""Exact route search over a state graph that carries mode, gauge and border state.

A container at a node is in a *state*: the mode and gauge it arrived on, whether it just crossed
a frontier, how many ``via`` nodes it has passed and whether it has used a link the request
requires. Leaving a node by a link costs the node's operations implied by the change of state
(border clearance, gauge change, port handling, rail-road transfer) plus the link itself, so a
gauge break or a ferry transfer costs what it costs. Dijkstra over these states is exact for a
single objective. Heap ties are broken by an insertion counter, so results are deterministic.

Every route is a simple path: no place is visited twice. A path over states may pass a place twice
in different states (to Aktau, across to Alat and back, to satisfy "must cross the Caspian"), so
the search enforces it with *decremental state-space relaxation* (Righini & Salani, 2008): it
first solves without the restriction; if the best path revisits places, those places become
*critical*, states also carry the set of critical places already visited, a critical place cannot
be entered twice, and the search runs again, until the best path is simple. Each run is an exact
Dijkstra over its state space (a label whose visited set contains that of an earlier, cheaper
label at the same state is dominated), and each relaxation is weaker than "simple path", so the
final route is the best simple path, not a loop filtered out afterwards. On the bundled network
most searches need one run and almost all the rest two. Alternatives and the Pareto front are
built from the same search, so they obey it too.

The states and their transitions depend only on the network, the month, the via places and
the year, so the searches share them (:class:`_Graph`: states numbered as they are reached,
each state's transitions computed once, for every search of a comparison and every later
request on the network); a search adds its own rules (links allowed, the crossing it must
make, its weights). It is guided by a lower bound of the cost still to come (A*): the cost in
a relaxed network of the links it may use, which never exceeds the true cost, so it settles
the same routes as a plain Dijkstra while popping fewer states. ``plain_search`` turns both
off (what the tests and the benchmark compare with).

A voyage passes a sea passage from one side to the other (:mod:`corridor.routing.passages`): a
state at a passage remembers the side it came from, and a link back to that side is not allowed,
so the liner cannot carry a box Poti → Bosphorus → Constanța (into the strait and back out into
the Black Sea); the direct Black Sea feeder does.

No route leaves a country and comes back into it (``CN › KZ › UZ › TM › IR › TM › KZ``
to reach Aktau, ``CN › RU › KZ › RU › AZ`` to reach Baku): a freight planner does not route a
box out of a country and back in, through two more sets of frontier formalities. The same
relaxation enforces it: a country re-entered by the best path becomes critical (``@KZ`` in the
visited set), and a critical country already entered cannot be entered again. A country is
entered by land, or where a container leaves a vessel (ports passed on board are not entered);
an exclave (Nakhchivan) counts as its own territory (:func:`corridor.routing.classify.territory`).
The places a request must pass (``via``) split the route into stretches, and the rule holds in
each stretch on its own: Almaty to Tashkent via Ürümqi may come back into Kazakhstan rather
than tour 15 countries that never re-enter one; the options say which countries a route
re-enters between the named places.
"""

from __future__ import annotations

import heapq
import itertools
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from typing import NamedTuple

from corridor.errors import ModelError, NoRouteError
from corridor.model import (
    Corridor,
    Direction,
    Leg,
    Link,
    Mode,
    Node,
    NodeKind,
    OperationKind,
    Route,
    Service,
    ServiceClass,
)
from corridor.network import Network, select_values
from corridor.routing.cache import network_memo
from corridor.routing.classify import (
    classify_route,
    corridor_rule,
    is_seaport,
    reentered_countries,
    rule_countries,
    territory,
)
from corridor.routing.costs import link_leg, operation_leg
from corridor.routing.passages import passage_sides
from corridor.routing.services import land_services_of

__all__ = [
    "DEFAULT_VALUE_OF_TIME_USD_PER_H",
    "Constraints",
    "NoRouteWithoutReentryError",
    "Objective",
    "Reentry",
    "alternative_routes",
    "best_route",
    "best_routes_from",
    "obeys_corridor",
    "pareto_routes",
    "plain_search",
    "routes_by_corridor",
]

DEFAULT_VALUE_OF_TIME_USD_PER_H = 2.85
"""Default value of time of one loaded FEU, USD per hour.

Inventory carrying cost of the cargo: an assumed cargo value of 100,000 USD per FEU (machinery and
electronics, the typical China-Europe rail cargo) at 25 % a year (a textbook carrying-cost rate),
``100000 * 0.25 / 8760 = 2.85`` USD/h. Override it with ``value_of_time_usd_per_h``.
"""


class Objective(StrEnum):
    """What the planner minimises."""

    TIME = "time"
    COST = "cost"
    CO2 = "co2"
    GENERALIZED = "generalized"


class NoRouteWithoutReentryError(NoRouteError):
    """No route that never re-enters a country, while the search did meet routes that do.

    Raised instead of a plain :class:`NoRouteError` so that a caller can ask whether a route
    exists with re-entry allowed (when the search met none, it would find none either: the
    same search without the rule explores exactly the same states).
    """


class Reentry(StrEnum):
    """Whether a route may leave a country and come back into it."""

    NEVER = "never"
    """Never within a stretch between two places the request names (origin, vias,
    destination); without ``via``, never at all. The default."""
    ALLOWED = "allowed"
    """Always (only places are not visited twice): for measurements and diagnostics."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Constraints:
    """Restrictions on the routes searched.

    Parameters
    ----------
    avoid_countries
        ISO alpha-2 codes the route may not touch.
    avoid_nodes
        Node ids the route may not pass (e.g. ``suez`` to go round the Cape).
    via
        Node ids the route must pass, in that order.
    year
        Links open in that year, and the values (border times, speeds, sailings, the Red Sea
        status) in force that year (``None``: today's operational network, latest values).
    month
        Calendar month (1-12) for seasonal weather; ``None`` averages over the year.
    corridor
        Keep the route inside that corridor (``None``: any).
    service
        Service class: ``standard`` (a regular train at CPMM averages) or ``express`` (a
        scheduled block train with priority path and reserved ferry slot).
    reentry
        Whether a route may leave a country and come back into it (see :class:`Reentry`).
    on
        The departure date: dated link statuses (the Red Sea diversion) are taken on that day
        when it falls in ``year`` (``None``: on 1 July of ``year``).
    """

    avoid_countries: frozenset[str] = frozenset()
    avoid_nodes: frozenset[str] = frozenset()
    via: tuple[str, ...] = ()
    year: int | None = None
    month: int | None = None
    corridor: Corridor | None = None
    service: ServiceClass = ServiceClass.STANDARD
    reentry: Reentry = Reentry.NEVER
    on: date | None = None

    def __post_init__(self) -> None:
        if self.month is not None and not 1 <= self.month <= 12:
            raise ModelError(f"month must be 1..12, got {self.month}")
        object.__setattr__(self, "service", ServiceClass.parse(self.service))
        object.__setattr__(self, "reentry", Reentry(self.reentry))


class _State(NamedTuple):
    """Where a container is and in what condition (a tuple: hashed and compared in C)."""

    node: str
    mode: str  # "" at the origin
    gauge: int
    crossed: bool
    via_done: int
    required: bool
    service: str  # service the container arrived on, "" if none
    voyage_from: str  # territory where the current voyage began, "" when not on a vessel
    side: int  # at a passage: the side the voyage came from (``passage_sides``), else -1
    # on a truck that left a train or a vessel where a rail line runs: it may only end the route
    mid_road: bool
    # critical places visited and critical territories ("@KZ") entered so far (module docstring)
    seen: frozenset[str] = frozenset()


_PLAIN: ContextVar[bool] = ContextVar("plain_search", default=False)


@contextmanager
def plain_search() -> Iterator[None]:
    """Within the block, every search builds its own state graph and runs a plain Dijkstra
    (no lower bound, nothing shared between searches): slower, and the same routes. What the
    tests compare the shared, guided search with, and the benchmark's reference."""
    token = _PLAIN.set(True)
    try:
        yield
    finally:
        _PLAIN.reset(token)


_MAX_STATES = 100_000
"""States kept per network, month, via places and year (a few MB each: a long-lived server sees
many months and via places, so the graph starts afresh beyond that)."""
_MAX_BOUNDS = 256
"""Lower bounds kept per graph (by destination, weights and rules; about 50 kB each)."""
_MAX_WEIGHTINGS = 16
"""Weightings (objective and value of time) whose transition weights a graph keeps."""


class _Raw(NamedTuple):
    """A transition as the network, month and via places make it: operations, leg, next state
    (``required`` as before the link), territories entered."""

    ops: list[Leg]
    leg: Leg
    nxt: _State
    entered: tuple[str, ...]
    ops_vec: tuple[float, float, float]  # the operations' hours, USD and kg CO2e
    leg_vec: tuple[float, float, float]  # the leg's


def _vec(legs: Sequence[Leg]) -> tuple[float, float, float]:
    return (
        sum(x.hours for x in legs),
        sum(x.cost_usd for x in legs),
        sum(x.co2_kg for x in legs),
    )


class _Edge(NamedTuple):
    """A transition of the shared state graph: the next state by its number (``required`` as
    before the link), the operations and the leg with their (hours, USD, kg CO2e)."""

    nxt: int
    ops: list[Leg]
    leg: Leg
    entered: tuple[str, ...]  # territories entered on the way ("@KZ"), see ``_entered``
    oh: float
    oc: float
    oe: float
    lh: float
    lc: float
    le: float


_Wedge = tuple[int, float, float, tuple[str, ...], Leg, list[Leg]]
"""A transition under a search's weights (see :meth:`_Search.weighted`)."""
_Label = int | tuple[int, frozenset[str]]
"""A search label: ``2 × state number + required``, with the critical places visited when
there are any (see :meth:`_Search._dijkstra`)."""


class _Out(NamedTuple):
    """The transitions of a state by one link (``ix``: the link's index in ``net.links``)."""

    link: Link
    ix: int
    edges: tuple[_Edge, ...]


class _Graph:
    """The state graph of one network (values selected), month, via places and year: states
    numbered as searches reach them, each with its transitions by every link open that year.

    What a transition costs and where it leads depends on nothing else, so every search on the
    network shares the graph (all the searches of a comparison, and every later request); a
    search applies its own rules on top (links allowed, the link it must use, its weights).
    States are stored without ``required`` and ``seen``, which a search carries itself.
    """

    __slots__ = (
        "adj",
        "allows",
        "arrivals",
        "bounds",
        "codes",
        "link_costs",
        "lock",
        "opened",
        "states",
        "weighted",
    )

    def __init__(self) -> None:
        self.codes: dict[_State, int] = {}
        self.states: list[_State] = []
        self.adj: list[tuple[_Out, ...] | None] = []
        self.arrivals: dict[int, tuple[list[Leg], tuple[float, float, float]]] = {}
        # lower bounds of the cost to the targets, by (targets, weights): see ``_Search.bounds``
        self.bounds: dict[tuple[object, ...], tuple[dict[str, float], dict[str, float]]] = {}
        self.link_costs: dict[tuple[float, float, float], list[float]] = {}
        # what the searches' rules say of each link, by rules (see ``_Search.allow``)
        self.allows: dict[tuple[object, ...], list[int]] = {}
        self.opened: dict[tuple[object, ...], list[bool]] = {}
        # the transitions under each weighting, by state (see ``_Search.weighted``)
        self.weighted: dict[
            tuple[float, float, float],
            dict[int, tuple[tuple[Link, int, str, tuple[_Wedge, ...]], ...]],
        ] = {}
        self.lock = threading.RLock()

    def code(self, state: _State) -> int:
        """The number of a state (``required`` false, ``seen`` empty), new ones appended."""
        found = self.codes.get(state)
        if found is None:
            with self.lock:
                found = self.codes.get(state)
                if found is None:
                    found = len(self.states)
                    self.states.append(state)
                    self.adj.append(None)
                    self.codes[state] = found
        return found


def _link_index(net: Network) -> Mapping[tuple[str, str, str], int]:
    """Each link's index in ``net.links``, by key (memoised per network)."""
    memo = network_memo(net)
    found = memo.get("link_index")
    if found is None:
        found = {lk.key: i for i, lk in enumerate(net.links)}
        memo["link_index"] = found
    assert isinstance(found, dict)
    return found


def _settle(  # noqa: PLR0917  (internal: one reverse Dijkstra of ``bounds``)
    heap: list[tuple[float, str]],
    into: Mapping[str, tuple[int, ...]],
    links: Sequence[Link],
    costs: Sequence[float],
    allow: Sequence[int],
    rules: tuple[int, ...],
) -> dict[str, float]:
    """The least cost from each place to one of the ``heap``'s places (seeded with their
    costs), over the links whose rule (see ``_Search.allow``) is one of ``rules``."""
    heapq.heapify(heap)
    dist: dict[str, float] = {}
    while heap:
        d, node = heapq.heappop(heap)
        if node in dist:
            continue
        dist[node] = d
        for ix in into.get(node, ()):
            if allow[ix] in rules:
                frm = links[ix].from_id
                if frm not in dist:
                    heapq.heappush(heap, (d + costs[ix], frm))
    return dist


def _reverse(net: Network) -> Mapping[str, tuple[int, ...]]:
    """The links into each node, by index in ``net.links`` (memoised per network)."""
    memo = network_memo(net)
    found = memo.get("incoming")
    if found is None:
        into: dict[str, list[int]] = {}
        for ix, lk in enumerate(net.links):
            into.setdefault(lk.to_id, []).append(ix)
        found = {k: tuple(v) for k, v in into.items()}
        memo["incoming"] = found
    assert isinstance(found, dict)
    return found


@dataclass(slots=True)
class _Search:
    net: Network
    origin: str
    destination: str
    constraints: Constraints
    weight: Callable[[Leg], float]
    coef: tuple[float, float, float]
    """``weight`` as weights of (hours, USD, kg CO2e): every objective is linear in them."""
    penalty: dict[tuple[str, str, str], float] = field(default_factory=dict)
    forbid: Callable[[Link], bool] = field(default=lambda lk: False)
    require: Callable[[Link], bool] | None = None
    memo: dict[object, object] = field(init=False)
    met_reentry: bool = field(default=False, init=False)  # a best path re-entered a country
    sides: Mapping[str, Mapping[str, int]] = field(init=False)
    graph: _Graph = field(init=False)
    """Shared by every search on this network, month, via places and year."""
    allow: list[int] = field(init=False)
    """Per link (index in ``net.links``): -1 not yet known, 0 not allowed, 1 allowed, 2 allowed
    and it makes the crossing the search must make (``require``)."""
    rule_key: object = None
    """What ``forbid`` and ``require`` depend on (see :func:`_corridor_rule`)."""
    guided: bool = True
    """Whether the search is guided by a lower bound of the cost to the targets (A*: the same
    routes, fewer states); off, it is a plain Dijkstra (the reference the tests compare with)."""

    def __post_init__(self) -> None:
        self.memo = network_memo(self.net)
        self.sides = passage_sides(self.net)
        c = self.constraints
        key = ("state graph", c.month, c.via, c.year)
        graph = self.memo.get(key)
        if _PLAIN.get():
            graph = _Graph()  # this search's own
            self.guided = False
        elif not isinstance(graph, _Graph) or len(graph.states) > _MAX_STATES:
            graph = _Graph()
            self.memo[key] = graph
        self.graph = graph
        self.allow = []

    def _share_allow(self) -> None:
        """Take the :attr:`allow` list of the searches with the same rules (their corridor
        rule, avoided places and year), or start one."""
        if self.allow:
            return
        c = self.constraints
        fresh = [-1] * len(self.net.links)
        if _PLAIN.get() or (self.rule_key is None and self.require is not None):
            self.allow = fresh  # a rule set by hand: not shared
            return
        key = (self.rule_key, c.avoid_countries, c.avoid_nodes)
        allows = self.graph.allows
        if len(allows) > 1024:
            allows.clear()
        self.allow = allows.setdefault(key, fresh)

    def allowed(self, link: Link, ix: int) -> int:
        """The search's own rules for ``link``, of index ``ix`` (see :attr:`allow`)."""
        if not self.open_links()[ix] or self.forbid(link):
            return 0
        return 2 if self.require is not None and self.require(link) else 1

    def open_links(self) -> list[bool]:
        """:meth:`link_open` of each link, shared by the searches with the same year and
        places avoided."""
        c = self.constraints
        key = ("open", c.avoid_countries, c.avoid_nodes)
        found = self.graph.opened.get(key)
        if found is None:
            found = [self.link_open(lk) for lk in self.net.links]
            if len(self.graph.opened) > 64:
                self.graph.opened.clear()
            self.graph.opened[key] = found
        return found

    def expand(self, code: int) -> tuple[_Out, ...]:
        """The transitions of state ``code`` by each link open in the search's year: one per
        land service that can carry the box on (:func:`corridor.routing.services.land_services_of`),
        one for a vessel link, none where the box may not go that way.

        A box on a land service that runs on over a link stays on it; otherwise, having come
        by another service (a train or a vessel), it changes service here (a *relay*): it is
        handled at the hub and waits for the next departure of the new service by that
        service's departure rule, unless the new service is timed to connect with the one it
        came by (:meth:`corridor.model.Service.waits_after`). At the origin it boards without a
        relay (the shipper delivers it for a departure). Computed once per state and shared
        (:class:`_Graph`).
        """
        graph = self.graph
        found = graph.adj[code]
        if found is not None:
            return found
        with graph.lock:
            found = graph.adj[code]
            if found is not None:
                return found
            core = graph.states[code]
            index = _link_index(self.net)
            year = self.constraints.year
            outs = []
            for link in self.net.outgoing[core.node]:
                if not link.is_open(year):
                    continue
                edges = tuple(
                    _Edge(graph.code(r.nxt), r.ops, r.leg, r.entered, *r.ops_vec, *r.leg_vec)
                    for r in self._raw_steps(core, link)
                )
                if edges:
                    outs.append(_Out(link, index[link.key], edges))
            found = tuple(outs)
            graph.adj[code] = found
        return found

    def arrival(self, code: int) -> tuple[list[Leg], tuple[float, float, float]]:
        """:meth:`arrival_ops` of state ``code`` and their (hours, USD, kg CO2e), shared."""
        found = self.graph.arrivals.get(code)
        if found is None:
            ops = self.arrival_ops(self.graph.states[code])
            found = (ops, _vec(ops))
            self.graph.arrivals[code] = found
        return found

    def bounds(self, targets: frozenset[str]) -> tuple[dict[str, float], dict[str, float]] | None:
        """A lower bound of the cost from each place to the nearest of ``targets``, for a box
        that has yet to make the crossing the search requires and for one that has (places
        that cannot reach a target are left out); None when the search is not guided.

        The bound is the cost in a relaxed network: the links the search allows, each at its
        leg without a wait for a departure, plus the border clearance it starts with when it
        crosses a frontier by land (the cheaper direction). Departure waits, the other
        operations at a node and the penalties of :func:`alternative_routes` only add to a
        route's cost, so the bound never exceeds it and is consistent: A* with it settles the
        same best routes as Dijkstra. Shared by the searches with the same weights and rules.
        """
        if not self.guided or any(f < 1.0 for f in self.penalty.values()):
            return None
        c = self.constraints
        key = (targets, self.coef, self.rule_key, c.avoid_countries, c.avoid_nodes)
        found = self.graph.bounds.get(key)
        if found is not None:
            return found
        costs = self.link_bounds()
        allow = self.allow
        links = self.net.links
        for ix, rule in enumerate(allow):
            if rule < 0:
                allow[ix] = self.allowed(links[ix], ix)
        into = _reverse(self.net)
        after = _settle([(0.0, t) for t in sorted(targets)], into, links, costs, allow, (1, 2))
        before: dict[str, float] = {}
        if self.require is not None:
            # the crossing is made by a link that leads where the rest can be done
            seeds = [
                (costs[ix] + after[lk.to_id], lk.from_id)
                for ix, lk in enumerate(links)
                if allow[ix] == 2 and lk.to_id in after
            ]
            before = _settle(seeds, into, links, costs, allow, (1,))
        dist = (before, after)
        if len(self.graph.bounds) > _MAX_BOUNDS:
            self.graph.bounds.clear()
        self.graph.bounds[key] = dist
        return dist

    def link_bounds(self) -> list[float]:
        """Per link (index in ``net.links``): the least it adds to a route's cost under the
        search's weights (see :meth:`bounds`); shared by the searches on the graph."""
        found = self.graph.link_costs.get(self.coef)
        if found is not None:
            return found
        wh, wc, we = self.coef
        nodes = self.net.nodes

        def w(x: Leg | None) -> float:
            return 0.0 if x is None else wh * x.hours + wc * x.cost_usd + we * x.co2_kg

        out = []
        for link in self.net.links:
            lb = min(w(self.leg_by(link, boarding=False)), w(self.leg_by(link, boarding=True)))
            a = nodes[link.from_id]
            if not link.mode.is_water and a.country != nodes[link.to_id].country:
                lb += min(w(self.op_leg(a, OperationKind.BORDER, d)) for d in Direction)
            out.append(lb)
        if len(self.graph.link_costs) > _MAX_WEIGHTINGS:
            self.graph.link_costs.clear()
        self.graph.link_costs[self.coef] = out
        return out

    def _raw_steps(self, core: _State, link: Link) -> tuple[_Raw, ...]:
        """The transitions of ``core`` by ``link`` (see :meth:`step`) before the search's own
        rules (links allowed, required links, weights) apply."""
        if (
            self.turns_in_passage(core, link)
            or self.off_trade(core, link)
            or (core.mid_road and link.mode is not Mode.ROAD)
            or self.trucks_off_the_railway(core, link)
        ):
            return ()
        land = land_services_of(self.net, link)
        if not land:
            return self._steps_by(core, link, (None,), relay=False)
        same = [svc for svc in land if svc.id == core.service]
        if same:
            return self._steps_by(core, link, (same[0],), relay=False)
        relay = bool(core.service)
        if not relay:
            land = _widest(land)
        return self._steps_by(core, link, land, relay=relay)

    def _steps_by(
        self,
        core: _State,
        link: Link,
        services: Sequence[Service | None],
        *,
        relay: bool,
    ) -> tuple[_Raw, ...]:
        ops = self.departure_ops(core, link)
        if relay:
            handled = self.relay_handling(core, ops)
            if handled is None:
                return ()  # no hub here: a box cannot change service at this place
            ops = concurrent_operations([*ops, *handled]) if handled else ops
        base = self.leg(link, core)
        entered = self._entered(core, link)
        ops_vec = _vec(ops)
        out = []
        for svc in services:
            leg = (
                base
                if svc is None
                else self.land_leg(base, svc, waits=relay and svc.waits_after(core.service))
            )
            out.append(
                _Raw(
                    ops=ops,
                    leg=leg,
                    nxt=self._next_state(core, link, frozenset(), svc),
                    entered=entered,
                    ops_vec=ops_vec,
                    leg_vec=(leg.hours, leg.cost_usd, leg.co2_kg),
                )
            )
        return tuple(out)

    def relay_handling(self, state: _State, ops: list[Leg]) -> list[Leg] | None:
        """The handling a box changing land service at ``state.node`` adds to ``ops``.

        Nothing where the box is lifted or handed over anyway (port, rail-road transfer, gauge
        change, or the frontier where one railway hands its wagons to the next); else the hub's
        terminal operation; None where the place has neither (no hub: no change of service).
        """
        lifted = (
            OperationKind.PORT,
            OperationKind.TRANSFER,
            OperationKind.GAUGE_CHANGE,
            OperationKind.BORDER,
        )
        if any(x.operation in lifted for x in ops):
            return []
        terminal = self.op_leg(self.net.nodes[state.node], OperationKind.TERMINAL)
        return None if terminal is None else [terminal]

    def land_leg(self, base: Leg, svc: Service, *, waits: bool) -> Leg:
        """``base`` carried by the land service ``svc``, with the mean wait for its departure
        when the box waits for one here (``boarding``)."""
        month = self.constraints.month
        key = ("land_leg", base.from_id, base.to_id, base.mode, month, svc.id, waits)
        leg = self.memo.get(key)
        if leg is None:
            wait = svc.departure.mean_wait_h() if waits else 0.0
            leg = replace(base, service=svc, boarding=waits, hours=base.hours + wait)
            self.memo[key] = leg
        assert isinstance(leg, Leg)
        return leg

    def link_allowed(self, link: Link) -> bool:
        """Whether the search may use ``link`` (open, clear of what is avoided, not forbidden
        by the corridor's rule)."""
        return self.link_open(link) and not self.forbid(link)

    def link_open(self, link: Link) -> bool:
        """Whether ``link`` is open in the year and clear of the places avoided."""
        c = self.constraints
        if not link.is_open(c.year):
            return False
        for end in (link.from_id, link.to_id):
            if end in c.avoid_nodes or self.net.nodes[end].country in c.avoid_countries:
                return False
        return not link.through & c.avoid_countries  # the track crosses an avoided country

    def trucks_off_the_railway(self, state: _State, link: Link) -> bool:
        """Whether ``link`` puts a box that came by train or vessel on a truck where the railway
        runs on: a truck carries it after a train only across a gap (:meth:`bridges_gap`); it
        may carry it from the origin (pre-carriage) or the whole way."""
        return (
            link.mode is Mode.ROAD
            and state.mode not in ("", Mode.ROAD.value)
            and not self.bridges_gap(link)
        )

    def bridges_gap(self, link: Link) -> bool:
        """Whether a road link carries boxes over a gap in the rail network: one end is a port
        without rail (drayage between Ambarlı and Halkalı, Anzali and Rasht), or its two ends are
        joined by a rail link that is not open in the search's year (Astara–Rasht until the
        railway is built). Memoised per network and year."""
        key = ("bridges_gap", link.key, self.constraints.year)
        found = self.memo.get(key)
        if found is None:
            ends = {link.from_id, link.to_id}
            nodes = self.net.nodes
            found = any(
                nodes[e].kind is NodeKind.PORT and not nodes[e].gauges for e in ends
            ) or any(
                lk.mode is Mode.RAIL
                and lk.to_id in ends
                and lk.to_id != link.from_id
                and not lk.is_open(self.constraints.year)
                for lk in self.net.outgoing.get(link.from_id, ())
            )
            self.memo[key] = found
        return bool(found)

    def turns_in_passage(self, state: _State, link: Link) -> bool:
        """Whether leaving a passage by ``link`` sails back to the side the voyage came from."""
        sides = self.sides.get(state.node)
        return sides is not None and state.side >= 0 and sides.get(link.to_id) == state.side

    def leg(self, link: Link, state: _State) -> Leg:
        """The leg of ``link`` taken from ``state`` (boarding unless already on its service)."""
        return self.leg_by(
            link, boarding=link.service is not None and state.service != link.service.id
        )

    def leg_by(self, link: Link, *, boarding: bool) -> Leg:
        """The leg of ``link``, boarding its vessel service or already aboard (memoised)."""
        key = ("link_leg", link.key, self.constraints.month, boarding)
        leg = self.memo.get(key)
        if leg is None:
            leg = link_leg(link, self.net.nodes, self.constraints.month, boarding=boarding)
            self.memo[key] = leg
        assert isinstance(leg, Leg)
        return leg

    def departure_ops(self, state: _State, link: Link) -> list[Leg]:
        """Operations at ``state.node`` when leaving it by ``link``."""
        node = self.net.nodes[state.node]
        out: list[Leg] = []
        kinds: list[OperationKind] = []
        # entering the node's country here (just crossed) or leaving it by this link
        direction = Direction.IN if state.crossed else Direction.OUT
        if self._needs_clearance(state, link, node):
            kinds.append(OperationKind.BORDER)
        if not state.mode:
            kinds.append(OperationKind.PORT if link.mode.is_water else OperationKind.TERMINAL)
        else:
            arrived = Mode(state.mode)
            if arrived is Mode.RAIL and link.mode is Mode.RAIL and state.gauge != link.gauge:
                kinds.append(OperationKind.GAUGE_CHANGE)
            boards_or_leaves = arrived.is_water != link.mode.is_water
            transships = (
                arrived.is_water
                and link.mode.is_water
                and node.kind is not NodeKind.PASSAGE
                and state.service != (link.service.id if link.service else "")
            )
            if boards_or_leaves or transships:
                kinds.append(OperationKind.PORT)
            if {arrived, link.mode} == {Mode.RAIL, Mode.ROAD}:
                kinds.append(OperationKind.TRANSFER)
        for kind in kinds:
            leg = self.op_leg(node, kind, direction if kind is OperationKind.BORDER else None)
            if leg is not None:
                out.append(leg)
        return concurrent_operations(out)

    def op_leg(
        self, node: Node, kind: OperationKind, direction: Direction | None = None
    ) -> Leg | None:
        """The (memoised) leg of an operation at a node, or None if the node does not do it."""
        key = ("op_leg", node.id, kind, direction)
        if key not in self.memo:
            self.memo[key] = operation_leg(node, kind, direction)
        leg = self.memo[key]
        return leg if isinstance(leg, Leg) else None

    def _needs_clearance(self, state: _State, link: Link, node: Node) -> bool:
        """Whether leaving ``node`` by ``link`` passes a border clearance at ``node``.

        Clearance happens where a frontier is crossed by land (at the stations on both sides),
        where a container leaves a vessel in another country than the one where its voyage
        began, and where it boards a vessel bound abroad. Ports and passages that a voyage only
        passes, and vessel-to-vessel transshipments, clear nothing.
        """
        abroad = node.country != self.net.nodes[link.to_id].country
        arrived_by_water = bool(state.mode) and Mode(state.mode).is_water
        if not link.mode.is_water:
            return state.crossed or abroad
        if arrived_by_water:
            return False  # continuing the voyage or transshipping in transit
        return state.crossed or abroad  # boarding: import clearance by land, export by sea

    def territory(self, node_id: str) -> str:
        """The territory (country or exclave) of a place, memoised."""
        key = ("territory", node_id)
        t = self.memo.get(key)
        if t is None:
            t = territory(self.net.nodes[node_id], self.net.geo)
            self.memo[key] = t
        assert isinstance(t, str)
        return t

    def here(self, state: _State) -> str:
        """The territory a container is in: where it stands, or where its voyage began."""
        return state.voyage_from if state.voyage_from else self.territory(state.node)

    def _entered(self, state: _State, link: Link) -> tuple[str, ...]:
        """Territories (``"@KZ"``) entered by leaving ``state`` by ``link``.

        Leaving a vessel for land, or for another vessel (a transshipment), enters the port's
        territory (unless the voyage began there); a land link enters the territory at its end.
        Boarding or staying on board enters none.
        """
        if link.mode.is_water:
            at = self.territory(state.node)
            return ("@" + at,) if self._transships(state, link) and at != self.here(state) else ()
        out: list[str] = []
        here = self.here(state)
        at = self.territory(state.node)
        if at != here:
            out.append("@" + at)
        there = self.territory(link.to_id)
        if there != at:
            out.append("@" + there)
        return tuple(out)

    def _transships(self, state: _State, link: Link) -> bool:
        """Whether leaving ``state`` by the vessel ``link`` changes vessels at a port."""
        return (
            bool(state.mode)
            and Mode(state.mode).is_water
            and self.net.nodes[state.node].kind is not NodeKind.PASSAGE
            and state.service != (link.service.id if link.service else "")
        )

    def off_trade(self, state: _State, link: Link | None) -> bool:
        """Whether leaving the vessel at ``state`` (by ``link``, or at the end of the route when
        None) ends a voyage its service does not sell: between two ports of one range of its
        trade (``Service.ranges``: the Asia-Europe liner does not carry Constanța -> Rotterdam)."""
        if not state.voyage_from or not state.service:
            return False
        if link is not None and link.mode.is_water and not self._transships(state, link):
            return False  # the box stays aboard
        svc = self.net.services.get(state.service)
        if svc is None or not svc.ranges:
            return False
        return not svc.carries(state.voyage_from[:2], self.net.nodes[state.node].country)

    def arrival_entered(self, state: _State) -> str | None:
        """The territory (``"@GE"``) entered by ending the route at ``state`` (leaving a vessel)."""
        at = self.territory(state.node)
        return "@" + at if state.voyage_from and at != state.voyage_from else None

    def _next_state(
        self,
        state: _State,
        link: Link,
        critical: frozenset[str],
        land: Service | None = None,
    ) -> _State:
        c = self.constraints
        to = link.to_id
        via_done = state.via_done
        if via_done < len(c.via) and to == c.via[via_done]:
            via_done += 1
        here = self.net.nodes[state.node].country
        there = self.net.nodes[to].country
        if link.mode.is_water:
            on_water = bool(state.mode) and Mode(state.mode).is_water
            aboard = on_water and not self._transships(state, link)
            voyage_from = state.voyage_from if aboard else self.territory(state.node)
            crossed = voyage_from[:2] != there
        else:
            voyage_from = ""
            crossed = here != there
        sides = self.sides.get(to)
        side = sides.get(state.node, -1) if sides is not None and link.mode.is_water else -1
        # Trucks carry a box to or from the route's ends (pre- and on-carriage), or over a gap
        # in the rail network; a box does not leave a train for a truck and board a train (or a
        # vessel) again where the rail line runs.
        mid_road = (
            link.mode is Mode.ROAD
            and bool(state.mode)
            and (state.mode != Mode.ROAD.value or state.mid_road)
            and not self.bridges_gap(link)
        )
        return _State(
            node=to,
            mode=link.mode.value,
            gauge=link.gauge or 0,
            crossed=crossed,
            via_done=via_done,
            required=state.required,
            service=land.id if land is not None else (link.service.id if link.service else ""),
            voyage_from=voyage_from,
            side=side,
            mid_road=mid_road,
            seen=state.seen | {to} if to in critical else state.seen,
        )

    def arrival_ops(self, state: _State) -> list[Leg]:
        """Operations at the destination when the route ends there."""
        node = self.net.nodes[state.node]
        kinds: list[OperationKind] = []
        if state.crossed:
            kinds.append(OperationKind.BORDER)
        if state.mode:
            kinds.append(
                OperationKind.PORT if Mode(state.mode).is_water else OperationKind.TERMINAL
            )
        return concurrent_operations(
            [
                leg
                for k in kinds
                if (
                    leg := self.op_leg(node, k, Direction.IN if k is OperationKind.BORDER else None)
                )
                is not None
            ]
        )

    def avoided(self, node_id: str) -> bool:
        """Whether the constraints exclude a place itself."""
        c = self.constraints
        return node_id in c.avoid_nodes or self.net.nodes[node_id].country in c.avoid_countries

    def run(self) -> Route:
        """The best simple path (no place visited twice) under the constraints."""
        for end, role in ((self.origin, "origin"), (self.destination, "destination")):
            if end in self.constraints.via:
                raise ModelError(
                    f"{self.net.nodes[end].name} is the {role}: a place to pass (via) must lie "
                    "between the origin and the destination"
                )
        for end in (self.origin, self.destination, *self.constraints.via):
            if self.avoided(end):
                node = self.net.nodes[end]
                raise NoRouteError(f"{node.name} ({end}) is itself avoided")
        found = self.run_many(frozenset({self.destination}))
        if self.destination not in found:
            error = NoRouteWithoutReentryError if self.met_reentry else NoRouteError
            raise error(self._no_route_message())
        return found[self.destination]

    def run_many(self, targets: frozenset[str]) -> dict[str, Route]:
        """The best simple path to each of ``targets`` that has one, from one search.

        One Dijkstra settles every target (the operations on arrival are a final cost, so the
        best route to a place is the best over its arrival states). The targets whose paths
        revisit places are searched again together, with every place revisited so far critical
        (decremental state-space relaxation; a larger critical set is still a relaxation of
        "simple path", so each route kept is the best simple one).
        """
        c = self.constraints
        if self.avoided(self.origin) or any(self.avoided(v) for v in c.via):
            return {}
        self._share_allow()
        pending = frozenset(t for t in targets if t != self.origin and not self.avoided(t))
        critical: frozenset[str] = frozenset()
        out: dict[str, Route] = {}
        while pending:
            looping: set[str] = set()
            for target, route in self._dijkstra(critical, pending).items():
                repeated = {n for n in route.nodes if route.nodes.count(n) > 1}
                if c.reentry is Reentry.NEVER:
                    repeated |= {"@" + t for t in reentered_countries(route, self.net.nodes, c.via)}
                if repeated:
                    looping.add(target)
                    critical |= repeated
                    self.met_reentry |= any(x[0] == "@" for x in repeated)
                else:
                    out[target] = route
            pending = frozenset(looping)
        return out

    def weighted(self, code: int) -> tuple[tuple[Link, int, str, tuple[_Wedge, ...]], ...]:
        """The transitions of state ``code`` under the search's weights: per link, the link,
        its index, where it leads and each way of taking it as (next state, operations' weight,
        leg's weight, territories entered, leg, operations). Shared by the searches with the
        same weights."""
        table = self.graph.weighted.get(self.coef)
        if table is None:
            table = self.graph.weighted.setdefault(self.coef, {})
        found = table.get(code)
        if found is None:
            wh, wc, we = self.coef
            found = tuple(
                (
                    out.link,
                    out.ix,
                    out.link.to_id,
                    tuple(
                        (
                            e.nxt,
                            wh * e.oh + wc * e.oc + we * e.oe,
                            wh * e.lh + wc * e.lc + we * e.le,
                            e.entered,
                            e.leg,
                            e.ops,
                        )
                        for e in out.edges
                    ),
                )
                for out in self.expand(code)
            )
            table[code] = found
        return found

    def _start_label(self, critical: frozenset[str]) -> _Label:
        """The label of the origin: nothing done yet, required already when nothing is required,
        and (with ``critical`` places) the origin and its territory visited if critical."""
        via = self.constraints.via
        first = _State(
            node=self.origin,
            mode="",
            gauge=0,
            crossed=False,
            via_done=1 if via and via[0] == self.origin else 0,
            required=False,
            service="",
            voyage_from="",
            side=-1,
            mid_road=False,
        )
        ck0 = self.graph.code(first) * 2 + (self.require is None)
        seen0 = frozenset({self.origin, "@" + self.territory(self.origin)}) & critical
        return (ck0, seen0) if critical else ck0

    def _dijkstra(  # noqa: PLR0912, PLR0915  (the search loop: each pruning rule is one branch)
        self, critical: frozenset[str], targets: frozenset[str]
    ) -> dict[str, Route]:
        """Exact search over states in which the ``critical`` places may be entered once.

        A label is ``2 × state number + required`` (with ``critical`` places: that and the
        critical places visited); labels are popped in the order of their cost plus the lower
        bound of :meth:`bounds` (A*; a plain Dijkstra without one).
        """
        self._share_allow()
        c = self.constraints
        via = c.via
        n_via = len(via)
        states = self.graph.states
        if self.coef not in self.graph.weighted and len(self.graph.weighted) > _MAX_WEIGHTINGS:
            self.graph.weighted.clear()  # a server asked for many values of time
        table = self.graph.weighted.setdefault(self.coef, {})
        allow = self.allow
        wh, wc, we = self.coef
        penalty = self.penalty
        bound = self.bounds(targets)
        inf = float("inf")
        nothing: frozenset[str] = frozenset()
        start = self._start_label(critical)
        per_stretch = bool(via)
        counter = itertools.count()
        best: dict[_Label, float] = {start: 0.0}
        parent: dict[_Label, tuple[_Label, Link, Leg, list[Leg]]] = {}
        heap: list[tuple[float, int, float, _Label, bool]] = [
            (0.0, next(counter), 0.0, start, False)
        ]
        settled: dict[int, list[frozenset[str]]] = {}
        found: dict[str, Route] = {}
        while heap:
            _, _, g, label, is_goal = heapq.heappop(heap)
            if isinstance(label, tuple):
                ck, seen = label
            else:
                ck, seen = label, nothing
            code = ck >> 1
            state = states[code]
            if is_goal:
                if state.node not in found:
                    found[state.node] = self._rebuild(label, parent, self.arrival(code)[0])
                    if len(found) == len(targets):
                        break
                continue
            if g > best[label]:
                continue
            if critical:
                # Popped in cost order (the bound is the same at the same place): an earlier
                # label at the same state that visited a subset of these critical places can do
                # everything this one can, cheaper.
                earlier = settled.setdefault(ck, [])
                if any(s <= seen for s in earlier):
                    continue
                earlier.append(seen)
            if (
                ck & 1
                and state.node in targets
                and state.node not in found
                and state.via_done == n_via
                and state.mode
                and not (seen and self.arrival_entered(state) in seen)
                and not self.off_trade(state, None)
            ):
                fh, fc, fe = self.arrival(code)[1]
                final = g + (wh * fh + wc * fc + we * fe)
                heapq.heappush(heap, (final, next(counter), final, label, True))
            outs = table.get(code)
            if outs is None:
                outs = self.weighted(code)
            for link, ix, to, edges in outs:
                rule = allow[ix]
                if rule < 0:
                    rule = allow[ix] = self.allowed(link, ix)
                if not rule or to in seen:
                    continue
                factor = penalty.get(link.key, 1.0) if penalty else 1.0
                req = 1 if ck & 1 or rule == 2 else 0
                lb = 0.0
                if bound is not None:
                    lb = bound[req].get(to, inf)
                    if lb == inf:
                        continue  # no target can be reached from there
                for nxt_code, w_ops, w_leg, entered, leg, ops in edges:
                    if seen and any(x in seen for x in entered):
                        continue  # back into a country it has left
                    cost = g + w_ops + w_leg * factor
                    nxt: _Label = nxt_code * 2 + req
                    if critical:
                        nxt = (
                            nxt_code * 2 + req,
                            self._carry_seen(state, nxt_code, entered, critical, seen, per_stretch),
                        )
                    if cost < best.get(nxt, inf):
                        best[nxt] = cost
                        parent[nxt] = (label, link, leg, ops)
                        heapq.heappush(heap, (cost + lb, next(counter), cost, nxt, False))
        return found

    def _carry_seen(  # noqa: PLR0917  (internal, in the search loop)
        self,
        state: _State,
        nxt_code: int,
        entered: tuple[str, ...],
        critical: frozenset[str],
        seen: frozenset[str],
        per_stretch: bool,
    ) -> frozenset[str]:
        """``seen`` with the critical places and territories visited on arriving at state
        ``nxt_code`` (``entered``: the territories entered on the way)."""
        nxt = self.graph.states[nxt_code]
        new = {nxt.node, *entered} & critical
        if new:
            seen = seen | new
        if per_stretch and nxt.via_done > state.via_done:
            # a place the user named: the next stretch starts afresh from where it stands
            here = "@" + self.here(nxt)
            seen = frozenset(x for x in seen if x[0] != "@") | ({here} & critical)
        return seen

    def _rebuild(
        self,
        label: _Label,
        parent: dict[_Label, tuple[_Label, Link, Leg, list[Leg]]],
        final: list[Leg],
    ) -> Route:
        states = self.graph.states

        def node(x: _Label) -> str:
            return states[(x[0] if isinstance(x, tuple) else x) >> 1].node

        legs: list[Leg] = list(reversed(final))
        links: list[Link] = []
        nodes = [node(label)]
        while label in parent:
            prev, link, leg, ops = parent[label]
            legs.append(leg)
            legs.extend(reversed(ops))
            links.append(link)
            nodes.append(node(prev))
            label = prev
        legs.reverse()
        links.reverse()
        nodes.reverse()
        return Route(
            nodes=tuple(nodes),
            legs=_named(self.net, legs),
            corridor=classify_route(
                links, self.net.nodes, self.net.geo, None if _PLAIN.get() else _crossings(self.net)
            ),
            year=self.constraints.year,
            month=self.constraints.month,
        )

    def _no_route_message(self) -> str:
        c = self.constraints
        a, b = self.net.nodes[self.origin].name, self.net.nodes[self.destination].name
        parts = [f"no route from {a} to {b}"]
        if c.corridor is not None:
            parts.append(f"in the {c.corridor.value} corridor")
        if c.via:
            parts.append("via " + ", ".join(self.net.nodes[v].name for v in c.via))
        if c.avoid_countries or c.avoid_nodes:
            parts.append("avoiding " + ", ".join(sorted(c.avoid_countries | c.avoid_nodes)))
        parts.append(f"with the network of {c.year}" if c.year else "on today's network")
        return " ".join(parts)


def _named(net: Network, legs: list[Leg]) -> tuple[Leg, ...]:
    """The legs with each land ride boarded at the origin named by the most specific service
    that runs over all of it (Xi'an to Aktau: the TITR trains, not the China-Europe ones).

    Such a ride was searched on the widest service (:func:`_widest`); any service that covers
    it takes the same time, as no departure is waited for. A ride boarded on a change of
    service keeps the service chosen for its departures.
    """
    out = list(legs)
    i = 0
    before: Service | None = None  # service of the last link leg before ``i``
    while i < len(out):
        leg = out[i]
        svc = leg.service
        if leg.is_operation:
            i += 1
            continue
        if svc is None or not svc.is_land or leg.boarding or before is not None:
            before = svc
            i += 1
            continue
        ride = [i]
        j = i + 1
        while j < len(out) and (
            out[j].is_operation or (out[j].service is svc and not out[j].boarding)
        ):
            if not out[j].is_operation:
                ride.append(j)
            j += 1
        common: set[str] | None = None
        for k in ride:
            link = net.by_key[(out[k].from_id, out[k].to_id, out[k].mode.value)]
            ids = {x.id for x in land_services_of(net, link)}
            common = ids if common is None else common & ids
        named = [net.land_services[x] for x in common or ()]
        if named:
            best = min(named, key=lambda x: (len(x.countries), x.id))
            if best is not svc:
                for k in ride:
                    out[k] = replace(out[k], service=best)
        before = out[ride[-1]].service
        i = j
    return tuple(out)


def _widest(services: Sequence[Service]) -> tuple[Service, ...]:
    """The services not covered by a wider one: boarding without a relay (no wait), a box is
    never worse off on a service that runs wherever another does (the route's chain names
    the most specific one afterwards, see :func:`_named`)."""
    return tuple(
        s
        for s in services
        if not any(
            t is not s
            and s.countries <= t.countries
            and (s.countries != t.countries or t.id < s.id)
            for t in services
        )
    )


def concurrent_operations(ops: list[Leg]) -> list[Leg]:
    """The operations a container undergoes at one node, overlapped.

    Border clearance, port handling, gauge change and terminal work at one node run at the same
    time (documents are cleared while the box is lifted and waits in the yard; CPMM border times
    already include the wait for a gauge change), so the node takes as long as its longest
    operation. In expected-value terms the longest mean is kept and the others get 0 hours
    (``Leg.concurrent``); costs all add up. The transit engine samples the maximum itself.
    """
    if len(ops) < 2:
        return ops
    longest = max(range(len(ops)), key=lambda i: (ops[i].hours, -i))
    return [
        leg if i == longest else replace(leg, hours=0.0, concurrent=True)
        for i, leg in enumerate(ops)
    ]


def _coef(objective: Objective, value_of_time_usd_per_h: float) -> tuple[float, float, float]:
    """The objective as weights of (hours, USD, kg CO2e) (see :func:`_weight_fn`)."""
    return {
        Objective.TIME: (1.0, 0.0, 0.0),
        Objective.COST: (0.0, 1.0, 0.0),
        Objective.CO2: (0.0, 0.0, 1.0),
        Objective.GENERALIZED: (value_of_time_usd_per_h, 1.0, 0.0),
    }[objective]


def _weight_fn(objective: Objective, value_of_time_usd_per_h: float) -> Callable[[Leg], float]:
    if value_of_time_usd_per_h < 0:
        raise ModelError("value_of_time_usd_per_h must be >= 0")
    if objective is Objective.TIME:
        return lambda leg: leg.hours
    if objective is Objective.COST:
        return lambda leg: leg.cost_usd
    if objective is Objective.CO2:
        return lambda leg: leg.co2_kg
    return lambda leg: leg.cost_usd + value_of_time_usd_per_h * leg.hours


def _search(
    net: Network,
    origin: str,
    destination: str,
    *,
    constraints: Constraints,
    objective: Objective,
    value_of_time_usd_per_h: float,
) -> _Search:
    if origin == destination:
        raise NoRouteError(f"origin and destination are the same place ({origin})")
    net = select_values(net, constraints.service, constraints.year, on=constraints.on)
    search = _Search(
        net=net,
        origin=origin,
        destination=destination,
        constraints=constraints,
        weight=_weight_fn(Objective(objective), value_of_time_usd_per_h),
        coef=_coef(Objective(objective), value_of_time_usd_per_h),
    )
    if constraints.corridor is not None:
        search.rule_key, search.forbid, search.require = _corridor_rule(
            net, constraints.corridor, origin, destination
        )
    return search


def obeys_corridor(net: Network, route: Route, constraints: Constraints) -> bool:
    """Whether ``route`` obeys the rule of ``constraints.corridor`` (a search without a corridor
    found it under otherwise the same constraints): it is then also the best route of that
    corridor for the same objective, as the corridor's search only leaves out routes."""
    corridor = constraints.corridor
    if corridor is None:
        return True
    net = select_values(net, constraints.service, constraints.year, on=constraints.on)
    _, forbid, require = _corridor_rule(net, corridor, route.nodes[0], route.nodes[-1])
    links = [net.by_key[(x.from_id, x.to_id, x.mode.value)] for x in route.link_legs]
    return not any(forbid(lk) for lk in links) and any(require(lk) for lk in links)


def _crossings(net: Network) -> dict[object, object]:
    """The memo of the crossings each link makes (see ``classify.corridor_rule``)."""
    found = network_memo(net).setdefault("crossings made", {})
    assert isinstance(found, dict)
    return found


def _corridor_rule(
    net: Network, corridor: Corridor, origin: str, destination: str
) -> tuple[object, Callable[[Link], bool], Callable[[Link], bool]]:
    """The key, ``forbid`` and ``require`` of :func:`corridor.routing.classify.corridor_rule`
    for a pair, its answers memoised per link and shared by every search with the same rule
    (it depends on the corridor, on the countries of the two ends that
    :func:`corridor.routing.classify.rule_countries` names and, for the maritime corridor, on
    whether both are seaports: not on the places themselves)."""
    ends = (origin, destination)
    seaports = frozenset(e for e in ends if is_seaport(net.nodes[e], net.outgoing[e], net.geo))
    memo = network_memo(net)
    key = (
        "corridor rule",
        corridor,
        frozenset(net.nodes[e].country for e in ends) & rule_countries(corridor, net.geo),
        corridor is Corridor.MARITIME and seaports == set(ends),
    )
    found = None if _PLAIN.get() else memo.get(key)
    if found is None:
        if _PLAIN.get():
            rule = corridor_rule(corridor, net.nodes, ends, seaports=seaports, geo=net.geo)
            return key, rule.forbid, rule.require
        rule = corridor_rule(
            corridor, net.nodes, ends, seaports=seaports, geo=net.geo, memo=_crossings(net)
        )
        forbidden: dict[int, bool] = {}
        required: dict[int, bool] = {}

        def forbid(lk: Link) -> bool:
            x = forbidden.get(id(lk))  # the network's own links: they live as long as the memo
            if x is None:
                x = forbidden[id(lk)] = rule.forbid(lk)
            return x

        def require(lk: Link) -> bool:
            x = required.get(id(lk))
            if x is None:
                x = required[id(lk)] = rule.require(lk)
            return x

        found = (key, forbid, require)
        memo[key] = found
    assert isinstance(found, tuple)
    return found


def best_route(
    net: Network,
    origin: str,
    destination: str,
    *,
    constraints: Constraints | None = None,
    objective: Objective | str = Objective.TIME,
    value_of_time_usd_per_h: float = DEFAULT_VALUE_OF_TIME_USD_PER_H,
) -> Route:
    """The best route between two node ids under the constraints.

    Parameters
    ----------
    net
        The network.
    origin, destination
        Node ids (resolve names first with ``net.node(name).id``).
    constraints
        Avoided countries and nodes, via nodes, year, month, corridor.
    objective
        ``time`` (expected hours), ``cost`` (USD/FEU), ``co2`` (kg CO2e/FEU) or ``generalized``
        (USD/FEU + value of time × hours).
    value_of_time_usd_per_h
        Value of one hour of one FEU in the generalized cost, USD/h.

    Raises
    ------
    NoRouteError
        When no route satisfies the constraints.

    Examples
    --------
    >>> from corridor import load_network
    >>> net = load_network()
    >>> r = best_route(net, "alat", "kars")
    >>> "akhalkalaki" in r.nodes
    True
    """
    return _search(
        net,
        origin,
        destination,
        constraints=constraints or Constraints(),
        objective=Objective(objective),
        value_of_time_usd_per_h=value_of_time_usd_per_h,
    ).run()


def best_routes_from(
    net: Network,
    origin: str,
    destinations: Iterable[str],
    *,
    constraints: Constraints | None = None,
    objective: Objective | str = Objective.TIME,
    value_of_time_usd_per_h: float = DEFAULT_VALUE_OF_TIME_USD_PER_H,
) -> dict[str, Route]:
    """The best route from ``origin`` to each of ``destinations`` that has one (node ids).

    The same routes as :func:`best_route` for each pair, from one search per kind of
    destination instead of one per pair (what sweeps over many pairs use): a corridor's rule
    depends on whether a destination is a seaport and on its country where a transit of
    that country defines an excluded corridor (Tehran may be reached by the maritime
    corridor, through Bandar Abbas; Mashhad, beyond Iran, not).
    """
    cons = constraints or Constraints()
    nodes = net.nodes
    matters = rule_countries(cons.corridor, net.geo) if cons.corridor is not None else frozenset()

    def kind(dest: str) -> tuple[str, bool]:
        # what the corridor's rule depends on besides the origin (see ``corridor_rule``): a
        # country at an end whose transit defines an excluded corridor, and for the maritime
        # corridor from a seaport, whether the destination is one
        country = nodes[dest].country
        seaport = (
            cons.corridor is Corridor.MARITIME
            and is_seaport(nodes[origin], net.outgoing[origin], net.geo)
            and is_seaport(nodes[dest], net.outgoing[dest], net.geo)
        )
        return (country if country in matters else "", seaport)

    groups: dict[tuple[str, bool], list[str]] = {}
    for dest in dict.fromkeys(destinations):
        if dest != origin:
            groups.setdefault(kind(dest), []).append(dest)
    out: dict[str, Route] = {}
    for dests in groups.values():
        search = _search(
            net,
            origin,
            dests[0],
            constraints=cons,
            objective=Objective(objective),
            value_of_time_usd_per_h=value_of_time_usd_per_h,
        )
        out.update(search.run_many(frozenset(dests)))
    return out


def _overlap(a: Route, b: Route) -> float:
    """Share of ``a``'s link distance that ``b`` also travels."""
    keys_b = {(x.from_id, x.to_id) for x in b.link_legs} | {
        (x.to_id, x.from_id) for x in b.link_legs
    }
    shared = sum(x.distance_km for x in a.link_legs if (x.from_id, x.to_id) in keys_b)
    return shared / a.distance_km if a.distance_km else 1.0


def alternative_routes(
    net: Network,
    origin: str,
    destination: str,
    k: int,
    *,
    constraints: Constraints | None = None,
    objective: Objective | str = Objective.TIME,
    value_of_time_usd_per_h: float = DEFAULT_VALUE_OF_TIME_USD_PER_H,
    max_overlap: float = 0.8,
    penalty_factor: float = 1.5,
) -> list[Route]:
    """Up to ``k`` genuinely different routes, best first (penalty method).

    After each route is found, the weights of its links are multiplied by ``penalty_factor`` and
    the search runs again. A candidate found under penalties may take a pointless local detour
    (a stop at Hamburg between Berlin and Hannover), so it is first *straightened*: replaced by
    the best route over its own places with the true weights. It is kept if, against every
    route already kept, it is of another corridor or differs in at least
    ``1 - max_overlap`` (20 %) of the distance of either route. Reported figures are the true,
    unpenalised ones.

    Raises
    ------
    NoRouteError
        When not even one route exists.
    """
    if k < 1:
        raise ModelError(f"k must be >= 1, got {k}")
    cons = constraints or Constraints()
    search = _search(
        net,
        origin,
        destination,
        constraints=cons,
        objective=Objective(objective),
        value_of_time_usd_per_h=value_of_time_usd_per_h,
    )
    everywhere = frozenset(net.nodes)

    def straighten(candidate: Route) -> Route:
        if not search.penalty:
            return candidate
        return _search(
            net,
            origin,
            destination,
            constraints=replace(
                cons, avoid_nodes=cons.avoid_nodes | (everywhere - set(candidate.nodes))
            ),
            objective=Objective(objective),
            value_of_time_usd_per_h=value_of_time_usd_per_h,
        ).run()

    def different(a: Route, b: Route) -> bool:
        return a.corridor is not b.corridor or max(_overlap(a, b), _overlap(b, a)) <= max_overlap

    kept: list[Route] = []
    seen: set[tuple[str, ...]] = set()
    for _ in range(6 * k):
        try:
            raw = search.run()
        except NoRouteError:
            if not kept:
                raise
            break
        candidate = straighten(raw)
        for leg in raw.link_legs:
            for key in (
                (leg.from_id, leg.to_id, leg.mode.value),
                (leg.to_id, leg.from_id, leg.mode.value),
            ):
                search.penalty[key] = search.penalty.get(key, 1.0) * penalty_factor
        if candidate.nodes in seen:
            continue
        seen.add(candidate.nodes)
        if all(different(candidate, r) for r in kept):
            kept.append(candidate)
            if len(kept) >= k:
                break
    weight = search.weight
    kept.sort(key=lambda r: sum(weight(leg) for leg in r.legs))
    return kept


def pareto_routes(
    net: Network,
    origin: str,
    destination: str,
    *,
    constraints: Constraints | None = None,
    max_routes: int = 12,
    tolerance: float = 0.01,
) -> list[Route]:
    """Routes on the Pareto front of (expected hours, USD/FEU, kg CO2e/FEU), fastest first.

    A weighted-sum sweep over the three objectives followed by a dominance filter: every route
    returned is the optimum of some weighting, and none is dominated by another within
    ``tolerance`` (relative) on all three criteria.
    """
    cons = constraints or Constraints()
    found: dict[tuple[str, ...], Route] = {}
    weights: Iterable[tuple[float, float, float]] = _simplex_weights(6)
    for wt, wc, we in weights:
        search = _search(
            net,
            origin,
            destination,
            constraints=cons,
            objective=Objective.TIME,
            value_of_time_usd_per_h=0.0,
        )
        search.weight = _blend(wt, wc, we)
        search.coef = (wt / 24, wc / 1e3, we / 1e3)
        try:
            route = search.run()
        except NoRouteError:
            if not found:
                raise
            continue
        found.setdefault(route.nodes, route)
    routes = list(found.values())
    front = [
        r for r in routes if not any(_dominates(o, r, tolerance) for o in routes if o is not r)
    ]
    front.sort(key=lambda r: (r.hours, r.cost_usd))
    return front[:max_routes]


def _blend(w_time: float, w_cost: float, w_co2: float) -> Callable[[Leg], float]:
    """A weighted sum in comparable units: 1 day ~ 1,000 USD ~ 1 t CO2e."""

    def weight(leg: Leg) -> float:
        return w_time * leg.hours / 24 + w_cost * leg.cost_usd / 1e3 + w_co2 * leg.co2_kg / 1e3

    return weight


def _simplex_weights(steps: int) -> list[tuple[float, float, float]]:
    out = []
    for i in range(steps + 1):
        for j in range(steps + 1 - i):
            out.append((i / steps, j / steps, (steps - i - j) / steps))
    return [w for w in out if any(w)]


def _dominates(a: Route, b: Route, tol: float) -> bool:
    ka = (a.hours, a.cost_usd, a.co2_kg)
    kb = (b.hours, b.cost_usd, b.co2_kg)
    return all(x <= y * (1 + tol) for x, y in zip(ka, kb, strict=True)) and any(
        x < y * (1 - tol) for x, y in zip(ka, kb, strict=True)
    )


def routes_by_corridor(
    net: Network,
    origin: str,
    destination: str,
    *,
    constraints: Constraints | None = None,
    objective: Objective | str = Objective.TIME,
    value_of_time_usd_per_h: float = DEFAULT_VALUE_OF_TIME_USD_PER_H,
    corridors: Sequence[Corridor] = tuple(Corridor),
) -> list[Route]:
    """The best route of each corridor that has a feasible one (in ``corridors`` order).

    Every route is the best *of its corridor*; for what a comparison shows (the overall best
    route, no absurd detours, the corridors left out and why) see
    :func:`corridor.routing.choose_options`.

    Raises
    ------
    NoRouteError
        When no corridor has a route.
    """
    if origin == destination:
        raise NoRouteError(f"origin and destination are the same place ({origin})")
    base = constraints or Constraints()
    out: list[Route] = []
    for corridor in corridors:
        cons = Constraints(
            avoid_countries=base.avoid_countries,
            avoid_nodes=base.avoid_nodes,
            via=base.via,
            year=base.year,
            month=base.month,
            corridor=corridor,
            service=base.service,
        )
        try:
            route = best_route(
                net,
                origin,
                destination,
                constraints=cons,
                objective=objective,
                value_of_time_usd_per_h=value_of_time_usd_per_h,
            )
        except NoRouteError:
            continue
        if route.corridor is corridor:
            out.append(route)
    if not out:
        raise NoRouteError(
            f"no route from {net.nodes[origin].name} to {net.nodes[destination].name} "
            "in any corridor"
        )
    return out
