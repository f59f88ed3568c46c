"""Probability distributions of durations and speeds, with their analytic moments.

The transit engine samples these; the route planner uses their analytic means, so that the
deterministic ``hours`` of a route equal the mean of the Monte-Carlo distribution.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

from corridor.errors import ModelError

__all__ = ["LogNormalSpeed", "ShiftedLogNormal", "lognormal_params"]

_NORMAL = NormalDist()


def lognormal_params(mean: float, cv: float) -> tuple[float, float]:
    """Return ``(mu, sigma)`` of the log-normal with the given mean and coefficient of variation.

    Examples
    --------
    >>> mu, sigma = lognormal_params(10.0, 0.5)
    >>> round(math.exp(mu + sigma**2 / 2), 6)
    10.0
    """
    if mean <= 0:
        raise ModelError(f"log-normal mean must be > 0, got {mean}")
    if cv < 0:
        raise ModelError(f"coefficient of variation must be >= 0, got {cv}")
    sigma2 = math.log1p(cv * cv)
    return math.log(mean) - sigma2 / 2, math.sqrt(sigma2)


@dataclass(frozen=True, slots=True, kw_only=True)
class ShiftedLogNormal:
    """A duration ``min_h + LogNormal`` in hours, by its minimum, mean and CV above the minimum.

    Parameters
    ----------
    min_h
        Smallest possible value, hours (>= 0).
    mean_h
        Mean, hours (>= ``min_h``). Equal to ``min_h`` means a fixed duration.
    cv
        Coefficient of variation of the part above the minimum (>= 0).

    Examples
    --------
    >>> d = ShiftedLogNormal(min_h=2.0, mean_h=6.0, cv=0.5)
    >>> d.mean
    6.0
    >>> round(d.quantile(0.5), 3)
    5.578
    """

    min_h: float
    mean_h: float
    cv: float

    def __post_init__(self) -> None:
        if self.min_h < 0 or self.mean_h < self.min_h or self.cv < 0:
            raise ModelError(
                f"invalid duration: need 0 <= min_h <= mean_h and cv >= 0, got "
                f"min_h={self.min_h}, mean_h={self.mean_h}, cv={self.cv}"
            )

    @property
    def mean(self) -> float:
        """Mean, hours."""
        return self.mean_h

    @property
    def is_fixed(self) -> bool:
        """True when the duration has no spread."""
        return self.mean_h == self.min_h or self.cv == 0

    def params(self) -> tuple[float, float, float]:
        """Return ``(shift, mu, sigma)``; ``sigma`` is 0 and ``mu`` is -inf for a fixed value."""
        excess = self.mean_h - self.min_h
        if excess <= 0:
            return self.min_h, -math.inf, 0.0
        mu, sigma = lognormal_params(excess, self.cv)
        return self.min_h, mu, sigma

    def quantile(self, q: float) -> float:
        """The ``q``-quantile, hours."""
        shift, mu, sigma = self.params()
        if sigma == 0:
            return shift + (0.0 if mu == -math.inf else math.exp(mu))
        return shift + math.exp(mu + sigma * _norm_ppf(q))


@dataclass(frozen=True, slots=True, kw_only=True)
class LogNormalSpeed:
    """A commercial speed in km/h, log-normal with the given mean and CV.

    The running time over ``d`` km is ``d / V``; its mean is ``d / mean * (1 + cv**2)`` because
    ``E[1/V] = exp(-mu + sigma**2 / 2)`` for a log-normal ``V``.

    Examples
    --------
    >>> s = LogNormalSpeed(mean_kmh=50.0, cv=0.2)
    >>> round(s.mean_hours(1000.0), 3)
    20.8
    """

    mean_kmh: float
    cv: float

    def __post_init__(self) -> None:
        if self.mean_kmh <= 0 or self.cv < 0:
            raise ModelError(
                f"invalid speed: need mean_kmh > 0 and cv >= 0, got {self.mean_kmh}, {self.cv}"
            )

    def mean_hours(self, distance_km: float) -> float:
        """Mean running time over ``distance_km``, hours."""
        return distance_km / self.mean_kmh * (1.0 + self.cv * self.cv)

    def quantile_hours(self, distance_km: float, q: float) -> float:
        """The ``q``-quantile of the running time over ``distance_km``, hours."""
        mu, sigma = lognormal_params(self.mean_kmh, self.cv)
        # A slow speed gives a long time: the q-quantile of time is at the (1-q)-quantile of speed.
        if sigma == 0:
            return distance_km / self.mean_kmh
        return distance_km / math.exp(mu + sigma * _norm_ppf(1.0 - q))


def _norm_ppf(q: float) -> float:
    """Standard normal quantile."""
    if not 0.0 < q < 1.0:
        raise ModelError(f"quantile must be in (0, 1), got {q}")
    return _NORMAL.inv_cdf(q)
