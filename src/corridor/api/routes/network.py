"""``GET /api/v1/network.geojson``: the whole network for a map or QGIS; ``/palette``: colours."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Query, Response

from corridor.api.deps import NetworkDep
from corridor.api.schemas import PaletteOut, ProblemOut
from corridor.io import network_geojson
from corridor.present import palette as corridor_palette

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["network"])

_FEATURE_COLLECTION = {
    "type": "object",
    "required": ["type", "features"],
    "properties": {"type": {"const": "FeatureCollection"}, "features": {"type": "array"}},
}


@router.get(
    "/network.geojson",
    response_class=Response,
    responses={
        200: {
            "content": {"application/geo+json": {"schema": _FEATURE_COLLECTION}},
            "description": "Nodes (points) and links (lines, one per direction pair).",
        },
        422: {"model": ProblemOut},
    },
)
def network_map(
    net: NetworkDep,
    year: Annotated[
        int | None,
        Query(ge=1990, le=2100, description="Only links open in that year (planned ones open)."),
    ] = None,
) -> Response:
    """The network as GeoJSON: nodes, and links with mode, status (planned or operational)."""
    links = [lk for lk in net.links if year is None or lk.is_open(year)]
    doc = network_geojson(net.nodes, links, net.geometries)
    body = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()
    return Response(body, media_type="application/geo+json")


@router.get("/palette", response_model=PaletteOut)
def palette() -> dict[str, dict[str, str]]:
    """Colours of the corridors and of simulation resources, as the CLI and PNG charts use them."""
    return corridor_palette()
