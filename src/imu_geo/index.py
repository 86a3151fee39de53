"""Selecting events fast: a time index built once per dataset.

:func:`imu_geo.filters.apply_filters` is the plain definition of a selection: a
boolean mask over every row, then a sort. At a million events that costs a few
hundred milliseconds per slider step. Here the events' date order is found once,
their dates kept as integer arrays, and the facets as integer codes, so a step
costs a binary search (``searchsorted``) and work on the rows near the window.

:func:`select` returns positions into :attr:`EventIndex.events`, in date order;
``index.events.iloc[positions]`` holds exactly the rows ``apply_filters`` returns,
in the same order (the tests hold the two to that).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from imu_geo.facets import FACETS
from imu_geo.filters import SEARCH_COLUMNS, FilterSpec, Window, split_list

_DAY_NS = 86_400 * 10**9
_EPOCH = pd.Timestamp("1970-01-01")


@dataclass(frozen=True)
class _Codes:
    """A text column as integer codes into its distinct values (sorted)."""

    codes: np.ndarray
    values: tuple[str, ...]

    @classmethod
    def of(cls, column: pd.Series) -> _Codes:
        # A missing value is empty text, as the loaders make it: left missing,
        # its code -1 would read as the last value.
        codes, uniques = pd.factorize(column.fillna(""), sort=True)
        return cls(codes.astype(np.int32), tuple(str(v) for v in uniques))

    def isin(self, wanted, rows: np.ndarray, split: str | None = None) -> np.ndarray:
        """For each of ``rows``, whether its value (or one of its items) is wanted."""
        wanted = set(wanted)
        if split is None:
            hit = np.array([v in wanted for v in self.values], dtype=bool)
        else:
            hit = np.array(
                [bool(wanted & set(split_list(v, split))) for v in self.values],
                dtype=bool,
            )
        if not len(hit):
            return np.zeros(len(rows), dtype=bool)
        return hit[self.codes[rows]]


@dataclass(frozen=True)
class EventIndex:
    """The events' dates in date order, and their facets as codes.

    ``events`` is the frame as loaded (not reordered: reordering a million rows
    of text costs more than everything else here). ``order`` lists its positions
    by ``date_start``, ``date_end``, ``event_id``; ``start``/``end`` are the dates
    in that order, as integer days since 1970. ``longest`` is the longest event
    span in days: an event that overlaps a window must begin no earlier than that
    many days before it, which bounds the rows to look at. The codes are in
    the frame's own order: ``layer`` for counting, and ``facets`` per facet of
    :data:`imu_geo.facets.FACETS` (by name), one per column it reads (empty
    text when the events lack the column).
    """

    events: pd.DataFrame
    order: np.ndarray
    start: np.ndarray
    end: np.ndarray
    longest: int
    layer: _Codes
    facets: Mapping[str, tuple[_Codes, ...]]

    def __len__(self) -> int:
        return len(self.events)


def _days(column: pd.Series) -> np.ndarray:
    return column.to_numpy(dtype="datetime64[ns]").astype(np.int64) // _DAY_NS


def build_index(events: pd.DataFrame) -> EventIndex:
    """Order the events by date once and keep their dates and facets as arrays."""
    start, end = _days(events["date_start"]), _days(events["date_end"])
    ids = pd.factorize(events["event_id"], sort=True)[0]
    order = np.lexsort((ids, end, start))
    longest = int((end - start).max()) if len(events) else 0
    codes = {
        column: _Codes.of(
            events[column]
            if column in events
            else pd.Series("", index=events.index, dtype="str")
        )
        for column in dict.fromkeys(
            ["layer", *(c for facet in FACETS for c in facet.columns)]
        )
    }
    return EventIndex(
        events,
        order,
        start[order],
        end[order],
        longest,
        codes["layer"],
        {
            facet.name: tuple(codes[column] for column in facet.columns)
            for facet in FACETS
        },
    )


def _day(moment) -> int:
    """Whole days from 1970 to ``moment`` (earlier moments negative)."""
    return (pd.Timestamp(moment) - _EPOCH).days


def _date(day) -> date:
    """The date ``day`` whole days after 1970 (the inverse of :func:`_day`)."""
    return (_EPOCH + pd.Timedelta(days=int(day))).date()


def time_rows(index: EventIndex, spec: FilterSpec) -> np.ndarray:
    """Positions (in date order) of the events in the spec's time window, or up
    to its end in cumulative mode."""
    last = np.searchsorted(index.start, _day(spec.end), side="right")
    if spec.mode == "cumulative":
        return index.order[:last]
    first_day = _day(spec.start)
    first = np.searchsorted(index.start, first_day - index.longest, side="left")
    inside = index.end[first:last] >= first_day
    return index.order[first:last][inside]


def select(index: EventIndex, spec: FilterSpec) -> np.ndarray:
    """Positions in ``index.events`` of the events that ``spec`` selects, in date
    order: ``index.events.iloc[select(...)]`` equals ``apply_filters``."""
    rows = time_rows(index, spec)
    for facet in FACETS:
        wanted = getattr(spec.facets, facet.attribute)
        if facet.filters(wanted):
            hit = np.zeros(len(rows), dtype=bool)
            for codes in index.facets[facet.name]:
                hit |= codes.isin(wanted, rows, facet.separator or None)
            rows = rows[hit]
    if spec.text.strip() and len(rows):
        needle = spec.text.strip().casefold()
        part = index.events[list(SEARCH_COLUMNS)].iloc[rows].astype(str)
        # Column-wise concatenation: the same text as joining each row, much
        # faster than a row-wise join over hundreds of thousands of rows.
        haystack = part[SEARCH_COLUMNS[0]]
        for column in SEARCH_COLUMNS[1:]:
            haystack = haystack + " " + part[column]
        found = haystack.str.casefold().str.contains(needle, regex=False)
        rows = rows[found.to_numpy(dtype=bool)]
    return rows


def facet_rows(index: EventIndex, spec: FilterSpec) -> np.ndarray:
    """Positions of the events that pass every filter but time: what the map
    loads into the browser once and then filters by date there."""
    if not len(index):
        return np.arange(0)
    whole = Window(
        start=_date(index.start[0]),
        end=_date(index.start[-1]),
        mode="cumulative",
    )
    return select(index, FilterSpec(window=whole, facets=spec.facets))


def layer_counts(index: EventIndex, rows: np.ndarray) -> dict[str, int]:
    """How many of ``rows`` are in each layer."""
    counts = np.bincount(index.layer.codes[rows], minlength=len(index.layer.values))
    return {name: int(n) for name, n in zip(index.layer.values, counts, strict=True)}
