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
    "MAP_COLOURS",
    "MODE_COLOURS",
    "RESOURCE_COLOURS",
    "SERIES_COLOURS",
    "TRACK_COLOURS",
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
        "north-south": "#882255",  # wine (Tol): Russia-Caspian-Iran to the Gulf and India
    }
)
"""Hex colour of each corridor class (the values of :class:`corridor.model.Corridor`, and
``north-south`` for the corridor of that name as soon as the routes carry it)."""

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


MODE_COLOURS: Mapping[str, str] = MappingProxyType(
    {
        "rail": "#555555",  # grey
        "road": "#8c564b",  # brown
        "ferry": "#17becf",  # cyan
        "sea": "#9edae5",  # pale cyan
        "river": "#6b8e9f",  # slate
        "border": "#bcbd22",  # olive
        "transfer": "#7f3c8d",  # dark violet
        "port": "#c49c94",  # rose brown
        "terminal": "#b0b0b0",  # light grey
    }
)
"""Colours of the modes and operations where the days go (network links on the map, the
stacked "where the days go" bars): hues apart from the corridor colours, so that a bar of
border time never reads as a corridor."""

TRACK_COLOURS: Mapping[str, str] = MappingProxyType(
    {
        "travelled": "#1d3557",  # navy: behind the box
        "ahead": "#7f3c8d",  # violet, dashed: still to travel
        "here": "#ffd166",  # yellow marker: where it was last seen
        "band": "#7f3c8d",  # the P10-P90 bars of the ETA history
        "p50": "#1d3557",
        "deadline": "#555555",
    }
)
"""Colours of the shipment view: the route travelled and ahead, the ETA band."""

MAP_COLOURS: Mapping[str, str] = MappingProxyType(
    {"land": "#f4f1ea", "border": "#b9b3a6", "water": "#cfe3f1"}
)
"""The base map: country fill and outline, and the sea behind them."""

SERIES_COLOURS: tuple[str, ...] = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
)
"""A cycle of colours for unnamed series (queues of the simulation's resources)."""


def corridor_colour(corridor: str) -> str:
    """The hex colour of a corridor (``middle``, ...), or the fallback grey.

    Examples
    --------
    >>> corridor_colour("middle"), corridor_colour("nowhere")
    ('#009e73', '#777777')
    """
    return CORRIDOR_COLOURS.get(str(corridor), FALLBACK_COLOUR)


def palette() -> dict[str, dict[str, str]]:
    """All colours as one JSON-ready document (what the web page loads: it declares none).

    ``series`` maps ``"0"``, ``"1"``... to the colour cycle of :data:`SERIES_COLOURS`.
    """
    return {
        "corridors": dict(CORRIDOR_COLOURS),
        "resources": dict(RESOURCE_COLOURS),
        "modes": dict(MODE_COLOURS),
        "track": dict(TRACK_COLOURS),
        "map": dict(MAP_COLOURS),
        "series": {str(i): c for i, c in enumerate(SERIES_COLOURS)},
        "fallback": {"colour": FALLBACK_COLOUR},
    }
