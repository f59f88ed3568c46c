"""The geography that corridor labels, voyage names and trade lanes rest on (``corridors.yaml``).

The classifier, the sea lanes and the passage rule read these records; no code names a place.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from corridor.model.enums import Corridor

__all__ = ["Box", "CorridorDefinition", "Crossing", "Exclave", "Geography", "Water"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Box:
    """A latitude/longitude box, degrees (bounds included)."""

    lat: tuple[float, float]
    lon: tuple[float, float]

    def contains(self, lat: float, lon: float) -> bool:
        """Whether the point lies in the box."""
        return self.lat[0] <= lat <= self.lat[1] and self.lon[0] <= lon <= self.lon[1]


@dataclass(frozen=True, slots=True, kw_only=True)
class Water:
    """An enclosed water (the Caspian, the Black Sea, Lake Van)."""

    id: str
    label: str
    box: Box
    outlet: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class Exclave:
    """A part of a country that does not touch its mainland."""

    country: str
    name: str
    box: Box


@dataclass(frozen=True, slots=True, kw_only=True)
class Crossing:
    """One way of making a corridor's defining crossing.

    ``kind`` is ``voyage`` (a ferry or sea link on ``water`` between a port in one of
    ``groups[0]`` and one in ``groups[1]``), ``border`` (a land link between the two groups),
    ``transit`` (a place in one of ``groups[0]``) or ``sea`` (a deep-sea link outside
    ``except_waters``).
    """

    kind: str
    groups: tuple[frozenset[str], ...] = ()
    water: str = ""
    except_waters: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True, kw_only=True)
class CorridorDefinition:
    """A corridor: what defines it, and what a route of it may not do."""

    corridor: Corridor
    meaning: str
    crossings: tuple[Crossing, ...]
    excludes: frozenset[Corridor]
    overland: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Geography:
    """Everything ``corridors.yaml`` states, in the order the classifier applies it."""

    waters: tuple[Water, ...]
    exclaves: tuple[Exclave, ...]
    corridors: tuple[CorridorDefinition, ...]
    passages: Mapping[str, frozenset[str]] = field(default_factory=lambda: MappingProxyType({}))
    lanes: Mapping[str, frozenset[str]] = field(default_factory=lambda: MappingProxyType({}))

    def water(self, water_id: str) -> Water:
        """The water of that id (``KeyError`` if the file has none)."""
        for w in self.waters:
            if w.id == water_id:
                return w
        raise KeyError(water_id)

    def definition(self, corridor: Corridor) -> CorridorDefinition | None:
        """The definition of a corridor, or None if the file does not define it."""
        for d in self.corridors:
            if d.corridor is corridor:
                return d
        return None

    def lane(self, name: str) -> frozenset[str]:
        """A lane's countries (or nodes, for ``canal_nodes``); empty if not given."""
        return self.lanes.get(name, frozenset())
