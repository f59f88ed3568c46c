"""Graph checks: gauges, transfers, ports, orphans."""

from __future__ import annotations

from pathlib import Path

import pytest

from corridor.errors import DataError
from corridor.network import load_network


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_gauge_change_needs_a_transfer_operation(tiny_copy: Path) -> None:
    _edit(tiny_copy / "operations.csv", "cc,gauge_change,4,4,0,40,,tiny,\n", "")
    with pytest.raises(
        DataError, match="'cc' joins 1435 and 1520 mm track but has no gauge_change"
    ):
        load_network(tiny_copy)


def test_rail_link_must_match_node_gauges(tiny_copy: Path) -> None:
    _edit(tiny_copy / "links.csv", "qq,zz,rail,1520", "qq,zz,rail,1435")
    with pytest.raises(DataError, match="qq -> zz has gauge 1435 but node 'qq' has gauges"):
        load_network(tiny_copy)


def test_port_needs_port_operation(tiny_copy: Path) -> None:
    _edit(tiny_copy / "operations.csv", "pp,port,12,12,0,60,,tiny,\n", "")
    with pytest.raises(DataError, match="'pp' is served by vessels but has no port operation"):
        load_network(tiny_copy)


def test_orphan_node(tiny_copy: Path) -> None:
    path = tiny_copy / "nodes.csv"
    path.write_text(path.read_text() + "oo,Orphan,,KZ,45,60,junction,,1520,tiny,tiny,\n")
    with pytest.raises(DataError, match="'oo' has no link"):
        load_network(tiny_copy)


def test_terminal_needs_terminal_operation(tiny_copy: Path) -> None:
    _edit(tiny_copy / "operations.csv", "zz,terminal,8,8,0,30,,tiny,\n", "")
    with pytest.raises(DataError, match="terminal 'zz' has no terminal operation"):
        load_network(tiny_copy)
