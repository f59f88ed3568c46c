"""Corridor: plan, compare and simulate container freight across the Eurasian land bridges.

>>> import corridor
>>> net = corridor.load_network()
>>> net.node("Xi'an").id
'xian'
"""

from corridor import sweep  # a callable module: corridor.sweep(...) runs a sweep
from corridor.errors import (
    CorridorError,
    DataError,
    ModelError,
    NodeNotFoundError,
    NoRouteError,
    ScenarioError,
    SimulationError,
)
from corridor.facade import RoutePlan, compare, route
from corridor.model import Corridor, Leg, Route
from corridor.network import Network, example_network, load_network
from corridor.transit import Comparison

__all__ = [
    "Comparison",
    "Corridor",
    "CorridorError",
    "DataError",
    "Leg",
    "ModelError",
    "Network",
    "NoRouteError",
    "NodeNotFoundError",
    "Route",
    "RoutePlan",
    "ScenarioError",
    "SimulationError",
    "compare",
    "example_network",
    "load_network",
    "route",
    "sweep",
]

__version__ = "0.1.0"
