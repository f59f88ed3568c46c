"""``GET /health``: liveness and the state of the store."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from corridor.api.deps import ServicesDep
from corridor.api.schemas import HealthOut

__all__ = ["router"]

router = APIRouter(tags=["health"])


_RETRY_AFTER_S = 5


@router.get("/health", response_model=HealthOut, responses={503: {"model": HealthOut}})
def health(services: ServicesDep) -> JSONResponse:
    """Is the service up, can it reach its database, and can the database take writes?

    ``jobs_running`` counts the queued and running jobs of the store (all servers sharing it),
    ``jobs_running_here`` the worker processes of this server. ``writable`` is false (and the
    answer 503 with ``Retry-After``) when the store cannot take writes: a full disk, a read-only
    file or a read-only PostgreSQL server; ``problem`` says why.
    """
    from corridor import __version__  # noqa: PLC0415  (avoids a cycle at package import)

    running_here = services.jobs.active
    problem: str | None
    try:
        # As the job list shows them (every server sharing the store), in the same query
        # that tells whether the database answers.
        running: int = services.store.count_active_jobs()
        problem = services.store.write_problem()
        reachable = True
    except Exception:
        running, reachable = running_here, False
        problem = "the database cannot be reached"
    ok = reachable and problem is None
    doc = {
        "status": "ok" if ok else "degraded",
        "version": __version__,
        "database": services.store.dialect,
        "writable": ok,
        "problem": problem,
        "jobs_running": running,
        "jobs_running_here": running_here,
    }
    headers = None if ok else {"Retry-After": str(_RETRY_AFTER_S)}
    return JSONResponse(doc, status_code=200 if ok else 503, headers=headers)
