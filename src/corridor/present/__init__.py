"""Presentation: one colour per corridor, chart series and PNG charts, for every output.

Used by the command line (terminal colours, ``--plot`` and ``--out`` PNGs), the sweep's
headline chart, the API (the series it sends) and the web page (the palette it loads), so the
same thing looks the same everywhere. Sits above the engines (it draws their results) and below
the services; matplotlib is imported only when a chart is drawn.

The names load on first use, so that importing one module of the package does not import
the others (start-up time).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from corridor.present.colours import (
        CORRIDOR_COLOURS,
        FALLBACK_COLOUR,
        MODE_COLOURS,
        RESOURCE_COLOURS,
        SERIES_COLOURS,
        TRACK_COLOURS,
        corridor_colour,
        palette,
    )
    from corridor.present.png import (
        plot_comparison,
        plot_comparison_map,
        plot_queues,
        plot_sweep,
        plot_transit,
        plot_utilization,
        write_simulation_charts,
    )
    from corridor.present.series import HISTOGRAM_BINS, comparison_histogram, simulation_series

__all__ = [
    "CORRIDOR_COLOURS",
    "FALLBACK_COLOUR",
    "HISTOGRAM_BINS",
    "MODE_COLOURS",
    "RESOURCE_COLOURS",
    "SERIES_COLOURS",
    "TRACK_COLOURS",
    "comparison_histogram",
    "corridor_colour",
    "palette",
    "plot_comparison",
    "plot_comparison_map",
    "plot_queues",
    "plot_sweep",
    "plot_transit",
    "plot_utilization",
    "simulation_series",
    "write_simulation_charts",
]

_LAZY = {
    "CORRIDOR_COLOURS": "corridor.present.colours",
    "FALLBACK_COLOUR": "corridor.present.colours",
    "MODE_COLOURS": "corridor.present.colours",
    "RESOURCE_COLOURS": "corridor.present.colours",
    "SERIES_COLOURS": "corridor.present.colours",
    "TRACK_COLOURS": "corridor.present.colours",
    "corridor_colour": "corridor.present.colours",
    "palette": "corridor.present.colours",
    "plot_comparison": "corridor.present.png",
    "plot_comparison_map": "corridor.present.png",
    "plot_queues": "corridor.present.png",
    "plot_sweep": "corridor.present.png",
    "plot_transit": "corridor.present.png",
    "plot_utilization": "corridor.present.png",
    "write_simulation_charts": "corridor.present.png",
    "HISTOGRAM_BINS": "corridor.present.series",
    "comparison_histogram": "corridor.present.series",
    "simulation_series": "corridor.present.series",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
