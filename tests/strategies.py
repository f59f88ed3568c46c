"""Hypothesis strategies: random small multimodal networks built from model records."""

from __future__ import annotations

import itertools
from types import MappingProxyType

from hypothesis import strategies as st

from corridor.model import (
    Link,
    LogNormalSpeed,
    Mode,
    Node,
    NodeKind,
    Operation,
    OperationKind,
    Profile,
    ShiftedLogNormal,
)
from corridor.network import Network

COUNTRIES = ("CN", "KZ", "AZ", "GE", "TR")

RAIL = Profile(
    id="rail",
    mode=Mode.RAIL,
    speed=LogNormalSpeed(mean_kmh=40.0, cv=0.2),
    cost_usd_per_feu_km=1.5,
    co2_g_per_teu_km=200.0,
)


def _op(kind: OperationKind, hours: float, cost: float) -> Operation:
    return Operation(
        kind=kind, dwell=ShiftedLogNormal(min_h=hours / 2, mean_h=hours, cv=0.5), cost_usd=cost
    )


@st.composite
def networks(
    draw: st.DrawFn, *, min_nodes: int = 3, max_nodes: int = 9, contiguous: bool = True
) -> Network:
    """A connected random rail network (one gauge) over a few countries, with border ops.

    ``n0 - n1 - ... - n(k-1)`` is a path; with ``contiguous`` the countries along it come in
    blocks (CN, CN, KZ, GE...), so that path enters each country once and a route that never
    re-enters a country exists; otherwise they are drawn freely.
    """
    n = draw(st.integers(min_nodes, max_nodes))
    countries = [draw(st.sampled_from(COUNTRIES)) for _ in range(n)]
    if contiguous:
        countries.sort(key=COUNTRIES.index)
    nodes: dict[str, Node] = {}
    for i, country in enumerate(countries):
        ops = {
            OperationKind.TERMINAL: _op(OperationKind.TERMINAL, 12.0, 100.0),
            OperationKind.BORDER: _op(OperationKind.BORDER, draw(st.floats(1, 40)), 200.0),
        }
        nodes[f"n{i}"] = Node(
            id=f"n{i}",
            name=f"Node {i}",
            country=country,
            lat=40.0 + i,
            lon=50.0 + i,
            kind=NodeKind.TERMINAL,
            gauges=frozenset({1520}),
            operations=MappingProxyType(ops),
        )
    links: list[Link] = []
    # a spanning path keeps it connected, then random extra edges
    pairs = {(i, i + 1) for i in range(n - 1)}
    extra = draw(st.sets(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=2 * n))
    # one link each way per pair of places (a network has one link per places and mode)
    pairs |= {(min(a, b), max(a, b)) for a, b in extra if a != b}
    for a, b in sorted(pairs):
        dist = draw(st.floats(10, 3000))
        for x, y in ((a, b), (b, a)):
            links.append(
                Link(
                    from_id=f"n{x}",
                    to_id=f"n{y}",
                    mode=Mode.RAIL,
                    distance_km=dist,
                    profile=RAIL,
                    gauge=1520,
                )
            )
    return Network(nodes=MappingProxyType(nodes), links=tuple(links))


def extra_link(net: Network, a: str, b: str, distance_km: float) -> Link:
    """A new rail link between two nodes of a random network."""
    return Link(
        from_id=a, to_id=b, mode=Mode.RAIL, distance_km=distance_km, profile=RAIL, gauge=1520
    )


def path_hours(net: Network, path: list[str]) -> float:
    """Expected hours of exactly ``path`` on a network of :func:`networks`, priced here by the
    model's rules rather than by the planner (the oracle of the brute-force tests):

    * each link at its lognormal speed: the mean of ``d / V`` is ``d / E[V] * (1 + cv^2)``;
    * where the path crosses from one country into another, the border dwell of the node it
      leaves and of the node it enters;
    * at the origin and the destination the container's terminal dwell, which overlaps a border
      clearance there: the longer of the two counts (all dwells at their means).
    """
    first, last = path[0], path[-1]

    def dwell(node: str, kind: OperationKind) -> float:
        return net.nodes[node].operations[kind].dwell.mean_h

    link_hours = {
        (lk.from_id, lk.to_id): lk.distance_km
        / lk.profile.speed.mean_kmh
        * (1 + lk.profile.speed.cv**2)
        for lk in net.links
    }
    border = dict.fromkeys(path, 0.0)
    hours = 0.0
    for a, b in itertools.pairwise(path):
        hours += link_hours[a, b]
        if net.nodes[a].country != net.nodes[b].country:
            for n in (a, b):
                border[n] = dwell(n, OperationKind.BORDER)
    for n in path[1:-1]:
        hours += border[n]
    for n in (first, last):
        hours += max(dwell(n, OperationKind.TERMINAL), border[n])
    return hours
