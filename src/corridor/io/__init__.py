"""L2 input/output: data files (CSV, YAML) to model records, and model records to GeoJSON.

Scenario files (schema, lookup, ``base`` chain, merge) are read here too; their place names are
resolved and their edits applied by :mod:`corridor.network`.

The names load on first use, so that importing one module of the package does not import
the others (start-up time).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from corridor.lazy import lazy_exports

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

__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "corridor.io.geojson": (
            "flat_properties",
            "flatten_features",
            "network_geojson",
            "option_geojson",
            "route_geojson",
        ),
        "corridor.io.gis": ("GIS_FORMATS", "to_geodataframe", "write_layers"),
        "corridor.io.observed": (
            "MAX_OBSERVED_ROWS",
            "parse_observed",
            "parse_observed_rows",
            "raise_problems",
            "read_observed",
            "read_observed_text",
        ),
        "corridor.io.scenario": (
            "NETWORK_BASE",
            "ScenarioLayer",
            "bundled_scenario_dir",
            "bundled_scenarios",
            "check_scenario_document",
            "locate_scenario",
            "merge_scenario_documents",
            "read_scenario_layers",
            "scenario_record",
            "scenario_summary",
        ),
        "corridor.io.tables": ("NetworkData", "read_network_data"),
    },
)
