"""Countries by code or English name (``--avoid Russia``)."""

from __future__ import annotations

import pytest

from corridor.errors import NodeNotFoundError
from corridor.facade import resolve_avoid
from corridor.network import Network, country_candidates, country_code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("RU", "RU"),
        ("ru", "RU"),
        ("RUS", "RU"),
        ("Russia", "RU"),
        ("Russian Federation", "RU"),
        ("Iran", "IR"),
        ("IRN", "IR"),
        ("Kazakhstan", "KZ"),
        ("Türkiye", "TR"),
        ("turkiye", "TR"),
        ("Turkey", "TR"),
        ("Czechia", "CZ"),
        ("Georgia", "GE"),
        ("Ruse", None),
        ("XX", None),
        ("", None),
    ],
)
def test_country_code(text: str, code: str | None) -> None:
    assert country_code(text) == code


def test_candidates_for_a_misspelt_country() -> None:
    assert country_candidates("Kazakstan") == ["Kazakhstan"]
    assert country_candidates("qqqq") == []


def test_resolve_avoid_mixes_countries_and_places(bundled: Network) -> None:
    countries, nodes = resolve_avoid(bundled, ["Russia", "irn", "Suez", "Ruse"])
    assert countries == {"RU", "IR"}
    assert nodes == {"suez", "ruse"}


@pytest.mark.parametrize("text", ["XX", "Atlantis", "Rusia"])
def test_unknown_avoid_is_a_domain_error_with_candidates(bundled: Network, text: str) -> None:
    with pytest.raises(NodeNotFoundError, match=f"unknown country or place '{text}'"):
        resolve_avoid(bundled, [text])
    if text == "Rusia":
        with pytest.raises(NodeNotFoundError) as info:
            resolve_avoid(bundled, [text])
        assert info.value.candidates[0] == "Russian Federation"
