"""Route-search speed on the bundled network: the state-graph search vs a plain networkx Dijkstra.

The networkx baseline ignores modes, gauges and node operations (it only sums link hours), so the
ratio shows what carrying the state costs. Both run in this process, on the same city pairs;
times are CPU times (the machine may be shared).

It also measures what the simple-path guarantee costs: the corridor searches with it (decremental
state-space relaxation, the product) against the same searches without it (one relaxed
Dijkstra, which may return a route that visits a place twice: what the planner did before),
a comparison's option selection for a new pair (as a ratio to the networkx Dijkstra, and
against plain searches that share nothing), one pair at a time against one search per origin
for many destinations (what the all-pairs test uses), and what the country rule costs: the corridor
searches that never re-enter a country (the product) against the same searches that only keep
places from being visited twice (``Reentry.ALLOWED``).

Usage: python benchmarks/routing.py [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import platform
import time

import networkx as nx

from corridor import Network, load_network
from corridor.model import Corridor, NodeKind
from corridor.routing import (
    ALL_CORRIDORS,
    Constraints,
    best_route,
    choose_options,
    choose_options_from,
    routes_by_corridor,
)
from corridor.routing.search import Reentry, _search, plain_search

PAIRS = [
    ("xian", "istanbul"),
    ("chongqing", "duisburg"),
    ("qingdao", "alat"),
    ("lianyungang", "constanta"),
    ("urumqi", "kars"),
]
# pairs option selection has not met before (the API's new pairs)
NEW_PAIRS = [
    ("xian", "duisburg"),
    ("shanghai", "istanbul"),
    ("almaty", "tbilisi"),
    ("chongqing", "rotterdam"),
    ("lanzhou", "constanta"),
    ("urumqi", "kars"),
    ("qingdao", "warsaw"),
    ("chengdu", "budapest"),
]
# pairs where a corridor's best relaxed route goes out and back (Xi'an-Aktau-Alat-Aktau-Almaty)
LOOPING = [("xian", "almaty"), ("urumqi", "tashkent"), ("lanzhou", "ashgabat")]
# pairs where a corridor's best simple path re-enters a country (CN › KZ › UZ › TM › IR › TM › KZ)
REENTERING = [("xian", "aktau"), ("shanghai", "tbilisi"), ("xian", "almaty")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    net = load_network()
    g = nx.DiGraph()
    for link in net.links:
        if link.is_open(None):
            h = link.profile.speed.mean_hours(link.distance_km)
            if not g.has_edge(link.from_id, link.to_id) or g[link.from_id][link.to_id]["h"] > h:
                g.add_edge(link.from_id, link.to_id, h=h)

    t0 = time.process_time()
    for _ in range(args.repeat):
        for a, b in PAIRS:
            nx.dijkstra_path_length(g, a, b, weight="h")
    base = (time.process_time() - t0) / (args.repeat * len(PAIRS))

    t0 = time.process_time()
    for _ in range(args.repeat):
        for a, b in PAIRS:
            best_route(net, a, b)
    ours = (time.process_time() - t0) / (args.repeat * len(PAIRS))

    with plain_search():
        t0 = time.process_time()
        for _ in range(max(1, args.repeat // 4)):
            for a, b in PAIRS:
                best_route(net, a, b)
        plain = (time.process_time() - t0) / (max(1, args.repeat // 4) * len(PAIRS))

    t0 = time.process_time()
    for _ in range(max(1, args.repeat // 4)):
        for a, b in PAIRS:
            routes_by_corridor(net, a, b)
    corridors = (time.process_time() - t0) / (max(1, args.repeat // 4) * len(PAIRS))

    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}"
    )
    print(f"network: {len(net.nodes)} nodes, {len(net.links)} directed links")
    print(f"networkx Dijkstra (no state):      {base * 1e3:8.2f} ms per query")
    print(
        f"state-graph best_route:            {ours * 1e3:8.2f} ms per query "
        f"({ours / base:.1f}x the plain Dijkstra)"
    )
    print(
        f"best_route, plain search:          {plain * 1e3:8.2f} ms per query "
        f"({plain / base:.1f}x; its own state graph, no lower bound)"
    )
    print(f"routes_by_corridor (6 searches):   {corridors * 1e3:8.2f} ms per pair")

    _simple_path_cost(net, max(1, args.repeat // 4))
    _reentry_cost(net, max(1, args.repeat // 4))
    _option_selection(net, base)
    _sea_gateway_cost(net, max(1, args.repeat // 4))


def _simple_path_cost(net: Network, reps: int) -> None:
    """The simple-path guarantee: relaxed single Dijkstra vs the exact simple-path search."""
    loops = 0
    t0 = time.process_time()
    for _ in range(reps):
        for a, b in PAIRS + LOOPING:
            for corridor in ALL_CORRIDORS:
                s = _search(
                    net, a, b, constraints=Constraints(corridor=corridor),
                    objective="time", value_of_time_usd_per_h=0.0,
                )  # fmt: skip
                relaxed = s._dijkstra(frozenset(), frozenset({b})).get(b)
                loops += relaxed is not None and len(set(relaxed.nodes)) < len(relaxed.nodes)
    relaxed_t = time.process_time() - t0
    t0 = time.process_time()
    for _ in range(reps):
        for a, b in PAIRS + LOOPING:
            for corridor in ALL_CORRIDORS:
                s = _search(
                    net, a, b, constraints=Constraints(corridor=corridor),
                    objective="time", value_of_time_usd_per_h=0.0,
                )  # fmt: skip
                s.run_many(frozenset({b}))
    exact_t = time.process_time() - t0
    n = reps * len(PAIRS + LOOPING) * len(ALL_CORRIDORS)
    print(
        f"corridor searches, relaxed (may loop): {relaxed_t / n * 1e3:8.2f} ms per search "
        f"({loops // reps} of {n // reps} visit a place twice)"
    )
    print(
        f"corridor searches, simple paths:       {exact_t / n * 1e3:8.2f} ms per search "
        f"({exact_t / relaxed_t:.2f}x the relaxed search)"
    )


def _reentry_cost(net: Network, reps: int) -> None:
    """The country rule: simple paths that may re-enter a country vs ones that never do."""
    pairs = PAIRS + REENTERING
    timings = {}
    for rule in (Reentry.ALLOWED, Reentry.NEVER):
        t0 = time.process_time()
        for _ in range(reps):
            for a, b in pairs:
                for corridor in ALL_CORRIDORS:
                    s = _search(
                        net, a, b, constraints=Constraints(corridor=corridor, reentry=rule),
                        objective="time", value_of_time_usd_per_h=0.0,
                    )  # fmt: skip
                    s.run_many(frozenset({b}))
        timings[rule] = (time.process_time() - t0) / (reps * len(pairs) * len(ALL_CORRIDORS))
    allowed = timings[Reentry.ALLOWED]
    print(f"corridor searches, may re-enter:       {allowed * 1e3:8.2f} ms per search")
    print(
        f"corridor searches, no re-entry:        {timings[Reentry.NEVER] * 1e3:8.2f} ms per search "
        f"({timings[Reentry.NEVER] / timings[Reentry.ALLOWED]:.2f}x)"
    )


def _option_selection(net: Network, dijkstra_s: float) -> None:
    """Option selection (``choose_options``: about 19 searches and the pricing of each
    candidate) for pairs the process has not seen, against the plain networkx Dijkstra and
    against the same selection with plain searches (each search its own state graph, no
    lower bound: what the planner did before the shared graph); then one pair at a time vs
    one search per origin for many destinations."""
    places = sorted(
        x.id for x in net.nodes.values() if x.kind in (NodeKind.TERMINAL, NodeKind.PORT)
    )
    for a, b in PAIRS:  # the shared state graph, as a server has it after a few requests
        choose_options(net, a, b)
    fresh = [p for p in NEW_PAIRS if p[0] in net.nodes and p[1] in net.nodes]
    t0 = time.process_time()
    for a, b in fresh:
        choose_options(net, a, b)
    new = (time.process_time() - t0) / len(fresh)
    t0 = time.process_time()
    for a, b in fresh:
        choose_options(net, a, b)
    again = (time.process_time() - t0) / len(fresh)
    with plain_search():
        t0 = time.process_time()
        for a, b in fresh:
            choose_options(net, a, b)
        plain = (time.process_time() - t0) / len(fresh)
    print(
        f"option selection, new pair:            {new * 1e3:8.2f} ms CPU per pair "
        f"({new / dijkstra_s:.0f}x the networkx Dijkstra; goal <= 20 ms)"
    )
    print(
        f"option selection, same pair again:     {again * 1e3:8.2f} ms CPU per pair "
        f"({again / dijkstra_s:.0f}x the networkx Dijkstra)"
    )
    print(
        f"option selection, plain searches:      {plain * 1e3:8.2f} ms CPU per pair "
        f"({plain / new:.1f}x the shared, guided searches)"
    )
    origins = ["xian", "shanghai", "almaty"]
    t0 = time.process_time()
    for o in origins:
        choose_options_from(net, o, places)
    batch = time.process_time() - t0
    per_pair_batch = batch / (len(origins) * (len(places) - 1))
    print(
        f"option selection, per origin (batch):  {per_pair_batch * 1e3:8.2f} ms CPU per pair "
        f"({new / per_pair_batch:.1f}x faster than one new pair); all {len(places)} "
        f"terminals and ports: ~{per_pair_batch * len(places) * (len(places) - 1):.0f} s CPU"
    )


def _sea_gateway_cost(net: Network, reps: int) -> None:
    """The maritime option by price (fastest, cheapest and generalized-cost searches, each
    candidate priced) against the fastest maritime route alone (one search)."""
    inland = [("xian", "duisburg"), ("chongqing", "budapest"), ("lanzhou", "rotterdam")]
    maritime = Constraints(corridor=Corridor.MARITIME)
    t0 = time.process_time()
    for _ in range(reps):
        for a, b in inland:
            best_route(net, a, b, constraints=maritime)
    fastest = (time.process_time() - t0) / (reps * len(inland))
    t0 = time.process_time()
    for _ in range(reps):
        for a, b in inland:
            choose_options(net, a, b, corridors=(Corridor.MARITIME,))
    chosen = (time.process_time() - t0) / (reps * len(inland))
    print(f"maritime option, fastest route only:   {fastest * 1e3:8.2f} ms CPU per pair")
    print(
        f"maritime option, gateway by price:     {chosen * 1e3:8.2f} ms CPU per pair "
        f"({chosen / fastest:.1f}x; includes the overall best route of the pair)"
    )


if __name__ == "__main__":
    main()
