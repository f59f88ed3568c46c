"""Every CPU-heavy endpoint is admitted by the compute pool (503 + Retry-After when it is full)
and has its cost bounded before any work (422)."""

from __future__ import annotations

from typing import Any

import pytest

from corridor.api.routes.validate import MAX_ROW_SAMPLES, MAX_ROWS, count_records
from tests.api.conftest import TestClient
from tests.api.test_read import assert_problem
from tests.api.test_shipments import BOOKING, _event

CSV_HEAD = "label,origin,destination,depart,days,service,corridor"
CSV_ROW = "r,Xi'an,Istanbul,2025-07-01,20-25,standard,middle"


def _csv(rows: int, newline: str = "\n") -> str:
    return newline.join([CSV_HEAD, *[CSV_ROW] * rows]) + newline


HEAVY = [
    ("validate", "POST", "/api/v1/validate?samples=200", _csv(2), "text/csv"),
    ("emissions", "GET", "/api/v1/emissions?origin=xian&destination=istanbul", None, None),
    ("compare", "GET", "/api/v1/compare?origin=xian&destination=istanbul&samples=500", None, None),
    ("routes", "GET", "/api/v1/routes?origin=xian&destination=istanbul", None, None),
    ("book a shipment", "POST", "/api/v1/shipments", BOOKING, None),
    ("read a shipment (its ETA now)", "GET", "/api/v1/shipments/{sid}", None, None),
    ("post an event", "POST", "/api/v1/shipments/{sid}/events", _event("Dostyk",
     "2025-01-09T10:00:00Z"), None),
]  # fmt: skip


@pytest.mark.parametrize(
    ("method", "path", "body", "ctype"), [h[1:] for h in HEAVY], ids=[h[0] for h in HEAVY]
)
def test_a_full_pool_answers_503_with_retry_after(
    client: TestClient,
    key: dict[str, str],
    *,
    method: str,
    path: str,
    body: Any,
    ctype: str | None,
) -> None:
    sid = client.post("/api/v1/shipments", json=BOOKING, headers=key).json()["id"]
    pool = client.app.state.services.compute  # type: ignore[attr-defined]
    before = pool.turned_away
    pool._admitted = pool.limit  # every compute slot is taken
    try:
        kwargs: dict[str, Any] = {"headers": dict(key)}
        if ctype is not None:
            kwargs["content"] = body
            kwargs["headers"]["content-type"] = ctype
        elif body is not None:
            kwargs["json"] = body
        resp = client.request(method, path.format(sid=sid), **kwargs)
    finally:
        pool._admitted = 0
    doc = assert_problem(resp, 503)
    assert "busy" in str(doc["detail"])
    assert int(resp.headers["retry-after"]) > 0
    assert pool.turned_away == before + 1
    # nothing was done: the shipment has no event
    assert client.get(f"/api/v1/shipments/{sid}", headers=key).json()["events"] == []


def test_rows_are_records_whatever_the_line_endings(client: TestClient) -> None:
    """A body of 300 rows with ``\\r`` line endings used to pass a count of ``\\n`` (2,000 rows
    of 0.2 CPU-s each were accepted): rows are CSV records."""
    for newline in ("\n", "\r", "\r\n"):
        assert count_records(_csv(MAX_ROWS + 100, newline)) == MAX_ROWS + 100
        resp = client.post(
            "/api/v1/validate?samples=100",
            content=_csv(MAX_ROWS + 100, newline),
            headers={"content-type": "text/csv"},
        )
        doc = assert_problem(resp, 422)
        assert f"at most {MAX_ROWS} journeys" in str(doc["detail"])


def test_rows_times_samples_is_bounded(client: TestClient) -> None:
    rows = 50
    samples = MAX_ROW_SAMPLES // rows + 100
    resp = client.post(
        f"/api/v1/validate?samples={samples}",
        content=_csv(rows),
        headers={"content-type": "text/csv"},
    )
    doc = assert_problem(resp, 422)
    assert "journeys × samples" in str(doc["detail"])


def test_nul_in_a_csv_body_is_refused(client: TestClient) -> None:
    resp = client.post(
        "/api/v1/validate", content=_csv(1) + "x\x00,1", headers={"content-type": "text/csv"}
    )
    assert "NUL" in str(assert_problem(resp, 422)["detail"])


@pytest.mark.slow
def test_validate_and_emissions_in_worker_processes(sqlite_url: str) -> None:
    """The same answers from the pool's processes as from the server's threads, and errors
    raised in a worker (unknown place, bad rows) come back as the same 4xx."""
    from corridor.api import create_app
    from tests.api.conftest import make_settings

    answers = []
    for workers in (0, 1):
        app = create_app(make_settings(sqlite_url, compute_workers=workers))
        with TestClient(app) as c:
            v = c.post(
                "/api/v1/validate?samples=200",
                content=_csv(2),
                headers={"content-type": "text/csv"},
            )
            e = c.get("/api/v1/emissions?origin=xian&destination=istanbul&format=csv")
            bad = c.post(
                "/api/v1/validate?samples=200",
                content=_csv(1).replace("Istanbul", "Atlantis"),
                headers={"content-type": "text/csv"},
            )
            unknown = c.get("/api/v1/emissions?origin=xian&destination=istanbul&via=atlantis")
            answers.append((v.status_code, v.json(), e.status_code, e.text))
            assert assert_problem(bad, 422)["errors"][0]["row"] == 2
            assert "atlantis" in str(assert_problem(unknown, 404)["detail"]).lower()
    assert answers[0] == answers[1]
    assert answers[0][0] == 200 and answers[0][2] == 200


def test_openapi_shows_validate_s_own_samples_bound(sqlite_url: str) -> None:
    """The document said 100,000 (the setting) while validate enforces 20,000 (its own)."""
    from corridor.api import create_app
    from tests.api.conftest import make_settings

    with TestClient(create_app(make_settings(sqlite_url, max_samples=100_000))) as client:
        spec = client.get("/openapi.json").json()
        params = spec["paths"]["/api/v1/validate"]["post"]["parameters"]
        (samples,) = [p for p in params if p["name"] == "samples"]
        assert samples["schema"]["maximum"] == 20_000
        compare = spec["paths"]["/api/v1/compare"]["get"]["parameters"]
        (compare_samples,) = [p for p in compare if p["name"] == "samples"]
        assert compare_samples["schema"]["maximum"] == 100_000  # the setting, tighter than 1e6
        resp = client.post(
            "/api/v1/validate?samples=20001", content=_csv(1), headers={"content-type": "text/csv"}
        )
        assert_problem(resp, 422)
