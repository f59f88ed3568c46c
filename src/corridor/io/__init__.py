"""L2 input/output: data files (CSV, YAML) to model records, and model records to GeoJSON.

Scenario files (schema, lookup, ``base`` chain, merge) are read here too; their place names are
resolved and their edits applied by :mod:`corridor.network`.

The names load on first use, so that importing one module of the package does not import
the others (start-up time).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from corridor.io.geojson import (
        flat_properties,
        flatten_features,
        network_geojson,
        option_geojson,
        route_geojson,
    )
    from corridor.io.gis import GIS_FORMATS, to_geodataframe, write_layers
    from corridor.io.observed import (
        MAX_OBSERVED_ROWS,
        parse_observed,
        parse_observed_rows,
        raise_problems,
        read_observed,
        read_observed_text,
    )
    from corridor.io.scenario import (
        NETWORK_BASE,
        ScenarioLayer,
        bundled_scenario_dir,
        bundled_scenarios,
        check_scenario_document,
        locate_scenario,
        merge_scenario_documents,
        read_scenario_layers,
        scenario_record,
        scenario_summary,
    )
    from corridor.io.tables import NetworkData, read_network_data

__all__ = [
    "GIS_FORMATS",
    "MAX_OBSERVED_ROWS",
    "NETWORK_BASE",
    "NetworkData",
    "ScenarioLayer",
    "bundled_scenario_dir",
    "bundled_scenarios",
    "check_scenario_document",
    "flat_properties",
    "flatten_features",
    "locate_scenario",
    "merge_scenario_documents",
    "network_geojson",
    "option_geojson",
    "parse_observed",
    "parse_observed_rows",
    "raise_problems",
    "read_network_data",
    "read_observed",
    "read_observed_text",
    "read_scenario_layers",
    "route_geojson",
    "scenario_record",
    "scenario_summary",
    "to_geodataframe",
    "write_layers",
]

_LAZY = {
    "flat_properties": "corridor.io.geojson",
    "flatten_features": "corridor.io.geojson",
    "network_geojson": "corridor.io.geojson",
    "option_geojson": "corridor.io.geojson",
    "route_geojson": "corridor.io.geojson",
    "GIS_FORMATS": "corridor.io.gis",
    "to_geodataframe": "corridor.io.gis",
    "write_layers": "corridor.io.gis",
    "MAX_OBSERVED_ROWS": "corridor.io.observed",
    "parse_observed": "corridor.io.observed",
    "parse_observed_rows": "corridor.io.observed",
    "raise_problems": "corridor.io.observed",
    "read_observed": "corridor.io.observed",
    "read_observed_text": "corridor.io.observed",
    "NETWORK_BASE": "corridor.io.scenario",
    "ScenarioLayer": "corridor.io.scenario",
    "bundled_scenario_dir": "corridor.io.scenario",
    "bundled_scenarios": "corridor.io.scenario",
    "check_scenario_document": "corridor.io.scenario",
    "locate_scenario": "corridor.io.scenario",
    "merge_scenario_documents": "corridor.io.scenario",
    "read_scenario_layers": "corridor.io.scenario",
    "scenario_record": "corridor.io.scenario",
    "scenario_summary": "corridor.io.scenario",
    "NetworkData": "corridor.io.tables",
    "read_network_data": "corridor.io.tables",
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
