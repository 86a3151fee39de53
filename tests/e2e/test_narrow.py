"""The dashboard on a phone (390 × 844 CSS pixels, touch) in a real Chromium:
nothing wider than the screen, a map that leaves room for the scrubber under it,
a scrubber a finger can drag, details that fit, and pages that are not blank.

Assertions are on the DOM, the URL and box sizes; a screenshot of each page is
saved and checked only for having something drawn on it, never compared.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PIL import Image, ImageStat
from playwright.sync_api import Browser, Page, expect

from imu_geo.timeline import ERAS
from imu_geo.tour import view_for
from tests.e2e.pages import (
    LOAD_TIMEOUT_MS,
    assert_inside,
    caption,
    expected_rows,
    hover_until,
    open_app,
    project,
    query_of,
    run_finished,
    window_months,
)

pytestmark = pytest.mark.browser
WIDTH, HEIGHT = 390, 844
SCALE = 2
# The style sheet caps a map at half the screen's height on a phone.
MAP_MAX_HEIGHT = HEIGHT // 2
MAP_MIN_HEIGHT = 240


@pytest.fixture
def phone(browser: Browser):
    """A page in a phone-sized, touch-enabled browser window."""
    context = browser.new_context(
        viewport={"width": WIDTH, "height": HEIGHT},
        device_scale_factor=SCALE,
        has_touch=True,
        is_mobile=True,
    )
    yield context.new_page()
    context.close()


def _box(locator) -> dict[str, float]:
    box = locator.bounding_box()
    assert box is not None, locator
    return box


def _assert_fits_the_width(page: Page) -> None:
    """No horizontal scrolling: neither the document nor Streamlit's main pane
    (which scrolls the page) is wider than the screen, and the sidebar is
    closed (off screen), as Streamlit opens it on a narrow screen."""
    widths = page.evaluate(
        """() => [document.scrollingElement.scrollWidth,
                  document.querySelector('[data-testid="stMain"]').scrollWidth]"""
    )
    assert widths == [WIDTH, WIDTH]
    sidebar = page.locator('[data-testid="stSidebar"]').bounding_box()
    assert (
        sidebar is None or sidebar["width"] == 0 or sidebar["x"] + sidebar["width"] <= 0
    ), sidebar


def _assert_map_fits(page: Page) -> dict[str, float]:
    canvas = page.locator('[data-testid="stDeckGlJsonChart"] canvas').first
    expect(canvas).to_be_visible(timeout=30_000)
    box = _box(canvas)
    # The page's margins are 16 px a side: the map takes the rest of the width.
    assert 0 <= box["x"] and box["x"] + box["width"] <= WIDTH
    assert box["width"] >= WIDTH - 2 * 16 - 1
    assert MAP_MIN_HEIGHT <= box["height"] <= MAP_MAX_HEIGHT + 1
    return box


def _assert_not_blank(path: Path, crop: dict[str, float] | None = None) -> None:
    """The screenshot has the phone's size and something drawn on it (and in
    ``crop``, a box in CSS pixels, too): its grey levels vary."""
    image = Image.open(path).convert("L")
    assert image.size == (WIDTH * SCALE, HEIGHT * SCALE)
    assert ImageStat.Stat(image).stddev[0] > 20
    if crop:
        part = image.crop(
            tuple(
                round(v * SCALE)
                for v in (
                    crop["x"],
                    crop["y"],
                    crop["x"] + crop["width"],
                    min(crop["y"] + crop["height"], HEIGHT),
                )
            )
        )
        assert ImageStat.Stat(part).stddev[0] > 10
        # A drawn map has its land, borders, labels and markers: many shades.
        assert len(part.getcolors(maxcolors=1 << 16) or range(1 << 16)) > 50


def _touch_drag(page: Page, x: float, y: float, dx: float, steps: int = 12) -> None:
    """A finger put down at (x, y) and moved ``dx`` to the right, through the
    browser's touch input (so the browser decides, as on a phone, whether the
    gesture scrolls the page or goes to the page's own handlers)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send(
        "Input.dispatchTouchEvent",
        {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]},
    )
    for step in range(1, steps + 1):
        cdp.send(
            "Input.dispatchTouchEvent",
            {
                "type": "touchMove",
                "touchPoints": [{"x": x + dx * step / steps, "y": y}],
            },
        )
        page.wait_for_timeout(30)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    cdp.detach()


def test_the_map_page_on_a_phone(phone: Page, streamlit_server, tmp_path):
    page = phone
    params = {"start": "1999-01-01", "end": "2004-12-31"}
    open_app(page, f"{streamlit_server}/?start=1999-01-01&end=2004-12-31")
    expect(caption(page)).to_have_text(re.compile(r"from Jan 1999 to Dec 2004$"))
    _assert_fits_the_width(page)

    # The map and the scrubber under it are both on the first screen.
    page.wait_for_timeout(1500)  # deck.gl draws after the run
    map_box = _assert_map_fits(page)
    assert map_box["y"] + map_box["height"] <= HEIGHT
    band = page.get_by_role("slider", name=re.compile(r"^Time window, "))
    expect(band).to_be_visible(timeout=30_000)
    chart = page.get_by_role("group", name=re.compile(r"^Events per month"))
    chart_box = _box(chart)
    assert 0 <= chart_box["x"] and chart_box["x"] + chart_box["width"] <= WIDTH
    assert chart_box["y"] >= map_box["y"] + map_box["height"]
    assert chart_box["y"] + chart_box["height"] / 2 <= HEIGHT
    shot = tmp_path / "map-390.png"
    page.screenshot(path=str(shot))
    _assert_not_blank(shot, map_box)

    # A finger drags the brush sideways: the window follows the whole drag,
    # keeping its length. The band's width gives the scale: 72 months.
    brush = _box(band)
    per_month = brush["width"] / 72
    drag = 90 * per_month
    _touch_drag(
        page, brush["x"] + brush["width"] / 2, brush["y"] + brush["height"] / 2, drag
    )
    expect(caption(page)).not_to_have_text(
        re.compile(r"from Jan 1999 to Dec 2004$"), timeout=20_000
    )
    run_finished(page)
    first, last = window_months(caption(page).inner_text())
    assert last - first == 71
    moved = first - (1999 * 12)
    # 90 months, give or take the snap of the edges to whole months and the
    # pixel a month takes on a phone.
    assert abs(moved - 90) <= 3, moved
    start = query_of(page)["start"]
    assert (int(start[:4]) * 12 + int(start[5:7]) - 1) == first
    _assert_fits_the_width(page)

    # A tap on a table row opens the event's details, which fit the screen.
    page.goto(f"{streamlit_server}/?start=1999-01-01&end=2004-12-31")
    expect(caption(page)).to_have_text(re.compile(r"from Jan 1999 to Dec 2004$"))
    run_finished(page)
    first_row = expected_rows(params).iloc[0]
    grid = page.locator('[data-testid="stDataFrame"]')
    grid.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    box = _box(grid)
    # The row-selection checkbox of the first data row (the grid is a canvas).
    page.touchscreen.tap(box["x"] + 18, box["y"] + 35 + 17)
    heading = page.get_by_role("heading", name=first_row["title"])
    expect(heading).to_be_visible(timeout=20_000)
    run_finished(page)
    heading.scroll_into_view_if_needed()
    panel = page.locator(
        '[data-testid="stVerticalBlock"]', has=heading
    ).last  # the bordered container the panel draws
    panel_box = _box(panel)
    assert 0 <= panel_box["x"] and panel_box["x"] + panel_box["width"] <= WIDTH
    # Every line of the panel wraps inside it: no text runs past its edge.
    overflowing = panel.evaluate(
        """(panel) => [...panel.querySelectorAll('h3, p, blockquote')]
            .filter(e => e.scrollWidth > e.clientWidth + 1
                      || e.getBoundingClientRect().right > window.innerWidth)
            .map(e => e.textContent.slice(0, 40))"""
    )
    assert overflowing == []
    assert first_row["source_quote"][:40] in panel.inner_text()
    _assert_fits_the_width(page)
    shot = tmp_path / "map-390-details.png"
    page.screenshot(path=str(shot))
    _assert_not_blank(shot)


PAGES = {
    "tour": "/tour",
    "regions": "/regions?start=1999-01-01&end=2004-12-31",
    "timeline": "/timeline?start=1999-01-01&end=2004-12-31",
    "sources": "/sources?start=1999-01-01&end=2004-12-31",
}


@pytest.mark.parametrize("name", list(PAGES))
def test_the_other_pages_on_a_phone(phone: Page, streamlit_server, tmp_path, name):
    page = phone
    page.goto(streamlit_server + PAGES[name])
    # The timeline's chart, or the scrubber the other pages have.
    if name == "timeline":
        chart = page.locator('[data-testid="stVegaLiteChart"]').first
    else:
        chart = page.get_by_role("group", name=re.compile(r"^Events per month"))
    expect(chart).to_be_visible(timeout=LOAD_TIMEOUT_MS)
    run_finished(page)
    page.wait_for_timeout(1500)
    _assert_fits_the_width(page)
    chart_box = _box(chart)
    assert 0 <= chart_box["x"] and chart_box["x"] + chart_box["width"] <= WIDTH
    map_box = None
    if name in ("tour", "regions"):
        map_box = _assert_map_fits(page)
    if name == "tour":
        # Back, the stop and Next share one row above the map.
        back = _box(page.get_by_role("button", name="◀ Back"))
        forward = _box(page.get_by_role("button", name="Next ▶"))
        assert abs(back["y"] - forward["y"]) < 2
        assert back["x"] + back["width"] <= forward["x"]
        assert forward["x"] + forward["width"] <= WIDTH
    if name == "timeline":
        # The row labels leave the time axis room to drag a span on: from
        # the label 1992 to the label 2016 (24 of the 25 years shown) at least
        # 150 of the chart's 358 pixels.
        years = {
            text: _box(chart.locator(".role-axis-label text", has_text=text).first)
            for text in ("1992", "2016")
        }
        assert years["2016"]["x"] - years["1992"]["x"] >= 150
    if map_box:
        page.locator(
            '[data-testid="stDeckGlJsonChart"]'
        ).first.scroll_into_view_if_needed()
        page.wait_for_timeout(500)
        map_box = _assert_map_fits(page)
        # Scrolled into view, the map is on the screen. Scrolling stops on a
        # whole device pixel while the page's text sets its layout in
        # fractions of one, so its edge may lie a fraction of a pixel past.
        assert 0 <= map_box["y"] and map_box["y"] + map_box["height"] <= HEIGHT + 1
    shot = tmp_path / f"{name}-390.png"
    page.screenshot(path=str(shot))
    _assert_not_blank(shot, map_box)


def test_the_tour_map_on_a_phone_shows_every_event_of_its_stop(
    phone: Page, streamlit_server
):
    """The first stop's map, framed for the phone's map and not for a desktop's:
    every event of the stop with a point lies inside the map, the easternmost
    (Namangan, which the desktop framing left off the right edge) too, and
    hovering where it is drawn shows it."""
    page = phone
    page.goto(streamlit_server + "/tour")
    chart = page.locator('[data-testid="stDeckGlJsonChart"]').first
    expect(chart).to_be_visible(timeout=LOAD_TIMEOUT_MS)
    run_finished(page)
    first = ERAS[0]
    rows = expected_rows(
        {"start": first.start.isoformat(), "end": first.end.isoformat()}
    )
    located = rows.dropna(subset=["lon", "lat"])
    assert len(located) >= 5
    chart.scroll_into_view_if_needed()
    box = _box(chart)
    view = view_for(located["lon"], located["lat"], (box["width"], box["height"]))
    assert_inside(located, view, box)
    east = located.loc[located["lon"].idxmax()]
    assert east["place_name"] == "Namangan"
    x, y = project(east["lon"], east["lat"], view, box["width"], box["height"])
    # The page frames its map once the browser has said how wide it is: hover
    # until the map drawn is the one framed for the phone.
    hover_until(page, box["x"] + x, box["y"] + y, "Place: Namangan", settle=True)
