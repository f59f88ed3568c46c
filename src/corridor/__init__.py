"""Corridor: plan, compare and simulate container freight across the Eurasian land bridges.

>>> import corridor
>>> net = corridor.load_network()
>>> net.node("Xi'an").id
'xian'

The public names load on first use, so ``import corridor`` (and ``corridor --help``) stays quick:
``route``, ``compare``, ``emissions`` and ``eta`` (with :class:`CompareRequest` /
:class:`RouteRequest`), ``simulate`` and ``capacity`` (the ``simulate`` extra), ``sweep`` (the
``sweep`` extra) and their result types.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from corridor.errors import (
    CorridorError,
    DataError,
    MissingExtraError,
    ModelError,
    NodeNotFoundError,
    NoRouteError,
    ScenarioError,
    SimulationError,
)
from corridor.lazy import lazy_exports

if TYPE_CHECKING:
    from corridor import sweep
    from corridor.facade import EtaResult, RoutePlan, compare, emissions, eta, route
    from corridor.model import Corridor, Leg, Route
    from corridor.network import Network, example_network, load_network
    from corridor.routing import CompareRequest, EmissionReport, RouteRequest
    from corridor.simulation import SimulationResult, simulate
    from corridor.simulation.capacity import CorridorCapacity, capacity
    from corridor.transit import Comparison

__all__ = [
    "CompareRequest",
    "Comparison",
    "Corridor",
    "CorridorCapacity",
    "CorridorError",
    "DataError",
    "EmissionReport",
    "EtaResult",
    "Leg",
    "MissingExtraError",
    "ModelError",
    "Network",
    "NoRouteError",
    "NodeNotFoundError",
    "Route",
    "RoutePlan",
    "RouteRequest",
    "ScenarioError",
    "SimulationError",
    "SimulationResult",
    "__version__",
    "capacity",
    "compare",
    "emissions",
    "eta",
    "example_network",
    "load_network",
    "route",
    "simulate",
    "sweep",
]

__version__ = "0.1.0"

__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "corridor.facade": ("EtaResult", "RoutePlan", "compare", "emissions", "eta", "route"),
        "corridor.model": ("Corridor", "Leg", "Route"),
        "corridor.network": ("Network", "example_network", "load_network"),
        "corridor.routing": ("CompareRequest", "EmissionReport", "RouteRequest"),
        "corridor.simulation": ("SimulationResult", "simulate"),
        "corridor.simulation.capacity": ("CorridorCapacity", "capacity"),
        "corridor.sweep": ("sweep",),  # a callable module: corridor.sweep(...) runs a sweep
        "corridor.transit": ("Comparison",),
    },
)
