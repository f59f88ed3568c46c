"""L3b transit: door-to-door time as a distribution, by vectorised Monte Carlo."""

from __future__ import annotations

from typing import TYPE_CHECKING

from corridor.lazy import lazy_exports

if TYPE_CHECKING:
    from corridor.transit.compare import (
        Comparison,
        CorridorOption,
        DaysSummary,
        LegStat,
        compare_routes,
    )
    from corridor.transit.engine import (
        RouteSamples,
        leg_minimum_hours,
        route_minimum_hours,
        sample_route,
    )
    from corridor.transit.eta import (
        EtaForecast,
        EtaStage,
        Milestone,
        MilestoneError,
        MilestoneKind,
        Planner,
        ShipmentStatus,
        Track,
        advance,
        as_utc,
        fits,
        forecast,
        plan_track,
        remaining_route,
        replanner,
        track_eta,
    )
    from corridor.transit.sizes import DEFAULT_ETA_SAMPLES
    from corridor.transit.validate import (
        JourneyCheck,
        Validation,
        validate_journeys,
    )

__all__ = [
    "DEFAULT_ETA_SAMPLES",
    "Comparison",
    "CorridorOption",
    "DaysSummary",
    "EtaForecast",
    "EtaStage",
    "JourneyCheck",
    "LegStat",
    "Milestone",
    "MilestoneError",
    "MilestoneKind",
    "Planner",
    "RouteSamples",
    "ShipmentStatus",
    "Track",
    "Validation",
    "advance",
    "as_utc",
    "compare_routes",
    "fits",
    "forecast",
    "leg_minimum_hours",
    "plan_track",
    "remaining_route",
    "replanner",
    "route_minimum_hours",
    "sample_route",
    "track_eta",
    "validate_journeys",
]

__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "corridor.transit.compare": (
            "Comparison",
            "CorridorOption",
            "DaysSummary",
            "LegStat",
            "compare_routes",
        ),
        "corridor.transit.engine": (
            "RouteSamples",
            "leg_minimum_hours",
            "route_minimum_hours",
            "sample_route",
        ),
        "corridor.transit.eta": (
            "EtaForecast",
            "EtaStage",
            "Milestone",
            "MilestoneError",
            "MilestoneKind",
            "Planner",
            "ShipmentStatus",
            "Track",
            "advance",
            "as_utc",
            "fits",
            "forecast",
            "plan_track",
            "remaining_route",
            "replanner",
            "track_eta",
        ),
        "corridor.transit.sizes": ("DEFAULT_ETA_SAMPLES",),
        "corridor.transit.validate": (
            "JourneyCheck",
            "Validation",
            "validate_journeys",
        ),
    },
)
