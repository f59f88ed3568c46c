"""The shipment view in a real headless Chromium: book, add two events, watch the ETA band move."""

from __future__ import annotations

import urllib.request
from pathlib import Path
from typing import Any

import pytest


def test_track_page_is_served_with_the_page_policy(server: str) -> None:
    with urllib.request.urlopen(server + "/track") as resp:
        html = resp.read().decode()
        csp = resp.headers["content-security-policy"]
    assert "default-src 'self'" in csp
    assert "https://" not in html
    with urllib.request.urlopen(server + "/static/track.js") as resp:
        assert resp.status == 200


def _eta_cells(page: Any) -> list[str]:
    return [page.inner_text(f"#eta-table tbody td:nth-child({i})") for i in (2, 3, 4)]


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
    page.fill("#depart", "2025-01-06")
    page.fill("#deadline", "2025-01-31")
    page.select_option("#corridor", "middle")
    page.fill("#reference", "BL-WEB-1")
    page.click("#ship-btn")
    page.wait_for_selector("#band-chart[data-stages='1']", timeout=30_000)
    assert "Xi'an → Istanbul" in page.inner_text("#view-title")
    assert "Next: departure from Xi'an" in page.inner_text("#next-milestone")
    booked = _eta_cells(page)
    assert all(c.startswith("2025-") for c in booked)
    assert page.locator("#map path.route-ahead").count() == 1
    assert page.locator("#map path.route-travelled").count() == 0
    assert "BL-WEB-1" in page.inner_text("#ship-list")

    # first event: the box arrives at Dostyk
    page.fill("#ev-place", "Dostyk")
    page.fill("#ev-time", "2025-01-09T10:00")
    page.select_option("#ev-type", "ARRI")
    page.click("#ev-btn")
    page.wait_for_selector("#band-chart[data-stages='2']", timeout=30_000)
    after_dostyk = _eta_cells(page)
    assert after_dostyk != booked
    assert page.locator("#events-table tbody tr").count() == 1

    # second event: it sails from Aktau (given by its UN/LOCODE)
    page.fill("#ev-place", "KZAAU")
    page.fill("#ev-time", "2025-01-14T08:00")
    page.select_option("#ev-type", "DEPA")
    page.click("#ev-btn")
    page.wait_for_selector("#band-chart[data-stages='3']", timeout=30_000)
    after_aktau = _eta_cells(page)
    assert after_aktau not in (booked, after_dostyk)
    assert "Next: arrival at Baku" in page.inner_text("#next-milestone")
    assert page.locator("#events-table tbody tr").count() == 2
    assert page.locator("#map path.route-travelled").count() == 1
    assert page.locator("#map path.route-here").count() == 1
    page.screenshot(path=str(artifacts / "track.png"), full_page=True)

    # a bad event is refused with its reason, and nothing changes
    page.fill("#ev-place", "Dostyk")
    page.fill("#ev-time", "2025-01-15T08:00")
    page.select_option("#ev-type", "ARRI")
    page.click("#ev-btn")
    page.wait_for_selector("#ev-msg.error", timeout=30_000)
    assert "already passed Dostyk" in page.inner_text("#ev-msg")
    assert page.locator("#events-table tbody tr").count() == 2

    # the stored shipment reopens from its link
    page.reload()
    page.wait_for_selector("#band-chart[data-stages='3']", timeout=30_000)
    assert errors == []
    assert outside == []
