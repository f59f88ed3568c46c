"""L2 input/output: data files (CSV, YAML) to model records, and model records to GeoJSON."""

from corridor.io.geojson import network_geojson, route_geojson
from corridor.io.tables import NetworkData, read_network_data

__all__ = ["NetworkData", "network_geojson", "read_network_data", "route_geojson"]
