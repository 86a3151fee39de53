"""What the tests share: small frames built in code for the pure-function tests,
the app's pages as its navigation lists them, and running a page under AppTest."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import NamedTuple

import pandas as pd
from streamlit.testing.v1 import AppTest

from imu_geo.schema import EVENT_COLUMNS

PROJECT_DIR = Path(__file__).resolve().parents[1]
APP = PROJECT_DIR / "app.py"
# AppTest's default of 3 s is too short for the first import of geopandas.
PAGE_TIMEOUT_S = 60


def make_events(rows: list[dict]) -> pd.DataFrame:
    """A typed events frame, as :func:`imu_geo.data.load_dataset` returns it."""
    defaults = dict.fromkeys(EVENT_COLUMNS, "") | {
        "layer": "attack",
        "event_type": "bombing",
        "date_precision": "day",
        "attribution": "attributed",
        "actors": "IMU",
        "title": "An event",
        "place_name": "",
        "country": "",
        "lat": None,
        "lon": None,
    }
    frame = pd.DataFrame([defaults | row for row in rows])
    for column in ("date_start", "date_end"):
        frame[column] = pd.to_datetime(frame[column], format="%Y-%m-%d")
    for column in ("fatalities_low", "fatalities_best", "fatalities_high"):
        frame[column] = pd.to_numeric(frame[column].replace("", None)).astype("Int64")
    frame["lat"] = pd.to_numeric(frame["lat"])
    frame["lon"] = pd.to_numeric(frame["lon"])
    return frame


def shown(markdown: str) -> str:
    """What a reader sees of escaped Markdown text: CommonMark's backslash escapes
    of ASCII punctuation undone, and invisible word joiners (U+2060) dropped."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown).replace("\u2060", "")


class AppPage(NamedTuple):
    """A page of the app's navigation: its script (relative to the project),
    the title the sidebar shows, and its URL's path (``""`` for the default
    page, served at the root)."""

    path: str
    title: str
    url_path: str


def app_pages() -> list[AppPage]:
    """The pages ``app.py`` hands to ``st.navigation``, in order, read from its
    ``st.Page(...)`` calls (``tests/test_pages.py`` checks this against the list
    the running app navigates)."""
    pages = []
    # ast.walk goes breadth first: the calls in one list come in their order.
    for node in ast.walk(ast.parse(APP.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "Page"
        ):
            path = ast.literal_eval(node.args[0])
            given = {k.arg: ast.literal_eval(k.value) for k in node.keywords}
            # As st.Page names them: the default page is the root, another page
            # is at its url_path or its file's name.
            url_path = (
                ""
                if given.get("default")
                else given.get("url_path", Path(path).stem).strip("/")
            )
            pages.append(AppPage(path, given["title"], url_path))
    return pages


def open_page(
    page: str | None = None,
    *,
    alone: bool = False,
    timeout: float = PAGE_TIMEOUT_S,
    **params: str,
) -> AppTest:
    """Run the app under AppTest on ``page`` (a script such as
    ``views/tour.py``; the default page when None) with ``params`` in the URL,
    and fail if the run raised.

    ``alone`` runs the page's script without the app around it, as a server does
    for the first request to that page's URL.
    """
    if alone:
        at = AppTest.from_file(str(PROJECT_DIR / page), default_timeout=timeout)
    else:
        at = AppTest.from_file(str(APP), default_timeout=timeout)
        if page is not None:
            at.switch_page(page)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def window_caption(at: AppTest) -> str:
    """The caption that says what is in view: ``49 events — 14 attacks, … — from
    Jan 1991 to Dec 2015``."""
    return next(
        c.value for c in at.caption if " events — " in c.value or " event — " in c.value
    )
