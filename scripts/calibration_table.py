"""Print the model's door-to-door days, in both service classes, next to the corridor-level
figures of the facts file.

The figures are those of ``examples/observed.csv`` (built only from section 2b of the facts
sheet); they are *not* inputs of the model, which is built from segment facts only. Each journey
is modelled on its departure date with the values in force in its year, in the standard and
the express class; the class the reported figure describes is marked. This is the table of
``docs/calibration.md``. Run: python scripts/calibration_table.py
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from corridor import load_network
from corridor.io import read_observed
from corridor.model import ServiceClass
from corridor.transit import validate_journeys

EXAMPLE = Path(__file__).parents[1] / "examples" / "observed.csv"


def main() -> None:
    net = load_network()
    journeys = read_observed(EXAMPLE)
    bands = {}
    for cls in ServiceClass:
        as_cls = [replace(j, service=cls) for j in journeys]
        v = validate_journeys(net, as_cls, samples=10_000, seed=1, file=EXAMPLE.name)
        bands[cls] = v.checks
    print(
        "| journey (depart) | corridor | reported d (class) | standard P10 / P50 / P90 "
        "| express P10 / P50 / P90 |"
    )
    print("|---|---|---|---|---|")
    for i, j in enumerate(journeys):
        cells = []
        for cls in ServiceClass:
            c = bands[cls][i]
            mark = "**" if cls is j.service else ""
            inside = " ✓" if c.inside else ""
            cells.append(f"{mark}{c.p10:.1f} / {c.p50:.1f} / {c.p90:.1f}{mark}{inside}")
        obs = f"{j.days_min:g}" if j.days_min == j.days_max else f"{j.days_min:g}–{j.days_max:g}"
        print(
            f"| {j.label} ({j.depart.isoformat()}) | {bands[j.service][i].corridor} "
            f"| {obs} ({j.service.value}) | {cells[0]} | {cells[1]} |"
        )
    print()
    for cls in ServiceClass:
        own = [bands[cls][i] for i, j in enumerate(journeys) if j.service is cls]
        if not own:
            continue
        inside = sum(c.inside for c in own)
        bias = sum(c.bias_days for c in own) / len(own)
        print(
            f"- {cls.value}: {inside} of {len(own)} reported figures inside the model's P10–P90; "
            f"mean bias (model P50 − reported) {bias:+.1f} d"
        )


if __name__ == "__main__":
    main()
