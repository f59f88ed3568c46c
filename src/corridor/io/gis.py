"""GIS files other than GeoJSON: GeoPackage and FlatGeobuf, written through pyogrio (GDAL).

pyogrio is an optional dependency (``pip install 'corridor[gis]'``); it is imported only when
such a file is written. Features come in as GeoJSON-like mappings (what
:func:`corridor.io.network_geojson` and :func:`corridor.io.route_geojson` produce), grouped into
named layers: a GeoPackage holds every layer in one file; FlatGeobuf holds one layer per file, so
each layer is written next to the requested path (``net.fgb`` becomes ``net-nodes.fgb`` and
``net-links.fgb``).
"""

from __future__ import annotations

import json
import math
import struct
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from corridor.errors import CorridorError
from corridor.io.geojson import flat_properties, flatten_features

__all__ = ["GIS_FORMATS", "to_geodataframe", "write_layers"]

GIS_FORMATS = {".gpkg": "GPKG", ".fgb": "FlatGeobuf"}
"""File suffixes written by :func:`write_layers`, and their GDAL drivers."""

_WKB_POINT, _WKB_LINESTRING = 1, 2


def _wkb(geometry: Mapping[str, Any]) -> bytes:
    """Well-known binary (little-endian) of a GeoJSON Point or LineString."""
    kind, coords = geometry["type"], geometry["coordinates"]
    if kind == "Point":
        return struct.pack("<BIdd", 1, _WKB_POINT, float(coords[0]), float(coords[1]))
    if kind == "LineString":
        head = struct.pack("<BII", 1, _WKB_LINESTRING, len(coords))
        return head + b"".join(struct.pack("<dd", float(c[0]), float(c[1])) for c in coords)
    raise CorridorError(f"cannot write a {kind} geometry to a GIS file")


def _column(values: list[Any]) -> tuple[Any, Any]:
    """A typed numpy column and its null mask, from one property of every feature."""
    import numpy as np  # noqa: PLC0415

    present = [v for v in values if v is not None]
    mask = np.array([v is None for v in values], dtype=bool)
    if present and all(isinstance(v, bool) for v in present):
        return np.array([int(bool(v)) for v in values], dtype=np.int32), mask
    if present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return np.array([0 if v is None else v for v in values], dtype=np.int64), mask
    if present and all(isinstance(v, int | float) and not isinstance(v, bool) for v in present):
        col = np.array([math.nan if v is None else float(v) for v in values], dtype=np.float64)
        return col, mask
    text = [
        None
        if v is None
        else (v if isinstance(v, str) else json.dumps(v, ensure_ascii=False, sort_keys=True))
        for v in values
    ]
    return np.array(text, dtype=object), mask


def _write_layer(
    path: Path, layer: str, features: Sequence[Mapping[str, Any]], driver: str, *, append: bool
) -> None:
    import numpy as np  # noqa: PLC0415
    from pyogrio.raw import write  # noqa: PLC0415

    features = [{**f, "properties": flat_properties(f["properties"])} for f in features]
    kinds = {f["geometry"]["type"] for f in features}
    if len(kinds) != 1:
        raise CorridorError(f"layer '{layer}' mixes geometry types {sorted(kinds)}")
    names: list[str] = []
    for f in features:
        for key in f["properties"]:
            if key not in names:
                names.append(key)
    data, masks = [], []
    for name in names:
        col, mask = _column([f["properties"].get(name) for f in features])
        data.append(col)
        masks.append(mask)
    geometry = np.array([_wkb(f["geometry"]) for f in features], dtype=object)
    write(
        str(path),
        geometry,
        data,
        np.array(names, dtype=object),
        field_mask=masks,
        layer=layer,
        driver=driver,
        geometry_type=kinds.pop(),
        crs="EPSG:4326",
        encoding="UTF-8",
        append=append,
    )


def write_layers(path: Path, layers: Mapping[str, Sequence[Mapping[str, Any]]]) -> list[Path]:
    """Write each named layer of GeoJSON-like features to a GeoPackage or FlatGeobuf file.

    Parameters
    ----------
    path
        ``.gpkg`` (all layers in this file) or ``.fgb`` (one file per layer, named
        ``<stem>-<layer>.fgb`` beside ``path``). An existing file is replaced.
    layers
        Layer name to features (each with a Point or LineString ``geometry``; nested
        ``properties`` are flattened into one column each); empty layers are skipped.
        Coordinates are WGS84 longitude, latitude.

    Returns
    -------
    list of Path
        The files written.

    Raises
    ------
    CorridorError
        For another suffix, when pyogrio is not installed, or when GDAL cannot write the file
        (the message names the file).
    """
    driver = GIS_FORMATS.get(path.suffix.lower())
    if driver is None:
        raise CorridorError(
            f"{path.name}: unknown GIS format; use one of "
            + ", ".join(sorted(GIS_FORMATS))
            + " or .geojson"
        )
    try:
        import pyogrio  # noqa: PLC0415, F401
    except ImportError:
        raise CorridorError(
            f"writing {path.suffix} files needs pyogrio: pip install 'corridor[gis]' "
            "(or write .geojson)"
        ) from None
    written: list[Path] = []
    try:
        if driver == "GPKG":
            path.unlink(missing_ok=True)
            first = True
            for name, features in layers.items():
                if features:
                    _write_layer(path, name, features, driver, append=not first)
                    first = False
            written.append(path)
        else:
            for name, features in layers.items():
                if features:
                    target = path.with_name(f"{path.stem}-{name}{path.suffix}")
                    target.unlink(missing_ok=True)
                    _write_layer(target, name, features, driver, append=False)
                    written.append(target)
    except OSError as exc:
        raise CorridorError(f"cannot write {path}: {exc.strerror or exc}") from None
    except Exception as exc:  # pyogrio raises its own DataSourceError / DataLayerError
        if type(exc).__module__.startswith("pyogrio"):
            raise CorridorError(f"cannot write {path}: {exc}") from None
        raise
    return written


def to_geodataframe(doc: Mapping[str, Any]) -> Any:
    """A ``geopandas.GeoDataFrame`` (EPSG:4326) of a GeoJSON FeatureCollection.

    Nested properties become flat columns (:func:`corridor.io.geojson.flat_properties`).

    Raises
    ------
    ImportError
        When geopandas is not installed (``pip install 'corridor[gis]'``).
    """
    try:
        import geopandas  # noqa: PLC0415  (optional)
    except ImportError:
        raise ImportError(
            "to_geodataframe() needs geopandas: pip install 'corridor[gis]'"
        ) from None
    return geopandas.GeoDataFrame.from_features(flatten_features(doc)["features"], crs="EPSG:4326")
