"""A throw-away PostgreSQL cluster for the tests (skipped only where PostgreSQL is not installed).

The cluster is created with Debian's ``initdb`` in a temporary folder, as the ``postgres`` user
when running as root, listens on 127.0.0.1 on a free port, and is removed at the end of the
session. ``CORRIDOR_TEST_POSTGRES_URL`` may name an existing server instead.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

__all__ = ["BACKENDS", "Cluster", "fresh_database", "new_cluster", "postgres_server"]

BACKENDS = ["sqlite", "postgresql"]


def _bin_dir() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_postgres(cmd: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return cmd
    runuser = shutil.which("runuser")
    if runuser:
        return [runuser, "-u", "postgres", "--", *cmd]
    return ["su", "postgres", "-s", "/bin/sh", "-c", " ".join(cmd)]


class Cluster:
    """A throw-away PostgreSQL cluster that a test may stop and start again."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="corridor-pg-"))
        self.data = self.root / "data"
        self.data.mkdir()
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
            shutil.chown(self.data, "postgres", "postgres")
        self.port = _free_port()
        subprocess.run(
            _as_postgres(
                [
                    str(bindir / "initdb"),
                    *("-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync"),
                ]
            ),
            check=True,
            capture_output=True,
        )

    @property
    def url(self) -> str:
        """The server's URL (without database)."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}"

    def _ctl(self, *args: str) -> None:
        # The server must not inherit our pipes, or run() waits for it to exit.
        subprocess.run(
            _as_postgres([str(self.bindir / "pg_ctl"), "-D", str(self.data), *args]),
            check=True,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=60,
        )

    def start(self) -> None:
        """Start the server (waits until it accepts connections)."""
        opts = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.root} -c fsync=off"
        self._ctl("-o", opts, "-l", str(self.root / "postgres.log"), "-w", "start")

    def stop(self) -> None:
        """Stop the server at once (``-m immediate``, as a crash would)."""
        self._ctl("-m", "immediate", "stop")

    def remove(self) -> None:
        """Stop the server if it runs and delete its files."""
        with contextlib.suppress(subprocess.CalledProcessError, subprocess.TimeoutExpired):
            self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


def new_cluster() -> Cluster:
    """A started cluster of its own (skips the test where PostgreSQL is not installed)."""
    bindir = _bin_dir()
    if bindir is None:
        pytest.skip("PostgreSQL is not installed (scripts/ci_services.sh installs it)")
    cluster = Cluster(bindir)
    cluster.start()
    return cluster


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """The URL (without database) of a running PostgreSQL server."""
    given = os.environ.get("CORRIDOR_TEST_POSTGRES_URL")
    if given:
        yield given.rstrip("/")
        return
    cluster = new_cluster()
    try:
        yield cluster.url
    finally:
        cluster.remove()


def fresh_database(server: str) -> str:
    """Create an empty database on ``server``; returns its URL."""
    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    dsn = server.replace("postgresql+psycopg://", "postgresql://") + "/postgres"
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{server}/{name}"
