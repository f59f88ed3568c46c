"""Enumerations of the domain model."""

from __future__ import annotations

from enum import StrEnum

from corridor.errors import ModelError

__all__ = [
    "Corridor",
    "DepartureRuleKind",
    "Direction",
    "LegMode",
    "Mode",
    "NodeKind",
    "OperationKind",
    "ResourceKind",
    "ServiceClass",
    "Status",
]


class Mode(StrEnum):
    """Transport mode of a link."""

    RAIL = "rail"
    FERRY = "ferry"
    SEA = "sea"
    ROAD = "road"
    RIVER = "river"

    @property
    def is_water(self) -> bool:
        """True for modes that move on a vessel (ferry, sea, river barge)."""
        return self in (Mode.FERRY, Mode.SEA, Mode.RIVER)


class NodeKind(StrEnum):
    """What a node is."""

    TERMINAL = "terminal"
    PORT = "port"
    BORDER = "border"
    JUNCTION = "junction"
    PASSAGE = "passage"


class OperationKind(StrEnum):
    """What happens to a container at a node."""

    BORDER = "border"
    GAUGE_CHANGE = "gauge_change"
    PORT = "port"
    TERMINAL = "terminal"
    TRANSFER = "transfer"

    @property
    def leg_mode(self) -> LegMode:
        """The ``mode`` under which this operation appears as a leg of a route."""
        if self is OperationKind.BORDER:
            return LegMode.BORDER
        if self is OperationKind.PORT:
            return LegMode.PORT
        return LegMode.TRANSFER


class LegMode(StrEnum):
    """Mode of a route leg: a link mode, or a node operation."""

    RAIL = "rail"
    FERRY = "ferry"
    SEA = "sea"
    ROAD = "road"
    RIVER = "river"
    BORDER = "border"
    TRANSFER = "transfer"
    PORT = "port"


class Status(StrEnum):
    """Whether a link carries traffic."""

    OPERATIONAL = "operational"
    PLANNED = "planned"
    CLOSED = "closed"


class DepartureRuleKind(StrEnum):
    """How a vessel service decides to sail."""

    TIMETABLE = "timetable"
    INTERVAL = "interval"
    WHEN_FULL = "when_full"


class Corridor(StrEnum):
    """The corridor a route belongs to, classified from the route itself.

    Each corridor is defined by its defining crossing, stated in ``data/corridors.yaml``: a
    Caspian crossing between the east and west shores (``middle``), transit through Russia along
    the west Caspian shore to Azerbaijan or Iran (``north-south``), transit through Russia
    between Asia and Europe (``northern``), through Iran (``southern``), a deep-sea main haul
    (``maritime``). ``direct`` is a route that makes none of these crossings: China to Central
    Asia via Khorgos, Istanbul to Baku via Baku-Tbilisi-Kars, Almaty to Aktau.
    """

    MIDDLE = "middle"
    NORTH_SOUTH = "north-south"
    NORTHERN = "northern"
    SOUTHERN = "southern"
    MARITIME = "maritime"
    DIRECT = "direct"


class ResourceKind(StrEnum):
    """What a resource of the capacity simulation is.

    The node operations (``border``, ``gauge_change``, ``port``, ``terminal``, ``transfer``),
    ``line`` (train paths of a line section) and ``vessel`` (a fleet's sailings in one
    direction) are *capacitated*: containers queue for them and their utilisation is a use of
    capacity. A ``formation`` pool is where a block train fills up; its "utilisation" is how
    full the trains leave, not a use of capacity, so it is never a bottleneck.
    """

    BORDER = "border"
    GAUGE_CHANGE = "gauge_change"
    PORT = "port"
    TERMINAL = "terminal"
    TRANSFER = "transfer"
    LINE = "line"
    VESSEL = "vessel"
    FORMATION = "formation"

    @property
    def capacitated(self) -> bool:
        """Whether containers queue for this resource's capacity (everything but formation).

        Examples
        --------
        >>> ResourceKind.PORT.capacitated, ResourceKind("formation").capacitated
        (True, False)
        """
        return self is not ResourceKind.FORMATION

    @classmethod
    def of_operation(cls, kind: OperationKind) -> ResourceKind:
        """The resource kind of a node operation."""
        return cls(kind.value)


class ServiceClass(StrEnum):
    """The rail product a container travels on: a parameter set over the same network.

    ``standard`` is a regular train at the averages the CAREC CPMM measures; ``express`` a
    scheduled container block train with through-transit customs, pre-arrival data, a priority
    path and a reserved ferry slot.
    """

    STANDARD = "standard"
    EXPRESS = "express"

    @classmethod
    def parse(cls, value: ServiceClass | str) -> ServiceClass:
        """The class named ``value`` (any case).

        Raises
        ------
        ModelError
            For a name other than ``express`` or ``standard``.

        Examples
        --------
        >>> ServiceClass.parse("Express")
        <ServiceClass.EXPRESS: 'express'>
        """
        try:
            return cls(str(value).strip().lower())
        except ValueError:
            raise ModelError(
                f"unknown service class {value!r}; use 'express' or 'standard'"
            ) from None


class Direction(StrEnum):
    """Which way a container crosses the frontier at a border station.

    ``in``: it enters the station's country there; ``out``: it leaves it.
    """

    IN = "in"
    OUT = "out"
