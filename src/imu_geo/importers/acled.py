"""The ACLED crosswalk: ``event_date`` with ``time_precision``, ``geo_precision``,
event and sub-event types to layer and type, actors, fatalities and notes.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from imu_geo.dates import parse_partial_date
from imu_geo.importers import crosswalk as cw
from imu_geo.importers.crosswalk import _Crosswalk, _Issues, _Source

ACLED_TIME_PRECISION = cw._codebook("acled", "time_precision")
ACLED_GEO_PRECISION = cw._codebook("acled", "geo_precision")


def _acled_types(column: str) -> dict[str, tuple[str, str]]:
    return {
        row["value"].lower(): (row["layer"], row["event_type"])
        for row in cw._table_rows("acled_types.csv")
        if row["column"] == column
    }


# ACLED sub_event_type, then event_type (both compared in lower case), to our
# layer and event_type. Anything else is unmapped: context/statement, reported.
ACLED_SUB_EVENT_TYPES = _acled_types("sub_event_type")
ACLED_EVENT_TYPES = _acled_types("event_type")

# ACLED's types before its 2019 change (compared in lower case) to the 2019
# event type (alternatives separated by "|" when the old type does not say
# which) and sub-event type ("" when the old type does not say).
ACLED_OLD_TYPES: dict[str, tuple[tuple[str, ...], str]] = {
    row["old_event_type"].lower(): (
        tuple(row["event_type"].split("|")),
        row["sub_event_type"],
    )
    for row in cw._table_rows("acled_old_types.csv")
}

CONTEXT_FALLBACK = ("context", "statement")


def _classify(sub_type: str, event_type: str) -> tuple:
    """One row's type: (layer, event_type, how it was found, the 2019 type).

    ``how`` is ``sub_event_type``, ``event_type``, ``pre-2019`` (a type from
    before ACLED's 2019 change, read through :data:`ACLED_OLD_TYPES`) or ``""``
    when no table knows the type; the 2019 type is set only for ``pre-2019``.
    """
    found = ACLED_SUB_EVENT_TYPES.get(sub_type.lower())
    if found:
        return (*found, "sub_event_type", "")
    found = ACLED_EVENT_TYPES.get(event_type.lower())
    if found:
        return (*found, "event_type", "")
    old = ACLED_OLD_TYPES.get(event_type.lower())
    if old and not sub_type:
        new_types, new_sub = old
        read_as = " or ".join(new_types) + (f" / {new_sub}" if new_sub else "")
        found = ACLED_SUB_EVENT_TYPES.get(new_sub.lower())
        if not found:
            # Alternatives count only when every one maps to the same layer/type.
            targets = {ACLED_EVENT_TYPES.get(t.lower()) for t in new_types}
            found = targets.pop() if len(targets) == 1 else None
        if found:
            return (*found, "pre-2019", read_as)
    return (*CONTEXT_FALLBACK, "", "")


# In ACLED's monadic export an event is one row per actor; the rows differ only
# in these columns.
_PER_ACTOR_COLUMNS = frozenset({"actor1", "assoc_actor_1", "ally_actor_1", "inter1"})


def _monadic(
    source: _Source, actors: pd.Series, issues: _Issues
) -> tuple[np.ndarray | None, pd.Series, pd.Series]:
    """Merge the rows of one event in ACLED's monadic layout.

    A monadic export (no ``actor2`` column) lists an event once per actor: rows
    with the same ``event_id_cnty`` that agree on every column but the actor's
    own (:data:`_PER_ACTOR_COLUMNS`) are one event. The first such row becomes
    the event, with every row's actor in ``actors``; each later row is counted
    as repaired, with a reason naming the row it joined, and makes no event of
    its own. Rows of one id that differ elsewhere are different events, and the
    usual rule for a repeated id applies. Returns the position each row was
    merged into (-1 for none; None when the file is not monadic), the actors
    and a note for the event rows.
    """
    note = cw._text("", source.n)
    ids = source.stripped("event_id_cnty")
    repeated = (ids != "").to_numpy(bool) & ids.duplicated(keep=False).to_numpy(bool)
    if source.has("actor2") or not source.has("actor1") or not repeated.any():
        return None, actors, note
    positions = np.flatnonzero(repeated)
    shared = [
        column
        for column in source.frame.columns
        if str(column).strip().lower() not in _PER_ACTOR_COLUMNS
    ]
    part = source.frame.iloc[positions][shared].astype("str")
    group = part.groupby(shared, sort=False, dropna=False).ngroup().to_numpy()
    # positions ascend, so the first row of each group is its smallest position
    size = np.bincount(group)
    first_of = np.full(size.size, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first_of, group, positions)
    in_event = size[group] > 1
    members, group = positions[in_event], group[in_event]
    first = first_of[group]
    later = members != first
    merged_into = np.full(source.n, -1, dtype=np.int64)
    merged_into[members[later]] = first[later]
    joined = (
        pd.DataFrame({"group": group, "actor": actors.to_numpy(object)[members]})
        .groupby("group", sort=False)["actor"]
        .agg(lambda names: "; ".join(dict.fromkeys(n for n in names if n)))
    )
    rows = (
        pd.DataFrame({"group": group, "row": source.rows[members].astype(str)})
        .groupby("group", sort=False)["row"]
        .agg(", ".join)
    )
    actors = actors.copy()
    note = note.copy()
    heads = first_of[joined.index.to_numpy()]
    actors.iloc[heads] = joined.to_numpy(object)
    note.iloc[heads] = [
        f" ACLED's monadic layout lists this event once per actor (rows {r}); "
        "their actors are joined."
        for r in rows.reindex(joined.index).to_numpy(object)
    ]
    merged = merged_into >= 0
    issues.add(
        merged,
        "repaired",
        "event_id_cnty",
        [
            f"the same event as row {source.rows[f]} (ACLED's monadic layout lists "
            "an event once per actor); this row's actor joins that event's actors"
            for f in merged_into[merged]
        ],
    )
    return merged_into, actors, note


def _interval(day: str, code: str) -> tuple:
    """An ACLED event_date (ISO, or '') with its time_precision code as an interval.

    1 is the day; 2, "within a week", the day +/- 3 days (this importer's
    convention, ``date_origin`` assumed); 3 the whole month.
    """
    if not day:
        return None, None, "", ""
    first = date.fromisoformat(day)
    if code == "2":
        three = timedelta(days=3)
        return first - three, first + three, "approximate", "assumed"
    if code == "3":
        month = parse_partial_date(f"{first:%Y-%m}")
        return month.start, month.end, "month", "source"
    return first, first, "day", "source"


def _acled(
    source: _Source, issues: _Issues, date_order: str | None = None
) -> _Crosswalk:
    n = source.n
    tp_raw, tp_meaning = cw._coded(
        source,
        "time_precision",
        ACLED_TIME_PRECISION,
        issues,
        "an ACLED time_precision (1, 2 or 3)",
    )
    tp_code = cw._code_text(cw._codes(tp_raw))
    date_notes: list[str] = []
    days = cw._read_dates(
        source, issues, "acled", ("event_date",), date_order, date_notes
    )["event_date"].dates
    start, end, precision, origin = cw._per_unique(_interval, cw._text(days), tp_code)
    gp_raw, geo = cw._place_precision(
        source,
        "geo_precision",
        ACLED_GEO_PRECISION,
        issues,
        "an ACLED geo_precision (1, 2 or 3)",
        date_notes,
    )
    sub = source.stripped("sub_event_type")
    kind = source.stripped("event_type")
    layer, event_type, how, read_as = cw._per_unique(_classify, sub, kind)
    described = cw._compose(
        lambda e, s: " / ".join(repr(v) for v in (e, s) if v), kind, sub
    )
    file_notes = cw._unmapped(
        issues,
        how == "",
        "sub_event_type" if source.has("sub_event_type") else "event_type",
        described,
        "context/statement",
        "ACLED",
        present=source.has("event_type") or source.has("sub_event_type"),
    )
    label = sub.where(sub != "", kind)
    label = label.where(label != "", "ACLED event")
    location = source.stripped("location")

    def acled_type(disorder: str, event: str, sub_event: str) -> str:
        return " / ".join(part for part in (disorder, event, sub_event) if part)

    def note(
        disorder, event, sub_event, new_type, tp, tp_words, gp, gp_words, sources
    ) -> str:
        time = f"time_precision {tp}" + (f" ({tp_words})" if tp_words else "")
        place = f"geo_precision {gp or 'empty'}" + (
            f" ({gp_words})" if gp_words else ""
        )
        parts = [
            cw._sentence("ACLED type: ", acled_type(disorder, event, sub_event)),
            cw._sentence("ACLED's type before 2019, read as its 2019 type ", new_type),
            f"{time}; {place}.",
            cw._sentence("ACLED source: ", sources),
        ]
        return " ".join(part for part in parts if part)

    disorder = source.stripped("disorder_type")
    # assoc_actor_* are called ally_actor_* before 2019; a file has one of them.
    actors = cw._join_parts(
        source.get("actor1"), source.get("assoc_actor_1"), source.get("ally_actor_1")
    )
    merged_into, actors, monadic_note = _monadic(source, actors, issues)
    notes = (
        cw._imported_from("ACLED", "event_id_cnty", source.stripped("event_id_cnty"))
        + cw._compose(
            note,
            disorder,
            kind,
            sub,
            cw._text(read_as),
            tp_raw,
            tp_meaning,
            gp_raw,
            geo,
            source.stripped("source"),
        )
        + monadic_note
    )
    description = cw._compose(
        lambda d, e, s, where: cw._at(acled_type(d, e, s), "ACLED event", where),
        disorder,
        kind,
        sub,
        location,
    )
    empty = cw._text("", n)
    return cw._dataset_crosswalk(
        source,
        "acled",
        (start, end, precision),
        date_origin=origin,
        layer=cw._text(layer),
        event_type=cw._text(event_type),
        geo_precision=geo,
        actors=actors,
        target=cw._join_parts(
            source.get("actor2"),
            source.get("assoc_actor_2"),
            source.get("ally_actor_2"),
        ),
        fatalities=(empty, cw._counts(source, "fatalities", issues), empty),
        title=label,
        description=description,
        notes=notes,
        place_name=location,
        source_event_type=kind,
        source_sub_event_type=sub,
        file_notes=date_notes + file_notes,
        merged_into=merged_into,
    )
