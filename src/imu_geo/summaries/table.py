"""The region tables: one row per unit with counts by layer, fatality sums and
the first and last date, and the sentences that total them.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from imu_geo.summaries.units import (
    POINT_PLACE_PREFIX,
    UNIT_KEYS,
    _point_place,
    _units,
    place_units,
    unit_keys,
)
from imu_geo.text import counted

__all__ = [
    "COUNT_COLUMNS",
    "FATALITY_SUMS",
    "FIGURE_COUNTS",
    "GROUP_COUNTS",
    "GROUP_SUMS",
    "KILLED_SUMS",
    "LEVEL_LABELS",
    "NO_PLACE_LABEL",
    "OUTSIDE_LABELS",
    "OUTSIDE_NOTES",
    "SUMMARY_COLUMNS",
    "UNIT_NOUNS",
    "killed_line",
    "summarise",
    "summary_table",
    "totals_line",
]

LEVEL_LABELS: dict[str, str] = {
    "country": "Countries",
    "admin1": "Provinces (admin-1)",
    "valley": "Ferghana Valley",
}
# What a unit of each level is called in a sentence, one and several.
UNIT_NOUNS: dict[str, tuple[str, str]] = {
    "country": ("country", "countries"),
    "admin1": ("admin-1 unit", "admin-1 units"),
    "valley": ("valley", "the valley"),
}
OUTSIDE_LABELS: dict[str, str] = {
    "country": "Outside the mapped countries",
    "admin1": "Outside the mapped admin-1 units",
    "valley": "Outside the valley",
}
OUTSIDE_NOTES: dict[str, str] = {
    "country": "the place lies in none of the mapped countries",
    "admin1": "the place lies in none of the mapped admin-1 units",
    "valley": "the place does not lie in the valley",
}
NO_PLACE_LABEL = "No place"
SUMMARY_COLUMNS: tuple[str, ...] = (
    "region_id",
    "region",
    "level",
    "coded_at",
    "country",
    "events",
    "attacks",
    "killed",
    "killed_low_only",
    "events_best",
    "events_low_only",
    "events_no_figure",
    "fatalities_low",
    "fatalities_best",
    "fatalities_high",
    "bases",
    "context",
    "first_event",
    "last_event",
    "note",
)
COUNT_COLUMNS: tuple[str, ...] = ("events", "attacks", "bases", "context")
FATALITY_SUMS: tuple[str, ...] = (
    "fatalities_low",
    "fatalities_best",
    "fatalities_high",
)
# What a total of the killed counts, per row. The three sums above run over
# different events (each over those that give that figure), so side by side
# they can read as a contradiction ("at least 23, best 16"). ``killed`` adds up
# one figure per event, the best estimate where the source gives one and else
# its low figure; ``killed_low_only`` is the part of it from low figures
# (``killed`` = ``fatalities_best`` + ``killed_low_only``). The events are
# counted by which figure they give: a best estimate, only a low figure, or
# neither (an upper bound alone adds nothing).
KILLED_SUMS: tuple[str, ...] = ("killed", "killed_low_only")
FIGURE_COUNTS: tuple[str, ...] = ("events_best", "events_low_only", "events_no_figure")
# Every count and every sum of a group, as the engine and pandas give them.
GROUP_COUNTS: tuple[str, ...] = COUNT_COLUMNS + FIGURE_COUNTS
GROUP_SUMS: tuple[str, ...] = FATALITY_SUMS + KILLED_SUMS
# Coarser codings first in the marked rows: finest (province) to coarsest.
_PRECISION_ORDER = {"province": 0, "region": 1, "country": 2}
_KIND_ORDER = {"unit": 0, "coarser": 1, "outside": 2, "no_place": 3}


def _percent(share: float) -> str:
    text = f"{share:.0%}"
    # A share above zero never reads "0%" (half a percent rounds down to it).
    return "under 1%" if share > 0 and text == "0%" else text


def _aggregate(events: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Counts, fatality sums and dates per group of ``keys``."""
    layer = events["layer"]
    best = events["fatalities_best"].astype("Int64")
    low = events["fatalities_low"].astype("Int64")
    low_only = best.isna() & low.notna()
    # The flags are summed per group as whole numbers (a sum of bools is int64).
    frame = events[keys].assign(
        events=1,
        attacks=layer == "attack",
        bases=layer == "base",
        context=layer == "context",
        events_best=best.notna(),
        events_low_only=low_only,
        events_no_figure=best.isna() & low.isna(),
        date_start=events["date_start"],
        date_end=events["date_end"],
        **{column: events[column].astype("Int64") for column in FATALITY_SUMS},
        killed=best.fillna(low),
        killed_low_only=low.where(low_only),
    )
    grouped = frame.groupby(
        keys,
        # Equivalent if mutated: no key is ever missing, and summary_table
        # orders the rows itself, down to the last key.
        sort=False,  # pragma: no mutate
        dropna=False,  # pragma: no mutate
    )
    table = grouped[list(GROUP_COUNTS)].sum()
    for column in GROUP_SUMS:
        # Unknowns are skipped; a row where no event gives a figure stays unknown.
        table[column] = grouped[column].sum(min_count=1).astype("Int64")
    table["first_event"] = grouped["date_start"].min().dt.date
    table["last_event"] = grouped["date_end"].max().dt.date
    return table.reset_index()


def _empty_summary() -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            column: pd.Series(
                # Equivalent as None: pandas makes an empty series object too.
                dtype=object  # pragma: no mutate
            )
            for column in SUMMARY_COLUMNS
        }
    )
    for column in GROUP_COUNTS:
        frame[column] = frame[column].astype("int64")
    for column in GROUP_SUMS:
        frame[column] = frame[column].astype("Int64")
    return frame


def summarise(
    events: pd.DataFrame,
    places: gpd.GeoDataFrame,
    regions: gpd.GeoDataFrame,
    level: str,
) -> pd.DataFrame:
    """The region table of one level for a selection of events.

    Parameters
    ----------
    events
        The selected events (typed as :class:`imu_geo.data.Dataset` has them).
    places, regions
        The dataset's places and regions.
    level
        ``country``, ``admin1`` or ``valley``.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`SUMMARY_COLUMNS`. First one row per unit with events
        (``region_id`` set, ``coded_at`` equal to ``level``, empty ``note``),
        sorted by ``region_id``; then the marked rows, each with a ``note`` saying
        why it is not a unit: one per place coded coarser than the units
        (``coded_at`` is its ``geo_precision``), one for places outside every unit
        and one for events with no place. ``events``, ``attacks``, ``bases`` and
        ``context`` are counts; ``fatalities_*`` are sums over the events that
        give that figure, empty when none does (empty means unknown, not zero),
        so each runs over its own events; ``killed`` sums one figure per event
        (the best estimate, else the low figure) and ``killed_low_only`` the
        low figures in it; ``events_best``, ``events_low_only`` and
        ``events_no_figure`` count the events by the figure they give
        (:data:`KILLED_SUMS`, :data:`FIGURE_COUNTS`);
        ``first_event`` is the earliest ``date_start`` and ``last_event`` the
        latest ``date_end`` of the row's events, as dates. Every event is on
        exactly one row.
    """
    _units(regions, level)
    if events.empty:
        return _empty_summary()
    keys = unit_keys(events, places, regions, level)
    frame = events.assign(**{key: keys[key].to_numpy() for key in UNIT_KEYS})
    return summary_table(_aggregate(frame, list(UNIT_KEYS)), places, regions, level)


def summary_table(
    table: pd.DataFrame,
    places: gpd.GeoDataFrame,
    regions: gpd.GeoDataFrame,
    level: str,
) -> pd.DataFrame:
    """The region table from the selection's counts per :data:`UNIT_KEYS` group.

    ``table`` has the keys, :data:`GROUP_COUNTS`, :data:`GROUP_SUMS` and
    ``first_event``/``last_event`` (dates), one row per group, as
    :func:`_aggregate` or the engine's group-by gives them.
    """
    units = _units(regions, level)
    if table.empty:
        return _empty_summary()
    names = places.set_index("place_id")["name"]
    place_country = places.set_index("place_id")["country"]
    coarse = places[places["place_id"].isin(table["_place"])]
    assignment = (
        place_units(coarse, regions, level).set_index("place_id")
        # Equivalent if always true: place_units of no place has no row either.
        if len(coarse)  # pragma: no mutate
        else pd.DataFrame(columns=["share", "point"])
    )
    shares = assignment["share"]
    is_point = assignment["point"]

    unit_info = units.set_index("region_id")
    noun = UNIT_NOUNS[level][0]
    rows = []
    # Equivalent as "RECORDS": pandas reads the orient in any case.
    for record in table.to_dict("records"):  # pragma: no mutate
        status = record["status"]
        row = {"region_id": "", "level": level, "coded_at": "", "country": ""}
        if status == "unit":
            unit = unit_info.loc[record["region_id"]]
            row |= {
                "region_id": record["region_id"],
                "region": unit["name"],
                "coded_at": level,
                "country": unit["country"],
                "note": "",
            }
        elif status == "coarser" and record["_place"].startswith(POINT_PLACE_PREFIX):
            # Events at a point of their own, coded coarser than the units.
            precision = record["_precision"]
            name, country = _point_place(record["_place"])
            where = "the point stands for a wider area" + (
                ", so its events are not assigned to it"
                if level == "valley"
                else ", so its events are not assigned to one"
            )
            row |= {
                "region": name or f"A point coded at {precision} level",
                "coded_at": precision,
                "country": country,
                "note": f"coded at {precision} level: {where}",
            }
        elif status == "coarser":
            place = record["_place"]
            precision = record["_precision"]
            share = _percent(float(shares[place]))
            if is_point[place]:
                where = "the point stands for a wider area"
            elif level == "valley":
                where = f"only {share} of the place lies in the valley"
            else:
                where = f"at most {share} of the place lies in any one {noun}"
            where += (
                ", so its events are not assigned to it"
                if level == "valley"
                else ", so its events are not assigned to one"
            )
            row |= {
                # The defaults are equivalent if mutated: a coarser place is
                # one of ``places`` (place_units found it there).
                "region": names.get(
                    place,
                    place,  # pragma: no mutate
                ),
                "coded_at": precision,
                "country": place_country.get(
                    place,
                    "",  # pragma: no mutate
                ),
                "note": f"coded at {precision} level: {where}",
            }
        elif status == "outside":
            row |= {"region": OUTSIDE_LABELS[level], "note": OUTSIDE_NOTES[level]}
        else:
            row |= {
                "region": NO_PLACE_LABEL,
                "note": "the source gives no place for these events",
            }
        rows.append(
            row
            | {column: record[column] for column in GROUP_COUNTS + GROUP_SUMS}
            | {
                "first_event": record["first_event"],
                "last_event": record["last_event"],
                "_order": (
                    _KIND_ORDER[status],
                    # Coarser rows by their coding, finest first; the rows of
                    # every other kind have one coding each.
                    _PRECISION_ORDER.get(
                        row["coded_at"],
                        # Equivalent if mutated to another number above 2.
                        9,  # pragma: no mutate
                    ),
                    row["region_id"],
                    row["region"],
                    # Two coarser places of one name: by their key, so the
                    # order does not depend on the order of the groups.
                    record["_place"],
                ),
            }
        )
    rows.sort(key=lambda r: r.pop("_order"))
    summary = pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS))
    for column in GROUP_COUNTS:
        summary[column] = summary[column].astype("int64")
    for column in GROUP_SUMS:
        summary[column] = summary[column].astype("Int64")
    return summary


def totals_line(summary: pd.DataFrame, level: str) -> str:
    """Say where the events of a table went, so that none is silently lost.

    Example: ``12 events: 7 in 3 countries, 4 coded at a coarser level, 1 with
    no place.``
    """
    if summary.empty:
        return "0 events."
    units = summary[summary["region_id"] != ""]
    marked = summary[summary["region_id"] == ""]
    total = int(summary["events"].sum())
    singular, plural = UNIT_NOUNS[level]
    in_units = int(units["events"].sum())
    where = plural if level == "valley" else counted(len(units), singular, plural)
    parts = [f"{in_units:,} in {where}"]
    for label, wanted in (
        ("coded at a coarser level", marked["coded_at"] != ""),
        ("outside", marked["region"] == OUTSIDE_LABELS[level]),
        ("with no place", marked["region"] == NO_PLACE_LABEL),
    ):
        n = int(marked.loc[wanted, "events"].sum())
        if n:
            parts.append(f"{n:,} {label}")
    word = "event" if total == 1 else "events"
    return f"{total:,} {word}: " + ", ".join(parts) + "."


def killed_line(summary: pd.DataFrame) -> str:
    """Say what the table's killed add up to, and from which figures.

    Every event is on one row, so the rows' sums are the selection's. Example:
    ``Killed: 23 — 16 from best estimates (1 event), 7 from low figures where no
    best estimate is given (2 events); 6 events give no figure.``
    """
    if summary.empty:
        return "Killed: no event selected."
    best_events = int(summary["events_best"].sum())
    low_events = int(summary["events_low_only"].sum())
    none = int(summary["events_no_figure"].sum())
    no_figure = (
        f"{counted(none, 'event gives', 'events give')} no figure"
        if none
        else "every event gives a figure"
    )
    if not best_events and not low_events:
        return f"Killed: no figure — {no_figure}."
    # A sum skips the unknown figures.
    from_best = int(summary["fatalities_best"].sum())
    from_low = int(summary["killed_low_only"].sum())
    parts = []
    if best_events:
        best = counted(best_events, "event")
        parts.append(f"{from_best:,} from best estimates ({best})")
    if low_events:
        parts.append(
            f"{from_low:,} from low figures where no best estimate is given "
            f"({counted(low_events, 'event')})"
        )
    return f"Killed: {from_best + from_low:,} — " + ", ".join(parts) + f"; {no_figure}."


def _format_value(value: object) -> str:
    return "no figure" if value is None or pd.isna(value) else f"{int(value):,}"
