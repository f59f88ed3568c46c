"""``corridor serve`` as run: header timeout and connection limit against slow and idle
clients, and who counts as local for keyless writes.

A real server process (the uvicorn configuration ``corridor serve`` uses), with a 1 s header
timeout and room for 20 connections, so the tests run in seconds.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.waiting import wait_until
from tests.web.conftest import _free_port

HEADER_TIMEOUT_S = 1.0
MAX_CONNECTIONS = 20


@contextlib.contextmanager
def _serving(tmp_path: Path, header_timeout_s: float) -> Iterator[int]:
    """``corridor serve`` on a free port with room for MAX_CONNECTIONS; yields the port."""
    port = _free_port()
    env = {
        **os.environ,
        "CORRIDOR_DATABASE_URL": f"sqlite:///{tmp_path / 's.db'}",
        "CORRIDOR_HEADER_TIMEOUT_S": str(header_timeout_s),
        "CORRIDOR_MAX_CONNECTIONS": str(MAX_CONNECTIONS),
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "corridor", "serve", "--port", str(port)],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2):
                    break
            except OSError:
                assert proc.poll() is None, "the server exited"
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[int]:
    """A server with a 1 s header timeout."""
    with _serving(tmp_path, HEADER_TIMEOUT_S) as port:
        yield port


@pytest.fixture
def patient_server(tmp_path: Path) -> Iterator[int]:
    """A server whose header timeout (5 min) cuts no connection during a test, so that only
    the connection limit closes idle ones, however busy the machine."""
    with _serving(tmp_path, 300.0) as port:
        yield port


def _closed(sock: socket.socket) -> bool:
    """True once the server has closed the connection (a read gives EOF or a reset)."""
    sock.settimeout(0.05)
    try:
        return sock.recv(1) == b""
    except TimeoutError:
        return False
    except OSError:
        return True


def _health_answers(port: int) -> bool:
    """/health answers 200 (a request that waited on a busy event loop would time out; its
    latency is measured by ``benchmarks/api_load.py``, not asserted here)."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=10) as resp:
        return bool(resp.status == 200)


def test_a_header_sent_byte_by_byte_is_cut_off(server: int) -> None:
    """A client that never finishes its header (200 bytes at 10 a second, 20 s in all) is cut
    off by the header timeout long before it would have finished."""
    sock = socket.create_connection(("127.0.0.1", server))
    try:
        request = b"GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 200
        cut = False
        for byte in request:
            if _closed(sock):
                cut = True
                break
            try:
                sock.send(bytes([byte]))
            except OSError:
                cut = True
                break
            time.sleep(0.1)  # the slow client's pace, not a wait for the server
        assert cut, "the server let a client send a header for 20 s"
    finally:
        sock.close()


def _closed_now(sock: socket.socket) -> bool:
    """Like :func:`_closed` without waiting (an open, silent connection has nothing to read)."""
    sock.setblocking(False)
    try:
        return sock.recv(1) == b""
    except BlockingIOError:
        return False
    except OSError:
        return True
    finally:
        sock.setblocking(True)


def test_idle_connections_beyond_the_limit_make_room(patient_server: int) -> None:
    """Idle connections beyond the limit cannot lock a client out: the oldest idle ones are
    closed to make room, and /health answers while they are all held open."""
    socks = [
        socket.create_connection(("127.0.0.1", patient_server)) for _ in range(3 * MAX_CONNECTIONS)
    ]
    try:
        wait_until(
            lambda: sum(not _closed_now(s) for s in socks) <= MAX_CONNECTIONS,
            60,
            "more idle connections than the limit stay open",
        )
        assert not any(_closed_now(s) for s in socks[-MAX_CONNECTIONS // 2 :])  # the newest stay
        assert _health_answers(patient_server)  # while they are all held open
    finally:
        for s in socks:
            s.close()


def test_beyond_the_limit_of_busy_connections_the_answer_is_503_with_retry_after(
    server: int,
) -> None:
    """Every connection is serving a request (a body that is still coming): a new one is
    answered 503 with Retry-After before it is closed, not just cut."""
    head = (
        b"POST /api/v1/scenarios HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"
    )
    busy = []
    try:
        for _ in range(MAX_CONNECTIONS):
            s = socket.create_connection(("127.0.0.1", server))
            s.sendall(head)
            busy.append(s)
        extra = socket.create_connection(("127.0.0.1", server))
        extra.settimeout(5)
        answer = b""
        while chunk := extra.recv(4096):
            answer += chunk
        extra.close()
        status, _, rest = answer.partition(b"\r\n")
        assert status == b"HTTP/1.1 503 Service Unavailable", answer
        assert b"Retry-After: 1" in rest
        assert not any(_closed_now(s) for s in busy)  # the busy ones were not cut
    finally:
        for s in busy:
            s.close()


_POST = """
import json, sys, urllib.request, urllib.error
req = urllib.request.Request(
    sys.argv[1], data=json.dumps({"name": "n", "scenario": {"base": "baseline-2024"}}).encode(),
    headers={"Content-Type": "application/json", "Host": "127.0.0.1"}, method="POST")
try:
    print(urllib.request.urlopen(req, timeout=30).status)
except urllib.error.HTTPError as exc:
    print(exc.code)
"""


def _post_as(user: str | None, port: int) -> int:
    url = f"http://127.0.0.1:{port}/api/v1/scenarios"
    cmd = [sys.executable, "-c", _POST, url]
    if user is not None:  # the system Python: another user cannot read this environment
        cmd = ["runuser", "-u", user, "--", _SYSTEM_PYTHON, "-c", _POST, url]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=True)
    return int(out.stdout.strip())


_SYSTEM_PYTHON = "/usr/bin/python3"


@pytest.mark.skipif(
    os.geteuid() != 0 or shutil.which("runuser") is None or not Path(_SYSTEM_PYTHON).exists(),
    reason="needs root (to act as another user) and a system Python",
)
def test_keyless_writes_from_the_users_processes_only(server: int) -> None:
    """A proxy on the same machine runs as another user: what it forwards needs a key."""
    assert _post_as(None, server) == 201
    assert _post_as("nobody", server) == 401


@pytest.mark.slow
def test_health_stays_fast_under_worst_case_route_requests(server: int) -> None:
    """8 concurrent Pareto fronts through a via place (the costliest request allowed): the
    computation runs in the pool's processes, /health keeps answering."""
    worst = (
        f"http://127.0.0.1:{server}/api/v1/routes?origin=xian&destination=duisburg"
        "&via=aktau&pareto=true&optimize=cost"
    )
    statuses: list[int] = []

    def ask(i: int) -> None:
        try:
            with urllib.request.urlopen(f"{worst}&year={2020 + i}", timeout=120) as resp:
                statuses.append(resp.status)
        except urllib.error.HTTPError as exc:
            statuses.append(exc.code)

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    answers = []
    while any(t.is_alive() for t in threads):
        answers.append(_health_answers(server))
        time.sleep(0.2)  # the pace of the checks, not a wait for a condition
    for t in threads:
        t.join()
    assert len(answers) >= 3, "the requests ended before /health could be checked"
    assert all(answers)
    assert set(statuses) <= {200, 503}, statuses
    assert 200 in statuses
