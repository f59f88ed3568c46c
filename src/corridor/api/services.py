"""What one app instance owns: settings, store, job manager, network, compute pool, caches."""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

from corridor.api.cache import ResultCache
from corridor.api.compute import ComputePool
from corridor.api.jobs import JobManager
from corridor.api.settings import Settings
from corridor.api.tracking import Tracker
from corridor.model import Scenario
from corridor.network import Network, load_network
from corridor.store import Store

__all__ = ["Services"]


@dataclass(slots=True, kw_only=True)
class Services:
    """The per-app state, built by :func:`corridor.api.create_app` (never at import time)."""

    settings: Settings
    store: Store
    jobs: JobManager
    compare_cache: ResultCache[tuple[object, ...], bytes]
    route_cache: ResultCache[tuple[object, ...], bytes] = field(
        default_factory=lambda: ResultCache(256)
    )
    """Encoded ``/api/v1/routes`` answers (deterministic for a request)."""
    compute: ComputePool = field(init=False)
    _pending: dict[Hashable, asyncio.Future[bytes]] = field(default_factory=dict)
    scenarios: ResultCache[tuple[str, str], Scenario] = field(
        default_factory=lambda: ResultCache(32)
    )
    """Scenarios asked for by ``?scenario=``, resolved against the network (by id and document)."""
    tracker: Tracker = field(init=False)
    _network: Network | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.tracker = Tracker(self.store, self.network)
        workers = self.settings.compute_workers
        if workers is None:
            workers = 0 if self._network is not None else (os.cpu_count() or 1)
        self.compute = ComputePool(
            workers=workers,
            queue=self.settings.compute_queue,
            network_dir=str(self.settings.network) if self.settings.network else None,
            network=self.network,
            route_cache_size=self.settings.route_cache_size,
        )

    async def cached_compute(
        self,
        cache: ResultCache[tuple[object, ...], bytes],
        key: tuple[object, ...],
        task: Any,
        job: Any,
    ) -> bytes:
        """The cached answer of ``key``, or ``task(job)`` run once in the compute pool
        (concurrent identical requests wait for that one computation)."""
        body = cache.get(key)
        if body is not None:
            return body
        pending = self._pending.get(key)
        if pending is not None:
            return await asyncio.shield(pending)
        future: asyncio.Future[bytes] = asyncio.get_running_loop().create_future()
        self._pending[key] = future
        try:
            body = await self.compute.run(task, job)
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # retrieved: waiters re-raise it, nobody else needs to
            raise
        finally:
            self._pending.pop(key, None)
        cache.put(key, body)
        future.set_result(body)
        return body

    @classmethod
    def build(cls, settings: Settings, *, network: Network | None = None) -> Services:
        """Open the store (migrating it) and set up the job manager and the cache."""
        store = Store(settings.store_url())
        return cls(
            settings=settings,
            store=store,
            jobs=JobManager(store, settings),
            compare_cache=ResultCache(settings.compare_cache_size),
            route_cache=ResultCache(settings.compare_cache_size),
            _network=network,
        )

    def network(self) -> Network:
        """The network of ``settings.network`` or the bundled one, loaded once."""
        if self._network is not None:
            return self._network
        with self._lock:
            if self._network is None:
                path = self.settings.network
                self._network = load_network(path) if path is not None else load_network()
            return self._network
