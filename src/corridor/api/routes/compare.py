"""``GET /api/v1/compare``: the corridors between two places (as ``corridor compare --json``)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Response
from fastapi.concurrency import run_in_threadpool

from corridor.api.compute import CompareJob, compare_task
from corridor.api.deps import NetworkDep, ServicesDep
from corridor.api.problems import Problem
from corridor.api.routes.routing import (
    CargoQuery,
    ContainerQuery,
    PlaceQuery,
    check_places,
    check_route_cost,
)
from corridor.api.routes.scenarios import ScenarioQuery, scenario_for
from corridor.api.schemas import CompareOut, ProblemOut
from corridor.model import ServiceClass
from corridor.routing import DEFAULT_VALUE_OF_TIME_USD_PER_H, CompareRequest, Objective

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["compare"])


@router.get(
    "/compare",
    response_model=CompareOut,
    response_model_exclude_none=True,
    responses={
        404: {"model": ProblemOut, "description": "Unknown place or scenario (with candidates)."},
        422: {"model": ProblemOut, "description": "Invalid parameter or scenario, or no route."},
    },
)
async def compare(
    *,
    services: ServicesDep,
    net: NetworkDep,
    origin: PlaceQuery,
    destination: PlaceQuery,
    depart: Annotated[
        date | None,
        Query(description="Departure date YYYY-MM-DD, 2000-01-01 to 2100-12-31 (default today)."),
    ] = None,
    samples: Annotated[
        int, Query(ge=1, le=1_000_000, description="Monte-Carlo journeys per corridor.")
    ] = 10_000,
    seed: Annotated[int, Query(ge=0, le=2**32 - 1, description="Random seed.")] = 1,
    year: Annotated[
        int | None,
        Query(
            ge=1990,
            le=2100,
            description="Network, values in force and tariffs of that year "
            "(default: the departure year).",
        ),
    ] = None,
    service: Annotated[
        ServiceClass,
        Query(description="Train product: standard (regular) or express (scheduled block train)."),
    ] = ServiceClass.STANDARD,
    avoid: Annotated[
        list[str], Query(description="Countries (RU, RUS, Russia) or places (Suez) to avoid.")
    ] = [],  # noqa: B006  (FastAPI copies defaults; the list is never mutated)
    via: Annotated[list[str], Query(description="Places every route passes, in order.")] = [],  # noqa: B006
    scenario: ScenarioQuery = None,
    deadline_days: Annotated[
        float | None,
        Query(gt=0, le=365, description="Also report P(arrival within this many days)."),
    ] = None,
    container: ContainerQuery = "40",
    cargo_t: CargoQuery = None,
    optimize: Annotated[
        Objective,
        Query(description="What picks the overall best route (docs/options.md)."),
    ] = Objective.TIME,
    value_of_time: Annotated[
        float,
        Query(
            ge=0,
            le=10_000,
            description="USD per FEU-hour in the generalized cost that picks each corridor's row.",
        ),
    ] = DEFAULT_VALUE_OF_TIME_USD_PER_H,
    with_histogram: Annotated[
        bool,
        Query(
            alias="histogram",
            description="Add transit-time histograms (`histogram`; not in the CLI document).",
        ),
    ] = False,
) -> Response:
    """Best route of each corridor with P10/P50/P90 door-to-door days, USD (low / expected /
    high) and kg CO2e (WTW and TTW) per container.

    Identical requests are answered from a cache (the result is seeded, hence reproducible);
    the work runs in a fixed pool of processes (503 with ``Retry-After`` when it is full).
    """
    settings = services.settings
    if samples > settings.max_samples:
        raise Problem(422, f"samples must be at most {settings.max_samples:,}")
    check_places(avoid, via)
    check_route_cost(settings, via=len(via), alternatives=1, pareto=False)
    request = CompareRequest(
        origin=origin,
        destination=destination,
        depart=depart,
        samples=samples,
        seed=seed,
        year=year,
        service=service,
        avoid=tuple(avoid),
        via=tuple(via),
        scenario=scenario,
        deadline_days=deadline_days,
        container_ft=int(container),
        cargo_t=cargo_t,
        objective=optimize,
        value_of_time_usd_per_h=value_of_time,
    ).resolved(net)
    job = CompareJob(request, with_histogram)
    key = job.key()
    if scenario is not None:
        under = await run_in_threadpool(scenario_for, services, scenario)
        job = replace(job, request=replace(request, scenario=under))
    body = await services.cached_compute(services.compare_cache, key, compare_task, job)
    return Response(body, media_type="application/json")
