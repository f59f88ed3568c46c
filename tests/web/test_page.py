"""The web page in a real headless Chromium: offline map, comparison, simulation."""

from __future__ import annotations

import urllib.request
from pathlib import Path
from typing import Any

import pytest

from corridor.present import CORRIDOR_COLOURS, RESOURCE_COLOURS

pytestmark = pytest.mark.slow  # a browser: make test-all


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
def test_compare_and_simulate_in_the_browser(server: str, browser: Any, artifacts: Path) -> None:  # noqa: PLR0915  (one browser session walks the whole page, step by step)
    page = browser.new_page(viewport={"width": 1440, "height": 900})
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
    # side by side on a desktop: the panel on the left, the map filling the rest
    panel, map_box = page.locator("#panel").bounding_box(), page.locator("#map").bounding_box()
    assert panel is not None and map_box is not None
    assert map_box["width"] > 800 and map_box["height"] > 700
    assert map_box["x"] >= panel["x"] + panel["width"] - 1
    # no country ring streaks across the antimeridian (Russia, Fiji): widest span < 180°
    assert float(page.get_attribute("body", "data-country-span") or "360") < 180
    # the default departure is today, as on the command line
    assert page.input_value("#depart") == page.evaluate(
        "(() => { const d = new Date(); const p = (n) => String(n).padStart(2, '0');"
        " return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`; })()"
    )
    page.screenshot(path=str(artifacts / "01-map.png"))

    page.fill("#search", "Aktau")
    page.click("#search-form button")
    page.wait_for_selector(".leaflet-popup-content", timeout=10_000)
    assert "Aktau" in page.inner_text(".leaflet-popup-content")
    page.fill("#search", "Akhtau")
    page.click("#search-form button")
    page.wait_for_selector("#search-msg.error", timeout=10_000)
    assert "Did you mean" in page.inner_text("#search-msg")
    assert "Aktau" in page.inner_text("#search-msg")

    page.fill("#origin", "Xi'an")
    page.fill("#destination", "Istanbul")
    page.fill("#depart", "2026-03-01")
    page.select_option("#samples", "2000")
    page.fill("#deadline", "25")
    page.fill("#year", "2024")
    page.click("#compare-btn")
    page.wait_for_selector("#compare-table tbody tr", timeout=30_000)
    assert page.inner_text("#deadline-col") == "≤ 25 d"
    assert "%" in page.locator("#compare-table tbody tr").first.inner_text()
    rows = page.locator("#compare-table tbody tr[data-corridor]")
    corridors = [rows.nth(i).get_attribute("data-corridor") for i in range(rows.count())]
    # under each row, the countries it crosses
    lines = page.locator("#compare-table tbody tr.route-line")
    assert lines.count() == rows.count()
    # (a row's notes follow its countries, on lines of their own)
    # the middle row crosses the Caspian and the Caucasus into Türkiye (by BTK or by the Black Sea)
    firsts = [lines.nth(i).inner_text().strip().splitlines()[0] for i in range(lines.count())]
    assert any(
        f.startswith("CN › KZ › (Caspian) › AZ › GE › ") and f.endswith(" TR") for f in firsts
    ), firsts
    assert len(set(corridors)) >= 3
    assert "middle" in corridors
    drawn = {
        c
        for c in ("middle", "north-south", "northern", "southern", "maritime")
        if page.locator(f"#map path.corridor-{c}").count() > 0
    }
    assert len(drawn) >= 3
    assert drawn == set(corridors)
    strokes = {
        c: page.locator(f"#map path.corridor-{c}").first.get_attribute("stroke") for c in drawn
    }
    # each corridor in its one colour, the same as in the terminal and the PNG charts
    assert strokes == {c: CORRIDOR_COLOURS[c] for c in drawn}
    assert page.locator("#transit-box").is_visible()
    assert page.locator("#days-box").is_visible()
    page.screenshot(path=str(artifacts / "02-compare.png"))
    assert page.inner_text("#cost-col") == "USD/FEU"
    assert "estimated rates" in (
        page.locator("#compare-table tbody td.cost").first.get_attribute("title") or ""
    )
    feu_cost = page.locator("#compare-table tbody td.cost").first.inner_text()
    page.select_option("#container", "20")
    page.click("#compare-btn")
    page.locator("#cost-col", has_text="USD/TEU").wait_for(timeout=30_000)
    teu_cost = page.locator("#compare-table tbody td.cost").first.inner_text()
    assert float(teu_cost.replace(",", "")) < float(feu_cost.replace(",", ""))

    # avoid by country name: echoed, and the corridors it rules out are named with the reason
    page.fill("#avoid", "Russia, Iran")
    page.click("#compare-btn")
    page.locator("#compare-msg", has_text="avoiding").wait_for(timeout=30_000)
    assert "avoiding IR, RU" in page.inner_text("#compare-msg")
    omitted = page.inner_text("#compare-omitted")
    assert "northern — no northern route avoiding IR, RU" in omitted
    shown = page.locator("#compare-table tbody tr[data-corridor]")
    assert "northern" not in [
        shown.nth(i).get_attribute("data-corridor") for i in range(shown.count())
    ]
    page.fill("#avoid", "")

    page.fill("#origin", "Atlantis")
    page.click("#compare-btn")
    page.wait_for_selector("#compare-msg.error", timeout=10_000)
    assert "unknown place" in page.inner_text("#compare-msg")
    # the previous answer does not stay on screen under the error
    assert not page.locator("#compare-table").is_visible()
    assert not page.locator("#transit-box").is_visible()
    assert page.locator("#map path.corridor-line").count() == 0

    page.select_option("#scenario", "baseline-2024")
    page.fill("#sim-days", "30")
    page.click("#sim-btn")
    page.wait_for_selector("#sim-results:not([hidden])", timeout=90_000)
    assert "finished" in page.inner_text("#sim-msg")
    assert "TEU arrived" in page.inner_text("#sim-summary")
    assert page.locator("#bottlenecks li").count() >= 1
    assert "formation:" not in page.inner_text("#bottlenecks")
    labels = page.evaluate("Chart.getChart('util-chart').data.labels")
    assert labels and not any(":" in label for label in labels)  # names, not raw ids
    colours = page.evaluate(
        "(() => { const c = Chart.getChart('util-chart'); const r = c.data.labels;"
        " return r.map((l, i) => [l, c.data.datasets[0].backgroundColor[i]]); })()"
    )
    assert not any(
        label.startswith("block trains") and colour == RESOURCE_COLOURS["bottleneck"]
        for label, colour in colours
    )
    page.locator("#sim-results").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "03-simulation.png"))

    assert outside == []
    assert errors == []
    page.close()


@pytest.mark.slow
def test_phone_layout(server: str, browser: Any, artifacts: Path) -> None:
    """At 390×844 the map sits on top with a real height and the comparison fits the width."""
    page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(server + "/")
    page.wait_for_selector("body[data-ready='true']", timeout=30_000)
    map_box = page.locator("#map").bounding_box()
    panel = page.locator("#panel").bounding_box()
    assert map_box is not None and panel is not None
    assert map_box["height"] >= 240
    assert map_box["width"] >= 380
    assert panel["y"] >= map_box["y"] + map_box["height"] - 1  # the panel is below the map
    assert page.locator("#map path.network-link").count() > 50
    page.fill("#origin", "Xi'an")
    page.fill("#destination", "Istanbul")
    page.select_option("#samples", "2000")
    page.click("#compare-btn")
    page.wait_for_selector("#compare-table tbody tr", timeout=30_000)
    # nothing is wider than the screen: the page does not scroll sideways
    assert page.evaluate("document.documentElement.scrollWidth") <= 391
    table = page.locator("#compare-table")
    table.scroll_into_view_if_needed()
    assert table.is_visible()
    box = page.locator(".table-fit").bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 391
    # every visible column is on screen without scrolling the table
    for th in page.locator("#compare-table thead th:visible").all():
        cell = th.bounding_box()
        assert cell is not None and cell["x"] + cell["width"] <= 391
    assert page.locator("#transit-chart").bounding_box()["width"] <= 391  # type: ignore[index]
    page.screenshot(path=str(artifacts / "04-phone.png"), full_page=True)
    assert errors == []
    page.close()


def test_compare_under_a_scenario_in_the_browser(server: str, browser: Any) -> None:
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(server + "/")
    page.wait_for_selector("body[data-ready='true']", timeout=30_000)
    # the comparison's selector offers no scenario first, then the bundled ones
    options = page.eval_on_selector_all("#compare-scenario option", "os => os.map(o => o.value)")
    assert options[0] == "" and "new-links-2030" in options
    page.fill("#origin", "Baku")
    page.fill("#destination", "Kars")
    page.fill("#depart", "2026-03-01")
    page.select_option("#samples", "2000")
    page.select_option("#compare-scenario", "new-links-2030")
    page.click("#compare-btn")
    page.wait_for_selector("#compare-table tbody tr", timeout=30_000)
    assert "under scenario new-links-2030 (network of 2030)" in page.inner_text("#compare-msg")
    assert errors == []
    page.close()


def test_express_service_in_the_browser(server: str, browser: Any) -> None:
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(server + "/")
    page.wait_for_selector("body[data-ready='true']", timeout=30_000)

    def middle_p50(service: str) -> float:
        page.fill("#origin", "Xi'an")
        page.fill("#destination", "Baku")
        page.fill("#depart", "2025-05-01")
        page.fill("#year", "2025")
        page.select_option("#samples", "2000")
        page.select_option("#service", service)
        page.click("#compare-btn")
        page.locator("#compare-msg", has_text=f"{service} service").wait_for(timeout=30_000)
        row = page.locator("#compare-table tbody tr", has_text="middle").first
        return float(row.locator("td").nth(2).inner_text())

    standard = middle_p50("standard")
    express = middle_p50("express")
    assert "values of 2025" in page.inner_text("#compare-msg")
    assert express < 0.75 * standard
    assert errors == []
    page.close()


def test_the_map_draws_rail_links_along_measured_track(server: str, browser: Any) -> None:
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    page.goto(server + "/")
    page.wait_for_selector("body[data-ready='true']", timeout=30_000)
    shaped, rail = (
        int(x) for x in (page.get_attribute("body", "data-rail-shaped") or "0/0").split("/")
    )
    assert rail > 100
    assert shaped >= 0.85 * rail
    # the drawn paths carry the shapes: most rail paths have more than one segment
    vertices = page.eval_on_selector_all(
        "#map path.network-link.mode-rail",
        "els => els.map(e => (e.getAttribute('d').match(/L/g) || []).length + 1)",
    )
    assert len(vertices) > 100
    assert sum(v > 2 for v in vertices) >= 0.5 * len(vertices)
    page.close()
