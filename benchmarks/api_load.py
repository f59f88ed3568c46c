"""Load test of ``GET /api/v1/compare``: latency percentiles and requests/s on loopback.

Starts a real uvicorn server (one process, as ``corridor serve`` runs it) on a free port with a
throw-away SQLite store, then drives it from 50 concurrent keep-alive HTTP/1.1 connections (a
minimal asyncio client, so the client costs little next to the server). Two phases:

* ``warm``: the same request (Xi'an → Istanbul, default 10,000 samples) over and over. The
  service caches compare results (they are seeded, hence reproducible): this measures the cache
  path a busy service mostly serves. Goal: p50 ≤ 30 ms, p99 ≤ 150 ms.
* ``new pairs``: one client asks for origin/destination pairs the server has not seen (a fixed,
  shuffled sample of the bundled terminals and ports, default samples): the latency of a
  comparison that routes as well as samples. Goal: p50 ≤ 80 ms.
* ``cold``: every request with a new seed, so every request computes the Monte Carlo. Measured
  paired, in alternating runs of two servers on the same machine: the **baseline** computes in
  the server's own threads without the route cache (``CORRIDOR_COMPUTE_WORKERS=0``,
  ``CORRIDOR_ROUTE_CACHE_SIZE=0``: the service as it was, one core's worth of Python), the
  **pool** as shipped (one compute process per core, routes cached per worker). Goal: the pool
  serves >= 1.8x the baseline's cold requests per second on 2 cores. Cold clients are fewer
  (``--cold-concurrency``, default 8) than the server's admission limit, so none is turned away.

Usage: python benchmarks/api_load.py [--requests N] [--cold-requests N] [--concurrency C]
       [--cold-concurrency C] [--rounds R] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

PATH = "/api/v1/compare?origin=Xi%27an&destination=Istanbul&depart=2026-03-01"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def machine() -> dict[str, Any]:
    """What the numbers were measured on."""
    return {
        "cpu": _cpu(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
    }


BASELINE = {"CORRIDOR_COMPUTE_WORKERS": "0", "CORRIDOR_ROUTE_CACHE_SIZE": "0"}


def start_server(
    tmp: Path, extra: dict[str, str] | None = None
) -> tuple[subprocess.Popen[bytes], int]:
    """uvicorn with the service's app factory; returns when /health answers."""
    port = _free_port()
    env = {
        **os.environ,
        "CORRIDOR_DATABASE_URL": f"sqlite:///{tmp / 'bench.db'}",
        **(extra or {}),
    }
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            "corridor.api:app_from_env",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        env=env,
        stdin=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2):
                return proc, port
        except OSError:
            if proc.poll() is not None:
                raise SystemExit("the server did not start") from None
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the server did not start")


async def _read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    length = 0
    for line in lines[1:]:
        if line.lower().startswith("content-length:"):
            length = int(line.split(":", 1)[1])
    await reader.readexactly(length)
    return status


async def _client(
    port: int, paths: asyncio.Queue[str], latencies: list[float], errors: list[int]
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while True:
            try:
                path = paths.get_nowait()
            except asyncio.QueueEmpty:
                return
            request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode()
            t0 = time.perf_counter()
            writer.write(request)
            await writer.drain()
            status = await _read_response(reader)
            latencies.append(time.perf_counter() - t0)
            if status != 200:
                errors.append(status)
    finally:
        writer.close()


async def load(port: int, paths: list[str], concurrency: int) -> dict[str, Any]:
    """Send ``paths`` over ``concurrency`` connections; latency percentiles and throughput."""
    queue: asyncio.Queue[str] = asyncio.Queue()
    for p in paths:
        queue.put_nowait(p)
    latencies: list[float] = []
    errors: list[int] = []
    t0 = time.perf_counter()
    await asyncio.gather(*(_client(port, queue, latencies, errors) for _ in range(concurrency)))
    wall = time.perf_counter() - t0
    latencies.sort()

    def pct(q: float) -> float:
        return round(1000 * latencies[min(len(latencies) - 1, int(q * len(latencies)))], 2)

    return {
        "requests": len(latencies),
        "concurrency": concurrency,
        "errors": len(errors),
        "p50_ms": pct(0.50),
        "p90_ms": pct(0.90),
        "p99_ms": pct(0.99),
        "max_ms": round(1000 * latencies[-1], 2),
        "requests_per_s": round(len(latencies) / wall, 1),
    }


def _cpu_s(root: int) -> float:
    """CPU seconds (user + system) used so far by process ``root`` and its live children."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            raw = stat.read_bytes()
        except OSError:
            continue
        fields = raw[raw.rfind(b")") + 2 :].split()
        pid = int(stat.parent.name)
        if pid == root or int(fields[1]) == root:  # fields[1]: the parent pid
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def cold_run(tmp: Path, extra: dict[str, str], seeds: range, concurrency: int) -> dict[str, Any]:
    """One server, warmed up (every compute worker), then ``seeds`` cold compares.

    Besides the wall-clock throughput (which a busy shared machine distorts), the server's CPU
    time per request (server and compute workers) is measured: it does not depend on how many
    cores the machine lends the server.
    """
    proc, port = start_server(tmp, extra)
    try:
        warmup = [f"{PATH}&seed={s}" for s in range(10)]
        asyncio.run(load(port, warmup, 4))
        cpu0 = _cpu_s(proc.pid)
        result = asyncio.run(load(port, [f"{PATH}&seed={s}" for s in seeds], concurrency))
        cpu = _cpu_s(proc.pid) - cpu0
        result["cpu_ms_per_request"] = round(1000 * cpu / max(result["requests"], 1), 1)
        return result
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def new_pair_paths(count: int, seed: int = 7) -> list[str]:
    """``count`` compare requests for distinct pairs of bundled terminals and ports."""
    import random
    import urllib.parse

    from corridor.model import NodeKind
    from corridor.network import load_network

    net = load_network()
    places = sorted(
        n.id for n in net.nodes.values() if n.kind in (NodeKind.TERMINAL, NodeKind.PORT)
    )
    rng = random.Random(seed)
    pairs: set[tuple[str, str]] = set()
    while len(pairs) < min(count, len(places) * (len(places) - 1)):
        a, b = rng.sample(places, 2)
        pairs.add((a, b))
    return [
        "/api/v1/compare?"
        + urllib.parse.urlencode({"origin": a, "destination": b, "depart": "2026-03-01"})
        for a, b in sorted(pairs, key=lambda p: rng.random())
    ]


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def main() -> None:
    """Run the warm phase, then the paired cold comparison, and print the numbers."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=5000, help="warm-phase requests")
    parser.add_argument("--cold-requests", type=int, default=150, help="requests per cold run")
    parser.add_argument("--concurrency", type=int, default=50, help="warm-phase connections")
    parser.add_argument("--cold-concurrency", type=int, default=8, help="cold-phase connections")
    parser.add_argument("--rounds", type=int, default=2, help="baseline/pool pairs")
    parser.add_argument("--new-pairs", type=int, default=40, help="new-pair requests (1 client)")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    args = parser.parse_args()

    runs: dict[str, list[dict[str, Any]]] = {"baseline": [], "pool": []}
    with tempfile.TemporaryDirectory(prefix="corridor-bench-") as tmp:
        proc, port = start_server(Path(tmp))
        try:
            # Warm-up: load the network and JIT paths, fill the cache for the warm phase.
            asyncio.run(load(port, [PATH] * 20, 1))
            warm = asyncio.run(load(port, [PATH] * args.requests, args.concurrency))
            new_pairs = asyncio.run(load(port, new_pair_paths(args.new_pairs), 1))
        finally:
            proc.terminate()
            proc.wait(timeout=30)
        seed = 1000
        for _ in range(args.rounds):
            for mode, extra in (("baseline", BASELINE), ("pool", {})):
                seeds = range(seed, seed + args.cold_requests)
                seed += args.cold_requests
                runs[mode].append(cold_run(Path(tmp), extra, seeds, args.cold_concurrency))
    base = [r["requests_per_s"] for r in runs["baseline"]]
    pool = [r["requests_per_s"] for r in runs["pool"]]
    ratio = round(_median(pool) / _median(base), 2) if base and pool else None
    base_cpu = _median([r["cpu_ms_per_request"] for r in runs["baseline"]])
    pool_cpu = _median([r["cpu_ms_per_request"] for r in runs["pool"]])
    cpu_ratio = round(base_cpu / pool_cpu, 2) if pool_cpu else None
    doc = {
        "machine": machine(),
        "endpoint": PATH + " (default samples: 10,000 per corridor)",
        "server": "uvicorn, 1 process (uvloop + httptools when installed)",
        "warm": warm,
        "new_pairs": new_pairs,
        "cold": {
            "baseline": runs["baseline"],
            "pool": runs["pool"],
            "pair_ratios": [round(p / b, 2) for b, p in zip(base, pool, strict=True)],
            "ratio": ratio,
            "cpu_ms_per_request": {"baseline": base_cpu, "pool": pool_cpu},
            "cpu_ratio": cpu_ratio,
            "load_average": os.getloadavg(),
        },
        "goal": {"p50_ms": 30, "p99_ms": 150, "cold_ratio": 1.8, "new_pair_p50_ms": 80},
        "goal_met": warm["p50_ms"] <= 30 and warm["p99_ms"] <= 150,
        "cold_goal_met": ratio is not None and ratio >= 1.8,
    }
    if args.json:
        print(json.dumps(doc, indent=2))
        return
    m = doc["machine"]
    print(f"machine: {m['cpu']}, {m['cores']} cores, Python {m['python']}, {m['system']}")
    print(f"endpoint: GET {doc['endpoint']}")
    rows = [
        (f"warm (cached), {args.concurrency} conn", warm),
        ("new pairs, 1 client", new_pairs),
    ]
    for i, (b, p) in enumerate(zip(runs["baseline"], runs["pool"], strict=True), start=1):
        rows.append((f"cold baseline #{i}", b))
        rows.append((f"cold pool #{i}", p))
    for name, r in rows:
        print(
            f"{name:>28}: {r['requests']} requests, p50 {r['p50_ms']} ms, p90 {r['p90_ms']} ms, "
            f"p99 {r['p99_ms']} ms, max {r['max_ms']} ms, {r['requests_per_s']} req/s, "
            f"{r['errors']} errors"
            + (f", {r['cpu_ms_per_request']} ms CPU/request" if "cpu_ms_per_request" in r else "")
        )
    print(f"goal p50 <= 30 ms, p99 <= 150 ms (warm): {'met' if doc['goal_met'] else 'NOT met'}")
    print(
        f"goal p50 <= 80 ms (new pairs; answers other than 200 are pairs without a route): "
        f"{'met' if new_pairs['p50_ms'] <= 80 else 'NOT met'}"
    )
    print(
        f"cold requests/s, pool / baseline (median of {args.rounds} paired runs): {ratio}x "
        f"(pairs: {doc['cold']['pair_ratios']}); goal >= 1.8x: "
        f"{'met' if doc['cold_goal_met'] else 'NOT met'}"
    )
    print(
        f"server CPU per cold request: baseline {base_cpu} ms, pool {pool_cpu} ms "
        f"({cpu_ratio}x less); load average during the runs: "
        + ", ".join(f"{x:.1f}" for x in os.getloadavg())
        + f" on {os.cpu_count()} cores"
    )


if __name__ == "__main__":
    main()
