"""Bounded compute for the API: route planning and comparisons run in a fixed pool of processes.

The event loop of the server only admits and answers requests; the CPU-bound work (routing
searches, Monte Carlo) runs in ``compute_workers`` worker processes (default: one per core), so
several requests use several cores and ``/health`` answers at once even when every worker is
busy. At most ``compute_workers + compute_queue`` requests are admitted at a time; one more is
answered ``503`` with ``Retry-After`` instead of piling up memory and latency.

Each worker loads the network once and keeps the corridors' routes of earlier comparisons
(:func:`corridor.transit.compare_routes` with ``route_cache``), keyed by origin, destination,
month, year, avoid, via, service and objective, so a comparison on a new seed or date of the same
month only samples. With ``compute_workers = 0`` the work runs in the server's threads instead
(same admission limit): for tests and for networks injected as objects.
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from corridor.api.problems import Problem
from corridor.network import Network
from corridor.routing import CompareRequest, RouteRequest

__all__ = ["CompareJob", "ComputePool", "LruCache", "RouteJob", "compare_task", "route_task"]


class LruCache(OrderedDict[Hashable, Any]):
    """A mapping that keeps its ``size`` most recently used entries (thread-safe enough for the
    get-then-set pattern of :func:`corridor.transit.compare_routes`).

    Examples
    --------
    >>> c = LruCache(2)
    >>> c["a"], c["b"] = 1, 2
    >>> _ = c.get("a")
    >>> c["c"] = 3
    >>> list(c)
    ['a', 'c']
    """

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size
        self._lock = threading.Lock()

    def get(self, key: Hashable, default: Any = None) -> Any:
        with self._lock:
            if key not in self:
                return default
            self.move_to_end(key)
            return super().__getitem__(key)

    def __setitem__(self, key: Hashable, value: Any) -> None:
        if self.size <= 0:
            return
        with self._lock:
            super().__setitem__(key, value)
            self.move_to_end(key)
            while len(self) > self.size:
                self.popitem(last=False)


class _State:
    """What a compute worker keeps between requests: the network and the route cache."""

    def __init__(self, network: Network, route_cache_size: int) -> None:
        self.network = network
        self.routes = LruCache(route_cache_size)


_WORKER: _State | None = None


def _init_worker(network_dir: str | None, route_cache_size: int) -> None:
    """Load the network once per worker process."""
    from corridor.network import load_network  # noqa: PLC0415

    global _WORKER  # noqa: PLW0603  (one state per worker process, set by the pool's initializer)
    _WORKER = _State(load_network(network_dir) if network_dir else load_network(), route_cache_size)


def _dumps(doc: Any) -> bytes:
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()


@dataclass(frozen=True, slots=True)
class CompareJob:
    """A comparison for a worker: the request (resolved) and whether to add histograms."""

    request: CompareRequest
    histogram: bool = False

    def key(self) -> tuple[object, ...]:
        """The cache key of the response."""
        return (*self.request.key(), self.histogram)


@dataclass(frozen=True, slots=True)
class RouteJob:
    """A route plan for a worker: the request (resolved) and the shape of the answer."""

    request: RouteRequest
    alternatives: int = 1
    pareto: bool = False
    geojson: bool = False

    def key(self) -> tuple[object, ...]:
        """The cache key of the response."""
        return (*self.request.key(), self.alternatives, self.pareto, self.geojson)


def compare_task(job: CompareJob, state: _State | None = None) -> bytes:
    """``corridor.compare`` on the worker's network; the response body (JSON bytes)."""
    from corridor.facade import compare  # noqa: PLC0415
    from corridor.present import comparison_histogram  # noqa: PLC0415

    st = state or _WORKER
    assert st is not None, "compute worker not initialised"
    result = compare(
        job.request, keep_samples=job.histogram, network=st.network, route_cache=st.routes
    )
    doc = result.to_dict()
    if job.histogram:
        doc["histogram"] = comparison_histogram(result)
    return _dumps(doc)


def route_task(job: RouteJob, state: _State | None = None) -> bytes:
    """``corridor.route`` on the worker's network; the response body (JSON or GeoJSON bytes)."""
    from corridor.facade import route  # noqa: PLC0415

    st = state or _WORKER
    assert st is not None, "compute worker not initialised"
    plan = route(job.request, alternatives=job.alternatives, pareto=job.pareto, network=st.network)
    return _dumps(plan.to_geojson() if job.geojson else plan.to_dict())


class ComputePool:
    """Admits at most ``workers + queue`` computations at once and runs them in processes.

    Parameters
    ----------
    workers
        Worker processes (0: the server's own threads).
    queue
        Computations admitted beyond the busy workers (they wait for one).
    network_dir
        Folder of the network the workers load (``None``: bundled).
    network
        The server's own network object (used in thread mode).
    route_cache_size
        Route choices each worker keeps.
    retry_after_s
        Told to a client turned away.
    """

    def __init__(
        self,
        *,
        workers: int,
        queue: int,
        network_dir: str | None,
        network: Callable[[], Network],
        route_cache_size: int = 1024,
        retry_after_s: int = 2,
    ) -> None:
        self.workers = workers
        self.limit = max(workers, 1) + queue
        self.retry_after_s = retry_after_s
        self._network_dir = network_dir
        self._network = network
        self._route_cache_size = route_cache_size
        self._executor: Executor | None = None
        self._local: _State | None = None
        self._lock = threading.Lock()
        self._admitted = 0
        self.turned_away = 0

    @property
    def busy(self) -> int:
        """Computations admitted and not yet answered."""
        return self._admitted

    def _pool(self) -> Executor:
        with self._lock:
            if self._executor is None:
                self._executor = ProcessPoolExecutor(
                    max_workers=self.workers,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=_init_worker,
                    initargs=(self._network_dir, self._route_cache_size),
                )
            return self._executor

    def _state(self) -> _State:
        with self._lock:
            if self._local is None:
                self._local = _State(self._network(), self._route_cache_size)
            return self._local

    async def run(self, task: Callable[..., bytes], job: CompareJob | RouteJob) -> bytes:
        """Run ``task(job)`` in a worker; 503 with ``Retry-After`` when the pool is full.

        A request carrying a scenario runs in the server's threads: its network is built from
        the scenario there (and it is admitted like any other).
        """
        if self._admitted >= self.limit:  # the event loop is single-threaded: no race here
            self.turned_away += 1
            raise Problem(
                503,
                f"all {self.limit} compute slots are busy; try again in a moment",
                title="Busy",
                headers={"Retry-After": str(self.retry_after_s)},
            )
        self._admitted += 1
        try:
            loop = asyncio.get_running_loop()
            if self.workers > 0 and job.request.scenario is None:
                return await loop.run_in_executor(self._pool(), task, job)
            state = await loop.run_in_executor(None, self._state)
            return await loop.run_in_executor(None, task, job, state)
        finally:
            self._admitted -= 1

    def shutdown(self) -> None:
        """Stop the worker processes (queued computations are dropped, running ones finish)."""
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)
