"""Write endpoints: API keys, saved scenarios, hostile bodies (always a 4xx problem)."""

from __future__ import annotations

import pytest

from corridor.api import create_app
from corridor.store import Store
from tests.api.conftest import TestClient, make_settings
from tests.api.test_read import assert_problem

SCENARIO = {
    "name": "double-demand",
    "base": "baseline-2024",
    "demand": {"scale": 2.0},
}


def save(client: TestClient, headers: dict[str, str], **body: object) -> object:
    payload = {"name": "double", "description": "twice 2024", "scenario": SCENARIO, **body}
    return client.post("/api/v1/scenarios", json=payload, headers=headers)


def test_scenarios_round_trip_on_both_backends(any_db_url: str) -> None:
    with TestClient(create_app(make_settings(any_db_url))) as client:
        store: Store = client.app.state.services.store  # type: ignore[attr-defined]
        headers = {"X-API-Key": store.create_api_key("t").key}
        resp = save(client, headers)
        assert resp.status_code == 201, resp.text  # type: ignore[attr-defined]
        created = resp.json()  # type: ignore[attr-defined]
        assert resp.headers["location"] == f"/api/v1/scenarios/{created['id']}"  # type: ignore[attr-defined]
        assert created["source"] == "saved"
        assert created["scenario"] == SCENARIO
        got = client.get(f"/api/v1/scenarios/{created['id']}").json()
        assert got == created
        listed = client.get("/api/v1/scenarios").json()["scenarios"]
        assert created["id"] in [s["id"] for s in listed]
        assert client.get("/health").json()["database"] == store.dialect


def test_bundled_scenarios_are_listed_and_readable(client: TestClient) -> None:
    listed = client.get("/api/v1/scenarios").json()["scenarios"]
    bundled = [s for s in listed if s["source"] == "bundled"]
    assert "baseline-2024" in [s["id"] for s in bundled]
    doc = client.get("/api/v1/scenarios/baseline-2024").json()
    assert doc["scenario"]["demand"]["flows"]
    assert_problem(client.get("/api/v1/scenarios/no-such-thing"), 404)


def test_writes_need_a_valid_key(client: TestClient, store: Store) -> None:
    assert_problem(save(client, {}), 401)
    assert_problem(save(client, {"X-API-Key": "cor_00000000_nope"}), 401)
    assert_problem(save(client, {"X-API-Key": "x" * 5000}), 401)
    created = store.create_api_key("revoked")
    store.revoke_api_key(created.record.id)
    assert_problem(save(client, {"X-API-Key": created.key}), 401)
    assert_problem(client.post("/api/v1/simulations", json={"scenario": "baseline-2024"}), 401)


def test_local_writes_only_from_loopback_to_a_loopback_host(sqlite_url: str) -> None:
    app = create_app(make_settings(sqlite_url, local_writes=True, local_writes_peer="any-local"))
    with TestClient(app, client=("127.0.0.1", 5555), base_url="http://127.0.0.1:8000") as c:
        assert save(c, {}).status_code == 201  # type: ignore[attr-defined]
    # A DNS-rebound name pointing at loopback does not count as local.
    with TestClient(app, client=("127.0.0.1", 5555), base_url="http://evil.example") as c:
        assert_problem(save(c, {}), 401)
    with TestClient(app, client=("10.1.2.3", 5555), base_url="http://127.0.0.1:8000") as c:
        assert_problem(save(c, {}), 401)


def test_same_user_peers_are_decided_by_the_socket_not_the_host(sqlite_url: str) -> None:
    """By default a loopback peer must be a process of the server's user: a test client
    (no real socket) is not, whatever Host it sends."""
    app = create_app(make_settings(sqlite_url, local_writes=True))
    with TestClient(app, client=("127.0.0.1", 5555), base_url="http://127.0.0.1:8000") as c:
        assert_problem(save(c, {}), 401)


@pytest.mark.parametrize(
    ("scenario", "fragment"),
    [
        ({"base": "baseline-2024", "demand": {"scale": -1}}, "scale"),
        ({"base": "baseline-2024", "demand": {"flows": [{"origin": "Atlantis"}]}}, ""),
        ({"base": "baseline-2024", "colour": "red"}, "colour"),
        ({"base": "/etc/passwd"}, "base"),
        ({"base": 5}, "base"),
    ],
)
def test_invalid_scenarios_are_422(
    client: TestClient, key: dict[str, str], scenario: dict[str, object], fragment: str
) -> None:
    doc = assert_problem(save(client, key, scenario=scenario), 422)
    assert fragment in str(doc["detail"])


@pytest.mark.parametrize(
    "body",
    [
        {"name": "", "scenario": {}},
        {"name": "x" * 101, "scenario": {}},
        {"name": "ok", "scenario": []},
        {"name": "ok"},
        {"name": "ok", "scenario": {}, "extra": 1},
        [],
        "text",
    ],
)
def test_malformed_bodies_are_422(client: TestClient, key: dict[str, str], body: object) -> None:
    assert_problem(client.post("/api/v1/scenarios", json=body, headers=key), 422)


def test_broken_json_is_422(client: TestClient, key: dict[str, str]) -> None:
    resp = client.post(
        "/api/v1/scenarios",
        content=b'{"name": "x", "scenario": {',
        headers={**key, "Content-Type": "application/json"},
    )
    assert_problem(resp, 422)
    resp = client.post(
        "/api/v1/scenarios",
        content=b"\xff\xfe\x00garbage",
        headers={**key, "Content-Type": "application/json"},
    )
    assert_problem(resp, 422)  # not UTF-8: still a body that cannot be read as JSON


def test_huge_bodies_are_413(client: TestClient, key: dict[str, str]) -> None:
    big = {"name": "big", "scenario": {"base": "baseline-2024", "pad": "x" * 400_000}}
    assert_problem(client.post("/api/v1/scenarios", json=big, headers=key), 413)

    def chunks() -> object:
        for _ in range(100):
            yield b"x" * 10_000

    resp = client.post(
        "/api/v1/scenarios",
        content=chunks(),  # type: ignore[arg-type]
        headers={**key, "Content-Type": "application/json"},
    )
    assert_problem(resp, 413)


def test_writes_must_be_json(client: TestClient, key: dict[str, str]) -> None:
    resp = client.post(
        "/api/v1/scenarios", content=b"name=x", headers={**key, "Content-Type": "text/plain"}
    )
    assert_problem(resp, 415)


def test_deeply_nested_json_is_a_4xx(client: TestClient, key: dict[str, str]) -> None:
    deep = b'{"name": "d", "scenario": ' + b'{"a": ' * 5000 + b"1" + b"}" * 5001
    resp = client.post(
        "/api/v1/scenarios", content=deep, headers={**key, "Content-Type": "application/json"}
    )
    assert 400 <= resp.status_code < 500
