"""The GTD crosswalk: ``iyear``/``imonth``/``iday`` with unknown parts, ``approxdate``,
``specificity``, attack types (with ``suicide``), groups, targets and notes.
"""

from __future__ import annotations

import math

import numpy as np

from imu_geo.importers.crosswalk import (
    _at,
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
    _quote,
    _sentence,
    _Source,
    _table_rows,
    _text,
    _unmapped,
)

GTD_SPECIFICITY = _codebook("gtd", "specificity")
# attacktype1_txt (compared in lower case) to our event_type; anything else is an
# armed_assault. attacktype1 is the code of the same text.
GTD_ATTACK_TYPES: dict[str, str] = {
    row["attacktype1_txt"].lower(): row["event_type"]
    for row in _table_rows("gtd_attack_types.csv")
}
GTD_ATTACK_CODES: dict[int, str] = {
    int(row["attacktype1"]): row["attacktype1_txt"]
    for row in _table_rows("gtd_attack_types.csv")
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
    start, end, precision, error = _parse_one(text)
    if error:
        column = "iyear"
        if error.startswith("day"):
            column = "iday"
        elif error.startswith("month"):
            column = "imonth"
        return None, None, "", column, error
    return start, end, "approximate" if approximate else precision, "", ""


def _gtd(source: _Source, issues: _Issues) -> _Crosswalk:
    n = source.n
    approx = source.stripped("approxdate")
    start, end, precision, column, error = _per_unique(
        _gtd_date,
        source.stripped("iyear"),
        source.stripped("imonth"),
        source.stripped("iday"),
        _text(np.where((approx != "").to_numpy(bool), "approximate", "")),
    )
    for name in ("iyear", "imonth", "iday"):
        mask = column == name
        issues.add(mask, "rejected", name, error[mask])
    spec_raw, geo = _coded(
        source, "specificity", GTD_SPECIFICITY, issues, "a GTD specificity (1 to 5)"
    )
    attack = source.stripped("attacktype1_txt")
    if not source.has("attacktype1_txt"):
        attack = _text(
            _codes(source.stripped("attacktype1"))
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

    event_type, known = _per_unique(classify, attack, suicide)
    file_notes = _unmapped(
        issues,
        ~known.astype(bool),
        "attacktype1_txt" if source.has("attacktype1_txt") else "attacktype1",
        _compose(
            lambda text, code: (
                repr(text) if text else (f"code {code!r}" if code else "")
            ),
            attack,
            source.stripped("attacktype1"),
        ),
        "attack/armed_assault",
        "GTD",
    )
    label = attack.where(attack != "", "GTD attack")
    target = source.stripped("target1")
    target = target.where(target != "", source.stripped("targtype1_txt"))
    city = source.stripped("city")

    def note(attack_type, suicide_flag, spec, spec_words, approximate, province):
        codes = [
            f"attacktype1_txt {attack_type}" if attack_type else "",
            f"suicide {suicide_flag}" if suicide_flag else "",
            f"specificity {spec}" + (f" ({spec_words})" if spec_words else ""),
        ]
        parts = [
            "; ".join(code for code in codes if code) + ".",
            _sentence("approxdate: ", approximate),
            _sentence("provstate: ", province),
        ]
        return " ".join(part for part in parts if part)

    notes = (
        "Imported from GTD: eventid "
        + source.stripped("eventid")
        + ". "
        + _compose(
            note, attack, suicide, spec_raw, geo, approx, source.stripped("provstate")
        )
    )
    empty = _text("", n)
    return _Crosswalk(
        source_id=source.stripped("eventid"),
        id_column="eventid",
        date_start=start,
        date_end=end,
        date_precision=precision,
        date_origin=np.full(n, "source", dtype=object),
        layer=_text("attack", n),
        event_type=_text(event_type),
        geo_precision=geo,
        actors=_join_parts(
            source.get("gname"), source.get("gname2"), source.get("gname3")
        ),
        target=target,
        fatalities=(empty, _counts(source, "nkill", issues), empty),
        title=label,
        description=_compose(lambda what, where: _at(what, "", where), label, city),
        source_quote=_quote(source.get("summary")),
        notes=notes,
        lat_column="latitude",
        lon_column="longitude",
        place_name=city,
        country=source.stripped("country_txt"),
        needs_place=np.ones(n, dtype=bool),
        source_event_type=attack,
        source_sub_event_type=_text("", n),
        file_notes=file_notes,
    )
