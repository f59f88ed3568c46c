"""The public API is what ``__all__`` says, and every name in it exists."""

from __future__ import annotations

import importlib

import pytest

import corridor

PACKAGES = [
    "corridor",
    "corridor.model",
    "corridor.io",
    "corridor.network",
    "corridor.routing",
    "corridor.transit",
    "corridor.present",
    "corridor.errors",
    "corridor.units",
]


@pytest.mark.parametrize("name", PACKAGES)
def test_all_names_exist(name: str) -> None:
    module = importlib.import_module(name)
    assert len(set(module.__all__)) == len(module.__all__)
    for member in module.__all__:
        assert hasattr(module, member), f"{name}.{member}"


def test_top_level_api() -> None:
    users_call = {"route", "compare", "emissions", "eta", "simulate", "sweep", "capacity"}
    results = {"RoutePlan", "Comparison", "EmissionReport", "EtaResult", "SimulationResult"}
    requests = {"RouteRequest", "CompareRequest", "load_network", "CorridorError"}
    assert users_call | results | requests <= set(corridor.__all__)


def test_errors_form_one_tree() -> None:
    for name in (
        "DataError",
        "ModelError",
        "NodeNotFoundError",
        "NoRouteError",
        "ScenarioError",
        "SimulationError",
    ):
        assert issubclass(getattr(corridor, name), corridor.CorridorError)
