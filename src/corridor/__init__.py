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

import importlib
from typing import TYPE_CHECKING, Any

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

_LAZY = {
    "CorridorCapacity": "corridor.simulation.capacity",
    "SimulationResult": "corridor.simulation",
    "capacity": "corridor.simulation.capacity",
    "simulate": "corridor.simulation",
    "CompareRequest": "corridor.routing",
    "EmissionReport": "corridor.routing",
    "RouteRequest": "corridor.routing",
    "emissions": "corridor.facade",
    "Comparison": "corridor.transit",
    "Corridor": "corridor.model",
    "Leg": "corridor.model",
    "Route": "corridor.model",
    "RoutePlan": "corridor.facade",
    "compare": "corridor.facade",
    "eta": "corridor.facade",
    "EtaResult": "corridor.facade",
    "route": "corridor.facade",
    "Network": "corridor.network",
    "example_network": "corridor.network",
    "load_network": "corridor.network",
}


def __getattr__(name: str) -> Any:
    if name == "sweep":  # a callable module: corridor.sweep(...) runs a sweep
        return importlib.import_module("corridor.sweep")
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'corridor' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
