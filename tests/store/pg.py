"""A throw-away PostgreSQL cluster for the tests (skipped only where PostgreSQL is not installed).

The cluster is created with Debian's ``initdb`` in a temporary folder, as the ``postgres`` user
when running as root, listens on 127.0.0.1 on a free port, and is removed at the end of the
session. ``CORRIDOR_TEST_POSTGRES_URL`` may name an existing server instead.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

__all__ = ["BACKENDS", "fresh_database", "postgres_server"]

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


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """The URL (without database) of a running PostgreSQL server."""
    given = os.environ.get("CORRIDOR_TEST_POSTGRES_URL")
    if given:
        yield given.rstrip("/")
        return
    bindir = _bin_dir()
    if bindir is None:
        pytest.skip("PostgreSQL is not installed (scripts/ci_services.sh installs it)")
    root = Path(tempfile.mkdtemp(prefix="corridor-pg-"))
    data = root / "data"
    data.mkdir()
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
        shutil.chown(data, "postgres", "postgres")
    port = _free_port()
    subprocess.run(
        _as_postgres(
            [str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync"]
        ),
        check=True,
        capture_output=True,
    )
    opts = f"-c listen_addresses=127.0.0.1 -p {port} -k {root} -c fsync=off"
    log = root / "postgres.log"
    subprocess.run(  # the server must not inherit our pipes, or run() waits for it to exit
        _as_postgres(
            [str(bindir / "pg_ctl"), "-D", str(data), "-o", opts, "-l", str(log), "-w", "start"]
        ),
        check=True,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=60,
    )
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run(
            _as_postgres([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
            check=False,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=60,
        )
        shutil.rmtree(root, ignore_errors=True)


def fresh_database(server: str) -> str:
    """Create an empty database on ``server``; returns its URL."""
    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    dsn = server.replace("postgresql+psycopg://", "postgresql://") + "/postgres"
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{server}/{name}"
