"""The shipments store on SQLite and PostgreSQL: one event per identity, optimistic versions."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from corridor.store import (
    NewForecast,
    ShipmentConflict,
    Shipments,
    Store,
    event_key,
    new_shipment,
)

T0 = datetime(2025, 1, 6, tzinfo=UTC)


def _forecast(hours: float = 0.0) -> NewForecast:
    return NewForecast(
        as_of=T0, eta_p10=T0, eta_p50=T0, eta_p90=T0, on_time_probability=0.5, body={"h": hours}
    )


def _add(
    ships: Shipments, sid: str, version: int, when: datetime, node: str = "dostyk"
) -> tuple[str, bool]:
    key = event_key("ACT", "ARRI", node, when)
    event, created = ships.add_event(
        sid,
        expected_version=version,
        key=key,
        classifier="ACT",
        event_type="ARRI",
        milestone="arr",
        node=node,
        event_time=when,
        body={"eventClassifierCode": "ACT"},
        forecast=_forecast(1.0),
    )
    return event.id, created


def test_events_are_stored_once_and_versions_guard_the_order(store: Store) -> None:
    ships = Shipments(store)
    s = ships.add(
        new_shipment(
            origin="xian",
            destination="istanbul",
            depart=date(2025, 1, 6),
            service="standard",
            samples=100,
            seed=1,
        ),
        _forecast(),
    )
    when = datetime(2025, 1, 9, 10, tzinfo=UTC)
    first, created = _add(ships, s.id, 0, when)
    assert created
    # the same event again, even from a writer that read the old version, is not stored twice
    again, created_again = _add(ships, s.id, 1, when)
    assert (again, created_again) == (first, False)
    # a different event from a writer that read an old version is refused
    with pytest.raises(ShipmentConflict):
        _add(ships, s.id, 0, datetime(2025, 1, 12, tzinfo=UTC), node="aktau")
    rec = ships.get(s.id)
    assert rec is not None
    assert [e.node for e in rec.events] == ["dostyk"]
    assert [f.stage for f in rec.forecasts] == [0, 1]
    assert rec.version == 1
    assert rec.events[0].event_time == when
    with pytest.raises(LookupError):
        _add(ships, "no-such-shipment", 0, when)
