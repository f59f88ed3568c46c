"""Route-search speed on the bundled network: the state-graph search vs a plain networkx Dijkstra.

The networkx baseline ignores modes, gauges and node operations (it only sums link hours), so the
ratio shows what carrying the state costs. Both run in this process, on the same city pairs.

Usage: python benchmarks/routing.py [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import platform
import time

import networkx as nx

from corridor import load_network
from corridor.routing import best_route, routes_by_corridor

PAIRS = [
    ("xian", "istanbul"),
    ("chongqing", "duisburg"),
    ("qingdao", "alat"),
    ("lianyungang", "constanta"),
    ("urumqi", "kars"),
]


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

    t0 = time.perf_counter()
    for _ in range(args.repeat):
        for a, b in PAIRS:
            nx.dijkstra_path_length(g, a, b, weight="h")
    base = (time.perf_counter() - t0) / (args.repeat * len(PAIRS))

    t0 = time.perf_counter()
    for _ in range(args.repeat):
        for a, b in PAIRS:
            best_route(net, a, b)
    ours = (time.perf_counter() - t0) / (args.repeat * len(PAIRS))

    t0 = time.perf_counter()
    for _ in range(max(1, args.repeat // 4)):
        for a, b in PAIRS:
            routes_by_corridor(net, a, b)
    corridors = (time.perf_counter() - t0) / (max(1, args.repeat // 4) * len(PAIRS))

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
    print(f"routes_by_corridor (4 searches):   {corridors * 1e3:8.2f} ms per pair")


if __name__ == "__main__":
    main()
