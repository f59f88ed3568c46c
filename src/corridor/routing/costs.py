"""What a leg costs: expected hours, USD per FEU and kg CO2e per FEU.

Expected hours are the analytic means of the time distributions the transit engine samples, so
the planner's ``hours`` equal the Monte-Carlo mean of the same route.
"""

from __future__ import annotations

from collections.abc import Mapping

from corridor.model import Direction, Leg, LegMode, Link, Node, NodeKind, OperationKind
from corridor.units import TEU_PER_FEU

__all__ = ["link_leg", "link_network", "operation_leg", "sailing_hours"]


def sailing_hours(link: Link, month: int | None, *, boarding: bool = True) -> float:
    """Mean hours on a vessel link: wait for the sailing and weather holds (when boarding), then
    the crossing.

    A voyage continues over consecutive links of one service without waiting again, so only the
    boarding leg carries the wait and the weather hold. Without a service, or for a service
    without a stated crossing time, the link takes its running time at the profile's speed.
    """
    service = link.service
    running = link.profile.speed.mean_hours(link.distance_km)
    if service is None:
        return running
    crossing = service.crossing.mean if service.crossing is not None else running
    if not boarding:
        return crossing
    return service.departure.mean_wait_h() + service.weather_in(month).mean_delay_h + crossing


def link_network(link: Link, nodes: Mapping[str, Node]) -> str:
    """Country whose railway (or roads) runs a land link; ``""`` for a vessel link.

    A border station stands at its frontier, so a link between a border station and an inland
    place of another country lies in that place's country: Kartsakhi (GE) is the Georgian station
    at the frontier, and the 76 km to Kars are chainage 0-76 of the BTK line, in Türkiye; the
    Turkmen section of the Kazakhstan-Turkmenistan-Iran line runs Bolashak (KZ) - Bereket -
    Incheh Burun (IR). Other links run in the country they start in (a link between two border
    stations crosses the frontier itself; between two inland places, the data split it at a
    border station where the split matters).
    """
    if link.mode.is_water:
        return ""
    a, b = nodes[link.from_id], nodes[link.to_id]
    if a.country != b.country and (a.kind is NodeKind.BORDER) != (b.kind is NodeKind.BORDER):
        return b.country if a.kind is NodeKind.BORDER else a.country
    return a.country


def link_leg(
    link: Link, nodes: Mapping[str, Node], month: int | None = None, *, boarding: bool = True
) -> Leg:
    """The leg of travelling ``link`` (in ``month``, 1-12, or the year's average).

    ``boarding`` matters for vessel links with a service: false when the container is already on
    that service's voyage (no new wait for a sailing).
    """
    a, b = nodes[link.from_id], nodes[link.to_id]
    boarding = boarding and link.service is not None
    hours = (
        sailing_hours(link, month, boarding=boarding)
        if link.mode.is_water
        else link.profile.speed.mean_hours(link.distance_km)
    )
    return Leg(
        from_id=link.from_id,
        to_id=link.to_id,
        mode=LegMode(link.mode.value),
        distance_km=link.distance_km,
        hours=hours,
        cost_usd=link.distance_km * link.profile.cost_usd_per_feu_km,
        co2_kg=link.distance_km * link.profile.co2_g_per_teu_km * TEU_PER_FEU / 1000.0,
        speed=link.profile.speed,
        service=link.service,
        boarding=boarding,
        countries=(a.country, b.country),
        network=link_network(link, nodes),
    )


def operation_leg(
    node: Node, kind: OperationKind, direction: Direction | None = None
) -> Leg | None:
    """The leg of an operation at ``node``, or None when the node does not perform it.

    ``direction`` selects the inbound or outbound dwell of a border clearance where the data
    give one (a container entering or leaving the node's country there).
    """
    op = node.operation(kind)
    if op is None:
        return None
    dwell = op.dwell_for(direction)
    return Leg(
        from_id=node.id,
        to_id=node.id,
        mode=kind.leg_mode,
        distance_km=0.0,
        hours=dwell.mean,
        cost_usd=op.cost_usd,
        co2_kg=0.0,
        operation=kind,
        dwell=dwell,
        countries=(node.country, node.country),
    )
