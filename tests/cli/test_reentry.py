"""The comparisons a domain review found going out and back, as a user runs them.

``corridor compare`` on the bundled network: no option leaves a country and comes back into it
unless the places the user names make it (and then it says so), a long or back-tracking route
shown only as the fastest carries a note, and a corridor that does not apply between two places
says so instead of quoting an absurd detour.
"""

from __future__ import annotations

import json
import re
from typing import Any

from typer.testing import CliRunner

from corridor.cli.main import app

runner = CliRunner()


def compare(*args: str) -> dict[str, Any]:
    result = runner.invoke(app, ["compare", *args, "--samples", "200", "--json"])
    assert result.exit_code == 0, result.stderr
    doc: dict[str, Any] = json.loads(result.stdout)
    return doc


def _land(countries: list[str]) -> list[str]:
    """The countries entered, a voyage that lands where it began (Lake Van) not counted."""
    out: list[str] = []
    for c in countries:
        if not c.startswith("(") and (not out or out[-1] != c):
            out.append(c)
    return out


def _re_entered(countries: list[str]) -> set[str]:
    land = _land(countries)
    return {c for c in land if land.count(c) > 1}


def _reasons(doc: dict[str, Any]) -> dict[str, str]:
    return {o["corridor"]: o["reason"] for o in doc["omitted"]}


def test_xian_aktau_has_no_route_through_iran_and_back() -> None:
    doc = compare("xian", "Aktau", "--year", "2024")
    for o in doc["options"]:
        assert _re_entered(o["countries"]) == set(), o["countries"]
    assert "southern" not in {o["corridor"] for o in doc["options"]}
    reason = _reasons(doc)["southern"]
    assert reason.startswith("re-enters ")
    assert "KZ" in reason


def test_shanghai_tbilisi_northern_row_enters_russia_once() -> None:
    doc = compare("Shanghai", "Tbilisi", "--year", "2024")
    for o in doc["options"]:
        assert _re_entered(o["countries"]) == set(), o["countries"]
    northern = [o for o in doc["options"] if o["corridor"] == "northern"]
    if northern:
        assert _land(northern[0]["countries"]).count("RU") == 1


def test_xian_poti_enters_georgia_once_and_does_not_turn_back_through_turkiye() -> None:
    doc = compare("xian", "Poti", "--year", "2024")
    for o in doc["options"]:
        assert _re_entered(o["countries"]) == set(), o["countries"]
        assert o["countries"][-1] == "GE"
        # through Iran to Çetinkaya in central Türkiye and back east to Georgia: slower,
        # dearer and higher in CO2 than a row shown (middle or north-south), so not offered
        assert "cetinkaya" not in o["route"]["nodes"]
    reason = _reasons(doc).get("southern", "")
    shown = {o["corridor"] for o in doc["options"]}
    assert reason.startswith("slower, dearer and higher in CO2 than the "), reason
    assert reason.split(" than the ")[1].split(" option")[0] in shown


def test_a_tour_the_vias_make_says_what_it_re_enters() -> None:
    # Tehran then Baku: there is no way from Iran to Baku and on to Istanbul without coming
    # back into a country; the option says which, and why
    doc = compare("xian", "Istanbul", "--via", "Tehran", "--via", "Baku")
    assert doc["via"] == ["tehran", "alat"]
    for o in doc["options"]:
        again = _re_entered(o["countries"])
        if again:
            (note,) = [n for n in o["notes"] if n.startswith("re-enters ")]
            assert "between the places it must pass" in note
            assert all(c in note for c in again)


def test_without_vias_no_option_has_a_re_entry_note() -> None:
    doc = compare("xian", "Istanbul", "--year", "2025", "--depart", "2025-06-01")
    for o in doc["options"]:
        assert not any(n.startswith("re-enters") for n in o["notes"])


def test_no_route_to_istanbul_runs_through_central_europe() -> None:
    # no service carries a box from China to Türkiye through Germany or Czechia: such a route
    # changes trains in Europe (waits and handling), and none is offered
    doc = compare("xian", "Istanbul", "--year", "2025", "--depart", "2025-06-01")
    for o in doc["options"]:
        assert not {"DE", "CZ"} & set(o["countries"]), (o["corridor"], o["countries"])
    args = ["compare", "xian", "Istanbul", "--year", "2025", "--depart", "2025-06-01"]
    table = runner.invoke(app, [*args, "--samples", "200"], env={"COLUMNS": "200"}).stdout
    # a long note (an event's warning) wraps under its corridor's name: compare the words
    words = " ".join(table.split())
    for o in doc["options"]:
        for note in o["notes"]:
            assert " ".join(f"note: {note}".split()) in words, note


def test_tbilisi_kars_does_not_quote_an_absurd_detour() -> None:
    doc = compare("Tbilisi", "Kars")
    reasons = _reasons(doc)
    # a Caspian crossing between Tbilisi and Kars: beaten by the train on every count
    assert reasons["middle"].startswith("slower, dearer and higher in CO2 than the direct option")


def test_turkmenbashi_baku_has_no_105_fold_maritime_detour() -> None:
    doc = compare("Turkmenbashi", "Baku")
    assert _reasons(doc)["maritime"].startswith("slower, dearer and higher in CO2 than the middle")
    assert doc["options"][0]["corridor"] == "middle"  # the ferry; by Iran and Astara is slower


def test_when_every_route_goes_out_and_back_the_error_says_so() -> None:
    # without Samtredia, Tbilisi reaches Poti only through Türkiye and back by sea
    result = runner.invoke(app, ["compare", "Tbilisi", "Poti", "--avoid", "Samtredia"])
    assert result.exit_code == 1
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("error: no route from Tbilisi to Poti avoiding samtredia")
    assert "every route leaves a country and comes back into it (the best re-enters GE" in line


def test_rail_through_central_europe_to_a_black_sea_ship_is_flagged() -> None:
    # Shanghai to Piraeus: the northern row takes the train through Prague down to Varna and
    # a ship from there; it runs past Varna and back, and says so
    doc = compare("Shanghai", "Piraeus", "--year", "2024")
    for o in doc["options"]:
        if "varna" in o["route"]["nodes"] and {"DE", "CZ"} & set(o["countries"]):
            assert any(re.match(r"runs [\d,]+ km past Varna, to ", n) for n in o["notes"])
