"""Corridors are defined by their crossing in `data/corridors.yaml`; labels follow the file."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from corridor.errors import DataError
from corridor.io.geography import parse_geography, read_geography
from corridor.model import Corridor, Route
from corridor.network import Network, bundled_data_dir, load_network
from corridor.routing import CompareRequest, Constraints, best_route, classify_route
from corridor.routing.classify import route_countries
from corridor.transit import compare_routes

GEOGRAPHY = bundled_data_dir() / "corridors.yaml"
DEPART = date(2026, 5, 4)


def _route(net: Network, a: str, b: str, corridor: Corridor | None = None) -> Route:
    return best_route(net, a, b, constraints=Constraints(corridor=corridor))


def _doc() -> dict[str, Any]:
    doc = yaml.safe_load(GEOGRAPHY.read_text(encoding="utf-8"))
    assert isinstance(doc, dict)
    return doc


def test_labels_are_the_six_of_the_contract() -> None:
    geo = read_geography(GEOGRAPHY)
    assert [d.corridor.value for d in geo.corridors] == [
        "middle",
        "north-south",
        "northern",
        "maritime",
        "southern",
        "direct",
    ]


def test_dagestan_route_is_north_south_and_the_label_comes_from_the_file(
    bundled: Network,
) -> None:
    """Qingdao to Baku by Astrakhan and Samur is the western INSTC branch, not `northern`;
    with north-south taken out of the file the same route falls to the next corridor whose
    crossing it makes (transit through Russia: northern)."""
    route = _route(bundled, "qingdao", "baku_city", Corridor.NORTH_SOUTH)
    assert {"samur", "yalama"} <= set(route.nodes)
    assert route.corridor is Corridor.NORTH_SOUTH
    doc = _doc()
    corridors = doc["corridors"]
    assert isinstance(corridors, list)
    doc["corridors"] = [c for c in corridors if c["id"] != "north-south"]
    for c in doc["corridors"]:
        c["excludes"] = [x for x in c.get("excludes", []) if x != "north-south"]
    edited = parse_geography(doc)
    links = [bundled.by_key[(x.from_id, x.to_id, x.mode.value)] for x in route.link_legs]
    assert classify_route(links, bundled.nodes, read_geography(GEOGRAPHY)) is Corridor.NORTH_SOUTH
    assert classify_route(links, bundled.nodes, edited) is Corridor.NORTHERN


def test_a_network_folder_with_its_own_file_labels_by_it(bundled: Network, tmp_path: Path) -> None:
    """Making Azerbaijan a transit country of `southern` in a copy of the data turns Istanbul to
    Baku (TR › GE › AZ, `direct` in the bundled file) into `southern`."""
    folder = tmp_path / "data"
    shutil.copytree(bundled_data_dir(), folder, ignore=shutil.ignore_patterns("examples"))
    doc = _doc()
    for c in doc["corridors"]:
        if c["id"] == "southern":
            c["crossing"] = [{"transit": ["IR", "AZ"]}]
    (folder / "corridors.yaml").write_text(yaml.safe_dump(doc), encoding="utf-8")
    own = load_network(folder)
    assert _route(bundled, "istanbul", "alat").corridor is Corridor.DIRECT
    assert _route(own, "istanbul", "alat").corridor is Corridor.SOUTHERN


@pytest.mark.parametrize(
    ("a", "b", "countries"),
    [
        ("istanbul", "alat", ("TR", "GE", "AZ")),  # Baku-Tbilisi-Kars, no Caspian crossing
        ("alat", "kars", ("AZ", "GE", "TR")),
        ("tbilisi", "kars", ("GE", "TR")),
        ("almaty", "aktau", ("KZ",)),  # Kazakhstan only
    ],
)
def test_routes_without_a_defining_crossing_are_direct(
    bundled: Network, a: str, b: str, countries: tuple[str, ...]
) -> None:
    r = _route(bundled, a, b, Corridor.DIRECT)
    assert route_countries(r, bundled.nodes) == countries
    assert r.corridor is Corridor.DIRECT


def test_kuryk_to_baku_crosses_the_caspian(bundled: Network) -> None:
    """Kuryk to Baku is offered across the Caspian (445 km by the Kuryk ferry or 575 km by rail
    to Aktau and the feeder), not only as the 2,148 km rail loop through Russia."""
    c = compare_routes(
        bundled, CompareRequest(origin="kuryk", destination="alat", depart=DEPART, samples=200)
    )
    middle = next(o for o in c.options if o.corridor is Corridor.MIDDLE)
    assert route_countries(middle.route, bundled.nodes) == ("KZ", "(Caspian)", "AZ")
    assert middle.route.distance_km < 600


def test_bad_corridor_file_names_the_key(tmp_path: Path) -> None:
    doc = _doc()
    doc["corridors"][0]["crossing"] = [{"voyage": {"water": "aral", "between": [["KZ"], ["UZ"]]}}]
    with pytest.raises(DataError, match=r"corridors\[0\]\.crossing\[0\].*water"):
        parse_geography(doc)
    p = tmp_path / "corridors.yaml"
    p.write_text("corridors: [", encoding="utf-8")
    with pytest.raises(DataError, match=r"corridors\.yaml"):
        read_geography(p)
