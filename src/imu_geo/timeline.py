"""The timeline: events as bars over time, the bases as lanes, and labelled eras.

What is drawn, and why:

- every event is a bar from its first to its last possible day, so a date known
  only to the year is a year-long bar and a vague range is as long as the text
  leaves it; a day or a month gives a solid bar, a vaguer date (season, year,
  range, approximate) a hollow one (pale fill, coloured outline), as on the map;
- attacks are coloured by type with the map's colour-blind-safe palette, bases in
  the map's purple, context in grey;
- the bases are drawn once more as lanes, one per place, ordered by when the place
  first appears, with a connector from each base to the next: read top to bottom,
  the lanes show the group moving;
- eras (:data:`ERAS`) are a reading of the source, each with the sentence that
  marks it; they are bands behind the bars and presets for the time window;
- the current window is marked: the time outside it is veiled and the bars
  outside it are faded; an interval selection on the time axis
  (:data:`SPAN_PARAM`) lets a user drag out a new one
  (:func:`window_from_selection`).

Nothing here imports Streamlit: the page passes the chart to ``st.altair_chart``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta

import altair as alt
import pandas as pd

from imu_geo.colours import VOLUME_COLOURS, WINDOW_COLOUR
from imu_geo.colours import hex_colour as _hex
from imu_geo.content import table_rows
from imu_geo.filters import (
    FilterSpec,
    apply_filters,
    filter_mask,
    full_span,
    month_label,
    month_start,
)
from imu_geo.layers import (
    ATTACK_COLOURS,
    BASE_COLOUR,
    CONTEXT_COLOUR,
    PRECISE_DATES,
    relocation_pairs,
)
from imu_geo.text import show_controls


@dataclass(frozen=True)
class Era:
    """A labelled period of the group's history, used as a time-window preset.

    ``start`` and ``end`` are whole days (``end`` included); ``reason`` says in
    one line what in the source marks the period.
    """

    key: str
    name: str
    start: date
    end: date
    reason: str

    @property
    def period(self) -> str:
        """``1991–1997``, or ``Oct 2001–Feb 2014`` when it does not span whole years."""
        whole_years = (self.start.month, self.start.day) == (1, 1) and (
            self.end.month,
            self.end.day,
        ) == (12, 31)
        if whole_years:
            first, last = str(self.start.year), str(self.end.year)
        else:
            first, last = month_label(self.start), month_label(self.end)
        return first if first == last else f"{first}–{last}"


# Contiguous and in order: each era begins the day after the one before ends
# (tables/eras.csv; a test checks both).
ERAS: tuple[Era, ...] = tuple(
    Era(
        key=row["key"],
        name=row["name"],
        start=date.fromisoformat(row["start"]),
        end=date.fromisoformat(row["end"]),
        reason=row["reason"],
    )
    for row in table_rows("eras.csv")
)

SPAN_PARAM = "span"
ROW_HEIGHT_PX = 17
LEGEND_AND_AXIS_PX = 110
VAGUE_FILL_OPACITY = 0.2
SOLID_FILL_OPACITY = 0.9
OUTSIDE_WINDOW_OPACITY = 0.35
ERA_SHADES = ("#f3f1ec", "#e6e3db")
VEIL_OPACITY = 0.6
LABEL_LIMIT_PX = 250
# On a narrow screen the row labels take at most this share of the chart's
# width (and no less than LABEL_MIN_PX), so the time axis keeps room to drag a
# span on: on a phone the labels would otherwise leave it under 100 px.
LABEL_SHARE = 0.4
LABEL_MIN_PX = 80
NAMED_ERA_MONTHS = 36
# The rows that head each part of the chart (drawn in bold on the y axis).
ERA_ROW = "ERAS"
SECTION_ROWS = {"attack": "ATTACKS", "context": "CONTEXT", "base": "BASES, BY PLACE"}
NO_PLACE = "no place"
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


def kind_of(layer: str, event_type: str) -> str:
    """The colour group of an event: its type for an attack, else its layer.

    Bases and context events each share one colour on the map, so they share one
    legend entry here too; the type is still in the tooltip.
    """
    return event_type.replace("_", " ") if layer == "attack" else layer


def colour_scale() -> tuple[list[str], list[str]]:
    """Legend domain and colours: attack types (Okabe-Ito), then base and context."""
    domain = [kind_of("attack", t) for t in ATTACK_COLOURS]
    colours = [_hex(c) for c in ATTACK_COLOURS.values()]
    return domain + ["base", "context"], colours + [
        _hex(BASE_COLOUR),
        _hex(CONTEXT_COLOUR),
    ]


def _date_span(start: pd.Timestamp, end: pd.Timestamp) -> str:
    first, last = start.date().isoformat(), end.date().isoformat()
    return first if first == last else f"{first} – {last}"


def _unique_labels(titles: Sequence[str]) -> list[str]:
    """Titles made unique (``Title (2)``), since each is one row of the chart."""
    seen: dict[str, int] = {}
    labels = []
    for title in titles:
        seen[title] = seen.get(title, 0) + 1
        labels.append(title if seen[title] == 1 else f"{title} ({seen[title]})")
    return labels


def _place_names(events: pd.DataFrame) -> pd.Series:
    """The place of each event as drawn (``no place`` when it has none): a bar's
    Place in its tooltip, and a base's lane. Drawn as text, so bidirectional
    controls are shown."""
    names = events["place_name"].fillna("").map(show_controls)
    return names.where(names != "", NO_PLACE)


def event_bars(events: pd.DataFrame) -> pd.DataFrame:
    """One bar per event, from its first day to the day after its last.

    The end is exclusive (``date_end`` + 1 day) so that a one-day event has a
    visible width and a year-precision event (1 Jan to 31 Dec) spans exactly its
    year. Rows are in chart order: by layer (attack, base, context), then by date.

    Parameters
    ----------
    events
        Events as :func:`imu_geo.data.load_dataset` gives them.

    Returns
    -------
    DataFrame
        ``event_id``, ``layer``, ``label`` (the title, made unique), ``kind`` (the
        colour group, see :func:`kind_of`), ``event_type``, ``start``, ``end``
        (exclusive), ``dates`` (the inclusive span as text), ``precision``,
        ``place`` and ``vague`` (the date is coarser than a month).
    """
    layer_rank = {"attack": 0, "base": 1, "context": 2}
    ordered = events.assign(
        _rank=events["layer"].map(layer_rank).fillna(len(layer_rank))
    ).sort_values(["_rank", "date_start", "date_end", "event_id"])
    # The zips below pair columns of one frame, of one length: whether zip
    # checks it (strict) cannot change the result.
    bars = pd.DataFrame(
        {
            "event_id": ordered["event_id"],
            "layer": ordered["layer"],
            # Drawn as text on the chart: bidirectional controls are shown.
            "label": _unique_labels([show_controls(t) for t in ordered["title"]]),
            "kind": [
                kind_of(layer, kind)
                for layer, kind in zip(
                    ordered["layer"],
                    ordered["event_type"],
                    strict=True,  # pragma: no mutate
                )
            ],
            "event_type": ordered["event_type"],
            "start": ordered["date_start"],
            "end": ordered["date_end"] + pd.Timedelta(days=1),
            "dates": [
                _date_span(s, e)
                for s, e in zip(
                    ordered["date_start"],
                    ordered["date_end"],
                    strict=True,  # pragma: no mutate
                )
            ],
            "precision": ordered["date_precision"],
            "place": _place_names(ordered),
            "vague": ~ordered["date_precision"].isin(PRECISE_DATES),
        }
    )
    return bars.reset_index(drop=True)


def base_lanes(events: pd.DataFrame) -> pd.DataFrame:
    """The bases as bars in lanes, one lane per place, in order of first appearance.

    Bases are taken in the order :func:`imu_geo.layers.relocation_pairs` uses
    (``date_start``, ``date_end``, ``event_id``); a place's lane comes where its
    first base comes, so read top to bottom the lanes follow the group's moves.
    Several bases at one place share its lane.

    Returns
    -------
    DataFrame
        The columns of :func:`event_bars` for the base events, plus ``lane`` (the
        place's name) and ``lane_order`` (0 for the first place), sorted by lane
        and date.
    """
    bases = events[events["layer"] == "base"].sort_values(
        ["date_start", "date_end", "event_id"]
    )
    lanes = _place_names(bases)
    order = {lane: i for i, lane in enumerate(dict.fromkeys(lanes))}
    bars = event_bars(bases)
    bars["lane"] = bars["event_id"].map(
        dict(
            zip(
                bases["event_id"],
                lanes,
                # The lanes are made from these rows: one per base.
                strict=True,  # pragma: no mutate
            )
        )
    )
    bars["lane_order"] = bars["lane"].map(order).astype(int)
    return bars.sort_values(["lane_order", "start", "end", "event_id"]).reset_index(
        drop=True
    )


def relocation_links(events: pd.DataFrame) -> pd.DataFrame:
    """Connectors between lanes: from each base to the next one(s) in time.

    The pairs are those of :func:`imu_geo.layers.relocation_pairs` (the arcs on
    the map); each connector stands at the day the later base begins and joins
    the two lanes.

    Returns
    -------
    DataFrame
        ``from_id``, ``to_id``, ``from_lane``, ``to_lane``, ``start`` (the day the
        later base begins) and ``label`` (``Namangan → Tajikistan (1992)``), in the
        order of the pairs.
    """
    bases = events[events["layer"] == "base"]
    # Both zips pair columns of one frame, so their lengths are equal: whether
    # zip checks it (strict) cannot change the result.
    lane = dict(
        zip(
            bases["event_id"],
            _place_names(bases),
            strict=True,  # pragma: no mutate
        )
    )
    begins = dict(
        zip(
            bases["event_id"],
            bases["date_start"],
            strict=True,  # pragma: no mutate
        )
    )
    rows = [
        {
            "from_id": source,
            "to_id": target,
            "from_lane": lane[source],
            "to_lane": lane[target],
            "start": begins[target],
            "label": f"{lane[source]} → {lane[target]} ({begins[target].year})",
        }
        for source, target in relocation_pairs(bases)
    ]
    columns = ["from_id", "to_id", "from_lane", "to_lane", "start", "label"]
    return pd.DataFrame(rows, columns=columns)


def era_frame(eras: Sequence[Era] = ERAS) -> pd.DataFrame:
    """The eras as chart data: exclusive end, midpoint and text of the label, and a
    shade that alternates so that neighbouring eras can be told apart.

    Eras are numbered from 1, as the page numbers its era buttons; an era shorter
    than :data:`NAMED_ERA_MONTHS` is labelled with its number only, since its name
    would not fit in its band.
    """
    rows = []
    for index, era in enumerate(eras):
        number = index + 1
        months = (
            (era.end.year - era.start.year) * 12 + era.end.month - era.start.month + 1
        )
        named = months >= NAMED_ERA_MONTHS
        rows.append(
            {
                # An unnamed band (no eras to show) carries no label.
                "text": (f"{number} {era.name}" if named else str(number))
                if era.name
                else "",
                "name": f"{number} · {era.name}",
                "period": era.period,
                "reason": era.reason,
                "start": pd.Timestamp(era.start),
                "end": pd.Timestamp(era.end) + pd.Timedelta(days=1),
                "mid": pd.Timestamp(era.start) + (era.end - era.start) / 2,
                "shade": ERA_SHADES[index % 2],
            }
        )
    return pd.DataFrame(rows)


def era_for(first: date, last: date, eras: Sequence[Era] = ERAS) -> Era | None:
    """The era whose months are exactly the window ``first``..``last``, if any.

    The window is compared by month, as the time slider holds it, so a page can
    tell which era preset (if any) is the current view.
    """
    for era in eras:
        if (month_start(era.start), month_start(era.end)) == (
            month_start(first),
            month_start(last),
        ):
            return era
    return None


def window_from_selection(
    selection: Mapping[str, object] | None, param: str = SPAN_PARAM
) -> tuple[date, date] | None:
    """The days an interval selection on the time axis covers, or None.

    Streamlit reports an interval selection as ``{param: {field: [low, high]}}``,
    e.g. ``{"span": {"start": [881063916032, 1167351805439]}}``: on a time axis the
    bounds are epoch milliseconds. They are read as UTC, the time zone the chart
    draws in; ISO date-time text is accepted too. An empty or cleared selection
    gives None, so that clearing the brush leaves the window where it is.
    """
    if not selection:
        return None
    brush = selection.get(param)
    if not isinstance(brush, Mapping):
        return None
    for bounds in brush.values():
        if not isinstance(bounds, Sequence) or isinstance(bounds, str):
            continue
        if len(bounds) != 2:
            continue
        try:
            days = sorted(_as_day(value) for value in bounds)
        except (TypeError, ValueError, OverflowError):
            return None
        return days[0], days[1]
    return None


def _as_day(value: object) -> date:
    if isinstance(value, bool):
        raise TypeError("a flag is not a date")
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value / 1000, tz=UTC).date()
    if isinstance(value, str):
        # Python 3.11's fromisoformat reads a trailing Z (UTC) itself.
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is not None:
            moment = moment.astimezone(UTC)
        return moment.date()
    raise TypeError(f"not a date: {value!r}")


# --- the chart ----------------------------------------------------------------


def _iso(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """Dates as ``YYYY-MM-DD`` text: the browser reads these as UTC midnight."""
    out = frame.copy()
    for column in columns:
        out[column] = pd.to_datetime(out[column]).dt.strftime("%Y-%m-%d")
    return out


def _epoch_ms(day: date) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp() * 1000)


def timeline_events(
    events: pd.DataFrame, spec: FilterSpec, whole: FilterSpec | None = None
) -> pd.DataFrame:
    """The events the chart draws: every filter of ``spec`` but the time window.

    The chart always spans the whole data (``whole``, by default the span of
    ``events``), so that a user sees what lies outside the window and can move it
    there; the window itself is marked on the chart.
    """
    whole = whole or full_span(events)
    return apply_filters(
        events, replace(spec, start=whole.start, end=whole.end, mode="window")
    )


def chart_rows(
    bars: pd.DataFrame, lanes: pd.DataFrame
) -> tuple[list[str], pd.DataFrame, pd.DataFrame]:
    """The rows of the chart, top to bottom, and the row of every bar and lane bar.

    The eras row comes first, then a heading and the events of each layer that has
    any (attacks, context), then a heading and one row per base lane. Every row
    name is unique: a lane named like an event gets `` (base)`` appended.

    Returns
    -------
    rows, bars, lanes
        The row names in order, and the two frames with a ``row`` column added.
    """
    rows = [ERA_ROW]
    bars = bars.assign(row=bars["label"])
    for layer in ("attack", "context"):
        labels = list(bars.loc[bars["layer"] == layer, "row"])
        if labels:
            rows += [SECTION_ROWS[layer], *labels]
    taken = set(rows)
    lane_row = {
        lane: lane if lane not in taken else f"{lane} (base)"
        for lane in dict.fromkeys(lanes["lane"])
    }
    lanes = lanes.assign(row=lanes["lane"].map(lane_row).astype(object))
    if lane_row:
        rows += [SECTION_ROWS["base"], *lane_row.values()]
    return rows, bars, lanes


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


# --- many events: a count per month -------------------------------------------

# Above this many events (after the non-time filters) a bar per event would be
# unreadable and slow to draw; the page shows monthly counts instead.
GANTT_LIMIT = 400
VOLUME_HEIGHT_PX = 320


def monthly_counts(events: pd.DataFrame) -> pd.DataFrame:
    """How many events begin in each month, per layer and date precision.

    An event is counted once, in the month of its first possible day; ``vague``
    says its date is coarser than a month (season, year, range, approximate), so
    that it may in fact lie later in its span.

    Returns
    -------
    DataFrame
        ``start`` (month start), ``end`` (next month start), ``layer``, ``vague``,
        ``count``; only months with events.
    """
    if events.empty:
        return pd.DataFrame(columns=["start", "end", "layer", "vague", "count"])
    month = events["date_start"].to_numpy(dtype="datetime64[M]")
    frame = pd.DataFrame(
        {
            "start": month,
            "layer": events["layer"].to_numpy(),
            "vague": ~events["date_precision"].isin(PRECISE_DATES).to_numpy(),
        }
    )
    counts = frame.groupby(
        ["start", "layer", "vague"],
        # Sorted by the keys (pandas' default, written out): months in order.
        sort=True,  # pragma: no mutate
    ).size()
    counts = counts.rename("count").reset_index()
    counts["start"] = pd.to_datetime(counts["start"])
    counts["end"] = counts["start"] + pd.offsets.MonthBegin(1)
    return counts


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
