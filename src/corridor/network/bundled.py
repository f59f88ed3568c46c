"""Loading the bundled network (lazily, once) or a network from another folder.

A folder may hold a compact form of its network (``network.pickle``, written by
:func:`write_compact`; ``make install`` and ``make data`` write the bundled one). It starts with
a fingerprint of the folder's data files and of the code that reads them (name, size and time of
last change of each, the test Python applies to its byte-code caches); when the fingerprint
still matches, the network is unpickled (a few milliseconds, without importing the CSV and
YAML readers), otherwise it is read from the files as if the compact form were not there (and
the bundled network's compact form is then written again, where the installation is writable).
"""

from __future__ import annotations

import contextlib
import copy
import copyreg
import dataclasses
import functools
import io
import os
import pickle
import sys
from collections.abc import Iterator, Mapping
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

from corridor.network.graph import Coords, Network

__all__ = [
    "COMPACT_NAME",
    "PackedGeometries",
    "bundled_data_dir",
    "example_network",
    "load_network",
    "write_compact",
]

COMPACT_NAME = "network.pickle"
"""File name of a folder's compact network."""

_DATA_SUFFIXES = (".csv", ".yaml", ".yml", ".geojson")
# The code whose output the compact form stands for: the readers, the graph and its records.
_CODE = (
    "io/tables.py",
    "io/geojson.py",
    "io/geography.py",
    "io/land_services.py",
    "io/yamlsafe.py",
    "network/bundled.py",
    "network/graph.py",
    "network/lookup.py",
    "network/validate.py",
    "model",
)


def bundled_data_dir() -> Path:
    """The folder of the data files shipped with the package."""
    return Path(str(resources.files("corridor") / "data"))


@functools.cache
def _bundled() -> Network:
    from corridor.io.geography import share_bundled_geography  # noqa: PLC0415

    folder = bundled_data_dir()
    net = _read_compact(folder)
    if net is None:  # missing or stale (the data or the code changed): read, then refresh it
        net = _read(folder)
        with contextlib.suppress(OSError):  # a read-only installation keeps reading the files
            _write_compact(net, folder)
    if net.geography is not None:  # read from the bundled corridors.yaml: the same records
        share_bundled_geography(net.geography)
    return net


def _read(directory: Path) -> Network:
    """The network read from the folder's data files and validated."""
    from corridor.io.geography import GEOGRAPHY_FILE, read_geography  # noqa: PLC0415
    from corridor.io.geojson import (  # noqa: PLC0415  (not on the fast path)
        apply_link_measures,
        read_line_geometries,
        read_link_measures,
    )
    from corridor.io.tables import read_network_data  # noqa: PLC0415
    from corridor.network.validate import validate_network  # noqa: PLC0415

    data = read_network_data(directory)
    geometries = read_line_geometries(directory / "sea_geometry.geojson")
    measures = read_link_measures(directory / "link_geometry.geojson", data.sources)
    if measures:
        links, measured = apply_link_measures(data.links, measures)
        data = dataclasses.replace(data, links=links)
        geometries |= measured
    geo_file = directory / GEOGRAPHY_FILE
    net = Network.from_data(
        data, geometries, read_geography(geo_file) if geo_file.exists() else None
    )
    validate_network(net)
    return net


def _fingerprint(directory: Path) -> bytes:
    """One line naming the Python and, for each of the folder's data files and of the modules
    that read them, its name, size and time of last change (nanoseconds).

    Stating the files costs a tenth of reading and hashing them, at every start.
    """
    package = Path(__file__).resolve().parent.parent
    code: list[Path] = []
    for name in _CODE:
        path = package / name
        code.extend(sorted(path.glob("*.py")) if path.is_dir() else [path])
    files = [p for p in sorted(directory.iterdir()) if p.suffix in _DATA_SUFFIXES and p.is_file()]
    parts = [f"corridor-compact-2 {sys.version_info[0]}.{sys.version_info[1]}"]
    for path in (*code, *files):
        st = path.stat()
        parts.append(f"{path.parent.name}/{path.name} {st.st_size} {st.st_mtime_ns}")
    return "|".join(parts).encode()


class PackedGeometries(Mapping[tuple[str, str, str], Coords]):
    """A network's line geometries kept pickled until first read.

    Only maps and GIS files draw them, yet they are a third of the compact form's unpickling
    time; a comparison or a route never reads them.

    Examples
    --------
    >>> g = PackedGeometries.of({("a", "b", "rail"): [[1.0, 2.0], [3.0, 4.0]]})
    >>> len(g), g["a", "b", "rail"]
    (1, [[1.0, 2.0], [3.0, 4.0]])
    """

    __slots__ = ("_blob", "_items")

    def __init__(self, blob: bytes) -> None:
        self._blob = blob
        self._items: dict[tuple[str, str, str], Coords] | None = None

    @classmethod
    def of(cls, geometries: Mapping[tuple[str, str, str], Coords]) -> PackedGeometries:
        """``geometries`` packed."""
        return cls(pickle.dumps(dict(geometries), protocol=pickle.HIGHEST_PROTOCOL))

    def _unpacked(self) -> dict[tuple[str, str, str], Coords]:
        if self._items is None:
            self._items = pickle.loads(self._blob)
        return self._items

    def __getitem__(self, key: tuple[str, str, str]) -> Coords:
        return self._unpacked()[key]

    def __iter__(self) -> Iterator[tuple[str, str, str]]:
        return iter(self._unpacked())

    def __len__(self) -> int:
        return len(self._unpacked())

    def __reduce__(self) -> tuple[Any, ...]:
        return PackedGeometries, (self._blob,)


def _mapping_proxy(items: dict[Any, Any]) -> Mapping[Any, Any]:
    return MappingProxyType(items)


def _reduce_proxy(proxy: MappingProxyType[Any, Any]) -> tuple[Any, ...]:
    return _mapping_proxy, (dict(proxy),)


def write_compact(directory: str | Path | None = None) -> Path:
    """Read the folder's network from its files and write its compact form in the folder.

    Parameters
    ----------
    directory
        The network folder (``None``: the bundled one).

    Raises
    ------
    DataError
        A malformed file or an inconsistent graph.
    OSError
        The folder cannot be written.
    """
    folder = Path(directory) if directory is not None else bundled_data_dir()
    return _write_compact(_read(folder), folder)


def _write_compact(net: Network, folder: Path) -> Path:
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = {**copyreg.dispatch_table, MappingProxyType: _reduce_proxy}
    packed = copy.copy(net)
    object.__setattr__(packed, "geometries", PackedGeometries.of(net.geometries))
    pickler.dump(packed)
    target = folder / COMPACT_NAME
    tmp = target.with_name(f".{COMPACT_NAME}.{os.getpid()}.tmp")
    tmp.write_bytes(_fingerprint(folder) + b"\n" + buffer.getvalue())
    tmp.replace(target)  # atomic: readers see the old file or the new one
    return target


def _read_compact(directory: Path) -> Network | None:
    """The folder's compact network if it is there and matches the files, else ``None``."""
    path = directory / COMPACT_NAME
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    head, _, body = blob.partition(b"\n")
    if head != _fingerprint(directory):
        return None
    try:
        net = pickle.loads(body)
    except Exception:
        return None
    return net if isinstance(net, Network) else None


def _load(directory: Path) -> Network:
    return _read_compact(directory) or _read(directory)


def load_network(directory: str | Path | None = None) -> Network:
    """Load and validate a network.

    Parameters
    ----------
    directory
        A folder with the network files (see ``data/SCHEMA.md``); ``None`` gives the bundled
        network, read once and then shared (it is immutable).

    Raises
    ------
    DataError
        A malformed file or an inconsistent graph, naming file, row and field.

    Examples
    --------
    >>> net = load_network()
    >>> net.node("Baku").id
    'alat'
    """
    if directory is None:
        return _bundled()
    return _load(Path(directory))


def example_network(name: str = "tiny") -> Network:
    """A small example network shipped with the package (``tiny``: 7 nodes, hand-checked).

    Examples
    --------
    >>> sorted(example_network().nodes)
    ['aa', 'bb', 'cc', 'pp', 'qq', 'rr', 'zz']
    """
    return load_network(bundled_data_dir() / "examples" / name)
