"""Cost of a request's values: selecting a service class and year on a fresh network copy.

A scenario (and every selection of class and year) copies the network with the same places; the
copies share the name index of the original. This prints the time of one copy plus one
selection against building the name index alone, in the same process, as a ratio.

Run: python benchmarks/select_values.py [--repeat N] [--json]
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from dataclasses import replace

from corridor import load_network
from corridor.network import NodeIndex, select_values


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    net = load_network()
    t0 = time.perf_counter()
    for _ in range(args.repeat):
        NodeIndex(net.nodes.values())
    index_s = (time.perf_counter() - t0) / args.repeat
    t0 = time.perf_counter()
    for _ in range(args.repeat):
        select_values(replace(net), "express", 2025)
    select_s = (time.perf_counter() - t0) / args.repeat
    doc = {
        "index_build_ms": round(index_s * 1e3, 2),
        "copy_and_select_ms": round(select_s * 1e3, 2),
        "ratio": round(select_s / index_s, 3),
        "machine": f"{platform.machine()}, {platform.python_version()}",
    }
    if args.json:
        print(json.dumps(doc))
    else:
        print(
            f"copy + select: {doc['copy_and_select_ms']} ms; building the name index alone: "
            f"{doc['index_build_ms']} ms; ratio {doc['ratio']}"
        )


if __name__ == "__main__":
    main()
