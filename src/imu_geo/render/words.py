"""What the picture says: its heading, credits and title in words."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from imu_geo.filters import FilterSpec, describe_counts, month_label
from imu_geo.schema import CREDITS, SOURCE_CITATION

__all__ = [
    "PICTURE_TEXTS",
    "PictureText",
    "layer_counts_of",
    "picture_text",
    "title_lines",
    "window_words",
]


@dataclass(frozen=True)
class PictureText:
    """The words around the map: a heading, and the credit line's two lines.

    ``heading`` names what is mapped ("The IMU"); the window and filters are added
    to it. ``source`` names where the events come from; ``credits`` the boundaries
    and place coordinates.
    """

    heading: str
    source: str
    credits: str = CREDITS


# A picture's heading and credits for each kind of data on screen, with the
# data's ``{name}`` and the atlas's ``{source}``.
PICTURE_TEXTS: dict[str, tuple[str, str]] = {
    "atlas": ("The Islamic Movement of Uzbekistan", "Source: {source}"),
    "folder": (
        "Events",
        "Events from the data folder “{name}”; each row's source is in its "
        "source column.",
    ),
    "upload": ("Events", "Events from the file {name}; each row's source is in it."),
    "both": (
        "The IMU atlas and your events",
        "Events from the file {name}, and the atlas's from {source}",
    ),
}


def picture_text(kind: str, name: str = "") -> PictureText:
    """The heading and credits for the data on screen.

    ``kind`` is ``atlas`` (the curated atlas), ``folder`` (another data folder,
    ``name`` its name), ``upload`` (a user's file, ``name`` its file name) or
    ``both`` (the atlas with a file on top).
    """
    if kind in PICTURE_TEXTS:
        title, credit = PICTURE_TEXTS[kind]
        return PictureText(title, credit.format(name=name, source=SOURCE_CITATION))
    raise ValueError(f"unknown kind of data: {kind}")


def window_words(spec: FilterSpec) -> str:
    """``Jan 1999 to Dec 2004``, or ``up to Dec 2004`` in cumulative mode."""
    if spec.mode == "cumulative":
        return f"up to {month_label(spec.end)}"
    first, last = month_label(spec.start), month_label(spec.end)
    return first if first == last else f"{first} to {last}"


def layer_counts_of(selected: pd.DataFrame) -> dict[str, int]:
    """Events per layer, for :func:`~imu_geo.filters.describe_counts`."""
    return {str(k): int(v) for k, v in selected["layer"].value_counts().items()}


def title_lines(
    heading: str, spec: FilterSpec, total: int, counts: Mapping[str, int]
) -> tuple[str, str]:
    """The title: the heading with the window, then the pages' sentence.

    Example: ``The Islamic Movement of Uzbekistan, Jan 1999 to Dec 2004`` and
    ``28 events — 11 attacks, 5 bases, 12 context — from Jan 1999 to Dec 2004``.
    """
    return f"{heading}, {window_words(spec)}", describe_counts(total, counts, spec)
