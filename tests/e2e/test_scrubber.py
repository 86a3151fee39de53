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


def _band(page: Page):
    """The brush's band, once the scrubber has drawn it under the map."""
    band = page.get_by_role("slider", name=re.compile(r"^Time window, "))
    band.scroll_into_view_if_needed()
    expect(band).to_be_visible(timeout=30_000)
    return band


def _edge(page: Page, which: str):
    return page.get_by_role("slider", name=f"Time window's {which} month")


def _settled(page: Page) -> tuple[int, int]:
    """The window once the page's run has finished, from the caption."""
    expect(page.locator('[data-testid="stApp"]')).to_have_attribute(
        "data-test-script-state", "notRunning", timeout=30_000
    )
    return window_months(caption(page).inner_text())


def _drag(page: Page, box: dict, dx: float) -> None:
    x = box["x"] + box["width"] / 2
    y = box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + dx / 2, y, steps=6)
    page.mouse.move(x + dx, y, steps=6)
    page.mouse.up()


def test_dragging_the_brush_moves_the_window_and_the_url(
    page: Page, streamlit_server, artifacts_dir
):
    page.set_viewport_size({"width": 1400, "height": 1000})
    open_app(page, f"{streamlit_server}/?start=1999-01-01&end=2004-12-31")
    expect(caption(page)).to_have_text(re.compile(r"from Jan 1999 to Dec 2004$"))
    band = _band(page)
    expect(page.get_by_text(SCRUB_LABEL)).to_be_visible()
    # The chart is a group named for screen readers; the band says the window.
    expect(page.get_by_role("group", name=SCRUB_LABEL)).to_have_count(1)
    expect(band).to_have_attribute("aria-valuetext", "Jan 1999 to Dec 2004")
    page.screenshot(path=str(artifacts_dir / "scrubber-1999-2004.png"), full_page=True)

    brush = band.bounding_box()
    # The band spans the window: 72 months of the 300 on the axis.
    assert brush["width"] > 72
    _drag(page, brush, brush["width"] / 2)

    # Half the band's width is 36 months: the window moves three years.
    expect(caption(page)).not_to_have_text(
        re.compile(r"from Jan 1999 to Dec 2004$"), timeout=20_000
    )
    page.wait_for_function(
        "() => new URLSearchParams(location.search).get('start') !== '1999-01-01'",
        timeout=10_000,
    )
    first, last = _settled(page)
    assert last - first == 71  # the same length, in whole months
    assert abs(first - (1999 * 12 + 36)) <= 1
    assert _url_months(page) == (first, last)
    # The slider followed (its end handle says the last month).
    end_handle = page.get_by_role("slider").nth(1)
    expect(end_handle).to_have_attribute(
        "aria-valuetext", f"{MONTHS[last % 12]} {last // 12}"
    )
    # The band is where the window now is, and says so.
    expect(band).to_have_attribute(
        "aria-valuetext",
        f"{MONTHS[first % 12]} {first // 12} to {MONTHS[last % 12]} {last // 12}",
    )
    moved = band.bounding_box()
    assert moved["x"] > brush["x"] + brush["width"] / 3
    page.screenshot(path=str(artifacts_dir / "scrubber-dragged.png"), full_page=True)


def test_dragging_an_edge_resizes_the_window(page: Page, streamlit_server):
    page.set_viewport_size({"width": 1400, "height": 1000})
    open_app(page, f"{streamlit_server}/?start=1999-01-01&end=2004-12-31")
    band = _band(page)
    per_month = band.bounding_box()["width"] / 72
    # The last month's edge, 24 months to the right.
    _drag(page, _edge(page, "last").bounding_box(), 24 * per_month)
    expect(caption(page)).not_to_have_text(
        re.compile(r"from Jan 1999 to Dec 2004$"), timeout=20_000
    )
    first, last = _settled(page)
    assert first == 1999 * 12
    assert abs(last - (2004 * 12 + 11 + 24)) <= 1
    assert _url_months(page) == (first, last)
    # The first month's edge, 12 months to the left of where it was.
    _drag(page, _edge(page, "first").bounding_box(), -12 * per_month)
    page.wait_for_function(
        "() => new URLSearchParams(location.search).get('start') !== '1999-01-01'",
        timeout=20_000,
    )
    first, last_again = _settled(page)
    assert abs(first - (1998 * 12)) <= 1
    assert last_again == last
    assert _url_months(page) == (first, last)


def test_the_keyboard_steps_the_window_and_each_edge(page: Page, streamlit_server):
    page.set_viewport_size({"width": 1400, "height": 1000})
    open_app(page, f"{streamlit_server}/?start=1999-01-01&end=2004-12-31")
    band = _band(page)
    # Three presses in a row are sent as one step, when the keys stop.
    band.focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    expect(caption(page)).to_have_text(
        re.compile(r"from Apr 1999 to Mar 2005$"), timeout=20_000
    )
    assert _settled(page) == (1999 * 12 + 3, 2005 * 12 + 2)
    assert query_of(page)["start"] == "1999-04-01"
    # Page Up on the last month's edge: a year longer.
    last_edge = _edge(page, "last")
    last_edge.focus()
    page.keyboard.press("PageUp")
    expect(caption(page)).to_have_text(
        re.compile(r"from Apr 1999 to Mar 2006$"), timeout=20_000
    )
    # Home on the first month's edge: from the span's first month.
    first_edge = _edge(page, "first")
    first_edge.focus()
    page.keyboard.press("Home")
    expect(caption(page)).to_have_text(
        re.compile(r"from Jan 1991 to Mar 2006$"), timeout=20_000
    )
    _settled(page)
    # Focus stays on the edge through the run, which says its month.
    expect(first_edge).to_be_focused()
    expect(first_edge).to_have_attribute("aria-valuetext", "Jan 1991")
    assert query_of(page)["start"] == "1991-01-01"
    assert query_of(page)["end"] == "2006-03-31"


def test_a_click_on_a_month_moves_the_window_keeping_its_length(
    page: Page, streamlit_server
):
    page.set_viewport_size({"width": 1400, "height": 1000})
    open_app(page, f"{streamlit_server}/?start=1999-01-01&end=1999-12-31")
    brush = _band(page).bounding_box()
    # The axis labels each year at its first instant: a click just right of
    # the middle of the label 2010 is on January 2010.
    label = page.locator("svg text", has_text=re.compile(r"^2010$"))
    year = label.first.bounding_box()
    page.mouse.click(
        year["x"] + year["width"] / 2 + 1, brush["y"] + brush["height"] / 2
    )
    expect(caption(page)).not_to_have_text(
        re.compile(r"from Jan 1999 to Dec 1999$"), timeout=20_000
    )
    first, last = _settled(page)
    assert last - first == 11
    # Twelve months centred on January 2010: five before it, six after.
    assert first == 2010 * 12 - 5
    assert _url_months(page) == (first, last)


def test_a_one_month_window_can_be_moved_and_resized(page: Page, streamlit_server):
    page.set_viewport_size({"width": 1400, "height": 1000})
    open_app(page, f"{streamlit_server}/?start=2003-06-01&end=2003-06-30")
    band = _band(page)
    expect(band).to_have_attribute("aria-valuetext", "Jun 2003 to Jun 2003")
    brush = band.bounding_box()
    # A month's width on the axis, from the years 2000 and 2010 labelled on it.
    labels = [
        page.locator("svg text", has_text=re.compile(rf"^{year}$")).first.bounding_box()
        for year in (2000, 2010)
    ]
    per_month = (labels[1]["x"] - labels[0]["x"]) / 120
    # A month is a few pixels wide, narrower than an edge's grip: the band is
    # still moved, not resized, when held in its middle.
    assert per_month < 10
    _drag(page, brush, 12 * per_month)
    expect(caption(page)).not_to_have_text(
        re.compile(r"from Jun 2003 to Jun 2003$"), timeout=20_000
    )
    first, last = _settled(page)
    assert first == last
    assert abs(first - (2004 * 12 + 5)) <= 1
    assert _url_months(page) == (first, last)
    # Its last month's edge, held just right of the band, still resizes it.
    moved = caption(page).inner_text()
    _drag(page, _edge(page, "last").bounding_box(), 5 * per_month)
    expect(caption(page)).not_to_have_text(moved, timeout=20_000)
    first_again, longer = _settled(page)
    assert first_again == first
    assert 4 <= longer - first <= 6
    assert _url_months(page) == (first, longer)
