"""Property-based tests of the whole API from its OpenAPI schema (Schemathesis).

Generated requests over every operation, with an API key so that write endpoints get past
authentication; no answer may be a 5xx, and every answer must match the documented status
codes, content types and response schemas. ``make test`` draws a few examples per operation;
``make test-all`` (``--exhaustive``) draws 110 per operation, over a thousand requests in all.
Each operation's test stands alone (no count shared between tests).
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
from tests.api.conftest import make_settings

_TMP = Path(tempfile.mkdtemp(prefix="corridor-schemathesis-"))
# Built when the module is collected: one app and store for the whole module. The run goes to
# SQLite; CORRIDOR_TEST_SCHEMATHESIS_URL names another database (an empty PostgreSQL one, say).
_URL = os.environ.get("CORRIDOR_TEST_SCHEMATHESIS_URL") or f"sqlite:///{_TMP / 'st.db'}"
_APP = create_app(make_settings(_URL, max_samples=2000, max_simulation_days=60))
_KEY = _APP.state.services.store.create_api_key("schemathesis").key
schema = schemathesis.openapi.from_asgi("/openapi.json", _APP)

EXAMPLES_PER_OPERATION = 110 if os.environ.get("CORRIDOR_TEST_EXHAUSTIVE") == "1" else 12
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


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
def test_api_conforms_to_its_schema(case: Any) -> None:
    response = case.call_and_validate(headers={"X-API-Key": _KEY}, checks=CHECKS)
    assert response.status_code < 500, response.text
