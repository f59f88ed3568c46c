"""What a container costs on a route, leg by leg, from the tariffs of each segment.

A route's legs come out of the search with first-pass costs (a profile's per-km tariff, an
operation's charge) good enough to rank routes. :func:`price_route` replaces them with a priced
breakdown for one container size and year: rail per container-km by network (the ERAI through
rate on the Kazakh, Russian and Belarusian legs of a KZ-RU-BY transit), border, gauge-change,
port and terminal charges, Caspian and Black Sea crossings per container, deep-sea freight by
lane and year with the surcharges it contains (Suez toll, Red Sea, EU ETS), the one-way lease
of a shipper's box on overland routes and the express premium. Every item carries low /
expected / high USD, its rate id, sources and whether the rate is an estimate.

Emissions (ISO 14083 / GLEC) are attached to the same legs by :mod:`corridor.routing.emissions`.
"""

from __future__ import annotations

from dataclasses import replace

from corridor.errors import ModelError
from corridor.model import (
    Band,
    CostItem,
    Leg,
    LegMode,
    Link,
    OperationKind,
    Rate,
    RateComponent,
    RateUnit,
    Route,
    TariffBook,
)
from corridor.model.route import cost_band_of
from corridor.network import Network
from corridor.routing.cache import network_memo
from corridor.routing.emissions import DEFAULT_CARGO_T_PER_TEU, route_emissions
from corridor.routing.lanes import (
    Voyage,
    canal_nodes,
    eu_countries,
    leg_network,
    north_europe_lane,
    priced_lane,
    voyages,
)

__all__ = ["CONTAINER_SIZES", "DEFAULT_PRICE_YEAR", "price_route"]

CONTAINER_SIZES = (20, 40)
DEFAULT_PRICE_YEAR = 2025
"""Year of the tariffs when a route names none: the latest year with published sea rates."""

_FALLBACK_SIZE_RATIO = Band(low=0.61, expected=0.65, high=0.78)
"""20-ft/40-ft price ratio for networks without a tariff book (see ``assumption-size-ratio``)."""

_ERAI_NETWORKS = frozenset({"KZ", "RU", "BY"})
_HANDLING = frozenset(
    {
        OperationKind.PORT,
        OperationKind.TERMINAL,
        OperationKind.GAUGE_CHANGE,
        OperationKind.TRANSFER,
    }
)


def _size_band(rate: Rate, container_ft: int, book: TariffBook | None, year: int) -> Band:
    """The rate's values for the container size (20-ft derived by the size ratio when needed)."""
    if container_ft == 40:
        return rate.feu
    if rate.unit is RateUnit.EUR_PER_TEU:
        return rate.feu  # per TEU already
    if rate.teu is not None:
        return rate.teu
    return rate.feu * _size_ratio(book, year)


def _size_ratio(book: TariffBook | None, year: int) -> Band:
    if book is not None:
        r = book.rate(RateComponent.SIZE_RATIO, "*", year)
        if r is not None:
            return r.feu
    return _FALLBACK_SIZE_RATIO


def _teus(container_ft: int) -> float:
    return 1.0 if container_ft == 20 else 2.0


class _Pricer:
    """Prices the legs of one route (one container size, one year)."""

    def __init__(
        self,
        net: Network,
        route: Route,
        *,
        container_ft: int,
        year: int,
        service: str | None,
    ) -> None:
        self.net = net
        self.book = net.tariffs
        self.route = route
        self.size = container_ft
        self.year = year
        self.service = service
        self.items: list[list[CostItem]] = [[] for _ in route.legs]
        rail_networks = {leg_network(leg) for leg in route.link_legs if leg.mode is LegMode.RAIL}
        # The ERAI through rate covers a transit of all three networks (Dostyk/Altynkol-Brest).
        self.erai = {"KZ", "BY"} <= rail_networks
        self.fx = self._fx()

    # ---- helpers -------------------------------------------------------------------------
    def _fx(self) -> Band:
        if self.book is not None:
            r = self.book.rate(RateComponent.FX, "*", self.year)
            if r is not None:
                return r.feu
        return Band.of(1.08)

    def _usd(self, rate: Rate, quantity: float = 1.0) -> Band:
        band = _size_band(rate, self.size, self.book, self.year) * quantity
        if rate.unit is RateUnit.EUR_PER_TEU:
            band = band * _teus(self.size)
        if rate.unit.in_eur:
            band = band * self.fx
        return band

    def _estimate(self, rate: Rate) -> bool:
        """A priced item is an estimate when its rate is, or a 20-ft value had to be derived."""
        derived = self.size == 20 and rate.teu is None and rate.unit is not RateUnit.EUR_PER_TEU
        return rate.estimate or (derived and rate.component is not RateComponent.OPERATION)

    def _add(self, i: int, item: CostItem) -> None:
        self.items[i].append(item)

    def _rate(self, component: RateComponent, key: str) -> Rate | None:
        return self.book.rate(component, key, self.year) if self.book is not None else None

    def _link(self, leg: Leg) -> Link | None:
        return self.net.by_key.get((leg.from_id, leg.to_id, leg.mode.value))

    # ---- legs ----------------------------------------------------------------------------
    def _profile_item(self, i: int, leg: Leg, what: str) -> None:
        link = self._link(leg)
        per_km = link.profile.cost_usd_per_feu_km if link is not None else 0.0
        pid = link.profile.id if link is not None else "unknown"
        band = Band.of(per_km * leg.distance_km)
        if self.size == 20:
            band = band * _size_ratio(self.book, self.year)
        self._add(
            i,
            CostItem(
                item=what,
                usd=band,
                rate_id=f"profile:{pid}",
                basis=f"{per_km:g} USD/FEU-km x {leg.distance_km:.0f} km",
                sources=link.profile.sources if link is not None else (),
                estimate=True,
            ),
        )

    def rail(self, i: int, leg: Leg) -> None:
        """The items of a rail leg: memoised per network, as they depend on nothing else than
        the leg's ends, length and railway, the container size, the year and whether the
        route is priced at the ERAI through rate."""
        network = leg_network(leg)
        erai = self.erai and network in _ERAI_NETWORKS
        key = ("rail items", self.size, self.year, erai, network, leg.from_id, leg.to_id)
        memo = network_memo(self.net)
        found = memo.get(key)
        if isinstance(found, tuple) and found[0] == leg.distance_km:
            self.items[i].extend(found[1])
            return
        before = len(self.items[i])
        self._rail(i, leg, network, erai=erai)
        memo[key] = (leg.distance_km, tuple(self.items[i][before:]))

    def _rail(self, i: int, leg: Leg, network: str, *, erai: bool) -> None:
        rate = None
        if erai:
            rate = self._rate(RateComponent.RAIL_TRANSIT, network)
        if rate is None:
            rate = self._rate(RateComponent.RAIL, network)
        if rate is None:
            self._profile_item(i, leg, f"rail {network}")
            return
        band = self._usd(rate, leg.distance_km)
        unit = "EUR" if rate.unit.in_eur else "USD"
        per_km = _size_band(rate, self.size, self.book, self.year).expected
        basis = f"{per_km:.3f} {unit}/{self.size}ft-km x {leg.distance_km:.0f} km"
        sources, estimate, rate_id = rate.sources, self._estimate(rate), rate.id
        index = self._rate(RateComponent.RATE_INDEX, f"{rate.id}:{network}") or self._rate(
            RateComponent.RATE_INDEX, rate.id
        )
        if index is not None:  # the tariff changes between the rate's date and the year priced
            band = band * index.feu
            basis += f" x {index.feu.expected:.3f} ({self.year} level)"
            sources = tuple(dict.fromkeys(sources + index.sources))
            estimate = estimate or index.estimate
            rate_id = f"{rate.id}*{index.id}"
        self._add(
            i,
            CostItem(
                item=f"rail {network}"
                + (" (KZ-RU-BY transit)" if rate.component is RateComponent.RAIL_TRANSIT else ""),
                usd=band,
                rate_id=rate_id,
                basis=basis,
                sources=sources,
                estimate=estimate,
            ),
        )
        fee = self._rate(RateComponent.LINK_FEE, f"{leg.from_id}-{leg.to_id}") or self._rate(
            RateComponent.LINK_FEE, f"{leg.to_id}-{leg.from_id}"
        )
        if fee is not None and "*" not in fee.applies_to:
            self._add(
                i,
                CostItem(
                    item="link fee",
                    usd=self._usd(fee),
                    rate_id=fee.id,
                    basis="per container",
                    sources=fee.sources,
                    estimate=fee.estimate,
                ),
            )

    def road(self, i: int, leg: Leg) -> None:
        rate = self._rate(RateComponent.ROAD, leg_network(leg))
        if rate is None:
            self._profile_item(i, leg, "road haulage")
            return
        self._add(
            i,
            CostItem(
                item="road haulage",
                usd=self._usd(rate, leg.distance_km),
                rate_id=rate.id,
                basis=f"{rate.feu.expected:g} USD/FEU-km x {leg.distance_km:.0f} km",
                sources=rate.sources,
                estimate=self._estimate(rate),
            ),
        )

    def operation(self, i: int, leg: Leg) -> None:
        kind = leg.operation
        assert kind is not None
        node = self.net.nodes[leg.from_id]
        op = node.operation(kind)
        charge = op.cost_usd if op is not None else leg.cost_usd
        op_sources = op.sources if op is not None else ()
        op_estimate = any(s.startswith(("assumption-", "estimate-")) for s in op_sources)
        if self.erai and kind is OperationKind.GAUGE_CHANGE and node.country in _ERAI_NETWORKS:
            rate = self._rate(RateComponent.RAIL_TRANSIT, node.country)
            self._add(
                i,
                CostItem(
                    item="gauge change (in the ERAI through rate)",
                    usd=Band.of(0.0),
                    rate_id=rate.id if rate is not None else "rail-erai",
                    basis="platform and terminal are part of the ERAI rate",
                    sources=rate.sources if rate is not None else (),
                ),
            )
            return
        spread = self._rate(RateComponent.OPERATION, kind.value)
        if spread is None:
            band = Band.of(charge)
            if self.size == 20 and kind in _HANDLING:
                band = band * _size_ratio(self.book, self.year)
            rate_id, sources, estimate = f"operation:{kind.value}", op_sources, op_estimate
        else:
            factor = (
                spread.teu
                if self.size == 20 and spread.teu is not None
                else Band(low=spread.feu.low, expected=1.0, high=spread.feu.high)
            )
            if self.size == 20 and spread.teu is not None:
                factor = Band(
                    low=spread.teu.expected * spread.feu.low,
                    expected=spread.teu.expected,
                    high=spread.teu.expected * spread.feu.high,
                )
            band = factor * charge
            rate_id = spread.id
            sources = tuple(dict.fromkeys(op_sources + spread.sources))
            estimate = op_estimate or spread.estimate
        self._add(
            i,
            CostItem(
                item=kind.value.replace("_", " "),
                usd=band,
                rate_id=rate_id,
                basis=f"{charge:g} USD per FEU at {node.name} (operations.csv)",
                sources=sources,
                estimate=estimate,
            ),
        )

    # ---- voyages -------------------------------------------------------------------------
    def voyage(self, v: Voyage) -> None:
        crossing = self._rate(RateComponent.CROSSING, v.service_id)
        if crossing is not None and "*" not in crossing.applies_to:
            self._spread_over(
                v,
                CostItem(
                    item="crossing",
                    usd=self._usd(crossing),
                    rate_id=crossing.id,
                    basis=f"per {self.size}-ft container, port to port",
                    sources=crossing.sources,
                    estimate=self._estimate(crossing),
                ),
            )
            return
        nodes = self.net.nodes
        lane = priced_lane(nodes[v.load].country, nodes[v.discharge].country)
        base = self._rate(RateComponent.SEA_LANE, lane)
        ratio: Rate | None = None
        if base is None and lane != "other":
            ratio = self._rate(RateComponent.LANE_RATIO, lane)
            base = self._rate(RateComponent.SEA_LANE, north_europe_lane(lane))
        if base is None:
            for idx in v.leg_indices:
                leg = self.route.legs[idx]
                self._profile_item(idx, leg, f"{leg.mode.value} freight (no lane rate)")
            return
        usd = self._usd(base)
        sources = base.sources
        estimate = self._estimate(base)
        basis = f"{lane} spot rate {self.year}, per {self.size}-ft container, all-in"
        if ratio is not None:
            usd = usd * ratio.feu
            sources = tuple(dict.fromkeys(sources + ratio.sources))
            estimate = True
            basis += f" (x {ratio.feu.expected:g} of {north_europe_lane(lane)})"
        red = self._rate(RateComponent.SURCHARGE_RED_SEA, lane)
        if red is not None and lane != "other" and v.nodes & canal_nodes():
            # the spot rate of a diversion year contains the Red Sea surcharge (the cost of the
            # Cape detour); a voyage that sails through Suez does not pay it
            red_usd = self._usd(red)
            usd = Band(
                low=max(usd.low - red_usd.low, 0.0),
                expected=max(usd.expected - red_usd.expected, 0.0),
                high=max(usd.high - red_usd.high, 0.0),
            )
            usd = Band(
                low=min(usd.low, usd.expected),
                expected=usd.expected,
                high=max(usd.high, usd.expected),
            )
            sources = tuple(dict.fromkeys(sources + red.sources))
            basis += f", less the Red Sea surcharge {red.id} (sails through Suez)"
        self._spread_over(
            v,
            CostItem(
                item=f"sea freight {nodes[v.load].name} - {nodes[v.discharge].name}",
                usd=usd,
                rate_id=base.id + (f"*{ratio.id}" if ratio is not None else ""),
                basis=basis,
                sources=sources,
                estimate=estimate,
            ),
        )
        first = v.leg_indices[0]
        for item in self._contained_surcharges(v, lane):
            self._add(first, item)

    def _contained_surcharges(self, v: Voyage, lane: str) -> list[CostItem]:
        """Surcharges a spot rate contains, shown as components (not added again)."""
        out: list[CostItem] = []
        nodes = self.net.nodes
        if v.nodes & canal_nodes():
            r = self._rate(RateComponent.SURCHARGE_SUEZ, lane)
            if r is not None:
                out.append(self._included(r, "Suez Canal toll"))
        red = self._rate(RateComponent.SURCHARGE_RED_SEA, lane)
        if red is not None and lane != "other" and not v.nodes & canal_nodes():
            out.append(self._included(red, "Red Sea surcharge"))
        if nodes[v.load].country in eu_countries() or nodes[v.discharge].country in eu_countries():
            ets = self._rate(RateComponent.SURCHARGE_ETS, lane)
            if ets is not None:
                out.append(self._included(ets, "EU ETS surcharge"))
        return out

    def _included(self, rate: Rate, what: str) -> CostItem:
        return CostItem(
            item=what,
            usd=self._usd(rate),
            rate_id=rate.id,
            basis="contained in the all-in spot rate",
            sources=rate.sources,
            estimate=self._estimate(rate),
            included=True,
        )

    def _spread_over(self, v: Voyage, item: CostItem) -> None:
        """Allocate a per-voyage charge to its legs in proportion to distance."""
        total = v.distance_km or 1.0
        for idx in v.leg_indices:
            share = (self.route.legs[idx].distance_km or 0.0) / total
            if len(v.leg_indices) == 1:
                share = 1.0
            self._add(idx, replace(item, usd=item.usd * share))

    # ---- route-level items ---------------------------------------------------------------
    def route_items(self) -> None:
        legs = self.route.legs
        rail = [
            i for i, leg in enumerate(legs) if leg.mode is LegMode.RAIL and not leg.is_operation
        ]
        if not rail:
            return
        deep_sea = any(
            leg.mode is LegMode.SEA
            and leg.service is not None
            and self._rate(RateComponent.CROSSING, leg.service.id) is None
            for leg in legs
        )
        from_china = self.net.nodes[self.route.origin].country == "CN"
        if from_china and not deep_sea and self.route.borders > 0:
            lease = self._rate(RateComponent.EQUIPMENT, "*")
            if lease is not None:
                self._add(
                    rail[0],
                    CostItem(
                        item="one-way container lease",
                        usd=self._usd(lease),
                        rate_id=lease.id,
                        basis=f"shipper's {self.size}-ft box, one way",
                        sources=lease.sources,
                        estimate=self._estimate(lease),
                    ),
                )
        ends_in_china = "CN" in (
            self.net.nodes[self.route.origin].country,
            self.net.nodes[self.route.destination].country,
        )
        # The premium is that of the China-Europe express block trains: an overland product
        # across a frontier. A route whose main haul is a deep-sea voyage is a sea product, its
        # rail pre- or on-carriage (Xi'an -> Zhengzhou before a sailing) no block train.
        overland = not deep_sea and self.route.borders > 0
        if self.service == "express" and ends_in_china and overland:
            premium = self._rate(RateComponent.SURCHARGE_EXPRESS, "*")
            if premium is not None:
                self._add(
                    rail[0],
                    CostItem(
                        item="express premium",
                        usd=self._usd(premium),
                        rate_id=premium.id,
                        basis="scheduled express block train over standard rail",
                        sources=premium.sources,
                        estimate=self._estimate(premium),
                    ),
                )
        charged: set[str] = set()
        for i in rail:
            network = leg_network(legs[i])
            if network in charged:
                continue
            fee = self._rate(RateComponent.NETWORK_FEE, network)
            if fee is not None and "*" not in fee.applies_to:
                charged.add(network)
                self._add(
                    i,
                    CostItem(
                        item=f"network fee {network}",
                        usd=self._usd(fee),
                        rate_id=fee.id,
                        basis="once per route",
                        sources=fee.sources,
                        estimate=fee.estimate,
                    ),
                )

    def run(self) -> list[list[CostItem]]:
        in_voyage: set[int] = set()
        for v in voyages(self.route):
            in_voyage.update(v.leg_indices)
            self.voyage(v)
        for i, leg in enumerate(self.route.legs):
            if i in in_voyage:
                continue
            if leg.is_operation:
                self.operation(i, leg)
            elif leg.mode is LegMode.RAIL:
                self.rail(i, leg)
            elif leg.mode is LegMode.ROAD:
                self.road(i, leg)
            else:
                self._profile_item(i, leg, f"{leg.mode.value}")
        self.route_items()
        return self.items


def price_route(
    route: Route,
    net: Network,
    *,
    container_ft: int = 40,
    year: int | None = None,
    service: str | None = None,
    cargo_t: float | None = None,
) -> Route:
    """The route with every leg priced and its emissions computed for one container.

    Parameters
    ----------
    route
        A route of ``net`` (from the search).
    net
        The network whose tariff book prices it (without one, the profiles' per-km tariffs and
        the operations' charges are used, flagged as estimates).
    container_ft
        20 or 40 (feet).
    year
        Tariff and sea-rate year; default the route's year, else :data:`DEFAULT_PRICE_YEAR`.
    service
        ``express`` adds the express premium to overland rail routes to or from China across a
        frontier (the China-Europe express block trains the figure describes), not to routes
        with a deep-sea voyage; ``standard`` or ``None`` adds none.
    cargo_t
        Cargo mass in the container, t (default 10 t per TEU, GLEC's default load).

    Returns
    -------
    Route
        The same route whose legs carry ``cost_items`` (``cost_usd`` = their expected sum) and an
        ``emission`` (``co2_kg`` = its well-to-wheel kg CO2e).

    Raises
    ------
    ModelError
        For a container size other than 20 or 40, or a cargo mass out of 0-30 t per TEU.

    Examples
    --------
    >>> from corridor import load_network
    >>> from corridor.routing import best_route
    >>> net = load_network()
    >>> r = price_route(best_route(net, "alat", "kars"), net, container_ft=20, year=2025)
    >>> r.container_ft, r.cost_band.low <= r.cost_usd <= r.cost_band.high
    (20, True)
    """
    if container_ft not in CONTAINER_SIZES:
        raise ModelError(f"container must be 20 or 40 (feet), got {container_ft}")
    teus = _teus(container_ft)
    mass = DEFAULT_CARGO_T_PER_TEU * teus if cargo_t is None else float(cargo_t)
    if not 0 < mass <= 30.0 * teus:
        raise ModelError(
            f"cargo mass must be > 0 and at most {30 * teus:g} t in a {container_ft}-ft "
            f"container, got {cargo_t}"
        )
    when = year if year is not None else (route.year or DEFAULT_PRICE_YEAR)
    items = _Pricer(net, route, container_ft=container_ft, year=when, service=service).run()
    emissions = route_emissions(route, net, container_ft=container_ft, cargo_t=mass)
    legs: list[Leg] = []
    for leg, its, emission in zip(route.legs, items, emissions, strict=True):
        cost_items = tuple(its)
        legs.append(
            replace(
                leg,
                cost_items=cost_items,
                cost_usd=cost_band_of(cost_items, leg.cost_usd).expected,
                emission=emission,
                co2_kg=emission.wtw_kg if emission is not None else 0.0,
            )
        )
    return replace(
        route, legs=tuple(legs), container_ft=container_ft, cargo_t=mass, price_year=when
    )
