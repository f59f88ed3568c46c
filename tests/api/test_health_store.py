"""``/health`` says whether the store can take writes (a full disk used to answer "ok"), and a
simulation larger than the worker's memory cap is refused before it starts."""

from __future__ import annotations

import pytest

import corridor.store.store as store_module
from corridor.api import create_app
from corridor.api.simulator import worker_memory_mb
from tests.api.conftest import TestClient, make_settings
from tests.api.test_read import assert_problem


def test_health_reports_a_writable_store(client: TestClient) -> None:
    resp = client.get("/health")
    assert resp.status_code == 200
    doc = resp.json()
    assert (doc["status"], doc["writable"], doc["problem"]) == ("ok", True, None)


def test_health_is_503_with_retry_after_when_the_disk_is_full(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the disk holding the store has less free space than the store needs: it is "full"
    monkeypatch.setattr(store_module, "MIN_FREE_BYTES", 2**62)
    resp = client.get("/health")
    assert resp.status_code == 503
    assert int(resp.headers["retry-after"]) > 0
    doc = resp.json()
    assert (doc["status"], doc["writable"]) == ("degraded", False)
    assert "free" in doc["problem"]


def test_a_run_beyond_the_worker_memory_cap_is_refused_at_once(sqlite_url: str) -> None:
    """wb-2030 ×100 over 1,095 days (≈17 M TEU, under the 20 M TEU limit) was accepted and
    failed after seconds on the 4 GB worker cap; it is now a 422 before any job starts."""
    settings = make_settings(
        sqlite_url,
        simulator="corridor.api.simulator:run_scenario",
        max_simulation_days=1095,
        worker_memory_mb=4096,
    )
    app = create_app(settings)
    with TestClient(app) as client:
        key = {"X-API-Key": app.state.services.store.create_api_key("k").key}
        saved = client.post(
            "/api/v1/scenarios",
            json={"name": "x100", "scenario": {"base": "wb-2030", "demand": {"scale": 100}}},
            headers=key,
        )
        assert saved.status_code == 201, saved.text
        resp = client.post(
            "/api/v1/simulations",
            json={"scenario": saved.json()["id"], "days": 1095},
            headers=key,
        )
        doc = assert_problem(resp, 422)
        assert "4,096 MB" in str(doc["detail"])
        assert client.get("/api/v1/simulations").json()["simulations"] == []


def test_the_memory_estimate_matches_the_measured_runs() -> None:
    """The straight line through the measured peaks (MB): 2.5 M TEU 1,300; 8.5 M TEU 3,387."""
    assert worker_memory_mb(2_542_545) == pytest.approx(1300, rel=0.02)
    assert worker_memory_mb(8_475_150) == pytest.approx(3387, rel=0.02)
    assert worker_memory_mb(16_950_300) > 4096  # the run that failed on a 4 GB cap
