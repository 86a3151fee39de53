"""What the browser tests share: opening a page and waiting for its run, the
caption and the link, the rows a link should give, and deck.gl in the page
(its Deck, found from the chart's canvas through React's fiber tree, since
Streamlit's chart keeps it in a ref).
"""

from __future__ import annotations

import math
import re
from urllib.parse import parse_qs, urlparse

from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from imu_geo.data import BUNDLED_DATA_DIR, load_dataset
from imu_geo.filters import apply_filters, facet_choices, full_span, spec_from_query

LOAD_TIMEOUT_MS = 60_000


def run_finished(page: Page, timeout_ms: int = LOAD_TIMEOUT_MS) -> None:
    """Wait until the page's script run has finished."""
    expect(page.locator('[data-testid="stApp"]')).to_have_attribute(
        "data-test-script-state", "notRunning", timeout=timeout_ms
    )


def open_app(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.get_by_text("Events in view")).to_be_visible(timeout=LOAD_TIMEOUT_MS)
    run_finished(page)


def go_to(page: Page, nav, name: str) -> None:
    """Click a page in the sidebar once the current run has finished, as a reader
    who waits for the page does."""
    run_finished(page)
    page.wait_for_timeout(300)
    nav.get_by_role("link", name=name).click()


def caption(page: Page):
    """The caption that says what is in view (``2,000 events — …`` too)."""
    return page.get_by_text(re.compile(r"^[\d,]+ events? — ")).first


def local_only(page: Page, base: str, error: str = "failed") -> list[str]:
    """Let the page reach only the server at ``base``: every other request is
    aborted with ``error`` (Playwright's error codes) and recorded in the list
    returned."""
    local = urlparse(base).netloc
    outside: list[str] = []

    def route(request_route):
        if urlparse(request_route.request.url).netloc == local:
            request_route.continue_()
        else:
            outside.append(request_route.request.url)
            request_route.abort(error)

    page.route("**/*", route)
    return outside


MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def window_months(text: str) -> tuple[int, int]:
    """The window of a caption (``… from Jan 1999 to Dec 2004``) as month
    numbers, year * 12 + the month's index in :data:`MONTHS`."""
    found = re.search(r"from (\w{3}) (\d{4}) to (\w{3}) (\d{4})$", text)
    assert found, text
    first = int(found[2]) * 12 + MONTHS.index(found[1])
    last = int(found[4]) * 12 + MONTHS.index(found[3])
    return first, last


def query_of(page: Page) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(page.url).query).items()}


def expected_rows(params: dict[str, str]):
    events = load_dataset(BUNDLED_DATA_DIR).events
    spec, _ = spec_from_query(params, full_span(events), facet_choices(events))
    return apply_filters(events, spec)


def project(lon: float, lat: float, view: dict, width: float, height: float):
    """Web Mercator as deck.gl's MapView draws it (512-pixel tiles)."""
    world = 512 * 2 ** view["zoom"]

    def to_world(lo: float, la: float) -> tuple[float, float]:
        x = (lo + 180) / 360 * world
        y = 1 - math.log(math.tan(math.pi / 4 + math.radians(la) / 2)) / math.pi
        return x, y / 2 * world

    cx, cy = to_world(view["longitude"], view["latitude"])
    px, py = to_world(lon, lat)
    return width / 2 + px - cx, height / 2 + py - cy


def assert_inside(events, view: dict, box: dict, name: str = "event_id") -> None:
    """Every event (rows with ``lon`` and ``lat``) projects inside the map's
    ``box`` in ``view``; a failure names the event by its column ``name``."""
    for event in events.itertuples():
        x, y = project(event.lon, event.lat, view, box["width"], box["height"])
        assert 0 < x < box["width"] and 0 < y < box["height"], getattr(event, name)


def hover_until(
    page: Page, x: float, y: float, text: str, settle: bool = False, tries: int = 30
) -> None:
    """Hover page point (x, y) until the map's tooltip there holds ``text``.

    deck.gl draws, and fetches its files, after the run, and a page may frame
    its map again once the browser has measured it (``imu_geo.ui.viewport``);
    with ``settle`` each try first waits for the deck to settle
    (:func:`deck_ready`). Fails when the tooltip never holds ``text``."""
    tooltip = page.locator(".deck-tooltip")
    for _ in range(tries):
        if settle:
            deck_ready(page)
        page.mouse.move(x + 1, y)
        page.mouse.move(x, y)
        if tooltip.count() and text in (tooltip.first.inner_text() or ""):
            break
        page.wait_for_timeout(500)
    expect(tooltip.first).to_contain_text(text)


def hover_across(page: Page, locator) -> None:
    """Move the pointer across the middle of ``locator`` in twelve steps."""
    box = locator.bounding_box()
    for k in range(12):
        page.mouse.move(
            box["x"] + box["width"] * (k + 0.5) / 12, box["y"] + box["height"] / 2
        )
        page.wait_for_timeout(60)


ACLED_SAMPLE = (
    "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,"
    "sub_event_type,actor1,actor2,country,admin1,location,latitude,longitude,"
    "geo_precision,source,notes,fatalities\n"
    "AFG1001,15 March 2018,2018,1,Political violence,Explosions/Remote violence,"
    "Suicide bomb,Islamic State (Afghanistan),Civilians (Afghanistan),Afghanistan,"
    'Kabul,Kabul,34.5281,69.1723,1,Pajhwok,"A suicide bomber, =HYPERLINK(""x"")",12\n'
    "AFG1002,2018-04-02,2018,2,Political violence,Battles,Armed clash,Taliban,"
    "Military Forces of Afghanistan,Afghanistan,Kunduz,Kunduz,,,1,Pajhwok,"
    "Clashes near Kunduz city,3\n"
    "AFG1003,2018-05-10,2018,3,Political violence,Battles,Armed clash,Taliban,"
    "Military Forces of Afghanistan,Afghanistan,Zabul,Qalat,66.9083,32.1058,2,"
    "TOLOnews,Fighting in Qalat,\n"
    "AFG1004,31/04/2018,2018,1,Political violence,Battles,Armed clash,Taliban,"
    "Police Forces,Afghanistan,Takhar,Taloqan,36.7360,69.5345,1,Pajhwok,"
    "Attack on police post,1\n"
)

# The state of the page's deck: its layers' ids, whether each has loaded its
# data (a layer whose data is a URL loads after the deck is built), and
# whether the deck still has to redraw.
DECK_STATE_JS = """() => {
  const canvases = document.querySelectorAll(
    '[data-testid="stDeckGlJsonChart"] canvas');
  for (const canvas of canvases) {
    const key = Object.keys(canvas).find(k => k.startsWith('__reactFiber$'));
    for (let f = key && canvas[key]; f; f = f.return) {
      for (let s = f.memoizedState; s; s = s.next) {
        const held = s.memoizedState && s.memoizedState.current;
        const deck = held && held.deck;
        if (deck && deck.layerManager) {
          const layers = deck.layerManager.getLayers();
          return {
            ids: layers.map(l => l.id).join(','),
            loaded: layers.every(l => l.isLoaded),
            redraw: Boolean(deck.needsRedraw({clearRedrawFlags: false})),
          };
        }
      }
    }
  }
  return null;
}"""


def deck_ready(page: Page, timeout_ms: int = 60_000, still_polls: int = 4) -> dict:
    """Wait until the page's deck has loaded every layer's data and drawn it,
    and its layers have stayed the same for ``still_polls`` polls of 250 ms:
    only then does a click on the map find what is drawn there."""
    last, still = None, 0
    for _ in range(timeout_ms // 250):
        state = page.evaluate(DECK_STATE_JS)
        ready = state is not None and state["loaded"] and not state["redraw"]
        still = still + 1 if ready and state == last else 0
        if still >= still_polls:
            return state
        last = state
        page.wait_for_timeout(250)
    raise AssertionError(f"the map's deck did not settle: {last}")


def click_event(page: Page, x: float, y: float, shown, tries: int = 3) -> None:
    """Click the map at page point (x, y) until ``shown`` (a locator) is visible.

    Under load, Chromium drawing in software, a click can reach deck.gl while
    it is still drawing and select nothing. It is made again only while the
    link has no ``event`` (no event was selected), so a click that did select
    is never undone by a second one on the same point.
    """
    for _ in range(tries):
        page.mouse.move(x, y)
        page.mouse.click(x, y)
        try:
            shown.wait_for(state="visible", timeout=10_000)
            return
        except PlaywrightTimeout:
            pass
        if "event=" in page.url:
            break
    shown.wait_for(state="visible", timeout=10_000)
