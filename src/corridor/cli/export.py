"""``corridor export``: the network or routes as GeoJSON, GeoPackage or FlatGeobuf."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import typer

from corridor.facade import compare as compare_api
from corridor.facade import route as route_api
from corridor.io import GIS_FORMATS, flatten_features, network_geojson, write_layers
from corridor.network import Network

__all__ = ["GEOJSON_SUFFIXES", "export_file"]

GEOJSON_SUFFIXES = (".geojson", ".json")


def export_file(
    net: Network,
    out: Path,
    *,
    origin: str | None,
    destination: str | None,
    via: Sequence[str],
    avoid: Sequence[str],
    alternatives: int,
    year: int | None,
    per_option: bool = False,
) -> None:
    """Write the file(s) and report what was written on stderr.

    GeoJSON is one FeatureCollection; a GeoPackage has a point layer (``nodes``) and a line
    layer (``links`` for the network, ``routes`` for routes, one feature per leg, or
    ``options`` with ``per_option``: one line per corridor option of a comparison, its figures
    as columns). Attributes are flat: one plain value per column.
    """
    suffix = out.suffix.lower()
    if suffix not in GEOJSON_SUFFIXES and suffix not in GIS_FORMATS:
        raise typer.BadParameter(
            f"'{out.name}': the file name must end in .geojson, .gpkg (GeoPackage) or .fgb "
            "(FlatGeobuf)",
            param_hint="--out",
        )
    doc: dict[str, Any]
    lines = "links"
    if per_option and (origin is None or destination is None):
        raise typer.BadParameter("--per-option needs --from and --to", param_hint="--per-option")
    if per_option and origin is not None and destination is not None:
        comparison = compare_api(
            origin, destination, via=via, avoid=avoid, year=year, network=net, samples=2_000
        )
        doc = comparison.to_geojson(per_option=True)
        lines = "options"
    elif origin is not None and destination is not None:
        plan = route_api(
            origin,
            destination,
            via=via,
            avoid=avoid,
            alternatives=alternatives,
            year=year,
            network=net,
        )
        doc = plan.to_geojson()
        lines = "routes"
    else:
        doc = network_geojson(
            net.nodes,
            [lk for lk in net.links if year is None or lk.is_open(year)],
            net.geometries,
        )
    doc = flatten_features(doc)
    features = doc["features"]
    if suffix in GIS_FORMATS:
        points = [f for f in features if f["geometry"]["type"] == "Point"]
        paths = [f for f in features if f["geometry"]["type"] != "Point"]
        written = write_layers(out, {"nodes": points, lines: paths})
        where = ", ".join(str(p) for p in written)
        what = {"links": "links", "routes": "route legs", "options": "options"}[lines]
        layer_names = " and ".join(f"'{n}'" for n, f in (("nodes", points), (lines, paths)) if f)
        typer.echo(
            f"wrote {len(points)} nodes and {len(paths)} {what} to {where} (layers {layer_names})",
            err=True,
        )
        return
    try:
        out.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    except OSError as exc:
        typer.echo(f"error: cannot write {out}: {exc.strerror}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"wrote {len(features)} features to {out}", err=True)
