"""The comparison fits the screen: at 1440×900 and on a 390×844 phone every row's P50, on-time
share, USD and CO2e are on screen without scrolling sideways; rows are reached by keyboard; the
page's address reproduces the comparison; the histogram shows the deadline and P10–P90 bands."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.slow  # a browser: make test-all

SIZES = {"laptop": (1440, 900), "phone": (390, 844)}
FIGURES = ("td.p50", "td.ontime", "td.cost", "td.co2")


def _compare(page: Any, server: str, query: str) -> None:
    page.goto(f"{server}/?{query}")
    page.wait_for_selector("body[data-ready='true']", timeout=30_000)
    page.wait_for_selector("#compare-table tbody tr[data-corridor]", timeout=60_000)


@pytest.mark.slow
@pytest.mark.parametrize("size", sorted(SIZES))
def test_every_row_shows_its_figures_without_sideways_scrolling(
    server: str, browser: Any, artifacts: Path, size: str
) -> None:
    width, height = SIZES[size]
    phone = size == "phone"
    page = browser.new_page(
        viewport={"width": width, "height": height}, is_mobile=phone, has_touch=phone
    )
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    # a shared link: the page runs the comparison its address describes
    _compare(
        page,
        server,
        "origin=Xi%27an&destination=Istanbul&depart=2026-03-01&samples=2000&deadline_days=25",
    )
    assert page.input_value("#origin") == "Xi'an"
    assert page.input_value("#deadline") == "25"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    table = page.locator("#compare-table")
    fit = page.evaluate(
        "(() => { const t = document.querySelector('#compare-table');"
        " const box = t.parentElement; return [t.scrollWidth, box.clientWidth]; })()"
    )
    assert fit[0] <= fit[1], f"the table is {fit[0]} px wide in a {fit[1]} px box"
    panel = page.locator("#panel").bounding_box()
    assert panel is not None
    rows = page.locator("#compare-table tbody tr[data-corridor]")
    assert rows.count() >= 3
    for i in range(rows.count()):
        row = rows.nth(i)
        row.scroll_into_view_if_needed()
        for selector in FIGURES:
            cell = row.locator(selector)
            assert cell.is_visible(), (size, i, selector)
            text = cell.inner_text().strip()
            assert text and text[0].isdigit(), (size, selector, text)
            box = cell.bounding_box()
            assert box is not None
            # wholly inside the screen and the panel, not clipped behind a scroll
            assert (
                box["x"] >= 0
                and box["x"] + box["width"] <= min(width, panel["x"] + panel["width"]) + 1
            )
            assert page.evaluate(
                "(el) => el.scrollWidth <= el.clientWidth + 1", cell.element_handle()
            )
    # the notes under a row wrap inside the panel
    for line in page.locator("#compare-table tbody tr.route-line td").all():
        box = line.bounding_box()
        assert box is not None and box["x"] + box["width"] <= panel["x"] + panel["width"] + 1
    if phone:
        # the columns a phone has no room for are read under the row
        assert "P10–P90" in page.locator("#compare-table tbody tr.route-line").first.inner_text()
        # the map frames every route and can zoom out further
        assert (
            page.evaluate("document.querySelector('.leaflet-control-zoom-out').className").find(
                "leaflet-disabled"
            )
            == -1
        )
    table.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / f"compare-{size}.png"), full_page=True)
    assert errors == []
    page.close()


@pytest.mark.slow
def test_rows_by_keyboard_and_the_histogram_marks(server: str, browser: Any) -> None:
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    _compare(
        page,
        server,
        "origin=Xi%27an&destination=Istanbul&depart=2026-03-01&samples=2000&deadline_days=25",
    )
    first = page.locator("#compare-table tbody tr[data-corridor]").first
    corridor = first.get_attribute("data-corridor")
    page.focus("#compare-btn")
    for _ in range(40):  # Tab until a row has the focus
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.dataset.corridor || ''"):
            break
    assert page.evaluate("document.activeElement.dataset.corridor") == corridor
    page.keyboard.press("Enter")
    assert first.get_attribute("aria-selected") == "true"
    # one P10–P90 band per corridor, and the deadline, on the transit-time chart
    rows = page.locator("#compare-table tbody tr[data-corridor]").count()
    assert page.get_attribute("#transit-chart", "data-bands") == str(rows)
    assert page.get_attribute("#transit-chart", "data-deadline") == "25"
    labels = page.evaluate("Chart.getChart('transit-chart').data.datasets.map(d => d.label)")
    assert "deadline 25 d" in labels
    # "optimise for" is offered exactly when the server's comparison takes it
    with urllib.request.urlopen(server + "/openapi.json") as resp:
        spec = json.load(resp)
    names = [p["name"] for p in spec["paths"]["/api/v1/compare"]["get"]["parameters"]]
    assert page.locator("#optimize-label").is_visible() == ("optimize" in names)
    page.close()
