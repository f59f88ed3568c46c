"""``POST /api/v1/validate``: the model's bands against observed journeys."""

from __future__ import annotations

import csv
import io
import json
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from corridor.api.compute import ValidateJob, validate_task
from corridor.api.deps import ServicesDep, SettingsDep
from corridor.api.problems import Problem
from corridor.api.schemas import ProblemOut
from corridor.errors import DataError

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["validate"])

MAX_ROWS = 200
"""Most observed journeys (CSV records, whatever their line endings) per request."""
MAX_ROW_SAMPLES = 400_000
"""Most rows × samples per request: the Monte Carlo costs about 0.1 ms of CPU per sample and
row (200 journeys at the default 2,000 samples, or 20 at 20,000)."""
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
    if "\x00" in text:
        raise Problem(422, "the CSV must not contain NUL characters")
    return text


def count_records(text: str) -> int:
    r"""Data records of a CSV text (as the CSV reader sees them: any line ending, quoted line
    breaks inside a field), blank lines and the header left out.

    Examples
    --------
    >>> count_records("a,b\r1,2\r3,4\r")
    2
    >>> count_records('a,b\n"x\ny",2\n\n')
    1
    """
    rows = sum(1 for row in csv.reader(io.StringIO(text, newline="")) if any(row))
    return max(rows - 1, 0)


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
    services: ServicesDep,
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

    At most 200 journeys and 400,000 journeys × samples per request; the work runs in the
    compute pool (503 with ``Retry-After`` when it is full).
    """
    text = await _csv_text(request)
    try:
        rows = count_records(text)
    except csv.Error as exc:
        raise Problem(422, f"the CSV cannot be read: {exc}") from None
    if rows == 0:
        raise Problem(422, "the CSV has no journeys: a header and at least one row are needed")
    if rows > MAX_ROWS:
        raise Problem(422, f"at most {MAX_ROWS} journeys per request (got {rows})")
    if samples > settings.max_samples:
        raise Problem(422, f"samples must be at most {settings.max_samples:,}")
    if rows * samples > MAX_ROW_SAMPLES:
        raise Problem(
            422,
            f"journeys × samples must be at most {MAX_ROW_SAMPLES:,} (got {rows} × {samples:,}); "
            "send fewer journeys or ask for fewer samples",
        )
    job = ValidateJob(name=name, text=text, samples=samples, seed=seed)
    try:
        body = await services.compute.run(validate_task, job)
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
