"""Processes of this machine: who is alive, tie a worker to its server, stop an orphan.

A pid alone does not name a process for long (pids are reused), so a process is named by its pid
*and* its start time in clock ticks since boot (field 22 of ``/proc/PID/stat`` on Linux). Where
``/proc`` is missing, start times are ``None`` and a process is never stopped on a pid alone.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import socket
import sys
import threading
import time
from pathlib import Path

__all__ = [
    "bind_to_parent",
    "host_name",
    "is_alive",
    "limit_memory",
    "loopback_peer_uid",
    "start_ticks",
    "stop_process",
]

_PR_SET_PDEATHSIG = 1


def host_name() -> str:
    """This machine's name (as stored with the jobs it runs)."""
    return socket.gethostname()[:255]


def start_ticks(pid: int) -> int | None:
    """The start time of process ``pid`` in clock ticks since boot, or None (gone, not Linux).

    Examples
    --------
    >>> start_ticks(os.getpid()) is None or start_ticks(os.getpid()) > 0
    True
    """
    try:
        raw = Path(f"/proc/{pid}/stat").read_bytes()
    except OSError:
        return None
    # The command name (field 2) is in parentheses and may hold spaces: split after it.
    fields = raw[raw.rfind(b")") + 2 :].split()
    try:
        return int(fields[19])  # field 22 overall; 20th after the name
    except (IndexError, ValueError):
        return None


def is_alive(pid: int, ticks: int | None) -> bool:
    """True if process ``pid`` runs and (when ``ticks`` is known) is the one started then."""
    if pid <= 0:
        return False
    now = start_ticks(pid)
    if now is None:
        if ticks is not None:
            return False
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True
    return ticks is None or now == ticks


def stop_process(pid: int, ticks: int | None) -> bool:
    """SIGKILL process ``pid`` (and its process group, if it leads one) if it is still the one
    started at ``ticks``; a process whose start time is unknown is left alone. True if killed.
    """
    if ticks is None or pid <= 0 or start_ticks(pid) != ticks:
        return False
    try:
        if os.getpgid(pid) == pid:
            os.killpg(pid, signal.SIGKILL)
        else:
            os.kill(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        return False
    return True


def bind_to_parent(parent_pid: int, *, poll_s: float = 0.5, own_group: bool = True) -> None:
    """End this (worker) process when its parent ends, even by ``kill -9``.

    With ``own_group`` the worker leads its own process group (a Ctrl-C at the server's
    terminal reaches the server, which then stops its workers itself). On Linux the kernel
    sends SIGKILL to the worker when the thread that started it exits (``PR_SET_PDEATHSIG``;
    the server starts workers from long-lived threads); a daemon thread also watches the
    parent pid and ends the worker if it is re-parented, which covers other systems.
    """
    if own_group:
        with contextlib.suppress(OSError):
            os.setpgid(0, 0)
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent_pid:  # the parent died before the line above
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(poll_s)
            if os.getppid() != parent_pid:
                os._exit(1)

    threading.Thread(target=watch, name="watch-parent", daemon=True).start()


def limit_memory(megabytes: int) -> None:
    """Cap this process's address space (``RLIMIT_AS``) at ``megabytes``; 0 leaves it alone.

    An allocation past the cap fails (``MemoryError`` in Python, numpy and numba) instead of
    pushing the machine into swap or the kernel's out-of-memory killer.
    """
    if megabytes <= 0:
        return
    try:
        import resource  # noqa: PLC0415  (POSIX only)
    except ImportError:
        return
    cap = megabytes * 1024 * 1024
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))


def loopback_peer_uid(client_port: int, server_port: int) -> int | None:
    """The user id owning the client end of a loopback TCP connection, or None if unknown.

    Read from ``/proc/net/tcp`` and ``/proc/net/tcp6`` (Linux): the established socket whose
    local port is ``client_port`` and remote port ``server_port``.
    """
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text(encoding="ascii").splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if len(fields) < 8 or fields[3] != "01":  # 01: ESTABLISHED
                continue
            try:
                local_port = int(fields[1].rsplit(":", 1)[1], 16)
                remote_port = int(fields[2].rsplit(":", 1)[1], 16)
            except (IndexError, ValueError):
                continue
            if local_port == client_port and remote_port == server_port:
                try:
                    return int(fields[7])
                except ValueError:
                    return None
    return None
