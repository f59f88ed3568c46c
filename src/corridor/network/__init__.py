"""L2 network: the graph built from the data files, node lookup, validation, scenario overlay."""

from corridor.network.bundled import bundled_data_dir, example_network, load_network
from corridor.network.countries import country_candidates, country_code, country_name
from corridor.network.graph import Network
from corridor.network.lookup import NodeIndex, normalize_name
from corridor.network.scenario import (
    apply_scenario,
    closed_places,
    load_scenario,
    resolve_scenario_names,
    scenario_document,
    scenario_from_document,
    scenario_network,
)
from corridor.network.validate import validate_network
from corridor.network.values import operation_value, select_values

__all__ = [
    "Network",
    "NodeIndex",
    "apply_scenario",
    "bundled_data_dir",
    "closed_places",
    "country_candidates",
    "country_code",
    "country_name",
    "example_network",
    "load_network",
    "load_scenario",
    "normalize_name",
    "operation_value",
    "resolve_scenario_names",
    "scenario_document",
    "scenario_from_document",
    "scenario_network",
    "select_values",
    "validate_network",
]
