"""The shipment view in a real headless Chromium: book, add two events, watch the ETA band move."""

from __future__ import annotations

import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.slow  # a browser: make test-all


def test_track_page_is_served_with_the_page_policy(server: str) -> None:
    with urllib.request.urlopen(server + "/track") as resp:
        html = resp.read().decode()
        csp = resp.headers["content-security-policy"]
    assert "default-src 'self'" in csp
    assert "https://" not in html
    with urllib.request.urlopen(server + "/static/track.js") as resp:
        assert resp.status == 200


def _eta_cells(page: Any) -> list[str]:
    row = "#eta-table tbody tr:first-child"
    return [page.inner_text(f"{row} td:nth-child({i})") for i in (2, 3, 4)]


def _day(offset: int) -> str:
    """Today plus ``offset`` days (UTC), YYYY-MM-DD: the page forecasts as of the real clock."""
    return (datetime.now(UTC) + timedelta(days=offset)).date().isoformat()


@pytest.mark.slow
def test_book_a_shipment_add_two_events_and_see_the_band_move(  # noqa: PLR0915  (one browser session, step by step)
    server: str, browser: Any, artifacts: Path
) -> None:
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    outside: list[str] = []
    errors: list[str] = []
    page.on(
        "request",
        lambda r: outside.append(r.url) if not r.url.startswith((server, "data:")) else None,
    )
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(server + "/track")
    page.wait_for_selector("body[data-ready='1']", timeout=30_000)

    page.fill("#origin", "Xi'an")
    page.fill("#destination", "Istanbul")
    page.fill("#depart", _day(-9))
    page.fill("#deadline", _day(20))
    page.select_option("#corridor", "middle")
    page.fill("#reference", "BL-WEB-1")
    page.click("#ship-btn")
    page.wait_for_selector("#band-chart[data-stages='1']", timeout=30_000)
    assert "Xi'an → Istanbul" in page.inner_text("#view-title")
    assert "Next: " in page.inner_text("#next-milestone")
    booked = _eta_cells(page)
    assert all(c >= _day(0) for c in booked)  # nine days of silence: not arrived by today
    assert page.inner_text("#ship-state") == "In transit"
    assert page.locator("#overdue-note").is_hidden()
    assert "Europe/Istanbul" in page.inner_text("#eta-table tbody tr.local-times")
    assert page.locator("#map path.route-ahead").count() == 1
    assert page.locator("#map path.route-travelled").count() == 0
    # the list of shipments is fetched again after the booking, in the background: wait for it
    page.locator("#ship-list").get_by_text("BL-WEB-1").wait_for(timeout=30_000)

    # first event: the box arrives at Dostyk
    page.fill("#ev-place", "Dostyk")
    page.fill("#ev-time", _day(-6) + "T10:00")
    page.select_option("#ev-type", "ARRI")
    page.click("#ev-btn")
    page.wait_for_selector("#band-chart[data-stages='2']", timeout=30_000)
    after_dostyk = _eta_cells(page)
    assert after_dostyk != booked
    assert page.locator("#events-table tbody tr").count() == 1

    # second event: it sails from Aktau (given by its UN/LOCODE)
    page.fill("#ev-place", "KZAAU")
    page.fill("#ev-time", _day(-1) + "T00:00")
    page.select_option("#ev-type", "DEPA")
    page.click("#ev-btn")
    page.wait_for_selector("#band-chart[data-stages='3']", timeout=30_000)
    after_aktau = _eta_cells(page)
    assert after_aktau not in (booked, after_dostyk)
    assert "Next: arrival at" in page.inner_text("#next-milestone")
    assert page.locator("#events-table tbody tr").count() == 2
    assert page.locator("#map path.route-travelled").count() == 1
    assert page.locator("#map path.route-here").count() == 1
    page.screenshot(path=str(artifacts / "track.png"), full_page=True)

    # a bad event is refused with its reason, and nothing changes
    page.fill("#ev-place", "Dostyk")
    page.fill("#ev-time", _day(-1) + "T01:00")
    page.select_option("#ev-type", "ARRI")
    page.click("#ev-btn")
    page.wait_for_selector("#ev-msg.error", timeout=30_000)
    assert "already passed Dostyk" in page.inner_text("#ev-msg")
    assert page.locator("#events-table tbody tr").count() == 2

    # the stored shipment reopens from its link
    page.reload()
    page.wait_for_selector("#band-chart[data-stages='3']", timeout=30_000)

    # a box that left ten weeks ago and was never seen: overdue, and its ETA is not in the past
    page.fill("#depart", _day(-70))
    page.fill("#deadline", "")
    page.select_option("#corridor", "")
    page.select_option("#service", "express")
    page.fill("#reference", "BL-WEB-2")
    page.click("#ship-btn")
    page.wait_for_selector("#view-title:has-text('BL-WEB-2')", timeout=30_000)
    assert page.inner_text("#ship-state") == "Overdue"
    assert page.locator("#overdue-note").is_visible()
    assert "no news since the departure" in page.inner_text("#overdue-note")
    assert all(c >= _day(0) for c in _eta_cells(page))
    assert "express" in page.inner_text("#view-summary")
    assert errors == []
    assert outside == []
