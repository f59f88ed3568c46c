"""Trade lanes, voyages and rail networks of a route: shared by pricing and emissions."""

from __future__ import annotations

from dataclasses import dataclass

from corridor.model import Geography, Leg, LegMode, OperationKind, Route

__all__ = [
    "Voyage",
    "canal_nodes",
    "eu_countries",
    "leg_network",
    "north_europe_lane",
    "priced_lane",
    "sea_lane",
    "voyages",
]


def _lane(name: str, geo: Geography | None) -> frozenset[str]:
    if geo is None:
        from corridor.io.geography import bundled_geography  # noqa: PLC0415  (start-up)

        geo = bundled_geography()
    return geo.lane(name)


def eu_countries(geo: Geography | None = None) -> frozenset[str]:
    """EU member states (``corridors.yaml``, ``lanes.eu``): the EU ETS and the shared EU rail
    traction row apply to them."""
    return _lane("eu", geo)


def canal_nodes(geo: Geography | None = None) -> frozenset[str]:
    """Nodes of the Suez Canal (``lanes.canal_nodes``): a voyage through them pays its toll."""
    return _lane("canal_nodes", geo)


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
        if leg.mode in (LegMode.SEA, LegMode.FERRY, LegMode.RIVER):
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


def sea_lane(load_country: str, discharge_country: str, geo: Geography | None = None) -> str:
    """Trade lane of a deep-sea voyage: ``asia-north_europe``, ``asia-mediterranean`` (which
    includes the Black Sea) or ``other``; either direction. The countries of each region are
    in ``corridors.yaml`` (``lanes``)."""
    asia = _lane("asia", geo)
    ends = {load_country, discharge_country}
    pair = (load_country in asia, discharge_country in asia)
    if pair[0] == pair[1]:
        return "other"
    other = (ends - asia).pop() if ends - asia else ""
    if other in _lane("north_europe", geo):
        return "asia-north_europe"
    if other in _lane("mediterranean", geo):
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
    if lane == "other" or load_country in _lane("asia", None):
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
