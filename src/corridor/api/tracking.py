"""Shipment tracking: booking, milestone events and forecasts, on top of the store.

:class:`Tracker` replays a shipment's stored actual milestones through the conditioned-ETA
functions of the transit layer, applies a new one, forecasts, and stores the event and the
forecast in one transaction. Plans are cached (routing is deterministic for the same inputs), so
an event costs one replay, one sampling and one write.
"""

from __future__ import annotations

import random
import threading
import time
import zlib
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import numpy as np

from corridor.api.dcsa import EventClassifier, milestone_of
from corridor.errors import ModelError
from corridor.facade import eta_document, plan_shipment
from corridor.model import Corridor, Route
from corridor.network import Network
from corridor.store import (
    EventRecord,
    NewForecast,
    ShipmentConflict,
    ShipmentRecord,
    Shipments,
    Store,
    event_key,
    new_shipment,
)
from corridor.transit import (
    DEFAULT_ETA_SAMPLES,
    EtaForecast,
    Milestone,
    Track,
    advance,
    as_utc,
    forecast,
    plan_track,
    replanner,
)

__all__ = [
    "MAX_EVENTS",
    "EventIn",
    "ShipmentBusy",
    "Tracker",
    "forecast_log",
    "may_see",
    "shipment_document",
]

MAX_EVENTS = 200
"""Most events one shipment keeps (a rail journey has a few dozen milestones at most)."""
_ATTEMPTS = 8
_LOCK_STRIPES = 64


class ShipmentBusy(Exception):  # noqa: N818  (a state to report, 503 with Retry-After)
    """Other writers kept changing the shipment while an event was being applied."""


def may_see(rec: ShipmentRecord, *, key_id: int | None, admin: bool = False) -> bool:
    """Whether a caller owns the shipment: its key (``key_id``), the keyless local user
    (``key_id=None``) for shipments booked without a key, or an admin key for any.

    Examples
    --------
    >>> from datetime import date
    >>> rec = new_shipment(origin="a", destination="b", depart=date(2025, 1, 6),
    ...                    service="standard", samples=100, seed=1, created_by=7)
    >>> may_see(rec, key_id=7), may_see(rec, key_id=8), may_see(rec, key_id=8, admin=True)
    (True, False, True)
    >>> may_see(rec, key_id=None)
    False
    """
    return admin or rec.created_by == key_id


@dataclass(frozen=True, slots=True, kw_only=True)
class EventIn:
    """A milestone event resolved to the network: what the route layer hands the tracker."""

    classifier: str
    event_type: str
    node: str
    at: datetime
    body: Mapping[str, Any]

    @property
    def milestone(self) -> Milestone:
        """The event as a milestone (by :data:`corridor.api.dcsa.MILESTONES`)."""
        return Milestone(node=self.node, at=self.at, kind=milestone_of(self.event_type))


class _Lru:
    """A small thread-safe memo of routes."""

    def __init__(self, size: int = 256) -> None:
        self._items: OrderedDict[tuple[object, ...], Route] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, key: tuple[object, ...], make: Callable[[], Route]) -> Route:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
                return found
        route = make()
        with self._lock:
            self._items[key] = route
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return route


def _aware(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC)


def _new_forecast(f: EtaForecast, doc: dict[str, Any]) -> NewForecast:
    st = f.stage
    return NewForecast(
        as_of=_aware(f.track.clock),
        eta_p10=_aware(st.eta_p10),
        eta_p50=_aware(st.eta_p50),
        eta_p90=_aware(st.eta_p90),
        on_time_probability=st.on_time_probability,
        body=doc,
    )


class Tracker:
    """Books shipments, applies their events and keeps their ETA history."""

    def __init__(self, store: Store, network: Callable[[], Network]) -> None:
        self.shipments = Shipments(store)
        self._network = network
        self._plans = _Lru()
        # Events to one shipment are applied one at a time in this server (a lock stripe per
        # shipment id); writers in other servers are caught by the version check and retried.
        self._locks = tuple(threading.Lock() for _ in range(_LOCK_STRIPES))

    # --- planning (memoised) --------------------------------------------------------------

    def _plan(self, rec: ShipmentRecord) -> Route:
        key = (
            "plan",
            rec.origin,
            rec.destination,
            rec.depart.month,
            rec.year,
            rec.corridor,
            rec.service,
        )
        return self._plans.get(
            key,
            lambda: plan_shipment(
                self._network(),
                rec.origin,
                rec.destination,
                depart=rec.depart,
                year=rec.year,
                corridor=rec.corridor,
                service=rec.service,
            ),
        )

    def _planner(self, rec: ShipmentRecord, planned: Route) -> Callable[..., Route]:
        corridor = Corridor(rec.corridor) if rec.corridor else planned.corridor
        year = rec.year if rec.year is not None else rec.depart.year
        inner = replanner(self._network(), year=year, corridor=corridor, service=rec.service)

        def plan(a: str, b: str, m: Milestone | None) -> Route:
            how = (m.kind.value, m.at.month) if m is not None else None
            key = ("re", a, b, how, rec.year, corridor, rec.service)
            return self._plans.get(key, lambda: inner(a, b, m))

        return plan

    def _names(self, node: str) -> str:
        nodes = self._network().nodes
        return nodes[node].name if node in nodes else node

    def replay(
        self, rec: ShipmentRecord, extra: Milestone | None = None, *, now: datetime | None = None
    ) -> Track:
        """The shipment's track after its actual milestones (and ``extra``, if given).

        Raises
        ------
        MilestoneError, NoRouteError
            For an ``extra`` milestone that cannot follow the stored ones.
        """
        planned = self._plan(rec)
        planner = self._planner(rec, planned)
        track = plan_track(planned, rec.depart)
        far_future = datetime(2200, 1, 1)
        for e in rec.events:
            if e.classifier == EventClassifier.ACTUAL:
                m = Milestone(node=e.node, at=e.event_time, kind=e.milestone)
                track = advance(track, m, planner=planner, now=far_future, names=self._names)
        if extra is not None:
            track = advance(track, extra, planner=planner, now=now, names=self._names)
        return track

    def _forecast(
        self, rec: ShipmentRecord, track: Track, *, now: datetime | None = None
    ) -> tuple[EtaForecast, dict[str, Any]]:
        deadline = as_utc(rec.deadline) if rec.deadline is not None else None
        f = forecast(track, samples=rec.samples, seed=rec.seed, deadline=deadline, now=now)
        net = self._network()
        doc = eta_document(
            f,
            [f.stage],
            origin=net.nodes[rec.origin],
            destination=net.nodes[rec.destination],
            depart=rec.depart,
            service=rec.service,
            samples=rec.samples,
            seed=rec.seed,
            deadline=deadline,
            network=net,
            year=rec.year,
        )
        doc.pop("stages")
        return f, doc

    def eta_now(self, rec: ShipmentRecord, *, now: datetime | None = None) -> dict[str, Any] | None:
        """The ETA document of an undelivered shipment as of ``now`` (default: this clock).

        The stored forecasts are those made at each milestone; this one is conditioned on the
        silence since the last of them (no arrival by ``now``), so the band moves forward with
        the clock and says whether the shipment is overdue. ``None`` for a delivered shipment
        (its last stored forecast is final).
        """
        if rec.arrived_at is not None:
            return None
        present = as_utc(now) if now is not None else datetime.now(UTC).replace(tzinfo=None)
        track = self.replay(rec)
        if track.delivered:
            return None
        _f, doc = self._forecast(rec, track, now=present)
        return doc

    # --- operations -----------------------------------------------------------------------

    def book(
        self,
        *,
        origin: str,
        destination: str,
        depart: date,
        service: str,
        reference: str | None = None,
        corridor: str | None = None,
        year: int | None = None,
        deadline: datetime | None = None,
        created_by: int | None = None,
        samples: int = DEFAULT_ETA_SAMPLES,
        seed: int = 1,
    ) -> ShipmentRecord:
        """Plan and store a new shipment with its forecast at departure.

        Raises
        ------
        NoRouteError, ModelError
        """
        if origin == destination:
            raise ModelError("origin and destination are the same place")
        draft = new_shipment(
            origin=origin,
            destination=destination,
            depart=depart,
            service=service,
            samples=samples,
            seed=seed,
            reference=reference,
            corridor=corridor,
            year=year,
            deadline=deadline,
            created_by=created_by,
        )
        f, doc = self._forecast(draft, self.replay(draft))
        return self.shipments.add(draft, _new_forecast(f, doc))

    def post_event(
        self,
        shipment_id: str,
        event: EventIn,
        *,
        created_by: int | None = None,
        now: datetime | None = None,
        may_write: Callable[[ShipmentRecord], bool] | None = None,
    ) -> tuple[ShipmentRecord, EventRecord, bool] | None:
        """Store an event and, for an actual milestone, the forecast that follows it.

        Returns the updated shipment, the event and whether it was new (False: the same event
        was stored before, nothing changed); ``None`` when there is no such shipment, or
        ``may_write`` says the caller may not change it.

        Raises
        ------
        MilestoneError, NoRouteError
            For an actual milestone that cannot follow the stored ones.
        ModelError
            When the shipment has :data:`MAX_EVENTS` events already.
        ShipmentBusy
            When other servers kept changing the shipment (a retryable state).
        """
        key = event_key(event.classifier, event.event_type, event.node, event.at)
        lock = self._locks[zlib.crc32(shipment_id.encode()) % _LOCK_STRIPES]
        for attempt in range(_ATTEMPTS):
            try:
                with lock:
                    return self._apply(
                        shipment_id,
                        event,
                        key,
                        created_by=created_by,
                        now=now,
                        may_write=may_write,
                    )
            except ShipmentConflict:
                pass
            # another server stored an event meanwhile: replay on the new state after a pause
            time.sleep(random.uniform(0.0, 0.05 * 2**attempt))
        raise ShipmentBusy(shipment_id)

    def _apply(
        self,
        shipment_id: str,
        event: EventIn,
        key: str,
        *,
        created_by: int | None,
        now: datetime | None,
        may_write: Callable[[ShipmentRecord], bool] | None,
    ) -> tuple[ShipmentRecord, EventRecord, bool] | None:
        rec = self.shipments.get(shipment_id)
        if rec is None or (may_write is not None and not may_write(rec)):
            return None
        existing = next((e for e in rec.events if e.key == key), None)
        if existing is not None:
            return rec, existing, False
        if len(rec.events) >= MAX_EVENTS:
            raise ModelError(f"a shipment keeps at most {MAX_EVENTS} events")
        new_forecast = None
        delivered_at = None
        if event.classifier == EventClassifier.ACTUAL:
            track = self.replay(rec, event.milestone, now=now)
            f, doc = self._forecast(rec, track)
            new_forecast = _new_forecast(f, doc)
            if track.delivered:
                delivered_at = _aware(event.milestone.at)
        stored, created = self.shipments.add_event(
            shipment_id,
            expected_version=rec.version,
            key=key,
            classifier=event.classifier,
            event_type=event.event_type,
            milestone=event.milestone.kind,
            node=event.node,
            event_time=_aware(event.milestone.at),
            body=event.body,
            forecast=new_forecast,
            delivered_at=delivered_at,
            created_by=created_by,
        )  # ShipmentConflict: another server stored an event since the read
        if not created:
            return rec, stored, False
        updated = self.shipments.get(shipment_id)
        assert updated is not None
        return updated, stored, created


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    return as_utc(value).isoformat(timespec="minutes")


def event_document(e: EventRecord) -> dict[str, Any]:
    """A stored event as the API shows it: the event as posted, plus what it was taken as."""
    return {
        "id": e.id,
        "seq": e.seq,
        **e.body,
        "node": e.node,
        "milestone": str(e.milestone),
        "recordedDateTime": _iso(e.recorded_at),
    }


def _overdue(rec: ShipmentRecord, now: dict[str, Any] | None) -> bool:
    """Past the P90 of the forecast made at the last milestone, and not delivered.

    The live ETA document says so itself; without one (a list of shipments, no sampling) the
    last stored forecast is that forecast, so the test is a comparison with the clock.
    """
    if now is not None:
        return bool(now.get("overdue"))
    if rec.arrived_at is not None or not rec.forecasts:
        return False
    return datetime.now(UTC) > rec.forecasts[-1].eta_p90


def shipment_document(
    rec: ShipmentRecord, network: Network, now: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The shipment, its events, the ETA now and the ETA history (one entry per forecast).

    ``now`` is the ETA document as of the present (:meth:`Tracker.eta_now`); without it the
    ETA is the last stored forecast. ``overdue`` is true when the shipment, not delivered, is
    past the P90 of the forecast made at its last milestone.
    """
    nodes = network.nodes
    history = []
    for f in rec.forecasts:
        band = (f.eta_p90 - f.eta_p10).total_seconds() / 86_400.0
        entry: dict[str, Any] = {
            "stage": f.stage,
            "event_id": f.event_id,
            "as_of": _iso(f.as_of),
            "eta": {"p10": _iso(f.eta_p10), "p50": _iso(f.eta_p50), "p90": _iso(f.eta_p90)},
            "band_days": round(band, 2),
        }
        if f.on_time_probability is not None:
            entry["on_time_probability"] = round(f.on_time_probability, 4)
        history.append(entry)
    return {
        "id": rec.id,
        "reference": rec.reference,
        "origin": {"id": rec.origin, "name": nodes[rec.origin].name},
        "destination": {"id": rec.destination, "name": nodes[rec.destination].name},
        "depart": rec.depart.isoformat(),
        "service": rec.service,
        "corridor": rec.corridor,
        "deadline": _iso(rec.deadline),
        "status": str(rec.status),
        "arrived_at": _iso(rec.arrived_at),
        "created_at": rec.created_at.isoformat(),
        "eta": now if now is not None else (rec.forecasts[-1].body if rec.forecasts else None),
        "overdue": _overdue(rec, now),
        "events": [event_document(e) for e in rec.events],
        "forecasts": history,
    }


def forecast_log(finished: list[ShipmentRecord]) -> dict[str, Any]:
    """How often the actual arrival fell inside the forecast P10–P90, by stage.

    Stage 0 is the forecast at booking, stage ``k`` the one after the ``k``-th actual
    milestone; the final forecast (made on the arrival itself, with no spread) is left out.
    A well-calibrated forecaster has about 80 % inside, 10 % early and 10 % late at every stage.
    """
    stages: dict[int, list[tuple[bool, bool, float]]] = {}
    for rec in finished:
        if rec.arrived_at is None:
            continue
        actual = rec.arrived_at
        for f in rec.forecasts:
            if f.as_of >= actual:
                continue
            early = actual < f.eta_p10
            late = actual > f.eta_p90
            err = (actual - f.eta_p50).total_seconds() / 86_400.0
            stages.setdefault(f.stage, []).append((early, late, err))
    rows = []
    for stage in sorted(stages):
        items = stages[stage]
        n = len(items)
        n_early = sum(1 for e, _, _ in items if e)
        n_late = sum(1 for _, la, _ in items if la)
        errors = np.array([x for _, _, x in items])
        rows.append(
            {
                "stage": stage,
                "forecasts": n,
                "inside_p10_p90": round((n - n_early - n_late) / n, 4),
                "early": round(n_early / n, 4),
                "late": round(n_late / n, 4),
                "p50_error_days": {
                    "mean": round(float(errors.mean()), 2),
                    "mean_abs": round(float(np.abs(errors).mean()), 2),
                },
            }
        )
    return {
        "shipments": sum(1 for r in finished if r.arrived_at is not None),
        "expected_inside": 0.8,
        "stages": rows,
    }
