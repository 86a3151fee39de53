"""The scrubber: events per month over the whole span, with the window as a brush.

A short chart under the map counts the events passing every filter but time,
per month and layer (stacked), over the data's whole span, so a reader sees
where the events are in time while moving the window. The window is a brush
on the time axis, drawn from the current window at every run: Play, the slider
and the URL move it, and the brush moves the window (:func:`window_from_scrub`).

The chart is drawn in the browser by the page's own scrubber
(``imu_geo/ui/scrubber.js``) from :func:`scrubber_data`. What it does:

- drag inside the brush: move it, keeping its length;
- drag either edge of the brush: move that edge (resize);
- drag from outside it: draw a new window over the months dragged across;
- click a month outside the brush: the window jumps there, keeping its
  length, centred on the month clicked;
- with the keyboard, the brush and each of its edges is a slider: the arrow
  keys step it a month, Page Up and Page Down a year, Home and End go to the
  span's ends.

Edges snap to whole months. The browser reports the months only; the window is
worked out here (:func:`window_from_scrub`), kept inside the span.

An event counts in the month of its first possible day, as on the Timeline
page's counts. Per step the page sends the scrubber's months and counts as
compact JSON text (:func:`scrubber_data`, :func:`scrubber_text`): one entry
per month and layer that has events, at most about 9 kB for 25 years of three
layers. The chart's script is a static file, fetched once.

Nothing here imports Streamlit.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date

import pandas as pd

from imu_geo.colours import VOLUME_COLOURS, WINDOW_COLOUR
from imu_geo.filters import FilterSpec, month_start

SCRUB_HEIGHT_PX = 110
# Bars outside the window are faded, as the timeline fades them.
OUTSIDE_OPACITY = 0.35
LAYER_ORDER = tuple(VOLUME_COLOURS)
SCRUB_LABEL = (
    "Events per month over the whole span, stacked by layer; the shaded band is "
    "the time window. Drag the band to move it, drag its edges to resize it, drag "
    "across the chart to draw a new window, or click a month to move the window "
    "there (keeping its length). With the keyboard, tab to the band or to one of "
    "its edges: the arrow keys step it a month, Page Up and Page Down a year."
)


def month_number(day: date) -> int:
    """Months since January of year 0: consecutive months are consecutive numbers."""
    return day.year * 12 + day.month - 1


def month_of(number: int) -> date:
    """The first day of month ``number`` (see :func:`month_number`)."""
    return date(number // 12, number % 12 + 1, 1)


def scrubber_rows(counts: pd.DataFrame) -> pd.DataFrame:
    """The chart's data: one row per month and layer with events.

    ``counts`` are :func:`imu_geo.timeline.monthly_counts` (or the engine's
    same counts, per month, layer and vagueness); vagueness is summed away,
    since the scrubber is for finding one's way in time.

    Returns
    -------
    DataFrame
        ``m`` (the month, :func:`month_number`), ``layer`` and ``n`` (events
        beginning in that month), sorted by month and layer.
    """
    if counts.empty:
        return pd.DataFrame(
            {
                "m": pd.Series(dtype="int32"),
                "layer": pd.Series(dtype="category"),
                "n": pd.Series(dtype="int32"),
            }
        )
    starts = pd.to_datetime(counts["start"])
    frame = pd.DataFrame(
        {
            "m": (starts.dt.year * 12 + starts.dt.month - 1).astype("int32"),
            "layer": counts["layer"].astype(str).to_numpy(),
            # Equivalent mutant (astype(None), float64): whole counts are exact
            # in a float and are made int32 below.
            "n": counts["count"].astype("int64").to_numpy(),  # pragma: no mutate
        }
    )
    summed = frame.groupby(
        ["m", "layer"],
        sort=True,
        # Equivalent mutant (None): pandas takes any false value as False.
        as_index=False,  # pragma: no mutate
    )["n"].sum()
    # Small types, as for no counts: the table is kept for each dataset and
    # filters (a layer's name once, as a category).
    summed["n"] = summed["n"].astype("int32")
    summed["layer"] = summed["layer"].astype("category")
    return summed.reset_index(drop=True)


def layer_order(layers) -> list[str]:
    """The layers in the order they are stacked: :data:`LAYER_ORDER`, then any
    other layer the data has, by name."""
    known = [layer for layer in LAYER_ORDER if layer in layers]
    return known + sorted(set(layers) - set(LAYER_ORDER))


# A layer without a colour of its own (user data may name others).
OTHER_LAYER_COLOUR = "#999999"


def scrubber_data(
    rows: pd.DataFrame, spec: FilterSpec, whole: FilterSpec, label: str = ""
) -> dict:
    """What the page's scrubber draws, as plain JSON values.

    Parameters
    ----------
    rows
        :func:`scrubber_rows` of the events passing every filter but time.
    spec
        The current window (the brush).
    whole
        The data's whole span: the time axis, from its first month to its last.
    label
        What the chart is, in words, for screen readers.

    Returns
    -------
    dict
        ``span`` and ``window``: first and last month (:func:`month_number`) of
        the axis and of the brush; ``layers`` and ``colours``, in stacking
        order; the bars, in the order of ``rows``, as three lists of equal
        length: ``m`` (the month, as months after the previous bar's month,
        the first bar's after the span's first: mostly 0 or 1, which keeps the
        text short), ``k`` (the layer, as its place in ``layers``) and ``n``
        (events beginning); ``brush`` (its colour),
        ``faded`` (the opacity of bars outside the window) and ``label``.
    """
    first = month_number(whole.start)
    layers = layer_order(rows["layer"].astype(str).unique().tolist())
    place = {layer: i for i, layer in enumerate(layers)}
    return {
        "span": [first, month_number(whole.end)],
        "window": [month_number(spec.start), month_number(spec.end)],
        "layers": layers,
        "colours": [VOLUME_COLOURS.get(layer, OTHER_LAYER_COLOUR) for layer in layers],
        "m": _steps(first, rows["m"].tolist()),
        "k": [place[layer] for layer in rows["layer"].astype(str).tolist()],
        "n": [int(n) for n in rows["n"].tolist()],
        "brush": WINDOW_COLOUR,
        "faded": OUTSIDE_OPACITY,
        "label": label,
    }


def _steps(first: int, months: list[int]) -> list[int]:
    """Each month as the months since the one before it (the first, since
    ``first``)."""
    out = []
    for month in months:
        out.append(int(month) - first)
        first = int(month)
    return out


def scrubber_text(data: dict) -> str:
    """:func:`scrubber_data` as compact JSON text, as the page sends it (a third
    shorter than Streamlit's own spacing of the same values)."""
    return json.dumps(data, separators=(",", ":"))


def _month(value: object) -> int | None:
    """A month number sent by the browser, or None if it is not one."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float) and not value.is_integer():
        return None
    return int(value)


def window_from_scrub(
    value: Mapping[str, object] | None,
    current: tuple[date, date],
    months: Sequence[date],
) -> tuple[date, date] | None:
    """The window (first and last month) the scrubber asks for, or None.

    ``value`` is what the browser's scrubber reports, in months
    (:func:`month_number`): ``{"first": a, "last": b}`` for a brush moved,
    resized, drawn or stepped with the keys, or ``{"jump": m}`` for a click on
    month ``m``; ``current`` is the window's first and last month; ``months``
    the data's.

    - A jump: the window keeps its length and is centred on that month, as far
      as the data's span allows (a window of an even number of months has one
      more month after the one clicked).
    - A brush: the months from ``a`` to ``b`` (either order), at least one.
    - Nothing readable: None, the window stays.

    The result lies within ``months``; it is None when it equals ``current``.
    """
    if not isinstance(value, Mapping) or not months:
        return None
    span_first, span_last = month_number(months[0]), month_number(months[-1])
    jump = _month(value.get("jump"))
    ends = (_month(value.get("first")), _month(value.get("last")))
    if jump is not None:
        length = month_number(current[1]) - month_number(current[0])
        first = jump - length // 2
        first = max(span_first, min(first, span_last - length))
        last = min(first + length, span_last)
    elif None not in ends:
        first, last = sorted(ends)
        first = max(span_first, min(first, span_last))
        last = max(first, min(last, span_last))
    else:
        return None
    window = (month_of(first), month_of(last))
    current = (month_start(current[0]), month_start(current[1]))
    return None if window == current else window
