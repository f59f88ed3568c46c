"""Store fixtures: every store test runs on SQLite and on a real PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from corridor.store import Store
from tests.store.pg import BACKENDS, fresh_database, postgres_server

__all__ = ["postgres_server"]


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database of the parametrised backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'corridor.db'}"
    server: str = request.getfixturevalue("postgres_server")
    return fresh_database(server)


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    """A migrated store on a fresh database."""
    s = Store(database_url)
    yield s
    s.close()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run every test using ``database_url`` (or ``store``) once per backend."""
    if "database_url" in metafunc.fixturenames:
        metafunc.parametrize("database_url", BACKENDS, indirect=True)
