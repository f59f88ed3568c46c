"""Which land services carry a box over a link, and the chain of services a route rides.

A route is a chain of services (:class:`corridor.model.Service`): block trains and trucks on
land (``land_services.yaml``), ferries, feeders and liners at sea (``services.yaml``). A land
service runs on any link of its mode between two places of its countries; where no service
is known, the generic service of the national railway (or trucking) does. Where the box changes
onto a land service it is handled at the hub and waits for the next departure
(:mod:`corridor.routing.search`), whatever it arrived by (a train or a vessel): by the departing
service's rule,
unless that service's departures are timed to the arrivals of the one the box came by
(:meth:`corridor.model.Service.waits_after`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from corridor.model import Leg, Link, Node, Route, Service
from corridor.network import Network
from corridor.routing.cache import network_memo
from corridor.routing.costs import link_network

__all__ = ["ServiceRide", "land_services_of", "service_rides"]


def land_services_of(net: Network, link: Link) -> tuple[Service, ...]:
    """The land services that can carry a box over ``link``, the most specific first.

    Named services whose countries hold both ends; where none does, the generic service of the
    link's mode (that of each end's national railway when it crosses a frontier). Empty for a
    vessel link and on a network without land services. Memoised per network.
    """
    if link.mode.is_water or not net.land_services:
        return ()
    memo = network_memo(net)
    key = ("land_services", link.key)
    found = memo.get(key)
    if found is None:
        found = _cover(net.land_services, net.nodes, link)
        memo[key] = found
    assert isinstance(found, tuple)
    return found


def _cover(
    services: Mapping[str, Service], nodes: Mapping[str, Node], link: Link
) -> tuple[Service, ...]:
    ends = {nodes[link.from_id].country, nodes[link.to_id].country}
    named = [
        s
        for s in services.values()
        if not s.generic and s.mode is link.mode and ends <= s.countries
    ]
    if named:
        return tuple(sorted(named, key=lambda s: (len(s.countries), s.id)))
    generic = [s for s in services.values() if s.generic and s.mode is link.mode]
    if any(len(s.countries) == 1 for s in generic):
        home = link_network(link, nodes)
        wanted = [home, *sorted(ends - {home})]
        return tuple(s for c in wanted for s in generic if s.countries == {c})
    return tuple(generic)


@dataclass(frozen=True, slots=True, kw_only=True)
class ServiceRide:
    """One service of a route's chain: where the box boards it and where it leaves it."""

    service: Service
    from_id: str
    to_id: str
    wait_h: float
    """Mean wait for its departure where the box changes onto it (0 where no wait applies)."""

    def to_dict(self) -> dict[str, Any]:
        """As one element of ``services`` in the ``compare``/``route`` JSON contract."""
        freq = self.service.frequency_per_week
        return {
            "id": self.service.id,
            "operator": self.service.operator,
            "from": self.from_id,
            "to": self.to_id,
            "frequency_per_week": round(freq, 2) if freq is not None else None,
            "mode": self.service.mode.value,
            "estimate": self.service.estimate,
            "generic": self.service.generic,
        }


def service_rides(route: Route) -> tuple[ServiceRide, ...]:
    """The chain of services a route rides, in order (links without a service are skipped)."""
    out: list[ServiceRide] = []
    current: Service | None = None
    start = ""
    end = ""
    wait = 0.0
    for leg in route.link_legs:
        svc = leg.service
        if svc is not None and svc is current and not leg.boarding:
            end = leg.to_id
            continue
        if current is not None:
            out.append(ServiceRide(service=current, from_id=start, to_id=end, wait_h=wait))
        current, start, end = svc, leg.from_id, leg.to_id
        wait = _wait(leg)
    if current is not None:
        out.append(ServiceRide(service=current, from_id=start, to_id=end, wait_h=wait))
    return tuple(out)


def _wait(leg: Leg) -> float:
    if leg.service is None or not leg.boarding:
        return 0.0
    return leg.service.departure.mean_wait_h()
