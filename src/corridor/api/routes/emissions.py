"""``GET /api/v1/emissions``: an ISO 14083 / GLEC emission report (as ``corridor emissions``)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from corridor.api.compute import EmissionsJob, emissions_task
from corridor.api.deps import NetworkDep, ServicesDep
from corridor.api.routes.routing import (
    CargoQuery,
    ContainerQuery,
    PlaceQuery,
    check_places,
    check_route_cost,
)
from corridor.api.schemas import ProblemOut
from corridor.facade import resolve_avoid
from corridor.model import Corridor, ServiceClass
from corridor.routing import RouteRequest

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["emissions"])


@router.get(
    "/emissions",
    responses={
        200: {
            "description": "The report: JSON (default), CSV or HTML by `format`.",
            "content": {"text/csv": {}, "text/html": {}},
        },
        404: {"model": ProblemOut, "description": "Unknown place (with candidates)."},
        422: {"model": ProblemOut, "description": "Invalid parameter or no route."},
        503: {"model": ProblemOut, "description": "Every compute slot is busy (Retry-After)."},
    },
)
async def emissions(
    *,
    net: NetworkDep,
    services: ServicesDep,
    origin: PlaceQuery,
    destination: PlaceQuery,
    year: Annotated[
        int | None,
        Query(
            ge=1990,
            le=2100,
            description="Network and tariff year (default: this year, as in compare).",
        ),
    ] = None,
    avoid: Annotated[list[str], Query(description="Country codes (RU) or places to avoid.")] = [],  # noqa: B006  (FastAPI copies defaults; the list is never mutated)
    via: Annotated[list[str], Query(description="Places to pass, in order.")] = [],  # noqa: B006
    corridor: Annotated[
        Literal["middle", "north-south", "northern", "southern", "maritime", "direct"] | None,
        Query(description="Only this corridor (default: the options of compare)."),
    ] = None,
    service: Annotated[
        ServiceClass,
        Query(description="Train product: standard (regular) or express (scheduled block train)."),
    ] = ServiceClass.STANDARD,
    container: ContainerQuery = "40",
    cargo_t: CargoQuery = None,
    fmt: Annotated[Literal["json", "csv", "html"], Query(alias="format")] = "json",
) -> Response:
    """Well-to-wheel and tank-to-wheel emissions of each transport chain element and hub of the
    best route of each corridor, with factors, sources, totals and assumptions.

    The work runs in the compute pool (503 with ``Retry-After`` when it is full)."""
    check_places(avoid, via)
    check_route_cost(services.settings, via=len(via), alternatives=1, pareto=False)
    net.node(origin), net.node(destination)  # unknown places: 404 before any work
    resolve_avoid(net, avoid)
    for v in via:
        net.node(v)
    request = RouteRequest(
        origin=origin,
        destination=destination,
        year=year,
        avoid=tuple(avoid),
        via=tuple(via),
        corridor=Corridor(corridor) if corridor is not None else None,
        service=service,
        container_ft=int(container),
        cargo_t=cargo_t,
    )
    body = await services.compute.run(emissions_task, EmissionsJob(request, fmt))
    media = {"csv": "text/csv", "html": "text/html"}.get(fmt, "application/json")
    return Response(body, media_type=f"{media}; charset=utf-8" if fmt != "json" else media)
