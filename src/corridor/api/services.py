"""What one app instance owns: settings, store, job manager, network, compare cache."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from corridor.api.cache import ResultCache
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
    scenarios: ResultCache[tuple[str, str], Scenario] = field(
        default_factory=lambda: ResultCache(32)
    )
    """Scenarios asked for by ``?scenario=``, resolved against the network (by id and document)."""
    tracker: Tracker = field(init=False)
    _network: Network | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.tracker = Tracker(self.store, self.network)

    @classmethod
    def build(cls, settings: Settings, *, network: Network | None = None) -> Services:
        """Open the store (migrating it) and set up the job manager and the cache."""
        store = Store(settings.store_url())
        return cls(
            settings=settings,
            store=store,
            jobs=JobManager(store, settings),
            compare_cache=ResultCache(settings.compare_cache_size),
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
