"""Writing an import as a data directory: ``events.csv``, ``places.geojson``, a copy
of ``regions.geojson`` and ``rejects.csv``.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pa_csv
from shapely.geometry import mapping

from imu_geo.data import BUNDLED_DATA_DIR
from imu_geo.importers.report import ImportResult, rejects_csv
from imu_geo.schema import (
    EVENT_COLUMNS,
    PLACE_PROPERTIES,
)
from imu_geo.validate import (
    EVENTS_FILE,
    PLACES_FILE,
    REGIONS_FILE,
)

REJECTS_FILE = "rejects.csv"


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
    so that no character in the text can break a row), ``places.geojson``, a copy
    of ``regions.geojson`` (the bundled one unless ``regions`` names another) and
    ``rejects.csv``: one row per repair or rejection (``row``, ``action``,
    ``column``, ``reason``), the first row of each rejected source row followed by
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
    table = pa.Table.from_pandas(
        result.events[list(EVENT_COLUMNS)].astype("str"), preserve_index=False
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
    shutil.copyfile(regions or (BUNDLED_DATA_DIR / REGIONS_FILE), regions_path)
    paths[REGIONS_FILE] = regions_path

    rejects_path = out_dir / REJECTS_FILE
    rejects_path.write_bytes(rejects_csv(result))
    paths[REJECTS_FILE] = rejects_path
    return paths
