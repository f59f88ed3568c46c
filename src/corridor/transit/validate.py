"""Check the transit model against observed journeys (``corridor validate``).

For each observed journey the model compares the corridors on the journey's departure date, in
its service class, with the values in force in its year, and takes the option of the journey's
corridor (or, when none is given, the model's fastest). The journey is *covered* when the
observed days (the middle of a range) lie inside the model's P10-P90 band; the band's
*sharpness* is P90 / P10 (1 is a point; the larger, the vaguer); the *bias* is the model's P50
minus the observation, in days (positive: the model is slower than observed). A well-calibrated
model covers about 80 % of the journeys with a small mean bias and a sharp band.

Beyond the P10-P90 band, each journey carries the model's percentiles 1..99, from which the
report derives the coverage of the P25-P75 band (50 % when calibrated), the *PIT* (the model's
probability of a journey no longer than the one observed: uniform on [0, 1] when calibrated, so
its histogram is flat), the mean *pinball loss* over the 99 quantile levels and the *CRPS* (twice
that mean: the continuous ranked probability score, in days; lower is better, and for a point
forecast it is the absolute error). Summaries are given overall, per service class and per
corridor.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from corridor.errors import DataError, NodeNotFoundError, NoRouteError
from corridor.model import ObservedJourney, ServiceClass
from corridor.network import Network
from corridor.routing import CompareRequest
from corridor.transit.compare import CorridorOption, compare_routes

__all__ = [
    "LEVELS",
    "PIT_BINS",
    "JourneyCheck",
    "Validation",
    "pit_histogram",
    "validate_journeys",
]

LEVELS: tuple[float, ...] = tuple(q / 100.0 for q in range(1, 100))
"""Quantile levels kept per journey (0.01 .. 0.99)."""
PIT_BINS = 10
"""Bins of the PIT histogram (deciles)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class JourneyCheck:
    """The model's band for one observed journey, and how the observation sits in it."""

    journey: ObservedJourney
    origin_id: str
    destination_id: str
    corridor: str
    p10: float
    p50: float
    p90: float
    quantiles: tuple[float, ...] = ()
    """The model's days at :data:`LEVELS` (empty: only P10/P50/P90 known)."""

    @property
    def inside(self) -> bool:
        """Whether the observed days lie inside P10-P90."""
        return self.p10 <= self.journey.days <= self.p90

    def _q(self, level: float) -> float:
        if not self.quantiles:
            return {0.1: self.p10, 0.5: self.p50, 0.9: self.p90}[level]
        return self.quantiles[round(level * 100) - 1]

    @property
    def inside_50(self) -> bool | None:
        """Whether the observed days lie inside P25-P75 (``None`` without percentiles)."""
        if not self.quantiles:
            return None
        return self._q(0.25) <= self.journey.days <= self._q(0.75)

    @property
    def pit(self) -> float | None:
        """The model's probability of a journey no longer than the observed one.

        Read off the percentiles by linear interpolation, 0.005 below P1 and 0.995 above P99.
        """
        if not self.quantiles:
            return None
        q = np.asarray(self.quantiles)
        x = self.journey.days
        if x <= q[0]:
            return 0.005
        if x >= q[-1]:
            return 0.995
        return float(np.interp(x, q, np.asarray(LEVELS)))

    @property
    def pinball_days(self) -> float | None:
        """Mean pinball (quantile) loss over :data:`LEVELS`, days."""
        if not self.quantiles:
            return None
        q = np.asarray(self.quantiles)
        tau = np.asarray(LEVELS)
        diff = self.journey.days - q
        return float(np.mean(np.maximum(tau * diff, (tau - 1.0) * diff)))

    @property
    def crps_days(self) -> float | None:
        """CRPS, days: twice the mean pinball loss over the quantile levels."""
        loss = self.pinball_days
        return None if loss is None else 2.0 * loss

    @property
    def sharpness(self) -> float:
        """P90 / P10 of the model's band."""
        return self.p90 / self.p10

    @property
    def bias_days(self) -> float:
        """Model P50 minus observed days (positive: the model is slower)."""
        return self.p50 - self.journey.days

    def to_dict(self) -> dict[str, Any]:
        """One element of ``journeys`` in ``corridor validate --json``."""
        j = self.journey
        return {
            "row": j.row,
            "label": j.label,
            "origin": self.origin_id,
            "destination": self.destination_id,
            "depart": j.depart.isoformat(),
            "service": j.service.value,
            "corridor": self.corridor,
            "observed_days": {"min": j.days_min, "max": j.days_max, "mid": round(j.days, 2)},
            "model_days": {
                "p10": round(self.p10, 2),
                "p50": round(self.p50, 2),
                "p90": round(self.p90, 2),
            },
            "inside": self.inside,
            "sharpness": round(self.sharpness, 3),
            "bias_days": round(self.bias_days, 2),
            "source": j.source,
        } | self._scores()

    def _scores(self) -> dict[str, Any]:
        if not self.quantiles:
            return {}
        pit, crps, loss = self.pit, self.crps_days, self.pinball_days
        assert pit is not None and crps is not None and loss is not None
        return {
            "model_days_p25_p75": [round(self._q(0.25), 2), round(self._q(0.75), 2)],
            "inside_p25_p75": self.inside_50,
            "pit": round(pit, 4),
            "pinball_days": round(loss, 3),
            "crps_days": round(crps, 3),
        }


def pit_histogram(pits: Sequence[float], bins: int = PIT_BINS) -> list[int]:
    """Counts of PIT values per equal-width bin of [0, 1] (flat when calibrated).

    Examples
    --------
    >>> pit_histogram([0.05, 0.15, 0.95, 0.999], bins=10)
    [1, 1, 0, 0, 0, 0, 0, 0, 0, 2]
    """
    counts = [0] * bins
    for p in pits:
        counts[min(int(p * bins), bins - 1)] += 1
    return counts


def _summary(checks: Sequence[JourneyCheck]) -> dict[str, Any]:
    n = len(checks)
    if n == 0:
        return {"journeys": 0}
    out: dict[str, Any] = {
        "journeys": n,
        "inside": sum(c.inside for c in checks),
        "coverage": round(sum(c.inside for c in checks) / n, 4),
        "mean_bias_days": round(sum(c.bias_days for c in checks) / n, 2),
        "mean_abs_bias_days": round(sum(abs(c.bias_days) for c in checks) / n, 2),
        "mean_sharpness": round(sum(c.sharpness for c in checks) / n, 3),
        "median_sharpness": round(float(np.median([c.sharpness for c in checks])), 3),
    }
    scored = [c for c in checks if c.quantiles]
    if scored:
        pits = [c.pit for c in scored]
        crps = [c.crps_days for c in scored]
        loss = [c.pinball_days for c in scored]
        out |= {
            "inside_p25_p75": sum(bool(c.inside_50) for c in scored),
            "coverage_p25_p75": round(sum(bool(c.inside_50) for c in scored) / len(scored), 4),
            "pit_histogram": pit_histogram([p for p in pits if p is not None]),
            "mean_pinball_days": round(sum(x for x in loss if x is not None) / len(scored), 3),
            "mean_crps_days": round(sum(x for x in crps if x is not None) / len(scored), 3),
        }
    return out


@dataclass(frozen=True, slots=True, kw_only=True)
class Validation:
    """The model against a file of observed journeys."""

    file: str
    samples: int
    seed: int
    checks: tuple[JourneyCheck, ...]

    def summary(
        self, service: ServiceClass | None = None, corridor: str | None = None
    ) -> dict[str, Any]:
        """Coverage, PIT histogram, pinball loss / CRPS, bias and sharpness (of a part, or all)."""
        return _summary(
            [
                c
                for c in self.checks
                if service in (None, c.journey.service) and corridor in (None, c.corridor)
            ]
        )

    def to_dict(self) -> dict[str, Any]:
        """The ``corridor validate --json`` document."""
        by_class = {
            s.value: self.summary(s)
            for s in ServiceClass
            if any(c.journey.service is s for c in self.checks)
        }
        corridors = sorted({c.corridor for c in self.checks})
        return {
            "file": self.file,
            "samples": self.samples,
            "seed": self.seed,
            "journeys": [c.to_dict() for c in self.checks],
            "summary": {
                **self.summary(),
                "by_service": by_class,
                "by_corridor": {k: self.summary(corridor=k) for k in corridors},
            },
        }


def _pick(options: Sequence[CorridorOption], journey: ObservedJourney) -> CorridorOption | None:
    if journey.corridor is None:
        return min(options, key=lambda o: o.days.p50)
    return next((o for o in options if o.corridor is journey.corridor), None)


def validate_journeys(
    net: Network,
    journeys: Sequence[ObservedJourney],
    *,
    samples: int = 2000,
    seed: int = 1,
    file: str = "observed.csv",
) -> Validation:
    """The model's P10/P50/P90 for each observed journey, and how the observations sit in them.

    Each journey is compared on its departure date, in its service class, with the network and
    values of its departure year.

    Parameters
    ----------
    net
        The network.
    journeys
        Observed journeys (:func:`corridor.io.read_observed`).
    samples, seed
        Monte-Carlo journeys per corridor and row, and the seed (the same for every row).
    file
        Name of the file the journeys come from, for messages.

    Raises
    ------
    DataError
        For rows naming unknown places or a corridor without a route (all in ``problems``),
        each with its file, row and field.

    Examples
    --------
    >>> from datetime import date
    >>> from corridor import load_network
    >>> j = ObservedJourney(row=2, origin="Xi'an", destination="Duisburg",
    ...                     depart=date(2025, 5, 1), days_min=16, days_max=20)
    >>> v = validate_journeys(load_network(), [j], samples=500)
    >>> v.checks[0].p10 <= v.checks[0].p50 <= v.checks[0].p90
    True
    """
    problems: list[DataError] = []
    resolved = _resolve_places(net, journeys, file, problems)
    checks: list[JourneyCheck] = []
    if not problems:
        for j, o, d in resolved:
            found = _check_journey(net, j, o, d, samples=samples, seed=seed, file=file)
            if isinstance(found, DataError):
                problems.append(found)
            else:
                checks.append(found)
    if problems:
        first, *rest = problems
        raise DataError(first.reason, file=first.file, row=first.row, field=first.field, also=rest)
    return Validation(file=file, samples=samples, seed=seed, checks=tuple(checks))


def _resolve_places(
    net: Network, journeys: Sequence[ObservedJourney], file: str, problems: list[DataError]
) -> list[tuple[ObservedJourney, str, str]]:
    """Each journey with its origin and destination ids; unknown or equal places go to
    ``problems``."""
    resolved: list[tuple[ObservedJourney, str, str]] = []
    for j in journeys:
        ids: list[str] = []
        for field, name in (("origin", j.origin), ("destination", j.destination)):
            try:
                ids.append(net.node(name).id)
            except NodeNotFoundError as exc:
                problems.append(DataError(str(exc), file=file, row=j.row, field=field))
        if len(ids) == 2 and ids[0] == ids[1]:
            problems.append(
                DataError(
                    "origin and destination are the same place",
                    file=file,
                    row=j.row,
                    field="destination",
                )
            )
        elif len(ids) == 2:
            resolved.append((j, ids[0], ids[1]))
    return resolved


def _check_journey(
    net: Network,
    j: ObservedJourney,
    o: str,
    d: str,
    *,
    samples: int,
    seed: int,
    file: str,
) -> JourneyCheck | DataError:
    """The model's quantiles for one journey, or the problem that prevents them."""
    try:
        request = CompareRequest(
            origin=o,
            destination=d,
            depart=j.depart,
            samples=samples,
            seed=seed,
            service=j.service,
        )
        # a journey on a named corridor is checked on that corridor's row, shown even
        # where another corridor beats it (option rule 5)
        named = (j.corridor,) if j.corridor is not None else None
        if named is None:
            c = compare_routes(net, request, keep_samples=True)
        else:
            c = compare_routes(net, request, corridors=named, keep_samples=True)
    except NoRouteError as exc:
        return DataError(str(exc), file=file, row=j.row, field="destination")
    option = _pick(c.options, j)
    if option is None:
        corridor = j.corridor.value if j.corridor else ""
        return DataError(
            f"no {corridor} route from {o} to {d} in {j.depart.year}",
            file=file,
            row=j.row,
            field="corridor",
        )
    days = option.samples.total_days if option.samples is not None else None
    return JourneyCheck(
        journey=j,
        origin_id=o,
        destination_id=d,
        corridor=option.corridor.value,
        p10=option.days.p10,
        p50=option.days.p50,
        p90=option.days.p90,
        quantiles=(
            tuple(float(x) for x in np.quantile(days, LEVELS))
            if days is not None and days.size
            else ()
        ),
    )
