"""Trade lanes, voyages and rail networks of a route: shared by pricing and emissions."""

from __future__ import annotations

from dataclasses import dataclass

from corridor.model import Leg, LegMode, OperationKind, Route

__all__ = [
    "ASIA",
    "EU",
    "MEDITERRANEAN",
    "NORTH_EUROPE",
    "SUEZ_NODES",
    "Voyage",
    "leg_network",
    "north_europe_lane",
    "priced_lane",
    "sea_lane",
    "voyages",
]

ASIA = frozenset({"CN", "SG", "MY", "LK", "JP", "KR", "VN", "TW", "HK", "TH", "IN"})
NORTH_EUROPE = frozenset({"NL", "BE", "DE", "GB", "FR", "PL", "DK", "SE", "FI", "LT", "LV", "EE"})
MEDITERRANEAN = frozenset(
    {"IT", "GR", "TR", "ES", "PT", "SI", "HR", "MT", "CY", "EG", "RO", "BG", "GE", "UA"}
)
EU = frozenset(
    {
        "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
        "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
    }
)  # fmt: skip
SUEZ_NODES = frozenset({"suez", "port_said"})


@dataclass(frozen=True, slots=True, kw_only=True)
class Voyage:
    """Consecutive vessel legs of one service: loaded at ``load``, discharged at ``discharge``."""

    service_id: str
    leg_indices: tuple[int, ...]
    load: str
    discharge: str
    nodes: frozenset[str]
    distance_km: float


def voyages(route: Route) -> list[Voyage]:
    """The vessel voyages of a route (legs of one service in a row, operations in between)."""
    out: list[Voyage] = []
    current: list[int] = []
    service_id = ""

    def close() -> None:
        if current:
            legs = [route.legs[i] for i in current]
            out.append(
                Voyage(
                    service_id=service_id,
                    leg_indices=tuple(current),
                    load=legs[0].from_id,
                    discharge=legs[-1].to_id,
                    nodes=frozenset(n for leg in legs for n in (leg.from_id, leg.to_id)),
                    distance_km=sum(leg.distance_km for leg in legs),
                )
            )

    for i, leg in enumerate(route.legs):
        if leg.is_operation:
            if leg.operation is OperationKind.PORT:
                close()
                current = []
            continue
        if leg.mode in (LegMode.SEA, LegMode.FERRY):
            sid = leg.service.id if leg.service is not None else f"{leg.from_id}-{leg.to_id}"
            if current and sid == service_id and not leg.boarding:
                current.append(i)
                continue
            close()
            current, service_id = [i], sid
        else:
            close()
            current = []
    close()
    return out


def sea_lane(load_country: str, discharge_country: str) -> str:
    """Trade lane of a deep-sea voyage: ``asia-north_europe``, ``asia-mediterranean`` (which
    includes the Black Sea) or ``other``; either direction."""
    ends = {load_country, discharge_country}
    pair = (load_country in ASIA, discharge_country in ASIA)
    if pair[0] == pair[1]:
        return "other"
    other = (ends - ASIA).pop() if ends - ASIA else ""
    if other in NORTH_EUROPE:
        return "asia-north_europe"
    if other in MEDITERRANEAN:
        return "asia-mediterranean"
    return "other"


def priced_lane(load_country: str, discharge_country: str) -> str:
    """Trade lane *and direction* of a deep-sea voyage, the key of its spot rate.

    Asia → Europe is the headhaul (``asia-north_europe``, ``asia-mediterranean``); Europe →
    Asia the backhaul (``north_europe-asia``, ``mediterranean-asia``), which carriers fill at a
    fraction of the headhaul rate because the trade is unbalanced and they must bring the
    empty boxes back to Asia anyway; ``other`` elsewhere. Emission factors do not depend on the
    direction (:func:`sea_lane`).

    >>> priced_lane("CN", "NL"), priced_lane("NL", "CN"), priced_lane("GE", "CN")
    ('asia-north_europe', 'north_europe-asia', 'mediterranean-asia')
    """
    lane = sea_lane(load_country, discharge_country)
    if lane == "other" or load_country in ASIA:
        return lane
    europe, asia = lane.split("-")
    return f"{asia}-{europe}"


def north_europe_lane(lane: str) -> str:
    """The Asia–North Europe lane in the same direction as ``lane`` (the reference that a
    ``lane_ratio`` row scales)."""
    return "north_europe-asia" if lane.endswith("-asia") else "asia-north_europe"


def leg_network(leg: Leg) -> str:
    """Country whose railway (or roads) runs a link leg: its ``network``
    (:func:`corridor.routing.costs.link_network`), else the country it starts in (the end
    country for a leg starting at a sea passage)."""
    if leg.network:
        return leg.network
    a, b = leg.countries
    return b if a in ("", "XX") else a
