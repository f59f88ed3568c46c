"""``GET /api/v1/emissions`` and the container / cargo parameters of routes and compare."""

from __future__ import annotations

import csv
import io

from tests.api.conftest import TestClient
from tests.api.test_read import assert_problem

BAKU_KARS = {"origin": "Baku", "destination": "Kars"}


def test_emissions_json_csv_html(client: TestClient) -> None:
    doc = client.get("/api/v1/emissions", params={**BAKU_KARS, "container": 20}).json()
    assert doc["container"] == 20 and doc["cargo_t"] == 10
    chain = doc["chains"][0]
    assert chain["elements"] and chain["totals"]["total"]["wtw"] >= chain["totals"]["total"]["ttw"]
    resp = client.get("/api/v1/emissions", params={**BAKU_KARS, "format": "csv"})
    assert resp.status_code == 200 and resp.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(resp.text)))
    assert any(r["type"] == "total" for r in rows)
    resp = client.get("/api/v1/emissions", params={**BAKU_KARS, "format": "html"})
    assert resp.status_code == 200 and resp.text.startswith("<!doctype html>")


def test_emissions_bad_input(client: TestClient) -> None:
    assert_problem(client.get("/api/v1/emissions", params={**BAKU_KARS, "container": 30}), 422)
    assert_problem(client.get("/api/v1/emissions", params={**BAKU_KARS, "format": "pdf"}), 422)
    assert_problem(
        client.get("/api/v1/emissions", params={**BAKU_KARS, "container": 20, "cargo_t": 50}), 422
    )
    doc = assert_problem(
        client.get("/api/v1/emissions", params={"origin": "Bakuu", "destination": "Kars"}), 404
    )
    assert doc["candidates"]


def test_routes_and_compare_take_a_container_size(client: TestClient) -> None:
    r20 = client.get("/api/v1/routes", params={**BAKU_KARS, "container": 20}).json()
    r40 = client.get("/api/v1/routes", params=BAKU_KARS).json()
    assert r20["container"] == 20 and r40["container"] == 40
    assert r20["routes"][0]["cost_usd"] < r40["routes"][0]["cost_usd"]
    c = client.get("/api/v1/compare", params={**BAKU_KARS, "samples": 200, "container": 20}).json()
    assert c["container"] == 20
    opt = c["options"][0]
    assert opt["cost_usd"]["low"] <= opt["cost_usd"]["expected"] <= opt["cost_usd"]["high"]
    assert opt["cost_usd_per_feu"] == opt["cost_usd"]["expected"]
