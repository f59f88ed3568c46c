"""Shipments: a planned journey, the milestone events seen, and every ETA forecast made.

The tables are declared here (on the store's declarative base) and created by the migration
``0002_shipments``. :class:`Shipments` wraps a :class:`~corridor.store.Store`'s engine with the
few operations the service needs; every write is one transaction, and posting an event is
idempotent: the same event (same classifier, type, place and time) is stored once.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from corridor.store.models import Base
from corridor.store.store import Store
from corridor.transit import MilestoneKind, ShipmentStatus

__all__ = [
    "EventRecord",
    "ForecastRecord",
    "NewForecast",
    "ShipmentConflict",
    "ShipmentEventRow",
    "ShipmentForecastRow",
    "ShipmentRecord",
    "ShipmentRow",
    "Shipments",
    "event_key",
    "new_shipment",
]


class ShipmentRow(Base):
    """A shipment: what was booked and its state."""

    __tablename__ = "shipments"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    reference: Mapped[str | None] = mapped_column(String(100))
    origin: Mapped[str] = mapped_column(String(64))
    destination: Mapped[str] = mapped_column(String(64))
    depart: Mapped[date] = mapped_column(Date)
    service: Mapped[str] = mapped_column(String(16))
    corridor: Mapped[str | None] = mapped_column(String(16))
    year: Mapped[int | None] = mapped_column(Integer)
    deadline: Mapped[datetime | None]
    samples: Mapped[int] = mapped_column(Integer)
    seed: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), index=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
    arrived_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(index=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("api_keys.id"))


class ShipmentEventRow(Base):
    """A milestone event as posted (shaped like DCSA Track & Trace), with its resolved node."""

    __tablename__ = "shipment_events"
    __table_args__ = (UniqueConstraint("shipment_id", "event_key", name="uq_shipment_event"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    shipment_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("shipments.id", ondelete="CASCADE"), index=True
    )
    seq: Mapped[int] = mapped_column(Integer)
    event_key: Mapped[str] = mapped_column(String(64))
    classifier: Mapped[str] = mapped_column(String(3))
    event_type: Mapped[str] = mapped_column(String(4))
    milestone: Mapped[str] = mapped_column(String(3))
    node: Mapped[str] = mapped_column(String(64))
    event_time: Mapped[datetime]
    body: Mapped[dict[str, Any]]
    recorded_at: Mapped[datetime]
    created_by: Mapped[int | None] = mapped_column(ForeignKey("api_keys.id"))


class ShipmentForecastRow(Base):
    """One ETA forecast of a shipment: at booking (stage 0), then after each actual milestone."""

    __tablename__ = "shipment_forecasts"
    __table_args__ = (UniqueConstraint("shipment_id", "stage", name="uq_shipment_forecast"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    shipment_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("shipments.id", ondelete="CASCADE"), index=True
    )
    stage: Mapped[int] = mapped_column(Integer)
    event_id: Mapped[str | None] = mapped_column(
        String(36), ForeignKey("shipment_events.id", ondelete="CASCADE")
    )
    as_of: Mapped[datetime]
    eta_p10: Mapped[datetime]
    eta_p50: Mapped[datetime]
    eta_p90: Mapped[datetime]
    on_time_probability: Mapped[float | None] = mapped_column(Float)
    body: Mapped[dict[str, Any]]
    created_at: Mapped[datetime]


@dataclass(frozen=True, slots=True, kw_only=True)
class EventRecord:
    """A stored milestone event."""

    id: str
    seq: int
    key: str
    classifier: str
    event_type: str
    milestone: MilestoneKind
    node: str
    event_time: datetime
    body: dict[str, Any]
    recorded_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class ForecastRecord:
    """A stored ETA forecast; ``body`` is the ETA document of that moment."""

    stage: int
    event_id: str | None
    as_of: datetime
    eta_p10: datetime
    eta_p50: datetime
    eta_p90: datetime
    on_time_probability: float | None
    body: dict[str, Any]
    created_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class ShipmentRecord:
    """A shipment with its events (in the order accepted) and its forecasts (by stage)."""

    id: str
    reference: str | None
    origin: str
    destination: str
    depart: date
    service: str
    corridor: str | None
    year: int | None
    deadline: datetime | None
    samples: int
    seed: int
    status: ShipmentStatus
    version: int
    arrived_at: datetime | None
    created_at: datetime
    created_by: int | None
    events: tuple[EventRecord, ...] = ()
    forecasts: tuple[ForecastRecord, ...] = ()


class ShipmentConflict(Exception):  # noqa: N818  (a signal to retry, not a failure)
    """The shipment changed since it was read (another event was stored meanwhile)."""


def event_key(classifier: str, event_type: str, node: str, when: datetime) -> str:
    """The identity of an event: SHA-256 of its classifier, type, node and UTC minute.

    Examples
    --------
    >>> a = event_key("ACT", "DEPA", "aktau", datetime(2025, 1, 14, 8, 0))
    >>> a == event_key("ACT", "DEPA", "aktau", datetime(2025, 1, 14, 8, 0, 30))
    True
    >>> a == event_key("EST", "DEPA", "aktau", datetime(2025, 1, 14, 8, 0))
    False
    """
    stamp = _naive_utc(when).strftime("%Y-%m-%dT%H:%M")
    text = json.dumps([classifier, event_type, node, stamp])
    return hashlib.sha256(text.encode()).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)


def _naive_utc(value: datetime) -> datetime:
    return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value


def _aware(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _event(row: ShipmentEventRow) -> EventRecord:
    return EventRecord(
        id=row.id,
        seq=row.seq,
        key=row.event_key,
        classifier=row.classifier,
        event_type=row.event_type,
        milestone=MilestoneKind(row.milestone),
        node=row.node,
        event_time=_aware(row.event_time) or row.event_time,
        body=dict(row.body),
        recorded_at=_aware(row.recorded_at) or row.recorded_at,
    )


def _forecast(row: ShipmentForecastRow) -> ForecastRecord:
    return ForecastRecord(
        stage=row.stage,
        event_id=row.event_id,
        as_of=_aware(row.as_of) or row.as_of,
        eta_p10=_aware(row.eta_p10) or row.eta_p10,
        eta_p50=_aware(row.eta_p50) or row.eta_p50,
        eta_p90=_aware(row.eta_p90) or row.eta_p90,
        on_time_probability=row.on_time_probability,
        body=dict(row.body),
        created_at=_aware(row.created_at) or row.created_at,
    )


def _shipment(
    row: ShipmentRow,
    events: list[ShipmentEventRow] | None = None,
    forecasts: list[ShipmentForecastRow] | None = None,
) -> ShipmentRecord:
    return ShipmentRecord(
        id=row.id,
        reference=row.reference,
        origin=row.origin,
        destination=row.destination,
        depart=row.depart,
        service=row.service,
        corridor=row.corridor,
        year=row.year,
        deadline=_aware(row.deadline),
        samples=row.samples,
        seed=row.seed,
        status=ShipmentStatus(row.status),
        version=row.version,
        arrived_at=_aware(row.arrived_at),
        created_at=_aware(row.created_at) or row.created_at,
        created_by=row.created_by,
        events=tuple(_event(e) for e in events or ()),
        forecasts=tuple(_forecast(f) for f in forecasts or ()),
    )


def new_shipment(
    *,
    origin: str,
    destination: str,
    depart: date,
    service: str,
    samples: int,
    seed: int,
    reference: str | None = None,
    corridor: str | None = None,
    year: int | None = None,
    deadline: datetime | None = None,
    created_by: int | None = None,
) -> ShipmentRecord:
    """A shipment just booked (in transit, no events yet): the one place a new shipment is made.

    :meth:`Shipments.add` stores it; the tracker forecasts it before that.
    """
    row = ShipmentRow(
        id=str(uuid.uuid4()),
        reference=reference,
        origin=origin,
        destination=destination,
        depart=depart,
        service=service,
        corridor=corridor,
        year=year,
        deadline=deadline,
        samples=samples,
        seed=seed,
        status=str(ShipmentStatus.IN_TRANSIT),
        version=0,
        created_at=_now(),
        created_by=created_by,
    )
    return _shipment(row)


@dataclass(frozen=True, slots=True, kw_only=True)
class NewForecast:
    """A forecast to store: the ETA band and the document it comes from."""

    as_of: datetime
    eta_p10: datetime
    eta_p50: datetime
    eta_p90: datetime
    on_time_probability: float | None
    body: Mapping[str, Any]


class Shipments:
    """The shipments of a store.

    Examples
    --------
    >>> store = Store("sqlite://")
    >>> ships = Shipments(store)
    >>> t = datetime(2025, 1, 6)
    >>> first = NewForecast(as_of=t, eta_p10=t, eta_p50=t, eta_p90=t,
    ...                     on_time_probability=None, body={})
    >>> s = ships.add(new_shipment(origin="xian", destination="istanbul",
    ...                            depart=date(2025, 1, 6), service="standard",
    ...                            samples=1000, seed=1), first)
    >>> str(ships.get(s.id).status)
    'in_transit'
    >>> store.close()
    """

    def __init__(self, store: Store) -> None:
        self._sessions = sessionmaker(store.engine, expire_on_commit=False)

    @contextmanager
    def _session(self) -> Iterator[Session]:
        with self._sessions.begin() as session:
            yield session

    def add(self, draft: ShipmentRecord, forecast: NewForecast) -> ShipmentRecord:
        """Store a shipment made by :func:`new_shipment` with its first forecast (stage 0)."""
        row = ShipmentRow(
            id=draft.id,
            reference=draft.reference,
            origin=draft.origin,
            destination=draft.destination,
            depart=draft.depart,
            service=draft.service,
            corridor=draft.corridor,
            year=draft.year,
            deadline=draft.deadline,
            samples=draft.samples,
            seed=draft.seed,
            status=str(draft.status),
            version=draft.version,
            created_at=draft.created_at,
            created_by=draft.created_by,
        )
        fc = _forecast_row(row.id, 0, None, forecast, draft.created_at)
        with self._session() as s:
            s.add(row)
            s.flush()
            s.add(fc)
            s.flush()
            return _shipment(row, [], [fc])

    def get(self, shipment_id: str) -> ShipmentRecord | None:
        """A shipment with its events and forecasts, or None."""
        with self._session() as s:
            row = s.get(ShipmentRow, shipment_id)
            if row is None:
                return None
            events = list(
                s.scalars(
                    select(ShipmentEventRow)
                    .where(ShipmentEventRow.shipment_id == shipment_id)
                    .order_by(ShipmentEventRow.seq)
                )
            )
            forecasts = list(
                s.scalars(
                    select(ShipmentForecastRow)
                    .where(ShipmentForecastRow.shipment_id == shipment_id)
                    .order_by(ShipmentForecastRow.stage)
                )
            )
            return _shipment(row, events, forecasts)

    def recent(
        self,
        *,
        limit: int = 100,
        offset: int = 0,
        created_by: int | None = None,
        everyone: bool = False,
    ) -> list[ShipmentRecord]:
        """Shipments of one owner (``created_by``: a key id, or None for keyless local
        bookings), or of ``everyone``, without events or forecasts, newest first."""
        query = select(ShipmentRow)
        if not everyone:
            query = query.where(
                ShipmentRow.created_by.is_(None)
                if created_by is None
                else ShipmentRow.created_by == created_by
            )
        query = (
            query.order_by(ShipmentRow.created_at.desc(), ShipmentRow.id)
            .limit(limit)
            .offset(offset)
        )
        with self._session() as s:
            return [_shipment(r) for r in s.scalars(query)]

    def find_event(self, shipment_id: str, key: str) -> EventRecord | None:
        """The stored event with this identity, if any."""
        with self._session() as s:
            row = s.scalar(
                select(ShipmentEventRow).where(
                    ShipmentEventRow.shipment_id == shipment_id,
                    ShipmentEventRow.event_key == key,
                )
            )
            return _event(row) if row is not None else None

    def add_event(
        self,
        shipment_id: str,
        *,
        expected_version: int,
        key: str,
        classifier: str,
        event_type: str,
        milestone: MilestoneKind | str,
        node: str,
        event_time: datetime,
        body: Mapping[str, Any],
        forecast: NewForecast | None,
        delivered_at: datetime | None = None,
        created_by: int | None = None,
    ) -> tuple[EventRecord, bool]:
        """Store an event (and the forecast it led to) unless the same event is stored already.

        Returns the event and whether it was new (the unique constraint on the event's
        identity decides). The shipment must still be at ``expected_version`` (what the
        forecast was computed from).

        Raises
        ------
        ShipmentConflict
            If another event was stored since the shipment was read.
        LookupError
            If there is no such shipment.
        """
        now = _now()
        try:
            with self._session() as s:
                values: dict[str, Any] = {"version": expected_version + 1}
                if delivered_at is not None:
                    values |= {"status": str(ShipmentStatus.DELIVERED), "arrived_at": delivered_at}
                bumped = s.execute(
                    update(ShipmentRow)
                    .where(ShipmentRow.id == shipment_id, ShipmentRow.version == expected_version)
                    .values(**values)
                )
                if bumped.rowcount == 0:  # type: ignore[attr-defined]
                    if s.get(ShipmentRow, shipment_id) is None:
                        raise LookupError(shipment_id)
                    raise ShipmentConflict(shipment_id)
                row = ShipmentEventRow(
                    id=str(uuid.uuid4()),
                    shipment_id=shipment_id,
                    seq=expected_version + 1,
                    event_key=key,
                    classifier=classifier,
                    event_type=event_type,
                    milestone=str(milestone),
                    node=node,
                    event_time=event_time,
                    body=dict(body),
                    recorded_at=now,
                    created_by=created_by,
                )
                s.add(row)
                s.flush()
                if forecast is not None:
                    stage = (
                        s.scalar(
                            select(ShipmentForecastRow.stage)
                            .where(ShipmentForecastRow.shipment_id == shipment_id)
                            .order_by(ShipmentForecastRow.stage.desc())
                            .limit(1)
                        )
                        or 0
                    ) + 1
                    s.add(_forecast_row(shipment_id, stage, row.id, forecast, now))
                return _event(row), True
        except IntegrityError:
            # the same event stored concurrently: idempotent
            again = self.find_event(shipment_id, key)
            if again is None:
                raise
            return again, False

    def finished(self, *, limit: int = 10_000) -> list[ShipmentRecord]:
        """Delivered shipments with their forecasts (for the forecast log), newest first."""
        with self._session() as s:
            rows = list(
                s.scalars(
                    select(ShipmentRow)
                    .where(ShipmentRow.status == str(ShipmentStatus.DELIVERED))
                    .order_by(ShipmentRow.created_at.desc())
                    .limit(limit)
                )
            )
            out = []
            for row in rows:
                forecasts = list(
                    s.scalars(
                        select(ShipmentForecastRow)
                        .where(ShipmentForecastRow.shipment_id == row.id)
                        .order_by(ShipmentForecastRow.stage)
                    )
                )
                out.append(_shipment(row, [], forecasts))
            return out


def _forecast_row(
    shipment_id: str, stage: int, event_id: str | None, f: NewForecast, now: datetime
) -> ShipmentForecastRow:
    return ShipmentForecastRow(
        shipment_id=shipment_id,
        stage=stage,
        event_id=event_id,
        as_of=f.as_of,
        eta_p10=f.eta_p10,
        eta_p50=f.eta_p50,
        eta_p90=f.eta_p90,
        on_time_probability=f.on_time_probability,
        body=dict(f.body),
        created_at=now,
    )
