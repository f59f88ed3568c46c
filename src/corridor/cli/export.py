"""``corridor export``: the network or routes as GeoJSON, GeoPackage or FlatGeobuf."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import typer

from corridor.facade import route as route_api
from corridor.io import network_geojson
from corridor.network import Network

__all__ = ["export_file"]


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
) -> None:
    """Write the file and report what was written on stderr."""
    doc: dict[str, Any]
    if origin is not None and destination is not None:
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
    else:
        doc = network_geojson(
            net.nodes,
            [lk for lk in net.links if year is None or lk.is_open(year)],
            net.geometries,
        )
    try:
        out.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    except OSError as exc:
        typer.echo(f"error: cannot write {out}: {exc.strerror}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"wrote {len(doc['features'])} features to {out}", err=True)
