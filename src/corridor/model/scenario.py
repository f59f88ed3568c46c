"""Scenarios of the capacity simulation: demand flows and the network changes they make.

These are the resolved, frozen records; reading and validating scenario files (YAML) is done at
the edge by :mod:`corridor.io.scenario` and resolved against a network, and applied to it, by
:mod:`corridor.network.scenario`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

from corridor.model.enums import Corridor, Mode, OperationKind, Status
from corridor.model.network import Service

__all__ = [
    "DEFAULT_REFORM_MAX_WAIT_H",
    "DEFAULT_TRAIN_MAX_WAIT_H",
    "DEFAULT_TRAIN_TEU",
    "Changes",
    "Flow",
    "LinkEdit",
    "OperationEdit",
    "Scenario",
    "ServiceEdit",
]

DEFAULT_TRAIN_TEU = 100.0
"""TEU per block train: ADY's planning ratio, 300 block trains ≈ 30,000 TEU (sources.csv
``newsaz-2025-ady-ratio``)."""

DEFAULT_TRAIN_MAX_WAIT_H = 72.0
"""A block train leaves when full or, at the latest, this many hours after its first container
(assumption: operators hold a part-load train up to about three days rather than run it half
empty; see docs/simulation.md)."""

DEFAULT_REFORM_MAX_WAIT_H = 12.0
"""Where containers are re-loaded onto new trains en route (after a gauge change or a ship), a
part-load train leaves at the latest this many hours after its first container (assumption: the
inbound train's boxes go out on the next departure; a terminal does not hold wagons for days)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Flow:
    """A directed container flow of a scenario, TEU per year before ``scale`` and seasonality."""

    origin: str
    destination: str
    teu_year: float
    via: tuple[str, ...] = ()
    corridor: Corridor | None = Corridor.MIDDLE
    label: str = ""

    @property
    def key(self) -> str:
        """``origin>destination`` (plus the label when there is one)."""
        base = f"{self.origin}>{self.destination}"
        return f"{base} ({self.label})" if self.label else base


@dataclass(frozen=True, slots=True, kw_only=True)
class OperationEdit:
    """New capacity of a node operation: TEU/day, and for borders optionally trains/day."""

    capacity_teu_day: float | None = None
    trains_day: float | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ServiceEdit:
    """Edits of a vessel service (fleet size, TEU per sailing, turnaround, departure, weather)."""

    vessels: int | None = None
    capacity_teu: float | None = None
    turnaround_h: float | None = None
    max_wait_h: float | None = None
    every_h: float | None = None
    no_weather: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class LinkEdit:
    """Edits of a link (and its reverse when ``both_directions``): line capacity, open/closed."""

    from_id: str
    to_id: str
    mode: Mode = Mode.RAIL
    capacity_trains_day: float | None = None
    status: Status | None = None
    both_directions: bool = True


@dataclass(frozen=True, slots=True, kw_only=True)
class Changes:
    """Everything a scenario changes in the network."""

    services: Mapping[str, ServiceEdit] = field(default_factory=lambda: MappingProxyType({}))
    operations: Mapping[tuple[str, OperationKind], OperationEdit] = field(
        default_factory=lambda: MappingProxyType({})
    )
    links: tuple[LinkEdit, ...] = ()
    close_countries: frozenset[str] = frozenset()
    close_nodes: frozenset[str] = frozenset()
    land_services: Mapping[str, Service] = field(default_factory=lambda: MappingProxyType({}))
    """Block-train and trucking services the scenario adds (or, by a network's id, replaces):
    the services of new links."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Scenario:
    """A resolved scenario: node ids checked against the network, bases merged.

    Attributes
    ----------
    name
        Scenario name (file stem unless the file says otherwise).
    year
        Calendar year simulated; the simulation starts on 1 January, 00:00.
    network_year
        Links open in this year are used by the routes.
    year_stated
        Whether the file states ``year`` or ``network_year`` (when it does not, ``route`` and
        ``compare`` under the scenario keep today's network rather than the default 2024).
    days
        Default horizon, days.
    train_teu
        TEU per block train.
    train_max_wait_h
        Longest wait of a part-load block train at its origin before it leaves, hours.
    reform_max_wait_h
        Same, for trains re-formed en route (after a gauge change or a ship), hours.
    arrivals
        ``poisson`` (random arrivals) or ``uniform`` (evenly spaced, for hand checks).
    scale
        Multiplier of every flow.
    seasonality
        Twelve monthly multipliers with mean 1.
    flows
        Directed flows (a ``return_teu_year`` in the file becomes a reversed flow).
    """

    name: str
    description: str = ""
    file: str = ""
    bases: tuple[str, ...] = ()
    year: int = 2024
    network_year: int = 2024
    year_stated: bool = True
    days: int = 365
    train_teu: float = DEFAULT_TRAIN_TEU
    train_max_wait_h: float = DEFAULT_TRAIN_MAX_WAIT_H
    reform_max_wait_h: float = DEFAULT_REFORM_MAX_WAIT_H
    arrivals: Literal["poisson", "uniform"] = "poisson"
    scale: float = 1.0
    seasonality: tuple[float, ...] = (1.0,) * 12
    flows: tuple[Flow, ...] = ()
    changes: Changes = field(default_factory=Changes)

    @property
    def teu_year(self) -> float:
        """Total demand after ``scale``, TEU per year."""
        return self.scale * sum(f.teu_year for f in self.flows)
