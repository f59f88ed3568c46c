"""``/api/v1/simulations``: capacity simulation jobs run in worker processes."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Response, status
from fastapi.concurrency import run_in_threadpool

from corridor.api.deps import JobsDep, NetworkDep, SettingsDep, StoreDep, WriterDep
from corridor.api.jobs import CANCELLED
from corridor.api.problems import Problem
from corridor.api.routes.scenarios import find_scenario
from corridor.api.schemas import JobListOut, JobOut, ProblemOut, SimulationIn
from corridor.api.simulator import bundled_scenarios, estimate_teu, worker_memory_mb
from corridor.store import JobRecord, JobStatus

__all__ = ["router"]

router = APIRouter(prefix="/api/v1/simulations", tags=["simulations"])

JobId = Annotated[str, Path(min_length=1, max_length=36, description="Job id.")]
_DEFAULT_DAYS = 365
_DEFAULT_SIMULATOR = "corridor.api.simulator:run_scenario"


def job_dict(job: JobRecord, *, full: bool = True) -> dict[str, Any]:
    """A job as the API shows it."""
    doc: dict[str, Any] = {
        "id": job.id,
        "scenario": job.scenario_id,
        "scenario_name": job.scenario_name,
        "days": job.days,
        "seed": job.seed,
        "status": job.status.value,
        "progress": round(job.progress, 4),
        "error": job.error,
        "created_at": job.created_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
    }
    if full:
        doc["result"] = job.result
    return doc


@router.post(
    "",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=JobOut,
    responses={
        401: {"model": ProblemOut, "description": "API key missing or invalid."},
        413: {"model": ProblemOut},
        415: {"model": ProblemOut},
        422: {
            "model": ProblemOut,
            "description": "Unknown scenario, too many days, or a run over the TEU limit.",
        },
        429: {"model": ProblemOut, "description": "Too many jobs running."},
        503: {"model": ProblemOut, "description": "Shutting down or no worker could start."},
    },
)
async def start_simulation(
    *,
    body: SimulationIn,
    store: StoreDep,
    jobs: JobsDep,
    settings: SettingsDep,
    net: NetworkDep,
    writer: WriterDep,
    response: Response,
) -> dict[str, Any]:
    """Start a simulation of a bundled or saved scenario; poll the returned job (needs a key)."""
    found = await run_in_threadpool(find_scenario, store, body.scenario)
    if found is None:
        raise Problem(
            422,
            f"no scenario '{body.scenario}'",
            title="Unknown scenario",
            candidates=[b.name for b in bundled_scenarios()],
        )
    scenario: dict[str, Any] = found["scenario"]
    days = body.days
    if days is None:
        wanted = scenario.get("days")
        days = wanted if isinstance(wanted, int) and not isinstance(wanted, bool) else _DEFAULT_DAYS
    if not 1 <= days <= settings.max_simulation_days:
        raise Problem(422, f"days must be between 1 and {settings.max_simulation_days}")
    if settings.simulator == _DEFAULT_SIMULATOR:
        teu = await run_in_threadpool(estimate_teu, scenario, days, net)
        if teu > settings.max_simulation_teu:
            raise Problem(
                422,
                f"this run would simulate about {teu:,.0f} TEU over {days} days, more than the "
                f"service's limit of {settings.max_simulation_teu:,.0f} TEU; lower "
                "demand.scale, the flows or the days",
                title="Simulation too large",
            )
        needed = worker_memory_mb(teu)
        if 0 < settings.worker_memory_mb < needed:
            raise Problem(
                422,
                f"this run would simulate about {teu:,.0f} TEU over {days} days and need about "
                f"{needed:,.0f} MB of worker memory, more than the cap of "
                f"{settings.worker_memory_mb:,} MB (CORRIDOR_WORKER_MEMORY_MB); lower "
                "demand.scale, the flows or the days",
                title="Simulation too large",
            )
    job = await run_in_threadpool(
        lambda: jobs.submit(
            scenario_id=found["id"],
            scenario_name=found["name"],
            scenario=scenario,
            days=days,
            seed=body.seed,
            created_by=writer.id if writer else None,
            equilibrium=body.equilibrium,
        )
    )
    response.headers["Location"] = f"/api/v1/simulations/{job.id}"
    return job_dict(job)


@router.get("", response_model=JobListOut)
def list_simulations(
    store: StoreDep,
    job_status: Annotated[
        Literal["queued", "running", "succeeded", "failed"] | None,
        Query(alias="status", description="Only jobs in this state."),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> dict[str, Any]:
    """Simulation jobs, newest first (without their results)."""
    wanted = JobStatus(job_status) if job_status else None
    found = store.list_jobs(limit=limit, offset=offset, status=wanted)
    return {"simulations": [job_dict(j, full=False) for j in found]}


@router.get("/{job_id}", response_model=JobOut, responses={404: {"model": ProblemOut}})
def get_simulation(job_id: JobId, store: StoreDep) -> dict[str, Any]:
    """A job: status, progress (0 to 1), and the simulate JSON document once succeeded."""
    job = store.get_job(job_id)
    if job is None:
        raise Problem(404, f"no simulation job '{job_id}'", title="Unknown job")
    return job_dict(job)


@router.delete(
    "/{job_id}",
    response_model=JobOut,
    responses={
        401: {"model": ProblemOut},
        403: {"model": ProblemOut, "description": "The job was started with another key."},
        404: {"model": ProblemOut},
        409: {"model": ProblemOut, "description": "The job has already ended."},
    },
)
def cancel_simulation(
    job_id: JobId, store: StoreDep, jobs: JobsDep, writer: WriterDep
) -> dict[str, Any]:
    """Stop a running job; it ends ``failed`` ("cancelled on request").

    Only the key that started the job, or an admin key (``corridor keys create --admin``), may
    cancel it; a job started without a key (a local write) may be cancelled the same way.
    """
    job = store.get_job(job_id, with_result=False)
    if job is None:
        raise Problem(404, f"no simulation job '{job_id}'", title="Unknown job")
    allowed = (
        job.created_by is None if writer is None else writer.admin or job.created_by == writer.id
    )
    if not allowed:
        raise Problem(
            403,
            "only the API key that started this job, or an admin key, may cancel it",
            title="Not your job",
        )
    # Not running in this server: it may run in another one sharing the store. Record the
    # cancellation there; the owner stops the worker at its next lease renewal.
    if not jobs.cancel(job_id) and not store.fail_job(job_id, CANCELLED):
        current = store.get_job(job_id)
        state = current.status.value if current is not None else "gone"
        raise Problem(409, f"the job has already ended ({state})")
    done = store.get_job(job_id)
    assert done is not None
    return job_dict(done)
