"""``corridor eta``: the conditioned ETA from the command line."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from corridor.api.tracking import EventIn, Tracker
from corridor.cli.main import app
from corridor.network import load_network
from corridor.store import Store

runner = CliRunner()
XIAN_IST = ["eta", "Xi'an", "Istanbul", "--depart", "2025-01-06", "--samples", "4000"]


def test_seen_departing_aktau_narrows_the_band_and_starts_there() -> None:
    seen = ["--seen", "aktau@2025-01-14T08:00:dep", "--now", "2025-01-14T08:00"]
    result = runner.invoke(app, [*XIAN_IST, *seen, "--json"])
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    at_departure, now = doc["stages"]
    assert at_departure["after"] is None
    assert now["after"] == {"node": "aktau", "event": "dep", "at": "2025-01-14T08:00"}
    assert now["band_days"] < at_departure["band_days"]
    assert doc["band_days"] == now["band_days"]
    assert doc["position"]["node"] == "aktau"
    first = doc["route"]["remaining_legs"][0]
    assert (first["from"], first["to"], first["mode"]) == ("aktau", "alat", "sea")
    assert doc["route"]["nodes"][doc["route"]["reached"] - 1] == "aktau"
    assert doc["next_milestone"]["node"] == "alat"
    assert doc["eta"]["p10"] <= doc["eta"]["p50"] <= doc["eta"]["p90"]
    assert doc["eta"]["p10"] > "2025-01-14T08:00"
    assert sum(w["days"] for w in doc["where"]) == pytest.approx(
        doc["remaining_days"]["mean"], abs=0.05
    )


def test_deadline_and_delivery() -> None:
    result = runner.invoke(
        app,
        [
            *XIAN_IST,
            "--seen",
            "Aktau@2025-01-13",
            "--seen",
            "istanbul@2025-01-28T10:00",
            "--deadline",
            "2025-01-28",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["status"] == "delivered"
    assert doc["eta"] == {
        "p10": "2025-01-28T10:00",
        "p50": "2025-01-28T10:00",
        "p90": "2025-01-28T10:00",
    }
    assert doc["on_time_probability"] == 1.0
    assert doc["next_milestone"] is None


def test_no_news_for_weeks_is_overdue_with_an_eta_after_now() -> None:
    """Seen leaving Aktau on 14 January and silent until 1 March: the box has not arrived by
    1 March (its ETA is later), and it is past the P90 forecast when it left (29 January)."""
    seen = ["--seen", "aktau@2025-01-14T08:00:dep", "--now", "2025-03-01T00:00"]
    doc = json.loads(runner.invoke(app, [*XIAN_IST, *seen, "--json"]).stdout)
    assert doc["as_of"] == "2025-03-01T00:00"
    assert doc["eta"]["p10"] > "2025-03-01T00:00"
    assert doc["overdue"] is True
    assert doc["expected_by"] == doc["stages"][-1]["eta"]["p90"] < "2025-03-01"
    assert doc["eta_local"]["tz"] == "Europe/Istanbul"
    human = runner.invoke(app, [*XIAN_IST, *seen]).stdout
    assert "OVERDUE" in human
    assert "overdue: no news since the departure from Aktau 2025-01-14 08:00" in human


def test_human_output_names_the_stages() -> None:
    seen = ["--seen", "aktau@2025-01-14T08:00:dep", "--now", "2025-01-14T09:00"]
    result = runner.invoke(app, [*XIAN_IST, *seen])
    assert result.exit_code == 0, result.stderr
    assert "dep aktau 2025-01-14 08:00" in result.stdout
    assert "next: arrival at Baku" in result.stdout


@pytest.mark.parametrize(
    ("seen", "message"),
    [
        (["aktau@2099-01-01"], "in the future"),
        (["aktau@2025-01-14:dep", "dostyk@2025-01-15"], "already passed Dostyk"),
        (["aktau@2025-01-14:dep", "aktau@2025-01-15:dep"], "repeats"),
        (["nowhere@2025-01-14"], "unknown place"),
        (["aktau 2025-01-14"], "NODE@DATETIME"),
    ],
)
def test_bad_milestones_exit_1_with_one_line(seen: list[str], message: str) -> None:
    args = [*XIAN_IST]
    for s in seen:
        args += ["--seen", s]
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert message in result.stderr
    assert result.stderr.count("\n") == 1
    assert result.stdout == ""


def test_bad_options_are_usage_errors() -> None:
    assert runner.invoke(app, ["eta", "xian", "istanbul", "--depart", "6 Jan"]).exit_code == 2
    bad_service = [*XIAN_IST, "--service", "premium"]
    assert runner.invoke(app, bad_service).exit_code == 2


def test_eta_report_scores_delivered_shipments(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'log.db'}"
    monkeypatch.setenv("CORRIDOR_DATABASE_URL", url)
    empty = runner.invoke(app, ["eta-report"])
    assert empty.exit_code == 0
    assert "no delivered shipments" in empty.stderr
    store = Store(url)
    net = load_network()
    tracker = Tracker(store, lambda: net)
    arrivals = [datetime(2025, 1, 25, 12), datetime(2025, 3, 30)]  # inside, then very late
    for arrival in arrivals:
        rec = tracker.book(
            origin="xian",
            destination="istanbul",
            depart=date(2025, 1, 6),
            service="standard",
            corridor="middle",
            samples=2000,
        )
        for node, code, when in (
            ("dostyk", "ARRI", datetime(2025, 1, 9, 10)),
            ("istanbul", "ARRI", arrival),
        ):
            ev = EventIn(classifier="ACT", event_type=code, node=node, at=when, body={})
            assert tracker.post_event(rec.id, ev) is not None
    store.close()
    result = runner.invoke(app, ["eta-report", "--json"])
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["shipments"] == 2
    assert [s["stage"] for s in doc["stages"]] == [0, 1]
    for stage in doc["stages"]:
        assert stage["forecasts"] == 2
        assert stage["late"] >= 0.5  # the March arrival is late for every forecast
        assert stage["inside_p10_p90"] + stage["early"] + stage["late"] == pytest.approx(1.0)
    human = runner.invoke(app, ["eta-report"])
    assert "after milestone 1" in human.stdout


def test_eta_report_unreachable_store_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORRIDOR_DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    result = runner.invoke(app, ["eta-report"])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: cannot open the store")
    assert result.stderr.count("\n") == 1
