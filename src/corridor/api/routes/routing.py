"""``GET /api/v1/routes``: planned routes (as ``corridor route --json``, or GeoJSON)."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from corridor.api.compute import RouteJob, route_task
from corridor.api.deps import NetworkDep, ServicesDep, SettingsDep
from corridor.api.problems import Problem
from corridor.api.routes.scenarios import ScenarioQuery, scenario_for
from corridor.api.schemas import FeatureCollectionOut, ProblemOut, RouteListOut
from corridor.api.settings import Settings
from corridor.model import ServiceClass
from corridor.routing import Objective, RouteRequest
from corridor.routing.bounds import route_cost_problem

__all__ = ["CargoQuery", "ContainerQuery", "PlaceQuery", "check_places", "router"]

router = APIRouter(prefix="/api/v1", tags=["routes"])

PlaceQuery = Annotated[
    str, Query(min_length=1, max_length=100, description="Id, name, alias or UN/LOCODE.")
]
ContainerQuery = Annotated[
    Literal["20", "40"],
    Query(description="Container size in feet that costs and emissions are for."),
]
CargoQuery = Annotated[
    float | None,
    Query(gt=0, le=60, description="Cargo mass in the container, t (default 10 t per TEU)."),
]
_MAX_LIST = 20


def check_route_cost(settings: Settings, *, via: int, alternatives: int, pareto: bool) -> None:
    """Refuse (422) a routing request whose cost is out of proportion to its size (the bounds
    of :mod:`corridor.routing.bounds`, which the command line applies too)."""
    if via > settings.max_via:
        raise Problem(422, f"at most {settings.max_via} via places may be given")
    if alternatives > settings.max_alternatives:
        raise Problem(422, f"alternatives must be at most {settings.max_alternatives}")
    problem = route_cost_problem(via=via, alternatives=alternatives, pareto=pareto)
    if problem is not None:
        raise Problem(422, problem)


def check_places(*groups: list[str]) -> None:
    """Reject over-long lists and names (422)."""
    for group in groups:
        if len(group) > _MAX_LIST:
            raise Problem(422, f"at most {_MAX_LIST} places may be listed")
        for item in group:
            if not 1 <= len(item) <= 100:
                raise Problem(422, "place names have 1 to 100 characters")


@router.get(
    "/routes",
    response_model=RouteListOut | FeatureCollectionOut,
    responses={
        404: {"model": ProblemOut, "description": "Unknown place or scenario (with candidates)."},
        422: {"model": ProblemOut, "description": "Invalid parameter or scenario, or no route."},
    },
)
async def routes(
    *,
    net: NetworkDep,
    settings: SettingsDep,
    services: ServicesDep,
    origin: PlaceQuery,
    destination: PlaceQuery,
    via: Annotated[list[str], Query(description="Places to pass, in order.")] = [],  # noqa: B006
    avoid: Annotated[
        list[str], Query(description="Countries (RU, RUS, Russia) or places (Suez) to avoid.")
    ] = [],  # noqa: B006  (FastAPI copies defaults; the list is never mutated)
    optimize: Annotated[Objective, Query(description="What to minimise.")] = Objective.TIME,
    alternatives: Annotated[
        int,
        Query(ge=1, le=10, description="Different routes wanted; alternatives × (1 + via) ≤ 12."),
    ] = 1,
    pareto: Annotated[
        bool, Query(description="The time/cost/CO2 Pareto front instead (at most 1 via place).")
    ] = False,
    year: Annotated[
        int | None,
        Query(ge=1990, le=2100, description="Network and values in force that year."),
    ] = None,
    service: Annotated[
        ServiceClass,
        Query(description="Train product: standard (regular) or express (scheduled block train)."),
    ] = ServiceClass.STANDARD,
    scenario: ScenarioQuery = None,
    container: ContainerQuery = "40",
    cargo_t: CargoQuery = None,
    fmt: Annotated[Literal["json", "geojson"], Query(alias="format")] = "json",
) -> Response:
    """Routes between two places, best first, with expected hours, USD and kg CO2e per container
    (a cost range and a per-leg breakdown with sources; WTW and TTW emissions)."""
    check_places(via, avoid)
    check_route_cost(settings, via=len(via), alternatives=alternatives, pareto=pareto)
    request = RouteRequest(
        origin=origin,
        destination=destination,
        via=tuple(via),
        avoid=tuple(avoid),
        objective=optimize,
        year=year,
        service=service,
        scenario=scenario,
        container_ft=int(container),
        cargo_t=cargo_t,
    ).resolved(net)
    job = RouteJob(request, alternatives, pareto, geojson=fmt == "geojson")
    key = job.key()
    if scenario is not None:
        under = await run_in_threadpool(scenario_for, services, scenario)
        job = replace(job, request=replace(request, scenario=under))
    body = await services.cached_compute(services.route_cache, key, route_task, job)
    return Response(body, media_type="application/json")
