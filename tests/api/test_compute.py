"""Bounded compute: the process pool, its admission limit, route caching and cost limits."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from corridor.api import create_app
from corridor.api.compute import LruCache
from corridor.facade import compare
from corridor.network import load_network
from tests.api.conftest import TestClient, make_settings
from tests.api.test_read import assert_problem

COMPARE = "/api/v1/compare?origin=xian&destination=istanbul&depart=2026-03-01&samples=2000"


def test_the_pool_answers_like_the_library(sqlite_url: str) -> None:
    """A comparison computed in a worker process is the library's document, byte for byte."""
    app = create_app(make_settings(sqlite_url, compute_workers=1))
    with TestClient(app) as client:
        doc = client.get(COMPARE + "&seed=3").json()
    expected = compare("xian", "istanbul", depart="2026-03-01", samples=2000, seed=3).to_dict()
    assert doc == expected


def test_beyond_the_pool_and_queue_the_answer_is_503(sqlite_url: str) -> None:
    app = create_app(make_settings(sqlite_url, compute_workers=1, compute_queue=0))
    with TestClient(app) as client:
        client.get(COMPARE + "&seed=1")  # the worker is up
        results: list[Any] = []

        def ask(seed: int) -> None:
            results.append(client.get(COMPARE.replace("2000", "20000") + f"&seed={seed}"))

        threads = [threading.Thread(target=ask, args=(s,)) for s in range(10, 14)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        codes = sorted(r.status_code for r in results)
        assert codes.count(200) >= 1
        busy = [r for r in results if r.status_code == 503]
        assert busy, codes
        doc = assert_problem(busy[0], 503)
        assert "busy" in str(doc["detail"])
        assert int(busy[0].headers["retry-after"]) > 0
        # /health is not compute: it answers while the pool is full.
        assert client.get("/health").status_code == 200


def test_routes_are_cached_by_month_year_avoid_service() -> None:
    """A second comparison in the same month reuses the routes: only the sampling differs."""
    net = load_network()
    cache = LruCache(16)
    first = compare("xian", "istanbul", depart="2026-03-01", samples=500, network=net,
                    route_cache=cache)  # fmt: skip
    assert len(cache) == 1
    again = compare("xian", "istanbul", depart="2026-03-20", samples=500, seed=9, network=net,
                    route_cache=cache)  # fmt: skip
    assert len(cache) == 1
    assert [o.route.nodes for o in again.options] == [o.route.nodes for o in first.options]
    uncached = compare("xian", "istanbul", depart="2026-03-20", samples=500, seed=9, network=net)
    assert again.to_dict() == uncached.to_dict()
    compare("xian", "istanbul", depart="2026-07-01", samples=500, network=net, route_cache=cache)
    compare("xian", "istanbul", depart="2026-03-01", samples=500, network=net, route_cache=cache,
            avoid=["RU"])  # fmt: skip
    compare("xian", "istanbul", depart="2026-03-01", samples=500, network=net, route_cache=cache,
            service="express")  # fmt: skip
    assert len(cache) == 4


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ("via=aktau&via=baku&pareto=true", "Pareto"),
        ("alternatives=5&via=aktau&via=baku", "alternatives × (1 + via places)"),
        ("alternatives=11", "alternatives"),
        ("&".join(f"via={p}" for p in ["aktau", "baku"] * 5), "via places"),
    ],
)
def test_expensive_route_requests_are_refused(client: TestClient, query: str, says: str) -> None:
    doc = assert_problem(
        client.get(f"/api/v1/routes?origin=xian&destination=istanbul&{query}"), 422
    )
    assert says.lower() in str(doc["detail"]).lower()


def test_openapi_shows_the_enforced_limits(sqlite_url: str) -> None:
    app = create_app(make_settings(sqlite_url, max_samples=5000, max_alternatives=7))
    with TestClient(app) as client:
        spec = client.get("/openapi.json").json()

    def param(path: str, name: str) -> dict[str, Any]:
        for p in spec["paths"][path]["get"]["parameters"]:
            if p["name"] == name:
                schema: dict[str, Any] = p["schema"]
                return next((s for s in schema.get("anyOf", []) if s.get("type") != "null"), schema)
        raise AssertionError(name)

    assert param("/api/v1/compare", "samples")["maximum"] == 5000
    assert param("/api/v1/routes", "alternatives")["maximum"] == 7
    assert param("/api/v1/routes", "via")["maxItems"] == 8
    depart = next(
        p for p in spec["paths"]["/api/v1/compare"]["get"]["parameters"] if p["name"] == "depart"
    )
    assert "2100-12-31" in depart["description"]
