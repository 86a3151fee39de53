"""Writing an import as a data directory: ``events.csv``, ``places.geojson``,
``regions.geojson`` (the world's countries and admin-1 units where its places
are), ``rejects.csv``, and the file's own columns (``source_columns.csv``,
``column_map.csv``).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pa_csv
from shapely.geometry import mapping

from imu_geo import world
from imu_geo.importers.report import ImportResult, column_map_csv, rejects_csv
from imu_geo.schema import (
    EVENT_COLUMNS,
    PLACE_PROPERTIES,
    SOURCE_EVENT_COLUMNS,
)
from imu_geo.source_columns import SOURCE_COLUMNS_FILE, write_source_columns
from imu_geo.validate import (
    EVENTS_FILE,
    PLACES_FILE,
    REGIONS_FILE,
)

REJECTS_FILE = "rejects.csv"
COLUMN_MAP_FILE = "column_map.csv"


def _geometry_json(geometry) -> dict:
    if geometry.geom_type == "Point":
        return {
            "type": "Point",
            "coordinates": [round(geometry.x, 4), round(geometry.y, 4)],
        }
    return json.loads(json.dumps(mapping(geometry)))


def write_import(
    result: ImportResult, out_dir: Path, regions: Path | None = None
) -> dict[str, Path]:
    """Write an import as a data directory, plus its report.

    Writes ``events.csv`` (its columns, UTF-8, LF line ends, every field quoted
    so that no character in the text can break a row), ``places.geojson``,
    ``regions.geojson`` (the world's countries and admin-1 units of the countries
    its places name or lie in, :func:`imu_geo.world.regions_for_places`; a copy of
    the file ``regions`` names instead, when given) and ``rejects.csv``: one row
    per repair or rejection (``row``, ``action``, ``column``, ``reason``), the
    first row of each rejected source row followed by
    its source fields; like the dashboard's downloads it prefixes ``'`` to text a
    spreadsheet would run as a formula. ``imu_geo.validate.validate_directory``
    accepts the folder.

    Returns
    -------
    dict
        The path of each file written, by file name.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {}
    events_path = out_dir / EVENTS_FILE
    # The event's place in its source file, and the source's own types, go with it.
    columns = [*EVENT_COLUMNS, *(c for c in SOURCE_EVENT_COLUMNS if c in result.events)]
    table = pa.Table.from_pandas(
        result.events[columns].astype("str"), preserve_index=False
    )
    pa_csv.write_csv(
        table, str(events_path), pa_csv.WriteOptions(quoting_style="all_valid")
    )
    paths[EVENTS_FILE] = events_path

    lines = []
    for record in result.places.itertuples(index=False):
        properties = {
            column: getattr(record, column)
            for column in (*PLACE_PROPERTIES, "geometry_source", "note")
        }
        feature = {
            "type": "Feature",
            "properties": properties,
            "geometry": _geometry_json(record.geometry),
        }
        lines.append(json.dumps(feature, ensure_ascii=False))
    places_path = out_dir / PLACES_FILE
    places_path.write_text(
        '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n",
        encoding="utf-8",
    )
    paths[PLACES_FILE] = places_path

    regions_path = out_dir / REGIONS_FILE
    if regions is not None:
        shutil.copyfile(regions, regions_path)
    else:
        collection = world.regions_feature_collection(
            world.regions_for_places(result.places)
        )
        regions_path.write_text(
            json.dumps(collection, ensure_ascii=False) + "\n", encoding="utf-8"
        )
    paths[REGIONS_FILE] = regions_path

    rejects_path = out_dir / REJECTS_FILE
    rejects_path.write_bytes(rejects_csv(result))
    paths[REJECTS_FILE] = rejects_path
    paths |= write_source_columns_files(result, out_dir)
    return paths


def write_source_columns_files(result: ImportResult, out_dir: Path) -> dict[str, Path]:
    """Write where the file's columns went, and the columns kept verbatim.

    ``column_map.csv`` has one row per column of the file (``column``, ``what``;
    spreadsheet-safe like ``rejects.csv``). ``source_columns.csv`` has
    ``event_id`` and then each kept column, named as in the file, cell for cell
    (see :func:`imu_geo.source_columns.write_source_columns`); when nothing is
    kept it is not written, and one left from an earlier import is removed, so
    the folder never pairs these events with another file's columns.

    Returns
    -------
    dict
        The path of each file written, by file name.
    """
    paths = {}
    map_path = out_dir / COLUMN_MAP_FILE
    map_path.write_bytes(column_map_csv(result))
    paths[COLUMN_MAP_FILE] = map_path
    kept_path = out_dir / SOURCE_COLUMNS_FILE
    if len(result.source_columns.columns):
        write_source_columns(
            kept_path, result.events["event_id"], result.source_columns
        )
        paths[SOURCE_COLUMNS_FILE] = kept_path
    else:
        kept_path.unlink(missing_ok=True)
    return paths
