"""The codes shared by the compiled model, the kernel and the reference model (defined once)."""

from __future__ import annotations

from enum import IntEnum

from corridor.model.timing import DurationKind

__all__ = ["DurationKind", "StepKind"]


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
