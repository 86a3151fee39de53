"""The scrubber: events per month over the whole span, with the window as a brush.

A short chart under the map counts the events passing every filter but time,
per month and layer (stacked), over the data's whole span, so a reader sees
where the events are in time while moving the window. The window is an
interval brush on the time axis (:data:`SCRUB_PARAM`), drawn from the current
window at every run: Play and the slider move it, and dragging it moves the
window (:func:`window_from_scrub`).

What the pointer does (Vega-Lite's interval selection):

- drag inside the brush: move it, keeping its length;
- drag from outside it: draw a new window over the months dragged across (to
  resize, draw it again from one end to the other: Vega-Lite's brush has no
  handles on its edges);
- click a month outside the brush (:data:`JUMP_PARAM`): the window jumps
  there, keeping its length, centred on the month clicked;
- click inside the brush: nothing.

Edges snap to whole months (:func:`window_from_scrub`).

The chart is not keyboard-operable (Streamlit's charts take no keyboard input):
the sidebar's slider is the keyboard path, and the page says so.

An event counts in the month of its first possible day, as on the Timeline
page's counts. Per step the chart sends its specification (about 3 kB) and
one row per month and layer that has events (:func:`scrubber_rows` keeps three
small columns): at most about 10 kB of Arrow for 25 years of three layers.

Nothing here imports Streamlit, nor Altair: the specification is written as
a dict (:func:`scrubber_spec`), so the Map page does not load a charting
library.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

import pandas as pd

from imu_geo.colours import VOLUME_COLOURS, WINDOW_COLOUR
from imu_geo.filters import FilterSpec, month_start

SCRUB_PARAM = "scrub"
JUMP_PARAM = "jump"
SCRUB_MODES = (SCRUB_PARAM, JUMP_PARAM)
SCRUB_HEIGHT_PX = 110
# Bars outside the window are faded, as the timeline fades them.
OUTSIDE_OPACITY = 0.35
LAYER_ORDER = tuple(VOLUME_COLOURS)
SCRUB_LABEL = (
    "Events per month over the whole span, stacked by layer; the shaded band is "
    "the time window. Drag the band to move it, drag across the chart to draw a "
    "new window, or click a month to move the window there (keeping its length). "
    "The chart does not take keyboard input: to step the window with the keys, "
    "use the Months shown slider in the sidebar."
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
    summed["n"] = summed["n"].astype("int32")
    # A category: Streamlit sends the table as Arrow, where a category's text is
    # sent once (a 25-year table of three layers: about 10 kB instead of 21 kB).
    summed["layer"] = summed["layer"].astype("category")
    return summed.reset_index(drop=True)


def brush_bounds(spec: FilterSpec) -> tuple[date, date]:
    """Where the brush is drawn: from the window's first day to the day after
    its last (the brush's right edge is the end of the last month shown)."""
    return spec.start, spec.end + timedelta(days=1)


# The version of Vega-Lite the specification is written for: the one Altair
# (a dependency of Streamlit) writes, which the test compares against.
VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.4.1.json"
# The month cells' view, which the selections belong to. Streamlit renames
# generated view names ("view_" and hex digits) to this one, in order.
MONTHS_VIEW = "view_1"
# The chart's data, in this column order.
ROW_COLUMNS = ("m", "layer", "n")
# Months as dates in the browser (UTC): the data holds month numbers only.
_TO_DATES = (
    {"calculate": "utc(floor(datum.m / 12), datum.m % 12, 1)", "as": "t0"},
    {"calculate": "utc(floor((datum.m + 1) / 12), (datum.m + 1) % 12, 1)", "as": "t1"},
)


def _utc(day: date) -> dict:
    """``day``'s midnight (UTC) as a Vega-Lite date-time object."""
    return {"date": day.day, "month": day.month, "utc": True, "year": day.year}


def scrubber_spec(
    rows: pd.DataFrame, spec: FilterSpec, whole: FilterSpec, description: str = ""
) -> dict:
    """The scrubber chart as a Vega-Lite specification, for
    ``st.vega_lite_chart`` (with ``selection_mode=SCRUB_MODES``).

    Two layers over one time axis: a transparent cell per month of the whole
    span, which holds the selections, and the stacked monthly bars.

    Parameters
    ----------
    rows
        :func:`scrubber_rows` of the events passing every filter but time.
    spec
        The current window (the brush).
    whole
        The data's whole span: the x domain, from the first day of its first
        month to the day after its last.
    description
        The chart's description (what a screen reader says of it); none if empty.

    Returns
    -------
    dict
        A new specification at every call (the caller may change it), with an
        interval selection :data:`SCRUB_PARAM` on x, drawn from the window, and
        a point selection :data:`JUMP_PARAM` on the months. ``datasets`` holds
        ``rows`` itself, under a name made from their content: Streamlit sends
        a frame as Arrow. It is the specification Altair wrote of this chart
        (``to_dict`` under the theme "none"), but for the view's name; written
        here so that the page does not load Altair (a fifth of a second).
    """
    name = _dataset_name(_rows_key(rows))
    first, last = brush_bounds(spec)
    out: dict = {
        "layer": [_months_layer(whole), _bars_layer(whole, name)],
        "config": {
            "legend": {"labelFontSize": 10, "orient": "right", "symbolType": "square"},
            "view": {"stroke": None},
        },
    }
    if description:
        out["description"] = description
    out["height"] = SCRUB_HEIGHT_PX
    out["params"] = [
        {
            "name": SCRUB_PARAM,
            "select": {
                "type": "interval",
                "encodings": ["x"],
                "mark": {
                    "fill": WINDOW_COLOUR,
                    "fillOpacity": 0.12,
                    "stroke": WINDOW_COLOUR,
                    "strokeWidth": 1.5,
                },
            },
            "value": {"x": [_utc(first), _utc(last)]},
            "views": [MONTHS_VIEW],
        },
        # A click outside the brush clears it in the browser and reports nothing
        # of where it was; this point selection reports the month clicked.
        {
            "name": JUMP_PARAM,
            "select": {"type": "point", "encodings": ["x"], "on": "click"},
            "views": [MONTHS_VIEW],
        },
    ]
    out["$schema"] = VEGA_LITE_SCHEMA
    # The frame is shared between runs: Streamlit only reads it.
    out["datasets"] = {name: rows[list(ROW_COLUMNS)].reset_index(drop=True)}
    return out


def _x(whole: FilterSpec) -> dict:
    """The time axis: the whole span, a year label every two years."""
    return {
        "axis": {
            "format": "%Y",
            "grid": False,
            "labelFontSize": 10,
            "tickCount": {"interval": "year", "step": 2},
            "title": None,
        },
        "field": "t0",
        "scale": {
            "domain": [_utc(whole.start), _utc(whole.end + timedelta(days=1))],
            "type": "utc",
        },
        "type": "temporal",
    }


def _months_layer(whole: FilterSpec) -> dict:
    """One transparent cell per month over the whole height: a drag or click
    anywhere on the chart, even where no event is, reaches the brush."""
    return {
        "data": {
            "sequence": {
                "start": month_number(whole.start),
                "stop": month_number(whole.end) + 1,
                "as": "m",
            }
        },
        # Hidden from screen readers: 300 empty cells would drown the bars.
        "mark": {"type": "rect", "aria": False, "fill": "#ffffff", "opacity": 0.001},
        "encoding": {"x": _x(whole), "x2": {"field": "t1"}},
        "name": MONTHS_VIEW,
        "transform": [dict(step) for step in _TO_DATES],
    }


def _bars_layer(whole: FilterSpec, name: str) -> dict:
    """Events per month, stacked by layer in :data:`LAYER_ORDER`, faded outside
    the brush, from the dataset ``name``."""
    about = (
        "datum.month + ': ' + datum.n + ' ' + datum.layer"
        " + (datum.n == 1 ? ' event' : ' events') + ' beginning'"
    )
    return {
        "data": {"name": name},
        "mark": {"type": "rect", "strokeWidth": 0},
        "encoding": {
            "color": {
                "field": "layer",
                "scale": {
                    "domain": list(LAYER_ORDER),
                    "range": [VOLUME_COLOURS[k] for k in LAYER_ORDER],
                },
                "title": None,
                "type": "nominal",
            },
            # What a screen reader says of a bar.
            "description": {"field": "about", "type": "nominal"},
            "opacity": {
                "condition": {"param": SCRUB_PARAM, "value": 1.0},
                "value": OUTSIDE_OPACITY,
            },
            "tooltip": [
                {"field": "month", "title": "Month", "type": "nominal"},
                {"field": "layer", "title": "Layer", "type": "nominal"},
                {
                    "field": "n",
                    "format": ",",
                    "title": "Events beginning",
                    "type": "quantitative",
                },
            ],
            "x": _x(whole),
            "x2": {"field": "t1"},
            "y": {
                "axis": {"grid": False, "labelFontSize": 10, "tickCount": 2},
                "field": "y0",
                "title": None,
                "type": "quantitative",
            },
            "y2": {"field": "y1"},
        },
        "transform": [
            {
                "calculate": f"indexof({list(LAYER_ORDER)!r}, datum.layer)",
                "as": "order",
            },
            *(dict(step) for step in _TO_DATES),
            {"calculate": "utcFormat(datum.t0, '%b %Y')", "as": "month"},
            {"calculate": about, "as": "about"},
            {
                "groupby": ["m"],
                "stack": "n",
                "sort": [{"field": "order"}],
                "as": ["y0", "y1"],
            },
        ],
    }


def _rows_key(rows: pd.DataFrame) -> tuple:
    return (
        tuple(rows["m"].tolist()),
        tuple(rows["layer"].astype(str).tolist()),
        tuple(rows["n"].tolist()),
    )


@lru_cache(maxsize=16)
def _dataset_name(key: tuple) -> str:
    """A name for the rows ``key`` (:func:`_rows_key`) made from their content,
    so that new rows get a new name (as Altair names a dataset: the SHA-256 of
    its records as JSON with sorted keys)."""
    records = [
        {"m": m, "layer": layer, "n": n} for m, layer, n in zip(*key, strict=True)
    ]
    text = json.dumps(records, sort_keys=True)
    return "data-" + hashlib.sha256(text.encode()).hexdigest()[:32]


def _ms(value: object) -> float:
    if isinstance(value, bool):
        raise TypeError("a flag is not a moment")
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        # Equivalent mutants ("z", "XXZXX"): Python 3.11's fromisoformat reads
        # "Z" itself; the replace is for the zone written out either way.
        moment = datetime.fromisoformat(
            value.replace("Z", "+00:00")  # pragma: no mutate
        )
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return moment.timestamp() * 1000
    raise TypeError(f"not a moment: {value!r}")


def _month_at(ms: float) -> int:
    """The month (:func:`month_number`) that the instant ``ms`` lies in."""
    return month_number(datetime.fromtimestamp(ms / 1000, tz=UTC).date())


def _nearest_month(ms: float) -> int:
    """The month whose first instant is nearest to ``ms`` (epoch milliseconds)."""
    moment = datetime.fromtimestamp(ms / 1000, tz=UTC)
    number = month_number(moment.date())
    start = datetime(moment.year, moment.month, 1, tzinfo=UTC)
    following = month_of(number + 1)
    end = datetime(following.year, following.month, 1, tzinfo=UTC)
    return number + 1 if (moment - start) > (end - moment) else number


def _bounds(brush: object) -> tuple[float, float] | None:
    """The two ends of a reported interval, in epoch milliseconds, or None."""
    if not isinstance(brush, Mapping):
        return None
    for bounds in brush.values():
        if isinstance(bounds, Sequence) and not isinstance(bounds, str):
            if len(bounds) == 2:
                low, high = sorted(_ms(value) for value in bounds)
                return low, high
    return None


def _clicked(points: object) -> float | None:
    """The month start of a reported click, in epoch milliseconds, or None."""
    if not isinstance(points, Sequence) or isinstance(points, str) or not points:
        return None
    point = points[-1]
    if not isinstance(point, Mapping):
        return None
    for value in point.values():
        return _ms(value)
    return None


def window_from_scrub(
    selection: Mapping[str, object] | None,
    current: tuple[date, date],
    months: Sequence[date],
) -> tuple[date, date] | None:
    """The window (first and last month) the scrubber asks for, or None.

    ``selection`` is Streamlit's report of the chart's selections: the brush
    as ``{SCRUB_PARAM: {field: [low, high]}}`` and a click as
    ``{JUMP_PARAM: [{field: month}]}``, in epoch milliseconds (UTC);
    ``current`` is the window's first and last month; ``months`` the data's.

    - A click on a month outside the brush: the window keeps its length and is
      centred on that month, as far as the data's span allows (a window of an
      even number of months has one more month after the one clicked).
    - A brush (dragged or drawn): its edges snap to the nearest month
      boundaries and the window holds the months between, at least one.
    - Nothing readable, or a cleared brush: None, the window stays.

    The result lies within ``months``; it is None when it equals ``current``.
    """
    if not selection or not months:
        return None
    numbers = [month_number(m) for m in months]
    span_first, span_last = numbers[0], numbers[-1]
    try:
        clicked = _clicked(selection.get(JUMP_PARAM))
        bounds = None if clicked is not None else _bounds(selection.get(SCRUB_PARAM))
        if clicked is not None:
            length = month_number(current[1]) - month_number(current[0])
            first = _month_at(clicked) - length // 2
            first = max(span_first, min(first, span_last - length))
            last = min(first + length, span_last)
        elif bounds is not None:
            first = _nearest_month(bounds[0])
            last = max(_nearest_month(bounds[1]) - 1, first)
            first = max(span_first, min(first, span_last))
            last = max(first, min(last, span_last))
        else:
            return None
        window = (month_of(first), month_of(last))
    except (TypeError, ValueError, OverflowError, OSError):
        return None
    current = (month_start(current[0]), month_start(current[1]))
    return None if window == current else window
