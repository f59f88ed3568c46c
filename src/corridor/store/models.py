"""The tables (SQLAlchemy 2 declarative mapping); the migrations create them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = ["ApiKeyRow", "Base", "JobResultRow", "JobRow", "ScenarioRow"]


class Base(DeclarativeBase):
    """Declarative base of the store's tables."""

    type_annotation_map = {  # noqa: RUF012  (SQLAlchemy reads this class attribute)
        dict[str, Any]: JSON,
        datetime: DateTime(timezone=True),
    }


class ApiKeyRow(Base):
    """An API key: lookup prefix in clear, the key itself as a SHA-256 digest."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(16), unique=True, index=True)
    key_sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    admin: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class ScenarioRow(Base):
    """A saved scenario document."""

    __tablename__ = "scenarios"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(100), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[dict[str, Any]]
    created_at: Mapped[datetime] = mapped_column(index=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("api_keys.id"))


class JobRow(Base):
    """A simulation job and its state."""

    __tablename__ = "jobs"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    scenario_id: Mapped[str] = mapped_column(String(100))
    scenario_name: Mapped[str] = mapped_column(String(100))
    scenario: Mapped[dict[str, Any]]
    days: Mapped[int] = mapped_column(Integer)
    seed: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), index=True)
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    error: Mapped[str | None] = mapped_column(Text)
    worker_pid: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(index=True)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    created_by: Mapped[int | None] = mapped_column(ForeignKey("api_keys.id"))
    owner: Mapped[str | None] = mapped_column(String(64))
    owner_host: Mapped[str | None] = mapped_column(String(255))
    lease_until: Mapped[datetime | None]
    worker_started: Mapped[int | None] = mapped_column(BigInteger)


class JobResultRow(Base):
    """The result document of a succeeded job (kept apart so job lists stay small)."""

    __tablename__ = "job_results"

    job_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("jobs.id", ondelete="CASCADE"), primary_key=True
    )
    result: Mapped[dict[str, Any]]
