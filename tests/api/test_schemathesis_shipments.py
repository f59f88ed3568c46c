"""Schemathesis on the shipments operations, against a shipment that exists.

The module-wide fuzz (``test_schemathesis.py``) mostly meets unknown shipment ids (404). Here
every generated request to ``/shipments/{shipment_id}...`` targets a booked shipment, so the
event validation (places, times, order, idempotency) and the re-forecast are what gets fuzzed;
no answer may be a 5xx, and every answer must match the documented schema.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
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
EXAMPLES_PER_OPERATION = 150 if os.environ.get("CORRIDOR_TEST_EXHAUSTIVE") == "1" else 15


@pytest.fixture(scope="module", autouse=True)
def _stop_jobs() -> Iterator[None]:
    yield
    _APP.state.services.jobs.shutdown()


@pytest.mark.fuzz
@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.generate],
    derandomize=True,
)
def test_shipment_operations_conform(case: Any) -> None:
    if case.path_parameters and "shipment_id" in case.path_parameters:
        case.path_parameters["shipment_id"] = _SHIPMENT
    response = case.call_and_validate(headers={"X-API-Key": _KEY}, checks=CHECKS)
    assert response.status_code < 500, response.text
