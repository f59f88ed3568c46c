"""``?scenario=`` on routes and compare: bundled and saved scenarios, echoed; unknown ones 404."""

from __future__ import annotations

from corridor import compare
from tests.api.conftest import TestClient
from tests.api.test_read import assert_problem

# Nakhchivan is also reached through Iran (Julfa); without Iran the planned Horadiz line is the
# only way in
BAKU_KARS_NAKHCHIVAN = {
    "origin": "Baku",
    "destination": "Kars",
    "via": "Nakhchivan",
    "avoid": "IR",
}


def test_routes_under_a_bundled_scenario(client: TestClient) -> None:
    # the Horadiz–Nakhchivan–Kars line is planned: no route today, one in new-links-2030
    assert_problem(client.get("/api/v1/routes", params=BAKU_KARS_NAKHCHIVAN), 422)
    resp = client.get(
        "/api/v1/routes", params={**BAKU_KARS_NAKHCHIVAN, "scenario": "new-links-2030"}
    )
    assert resp.status_code == 200, resp.text
    doc = resp.json()
    assert doc["scenario"] == "new-links-2030" and doc["year"] == 2030
    assert {"horadiz", "nakhchivan", "kars"} <= set(doc["routes"][0]["nodes"])


def test_compare_under_a_scenario_is_the_cli_document(client: TestClient) -> None:
    params = {**BAKU_KARS_NAKHCHIVAN, "scenario": "new-links-2030", "depart": "2026-03-01"}
    resp = client.get("/api/v1/compare", params={**params, "samples": 500})
    assert resp.status_code == 200, resp.text
    doc = resp.json()
    expected = compare(
        "Baku",
        "Kars",
        via=["Nakhchivan"],
        avoid=["IR"],
        scenario="new-links-2030",
        depart="2026-03-01",
        samples=500,
    ).to_dict()
    assert doc == expected
    assert doc["scenario"] == "new-links-2030" and doc["via"] == ["nakhchivan"]


def test_saved_scenario_closing_a_country_changes_the_route(
    client: TestClient, key: dict[str, str]
) -> None:
    body = {
        "name": "no-georgia",
        "scenario": {"year": 2030, "changes": {"close_countries": ["GE"]}},
    }
    saved = client.post("/api/v1/scenarios", json=body, headers=key)
    assert saved.status_code == 201, saved.text
    sid = saved.json()["id"]
    today = client.get("/api/v1/routes", params={"origin": "Baku", "destination": "Kars"})
    assert "tbilisi" in today.json()["routes"][0]["nodes"]
    resp = client.get(
        "/api/v1/routes", params={"origin": "Baku", "destination": "Kars", "scenario": sid}
    )
    assert resp.status_code == 200, resp.text
    nodes = resp.json()["routes"][0]["nodes"]
    assert "tbilisi" not in nodes and "nakhchivan" in nodes


def test_unknown_scenario_is_404_with_candidates(client: TestClient) -> None:
    for path in ("/api/v1/routes", "/api/v1/compare"):
        resp = client.get(
            path, params={"origin": "Baku", "destination": "Kars", "scenario": "new-links-2031"}
        )
        doc = assert_problem(resp, 404)
        assert doc["candidates"][0] == "new-links-2030"
        assert "new-links-2031" in str(doc["detail"])


def test_palette_is_the_one_of_the_cli_and_the_charts(client: TestClient) -> None:
    from corridor.present import CORRIDOR_COLOURS, MODE_COLOURS, RESOURCE_COLOURS

    doc = client.get("/api/v1/palette").json()
    assert doc["corridors"] == dict(CORRIDOR_COLOURS)
    assert doc["resources"] == dict(RESOURCE_COLOURS)
    assert doc["modes"] == dict(MODE_COLOURS)
