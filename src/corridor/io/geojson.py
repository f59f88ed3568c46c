"""GeoJSON of the network and of routes (RFC 7946, WGS84 ``[lon, lat]``), openable in QGIS."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from corridor.errors import DataError
from corridor.model import Link, Node, Route

__all__ = ["network_geojson", "read_line_geometries", "route_geojson"]

Coords = list[list[float]]


def read_line_geometries(path: Path) -> dict[tuple[str, str], Coords]:
    """Read curved link geometries (e.g. sea legs) keyed by ``(from, to)``.

    A missing file gives an empty mapping: links are then drawn as straight lines.
    """
    if not path.exists():
        return {}
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        out: dict[tuple[str, str], Coords] = {}
        for feat in doc["features"]:
            props = feat["properties"]
            coords = [[float(x), float(y)] for x, y, *_ in feat["geometry"]["coordinates"]]
            out[(props["from"], props["to"])] = coords
    except (ValueError, KeyError, TypeError) as exc:
        raise DataError(
            f"not a FeatureCollection of from/to LineStrings ({exc})", file=path.name
        ) from None
    return out


def _link_coords(
    link: Link, nodes: Mapping[str, Node], geometries: Mapping[tuple[str, str], Coords]
) -> Coords:
    a, b = nodes[link.from_id], nodes[link.to_id]
    if (link.from_id, link.to_id) in geometries:
        return geometries[(link.from_id, link.to_id)]
    if (link.to_id, link.from_id) in geometries:
        return list(reversed(geometries[(link.to_id, link.from_id)]))
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
    geometries: Mapping[tuple[str, str], Coords] | None = None,
) -> dict[str, Any]:
    """A FeatureCollection of every node (Point) and link (LineString, one per direction pair).

    Parameters
    ----------
    nodes, links
        The network's records.
    geometries
        Optional curved geometries keyed by ``(from, to)``; others are straight lines.
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
    geometries: Mapping[tuple[str, str], Coords] | None = None,
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
