"""Waiting for deck.gl in the page: the chart's Deck, found from its canvas
through React's fiber tree (Streamlit's chart keeps it in a ref)."""

from __future__ import annotations

from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

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
