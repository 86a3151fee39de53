"""What the tests share: small frames built in code for the pure-function tests,
a data folder in the atlas's format, the app's pages as its navigation lists
them, and running a page under AppTest."""

from __future__ import annotations

import ast
import csv
import json
import re
from pathlib import Path
from typing import NamedTuple

import pandas as pd
from streamlit.testing.v1 import AppTest

from imu_geo.schema import EVENT_COLUMNS, SOURCE_CITATION
from imu_geo.timeline import ERAS

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


# --- a data folder in the atlas's own format ------------------------------------

SQUARE_UZ = [[[60.0, 38.0], [72.0, 38.0], [72.0, 44.0], [60.0, 44.0], [60.0, 38.0]]]
SQUARE_KG = [[[72.0, 39.0], [80.0, 39.0], [80.0, 43.0], [72.0, 43.0], [72.0, 39.0]]]


def region_feature(region_id, country, coordinates, level="country"):
    """A feature of ``regions.geojson``: a polygon of the given coordinates."""
    return {
        "type": "Feature",
        "properties": {
            "region_id": region_id,
            "name": region_id,
            "level": level,
            "country": country,
        },
        "geometry": {"type": "Polygon", "coordinates": coordinates},
    }


def place_feature(place_id="tashkent", lon=69.2, lat=41.3, country="UZ", **overrides):
    """A feature of ``places.geojson``: a point, by default Tashkent."""
    properties = {
        "place_id": place_id,
        "name": place_id.title(),
        "alt_names": "",
        "kind": "city",
        "country": country,
        "admin1": "",
    }
    properties.update(overrides)
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
    }


def event_row(**overrides):
    """A row of ``events.csv`` that validates: by default a 1999 bombing in
    Tashkent quoting its source."""
    row = {
        "event_id": "1999-tashkent",
        "date_start": "1999-01-01",
        "date_end": "1999-12-31",
        "date_precision": "year",
        "date_origin": "source",
        "layer": "attack",
        "event_type": "bombing",
        "place_id": "tashkent",
        "geo_precision": "near",
        "place_origin": "source",
        "actors": "IMU",
        "target": "",
        "fatalities_low": "16",
        "fatalities_best": "16",
        "fatalities_high": "16",
        "attribution": "attributed",
        "title": "Bombing",
        "description": "A bombing.",
        "source_quote": "It then moved to Tashkent in 1999.",
        "source": SOURCE_CITATION,
        "notes": "",
    }
    row.update(overrides)
    return row


def write_dataset(folder: Path, events=None, places=None, regions=None) -> Path:
    """An atlas data folder (``events.csv``, ``places.geojson``,
    ``regions.geojson``) of the given rows and features; by default one bombing
    in Tashkent, in two square countries."""
    folder.mkdir(parents=True, exist_ok=True)
    regions = regions or [
        region_feature("UZ", "UZ", SQUARE_UZ),
        region_feature("KG", "KG", SQUARE_KG),
    ]
    places = places if places is not None else [place_feature()]
    events = events if events is not None else [event_row()]
    for name, features in (("regions", regions), ("places", places)):
        (folder / f"{name}.geojson").write_text(
            json.dumps({"type": "FeatureCollection", "features": features})
        )
    with (folder / "events.csv").open("w", newline="", encoding="utf-8") as handle:
        columns = list(events[0]) if events else list(EVENT_COLUMNS)
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(events)
    return folder


def era_heading(number: int) -> str:
    """The Tour's heading at stop ``number`` of the atlas's eras."""
    era = ERAS[number - 1]
    return f"{number}. {era.name}, {era.period}"


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


def button(at: AppTest, label: str):
    """The button labelled ``label`` (buttons without a key have no other name)."""
    return next(b for b in at.button if b.label == label)


def window_caption(at: AppTest) -> str:
    """The caption that says what is in view: ``49 events — 14 attacks, … — from
    Jan 1991 to Dec 2015``."""
    return next(
        c.value for c in at.caption if " events — " in c.value or " event — " in c.value
    )
