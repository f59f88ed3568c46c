"""Read endpoints: health, nodes, network, routes, compare — answers and every error path."""

from __future__ import annotations

import itertools
import json

import pytest

from corridor import compare, route
from tests.api.conftest import TestClient

XIAN_ISTANBUL = {"origin": "Xi'an", "destination": "Istanbul", "depart": "2026-03-01"}


def assert_problem(resp: object, status: int) -> dict[str, object]:
    assert resp.status_code == status, resp.text  # type: ignore[attr-defined]
    assert resp.headers["content-type"] == "application/problem+json"  # type: ignore[attr-defined]
    doc: dict[str, object] = resp.json()  # type: ignore[attr-defined]
    assert doc["status"] == status
    assert doc["title"]
    assert doc["detail"]
    assert "Traceback" not in resp.text  # type: ignore[attr-defined]
    return doc


def test_health(client: TestClient) -> None:
    resp = client.get("/health")
    assert resp.status_code == 200
    doc = resp.json()
    assert doc["status"] == "ok"
    assert doc["database"] == "sqlite"
    assert doc["jobs_running"] == 0


def test_nodes_json_matches_cli_contract(client: TestClient) -> None:
    doc = client.get("/api/v1/nodes").json()
    ids = {n["id"] for n in doc["nodes"]}
    assert {"xian", "alat", "istanbul", "aktau"} <= ids
    node = next(n for n in doc["nodes"] if n["id"] == "alat")
    assert set(node) >= {"id", "name", "aliases", "country", "lat", "lon", "kind"}


def test_nodes_search_and_geojson(client: TestClient) -> None:
    found = client.get("/api/v1/nodes", params={"search": "baku"}).json()["nodes"]
    assert "alat" in [n["id"] for n in found]
    geo = client.get("/api/v1/nodes", params={"format": "geojson", "search": "istanbul"}).json()
    assert geo["type"] == "FeatureCollection"
    assert all(f["geometry"]["type"] == "Point" for f in geo["features"])
    assert client.get("/api/v1/nodes", params={"search": "zzzzqqq"}).json() == {"nodes": []}
    # a misspelling finds nothing but says what was probably meant
    typo = client.get("/api/v1/nodes", params={"search": "Akhtau"}).json()
    assert typo["nodes"] == []
    assert "Aktau" in typo["suggestions"]
    assert_problem(client.get("/api/v1/nodes", params={"format": "xml"}), 422)
    assert_problem(client.get("/api/v1/nodes", params={"search": "x" * 101}), 422)


def test_network_geojson(client: TestClient) -> None:
    resp = client.get("/api/v1/network.geojson")
    assert resp.status_code == 200
    assert resp.headers["content-type"] == "application/geo+json"
    doc = resp.json()
    kinds = {f["geometry"]["type"] for f in doc["features"]}
    assert kinds == {"Point", "LineString"}
    modes = {f["properties"]["mode"] for f in doc["features"] if "mode" in f["properties"]}
    assert {"rail", "ferry"} <= modes
    statuses = {f["properties"]["status"] for f in doc["features"] if "status" in f["properties"]}
    assert "planned" in statuses
    older = client.get("/api/v1/network.geojson", params={"year": 2000}).json()
    assert len(older["features"]) <= len(doc["features"])
    assert_problem(client.get("/api/v1/network.geojson", params={"year": 99999}), 422)


def test_routes_equal_the_python_api(client: TestClient) -> None:
    resp = client.get(
        "/api/v1/routes", params={"origin": "Baku", "destination": "Kars", "alternatives": 2}
    )
    assert resp.status_code == 200
    assert resp.json() == route("Baku", "Kars", alternatives=2).to_dict()
    geo = client.get(
        "/api/v1/routes", params={"origin": "Baku", "destination": "Kars", "format": "geojson"}
    ).json()
    assert geo["type"] == "FeatureCollection"


def test_routes_errors(client: TestClient) -> None:
    doc = assert_problem(
        client.get("/api/v1/routes", params={"origin": "Bakuu", "destination": "Kars"}), 404
    )
    assert doc["candidates"]
    assert_problem(client.get("/api/v1/routes", params={"origin": "Baku"}), 422)
    assert_problem(
        client.get(
            "/api/v1/routes",
            params={"origin": "Baku", "destination": "Kars", "optimize": "speed"},
        ),
        422,
    )
    assert_problem(
        client.get(
            "/api/v1/routes",
            params={"origin": "Baku", "destination": "Kars", "alternatives": 11},
        ),
        422,
    )
    assert_problem(
        client.get(
            "/api/v1/routes",
            params={"origin": "Baku", "destination": "Kars", "via": ["x"] * 21},
        ),
        422,
    )
    # Avoiding both countries of the destination leaves no route: 422, not a 500.
    assert_problem(
        client.get(
            "/api/v1/routes",
            params={"origin": "Baku", "destination": "Kars", "avoid": ["GE", "TR"]},
        ),
        422,
    )


def test_compare_returns_the_cli_document(client: TestClient) -> None:
    resp = client.get("/api/v1/compare", params={**XIAN_ISTANBUL, "samples": 2000, "seed": 3})
    assert resp.status_code == 200
    assert resp.headers["content-type"] == "application/json"
    doc = resp.json()
    expected = compare("Xi'an", "Istanbul", depart="2026-03-01", samples=2000, seed=3).to_dict()
    assert doc == json.loads(json.dumps(expected))
    corridors = [o["corridor"] for o in doc["options"]]
    assert len(corridors) >= 3
    assert "middle" in corridors
    p50s = [o["days"]["p50"] for o in doc["options"]]
    assert p50s == sorted(p50s)


def test_compare_is_cached_and_reproducible(client: TestClient) -> None:
    params = {**XIAN_ISTANBUL, "samples": 1000}
    first = client.get("/api/v1/compare", params=params)
    second = client.get("/api/v1/compare", params={**params, "origin": "XIAN"})
    assert first.content == second.content
    cache = client.app.state.services.compare_cache  # type: ignore[attr-defined]
    assert cache.hits >= 1


def test_compare_histogram_extension(client: TestClient) -> None:
    doc = client.get(
        "/api/v1/compare", params={**XIAN_ISTANBUL, "samples": 1000, "histogram": "true"}
    ).json()
    hist = doc["histogram"]
    edges = hist["edges_days"]
    assert 10 <= len(edges) - 1 <= 100
    steps = {round(b - a, 3) for a, b in itertools.pairwise(edges)}
    assert len(steps) == 1
    step = steps.pop()
    assert step in {0.1, 0.2, 0.5, 1.0, 2.0, 5.0}  # round widths: ticks at round days
    assert abs(edges[0] / step - round(edges[0] / step)) < 1e-6
    for option in doc["options"]:
        # every sample falls inside the bins (numpy drops values outside): nothing is clipped
        assert sum(hist["counts"][option["corridor"]]) == 1000
    plain = client.get("/api/v1/compare", params={**XIAN_ISTANBUL, "samples": 1000}).json()
    assert "histogram" not in plain


def test_compare_options(client: TestClient) -> None:
    doc = client.get(
        "/api/v1/compare",
        params={**XIAN_ISTANBUL, "samples": 500, "avoid": "RU", "deadline_days": 30},
    ).json()
    assert doc["deadline_days"] == 30
    assert all("on_time_probability" in o for o in doc["options"])


def test_compare_unknown_origin_is_404_with_suggestions(client: TestClient) -> None:
    doc = assert_problem(
        client.get("/api/v1/compare", params={"origin": "Xian'", "destination": "Istanbull"}),
        404,
    )
    assert doc["title"] in ("Unknown place", "Ambiguous place name")
    assert isinstance(doc["candidates"], list)
    doc = assert_problem(
        client.get("/api/v1/compare", params={"origin": "Xi'an", "destination": "Istanbull"}),
        404,
    )
    assert "Istanbul" in " ".join(doc["candidates"])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "params",
    [
        {"depart": "2026-02-30"},
        {"depart": "yesterday"},
        {"depart": "1900-01-01"},
        {"samples": "0"},
        {"samples": "20001"},
        {"samples": "1e9"},
        {"samples": "-5"},
        {"seed": "-1"},
        {"year": "1066"},
        {"deadline_days": "0"},
        {"deadline_days": "nan"},
        {"avoid": ["x" * 200]},
        {"origin": ""},
    ],
)
def test_compare_rejects_bad_parameters(client: TestClient, params: dict[str, object]) -> None:
    assert_problem(client.get("/api/v1/compare", params={**XIAN_ISTANBUL, **params}), 422)


def test_compare_unknown_avoid_is_404(client: TestClient) -> None:
    assert_problem(
        client.get("/api/v1/compare", params={**XIAN_ISTANBUL, "avoid": "Atlantis"}), 404
    )
    doc = assert_problem(
        client.get("/api/v1/compare", params={**XIAN_ISTANBUL, "avoid": "Rusia"}), 404
    )
    assert "Russian Federation" in doc["candidates"]  # type: ignore[operator]


def test_compare_avoids_countries_by_name_and_echoes_them(client: TestClient) -> None:
    doc = client.get(
        "/api/v1/compare",
        params={**XIAN_ISTANBUL, "samples": 200, "avoid": ["Russia", "IRN"]},
    ).json()
    assert doc["avoid"] == ["IR", "RU"]
    for option in doc["options"]:
        assert option["corridor"] not in ("northern", "southern")
    omitted = {o["corridor"]: o["reason"] for o in doc["omitted"]}
    assert omitted["northern"] == "no northern route avoiding IR, RU on the network of 2026"
    plan = client.get(
        "/api/v1/routes", params={"origin": "Xi'an", "destination": "Istanbul", "avoid": "kz"}
    ).json()
    assert plan["avoid"] == ["KZ"]


def test_unknown_paths_and_methods_are_problems(client: TestClient) -> None:
    assert_problem(client.get("/api/v1/nope"), 404)
    assert_problem(client.delete("/api/v1/nodes"), 405)


def test_openapi_and_docs(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    for path in (
        "/health",
        "/api/v1/nodes",
        "/api/v1/network.geojson",
        "/api/v1/routes",
        "/api/v1/compare",
        "/api/v1/scenarios",
        "/api/v1/scenarios/{scenario_id}",
        "/api/v1/simulations",
        "/api/v1/simulations/{job_id}",
    ):
        assert path in schema["paths"], path
    assert "APIKeyHeader" in schema["components"]["securitySchemes"]
    assert client.get("/docs").status_code == 200


def test_cors_is_closed_by_default(client: TestClient) -> None:
    resp = client.get("/health", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in resp.headers
    pre = client.options(
        "/api/v1/compare",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"},
    )
    assert "access-control-allow-origin" not in pre.headers


def test_docs_are_served_offline(client: TestClient) -> None:
    r = client.get("/docs")
    assert r.status_code == 200
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in r.text
    assert "cdn." not in r.text
    js = client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js")
    assert js.status_code == 200
    assert len(js.content) > 100_000


def test_validate_answers_as_the_cli(client: TestClient) -> None:
    text = (
        "label,origin,destination,depart,days,service,corridor\n"
        "guidance,Xi'an,Constanța,2025-07-01,31-34,standard,middle\n"
        "express,Xi'an,Baku,2025-07-01,9-12,express,middle\n"
    )
    resp = client.post(
        "/api/v1/validate",
        params={"samples": 500, "name": "mine.csv"},
        content=text.encode(),
        headers={"content-type": "text/csv"},
    )
    assert resp.status_code == 200, resp.text
    doc = resp.json()
    from corridor.facade import validate

    expected = validate("mine.csv", text=text, samples=500).to_dict()
    assert doc == json.loads(json.dumps(expected))
    as_json = client.post(
        "/api/v1/validate", params={"samples": 500, "name": "mine.csv"}, json={"csv": text}
    )
    assert as_json.json() == doc


def test_validate_reports_every_bad_row(client: TestClient) -> None:
    text = "origin,destination,depart,days\nXi'an,Baku,2025-02-30,12\nXi'an,Baku,2025-02-01,x\n"
    resp = client.post(
        "/api/v1/validate", content=text.encode(), headers={"content-type": "text/csv"}
    )
    assert resp.status_code == 422
    problem = resp.json()
    assert [(e["row"], e["field"]) for e in problem["errors"]] == [(2, "depart"), (3, "days")]
    empty = client.post("/api/v1/validate", content=b"", headers={"content-type": "text/csv"})
    assert empty.status_code == 422
    wrong = client.post("/api/v1/validate", json={"rows": []})
    assert wrong.status_code == 422
