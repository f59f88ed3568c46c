"""Measure rail and road links on OpenStreetMap track (run with ``make data``).

Reads ``src/corridor/data/nodes.csv`` and ``links.csv`` and, offline, measures every rail link on
the world railway graph and every road link on the world highway graph that ``scgraph-data``
ships (both derived from OpenStreetMap, ODbL). Writes ``link_geometry.geojson``: one feature per
link (``from``, ``to``, ``mode``), either

- ``distance_method: osm`` with the measured length, a simplified polyline, the distance from
  each end node to the track it was attached to (``snap_from_km``, ``snap_to_km``) and the
  source id of the graph; or
- ``distance_method: estimate`` with no geometry and a ``reason`` saying why the track could not
  be measured (no track near a node, the graph does not connect the two ends, a detour that is
  not the line, a planned line not yet built).

The file is keyed by the link's ends and mode, not by the row of ``links.csv``, so links added
later simply have no entry until the next build (``--only-new`` measures just those). At run time
the loader prefers the measured length over a ``links.csv`` estimate; a length taken from a cited
source stays as sourced, and the OSM polyline still draws it.

How a link is measured
----------------------
1. Each end node is attached to the nearest graph node of a connected component that has track
   within ``MAX_SNAP_KM`` of *both* ends (the closest pair wins), so a siding or a port spur that
   is not connected to the main line is never chosen.
2. The shortest path on that component (A* on great-circle distance) gives the on-track length;
   the two attachments are added as straight lines (``length = snap_from + track + snap_to``).
3. The result is accepted when ``length / great-circle`` lies within ``[MIN_RATIO, MAX_RATIO]``
   (or the excess over the great-circle is under ``SHORT_EXCESS_KM`` for short links): a longer
   path is a detour through other lines, because OSM lacks a piece of the line or the graph's
   simplification cut it.
4. A path with more than ``THIRD_COUNTRY_KM`` in a country neither end is in is a detour when
   it is also over ``THIRD_COUNTRY_RATIO`` × the great circle; below that the track really
   crosses that country (the Brenner line through Austria) and the feature says so
   (``through``).
5. The polyline is simplified (Douglas–Peucker, ``TOLERANCE_KM``) and rounded to 4 decimals
   (about 10 m).
6. A through node (two rail links, both operational) with no track within ``SNAP_SLACK_KM``
   stands for its station on the line: the line between its neighbours is measured whole and
   split at the track point nearest the node (``through_station``; ``station_km`` is drawn,
   not counted). A border node farther than ``MAX_SNAP_KM`` from the line is taken where the
   line crosses the frontier between its neighbours' countries (``frontier``).
7. The links of a pro-rata split of a sourced total are compared with the total together, not
   each with its share (``check_splits``).
8. A rail link refused above whose track the graph breaks by gaps is measured on the pieces of
   track, each gap bridged by a straight segment (``measure_gapped``), while the straight km are
   at most ``MAX_GAP_SHARE`` of the length and the path passes the checks of 3-4:
   ``distance_method: osm_track_bridged`` with ``bridged_km``.

Needs the ``[build]`` extra (``scgraph``, ``scgraph-data``) and ``numpy``.
"""

from __future__ import annotations

import argparse
import csv
import heapq
import itertools
import json
import math
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

DATA = Path(__file__).resolve().parent.parent / "src" / "corridor" / "data"
OUT = DATA / "link_geometry.geojson"
# Natural Earth 1:50m country shapes (public domain), as the web map ships them
COUNTRIES = DATA.parent / "web" / "static" / "vendor" / "world-atlas" / "countries-50m.json"
EARTH_R_KM = 6371.0088

MAX_SNAP_KM = {"rail": 25.0, "road": 25.0}
SNAP_SLACK_KM = 12.0  # an end attached within this is accepted (a city node, its station) ...
MAX_SNAP_SHARE = 0.15  # ... farther only while both attachments are this share of the length
MIN_RATIO = 0.97  # below the great-circle (less snapping slack): the graph joined the wrong ends
MAX_RATIO = {"rail": 2.0, "road": 2.0}  # no line we model winds more: beyond, a detour
VIA_RATIO = 1.5  # above this, a path passing another node of the network is a detour
VIA_KM = 8.0  # "passing a node": within this of it, and farther than VIA_AWAY_KM from both ends
VIA_AWAY_KM = 20.0
SHORT_EXCESS_KM = 60.0  # a short link may wind (mountain lines) without being a detour
MAX_SOURCE_GAP = 0.25  # OSM path vs a cited length: a larger difference is a detour
THIRD_COUNTRY_KM = 15.0  # track in a country neither end is in, beyond border slack ...
THIRD_COUNTRY_RATIO = 1.6  # ... on a path this much longer than the great circle: a detour
TOLERANCE_KM = 0.5
GAP_KM = {"rail": 15.0, "road": 5.0}  # a break in the mapped line bridged by a straight edge
BRIDGE_PENALTY = 3.0
MAX_BRIDGED_SHARE = 0.05  # more of the length on bridges than this: the line is not mapped
# A line the graph breaks by longer gaps (pieces of track not connected to each other) is
# measured on its pieces with each gap bridged straight, while the straight bridges are at most
# this share of the length. A straight bridge is shorter than the track it stands for by the
# track's circuity over that stretch; at a circuity of 1.3 (a winding line; steppe lines are
# 1.05-1.15) a 15 % share under-measures the link by at most 0.15 x 0.3 = 4.5 %, within the
# 5 % the graph's own straightened edges already lose (5.4 % on average) and far inside the
# error of a great-circle x circuity estimate. Such links are ``osm_track_bridged``.
MAX_GAP_SHARE = 0.15

GRAPHS = {
    "rail": {
        "module": "scgraph_data.world_railways",
        "attr": "world_railways_geograph",
        "source": "osm-scgraph-railways",
    },
    "road": {
        "module": "scgraph_data.world_highways",
        "attr": "world_highways_geograph",
        "source": "osm-scgraph-highways",
    },
}


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance, km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_R_KM * math.asin(min(1.0, math.sqrt(h)))


class TrackGraph:
    """A scgraph geograph with its connected components and a vectorised nearest-node search."""

    def __init__(self, mode: str) -> None:
        import importlib

        spec = GRAPHS[mode]
        geograph = getattr(importlib.import_module(spec["module"]), spec["attr"])
        self.graph: list[dict[int, float]] = geograph.graph
        self.nodes: list[list[float]] = geograph.nodes  # [lat, lon]
        arr = np.asarray(self.nodes, dtype=float)
        self.lat = np.radians(arr[:, 0])
        self.lon = np.radians(arr[:, 1])
        self.bridges = self._bridges(GAP_KM[mode])
        self.component = self._components()

    def _bridges(self, gap_km: float) -> dict[int, dict[int, float]]:
        """Straight edges from each dead end of the track to the nodes within ``gap_km``.

        The simplified OSM graph breaks some lines (a missing way, a station mapped apart); a
        break shows as a dead end close to other track. A bridge is weighted ``BRIDGE_PENALTY``
        times its length in the search, so it is used only to close a break, never as a
        shortcut along a line.
        """
        cell = 0.1
        keys = np.floor(np.degrees(self.lat) / cell).astype(np.int64) * 100_000 + np.floor(
            np.degrees(self.lon) / cell
        ).astype(np.int64)
        buckets: dict[int, list[int]] = {}
        for i, k in enumerate(keys.tolist()):
            buckets.setdefault(k, []).append(i)
        out: dict[int, dict[int, float]] = {}
        for u in range(len(self.graph)):
            if len(self.graph[u]) > 1:
                continue
            k = int(keys[u])
            cand = [
                j
                for dy in (-100_000, 0, 100_000)
                for dx in (-1, 0, 1)
                for j in buckets.get(k + dy + dx, ())
                if j != u and j not in self.graph[u]
            ]
            if not cand:
                continue
            lat, lon = self.nodes[u]
            for j in cand:
                d = haversine_km(lat, lon, *self.nodes[j])
                if d <= gap_km:
                    out.setdefault(u, {})[j] = d
                    out.setdefault(j, {})[u] = d
        return out

    def _components(self) -> np.ndarray:
        comp = np.full(len(self.graph), -1, dtype=np.int64)
        label = 0
        for start in range(len(self.graph)):
            if comp[start] >= 0:
                continue
            comp[start] = label
            stack = [start]
            while stack:
                u = stack.pop()
                for v in itertools.chain(self.graph[u], self.bridges.get(u, ())):
                    if comp[v] < 0:
                        comp[v] = label
                        stack.append(v)
            label += 1
        return comp

    def near(self, lat: float, lon: float, radius_km: float) -> dict[int, tuple[float, int]]:
        """The nearest graph node of each component within ``radius_km``: ``{comp: (km, id)}``."""
        p, lam = math.radians(lat), math.radians(lon)
        h = (
            np.sin((self.lat - p) / 2) ** 2
            + math.cos(p) * np.cos(self.lat) * np.sin((self.lon - lam) / 2) ** 2
        )
        dist = 2 * EARTH_R_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
        idx = np.nonzero(dist <= radius_km)[0]
        best: dict[int, tuple[float, int]] = {}
        for i in idx[np.argsort(dist[idx])]:
            c = int(self.component[i])
            if c not in best:
                best[c] = (float(dist[i]), int(i))
        return best

    def shortest(self, origin: int, destination: int) -> tuple[float, float, list[int]]:
        """A* on the graph and its bridges (great-circle heuristic).

        Returns the length, km, the part of it on bridges, km, and the node path.
        """
        nodes, graph, bridges = self.nodes, self.graph, self.bridges
        dlat, dlon = nodes[destination]

        def h(i: int) -> float:
            lat, lon = nodes[i]
            return (
                haversine_km(lat, lon, dlat, dlon) * 0.995
            )  # rounded coordinates: stay admissible

        dist = {origin: 0.0}
        prev: dict[int, int] = {}
        heap = [(h(origin), 0.0, origin)]
        done: set[int] = set()
        while heap:
            _, d, u = heapq.heappop(heap)
            if u in done:
                continue
            if u == destination:
                path = [u]
                while path[-1] != origin:
                    path.append(prev[path[-1]])
                path.reverse()
                length = bridged = 0.0
                for p, q in itertools.pairwise(path):
                    if q in graph[p]:
                        length += graph[p][q]
                    else:
                        length += bridges[p][q]
                        bridged += bridges[p][q]
                return length, bridged, path
            done.add(u)
            edges = itertools.chain(
                graph[u].items(),
                ((v, w * BRIDGE_PENALTY) for v, w in bridges.get(u, {}).items()),
            )
            for v, w in edges:
                nd = d + w
                if nd < dist.get(v, math.inf):
                    dist[v] = nd
                    prev[v] = u
                    heapq.heappush(heap, (nd + h(v), nd, v))
        raise ValueError("not connected")


class Countries:
    """Country shapes (Natural Earth 1:50m from the world-atlas TopoJSON) for point lookups."""

    def __init__(self, path: Path = COUNTRIES) -> None:
        import pycountry
        from matplotlib.path import Path as Shape

        topo = json.loads(path.read_text(encoding="utf-8"))
        (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
        arcs = []
        for arc in topo["arcs"]:
            xy = np.cumsum(np.asarray(arc, dtype=float), axis=0)
            arcs.append(np.column_stack([xy[:, 0] * sx + tx, xy[:, 1] * sy + ty]))

        def ring(indices: list[int]) -> np.ndarray:
            parts = [arcs[i] if i >= 0 else arcs[~i][::-1] for i in indices]
            return np.concatenate(parts)

        self.shapes: list[tuple[str, Any, tuple[float, float, float, float]]] = []
        for geom in topo["objects"]["countries"]["geometries"]:
            country = pycountry.countries.get(numeric=str(geom.get("id", "")).zfill(3))
            if country is None or geom["type"] not in ("Polygon", "MultiPolygon"):
                continue
            polygons = [geom["arcs"]] if geom["type"] == "Polygon" else geom["arcs"]
            for polygon in polygons:
                rings = [ring(r) for r in polygon]
                verts = np.concatenate(rings)
                codes = np.concatenate(
                    [[Shape.MOVETO] + [Shape.LINETO] * (len(r) - 1) for r in rings]
                )
                box = (verts[:, 0].min(), verts[:, 1].min(), verts[:, 0].max(), verts[:, 1].max())
                self.shapes.append((country.alpha_2, Shape(verts, codes), box))

    def of(self, points: np.ndarray) -> list[str]:
        """The country of each ``[lon, lat]`` point (``""`` at sea or unknown)."""
        out = [""] * len(points)
        for code, shape, (x0, y0, x1, y1) in self.shapes:
            inside_box = (
                (points[:, 0] >= x0)
                & (points[:, 0] <= x1)
                & (points[:, 1] >= y0)
                & (points[:, 1] <= y1)
            )
            idx = np.nonzero(inside_box)[0]
            if len(idx) == 0:
                continue
            hit = shape.contains_points(points[idx])
            for i in idx[hit]:
                out[i] = code
        return out


def third_countries(
    coords: Sequence[Sequence[float]], ends: set[str], countries: Countries
) -> dict[str, float]:
    """Km of a ``[lon, lat]`` path in countries other than ``ends`` (step of about 2 km)."""
    pts: list[list[float]] = []
    for (x0, y0), (x1, y1) in itertools.pairwise(coords):
        n = max(1, math.ceil(haversine_km(y0, x0, y1, x1) / 2.0))
        pts += [[x0 + (x1 - x0) * (k + 0.5) / n, y0 + (y1 - y0) * (k + 0.5) / n] for k in range(n)]
    if not pts:
        return {}
    arr = np.asarray(pts)
    step = {}
    for (x0, y0), (x1, y1) in itertools.pairwise(coords):
        n = max(1, math.ceil(haversine_km(y0, x0, y1, x1) / 2.0))
        step[len(step)] = (haversine_km(y0, x0, y1, x1) / n, n)
    lengths = [d for d, n in step.values() for _ in range(n)]
    out: dict[str, float] = {}
    for code, km in zip(countries.of(arr), lengths, strict=True):
        if code and code not in ends:
            out[code] = out.get(code, 0.0) + km
    return out


def simplify(coords: Sequence[Sequence[float]], tolerance_km: float) -> list[list[float]]:
    """Douglas–Peucker on ``[lon, lat]`` points, distances in a local equirectangular frame."""
    if len(coords) <= 2:
        return [list(c) for c in coords]
    lat0 = math.radians(sum(c[1] for c in coords) / len(coords))
    kx, ky = EARTH_R_KM * math.cos(lat0) * math.pi / 180, EARTH_R_KM * math.pi / 180
    xy = np.array([[c[0] * kx, c[1] * ky] for c in coords])
    keep = np.zeros(len(coords), dtype=bool)
    keep[0] = keep[-1] = True
    stack = [(0, len(coords) - 1)]
    while stack:
        i, j = stack.pop()
        if j <= i + 1:
            continue
        a, b = xy[i], xy[j]
        seg = b - a
        norm = float(np.hypot(*seg))
        pts = xy[i + 1 : j]
        if norm == 0:
            d = np.hypot(*(pts - a).T)
        else:
            d = np.abs(seg[0] * (pts[:, 1] - a[1]) - seg[1] * (pts[:, 0] - a[0])) / norm
        k = int(np.argmax(d))
        if d[k] > tolerance_km:
            keep[i + 1 + k] = True
            stack += [(i, i + 1 + k), (i + 1 + k, j)]
    return [list(c) for c, k in zip(coords, keep, strict=True) if k]


def passes(
    coords: Sequence[Sequence[float]],
    others: Sequence[dict[str, str]],
    ends: Sequence[dict[str, str]],
) -> list[str]:
    """Names of the nodes of ``others`` that a ``[lon, lat]`` path passes, away from ``ends``."""
    out: list[str] = []
    for n in others:
        lat, lon = float(n["lat"]), float(n["lon"])
        if any(
            haversine_km(lat, lon, float(e["lat"]), float(e["lon"])) < VIA_AWAY_KM for e in ends
        ):
            continue
        if any(abs(y - lat) < 0.2 and haversine_km(y, x, lat, lon) < VIA_KM for x, y in coords):
            out.append(n["name"])
    return out


def measure(
    tg: TrackGraph,
    mode: str,
    link: dict[str, str],
    nodes: dict[str, dict[str, str]],
    countries: Countries | None = None,
    *,
    check_cited: bool = True,
) -> dict[str, Any]:
    """Measure one link; the properties of its feature and its coordinates (or a reason).

    ``check_cited=False`` skips the comparison with a cited length: a pro-rata share of a
    sourced total is no cited fact, so such links are compared as a group (``check_splits``).
    A measured result also carries the unsimplified path (``raw``: ``[lon, lat]`` points, the
    length and the bridged length along it at each point), for ``through_station``.
    """
    a, b = nodes[link["from"]], nodes[link["to"]]
    alat, alon, blat, blon = float(a["lat"]), float(a["lon"]), float(b["lat"]), float(b["lon"])
    gc = haversine_km(alat, alon, blat, blon)
    out: dict[str, Any] = {"great_circle_km": round(gc, 1)}
    snap = MAX_SNAP_KM[mode]
    near_a, near_b = tg.near(alat, alon, snap), tg.near(blat, blon, snap)
    if not near_a or not near_b:
        far = [n["name"] for n, near in ((a, near_a), (b, near_b)) if not near]
        return out | {
            "reason": f"no {mode} track of the OSM graph within {snap:.0f} km of "
            + " and ".join(far)
        }
    common = set(near_a) & set(near_b)
    if not common:
        return out | {
            "reason": f"the OSM {mode} graph does not connect the track near {a['name']} "
            f"with the track near {b['name']} (a gap in the mapped line)"
        }
    comp = min(common, key=lambda c: near_a[c][0] + near_b[c][0])
    (sa, ia), (sb, ib) = near_a[comp], near_b[comp]
    if max(sa, sb) > SNAP_SLACK_KM and sa + sb > MAX_SNAP_SHARE * gc:
        far = [n["name"] for n, s in ((a, sa), (b, sb)) if s > SNAP_SLACK_KM]
        return out | {
            "snap_from_km": round(sa, 2),
            "snap_to_km": round(sb, 2),
            "reason": f"the nearest {mode} track of the OSM graph is {max(sa, sb):.0f} km from "
            f"{' and '.join(far)}: too far for the length of the link",
        }
    track, bridged, path = tg.shortest(ia, ib) if ia != ib else (0.0, 0.0, [ia])
    length = sa + track + sb
    out |= {
        "snap_from_km": round(sa, 2),
        "snap_to_km": round(sb, 2),
        "bridged_km": round(bridged, 1),
    }
    if bridged > MAX_BRIDGED_SHARE * length:
        return out | {
            "measured_km": round(length, 1),
            "reason": f"{bridged:,.0f} km of the {length:,.0f} km path bridge breaks in the "
            f"mapped {mode} line: too little of it is on OSM track",
        }
    coords = [[alon, alat]] + [[tg.nodes[i][1], tg.nodes[i][0]] for i in path] + [[blon, blat]]
    cum, cum_bridged = [0.0, sa], [0.0, 0.0]
    for p, q in itertools.pairwise(path):
        w = tg.graph[p].get(q)
        cum.append(cum[-1] + (w if w is not None else tg.bridges[p][q]))
        cum_bridged.append(cum_bridged[-1] + (0.0 if w is not None else tg.bridges[p][q]))
    cum.append(cum[-1] + sb)
    cum_bridged.append(cum_bridged[-1])
    return judge(
        mode,
        link,
        nodes,
        countries,
        out=out,
        raw=(coords, cum, cum_bridged),
        check_cited=check_cited,
    )


def judge(
    mode: str,
    link: dict[str, str],
    nodes: dict[str, dict[str, str]],
    countries: Countries | None,
    *,
    out: dict[str, Any],
    raw: tuple[list[list[float]], list[float], list[float]],
    check_cited: bool,
) -> dict[str, Any]:
    """Accept a measured path (``raw``: ``[lon, lat]`` points, cumulative length and bridged
    length) or give the reason it is not the line: a detour, the wrong track."""
    a, b = nodes[link["from"]], nodes[link["to"]]
    coords, cum = raw[0], raw[1]
    length, gc = cum[-1], out["great_circle_km"]
    ratio = length / gc if gc > 0 else 1.0
    excess = length - gc
    if check_cited and link["distance_method"] == "source":
        cited = float(link["distance_km"])
        if abs(length / cited - 1) > MAX_SOURCE_GAP:
            return out | {
                "measured_km": round(length, 1),
                "reason": f"the shortest OSM {mode} path is {length:,.0f} km where the cited "
                f"length is {cited:,.0f} km: a detour over other lines, not this line",
            }
    if ratio > MAX_RATIO[mode] and excess > SHORT_EXCESS_KM:
        return out | {
            "measured_km": round(length, 1),
            "reason": f"the shortest OSM {mode} path is {length:,.0f} km for {gc:,.0f} km "
            f"great-circle ({ratio:.2f}×): a detour over other lines, not this line",
        }
    others = [
        n
        for k, n in nodes.items()
        if k not in (link["from"], link["to"]) and (n["gauges"] or mode != "rail")
    ]
    via = passes(coords, others, (a, b)) if ratio > VIA_RATIO and excess > SHORT_EXCESS_KM else []
    if via:
        return out | {
            "measured_km": round(length, 1),
            "reason": f"the shortest OSM {mode} path ({length:,.0f} km for {gc:,.0f} km "
            f"great-circle) runs via {', '.join(via[:3])}: a detour over other links",
        }
    if ratio < MIN_RATIO and gc > 20:
        return out | {
            "measured_km": round(length, 1),
            "reason": f"the OSM {mode} path ({length:,.0f} km) is shorter than the great-circle "
            f"({gc:,.0f} km): the ends attach to the wrong track",
        }
    crossed = third_countries(coords, {a["country"], b["country"]}, countries) if countries else {}
    crossed = {c: km for c, km in crossed.items() if km > THIRD_COUNTRY_KM}
    if crossed and ratio > THIRD_COUNTRY_RATIO:
        where = ", ".join(f"{km:,.0f} km in {c}" for c, km in sorted(crossed.items()))
        return out | {
            "measured_km": round(length, 1),
            "reason": f"the shortest OSM {mode} path ({length:,.0f} km for {gc:,.0f} km "
            f"great-circle) runs through another country ({where}): a detour",
        }
    if crossed:
        out["through"] = ";".join(sorted(crossed))
    return out | {"distance_km": round(length, 1), "coords": finish(coords), "raw": raw}


def _spread(lat: np.ndarray, lon: np.ndarray, p: float, lam: float) -> np.ndarray:
    """Great-circle km from one point (radians) to many."""
    h = np.sin((lat - p) / 2) ** 2 + math.cos(p) * np.cos(lat) * np.sin((lon - lam) / 2) ** 2
    return 2 * EARTH_R_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


class _GapSearch:
    """The graph nodes around one link, with the two end points, for ``gap_path``."""

    def __init__(
        self, tg: TrackGraph, a: tuple[float, float], b: tuple[float, float], snap_km: float
    ) -> None:
        gc = haversine_km(*a, *b)
        da = _spread(tg.lat, tg.lon, math.radians(a[0]), math.radians(a[1]))
        db = _spread(tg.lat, tg.lon, math.radians(b[0]), math.radians(b[1]))
        inside = np.nonzero(da + db <= max(MAX_RATIO["rail"] * gc, gc + 2 * snap_km))[0]
        self.tg, self.ids = tg, inside.tolist()
        self.local = {g: k for k, g in enumerate(self.ids)}
        self.lat, self.lon = tg.lat[inside], tg.lon[inside]
        self.da, self.db = da[inside], db[inside]
        self.dead = np.asarray(
            [k for k, g in enumerate(self.ids) if len(tg.graph[g]) <= 1], dtype=np.int64
        )
        comp = tg.component[inside]
        self.n = len(self.ids)
        self.start, self.goal = self.n, self.n + 1  # the two end points themselves
        self.first = self._attach(self.da, comp, snap_km)
        self.last = dict(self._attach(self.db, comp, snap_km))

    @staticmethod
    def _attach(dist: np.ndarray, comp: np.ndarray, snap_km: float) -> list[tuple[int, float]]:
        """The nearest node of each piece of track within ``snap_km``: ``[(node, km)]``."""
        out: dict[int, tuple[int, float]] = {}
        for k in np.argsort(dist).tolist():
            if dist[k] > snap_km:
                break
            out.setdefault(int(comp[k]), (k, float(dist[k])))
        return list(out.values())

    def steps(self, u: int) -> list[tuple[int, float]]:
        """The track, short-bridge and end steps from ``u``: ``[(node, weighted km)]``."""
        if u == self.start:
            return self.first
        g, local = self.ids[u], self.local
        out = [(self.goal, self.last[u])] if u in self.last else []
        out += [(local[v], w) for v, w in self.tg.graph[g].items() if v in local]
        out += [
            (local[v], w * BRIDGE_PENALTY)
            for v, w in self.tg.bridges.get(g, {}).items()
            if v in local
        ]
        return out

    def gaps(self, u: int) -> tuple[np.ndarray, np.ndarray]:
        """The gap bridges from ``u`` (a dead end: to any node; else to the dead ends), km."""
        if u == self.start:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        among = np.arange(self.n) if len(self.tg.graph[self.ids[u]]) <= 1 else self.dead
        among = among[among != u]
        return among, _spread(
            self.lat[among], self.lon[among], float(self.lat[u]), float(self.lon[u])
        )


def gap_path(
    tg: TrackGraph, a: tuple[float, float], b: tuple[float, float], *, snap_km: float
) -> tuple[list[int], float, float]:
    """The path between two points over pieces of track joined by straight gap bridges.

    The search runs on the graph nodes inside the ellipse of paths up to ``MAX_RATIO`` × the
    great circle. Besides the track (and its short bridges), a *gap bridge* joins a dead end of
    the track to any node of another, unconnected piece (or any node to such a dead end), as a
    straight line weighted ``BRIDGE_PENALTY`` × its length, so track is preferred wherever it
    exists. Each end is attached to the nearest node of every piece within ``snap_km``.

    Returns the node path and the two attachments, km (``walk`` measures the path).
    """
    gs = _GapSearch(tg, a, b, snap_km)
    dist = np.full(gs.n + 2, math.inf)
    prev = np.full(gs.n + 2, -1, dtype=np.int64)
    done = np.zeros(gs.n + 2, dtype=bool)
    dist[gs.start] = 0.0
    heap: list[tuple[float, int]] = [(0.0, gs.start)]
    while heap:
        d, u = heapq.heappop(heap)
        if done[u]:
            continue
        done[u] = True
        if u == gs.goal:
            break
        among, km = gs.gaps(u)
        cost = d + km * BRIDGE_PENALTY
        better = cost < dist[among]
        steps = list(zip(among[better].tolist(), cost[better].tolist(), strict=True))
        steps += [(v, d + w) for v, w in gs.steps(u)]
        for v, c in steps:
            if c < dist[v]:
                dist[v], prev[v] = c, u
                heapq.heappush(heap, (c, v))
    if not done[gs.goal]:
        raise LookupError("no track near an end")
    chain = [gs.goal]
    while chain[-1] != gs.start:
        chain.append(int(prev[chain[-1]]))
    path = [gs.ids[k] for k in reversed(chain[1:-1])]
    return path, float(gs.da[gs.local[path[0]]]), float(gs.db[gs.local[path[-1]]])


def walk(tg: TrackGraph, path: list[int]) -> tuple[list[float], list[float]]:
    """Cumulative length and bridged length along a node path (a step off the track and its
    short bridges is a straight gap bridge)."""
    cum, cum_bridged = [0.0], [0.0]
    for p, q in itertools.pairwise(path):
        w = tg.graph[p].get(q)
        gap = w is None
        if w is None:
            w = tg.bridges.get(p, {}).get(q)
        if w is None:
            (y0, x0), (y1, x1) = tg.nodes[p], tg.nodes[q]
            w = haversine_km(y0, x0, y1, x1)
        cum.append(cum[-1] + w)
        cum_bridged.append(cum_bridged[-1] + (w if gap else 0.0))
    return cum, cum_bridged


def measure_gapped(
    tg: TrackGraph,
    link: dict[str, str],
    nodes: dict[str, dict[str, str]],
    countries: Countries | None = None,
    *,
    check_cited: bool = True,
) -> dict[str, Any]:
    """Measure a rail link whose track the graph breaks by gaps (``osm_track_bridged``).

    The pieces of track are measured and each gap is bridged by a straight segment
    (``gap_path``); accepted while the bridges are at most ``MAX_GAP_SHARE`` of the length and
    the path passes every check of ``measure`` (cited length, detour, third country).
    """
    a, b = nodes[link["from"]], nodes[link["to"]]
    alat, alon, blat, blon = float(a["lat"]), float(a["lon"]), float(b["lat"]), float(b["lon"])
    gc = haversine_km(alat, alon, blat, blon)
    out: dict[str, Any] = {"great_circle_km": round(gc, 1)}
    try:
        path, sa, sb = gap_path(tg, (alat, alon), (blat, blon), snap_km=SNAP_SLACK_KM)
    except LookupError:
        return out | {"reason": f"no rail track within {SNAP_SLACK_KM:.0f} km of both ends"}
    track, track_bridged = walk(tg, path)
    cum = [0.0, *(sa + c for c in track), sa + track[-1] + sb]
    cum_bridged = [0.0, *track_bridged, track_bridged[-1]]
    length, bridged = cum[-1], cum_bridged[-1]
    out |= {
        "snap_from_km": round(sa, 2),
        "snap_to_km": round(sb, 2),
        "bridged_km": round(bridged, 1),
    }
    if bridged > MAX_GAP_SHARE * length:
        return out | {
            "measured_km": round(length, 1),
            "reason": f"{bridged:,.0f} km of the {length:,.0f} km path bridge gaps in the mapped "
            f"line: more than {MAX_GAP_SHARE:.0%}",
        }
    coords = [[alon, alat]] + [[tg.nodes[i][1], tg.nodes[i][0]] for i in path] + [[blon, blat]]
    got = judge(
        "rail",
        link,
        nodes,
        countries,
        out=out,
        raw=(coords, cum, cum_bridged),
        check_cited=check_cited,
    )
    if "coords" in got:
        got["method"] = "osm_track_bridged"
    return got


def measure_link(
    tg: TrackGraph,
    mode: str,
    link: dict[str, str],
    nodes: dict[str, dict[str, str]],
    countries: Countries | None,
    *,
    check_cited: bool,
) -> dict[str, Any]:
    """``measure``, and for a rail link the graph breaks, ``measure_gapped`` (both reasons kept
    when neither is accepted)."""
    m = measure(tg, mode, link, nodes, countries, check_cited=check_cited)
    if "coords" in m or mode != "rail" or m["reason"].startswith("no rail track"):
        return m
    gapped = measure_gapped(tg, link, nodes, countries, check_cited=check_cited)
    if "coords" in gapped:
        return gapped
    m["reason"] += f"; with its gaps bridged: {gapped['reason']}"
    return m


def finish(coords: Sequence[Sequence[float]]) -> list[list[float]]:
    """The polyline as written: simplified, rounded to 4 decimals, without repeated points."""
    out = [[round(x, 4), round(y, 4)] for x, y in simplify(coords, TOLERANCE_KM)]
    return [out[0]] + [c for p, c in itertools.pairwise(out) if c != p]


def project(
    x: Sequence[float], coords: Sequence[Sequence[float]], first: int, last: int
) -> tuple[float, int, float]:
    """The point of segments ``first..last-1`` of a ``[lon, lat]`` path nearest ``x``.

    Returns its distance from ``x``, km, the segment and the fraction along it.
    """
    kx, ky = EARTH_R_KM * math.cos(math.radians(x[1])) * math.pi / 180, EARTH_R_KM * math.pi / 180
    best = (math.inf, first, 0.0)
    for i in range(first, last):
        (x0, y0), (x1, y1) = coords[i], coords[i + 1]
        ax, ay = (x0 - x[0]) * kx, (y0 - x[1]) * ky
        dx, dy = (x1 - x0) * kx, (y1 - y0) * ky
        norm = dx * dx + dy * dy
        t = 0.0 if norm == 0 else min(1.0, max(0.0, -(ax * dx + ay * dy) / norm))
        d = math.hypot(ax + t * dx, ay + t * dy)
        if d < best[0]:
            best = (d, i, t)
    return best


def frontier(
    x: Sequence[float], coords: Sequence[Sequence[float]], sides: set[str], countries: Countries
) -> tuple[float, int, float] | None:
    """Where a ``[lon, lat]`` path crosses the frontier between the two countries of ``sides``.

    The track segments are sampled every 0.5 km or so; of the crossings found, the one nearest
    ``x`` is returned as ``project`` does (distance from ``x``, segment, fraction), or None.
    """
    samples: list[tuple[int, float, list[float]]] = []
    for i in range(1, len(coords) - 2):
        (x0, y0), (x1, y1) = coords[i], coords[i + 1]
        n = max(1, math.ceil(haversine_km(y0, x0, y1, x1) / 0.5))
        samples += [(i, k / n, [x0 + (x1 - x0) * k / n, y0 + (y1 - y0) * k / n]) for k in range(n)]
    if not samples:
        return None
    where = countries.of(np.asarray([pt for _, _, pt in samples]))
    best: tuple[float, int, float] | None = None
    for (s0, c0), (s1, c1) in itertools.pairwise(zip(samples, where, strict=True)):
        if {c0, c1} != sides:
            continue
        i, t = s0[0], s0[1]
        if s1[0] == i:
            t = (s0[1] + s1[1]) / 2  # midway between the two samples either side
        (x0, y0), (x1, y1) = coords[i], coords[i + 1]
        d = haversine_km(x[1], x[0], y0 + t * (y1 - y0), x0 + t * (x1 - x0))
        if best is None or d < best[0]:
            best = (d, i, t)
    return best


def through_station(
    tg: TrackGraph,
    x: str,
    pair: Sequence[dict[str, str]],
    nodes: dict[str, dict[str, str]],
    countries: Countries | None,
    *,
    check_cited: bool,
) -> tuple[dict[str, Any], dict[str, Any]] | str:
    """Measure the two links of a through node that lies off the track, as one line split at it.

    A node on a line between two others (exactly two rail links) stands for its station: a
    train runs through on the track and never to the node's position, which for a town is its
    centre and for some border stations an estimate. When that position is farther than
    ``SNAP_SLACK_KM`` from the track, the line between the two neighbours is measured (with every
    check of ``measure``) and split at the point of its track nearest the node, within
    ``MAX_SNAP_KM``. The distance from the node to that point (``station_km``) is drawn as a
    straight end of both polylines but is no part of either length. A border node between two
    countries that lies farther than that from the line (its position cannot be a station of
    it) is taken where the line crosses their frontier (on the country shapes of the web map).

    Returns the two measures (in the order of ``pair``) or the reason it fails.
    """
    ends = [lk["to"] if lk["from"] == x else lk["from"] for lk in pair]
    cited = all(lk["distance_method"] == "source" for lk in pair) and check_cited
    combined = {
        "from": ends[0],
        "to": ends[1],
        "distance_method": "source" if cited else "estimate",
        "distance_km": str(sum(float(lk["distance_km"]) for lk in pair)),
    }
    m = measure(tg, "rail", combined, nodes, countries, check_cited=cited)
    name = nodes[x]["name"]
    if "coords" not in m:
        return f"measured as one line through {name}: {m['reason']}"
    coords, cum, cum_bridged = m["raw"]
    xn = nodes[x]
    xy = [float(xn["lon"]), float(xn["lat"])]
    if len(coords) < 4:
        return f"the OSM rail path between its neighbours has no track near {name}"
    # track segments only: not the straight attachments of the two ends
    d, i, t = project(xy, coords, 1, len(coords) - 2)
    sides = {nodes[e]["country"] for e in ends}
    if d > MAX_SNAP_KM["rail"] and xn["kind"] == "border" and len(sides) == 2 and countries:
        # too far to be a station of this line, but a border station is where its line
        # crosses the frontier between its neighbours' countries
        found = frontier(xy, coords, sides, countries)
        if found is None:
            return (
                f"the OSM rail path between its neighbours passes {d:.0f} km from {name} "
                f"and does not cross the {'–'.join(sorted(sides))} frontier"
            )
        d, i, t = found
    elif d > MAX_SNAP_KM["rail"]:
        return (
            f"the OSM rail path between its neighbours passes {d:.0f} km from {name}: "
            "not the line through it"
        )
    (x0, y0), (x1, y1) = coords[i], coords[i + 1]
    pt = [x0 + t * (x1 - x0), y0 + t * (y1 - y0)]
    split = cum[i] + t * (cum[i + 1] - cum[i])
    split_bridged = cum_bridged[i] + t * (cum_bridged[i + 1] - cum_bridged[i])
    pieces = [
        ([*coords[: i + 1], pt, xy], split, split_bridged, m["snap_from_km"]),
        (
            [xy, pt, *coords[i + 1 :]],
            cum[-1] - split,
            cum_bridged[-1] - split_bridged,
            m["snap_to_km"],
        ),
    ]
    out = []
    for k, (lk, (path, length, bridged, snap)) in enumerate(zip(pair, pieces, strict=True)):
        forward = (lk["from"] == ends[0]) if k == 0 else (lk["from"] == x)
        a, b = nodes[lk["from"]], nodes[lk["to"]]
        gc = haversine_km(float(a["lat"]), float(a["lon"]), float(b["lat"]), float(b["lon"]))
        if length <= 0:
            return f"the OSM rail path between its neighbours reaches {name} at one end"
        snaps = (snap, 0.0) if k == 0 else (0.0, snap)
        res: dict[str, Any] = {
            "great_circle_km": round(gc, 1),
            "snap_from_km": round(snaps[0] if forward else snaps[1], 2),
            "snap_to_km": round(snaps[1] if forward else snaps[0], 2),
            "bridged_km": round(bridged, 1),
            "station": x,
            "station_km": round(d, 2),
            "distance_km": round(length, 1),
            "coords": finish(path if forward else path[::-1]),
        }
        crossed = (
            third_countries(path, {a["country"], b["country"]}, countries) if countries else {}
        )
        crossed = {c: km for c, km in crossed.items() if km > THIRD_COUNTRY_KM}
        if crossed:
            res["through"] = ";".join(sorted(crossed))
        out.append(res)
    return out[0], out[1]


def split_groups(mode: str) -> list[dict[str, Any]]:
    """The pro-rata splits of sourced totals (``build_data.SPLITS``) of one mode."""
    from build_data import SPLITS

    return [g for g in SPLITS if g.get("mode", "rail") == mode]


def check_splits(
    results: dict[tuple[str, str], tuple[dict[str, str], dict[str, Any]]], mode: str
) -> None:
    """Compare the measured links of each pro-rata split with their share of the sourced total.

    A share is the total spread by great-circle length, not a cited length of the link, so the
    measured links of a group are compared together: their sum against the sum of their
    shares (the whole total when all are measured). Beyond ``MAX_SOURCE_GAP`` all of them keep
    their estimate.
    """
    for group in split_groups(mode):
        keys = [k for a, b in group["links"] for k in ((a, b), (b, a)) if k in results]
        done = [k for k in keys if "coords" in results[k][1]]
        if not done:
            continue
        measured = sum(results[k][1]["distance_km"] for k in done)
        shares = sum(float(results[k][0]["distance_km"]) for k in done)
        if abs(measured / shares - 1) <= MAX_SOURCE_GAP:
            continue
        for k in done:
            lk, m = results[k]
            results[k] = (
                lk,
                {
                    "great_circle_km": m["great_circle_km"],
                    "measured_km": m["distance_km"],
                    "reason": f"the OSM {mode} paths of the links of the sourced "
                    f"{group['what']} add up to {measured:,.0f} km where their shares are "
                    f"{shares:,.0f} km: a detour over other lines",
                },
            )


def stations(
    tg: TrackGraph,
    links: list[dict[str, str]],
    results: dict[tuple[str, str], tuple[dict[str, str], dict[str, Any]]],
    *,
    nodes: dict[str, dict[str, str]],
    countries: Countries | None,
    in_split: set[tuple[str, str]],
) -> None:
    """Re-measure the links of each through node off the track (``through_station``), in place.

    A through node has exactly two rail links (of ``links``, all of the mode), both operational
    and measured in this run, and no track within
    ``SNAP_SLACK_KM``; its two links are replaced when the line between its neighbours measures.
    """
    degree: dict[str, list[tuple[str, str]]] = {}
    for lk in links:
        for n in (lk["from"], lk["to"]):
            degree.setdefault(n, []).append((lk["from"], lk["to"]))
    for x, keys in sorted(degree.items()):
        if len(keys) != 2 or any(
            k not in results or results[k][0]["status"] != "operational" for k in keys
        ):
            continue  # not a through node, or a link kept from the last build (--only-new)
        near = tg.near(float(nodes[x]["lat"]), float(nodes[x]["lon"]), SNAP_SLACK_KM)
        if near:
            continue
        pair = [results[k][0] for k in keys]
        got = through_station(
            tg, x, pair, nodes, countries, check_cited=not any(k in in_split for k in keys)
        )
        if isinstance(got, str):
            for k in keys:
                if "coords" not in results[k][1]:
                    results[k][1]["reason"] += f"; {got}"
            continue
        for k, m in zip(keys, got, strict=True):
            results[k] = (results[k][0], m)


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def feature(link: dict[str, str], mode: str, m: dict[str, Any]) -> dict[str, Any]:
    props: dict[str, Any] = {"from": link["from"], "to": link["to"], "mode": mode}
    if "coords" in m:
        props |= {
            "distance_km": m["distance_km"],
            "distance_method": m.get("method", "osm"),
            "great_circle_km": m["great_circle_km"],
            "snap_from_km": m["snap_from_km"],
            "snap_to_km": m["snap_to_km"],
            "bridged_km": m["bridged_km"],
            **({"through": m["through"]} if m.get("through") else {}),
            **({"station": m["station"], "station_km": m["station_km"]} if "station" in m else {}),
            "source": GRAPHS[mode]["source"],
        }
        geometry: dict[str, Any] | None = {"type": "LineString", "coordinates": m["coords"]}
    else:
        props |= {
            "distance_method": "estimate",
            "great_circle_km": m["great_circle_km"],
            "reason": m["reason"],
        }
        for k in ("measured_km", "snap_from_km", "snap_to_km", "bridged_km"):
            if k in m:
                props[k] = m[k]
        geometry = None
    return {"type": "Feature", "properties": props, "geometry": geometry}


def anchor_checks(
    links: list[dict[str, str]],
    nodes: dict[str, dict[str, str]],
    features: list[dict[str, Any]],
) -> None:
    """Print the composed-route anchors of ``build_data.py`` with the lengths the loader uses.

    A ``links.csv`` estimate gives way to its OSM length, as at run time; cited lengths stay.
    """
    import networkx as nx
    from build_data import ANCHORS

    measured = {
        (p["from"], p["to"], p["mode"]): p["distance_km"]
        for p in (f["properties"] for f in features)
        if p["distance_method"] == "osm"
    }
    print("\nanchor checks with the measured lengths (operational rail + ferry links):")
    for anc in ANCHORS:
        g = nx.Graph()
        for lk in links:
            if lk["status"] != "operational" or lk["mode"] not in ("rail", "ferry"):
                continue
            if anc.get("no_water") and lk["mode"] == "ferry":
                continue
            if {nodes[lk["from"]]["country"], nodes[lk["to"]]["country"]} & anc["exclude"]:
                continue
            w = float(lk["distance_km"])
            if lk["distance_method"] == "estimate":
                w = measured.get((lk["from"], lk["to"], lk["mode"]), w)
            if not g.has_edge(lk["from"], lk["to"]) or g[lk["from"]][lk["to"]]["w"] > w:
                g.add_edge(lk["from"], lk["to"], w=w)
        total = sum(nx.shortest_path_length(g, a, b, weight="w") for a, b in anc["legs"])
        dev = 100 * (total - anc["km"]) / anc["km"]
        print(f"  {anc['name']}: {total:,.0f} km vs {anc['km']:,} km ({dev:+.1f}%)")


def report(mode: str, lk: dict[str, str], m: dict[str, Any]) -> None:
    """Print one link's result."""
    if "coords" not in m:
        print(f"{mode} {lk['from']}-{lk['to']}: ESTIMATE: {m['reason']}")
        return
    print(
        f"{mode} {lk['from']}-{lk['to']}: {m['distance_km']:.0f} km on OSM "
        f"(links.csv {float(lk['distance_km']):.0f} km, {lk['distance_method']}), "
        f"snap {m['snap_from_km']:.1f}/{m['snap_to_km']:.1f} km, "
        f"bridged {m['bridged_km']:.1f} km, "
        + (f"station {m['station_km']:.1f} km off, " if "station" in m else "")
        + f"{len(m['coords'])} points"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--only-new", action="store_true", help="measure only links without an entry yet"
    )
    args = parser.parse_args(argv)
    nodes = {r["id"]: r for r in read_csv(DATA / "nodes.csv")}
    links = [r for r in read_csv(DATA / "links.csv") if r["mode"] in GRAPHS]
    old: dict[tuple[str, str, str], dict[str, Any]] = {}
    if args.only_new and OUT.exists():
        for f in json.loads(OUT.read_text(encoding="utf-8"))["features"]:
            p = f["properties"]
            old[(p["from"], p["to"], p["mode"])] = f
    features: list[dict[str, Any]] = []
    stats: dict[str, list[int]] = {}
    countries = Countries()
    for mode in GRAPHS:
        todo = [lk for lk in links if lk["mode"] == mode]
        if not todo:
            continue
        fresh = [lk for lk in todo if (lk["from"], lk["to"], mode) not in old]
        tg = TrackGraph(mode) if fresh else None
        in_split = {k for g in split_groups(mode) for a, b in g["links"] for k in ((a, b), (b, a))}
        results: dict[tuple[str, str], tuple[dict[str, str], dict[str, Any]]] = {}
        for lk in todo:
            key = (lk["from"], lk["to"], mode)
            if key in old:
                features.append(old[key])
                continue
            assert tg is not None
            if lk["status"] == "planned":
                a, b = nodes[lk["from"]], nodes[lk["to"]]
                m = {
                    "great_circle_km": round(
                        haversine_km(
                            float(a["lat"]), float(a["lon"]), float(b["lat"]), float(b["lon"])
                        ),
                        1,
                    ),
                    "reason": f"planned line (opening {lk['open_year']}): no track to measure yet",
                }
            else:
                m = measure_link(
                    tg, mode, lk, nodes, countries, check_cited=key[:2] not in in_split
                )
            results[key[:2]] = (lk, m)
        if tg is not None and mode == "rail":
            stations(tg, todo, results, nodes=nodes, countries=countries, in_split=in_split)
        check_splits(results, mode)
        for lk, m in results.values():
            features.append(feature(lk, mode, m))
            stats.setdefault(mode, [0, 0])[0 if "coords" in m else 1] += 1
            report(mode, lk, m)
    features.sort(
        key=lambda f: (f["properties"]["mode"], f["properties"]["from"], f["properties"]["to"])
    )
    doc = {
        "type": "FeatureCollection",
        "properties": {
            "what": "rail and road links measured on OpenStreetMap track; see data/README.md",
            "tolerance_km": TOLERANCE_KM,
            "max_snap_km": MAX_SNAP_KM,
            "max_ratio": MAX_RATIO,
        },
        "features": features,
    }
    OUT.write_text(
        "{"
        + '"type":"FeatureCollection","properties":'
        + json.dumps(doc["properties"], ensure_ascii=False, separators=(",", ":"))
        + ',"features":[\n'
        + ",\n".join(json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features)
        + "\n]}\n",
        encoding="utf-8",
    )
    for mode, (ok, est) in stats.items():
        print(f"{mode}: {ok} measured on OSM, {est} estimates (of {ok + est} newly built)")
    size = OUT.stat().st_size
    print(f"wrote {OUT.name}: {len(features)} links, {size / 1024:.0f} KiB")
    anchor_checks(read_csv(DATA / "links.csv"), nodes, features)
    return 0


if __name__ == "__main__":
    sys.exit(main())
