"""Loading the bundled network (lazily, once) or a network from another folder."""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path

from corridor.io.geojson import read_line_geometries
from corridor.io.tables import read_network_data
from corridor.network.graph import Network
from corridor.network.validate import validate_network

__all__ = ["bundled_data_dir", "example_network", "load_network"]


def bundled_data_dir() -> Path:
    """The folder of the data files shipped with the package."""
    return Path(str(resources.files("corridor") / "data"))


@functools.cache
def _bundled() -> Network:
    return _load(bundled_data_dir())


def _load(directory: Path) -> Network:
    data = read_network_data(directory)
    net = Network.from_data(data, read_line_geometries(directory / "sea_geometry.geojson"))
    validate_network(net)
    return net


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
