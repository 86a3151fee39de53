"""What the user asked to see: a frozen filter spec, applied, described and shared.

A :class:`FilterSpec` is small and hashable, so it can key caches and travel in the
URL query string. :func:`apply_filters` is the one place where events are selected,
and :func:`describe` says in words what the selection shows.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date

import numpy as np
import pandas as pd

from imu_geo.schema import ATTRIBUTIONS, LAYERS, SOURCE_TYPE_COLUMNS
from imu_geo.text import QUOTE_CHARS, plain

# The levels of the region tables (:mod:`imu_geo.summaries`), finest last; a
# region filter names a unit of one of them.
REGION_LEVELS: tuple[str, ...] = ("country", "admin1", "valley")
# The longest unit name a caption quotes.
REGION_NAME_CHARS = 80

MODES = ("window", "cumulative")
SEARCH_COLUMNS = (
    "title",
    "description",
    "source_quote",
    "place_name",
    "actors",
    "target",
    "notes",
    "event_id",
)
LAYER_NAMES = {"attack": ("attack", "attacks"), "base": ("base", "bases")}
# The longest search (in the box and in a link) and event id read from a link:
# a link must stay short enough for every server and proxy to accept it.
SEARCH_CHARS = 200
# A warning quotes at most this many refused values of one list parameter.
QUOTED_VALUES = 5


def month_start(moment: date) -> date:
    """The first day of the month of ``moment``."""
    return moment.replace(day=1)


def month_end(moment: date) -> date:
    """The last day of the month of ``moment``."""
    return moment.replace(day=calendar.monthrange(moment.year, moment.month)[1])


def month_starts(first: date, last: date) -> list[date]:
    """Every month start from the month of ``first`` to the month of ``last``."""
    months = []
    current = month_start(first)
    while current <= last:
        months.append(current)
        current = (
            date(current.year + 1, 1, 1)
            if current.month == 12
            else date(current.year, current.month + 1, 1)
        )
    return months


def month_label(moment: date) -> str:
    """``Jan 1999``: how a month is written in captions."""
    return f"{calendar.month_abbr[moment.month]} {moment.year}"


def data_months(events: pd.DataFrame) -> list[date]:
    """The month starts that the events span, first to last."""
    return month_starts(
        events["date_start"].min().date(), events["date_end"].max().date()
    )


def facet_choices(events: pd.DataFrame) -> dict[str, tuple[str, ...]]:
    """The values a user can pick for each facet, as found in the events."""
    # Distinct cells first: a million rows hold few distinct actor lists.
    actors = {a for cell in events["actors"].unique() for a in split_list(cell)}
    countries = {
        c for cell in events["country"].unique() for c in split_list(cell, "|")
    }
    source_types = {
        value
        for column in SOURCE_TYPE_COLUMNS
        if column in events
        for value in events[column].unique()
        if value
    }
    return {
        "types": tuple(sorted(events["event_type"].unique())),
        "actors": tuple(sorted(actors)),
        "countries": tuple(sorted(countries)),
        "source_types": tuple(sorted(source_types)),
    }


def full_span(events: pd.DataFrame) -> FilterSpec:
    """The default view: every layer over the whole span of the data."""
    months = data_months(events)
    return FilterSpec(start=months[0], end=month_end(months[-1]))


def play_position(
    n_months: int, first: int, last: int, step: int, ticks: int, cumulative: bool
) -> tuple[int, int, bool]:
    """Where Play has moved a window of month indices after ``ticks`` steps.

    The window ``[first, last]`` moves ``step`` months per tick (only its end in
    cumulative mode) and stops at the last month. Returns the new indices and
    whether Play has reached the end. Computing the position from the number of
    ticks, not by adding a step per call, makes an extra rerun harmless.
    """
    shift = min(step * max(ticks, 0), n_months - 1 - last)
    done = last + step * max(ticks, 0) >= n_months - 1
    if cumulative:
        return first, last + shift, done
    return first + shift, last + shift, done


@dataclass(frozen=True)
class Unit:
    """One unit of the region tables, as a filter names it: its ``region_id``,
    its ``level`` (one of :data:`REGION_LEVELS`) and its name for captions.

    Two units are the same when their id and level are; the name only labels.
    """

    region_id: str
    level: str
    name: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if self.level not in REGION_LEVELS:
            raise ValueError(f"level must be one of {', '.join(REGION_LEVELS)}")
        if not self.region_id:
            raise ValueError("a unit needs a region_id")

    @property
    def label(self) -> str:
        """The unit's name as a caption writes it: one line, cut short."""
        return plain(self.name or self.region_id, REGION_NAME_CHARS)


def region_units(regions: pd.DataFrame) -> dict[str, Unit]:
    """Every unit a region filter can name, by ``region_id``.

    ``regions`` has ``region_id``, ``level`` and ``name`` (``regions.geojson``).
    A unit id names one unit of one level: the validation of a data folder
    refuses a repeated ``region_id``, and the world's units are added only under
    ids the folder does not have. Should an id still appear more than once, it is
    left out, so a link naming it is refused rather than read as one of them.
    """
    wanted = regions[regions["level"].isin(REGION_LEVELS)]
    ids = wanted["region_id"].astype(str)
    repeated = set(ids[ids.duplicated(keep=False)]) | set(
        regions.loc[~regions["level"].isin(REGION_LEVELS), "region_id"].astype(str)
    )
    return {
        region_id: Unit(region_id, str(level), str(name))
        for region_id, level, name in zip(
            # Equivalent if mutated: all three come from ``wanted``, one length.
            ids,
            wanted["level"],
            wanted["name"],
            strict=True,  # pragma: no mutate
        )
        if region_id and region_id not in repeated
    }


def unit_columns(spec: FilterSpec) -> tuple[str, ...]:
    """The store's columns that say whether an event is counted in the spec's
    unit (``<level>_status``, ``<level>_region``); none without a region."""
    if spec.region is None:
        return ()
    return (f"{spec.region.level}_status", f"{spec.region.level}_region")


@dataclass(frozen=True)
class FilterSpec:
    """A selection of events.

    ``start`` and ``end`` are whole days; an event is in a ``window`` when its
    ``[date_start, date_end]`` overlaps ``[start, end]``, and in ``cumulative`` mode
    when it began on or before ``end``. An empty tuple for a facet means "all".
    ``source_types`` are an imported source's own types and sub-types
    (:data:`imu_geo.schema.SOURCE_TYPE_COLUMNS`): an event is in when either is
    one of them. ``region`` keeps the events counted in one unit of the region
    tables (:func:`imu_geo.summaries.unit_keys`): those whose place lies in it by
    the rules of its level; an event whose place is coarser than the unit (the
    whole country, in a province's filter) is not in it.
    """

    start: date
    end: date
    mode: str = "window"
    layers: tuple[str, ...] = LAYERS
    event_types: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    attributions: tuple[str, ...] = ()
    text: str = ""
    source_types: tuple[str, ...] = ()
    region: Unit | None = None
    selected: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("the window ends before it starts")
        if self.mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}")


def split_list(value: str, separator: str = ";") -> list[str]:
    """Split a multi-valued cell (``IMU;Taliban``) into trimmed, non-empty items."""
    return [item.strip() for item in str(value).split(separator) if item.strip()]


def source_type_mask(events: pd.DataFrame, wanted: Iterable[str]) -> pd.Series:
    """Events whose source type or sub-type is one of ``wanted`` (a dataset
    without those columns has none)."""
    wanted = list(wanted)
    mask = pd.Series(False, index=events.index)
    for column in SOURCE_TYPE_COLUMNS:
        if column in events:
            mask |= events[column].isin(wanted)
    return mask


def _any_of(column: pd.Series, wanted: Iterable[str], separator: str) -> pd.Series:
    wanted = set(wanted)
    return column.map(lambda cell: bool(wanted & set(split_list(cell, separator))))


def filter_mask(
    events: pd.DataFrame, spec: FilterSpec, units: pd.Series | None = None
) -> pd.Series:
    """Boolean mask of the events that ``spec`` selects.

    With a ``region`` in ``spec``, ``units`` gives, aligned with ``events``, the
    unit each event is counted in at the region's level ("" for none), as
    :func:`imu_geo.summaries.event_units` finds it. Without ``units``, the
    events must carry the store's columns for that level
    (:func:`unit_columns`), as the engine's rows do when asked for them.
    """
    end = pd.Timestamp(spec.end)
    mask = events["date_start"] <= end
    if spec.mode == "window":
        mask &= events["date_end"] >= pd.Timestamp(spec.start)
    mask &= events["layer"].isin(spec.layers)
    if spec.event_types:
        mask &= events["event_type"].isin(spec.event_types)
    if spec.attributions:
        mask &= events["attribution"].isin(spec.attributions)
    if spec.actors:
        mask &= _any_of(events["actors"], spec.actors, ";")
    if spec.countries:
        mask &= _any_of(events["country"], spec.countries, "|")
    if spec.source_types:
        mask &= source_type_mask(events, spec.source_types)
    if spec.region is not None:
        mask &= _in_unit(events, spec.region, units)
    if spec.text.strip() and len(events):
        needle = spec.text.strip().casefold()
        haystack = events[list(SEARCH_COLUMNS)].astype(str).agg(" ".join, axis=1)
        mask &= haystack.str.casefold().str.contains(needle, regex=False)
    return mask


def _in_unit(events: pd.DataFrame, unit: Unit, units: pd.Series | None) -> pd.Series:
    if units is None:
        status, region = f"{unit.level}_status", f"{unit.level}_region"
        if status not in events or region not in events:
            raise ValueError(
                "a region filter needs each event's unit: pass units, or the "
                f"columns {status} and {region}"
            )
        return (events[status] == "unit") & (events[region] == unit.region_id)
    if len(units) != len(events):
        raise ValueError("units must give one unit per event")
    return pd.Series(units.astype(str).to_numpy() == unit.region_id, index=events.index)


def selected_positions(
    events: pd.DataFrame, spec: FilterSpec, units: pd.Series | None = None
) -> np.ndarray:
    """Positions in ``events`` of the events that ``spec`` selects, in date order
    (``date_start``, ``date_end``, ``event_id``); ``units`` as for
    :func:`filter_mask`."""
    positions = np.flatnonzero(filter_mask(events, spec, units).to_numpy(dtype=bool))
    keys = events[["date_start", "date_end", "event_id"]].iloc[positions]
    keys.index = positions
    return keys.sort_values(["date_start", "date_end", "event_id"]).index.to_numpy()


def apply_filters(
    events: pd.DataFrame, spec: FilterSpec, units: pd.Series | None = None
) -> pd.DataFrame:
    """The events that ``spec`` selects, in date order, index reset; ``units``
    as for :func:`filter_mask`."""
    positions = selected_positions(events, spec, units)
    return events.iloc[positions].reset_index(drop=True)


def _count(n: int, singular: str, plural: str) -> str:
    return f"{n:,} {singular if n == 1 else plural}"


def describe(selected: pd.DataFrame, spec: FilterSpec) -> str:
    """Say in words what is shown.

    Example: ``14 events — 9 attacks, 3 bases, 2 context — from Jan 1999 to
    Dec 2004``.
    """
    counts = selected["layer"].value_counts()
    return describe_counts(len(selected), {k: int(v) for k, v in counts.items()}, spec)


def describe_counts(total: int, counts: Mapping[str, int], spec: FilterSpec) -> str:
    """:func:`describe` from the number of events and their count per layer."""
    parts = []
    for layer in spec.layers:
        n = int(counts.get(layer, 0))
        singular, plural = LAYER_NAMES.get(layer, (layer, layer))
        parts.append(_count(n, singular, plural))
    period = (
        f"up to {month_label(spec.end)}"
        if spec.mode == "cumulative"
        else f"from {month_label(spec.start)} to {month_label(spec.end)}"
    )
    text = _count(total, "event", "events")
    if parts:
        text += " — " + ", ".join(parts) + " —"
    text += " " + period
    extras = []
    if spec.region is not None:
        extras.append(f"in {spec.region.label}")
    if spec.event_types:
        extras.append("types: " + ", ".join(spec.event_types))
    if spec.actors:
        extras.append("actors: " + ", ".join(spec.actors))
    if spec.countries:
        extras.append("countries: " + ", ".join(spec.countries))
    if spec.attributions:
        extras.append("attribution: " + ", ".join(spec.attributions))
    if spec.source_types:
        extras.append("source types: " + ", ".join(spec.source_types))
    if spec.text.strip():
        extras.append(f"matching “{spec.text.strip()}”")
    if extras:
        text += " (" + "; ".join(extras) + ")"
    return text


# --- the URL query string -----------------------------------------------------


@dataclass(frozen=True)
class LinkParameter:
    """A filter as a link spells it (``?name=value``), and as the commands
    ``export``, ``summary`` and ``render`` take it (``--option value``)."""

    name: str
    option: str
    help: str


# Every filter a link can carry: spec_from_query reads these and no others
# (a test checks the two agree), and the commands loop over them.
LINK_PARAMETERS: tuple[LinkParameter, ...] = (
    LinkParameter("start", "--start", "window start, YYYY-MM-DD"),
    LinkParameter("end", "--end", "window end, YYYY-MM-DD"),
    LinkParameter("mode", "--mode", "window (default) or cumulative"),
    LinkParameter("layers", "--layers", "comma list of attack,base,context"),
    LinkParameter("types", "--types", "comma list of event types"),
    LinkParameter("actors", "--actors", "comma list of actors"),
    LinkParameter("countries", "--countries", "comma list of country codes"),
    LinkParameter(
        "attribution",
        "--attribution",
        "comma list of attributions: " + ",".join(ATTRIBUTIONS),
    ),
    LinkParameter(
        "source_types",
        "--source-types",
        "comma list of the source's own types and sub-types",
    ),
    LinkParameter("q", "--query", "free-text search"),
    LinkParameter(
        "region",
        "--region",
        "a unit's region_id (a country, an admin-1 unit, the valley): only the "
        "events counted in it, as a click on the map keeps",
    ),
)

# Parameters of a link that choose what a page shows, not which events: the
# event whose details the Map page opens, and the tour's stop. The commands
# have no option for them, since they change no row.
PAGE_PARAMETERS: tuple[str, ...] = ("event", "tour")

_LIST_PARAMS = {
    "layers": "layers",
    "types": "event_types",
    "actors": "actors",
    "countries": "countries",
    "attribution": "attributions",
    "source_types": "source_types",
}


def spec_to_query(spec: FilterSpec, default: FilterSpec) -> dict[str, str]:
    """The query parameters that restore ``spec``; values equal to the default are
    left out except ``start``, ``end`` and ``layers``, which are always written."""
    query = {
        "start": spec.start.isoformat(),
        "end": spec.end.isoformat(),
        "layers": ",".join(spec.layers),
    }
    if spec.mode != default.mode:
        query["mode"] = spec.mode
    for param, attribute in _LIST_PARAMS.items():
        # Equivalent if mutated: the loop would write "layers" as above, or,
        # empty, not at all (docs/testing.md, equivalent mutants).
        if param == "layers":  # pragma: no mutate
            continue
        values = getattr(spec, attribute)
        if values:
            query[param] = ",".join(values)
    if spec.text.strip():
        query["q"] = spec.text.strip()[:SEARCH_CHARS]
    if spec.region is not None:
        query["region"] = spec.region.region_id
    if spec.selected:
        query["event"] = spec.selected[:SEARCH_CHARS]
    return query


def _quote(value: object) -> str:
    """A value from a link, as a warning quotes it: one line, cut short."""
    return "“" + plain(value, QUOTE_CHARS) + "”"


def _quote_list(values: list[str]) -> str:
    quoted = ", ".join(plain(v, QUOTE_CHARS) for v in values[:QUOTED_VALUES])
    more = len(values) - QUOTED_VALUES
    return quoted + (f" and {more:,} more" if more > 0 else "")


def _parse_iso(value: str) -> date:
    return date.fromisoformat(value.strip())


def spec_from_query(
    params: Mapping[str, str],
    default: FilterSpec,
    choices: Mapping[str, Iterable[str]],
    units: Mapping[str, Unit] | None = None,
) -> tuple[FilterSpec, list[str]]:
    """Read a spec from URL query parameters, falling back per parameter.

    Parameters
    ----------
    params
        The query parameters (``st.query_params`` or a plain dict).
    default
        The spec to fall back on; its ``start`` and ``end`` are also the bounds.
    choices
        The allowed values for ``types``, ``actors``, ``countries`` and
        ``source_types`` (:func:`facet_choices`).
    units
        The units ``region`` may name (:func:`region_units`); without them, a
        ``region`` in the link is refused.

    Returns
    -------
    spec, warnings
        The spec, and one sentence per value that was refused (the default was
        used for it instead). A warning quotes what the link said on one line,
        cut to :data:`imu_geo.text.QUOTE_CHARS` characters, as plain text: the
        page escapes it before showing it.
    """
    warnings: list[str] = []
    values: dict[str, object] = {}
    lower, upper = default.start, default.end

    for name in ("start", "end"):
        raw = params.get(name)
        if raw is None or raw == "":
            continue
        try:
            moment = _parse_iso(str(raw))
        except ValueError:
            warnings.append(
                f"The {name} date {_quote(raw)} is not an ISO date (YYYY-MM-DD); "
                f"showing the default {name}."
            )
            continue
        clamped = min(max(moment, lower), upper)
        if clamped != moment:
            warnings.append(
                f"The {name} date {moment.isoformat()} is outside the data "
                f"({lower.isoformat()} to {upper.isoformat()}); using "
                f"{clamped.isoformat()}."
            )
        values[name] = month_start(clamped) if name == "start" else month_end(clamped)
    start = values.get("start", default.start)
    end = values.get("end", default.end)
    if end < start:
        warnings.append(
            f"The window ends ({end.isoformat()}) before it starts "
            f"({start.isoformat()}); showing the default window."
        )
        # Equivalent if the defaults are dropped: an end before the start needs
        # both from the link (each is clamped into the default window).
        values.pop("start", None)  # pragma: no mutate
        values.pop("end", None)  # pragma: no mutate

    mode = params.get("mode")
    if mode:
        if mode in MODES:
            values["mode"] = mode
        else:
            warnings.append(
                f"The mode {_quote(mode)} is not one of {', '.join(MODES)}; "
                "showing a moving window."
            )

    allowed = dict(choices) | {"layers": LAYERS, "attribution": ATTRIBUTIONS}
    for param, attribute in _LIST_PARAMS.items():
        raw = params.get(param)
        if raw is None:
            continue
        items = split_list(str(raw), ",")
        known = [item for item in items if item in set(allowed.get(param, ()))]
        unknown = [item for item in items if item not in known]
        if unknown:
            warnings.append(
                f"Unknown {param} in the link: {_quote_list(unknown)}; "
                + ("ignored." if known else "showing all.")
            )
        # Equivalent if mutated: the lines below also give () for an empty list.
        if param == "layers" and not items:  # pragma: no mutate
            values["layers"] = ()
            continue
        if known or not unknown:
            values[attribute] = tuple(known)

    text = params.get("q")
    if text:
        values["text"] = str(text)[:SEARCH_CHARS]
        if len(str(text)) > SEARCH_CHARS:
            warnings.append(
                f"The search in the link is longer than {SEARCH_CHARS} "
                f"characters; searching for its first {SEARCH_CHARS}."
            )
    region = params.get("region")
    if region:
        unit = (units or {}).get(str(region).strip())
        if unit is None:
            warnings.append(
                f"Unknown region in the link: {_quote(region)}; showing all."
            )
        else:
            values["region"] = unit
    event = params.get("event")
    if event:
        values["selected"] = str(event)[:SEARCH_CHARS]
    return replace(default, **values), warnings
