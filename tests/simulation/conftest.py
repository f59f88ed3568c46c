"""Fixtures of the simulation tests: the tiny network and scenario files built on it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


@pytest.fixture(scope="session")
def reference_simpy():  # type: ignore[no-untyped-def]
    """The SimPy reference model module (benchmarks/reference_simpy.py)."""
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import reference_simpy
    finally:
        sys.path.remove(str(BENCHMARKS))
    return reference_simpy


@pytest.fixture(scope="session")
def agreement():  # type: ignore[no-untyped-def]
    """The engine-versus-SimPy agreement rule (benchmarks/agreement.py)."""
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import agreement
    finally:
        sys.path.remove(str(BENCHMARKS))
    return agreement


def write_scenario(tmp_path: Path, text: str, name: str = "scn.yaml") -> Path:
    """Write a scenario file and return its path."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path
