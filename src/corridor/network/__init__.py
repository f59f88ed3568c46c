"""L2 network: the graph built from the data files, node lookup and validation."""

from corridor.network.bundled import bundled_data_dir, example_network, load_network
from corridor.network.graph import Network
from corridor.network.lookup import NodeIndex, normalize_name
from corridor.network.validate import validate_network

__all__ = [
    "Network",
    "NodeIndex",
    "bundled_data_dir",
    "example_network",
    "load_network",
    "normalize_name",
    "validate_network",
]
