"""One colour per corridor, and the colours of simulation resources, for every output.

The terminal tables (rich), the PNG charts (matplotlib) and the web page's map and charts (served
at ``GET /api/v1/palette``) all take their colours from here, so a corridor looks the same
everywhere. The corridor colours are the Okabe–Ito palette, distinguishable with the common
forms of colour blindness.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

__all__ = [
    "CORRIDOR_COLOURS",
    "FALLBACK_COLOUR",
    "RESOURCE_COLOURS",
    "corridor_colour",
    "palette",
]

CORRIDOR_COLOURS: Mapping[str, str] = MappingProxyType(
    {
        "middle": "#009e73",  # bluish green
        "northern": "#d55e00",  # vermillion
        "southern": "#e69f00",  # orange
        "maritime": "#0072b2",  # blue
        "direct": "#cc79a7",  # reddish purple
    }
)
"""Hex colour of each corridor class (the values of :class:`corridor.model.Corridor`)."""

FALLBACK_COLOUR = "#777777"
"""Colour of anything without its own (an unknown corridor name)."""

RESOURCE_COLOURS: Mapping[str, str] = MappingProxyType(
    {
        "bottleneck": "#c0392b",  # busier than the bottleneck threshold
        "capacitated": "#2e86c1",  # a server, line or fleet below the threshold
        "formation": "#b5b5b5",  # a block train filling up: not a use of capacity
    }
)
"""Colours of the simulation's resources in utilisation charts."""


def corridor_colour(corridor: str) -> str:
    """The hex colour of a corridor (``middle``, ...), or the fallback grey.

    Examples
    --------
    >>> corridor_colour("middle"), corridor_colour("nowhere")
    ('#009e73', '#777777')
    """
    return CORRIDOR_COLOURS.get(str(corridor), FALLBACK_COLOUR)


def palette() -> dict[str, dict[str, str]]:
    """All colours as one JSON-ready document (what the web page loads)."""
    return {"corridors": dict(CORRIDOR_COLOURS), "resources": dict(RESOURCE_COLOURS)}
