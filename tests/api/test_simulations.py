"""Simulation jobs: worker processes, progress, results, and every way a job can fail."""

from __future__ import annotations

import os
import signal
import time
from typing import Any

import pytest

from corridor.api import create_app
from corridor.store import Store
from tests.api.conftest import TestClient, make_settings
from tests.api.test_read import assert_problem


def wait_for(
    client: TestClient,
    job_id: str,
    *,
    until: tuple[str, ...] = ("succeeded", "failed"),
    timeout_s: float = 60.0,
) -> dict[str, Any]:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        doc: dict[str, Any] = client.get(f"/api/v1/simulations/{job_id}").json()
        if doc["status"] in until:
            return doc
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} still {doc['status']}")


def start(client: TestClient, key: dict[str, str], **body: object) -> dict[str, Any]:
    resp = client.post(
        "/api/v1/simulations", json={"scenario": "baseline-2024", **body}, headers=key
    )
    assert resp.status_code == 202, resp.text
    doc: dict[str, Any] = resp.json()
    assert resp.headers["location"] == f"/api/v1/simulations/{doc['id']}"
    return doc


def test_job_runs_in_a_worker_and_stores_its_result(any_db_url: str) -> None:
    with TestClient(create_app(make_settings(any_db_url))) as client:
        store: Store = client.app.state.services.store  # type: ignore[attr-defined]
        key = {"X-API-Key": store.create_api_key("t").key}
        job = start(client, key, days=30, seed=5)
        assert job["status"] == "running"
        assert job["scenario"] == "baseline-2024"
        done = wait_for(client, job["id"])
        assert done["status"] == "succeeded", done["error"]
        assert done["progress"] == 1.0
        assert done["result"]["days"] == 30
        assert done["result"]["seed"] == 5
        assert done["result"]["bottlenecks"] == ["alat:port"]
        listed = client.get("/api/v1/simulations").json()["simulations"]
        assert [j["id"] for j in listed] == [job["id"]]
        assert "result" not in listed[0]
        only_failed = client.get("/api/v1/simulations", params={"status": "failed"}).json()
        assert only_failed == {"simulations": []}


def test_days_default_to_the_scenario(client: TestClient, key: dict[str, str]) -> None:
    job = start(client, key)
    assert job["days"] == 365
    wait_for(client, job["id"])


def test_killed_worker_ends_failed(
    client: TestClient, key: dict[str, str], store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CORRIDOR_FAKE_SIM", "slow")
    job = start(client, key, days=10)
    running = wait_for(client, job["id"], until=("running",))
    deadline = time.monotonic() + 30
    while client.get(f"/api/v1/simulations/{job['id']}").json()["progress"] == 0:
        assert time.monotonic() < deadline
        time.sleep(0.1)
    record = store.get_job(running["id"])
    assert record is not None
    assert record.worker_pid
    os.kill(record.worker_pid, signal.SIGKILL)
    done = wait_for(client, job["id"])
    assert done["status"] == "failed"
    assert "killed by signal SIGKILL" in done["error"]
    assert done["result"] is None


def test_crashing_worker_ends_failed(
    client: TestClient, key: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CORRIDOR_FAKE_SIM", "crash")
    done = wait_for(client, start(client, key, days=5)["id"])
    assert done["status"] == "failed"
    assert "exit code 3" in done["error"]


def test_simulation_error_ends_failed_with_its_message(
    client: TestClient, key: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CORRIDOR_FAKE_SIM", "error")
    done = wait_for(client, start(client, key, days=5)["id"])
    assert done["status"] == "failed"
    assert done["error"] == "ScenarioError: flow 1: unknown place 'Atlantis'"


def test_result_that_is_not_json_ends_failed(
    client: TestClient, key: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CORRIDOR_FAKE_SIM", "nan")
    done = wait_for(client, start(client, key, days=5)["id"])
    assert done["status"] == "failed"
    assert "not JSON" in done["error"]


def test_cancel_and_concurrency_limit(
    client: TestClient, key: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CORRIDOR_FAKE_SIM", "slow")
    first = start(client, key, days=10)
    second = start(client, key, days=10)
    resp = client.post("/api/v1/simulations", json={"scenario": "baseline-2024"}, headers=key)
    doc = assert_problem(resp, 429)
    assert "already running" in str(doc["detail"])
    assert resp.headers["retry-after"] == "10"
    assert_problem(client.delete(f"/api/v1/simulations/{first['id']}"), 401)
    for job in (first, second):
        resp = client.delete(f"/api/v1/simulations/{job['id']}", headers=key)
        assert resp.status_code == 200, resp.text
        assert resp.json()["status"] == "failed"
        assert resp.json()["error"] == "cancelled on request"
    assert_problem(client.delete(f"/api/v1/simulations/{first['id']}", headers=key), 409)
    assert_problem(client.delete("/api/v1/simulations/nope", headers=key), 404)


def test_timeout_ends_failed(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORRIDOR_FAKE_SIM", "slow")
    with TestClient(create_app(make_settings(sqlite_url, job_timeout_s=1.5))) as client:
        store: Store = client.app.state.services.store  # type: ignore[attr-defined]
        headers = {"X-API-Key": store.create_api_key("t").key}
        done = wait_for(client, start(client, headers, days=5)["id"])
    assert done["status"] == "failed"
    assert "timed out after 1.5 s" in done["error"]


def test_restart_fails_unfinished_jobs(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A server that dies leaves its job 'running'; the next server marks it failed."""
    dead = Store(sqlite_url)
    job = dead.create_job(scenario_id="s", scenario_name="s", scenario={}, days=1, seed=1)
    dead.start_job(job.id, worker_pid=999_999)
    dead.close()
    with TestClient(create_app(make_settings(sqlite_url))) as client:
        doc = client.get(f"/api/v1/simulations/{job.id}").json()
    assert doc["status"] == "failed"
    assert "stopped" in doc["error"]


def test_shutdown_fails_running_jobs(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORRIDOR_FAKE_SIM", "slow")
    app = create_app(make_settings(sqlite_url))
    with TestClient(app) as client:
        store: Store = app.state.services.store
        job = start(client, {"X-API-Key": store.create_api_key("t").key}, days=5)
    again = Store(sqlite_url)
    record = again.get_job(job["id"])
    again.close()
    assert record is not None
    assert record.status.value == "failed"
    assert record.error == "the server shut down while the job was running"


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"scenario": "nope"}, 422),
        ({"scenario": "baseline-2024", "days": 401}, 422),
        ({"scenario": "baseline-2024", "days": 0}, 422),
        ({"scenario": "baseline-2024", "seed": -1}, 422),
        ({"scenario": ""}, 422),
        ({}, 422),
        ({"scenario": "baseline-2024", "days": "many"}, 422),
    ],
)
def test_bad_simulation_requests(
    client: TestClient, key: dict[str, str], body: dict[str, object], status: int
) -> None:
    assert_problem(client.post("/api/v1/simulations", json=body, headers=key), status)


def test_unknown_job_is_404(client: TestClient) -> None:
    assert_problem(client.get("/api/v1/simulations/does-not-exist"), 404)


@pytest.mark.slow
def test_real_engine_short_run(sqlite_url: str) -> None:
    """The default simulator drives corridor.simulation in the worker process."""
    # The first run in a fresh checkout compiles the numba kernel: allow for a slow machine.
    app = create_app(
        make_settings(
            sqlite_url, simulator="corridor.api.simulator:run_scenario", job_timeout_s=300.0
        )
    )
    with TestClient(app) as client:
        store: Store = app.state.services.store
        key = {"X-API-Key": store.create_api_key("t").key}
        saved = client.post(
            "/api/v1/scenarios",
            json={
                "name": "surge",
                "scenario": {"name": "surge", "base": "baseline-2024", "demand": {"scale": 3}},
            },
            headers=key,
        ).json()
        job = start(client, key, scenario=saved["id"], days=20)
        done = wait_for(client, job["id"], timeout_s=300.0)
    assert done["status"] == "succeeded", done["error"]
    result = done["result"]
    assert result["days"] == 20
    assert result["arrived_teu"] == result["delivered_teu"] + result["in_system_teu"]
    assert result["resources"]
    assert set(result["series"]) == {"days", "in_system_teu", "queue_teu", "names"}


@pytest.mark.slow
def test_real_engine_equilibrium_job(sqlite_url: str) -> None:
    """``equilibrium: true`` runs simulate --equilibrium in the worker: the result says how."""
    app = create_app(
        make_settings(
            sqlite_url, simulator="corridor.api.simulator:run_scenario", job_timeout_s=600.0
        )
    )
    with TestClient(app) as client:
        store: Store = app.state.services.store
        key = {"X-API-Key": store.create_api_key("t").key}
        job = start(client, key, scenario="surge-2022", days=120, equilibrium=True)
        done = wait_for(client, job["id"], timeout_s=600.0)
    assert done["status"] == "succeeded", done["error"]
    eq = done["result"]["equilibrium"]
    assert {"iterations", "gap", "converged", "shares", "diverted_teu"} <= set(eq)
    assert sum(eq["shares"].values()) == pytest.approx(1.0, abs=1e-3)
    assert "exists" in done["result"]["steady_state"]


def test_equilibrium_needs_a_simulator_that_takes_it(
    client: TestClient, key: dict[str, str]
) -> None:
    job = start(client, key, equilibrium=True)
    done = wait_for(client, job["id"])
    assert done["status"] == "failed"
    assert "does not take equilibrium" in done["error"]
