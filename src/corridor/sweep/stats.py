"""Small-sample statistics for sweep summaries (no SciPy needed)."""

from __future__ import annotations

import math

__all__ = ["t_quantile_975"]


def _two_sided_t_cdf(t: float, df: int) -> float:
    """P(|T| < t) for Student's t with integer ``df`` (Abramowitz & Stegun 26.7.3-4, exact)."""
    theta = math.atan(t / math.sqrt(df))
    c2 = math.cos(theta) ** 2
    s = math.sin(theta)
    if df % 2 == 1:
        total, term = 0.0, math.cos(theta)
        for k in range(1, (df - 1) // 2 + 1):
            total += term
            term *= c2 * (2 * k) / (2 * k + 1)
        return (2.0 / math.pi) * (theta + s * total) if df > 1 else 2.0 * theta / math.pi
    total, term = 0.0, 1.0
    for k in range(1, df // 2 + 1):
        total += term
        term *= c2 * (2 * k - 1) / (2 * k)
    return s * total


def t_quantile_975(df: int) -> float:
    """The 97.5 % quantile of Student's t with ``df`` degrees of freedom.

    It is the half-width factor of a two-sided 95 % confidence interval for a mean of ``df + 1``
    observations (1.96 only as ``df`` grows large).

    Examples
    --------
    >>> [round(t_quantile_975(df), 3) for df in (1, 2, 4, 9, 29)]
    [12.706, 4.303, 2.776, 2.262, 2.045]
    >>> round(t_quantile_975(999), 3)
    1.962
    """
    if df < 1:
        raise ValueError(f"degrees of freedom must be >= 1, got {df}")
    lo, hi = 0.0, 1000.0
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if _two_sided_t_cdf(mid, df) < 0.95:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)
