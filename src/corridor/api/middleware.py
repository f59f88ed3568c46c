"""Pure ASGI middleware: request body limit, JSON-only writes, security headers."""

from __future__ import annotations

import json
from typing import Any

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["GuardMiddleware"]

_WRITE_METHODS = frozenset({"POST", "PUT", "PATCH"})
_PAGE_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'"
)


class _TooLarge(HTTPException):
    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request body exceeds {limit} bytes")


def _problem(status: int, title: str, detail: str, path: str) -> tuple[bytes, list[Any]]:
    body = json.dumps(
        {
            "type": "about:blank",
            "title": title,
            "status": status,
            "detail": detail,
            "instance": path,
        }
    ).encode()
    headers = [
        (b"content-type", b"application/problem+json"),
        (b"content-length", str(len(body)).encode()),
    ]
    return body, headers


_CSV_PATHS = frozenset({"/api/v1/validate"})
"""Write endpoints that also take a ``text/csv`` body (observed journeys)."""


class GuardMiddleware:
    """Reject bodies over ``max_body_bytes`` (413) and non-JSON writes to the API (415; CSV is
    accepted where the endpoint reads CSV).

    The limit holds whether or not the client sends ``Content-Length`` (chunked bodies are
    counted as they arrive). Adds ``X-Content-Type-Options: nosniff`` everywhere and a strict
    Content-Security-Policy on the web page.
    """

    def __init__(self, app: ASGIApp, *, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        headers = {k.lower(): v for k, v in scope.get("headers", [])}
        length = headers.get(b"content-length")
        if length is not None:
            try:
                too_big = int(length) > self.max_body_bytes
            except ValueError:
                await self._reject(send, 400, "Bad request", "invalid Content-Length", path)
                return
            if too_big:
                await self._reject(send, 413, *self._too_large(), path)
                return
        if scope.get("method") in _WRITE_METHODS and path.startswith("/api/"):
            ctype = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
            if ctype != b"application/json" and not (ctype == b"text/csv" and path in _CSV_PATHS):
                await self._reject(
                    send,
                    415,
                    "Unsupported media type",
                    "send the request body as application/json",
                    path,
                )
                return

        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    raise _TooLarge(self.max_body_bytes)
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                extra = [(b"x-content-type-options", b"nosniff")]
                if path in ("/", "/track") or path.startswith("/static/"):
                    extra.append((b"content-security-policy", _PAGE_CSP.encode()))
                    extra.append((b"referrer-policy", b"no-referrer"))
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except _TooLarge:
            if not started:
                await self._reject(send, 413, *self._too_large(), path)

    def _too_large(self) -> tuple[str, str]:
        return "Request body too large", f"the request body exceeds {self.max_body_bytes} bytes"

    @staticmethod
    async def _reject(send: Send, status: int, title: str, detail: str, path: str) -> None:
        body, headers = _problem(status, title, detail, path)
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})
