"""The seam between the service and the capacity simulation engine (``corridor.simulation``).

A worker process runs a *simulator*: a function
``f(scenario, *, days, seed, progress, network_dir) -> dict`` taking a scenario document (a
scenario YAML file as a dict), the simulated days, the seed, a progress callback (0 to 1) and the
folder of the network (``None``: bundled), and returning the ``corridor simulate --json`` document
plus a ``series`` member for the charts. The default, :func:`run_scenario`, drives
``corridor.simulation``; ``CORRIDOR_SIMULATOR`` (``module:function``) may name another.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol, cast

import yaml

from corridor.errors import ScenarioError, SimulationError
from corridor.io import bundled_scenario_dir, scenario_summary
from corridor.io import bundled_scenarios as bundled_names
from corridor.network import Network, load_network, scenario_from_document
from corridor.present import simulation_series
from corridor.simulation import DEFAULT_MAX_TEU, build_model, expected_teu, simulate
from corridor.simulation import equilibrium as run_equilibrium

__all__ = [
    "BundledScenario",
    "Progress",
    "Simulator",
    "bundled_scenario",
    "bundled_scenarios",
    "estimate_teu",
    "load_simulator",
    "run_scenario",
    "validate_scenario",
    "worker_memory_mb",
]

Progress = Callable[[float], None]

WORKER_BASE_MB = 408.0
"""Address space of a simulation worker before its TEU (interpreter, numpy, numba, network)."""
WORKER_BYTES_PER_TEU = 368.0
"""Address space per simulated TEU. Both are a straight line through the peak address space
(``VmPeak``, what the ``RLIMIT_AS`` cap counts) of ``wb-2030`` runs over 1,095 days measured
2026-12-07: ×15 demand (2.5 M TEU) 1,300 MB, ×50 (8.5 M TEU) 3,387 MB; ×100 (17 M TEU) failed
past a 4,096 MB cap. Small runs peak near 1.2 GB whatever their size (:data:`WORKER_FLOOR_MB`)."""
WORKER_FLOOR_MB = 1250.0


def worker_memory_mb(teu: float) -> float:
    """Address space a simulation worker needs for a run of ``teu`` expected TEU, MB.

    Examples
    --------
    >>> round(worker_memory_mb(17e6))  # the run that failed on a 4 GB cap
    6374
    >>> worker_memory_mb(1e5)
    1250.0
    """
    return max(WORKER_FLOOR_MB, WORKER_BASE_MB + teu * WORKER_BYTES_PER_TEU / 2**20)


_PHASES = {"loading scenario": 0.05, "routing flows": 0.15, "simulating": 0.3}


class Simulator(Protocol):
    """What a worker process runs for one job."""

    def __call__(
        self,
        scenario: Mapping[str, Any],
        *,
        days: int,
        seed: int,
        progress: Progress,
        network_dir: str | None = None,
    ) -> dict[str, Any]:
        """Simulate ``days`` days of ``scenario`` and return the simulate JSON document."""
        ...


@dataclass(frozen=True, slots=True, kw_only=True)
class BundledScenario:
    """A scenario shipped with the package (``data/scenarios/NAME.yaml``)."""

    name: str
    description: str
    body: dict[str, Any]


def bundled_scenarios() -> list[BundledScenario]:
    """The scenarios shipped with the package, by name."""
    out = []
    for name in bundled_names():
        found = bundled_scenario(name)
        if found is not None:
            out.append(found)
    return out


def bundled_scenario(name: str) -> BundledScenario | None:
    """One bundled scenario by name (its YAML document as written), or None."""
    if name not in bundled_names():
        return None
    try:
        body = yaml.safe_load((bundled_scenario_dir() / f"{name}.yaml").read_text("utf-8"))
        summary = scenario_summary(name)
    except (OSError, yaml.YAMLError, ScenarioError):
        return None
    if not isinstance(body, dict):
        return None
    return BundledScenario(name=name, description=str(summary["description"]), body=body)


def validate_scenario(doc: Mapping[str, Any], network: Network | None = None) -> dict[str, Any]:
    """Check a scenario document against the network; return it as stored.

    ``base`` may be ``network`` or a bundled scenario; files of the server are not reachable.

    Raises
    ------
    ScenarioError
        What is wrong, where, and what would be valid.
    """
    body = dict(doc)
    scenario_from_document(body, network or load_network())
    return body


def estimate_teu(doc: Mapping[str, Any], days: int, network: Network | None = None) -> float:
    """Expected TEU a run of ``doc`` over ``days`` days simulates (its size, before any work).

    Raises
    ------
    ScenarioError
        As :func:`validate_scenario`.
    """
    net = network or load_network()
    model = build_model(scenario_from_document(dict(doc), net), net)
    return expected_teu(model, days)


def run_scenario(
    scenario: Mapping[str, Any],
    *,
    days: int,
    seed: int,
    progress: Progress,
    network_dir: str | None = None,
    max_teu: float | None = DEFAULT_MAX_TEU,
    equilibrium: bool = False,
) -> dict[str, Any]:
    """The default simulator: ``corridor.simulation`` on the scenario document.

    A run expected to simulate more than ``max_teu`` TEU is refused before any work. With
    ``equilibrium`` shippers divert as the corridor congests
    (:func:`corridor.simulation.equilibrium`): the document adds ``equilibrium`` and
    ``steady_state`` and its times come from the steady state.

    Raises
    ------
    ScenarioError, SimulationError
        From the engine.
    """
    net = load_network(network_dir) if network_dir else load_network()

    def phase(label: str) -> None:
        progress(_PHASES.get(label, 0.5))

    progress(0.0)
    sc = scenario_from_document(scenario, net)
    if equilibrium:
        eq = run_equilibrium(sc, network=net, days=days, seed=seed, progress=phase, max_teu=max_teu)
        result = eq.result
        doc = eq.to_dict()
    else:
        result = simulate(sc, network=net, days=days, seed=seed, progress=phase, max_teu=max_teu)
        doc = result.to_dict()
    doc["series"] = simulation_series(result)
    progress(1.0)
    return doc


def load_simulator(spec: str) -> Simulator:
    """Import a simulator named ``module:function``.

    Raises
    ------
    SimulationError
        When the name does not resolve to a callable.
    """
    module_name, _, attr = spec.partition(":")
    try:
        func = getattr(importlib.import_module(module_name), attr or "run_scenario")
    except (ImportError, AttributeError, ValueError) as exc:
        raise SimulationError(f"cannot load simulator '{spec}': {exc}") from None
    if not callable(func):
        raise SimulationError(f"simulator '{spec}' is not callable")
    return cast(Simulator, func)
