"""Tariffs and emission factors: the rates a cost and emission calculation is built from.

A :class:`Rate` is one row of ``tariffs.csv``: a charge (per container-km, per container, per
TEU, or a ratio) with its low / expected / high values for a 40-ft and a 20-ft box, the years it
holds, its sources and whether it is an estimate. An :class:`EmissionFactor` is one row of
``emission_factors.csv`` (well-to-wheel and tank-to-wheel), a :class:`Traction` one row of
``rail_traction.csv`` (electrified share and grid intensity of a rail network).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

from corridor.errors import ModelError

__all__ = [
    "Band",
    "EmissionFactor",
    "Rate",
    "RateComponent",
    "RateUnit",
    "TariffBook",
    "Traction",
]


class RateComponent(StrEnum):
    """What a rate charges for."""

    RAIL = "rail"
    RAIL_TRANSIT = "rail_transit"
    ROAD = "road"
    NETWORK_FEE = "network_fee"
    LINK_FEE = "link_fee"
    CROSSING = "crossing"
    SEA_LANE = "sea_lane"
    LANE_RATIO = "lane_ratio"
    SURCHARGE_SUEZ = "surcharge_suez"
    SURCHARGE_RED_SEA = "surcharge_red_sea"
    SURCHARGE_ETS = "surcharge_ets"
    SURCHARGE_EXPRESS = "surcharge_express"
    EQUIPMENT = "equipment"
    RATE_INDEX = "rate_index"
    """The level of a rate in a year relative to when it was measured (``applies_to``: the ids
    of the rates it scales): tariff changes by year."""
    OPERATION = "operation"
    SIZE_RATIO = "size_ratio"
    FX = "fx"


class RateUnit(StrEnum):
    """Unit of a rate's values."""

    USD_PER_CONTAINER_KM = "usd_per_container_km"
    EUR_PER_CONTAINER_KM = "eur_per_container_km"
    USD_PER_CONTAINER = "usd_per_container"
    EUR_PER_CONTAINER = "eur_per_container"
    EUR_PER_TEU = "eur_per_teu"
    RATIO = "ratio"
    USD_PER_EUR = "usd_per_eur"

    @property
    def in_eur(self) -> bool:
        """True when the values are in euros."""
        return self.value.startswith("eur_")


@dataclass(frozen=True, slots=True, kw_only=True)
class Band:
    """A low / expected / high triple (low <= expected <= high)."""

    low: float
    expected: float
    high: float

    def __post_init__(self) -> None:
        if not self.low <= self.expected <= self.high:
            raise ModelError(
                f"need low <= expected <= high, got {self.low}, {self.expected}, {self.high}"
            )

    @classmethod
    def of(cls, value: float) -> Band:
        """A band of a single value."""
        return cls(low=value, expected=value, high=value)

    def __add__(self, other: Band) -> Band:
        return Band(
            low=self.low + other.low,
            expected=self.expected + other.expected,
            high=self.high + other.high,
        )

    def __mul__(self, other: Band | float) -> Band:
        """Product of two bands (values >= 0: low with low, high with high) or by a number."""
        if isinstance(other, Band):
            return Band(
                low=self.low * other.low,
                expected=self.expected * other.expected,
                high=self.high * other.high,
            )
        return Band(low=self.low * other, expected=self.expected * other, high=self.high * other)

    def __iter__(self) -> Iterator[float]:
        return iter((self.low, self.expected, self.high))

    def to_dict(self, digits: int = 2) -> dict[str, float]:
        """``{"low", "expected", "high"}`` rounded."""
        return {
            "low": round(self.low, digits),
            "expected": round(self.expected, digits),
            "high": round(self.high, digits),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Rate:
    """A row of ``tariffs.csv``.

    ``feu`` holds the values for a 40-ft container; ``teu`` those for a 20-ft one when the source
    gives them (``None``: derive them with the size ratio). ``applies_to`` lists country codes,
    service ids, lane ids, operation kinds or a link ``a-b``, depending on ``component``; ``*``
    means everything. The rate holds from ``year_from`` to ``year_to`` (either open).
    """

    id: str
    component: RateComponent
    applies_to: tuple[str, ...]
    unit: RateUnit
    feu: Band
    teu: Band | None = None
    year_from: int | None = None
    year_to: int | None = None
    sources: tuple[str, ...] = ()
    estimate: bool = False
    note: str = ""

    def holds_in(self, year: int) -> bool:
        """Whether the rate applies in ``year``."""
        return (self.year_from is None or year >= self.year_from) and (
            self.year_to is None or year <= self.year_to
        )

    def matches(self, key: str) -> bool:
        """Whether the rate applies to ``key`` (a country, service, lane, ...)."""
        return "*" in self.applies_to or key in self.applies_to

    @property
    def span(self) -> int:
        """Number of years the rate covers (open ends count as many); narrower rates win."""
        lo = self.year_from if self.year_from is not None else 1900
        hi = self.year_to if self.year_to is not None else 2200
        return hi - lo


@dataclass(frozen=True, slots=True, kw_only=True)
class EmissionFactor:
    """A row of ``emission_factors.csv``: well-to-wheel and tank-to-wheel factors.

    ``basis`` is ``g_per_teu_km``, ``g_per_t_km`` or ``kg_per_container``; ``distance_factor``
    multiplies the distance (GLEC's sea distance adjustment for Ro-Ro/Ro-Pax).
    """

    id: str
    applies_to: tuple[str, ...]
    basis: str
    wtw: float
    ttw: float
    distance_factor: float = 1.0
    sources: tuple[str, ...] = ()
    estimate: bool = False
    note: str = ""

    def __post_init__(self) -> None:
        if self.ttw > self.wtw:
            raise ModelError(f"emission factor {self.id}: TTW {self.ttw} exceeds WTW {self.wtw}")


@dataclass(frozen=True, slots=True, kw_only=True)
class Traction:
    """A row of ``rail_traction.csv``: electrified share and grid intensity of a rail network."""

    network: str
    electric_share: float
    grid_g_per_kwh: float
    sources: tuple[str, ...] = ()
    estimate: bool = False
    note: str = ""


_RATE_MEMO: dict[int, tuple[TariffBook, dict[tuple[RateComponent, str, int], Rate | None]]] = {}
"""What :meth:`TariffBook.rate` found, per book (by id, the book kept to check it is the same)."""
_RATE_MEMO_BOOKS = 16


@dataclass(frozen=True, slots=True, kw_only=True)
class TariffBook:
    """All rates, emission factors and traction rows of a network's data."""

    rates: tuple[Rate, ...] = ()
    factors: tuple[EmissionFactor, ...] = ()
    traction: tuple[Traction, ...] = ()

    def rate(self, component: RateComponent, key: str, year: int) -> Rate | None:
        """The rate of ``component`` applying to ``key`` in ``year`` (the narrowest in time;
        a rate naming ``key`` wins over a ``*`` rate), or None. Memoised per book."""
        entry = _RATE_MEMO.get(id(self))
        if entry is None or entry[0] is not self:
            if len(_RATE_MEMO) >= _RATE_MEMO_BOOKS:
                _RATE_MEMO.clear()
            entry = (self, {})
            _RATE_MEMO[id(self)] = entry
        memo = entry[1]
        at = (component, key, year)
        if at in memo:
            return memo[at]
        found = [
            r
            for r in self.rates
            if r.component is component and r.matches(key) and r.holds_in(year)
        ]
        best = min(found, key=lambda r: ("*" in r.applies_to, r.span)) if found else None
        memo[at] = best
        return best

    def factor(self, key: str) -> EmissionFactor | None:
        """The emission factor applying to ``key`` (``lane:...``, ``profile:...``, ...)."""
        for f in self.factors:
            if key in f.applies_to:
                return f
        return None

    def traction_of(self, network: str) -> Traction | None:
        """The traction row of a rail network (country code, ``EU`` or ``reference``)."""
        for t in self.traction:
            if t.network == network:
                return t
        return None
