"""The codes shared by the compiled model, the kernel and the reference model (defined once)."""

from __future__ import annotations

from enum import IntEnum

from corridor.model.timing import DurationKind

__all__ = ["DurationKind", "EventKind", "StepKind", "Table"]


class StepKind(IntEnum):
    """What a container does at one step of its route."""

    OP = 0
    """A node operation or a running leg: an optional FIFO server, then a duration."""
    FORM = 1
    """Wait in a formation pool for a block train, then ride the train's steps."""
    VESSEL = 2
    """Wait for a ship of a service in one direction, then sail."""
    END = 3
    """Delivered."""


class EventKind(IntEnum):
    """Kernel events: ``(time, kind, a, b)``; the meaning of ``a`` and ``b`` is given per kind."""

    CONTAINER = 0
    """Container ``a`` reaches its step ``b``."""
    TRAIN = 1
    """Train ``a`` reaches its train step ``b`` (the end of its segment: dissolved)."""
    FORM = 2
    """Formation pool ``a``: the deadline of its train generation ``b`` (or a full train)."""
    SHIP_READY = 3
    """Ship ``a`` is ready in port (after its turnaround)."""
    SHIP_SAILS = 4
    """Ship ``a`` of generation ``b`` sails (full, deadline or slot)."""
    SLOT = 5
    """Global port ``a``: its ``b``-th departure slot."""
    SHIP_ARRIVES = 6
    """Ship ``a`` arrives at its destination port."""
    WAIT_END = 7
    """The queue of server ``a`` shrinks by ``b`` TEU (kept in the server's own list)."""
    NEXT_SHIP = 8
    """Global port ``a``: the next ship in the port may load ("when full")."""


class Table(IntEnum):
    """The kernel's fixed-size tables; on overflow the kernel returns the table to enlarge."""

    HEAP = 0
    NOW = 1
    """Events due at the current time."""
    TRAINS = 2
    SAILINGS = 3
    WAIT_ENDS = 4
