"""L2 network: the graph built from the data files, node lookup, validation, scenario overlay.

The names load on first use, so that importing one module of the package does not import
the others (start-up time).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from corridor.lazy import lazy_exports

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

__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "corridor.network.bundled": ("bundled_data_dir", "example_network", "load_network"),
        "corridor.network.countries": ("country_candidates", "country_code", "country_name"),
        "corridor.network.graph": ("Network",),
        "corridor.network.lookup": ("NodeIndex", "normalize_name"),
        "corridor.network.scenario": (
            "apply_scenario",
            "closed_places",
            "load_scenario",
            "resolve_scenario_names",
            "scenario_document",
            "scenario_from_document",
            "scenario_network",
        ),
        "corridor.network.stats": ("data_stats",),
        "corridor.network.validate": ("validate_network",),
        "corridor.network.values": ("operation_value", "select_values"),
    },
)
