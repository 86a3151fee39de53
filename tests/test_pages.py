"""Every page of the app's navigation (``app.py``, the scripts in ``views/``)
under AppTest: it runs alone and in the app, with no error, and says what is in
view. The page list is the app's own, so a new page is covered without a word
here; the pages' own behaviour is in the test file of each page."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
import streamlit

from imu_geo.data import BUNDLED_DATA_DIR
from tests.helpers import PROJECT_DIR, app_pages, open_page, window_caption

PAGES = app_pages()
LAYERS = ("attack", "base", "context")
WINDOW = re.compile(
    r"^(\d+) events? — (\d+) attacks?, (\d+) bases?, (\d+) context — "
    r"from (\w{3} \d{4}) to (\w{3} \d{4})"
)


def test_the_app_navigates_the_pages_read_from_it(monkeypatch):
    """The page list the tests read from ``app.py`` is the one the running app
    hands to ``st.navigation``, and it holds every script in ``views/``."""
    navigated = []
    navigation = streamlit.navigation

    def recording(pages, *args, **kwargs):
        navigated.extend(pages)
        return navigation(pages, *args, **kwargs)

    monkeypatch.setattr(streamlit, "navigation", recording)
    open_page()
    assert [
        (
            Path(page._page).resolve().relative_to(PROJECT_DIR).as_posix(),
            page.title,
            page.url_path,
        )
        for page in navigated
    ] == PAGES
    assert {page.path for page in PAGES} == {
        path.relative_to(PROJECT_DIR).as_posix()
        for path in (PROJECT_DIR / "views").glob("*.py")
    }
    assert len(PAGES) >= 5  # Map, Tour, Regions, Timeline, Sources & method


def counted(first: str, last: str) -> tuple[int, int, int, int]:
    """(events, attacks, bases, context) of the bundled events whose dates
    overlap the months ``first`` to ``last`` (``Jan 1991``), counted with pandas."""
    events = pd.read_csv(BUNDLED_DATA_DIR / "events.csv", dtype=str)
    start = pd.Timestamp(f"1 {first}")
    end = pd.Timestamp(f"1 {last}") + pd.offsets.MonthEnd(0)
    inside = events[
        (pd.to_datetime(events["date_start"]) <= end)
        & (pd.to_datetime(events["date_end"]) >= start)
    ]
    layers = inside["layer"].value_counts()
    return (len(inside), *(int(layers.get(layer, 0)) for layer in LAYERS))


@pytest.mark.parametrize("app_page", PAGES, ids=[page.title for page in PAGES])
def test_every_page_runs_alone_and_in_the_app_without_an_error(app_page):
    runs = {
        "alone": open_page(app_page.path, alone=True),  # fails on an exception
        "in the app": open_page(app_page.path),
    }
    for how, at in runs.items():
        # An error the page catches is reported in an error box, not raised.
        assert not at.error, (how, [e.value for e in at.error])
        assert at.title, f"{app_page.title} shows no title {how}"
        said = WINDOW.match(window_caption(at))
        assert said, (how, window_caption(at))
        assert tuple(map(int, said.groups()[:4])) == counted(*said.groups()[4:]), how
    alone, framed = runs.values()
    # A first request to the page's URL shows what the page shows in the app.
    assert [t.value for t in alone.title] == [t.value for t in framed.title]
    assert window_caption(alone) == window_caption(framed)
    assert [h.value for h in alone.main.header] == [h.value for h in framed.main.header]
