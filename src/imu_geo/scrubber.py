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

Nothing here imports Streamlit.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Mapping, Sequence
from contextlib import nullcontext
from datetime import UTC, date, datetime, timedelta

import altair as alt
import pandas as pd

from imu_geo.filters import FilterSpec, month_start
from imu_geo.timeline import VOLUME_COLOURS, WINDOW_COLOUR

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
            "n": counts["count"].astype("int64").to_numpy(),
        }
    )
    summed = frame.groupby(["m", "layer"], sort=True, as_index=False)["n"].sum()
    summed["n"] = summed["n"].astype("int32")
    # A category: Streamlit sends the table as Arrow, where a category's text is
    # sent once (a 25-year table of three layers: about 10 kB instead of 21 kB).
    summed["layer"] = summed["layer"].astype("category")
    return summed.reset_index(drop=True)


def _utc(day: date) -> alt.DateTime:
    return alt.DateTime(year=day.year, month=day.month, date=day.day, utc=True)


def brush_bounds(spec: FilterSpec) -> tuple[date, date]:
    """Where the brush is drawn: from the window's first day to the day after
    its last (the brush's right edge is the end of the last month shown)."""
    return spec.start, spec.end + timedelta(days=1)


def build_scrubber(
    rows: pd.DataFrame, spec: FilterSpec, whole: FilterSpec
) -> alt.LayerChart:
    """The scrubber chart: stacked monthly bars and the window as a brush.

    Parameters
    ----------
    rows
        :func:`scrubber_rows` of the events passing every filter but time.
    spec
        The current window (the brush) and mode.
    whole
        The data's whole span: the x domain, from the first day of its first
        month to the day after its last.

    Returns
    -------
    alt.LayerChart
        With an interval selection named :data:`SCRUB_PARAM` on x, initialised
        to the window, and a point selection :data:`JUMP_PARAM` on the months;
        pass it to ``st.altair_chart`` with ``selection_mode=SCRUB_MODES``, or
        send it as :func:`scrubber_spec` (what the pages do).
    """
    # Only the brush changes from one window to the next: the chart is built
    # (and checked by Altair) once per data and span, then copied with the
    # window's brush. Building it anew costs tens of milliseconds a step.
    template = _template(
        _rows_key(rows), whole.start, whole.end, rows[["m", "layer", "n"]]
    )
    first, last = brush_bounds(spec)
    params = list(template.params)
    at = next(i for i, p in enumerate(params) if p.name == SCRUB_PARAM)
    brush = params[at].copy(deep=False)
    brush.value = {"x": [_utc(first), _utc(last)]}
    params[at] = brush
    chart = template.copy(deep=False)
    chart.params = params
    return chart


def scrubber_spec(
    rows: pd.DataFrame, spec: FilterSpec, whole: FilterSpec, description: str = ""
) -> dict:
    """The scrubber chart of :func:`build_scrubber` as a Vega-Lite
    specification, for ``st.vega_lite_chart`` (with ``selection_mode=SCRUB_MODES``).

    It is what ``st.altair_chart`` makes of that chart (Altair's ``to_dict``
    under the theme "none", the data as a named dataset, the frame itself),
    with ``description`` as the chart's description. Altair's conversion and
    its check against the Vega-Lite schema take tens of milliseconds; they run
    once per data and span, and each window only sets the brush's value in a
    copy.
    """
    key = (_rows_key(rows), whole.start, whole.end, description)
    with _LOCK:
        template = _SPECS.get(key)
    if template is None:
        chart = _template(key[0], whole.start, whole.end, rows[["m", "layer", "n"]])
        if description:
            chart = chart.properties(description=description)
        template = _to_spec(chart, rows[["m", "layer", "n"]])
        with _LOCK:
            if len(_SPECS) >= _TEMPLATE_LIMIT:
                _SPECS.pop(next(iter(_SPECS)))
            _SPECS[key] = template
    first, last = brush_bounds(spec)
    out = copy.deepcopy({k: v for k, v in template.items() if k != "datasets"})
    # The frames are shared between runs: Streamlit only reads them.
    out["datasets"] = dict(template["datasets"])
    for param in out["params"]:
        if param["name"] == SCRUB_PARAM:
            param["value"] = {"x": [_utc_dict(first), _utc_dict(last)]}
    return out


def _utc_dict(day: date) -> dict:
    """:func:`_utc` as Altair writes it in a specification."""
    return {"date": day.day, "month": day.month, "utc": True, "year": day.year}


# Altair's theme is one setting for the whole process: changed under a lock,
# and only from "default", as Streamlit does when it converts a chart.
_LOCK = threading.Lock()
_SPECS: dict[tuple, dict] = {}


def _to_spec(chart: alt.LayerChart, rows: pd.DataFrame) -> dict:
    """``chart`` as a Vega-Lite dict without a theme, its one dataset (the
    bars' ``rows``) kept as the frame: Streamlit sends a frame as Arrow."""
    with _LOCK:
        theme = alt.theme.enable("none") if alt.theme.active == "default" else None
        with theme or nullcontext():
            spec = chart.to_dict()
    (name,) = spec["datasets"]
    spec["datasets"] = {name: rows.reset_index(drop=True)}
    return spec


def _rows_key(rows: pd.DataFrame) -> tuple:
    return (
        tuple(rows["m"].tolist()),
        tuple(rows["layer"].astype(str).tolist()),
        tuple(rows["n"].tolist()),
    )


# The last few charts built: one per dataset and filters in use.
_TEMPLATES: dict[tuple, alt.LayerChart] = {}
_TEMPLATE_LIMIT = 16


def _template(key: tuple, start: date, end: date, rows: pd.DataFrame) -> alt.LayerChart:
    """The chart of ``rows`` over the span ``start``..``end``, its brush over
    the whole span: built once per ``key`` (the rows' content) and span."""
    found = _TEMPLATES.get((key, start, end))
    if found is None:
        found = _build(rows, FilterSpec(start=start, end=end))
        if len(_TEMPLATES) >= _TEMPLATE_LIMIT:
            _TEMPLATES.pop(next(iter(_TEMPLATES)))
        _TEMPLATES[(key, start, end)] = found
    return found


def _build(rows: pd.DataFrame, whole: FilterSpec) -> alt.LayerChart:
    first_month = month_number(whole.start)
    last_month = month_number(whole.end)
    domain = [_utc(whole.start), _utc(whole.end + timedelta(days=1))]
    x_scale = alt.Scale(type="utc", domain=domain)
    x_axis = alt.Axis(
        format="%Y",
        tickCount={"interval": "year", "step": 2},
        labelFontSize=10,
        grid=False,
        title=None,
    )
    # Months as dates in the browser (UTC): the data holds month numbers only.
    to_dates = {
        "t0": "utc(floor(datum.m / 12), datum.m % 12, 1)",
        "t1": "utc(floor((datum.m + 1) / 12), (datum.m + 1) % 12, 1)",
    }
    first, last = brush_bounds(whole)
    brush = alt.selection_interval(
        name=SCRUB_PARAM,
        encodings=["x"],
        value={"x": [_utc(first), _utc(last)]},
        mark=alt.BrushConfig(
            fill=WINDOW_COLOUR, fillOpacity=0.12, stroke=WINDOW_COLOUR, strokeWidth=1.5
        ),
    )
    # A click outside the brush clears it in the browser and reports nothing
    # of where it was; this point selection reports the month clicked.
    jump = alt.selection_point(name=JUMP_PARAM, encodings=["x"], on="click")
    # One transparent cell per month over the whole height: a drag or click
    # anywhere on the chart, even where no event is, reaches the brush.
    months = (
        alt.Chart(alt.sequence(first_month, last_month + 1, as_="m"))
        .transform_calculate(**to_dates)
        # Hidden from screen readers: 300 empty cells would drown the bars.
        .mark_rect(fill="#ffffff", opacity=0.001, aria=False)
        .encode(x=alt.X("t0:T", scale=x_scale, axis=x_axis), x2="t1:T")
        .add_params(brush, jump)
    )
    colour = alt.Scale(
        domain=list(LAYER_ORDER), range=[VOLUME_COLOURS[k] for k in LAYER_ORDER]
    )
    bars = (
        alt.Chart(rows[["m", "layer", "n"]])
        .transform_calculate(
            order=f"indexof({list(LAYER_ORDER)!r}, datum.layer)", **to_dates
        )
        .transform_calculate(month="utcFormat(datum.t0, '%b %Y')")
        .transform_calculate(
            about="datum.month + ': ' + datum.n + ' ' + datum.layer"
            " + (datum.n == 1 ? ' event' : ' events') + ' beginning'"
        )
        .transform_stack(
            stack="n", groupby=["m"], as_=["y0", "y1"], sort=[{"field": "order"}]
        )
        .mark_rect(strokeWidth=0)
        .encode(
            x=alt.X("t0:T", scale=x_scale, axis=x_axis),
            x2="t1:T",
            y=alt.Y(
                "y0:Q",
                title=None,
                axis=alt.Axis(tickCount=2, labelFontSize=10, grid=False),
            ),
            y2="y1:Q",
            color=alt.Color("layer:N", scale=colour, title=None),
            opacity=alt.condition(brush, alt.value(1.0), alt.value(OUTSIDE_OPACITY)),
            # What a screen reader says of a bar.
            description=alt.Description("about:N"),
            tooltip=[
                alt.Tooltip("month:N", title="Month"),
                alt.Tooltip("layer:N", title="Layer"),
                alt.Tooltip("n:Q", title="Events beginning", format=","),
            ],
        )
    )
    return (
        alt.layer(months, bars)
        .properties(height=SCRUB_HEIGHT_PX)
        .configure_view(stroke=None)
        .configure_legend(orient="right", symbolType="square", labelFontSize=10)
    )


def _ms(value: object) -> float:
    if isinstance(value, bool):
        raise TypeError("a flag is not a moment")
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
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
