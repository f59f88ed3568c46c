"""``GET /api/v1/nodes``: the places (as ``corridor nodes --json``, or GeoJSON)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from corridor.api.deps import NetworkDep
from corridor.api.schemas import FeatureCollectionOut, NodeListOut, ProblemOut
from corridor.io import network_geojson

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["network"])


@router.get(
    "/nodes",
    response_model=NodeListOut | FeatureCollectionOut,
    responses={
        422: {"model": ProblemOut},
    },
)
def list_nodes(
    net: NetworkDep,
    search: Annotated[
        str | None,
        Query(
            max_length=100,
            description="Only places whose id, name, alias or UN/LOCODE contains this.",
        ),
    ] = None,
    fmt: Annotated[
        Literal["json", "geojson"],
        Query(alias="format", description="`geojson`: a FeatureCollection of points."),
    ] = "json",
) -> JSONResponse:
    """The places of the network, searchable by id, name, alias or UN/LOCODE."""
    found = net.index.search(search, net.nodes) if search else list(net.nodes.values())
    if fmt == "geojson":
        return JSONResponse(network_geojson({n.id: n for n in found}, ()))
    doc: dict[str, object] = {"nodes": [n.to_dict() for n in found]}
    if search and not found:
        near = net.index.suggest(search)
        if near:
            doc["suggestions"] = near  # a misspelling: what the user probably meant
    return JSONResponse(doc)
