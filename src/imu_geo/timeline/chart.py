"""The timeline drawn with Altair: the bars, the lanes and their connectors, the
era bands, the veiled time outside the window and the selection that drags out a
new one; and the events-per-month chart shown when there are too many bars.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta

import altair as alt
import pandas as pd

from imu_geo.colours import VOLUME_COLOURS, WINDOW_COLOUR
from imu_geo.colours import hex_colour as _hex
from imu_geo.filters import FilterSpec, filter_mask, full_span
from imu_geo.layers import ATTACK_COLOURS, BASE_COLOUR, CONTEXT_COLOUR
from imu_geo.timeline.bars import (
    ERA_ROW,
    SECTION_ROWS,
    SPAN_PARAM,
    base_lanes,
    chart_rows,
    event_bars,
    kind_of,
    relocation_links,
    timeline_events,
)
from imu_geo.timeline.eras import ERAS, Era, era_frame

ROW_HEIGHT_PX = 17
LEGEND_AND_AXIS_PX = 110
VAGUE_FILL_OPACITY = 0.2
SOLID_FILL_OPACITY = 0.9
OUTSIDE_WINDOW_OPACITY = 0.35
VEIL_OPACITY = 0.6
LABEL_LIMIT_PX = 250


# On a narrow screen the row labels take at most this share of the chart's
# width (and no less than LABEL_MIN_PX), so the time axis keeps room to drag a
# span on: on a phone the labels would otherwise leave it under 100 px.
LABEL_SHARE = 0.4
LABEL_MIN_PX = 80


# The chart data: only what the marks and their tooltips read.
BAR_FIELDS = (
    "row",
    "kind",
    "start",
    "end",
    "label",
    "dates",
    "precision",
    "place",
    "vague",
    "in_window",
)


def colour_scale() -> tuple[list[str], list[str]]:
    """Legend domain and colours: attack types (Okabe-Ito), then base and context."""
    domain = [kind_of("attack", t) for t in ATTACK_COLOURS]
    colours = [_hex(c) for c in ATTACK_COLOURS.values()]
    return domain + ["base", "context"], colours + [
        _hex(BASE_COLOUR),
        _hex(CONTEXT_COLOUR),
    ]


def _iso(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """Dates as ``YYYY-MM-DD`` text: the browser reads these as UTC midnight."""
    out = frame.copy()
    for column in columns:
        out[column] = pd.to_datetime(out[column]).dt.strftime("%Y-%m-%d")
    return out


def _epoch_ms(day: date) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp() * 1000)


def _vague_fill(opacity: float) -> dict:
    """A mark's fill: ``opacity`` where the row's date is vague (``vague``),
    solid where it is precise, so that how sure a date is shows."""
    return alt.condition(
        "datum.vague", alt.value(opacity), alt.value(SOLID_FILL_OPACITY)
    )


def _x(domain: tuple[date, date]) -> alt.X:
    return alt.X(
        "start:T",
        title=None,
        scale=alt.Scale(type="utc", domain=[_epoch_ms(d) for d in domain]),
        axis=alt.Axis(
            format="%Y",
            orient="top",
            grid=True,
            gridColor="#ffffff",
            gridWidth=1,
            domain=False,
            tickCount={"interval": "year", "step": 2},
            labelFontSize=11,
        ),
    )


def _y(rows: Sequence[str], field: str = "row") -> alt.Y:
    headings = [ERA_ROW, *SECTION_ROWS.values()]
    is_heading = f"indexof({json.dumps(headings)}, datum.value) >= 0"
    return alt.Y(
        f"{field}:N",
        title=None,
        scale=alt.Scale(domain=list(rows), paddingInner=0.2, paddingOuter=0.1),
        axis=alt.Axis(
            # The chart's container is known in the browser only; drawn
            # elsewhere (no container), the labels keep their full limit.
            labelLimit=alt.expr(
                f"containerSize()[0] > 0 ? clamp(floor({LABEL_SHARE} * "
                f"containerSize()[0]), {LABEL_MIN_PX}, {LABEL_LIMIT_PX}) "
                f": {LABEL_LIMIT_PX}"
            ),
            labelOverlap=False,
            labelFontSize=11,
            labelFontWeight={
                "condition": {"test": is_heading, "value": "bold"},
                "value": "normal",
            },
            labelColor={
                "condition": {"test": is_heading, "value": "#222222"},
                "value": "#555555",
            },
            ticks=False,
            domain=False,
        ),
    )


def _bar_layer(
    frame: pd.DataFrame,
    rows: Sequence[str],
    domain: tuple[date, date],
    band: float | None = None,
) -> alt.Chart:
    """Bars coloured by kind, hollow when the date is vague, faded outside the
    window; ``band`` is the share of its row a bar fills (default: Vega-Lite's)."""
    kinds, colours = colour_scale()
    colour = alt.Scale(domain=kinds, range=colours)
    mark = {"strokeWidth": 1.2, "cornerRadius": 1}
    if band is not None:
        mark["height"] = {"band": band}
    return (
        alt.Chart(_iso(frame[list(BAR_FIELDS)], ["start", "end"]))
        .mark_bar(**mark)
        .encode(
            x=_x(domain),
            x2="end:T",
            y=_y(rows),
            color=alt.Color("kind:N", scale=colour, title=None),
            stroke=alt.Stroke("kind:N", scale=colour, title=None),
            fillOpacity=_vague_fill(VAGUE_FILL_OPACITY),
            opacity=alt.condition(
                "datum.in_window", alt.value(1.0), alt.value(OUTSIDE_WINDOW_OPACITY)
            ),
            tooltip=[
                alt.Tooltip("label:N", title="Event"),
                alt.Tooltip("dates:N", title="Dates"),
                alt.Tooltip("precision:N", title="Date precision"),
                alt.Tooltip("place:N", title="Place"),
                alt.Tooltip("kind:N", title="Type"),
            ],
        )
    )


def _window_layers(
    spec: FilterSpec, whole: FilterSpec, domain: tuple[date, date]
) -> list[alt.Chart]:
    """The window: the time outside it veiled, its two edges drawn as lines."""
    first = whole.start if spec.mode == "cumulative" else spec.start
    last = spec.end + timedelta(days=1)
    outside = pd.DataFrame(
        [
            {"start": domain[0], "end": first},
            {"start": last, "end": domain[1]},
        ]
    )
    outside = outside[outside["start"] < outside["end"]]
    edges = pd.DataFrame({"start": [first, last]})
    veil = (
        alt.Chart(_iso(outside, ["start", "end"]))
        .mark_rect(color="#ffffff", opacity=VEIL_OPACITY)
        .encode(x=_x(domain), x2="end:T")
    )
    lines = (
        alt.Chart(_iso(edges, ["start"]))
        .mark_rule(color=WINDOW_COLOUR, strokeWidth=1.5)
        .encode(x=_x(domain))
    )
    return [veil, lines]


def _no_eras(whole: FilterSpec) -> tuple[Era]:
    """For data without eras (another dataset than the atlas): one unlabelled
    band over the whole span, which still carries the span selection."""
    return (
        Era(
            # The key names an era preset on the page; this band is none, and
            # the chart does not read it.
            "all",  # pragma: no mutate
            "",
            whole.start,
            whole.end,
            "",
        ),
    )


def _era_bands(eras: Sequence[Era], domain: tuple[date, date]) -> alt.Chart:
    """Era bands over the chart's full height, carrying the span selection."""
    frame = _iso(era_frame(eras), ["start", "end"])
    return (
        alt.Chart(frame[["start", "end", "shade"]])
        .mark_rect()
        .encode(
            x=_x(domain),
            x2="end:T",
            # Fill, not colour: a colour here would share the bars' colour scale.
            fill=alt.Fill("shade:N", scale=None, legend=None),
        )
        .add_params(alt.selection_interval(name=SPAN_PARAM, encodings=["x"]))
    )


def _era_layers(
    eras: Sequence[Era], rows: Sequence[str], domain: tuple[date, date]
) -> list[alt.Chart]:
    """Era bands behind everything, carrying the span selection, and their labels.

    The bands fill the chart's height, so a drag anywhere on the chart selects a
    span of time.
    """
    frame = _iso(era_frame(eras), ["start", "end", "mid"])
    bands = _era_bands(eras, domain)
    about = [
        alt.Tooltip("name:N", title="Era"),
        alt.Tooltip("period:N", title="Period"),
        alt.Tooltip("reason:N", title="Why"),
    ]
    names = (
        alt.Chart(frame[["start", "end", "mid", "text", "name", "period", "reason"]])
        .mark_text(
            fontSize=11,
            fontWeight="bold",
            color="#444444",
            # Cut a label to its band's width, however wide the chart is drawn.
            limit=alt.expr(
                "max(scale('x', toDate(datum.end)) - scale('x', toDate(datum.start))"
                " - 4, 1)"
            ),
        )
        .encode(
            x=alt.X("mid:T", scale=alt.Scale(type="utc")),
            y=_y(rows, "era_row"),
            text="text:N",
            tooltip=about,
        )
        .transform_calculate(era_row=f"'{ERA_ROW}'")
    )
    return [bands, names]


def _relocation_layers(
    links: pd.DataFrame, lane_row: Mapping[str, str], rows, domain
) -> list[alt.Chart]:
    frame = _iso(links, ["start"]).assign(
        from_row=links["from_lane"].map(lane_row),
        to_row=links["to_lane"].map(lane_row),
    )[["start", "from_row", "to_row", "label"]]
    moved = [alt.Tooltip("label:N", title="Base moved")]
    connectors = (
        alt.Chart(frame)
        .mark_rule(color=_hex(BASE_COLOUR), strokeWidth=1.5, strokeDash=[3, 2])
        .encode(x=_x(domain), y=_y(rows, "from_row"), y2="to_row:N", tooltip=moved)
    )
    arrivals = (
        alt.Chart(frame)
        .mark_point(shape="triangle-down", filled=True, size=45, opacity=1)
        .encode(
            x=_x(domain),
            y=_y(rows, "to_row"),
            color=alt.value(_hex(BASE_COLOUR)),
            tooltip=moved,
        )
    )
    return [connectors, arrivals]


def build_timeline_chart(
    events: pd.DataFrame,
    spec: FilterSpec,
    eras: Sequence[Era] = ERAS,
    whole: FilterSpec | None = None,
) -> alt.LayerChart:
    """The timeline: eras, attacks, context and the base lanes on one time axis.

    One layered chart rather than stacked panels: Streamlit stretches every panel
    of a concatenated chart to the container's width and the row labels then
    overflow it, while a single view fits.

    Parameters
    ----------
    events
        All events; the chart applies every filter of ``spec`` except the time
        window (see :func:`timeline_events`), and marks the window: the time
        outside it is veiled and the bars outside it are faded.
    spec
        The current filters and window (in cumulative mode the window runs from
        the start of the data).
    eras
        The bands in the background and the labels on the top row.
    whole
        The whole span of the data (the x domain); by default that of
        ``events``, which may then be only the events passing the filters.

    Returns
    -------
    alt.LayerChart
        With an interval selection named :data:`SPAN_PARAM` on x; pass it to
        ``st.altair_chart`` with ``selection_mode=SPAN_PARAM``.
    """
    whole = whole or full_span(events)
    domain = (whole.start, whole.end + timedelta(days=1))
    shown = timeline_events(events, spec, whole)
    inside = set(shown.loc[filter_mask(shown, spec), "event_id"])
    bars = event_bars(shown)
    bars = bars[bars["layer"] != "base"].assign(
        in_window=lambda b: b["event_id"].isin(inside)
    )
    lanes = base_lanes(shown).assign(in_window=lambda b: b["event_id"].isin(inside))
    rows, bars, lanes = chart_rows(bars, lanes)

    eras = eras or _no_eras(whole)
    layers = [*_era_layers(eras, rows, domain), *_window_layers(spec, whole, domain)]
    if not bars.empty:
        layers.append(_bar_layer(bars, rows, domain))
    if not lanes.empty:
        lanes_layer = _bar_layer(lanes, rows, domain, band=1.0)
        # Two columns of one frame, of one length: strict cannot change a thing.
        lane_row = dict(
            zip(
                lanes["lane"],
                lanes["row"],
                strict=True,  # pragma: no mutate
            )
        )
        layers += [
            lanes_layer,
            *_relocation_layers(relocation_links(shown), lane_row, rows, domain),
        ]
    return (
        alt.layer(*layers)
        # The height holds the legend and the axis too (Streamlit fits the chart).
        .properties(height=ROW_HEIGHT_PX * len(rows) + LEGEND_AND_AXIS_PX)
        .configure_view(stroke=None)
        .configure_legend(orient="bottom", columns=3, symbolType="square")
    )


# Above this many events (after the non-time filters) a bar per event would be
# unreadable and slow to draw; the page shows monthly counts instead.
GANTT_LIMIT = 400
VOLUME_HEIGHT_PX = 320


def build_volume_chart(
    counts: pd.DataFrame,
    spec: FilterSpec,
    whole: FilterSpec,
    eras: Sequence[Era] = (),
) -> alt.LayerChart:
    """Monthly counts (:func:`monthly_counts` of the events passing the filters,
    all of time, or the engine's same counts), stacked by layer, vague dates
    paler, with the window marked and a draggable span.

    ``whole`` is the data's full span (the x domain).
    """
    domain = (whole.start, whole.end + timedelta(days=1))
    eras = eras or _no_eras(whole)
    bands = _era_bands(eras, domain)
    counts = counts.copy()
    counts["precision"] = counts["vague"].map(
        {True: "vaguer than a month", False: "day or month"}
    )
    counts["month"] = counts["start"].dt.strftime("%b %Y")
    # Stacked by hand (layer by layer, solid below vague): a bar that spans its
    # month on x needs both ends on y too.
    layers = list(VOLUME_COLOURS)
    order = {layer: k for k, layer in enumerate(layers)}
    counts = counts.assign(_order=counts["layer"].map(order)).sort_values(
        ["start", "_order", "vague"]
    )
    counts["top"] = counts.groupby("start")["count"].cumsum()
    counts["bottom"] = counts["top"] - counts["count"]
    counts = counts.drop(columns="_order")
    bars = (
        alt.Chart(_iso(counts, ["start", "end"]))
        .mark_rect(strokeWidth=0)
        .encode(
            x=_x(domain),
            x2="end:T",
            y=alt.Y("bottom:Q", title="events per month"),
            y2="top:Q",
            color=alt.Color(
                "layer:N",
                scale=alt.Scale(domain=layers, range=list(VOLUME_COLOURS.values())),
                title=None,
            ),
            fillOpacity=_vague_fill(0.35),
            tooltip=[
                alt.Tooltip("month:N", title="Month"),
                alt.Tooltip("layer:N", title="Layer"),
                alt.Tooltip("precision:N", title="Dates"),
                alt.Tooltip("count:Q", title="Events", format=","),
            ],
        )
    )
    return (
        alt.layer(bands, bars, *_window_layers(spec, whole, domain))
        .properties(height=VOLUME_HEIGHT_PX)
        .configure_view(stroke=None)
        .configure_legend(orient="bottom", columns=3, symbolType="square")
    )
