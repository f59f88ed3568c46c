"""Presentation: one colour per corridor, chart series and PNG charts, for every output.

Used by the command line (terminal colours, ``--plot`` and ``--out`` PNGs), the sweep's
headline chart, the API (the series it sends) and the web page (the palette it loads), so the
same thing looks the same everywhere. Sits above the engines (it draws their results) and below
the services; matplotlib is imported only when a chart is drawn.

The names load on first use, so that importing one module of the package does not import
the others (start-up time).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from corridor.lazy import lazy_exports

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

__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "corridor.present.colours": (
            "CORRIDOR_COLOURS",
            "FALLBACK_COLOUR",
            "MODE_COLOURS",
            "RESOURCE_COLOURS",
            "SERIES_COLOURS",
            "TRACK_COLOURS",
            "corridor_colour",
            "palette",
        ),
        "corridor.present.png": (
            "plot_comparison",
            "plot_comparison_map",
            "plot_queues",
            "plot_sweep",
            "plot_transit",
            "plot_utilization",
            "write_simulation_charts",
        ),
        "corridor.present.series": ("HISTOGRAM_BINS", "comparison_histogram", "simulation_series"),
    },
)
