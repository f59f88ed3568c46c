"""The store on SQLite and PostgreSQL: keys, scenarios, jobs, migrations, durability."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import inspect

from corridor.store import JobStatus, Store, hash_key, normalize_url


def test_migrations_create_the_tables_and_are_idempotent(store: Store) -> None:
    store.migrate()
    tables = set(inspect(store.engine).get_table_names())
    assert {"api_keys", "scenarios", "jobs", "job_results", "alembic_version"} <= tables
    assert store.ping()


def test_api_keys_are_stored_hashed_and_verified(store: Store) -> None:
    created = store.create_api_key("ci")
    assert created.key.startswith(f"cor_{created.record.prefix}_")
    with store.engine.connect() as conn:
        stored = conn.exec_driver_sql("SELECT key_sha256 FROM api_keys").scalar_one()
    assert stored == hash_key(created.key)
    assert created.key not in stored
    assert store.verify_api_key(created.key) == created.record
    assert store.verify_api_key(created.key + "x") is None
    assert store.verify_api_key("garbage") is None
    assert store.verify_api_key(f"cor_{created.record.prefix}_") is None
    assert store.revoke_api_key(created.record.id)
    assert store.verify_api_key(created.key) is None
    assert not store.revoke_api_key(9999)
    assert [k.name for k in store.list_api_keys()] == ["ci"]


def test_scenarios_round_trip(store: Store) -> None:
    body = {"base": "baseline-2024", "demand": {"scale": 2.5}, "note": "ünïcode ✓"}
    a = store.add_scenario(name="double", body=body, description="twice the demand")
    b = store.add_scenario(name="other", body={"base": "network"})
    assert store.get_scenario(a.id) == a
    assert a.body == body
    assert a.created_at.tzinfo is not None
    assert store.get_scenario("missing") is None
    assert [s.id for s in store.list_scenarios()] == [b.id, a.id]
    assert [s.id for s in store.list_scenarios(limit=1, offset=1)] == [a.id]


def test_job_life_cycle(store: Store) -> None:
    job = store.create_job(
        scenario_id="baseline-2024", scenario_name="baseline-2024", scenario={}, days=30, seed=7
    )
    assert job.status is JobStatus.QUEUED
    assert store.count_active_jobs() == 1
    store.start_job(job.id, worker_pid=4242)
    store.set_progress(job.id, 0.25)
    running = store.get_job(job.id)
    assert running is not None
    assert running.status is JobStatus.RUNNING
    assert running.progress == 0.25
    assert running.worker_pid == 4242
    assert store.finish_job(job.id, {"arrived_teu": 12.0})
    done = store.get_job(job.id)
    assert done is not None
    assert done.status is JobStatus.SUCCEEDED
    assert done.result == {"arrived_teu": 12.0}
    assert done.progress == 1.0
    assert not store.fail_job(job.id, "too late")
    assert not store.finish_job(job.id, {})
    assert store.count_active_jobs() == 0
    listed = store.list_jobs()
    assert [j.id for j in listed] == [job.id]
    assert listed[0].result is None
    assert store.list_jobs(status=JobStatus.FAILED) == []


def test_unfinished_jobs_fail_after_a_restart(store: Store) -> None:
    ids = []
    for _ in range(2):
        job = store.create_job(scenario_id="s", scenario_name="s", scenario={}, days=1, seed=1)
        ids.append(job.id)
    store.start_job(ids[0], worker_pid=1)
    assert store.fail_unfinished_jobs("the server restarted") == 2
    for job_id in ids:
        job = store.get_job(job_id)
        assert job is not None
        assert job.status is JobStatus.FAILED
        assert job.error == "the server restarted"
        assert job.finished_at is not None


def test_a_second_store_on_the_same_database_sees_the_data(database_url: str) -> None:
    first = Store(database_url)
    saved = first.add_scenario(name="kept", body={"year": 2030})
    first.close()
    second = Store(database_url)
    assert second.get_scenario(saved.id) == saved
    second.close()


def test_sqlite_uses_wal(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'sub' / 'c.db'}")
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar_one() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar_one() == 2  # FULL
    store.close()


def test_acknowledged_write_survives_kill_9(tmp_path: Path) -> None:
    """A process writes, reports the write, and is killed -9 at once: the row is there."""
    url = f"sqlite:///{tmp_path / 'k.db'}"
    script = textwrap.dedent(
        f"""
        import os, signal, sys
        from corridor.store import Store
        s = Store({url!r})
        rec = s.add_scenario(name="survivor", body={{"k": 1}})
        sys.stdout.write(rec.id + "\\n"); sys.stdout.flush()
        os.kill(os.getpid(), signal.SIGKILL)
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert proc.returncode == -9
    scenario_id = proc.stdout.strip()
    store = Store(url)
    found = store.get_scenario(scenario_id)
    store.close()
    assert found is not None
    assert found.name == "survivor"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgresql://u:p@h:5432/db", "postgresql+psycopg://u:p@h:5432/db"),
        ("postgresql+psycopg://h/db", "postgresql+psycopg://h/db"),
        ("sqlite:///a.db", "sqlite:///a.db"),
    ],
)
def test_normalize_url(given: str, expected: str) -> None:
    assert normalize_url(given) == expected


def test_key_prefix_collision_draws_again(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two keys drawn with the same 32-bit prefix: the second is drawn again, not an error."""
    import corridor.store.store as store_module

    first = store.create_api_key("first")
    draws = iter(
        [
            (f"cor_{first.record.prefix}_collides", first.record.prefix),
            ("cor_0badcafe_fresh", "0badcafe"),
        ]
    )
    monkeypatch.setattr(store_module, "new_key", lambda: next(draws))
    second = store.create_api_key("second", admin=True)
    assert second.record.prefix == "0badcafe"
    assert second.record.admin
    assert not first.record.admin
    assert store.verify_api_key(second.key) == second.record


def test_revoking_an_id_beyond_any_row_is_no_error(store: Store) -> None:
    assert not store.revoke_api_key(10**30)
    assert not store.revoke_api_key(-1)


def test_leases_are_renewed_only_for_the_owner(store: Store) -> None:
    mine = store.create_job(
        scenario_id="s", scenario_name="s", scenario={}, days=1, seed=1, owner="a", lease_s=0.0
    )
    theirs = store.create_job(
        scenario_id="s", scenario_name="s", scenario={}, days=1, seed=1, owner="b", lease_s=0.0
    )
    assert store.renew_leases("a", 60.0) == 1
    renewed = store.get_job(mine.id)
    assert renewed is not None and renewed.lease_until is not None
    assert renewed.lease_until > mine.created_at
    # A lease still running protects the job; an expired one does not.
    assert not store.fail_job(mine.id, "gone", owner="a", lease_expired=True)
    assert not store.fail_job(theirs.id, "gone", owner="a")
    assert store.fail_job(theirs.id, "gone", owner="b", lease_expired=True)
    assert [j.id for j in store.unfinished_jobs()] == [mine.id]


def test_a_working_store_is_writable(store: Store) -> None:
    """On SQLite and PostgreSQL alike, a store that takes writes says so (``/health`` relies on
    it); the full-disk case is in ``tests/api/test_health_store.py``."""
    assert store.write_problem() is None
