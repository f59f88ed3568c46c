"""The compact form of a network: the same answers as the files, and never a stale network."""

from __future__ import annotations

import json
from pathlib import Path

import corridor
from corridor.network import load_network
from corridor.network.bundled import COMPACT_NAME, write_compact


def _compare_json(folder: Path) -> str:
    net = load_network(folder)
    result = corridor.compare("Alpha", "Zulu", depart="2025-01-15", samples=500, network=net)
    return json.dumps(result.to_dict(), sort_keys=True)


def test_the_compact_form_gives_the_same_comparison_as_the_files(tiny_copy: Path) -> None:
    slow = _compare_json(tiny_copy)
    write_compact(tiny_copy)
    assert (tiny_copy / COMPACT_NAME).is_file()
    assert _compare_json(tiny_copy) == slow
    assert load_network(tiny_copy) == load_network(tiny_copy)


def test_a_changed_file_makes_the_compact_form_stale(tiny_copy: Path) -> None:
    """Seen failing when the fingerprint ignored the files: the old name came back."""
    write_compact(tiny_copy)
    nodes = tiny_copy / "nodes.csv"
    nodes.write_text(nodes.read_text(encoding="utf-8").replace("Alpha", "Alfa"), encoding="utf-8")
    assert load_network(tiny_copy).node("aa").name == "Alfa"


def test_an_unreadable_compact_form_is_ignored(tiny_copy: Path) -> None:
    (tiny_copy / COMPACT_NAME).write_bytes(b"not a fingerprint\nnot a pickle")
    assert load_network(tiny_copy).node("aa").name == "Alpha"
