"""The ISO 14083 / GLEC emission report: structure, totals, CSV and HTML."""

from __future__ import annotations

import csv
import io

import pytest

from corridor import load_network
from corridor.facade import emissions
from corridor.routing import EmissionReport
from corridor.routing.report import CSV_COLUMNS


@pytest.fixture(scope="module")
def report() -> EmissionReport:
    return emissions("Shanghai", "Rotterdam", year=2025, network=load_network())


def test_every_chain_lists_elements_hubs_and_totals(report: EmissionReport) -> None:
    doc = report.to_dict()
    assert doc["standard"].startswith("ISO 14083")
    assert doc["container"] == 40 and doc["cargo_t"] == 20
    assert {c["corridor"] for c in doc["chains"]} >= {"maritime", "northern"}
    for chain in doc["chains"]:
        assert chain["elements"] and chain["hubs"]
        for x in chain["elements"]:
            assert x["type"] == "tce"
            assert x["wtw_kg"] >= x["ttw_kg"] >= 0
            assert x["factor_id"] and (x["sources"] or x["estimate"])
            assert x["distance_km"] > 0 and x["mass_t"] == 20
        for x in chain["hubs"]:
            assert x["type"] == "hub" and x["activity_unit"] == "containers"
        wtw = sum(x["wtw_kg"] for x in chain["elements"] + chain["hubs"])
        ttw = sum(x["ttw_kg"] for x in chain["elements"] + chain["hubs"])
        assert chain["totals"]["total"]["wtw"] == pytest.approx(wtw, abs=0.05)
        assert chain["totals"]["total"]["ttw"] == pytest.approx(ttw, abs=0.05)
        assert chain["totals"]["total"]["wtw"] >= chain["totals"]["total"]["ttw"]
    assert doc["assumptions"]
    cited = {s for c in doc["chains"] for x in c["elements"] for s in x["sources"]}
    assert cited <= set(doc["sources"])


def test_csv_rows_are_the_elements_and_the_totals(report: EmissionReport) -> None:
    rows = list(csv.DictReader(io.StringIO(report.to_csv())))
    assert tuple(rows[0]) == CSV_COLUMNS
    doc = report.to_dict()
    for chain in doc["chains"]:
        mine = [r for r in rows if r["corridor"] == chain["corridor"]]
        items = [r for r in mine if r["type"] in ("tce", "hub")]
        assert len(items) == len(chain["elements"]) + len(chain["hubs"])
        total = next(r for r in mine if r["type"] == "total")
        assert float(total["wtw_kg"]) == pytest.approx(
            sum(float(r["wtw_kg"]) for r in items), abs=0.05
        )
        assert float(total["ttw_kg"]) == pytest.approx(
            sum(float(r["ttw_kg"]) for r in items), abs=0.05
        )


def test_html_is_self_contained_and_escaped(report: EmissionReport) -> None:
    page = report.to_html()
    assert page.startswith("<!doctype html>")
    assert "<script" not in page and "http-equiv" not in page
    assert "Assumptions" in page and "WTW" in page and "TTW" in page
    assert "Shanghai" in page


def test_a_20ft_box_with_less_cargo_emits_less_on_rail() -> None:
    net = load_network()
    a = emissions("Xi'an", "Duisburg", corridor="northern", network=net).to_dict()
    b = emissions("Xi'an", "Duisburg", corridor="northern", container_ft=20, network=net).to_dict()
    assert b["chains"][0]["totals"]["total"]["wtw"] < a["chains"][0]["totals"]["total"]["wtw"]
    assert [c["corridor"] for c in a["chains"]] == ["northern"]
