"""Classify a route into a corridor, and the constraints that keep a search inside one."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from corridor.model import Corridor, Link, Mode, Node, NodeKind, Route

__all__ = [
    "CorridorRule",
    "beyond_destination",
    "classify_route",
    "corridor_rule",
    "is_caspian_crossing",
    "is_caspian_port",
    "is_seaport",
    "reentered_countries",
    "route_countries",
    "territory",
]

# Caspian Sea bounding box (degrees): every Caspian port lies inside it, no Black Sea port does.
_CASPIAN_LAT = (36.5, 47.5)
_CASPIAN_LON = (46.5, 55.0)
# Black Sea (with the Sea of Azov and Marmara): a voyage whose every port and passage lies in
# it is a Black Sea crossing (Poti-Constanța), not a deep-sea one.
_BLACK_SEA_LAT = (40.8, 47.3)
_BLACK_SEA_LON = (27.3, 42.0)
_LAKE_VAN_LAT = (38.2, 39.3)
_LAKE_VAN_LON = (42.2, 43.9)
# Parts of a country that do not touch its mainland (lat and lon boxes, degrees). A route from
# the mainland to such a part through a neighbour (Baku–Meghri–Nakhchivan) enters another piece
# of land; it does not leave a country and come back into it.
_EXCLAVES: tuple[tuple[str, str, tuple[float, float], tuple[float, float]], ...] = (
    ("AZ", "Nakhchivan", (38.8, 39.9), (44.7, 46.2)),
    ("RU", "Kaliningrad", (54.3, 55.4), (19.6, 22.95)),
)
_NORTHERN = frozenset({"RU", "BY"})
_WATER = frozenset({"sea", "ferry"})
_SOUTHERN = frozenset({"IR"})


def _in_caspian(node: Node) -> bool:
    return (
        _CASPIAN_LAT[0] <= node.lat <= _CASPIAN_LAT[1]
        and _CASPIAN_LON[0] <= node.lon <= _CASPIAN_LON[1]
    )


def is_caspian_crossing(link: Link, nodes: Mapping[str, Node]) -> bool:
    """True for a ferry or sea link between two Caspian ports of different countries."""
    a, b = nodes[link.from_id], nodes[link.to_id]
    return link.mode.is_water and a.country != b.country and _in_caspian(a) and _in_caspian(b)


def is_caspian_port(node: Node) -> bool:
    """True for a port on the Caspian Sea (Aktau, Kuryk, Alat, Turkmenbashi...)."""
    return node.kind is NodeKind.PORT and _in_caspian(node)


def _in_box(node: Node, lat: tuple[float, float], lon: tuple[float, float]) -> bool:
    return lat[0] <= node.lat <= lat[1] and lon[0] <= node.lon <= lon[1]


def route_countries(route: Route, nodes: Mapping[str, Node]) -> tuple[str, ...]:
    """The countries a route crosses, in order, with its water crossings in brackets.

    ``("CN", "KZ", "(Caspian)", "AZ", "GE", "TR")`` for Xi'an to Istanbul by the Middle
    Corridor; a voyage is ``(Caspian)``, ``(Black Sea)``, ``(Lake Van)`` or ``(sea)``, and the
    countries of the ports and straits it only passes are not listed. A country entered twice
    is listed twice, so a detour is visible at a glance.
    """
    links = route.link_legs
    if not links:
        return (nodes[route.nodes[0]].country,) if route.nodes else ()
    out = [nodes[links[0].from_id].country]
    water: list[Node] = []

    def close_voyage() -> None:
        if not water:
            return
        if all(_in_caspian(n) for n in water):
            out.append("(Caspian)")
        elif all(_in_box(n, _BLACK_SEA_LAT, _BLACK_SEA_LON) for n in water):
            out.append("(Black Sea)")
        elif all(_in_box(n, _LAKE_VAN_LAT, _LAKE_VAN_LON) for n in water):
            out.append("(Lake Van)")
        else:
            out.append("(sea)")
        out.append(water[-1].country)
        water.clear()

    for leg in links:
        a, b = nodes[leg.from_id], nodes[leg.to_id]
        if leg.mode.value in ("sea", "ferry"):
            if not water:
                water.append(a)
            water.append(b)
            continue
        close_voyage()
        if out[-1] != b.country:
            out.append(b.country)
    close_voyage()
    return tuple(out)


def territory(node: Node) -> str:
    """The contiguous territory a place is in: its country code, or ``AZ (Nakhchivan)`` for
    a place in an exclave (the Nakhchivan Autonomous Republic, the Kaliningrad oblast)."""
    for country, name, lat, lon in _EXCLAVES:
        if node.country == country and _in_box(node, lat, lon):
            return f"{country} ({name})"
    return node.country


def _entries(route: Route, nodes: Mapping[str, Node]) -> list[tuple[int, str]]:
    """Where a route enters a territory: ``(index in route.nodes, territory)``, origin first.

    A land link into another territory enters it; a voyage enters the territory where the
    container leaves the vessel, if it is not the one the voyage began in (ports and straits
    passed on board are not entered, and a Lake Van or Aktau–Kuryk crossing stays at home).
    """
    links = route.link_legs
    if not route.nodes:
        return []
    here = territory(nodes[route.nodes[0]])
    out = [(0, here)]
    for i, leg in enumerate(links):
        if leg.mode.value in _WATER:
            last = i + 1 == len(links) or links[i + 1].mode.value not in _WATER
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


def classify_route(links: list[Link], nodes: Mapping[str, Node]) -> Corridor:
    """The corridor of a route given its links.

    A Caspian crossing makes it ``middle``; otherwise transit through Russia or Belarus
    ``northern``; through Iran ``southern``; a sea leg ``maritime``; an overland route that
    starts or ends at a Caspian port (China → Aktau by rail) ``middle``; any other overland
    route ``direct``.
    """
    if any(is_caspian_crossing(lk, nodes) for lk in links):
        return Corridor.MIDDLE
    countries = {nodes[lk.from_id].country for lk in links} | {
        nodes[lk.to_id].country for lk in links
    }
    if countries & _NORTHERN:
        return Corridor.NORTHERN
    if countries & _SOUTHERN:
        return Corridor.SOUTHERN
    if any(lk.mode is Mode.SEA for lk in links):
        return Corridor.MARITIME
    if links and (
        is_caspian_port(nodes[links[0].from_id]) or is_caspian_port(nodes[links[-1].to_id])
    ):
        return Corridor.MIDDLE
    return Corridor.DIRECT


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
) -> CorridorRule:
    """The search constraints under which every route found belongs to ``corridor``.

    ``endpoints`` (origin, destination): a Middle-Corridor route to or from a Caspian port need
    not cross the sea; a maritime route between two ``seaports`` (ids, see :func:`is_seaport`)
    stays on the water.
    """

    def caspian(link: Link) -> bool:
        return is_caspian_crossing(link, nodes)

    at_caspian = endpoints is not None and any(is_caspian_port(nodes[e]) for e in endpoints)

    def touches(link: Link, countries: frozenset[str]) -> bool:
        return nodes[link.from_id].country in countries or nodes[link.to_id].country in countries

    if corridor is Corridor.MIDDLE:
        return CorridorRule(
            lambda lk: touches(lk, _NORTHERN | _SOUTHERN),
            (lambda lk: True) if at_caspian else caspian,
        )
    # The Northern and Southern corridors are overland: a route that reaches Russia or Iran by
    # a deep-sea voyage (e.g. round Europe to Brest) is not one of them.
    if corridor is Corridor.NORTHERN:
        return CorridorRule(
            lambda lk: caspian(lk) or lk.mode is Mode.SEA or touches(lk, _SOUTHERN),
            lambda lk: touches(lk, _NORTHERN),
        )
    if corridor is Corridor.SOUTHERN:
        return CorridorRule(
            lambda lk: caspian(lk) or lk.mode is Mode.SEA or touches(lk, _NORTHERN),
            lambda lk: touches(lk, _SOUTHERN),
        )
    if corridor is Corridor.MARITIME:
        # Between two seaports the maritime option is the all-water liner service; sea-rail
        # combinations (land at Genoa or Constanța and rail inland) serve inland places.
        liner = endpoints is not None and all(e in seaports for e in endpoints)
        return CorridorRule(
            lambda lk: (
                caspian(lk)
                or touches(lk, _NORTHERN | _SOUTHERN)
                or (liner and not lk.mode.is_water)
            ),
            lambda lk: lk.mode is Mode.SEA,
        )
    if corridor is Corridor.DIRECT:
        return CorridorRule(
            lambda lk: caspian(lk) or lk.mode is Mode.SEA or touches(lk, _NORTHERN | _SOUTHERN),
            lambda lk: True,
        )
    return CorridorRule(lambda lk: False, lambda lk: True)


def is_seaport(node: Node, outgoing: Sequence[Link]) -> bool:
    """True for a port with a deep-sea link (Shanghai, Poti, Rotterdam; not Aktau or Van).

    ``outgoing`` are the node's outgoing links (links are declared in both directions). A
    Caspian port is not a seaport even when container feeders call there: the Caspian has no
    outlet to the ocean, so no liner reaches it and a maritime option to Baku or Aktau is a
    voyage to a Black Sea port followed by rail.
    """
    return (
        node.kind is NodeKind.PORT
        and not _in_caspian(node)
        and any(lk.mode is Mode.SEA for lk in outgoing)
    )
