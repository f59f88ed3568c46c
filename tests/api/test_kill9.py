"""``kill -9`` of ``corridor serve`` leaves none of its processes behind: the compute workers
and the multiprocessing resource tracker end with it (a crash used to orphan them under PID 1,
about 170 MB each, one more set per restart)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

import pytest

from tests.waiting import wait_until
from tests.web.conftest import _free_port

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc (Linux)"),
]


def _descendants(pid: int) -> set[int]:
    """Every process below ``pid`` (children, their children...)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            raw = (entry / "stat").read_bytes()
        except OSError:
            continue
        ppid = int(raw[raw.rfind(b")") + 2 :].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_bytes()
    except OSError:
        return False
    return state[state.rfind(b")") + 2 :].split()[0] != b"Z"  # a zombie has ended


def test_kill_9_of_the_server_leaves_no_process_of_it(tmp_path: Path) -> None:
    port = _free_port()
    env = {
        **os.environ,
        "CORRIDOR_DATABASE_URL": f"sqlite:///{tmp_path / 's.db'}",
        "CORRIDOR_COMPUTE_WORKERS": "2",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "corridor", "serve", "--port", str(port)],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:

        def up() -> bool:
            assert server.poll() is None, "the server exited"
            try:
                with urllib.request.urlopen(base + "/health", timeout=2):
                    return True
            except OSError:
                return False

        wait_until(up, 90, "the server did not start")

        # two comparisons at once: both compute workers start
        def ask(seed: int) -> None:
            url = f"{base}/api/v1/compare?origin=xian&destination=istanbul&samples=500&seed={seed}"
            with urllib.request.urlopen(url, timeout=120) as resp:
                assert resp.status == 200

        threads = [threading.Thread(target=ask, args=(s,)) for s in (1, 2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wait_until(lambda: len(_descendants(server.pid)) >= 2, 30, "no compute worker started")
        family = _descendants(server.pid)
    except BaseException:
        server.kill()
        server.wait()
        raise
    os.kill(server.pid, signal.SIGKILL)
    server.wait(timeout=10)
    try:
        wait_until(
            lambda: not any(_alive(p) for p in family),
            10,
            f"still alive 10 s after kill -9: {sorted(p for p in family if _alive(p))}",
        )
    finally:
        for p in family:
            if _alive(p):
                os.kill(p, signal.SIGKILL)
