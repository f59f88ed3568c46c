"""Reading ``corridors.yaml``: enclosed waters, exclaves, corridor definitions, passages, lanes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

from corridor.errors import DataError
from corridor.model import (
    Box,
    Corridor,
    CorridorDefinition,
    Crossing,
    Exclave,
    Geography,
    Water,
)

__all__ = ["GEOGRAPHY_FILE", "bundled_geography", "read_geography", "share_bundled_geography"]

GEOGRAPHY_FILE = "corridors.yaml"
_CROSSING_KINDS = ("voyage", "border", "transit", "sea")


_BUNDLED: dict[str, Geography] = {}


def bundled_geography() -> Geography:
    """The geography shipped with the package: read once, or the one the bundled network was
    loaded with (:func:`share_bundled_geography`)."""
    geo = _BUNDLED.get(GEOGRAPHY_FILE)
    if geo is None:
        folder = Path(str(resources.files("corridor") / "data"))
        geo = _BUNDLED.setdefault(GEOGRAPHY_FILE, read_geography(folder / GEOGRAPHY_FILE))
    return geo


def share_bundled_geography(geo: Geography) -> None:
    """Make ``geo`` the bundled geography, for a caller that holds it already: the bundled
    network read from its compact form (checked against ``corridors.yaml``) carries it, and the
    YAML reader then never loads."""
    _BUNDLED.setdefault(GEOGRAPHY_FILE, geo)


def read_geography(path: str | Path) -> Geography:
    """Read a ``corridors.yaml`` file (format: ``data/SCHEMA.md``).

    Raises
    ------
    DataError
        A missing or malformed file, naming the key and what would be valid.
    """
    import yaml  # noqa: PLC0415  (start-up: the bundled geography usually comes pickled)

    from corridor.io.yamlsafe import YamlShapeError, load_yaml  # noqa: PLC0415

    p = Path(path)
    try:
        doc = load_yaml(p.read_text(encoding="utf-8"))
    except OSError as exc:
        raise DataError(f"cannot read: {exc.strerror}", file=p.name) from None
    except (YamlShapeError, yaml.YAMLError) as exc:
        raise DataError(f"not valid YAML: {exc}", file=p.name) from None
    return parse_geography(doc, p.name)


def parse_geography(doc: Any, file: str = GEOGRAPHY_FILE) -> Geography:
    """The geography of an already parsed ``corridors.yaml`` document."""
    reader = _Reader(file)
    if not isinstance(doc, Mapping):
        raise reader.fail("the file must be a mapping with waters, exclaves, corridors", "(top)")
    waters = reader.waters(reader.section(doc, "waters", list))
    exclaves = reader.exclaves(reader.section(doc, "exclaves", list))
    definitions = reader.corridors(
        reader.section(doc, "corridors", list), frozenset(w.id for w in waters)
    )
    return Geography(
        waters=tuple(waters),
        exclaves=tuple(exclaves),
        corridors=tuple(definitions),
        passages=MappingProxyType(reader.passages(reader.section(doc, "passages", dict))),
        lanes=MappingProxyType(reader.lanes(reader.section(doc, "lanes", dict))),
    )


class _Reader:
    """The checks of one ``corridors.yaml`` document, section by section, in file order."""

    def __init__(self, file: str) -> None:
        self.file = file

    def fail(self, message: str, key: str) -> DataError:
        return DataError(message, file=self.file, field=key)

    def section(self, doc: Mapping[str, Any], key: str, kind: type) -> Any:
        value = doc.get(key, kind())
        if not isinstance(value, kind):
            raise self.fail(f"must be a {'list' if kind is list else 'mapping'}", key)
        return value

    def box(self, entry: Mapping[str, Any], key: str) -> Box:
        try:
            lat = (float(entry["lat"][0]), float(entry["lat"][1]))
            lon = (float(entry["lon"][0]), float(entry["lon"][1]))
        except (KeyError, TypeError, ValueError, IndexError):
            raise self.fail(
                "needs lat: [south, north] and lon: [west, east] in degrees", key
            ) from None
        if not (-90 <= lat[0] <= lat[1] <= 90 and -180 <= lon[0] <= lon[1] <= 180):
            raise self.fail(f"box {lat}, {lon} is not south<=north, west<=east in range", key)
        return Box(lat=lat, lon=lon)

    def waters(self, entries: list[Any]) -> list[Water]:
        waters: list[Water] = []
        for i, w in enumerate(entries):
            key = f"waters[{i}]"
            if not isinstance(w, Mapping) or not isinstance(w.get("id"), str):
                raise self.fail("each water needs an id, a label, lat, lon and outlet", key)
            waters.append(
                Water(
                    id=w["id"],
                    label=str(w.get("label", w["id"])),
                    box=self.box(w, key),
                    outlet=bool(w.get("outlet", True)),
                )
            )
        return waters

    def exclaves(self, entries: list[Any]) -> list[Exclave]:
        exclaves: list[Exclave] = []
        for i, e in enumerate(entries):
            key = f"exclaves[{i}]"
            if not isinstance(e, Mapping) or not isinstance(e.get("country"), str):
                raise self.fail("each exclave needs a country, a name, lat and lon", key)
            exclaves.append(
                Exclave(country=e["country"], name=str(e.get("name", "")), box=self.box(e, key))
            )
        return exclaves

    def countries(self, value: Any, key: str) -> frozenset[str]:
        if not isinstance(value, Sequence) or isinstance(value, str) or not value:
            raise self.fail("must be a non-empty list of ISO country codes", key)
        out = frozenset(str(c) for c in value)
        if any(len(c) != 2 or not c.isupper() for c in out):
            raise self.fail(f"{sorted(out)}: country codes are two capital letters", key)
        return out

    def crossing(self, entry: Any, key: str, water_ids: frozenset[str]) -> Crossing:
        if not isinstance(entry, Mapping) or len(entry) != 1:
            raise self.fail(f"a crossing is one of {', '.join(_CROSSING_KINDS)}", key)
        ((kind, value),) = entry.items()
        if kind == "transit":
            return Crossing(kind=kind, groups=(self.countries(value, key),))
        if kind == "border":
            if not isinstance(value, Sequence) or len(value) != 2:
                raise self.fail("border: [[countries on one side], [countries on the other]]", key)
            return Crossing(
                kind=kind, groups=(self.countries(value[0], key), self.countries(value[1], key))
            )
        if kind == "voyage":
            if not isinstance(value, Mapping) or value.get("water") not in water_ids:
                raise self.fail(f"voyage needs water: one of {sorted(water_ids)}", key)
            between = value.get("between")
            if not isinstance(between, Sequence) or len(between) != 2:
                raise self.fail("voyage needs between: [[countries], [countries]]", key)
            return Crossing(
                kind=kind,
                water=str(value["water"]),
                groups=(self.countries(between[0], key), self.countries(between[1], key)),
            )
        if kind == "sea":
            skip = value.get("except_waters", []) if isinstance(value, Mapping) else []
            if not isinstance(skip, list) or any(s not in water_ids for s in skip):
                raise self.fail(f"sea: except_waters must name waters of {sorted(water_ids)}", key)
            return Crossing(kind=kind, except_waters=frozenset(skip))
        raise self.fail(f"unknown crossing '{kind}': use one of {', '.join(_CROSSING_KINDS)}", key)

    def corridors(self, entries: list[Any], water_ids: frozenset[str]) -> list[CorridorDefinition]:
        valid = ", ".join(c.value for c in Corridor)
        definitions: list[CorridorDefinition] = []
        for i, c in enumerate(entries):
            key = f"corridors[{i}]"
            if not isinstance(c, Mapping):
                raise self.fail("each corridor needs an id, a meaning and its crossing", key)
            try:
                corridor = Corridor(str(c.get("id")))
                excludes = frozenset(Corridor(x) for x in c.get("excludes", []))
            except ValueError:
                raise self.fail(f"corridor ids are {valid}", key) from None
            cross = c.get("crossing", [])
            if not isinstance(cross, list):
                raise self.fail("crossing must be a list", key)
            definitions.append(
                CorridorDefinition(
                    corridor=corridor,
                    meaning=str(c.get("meaning", "")),
                    crossings=tuple(
                        self.crossing(x, f"{key}.crossing[{j}]", water_ids)
                        for j, x in enumerate(cross)
                    ),
                    excludes=excludes,
                    overland=bool(c.get("overland", False)),
                )
            )
        seen = [d.corridor for d in definitions]
        if len(set(seen)) != len(seen):
            raise self.fail("a corridor is defined twice", "corridors")
        if Corridor.DIRECT not in seen or seen[-1] is not Corridor.DIRECT:
            raise self.fail(
                "the last corridor must be direct (a route that makes no crossing)", "corridors"
            )
        return definitions

    def passages(self, entries: dict[Any, Any]) -> dict[str, frozenset[str]]:
        passages: dict[str, frozenset[str]] = {}
        for node, side in entries.items():
            if not isinstance(side, list) or not side:
                raise self.fail(
                    "a passage names its neighbours on one side: a non-empty list", node
                )
            passages[str(node)] = frozenset(str(x) for x in side)
        return passages

    def lanes(self, entries: dict[Any, Any]) -> dict[str, frozenset[str]]:
        lanes: dict[str, frozenset[str]] = {}
        for name, members in entries.items():
            if not isinstance(members, list):
                raise self.fail("a lane is a list of country codes (or node ids)", f"lanes.{name}")
            lanes[str(name)] = frozenset(str(x) for x in members)
        return lanes
