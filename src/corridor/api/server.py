"""How ``corridor serve`` runs the app under uvicorn, hardened against slow and idle clients.

uvicorn closes an idle keep-alive connection after ``timeout_keep_alive`` seconds, but it gives a
client all the time it wants to *send* its request head: a client sending one header byte a
second ("slowloris") holds its connection indefinitely, and a few thousand such connections use
up the server's file descriptors. The protocol here adds:

* a **header timeout**: a request head (request line and headers) must arrive within
  ``header_timeout_s`` of the connection opening, or of the first byte of a following request on
  a kept-alive connection; otherwise the connection is closed;
* a **connection limit**: past ``max_connections`` open connections, the oldest connection that
  is not serving a request (idle, or still sending its head) is closed to make room, so idle
  connections cannot lock clients out (1,100 idle loopback connections used to make ``/health``
  fail 95 times in 97); when every connection is serving a request, the new one is answered
  ``503`` with ``Retry-After`` and then closed (uvicorn's ``limit_concurrency`` answers 503 only
  once a head is complete, which a slow client never reaches, and without ``Retry-After``).

Public deployments should still sit behind a reverse proxy that buffers requests (see
``docs/service.md``).
"""

from __future__ import annotations

import asyncio
import itertools
from typing import Any

__all__ = ["BUSY_RESPONSE", "guarded_protocol", "uvicorn_config"]

_BUSY_BODY = (
    b'{"type":"about:blank","title":"Busy","status":503,'
    b'"detail":"the server has too many open connections; try again in a moment"}'
)
BUSY_RESPONSE = (
    b"HTTP/1.1 503 Service Unavailable\r\n"
    b"Content-Type: application/problem+json\r\n"
    b"Retry-After: 1\r\n"
    b"Connection: close\r\n"
    b"Content-Length: " + str(len(_BUSY_BODY)).encode() + b"\r\n\r\n" + _BUSY_BODY
)
"""What a connection beyond the limit is told before it is closed."""


def guarded_protocol(*, header_timeout_s: float, max_connections: int) -> type[asyncio.Protocol]:
    """uvicorn's httptools protocol with a header timeout and a connection limit."""
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol  # noqa: PLC0415

    _order = itertools.count()  # the order connections were opened in

    class GuardedProtocol(HttpToolsProtocol):
        """Closes connections whose request head is too slow, and makes room beyond a limit."""

        _header_timer: asyncio.TimerHandle | None = None
        _opened = 0

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._opened = next(_order)
            if len(self.connections) > max_connections and not self._evict_idle():
                self.logger.warning("more than %d busy connections: 503", max_connections)
                transport.write(BUSY_RESPONSE)
                transport.close()
                return
            self._arm()

        def _serving(self) -> bool:
            return self.cycle is not None and not self.cycle.response_complete

        def _evict_idle(self) -> bool:
            """Close the oldest other connection not serving a request; False if none."""
            idle = [
                c
                for c in self.connections
                if c is not self and isinstance(c, GuardedProtocol) and not c._serving()
            ]
            if not idle:
                return False
            oldest = min(idle, key=lambda c: c._opened)
            oldest.transport.abort()
            return True

        def _arm(self) -> None:
            self._disarm()
            self._header_timer = self.loop.call_later(header_timeout_s, self._too_slow)

        def _disarm(self) -> None:
            if self._header_timer is not None:
                self._header_timer.cancel()
                self._header_timer = None

        def _too_slow(self) -> None:
            self._header_timer = None
            if not self.transport.is_closing():
                self.transport.abort()

        def data_received(self, data: bytes) -> None:
            idle = self.cycle is None or self.cycle.response_complete
            if idle and self._header_timer is None:
                self._arm()  # a new request begins on a kept-alive connection
            super().data_received(data)

        def on_headers_complete(self) -> None:
            self._disarm()
            super().on_headers_complete()

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

    return GuardedProtocol


def uvicorn_config(
    app: Any,
    *,
    host: str,
    port: int,
    header_timeout_s: float = 10.0,
    keep_alive_s: int = 5,
    max_connections: int = 1000,
    log_level: str = "info",
) -> Any:
    """The ``uvicorn.Config`` that ``corridor serve`` runs ``app`` with.

    Parameters
    ----------
    header_timeout_s
        Longest time to receive a request head, seconds.
    keep_alive_s
        An idle kept-alive connection is closed after this many seconds.
    max_connections
        Open connections at once; beyond it the oldest idle one is closed, or, when all are
        serving requests, the new one is answered 503 with ``Retry-After`` and closed.
    """
    import uvicorn  # noqa: PLC0415

    try:
        import httptools  # noqa: F401, PLC0415  (the guarded protocol builds on it)
    except ImportError:  # pragma: no cover - uvicorn[standard] brings it
        http: Any = "h11"
    else:
        http = guarded_protocol(header_timeout_s=header_timeout_s, max_connections=max_connections)
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        http=http,
        timeout_keep_alive=keep_alive_s,
        backlog=min(2048, max_connections * 2),
        log_level=log_level,
    )
