"""The guided tour: stops in time, each with its sentence and its key events.

On the curated atlas the stops are the eras of :data:`imu_geo.timeline.ERAS`, in
order, each with the sentence from the source that marks it. Other data has no
eras: the tour then steps through equal periods of its span and says so, or is
hidden when the span is a single month (:func:`build_tour`).

At each stop the window goes to the stop's period. Its key events
(:func:`key_events`) are chosen by a rule a reader can check, not by hand:
among the events that lie mostly in the period (or begin in it and spend a good
part of their span there), the bases first (where the group was), then the
attacks, best dated and deadliest first, then the rest.

The position travels in the URL as ``tour=N`` (1 for the first stop).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from imu_geo.filters import month_end, month_label, month_starts
from imu_geo.layers import DEFAULT_VIEW, PRECISE_DATES
from imu_geo.timeline import Era

TOUR_PARAM = "tour"
EQUAL_PERIODS = 5
KEY_EVENTS = 5
KEY_BASES = 2
# An event belongs to a stop when at least this share of its date span lies in
# the stop's period ...
MOSTLY_INSIDE = 0.5
# ... or when it begins in the period and at least this share lies in it (an
# event that begins late in a period and runs on mostly belongs to the next).
BEGUN_INSIDE = 0.3
VAGUENESS = {"season": 1, "year": 1, "range": 2, "approximate": 2}
# After the first bases: attacks, then context, then any further bases.
REST_ORDER = {"attack": 0, "context": 1, "base": 2}


@dataclass(frozen=True)
class Stop:
    """One stop of the tour: a period of whole months and what to say about it."""

    number: int
    name: str
    start: date
    end: date
    period: str
    reason: str = ""


@dataclass(frozen=True)
class Tour:
    """The stops, and a sentence on what they are (``kind``: ``eras``,
    ``periods`` or ``hidden``)."""

    kind: str
    stops: tuple[Stop, ...]
    note: str

    def __len__(self) -> int:
        return len(self.stops)


def _months_words(n: int) -> str:
    if n % 12 == 0:
        years = n // 12
        return "1 year" if years == 1 else f"{years} years"
    return "1 month" if n == 1 else f"{n} months"


def _period_words(first: date, last: date) -> str:
    a, b = month_label(first), month_label(last)
    return a if a == b else f"{a} – {b}"


def equal_periods(months: Sequence[date], count: int = EQUAL_PERIODS) -> list:
    """``(first month, last month)`` of up to ``count`` periods of equal whole
    months covering ``months`` (month starts, in order); the last may be shorter."""
    size = math.ceil(len(months) / min(count, len(months)))
    return [
        (months[k], months[min(k + size, len(months)) - 1])
        for k in range(0, len(months), size)
    ]


def build_tour(months: Sequence[date], eras: Sequence[Era]) -> Tour:
    """The tour over data spanning ``months`` (month starts, in order).

    With ``eras`` (the curated atlas) one stop per era. Without, equal periods,
    or no tour at all when the data spans a single month.
    """
    if eras:
        stops = tuple(
            Stop(k, era.name, era.start, era.end, era.period, era.reason)
            for k, era in enumerate(eras, start=1)
        )
        return Tour(
            "eras",
            stops,
            f"The tour follows the {len(stops)} eras of the group's history, each "
            "marked by a sentence of the source.",
        )
    if len(months) < 2:
        return Tour(
            "hidden",
            (),
            "This data has no eras and spans a single month, so there is nothing to "
            "step through: the tour is hidden.",
        )
    periods = equal_periods(months)
    stops = tuple(
        Stop(
            k,
            f"Period {k} of {len(periods)}",
            first,
            month_end(last),
            _period_words(first, last),
        )
        for k, (first, last) in enumerate(periods, start=1)
    )
    size = len(month_starts(periods[0][0], periods[0][1]))
    last_size = len(month_starts(periods[-1][0], periods[-1][1]))
    note = (
        f"This data has no eras, so the tour steps through {len(stops)} equal "
        f"periods of {_months_words(size)}"
    )
    if last_size != size:
        note += f" (the last one {_months_words(last_size)}, where the data ends)"
    return Tour("periods", stops, note + ".")


def stop_number(raw: object, tour: Tour) -> tuple[int, str]:
    """The stop a ``tour=N`` link asks for, and a warning if it cannot be shown
    (then the first stop)."""
    if raw is None or raw == "":
        return 1, ""
    text = str(raw).strip()
    if text.isdigit() and 1 <= int(text) <= len(tour):
        return int(text), ""
    shown = text[:20]
    return 1, (
        f"The tour has no stop “{shown}” (stops 1 to {len(tour)}); showing the first."
    )


def _share_inside(events: pd.DataFrame, start: date, end: date) -> pd.Series:
    """The share of each event's date span (in days, ends included) that lies in
    ``[start, end]``."""
    first, last = pd.Timestamp(start), pd.Timestamp(end)
    span = (events["date_end"] - events["date_start"]).dt.days + 1
    inside = (
        events["date_end"].clip(upper=last) - events["date_start"].clip(lower=first)
    ).dt.days + 1
    return (inside.clip(lower=0) / span).astype(float)


def stop_members(events: pd.DataFrame, start: date, end: date) -> pd.DataFrame:
    """The events that belong to a period: mostly inside it, or begun in it with
    a good part of their span inside (see :data:`MOSTLY_INSIDE`)."""
    if events.empty:
        return events.assign(_share=pd.Series(dtype=float))
    share = _share_inside(events, start, end)
    begun = (events["date_start"] >= pd.Timestamp(start)) & (
        events["date_start"] <= pd.Timestamp(end)
    )
    chosen = (share >= MOSTLY_INSIDE) | (begun & (share >= BEGUN_INSIDE))
    return events[chosen].assign(_share=share[chosen])


def key_events(
    events: pd.DataFrame, start: date, end: date, limit: int = KEY_EVENTS
) -> pd.DataFrame:
    """The key events of a period, in date order (at most ``limit``).

    Up to :data:`KEY_BASES` bases (the largest share of their span in the period
    first), then attacks (dated to the day or month before vaguer ones, then
    the deadliest, then the earliest), then context events in the same order,
    then any further bases.
    """
    members = stop_members(events, start, end)
    if members.empty:
        return members.drop(columns="_share")
    bases = members[members["layer"] == "base"].sort_values(
        ["_share", "date_start", "date_end", "event_id"],
        ascending=[False, True, True, True],
    )
    chosen = list(bases["event_id"][:KEY_BASES])
    rest = members[~members["event_id"].isin(chosen)]
    vague = rest["date_precision"].map(
        lambda p: 0 if p in PRECISE_DATES else VAGUENESS.get(p, 2)
    )
    killed = pd.to_numeric(rest["fatalities_best"], errors="coerce").fillna(0)
    ranked = rest.assign(
        _layer=rest["layer"].map(REST_ORDER).fillna(len(REST_ORDER)),
        _vague=vague,
        _killed=-killed.astype(float),
    ).sort_values(["_layer", "_vague", "_killed", "date_start", "date_end", "event_id"])
    chosen += list(ranked["event_id"][: max(limit - len(chosen), 0)])
    picked = members[members["event_id"].isin(chosen[:limit])]
    return picked.sort_values(["date_start", "date_end", "event_id"]).drop(
        columns="_share"
    )


# --- where the map looks ------------------------------------------------------------

WORLD_PX = 512  # deck.gl's world at zoom 0
# The size the zoom limits are chosen for; a smaller map's lower limit is lower
# by as much as it is narrower (each zoom step halves the ground shown).
MAP_PX = (900, 560)
VIEW_ZOOM = (3.0, 6.5)
VIEW_PAD = 1.5


def _mercator_y(lat: np.ndarray) -> np.ndarray:
    return np.log(np.tan(np.pi / 4 + np.radians(np.clip(lat, -85, 85)) / 2))


def view_for(
    lons: Sequence[float],
    lats: Sequence[float],
    size: tuple[float, float] = MAP_PX,
) -> Mapping[str, float]:
    """The view (centre and zoom, as :data:`imu_geo.layers.DEFAULT_VIEW`) of a map
    of ``size`` (width, height) pixels that shows the given points with a
    margin; the default view without points.

    The zoom stays between :data:`VIEW_ZOOM`'s limits, the lower one taken down
    for a map narrower or lower than :data:`MAP_PX` (a phone), so that such a
    map can still show what the larger one shows at the limit."""
    lon, lat = np.asarray(lons, dtype=float), np.asarray(lats, dtype=float)
    keep = np.isfinite(lon) & np.isfinite(lat)
    lon, lat = lon[keep], lat[keep]
    if lon.size == 0:
        return dict(DEFAULT_VIEW)
    y = _mercator_y(lat)
    centre_y = (y.min() + y.max()) / 2
    centre_lat = math.degrees(2 * math.atan(math.exp(centre_y)) - math.pi / 2)
    # Pixels per radian of longitude at zoom 0, the same for Mercator y.
    per_radian = WORLD_PX / (2 * math.pi)
    spans = (np.radians(lon.max() - lon.min()), y.max() - y.min())
    fits = [
        math.log2(pixels / (VIEW_PAD * span * per_radian))
        for pixels, span in zip(size, spans, strict=True)
        if span > 0
    ]
    ratios = [max(px, 1) / full for px, full in zip(size, MAP_PX, strict=True)]
    smaller = min(0.0, *(math.log2(r) for r in ratios))
    lowest = VIEW_ZOOM[0] + smaller
    zoom = min(fits) if fits else VIEW_ZOOM[1]
    zoom = min(max(zoom, lowest), VIEW_ZOOM[1])
    return {
        "latitude": round(centre_lat, 3),
        "longitude": round(float((lon.min() + lon.max()) / 2), 3),
        "zoom": round(zoom, 2),
    }
