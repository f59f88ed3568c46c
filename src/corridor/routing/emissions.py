"""Greenhouse-gas emissions of a route per ISO 14083 / GLEC v3.2, leg by leg.

Each link leg is a transport chain element (TCE) and each handling at a node (port call,
terminal, gauge change, transfer) a hub operation. An element's emissions are its transport
activity times a factor, both well-to-wheel (WTW) and tank-to-wheel (TTW):

- container ships: g CO2e per TEU-km on the voyage's trade lane (GLEC allocates a container
  vessel's emissions per TEU, so the cargo mass does not change them);
- Ro-Pax and Ro-Ro ferries, rail and road: g CO2e per tonne-km of cargo, with GLEC's 1.15
  distance adjustment for Ro-Ro/Ro-Pax;
- rail: a network's diesel share at the diesel factor plus its electric share at the electric
  factor scaled by the grid intensity of that country (``rail_traction.csv``);
- hubs: kg CO2e per container handled.
"""

from __future__ import annotations

from corridor.model import (
    Emission,
    EmissionFactor,
    Leg,
    LegMode,
    OperationKind,
    Route,
    TariffBook,
)
from corridor.network import Network
from corridor.routing.lanes import canal_nodes, eu_countries, leg_network, sea_lane, voyages

__all__ = ["DEFAULT_CARGO_T_PER_TEU", "DIESEL_TTW_PER_WTW", "rail_factor", "route_emissions"]

DEFAULT_CARGO_T_PER_TEU = 10.0
"""GLEC's default cargo load of a TEU when the real load is unknown, t."""

DIESEL_TTW_PER_WTW = 27.8 / 34.5
"""TTW share of WTW for diesel (BEIS 2021 freight rail), used where a source gives WTW only."""

_HUB_KINDS = frozenset(
    {
        OperationKind.PORT,
        OperationKind.TERMINAL,
        OperationKind.GAUGE_CHANGE,
        OperationKind.TRANSFER,
    }
)


def _teus(container_ft: int) -> float:
    return 1.0 if container_ft == 20 else 2.0


def rail_factor(book: TariffBook, network: str) -> EmissionFactor | None:
    """The WTW/TTW factor (g CO2e per t-km) of a country's rail network.

    ``(1 - e) * diesel + e * electric * grid / grid_reference`` where ``e`` is the electrified
    share of the network; electric traction has no tank-to-wheel emissions. EU members share the
    ``EU`` row. None when the book lacks the traction data.
    """
    traction = book.traction_of(network) or (
        book.traction_of("EU") if network in eu_countries() else None
    )
    diesel = book.factor("traction:diesel")
    electric = book.factor("traction:electric")
    reference = book.traction_of("reference")
    if traction is None or diesel is None or electric is None or reference is None:
        return None
    e = traction.electric_share
    scale = traction.grid_g_per_kwh / reference.grid_g_per_kwh if reference.grid_g_per_kwh else 0
    wtw = (1 - e) * diesel.wtw + e * electric.wtw * scale
    ttw = (1 - e) * diesel.ttw + e * electric.ttw
    return EmissionFactor(
        id=f"rail-{traction.network.lower()}",
        applies_to=(f"rail:{network}",),
        basis="g_per_t_km",
        wtw=wtw,
        ttw=ttw,
        sources=tuple(dict.fromkeys(diesel.sources + electric.sources + traction.sources)),
        estimate=traction.estimate or diesel.estimate or electric.estimate,
        note=(
            f"{network}: {e:.0%} electric at {traction.grid_g_per_kwh:g} g/kWh, {1 - e:.0%} diesel"
        ),
    )


def _apply(
    f: EmissionFactor, *, distance_km: float, container_ft: int, cargo_t: float, note: str = ""
) -> Emission:
    km = distance_km * f.distance_factor
    if f.basis == "g_per_teu_km":
        activity, unit, per = _teus(container_ft) * km, "TEU-km", "g CO2e/TEU-km"
    elif f.basis == "g_per_t_km":
        activity, unit, per = cargo_t * km, "t-km", "g CO2e/t-km"
    else:
        activity, unit, per = 1.0, "containers", "kg CO2e/container"
    scale = 1.0 if f.basis == "kg_per_container" else 1e-3
    return Emission(
        wtw_kg=f.wtw * activity * scale,
        ttw_kg=f.ttw * activity * scale,
        factor_id=f.id,
        factor_wtw=f.wtw,
        factor_ttw=f.ttw,
        factor_unit=per,
        activity=activity,
        activity_unit=unit,
        mass_t=cargo_t,
        distance_km=km,
        sources=f.sources,
        estimate=f.estimate,
        note=note or f.note,
    )


def _profile_fallback(
    leg: Leg, net: Network, *, container_ft: int, cargo_t: float
) -> Emission | None:
    link = net.by_key.get((leg.from_id, leg.to_id, leg.mode.value))
    if link is None:
        return None
    p = link.profile
    f = EmissionFactor(
        id=f"profile:{p.id}",
        applies_to=(f"profile:{p.id}",),
        basis="g_per_teu_km",
        wtw=p.co2_g_per_teu_km,
        ttw=p.co2_g_per_teu_km * DIESEL_TTW_PER_WTW,
        sources=p.sources,
        estimate=True,
        note="profile WTW factor; TTW by the diesel ratio (no emission factor table)",
    )
    return _apply(f, distance_km=leg.distance_km, container_ft=container_ft, cargo_t=cargo_t)


def route_emissions(  # noqa: PLR0912  (one branch per kind of leg and per fallback factor)
    route: Route, net: Network, *, container_ft: int = 40, cargo_t: float | None = None
) -> list[Emission | None]:
    """Emissions of each leg of ``route`` for one container (None for a leg that emits nothing
    of its own: border clearance, an operation without handling).

    Parameters
    ----------
    route, net
        The route and the network it runs on (its tariff book holds the factors).
    container_ft
        20 or 40.
    cargo_t
        Cargo mass in the container, t (default 10 t per TEU).
    """
    mass = DEFAULT_CARGO_T_PER_TEU * _teus(container_ft) if cargo_t is None else cargo_t
    book = net.tariffs
    out: list[Emission | None] = [None] * len(route.legs)
    lane_of: dict[int, str] = {}
    rail_of: dict[str, EmissionFactor | None] = {}
    for v in voyages(route):
        lane = sea_lane(net.nodes[v.load].country, net.nodes[v.discharge].country)
        if lane == "other" and v.nodes & canal_nodes():
            lane = "trans-suez"
        for i in v.leg_indices:
            lane_of[i] = lane
    for i, leg in enumerate(route.legs):
        if book is None:
            if not leg.is_operation:
                out[i] = _profile_fallback(leg, net, container_ft=container_ft, cargo_t=mass)
            continue
        if leg.operation is not None:
            if leg.operation in _HUB_KINDS:
                f = book.factor(f"operation:{leg.operation.value}")
                if f is not None:
                    out[i] = _apply(f, distance_km=0.0, container_ft=container_ft, cargo_t=mass)
            continue
        link = net.by_key.get((leg.from_id, leg.to_id, leg.mode.value))
        factor: EmissionFactor | None = None
        if leg.mode is LegMode.RAIL:
            network = leg_network(leg)
            if network not in rail_of:
                rail_of[network] = rail_factor(book, network)
            factor = rail_of[network]
        elif link is not None:
            factor = book.factor(f"profile:{link.profile.id}")
        if factor is None and leg.mode is LegMode.SEA:
            factor = book.factor(f"lane:{lane_of.get(i, 'other')}") or book.factor("lane:other")
        if factor is None:
            out[i] = _profile_fallback(leg, net, container_ft=container_ft, cargo_t=mass)
            continue
        out[i] = _apply(
            factor, distance_km=leg.distance_km, container_ft=container_ft, cargo_t=mass
        )
    return out
