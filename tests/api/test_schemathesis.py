"""Property-based tests of the whole API from its OpenAPI schema (Schemathesis).

At least 1,000 generated requests over every operation, with an API key so that write
endpoints get past authentication; no answer may be a 5xx, and every answer must match the
documented status codes, content types and response schemas.
"""

from __future__ import annotations

import os
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
from tests.api.conftest import make_settings

_TMP = Path(tempfile.mkdtemp(prefix="corridor-schemathesis-"))
# Built when the module is collected: one app and store for the whole module. The run goes to
# SQLite; CORRIDOR_TEST_SCHEMATHESIS_URL names another database (an empty PostgreSQL one, say).
_URL = os.environ.get("CORRIDOR_TEST_SCHEMATHESIS_URL") or f"sqlite:///{_TMP / 'st.db'}"
_APP = create_app(make_settings(_URL, max_samples=2000, max_simulation_days=60))
_KEY = _APP.state.services.store.create_api_key("schemathesis").key
schema = schemathesis.openapi.from_asgi("/openapi.json", _APP)

EXAMPLES_PER_OPERATION = 110
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
_calls: dict[str, int] = {"requests": 0, "5xx": 0}


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
    _calls["requests"] += 1
    if response.status_code >= 500:
        _calls["5xx"] += 1


def test_enough_requests_were_made() -> None:
    """Runs after the generated tests of this module."""
    if _calls["requests"] == 0:
        pytest.skip("the generated tests did not run (deselected)")
    assert _calls["requests"] >= 1000, _calls
    assert _calls["5xx"] == 0
    _APP.state.services.jobs.shutdown()
