"""The scrubber under the map in a real Chromium: dragging the brush moves the
window, the caption, the slider and the URL; a click moves it keeping its length.

Assertions are on the DOM and the URL, never on pixels.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from imu_geo.scrubber import SCRUB_LABEL
from tests.e2e.pages import MONTHS, caption, open_app, query_of, window_months

pytestmark = pytest.mark.browser


def _url_months(page: Page) -> tuple[int, int]:
    query = query_of(page)
    start, end = query["start"], query["end"]
    return (
        int(start[:4]) * 12 + int(start[5:7]) - 1,
        int(end[:4]) * 12 + int(end[5:7]) - 1,
    )


def _scrubber(page: Page):
    chart = page.locator('[data-testid="stVegaLiteChart"]').first
    chart.scroll_into_view_if_needed()
    expect(chart.locator(".scrub_brush path").first).to_be_visible(timeout=30_000)
    return chart


def test_dragging_the_brush_moves_the_window_and_the_url(
    page: Page, streamlit_server, artifacts_dir
):
    page.set_viewport_size({"width": 1400, "height": 1000})
    open_app(page, f"{streamlit_server}/?start=1999-01-01&end=2004-12-31")
    expect(caption(page)).to_have_text(re.compile(r"from Jan 1999 to Dec 2004$"))
    chart = _scrubber(page)
    expect(page.get_by_text(SCRUB_LABEL)).to_be_visible()
    # The chart's description is its accessible name, for screen readers.
    # A screen reader reads each bar in words, and not the 300 month cells.
    expect(
        chart.locator('[aria-label="Feb 1999: 1 attack event beginning"]')
    ).to_have_count(1)
    assert chart.locator('[aria-label^="t0:"]').count() == 0
    page.screenshot(path=str(artifacts_dir / "scrubber-1999-2004.png"), full_page=True)

    brush = chart.locator(".scrub_brush path").first.bounding_box()
    # The brush spans the window: 72 months of the 300 on the axis.
    months = chart.locator(".scrub_brush path").first
    assert brush["width"] > 0
    x = brush["x"] + brush["width"] / 2
    y = brush["y"] + brush["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + brush["width"] / 4, y, steps=6)
    page.mouse.move(x + brush["width"] / 2, y, steps=6)
    page.mouse.up()

    # Half the brush's width is 36 months: the window moves about three years.
    expect(caption(page)).not_to_have_text(
        re.compile(r"from Jan 1999 to Dec 2004$"), timeout=20_000
    )
    page.wait_for_function(
        "() => new URLSearchParams(location.search).get('start') !== '1999-01-01'",
        timeout=10_000,
    )
    expect(page.locator('[data-testid="stApp"]')).to_have_attribute(
        "data-test-script-state", "notRunning", timeout=30_000
    )
    first, last = window_months(caption(page).inner_text())
    assert last - first == 71  # the same length, snapped to whole months
    assert 1999 * 12 + 30 <= first <= 1999 * 12 + 42
    assert _url_months(page) == (first, last)
    # The slider followed (its end handle says the last month).
    end_handle = page.get_by_role("slider").nth(1)
    expect(end_handle).to_have_attribute(
        "aria-valuetext", f"{MONTHS[last % 12]} {last // 12}"
    )
    # The brush is drawn again where the window now is.
    _scrubber(page)
    moved = months.bounding_box()
    assert moved["x"] > brush["x"] + brush["width"] / 3
    page.screenshot(path=str(artifacts_dir / "scrubber-dragged.png"), full_page=True)


def test_a_click_on_a_month_moves_the_window_keeping_its_length(
    page: Page, streamlit_server
):
    page.set_viewport_size({"width": 1400, "height": 1000})
    open_app(page, f"{streamlit_server}/?start=1999-01-01&end=1999-12-31")
    chart = _scrubber(page)
    brush = chart.locator(".scrub_brush path").first.bounding_box()
    # The axis labels the years at their first instant: a click just right of
    # the middle of the label 2010 is on January 2010.
    label = chart.locator(".role-axis-label text", has_text=re.compile(r"^2010$"))
    year = label.first.bounding_box()
    page.mouse.click(
        year["x"] + year["width"] / 2 + 1, brush["y"] + brush["height"] / 2
    )
    expect(caption(page)).not_to_have_text(
        re.compile(r"from Jan 1999 to Dec 1999$"), timeout=20_000
    )
    expect(page.locator('[data-testid="stApp"]')).to_have_attribute(
        "data-test-script-state", "notRunning", timeout=30_000
    )
    first, last = window_months(caption(page).inner_text())
    assert last - first == 11
    # Twelve months centred on January 2010 (give or take a pixel's month):
    # five before it, six after.
    assert abs(first - (2010 * 12 - 5)) <= 1
    assert _url_months(page) == (first, last)
