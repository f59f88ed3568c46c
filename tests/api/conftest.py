"""API fixtures: an app on a fresh store (SQLite, or PostgreSQL where asked), a client, a key."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from corridor.api import Settings, create_app
from corridor.store import Store
from tests.store.pg import fresh_database, postgres_server

with warnings.catch_warnings():
    # starlette.testclient warns that it would rather use httpx2; the httpx client works.
    warnings.filterwarnings(
        "ignore", message=r"Using `httpx` with `starlette.testclient` is deprecated"
    )
    from fastapi.testclient import TestClient

__all__ = ["FAKE_SIM", "TestClient", "make_settings", "postgres_server"]

FAKE_SIM = "tests.api.fake_sim:simulate"


def make_settings(database_url: str, **overrides: object) -> Settings:
    """Settings for tests: the given database, small limits, the fake simulator."""
    values: dict[str, object] = {
        "database_url": database_url,
        "max_samples": 20_000,
        "max_simulation_days": 400,
        "simulator": FAKE_SIM,
        "job_timeout_s": 60.0,
        "compute_workers": 0,  # the server's threads: no process pool to start per test app
    }
    values.update(overrides)
    return Settings.model_validate(values)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A fresh SQLite file."""
    return f"sqlite:///{tmp_path / 'api.db'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh database of each backend in turn."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'api.db'}"
    return fresh_database(request.getfixturevalue("postgres_server"))


@pytest.fixture
def settings(sqlite_url: str) -> Settings:
    """Test settings on SQLite."""
    return make_settings(sqlite_url)


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    """A client of a started app (lifespan run)."""
    with TestClient(create_app(settings)) as c:
        yield c


@pytest.fixture
def store(client: TestClient) -> Store:
    """The store of the client's app."""
    s: Store = client.app.state.services.store  # type: ignore[attr-defined]
    return s


@pytest.fixture
def key(store: Store) -> dict[str, str]:
    """Headers carrying a valid API key."""
    return {"X-API-Key": store.create_api_key("tests").key}
