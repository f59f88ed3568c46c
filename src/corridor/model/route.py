"""Routes and their legs: what the planner produces and the engines consume."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from corridor.model.distributions import LogNormalSpeed, ShiftedLogNormal
from corridor.model.enums import Corridor, LegMode, OperationKind
from corridor.model.network import Service

__all__ = ["Leg", "Route"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Leg:
    """One step of a route: a link travelled, or an operation at a node.

    For a link, ``distance_km`` > 0 and ``speed`` (running) or ``service`` (vessel) describe the
    time; ``boarding`` is true on the first leg of a voyage, the one that waits for the sailing
    (a voyage runs on over consecutive links of the same service without waiting again). For a
    node operation, ``from_id == to_id`` and ``dwell`` describes it; operations at one node
    overlap, and ``concurrent`` marks those whose expected time is hidden under a longer one
    at the same node (their ``hours`` is 0).
    Every ``hours`` figure is the analytic mean of the leg's time distribution for ``month``
    (``None``: the year's average).
    """

    from_id: str
    to_id: str
    mode: LegMode
    distance_km: float
    hours: float
    cost_usd: float
    co2_kg: float
    operation: OperationKind | None = None
    speed: LogNormalSpeed | None = None
    dwell: ShiftedLogNormal | None = None
    service: Service | None = None
    boarding: bool = False
    concurrent: bool = False
    countries: tuple[str, str] = ("", "")

    @property
    def is_operation(self) -> bool:
        """True for a node operation (border, transfer, port)."""
        return self.operation is not None

    def to_dict(self) -> dict[str, Any]:
        """The leg as in the JSON contract of ``corridor route``."""
        out: dict[str, Any] = {
            "from": self.from_id,
            "to": self.to_id,
            "mode": self.mode.value,
            "distance_km": round(self.distance_km, 1),
            "hours": round(self.hours, 2),
            "cost_usd": round(self.cost_usd, 2),
            "co2_kg": round(self.co2_kg, 2),
        }
        if self.operation is not None:
            out["operation"] = self.operation.value
        if self.concurrent:
            out["concurrent"] = True
        if self.service is not None:
            out["service"] = self.service.id
        return out


@dataclass(frozen=True, slots=True, kw_only=True)
class Route:
    """A door-to-door route: the nodes visited and every leg (links and node operations)."""

    nodes: tuple[str, ...]
    legs: tuple[Leg, ...]
    corridor: Corridor
    year: int | None = None
    month: int | None = None

    @property
    def origin(self) -> str:
        """Id of the first node."""
        return self.nodes[0]

    @property
    def destination(self) -> str:
        """Id of the last node."""
        return self.nodes[-1]

    @property
    def distance_km(self) -> float:
        """Sum of the links' lengths, km."""
        return sum(leg.distance_km for leg in self.legs)

    @property
    def hours(self) -> float:
        """Expected door-to-door time, hours (overlapping operations at a node count once)."""
        return sum(leg.hours for leg in self.legs)

    @property
    def days(self) -> float:
        """Expected door-to-door time, days."""
        return self.hours / 24.0

    @property
    def cost_usd(self) -> float:
        """Cost per FEU, USD."""
        return sum(leg.cost_usd for leg in self.legs)

    @property
    def co2_kg(self) -> float:
        """Well-to-wheel emissions per FEU, kg CO2e."""
        return sum(leg.co2_kg for leg in self.legs)

    @property
    def borders(self) -> int:
        """Number of frontiers crossed: by land, plus each voyage that lands in another country.

        Sea passages and ports a voyage only passes do not count.
        """
        count = 0
        voyage_from = ""
        landed_in = ""
        for leg in self.link_legs:
            if leg.mode in (LegMode.FERRY, LegMode.SEA):
                voyage_from = voyage_from or leg.countries[0]
                landed_in = leg.countries[1]
                continue
            if voyage_from:
                count += voyage_from != landed_in
                voyage_from = ""
            count += leg.countries[0] != leg.countries[1]
        if voyage_from:
            count += voyage_from != landed_in
        return count

    @property
    def transshipments(self) -> int:
        """Number of times the container is lifted between trains, vessels or vehicles en route.

        Counts gauge changes, port handlings and rail-road transfers that are not at the origin
        or the destination.
        """
        return sum(
            1
            for leg in self.legs
            if leg.operation
            in (OperationKind.GAUGE_CHANGE, OperationKind.PORT, OperationKind.TRANSFER)
            and leg.from_id not in (self.origin, self.destination)
        )

    @property
    def link_legs(self) -> tuple[Leg, ...]:
        """The legs that travel a link."""
        return tuple(leg for leg in self.legs if not leg.is_operation)

    def to_dict(self) -> dict[str, Any]:
        """The route as in the JSON contract of ``corridor route --json``."""
        return {
            "corridor": self.corridor.value,
            "nodes": list(self.nodes),
            "legs": [leg.to_dict() for leg in self.legs],
            "distance_km": round(self.distance_km, 1),
            "hours": round(self.hours, 2),
            "cost_usd": round(self.cost_usd, 2),
            "co2_kg": round(self.co2_kg, 2),
            "borders": self.borders,
            "transshipments": self.transshipments,
        }
