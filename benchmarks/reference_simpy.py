"""The capacity model written idiomatically in SimPy: the reference for the numba engine.

It runs the same compiled model (:func:`corridor.simulation.build_model`): the same routes,
steps, resources, formation pools and vessel services, with the same rules:

- a capacitated node operation or line section is a ``simpy.Resource`` of capacity 1 held for
  ``24 / capacity`` hours per TEU (or per train), then a dwell that does not hold it;
- a formation pool is a ``simpy.Store`` emptied by a process that sends a train when it holds
  ``train_teu`` or ``max_wait`` hours after its first container;
- every ship is a process: it queues for its port's berth (one ship loads at a time), loads the
  containers waiting for the destination with the longest queue, sails when full or
  ``max_wait_h`` after it was ready ("when full"), or at the port's next timetable/interval slot,
  is held by weather with its month's probability, crosses, unloads, turns around.

Waits still running at the horizon are counted up to the horizon, as in the engine. Statistics
agree with the engine's within sampling error (``tests/simulation/test_agreement.py``).
"""

from __future__ import annotations

import math
import random
from collections.abc import Generator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import simpy

from corridor.simulation import CompiledModel, demand_arrivals
from corridor.simulation.codes import DurationKind, StepKind

__all__ = ["ReferenceResult", "run_reference"]


@dataclass
class ReferenceResult:
    """What the reference run measured (same meaning as in ``SimulationResult``)."""

    arrived_teu: int = 0
    delivered_teu: int = 0
    transit_h: list[float] = field(default_factory=list)
    wait_sum: dict[int, float] = field(default_factory=dict)
    wait_n: dict[int, float] = field(default_factory=dict)
    busy_h: dict[int, float] = field(default_factory=dict)
    sailings: list[tuple[float, int, int]] = field(default_factory=list)
    env: Any = None

    def mean_wait_h(self, stat: int) -> float:
        """Mean wait at a resource (index as in ``CompiledModel.resources``), hours."""
        n = self.wait_n.get(stat, 0.0)
        return self.wait_sum.get(stat, 0.0) / n if n else 0.0

    @property
    def mean_transit_days(self) -> float:
        """Mean door-to-door days of the delivered TEU."""
        return float(np.mean(self.transit_h)) / 24.0 if self.transit_h else math.nan


class _Model:
    def __init__(self, m: CompiledModel, horizon_h: float, seed: int) -> None:
        self.m = m
        self.h = horizon_h
        self.rnd = random.Random(seed)
        self.env = simpy.Environment()
        self.out = ReferenceResult(env=self.env)
        self.servers = [simpy.Resource(self.env, capacity=1) for _ in range(m.n_servers)]
        self.pools = [simpy.Store(self.env) for _ in range(m.n_pools)]
        self.queues = [simpy.Store(self.env) for _ in range(m.n_dirs)]
        n_ports = int(m.kernel.services.nports.sum()) if m.kernel.services.nports.size else 0
        self.berths = [simpy.Resource(self.env, capacity=1) for _ in range(n_ports)]
        self.waiting: dict[int, dict[int, tuple[float, float]]] = {}
        self.last_slot = [-1.0] * n_ports
        for p in range(m.n_pools):
            self.env.process(self.formation(p))
        v = 0
        for s in range(m.kernel.services.vessels.size):
            for k in range(int(m.kernel.services.vessels[s])):
                self.env.process(self.ship(v, s, k % int(m.kernel.services.nports[s])))
                v += 1

    # ------------------------------------------------------------------ helpers
    def sample(self, dk: int, d: Any) -> float:
        if dk == DurationKind.LONGEST:  # the overlapping operations of one node
            nd = self.m.kernel.node_dwells
            first, count = int(d[0]), int(d[1])
            return max(self.sample(int(nd.dk[g]), nd.d[g]) for g in range(first, first + count))
        if dk == DurationKind.FIXED:
            return float(d[0])
        z = self.rnd.gauss(0.0, 1.0)
        if dk == DurationKind.LOGNORMAL:
            return float(d[0] + math.exp(d[1] + d[2] * z))
        return float(d[0] / math.exp(d[1] + d[2] * z))

    def wait_start(self, stat: int, key: int, teu: float = 1.0) -> None:
        self.waiting.setdefault(stat, {})[key] = (self.env.now, teu)

    def wait_end(self, stat: int, key: int, teu: float = 1.0, end: float | None = None) -> None:
        start, _ = self.waiting[stat].pop(key)
        w = min(self.env.now if end is None else end, self.h) - start
        self.out.wait_sum[stat] = self.out.wait_sum.get(stat, 0.0) + w * teu
        self.out.wait_n[stat] = self.out.wait_n.get(stat, 0.0) + teu

    def serve(self, r: int, occ: float, key: int, teu: float) -> Generator[Any, Any, None]:
        """Hold server ``r`` for ``occ`` hours (FIFO)."""
        self.wait_start(r, key, teu)
        with self.servers[r].request() as req:
            yield req
            self.wait_end(r, key, teu)
            start = self.env.now
            self.out.busy_h[r] = self.out.busy_h.get(r, 0.0) + min(start + occ, self.h) - start
            yield self.env.timeout(occ)

    # ------------------------------------------------------------------ processes
    def container(self, c: int, flow: int) -> Generator[Any, Any, None]:
        m = self.m
        env = self.env
        born = env.now
        self.out.arrived_teu += 1
        k = int(m.kernel.steps.first_of_flow[flow])
        while True:
            kind = int(m.kernel.steps.kind[k])
            if kind == StepKind.OP:
                r = int(m.kernel.steps.res[k])
                if r >= 0:
                    yield from self.serve(r, float(m.kernel.servers.h_teu[r]), c, 1.0)
                yield env.timeout(self.sample(int(m.kernel.steps.dk[k]), m.kernel.steps.d[k]))
            elif kind == StepKind.FORM:
                stat = int(m.kernel.steps.res[k])
                done = env.event()
                self.wait_start(stat, c)
                yield self.pools[stat - m.n_servers].put((c, done))
                yield done
            elif kind == StepKind.END:
                self.out.delivered_teu += 1
                self.out.transit_h.append(env.now - born)
                return
            else:  # vessel
                stat = int(m.kernel.steps.res[k])
                done = env.event()
                self.wait_start(stat, c)
                yield self.queues[stat - m.n_servers - m.n_pools].put((c, done))
                yield done
            k += 1

    def formation(self, p: int) -> Generator[Any, Any, None]:
        m = self.m
        env = self.env
        store = self.pools[p]
        stat = m.n_servers + p
        cap = int(m.kernel.pools.cap[p])
        while True:
            batch = [(yield store.get())]
            deadline = env.now + float(m.kernel.pools.wait_h[p])
            while len(batch) < cap:
                get = store.get()
                res = yield get | env.timeout(deadline - env.now)
                if get in res:
                    batch.append(res[get])
                else:
                    get.cancel()
                    break
            for c, _ in batch:
                self.wait_end(stat, c)
            env.process(self.train(p, batch))

    def train(self, p: int, batch: list[tuple[int, Any]]) -> Generator[Any, Any, None]:
        m = self.m
        seg = int(m.kernel.pools.seg[p])
        teu = float(len(batch))
        key = -1 - id(batch)
        for j in range(int(m.kernel.trains.seg_start[seg]), int(m.kernel.trains.seg_end[seg])):
            r = int(m.kernel.trains.res[j])
            if r >= 0:
                yield from self.serve(r, float(m.kernel.servers.h_train[r]), key, teu)
            yield self.env.timeout(self.sample(int(m.kernel.trains.dk[j]), m.kernel.trains.d[j]))
        for _, done in batch:
            done.succeed()

    def month(self, t: float) -> int:
        i = int(np.searchsorted(self.m.kernel.calendar.month_edge_h, t, side="right")) - 1
        return int(self.m.kernel.calendar.month_num[i]) - 1

    def next_slot(self, s: int, t: float) -> float:
        m = self.m
        per = float(m.kernel.services.period_h[s])
        first = int(m.kernel.services.slot_start[s])
        offs = m.kernel.services.slot_offsets_h[first : first + int(m.kernel.services.slot_n[s])]
        base = math.floor(t / per) * per
        while True:
            for o in offs:
                if base + o >= t:
                    return float(base + o)
            base += per

    def destination(self, s: int, i: int) -> int:
        m = self.m
        n = int(m.kernel.services.nports[s])
        base = int(m.kernel.services.dir_base[s]) + i * n
        valid = [j for j in range(n) if m.kernel.services.dir_valid[base + j]]
        if not valid:
            return -1
        best = max(valid, key=lambda j: (len(self.queues[base + j].items), -j))
        if self.queues[base + best].items:
            return best

        def backlog(j: int) -> int:
            b2 = int(m.kernel.services.dir_base[s]) + j * n
            return sum(len(self.queues[b2 + q].items) for q in range(n))

        return max(valid, key=lambda j: (backlog(j), -j))

    def ship(self, v: int, s: int, port: int) -> Generator[Any, Any, None]:
        m = self.m
        env = self.env
        cap = int(m.kernel.services.cap[s])
        n = int(m.kernel.services.nports[s])
        when_full = bool(m.kernel.services.when_full[s])
        while True:
            ready = env.now
            gp = int(m.kernel.services.port_base[s]) + port
            with self.berths[gp].request() as berth:
                yield berth
                if not when_full:
                    # one sailing per slot and port
                    slot = self.next_slot(s, max(env.now, self.last_slot[gp] + 1e-6))
                    self.last_slot[gp] = slot
                    yield env.timeout(slot - env.now)
                dest = self.destination(s, port)
                if dest < 0:
                    return
                d = int(m.kernel.services.dir_base[s]) + port * n + dest
                queue = self.queues[d]
                load: list[tuple[int, Any]] = []
                while queue.items and len(load) < cap:
                    load.append((yield queue.get()))
                if when_full:
                    deadline = ready + float(m.kernel.services.max_wait_h[s])
                    while len(load) < cap and env.now < deadline:
                        get = queue.get()
                        res = yield get | env.timeout(deadline - env.now)
                        if get in res:
                            load.append(res[get])
                        else:
                            get.cancel()
            mo = self.month(env.now)
            hold = 0.0
            p = float(m.kernel.services.wprob[s, mo])
            if p > 0 and self.rnd.random() < p:
                hold = self.rnd.expovariate(1.0 / float(m.kernel.services.wmean[s, mo]))
            stat = m.n_servers + m.n_pools + d
            for c, _ in load:
                self.wait_end(stat, c, end=env.now + hold)
            self.out.sailings.append((env.now, d, len(load)))
            cross = self.sample(int(m.kernel.services.cross_dk[s]), m.kernel.services.cross_d[s])
            yield env.timeout(hold + cross)
            for _, done in load:
                done.succeed()
            port = dest
            yield env.timeout(float(m.kernel.services.turn_h[s]))

    def arrivals(self, times: Any, flows: Any) -> Generator[Any, Any, None]:
        env = self.env
        for c, (t, f) in enumerate(zip(times.tolist(), flows.tolist(), strict=True)):
            if t > env.now:
                yield env.timeout(t - env.now)
            env.process(self.container(c, int(f)))

    def finish(self) -> None:
        """Count the waits still running at the horizon up to the horizon."""
        for stat, pending in self.waiting.items():
            for start, teu in pending.values():
                self.out.wait_sum[stat] = self.out.wait_sum.get(stat, 0.0) + (self.h - start) * teu
                self.out.wait_n[stat] = self.out.wait_n.get(stat, 0.0) + teu


def run_reference(model: CompiledModel, *, days: int, seed: int) -> ReferenceResult:
    """Run the SimPy reference model for ``days`` with the given integer seed.

    The arrivals are drawn exactly as the engine draws them (same generator, same seed), the
    rest with Python's ``random``; the result keeps its environment alive (``result.env``) so that
    dropping a long queue does not cost time inside a timed region.
    """
    horizon = days * 24.0
    ss = np.random.SeedSequence(seed)
    arrivals_ss, kernel_ss = ss.spawn(2)
    times, flows = demand_arrivals(model, horizon, np.random.default_rng(arrivals_ss))
    sim = _Model(model, horizon, int(kernel_ss.generate_state(1, np.uint32)[0]))
    sim.env.process(sim.arrivals(times, flows))
    sim.env.run(until=horizon)
    sim.finish()
    return sim.out
