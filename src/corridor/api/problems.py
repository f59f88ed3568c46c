"""Errors as RFC 9457 problem details (``application/problem+json``), always a 4xx for bad input.

Corridor's domain errors are translated to HTTP here and only here.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from sqlalchemy import exc as sa_exc
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse

from corridor.errors import (
    CorridorError,
    DataError,
    ModelError,
    NodeNotFoundError,
    NoRouteError,
    ScenarioError,
    SimulationError,
)

__all__ = [
    "DATABASE_DOWN",
    "PROBLEM_JSON",
    "Problem",
    "install_problem_handlers",
    "problem_response",
]

PROBLEM_JSON = "application/problem+json"
_log = logging.getLogger("corridor.api")

#: Errors that mean the database cannot be reached (down, restarting, pool exhausted).
DATABASE_DOWN: tuple[type[Exception], ...] = (
    sa_exc.OperationalError,
    sa_exc.InterfaceError,
    sa_exc.TimeoutError,
    sa_exc.DisconnectionError,
)
_RETRY_AFTER_S = 5
_LOG_EVERY_S = 60.0


class _OnceEach:
    """Log one line per failure class and minute, not one traceback per request."""

    def __init__(self) -> None:
        self._last: dict[str, float] = {}
        self._suppressed: dict[str, int] = {}
        self._lock = threading.Lock()

    def __call__(self, what: str, exc: BaseException) -> None:
        name = type(getattr(exc, "orig", None) or exc).__name__
        now = time.monotonic()
        with self._lock:
            if now - self._last.get(name, -_LOG_EVERY_S) < _LOG_EVERY_S:
                self._suppressed[name] = self._suppressed.get(name, 0) + 1
                return
            self._last[name] = now
            repeated = self._suppressed.pop(name, 0)
        lines = str(getattr(exc, "orig", None) or exc).strip().splitlines()
        more = f" ({repeated} more since the last report)" if repeated else ""
        _log.error("%s: %s: %s%s", what, name, lines[0][:200] if lines else "", more)


_TITLES = {
    400: "Bad request",
    401: "API key required",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    409: "Conflict",
    413: "Request body too large",
    415: "Unsupported media type",
    422: "Unprocessable request",
    429: "Too many requests",
    500: "Internal server error",
    503: "Service unavailable",
}


class Problem(Exception):  # noqa: N818  (it is an HTTP problem, not an "error" of the domain)
    """Raise in a route to answer with a problem document.

    Parameters
    ----------
    status
        HTTP status code.
    detail
        Human-readable explanation of this occurrence.
    title
        Short summary of the problem type (default from the status).
    headers
        Extra response headers (e.g. ``Retry-After``).
    extra
        Extension members added to the document (e.g. ``candidates``).
    """

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        title: str | None = None,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.title = title or _TITLES.get(status, "Error")
        self.headers = headers or {}
        self.extra = extra


def problem_response(
    request: Request | None,
    status: int,
    detail: str,
    *,
    title: str | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    """A ``application/problem+json`` response."""
    doc: dict[str, Any] = {
        "type": "about:blank",
        "title": title or _TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
    }
    if request is not None:
        doc["instance"] = request.url.path
    doc.update(extra)
    return JSONResponse(
        jsonable_encoder(doc), status_code=status, headers=headers, media_type=PROBLEM_JSON
    )


def _domain_status(exc: CorridorError) -> tuple[int, str, dict[str, Any]]:
    if isinstance(exc, NodeNotFoundError):
        title = "Ambiguous place name" if exc.ambiguous else "Unknown place"
        return 404, title, {"query": exc.query, "candidates": exc.candidates}
    if isinstance(exc, NoRouteError):
        return 422, "No route", {}
    if isinstance(exc, ScenarioError):
        return 422, "Invalid scenario", {}
    if isinstance(exc, ModelError):
        return 422, "Invalid value", {}
    if isinstance(exc, SimulationError):
        return 422, "Simulation failed", {}
    if isinstance(exc, DataError):
        return 500, "Network data error", {}
    return 422, "Unprocessable request", {}


def _validation_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    out = []
    for err in exc.errors():
        out.append(
            {
                "loc": [str(p) for p in err.get("loc", ())],
                "msg": str(err.get("msg", "")),
                "type": str(err.get("type", "")),
            }
        )
    return out


def install_problem_handlers(app: FastAPI) -> None:
    """Answer every error with a problem document (and never with a traceback)."""

    async def on_problem(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, Problem)
        return problem_response(
            request, exc.status, exc.detail, title=exc.title, headers=exc.headers, **exc.extra
        )

    async def on_domain(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, CorridorError)
        status, title, extra = _domain_status(exc)
        if status >= 500:
            _log.error("network data error: %s", exc)
        return problem_response(request, status, str(exc), title=title, **extra)

    async def on_validation(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        errors = _validation_errors(exc)
        first = errors[0] if errors else {"loc": [], "msg": "invalid request"}
        where = ".".join(first["loc"])
        detail = f"{where}: {first['msg']}" if where else str(first["msg"])
        return problem_response(
            request, 422, detail, title="Invalid request parameters", errors=errors
        )

    async def on_http(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        headers = dict(exc.headers) if exc.headers else None
        return problem_response(request, exc.status_code, str(exc.detail), headers=headers)

    log_outage = _OnceEach()

    async def on_database_down(request: Request, exc: Exception) -> JSONResponse:
        log_outage("database unavailable", exc)
        return problem_response(
            request,
            503,
            "the database cannot be reached; try again shortly",
            headers={"Retry-After": str(_RETRY_AFTER_S)},
        )

    async def on_database_refused(request: Request, exc: Exception) -> JSONResponse:
        log_outage("database refused a value", exc)
        return problem_response(
            request, 422, "the database cannot store a value of this request", title="Invalid value"
        )

    async def on_unexpected(request: Request, exc: Exception) -> JSONResponse:
        _log.exception("unexpected error on %s %s", request.method, request.url.path)
        return problem_response(request, 500, "an unexpected error occurred; it has been logged")

    app.add_exception_handler(Problem, on_problem)
    app.add_exception_handler(CorridorError, on_domain)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
    for cls in DATABASE_DOWN:
        app.add_exception_handler(cls, on_database_down)
    app.add_exception_handler(sa_exc.DataError, on_database_refused)
    app.add_exception_handler(Exception, on_unexpected)
