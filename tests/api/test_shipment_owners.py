"""Shipments belong to the key that booked them; events have a bounded schema; concurrent
event posts are applied one by one (none lost, none refused with a non-retryable status)."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from corridor.api import create_app
from corridor.api.tracking import MAX_EVENTS
from corridor.store import Store
from tests.api.conftest import TestClient, make_settings
from tests.api.test_shipments import BOOKING, _event

RETRYABLE = {429, 503}


@pytest.fixture
def keys(client: TestClient, store: Store) -> dict[str, dict[str, str]]:
    """Two ordinary keys and an admin key."""
    return {
        name: {"X-API-Key": store.create_api_key(name, admin=name == "admin").key}
        for name in ("a", "b", "admin")
    }


def _book(client: TestClient, key: dict[str, str], reference: str) -> str:
    r = client.post("/api/v1/shipments", json={**BOOKING, "reference": reference}, headers=key)
    assert r.status_code == 201, r.text
    sid: str = r.json()["id"]
    return sid


def test_key_b_can_neither_read_nor_change_key_a_s_shipment(
    client: TestClient, keys: dict[str, dict[str, str]]
) -> None:
    a, b, admin = keys["a"], keys["b"], keys["admin"]
    sid = _book(client, a, "A-SECRET-BL")
    url = f"/api/v1/shipments/{sid}"
    # B: the shipment does not exist for it, and its arrival is not recorded
    assert client.get(url, headers=b).status_code == 404
    fake = _event("Istanbul", "2025-01-20T06:00:00Z")
    assert client.post(f"{url}/events", json=fake, headers=b).status_code == 404
    assert client.get("/api/v1/shipments", headers=b).json()["shipments"] == []
    # A sees it unchanged, and the fake arrival did not reach the forecast log
    doc = client.get(url, headers=a).json()
    assert (doc["status"], doc["events"]) == ("in_transit", [])
    assert client.get("/api/v1/forecast-log").json()["shipments"] == 0
    assert [
        s["reference"] for s in client.get("/api/v1/shipments", headers=a).json()["shipments"]
    ] == ["A-SECRET-BL"]
    # an admin key reads and lists every shipment
    assert client.get(url, headers=admin).status_code == 200
    _book(client, b, "B-BL")
    listed = client.get("/api/v1/shipments", headers=admin).json()["shipments"]
    assert sorted(s["reference"] for s in listed) == ["A-SECRET-BL", "B-BL"]
    assert [
        s["reference"] for s in client.get("/api/v1/shipments", headers=b).json()["shipments"]
    ] == ["B-BL"]


def test_a_revoked_key_loses_its_shipments(
    client: TestClient, store: Store, keys: dict[str, dict[str, str]]
) -> None:
    sid = _book(client, keys["a"], "BL-1")
    key_id = next(k.id for k in store.list_api_keys() if k.name == "a")
    store.revoke_api_key(key_id)
    assert client.get(f"/api/v1/shipments/{sid}", headers=keys["a"]).status_code == 401


@pytest.mark.parametrize(
    ("name", "change", "says"),
    [
        ("unknown field", {"payload": "x"}, "payload"),
        ("a 250 kB field", {"changeRemark": "x" * 250_000}, "changeRemark"),
        ("unknown location field", {"eventLocation": {"locationName": "Dostyk", "x": 1}}, "x"),
        ("bad container number", {"equipmentReference": "A" * 16}, "equipmentReference"),
    ],
)
def test_events_have_a_bounded_schema(
    client: TestClient,
    keys: dict[str, dict[str, str]],
    name: str,
    change: dict[str, Any],
    says: str,
) -> None:
    sid = _book(client, keys["a"], name)
    event = {**_event("Dostyk", "2025-01-09T10:00:00Z"), **change}
    r = client.post(f"/api/v1/shipments/{sid}/events", json=event, headers=keys["a"])
    assert r.status_code in (413, 422), r.text
    if r.status_code == 422:
        assert says in r.text
    assert client.get(f"/api/v1/shipments/{sid}", headers=keys["a"]).json()["events"] == []


def test_known_dcsa_fields_are_kept(client: TestClient, keys: dict[str, dict[str, str]]) -> None:
    sid = _book(client, keys["a"], "kept")
    extra = {"equipmentReference": "MSKU1234567", "ISOEquipmentCode": "42G1", "changeRemark": "ok"}
    event = {**_event("Dostyk", "2025-01-09T10:00:00Z"), **extra}
    r = client.post(f"/api/v1/shipments/{sid}/events", json=event, headers=keys["a"])
    assert r.status_code == 201, r.text
    (stored,) = r.json()["events"]
    assert {k: stored[k] for k in extra} == extra
    assert stored["milestone"] == "arr"


def _estimates(n: int) -> list[dict[str, Any]]:
    start = datetime(2025, 1, 8, tzinfo=UTC)
    return [
        _event("Dostyk", (start + timedelta(hours=i)).isoformat(), classifier="EST")
        for i in range(n)
    ]


@pytest.mark.slow
def test_a_shipment_keeps_a_bounded_number_of_events(
    client: TestClient, keys: dict[str, dict[str, str]]
) -> None:
    services = client.app.state.services  # type: ignore[attr-defined]
    sid = _book(client, keys["a"], "full")
    url = f"/api/v1/shipments/{sid}/events"
    for ev in _estimates(MAX_EVENTS):
        assert client.post(url, json=ev, headers=keys["a"]).status_code == 201
    one_more = _event("Dostyk", "2025-02-01T00:00:00Z", classifier="EST")
    r = client.post(url, json=one_more, headers=keys["a"])
    assert r.status_code == 422 and str(MAX_EVENTS) in r.json()["detail"]
    assert len(services.tracker.shipments.get(sid).events) == MAX_EVENTS


@pytest.fixture
def any_client(any_db_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(make_settings(any_db_url))) as c:
        yield c


@pytest.mark.slow
def test_64_concurrent_event_posts_are_all_stored_or_retryable(any_client: TestClient) -> None:
    store: Store = any_client.app.state.services.store  # type: ignore[attr-defined]
    key = {"X-API-Key": store.create_api_key("k").key}
    sid = _book(any_client, key, "busy")
    url = f"/api/v1/shipments/{sid}/events"
    events = _estimates(64)
    with ThreadPoolExecutor(64) as pool:
        codes = list(pool.map(lambda ev: any_client.post(url, json=ev, headers=key), events))
    statuses = [r.status_code for r in codes]
    assert set(statuses) <= {201} | RETRYABLE, statuses
    for r in codes:
        if r.status_code in RETRYABLE:
            assert int(r.headers["Retry-After"]) > 0
    stored = any_client.get(f"/api/v1/shipments/{sid}", headers=key).json()["events"]
    assert len(stored) == statuses.count(201)  # every 201 is stored, nothing else is
    # a client that retries what it was told to retry gets every event in
    retry = [ev for ev, s in zip(events, statuses, strict=True) if s != 201]
    for ev in retry:
        assert any_client.post(url, json=ev, headers=key).status_code == 201
    stored = any_client.get(f"/api/v1/shipments/{sid}", headers=key).json()["events"]

    def when(e: dict[str, Any]) -> datetime:
        return datetime.fromisoformat(e["eventDateTime"])

    assert sorted(map(when, stored)) == sorted(map(when, events))
