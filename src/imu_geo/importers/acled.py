"""The ACLED crosswalk: ``event_date`` with ``time_precision``, ``geo_precision``,
event and sub-event types to layer and type, actors, fatalities and notes.
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np

from imu_geo.dates import parse_partial_date
from imu_geo.importers.crosswalk import (
    _at,
    _code_text,
    _codebook,
    _coded,
    _codes,
    _compose,
    _counts,
    _Crosswalk,
    _Issues,
    _join_parts,
    _parse_one,
    _per_unique,
    _place_precision,
    _quote,
    _sentence,
    _Source,
    _strip_time,
    _table_rows,
    _text,
    _unmapped,
)

ACLED_TIME_PRECISION = _codebook("acled", "time_precision")
ACLED_GEO_PRECISION = _codebook("acled", "geo_precision")


def _acled_types(column: str) -> dict[str, tuple[str, str]]:
    return {
        row["value"].lower(): (row["layer"], row["event_type"])
        for row in _table_rows("acled_types.csv")
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
    for row in _table_rows("acled_old_types.csv")
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


def _acled(source: _Source, issues: _Issues) -> _Crosswalk:
    n = source.n
    tp_raw, tp_meaning = _coded(
        source,
        "time_precision",
        ACLED_TIME_PRECISION,
        issues,
        "an ACLED time_precision (1, 2 or 3)",
    )
    tp_code = _code_text(_codes(tp_raw))

    def interval(text: str, code: str) -> tuple:
        start, end, precision, error = _parse_one(text)
        origin = "source"
        if not error and precision == "day":
            if code == "2":
                start, end = start - timedelta(days=3), end + timedelta(days=3)
                precision, origin = "approximate", "assumed"
            elif code == "3":
                month = parse_partial_date(f"{start:%Y-%m}")
                start, end, precision = month.start, month.end, "month"
        return start, end, precision, origin, error

    dates = _strip_time(source.stripped("event_date"))
    start, end, precision, origin, error = _per_unique(interval, dates, tp_code)
    failed = error != ""
    issues.add(failed, "rejected", "event_date", error[failed])
    gp_raw, geo = _place_precision(
        source,
        "geo_precision",
        ACLED_GEO_PRECISION,
        issues,
        "an ACLED geo_precision (1, 2 or 3)",
    )
    sub = source.stripped("sub_event_type")
    kind = source.stripped("event_type")
    layer, event_type, how, read_as = _per_unique(_classify, sub, kind)
    described = _compose(
        lambda e, s: " / ".join(repr(v) for v in (e, s) if v), kind, sub
    )
    file_notes = _unmapped(
        issues,
        how == "",
        "sub_event_type" if source.has("sub_event_type") else "event_type",
        described,
        "context/statement",
        "ACLED",
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
            _sentence("ACLED type: ", acled_type(disorder, event, sub_event)),
            _sentence("ACLED's type before 2019, read as its 2019 type ", new_type),
            f"{time}; {place}.",
            _sentence("ACLED source: ", sources),
        ]
        return " ".join(part for part in parts if part)

    disorder = source.stripped("disorder_type")
    notes = (
        "Imported from ACLED: event_id_cnty "
        + source.stripped("event_id_cnty")
        + ". "
        + _compose(
            note,
            disorder,
            kind,
            sub,
            _text(read_as),
            tp_raw,
            tp_meaning,
            gp_raw,
            geo,
            source.stripped("source"),
        )
    )
    description = _compose(
        lambda d, e, s, where: _at(acled_type(d, e, s), "ACLED event", where),
        disorder,
        kind,
        sub,
        location,
    )
    empty = _text("", n)
    return _Crosswalk(
        source_id=source.stripped("event_id_cnty"),
        id_column="event_id_cnty",
        date_start=start,
        date_end=end,
        date_precision=precision,
        date_origin=origin,
        layer=_text(layer),
        event_type=_text(event_type),
        geo_precision=geo,
        # assoc_actor_* are called ally_actor_* before 2019; a file has one of them.
        actors=_join_parts(
            source.get("actor1"),
            source.get("assoc_actor_1"),
            source.get("ally_actor_1"),
        ),
        target=_join_parts(
            source.get("actor2"),
            source.get("assoc_actor_2"),
            source.get("ally_actor_2"),
        ),
        fatalities=(empty, _counts(source, "fatalities", issues), empty),
        title=label,
        description=description,
        source_quote=_quote(source.get("notes")),
        notes=notes,
        lat_column="latitude",
        lon_column="longitude",
        place_name=location,
        country=source.stripped("country"),
        needs_place=np.ones(n, dtype=bool),
        source_event_type=kind,
        source_sub_event_type=sub,
        file_notes=file_notes,
    )
