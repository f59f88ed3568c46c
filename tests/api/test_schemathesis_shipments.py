"""Schemathesis on the shipments operations, against a shipment that exists.

The module-wide fuzz (``test_schemathesis.py``) mostly meets unknown shipment ids (404). Here
every generated request to ``/shipments/{shipment_id}...`` targets a booked shipment, so the
event validation (places, times, order, idempotency) and the re-forecast are what gets fuzzed;
no answer may be a 5xx, and every answer must match the documented schema.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from corridor.api import create_app
from tests.api.conftest import TestClient, make_settings

_TMP = Path(tempfile.mkdtemp(prefix="corridor-schemathesis-shipments-"))
_APP = create_app(make_settings(f"sqlite:///{_TMP / 'st.db'}", max_samples=2000))
_KEY = _APP.state.services.store.create_api_key("schemathesis").key
with TestClient(_APP) as _client:
    _SHIPMENT = _client.post(
        "/api/v1/shipments",
        json={"origin": "Xi'an", "destination": "Istanbul", "depart": "2025-01-06"},
        headers={"X-API-Key": _KEY},
    ).json()["id"]
schema = schemathesis.openapi.from_asgi("/openapi.json", _APP).include(
    path_regex=r"^/api/v1/(shipments|forecast-log)"
)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
_calls: dict[str, int] = {"requests": 0, "5xx": 0, "2xx_events": 0}


@schema.parametrize()
@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.generate],
    derandomize=True,
)
def test_shipment_operations_conform(case: Any) -> None:
    if case.path_parameters and "shipment_id" in case.path_parameters:
        case.path_parameters["shipment_id"] = _SHIPMENT
    response = case.call_and_validate(headers={"X-API-Key": _KEY}, checks=CHECKS)
    _calls["requests"] += 1
    if response.status_code >= 500:
        _calls["5xx"] += 1
    if case.path.endswith("/events") and response.status_code < 300:
        _calls["2xx_events"] += 1


def test_enough_shipment_requests_were_made() -> None:
    """Runs after the generated tests of this module."""
    if _calls["requests"] == 0:
        pytest.skip("the generated tests did not run (deselected)")
    assert _calls["requests"] >= 500, _calls
    assert _calls["5xx"] == 0
    _APP.state.services.jobs.shutdown()
