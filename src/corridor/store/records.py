"""Plain, immutable records the store hands out (never live ORM objects)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

__all__ = ["ApiKeyRecord", "JobRecord", "JobStatus", "NewApiKey", "ScenarioRecord"]


class JobStatus(StrEnum):
    """Life cycle of a simulation job: queued → running → succeeded | failed."""

    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"

    @property
    def finished(self) -> bool:
        """True for the two final states."""
        return self in (JobStatus.SUCCEEDED, JobStatus.FAILED)


@dataclass(frozen=True, slots=True, kw_only=True)
class ApiKeyRecord:
    """A stored API key (its hash only; the key itself is shown once, at creation)."""

    id: int
    name: str
    prefix: str
    created_at: datetime
    revoked_at: datetime | None = None
    admin: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class NewApiKey:
    """A key just created: ``key`` is the secret to hand to the client, never stored."""

    record: ApiKeyRecord
    key: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ScenarioRecord:
    """A saved scenario: the validated scenario document and who saved it when."""

    id: str
    name: str
    description: str
    body: dict[str, Any]
    created_at: datetime
    created_by: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class JobRecord:
    """A simulation job; ``result`` is the ``corridor simulate --json`` document once succeeded."""

    id: str
    scenario_id: str
    scenario_name: str
    scenario: dict[str, Any]
    days: int
    seed: int
    status: JobStatus
    progress: float
    created_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None
    error: str | None = None
    worker_pid: int | None = None
    created_by: int | None = None
    owner: str | None = None
    owner_host: str | None = None
    lease_until: datetime | None = None
    worker_started: int | None = None
    result: dict[str, Any] | None = None
