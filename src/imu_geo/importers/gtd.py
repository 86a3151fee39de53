"""The GTD crosswalk: ``iyear``/``imonth``/``iday`` with unknown parts, ``approxdate``,
``specificity``, attack types (with ``suicide``), groups, targets and notes.
"""

from __future__ import annotations

import calendar
import math
import re
from datetime import date

import numpy as np
import pandas as pd

from imu_geo.datecolumns import DateColumnError
from imu_geo.dates import MONTHS, DateParseError, parse_partial_date
from imu_geo.importers import crosswalk as cw
from imu_geo.importers.crosswalk import _Crosswalk, _Issues, _Source
from imu_geo.text import counted

GTD_SPECIFICITY = cw._codebook("gtd", "specificity")
# attacktype1_txt (compared in lower case) to our event_type; anything else is an
# armed_assault. attacktype1 is the code of the same text.
GTD_ATTACK_TYPES: dict[str, str] = {
    row["attacktype1_txt"].lower(): row["event_type"]
    for row in cw._table_rows("gtd_attack_types.csv")
}
GTD_ATTACK_CODES: dict[int, str] = {
    int(row["attacktype1"]): row["attacktype1_txt"]
    for row in cw._table_rows("gtd_attack_types.csv")
}


def _whole(text: str) -> int | None:
    """A GTD date part: 0 when empty, None when not a whole number."""
    try:
        value = float(text or "0")
    except ValueError:
        return None
    return int(value) if math.isfinite(value) and value == int(value) else None


def _gtd_date(year: str, month: str, day: str, approximate: str) -> tuple:
    """One GTD date: (start, end, precision, the column at fault, the reason)."""
    y, m, d = _whole(year), _whole(month), _whole(day)
    if not year or y is None or y <= 0:
        return None, None, "", "iyear", f"{year!r} is not a year"
    if m is None or m < 0:
        return None, None, "", "imonth", f"{month!r} is not a month (0 when unknown)"
    if d is None or d < 0:
        return None, None, "", "iday", f"{day!r} is not a day (0 when unknown)"
    if m == 0 and d != 0:
        return None, None, "", "iday", f"iday is {d} but imonth is 0 (unknown)"
    text = f"{y:04d}"
    if m:
        text += f"-{m:02d}" + (f"-{d:02d}" if d else "")
    start, end, precision, error = cw._parse_one(text)
    if error:
        column = "iyear"
        if error.startswith("day"):
            column = "iday"
        elif error.startswith("month"):
            column = "imonth"
        return None, None, "", column, error
    return start, end, "approximate" if approximate else precision, "", ""


# --- approxdate ---------------------------------------------------------------
# GTD writes an approximate date in words when the day is unclear: "June 1978",
# "first half of 1978" (its codebook's examples), "July 25 - 26, 1993",
# "Between 07/05/1993 and 07/10/1993", "August/September 1993" (its 1993 file).
# These are read as intervals of days; anything else is left as text.

_ORDINAL = r"(?:st|nd|rd|th)?"
_MONTH_WORD = r"[a-z]+\.?"
_SIDE_PATTERNS = (
    # [early|mid|late] month [day][,] [year]
    re.compile(
        rf"(?:(?P<part>early|mid|late)[- ])?(?P<month>{_MONTH_WORD})"
        rf"(?: (?P<day>\d{{1,2}}){_ORDINAL})?,?(?: (?P<year>\d{{4}}))?"
    ),
    # day month [year]
    re.compile(
        rf"(?P<day>\d{{1,2}}){_ORDINAL} (?P<month>{_MONTH_WORD}),?"
        r"(?: (?P<year>\d{4}))?"
    ),
    # day[,] [year]: the right end of "July 25 - 26, 1993"
    re.compile(rf"(?P<day>\d{{1,2}}){_ORDINAL},?(?: (?P<year>\d{{4}}))?"),
    re.compile(r"(?P<year>\d{4})"),
    re.compile(r"@(?P<iso>\d+)"),
)
_NUMERIC_DATE = re.compile(
    r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b|\b(\d{1,2})/(\d{1,2})/(\d{4})\b"
)
_HALF = re.compile(r"(first|second) half of (\d{4})")


def _side(text: str, isos: list[date]) -> dict | None:
    """One end of an approxdate as its known parts: year, month, day, part."""
    for pattern in _SIDE_PATTERNS:
        match = pattern.fullmatch(text)
        if not match:
            continue
        found = {k: v for k, v in match.groupdict().items() if v}
        if "iso" in found:
            day = isos[int(found["iso"])]
            return {"year": day.year, "month": day.month, "day": day.day}
        if "month" in found:
            month = MONTHS.get(found["month"].rstrip(".").lower())
            if month is None:
                return None
            found["month"] = month
        return {k: (int(v) if k != "part" else v) for k, v in found.items()}
    return None


def _ends(parts: dict) -> tuple[date, date]:
    """The first and last day a side's parts allow (a year, month or day)."""
    year, month, day = parts["year"], parts.get("month"), parts.get("day")
    if month is None:
        return date(year, 1, 1), date(year, 12, 31)
    if day is None:
        last = calendar.monthrange(year, month)[1]
        return date(year, month, 1), date(year, month, last)
    return date(year, month, day), date(year, month, day)


def parse_approxdate(text: str) -> tuple[date, date] | None:
    """The interval a GTD ``approxdate`` states, or None when it is not read.

    Read: a month (``June 1978``, ``mid-September 1975``: the whole month), a
    half year, a day, and ranges of these with ``-``, ``/``, ``to``,
    ``through``, ``until`` or ``between ... and ...``, where one end lends the
    other its missing year or month (``January 1-3, 2015``, ``between March and
    May 1997``, ``August/September 1993``). Dates in figures are ISO or, as GTD
    writes them, month first (``07/05/1993`` is 5 July).
    """
    cleaned = " ".join(str(text).lower().replace("–", "-").replace("—", "-").split())
    cleaned = re.sub(r"\b(early|mid|late)-", r"\1 ", cleaned.strip(" ."))
    if not cleaned:
        return None
    found = _approxdate(cleaned)
    if found is None:
        # The project's own partial dates: "spring 1993", "early 1993", "around
        # 1993", "1992-1997".
        try:
            interval = parse_partial_date(cleaned)
        except DateParseError:
            return None
        found = interval.start, interval.end
    return found


def _approxdate(cleaned: str) -> tuple[date, date] | None:
    half = _HALF.fullmatch(cleaned)
    if half:
        year = int(half.group(2))
        if half.group(1) == "first":
            return date(year, 1, 1), date(year, 6, 30)
        return date(year, 7, 1), date(year, 12, 31)
    isos: list[date] = []

    def token(match: re.Match) -> str:
        y, m, d, mm, dd, yy = match.groups()
        try:
            day = date(int(y), int(m), int(d)) if y else date(int(yy), int(mm), int(dd))
        except ValueError:
            return "!"
        isos.append(day)
        return f"@{len(isos) - 1}"

    cleaned = _NUMERIC_DATE.sub(token, cleaned)
    between = re.fullmatch(r"between (.+) and (.+)", cleaned)
    if between:
        sides = list(between.groups())
    else:
        sides = re.split(
            r"\s*(?:-|/|\bto\b|\bthrough\b|\bthru\b|\buntil\b)\s*", cleaned
        )
    if not 1 <= len(sides) <= 2:
        return None
    parsed = [_side(side, isos) for side in sides]
    if any(p is None for p in parsed):
        return None
    left, right = parsed[0], parsed[-1]
    # One end lends the other what it lacks: the year from the right, the
    # month from whichever end has one.
    for key in ("year", "month"):
        if key not in left and key in right:
            left[key] = right[key]
        if key not in right and key in left:
            right[key] = left[key]
    if "year" not in left or ("day" in left and "month" not in left):
        return None
    if "day" in right and "month" not in right:
        return None
    try:
        start, _ = _ends(left)
        _, end = _ends(right)
    except ValueError:
        return None
    return (start, end) if start <= end else None


def _widen(
    source: _Source,
    issues: _Issues,
    approx: pd.Series,
    start: np.ndarray,
    end: np.ndarray,
    precision: np.ndarray,
    date_order: str | None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, pd.Series, pd.Series, list[str]]:
    """Widen the iyear/imonth/iday interval by ``approxdate`` and ``resolution``.

    A parseable ``approxdate`` that meets the interval widens it to cover both;
    an extended incident (``extended`` 1) runs to its ``resolution`` date, the
    day it ended (GTD codebook). The precision is ``approximate`` when there is
    an approxdate (as before), else ``range`` when the resolution widened the
    interval. What was read, or could not be, goes to the row's notes; a
    resolution that cannot be used is a repair (the event keeps its start's
    interval). Returns the dates, the precision, how each approxdate was read,
    the notes on the resolution and the file notes.
    """
    n = source.n
    extended = source.stripped("extended")
    resolution = source.stripped("resolution")
    start, end, precision = start.copy(), end.copy(), precision.copy()
    # Only an extended incident's resolution is read (datecolumns, month first
    # unless the column or the user says otherwise).
    used = ((extended == "1") & (resolution != "")).to_numpy(bool)
    file_notes: list[str] = []
    wanted = {"resolution": resolution.where(pd.Series(used), "")}
    try:
        read_resolution = cw._read_dates(
            source,
            issues,
            "gtd",
            ("resolution",),
            date_order,
            file_notes,
            errors="keep",
            values=wanted,
        )
    except DateColumnError as error:
        file_notes.append(f"{error}; read month first, as GTD writes dates")
        read_resolution = cw._read_dates(
            source,
            issues,
            "gtd",
            ("resolution",),
            None,
            file_notes,
            order="mdy",
            errors="keep",
            values=wanted,
        )
    resolved_day = read_resolution["resolution"].dates
    resolved_error = read_resolution["resolution"].errors
    notes = np.full(n, "", dtype=object)
    read = np.full(n, "", dtype=object)
    unread: list[str] = []
    dated = np.array([s is not None for s in start], dtype=bool)
    candidates = dated & (
        (approx != "") | (extended == "1") | (resolution != "")
    ).to_numpy(bool)
    repaired = np.zeros(n, dtype=bool)
    reasons: list[str] = []
    readings = {text: parse_approxdate(text) for text in set(approx[candidates])}
    for i in np.flatnonzero(candidates):
        first, last, said = start[i], end[i], []
        text = approx[i]
        if text:
            found = readings[text]
            if found is None:
                unread.append(text)
                read[i] = "not read as dates; the interval is iyear/imonth/iday's"
            elif found[0] <= last and found[1] >= first:
                first, last = min(first, found[0]), max(last, found[1])
                read[i] = f"read as {found[0]} to {found[1]}"
            else:
                read[i] = (
                    f"reads as {found[0]} to {found[1]}, which does not meet "
                    "iyear/imonth/iday; not used"
                )
        if used[i]:
            resolved = date.fromisoformat(resolved_day[i]) if resolved_day[i] else None
            why = ""
            if resolved is None:
                why = resolved_error[i]
            elif resolved < start[i]:
                why = f"{resolved} is before the incident began ({start[i]})"
            else:
                last = max(last, resolved)
                said.append(f"extended incident resolved on {resolved}")
            if why:
                repaired[i] = True
                reasons.append(
                    f"{why}; the event's interval is iyear/imonth/iday's"
                    + (" and approxdate's" if text and found else "")
                )
        elif resolution[i]:
            said.append(
                f"resolution {resolution[i]!r} is given but extended is not 1; not used"
            )
        if (first, last) != (start[i], end[i]) and not text:
            precision[i] = "range"
        start[i], end[i] = first, last
        notes[i] = " ".join(
            f"{sentence[0].upper()}{sentence[1:]}." for sentence in said
        )
    issues.add(repaired, "repaired", "resolution", reasons)
    if unread:
        shown = ", ".join(repr(t) for t in sorted(set(unread))[:5])
        more = ", ..." if len(set(unread)) > 5 else ""
        count = len(unread)
        file_notes.append(
            f"{counted(count, 'row has', 'rows have')} an approxdate that "
            f"is not read as dates ({shown}{more}); "
            f"{'its' if count == 1 else 'their'} interval is iyear/imonth/iday's, "
            "marked approximate"
        )
    return start, end, precision, cw._text(read), cw._text(notes), file_notes


def _gtd(source: _Source, issues: _Issues, date_order: str | None = None) -> _Crosswalk:
    n = source.n
    approx = source.stripped("approxdate")
    start, end, precision, column, error = cw._per_unique(
        _gtd_date,
        source.stripped("iyear"),
        source.stripped("imonth"),
        source.stripped("iday"),
        cw._text(np.where((approx != "").to_numpy(bool), "approximate", "")),
    )
    for name in ("iyear", "imonth", "iday"):
        mask = column == name
        issues.add(mask, "rejected", name, error[mask])
    start, end, precision, approx_read, date_notes, file_notes = _widen(
        source, issues, approx, start, end, precision, date_order
    )
    spec_raw, geo = cw._place_precision(
        source,
        "specificity",
        GTD_SPECIFICITY,
        issues,
        "a GTD specificity (1 to 5)",
        file_notes,
    )
    attack = source.stripped("attacktype1_txt")
    if not source.has("attacktype1_txt"):
        attack = cw._text(
            cw._codes(source.stripped("attacktype1"))
            .map(GTD_ATTACK_CODES)
            .fillna("")
            .astype("str")
            .to_numpy(object)
        )
    suicide = source.stripped("suicide")

    def classify(attack_type: str, suicide_flag: str) -> tuple:
        kind = GTD_ATTACK_TYPES.get(attack_type.lower())
        if kind == "bombing" and _whole(suicide_flag) == 1 and suicide_flag:
            kind = "suicide_bombing"
        return (kind or "armed_assault", kind is not None)

    event_type, known = cw._per_unique(classify, attack, suicide)
    type_notes = cw._unmapped(
        issues,
        ~known.astype(bool),
        "attacktype1_txt" if source.has("attacktype1_txt") else "attacktype1",
        cw._compose(
            lambda text, code: (
                repr(text) if text else (f"code {code!r}" if code else "")
            ),
            attack,
            # the code is read only when the text column is not there
            cw._text("", n)
            if source.has("attacktype1_txt")
            else source.stripped("attacktype1"),
        ),
        "attack/armed_assault",
        "GTD",
        present=source.has("attacktype1_txt") or source.has("attacktype1"),
    )
    label = attack.where(attack != "", "GTD attack")
    target = source.stripped("target1")
    target = target.where(target != "", source.stripped("targtype1_txt"))
    city = source.stripped("city")

    def note(
        attack_type,
        suicide_flag,
        spec,
        spec_words,
        approximate,
        how_read,
        when,
        province,
    ):
        codes = [
            f"attacktype1_txt {attack_type}" if attack_type else "",
            f"suicide {suicide_flag}" if suicide_flag else "",
            f"specificity {spec or 'empty'}"
            + (f" ({spec_words})" if spec_words else ""),
        ]
        parts = [
            "; ".join(code for code in codes if code) + ".",
            cw._sentence(
                "approxdate: ", approximate + (f" ({how_read})" if how_read else "")
            ),
            when,
            cw._sentence("provstate: ", province),
        ]
        return " ".join(part for part in parts if part)

    notes = cw._imported_from(
        "GTD", "eventid", source.stripped("eventid")
    ) + cw._compose(
        note,
        attack,
        suicide,
        spec_raw,
        geo,
        approx,
        approx_read,
        date_notes,
        source.stripped("provstate"),
    )
    empty = cw._text("", n)
    return cw._dataset_crosswalk(
        source,
        "gtd",
        (start, end, precision),
        event_type=cw._text(event_type),
        geo_precision=geo,
        actors=cw._join_parts(
            source.get("gname"), source.get("gname2"), source.get("gname3")
        ),
        target=target,
        fatalities=(empty, cw._counts(source, "nkill", issues), empty),
        title=label,
        description=cw._compose(
            lambda what, where: cw._at(what, "", where), label, city
        ),
        notes=notes,
        place_name=city,
        source_event_type=attack,
        file_notes=file_notes + type_notes,
    )
