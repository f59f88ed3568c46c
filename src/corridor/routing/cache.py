"""Values routing derives from a network (legs of links and operations), memoised per network.

A :class:`~corridor.network.Network` is an immutable record, so what routing derives from it
never goes stale. The memo belongs to routing and lives beside the network, not in it: one
dictionary per live network, dropped when the network is garbage-collected.
"""

from __future__ import annotations

import threading
import weakref

from corridor.network import Network

__all__ = ["network_memo"]

_MEMOS: dict[int, dict[object, object]] = {}
_LOCK = threading.Lock()


def network_memo(net: Network) -> dict[object, object]:
    """The memo of values routing derived from ``net`` (created empty on first use)."""
    key = id(net)
    memo = _MEMOS.get(key)
    if memo is not None:
        return memo
    with _LOCK:
        memo = _MEMOS.get(key)
        if memo is None:
            memo = {}
            _MEMOS[key] = memo
            weakref.finalize(net, _MEMOS.pop, key, None)
    return memo
