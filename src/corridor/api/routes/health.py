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
    """Is the service up and can it reach its database?"""
    from corridor import __version__  # noqa: PLC0415  (avoids a cycle at package import)

    ok = services.store.ping()
    doc = {
        "status": "ok" if ok else "degraded",
        "version": __version__,
        "database": services.store.dialect,
        "jobs_running": services.jobs.active,
    }
    return JSONResponse(doc, status_code=200 if ok else 503)
