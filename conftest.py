"""The tiers: ``make test`` (quick: every test not marked ``slow``, the exhaustive ones skipped)
and ``make test-all`` (also the ``slow`` end-to-end tests and, with ``--exhaustive``, the checks
that sweep a whole space: every pair of places, long Schemathesis runs)."""

from __future__ import annotations

import os

import pytest

EXHAUSTIVE_ENV = "CORRIDOR_TEST_EXHAUSTIVE"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--exhaustive",
        action="store_true",
        help="also run the exhaustive checks (marked 'exhaustive'); make test-all passes it",
    )


def pytest_configure(config: pytest.Config) -> None:
    # Output is captured: the CLI lays it out for a pipe, whatever terminal (or test worker)
    # started the run and whatever width it exported (a test that wants one sets COLUMNS).
    for name in ("COLUMNS", "LINES"):
        os.environ.pop(name, None)
    if config.getoption("--exhaustive"):
        os.environ[EXHAUSTIVE_ENV] = "1"  # read by modules that size their runs at import


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get(EXHAUSTIVE_ENV) == "1":
        return
    skip = pytest.mark.skip(reason="exhaustive check: make test-all (pytest --exhaustive)")
    for item in items:
        if "exhaustive" in item.keywords:
            item.add_marker(skip)
