"""Classify a route into a corridor, and the constraints that keep a search inside one.

The geography lives in ``data/corridors.yaml`` (:class:`corridor.model.Geography`): the
enclosed waters that name a voyage, the exclaves, and each corridor's defining crossing. A route
belongs to the first corridor in that file whose crossing it makes; the search for a corridor's
best route forbids the crossings of the corridors it excludes and requires one of its own.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from corridor.model import (
    Corridor,
    CorridorDefinition,
    Crossing,
    Geography,
    Link,
    Mode,
    Node,
    NodeKind,
    OperationKind,
    Route,
)

__all__ = [
    "CorridorRule",
    "beyond_destination",
    "classify_route",
    "corridor_rule",
    "is_landlocked_port",
    "is_seaport",
    "makes_crossing",
    "reentered_countries",
    "route_countries",
    "territory",
    "water_of",
]

_WATER = frozenset({"sea", "ferry", "river"})


def _geo(geo: Geography | None) -> Geography:
    if geo is not None:
        return geo
    from corridor.io.geography import bundled_geography  # noqa: PLC0415  (start-up: read once)

    return bundled_geography()


def water_of(node: Node, geo: Geography | None = None) -> str:
    """The enclosed water a node lies on (``caspian``, ``black_sea``...), or ``""``."""
    for w in _geo(geo).waters:
        if w.box.contains(node.lat, node.lon):
            return w.id
    return ""


def is_landlocked_port(node: Node, geo: Geography | None = None) -> bool:
    """True for a port on a water without an outlet to the ocean (Aktau, Alat, Van...)."""
    if node.kind is not NodeKind.PORT:
        return False
    g = _geo(geo)
    w = water_of(node, g)
    return bool(w) and not g.water(w).outlet


def _between(a: Node, b: Node, groups: tuple[frozenset[str], ...]) -> bool:
    one, other = groups
    return (a.country in one and b.country in other) or (a.country in other and b.country in one)


def _link_makes(
    link: Link,
    nodes: Mapping[str, Node],
    c: Crossing,
    geo: Geography,
    ends: frozenset[str] = frozenset(),
) -> bool:
    """Whether ``link`` makes crossing ``c``; a transit through one of the ``ends`` countries
    (where the route starts or ends) is not a transit."""
    a, b = nodes[link.from_id], nodes[link.to_id]
    if c.kind == "transit":
        through = c.groups[0] - ends
        return a.country in through or b.country in through
    if c.kind == "border":
        return not link.mode.is_water and _between(a, b, c.groups)
    if c.kind == "voyage":
        return (
            link.mode.is_water
            and water_of(a, geo) == c.water
            and water_of(b, geo) == c.water
            and _between(a, b, c.groups)
        )
    if c.kind == "sea":
        if link.mode is not Mode.SEA:
            return False
        wa, wb = water_of(a, geo), water_of(b, geo)
        return not (wa and wa == wb and wa in c.except_waters)
    return False


def makes_crossing(
    link: Link, nodes: Mapping[str, Node], corridor: Corridor, geo: Geography | None = None
) -> bool:
    """Whether ``link`` makes the defining crossing of ``corridor`` (``corridors.yaml``)."""
    g = _geo(geo)
    d = g.definition(corridor)
    return d is not None and any(_link_makes(link, nodes, c, g) for c in d.crossings)


def _makes(link: Link, nodes: Mapping[str, Node], d: CorridorDefinition, geo: Geography) -> bool:
    return any(_link_makes(link, nodes, c, geo) for c in d.crossings)


def route_countries(
    route: Route, nodes: Mapping[str, Node], geo: Geography | None = None
) -> tuple[str, ...]:
    """The countries a route crosses, in order, with its water crossings in brackets.

    ``("CN", "KZ", "(Caspian)", "AZ", "GE", "TR")`` for Xi'an to Istanbul by the Middle
    Corridor; a voyage is named after the enclosed water it stays on (``(Caspian)``,
    ``(Black Sea)``, ``(Lake Van)``, from ``corridors.yaml``) or ``(sea)``, and the countries
    of the ports and straits it only passes are not listed. A country entered twice is listed
    twice, so a detour is visible at a glance.
    """
    g = _geo(geo)
    links = route.link_legs
    if not links:
        return (nodes[route.nodes[0]].country,) if route.nodes else ()
    out = [nodes[links[0].from_id].country]
    water: list[Node] = []

    rivers: list[bool] = []

    def close_voyage() -> None:
        if not water:
            return
        label = "river" if all(rivers) else "sea"
        for w in g.waters:
            if all(w.box.contains(n.lat, n.lon) for n in water):
                label = w.label
                break
        rivers.clear()
        out.append(f"({label})")
        out.append(water[-1].country)
        water.clear()

    for leg in links:
        a, b = nodes[leg.from_id], nodes[leg.to_id]
        if leg.mode.value in _WATER:
            if not water:
                water.append(a)
            water.append(b)
            rivers.append(leg.mode.value == "river")
            continue
        close_voyage()
        if out[-1] != b.country:
            out.append(b.country)
    close_voyage()
    return tuple(out)


def territory(node: Node, geo: Geography | None = None) -> str:
    """The contiguous territory a place is in: its country code, or ``AZ (Nakhchivan)`` for
    a place in an exclave (``corridors.yaml``: the Nakhchivan Autonomous Republic, the
    Kaliningrad oblast)."""
    for e in _geo(geo).exclaves:
        if node.country == e.country and e.box.contains(node.lat, node.lon):
            return f"{e.country} ({e.name})"
    return node.country


def _entries(route: Route, nodes: Mapping[str, Node]) -> list[tuple[int, str]]:
    """Where a route enters a territory: ``(index in route.nodes, territory)``, origin first.

    A land link into another territory enters it; a voyage enters the territory where the
    container leaves the vessel, if it is not the one the voyage began in (ports and straits
    passed on board are not entered, and a Lake Van or Aktau–Kuryk crossing stays at home).
    A transshipment from one vessel to another leaves the vessel too: Kuryk to Alat and on to
    Aktau by the feeder enters Azerbaijan and then Kazakhstan again.
    """
    links = route.link_legs
    if not route.nodes:
        return []
    # link-leg indices after which the container leaves its vessel at a port (a port operation
    # between two vessel legs: a transshipment)
    landed: set[int] = set()
    k = -1
    for leg in route.legs:
        if leg.is_operation:
            if leg.operation is OperationKind.PORT and k >= 0:
                landed.add(k)
        else:
            k += 1
    here = territory(nodes[route.nodes[0]])
    out = [(0, here)]
    for i, leg in enumerate(links):
        if leg.mode.value in _WATER:
            last = i + 1 == len(links) or links[i + 1].mode.value not in _WATER or i in landed
            if last and (t := territory(nodes[leg.to_id])) != here:
                here = t
                out.append((i + 1, t))
            continue
        if (t := territory(nodes[leg.to_id])) != here:
            here = t
            out.append((i + 1, t))
    return out


def reentered_countries(
    route: Route, nodes: Mapping[str, Node], via: Sequence[str] = ()
) -> tuple[str, ...]:
    """The territories (countries, see :func:`territory`) a route leaves and enters again.

    ``()`` for a route that enters each country once (``CN › KZ › (Caspian) › AZ › GE › TR``);
    ``("TM", "KZ")`` for ``CN › KZ › UZ › TM › IR › TM › KZ``. With ``via`` (place ids the
    route passes, in order) the rule applies to each stretch between two named places on its
    own: a route made to go to Baku and then on to Istanbul may come back the way it went.
    """
    cuts: list[int] = []
    start = 0
    for v in via:
        if v in route.nodes[start:]:
            start = route.nodes.index(v, start)
            cuts.append(start)
    out: list[str] = []
    seen: set[str] = set()
    stretch = 0
    for index, t in _entries(route, nodes):
        while stretch < len(cuts) and index > cuts[stretch]:
            stretch += 1
            seen = {_territory_at(route, nodes, cuts[stretch - 1])}
        if t in seen and t not in out:
            out.append(t)
        seen.add(t)
    return tuple(out)


def _territory_at(route: Route, nodes: Mapping[str, Node], index: int) -> str:
    """The territory a route is in at ``route.nodes[index]`` (on board: where the voyage began)."""
    here = territory(nodes[route.nodes[0]])
    for i, t in _entries(route, nodes):
        if i > index:
            break
        here = t
    return here


_EARTH_RADIUS_KM = 6371.0


def _along_track_km(origin: Node, dest: Node, point: Node) -> float:
    """How far ``point`` lies along the great circle from ``origin`` towards ``dest``, km."""
    la1, lo1 = math.radians(origin.lat), math.radians(origin.lon)

    def bearing_and_angle(n: Node) -> tuple[float, float]:
        la2, lo2 = math.radians(n.lat), math.radians(n.lon)
        y = math.sin(lo2 - lo1) * math.cos(la2)
        x = math.cos(la1) * math.sin(la2) - math.sin(la1) * math.cos(la2) * math.cos(lo2 - lo1)
        h = (
            math.sin((la2 - la1) / 2) ** 2
            + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
        )
        return math.atan2(y, x), 2 * math.asin(min(1.0, math.sqrt(h)))

    axis, _ = bearing_and_angle(dest)
    b, d = bearing_and_angle(point)
    if d == 0:
        return 0.0
    cross = math.asin(math.sin(d) * math.sin(b - axis))
    along = math.acos(max(-1.0, min(1.0, math.cos(d) / math.cos(cross))))
    return _EARTH_RADIUS_KM * along * (1.0 if math.cos(b - axis) > 0 else -1.0)


def beyond_destination(route: Route, nodes: Mapping[str, Node]) -> tuple[float, str, str]:
    """How far a route runs past where it is going before turning back: ``(km, place, end)``.

    Every place of the route is projected on the great circle from the origin towards ``end``;
    ``km`` is the largest distance by which one (``place``) lies beyond ``end``. ``end`` is the
    destination, or, for a route whose last legs are a voyage, the port where it boards that
    ship, whichever gives the larger overshoot: Xi'an to Istanbul through Prague lies about
    550 km past Istanbul, Shanghai to Piraeus by rail through Prague to Varna and a ship from
    there lies past Varna; a route that never overshoots gives ``(0, end, end)``.
    """
    links = route.link_legs
    k = len(links)
    while k > 0 and links[k - 1].mode.value in _WATER:
        k -= 1
    parts = [route.nodes]
    if 0 < k < len(links):
        parts.append(route.nodes[: k + 1])
    best = (0.0, route.nodes[-1], route.nodes[-1])
    for part in parts:
        o, d = nodes[part[0]], nodes[part[-1]]
        limit = _along_track_km(o, d, d)
        for n in part:
            past = _along_track_km(o, d, nodes[n]) - limit
            if past > best[0]:
                best = (past, n, part[-1])
    return best


def classify_route(
    links: list[Link],
    nodes: Mapping[str, Node],
    geo: Geography | None = None,
    memo: dict[object, object] | None = None,
) -> Corridor:
    """The corridor of a route given its links: the first corridor of ``corridors.yaml``
    whose defining crossing one of the links makes, else ``direct``.

    With the bundled file: a Caspian crossing between the east and west shores is ``middle``;
    a Russia-Azerbaijan land border (or a Russian-Iranian Caspian voyage) ``north-south``;
    transit through Russia or Belarus ``northern``; through Iran ``southern``; a deep-sea
    link ``maritime``; anything else ``direct`` (Istanbul to Baku via Georgia, Almaty to Aktau).
    """
    g = _geo(geo)
    if memo is not None:  # the links' signatures (see ``_rule_by_signature``)
        made = frozenset().union(*(_signature(lk, nodes, g, memo) for lk in links))
        countries = {nodes[e].country for lk in links for e in (lk.from_id, lk.to_id)}
        for d in g.corridors:
            for c in d.crossings:
                if (c.kind == "transit" and countries & c.groups[0]) or id(c) in made:
                    return d.corridor
        return Corridor.DIRECT
    for d in g.corridors:
        if any(_makes(lk, nodes, d, g) for lk in links):
            return d.corridor
    return Corridor.DIRECT


def _signature(
    lk: Link, nodes: Mapping[str, Node], g: Geography, memo: dict[object, object]
) -> frozenset[int]:
    """The crossings (by id) ``lk`` makes that do not depend on the route's ends: a border, a
    voyage, a deep-sea link. Kept in ``memo``, per network: the crossings and links are the
    network's own, so their ids stand for them while the memo lives."""
    found = memo.get(id(lk))
    if found is None:
        found = frozenset(
            id(c)
            for x in g.corridors
            for c in x.crossings
            if c.kind != "transit" and _link_makes(lk, nodes, c, g)
        )
        memo[id(lk)] = found
    assert isinstance(found, frozenset)
    return found


@dataclass(frozen=True, slots=True)
class CorridorRule:
    """Keeps a search inside one corridor: links it may not use, and links it must use once."""

    forbid: Callable[[Link], bool]
    require: Callable[[Link], bool]


def corridor_rule(
    corridor: Corridor,
    nodes: Mapping[str, Node],
    endpoints: tuple[str, str] | None = None,
    *,
    seaports: frozenset[str] = frozenset(),
    geo: Geography | None = None,
    memo: dict[object, object] | None = None,
) -> CorridorRule:
    """The search constraints under which every route found belongs to ``corridor``.

    A route may not make the defining crossing of a corridor that ``corridor`` excludes
    (``corridors.yaml``), nor, for an overland corridor, use a deep-sea link; it must make one
    of its own crossings (``direct``: none). A maritime route between two ``seaports`` (ids,
    see :func:`is_seaport`; ``endpoints`` are origin and destination) stays on the water: the
    all-water liner service; sea-rail combinations serve inland places.

    ``memo`` keeps, across the rules of one network, which crossings a link makes that do
    not depend on the route's ends (a border, a voyage, a deep-sea link).
    """
    g = _geo(geo)
    d = g.definition(corridor)
    if d is None:
        return CorridorRule(lambda lk: False, lambda lk: True)
    excluded = [x for x in g.corridors if x.corridor in d.excludes]
    # a route may start or end in a country whose transit defines an excluded corridor: a box
    # shipped to Bandar Abbas for Tehran is maritime, not a transit through Iran
    ends = frozenset(nodes[e].country for e in endpoints) if endpoints is not None else frozenset()
    liner = (
        corridor is Corridor.MARITIME
        and endpoints is not None
        and all(e in seaports for e in endpoints)
    )

    if memo is not None:
        return _rule_by_signature(d, g, nodes, excluded, ends, memo, liner=liner)

    def forbid(lk: Link) -> bool:
        if d.overland and lk.mode is Mode.SEA and not _makes(lk, nodes, d, g):
            return True
        if liner and not lk.mode.is_water:
            return True
        return any(_link_makes(lk, nodes, c, g, ends) for x in excluded for c in x.crossings)

    def require(lk: Link) -> bool:
        return not d.crossings or _makes(lk, nodes, d, g)

    return CorridorRule(forbid, require)


def rule_countries(corridor: Corridor, geo: Geography | None = None) -> frozenset[str]:
    """The countries whose presence at an end of the route changes :func:`corridor_rule`'s
    rule for ``corridor``: those whose transit defines a corridor it excludes (a route may
    start or end there). Two pairs whose ends agree on these countries (and on being
    seaports, for the maritime corridor) get the same rule."""
    g = _geo(geo)
    d = g.definition(corridor)
    if d is None:
        return frozenset()
    return frozenset().union(
        *(
            c.groups[0]
            for x in g.corridors
            if x.corridor in d.excludes
            for c in x.crossings
            if c.kind == "transit"
        )
    )


def _rule_by_signature(  # noqa: PLR0917  (internal: the pieces of corridor_rule)
    d: CorridorDefinition,
    g: Geography,
    nodes: Mapping[str, Node],
    excluded: Sequence[CorridorDefinition],
    ends: frozenset[str],
    memo: dict[object, object],
    *,
    liner: bool,
) -> CorridorRule:
    """:func:`corridor_rule`'s rule from each link's signature (:func:`_signature`); a
    transit depends on the ends, and is a test of the countries of the link's two places."""
    ours = frozenset(id(c) for c in d.crossings if c.kind != "transit")
    our_transit = frozenset().union(*(c.groups[0] for c in d.crossings if c.kind == "transit"))
    banned = frozenset(id(c) for x in excluded for c in x.crossings if c.kind != "transit")
    banned_transit = frozenset().union(
        *(c.groups[0] - ends for x in excluded for c in x.crossings if c.kind == "transit")
    )

    def signature(lk: Link) -> frozenset[int]:
        return _signature(lk, nodes, g, memo)

    def through(lk: Link, countries: frozenset[str]) -> bool:
        return nodes[lk.from_id].country in countries or nodes[lk.to_id].country in countries

    def own(lk: Link) -> bool:
        return bool(signature(lk) & ours) or through(lk, our_transit)

    def forbid(lk: Link) -> bool:
        if d.overland and lk.mode is Mode.SEA and not own(lk):
            return True
        if liner and not lk.mode.is_water:
            return True
        return bool(signature(lk) & banned) or through(lk, banned_transit)

    def require(lk: Link) -> bool:
        return not d.crossings or own(lk)

    return CorridorRule(forbid, require)


def is_seaport(node: Node, outgoing: Sequence[Link], geo: Geography | None = None) -> bool:
    """True for a port with a deep-sea link (Shanghai, Poti, Rotterdam; not Aktau or Van).

    ``outgoing`` are the node's outgoing links (links are declared in both directions). A port
    on a water without an outlet (the Caspian) is not a seaport even when container feeders
    call there: no liner reaches it, so a maritime option to Baku or Aktau is a voyage to a
    Black Sea port followed by rail.
    """
    return (
        node.kind is NodeKind.PORT
        and not is_landlocked_port(node, geo)
        and any(lk.mode is Mode.SEA for lk in outgoing)
    )
