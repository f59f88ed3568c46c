"""``POST /api/v1/validate``: the model's bands against observed journeys."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.concurrency import run_in_threadpool

from corridor.api.deps import NetworkDep, SettingsDep
from corridor.api.problems import Problem
from corridor.api.schemas import ProblemOut
from corridor.errors import DataError
from corridor.facade import validate as validate_observed

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["validate"])

_MAX_ROWS = 200
_EXAMPLE = (
    "label,origin,destination,depart,days,service,corridor\n"
    "TITR guidance,Xi'an,Constanța,2025-07-01,31-34,standard,middle\n"
)


async def _csv_text(request: Request) -> str:
    body = await request.body()
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise Problem(422, "the body is not UTF-8 text") from None
    if "json" in request.headers.get("content-type", ""):
        try:
            doc: Any = json.loads(text)
        except json.JSONDecodeError:
            raise Problem(422, "the body is not valid JSON") from None
        if not isinstance(doc, dict) or not isinstance(doc.get("csv"), str):
            raise Problem(422, 'a JSON body must be {"csv": "<the CSV text>"}')
        text = doc["csv"]
    if not text.strip():
        raise Problem(422, "the body is empty: send the observed journeys as CSV")
    return text


@router.post(
    "/validate",
    responses={
        422: {"model": ProblemOut, "description": "Bad CSV: every bad row in `errors`."},
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "description": "Observed journeys as CSV (columns as `corridor validate`), or JSON "
            '`{"csv": "..."}`.',
            "content": {
                "text/csv": {"schema": {"type": "string"}, "example": _EXAMPLE},
                "application/json": {
                    "schema": {
                        "type": "object",
                        "properties": {"csv": {"type": "string"}},
                        "required": ["csv"],
                    },
                    "example": {"csv": _EXAMPLE},
                },
            },
        }
    },
)
async def validate(
    *,
    request: Request,
    net: NetworkDep,
    settings: SettingsDep,
    samples: Annotated[
        int, Query(ge=100, le=20_000, description="Monte-Carlo journeys per corridor and row.")
    ] = 2000,
    seed: Annotated[int, Query(ge=0, le=2**32 - 1, description="Random seed.")] = 1,
    name: Annotated[
        str, Query(min_length=1, max_length=100, description="File name shown in messages.")
    ] = "observed.csv",
) -> Response:
    """Each observed journey with the model's P10/P50/P90, whether it lies inside P10-P90, the
    band's sharpness (P90/P10) and the bias (model P50 - observed); a summary per service class
    (coverage, mean bias). As ``corridor validate --json``.
    """
    text = await _csv_text(request)
    if text.count("\n") > _MAX_ROWS + 1:
        raise Problem(422, f"at most {_MAX_ROWS} journeys per request")
    if samples > settings.max_samples:
        raise Problem(422, f"samples must be at most {settings.max_samples:,}")

    def compute() -> bytes:
        result = validate_observed(name, text=text, samples=samples, seed=seed, network=net)
        return json.dumps(result.to_dict(), ensure_ascii=False, separators=(",", ":")).encode()

    try:
        body = await run_in_threadpool(compute)
    except DataError as exc:
        raise Problem(
            422,
            str(exc),
            title="Invalid observed journeys",
            errors=[
                {"file": p.file, "row": p.row, "field": p.field, "message": p.reason}
                for p in exc.problems
            ],
        ) from None
    return Response(body, media_type="application/json")
