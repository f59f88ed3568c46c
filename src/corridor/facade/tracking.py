"""The ETA of a container in transit (``corridor eta`` and the shipments API): the planned
route of a shipment, milestones, and the ETA document."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from corridor.errors import ModelError
from corridor.model import (
    Corridor,
    Event,
    Node,
    NodeKind,
    Route,
    ServiceClass,
    meeting,
)
from corridor.network import Network, load_network
from corridor.routing import (
    DEFAULT_VALUE_OF_TIME_USD_PER_H,
    CompareRequest,
    Constraints,
    Objective,
    choose_options,
    corridor_option,
    default_year,
)
from corridor.transit.sizes import DEFAULT_ETA_SAMPLES

# The transit engines (numpy) and the file readers load in the functions that use them: a route
# needs neither (start-up time of ``corridor route``).
if TYPE_CHECKING:
    from corridor.transit import EtaForecast, EtaStage, Milestone

__all__ = [
    "EtaResult",
    "eta",
    "eta_document",
    "parse_deadline",
    "parse_milestone",
    "plan_shipment",
    "port_ids",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class EtaResult:
    """A conditioned ETA: the forecast after the last milestone and the band at every stage."""

    origin: Node
    destination: Node
    depart: date
    service: str | None
    samples: int
    seed: int
    deadline: datetime | None
    milestones: tuple[Milestone, ...]
    forecast: EtaForecast
    stages: tuple[EtaStage, ...]
    planned: Route
    network: Network
    year: int | None = None
    events: tuple[Event, ...] = ()
    """Dated disruptions (``events.csv``) on the planned route between the departure and the
    P90 arrival."""

    def __repr__(self) -> str:
        track = self.forecast.track
        stage = self.forecast.stage
        if track.delivered:
            where = "delivered"
        elif track.last is not None:
            where = f"in transit, last seen at {self.network.nodes[track.last.node].name}"
        else:
            where = "not seen yet"
        if stage.overdue:
            where += ", overdue"
        return (
            f"<EtaResult {self.origin.name} → {self.destination.name}: {where}, "
            f"ETA P50 {stage.eta_p50:%Y-%m-%d %H:%M} (P10–P90 {stage.band_days:.1f} d)>"
        )

    def to_dict(self) -> dict[str, Any]:
        """The ``corridor eta --json`` document (with the dated ``events`` the route meets)."""
        doc = eta_document(
            self.forecast,
            self.stages,
            origin=self.origin,
            destination=self.destination,
            depart=self.depart,
            service=self.service,
            samples=self.samples,
            seed=self.seed,
            deadline=self.deadline,
            network=self.network,
            year=self.year,
        )
        doc["events"] = [e.to_dict() for e in self.events]
        doc["warnings"] = [f"{e.describe()}. {e.note}".strip() for e in self.events]
        return doc


def parse_deadline(value: date | datetime | str | None) -> datetime | None:
    """A deadline as a naive UTC date-time: a date means by the end of that day.

    Raises
    ------
    ModelError
        For text that is neither ``YYYY-MM-DD`` nor an ISO date-time.

    Examples
    --------
    >>> parse_deadline("2025-01-31")
    datetime.datetime(2025, 2, 1, 0, 0)
    """
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip()
        try:
            value = date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text)
        except ValueError:
            raise ModelError(
                f"deadline '{value}' is not a date YYYY-MM-DD or a date-time"
            ) from None
    day = value.date() if isinstance(value, datetime) else value
    if not date(2000, 1, 1) <= day <= date(2100, 12, 31):
        raise ModelError(f"deadline {day} is not between 2000-01-01 and 2100-12-31")
    if isinstance(value, datetime):
        from corridor.transit import as_utc  # noqa: PLC0415

        return as_utc(value)
    return datetime(value.year, value.month, value.day) + timedelta(days=1)


def plan_shipment(
    net: Network,
    origin: str,
    destination: str,
    *,
    depart: date,
    year: int | None = None,
    corridor: Corridor | str | None = None,
    via: Sequence[str] = (),
    service: str | None = None,
    seen: Sequence[Milestone] = (),
    objective: Objective | str = Objective.TIME,
    value_of_time_usd_per_h: float = DEFAULT_VALUE_OF_TIME_USD_PER_H,
) -> Route:
    """The planned route of a shipment (node ids in): the option policy's best route in the
    departure month for ``objective`` (:func:`corridor.routing.choose_options`), the row
    ``compare`` shows first.

    With ``corridor``, the route a comparison shows for that corridor
    (:func:`corridor.routing.corridor_option`: the fastest, the maritime one by price). With
    milestones already ``seen`` (and no corridor given), the fastest of the corridors' best
    routes that passes them all in order, a departure from a port being a sailing; when none
    does, the fastest route (the forecast then re-plans at the first milestone off it).
    ``service`` is the service class it is planned for (``None``: standard), whose values in
    force the legs carry; ``year`` is the network year (``None``: the departure year).

    Raises
    ------
    NoRouteError
    ModelError
        For an unknown service class.
    """
    cons = Constraints(
        year=default_year(year, depart),
        month=depart.month,
        via=tuple(via),
        service=ServiceClass.parse(service or ServiceClass.STANDARD),
    )
    terms: dict[str, Any] = {
        "constraints": cons,
        "objective": objective,
        "value_of_time_usd_per_h": value_of_time_usd_per_h,
    }
    if corridor is not None:
        return corridor_option(net, origin, destination, Corridor(corridor), **terms)
    from corridor.transit import compare_routes, fits  # noqa: PLC0415

    choice = choose_options(net, origin, destination, **terms)
    best = choice.best
    if objective == Objective.TIME and len(choice.routes) > 1:
        # the row compare shows first: the lowest median of the sampled journeys
        first = compare_routes(
            net,
            CompareRequest(
                origin=origin,
                destination=destination,
                depart=depart,
                year=cons.year,
                via=tuple(via),
                service=cons.service,
                value_of_time_usd_per_h=value_of_time_usd_per_h,
            ),
        ).options[0]
        best = next((r for r in choice.routes if r.nodes == first.route.nodes), best)
    ports = port_ids(net)
    if not seen or fits(best, seen, ports):
        return best
    fitting = [r for r in choice.routes if fits(r, seen, ports)]
    return min(fitting, key=lambda r: (r.hours, r.corridor.value)) if fitting else best


def port_ids(net: Network) -> frozenset[str]:
    """Ids of the network's ports (a departure from a port is a sailing)."""
    return frozenset(n.id for n in net.nodes.values() if n.kind is NodeKind.PORT)


def eta_document(
    result: EtaForecast,
    stages: Sequence[EtaStage],
    *,
    origin: Node,
    destination: Node,
    depart: date,
    service: str | None,
    samples: int,
    seed: int,
    deadline: datetime | None,
    network: Network,
    year: int | None = None,
) -> dict[str, Any]:
    """The ETA document shared by ``corridor eta --json`` and the shipments API.

    ``year`` is the network year the route was planned in (``None``: the departure year).
    """
    track = result.track
    nodes = network.nodes
    last = track.last
    out: dict[str, Any] = {
        "origin": {"id": origin.id, "name": origin.name},
        "destination": {"id": destination.id, "name": destination.name},
        "depart": depart.isoformat(),
        "service": service or "standard",
        "year": year if year is not None else depart.year,
        "samples": samples,
        "seed": seed,
    }
    if deadline is not None:
        out["deadline"] = deadline.isoformat(timespec="minutes")
    from corridor.transit import ShipmentStatus  # noqa: PLC0415

    out["status"] = str(ShipmentStatus.DELIVERED if track.delivered else ShipmentStatus.IN_TRANSIT)
    out["position"] = (
        {**last.to_dict(), "name": nodes[last.node].name} if last is not None else None
    )
    stage = result.stage.to_dict()
    out["eta"] = stage["eta"]
    out["remaining_days"] = stage["remaining_days"]
    out["band_days"] = stage["band_days"]
    if "on_time_probability" in stage:
        out["on_time_probability"] = stage["on_time_probability"]
    for key in ("as_of", "overdue", "expected_by", "beyond_model"):
        if key in stage:
            out[key] = stage[key]
    _add_local_times(out, result, destination, nodes)
    out["where"] = [{"mode": mode, "days": round(days, 2)} for mode, days in result.where]
    nxt = result.next_milestone
    out["next_milestone"] = (
        {
            "node": nxt[0],
            "name": nodes[nxt[0]].name,
            "event": nxt[1].value,
            "p50": nxt[2].isoformat(timespec="minutes"),
        }
        if nxt is not None
        else None
    )
    out["route"] = {
        "corridor": track.route.corridor.value,
        "nodes": list(track.path),
        "reached": track.reached,
        "replanned_at": list(track.replanned_at),
        "remaining_legs": [
            {**leg.to_dict(), "hours": {"mean": round(m, 2)}} for leg, m in result.legs
        ],
    }
    out["stages"] = [s.to_dict() for s in stages]
    return out


def _add_local_times(
    out: dict[str, Any], result: EtaForecast, destination: Node, nodes: Mapping[str, Node]
) -> None:
    """Add the ETA, the position and the next milestone in their place's local time.

    ``eta_local`` holds the destination's zone and the band in it; the position and the next
    milestone get ``at_local`` / ``p50_local`` in their node's zone (nothing where no zone is
    known, such as at sea).
    """
    from corridor.network.timezones import local_iso, zone_name  # noqa: PLC0415

    zone = zone_name(destination)
    st = result.stage
    if zone is not None:
        out["eta_local"] = {
            "tz": zone,
            "p10": local_iso(st.eta_p10, zone),
            "p50": local_iso(st.eta_p50, zone),
            "p90": local_iso(st.eta_p90, zone),
        }
    last = result.track.last
    if last is not None and out.get("position") is not None:
        here = zone_name(nodes[last.node])
        if here is not None:
            out["position"]["at_local"] = local_iso(last.at, here)
            out["position"]["tz"] = here
    nxt = result.next_milestone
    if nxt is not None and out.get("next_milestone") is not None:
        there = zone_name(nodes[nxt[0]])
        if there is not None:
            out["next_milestone"]["p50_local"] = local_iso(nxt[2], there)
            out["next_milestone"]["tz"] = there


def eta(
    origin: str,
    destination: str,
    *,
    depart: date | str,
    seen: Iterable[Milestone | str] = (),
    deadline: date | datetime | str | None = None,
    service: str | None = None,
    corridor: Corridor | str | None = None,
    year: int | None = None,
    samples: int = DEFAULT_ETA_SAMPLES,
    seed: int = 1,
    now: datetime | None = None,
    network: Network | None = None,
    objective: Objective | str = Objective.TIME,
    value_of_time_usd_per_h: float = DEFAULT_VALUE_OF_TIME_USD_PER_H,
) -> EtaResult:
    """The ETA of a container, conditioned on the milestones seen so far.

    Parameters
    ----------
    origin, destination
        Place names.
    depart
        Planned departure date (the journey starts at 00:00 UTC that day).
    seen
        Milestones in the order they happened: :class:`Milestone` records (node ids) or text
        ``NODE@DATETIME[:arr|dep]`` with any place name (``aktau@2025-01-14T08:00:dep``;
        arrival when the suffix is left out).
    deadline
        Due date (by the end of that day) or date-time: adds the on-time probability.
    service
        Service class (``express`` or ``standard``, the default).
    corridor
        Plan within this corridor (default: the fastest route).
    year
        Network year: links open and values in force (``None``: the departure year).
    samples, seed
        Monte-Carlo journeys per forecast and their seed.
    objective, value_of_time_usd_per_h
        What picks the planned route (as ``compare --optimize``).
    now
        The present, UTC (default: this machine's clock); later milestones are refused, and
        the ETA is conditioned on no arrival between the last milestone and ``now`` (it moves
        forward with the clock; past the P90 the container is flagged ``overdue``).
    network
        The network (bundled by default).

    Raises
    ------
    NodeNotFoundError, NoRouteError, MilestoneError, ModelError

    Examples
    --------
    >>> r = eta("Xi'an", "Istanbul", depart="2025-01-06", seen=["aktau@2025-01-14T08:00:dep"],
    ...         samples=2000)
    >>> r.to_dict()["route"]["nodes"][r.forecast.track.reached - 1]
    'aktau'
    """
    from corridor.transit import Milestone, as_utc  # noqa: PLC0415

    net = network or load_network()
    o, d = net.node(origin), net.node(destination)
    when = date.fromisoformat(depart) if isinstance(depart, str) else depart
    year = default_year(year, when)
    if not 1 <= samples <= 1_000_000:
        raise ModelError(f"samples must be between 1 and 1,000,000, got {samples}")
    milestones = tuple(m if isinstance(m, Milestone) else parse_milestone(net, m) for m in seen)
    route_plan = plan_shipment(
        net,
        o.id,
        d.id,
        depart=when,
        year=year,
        corridor=corridor,
        service=service,
        seen=milestones,
        objective=objective,
        value_of_time_usd_per_h=value_of_time_usd_per_h,
    )
    return _tracked(
        net,
        route_plan,
        origin=o,
        destination=d,
        depart=when,
        milestones=milestones,
        year=year,
        corridor=Corridor(corridor) if corridor is not None else route_plan.corridor,
        service=service,
        samples=samples,
        seed=seed,
        deadline=parse_deadline(deadline),
        now=as_utc(now) if now is not None else datetime.now(UTC).replace(tzinfo=None),
    )


def _tracked(
    net: Network,
    planned: Route,
    *,
    origin: Node,
    destination: Node,
    depart: date,
    milestones: tuple[Milestone, ...],
    year: int,
    corridor: Corridor,
    service: str | None,
    samples: int,
    seed: int,
    deadline: datetime | None,
    now: datetime,
) -> EtaResult:
    """The forecast along the planned route after each milestone (re-planned within
    ``corridor`` at a milestone off the route), with the events the route meets."""
    from corridor.transit import replanner, track_eta  # noqa: PLC0415

    planner = replanner(net, year=year, corridor=corridor, service=service)
    result, stages = track_eta(
        planned,
        depart,
        milestones,
        planner=planner,
        samples=samples,
        seed=seed,
        deadline=deadline,
        now=now,
        names=lambda node: net.nodes[node].name,
        at_now=True,
    )
    return EtaResult(
        origin=origin,
        destination=destination,
        depart=depart,
        service=service,
        samples=samples,
        seed=seed,
        deadline=deadline,
        milestones=milestones,
        forecast=result,
        stages=stages,
        planned=planned,
        network=net,
        year=year,
        events=_events_met(net, planned, depart, result.stage.eta_p90.date()),
    )


def _events_met(net: Network, route: Route, start: date, end: date) -> tuple[Event, ...]:
    """The dated disruptions (``events.csv``) at the route's places or countries between
    ``start`` and ``end``."""
    return meeting(
        net.values.events,
        nodes=route.nodes,
        countries={net.nodes[n].country for n in route.nodes},
        start=start,
        end=end,
    )


def parse_milestone(net: Network, text: str) -> Milestone:
    """A milestone from ``NODE@DATETIME[:arr|dep]`` (any place name; arrival by default).

    Raises
    ------
    ModelError
        When the text has no ``@``, a bad date-time or an unknown event suffix.
    NodeNotFoundError
        For an unknown place.

    Examples
    --------
    >>> from corridor import load_network
    >>> parse_milestone(load_network(), "Aktau@2025-01-14T08:00:dep").to_dict()
    {'node': 'aktau', 'event': 'dep', 'at': '2025-01-14T08:00'}
    """
    from corridor.transit import Milestone, MilestoneKind  # noqa: PLC0415

    place, sep, rest = text.rpartition("@")
    if not sep or not place.strip() or not rest.strip():
        raise ModelError(f"milestone '{text}' is not NODE@DATETIME[:arr|dep]")
    kind = MilestoneKind.ARRIVAL
    stamp = rest.strip()
    head, colon, tail = stamp.rpartition(":")
    if colon and tail.lower() in ("arr", "dep"):
        kind, stamp = MilestoneKind(tail.lower()), head
    try:
        at = datetime.fromisoformat(stamp)
    except ValueError:
        raise ModelError(
            f"milestone '{text}': '{stamp}' is not a date-time like 2025-01-14T08:00"
        ) from None
    return Milestone(node=net.node(place.strip()).id, at=at, kind=kind)
