"""L2 network: the graph built from the data files, node lookup, validation, scenario overlay.

The names load on first use, so that importing one module of the package does not import
the others (start-up time).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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
    from corridor.network.stats import data_stats
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
    "data_stats",
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

_LAZY = {
    "bundled_data_dir": "corridor.network.bundled",
    "example_network": "corridor.network.bundled",
    "load_network": "corridor.network.bundled",
    "country_candidates": "corridor.network.countries",
    "country_code": "corridor.network.countries",
    "country_name": "corridor.network.countries",
    "Network": "corridor.network.graph",
    "NodeIndex": "corridor.network.lookup",
    "normalize_name": "corridor.network.lookup",
    "apply_scenario": "corridor.network.scenario",
    "closed_places": "corridor.network.scenario",
    "load_scenario": "corridor.network.scenario",
    "resolve_scenario_names": "corridor.network.scenario",
    "scenario_document": "corridor.network.scenario",
    "scenario_from_document": "corridor.network.scenario",
    "scenario_network": "corridor.network.scenario",
    "data_stats": "corridor.network.stats",
    "validate_network": "corridor.network.validate",
    "operation_value": "corridor.network.values",
    "select_values": "corridor.network.values",
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
