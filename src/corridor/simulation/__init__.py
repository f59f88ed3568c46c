"""L3b simulation: a discrete-event model of the corridor's capacity.

Demand (TEU/year by origin-destination, with seasonality and a ``scale``) flows along fixed
routes through capacitated resources: block-train formation, border crossings, gauge-change
terminals, ports, line sections and vessel fleets shared by both directions. See
``docs/simulation.md`` for the model and its assumptions.
"""

from corridor.simulation.build import CompiledModel, ResourceInfo, build_model
from corridor.simulation.report import Difference, compare_results, write_outputs, write_series
from corridor.simulation.run import (
    BOTTLENECK_UTILIZATION,
    ResourceStats,
    SimulationResult,
    demand_arrivals,
    simulate,
    simulate_model,
)
from corridor.simulation.scenario import (
    Changes,
    Flow,
    LinkEdit,
    OperationEdit,
    Scenario,
    ServiceEdit,
    apply_changes,
    bundled_scenario_dir,
    bundled_scenarios,
    load_scenario,
    scenario_document,
    scenario_from_document,
    scenario_summary,
)

__all__ = [
    "BOTTLENECK_UTILIZATION",
    "Changes",
    "CompiledModel",
    "Difference",
    "Flow",
    "LinkEdit",
    "OperationEdit",
    "ResourceInfo",
    "ResourceStats",
    "Scenario",
    "ServiceEdit",
    "SimulationResult",
    "apply_changes",
    "build_model",
    "bundled_scenario_dir",
    "bundled_scenarios",
    "compare_results",
    "demand_arrivals",
    "load_scenario",
    "scenario_document",
    "scenario_from_document",
    "scenario_summary",
    "simulate",
    "simulate_model",
    "write_outputs",
    "write_series",
]
