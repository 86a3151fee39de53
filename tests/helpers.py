"""Small frames built in code for the pure-function tests."""

from __future__ import annotations

import re

import pandas as pd

from imu_geo.schema import EVENT_COLUMNS


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
