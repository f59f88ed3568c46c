"""The store: one object owning the database engine, with typed methods for each use."""

from __future__ import annotations

import hmac
import os
import shutil
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, func, or_, select, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from corridor.store.keys import hash_key, new_key, split_key
from corridor.store.models import ApiKeyRow, JobResultRow, JobRow, ScenarioRow
from corridor.store.records import (
    ApiKeyRecord,
    JobRecord,
    JobStatus,
    NewApiKey,
    ScenarioRecord,
)

__all__ = ["MIN_FREE_BYTES", "Store", "default_database_url", "normalize_url"]

MIN_FREE_BYTES = 64 * 2**20
"""Free disk space under which a SQLite store counts as not writable (a shipment event with its
forecast is a few kB; WAL checkpoints need room for the pages they copy)."""

_ACTIVE = (JobStatus.QUEUED.value, JobStatus.RUNNING.value)
_MAX_ID = 2**63 - 1  # the largest id either database can hold
_KEY_DRAWS = 8


def default_database_url(data_dir: Path | None = None) -> str:
    """The SQLite file used when no URL is configured.

    ``data_dir`` defaults to ``$XDG_DATA_HOME/corridor`` (``~/.local/share/corridor``).
    """
    if data_dir is None:
        base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
        data_dir = Path(base) / "corridor"
    return f"sqlite:///{data_dir / 'corridor.db'}"


def normalize_url(url: str) -> str:
    """Pick the installed PostgreSQL driver (psycopg 3) for plain ``postgresql://`` URLs.

    Examples
    --------
    >>> normalize_url("postgres://u@h/db")
    'postgresql+psycopg://u@h/db'
    >>> normalize_url("sqlite:///x.db")
    'sqlite:///x.db'
    """
    for scheme in ("postgresql://", "postgres://"):
        if url.startswith(scheme):
            return "postgresql+psycopg://" + url[len(scheme) :]
    return url


def _now() -> datetime:
    return datetime.now(UTC)


def _utc(value: datetime | None) -> datetime | None:
    """SQLite gives naive datetimes back: they were stored in UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def _key_record(row: ApiKeyRow) -> ApiKeyRecord:
    return ApiKeyRecord(
        id=row.id,
        name=row.name,
        prefix=row.prefix,
        created_at=_utc(row.created_at) or row.created_at,
        revoked_at=_utc(row.revoked_at),
        admin=bool(row.admin),
    )


def _scenario_record(row: ScenarioRow) -> ScenarioRecord:
    return ScenarioRecord(
        id=row.id,
        name=row.name,
        description=row.description,
        body=dict(row.body),
        created_at=_utc(row.created_at) or row.created_at,
        created_by=row.created_by,
    )


def _job_record(row: JobRow, result: Mapping[str, Any] | None = None) -> JobRecord:
    return JobRecord(
        id=row.id,
        scenario_id=row.scenario_id,
        scenario_name=row.scenario_name,
        scenario=dict(row.scenario),
        days=row.days,
        seed=row.seed,
        status=JobStatus(row.status),
        progress=row.progress,
        created_at=_utc(row.created_at) or row.created_at,
        started_at=_utc(row.started_at),
        finished_at=_utc(row.finished_at),
        error=row.error,
        worker_pid=row.worker_pid,
        created_by=row.created_by,
        owner=row.owner,
        owner_host=row.owner_host,
        lease_until=_utc(row.lease_until),
        worker_started=row.worker_started,
        result=dict(result) if result is not None else None,
    )


class Store:
    """Saved scenarios, simulation jobs and results, API keys — in SQLite or PostgreSQL.

    Parameters
    ----------
    url
        SQLAlchemy URL: ``sqlite:///path/to/file.db`` (the folder is created) or
        ``postgresql://user@host:port/db``.
    migrate
        Bring the schema to the latest migration on opening (default).

    Examples
    --------
    >>> store = Store("sqlite://")
    >>> store.add_scenario(name="demo", body={"base": "baseline-2024"}).name
    'demo'
    >>> store.close()
    """

    def __init__(self, url: str, *, migrate: bool = True) -> None:
        self.url = normalize_url(url)
        self.engine = _make_engine(self.url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        if migrate:
            self.migrate()

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    def migrate(self) -> None:
        """Apply the Alembic migrations shipped with the package (idempotent)."""
        cfg = Config()
        cfg.set_main_option("script_location", "corridor.store:migrations")
        with self.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")

    def close(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()

    @contextmanager
    def _session(self) -> Iterator[Session]:
        with self._sessions.begin() as session:
            yield session

    def ping(self) -> bool:
        """True when the database answers."""
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except Exception:
            return False
        return True

    def write_problem(self) -> str | None:
        """Why the store cannot take writes now, or None when it can.

        SQLite: the file (or its folder) must be writable and the disk hold at least
        :data:`MIN_FREE_BYTES`; PostgreSQL: the server must not be read-only (a standby, or
        ``default_transaction_read_only``). Nothing is written: a health probe polled every few
        seconds should not wear the disk or the journal.

        Raises
        ------
        sqlalchemy.exc.OperationalError
            When the database cannot be reached.
        """
        parsed = make_url(self.url)
        if parsed.get_backend_name() != "sqlite":
            with self.engine.connect() as conn:
                row = conn.execute(
                    text("SELECT pg_is_in_recovery(), current_setting('transaction_read_only')")
                ).one()
            if row[0] or row[1] == "on":
                return "the PostgreSQL server is read-only (a standby or read-only transactions)"
            return None
        database = parsed.database
        if not database or database == ":memory:" or database.startswith("file:"):
            return None
        path = Path(database).expanduser()
        target = path if path.exists() else path.parent
        if not os.access(target, os.W_OK):
            return f"the store {path} is not writable"
        free = shutil.disk_usage(path.parent).free
        if free < MIN_FREE_BYTES:
            return (
                f"the disk holding the store has {free / 2**20:.0f} MB free "
                f"(at least {MIN_FREE_BYTES / 2**20:.0f} MB needed)"
            )
        return None

    # --- API keys -----------------------------------------------------------------------------

    def create_api_key(self, name: str, *, admin: bool = False) -> NewApiKey:
        """Create a key; the returned ``key`` is the only time the secret is seen.

        The lookup prefix is random (32 bits); when it collides with an existing key's, a new
        key is drawn. An ``admin`` key may cancel any job, not only those it started.
        """
        for _ in range(_KEY_DRAWS):
            key, prefix = new_key()
            row = ApiKeyRow(
                name=name,
                prefix=prefix,
                key_sha256=hash_key(key),
                created_at=_now(),
                admin=admin,
            )
            try:
                with self._session() as s:
                    s.add(row)
                    s.flush()
                    record = _key_record(row)
            except IntegrityError:
                continue  # the prefix is taken: draw again
            return NewApiKey(record=record, key=key)
        raise RuntimeError(f"no free key prefix after {_KEY_DRAWS} draws")

    def verify_api_key(self, key: str) -> ApiKeyRecord | None:
        """The key's record if ``key`` is a valid, unrevoked key; otherwise None."""
        prefix = split_key(key)
        if prefix is None:
            return None
        with self._session() as s:
            row = s.scalar(select(ApiKeyRow).where(ApiKeyRow.prefix == prefix))
            if row is None or row.revoked_at is not None:
                return None
            if not hmac.compare_digest(row.key_sha256, hash_key(key)):
                return None
            return _key_record(row)

    def list_api_keys(self) -> list[ApiKeyRecord]:
        """Every key, oldest first (hashes are not exposed)."""
        with self._session() as s:
            return [_key_record(r) for r in s.scalars(select(ApiKeyRow).order_by(ApiKeyRow.id))]

    def revoke_api_key(self, key_id: int) -> bool:
        """Revoke a key; False if there is no such key."""
        if not 0 < key_id <= _MAX_ID:
            return False
        with self._session() as s:
            row = s.get(ApiKeyRow, key_id)
            if row is None:
                return False
            if row.revoked_at is None:
                row.revoked_at = _now()
            return True

    # --- scenarios ----------------------------------------------------------------------------

    def add_scenario(
        self,
        *,
        name: str,
        body: Mapping[str, Any],
        description: str = "",
        created_by: int | None = None,
    ) -> ScenarioRecord:
        """Save a (validated) scenario document under a new id."""
        row = ScenarioRow(
            id=str(uuid.uuid4()),
            name=name,
            description=description,
            body=dict(body),
            created_at=_now(),
            created_by=created_by,
        )
        with self._session() as s:
            s.add(row)
            s.flush()
            return _scenario_record(row)

    def get_scenario(self, scenario_id: str) -> ScenarioRecord | None:
        """A saved scenario, or None."""
        with self._session() as s:
            row = s.get(ScenarioRow, scenario_id)
            return _scenario_record(row) if row is not None else None

    def list_scenarios(self, *, limit: int = 100, offset: int = 0) -> list[ScenarioRecord]:
        """Saved scenarios, newest first."""
        query = (
            select(ScenarioRow)
            .order_by(ScenarioRow.created_at.desc(), ScenarioRow.id)
            .limit(limit)
            .offset(offset)
        )
        with self._session() as s:
            return [_scenario_record(r) for r in s.scalars(query)]

    # --- jobs ---------------------------------------------------------------------------------

    def create_job(
        self,
        *,
        scenario_id: str,
        scenario_name: str,
        scenario: Mapping[str, Any],
        days: int,
        seed: int,
        created_by: int | None = None,
        owner: str | None = None,
        owner_host: str | None = None,
        lease_s: float | None = None,
    ) -> JobRecord:
        """Record a new job in state ``queued``, owned by server ``owner`` for ``lease_s``."""
        row = JobRow(
            id=str(uuid.uuid4()),
            scenario_id=scenario_id,
            scenario_name=scenario_name,
            scenario=dict(scenario),
            days=days,
            seed=seed,
            status=JobStatus.QUEUED.value,
            progress=0.0,
            created_at=_now(),
            created_by=created_by,
            owner=owner,
            owner_host=owner_host,
            lease_until=_now() + timedelta(seconds=lease_s) if lease_s is not None else None,
        )
        with self._session() as s:
            s.add(row)
            s.flush()
            return _job_record(row)

    def start_job(self, job_id: str, *, worker_pid: int, worker_started: int | None = None) -> None:
        """Mark a queued job ``running`` in the given worker process.

        ``worker_started`` tells that process apart from a later one with the same pid (its
        start time in clock ticks since boot, Linux).
        """
        with self._session() as s:
            s.execute(
                update(JobRow)
                .where(JobRow.id == job_id, JobRow.status == JobStatus.QUEUED.value)
                .values(
                    status=JobStatus.RUNNING.value,
                    worker_pid=worker_pid,
                    worker_started=worker_started,
                    started_at=_now(),
                )
            )

    def renew_leases(self, owner: str, lease_s: float) -> int:
        """Extend the lease of every unfinished job of server ``owner``; returns how many."""
        with self._session() as s:
            done = s.execute(
                update(JobRow)
                .where(JobRow.owner == owner, JobRow.status.in_(_ACTIVE))
                .values(lease_until=_now() + timedelta(seconds=lease_s))
            )
            return int(done.rowcount)  # type: ignore[attr-defined]

    def unfinished_jobs(self) -> list[JobRecord]:
        """Every queued or running job (without results), oldest first."""
        query = select(JobRow).where(JobRow.status.in_(_ACTIVE)).order_by(JobRow.created_at)
        with self._session() as s:
            return [_job_record(r) for r in s.scalars(query)]

    def set_progress(self, job_id: str, progress: float) -> None:
        """Record progress (0 to 1) of a running job."""
        with self._session() as s:
            s.execute(
                update(JobRow)
                .where(JobRow.id == job_id, JobRow.status == JobStatus.RUNNING.value)
                .values(progress=min(max(float(progress), 0.0), 1.0))
            )

    def finish_job(self, job_id: str, result: Mapping[str, Any]) -> bool:
        """Store the result and mark the job ``succeeded`` (False if it had already ended)."""
        with self._session() as s:
            done = s.execute(
                update(JobRow)
                .where(JobRow.id == job_id, JobRow.status.in_(_ACTIVE))
                .values(status=JobStatus.SUCCEEDED.value, progress=1.0, finished_at=_now())
            )
            if done.rowcount == 0:  # type: ignore[attr-defined]
                return False
            s.add(JobResultRow(job_id=job_id, result=dict(result)))
            return True

    def fail_job(
        self,
        job_id: str,
        reason: str,
        *,
        owner: str | None = None,
        lease_expired: bool = False,
    ) -> bool:
        """Mark an unfinished job ``failed`` with the reason (False if it had already ended).

        With ``owner``, only while the job still belongs to that server; with
        ``lease_expired``, only while its lease has run out (not renewed meanwhile).
        """
        conditions = [JobRow.id == job_id, JobRow.status.in_(_ACTIVE)]
        if owner is not None:
            conditions.append(JobRow.owner == owner)
        if lease_expired:
            conditions.append(or_(JobRow.lease_until.is_(None), JobRow.lease_until < _now()))
        with self._session() as s:
            done = s.execute(
                update(JobRow)
                .where(*conditions)
                .values(status=JobStatus.FAILED.value, error=reason[:4000], finished_at=_now())
            )
            return bool(done.rowcount)  # type: ignore[attr-defined]

    def fail_unfinished_jobs(self, reason: str) -> int:
        """Mark every queued or running job ``failed`` (after a restart); returns how many."""
        with self._session() as s:
            done = s.execute(
                update(JobRow)
                .where(JobRow.status.in_(_ACTIVE))
                .values(status=JobStatus.FAILED.value, error=reason, finished_at=_now())
            )
            return int(done.rowcount)  # type: ignore[attr-defined]

    def get_job(self, job_id: str, *, with_result: bool = True) -> JobRecord | None:
        """A job (with its result document when succeeded), or None."""
        with self._session() as s:
            row = s.get(JobRow, job_id)
            if row is None:
                return None
            result = None
            if with_result and row.status == JobStatus.SUCCEEDED.value:
                res = s.get(JobResultRow, job_id)
                result = res.result if res is not None else None
            return _job_record(row, result)

    def list_jobs(
        self, *, limit: int = 100, offset: int = 0, status: JobStatus | None = None
    ) -> list[JobRecord]:
        """Jobs without their results, newest first."""
        query = select(JobRow).order_by(JobRow.created_at.desc(), JobRow.id)
        if status is not None:
            query = query.where(JobRow.status == status.value)
        with self._session() as s:
            return [_job_record(r) for r in s.scalars(query.limit(limit).offset(offset))]

    def count_active_jobs(self) -> int:
        """How many jobs are queued or running."""
        with self._session() as s:
            return int(
                s.scalar(select(func.count()).select_from(JobRow).where(JobRow.status.in_(_ACTIVE)))
                or 0
            )


def _make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        # A database that went away must fail a request quickly (503), not hang it.
        return create_engine(
            url, pool_pre_ping=True, pool_timeout=10, connect_args={"connect_timeout": 5}
        )
    database = parsed.database
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        cur = dbapi_connection.cursor()
        if database and database != ":memory:":
            cur.execute("PRAGMA journal_mode=WAL")
        # FULL: a commit is on disk before it is acknowledged (survives kill -9 and power loss).
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    return engine
