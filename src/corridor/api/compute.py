"""Bounded compute for the API: every CPU-heavy request runs in a fixed pool of processes.

The event loop of the server only admits and answers requests; the CPU-bound work (routing
searches, Monte Carlo) runs in ``compute_workers`` worker processes (default: one per core), so
several requests use several cores and ``/health`` answers at once even when every worker is
busy. At most ``compute_workers + compute_queue`` requests are admitted at a time; one more is
answered ``503`` with ``Retry-After`` instead of piling up memory and latency.

Each worker loads the network once and keeps the corridors' routes of earlier comparisons
(:func:`corridor.transit.compare_routes` with ``route_cache``), keyed by origin, destination,
month, year, avoid, via, service and objective, so a comparison on a new seed or date of the same
month only samples. With ``compute_workers = 0`` the work runs in the server's threads instead
(same admission limit): for tests and for networks injected as objects. Work that needs the
server's own state (a shipment's replay and re-forecast) runs in its threads under the same
admission (:meth:`ComputePool.run_here`).

Routes, comparisons, validations and emission reports run in the workers. The cost of each is
bounded by its route before admission (samples, rows × samples, via places × alternatives).

Workers end with their server, even on ``kill -9``: each asks the kernel for a signal when its
parent goes (``PR_SET_PDEATHSIG``) and watches its parent pid (:func:`corridor.api.procs.
bind_to_parent`).
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import os
import threading
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Hashable
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from corridor.api.problems import Problem
from corridor.network import Network
from corridor.routing import CompareRequest, RouteRequest

__all__ = [
    "CompareJob",
    "ComputePool",
    "EmissionsJob",
    "LruCache",
    "RouteJob",
    "ValidateJob",
    "compare_task",
    "emissions_task",
    "route_task",
    "validate_task",
]

T = TypeVar("T")


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


def _init_worker(network_dir: str | None, route_cache_size: int, parent_pid: int | None) -> None:
    """Tie the worker to its server and load the network once per worker process."""
    from corridor.api.procs import bind_to_parent  # noqa: PLC0415
    from corridor.network import load_network  # noqa: PLC0415

    if parent_pid is not None:
        bind_to_parent(parent_pid, own_group=False)
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


@dataclass(frozen=True, slots=True)
class ValidateJob:
    """Observed journeys (CSV text) to check against the model's bands."""

    name: str
    text: str
    samples: int
    seed: int


@dataclass(frozen=True, slots=True)
class EmissionsJob:
    """An emission report for a worker: the request and the format of the answer."""

    request: RouteRequest
    fmt: str = "json"


Job = CompareJob | RouteJob | ValidateJob | EmissionsJob


def validate_task(job: ValidateJob, state: _State | None = None) -> bytes:
    """``corridor.validate`` of a CSV text on the worker's network; the JSON body."""
    from corridor.facade import validate  # noqa: PLC0415

    st = state or _WORKER
    assert st is not None, "compute worker not initialised"
    result = validate(
        job.name, text=job.text, samples=job.samples, seed=job.seed, network=st.network
    )
    return _dumps(result.to_dict())


def emissions_task(job: EmissionsJob, state: _State | None = None) -> bytes:
    """``corridor.emissions`` on the worker's network; the body in the asked format."""
    from corridor.facade import emissions  # noqa: PLC0415

    st = state or _WORKER
    assert st is not None, "compute worker not initialised"
    report = emissions(job.request, network=st.network)
    if job.fmt == "csv":
        return report.to_csv().encode()
    if job.fmt == "html":
        return report.to_html().encode()
    return _dumps(report.to_dict())


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
                    initargs=(self._network_dir, self._route_cache_size, os.getpid()),
                )
            return self._executor

    def _state(self) -> _State:
        with self._lock:
            if self._local is None:
                self._local = _State(self._network(), self._route_cache_size)
            return self._local

    @asynccontextmanager
    async def _slot(self) -> AsyncIterator[None]:
        """Admit one computation, or refuse it with 503 and ``Retry-After``."""
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
            yield
        finally:
            self._admitted -= 1

    async def run(self, task: Callable[..., bytes], job: Job) -> bytes:
        """Run ``task(job)`` in a worker; 503 with ``Retry-After`` when the pool is full.

        A request carrying a scenario runs in the server's threads: its network is built from
        the scenario there (and it is admitted like any other).
        """
        async with self._slot():
            loop = asyncio.get_running_loop()
            request = getattr(job, "request", None)
            if self.workers > 0 and getattr(request, "scenario", None) is None:
                return await loop.run_in_executor(self._pool(), task, job)
            state = await loop.run_in_executor(None, self._state)
            return await loop.run_in_executor(None, task, job, state)

    async def run_here(self, func: Callable[[], T]) -> T:
        """Run ``func()`` in the server's threads under the same admission limit (for work on
        the server's own state); 503 with ``Retry-After`` when the pool is full."""
        async with self._slot():
            return await asyncio.get_running_loop().run_in_executor(None, func)

    def shutdown(self) -> None:
        """Stop the worker processes (queued computations are dropped, running ones finish)."""
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)
