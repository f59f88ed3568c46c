"""``/api/v1/shipments``: track containers, with an ETA that updates as milestones come in.

A shipment and its events belong to the key that booked it (or, for a booking without a key,
to the local user of a ``corridor serve`` on loopback): only that key, or an admin key, reads,
lists or changes it. Another caller is told there is no such shipment (404), so booking
references do not leak. Every shipments endpoint needs a key (or a local client).
"""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response, status
from fastapi.concurrency import run_in_threadpool

from corridor.api.deps import NetworkDep, ServicesDep, WriterDep
from corridor.api.problems import Problem
from corridor.api.schemas import ProblemOut
from corridor.api.shipment_schemas import (
    EventIn,
    ForecastLogOut,
    ShipmentIn,
    ShipmentListOut,
    ShipmentOut,
)
from corridor.api.tracking import EventIn as TrackedEvent
from corridor.api.tracking import ShipmentBusy, forecast_log, may_see, shipment_document
from corridor.errors import NodeNotFoundError
from corridor.network import Network
from corridor.store import ApiKeyRecord, ShipmentRecord

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["shipments"])

ShipmentId = Annotated[str, Path(min_length=1, max_length=36, description="The shipment's id.")]
_WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ProblemOut, "description": "API key missing or invalid."},
    404: {"model": ProblemOut, "description": "Unknown shipment (or another key's) or place."},
    422: {"model": ProblemOut, "description": "Invalid event: future, out of order, no route."},
}
_READ_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ProblemOut, "description": "API key missing or invalid."},
    404: {"model": ProblemOut, "description": "Unknown shipment, or another key's."},
}
_BUSY_RETRY_S = 1


def _owned(rec: ShipmentRecord | None, caller: ApiKeyRecord | None) -> bool:
    if rec is None:
        return False
    if caller is None:
        return may_see(rec, key_id=None)
    return may_see(rec, key_id=caller.id, admin=caller.admin)


def _resolve(net: Network, event: EventIn) -> str:
    loc = event.eventLocation
    query = loc.UNLocationCode or loc.locationName or ""
    try:
        return net.node(query).id
    except NodeNotFoundError as exc:
        # a place in the body is invalid input (422), not a missing resource
        raise Problem(
            422, f"eventLocation: {exc}", title="Unknown place", candidates=exc.candidates
        ) from None


@router.post(
    "/shipments",
    status_code=status.HTTP_201_CREATED,
    response_model=ShipmentOut,
    response_model_exclude_none=True,
    responses=_WRITE_ERRORS,
)
async def create_shipment(
    body: ShipmentIn, services: ServicesDep, net: NetworkDep, writer: WriterDep
) -> dict[str, Any]:
    """Book a shipment: plan its route and make the first ETA forecast."""
    o, d = net.node(body.origin), net.node(body.destination)
    deadline = None
    if body.deadline is not None:
        from corridor.facade import parse_deadline  # noqa: PLC0415

        deadline = parse_deadline(body.deadline)
    tracker = services.tracker

    def book() -> tuple[ShipmentRecord, dict[str, Any] | None]:
        rec = tracker.book(
            origin=o.id,
            destination=d.id,
            depart=body.depart,
            service=body.service,
            reference=body.reference,
            corridor=body.corridor,
            year=body.year,
            deadline=deadline,
            created_by=writer.id if writer is not None else None,
        )
        return rec, tracker.eta_now(rec)

    # one admission for the booking and its ETA now: a stored booking is always answered
    rec, now = await services.compute.run_here(book)
    return shipment_document(rec, net, now)


@router.get("/shipments", response_model=ShipmentListOut, responses=_READ_ERRORS)
def list_shipments(
    services: ServicesDep,
    net: NetworkDep,
    caller: WriterDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> dict[str, Any]:
    """The caller's shipments, newest first, without their events (an admin key: all)."""
    found = services.tracker.shipments.recent(
        limit=limit,
        offset=offset,
        created_by=caller.id if caller is not None else None,
        everyone=caller is not None and caller.admin,
    )
    out = []
    for rec in found:
        doc = shipment_document(rec, net)
        out.append({k: doc[k] for k in ShipmentListKeys})
    return {"shipments": out}


ShipmentListKeys = (
    "id",
    "reference",
    "origin",
    "destination",
    "depart",
    "service",
    "status",
)


@router.get(
    "/shipments/{shipment_id}",
    response_model=ShipmentOut,
    response_model_exclude_none=True,
    responses=_READ_ERRORS,
)
async def get_shipment(
    shipment_id: ShipmentId, services: ServicesDep, net: NetworkDep, caller: WriterDep
) -> dict[str, Any]:
    """The shipment, its events, the ETA now and the history of its forecasts.

    The ETA is conditioned on the silence since the last milestone (no arrival by now):
    ``overdue`` is true past the P90 forecast at that milestone.
    """
    tracker = services.tracker
    rec = await run_in_threadpool(tracker.shipments.get, shipment_id)
    if rec is None or not _owned(rec, caller):
        raise Problem(404, f"no shipment '{shipment_id}'")
    now = await services.compute.run_here(partial(tracker.eta_now, rec))  # a forecast: admitted
    return shipment_document(rec, net, now)


@router.post(
    "/shipments/{shipment_id}/events",
    status_code=status.HTTP_201_CREATED,
    response_model=ShipmentOut,
    response_model_exclude_none=True,
    responses={
        **_WRITE_ERRORS,
        200: {"description": "The same event was stored before."},
        503: {"model": ProblemOut, "description": "Busy with other writers: retry (Retry-After)."},
    },
)
async def post_event(
    *,
    shipment_id: ShipmentId,
    body: EventIn,
    response: Response,
    services: ServicesDep,
    net: NetworkDep,
    writer: WriterDep,
) -> dict[str, Any]:
    """Add a milestone event; an actual one (ACT) re-forecasts from that node and time.

    Posting the same event again (same classifier, type, place and time to the minute) stores
    nothing and answers 200 with ``duplicate: true``.
    """
    node = _resolve(net, body)
    event = TrackedEvent(
        classifier=str(body.eventClassifierCode),
        event_type=str(body.type_code),
        node=node,
        at=body.eventDateTime,
        body=body.model_dump(mode="json", exclude_none=True),
    )
    tracker = services.tracker

    def post() -> tuple[tuple[ShipmentRecord, Any, bool] | None, dict[str, Any] | None]:
        result = tracker.post_event(
            shipment_id,
            event,
            created_by=writer.id if writer is not None else None,
            may_write=lambda rec: _owned(rec, writer),
        )
        return result, tracker.eta_now(result[0]) if result is not None else None

    try:
        # one admission for the event and the ETA now: a stored event is always answered
        result, now = await services.compute.run_here(post)
    except ShipmentBusy:
        raise Problem(
            503,
            "the shipment is being updated by other writers; try again",
            title="Busy",
            headers={"Retry-After": str(_BUSY_RETRY_S)},
        ) from None
    if result is None:
        raise Problem(404, f"no shipment '{shipment_id}'")
    rec, _stored, created = result
    if not created:
        response.status_code = status.HTTP_200_OK
    doc = shipment_document(rec, net, now)
    doc["duplicate"] = not created
    return doc


@router.get("/forecast-log", response_model=ForecastLogOut)
def get_forecast_log(services: ServicesDep) -> dict[str, Any]:
    """For delivered shipments: how often the arrival fell inside the forecast P10–P90."""
    return forecast_log(services.tracker.shipments.finished())
