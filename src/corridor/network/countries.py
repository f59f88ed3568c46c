"""Countries by what users call them: ISO 3166-1 alpha-2 and alpha-3 codes and English names.

Codes and ISO names come from ``pycountry`` (the ISO 3166-1 tables it ships, no network access);
a short table adds the English names in everyday use that ISO spells otherwise ("Russia" for the
Russian Federation, "Turkey" for Türkiye, "Vietnam" for Viet Nam). Matching ignores case,
accents and punctuation.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata

__all__ = ["country_candidates", "country_code", "country_name"]

# Everyday English names that are not an ISO name, official name or common name.
_EVERYDAY: dict[str, str] = {
    "russia": "RU",
    "turkey": "TR",
    "turkiye": "TR",
    "iran": "IR",
    "persia": "IR",
    "syria": "SY",
    "moldova": "MD",
    "czech republic": "CZ",
    "vietnam": "VN",
    "laos": "LA",
    "south korea": "KR",
    "korea": "KR",
    "north korea": "KP",
    "taiwan": "TW",
    "tanzania": "TZ",
    "bolivia": "BO",
    "venezuela": "VE",
    "brunei": "BN",
    "burma": "MM",
    "ivory coast": "CI",
    "cape verde": "CV",
    "swaziland": "SZ",
    "east timor": "TL",
    "macedonia": "MK",
    "vatican": "VA",
    "palestine": "PS",
    "uk": "GB",
    "great britain": "GB",
    "britain": "GB",
    "england": "GB",
    "usa": "US",
    "america": "US",
    "holland": "NL",
    "kirghizia": "KG",
    "byelorussia": "BY",
    "belorussia": "BY",
}


def _norm(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]+", " ", plain).strip()


@functools.cache
def _index() -> dict[str, str]:
    out: dict[str, str] = {}
    import pycountry  # noqa: PLC0415  (its tables load on first use: start-up time)

    for c in pycountry.countries:
        code = str(c.alpha_2)
        for attr in ("alpha_2", "alpha_3", "name", "common_name", "official_name"):
            value = getattr(c, attr, None)
            if value:
                out.setdefault(_norm(str(value)), code)
    for name, code in _EVERYDAY.items():
        out.setdefault(_norm(name), code)
    return out


def country_code(text: str) -> str | None:
    """The ISO alpha-2 code of the country ``text`` names (code or English name), or None.

    Examples
    --------
    >>> [country_code(x) for x in ("RU", "rus", "Russia", "Türkiye", "Iran", "Ruse")]
    ['RU', 'RU', 'RU', 'TR', 'IR', None]
    """
    key = _norm(text)
    return _index().get(key) if key else None


def country_name(code: str) -> str:
    """The everyday English name of a country by its alpha-2 code (the code if unknown)."""
    import pycountry  # noqa: PLC0415

    c = pycountry.countries.get(alpha_2=code.upper())
    if c is None:
        return code
    return str(getattr(c, "common_name", None) or c.name)


def country_candidates(text: str, n: int = 3) -> list[str]:
    """Country names closest to ``text`` (for "did you mean"), best first."""
    key = _norm(text)
    if not key:
        return []
    names = [k for k in _index() if len(k) > 3]
    found = difflib.get_close_matches(key, names, n=n, cutoff=0.75)
    seen: list[str] = []
    for k in found:
        name = country_name(_index()[k])
        if name not in seen:
            seen.append(name)
    return seen
