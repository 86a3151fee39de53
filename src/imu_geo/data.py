"""Where the data lives, and loading it into typed frames.

A dataset is a directory with ``events.csv``, ``places.geojson`` and
``regions.geojson``. It is validated first (:mod:`imu_geo.validate`); only a clean
directory is loaded, so every frame that leaves this module satisfies the schema.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from imu_geo import source_columns as kept
from imu_geo.rules import iso_days, text_numbers
from imu_geo.schema import (
    EVENT_COLUMNS,
    FATALITY_COLUMNS,
    PLACE_PROPERTIES,
    POINT_COLUMNS,
    SOURCE_EVENT_COLUMNS,
)
from imu_geo.text import counted
from imu_geo.validate import (
    EVENTS_FILE,
    PLACES_FILE,
    REGIONS_FILE,
    Problem,
    read_and_validate_all,
)

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parents[1]
BUNDLED_DATA_DIR = PROJECT_DIR / "data"
DATA_ENV_VAR = "IMU_GEO_DATA"
CRS = "EPSG:4326"


class DataError(Exception):
    """A data directory that cannot be loaded; ``problems`` says why, row by row."""

    def __init__(self, directory: Path, problems: list[Problem]):
        self.directory = directory
        self.problems = problems
        shown = "; ".join(str(p) for p in problems[:3])
        more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
        super().__init__(f"{directory} cannot be loaded: {shown}{more}")


@dataclass(frozen=True)
class Dataset:
    """The events with their places, and the regions for maps and summaries.

    ``events`` has one row per event with the columns of ``events.csv`` typed
    (dates as ``datetime64``, fatalities as nullable ``Int64``) plus ``place_name``,
    ``lat``, ``lon`` and ``country``: the event's own (:data:`imu_geo.schema.
    POINT_COLUMNS`, as an import writes an event with its own coordinates) where
    given, else its place's (empty for events with neither). For an area place,
    ``lat``/``lon`` is a point inside the area, chosen by ``representative_point``;
    ``geo_precision`` says how much it can be trusted.
    An imported dataset's events also have those of
    :data:`imu_geo.schema.SOURCE_EVENT_COLUMNS` it was written with
    (``source_row`` as ``Int64``).

    ``source_columns`` holds the columns of an imported file that no crosswalk
    uses, verbatim (:mod:`imu_geo.source_columns`): one row per event, in the
    order of ``events``, named as in the file; None when there are none.
    """

    directory: Path
    events: pd.DataFrame
    places: gpd.GeoDataFrame
    regions: gpd.GeoDataFrame
    source_columns: pd.DataFrame | None = None


def default_data_dir() -> Path:
    """The data directory to use: ``$IMU_GEO_DATA`` when set, else the bundled one."""
    configured = os.environ.get(DATA_ENV_VAR, "").strip()
    return Path(configured) if configured else BUNDLED_DATA_DIR


def type_events(raw: pd.DataFrame) -> pd.DataFrame:
    """The event columns of a text frame, typed: dates as ``datetime64`` and
    fatalities as nullable ``Int64``. The frame must already be valid."""
    extra = [c for c in SOURCE_EVENT_COLUMNS if c in raw.columns]
    events = raw[[*EVENT_COLUMNS, *extra]].copy()
    for column in ("date_start", "date_end"):
        days = iso_days(raw[column])
        if days is None:
            days = pd.to_datetime(raw[column], format="%Y-%m-%d")
        events[column] = days
    for column in FATALITY_COLUMNS:
        events[column] = _whole_numbers(raw[column])
    for column in extra:
        if column == "source_row":
            # Text from events.csv; whole numbers straight from an import.
            events[column] = _whole_numbers(raw[column])
        else:
            events[column] = events[column].fillna("").astype("str")
    return events


def _whole_numbers(values: pd.Series) -> pd.Series:
    """Valid whole-number text as ``Int64`` (missing where empty)."""
    if values.dtype.kind in "iuf":
        return values.astype("Int64")
    numbers = text_numbers(values)
    missing = np.isnan(numbers)
    given = numbers[~missing]
    if (np.abs(given) >= 2**53).any() or (given != np.floor(given)).any():
        # Past float64's exact integers, or not whole: pandas reads (or
        # refuses) them as it always has.
        return pd.to_numeric(values.replace("", None)).astype("Int64")
    whole = np.where(missing, 0, numbers).astype(np.int64)
    return pd.Series(
        pd.arrays.IntegerArray(whole, missing), index=values.index, dtype="Int64"
    )


def _anchor_points(places: gpd.GeoDataFrame) -> gpd.GeoSeries:
    """One point per place: the point itself, or a point inside the area (a
    point's representative point is the point)."""
    return places.geometry.representative_point()


def load_dataset(directory: Path | None = None) -> Dataset:
    """Validate and load a data directory.

    Raises
    ------
    DataError
        When validation finds any problem; nothing is loaded half-way.
    """
    directory = Path(directory) if directory is not None else default_data_dir()
    report, raw, source_columns = read_and_validate_all(directory)
    if not report.ok:
        raise DataError(directory, report.problems)

    places, regions = read_geography(directory)
    if raw is None:
        # Every column as text, so nothing is inferred or turned into NaN.
        raw = pd.read_csv(
            directory / EVENTS_FILE,
            dtype=str,
            keep_default_na=False,
            encoding="utf-8-sig",
        )
    if source_columns is not None:
        source_columns = kept.aligned(source_columns, raw["event_id"])
    return assemble_dataset(directory, raw, places, regions, source_columns)


def read_geography(directory: Path) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """A valid data directory's places and regions, as :func:`load_dataset`
    reads them."""
    directory = Path(directory)
    places = gpd.read_file(directory / PLACES_FILE)
    if "place_id" not in places.columns:
        # No feature at all: an import whose events all have their own points.
        places = gpd.GeoDataFrame(
            {column: pd.Series(dtype="str") for column in PLACE_PROPERTIES},
            geometry=gpd.GeoSeries([], crs=CRS),
        )
    places = places.to_crs(CRS)
    regions = gpd.read_file(directory / REGIONS_FILE).to_crs(CRS)
    return places, regions


def assemble_dataset(
    directory: Path,
    raw_events: pd.DataFrame,
    places: gpd.GeoDataFrame,
    regions: gpd.GeoDataFrame,
    source_columns: pd.DataFrame | None = None,
) -> Dataset:
    """A :class:`Dataset` from valid events as text, their places and the regions.

    Used for the bundled data and for an imported file alike, so both reach the
    pages in the same shape. ``source_columns``, when given, is aligned with
    ``raw_events`` row by row; a frame without columns counts as none.
    """
    if source_columns is not None:
        if len(source_columns) != len(raw_events):
            raise ValueError(
                f"{counted(len(source_columns), 'row')} of source columns for "
                f"{counted(len(raw_events), 'event')}"
            )
        if len(source_columns.columns):
            source_columns = source_columns.reset_index(drop=True)
        else:
            source_columns = None
    events = type_events(raw_events)
    anchors = _anchor_points(places)
    place_columns = pd.DataFrame(
        {
            "place_id": places["place_id"].to_numpy(),
            "place_name": places["name"].to_numpy(),
            "lat": anchors.y.round(4).to_numpy(),
            "lon": anchors.x.round(4).to_numpy(),
            "country": places["country"].to_numpy(),
        }
    )
    # A left merge keeps the events' order, so source_columns stays aligned.
    events = events.merge(place_columns, on="place_id", how="left", validate="m:1")
    for column in ("place_name", "country"):
        events[column] = events[column].fillna("")
    own = own_points(raw_events)
    if own is not None:
        # The event's own point wins over its place's anchor; its own name and
        # country too, where it gives them.
        has_point = own["lat"].notna().to_numpy()
        for column in ("lat", "lon"):
            events[column] = np.where(
                has_point, own[column].to_numpy(), events[column].to_numpy(float)
            )
        for column in ("place_name", "country"):
            given = (own[column] != "").to_numpy()
            if given.any():
                events[column] = np.where(
                    given, own[column].to_numpy(object), events[column].to_numpy(object)
                )
                events[column] = events[column].astype("str")
    return Dataset(Path(directory), events, places, regions, source_columns)


def own_points(raw_events: pd.DataFrame) -> pd.DataFrame | None:
    """The events' own points (:data:`imu_geo.schema.POINT_COLUMNS`), typed:
    ``lat``/``lon`` as float rounded to 4 decimals (NaN when the event has none),
    ``place_name`` and ``country`` as text ("" when not given); None when the
    events have none of these columns.

    ``raw_events`` is valid text as ``events.csv`` holds it, or an import's events
    (numbers already).
    """
    if not any(column in raw_events.columns for column in POINT_COLUMNS):
        return None
    n = len(raw_events)
    own = {}
    for column in ("lat", "lon"):
        if column not in raw_events.columns:
            own[column] = np.full(n, np.nan)
            continue
        values = raw_events[column]
        numbers = (
            values.to_numpy(float, na_value=np.nan)
            if values.dtype.kind in "fiu"
            else text_numbers(values)
        )
        own[column] = np.round(numbers, 4)
    for column in ("place_name", "country"):
        if column in raw_events.columns:
            own[column] = raw_events[column].fillna("").astype("str").to_numpy(object)
        else:
            own[column] = np.full(n, "", dtype=object)
    return pd.DataFrame(own)


def combine_datasets(first: Dataset, second: Dataset) -> Dataset:
    """Two datasets shown together: their events and places side by side.

    Imported event ids carry their format as a prefix, so they do not collide
    with the atlas's. A place id used by both (an import placed from the bundled
    gazetteer reuses its id) is kept once, from the first dataset; each event keeps
    its own ``lat``/``lon``. The regions are the first dataset's, and the second's
    for the countries the first has none of (an upload from Syria on top of the
    atlas adds Syria and its units; its Afghanistan does not replace the atlas's).
    A source column (or kept column) one dataset lacks is empty for its events.
    """
    events = pd.concat([first.events, second.events], ignore_index=True)
    for column in SOURCE_EVENT_COLUMNS:
        if column in events.columns and column != "source_row":
            events[column] = events[column].fillna("").astype("str")
    places = pd.concat([first.places, second.places], ignore_index=True)
    places = places.drop_duplicates("place_id", keep="first")
    covered = set(first.regions["country"].str.split("|").explode())
    own = second.regions["country"].str.split("|").map(lambda c: covered.isdisjoint(c))
    added = second.regions[
        own & ~second.regions["region_id"].isin(first.regions["region_id"])
    ]
    regions = pd.concat([first.regions, added], ignore_index=True)
    source_columns = kept.stack(
        [
            (first.source_columns, len(first.events)),
            (second.source_columns, len(second.events)),
        ]
    )
    return Dataset(
        first.directory,
        events,
        gpd.GeoDataFrame(places, geometry="geometry", crs=CRS),
        gpd.GeoDataFrame(regions, geometry="geometry", crs=CRS),
        source_columns,
    )
