"""Pure ASGI middleware: request body limit, JSON-only writes, hostile values, security headers."""

from __future__ import annotations

import json
import math
from typing import Any
from urllib.parse import unquote_to_bytes

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["GuardMiddleware"]

# The API takes request bodies on POST only; PUT and PATCH are answered 405 by the routing
# (checking their content type first used to answer 415 to a method that does not exist).
_WRITE_METHODS = frozenset({"POST"})
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


class _HostileValueError(ValueError):
    """A value no model of the API accepts (422)."""


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _HostileValueError(f"the number {text} is out of range (not finite)")
    return value


def _constant(name: str) -> float:
    raise _HostileValueError(f"{name} is not a number JSON allows")


def _check_strings(value: Any) -> None:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                raise _HostileValueError("text must not contain NUL characters (\\u0000)")
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def check_json(body: bytes) -> None:
    """Raise ``_HostileValueError`` for NaN, infinities, NUL or absurd nesting in a JSON body.

    A body that is not JSON at all passes (the route answers it with its own 422).
    """
    try:
        doc = json.loads(body, parse_float=_finite, parse_constant=_constant)
    except RecursionError:
        raise _HostileValueError("the JSON document is nested too deeply") from None
    except (UnicodeDecodeError, json.JSONDecodeError):
        return
    except ValueError as exc:  # e.g. an integer of more than 4300 digits
        if isinstance(exc, _HostileValueError):
            raise
        raise _HostileValueError(f"a number is out of range ({exc})") from None
    _check_strings(doc)


def _check_query(scope: Scope) -> None:
    raw = scope.get("query_string", b"") or b""
    if b"\x00" in unquote_to_bytes(raw) or "\x00" in scope.get("path", ""):
        raise _HostileValueError("the URL must not contain NUL characters (%00)")


_CSV_PATHS = frozenset({"/api/v1/validate"})
"""Write endpoints that also take a ``text/csv`` body (observed journeys)."""


class GuardMiddleware:
    """Reject bodies over ``max_body_bytes`` (413), non-JSON writes to the API (415; CSV is
    accepted where the endpoint reads CSV), and JSON holding NaN, infinities or NUL characters,
    or a URL holding NUL characters (422).

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
        try:
            _check_query(scope)
        except _HostileValueError as exc:
            await self._reject(send, 422, "Invalid request parameters", str(exc), path)
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
            checked = await self._checked_body(receive, send, path)
            if checked is None:
                return
            receive = checked

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

    async def _checked_body(self, receive: Receive, send: Send, path: str) -> Receive | None:
        """Read the whole (size-limited) body, check it, and hand it on; None if rejected."""
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            body = message.get("body", b"")
            size += len(body)
            if size > self.max_body_bytes:
                await self._reject(send, 413, *self._too_large(), path)
                return None
            chunks.append(body)
            if not message.get("more_body", False):
                break
        data = b"".join(chunks)
        try:
            check_json(data)
        except _HostileValueError as exc:
            await self._reject(send, 422, "Invalid request body", str(exc), path)
            return None
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": data, "more_body": False}
            return await receive()

        return replay

    def _too_large(self) -> tuple[str, str]:
        return "Request body too large", f"the request body exceeds {self.max_body_bytes} bytes"

    @staticmethod
    async def _reject(send: Send, status: int, title: str, detail: str, path: str) -> None:
        body, headers = _problem(status, title, detail, path)
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})
