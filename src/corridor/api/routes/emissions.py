"""``GET /api/v1/emissions``: an ISO 14083 / GLEC emission report (as ``corridor emissions``)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response
from fastapi.responses import JSONResponse

from corridor.api.deps import NetworkDep
from corridor.api.routes.routing import CargoQuery, ContainerQuery, PlaceQuery, check_places
from corridor.api.schemas import ProblemOut
from corridor.facade import emissions as emission_report
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
    },
)
def emissions(
    *,
    net: NetworkDep,
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
        Literal["middle", "northern", "southern", "maritime", "direct"] | None,
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
    best route of each corridor, with factors, sources, totals and assumptions."""
    check_places(avoid, via)
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
    report = emission_report(request, network=net)
    if fmt == "csv":
        return Response(report.to_csv(), media_type="text/csv; charset=utf-8")
    if fmt == "html":
        return Response(report.to_html(), media_type="text/html; charset=utf-8")
    return JSONResponse(report.to_dict())
