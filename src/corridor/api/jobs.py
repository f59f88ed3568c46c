"""Simulation jobs: one spawned worker process per job, watched by a thread of the server.

A job is recorded ``queued``, then ``running`` once its worker process has started, and ends
``succeeded`` with its result or ``failed`` with the reason: the simulation raised, the worker
died (killed, crashed), it ran past the time limit, it was cancelled, or the server stopped or
restarted while it ran (:meth:`JobManager.recover` at start-up fails the jobs an earlier server
left unfinished).
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import signal
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from corridor.api.problems import Problem
from corridor.api.settings import Settings
from corridor.api.worker import run_job
from corridor.store import JobRecord, Store

__all__ = ["JobManager", "death_reason"]

_log = logging.getLogger("corridor.api.jobs")
_PROGRESS_WRITE_INTERVAL_S = 0.5
RESTARTED = "the server restarted while the job was queued or running"
SHUTDOWN = "the server shut down while the job was running"
CANCELLED = "cancelled on request"


def death_reason(exitcode: int | None) -> str:
    """Why a worker ended without a result, from its exit code.

    Examples
    --------
    >>> death_reason(-9)
    'the worker process died: killed by signal SIGKILL'
    >>> death_reason(3)
    'the worker process died: exit code 3'
    """
    if exitcode is None:
        return "the worker process stopped answering"
    if exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = str(-exitcode)
        return f"the worker process died: killed by signal {name}"
    return f"the worker process died: exit code {exitcode}"


@dataclass(slots=True)
class _Running:
    process: BaseProcess
    thread: threading.Thread
    cancelled: bool = False


class JobManager:
    """Starts, watches and ends simulation jobs; at most ``max_concurrent_jobs`` at once."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self._store = store
        self._settings = settings
        self._ctx = multiprocessing.get_context("spawn")
        self._lock = threading.Lock()
        self._running: dict[str, _Running] = {}
        self._closed = False

    @property
    def active(self) -> int:
        """Jobs running in this server."""
        with self._lock:
            return len(self._running)

    def recover(self) -> int:
        """Accept jobs again and fail those a previous server left unfinished; returns how many."""
        with self._lock:
            self._closed = False
        count = self._store.fail_unfinished_jobs(RESTARTED)
        if count:
            _log.warning("marked %d unfinished job(s) from an earlier run as failed", count)
        return count

    def submit(
        self,
        *,
        scenario_id: str,
        scenario_name: str,
        scenario: Mapping[str, Any],
        days: int,
        seed: int,
        created_by: int | None = None,
    ) -> JobRecord:
        """Record a job and start its worker process.

        Raises
        ------
        Problem
            429 when ``max_concurrent_jobs`` jobs are already running; 503 when shutting down.
        """
        with self._lock:
            if self._closed:
                raise Problem(503, "the server is shutting down")
            limit = self._settings.max_concurrent_jobs
            if len(self._running) >= limit:
                raise Problem(
                    429,
                    f"{limit} simulation job(s) are already running; try again when one ends",
                    headers={"Retry-After": "10"},
                )
            job = self._store.create_job(
                scenario_id=scenario_id,
                scenario_name=scenario_name,
                scenario=scenario,
                days=days,
                seed=seed,
                created_by=created_by,
            )
            network_dir = str(self._settings.network) if self._settings.network else None
            receiver, sender = self._ctx.Pipe(duplex=False)
            process = self._ctx.Process(
                target=run_job,
                args=(
                    sender,
                    self._settings.simulator,
                    dict(scenario),
                    days,
                    seed,
                ),
                kwargs={"network_dir": network_dir},
                name=f"corridor-job-{job.id[:8]}",
                daemon=True,
            )
            try:
                process.start()
            except OSError as exc:
                receiver.close()
                sender.close()
                self._store.fail_job(job.id, f"could not start a worker process: {exc}")
                raise Problem(503, "could not start a worker process") from None
            sender.close()
            self._store.start_job(job.id, worker_pid=process.pid or 0)
            thread = threading.Thread(
                target=self._watch,
                args=(job.id, process, receiver),
                name=f"watch-{job.id[:8]}",
                daemon=True,
            )
            self._running[job.id] = _Running(process=process, thread=thread)
            thread.start()
        record = self._store.get_job(job.id)
        assert record is not None
        return record

    def cancel(self, job_id: str) -> bool:
        """Kill a running job's worker; it ends ``failed`` ("cancelled"). False if not running."""
        with self._lock:
            running = self._running.get(job_id)
            if running is None:
                return False
            running.cancelled = True
        self._store.fail_job(job_id, CANCELLED)
        running.process.kill()
        running.thread.join(timeout=10)
        return True

    def wait(self, job_id: str, timeout: float | None = None) -> None:
        """Block until the job's watcher is done (for tests and scripts)."""
        with self._lock:
            running = self._running.get(job_id)
        if running is not None:
            running.thread.join(timeout)

    def shutdown(self) -> None:
        """Stop every worker; their jobs end ``failed`` (the server shut down)."""
        with self._lock:
            self._closed = True
            running = dict(self._running)
        for job_id, run in running.items():
            run.cancelled = True
            self._store.fail_job(job_id, SHUTDOWN)
            run.process.kill()
        for run in running.values():
            run.thread.join(timeout=10)

    def _watch(self, job_id: str, process: BaseProcess, conn: Connection) -> None:
        try:
            self._follow(job_id, process, conn)
        except Exception:
            _log.exception("watching job %s failed", job_id)
            try:
                self._store.fail_job(job_id, "internal error while following the job")
            except Exception:
                _log.exception("could not record the failure of job %s", job_id)
            process.kill()
        finally:
            conn.close()
            process.join(timeout=10)
            with self._lock:
                self._running.pop(job_id, None)

    def _follow(self, job_id: str, process: BaseProcess, conn: Connection) -> None:
        deadline = time.monotonic() + self._settings.job_timeout_s
        last_write = 0.0
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                process.kill()
                self._store.fail_job(
                    job_id, f"timed out after {self._settings.job_timeout_s:g} s and was stopped"
                )
                return
            if not conn.poll(min(remaining, 1.0)):
                continue
            try:
                kind, payload = conn.recv()
            except (EOFError, OSError):
                process.join(timeout=5)
                if not self._is_cancelled(job_id):
                    self._store.fail_job(job_id, death_reason(process.exitcode))
                return
            if kind == "progress":
                now = time.monotonic()
                if now - last_write >= _PROGRESS_WRITE_INTERVAL_S:
                    last_write = now
                    self._store.set_progress(job_id, float(payload))
            elif kind == "result":
                self._finish(job_id, payload)
                return
            else:
                self._store.fail_job(job_id, str(payload))
                return

    def _finish(self, job_id: str, payload: Any) -> None:
        try:
            doc = json.loads(json.dumps(payload, allow_nan=False, default=_jsonable))
        except (TypeError, ValueError) as exc:
            self._store.fail_job(
                job_id, f"the simulation returned a result that is not JSON: {exc}"
            )
            return
        if not isinstance(doc, dict):
            self._store.fail_job(job_id, "the simulation returned a result that is not an object")
            return
        self._store.finish_job(job_id, doc)

    def _is_cancelled(self, job_id: str) -> bool:
        with self._lock:
            run = self._running.get(job_id)
            return run is not None and run.cancelled


def _jsonable(value: Any) -> Any:
    """numpy scalars and arrays in a result become plain numbers and lists."""
    if hasattr(value, "tolist"):
        return value.tolist()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")
