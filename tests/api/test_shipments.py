"""Shipments: booking, milestone events (DCSA-shaped), the ETA history, the forecast log."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from corridor.api import create_app
from tests.api.conftest import TestClient, make_settings

BOOKING = {
    "origin": "Xi'an",
    "destination": "Istanbul",
    "depart": "2025-01-06",
    "deadline": "2025-01-31",
    "reference": "BL-0001",
    "corridor": "middle",
}


def _event(
    place: str, when: str, code: str = "ARRI", classifier: str = "ACT", **extra: Any
) -> dict[str, Any]:
    loc = {"UNLocationCode": place} if place.isupper() else {"locationName": place}
    return {
        "eventClassifierCode": classifier,
        "eventType": "TRANSPORT",
        "transportEventTypeCode": code,
        "eventDateTime": when,
        "eventLocation": loc,
        **extra,
    }


@pytest.fixture
def shipment(client: TestClient, key: dict[str, str]) -> dict[str, Any]:
    r = client.post("/api/v1/shipments", json=BOOKING, headers=key)
    assert r.status_code == 201, r.text
    doc: dict[str, Any] = r.json()
    return doc


def _events_url(shipment: dict[str, Any]) -> str:
    return f"/api/v1/shipments/{shipment['id']}/events"


def test_booking_plans_and_forecasts(shipment: dict[str, Any]) -> None:
    assert shipment["status"] == "in_transit"
    assert shipment["origin"] == {"id": "xian", "name": "Xi'an"}
    assert shipment["reference"] == "BL-0001"
    assert shipment["deadline"] == "2025-02-01T00:00"
    eta = shipment["eta"]
    assert eta["eta"]["p10"] < eta["eta"]["p50"] < eta["eta"]["p90"]
    assert eta["route"]["nodes"][0] == "xian"
    assert 0.0 <= eta["on_time_probability"] <= 1.0
    (first,) = shipment["forecasts"]
    assert first["stage"] == 0
    assert first["as_of"] == "2025-01-06T00:00"
    # the ETA shown is as of now: a box booked in 2025 and never seen since is long overdue
    assert eta["expected_by"] == first["eta"]["p90"]
    assert shipment["overdue"] is eta["overdue"] is True
    assert eta["eta"]["p10"] > eta["as_of"] > first["eta"]["p90"]


def _days_ago(days: int) -> str:
    return (datetime.now(UTC) - timedelta(days=days)).date().isoformat()


def test_silence_moves_the_eta_past_today_and_flags_overdue(
    client: TestClient, key: dict[str, str]
) -> None:
    """A box booked 70 days ago and never seen has not arrived: its ETA is after today and,
    past the P90 forecast at booking (22-odd days for Xi'an-Istanbul), it is overdue; one
    booked today is neither."""
    late = {"origin": "Xi'an", "destination": "Istanbul", "depart": _days_ago(70)}
    doc = client.post("/api/v1/shipments", json=late, headers=key).json()
    now = datetime.now(UTC).replace(tzinfo=None).isoformat(timespec="minutes")
    booked = doc["forecasts"][0]["eta"]
    assert booked["p90"] < now  # the forecast at booking is in the past...
    again = client.get(f"/api/v1/shipments/{doc['id']}", headers=key).json()
    for shown in (doc, again):
        assert shown["eta"]["eta"]["p10"] >= shown["eta"]["as_of"] >= now[:10]  # ...not the ETA
        assert shown["overdue"] is True
        assert 0 <= shown["eta"]["remaining_days"]["p10"] <= shown["eta"]["remaining_days"]["p50"]
        assert shown["eta"]["eta_local"]["tz"] == "Europe/Istanbul"
    fresh = {**late, "depart": _days_ago(0)}
    doc = client.post("/api/v1/shipments", json=fresh, headers=key).json()
    assert doc["overdue"] is False
    assert doc["eta"]["eta"]["p50"] > now


def test_every_shipment_endpoint_needs_a_key(client: TestClient, shipment: dict[str, Any]) -> None:
    assert client.post("/api/v1/shipments", json=BOOKING).status_code == 401
    r = client.post(_events_url(shipment), json=_event("Dostyk", "2025-01-09T10:00:00Z"))
    assert r.status_code == 401
    assert client.get(f"/api/v1/shipments/{shipment['id']}").status_code == 401
    assert client.get("/api/v1/shipments").status_code == 401


def test_two_events_move_the_band_and_keep_the_history(
    client: TestClient, key: dict[str, str], shipment: dict[str, Any]
) -> None:
    url = _events_url(shipment)
    # the Caspian port the planned route sails from (the Kuryk ferry or the Aktau feeder), by
    # its UN/LOCODE where it has one
    port = next(n for n in shipment["eta"]["route"]["nodes"] if n in ("aktau", "kuryk"))
    port_name = {"aktau": "Aktau", "kuryk": "Kuryk"}[port]
    r1 = client.post(url, json=_event("Dostyk", "2025-01-09T10:00:00Z"), headers=key)
    assert r1.status_code == 201, r1.text
    where = {"aktau": "KZAAU"}.get(port, port_name)
    r2 = client.post(url, json=_event(where, "2025-01-14T12:00:00+04:00", "DEPA"), headers=key)
    assert r2.status_code == 201, r2.text
    doc = client.get(f"/api/v1/shipments/{shipment['id']}", headers=key).json()
    assert [e["node"] for e in doc["events"]] == ["dostyk", port]
    assert [e["milestone"] for e in doc["events"]] == ["arr", "dep"]
    assert doc["events"][1]["eventDateTime"].startswith("2025-01-14T12:00:00+04:00")
    stages = doc["forecasts"]
    assert [s["stage"] for s in stages] == [0, 1, 2]
    assert [s["as_of"] for s in stages] == [
        "2025-01-06T00:00",
        "2025-01-09T10:00",
        "2025-01-14T08:00",
    ]
    assert stages[1]["event_id"] == doc["events"][0]["id"]
    assert len({s["eta"]["p50"] for s in stages}) == 3  # the band moved at each event
    assert doc["eta"]["position"] == {
        "node": port,
        "event": "dep",
        "at": "2025-01-14T08:00",
        "name": port_name,
        "at_local": "2025-01-14T13:00+05:00",  # Kazakhstan is on UTC+5 throughout (2024-)
        "tz": "Asia/Aqtau",
    }
    assert doc["eta"]["route"]["replanned_at"] == []
    assert doc["eta"]["route"]["remaining_legs"][0]["to"] == "alat"


def test_an_event_off_the_route_replans(client: TestClient, key: dict[str, str]) -> None:
    booking = {**BOOKING, "corridor": "maritime"}
    ship = client.post("/api/v1/shipments", json=booking, headers=key).json()
    assert "aktau" not in ship["eta"]["route"]["nodes"]
    r = client.post(
        _events_url(ship), json=_event("Aktau", "2025-01-14T08:00:00Z", "DEPA"), headers=key
    )
    assert r.status_code == 201, r.text
    route = r.json()["eta"]["route"]
    assert route["replanned_at"] == ["aktau"]
    # seen sailing from Aktau: the container crosses the Caspian
    assert route["remaining_legs"][0]["from"] == "aktau"
    assert route["remaining_legs"][0]["mode"] in ("sea", "ferry")
    assert route["nodes"][route["reached"] - 1] == "aktau"


def test_the_same_event_twice_is_stored_once(
    client: TestClient, key: dict[str, str], shipment: dict[str, Any]
) -> None:
    ev = _event("Dostyk", "2025-01-09T10:00:00Z", eventID="carrier-42")
    first = client.post(_events_url(shipment), json=ev, headers=key)
    again = client.post(_events_url(shipment), json=ev, headers=key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["duplicate"] is True
    doc = client.get(f"/api/v1/shipments/{shipment['id']}", headers=key).json()
    assert len(doc["events"]) == 1
    assert len(doc["forecasts"]) == 2


def test_concurrent_duplicates_are_stored_once(
    client: TestClient, key: dict[str, str], shipment: dict[str, Any]
) -> None:
    ev = _event("Dostyk", "2025-01-09T10:00:00Z")
    with ThreadPoolExecutor(4) as pool:
        codes = list(
            pool.map(
                lambda _: client.post(_events_url(shipment), json=ev, headers=key).status_code,
                range(4),
            )
        )
    assert sorted(codes) == [200, 200, 200, 201]
    doc = client.get(f"/api/v1/shipments/{shipment['id']}", headers=key).json()
    assert len(doc["events"]) == 1
    assert len(doc["forecasts"]) == 2


@pytest.mark.parametrize(
    ("event", "reason"),
    [
        (_event("Aktau", "2099-01-01T00:00:00Z"), "in the future"),
        (_event("Aktau", "2025-01-05T00:00:00Z"), "before the departure"),
        (_event("Atlantis", "2025-01-09T00:00:00Z"), "unknown place 'Atlantis'"),
        (_event("Aktogay", "2025-01-08T00:00:00Z"), "earlier than the previous"),
        (_event("Lanzhou", "2025-01-11T00:00:00Z"), "already passed Lanzhou"),
        (_event("Dostyk", "2025-01-11T00:00:00Z"), "repeats the previous"),
        (_event("Istanbul", "2025-01-11T00:00:00Z", "DEPA"), "report the arrival"),
        (
            {
                "eventClassifierCode": "ACT",
                "eventDateTime": "2025-01-11T00:00:00Z",
                "transportEventTypeCode": "ARRI",
                "eventLocation": {},
            },
            "UNLocationCode or the locationName",
        ),
        (
            {**_event("Dostyk", "2025-01-11T00:00:00Z"), "transportEventTypeCode": None},
            "needs transportEventTypeCode",
        ),
    ],
)
def test_bad_events_are_4xx_with_a_reason_and_store_nothing(
    client: TestClient,
    key: dict[str, str],
    shipment: dict[str, Any],
    event: dict[str, Any],
    reason: str,
) -> None:
    url = _events_url(shipment)
    assert (
        client.post(url, json=_event("Dostyk", "2025-01-09T10:00:00Z"), headers=key).status_code
        == 201
    )
    r = client.post(url, json=event, headers=key)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert reason in r.json()["detail"]
    assert "\n" not in r.json()["detail"]
    doc = client.get(f"/api/v1/shipments/{shipment['id']}", headers=key).json()
    assert len(doc["events"]) == 1
    assert len(doc["forecasts"]) == 2


def test_estimates_are_stored_without_reforecasting(
    client: TestClient, key: dict[str, str], shipment: dict[str, Any]
) -> None:
    est = _event("Istanbul", "2025-01-27T00:00:00Z", classifier="EST")
    assert client.post(_events_url(shipment), json=est, headers=key).status_code == 201
    doc = client.get(f"/api/v1/shipments/{shipment['id']}", headers=key).json()
    assert [e["eventClassifierCode"] for e in doc["events"]] == ["EST"]
    assert len(doc["forecasts"]) == 1
    assert doc["status"] == "in_transit"


def test_arrival_ends_the_shipment_and_feeds_the_forecast_log(
    client: TestClient, key: dict[str, str], shipment: dict[str, Any]
) -> None:
    url = _events_url(shipment)
    assert (
        client.post(url, json=_event("Dostyk", "2025-01-09T10:00:00Z"), headers=key).status_code
        == 201
    )
    done = client.post(url, json=_event("Istanbul", "2025-01-26T06:30:00Z"), headers=key)
    assert done.status_code == 201, done.text
    doc = done.json()
    assert doc["status"] == "delivered"
    assert doc["arrived_at"] == "2025-01-26T06:30"
    assert doc["eta"]["eta"] == dict.fromkeys(("p10", "p50", "p90"), "2025-01-26T06:30")
    late = client.post(url, json=_event("Kars", "2025-01-27T00:00:00Z"), headers=key)
    assert late.status_code == 422
    log = client.get("/api/v1/forecast-log").json()
    assert log["shipments"] == 1
    assert [s["stage"] for s in log["stages"]] == [0, 1]  # the final forecast is not scored
    for stage, fc in zip(log["stages"], doc["forecasts"], strict=False):
        inside = fc["eta"]["p10"] <= "2025-01-26T06:30" <= fc["eta"]["p90"]
        assert stage["inside_p10_p90"] == (1.0 if inside else 0.0)


def test_unknown_shipment_and_place(client: TestClient, key: dict[str, str]) -> None:
    assert client.get("/api/v1/shipments/nope", headers=key).status_code == 404
    r = client.post(
        "/api/v1/shipments/nope/events", json=_event("Aktau", "2025-01-09T00:00:00Z"), headers=key
    )
    assert r.status_code == 404
    r = client.post("/api/v1/shipments", json={**BOOKING, "origin": "Xiann"}, headers=key)
    assert r.status_code == 404
    assert "Xi'an" in r.json()["candidates"]
    r = client.post("/api/v1/shipments", json={**BOOKING, "deadline": "2024-12-31"}, headers=key)
    assert r.status_code == 422


def test_shipments_on_postgresql(any_db_url: str) -> None:
    with TestClient(create_app(make_settings(any_db_url))) as client:
        key = {"X-API-Key": client.app.state.services.store.create_api_key("t").key}  # type: ignore[attr-defined]
        sid = client.post("/api/v1/shipments", json=BOOKING, headers=key).json()["id"]
        ev = _event("Dostyk", "2025-01-09T10:00:00Z")
        codes = [
            client.post(f"/api/v1/shipments/{sid}/events", json=ev, headers=key).status_code
            for _ in range(2)
        ]
        assert codes == [201, 200]
        doc = client.get(f"/api/v1/shipments/{sid}", headers=key).json()
        assert len(doc["events"]) == 1
        assert doc["forecasts"][1]["as_of"] == "2025-01-09T10:00"
        listed = client.get("/api/v1/shipments", headers=key).json()["shipments"]
        assert [s["id"] for s in listed] == [sid]


def test_the_service_class_is_planned_per_shipment(client: TestClient, key: dict[str, str]) -> None:
    docs = {}
    for service in ("standard", "express", "standard"):
        r = client.post("/api/v1/shipments", json={**BOOKING, "service": service}, headers=key)
        assert r.status_code == 201, r.text
        docs.setdefault(service, []).append(r.json())
    standard, express = docs["standard"][0], docs["express"][0]
    assert express["service"] == "express"
    # a scheduled express block train is faster and surer than regular traffic
    assert express["eta"]["eta"]["p50"] < standard["eta"]["eta"]["p50"]
    assert express["forecasts"][0]["band_days"] < standard["forecasts"][0]["band_days"]
    assert docs["standard"][1]["eta"]["eta"] == standard["eta"]["eta"]  # same inputs, same seed
