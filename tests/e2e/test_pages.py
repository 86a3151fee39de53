"""Every page of the app's navigation in a real Chromium against the one test
server: opened from its own URL, it loads, says what is in view, and shows no
error box and no trace. The page list is the app's own (``tests/helpers.py``),
so a new page is covered without a word here."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.pages import LOAD_TIMEOUT_MS, caption, run_finished
from tests.helpers import app_pages

pytestmark = pytest.mark.browser
PAGES = app_pages()
# What Streamlit shows for an exception, and what our error report says.
ERRORS = '[data-testid="stException"], [data-testid="stAlertContentError"]'
TRACE = re.compile(r"Traceback \(most recent call last\)|File \"[^\"]+\.py\", line \d")


@pytest.mark.parametrize("app_page", PAGES, ids=[page.title for page in PAGES])
def test_every_page_loads_from_its_url_without_an_error(
    page: Page, streamlit_server, app_page
):
    page.goto(f"{streamlit_server}/{app_page.url_path}")
    expect(caption(page)).to_be_visible(timeout=LOAD_TIMEOUT_MS)
    run_finished(page)
    expect(page.locator("h1").first).to_be_visible()
    # The sidebar marks this page as the one shown.
    current = page.locator('[data-testid="stSidebarNav"] a[aria-current="page"]')
    expect(current).to_have_text(re.compile(re.escape(app_page.title)))
    assert page.locator(ERRORS).count() == 0, page.locator(ERRORS).all_inner_texts()
    text = page.locator("body").inner_text()
    assert not TRACE.search(text), TRACE.search(text)
    assert "could not be shown because of an error" not in text
