"""L3b simulation: a discrete-event model of the corridor's capacity.

Demand (TEU/year by origin-destination, with seasonality and a ``scale``) flows along fixed
routes through capacitated resources: block-train formation, border crossings, gauge-change
terminals, ports, line sections and vessel fleets shared by both directions. See
``docs/simulation.md`` for the model and its assumptions.

Scenarios are read by :mod:`corridor.io` and applied to the network by :mod:`corridor.network`
(re-exported here for convenience); the simulation runs on the network a scenario describes.
"""

from corridor.io import bundled_scenario_dir, bundled_scenarios, scenario_summary
from corridor.model import Changes, Flow, LinkEdit, OperationEdit, Scenario, ServiceEdit
from corridor.network import (
    apply_scenario,
    load_scenario,
    scenario_document,
    scenario_from_document,
)
from corridor.simulation.build import CompiledModel, ResourceInfo, build_model, scenario_network
from corridor.simulation.equilibrium import (
    ChoiceParameters,
    EquilibriumResult,
    OptionFlow,
    equilibrium,
    flow_options,
)
from corridor.simulation.report import Difference, compare_results, write_outputs, write_series
from corridor.simulation.run import (
    BOTTLENECK_UTILIZATION,
    DEFAULT_MAX_TEU,
    ResourceStats,
    SimulationResult,
    demand_arrivals,
    expected_teu,
    simulate,
    simulate_model,
)
from corridor.simulation.steady import SteadyState, mser5, steady_state

__all__ = [
    "BOTTLENECK_UTILIZATION",
    "DEFAULT_MAX_TEU",
    "Changes",
    "ChoiceParameters",
    "CompiledModel",
    "Difference",
    "EquilibriumResult",
    "Flow",
    "LinkEdit",
    "OperationEdit",
    "OptionFlow",
    "ResourceInfo",
    "ResourceStats",
    "Scenario",
    "ServiceEdit",
    "SimulationResult",
    "SteadyState",
    "apply_scenario",
    "build_model",
    "bundled_scenario_dir",
    "bundled_scenarios",
    "compare_results",
    "demand_arrivals",
    "equilibrium",
    "expected_teu",
    "flow_options",
    "load_scenario",
    "mser5",
    "scenario_document",
    "scenario_from_document",
    "scenario_network",
    "scenario_summary",
    "simulate",
    "simulate_model",
    "steady_state",
    "write_outputs",
    "write_series",
]
