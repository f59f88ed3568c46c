"""Simulation jobs: one spawned worker process per job, watched by a thread of the server.

A job is recorded ``queued``, then ``running`` once its worker process has started, and ends
``succeeded`` with its result or ``failed`` with the reason: the simulation raised, the worker
died (killed, crashed), it ran past the time limit, it was cancelled, or the server that ran it
is gone.

Several servers may share one store. Each job belongs to the server that started it (``owner``),
which renews the job's lease every third of ``job_lease_s`` while it lives. A server fails only
jobs whose owner is gone: the lease ran out, or the owner was a process of this machine that no
longer runs; it also stops such a job's worker if it still runs on this machine. Workers end with
their server (:func:`corridor.api.procs.bind_to_parent`), so ``kill -9`` of a server leaves none.

State writes (started, succeeded, failed) are retried with backoff until the database takes them,
so a database restart leaves no job ``running`` for ever.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import queue
import signal
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import UTC, datetime
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any, TypeVar

from corridor.api.problems import Problem
from corridor.api.procs import host_name, is_alive, start_ticks, stop_process
from corridor.api.settings import Settings
from corridor.api.worker import run_job
from corridor.store import JobRecord, JobStatus, Store

T = TypeVar("T")

__all__ = ["JobManager", "death_reason"]

_log = logging.getLogger("corridor.api.jobs")
_PROGRESS_WRITE_INTERVAL_S = 0.5
_RETRY_FIRST_S = 0.5
_RETRY_MAX_S = 10.0
RESTARTED = "the server running the job stopped while the job was queued or running"
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


class _Launcher:
    """One long-lived thread that starts every worker process.

    On Linux a worker's parent-death signal fires when the *thread* that forked it ends; request
    threads come and go, so workers are forked from this thread, which lives as long as the
    server.
    """

    def __init__(self) -> None:
        self._queue: queue.SimpleQueue[tuple[Callable[[], Any], Future[Any]] | None] = (
            queue.SimpleQueue()
        )
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def run(self, func: Callable[[], T]) -> T:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._loop, name="corridor-job-launcher", daemon=True
                )
                self._thread.start()
        future: Future[T] = Future()
        self._queue.put((func, future))
        return future.result()

    def _loop(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            func, future = item
            try:
                future.set_result(func())
            except BaseException as exc:  # handed to the caller
                future.set_exception(exc)


class JobManager:
    """Starts, watches and ends simulation jobs; at most ``max_concurrent_jobs`` at once."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self._store = store
        self._settings = settings
        self._ctx = multiprocessing.get_context("spawn")
        self._lock = threading.Lock()
        self._running: dict[str, _Running] = {}
        self._closed = False
        self._launcher = _Launcher()
        self._stop = threading.Event()
        self._heartbeat: threading.Thread | None = None
        self.host = host_name()
        ticks = start_ticks(os.getpid())
        #: This server's name in the store: pid, process start time, a random part.
        self.owner = f"{os.getpid()}.{ticks or 0}.{uuid.uuid4().hex[:12]}"

    @property
    def active(self) -> int:
        """Jobs running in this server."""
        with self._lock:
            return len(self._running)

    def recover(self) -> int:
        """Accept jobs, start renewing leases, and fail the jobs whose owner is gone.

        Returns how many jobs were failed (their orphaned workers on this machine are stopped).
        """
        with self._lock:
            self._closed = False
        self._stop.clear()
        try:
            count = self.reap()
        except Exception as exc:  # the database may be down at start: the heartbeat retries
            _log.warning("could not check for abandoned jobs: %s", _one_line(exc))
            count = 0
        if self._heartbeat is None or not self._heartbeat.is_alive():
            self._heartbeat = threading.Thread(
                target=self._beat, name="corridor-job-lease", daemon=True
            )
            self._heartbeat.start()
        return count

    def reap(self) -> int:
        """Fail the unfinished jobs whose owner is gone and stop their workers on this machine."""
        now = datetime.now(UTC)
        count = 0
        for job in self._store.unfinished_jobs():
            if job.owner == self.owner:
                continue
            expired = job.lease_until is None or job.lease_until < now
            if not expired and not self._owner_died_here(job):
                continue
            if not self._store.fail_job(job.id, RESTARTED, owner=job.owner, lease_expired=expired):
                continue
            count += 1
            stopped = ""
            if (
                job.owner_host == self.host
                and job.worker_pid
                and stop_process(job.worker_pid, job.worker_started)
            ):
                stopped = f"; stopped its orphaned worker (pid {job.worker_pid})"
            _log.warning("job %s failed: its server is gone%s", job.id, stopped)
        return count

    def _owner_died_here(self, job: JobRecord) -> bool:
        """The job's owner was a process of this machine that no longer runs."""
        if job.owner is None or job.owner_host != self.host:
            return False
        pid_text, _, rest = job.owner.partition(".")
        ticks_text = rest.partition(".")[0]
        try:
            pid, ticks = int(pid_text), int(ticks_text)
        except ValueError:
            return False
        return not is_alive(pid, ticks or None)

    def _beat(self) -> None:
        interval = self._settings.job_lease_s / 3
        failing = False
        while not self._stop.wait(interval):
            try:
                self._store.renew_leases(self.owner, self._settings.job_lease_s)
                self._stop_ended_elsewhere()
                self.reap()
            except Exception as exc:
                if not failing:
                    _log.warning("could not renew job leases (will retry): %s", _one_line(exc))
                failing = True
                continue
            if failing:
                _log.info("job leases renewed again")
            failing = False

    def _stop_ended_elsewhere(self) -> None:
        """Stop the workers of this server's jobs that the store says have ended: cancelled
        through another server sharing the store, or failed by one while this server could not
        renew its lease."""
        with self._lock:
            mine = dict(self._running)
        for job_id, run in mine.items():
            if run.cancelled:
                continue
            job = self._store.get_job(job_id, with_result=False)
            if job is not None and job.status == JobStatus.FAILED:
                run.cancelled = True
                run.process.kill()
                _log.info("job %s ended elsewhere (%s): its worker is stopped", job_id, job.error)

    def submit(
        self,
        *,
        scenario_id: str,
        scenario_name: str,
        scenario: Mapping[str, Any],
        days: int,
        seed: int,
        created_by: int | None = None,
        equilibrium: bool = False,
    ) -> JobRecord:
        """Record a job and start its worker process (``equilibrium``: see
        :func:`corridor.api.simulator.run_scenario`).

        Raises
        ------
        Problem
            429 when ``max_concurrent_jobs`` jobs are already running; 503 when shutting down.
        """
        with self._lock:
            if self._closed:
                raise Problem(503, "the server is shutting down", headers={"Retry-After": "30"})
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
                owner=self.owner,
                owner_host=self.host,
                lease_s=self._settings.job_lease_s,
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
                kwargs={
                    "network_dir": network_dir,
                    "parent_pid": os.getpid(),
                    "memory_mb": self._settings.worker_memory_mb,
                    "max_teu": self._settings.max_simulation_teu,
                    **({"equilibrium": True} if equilibrium else {}),
                },
                name=f"corridor-job-{job.id[:8]}",
                daemon=True,
            )
            try:
                self._launcher.run(process.start)
            except OSError as exc:
                receiver.close()
                sender.close()
                self._store.fail_job(job.id, f"could not start a worker process: {exc}")
                raise Problem(
                    503, "could not start a worker process", headers={"Retry-After": "30"}
                ) from None
            sender.close()
            pid = process.pid or 0
            thread = threading.Thread(
                target=self._watch,
                args=(job.id, process, receiver),
                name=f"watch-{job.id[:8]}",
                daemon=True,
            )
            self._running[job.id] = _Running(process=process, thread=thread)
            thread.start()
        self._retry(
            job.id,
            "started",
            lambda: self._store.start_job(job.id, worker_pid=pid, worker_started=start_ticks(pid)),
        )
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
        self._stop.set()
        for job_id, run in running.items():
            run.cancelled = True
            try:
                self._store.fail_job(job_id, SHUTDOWN)
            except Exception as exc:  # the lease runs out; another server fails it later
                _log.warning("could not record the end of job %s: %s", job_id, _one_line(exc))
            run.process.kill()
        for run in running.values():
            run.thread.join(timeout=10)

    def _retry(self, job_id: str, what: str, write: Callable[[], object]) -> None:
        """Run a state write until the database takes it (backoff up to 10 s).

        Gives up only when the server shuts down (the job's lease then runs out and another
        server, or the next start, fails it).
        """
        delay = _RETRY_FIRST_S
        logged = False
        while True:
            try:
                write()
            except Exception as exc:
                if self._stop.is_set():
                    _log.warning(
                        "job %s: could not record it %s before shutting down: %s",
                        job_id,
                        what,
                        _one_line(exc),
                    )
                    return
                if not logged:
                    _log.warning(
                        "job %s: could not record it %s, retrying: %s",
                        job_id,
                        what,
                        _one_line(exc),
                    )
                    logged = True
                self._stop.wait(delay)
                delay = min(delay * 2, _RETRY_MAX_S)
                continue
            if logged:
                _log.info("job %s: recorded it %s", job_id, what)
            return

    def _watch(self, job_id: str, process: BaseProcess, conn: Connection) -> None:
        try:
            self._follow(job_id, process, conn)
        except Exception:
            _log.exception("watching job %s failed", job_id)
            process.kill()
            self._retry(
                job_id,
                "failed",
                lambda: self._store.fail_job(job_id, "internal error while following the job"),
            )
        finally:
            with self._lock:
                self._running.pop(job_id, None)
            conn.close()
            process.join(timeout=10)

    def _fail(self, job_id: str, reason: str) -> None:
        self._retry(job_id, "failed", lambda: self._store.fail_job(job_id, reason))

    def _follow(self, job_id: str, process: BaseProcess, conn: Connection) -> None:
        deadline = time.monotonic() + self._settings.job_timeout_s
        last_write = 0.0
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                process.kill()
                self._fail(
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
                    self._fail(job_id, death_reason(process.exitcode))
                return
            if kind == "progress":
                now = time.monotonic()
                if now - last_write >= _PROGRESS_WRITE_INTERVAL_S:
                    last_write = now
                    try:
                        self._store.set_progress(job_id, float(payload))
                    except Exception as exc:  # progress is best effort; state writes retry
                        _log.debug("job %s: progress not recorded: %s", job_id, exc)
            elif kind == "result":
                self._finish(job_id, payload)
                return
            else:
                self._fail(job_id, str(payload))
                return

    def _finish(self, job_id: str, payload: Any) -> None:
        try:
            doc = json.loads(json.dumps(payload, allow_nan=False, default=_jsonable))
        except (TypeError, ValueError) as exc:
            self._fail(job_id, f"the simulation returned a result that is not JSON: {exc}")
            return
        if not isinstance(doc, dict):
            self._fail(job_id, "the simulation returned a result that is not an object")
            return
        self._retry(job_id, "succeeded", lambda: self._store.finish_job(job_id, doc))

    def _is_cancelled(self, job_id: str) -> bool:
        with self._lock:
            run = self._running.get(job_id)
            return run is not None and run.cancelled


def _one_line(exc: BaseException) -> str:
    """``Type: first line of the message`` (database errors carry long multi-line texts)."""
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}"[:300]


def _jsonable(value: Any) -> Any:
    """numpy scalars and arrays in a result become plain numbers and lists."""
    if hasattr(value, "tolist"):
        return value.tolist()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")
