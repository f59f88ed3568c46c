"""Routes and their legs: what the planner produces and the engines consume."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from corridor.model.distributions import LogNormalSpeed, ShiftedLogNormal
from corridor.model.enums import Corridor, LegMode, OperationKind
from corridor.model.network import Service
from corridor.model.tariffs import Band

__all__ = ["CostItem", "Emission", "Leg", "Route", "cost_band_of"]


@dataclass(frozen=True, slots=True, kw_only=True)
class CostItem:
    """One component of a leg's cost, USD per container, with where its rate comes from.

    ``included`` marks a component already contained in another item of the same leg (a Red Sea
    surcharge inside an all-in sea rate): it is shown, not added.
    """

    item: str
    usd: Band
    rate_id: str
    basis: str = ""
    sources: tuple[str, ...] = ()
    estimate: bool = False
    included: bool = False

    def to_dict(self) -> dict[str, Any]:
        """As in a leg's ``cost_breakdown``."""
        out: dict[str, Any] = {
            "item": self.item,
            "usd": self.usd.to_dict(),
            "rate_id": self.rate_id,
            "basis": self.basis,
            "sources": list(self.sources),
            "estimate": self.estimate,
        }
        if self.included:
            out["included_in_rate"] = True
        return out


@dataclass(frozen=True, slots=True, kw_only=True)
class Emission:
    """Emissions of one transport chain element or hub operation (ISO 14083 / GLEC), kg CO2e.

    ``activity`` is the transport activity the factor multiplies (``activity_unit``: ``TEU-km``,
    ``t-km`` or ``containers``); ``factor_wtw`` / ``factor_ttw`` are per activity unit, in g
    (per TEU-km or t-km) or kg (per container handled).
    """

    wtw_kg: float
    ttw_kg: float
    factor_id: str
    factor_wtw: float
    factor_ttw: float
    factor_unit: str
    activity: float
    activity_unit: str
    mass_t: float
    distance_km: float = 0.0
    sources: tuple[str, ...] = ()
    estimate: bool = False
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The element's emission detail."""
        return {
            "co2e_kg": {"wtw": round(self.wtw_kg, 3), "ttw": round(self.ttw_kg, 3)},
            "factor_id": self.factor_id,
            "factor": {
                "wtw": round(self.factor_wtw, 4),
                "ttw": round(self.factor_ttw, 4),
                "unit": self.factor_unit,
            },
            "activity": round(self.activity, 3),
            "activity_unit": self.activity_unit,
            "mass_t": round(self.mass_t, 3),
            "distance_km": round(self.distance_km, 1),
            "sources": list(self.sources),
            "estimate": self.estimate,
            "note": self.note,
        }


def cost_band_of(items: tuple[CostItem, ...], cost_usd: float) -> Band:
    """The cost band of a leg priced by ``items`` (the items not included in another one),
    or of ``cost_usd`` alone when it has none."""
    if not items:
        return Band.of(cost_usd)
    total = Band.of(0.0)
    for item in items:
        if not item.included:
            total = total + item.usd
    return total


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
    (``None``: the year's average). ``countries`` are those of the two ends; ``network`` is the
    country whose railway or roads run a land link (``""``: the one it starts in).
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
    network: str = ""
    cost_items: tuple[CostItem, ...] = ()
    emission: Emission | None = None

    @property
    def cost_band(self) -> Band:
        """Low / expected / high cost, USD per container (the expected one is ``cost_usd``)."""
        return cost_band_of(self.cost_items, self.cost_usd)

    @property
    def cost_estimated_usd(self) -> float:
        """Expected USD of this leg that rests on estimated rates."""
        return sum(i.usd.expected for i in self.cost_items if i.estimate and not i.included)

    @property
    def is_operation(self) -> bool:
        """True for a node operation (border, transfer, port)."""
        return self.operation is not None

    def __repr__(self) -> str:
        if self.operation is not None:
            what = f"{self.operation.value} at {self.from_id}"
        else:
            what = f"{self.mode.value} {self.from_id} → {self.to_id}, {self.distance_km:,.0f} km"
        return f"<Leg {what}, {self.hours:.1f} h, {self.cost_usd:,.0f} USD>"

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
        if self.cost_items:
            out["cost_usd_range"] = self.cost_band.to_dict()
            out["cost_breakdown"] = [i.to_dict() for i in self.cost_items]
        if self.emission is not None:
            out["co2e_kg"] = {
                "wtw": round(self.emission.wtw_kg, 2),
                "ttw": round(self.emission.ttw_kg, 2),
            }
            out["emission_factor"] = {
                "id": self.emission.factor_id,
                "sources": list(self.emission.sources),
                "estimate": self.emission.estimate,
            }
        return out


@dataclass(frozen=True, slots=True, kw_only=True)
class Route:
    """A door-to-door route: the nodes visited and every leg (links and node operations)."""

    def __repr__(self) -> str:
        price = f", {self.cost_usd:,.0f} USD" if self.priced else ""
        return (
            f"<Route {self.corridor.value} {self.origin} → {self.destination}: "
            f"{len(self.nodes)} nodes, {len(self.legs)} legs, {self.days:.1f} d, "
            f"{self.distance_km:,.0f} km{price}>"
        )

    nodes: tuple[str, ...]
    legs: tuple[Leg, ...]
    corridor: Corridor
    year: int | None = None
    month: int | None = None
    container_ft: int | None = None
    """Container size the costs and emissions are for (``None``: unpriced, per FEU)."""
    cargo_t: float | None = None
    """Cargo mass in the container the emissions are for, t."""
    price_year: int | None = None
    """Year of the tariffs and sea rates used."""

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
        """Expected cost per container (FEU unless priced for another size), USD."""
        return sum(leg.cost_usd for leg in self.legs)

    @property
    def cost_band(self) -> Band:
        """Low / expected / high cost per container, USD: the sum of the legs' bands."""
        total = Band.of(0.0)
        for leg in self.legs:
            total = total + leg.cost_band
        return total

    @property
    def cost_estimated_share(self) -> float:
        """Share of the expected cost that rests on estimated rates (0-1)."""
        total = self.cost_usd
        if total <= 0:
            return 0.0
        return sum(leg.cost_estimated_usd for leg in self.legs) / total

    @property
    def co2_kg(self) -> float:
        """Well-to-wheel emissions per container (FEU unless priced for another size), kg CO2e."""
        return sum(leg.co2_kg for leg in self.legs)

    @property
    def co2e_kg(self) -> tuple[float, float]:
        """``(wtw, ttw)`` emissions per container, kg CO2e: sums over the legs."""
        wtw = sum(leg.emission.wtw_kg for leg in self.legs if leg.emission is not None)
        ttw = sum(leg.emission.ttw_kg for leg in self.legs if leg.emission is not None)
        return wtw, ttw

    @property
    def priced(self) -> bool:
        """True when legs carry a tariff breakdown and emission detail."""
        return self.container_ft is not None

    @property
    def borders(self) -> int:
        """Number of frontiers crossed: by land, plus each voyage that lands in another country.

        Sea passages and ports a voyage only passes do not count.
        """
        count = 0
        voyage_from = ""
        landed_in = ""
        for leg in self.link_legs:
            if leg.mode in (LegMode.FERRY, LegMode.SEA, LegMode.RIVER):
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
            **self.priced_fields(),
        }

    def priced_fields(self) -> dict[str, Any]:
        """Container size, cost range and WTW/TTW totals (empty for an unpriced route)."""
        if not self.priced:
            return {}
        wtw, ttw = self.co2e_kg
        return {
            "container": self.container_ft,
            "cargo_t": self.cargo_t,
            "price_year": self.price_year,
            "cost_usd_range": self.cost_band.to_dict(),
            "cost_estimated_share": round(self.cost_estimated_share, 3),
            "co2e_kg": {"wtw": round(wtw, 2), "ttw": round(ttw, 2)},
        }
