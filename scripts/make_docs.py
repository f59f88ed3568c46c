"""Draw the pictures of the README and the docs from the current network (``make docs``).

- ``docs/images/compare-xian-istanbul.png``: the door-to-door days of each corridor (the
  ``corridor compare --plot`` chart);
- ``docs/images/map-xian-istanbul.png``: the best route of each corridor on the network.

The country outlines come from the Natural Earth shapes the web page ships (world-atlas,
TopoJSON), decoded here. Run it after a change of the network or the models, and commit the
images: the tests check that they exist and that the README shows them.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import corridor
from corridor.present import plot_comparison, plot_comparison_map

ROOT = Path(__file__).resolve().parents[1]
IMAGES = ROOT / "docs" / "images"
WORLD = (
    ROOT / "src" / "corridor" / "web" / "static" / "vendor" / "world-atlas" / "countries-50m.json"
)
ORIGIN, DESTINATION = "Xi'an", "Istanbul"
DEPART = date(2026, 3, 1)
DEADLINE_DAYS = 30


def land_rings(path: Path = WORLD) -> list[list[tuple[float, float]]]:
    """The outer rings of every country in a TopoJSON file, as ``(lon, lat)`` points.

    TopoJSON stores shared arcs, quantised and delta-encoded; a ring lists arc indices (``~i``
    for arc ``i`` reversed). Rings that cross the antimeridian are left out of a Eurasian map's
    view by its limits anyway.
    """
    topo = json.loads(path.read_text(encoding="utf-8"))
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs: list[list[tuple[float, float]]] = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)

    def ring(indices: Sequence[int]) -> list[tuple[float, float]]:
        out: list[tuple[float, float]] = []
        for i in indices:
            pts = arcs[i] if i >= 0 else arcs[~i][::-1]
            out.extend(pts if not out else pts[1:])
        return out

    rings = []
    for geom in topo["objects"]["countries"]["geometries"]:
        polygons: Any = geom.get("arcs") or []
        if geom.get("type") == "Polygon":
            polygons = [polygons]
        for polygon in polygons:
            if polygon:
                rings.append(ring(polygon[0]))
    return rings


def draw(out: Path = IMAGES, *, samples: int = 10_000) -> list[Path]:
    """Compare Xi'an–Istanbul on the bundled network and draw both pictures into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    result = corridor.compare(
        ORIGIN,
        DESTINATION,
        depart=DEPART,
        samples=samples,
        deadline_days=DEADLINE_DAYS,
        keep_samples=True,
    )
    chart = plot_comparison(result, out / "compare-xian-istanbul.png")
    drawn = plot_comparison_map(result, out / "map-xian-istanbul.png", land=land_rings())
    return [chart, drawn]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=IMAGES, help="folder of the images")
    parser.add_argument("--samples", type=int, default=10_000, help="journeys per corridor")
    args = parser.parse_args()
    for path in draw(args.out, samples=args.samples):
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)


if __name__ == "__main__":
    main()
