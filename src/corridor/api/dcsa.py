"""The DCSA Track & Trace (v2) codes the shipments API reads, and what each means for the ETA.

An event is *actual* (``ACT``: it happened, the ETA is re-forecast from it), *estimated*
(``EST``) or *planned* (``PLN``: both only stored). Its type code says what was seen at the
place: a transport event (``ARRI`` the vessel or train arrived, ``DEPA`` it left) or an equipment
event (``GTIN`` the container was gated in, ``DISC`` discharged: it is at the place; ``GTOT``
gated out: it left). :data:`MILESTONES` is the one mapping from these codes to the milestone kinds
of the ETA model.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType

from corridor.transit import MilestoneKind

__all__ = [
    "MILESTONES",
    "EquipmentEventType",
    "EventClassifier",
    "EventType",
    "TransportEventType",
    "milestone_of",
]


class EventClassifier(StrEnum):
    """Whether an event happened (``ACT``), is expected (``EST``) or planned (``PLN``)."""

    ACTUAL = "ACT"
    ESTIMATED = "EST"
    PLANNED = "PLN"


class EventType(StrEnum):
    """The kind of DCSA event the API reads."""

    TRANSPORT = "TRANSPORT"
    EQUIPMENT = "EQUIPMENT"


class TransportEventType(StrEnum):
    """What the means of transport did at the place."""

    ARRIVED = "ARRI"
    DEPARTED = "DEPA"


class EquipmentEventType(StrEnum):
    """What happened to the container at the place."""

    GATE_IN = "GTIN"
    GATE_OUT = "GTOT"
    DISCHARGED = "DISC"


MILESTONES: Mapping[str, MilestoneKind] = MappingProxyType(
    {
        TransportEventType.ARRIVED: MilestoneKind.ARRIVAL,
        TransportEventType.DEPARTED: MilestoneKind.DEPARTURE,
        EquipmentEventType.GATE_IN: MilestoneKind.ARRIVAL,
        EquipmentEventType.DISCHARGED: MilestoneKind.ARRIVAL,
        EquipmentEventType.GATE_OUT: MilestoneKind.DEPARTURE,
    }
)
"""Each type code's milestone: the container is at the place (arrival) or has left it."""


def milestone_of(type_code: str) -> MilestoneKind:
    """The milestone a DCSA transport or equipment event type code stands for.

    Examples
    --------
    >>> milestone_of("GTOT"), milestone_of("DISC")
    (<MilestoneKind.DEPARTURE: 'dep'>, <MilestoneKind.ARRIVAL: 'arr'>)

    Raises
    ------
    KeyError
        For a code the API does not read.
    """
    return MILESTONES[type_code]
