"""Every documented error class of the API, table-driven: a 4xx problem document, never a 500.

Runs on SQLite and PostgreSQL (NUL characters and non-finite numbers used to be a 500 on one and
silently stored on the other).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from corridor.api import create_app
from corridor.store import Store
from tests.api.conftest import TestClient, make_settings
from tests.api.test_read import assert_problem


@dataclass(frozen=True)
class Case:
    """A request, the status it must get and a phrase of its ``detail``."""

    name: str
    method: str
    path: str
    status: int
    says: str
    body: str | None = None
    key: bool = True
    headers: dict[str, str] = field(default_factory=dict)


def _scenario(inner: str, name: str = '"s"', description: str = '""') -> str:
    return f'{{"name": {name}, "description": {description}, "scenario": {inner}}}'


BASE = '"base": "baseline-2024"'
CASES = [
    Case("scale Infinity", "POST", "/api/v1/scenarios", 422, "Infinity",
         _scenario(f'{{{BASE}, "demand": {{"scale": Infinity}}}}')),
    Case("scale NaN", "POST", "/api/v1/scenarios", 422, "NaN",
         _scenario(f'{{{BASE}, "demand": {{"scale": NaN}}}}')),
    Case("scale 1e999", "POST", "/api/v1/scenarios", 422, "not finite",
         _scenario(f'{{{BASE}, "demand": {{"scale": 1e999}}}}')),
    Case("scale 1e6", "POST", "/api/v1/scenarios", 422, "less than or equal to 1000",
         _scenario(f'{{{BASE}, "demand": {{"scale": 1e6}}}}')),
    Case("days true", "POST", "/api/v1/scenarios", 422, "days",
         _scenario(f'{{{BASE}, "days": true}}')),
    Case("NUL in description", "POST", "/api/v1/scenarios", 422, "NUL",
         _scenario(f"{{{BASE}}}", description='"a\\u0000b"')),
    Case("NUL in a scenario key", "POST", "/api/v1/scenarios", 422, "NUL",
         _scenario(f'{{{BASE}, "x\\u0000": 1}}')),
    Case("nested 20k deep", "POST", "/api/v1/scenarios", 422, "nested",
         _scenario("[" * 20_000 + "]" * 20_000)),
    Case("integer of 5000 digits", "POST", "/api/v1/simulations", 422, "out of range",
         '{"scenario": "baseline-2024", "seed": ' + "9" * 5000 + "}"),
    Case("not JSON", "POST", "/api/v1/scenarios", 422, "JSON", "{"),
    Case("no key", "POST", "/api/v1/scenarios", 401, "API key",
         _scenario(f"{{{BASE}}}"), key=False),
    Case("not application/json", "POST", "/api/v1/scenarios", 415, "application/json",
         _scenario(f"{{{BASE}}}"), headers={"content-type": "text/plain"}),
    Case("body too large", "POST", "/api/v1/scenarios", 413, "exceeds",
         _scenario(f'{{{BASE}, "description": "{"x" * 300_000}"}}')),
    Case("NUL in a query", "GET", "/api/v1/compare?origin=xian%00&destination=istanbul", 422,
         "NUL"),
    Case("NUL in a path", "GET", "/api/v1/simulations/ab%00cd", 422, "NUL"),
    Case("unknown place", "GET", "/api/v1/compare?origin=xian&destination=atlantis", 404,
         "atlantis"),
    Case("depart far future", "GET",
         "/api/v1/compare?origin=xian&destination=istanbul&depart=9999-12-01", 422, "depart"),
    Case("deadline NaN", "GET",
         "/api/v1/compare?origin=xian&destination=istanbul&deadline_days=nan", 422, "deadline"),
    Case("deadline infinite", "GET",
         "/api/v1/compare?origin=xian&destination=istanbul&deadline_days=inf", 422, "deadline"),
    Case("too many samples", "GET",
         "/api/v1/compare?origin=xian&destination=istanbul&samples=1000000", 422, "samples"),
    Case("too many alternatives", "GET",
         "/api/v1/routes?origin=xian&destination=istanbul&alternatives=50", 422, "alternatives"),
    Case("unknown job", "GET", "/api/v1/simulations/nope", 404, "nope"),
    Case("cancel unknown job", "DELETE", "/api/v1/simulations/nope", 404, "nope"),
    Case("unknown scenario to simulate", "POST", "/api/v1/simulations", 422, "no scenario",
         '{"scenario": "nope"}'),
    Case("PUT on a collection", "PUT", "/api/v1/scenarios", 405, "method", "{}"),
    Case("PATCH on a job", "PATCH", "/api/v1/simulations/x", 405, "method", "{}"),
    Case("PUT without a content type", "PUT", "/api/v1/scenarios", 405, "method", "x",
         headers={"content-type": ""}),
    Case("DELETE on compare", "DELETE", "/api/v1/compare", 405, "method"),
    # issue 24: each reproduction is a clean 4xx
    Case("days true starts no job", "POST", "/api/v1/simulations", 422, "integer",
         '{"scenario": "baseline-2024", "days": true}'),
    Case("NUL in a text/csv body", "POST", "/api/v1/validate", 422, "NUL",
         "label,origin\nx\u0000,y\n", headers={"content-type": "text/csv"}),
    Case("validate rows with CR line endings", "POST", "/api/v1/validate?samples=100", 422,
         "at most 200 journeys", "label,origin,destination,depart,days\r"
         + "x,Xi'an,Istanbul,2025-01-01,20\r" * 300, headers={"content-type": "text/csv"}),
    Case("validate samples above its own bound", "POST", "/api/v1/validate?samples=50000", 422,
         "less than or equal to 20000", "label,origin\n", headers={"content-type": "text/csv"}),
    Case("an extra field in an event", "POST", "/api/v1/shipments/x/events", 422, "extra",
         '{"eventClassifierCode": "ACT", "transportEventTypeCode": "ARRI", "eventDateTime": '
         '"2025-01-09T10:00:00Z", "eventLocation": {"locationName": "Dostyk"}, "blob": "x"}'),
    Case("list shipments without a key", "GET", "/api/v1/shipments", 401, "API key", key=False),
    Case("read a shipment without a key", "GET", "/api/v1/shipments/x", 401, "API key",
         key=False),
]  # fmt: skip


@pytest.fixture
def api(any_db_url: str) -> Iterator[tuple[TestClient, str]]:
    app = create_app(make_settings(any_db_url, max_body_bytes=256 * 1024))
    with TestClient(app) as client:
        store: Store = app.state.services.store
        yield client, store.create_api_key("t").key


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_error_is_a_problem_document(api: tuple[TestClient, str], case: Case) -> None:
    client, key = api
    headers: dict[str, Any] = {"content-type": "application/json", **case.headers}
    if case.key:
        headers["X-API-Key"] = key
    resp = client.request(case.method, case.path, content=case.body, headers=headers)
    doc = assert_problem(resp, case.status)
    assert case.says.lower() in str(doc["detail"]).lower(), doc
    if case.method == "POST" and case.path == "/api/v1/scenarios":
        assert client.get("/api/v1/scenarios").json()["scenarios"][-1]["source"] == "bundled"
