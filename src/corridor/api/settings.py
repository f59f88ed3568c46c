"""Service settings, read from ``CORRIDOR_*`` environment variables (pydantic-settings)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from corridor.store import default_database_url

__all__ = ["Settings"]


class Settings(BaseSettings):
    """Everything the service can be told; each field is ``CORRIDOR_<NAME>`` in the environment.

    Lists (``cors_origins``, ``allowed_hosts``) are given as JSON, e.g.
    ``CORRIDOR_CORS_ORIGINS='["https://example.org"]'``.

    Examples
    --------
    >>> Settings(max_samples=5000).max_samples
    5000
    """

    model_config = SettingsConfigDict(env_prefix="CORRIDOR_", extra="ignore", frozen=True)

    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL; default a SQLite file under data_dir "
        "(postgresql://user@host/db for PostgreSQL).",
    )
    data_dir: Path | None = Field(
        default=None, description="Folder of the default SQLite file (~/.local/share/corridor)."
    )
    network: Path | None = Field(
        default=None, description="Folder with network files instead of the bundled network."
    )
    max_body_bytes: int = Field(default=256 * 1024, ge=1024, description="Largest request body.")
    max_samples: int = Field(
        default=100_000, ge=1, le=1_000_000, description="Most Monte-Carlo samples per request."
    )
    max_alternatives: int = Field(default=10, ge=1, le=10, description="Most routes per request.")
    max_simulation_days: int = Field(
        default=3 * 365, ge=1, le=36_500, description="Longest simulated period, days."
    )
    max_simulation_teu: float = Field(
        default=20_000_000.0,  # corridor.simulation.DEFAULT_MAX_TEU
        gt=0,
        description="Largest simulation accepted: expected TEU over its days (about 150 bytes "
        "of worker memory each); a larger one is refused at once (422).",
    )
    max_concurrent_jobs: int = Field(
        default=2, ge=1, le=64, description="Simulation jobs running at once (more: 429)."
    )
    job_timeout_s: float = Field(
        default=1800.0, gt=0, description="A job running longer is killed and marked failed."
    )
    job_lease_s: float = Field(
        default=30.0,
        ge=1.0,
        le=3600.0,
        description="A server renews the lease of its jobs every third of this; another server "
        "sharing the store fails a job only once its lease has run out.",
    )
    worker_memory_mb: int = Field(
        default=4096,
        ge=0,
        description="Address-space cap of each simulation worker process, MB (0: no cap).",
    )
    compute_workers: int | None = Field(
        default=None,
        ge=0,
        le=256,
        description="Processes computing routes and comparisons (default: one per core; 0: the "
        "server's threads).",
    )
    compute_queue: int = Field(
        default=8,
        ge=0,
        le=10_000,
        description="Computations admitted beyond the busy workers; more get 503 + Retry-After.",
    )
    route_cache_size: int = Field(
        default=1024,
        ge=0,
        description="Route choices each compute worker keeps (by origin, destination, month, "
        "year, avoid, via, service); 0: none.",
    )
    max_via: int = Field(default=8, ge=0, le=20, description="Most `via` places per request.")
    compare_cache_size: int = Field(
        default=512, ge=0, description="Compare results kept in memory (0: no cache)."
    )
    simulator: str = Field(
        default="corridor.api.simulator:run_scenario",
        description="'module:function' run by the worker process for each simulation job.",
    )
    cors_origins: list[str] = Field(
        default_factory=list, description="Origins allowed by CORS; empty: CORS closed."
    )
    allowed_hosts: list[str] = Field(
        default_factory=lambda: ["*"], description="Accepted Host headers ('*': any)."
    )
    local_writes: bool = Field(
        default=False,
        description="Let local clients write without an API key (`corridor serve` turns this on "
        "when it listens on 127.0.0.1 unless CORRIDOR_LOCAL_WRITES is set).",
    )
    local_writes_peer: Literal["same-user", "any-local"] = Field(
        default="same-user",
        description="Who is local: 'same-user', a loopback connection from a process of the user "
        "running the server or root (Linux; elsewhere nobody); 'any-local', every loopback "
        "connection (unsafe behind a reverse proxy on the same machine).",
    )
    header_timeout_s: float = Field(
        default=10.0,
        gt=0,
        le=300,
        description="`corridor serve`: a request head must arrive within this many seconds.",
    )
    keep_alive_s: int = Field(
        default=5, ge=1, le=300, description="`corridor serve`: idle keep-alive timeout, seconds."
    )
    max_connections: int = Field(
        default=1000,
        ge=1,
        le=100_000,
        description="`corridor serve`: open connections at once (more are closed, requests "
        "beyond answer 503); keep it well under the open-file limit (`ulimit -n`).",
    )
    docs: bool = Field(default=True, description="Serve OpenAPI at /openapi.json and /docs.")

    def store_url(self) -> str:
        """``database_url``, or the default SQLite file under ``data_dir``."""
        return self.database_url or default_database_url(self.data_dir)
