"""Jobs across server deaths, several servers on one store, database restarts, and who may cancel.

These tests start real ``uvicorn`` server processes (as ``corridor serve`` runs the app) and a
PostgreSQL cluster of their own that they stop and start again.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from corridor.api import create_app
from corridor.api.procs import is_alive, start_ticks
from corridor.store import Store
from tests.api.conftest import FAKE_SIM, TestClient, make_settings
from tests.api.test_read import assert_problem
from tests.api.test_simulations import start, wait_for
from tests.store.pg import fresh_database, new_cluster
from tests.waiting import wait_until

pytestmark = pytest.mark.slow  # server processes and a PostgreSQL restart: make test-all

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _call(
    port: int, path: str, *, method: str = "GET", body: Any = None, key: str | None = None
) -> tuple[int, Any]:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    if key:
        req.add_header("X-API-Key", key)
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"null")


class Server:
    """``uvicorn --factory corridor.api:app_from_env`` in a process of its own."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.port = _free_port()
        self.log = log.open("wb")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                *("-m", "uvicorn", "--factory", "corridor.api:app_from_env"),
                *("--host", "127.0.0.1", "--port", str(self.port), "--log-level", "warning"),
            ],
            env={**os.environ, **env, "PYTHONPATH": str(ROOT)},
            stdin=subprocess.DEVNULL,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if _call(self.port, "/health")[0] == 200:
                    return
            except OSError:
                if self.proc.poll() is not None:
                    break
            time.sleep(0.2)
        self.stop()
        raise AssertionError(f"the server did not start: {log.read_text()}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[tuple[list[Server], dict[str, str], str]]:
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    store = Store(url)
    key = store.create_api_key("t").key
    store.close()
    env = {
        "CORRIDOR_DATABASE_URL": url,
        "CORRIDOR_SIMULATOR": FAKE_SIM,
        "CORRIDOR_FAKE_SIM": "slow",
        "CORRIDOR_JOB_LEASE_S": "2",
    }
    started: list[Server] = []
    yield started, env, key
    for server in started:
        server.stop()


def test_two_servers_share_a_store_and_kill_9_leaves_no_worker(
    servers: tuple[list[Server], dict[str, str], str], tmp_path: Path
) -> None:
    started, env, key = servers
    first = Server(env, tmp_path / "first.log")
    started.append(first)
    status, job = _call(
        first.port,
        "/api/v1/simulations",
        method="POST",
        body={"scenario": "baseline-2024", "days": 5},
        key=key,
    )
    assert status == 202, job
    store = Store(env["CORRIDOR_DATABASE_URL"])
    try:
        record = store.get_job(job["id"])
        assert record is not None and record.worker_pid
        worker, ticks = record.worker_pid, record.worker_started
        assert ticks == start_ticks(worker)

        # A second server on the same store leaves the first one's job alone, lease after lease:
        # it checks the store at start-up and on every beat while the first renews the lease
        # three times (a whole lease of 2 s: long enough to expire had it not been renewed).
        second = Server(env, tmp_path / "second.log")
        started.append(second)
        leases: set[object] = set()

        def renewed_three_times() -> bool:
            now = store.get_job(job["id"], with_result=False)
            assert now is not None
            leases.add(now.lease_until)
            return len(leases) > 3

        wait_until(renewed_three_times, 60, "the first server renews its job's lease")
        assert _call(second.port, f"/api/v1/simulations/{job['id']}")[1]["status"] == "running"
        assert is_alive(worker, ticks)

        # kill -9 of the first server: its worker ends with it, the second fails the job.
        first.proc.kill()
        first.proc.wait()
        wait_until(lambda: not is_alive(worker, ticks), 5, "the orphaned worker ends")
        wait_until(
            lambda: _call(second.port, f"/api/v1/simulations/{job['id']}")[1]["status"] == "failed",
            10,
            "the second server fails the dead server's job",
        )
        doc = _call(second.port, f"/api/v1/simulations/{job['id']}")[1]
        assert "stopped" in doc["error"]
        # The job list and /health agree: nothing runs.
        assert _call(second.port, "/api/v1/simulations?status=running")[1] == {"simulations": []}
        assert _call(second.port, "/health")[1]["jobs_running"] == 0
    finally:
        store.close()


def test_a_starting_server_stops_orphans_of_its_store(sqlite_url: str) -> None:
    """A worker left running by a dead server on this machine is stopped at start-up."""
    dead_server = subprocess.Popen([sys.executable, "-c", "pass"])
    dead_ticks = start_ticks(dead_server.pid)
    dead_server.wait()
    orphan = subprocess.Popen(
        [sys.executable, "-c", "import time; time.sleep(120)"], start_new_session=True
    )
    try:
        store = Store(sqlite_url)
        from corridor.api.procs import host_name

        job = store.create_job(
            scenario_id="s",
            scenario_name="s",
            scenario={},
            days=1,
            seed=1,
            owner=f"{dead_server.pid}.{dead_ticks or 0}.deadbeef",
            owner_host=host_name(),
            lease_s=600.0,  # the lease still runs: the owner is known dead from this machine
        )
        store.start_job(job.id, worker_pid=orphan.pid, worker_started=start_ticks(orphan.pid))
        store.close()
        with TestClient(create_app(make_settings(sqlite_url))) as client:
            doc = client.get(f"/api/v1/simulations/{job.id}").json()
        assert doc["status"] == "failed"
        assert orphan.wait(timeout=10) == -signal.SIGKILL
    finally:
        if orphan.poll() is None:
            orphan.kill()
            orphan.wait()


def test_a_live_owner_on_another_host_keeps_its_job_until_the_lease_ends(sqlite_url: str) -> None:
    store = Store(sqlite_url)
    job = store.create_job(
        scenario_id="s",
        scenario_name="s",
        scenario={},
        days=1,
        seed=1,
        owner="1.1.elsewhere",
        owner_host="another-machine",
        lease_s=600.0,
    )
    store.close()
    with TestClient(create_app(make_settings(sqlite_url))) as client:
        assert client.get(f"/api/v1/simulations/{job.id}").json()["status"] == "queued"


def test_database_restart_leaves_no_job_running(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """PostgreSQL stops (immediate) while a job runs and comes back after the job ended."""
    cluster = new_cluster()
    try:
        url = fresh_database(cluster.url)
        monkeypatch.setenv("CORRIDOR_FAKE_SIM", "medium")
        app = create_app(make_settings(url, job_lease_s=2.0))
        with TestClient(app) as client:
            store: Store = app.state.services.store
            key = {"X-API-Key": store.create_api_key("t").key}
            job = start(client, key, days=5)
            cluster.stop()
            # During the outage reads answer 503 with Retry-After, not 500.
            resp = client.get(f"/api/v1/simulations/{job['id']}")
            assert_problem(resp, 503)
            assert int(resp.headers["retry-after"]) > 0
            assert client.get("/health").status_code == 503
            for _ in range(20):
                assert client.get("/api/v1/simulations").status_code == 503
            # The worker ends (about 4 s) while the database is down: its result waits.
            wait_until(
                lambda: any(
                    "could not record it succeeded" in r.getMessage() for r in caplog.records
                ),
                60,
                "the worker ends and its result waits for the database",
            )
            cluster.start()
            done = wait_for(client, job["id"])
            assert done["status"] == "succeeded", done["error"]
            assert client.get("/api/v1/simulations", params={"status": "running"}).json() == {
                "simulations": []
            }
            health = client.get("/health").json()
            assert health["status"] == "ok"
            assert health["jobs_running"] == 0
        # One log line per failure class, not one traceback per request.
        outage_lines = [r for r in caplog.records if "database unavailable" in r.getMessage()]
        assert 1 <= len(outage_lines) <= 3, [r.getMessage() for r in outage_lines]
        assert not any(r.exc_info for r in caplog.records if r.name.startswith("corridor"))
    finally:
        cluster.remove()


def test_only_the_creating_key_or_an_admin_cancels(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CORRIDOR_FAKE_SIM", "slow")
    app = create_app(make_settings(sqlite_url))
    with TestClient(app) as client:
        store: Store = app.state.services.store
        owner = {"X-API-Key": store.create_api_key("owner").key}
        other = {"X-API-Key": store.create_api_key("other").key}
        admin = {"X-API-Key": store.create_api_key("admin", admin=True).key}
        first = start(client, owner, days=5)
        second = start(client, owner, days=5)
        doc = assert_problem(
            client.delete(f"/api/v1/simulations/{first['id']}", headers=other), 403
        )
        assert "admin" in str(doc["detail"])
        assert client.get(f"/api/v1/simulations/{first['id']}").json()["status"] == "running"
        resp = client.delete(f"/api/v1/simulations/{first['id']}", headers=owner)
        assert resp.status_code == 200, resp.text
        resp = client.delete(f"/api/v1/simulations/{second['id']}", headers=admin)
        assert resp.status_code == 200, resp.text
        assert resp.json()["error"] == "cancelled on request"


def test_a_job_is_cancelled_through_another_server(
    servers: tuple[list[Server], dict[str, str], str], tmp_path: Path
) -> None:
    """DELETE on a server that does not run the job: recorded; the owner stops its worker."""
    started, env, key = servers
    first = Server(env, tmp_path / "first.log")
    started.append(first)
    second = Server(env, tmp_path / "second.log")
    started.append(second)
    status, job = _call(
        first.port,
        "/api/v1/simulations",
        method="POST",
        body={"scenario": "baseline-2024", "days": 5},
        key=key,
    )
    assert status == 202, job
    store = Store(env["CORRIDOR_DATABASE_URL"])
    try:
        record = store.get_job(job["id"])
        assert record is not None and record.worker_pid
        worker, ticks = record.worker_pid, record.worker_started
        status, doc = _call(
            second.port, f"/api/v1/simulations/{job['id']}", method="DELETE", key=key
        )
        assert status == 200, doc
        assert doc["status"] == "failed"
        assert doc["error"] == "cancelled on request"
        wait_until(lambda: not is_alive(worker, ticks), 10, "the owner stops the cancelled worker")
        assert _call(first.port, "/health")[1]["jobs_running_here"] == 0
        status, doc = _call(
            second.port, f"/api/v1/simulations/{job['id']}", method="DELETE", key=key
        )
        assert status == 409
    finally:
        store.close()
