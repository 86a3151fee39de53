"""The UCDP GED crosswalk: the ``date_start``/``date_end`` span and its precision,
``where_prec``, the low/best/high fatalities, sides and notes.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from imu_geo.dates import parse_partial_date
from imu_geo.importers import crosswalk as cw
from imu_geo.importers.crosswalk import _Crosswalk, _Issues, _Source

UCDP_WHERE_PREC = cw._codebook("ucdp", "where_prec")
UCDP_VIOLENCE = cw._codebook("ucdp", "type_of_violence")

LOW_BEST_HIGH = ("low", "best", "high")


def _span_precision(start: str, end: str) -> tuple:
    """The precision a UCDP span has: one day, month or year, else a range."""
    first, last = date.fromisoformat(start), date.fromisoformat(end)
    if first == last:
        return ("day",)
    for text in (f"{first:%Y-%m}", f"{first:%Y}"):
        interval = parse_partial_date(text)
        if (interval.start, interval.end) == (first, last):
            return (interval.precision,)
    return ("range",)


def _day(iso: str) -> tuple:
    return (date.fromisoformat(iso) if iso else None,)


def _around(before: str, values: pd.Series, after: str) -> pd.Series:
    """``before + value + after`` where the value is not empty, else ''."""
    return cw._when((values != "").to_numpy(bool), before + values + after)


def _notes(
    violence_code: pd.Series,
    violence_words: pd.Series,
    date_prec: pd.Series,
    where_prec: pd.Series,
    where_words: pd.Series,
    conflict: pd.Series,
    dyad: pd.Series,
    where: pd.Series,
) -> pd.Series:
    """The notes' account of a row's codes and names, made column by column
    (a million rows have about as many distinct places): ``type_of_violence 1
    (state-based conflict). date_prec 1; where_prec 1 (exact). Conflict: ….
    Dyad: …. Where: ….``, each part only when its value is there, but
    ``where_prec`` always (``empty`` when it is)."""
    violence = cw._when(
        (violence_code != "").to_numpy(bool),
        "type_of_violence " + violence_code + _around(" (", violence_words, ")") + ". ",
    )
    text = (
        violence
        + _around("date_prec ", date_prec, "; ")
        + "where_prec "
        + where_prec.where(where_prec != "", "empty")
        + _around(" (", where_words, ")")
        + "."
    )
    for label, values in (
        ("Conflict: ", conflict),
        ("Dyad: ", dyad),
        ("Where: ", where),
    ):
        text = text + _around(f" {label}", values, ".")
    return text


def _ucdp(
    source: _Source, issues: _Issues, date_order: str | None = None
) -> _Crosswalk:
    n = source.n
    # date_start and date_end are written alike: one day/month order for both.
    date_notes: list[str] = []
    read = cw._read_dates(
        source, issues, "ucdp", ("date_start", "date_end"), date_order, date_notes
    )
    first, last = cw._text(read["date_start"].dates), cw._text(read["date_end"].dates)
    (start,) = cw._per_unique(_day, first)
    (end,) = cw._per_unique(_day, last)
    both = ((first != "") & (last != "")).to_numpy(bool)
    reversed_ = both & (last < first).to_numpy(bool)
    issues.add(
        reversed_,
        "rejected",
        "date_end",
        [
            f"date_end {e} is before date_start {s}"
            for s, e in zip(first[reversed_], last[reversed_], strict=True)
        ],
    )
    usable = both & ~reversed_
    precision = np.full(n, "", dtype=object)
    if usable.any():
        (precision[usable],) = cw._per_unique(
            _span_precision, first[usable], last[usable]
        )
    wp_raw, geo = cw._place_precision(
        source,
        "where_prec",
        UCDP_WHERE_PREC,
        issues,
        "a UCDP where_prec (1 to 7)",
        date_notes,
    )
    # Some releases and copies call the estimates low_est, best_est, high_est.
    estimates = tuple(source.first(name, f"{name}_est") for name in LOW_BEST_HIGH)
    low, best, high, published = cw._published_estimates(
        *(cw._counts(source, column, issues) for column in estimates),
        issues,
        estimates,
    )
    violence_raw = source.stripped("type_of_violence")
    violence = cw._text(
        cw._codes(violence_raw).map(UCDP_VIOLENCE).fillna("").astype("str").to_numpy()
    )
    label = violence.str.capitalize().where(violence != "", "UCDP GED event")
    dyad = source.stripped("dyad_name")
    place = source.stripped("where_coordinates")

    notes = (
        cw._imported_from("UCDP GED", "id", source.stripped("id"))
        + _notes(
            violence_raw,
            violence,
            source.stripped("date_prec"),
            wp_raw,
            geo,
            source.stripped("conflict_name"),
            dyad,
            source.stripped("where_description"),
        )
        + cw._labelled(" ", published, "")
    )
    return cw._dataset_crosswalk(
        source,
        "ucdp",
        (start, end, precision),
        event_type=cw._text("armed_assault", n),
        geo_precision=geo,
        actors=source.stripped("side_a"),
        target=source.stripped("side_b"),
        fatalities=(low, best, high),
        title=label,
        # "<dyad, else the label> at <place>", as _at makes it for one row.
        description=dyad.where(dyad != "", label) + _around(" at ", place, ""),
        notes=notes,
        place_name=place,
        # UCDP's own name for its type of violence; the code when it has none.
        source_event_type=violence.where(violence != "", violence_raw),
        file_notes=date_notes,
    )
