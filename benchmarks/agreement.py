"""The agreement rule between the engine and the SimPy reference: Welch tests with Bonferroni.

Each model runs ``n`` independent replications (seeds from one ``SeedSequence``); for every
statistic compared (delivered TEU, mean door-to-door days, the mean wait at each capacitated
resource) the two sets of replication values are compared with Welch's two-sample t-test, and
the models disagree when any p-value is below ``family_alpha / k`` for ``k`` statistics
(Bonferroni). When both models are the same, the chance of a false alarm is then at most
``family_alpha`` (less, as the statistics are correlated): 0.5 % by default.

The t distribution's tail comes from the regularised incomplete beta function, evaluated by its
continued fraction (modified Lentz method), so that no statistics package is needed.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

__all__ = ["FAMILY_ALPHA", "MIN_REPLICATIONS", "agreement", "welch_p_value"]

FAMILY_ALPHA = 0.005
"""Chance of calling identical models different, over all statistics together."""
MIN_REPLICATIONS = 12
"""Fewest replications per model for the rule to be used."""


def _betacf(a: float, b: float, x: float) -> float:
    """Continued fraction of the incomplete beta function (modified Lentz)."""
    tiny = 1e-300

    def guard(v: float) -> float:
        return v if abs(v) > tiny else tiny

    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c = 1.0
    d = 1.0 / guard(1.0 - qab * x / qap)
    h = d
    for m in range(1, 500):
        m2 = 2 * m
        even = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 / guard(1.0 + even * d)
        c = guard(1.0 + even / c)
        h *= d * c
        odd = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 / guard(1.0 + odd * d)
        c = guard(1.0 + odd / c)
        h *= d * c
        if abs(d * c - 1.0) < 1e-14:
            break
    return h


def _betainc(a: float, b: float, x: float) -> float:
    """Regularised incomplete beta function ``I_x(a, b)``."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    front = math.exp(log_front)
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _betacf(a, b, x) / a
    return 1.0 - front * _betacf(b, a, 1.0 - x) / b


def welch_p_value(a: Sequence[float], b: Sequence[float]) -> float:
    """Two-sided p-value of Welch's t-test that ``a`` and ``b`` have the same mean.

    >>> round(welch_p_value([1.0, 2.0, 3.0, 4.0], [1.5, 2.5, 3.5, 4.5]), 4)
    0.6036
    >>> welch_p_value([1.0, 1.0], [1.0, 1.0])
    1.0
    """
    na, nb = len(a), len(b)
    ma, mb = sum(a) / na, sum(b) / nb
    va = sum((x - ma) ** 2 for x in a) / (na - 1)
    vb = sum((x - mb) ** 2 for x in b) / (nb - 1)
    sa, sb = va / na, vb / nb
    se2 = sa + sb
    if se2 == 0.0:
        return 1.0 if ma == mb else 0.0
    t = (ma - mb) / math.sqrt(se2)
    df = se2 * se2 / (sa * sa / (na - 1) + sb * sb / (nb - 1))
    return _betainc(df / 2.0, 0.5, df / (df + t * t))


def agreement(
    engine: Mapping[str, Sequence[float]],
    reference: Mapping[str, Sequence[float]],
    *,
    family_alpha: float = FAMILY_ALPHA,
) -> tuple[bool, list[str]]:
    """Whether two models agree on every statistic; the disagreements, described.

    ``engine[k]`` and ``reference[k]`` hold one value per replication of statistic ``k``.
    """
    keys = list(engine)
    threshold = family_alpha / len(keys)
    failed: list[str] = []
    for k in keys:
        a, b = engine[k], reference[k]
        if min(len(a), len(b)) < MIN_REPLICATIONS:
            msg = f"{k}: {len(a)} and {len(b)} replications (need {MIN_REPLICATIONS} each)"
            raise ValueError(msg)
        p = welch_p_value(a, b)
        if p < threshold:
            ma, mb = sum(a) / len(a), sum(b) / len(b)
            failed.append(f"{k}: engine {ma:.3f} vs simpy {mb:.3f} (Welch p {p:.2g})")
    return not failed, failed
