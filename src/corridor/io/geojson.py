"""GeoJSON of the network and of routes (RFC 7946, WGS84 ``[lon, lat]``), openable in QGIS."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from corridor.errors import DataError
from corridor.model import Link, Node, Route, Source

__all__ = [
    "LinkMeasure",
    "apply_link_measures",
    "flat_properties",
    "flatten_features",
    "network_geojson",
    "option_geojson",
    "read_line_geometries",
    "read_link_measures",
    "route_geojson",
]

Coords = list[list[float]]
GeometryKey = tuple[str, str, str]
"""``(from, to, mode)`` of a link whose drawn line is not straight."""

ESTIMATE_SOURCE = "estimate-circuity"
BRIDGED = "osm_track_bridged"
"""Measured on OSM track pieces with the gaps between them bridged straight (``bridged_km``)."""
MEASURED = ("osm", BRIDGED)
"""The ``distance_method`` values of a length measured on OSM track."""


def read_line_geometries(path: Path) -> dict[GeometryKey, Coords]:
    """Read curved link geometries (e.g. sea legs) keyed by ``(from, to, mode)``.

    A missing file gives an empty mapping: links are then drawn as straight lines.
    """
    if not path.exists():
        return {}
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        out: dict[GeometryKey, Coords] = {}
        for feat in doc["features"]:
            props = feat["properties"]
            coords = [[float(x), float(y)] for x, y, *_ in feat["geometry"]["coordinates"]]
            out[(props["from"], props["to"], props["mode"])] = coords
    except (ValueError, KeyError, TypeError) as exc:
        raise DataError(
            f"not a FeatureCollection of from/to/mode LineStrings ({exc})", file=path.name
        ) from None
    return out


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class LinkMeasure:
    """A link measured on OpenStreetMap track at data-build time (``link_geometry.geojson``).

    ``method`` is ``osm`` (``distance_km`` and ``coords`` measured) or ``estimate`` (OSM could
    not measure it; ``reason`` says why and the ``links.csv`` length stands).
    """

    from_id: str
    to_id: str
    mode: str
    method: str
    distance_km: float | None
    coords: Coords | None
    source: str
    reason: str = ""
    snap_km: tuple[float, float] | None = None
    through: frozenset[str] = frozenset()
    bridged_km: float = 0.0


def read_link_measures(path: Path, sources: Mapping[str, Source]) -> dict[GeometryKey, LinkMeasure]:
    """Read the links measured on OSM track, keyed by ``(from, to, mode)`` as built.

    A missing file gives an empty mapping (every length is then the one of ``links.csv``).

    Raises
    ------
    DataError
        A malformed feature or an unknown source id, naming the file and the feature.
    """
    if not path.exists():
        return {}
    out: dict[GeometryKey, LinkMeasure] = {}
    try:
        features = json.loads(path.read_text(encoding="utf-8"))["features"]
    except (ValueError, KeyError, TypeError) as exc:
        raise DataError(f"not a GeoJSON FeatureCollection ({exc})", file=path.name) from None
    for row, feat in enumerate(features, start=1):
        try:
            props = feat["properties"]
            method = props["distance_method"]
            geom = feat.get("geometry")
            coords = [[float(x), float(y)] for x, y, *_ in geom["coordinates"]] if geom else None
            if method in MEASURED:
                if coords is None or len(coords) < 2:
                    raise ValueError(f"an {method} measure needs a LineString")
                km: float | None = float(props["distance_km"])
                if km is None or km <= 0:
                    raise ValueError("distance_km must be > 0")
                snap = (float(props["snap_from_km"]), float(props["snap_to_km"]))
            elif method == "estimate":
                km, snap = None, None
                if not str(props.get("reason", "")).strip():
                    raise ValueError("an estimate needs a reason")
            else:
                raise ValueError(
                    f"distance_method '{method}' is not {', '.join(MEASURED)} or estimate"
                )
            source = str(props.get("source", ""))
            if source and source not in sources:
                raise ValueError(f"unknown source '{source}' (not in sources.csv)")
            key = (str(props["from"]), str(props["to"]), str(props["mode"]))
        except (ValueError, KeyError, TypeError) as exc:
            raise DataError(str(exc).strip("'"), file=path.name, row=row) from None
        out[key] = LinkMeasure(
            from_id=key[0],
            to_id=key[1],
            mode=key[2],
            method=method,
            distance_km=km,
            coords=coords,
            source=source,
            reason=str(props.get("reason", "")),
            snap_km=snap,
            through=frozenset(c for c in str(props.get("through") or "").split(";") if c),
            bridged_km=float(props.get("bridged_km") or 0.0) if method in MEASURED else 0.0,
        )
    return out


def apply_link_measures(
    links: Iterable[Link], measures: Mapping[GeometryKey, LinkMeasure]
) -> tuple[tuple[Link, ...], dict[GeometryKey, Coords]]:
    """The links with their OSM lengths, and the measured polyline of each link key.

    A ``links.csv`` estimate gives way to the length measured on OSM track (``distance_method``
    becomes ``osm``, or ``osm_track_bridged`` with its ``bridged_km`` where gaps in the mapped
    line are bridged straight, and the OSM source replaces ``estimate-circuity``); a length
    taken from a cited source stays as it is, drawn along the measured polyline. A link OSM
    could not measure keeps its estimate and carries the reason in ``distance_note``.
    """
    out: list[Link] = []
    geoms: dict[GeometryKey, Coords] = {}
    for link in links:
        key = link.key
        m = measures.get(key)
        reverse = False
        if m is None:
            m = measures.get((link.to_id, link.from_id, link.mode.value))
            reverse = m is not None
        if m is None:
            out.append(link)
            continue
        if m.coords is not None:
            geoms[key] = list(reversed(m.coords)) if reverse else m.coords
        if m.method in MEASURED and link.distance_method == "estimate" and m.distance_km:
            others = tuple(s for s in link.sources if s != ESTIMATE_SOURCE)
            out.append(
                dataclasses.replace(
                    link,
                    distance_km=m.distance_km,
                    distance_method=m.method,
                    sources=(m.source, *others),
                    through=m.through,
                    bridged_km=m.bridged_km if m.method == BRIDGED else 0.0,
                )
            )
        elif m.method in MEASURED and (m.through or m.method == BRIDGED):
            out.append(
                dataclasses.replace(
                    link,
                    through=m.through,
                    bridged_km=m.bridged_km if m.method == BRIDGED else 0.0,
                )
            )
        elif m.method == "estimate" and link.distance_method == "estimate":
            out.append(dataclasses.replace(link, distance_note=m.reason))
        else:
            out.append(link)
    return tuple(out), geoms


def _link_coords(
    link: Link, nodes: Mapping[str, Node], geometries: Mapping[GeometryKey, Coords]
) -> Coords:
    a, b = nodes[link.from_id], nodes[link.to_id]
    mode = link.mode.value
    if (link.from_id, link.to_id, mode) in geometries:
        return geometries[(link.from_id, link.to_id, mode)]
    if (link.to_id, link.from_id, mode) in geometries:
        return list(reversed(geometries[(link.to_id, link.from_id, mode)]))
    return [[a.lon, a.lat], [b.lon, b.lat]]


def _node_feature(node: Node) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [node.lon, node.lat]},
        "properties": {
            "id": node.id,
            "name": node.name,
            "country": node.country,
            "kind": node.kind.value,
            "locode": node.locode,
            "gauges": ";".join(str(g) for g in sorted(node.gauges)),
            "operations": ";".join(sorted(k.value for k in node.operations)),
        },
    }


def network_geojson(
    nodes: Mapping[str, Node],
    links: Iterable[Link],
    geometries: Mapping[GeometryKey, Coords] | None = None,
) -> dict[str, Any]:
    """A FeatureCollection of every node (Point) and link (LineString, one per direction pair).

    Parameters
    ----------
    nodes, links
        The network's records.
    geometries
        Optional curved geometries keyed by ``(from, to, mode)``; others are straight lines.
    """
    geoms = geometries or {}
    features = [_node_feature(n) for n in nodes.values()]
    drawn: set[tuple[str, str, str]] = set()
    for link in links:
        pair = (*sorted((link.from_id, link.to_id)), link.mode.value)
        if pair in drawn:
            continue
        drawn.add((pair[0], pair[1], pair[2]))
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": _link_coords(link, nodes, geoms)},
                "properties": {
                    "from": link.from_id,
                    "to": link.to_id,
                    "mode": link.mode.value,
                    "gauge": link.gauge,
                    "distance_km": link.distance_km,
                    "distance_method": link.distance_method,
                    "distance_note": link.distance_note or None,
                    "through": ";".join(sorted(link.through)) or None,
                    "bridged_km": link.bridged_km or None,
                    "status": link.status.value,
                    "open_year": link.open_year,
                    "profile": link.profile.id,
                    "service": link.service.id if link.service else None,
                    "sources": ";".join(link.sources),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def route_geojson(
    routes: Sequence[Route],
    nodes: Mapping[str, Node],
    links: Mapping[tuple[str, str, str], Link],
    geometries: Mapping[GeometryKey, Coords] | None = None,
) -> dict[str, Any]:
    """A FeatureCollection with one LineString per link leg of each route, and its stops.

    Each feature carries ``route`` (index in ``routes``) and ``corridor``.
    """
    geoms = geometries or {}
    features: list[dict[str, Any]] = []
    for index, route in enumerate(routes):
        for leg in route.link_legs:
            link = links[(leg.from_id, leg.to_id, leg.mode.value)]
            features.append(
                {
                    "type": "Feature",
                    "geometry": {
                        "type": "LineString",
                        "coordinates": _link_coords(link, nodes, geoms),
                    },
                    "properties": {
                        "route": index,
                        "corridor": route.corridor.value,
                        **leg.to_dict(),
                    },
                }
            )
        for node_id in route.nodes:
            feat = _node_feature(nodes[node_id])
            feat["properties"].update(route=index, corridor=route.corridor.value)
            features.append(feat)
    return {"type": "FeatureCollection", "features": features}


def _route_coords(
    route: Route,
    nodes: Mapping[str, Node],
    links: Mapping[tuple[str, str, str], Link],
    geometries: Mapping[GeometryKey, Coords],
) -> Coords:
    """The drawn line of a whole route: its links' lines joined end to end."""
    out: Coords = []
    for leg in route.link_legs:
        coords = _link_coords(links[(leg.from_id, leg.to_id, leg.mode.value)], nodes, geometries)
        out.extend(coords[1:] if out and out[-1] == coords[0] else coords)
    if len(out) == 1:
        out.append(list(out[0]))
    return out


def option_geojson(
    routes: Sequence[Route],
    summaries: Sequence[Mapping[str, Any]],
    nodes: Mapping[str, Node],
    links: Mapping[tuple[str, str, str], Link],
    geometries: Mapping[GeometryKey, Coords] | None = None,
) -> dict[str, Any]:
    """A FeatureCollection with one LineString per route (an option of a comparison).

    Parameters
    ----------
    routes
        The routes, in order.
    summaries
        Flat properties of each route (its days, price, CO2 …), in the same order; ``option``
        (the index), ``corridor``, ``origin``, ``destination`` and ``via`` are added.
    nodes, links, geometries
        The network the routes were found on.
    """
    if len(routes) != len(summaries):
        raise ValueError("one summary per route")
    geoms = geometries or {}
    features = []
    for index, (route, summary) in enumerate(zip(routes, summaries, strict=True)):
        props = {
            "option": index,
            "corridor": route.corridor.value,
            "origin": nodes[route.nodes[0]].name,
            "destination": nodes[route.nodes[-1]].name,
            "via": " > ".join(nodes[n].name for n in route.nodes),
            **flat_properties(summary),
        }
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "LineString",
                    "coordinates": _route_coords(route, nodes, links, geoms),
                },
                "properties": props,
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _scalar_text(value: Any) -> Any:
    if isinstance(value, Mapping):
        if "item" in value:  # a cost item: its name and expected USD
            usd = value.get("usd")
            amount = usd.get("expected") if isinstance(usd, Mapping) else usd
            return f"{value['item']} {amount}" if amount is not None else str(value["item"])
        return ", ".join(f"{k} {v}" for k, v in value.items())
    return value


def flat_properties(props: Mapping[str, Any]) -> dict[str, Any]:
    """Properties with one plain value per column, as GIS tables want them.

    A nested mapping becomes one column per key (``cost_usd_range`` → ``cost_usd_range_low``,
    ``cost_usd_range_expected``, ``cost_usd_range_high``; ``co2e_kg`` → ``co2e_kg_wtw``,
    ``co2e_kg_ttw``), a list becomes ``;``-separated text (a cost breakdown: ``item usd`` per
    item), and ``None`` stays a null.

    Examples
    --------
    >>> flat_properties({"co2e_kg": {"wtw": 1.5, "ttw": 1.0}, "sources": ["a", "b"], "km": 3})
    {'co2e_kg_wtw': 1.5, 'co2e_kg_ttw': 1.0, 'sources': 'a;b', 'km': 3}
    """
    out: dict[str, Any] = {}
    for key, value in props.items():
        if isinstance(value, Mapping):
            for sub, inner in flat_properties(value).items():
                out[f"{key}_{sub}"] = inner
        elif isinstance(value, list | tuple):
            out[key] = ";".join(str(_scalar_text(v)) for v in value)
        else:
            out[key] = value
    return out


def flatten_features(doc: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of a FeatureCollection whose every feature has :func:`flat_properties`."""
    return {
        **doc,
        "features": [
            {**f, "properties": flat_properties(f.get("properties") or {})} for f in doc["features"]
        ],
    }
