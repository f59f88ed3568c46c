"""``/api/v1/scenarios``: bundled scenarios and saved ones (saving needs an API key)."""

from __future__ import annotations

import difflib
import json
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response, status
from fastapi.concurrency import run_in_threadpool

from corridor.api.deps import NetworkDep, StoreDep, WriterDep
from corridor.api.problems import Problem
from corridor.api.schemas import (
    ProblemOut,
    ScenarioIn,
    ScenarioListOut,
    ScenarioOut,
)
from corridor.api.services import Services
from corridor.api.simulator import bundled_scenario, bundled_scenarios, validate_scenario
from corridor.model import Scenario
from corridor.network import scenario_from_document
from corridor.store import ScenarioRecord, Store

__all__ = ["ScenarioQuery", "find_scenario", "router", "scenario_for"]

router = APIRouter(prefix="/api/v1/scenarios", tags=["scenarios"])

ScenarioId = Annotated[
    str, Path(min_length=1, max_length=100, description="Bundled name or saved id.")
]


ScenarioQuery = Annotated[
    str | None,
    Query(
        min_length=1,
        max_length=100,
        description="Plan on the network as this scenario describes it: a bundled name "
        "(`new-links-2030`) or the id of a saved scenario; `year` defaults to its network year.",
    ),
]


def scenario_for(services: Services, scenario_id: str) -> Scenario:
    """The scenario called ``scenario_id`` (bundled name or saved id), resolved on the network.

    Raises
    ------
    Problem
        404 (with the closest bundled names as ``candidates``) when there is no such scenario.
    ScenarioError
        When the scenario does not fit the network (answered 422).
    """
    found = find_scenario(services.store, scenario_id)
    if found is None:
        names = [b.name for b in bundled_scenarios()]
        close = difflib.get_close_matches(scenario_id, names, n=3, cutoff=0.4)
        raise Problem(
            404,
            f"no scenario '{scenario_id}'; bundled scenarios: {', '.join(names)}",
            title="Unknown scenario",
            query=scenario_id,
            candidates=close or names,
        )
    document: dict[str, Any] = dict(found["scenario"])
    document.setdefault("name", found["name"])
    key = (str(found["id"]), json.dumps(document, sort_keys=True, default=str))
    net = services.network()
    return services.scenarios.get_or_compute(key, lambda: scenario_from_document(document, net))


def _saved(rec: ScenarioRecord, *, full: bool) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "id": rec.id,
        "name": rec.name,
        "description": rec.description,
        "source": "saved",
        "created_at": rec.created_at,
    }
    if full:
        doc["scenario"] = rec.body
    return doc


def find_scenario(store: Store, scenario_id: str) -> dict[str, Any] | None:
    """A bundled (by name) or saved (by id) scenario with its document, or None."""
    bundled = bundled_scenario(scenario_id)
    if bundled is not None:
        return {
            "id": bundled.name,
            "name": bundled.name,
            "description": bundled.description,
            "source": "bundled",
            "created_at": None,
            "scenario": bundled.body,
        }
    rec = store.get_scenario(scenario_id)
    return _saved(rec, full=True) if rec is not None else None


@router.get("", response_model=ScenarioListOut)
def list_scenarios(
    store: StoreDep,
    limit: Annotated[int, Query(ge=1, le=500, description="Most saved scenarios listed.")] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> dict[str, Any]:
    """Bundled scenarios first, then saved ones (newest first)."""
    items: list[dict[str, Any]] = [
        {"id": b.name, "name": b.name, "description": b.description, "source": "bundled"}
        for b in bundled_scenarios()
    ]
    items += [_saved(r, full=False) for r in store.list_scenarios(limit=limit, offset=offset)]
    return {"scenarios": items}


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=ScenarioOut,
    responses={
        401: {"model": ProblemOut, "description": "API key missing or invalid."},
        413: {"model": ProblemOut},
        415: {"model": ProblemOut},
        422: {"model": ProblemOut, "description": "Invalid scenario."},
    },
)
async def save_scenario(
    *,
    body: ScenarioIn,
    store: StoreDep,
    net: NetworkDep,
    writer: WriterDep,
    response: Response,
) -> dict[str, Any]:
    """Validate a scenario against the network and save it (needs an API key)."""
    doc = await run_in_threadpool(validate_scenario, body.scenario, net)
    rec = await run_in_threadpool(
        store.add_scenario,
        name=body.name,
        description=body.description,
        body=doc,
        created_by=writer.id if writer else None,
    )
    response.headers["Location"] = f"/api/v1/scenarios/{rec.id}"
    return _saved(rec, full=True)


@router.get(
    "/{scenario_id}",
    response_model=ScenarioOut,
    responses={404: {"model": ProblemOut}},
)
def get_scenario(scenario_id: ScenarioId, store: StoreDep) -> dict[str, Any]:
    """One scenario with its document."""
    found = find_scenario(store, scenario_id)
    if found is None:
        raise Problem(404, f"no scenario '{scenario_id}'", title="Unknown scenario")
    return found
