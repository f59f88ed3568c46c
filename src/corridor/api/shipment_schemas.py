"""Request and response schemas of the shipments API.

Events are shaped like DCSA Track & Trace (v2) events: ``eventClassifierCode`` (``ACT`` actual,
``EST`` estimated, ``PLN`` planned), ``eventType`` with its ``transportEventTypeCode`` (``ARRI``,
``DEPA``) or ``equipmentEventTypeCode`` (``GTIN`` gate in, ``DISC`` discharged: the container
is at the place; ``GTOT`` gate out: it left), ``eventDateTime`` and ``eventLocation``
(``UNLocationCode`` or ``locationName``); the codes are those of :mod:`corridor.api.dcsa`.

An event holds these fields and a few optional DCSA ones of bounded size (``eventCreatedDateTime``,
``equipmentReference``, ``ISOEquipmentCode``, ``emptyIndicatorCode``, ``delayReasonCode``,
``changeRemark``; ``facilityCode`` in the location): any other field is refused (422), so a stored
event, and every read of its shipment, stays small.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from corridor.api.dcsa import (
    EquipmentEventType,
    EventClassifier,
    EventType,
    TransportEventType,
)
from corridor.transit import MilestoneKind, ShipmentStatus

__all__ = [
    "EventIn",
    "EventLocationIn",
    "ForecastLogOut",
    "ShipmentEventOut",
    "ShipmentIn",
    "ShipmentListOut",
    "ShipmentOut",
]

_TEXT = r"^[^\x00-\x1f\x7f]+$"
_EARLIEST = datetime(2000, 1, 1)
_LATEST = datetime(2100, 12, 31)


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Out(BaseModel):
    model_config = ConfigDict(extra="allow")


class ShipmentIn(_In):
    """A shipment to track: where from, where to, when it leaves."""

    origin: str = Field(min_length=1, max_length=100, pattern=_TEXT, examples=["Xi'an"])
    destination: str = Field(min_length=1, max_length=100, pattern=_TEXT, examples=["Istanbul"])
    depart: date = Field(
        description="Departure date (the journey starts at 00:00 UTC).", examples=["2025-01-06"]
    )
    service: Literal["express", "standard"] = "standard"
    deadline: date | None = Field(
        default=None, description="Due by the end of this date (UTC): adds P(on time)."
    )
    reference: str | None = Field(
        default=None, max_length=100, pattern=_TEXT, description="Your reference (booking, BL)."
    )
    corridor: Literal["middle", "north-south", "northern", "southern", "maritime"] | None = Field(
        default=None, description="Plan within this corridor (default: the fastest route)."
    )
    year: int | None = Field(default=None, ge=1990, le=2100, description="Network year.")

    @model_validator(mode="after")
    def _dates(self) -> Self:
        if not _EARLIEST.date() <= self.depart <= _LATEST.date():
            raise ValueError("depart must be between 2000-01-01 and 2100-12-31")
        if self.deadline is not None and not self.depart <= self.deadline <= _LATEST.date():
            raise ValueError("deadline must be on or after depart (and before 2101)")
        return self


class EventLocationIn(_In):
    """Where the event happened: a UN/LOCODE or a place name of the network."""

    UNLocationCode: str | None = Field(
        default=None, pattern=r"^[A-Za-z]{2}[A-Za-z2-9]{3}$", examples=["KZAAU"]
    )
    locationName: str | None = Field(  # noqa: N815  (DCSA field name)
        default=None, min_length=1, max_length=100, pattern=_TEXT, examples=["Aktau"]
    )
    facilityCode: str | None = Field(  # noqa: N815  (DCSA field name)
        default=None, max_length=6, pattern=r"^[A-Za-z0-9]+$", description="SMDG or BIC code."
    )

    @model_validator(mode="after")
    def _some_place(self) -> Self:
        if self.UNLocationCode is None and self.locationName is None:
            raise ValueError("give the UNLocationCode or the locationName")
        return self


class EventIn(_In):
    """A milestone event, shaped like a DCSA Track & Trace event (other fields: 422)."""

    eventID: str | None = Field(  # noqa: N815  (DCSA field name)
        default=None, max_length=100, pattern=_TEXT, description="The sender's id of the event."
    )
    eventType: EventType = EventType.TRANSPORT  # noqa: N815
    eventClassifierCode: EventClassifier = Field(  # noqa: N815
        description="ACT: it happened (re-forecasts); EST, PLN: expected (stored only)."
    )
    transportEventTypeCode: TransportEventType | None = None  # noqa: N815
    equipmentEventTypeCode: EquipmentEventType | None = None  # noqa: N815
    eventDateTime: datetime = Field(  # noqa: N815
        description="When (ISO 8601; without an offset it is UTC).",
        examples=["2025-01-14T08:00:00Z"],
    )
    eventLocation: EventLocationIn  # noqa: N815
    eventCreatedDateTime: datetime | None = None  # noqa: N815
    equipmentReference: str | None = Field(  # noqa: N815
        default=None, max_length=15, pattern=_TEXT, description="Container number."
    )
    ISOEquipmentCode: str | None = Field(
        default=None, pattern=r"^[A-Za-z0-9]{4}$", description="ISO 6346 size and type, e.g. 42G1."
    )
    emptyIndicatorCode: Literal["EMPTY", "LADEN"] | None = None  # noqa: N815
    delayReasonCode: str | None = Field(  # noqa: N815
        default=None, max_length=3, pattern=r"^[A-Za-z0-9]+$", description="SMDG delay code."
    )
    changeRemark: str | None = Field(  # noqa: N815
        default=None, max_length=250, pattern=_TEXT, description="Free text, 250 characters."
    )

    @model_validator(mode="after")
    def _type_code(self) -> Self:
        if self.eventType == EventType.TRANSPORT and self.transportEventTypeCode is None:
            raise ValueError("a TRANSPORT event needs transportEventTypeCode (ARRI or DEPA)")
        if self.eventType == EventType.EQUIPMENT and self.equipmentEventTypeCode is None:
            raise ValueError("an EQUIPMENT event needs equipmentEventTypeCode (GTIN, GTOT, DISC)")
        stamp = self.eventDateTime.replace(tzinfo=None)
        if not _EARLIEST <= stamp <= _LATEST:
            raise ValueError("eventDateTime must be between 2000 and 2100")
        return self

    @property
    def type_code(self) -> str:
        """The transport or equipment event type code."""
        code = (
            self.transportEventTypeCode
            if self.eventType == EventType.TRANSPORT
            else self.equipmentEventTypeCode
        )
        assert code is not None
        return code


class ShipmentEventOut(_Out):
    """A stored event: as posted, with the node it was resolved to and what it was taken as."""

    id: str
    seq: int
    eventClassifierCode: str  # noqa: N815
    eventDateTime: str  # noqa: N815
    node: str
    milestone: MilestoneKind
    recordedDateTime: str | None = None  # noqa: N815


class _Band(_Out):
    p10: str
    p50: str
    p90: str


class ForecastOut(_Out):
    """One forecast of the ETA history."""

    stage: int
    event_id: str | None = None
    as_of: str
    eta: _Band
    band_days: float
    on_time_probability: float | None = None


class ShipmentSummaryOut(_Out):
    """A shipment without its events."""

    id: str
    reference: str | None = None
    origin: dict[str, str]
    destination: dict[str, str]
    depart: str
    service: str
    status: ShipmentStatus


class ShipmentOut(ShipmentSummaryOut):
    """A shipment, its events, the ETA now (as ``corridor eta --json``) and its history."""

    corridor: str | None = None
    deadline: str | None = None
    arrived_at: str | None = None
    created_at: str
    eta: dict[str, Any] | None = None
    overdue: bool = Field(
        False,
        description="Not delivered and past the P90 of the forecast made at the last milestone "
        "(the ETA itself is conditioned on no arrival since then).",
    )
    events: list[ShipmentEventOut]
    forecasts: list[ForecastOut]
    duplicate: bool | None = Field(
        default=None, description="On an event post: true when that event was stored before."
    )


class ShipmentListOut(_Out):
    """Shipments, newest first."""

    shipments: list[ShipmentSummaryOut]


class _LogStage(_Out):
    stage: int
    forecasts: int
    inside_p10_p90: float
    early: float
    late: float
    p50_error_days: dict[str, float]


class ForecastLogOut(_Out):
    """How often delivered shipments arrived inside the forecast P10–P90, by stage."""

    shipments: int
    expected_inside: float
    stages: list[_LogStage]
