"""Shared fixtures: the tiny hand-checked network and the bundled network."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from corridor.network import Network, bundled_data_dir, example_network, load_network

TINY_DIR = bundled_data_dir() / "examples" / "tiny"


@pytest.fixture(scope="session")
def tiny() -> Network:
    """The 7-node example network whose answers are worked out by hand in the tests."""
    return example_network("tiny")


@pytest.fixture(scope="session")
def bundled() -> Network:
    """The bundled Eurasian network."""
    return load_network()


@pytest.fixture
def tiny_copy(tmp_path: Path) -> Path:
    """A writable copy of the tiny network's files."""
    dest = tmp_path / "tiny"
    shutil.copytree(TINY_DIR, dest)
    return dest
