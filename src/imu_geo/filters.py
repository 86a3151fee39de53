"""What the user asked to see: a frozen filter spec, applied, described and shared.

A :class:`FilterSpec` is small and hashable, so it can key caches and travel in the
URL query string. :func:`apply_filters` is the one place where events are selected,
and :func:`describe` says in words what the selection shows.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, make_dataclass, replace
from datetime import date

import numpy as np
import pandas as pd

from imu_geo.facets import FACETS, FACETS_BY_NAME, Facet
from imu_geo.text import QUOTE_CHARS, counted, plain

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
    """The values a user can pick for each facet whose choices are found in the
    events (:attr:`imu_geo.facets.Facet.choices` None), sorted, by facet name."""
    return {
        facet.name: _values_found(events, facet)
        for facet in FACETS
        if facet.choices is None
    }


def _values_found(events: pd.DataFrame, facet: Facet) -> tuple[str, ...]:
    found: set[str] = set()
    for column in facet.columns:
        if column not in events:
            continue
        # Distinct cells first: a million rows hold few distinct actor lists.
        for cell in events[column].unique():
            if facet.separator:
                found.update(split_list(cell, facet.separator))
            elif cell:
                found.add(cell)
    return tuple(sorted(found))


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
class Window:
    """The time part of a selection.

    ``start`` and ``end`` are whole days; an event is in a ``window`` when its
    ``[date_start, date_end]`` overlaps ``[start, end]``, and in ``cumulative``
    mode when it began on or before ``end``.
    """

    start: date
    end: date
    mode: str = "window"

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("the window ends before it starts")
        if self.mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}")


# The part of a selection that is not time: one field per facet of
# :data:`imu_geo.facets.FACETS` (made from the table, so that a new facet is one
# entry there), then the free-text search and the region.
Facets = make_dataclass(
    "Facets",
    [
        *(
            (facet.attribute, tuple[str, ...], field(default=facet.default))
            for facet in FACETS
        ),
        ("text", str, field(default="")),
        ("region", "Unit | None", field(default=None)),
    ],
    frozen=True,
    namespace={
        # Where pickle and the docs find it.
        "__module__": __name__,
        "__doc__": "What a selection keeps besides time: for each facet, the "
        "values chosen (its default selects all); ``text``, words the event "
        "must contain; ``region``, the unit it must be counted in.",
    },
)

_WINDOW_FIELDS = ("start", "end", "mode")
_FACET_FIELDS = tuple(f.name for f in fields(Facets))


@dataclass(frozen=True, init=False)
class FilterSpec:
    """A selection of events: a :class:`Window` of time and the :data:`Facets`.

    An empty tuple for a facet means "all" (for the layers, all is every
    layer and empty is none). ``source_types`` are an imported source's own
    types and sub-types (:data:`imu_geo.schema.SOURCE_TYPE_COLUMNS`): an event
    is in when either is one of them. ``region`` keeps the events counted in one
    unit of the region tables (:func:`imu_geo.summaries.unit_keys`): those whose
    place lies in it by the rules of its level; an event whose place is coarser
    than the unit (the whole country, in a province's filter) is not in it.
    ``selected`` is the event a page shows the details of; it selects nothing.

    A spec is made from its parts, ``FilterSpec(window=..., facets=...)``, or
    from their fields, ``FilterSpec(start, end, mode, actors=("IMU",))``; a field
    given beside a part replaces the part's, which is also how
    :func:`dataclasses.replace` changes one field. Each field of either part
    reads as an attribute of the spec (``spec.start``, ``spec.actors``).
    """

    window: Window
    facets: Facets
    selected: str = field(default="", compare=False)

    def __init__(
        self,
        start: date | None = None,
        end: date | None = None,
        mode: str | None = None,
        *,
        window: Window | None = None,
        facets: Facets | None = None,
        selected: str = "",
        **facet_fields,
    ) -> None:
        times = {
            name: value
            for name, value in zip(_WINDOW_FIELDS, (start, end, mode), strict=True)
            if value is not None
        }
        if window is None:
            if start is None or end is None:
                raise TypeError("a FilterSpec needs a window, or its start and end")
            window = Window(**times)
        elif times:
            window = replace(window, **times)
        facets = replace(facets or Facets(), **facet_fields)
        object.__setattr__(self, "window", window)
        object.__setattr__(self, "facets", facets)
        object.__setattr__(self, "selected", selected)

    def __getattr__(self, name: str):
        # Only a name the spec does not hold itself comes here: a part's field.
        if name in _WINDOW_FIELDS:
            return getattr(self.window, name)
        if name in _FACET_FIELDS:
            return getattr(self.facets, name)
        raise AttributeError(f"{type(self).__name__} has no attribute {name!r}")


def split_list(value: str, separator: str = ";") -> list[str]:
    """Split a multi-valued cell (``IMU;Taliban``) into trimmed, non-empty items.

    A missing cell (None, NaN, ``pd.NA``) holds none, as an empty one: the
    store's keys and the index read it so too."""
    if not isinstance(value, str) and pd.isna(value):
        return []
    return [item.strip() for item in str(value).split(separator) if item.strip()]


def facet_mask(events: pd.DataFrame, facet: Facet, wanted: Iterable[str]) -> pd.Series:
    """Events whose cell in one of the facet's columns is one of ``wanted`` (or,
    multi-valued, holds one of them); a column the events lack matches none."""
    wanted = set(wanted)
    mask = pd.Series(False, index=events.index)
    for column in facet.columns:
        if column not in events:
            continue
        if facet.separator:
            mask |= events[column].map(
                lambda cell: bool(wanted & set(split_list(cell, facet.separator)))
            )
        else:
            mask |= events[column].isin(wanted)
    return mask


def source_type_mask(events: pd.DataFrame, wanted: Iterable[str]) -> pd.Series:
    """Events whose source type or sub-type is one of ``wanted`` (a dataset
    without those columns has none)."""
    return facet_mask(events, FACETS_BY_NAME["source_types"], wanted)


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
    for facet in FACETS:
        wanted = getattr(spec.facets, facet.attribute)
        if facet.filters(wanted):
            mask &= facet_mask(events, facet, wanted)
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
        parts.append(counted(n, singular, plural))
    period = (
        f"up to {month_label(spec.end)}"
        if spec.mode == "cumulative"
        else f"from {month_label(spec.start)} to {month_label(spec.end)}"
    )
    text = counted(total, "event")
    if parts:
        text += " — " + ", ".join(parts) + " —"
    text += " " + period
    extras = []
    if spec.region is not None:
        extras.append(f"in {spec.region.label}")
    for facet in FACETS:
        chosen = getattr(spec.facets, facet.attribute)
        if facet.caption and facet.filters(chosen):
            extras.append(f"{facet.caption}: " + ", ".join(chosen))
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
    *(LinkParameter(facet.name, facet.option, facet.help) for facet in FACETS),
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


def spec_to_query(spec: FilterSpec, default: FilterSpec) -> dict[str, str]:
    """The query parameters that restore ``spec``; values equal to the default are
    left out except ``start``, ``end`` and ``layers``, which are always written."""
    chosen = {
        facet.name: ",".join(getattr(spec.facets, facet.attribute))
        for facet in FACETS
        if facet.always_in_link or facet.filters(getattr(spec.facets, facet.attribute))
    }
    # The order of a link as it has always been written: the window, the
    # facets every link carries, the mode, then the other facets.
    query = {"start": spec.start.isoformat(), "end": spec.end.isoformat()}
    query |= {f.name: chosen.pop(f.name) for f in FACETS if f.always_in_link}
    if spec.mode != default.mode:
        query["mode"] = spec.mode
    query |= chosen
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
        The allowed values of each facet whose choices are found in the
        events, by facet name (:func:`facet_choices`); the other facets have
        fixed choices.
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

    for facet in FACETS:
        raw = params.get(facet.name)
        if raw is None:
            continue
        items = split_list(str(raw), ",")
        allowed = set(facet.options(choices))
        known = [item for item in items if item in allowed]
        unknown = [item for item in items if item not in known]
        if unknown:
            warnings.append(
                f"Unknown {facet.name} in the link: {_quote_list(unknown)}; "
                + ("ignored." if known else "showing all.")
            )
        # An empty list is kept: for the layers it means none.
        if known or not unknown:
            values[facet.attribute] = tuple(known)

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
