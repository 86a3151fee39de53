"""The timeline's data: one bar per event, the bases' lanes and the connectors
between them, the chart's rows, the events per month, and the window a selection
on the time axis covers. Nothing here draws (:mod:`imu_geo.timeline.chart` does).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime

import pandas as pd

from imu_geo.filters import FilterSpec, apply_filters, full_span
from imu_geo.layers import PRECISE_DATES, relocation_pairs
from imu_geo.text import show_controls

SPAN_PARAM = "span"


# The rows that head each part of the chart (drawn in bold on the y axis).
ERA_ROW = "ERAS"
SECTION_ROWS = {"attack": "ATTACKS", "context": "CONTEXT", "base": "BASES, BY PLACE"}
NO_PLACE = "no place"


def kind_of(layer: str, event_type: str) -> str:
    """The colour group of an event: its type for an attack, else its layer.

    Bases and context events each share one colour on the map, so they share one
    legend entry here too; the type is still in the tooltip.
    """
    return event_type.replace("_", " ") if layer == "attack" else layer


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
