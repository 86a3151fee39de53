"""This project's own events: rows are checked with the rules of ``events.csv``
(:data:`imu_geo.rules.RULES`, the validator's, with the same messages), the place
rules once the rows' places are known.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from imu_geo.importers.crosswalk import (
    _Crosswalk,
    _Issues,
    _Source,
    _text,
)
from imu_geo.importers.places.placing import _Placed
from imu_geo.rules import (
    PLACED_LAYERS,
    RULES,
    Rows,
    broken,
    per_unique,
    read_full_date,
)
from imu_geo.schema import (
    EVENT_COLUMNS,
    FATALITY_COLUMNS,
    GEO_PRECISIONS,
)


def _native(source: _Source, issues: _Issues) -> _Crosswalk:
    n = source.n
    values = {column: source.get(column) for column in EVENT_COLUMNS}
    # The rules of a row on its own; counts are read without surrounding spaces,
    # as the import reads every count.
    checked = Rows(
        pd.DataFrame(values).assign(
            **{column: source.stripped(column) for column in FATALITY_COLUMNS}
        )
    )
    bad_count = {column: np.zeros(n, dtype=bool) for column in FATALITY_COLUMNS}
    for rule, column, at, messages in broken(checked, stage="row"):
        mask = np.zeros(n, dtype=bool)
        mask[at] = True
        issues.add(mask, "rejected", column, messages)
        if rule.id == "count":
            bad_count[column] = mask
    low, best, high = (
        _text(checked.column(column).where(~bad_count[column], ""))
        for column in FATALITY_COLUMNS
    )
    event_id, layer, event_type = (
        values[column] for column in ("event_id", "layer", "event_type")
    )
    days = {
        column: (
            per_unique(lambda text: read_full_date(text)[:1], values[column])
            or [np.empty(0, dtype=object)]
        )[0]
        for column in ("date_start", "date_end")
    }
    precision = values["date_precision"]

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
    """The place rules of ``events.csv`` (stage ``"place"`` of
    :data:`imu_geo.rules.RULES`), once the rows' places are known.

    Where a row is comes from what the import made of it, not from its cells
    alone: a row needs a place unless it names one or gives a point, and its
    ``geo_precision`` is the one its place was given.
    """
    layer = cross.layer.to_numpy(object)
    has_precision = np.array([v != "" for v in placed.geo_precision], dtype=bool)
    rows = Rows(cross.native, placed=placed.has_place)

    def given(column: str) -> np.ndarray:
        return (cross.native[column].str.strip() != "").to_numpy(bool)

    def lacks(column: str) -> np.ndarray:
        return ~(has_precision if column == "geo_precision" else given(column))

    failing = {
        "needs-place": lambda column: (
            np.isin(layer, PLACED_LAYERS) & ~cross.needs_place
        ),
        "place-details": lambda column: (
            (placed.has_place & lacks(column))
            | (~placed.has_place & given(column) & ~cross.needs_place)
        ),
    }
    for rule in RULES:
        if rule.stage != "place":
            continue
        for column in rule.columns:
            mask = failing[rule.id](column)
            at = np.flatnonzero(mask)
            issues.add(mask, "rejected", column, rule.messages(rows, column, at))
