"""The map keeps the reader's view through slider steps, at every size, and
Reset view brings back the dataset's initial view.

The view is read from deck.gl itself: Streamlit's chart passes its current
view state to the DeckGL component as the ``viewState`` prop, found from the
canvas through React's fiber tree. Zooming is done with the mouse wheel, as a
reader does.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from imu_geo.data import BUNDLED_DATA_DIR
from imu_geo.pointfiles import INLINE_LIMIT
from imu_geo.synthetic import write_synthetic
from tests.e2e.pages import LOAD_TIMEOUT_MS, caption, run_finished

pytestmark = pytest.mark.browser
LARGE_EVENTS = 2_000  # above INLINE_LIMIT: dots from point files
VIEW_TIMEOUT_MS = 30_000

# The chart holds two canvases, the base map's and deck.gl's; the view state
# is found from deck.gl's.
VIEW_JS = """() => {
  const canvases = document.querySelectorAll(
    '[data-testid="stDeckGlJsonChart"] canvas');
  for (const canvas of canvases) {
    const key = Object.keys(canvas).find(k => k.startsWith('__reactFiber$'));
    for (let f = key && canvas[key]; f; f = f.return) {
      const v = f.memoizedProps && f.memoizedProps.viewState;
      if (v && typeof v.zoom === 'number')
        return {longitude: v.longitude, latitude: v.latitude, zoom: v.zoom};
    }
  }
  return null;
}"""


def _settled(page: Page) -> None:
    run_finished(page)
    page.wait_for_timeout(1500)  # deck.gl draws after the run has finished


def _view(page: Page) -> dict:
    """The deck's view, once there is a deck: under load the chart can still
    be mounting after the run has finished and the page has settled."""
    try:
        found = page.wait_for_function(VIEW_JS, timeout=VIEW_TIMEOUT_MS)
    except PlaywrightTimeout:
        raise AssertionError("no deck.gl view state found on the page") from None
    return found.json_value()


def _zoom_in(page: Page) -> None:
    chart = page.locator('[data-testid="stDeckGlJsonChart"]')
    chart.scroll_into_view_if_needed()
    box = chart.bounding_box()
    # Off centre, so that the centre moves too.
    page.mouse.move(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.4)
    for _ in range(3):
        page.mouse.wheel(0, -300)
        page.wait_for_timeout(300)
    _still(page)


def _still(page: Page) -> dict:
    """The view once it has stopped moving (software rendering lags the wheel)."""
    last, unchanged = _view(page), 0
    for _ in range(60):
        page.wait_for_timeout(500)
        now = _view(page)
        unchanged = unchanged + 1 if _same(now, last) else 0
        if unchanged == 3:  # 1.5 s without a change
            return now
        last = now
    raise AssertionError("the map's view did not come to rest")


def _step(page: Page) -> None:
    before = caption(page).inner_text()
    handle = page.get_by_role("slider").nth(1)
    handle.focus()
    handle.press("ArrowLeft")
    expect(caption(page)).not_to_have_text(before, timeout=30_000)
    _settled(page)


def _same(a: dict, b: dict) -> bool:
    return (
        abs(a["zoom"] - b["zoom"]) < 1e-6
        and abs(a["longitude"] - b["longitude"]) < 1e-6
        and abs(a["latitude"] - b["latitude"]) < 1e-6
    )


def _zoom_survives_steps_and_reset_restores(page: Page, url: str) -> dict:
    page.goto(url)
    expect(page.get_by_text("Events in view")).to_be_visible(timeout=LOAD_TIMEOUT_MS)
    _settled(page)
    initial = _still(page)
    _zoom_in(page)
    wheeled = _still(page)
    assert wheeled["zoom"] > initial["zoom"] + 0.5
    # In headless Chromium the last wheel tick's zoom (a deck.gl transition)
    # may stay pending until the deck next renders, which the first step
    # causes: that step may only add to the zoom, never take it back.
    _step(page)
    zoomed = _still(page)
    assert zoomed["zoom"] >= wheeled["zoom"] - 1e-6, (zoomed, wheeled, initial)
    assert abs(zoomed["longitude"] - initial["longitude"]) > 1e-3
    for _ in range(2):
        _step(page)
        after = _view(page)
        assert _same(after, zoomed), (after, zoomed, initial)
    page.get_by_role("button", name="Reset view").click()
    _settled(page)
    assert _same(_view(page), initial)
    return initial


def test_on_the_atlas_a_zoom_survives_steps_and_reset_restores_it(
    page: Page, streamlit_server
):
    url = f"{streamlit_server}/?start=1999-01-01&end=2004-12-31"
    _zoom_survives_steps_and_reset_restores(page, url)


@pytest.fixture(scope="module")
def large_server(tmp_path_factory, start_server):
    folder = write_synthetic(
        tmp_path_factory.mktemp("large-data"), LARGE_EVENTS, BUNDLED_DATA_DIR, seed=5
    )
    with start_server(folder) as url:
        yield url


def test_on_point_files_and_density_a_zoom_survives_and_reset_restores(
    page: Page, large_server
):
    assert LARGE_EVENTS > INLINE_LIMIT
    url = f"{large_server}/?start=2000-01-01&end=2004-12-31"
    _zoom_survives_steps_and_reset_restores(page, url)
    passing = f"{LARGE_EVENTS:,} events pass the filters"
    expect(page.get_by_text(passing)).to_be_visible()

    # Switching the density on and off keeps the view too.
    _zoom_in(page)
    zoomed = _view(page)
    page.get_by_text("Density per grid cell").click()
    expect(page.get_by_text(re.compile(r"^Density: the "))).to_be_visible(
        timeout=30_000
    )
    _settled(page)
    assert _same(_view(page), zoomed)
    _step(page)
    assert _same(_view(page), zoomed)

    # Crossing from point files to the detailed map (a filter leaving at most
    # INLINE_LIMIT events) and back keeps it as well.
    page.goto(url)  # a new session: the view is the initial one again
    _settled(page)
    initial = _still(page)
    _zoom_in(page)
    zoomed = _view(page)
    search = page.get_by_role("textbox", name="Search")
    search.fill("zzz-no-such-event")
    page.keyboard.press("Enter")
    expect(caption(page)).to_have_text(re.compile(r"^0 events"), timeout=30_000)
    _settled(page)
    # As after the first step above, the last wheel tick may still be pending
    # and land with this redraw: it may only add to the zoom.
    crossed = _still(page)
    assert crossed["zoom"] >= zoomed["zoom"] - 1e-6, (crossed, zoomed, initial)
    assert crossed["zoom"] > initial["zoom"] + 0.5
    search.fill("")
    page.keyboard.press("Enter")
    expect(caption(page)).not_to_have_text(re.compile(r"^0 events"), timeout=30_000)
    _settled(page)
    assert _same(_view(page), crossed), (_view(page), crossed)


def _visit(page: Page, name: str, heading: str) -> None:
    page.get_by_role("link", name=name).click()
    expect(page.get_by_role("heading", name=heading)).to_be_visible(
        timeout=LOAD_TIMEOUT_MS
    )
    _settled(page)


def test_the_view_survives_a_page_change_until_reset(page: Page, streamlit_server):
    page.goto(f"{streamlit_server}/?start=1999-01-01&end=2004-12-31")
    expect(page.get_by_text("Events in view")).to_be_visible(timeout=LOAD_TIMEOUT_MS)
    _settled(page)
    initial = _still(page)
    _zoom_in(page)
    _step(page)  # the last wheel tick's zoom may wait for the deck's next render
    zoomed = _still(page)
    assert zoomed["zoom"] > initial["zoom"] + 0.5
    page.wait_for_timeout(2_000)  # the browser keeps the view once a second

    _visit(page, "Timeline", "The IMU over time, 1991–2015")
    _visit(page, "Map", "The IMU on the map, 1991–2015")
    # The map opens on the dataset's view, then (a chart of its own) on the
    # kept one, once the browser has sent it and the page has run again.
    back = None
    for _ in range(40):
        back = page.evaluate(VIEW_JS)  # None while the chart is being replaced
        if back is not None and _same(back, zoomed):
            break
        page.wait_for_timeout(500)
    assert back is not None and _same(back, zoomed), (back, zoomed, initial)
    assert _same(_still(page), zoomed)

    page.get_by_role("button", name="Reset view").click()
    _settled(page)
    assert _same(_still(page), initial)
    page.wait_for_timeout(2_000)
    _visit(page, "Regions", "Regions")
    _visit(page, "Map", "The IMU on the map, 1991–2015")
    # What the browser kept since is the map's opening view: it is not sent
    # back, so the page does not run again to replace the chart.
    page.wait_for_timeout(2_000)
    expect(page.locator('[class*="-kept"]')).to_have_count(0)
    assert _same(_still(page), initial)
