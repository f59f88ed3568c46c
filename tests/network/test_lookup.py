"""Node lookup: id, name, alias, UN/LOCODE; any case, any accents; helpful errors."""

from __future__ import annotations

import pytest

from corridor.errors import NodeNotFoundError
from corridor.model import Node, NodeKind
from corridor.network import Network, NodeIndex, normalize_name


@pytest.mark.parametrize("query", ["zz", "Zulu", "ZULU", "zulú terminal", "Zulu Terminal"])
def test_names_resolve(tiny: Network, query: str) -> None:
    assert tiny.node(query).id == "zz"


def test_locode(tiny: Network) -> None:
    assert tiny.node("kzppp").id == "pp"


def test_unknown_suggests(tiny: Network) -> None:
    with pytest.raises(NodeNotFoundError, match="did you mean Zulu") as info:
        tiny.node("Zuluu")
    assert info.value.candidates[0] == "Zulu"


def test_ambiguous_lists_both() -> None:
    nodes = [
        Node(
            id=i,
            name=i.title(),
            aliases=("Twin",),
            country="KZ",
            lat=0,
            lon=0,
            kind=NodeKind.JUNCTION,
        )
        for i in ("east", "west")
    ]
    with pytest.raises(NodeNotFoundError, match="ambiguous") as info:
        NodeIndex(nodes).resolve("twin")
    assert info.value.candidates == ["East (east)", "West (west)"]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Xi'an", "XIAN"),
        ("Kapıkule", "kapikule"),
        ("Constanța", "constanta"),
        ("Łódź", "lodz"),
        ("Türkmenbaşy", "turkmenbasy"),
        ("Boyuk Kəsik", "boyuk kasik"),
    ],
)
def test_normalize(a: str, b: str) -> None:
    assert normalize_name(a) == normalize_name(b)


@pytest.mark.parametrize(
    ("spelling", "node_id"),
    [
        ("Bakı", "alat"),
        ("Баку", "alat"),
        ("西安", "xian"),
        ("Алматы", "almaty"),
        ("თბილისი", "tbilisi"),
        ("İstanbul", "istanbul"),
        ("ISTANBUL", "istanbul"),
        ("Карс", "kars"),
    ],
)
def test_native_spellings_resolve(bundled: Network, spelling: str, node_id: str) -> None:
    assert bundled.node(spelling).id == node_id


def test_native_names_are_sourced_and_never_ambiguous(bundled: Network) -> None:
    from corridor.network import normalize_name

    owners: dict[str, set[str]] = {}
    for node in bundled.nodes.values():
        for name in (node.id, node.name, *node.aliases, *node.native_names):
            owners.setdefault(normalize_name(name), set()).add(node.id)
    for node in bundled.nodes.values():
        for name in node.native_names:
            assert owners[normalize_name(name)] == {node.id}, name
    assert "geonames-alternatenames" in bundled.sources
    # the listing shows the curated names only
    assert "native_names" not in bundled.node("Baku").to_dict()
