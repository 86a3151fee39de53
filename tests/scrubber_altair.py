"""The scrubber's chart as Altair builds it: the oracle for
:func:`imu_geo.scrubber.scrubber_spec`, which writes the same Vega-Lite
specification by hand so that the Map page need not load Altair.

This is the chart the page used to send (``st.altair_chart``'s conversion:
Altair's ``to_dict`` under the theme "none"), kept as it was built.
"""

from __future__ import annotations

from datetime import date, timedelta

import altair as alt
import pandas as pd

from imu_geo.colours import VOLUME_COLOURS, WINDOW_COLOUR
from imu_geo.filters import FilterSpec
from imu_geo.scrubber import (
    JUMP_PARAM,
    LAYER_ORDER,
    OUTSIDE_OPACITY,
    SCRUB_HEIGHT_PX,
    SCRUB_PARAM,
    brush_bounds,
    month_number,
)


def _utc(day: date) -> alt.DateTime:
    return alt.DateTime(year=day.year, month=day.month, date=day.day, utc=True)


def altair_scrubber(
    rows: pd.DataFrame, spec: FilterSpec, whole: FilterSpec, description: str = ""
) -> dict:
    """The scrubber of ``rows`` over ``whole`` with the window ``spec`` as a
    brush, as Altair writes it (the rows as a named dataset of records)."""
    chart = _build(rows, whole)
    first, last = brush_bounds(spec)
    params = list(chart.params)
    at = next(i for i, p in enumerate(params) if p.name == SCRUB_PARAM)
    brush = params[at].copy(deep=False)
    brush.value = {"x": [_utc(first), _utc(last)]}
    params[at] = brush
    chart = chart.copy(deep=False)
    chart.params = params
    if description:
        chart = chart.properties(description=description)
    with alt.theme.enable("none"):
        return chart.to_dict()


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
    jump = alt.selection_point(name=JUMP_PARAM, encodings=["x"], on="click")
    months = (
        alt.Chart(alt.sequence(first_month, last_month + 1, as_="m"))
        .transform_calculate(**to_dates)
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
