"""The web page in a real headless Chromium: offline map, comparison, simulation."""

from __future__ import annotations

import urllib.request
from pathlib import Path
from typing import Any

import pytest


def test_page_and_assets_are_served_without_external_urls(server: str) -> None:
    with urllib.request.urlopen(server + "/") as resp:
        html = resp.read().decode()
        csp = resp.headers["content-security-policy"]
    assert "default-src 'self'" in csp
    assert "http://" not in html.replace('href="/docs"', "")
    assert "https://" not in html
    for asset in (
        "/static/app.js",
        "/static/vendor/leaflet/leaflet.js",
        "/static/vendor/leaflet/LICENSE",
        "/static/vendor/chartjs/chart.umd.min.js",
        "/static/vendor/chartjs/LICENSE.md",
        "/static/vendor/topojson-client/topojson-client.min.js",
        "/static/vendor/world-atlas/countries-50m.json",
        "/static/vendor/world-atlas/LICENSE",
    ):
        with urllib.request.urlopen(server + asset) as resp:
            assert resp.status == 200, asset


@pytest.mark.slow
def test_compare_and_simulate_in_the_browser(server: str, browser: Any, artifacts: Path) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    outside: list[str] = []
    errors: list[str] = []
    page.on(
        "request",
        lambda r: outside.append(r.url) if not r.url.startswith((server, "data:")) else None,
    )
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(server + "/")
    page.wait_for_selector("body[data-ready='true']", timeout=30_000)
    # The map: country shapes, network links by mode (some planned, dashed) and nodes.
    assert page.locator("#map path.leaflet-interactive.network-link").count() > 50
    assert page.locator("#map path.network-link.mode-ferry").count() >= 1
    assert page.locator("#map path.network-link.planned").count() >= 1
    assert page.locator("#map .leaflet-countries-pane path, #map path").count() > 100
    page.screenshot(path=str(artifacts / "01-map.png"))

    page.fill("#search", "Aktau")
    page.click("#search-form button")
    page.wait_for_selector(".leaflet-popup-content", timeout=10_000)
    assert "Aktau" in page.inner_text(".leaflet-popup-content")

    page.fill("#origin", "Xi'an")
    page.fill("#destination", "Istanbul")
    page.fill("#depart", "2026-03-01")
    page.select_option("#samples", "2000")
    page.click("#compare-btn")
    page.wait_for_selector("#compare-table tbody tr", timeout=30_000)
    rows = page.locator("#compare-table tbody tr")
    corridors = [rows.nth(i).get_attribute("data-corridor") for i in range(rows.count())]
    assert len(set(corridors)) >= 3
    assert "middle" in corridors
    drawn = {
        c
        for c in ("middle", "northern", "southern", "maritime")
        if page.locator(f"#map path.corridor-{c}").count() > 0
    }
    assert len(drawn) >= 3
    assert drawn == set(corridors)
    strokes = {page.locator(f"#map path.corridor-{c}").first.get_attribute("stroke") for c in drawn}
    assert len(strokes) == len(drawn)  # distinct colours
    assert page.locator("#transit-box").is_visible()
    assert page.locator("#days-box").is_visible()
    page.screenshot(path=str(artifacts / "02-compare.png"))

    page.fill("#origin", "Atlantis")
    page.click("#compare-btn")
    page.wait_for_selector("#compare-msg.error", timeout=10_000)
    assert "unknown place" in page.inner_text("#compare-msg")

    page.select_option("#scenario", "baseline-2024")
    page.fill("#sim-days", "30")
    page.click("#sim-btn")
    page.wait_for_selector("#sim-results:not([hidden])", timeout=90_000)
    assert "finished" in page.inner_text("#sim-msg")
    assert "TEU arrived" in page.inner_text("#sim-summary")
    assert page.locator("#bottlenecks li").count() >= 1
    page.locator("#sim-results").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "03-simulation.png"))

    assert outside == []
    assert errors == []
    page.close()
