"""``GET /health``: liveness and the state of the store."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from corridor.api.deps import ServicesDep
from corridor.api.schemas import HealthOut

__all__ = ["router"]

router = APIRouter(tags=["health"])


@router.get("/health", response_model=HealthOut, responses={503: {"model": HealthOut}})
def health(services: ServicesDep) -> JSONResponse:
    """Is the service up and can it reach its database?

    ``jobs_running`` counts the queued and running jobs of the store (all servers sharing it),
    ``jobs_running_here`` the worker processes of this server.
    """
    from corridor import __version__  # noqa: PLC0415  (avoids a cycle at package import)

    running_here = services.jobs.active
    try:
        # As the job list shows them (every server sharing the store), in the same query
        # that tells whether the database answers.
        running: int = services.store.count_active_jobs()
        ok = True
    except Exception:
        running, ok = running_here, False
    doc = {
        "status": "ok" if ok else "degraded",
        "version": __version__,
        "database": services.store.dialect,
        "jobs_running": running,
        "jobs_running_here": running_here,
    }
    return JSONResponse(doc, status_code=200 if ok else 503)
