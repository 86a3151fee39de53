"""This project's own events: rows are checked with the rules and messages
:mod:`imu_geo.validate` applies to ``events.csv``, then with its place rules once
the rows' places are known.
"""

from __future__ import annotations

import re
from datetime import date

import numpy as np
import pandas as pd

from imu_geo.dates import DateParseError, parse_partial_date, precision_problem
from imu_geo.importers.crosswalk import (
    _SLUG,
    _counts,
    _Crosswalk,
    _fatality_order,
    _isoformat,
    _Issues,
    _per_unique,
    _Source,
)
from imu_geo.importers.places import _Placed
from imu_geo.schema import (
    EVENT_COLUMNS,
    EVENT_TYPES,
    EVENT_VOCABULARIES,
    GEO_PRECISIONS,
    OPTIONAL_EVENT_COLUMNS,
)


def _full_date(text: str) -> tuple:
    """A native date cell, read as :mod:`imu_geo.validate` reads it."""
    if not text:
        return None, ""
    try:
        interval = parse_partial_date(text)
    except DateParseError as error:
        return None, str(error)
    if interval.precision != "day" or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return None, f"{text!r} is not a full ISO date YYYY-MM-DD"
    return interval.start, ""


def _type_problem(layer: str, event_type: str) -> tuple:
    if layer in EVENT_TYPES and event_type and event_type not in EVENT_TYPES[layer]:
        article = "an" if layer[:1] in "aeiou" else "a"
        return (
            f"{event_type!r} is not {article} {layer} type "
            f"({', '.join(EVENT_TYPES[layer])})",
        )
    return ("",)


def _precision_problem(start: str, end: str, precision: str) -> tuple:
    found = precision_problem(
        date.fromisoformat(start), date.fromisoformat(end), precision
    )
    return (found or "",)


def _native(source: _Source, issues: _Issues) -> _Crosswalk:
    n = source.n
    values = {column: source.get(column) for column in EVENT_COLUMNS}
    for column in EVENT_COLUMNS:
        if column not in OPTIONAL_EVENT_COLUMNS:
            empty = (values[column].str.strip() == "").to_numpy(bool)
            issues.add(empty, "rejected", column, "is empty")
    event_id = values["event_id"]
    bad = ((event_id != "") & ~event_id.str.fullmatch(_SLUG.pattern)).to_numpy(bool)
    issues.add(
        bad,
        "rejected",
        "event_id",
        [
            f"{v!r} is not a slug (lower-case letters, digits, - and _)"
            for v in event_id[bad]
        ],
    )
    for column, allowed in EVENT_VOCABULARIES.items():
        value = values[column]
        bad = ((value != "") & ~value.isin(allowed)).to_numpy(bool)
        issues.add(
            bad,
            "rejected",
            column,
            [f"{v!r} is not one of {', '.join(allowed)}" for v in value[bad]],
        )
    layer, event_type = values["layer"], values["event_type"]
    (type_error,) = _per_unique(_type_problem, layer, event_type)
    bad = type_error != ""
    issues.add(bad, "rejected", "event_type", type_error[bad])

    days = {}
    for column in ("date_start", "date_end"):
        day, error = _per_unique(_full_date, values[column])
        bad = error != ""
        issues.add(bad, "rejected", column, error[bad])
        days[column] = day
    first, last = _isoformat(days["date_start"]), _isoformat(days["date_end"])
    precision = values["date_precision"]
    checkable = (
        (first != "")
        & (last != "")
        & precision.isin(EVENT_VOCABULARIES["date_precision"])
    ).to_numpy(bool)
    problem = np.full(n, "", dtype=object)
    if checkable.any():
        (problem[checkable],) = _per_unique(
            _precision_problem,
            first[checkable],
            last[checkable],
            precision[checkable],
        )
    before = np.array(["before" in p for p in problem], dtype=bool)
    issues.add(before, "rejected", "date_end", problem[before])
    other = (problem != "") & ~before
    issues.add(other, "rejected", "date_precision", problem[other])

    low = _counts(source, "fatalities_low", issues, strict=True)
    best = _counts(source, "fatalities_best", issues, strict=True)
    high = _counts(source, "fatalities_high", issues, strict=True)
    _fatality_order(low, best, high, issues, "fatalities_best")

    place_name = source.stripped("place_name")
    place_key = place_name.where(place_name != "", values["place_id"].str.strip())
    # The download's lat/lon; a GeoJSON point's latitude/longitude otherwise.
    geojson = not source.has("lat") and source.has("latitude")
    lat_column = "latitude" if geojson else "lat"
    lon_column = "longitude" if geojson else "lon"
    has_coordinates = (
        (source.stripped(lat_column) != "") | (source.stripped(lon_column) != "")
    ).to_numpy(bool)
    return _Crosswalk(
        source_id=event_id,
        id_column="event_id",
        date_start=days["date_start"],
        date_end=days["date_end"],
        date_precision=precision.to_numpy(object),
        date_origin=values["date_origin"].to_numpy(object),
        layer=layer,
        event_type=event_type,
        geo_precision=values["geo_precision"].where(
            values["geo_precision"].isin(GEO_PRECISIONS), ""
        ),
        actors=values["actors"],
        target=values["target"],
        fatalities=(low, best, high),
        title=values["title"],
        description=values["description"],
        source_quote=values["source_quote"],
        notes=values["notes"],
        lat_column=lat_column,
        lon_column=lon_column,
        place_name=place_key,
        country=source.stripped("country"),
        needs_place=has_coordinates | (place_key != "").to_numpy(bool),
        native=pd.DataFrame(values),
    )


def _native_place_rules(cross: _Crosswalk, placed: _Placed, issues: _Issues) -> None:
    """The place rules of ``events.csv``, once the rows' places are known."""
    layer = cross.layer.to_numpy(object)
    needs = np.isin(layer, ["attack", "base"]) & ~cross.needs_place
    issues.add(
        needs,
        "rejected",
        "place_id",
        [
            f"is empty, but {'an' if value == 'attack' else 'a'} {value} needs a place"
            for value in layer[needs]
        ],
    )
    for column in ("geo_precision", "place_origin"):
        given = (cross.native[column].str.strip() != "").to_numpy(bool)
        if column == "geo_precision":
            value = np.array([v != "" for v in placed.geo_precision], dtype=bool)
        else:
            value = given
        issues.add(
            placed.has_place & ~value,
            "rejected",
            column,
            "is empty, but the row has a place",
        )
        issues.add(
            ~placed.has_place & given & ~cross.needs_place,
            "rejected",
            column,
            "is given, but the row has no place",
        )
