"""The network: nodes, directed links, lookup and a networkx view."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import TYPE_CHECKING

from corridor.model import (
    Geography,
    Link,
    Node,
    Profile,
    Service,
    ServiceClass,
    Source,
    TariffBook,
    ValueSet,
)
from corridor.network.lookup import NodeIndex

if TYPE_CHECKING:
    import networkx as nx

    from corridor.io.tables import NetworkData

__all__ = ["BaseValues", "Network"]

Coords = list[list[float]]


_INDEXES: dict[tuple[object, ...], NodeIndex] = {}
_INDEXES_MAX = 8
_INDEXES_LOCK = threading.Lock()


def _node_index(nodes: Mapping[str, Node]) -> NodeIndex:
    """The name index of ``nodes``, shared by networks whose places have the same names.

    Scenarios and value selections copy a network with the same places; building the index
    (every name, alias and native spelling) again for each copy would dominate their cost.
    """
    key = tuple((n.id, n.name, n.aliases, n.native_names, n.locode) for n in nodes.values())
    with _INDEXES_LOCK:
        index = _INDEXES.get(key)
    if index is None:
        index = NodeIndex(nodes.values())
        with _INDEXES_LOCK:
            if len(_INDEXES) >= _INDEXES_MAX:
                _INDEXES.pop(next(iter(_INDEXES)))
            _INDEXES[key] = index
    return index


@dataclass(frozen=True, slots=True, kw_only=True)
class BaseValues:
    """The base records of a network whose values were selected (to select again from them)."""

    nodes: Mapping[str, Node]
    links: tuple[Link, ...]
    services: Mapping[str, Service]
    profiles: Mapping[str, Profile]


@dataclass(frozen=True, slots=True, kw_only=True, weakref_slot=True)
class Network:
    """An immutable multimodal network.

    Build one with :func:`corridor.load_network` (the bundled data) or :meth:`from_data`.
    """

    def __repr__(self) -> str:
        values = ""
        if self.selected is not None:
            cls, year = self.selected
            values = f", {cls.value} values" + (f" of {year}" if year is not None else "")
        return (
            f"<Network {len(self.nodes)} nodes, {len(self.links)} links, "
            f"{len(self.sources)} sources{values}>"
        )

    nodes: Mapping[str, Node]
    links: tuple[Link, ...]
    sources: Mapping[str, Source] = field(default_factory=lambda: MappingProxyType({}))
    services: Mapping[str, Service] = field(default_factory=lambda: MappingProxyType({}))
    profiles: Mapping[str, Profile] = field(default_factory=lambda: MappingProxyType({}))
    geometries: Mapping[tuple[str, str, str], Coords] = field(
        default_factory=lambda: MappingProxyType({})
    )
    values: ValueSet = field(default_factory=ValueSet)
    """Values in force by service class, direction and year (see :func:`select_values`)."""
    selected: tuple[ServiceClass, int | None] | None = None
    """``(service class, year)`` whose values this network carries; ``None``: the base values."""
    base: BaseValues | None = field(default=None, repr=False, compare=False)
    """The base records this one was selected from (``None`` when not selected)."""
    tariffs: TariffBook | None = None
    """Rates and emission factors (``None``: costs and CO2 from profiles and operations only)."""
    geography: Geography | None = None
    """Corridor definitions, enclosed waters, passages and lanes (``corridors.yaml``; ``None``:
    the bundled file's, see :attr:`geo`)."""
    land_services: Mapping[str, Service] = field(default_factory=lambda: MappingProxyType({}))
    """Block-train and trucking services (:mod:`corridor.routing.services`); empty: a route
    runs as one conveyance from door to door."""
    index: NodeIndex = field(init=False, repr=False, compare=False)
    outgoing: Mapping[str, tuple[Link, ...]] = field(init=False, repr=False, compare=False)
    by_key: Mapping[tuple[str, str, str], Link] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        out: dict[str, list[Link]] = {n: [] for n in self.nodes}
        for link in self.links:
            out[link.from_id].append(link)
        object.__setattr__(self, "index", _node_index(self.nodes))
        object.__setattr__(
            self, "outgoing", MappingProxyType({k: tuple(v) for k, v in out.items()})
        )
        object.__setattr__(self, "by_key", MappingProxyType({lk.key: lk for lk in self.links}))

    @classmethod
    def from_data(
        cls,
        data: NetworkData,
        geometries: Mapping[tuple[str, str, str], Coords] | None = None,
        geography: Geography | None = None,
    ) -> Network:
        """Build a network from records read by :func:`corridor.io.read_network_data`."""
        return cls(
            geography=geography,
            nodes=data.nodes,
            links=data.links,
            sources=data.sources,
            services=data.services,
            profiles=data.profiles,
            tariffs=data.tariffs,
            geometries=MappingProxyType(dict(geometries or {})),
            values=data.values,
            land_services=data.land_services,
        )

    @property
    def geo(self) -> Geography:
        """The network's geography, or the bundled one when its folder has none."""
        if self.geography is not None:
            return self.geography
        from corridor.io.geography import bundled_geography  # noqa: PLC0415  (start-up)

        return bundled_geography()

    def node(self, query: str) -> Node:
        """The node called ``query`` (id, name, alias or UN/LOCODE; any case, any accents).

        Raises
        ------
        NodeNotFoundError
            Unknown or ambiguous name; the message lists the closest candidates.
        """
        return self.nodes[self.index.resolve(query)]

    def with_links(self, links: Iterable[Link]) -> Network:
        """A copy with ``links`` added (used by scenarios and tests)."""
        return replace(self, links=self.links + tuple(links))

    def to_networkx(self, *, year: int | None = None) -> nx.MultiDiGraph[str]:
        """A ``networkx.MultiDiGraph`` of the links open in ``year``, with record attributes."""
        import networkx as nx  # noqa: PLC0415  (slow to import; only this view needs it)

        g: nx.MultiDiGraph[str] = nx.MultiDiGraph()
        for node in self.nodes.values():
            g.add_node(
                node.id,
                name=node.name,
                country=node.country,
                kind=node.kind.value,
                lat=node.lat,
                lon=node.lon,
            )
        for link in self.links:
            if link.is_open(year):
                g.add_edge(
                    link.from_id,
                    link.to_id,
                    key=link.mode.value,
                    distance_km=link.distance_km,
                    mode=link.mode.value,
                    gauge=link.gauge,
                )
        return g
