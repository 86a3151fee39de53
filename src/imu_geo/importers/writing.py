"""Writing an import as a data directory (``events.csv``, ``places.geojson``,
``regions.geojson`` with the world's countries and admin-1 units where its places
are, ``row-problems.csv``, and the file's own columns: ``source_columns.csv``,
``column_map.csv``), and the text the command line prints and writes about it: the
summary, the notes, the reasons by kind.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pa_compute
import pyarrow.csv as pa_csv
from shapely.geometry import mapping

from imu_geo import world
from imu_geo.data import (
    BUNDLED_DATA_DIR,
    EVENTS_FILE,
    PLACES_FILE,
    REGIONS_FILE,
    assemble_dataset,
    read_geography,
)
from imu_geo.importers.report import ImportResult, column_map_csv, rejects_csv
from imu_geo.schema import (
    EVENT_COLUMNS,
    PLACE_PROPERTIES,
    POINT_COLUMNS,
    SOURCE_EVENT_COLUMNS,
)
from imu_geo.source_columns import SOURCE_COLUMNS_FILE, write_source_columns
from imu_geo.store import FOLDER_STORE_DIR, write_folder_store
from imu_geo.text import counted
from imu_geo.validate import validate_read_events

# Every repaired and every rejected row, with its reason.
ROW_PROBLEMS_FILE = "row-problems.csv"
# The same, under the name the one-line entry point (core.run_import) uses.
REJECTS_FILE = ROW_PROBLEMS_FILE
COLUMN_MAP_FILE = "column_map.csv"


def _geometry_json(geometry) -> dict:
    if geometry.geom_type == "Point":
        return {
            "type": "Point",
            "coordinates": [round(geometry.x, 4), round(geometry.y, 4)],
        }
    return json.loads(json.dumps(mapping(geometry)))


def events_table(events: pd.DataFrame) -> pa.Table:
    """An import's events as the text columns of ``events.csv``.

    The columns of :data:`imu_geo.schema.EVENT_COLUMNS`, then those of
    :data:`imu_geo.schema.POINT_COLUMNS` (an event's own point: filled only for
    events with no ``place_id``, since a named place gives the others theirs;
    coordinates in plain decimals, never an exponent), then those of
    :data:`imu_geo.schema.SOURCE_EVENT_COLUMNS` the events have. Empty cells for
    what is unknown.
    """
    own = (events["place_id"].astype("str") == "").to_numpy(bool)
    if "lat" in events:
        own = own & pd.notna(events["lat"]).to_numpy(bool)
    else:
        own = np.zeros(len(events), dtype=bool)
    arrays, names = [], []
    for column in EVENT_COLUMNS:
        arrays.append(pa.array(events[column].astype("str"), type=pa.string()))
        names.append(column)
    mask = pa.array(~own)
    for column in POINT_COLUMNS:
        if column in ("lat", "lon"):
            values = (
                events[column].to_numpy(float, na_value=np.nan)
                if column in events
                else np.full(len(events), np.nan)
            )
            text = pa_compute.cast(
                pa.array(np.round(values, 4), from_pandas=True), pa.string()
            )
        elif column in events:
            text = pa.array(events[column].astype("str"), type=pa.string())
        else:
            text = pa.array([""] * len(events), type=pa.string())
        # Only an event with no named place keeps these; the rest get them from
        # the place.
        text = pa_compute.if_else(mask, pa.scalar("", pa.string()), text)
        arrays.append(pa_compute.fill_null(text, ""))
        names.append(column)
    for column in SOURCE_EVENT_COLUMNS:
        if column in events:
            arrays.append(pa.array(events[column].astype("str"), type=pa.string()))
            names.append(column)
    return pa.Table.from_arrays(arrays, names=names)


def write_import(
    result: ImportResult,
    out_dir: Path,
    regions: Path | None = None,
    store: bool = False,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Path]:
    """Write an import as a data directory, plus its report.

    Writes ``events.csv`` (its columns, UTF-8, LF line ends, every field quoted
    so that no character in the text can break a row), ``places.geojson``,
    ``regions.geojson`` (the world's countries and admin-1 units of the countries
    its places name or lie in, :func:`imu_geo.world.regions_for_places`; a copy of
    the file ``regions`` names instead, when given) and ``row-problems.csv``: one
    row per repair or rejection (``row``, ``action``, ``column``, ``reason``), the
    first row of each rejected source row followed by
    its source fields; like the dashboard's downloads it prefixes ``'`` to text a
    spreadsheet would run as a formula. ``imu_geo.validate.validate_directory``
    accepts the folder.

    With ``store``, the folder's store is written too, inside it
    (:func:`write_store_copy`), so that the dashboard opens the folder without
    reading its events again. ``progress``, when given, is told in a sentence
    before each slow step.

    Returns
    -------
    dict
        The path of each file written, by file name.
    """
    say = progress or (lambda _: None)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {}
    say(f"Writing {len(result.events):,} events to {EVENTS_FILE}…")
    events_path = out_dir / EVENTS_FILE
    # The event's own point, its place in its source file, and the source's own
    # types, go with it.
    events = events_table(result.events)
    pa_csv.write_csv(
        events, str(events_path), pa_csv.WriteOptions(quoting_style="all_valid")
    )
    paths[EVENTS_FILE] = events_path
    # The events as text, for the store; held by nothing else, so that the
    # store's copy can be made from them and they dropped.
    written_events = [events] if store else []
    del events

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

    say("Writing the places, the regions and the report…")
    regions_path = out_dir / REGIONS_FILE
    if regions is not None:
        shutil.copyfile(regions, regions_path)
    else:
        collection = world.regions_feature_collection(
            world.regions_for_places(result.places, points=own_points(result.events))
        )
        regions_path.write_text(
            json.dumps(collection, ensure_ascii=False) + "\n", encoding="utf-8"
        )
    paths[REGIONS_FILE] = regions_path

    problems_path = out_dir / ROW_PROBLEMS_FILE
    problems_path.write_bytes(rejects_csv(result))
    paths[ROW_PROBLEMS_FILE] = problems_path
    paths |= write_source_columns_files(result, out_dir)
    if store:
        say("Checking the events as a data folder is checked, and writing its store…")
        write_store_copy(result, written_events, out_dir)
    else:
        # A store from an earlier import would not match these files anyway.
        shutil.rmtree(out_dir / FOLDER_STORE_DIR, ignore_errors=True)
    return paths


def write_store_copy(
    result: ImportResult, events: list[pa.Table], out_dir: Path
) -> bool:
    """Write the store of the folder an import has just written, inside it
    (:func:`imu_geo.store.write_folder_store`), from the import in memory.

    ``events`` holds the table ``events.csv`` was written from, taken out of it
    and dropped once converted (the caller keeps no other reference): read
    back, the file gives the same text, so the folder is checked and loaded as
    :func:`imu_geo.data.load_dataset` would check and load it, without reading
    it again. When the check finds a problem, no store is written: opening the
    folder then reads it and says what is wrong, as for any folder. The bundled
    data folder gets no store of its own. Whether the store was written.
    """
    table = events.pop()
    if Path(out_dir).resolve() == BUNDLED_DATA_DIR.resolve():
        return False  # the atlas's folder is stored from its files, as always
    frame = table.to_pandas()
    del table
    if not validate_read_events(out_dir, frame).ok:
        return False
    places, regions = read_geography(out_dir)
    kept = result.source_columns if len(result.source_columns.columns) else None
    dataset = assemble_dataset(out_dir, frame, places, regions, kept)
    del frame
    # The text's pages back to the system before the store's columns are made.
    pa.default_memory_pool().release_unused()
    write_folder_store(out_dir, dataset)
    return True


def own_points(events: pd.DataFrame) -> pd.DataFrame:
    """The events that keep their own point (no ``place_id``): ``lat``, ``lon``
    and ``country``, for :func:`imu_geo.world.regions_for_places`."""
    if "lat" not in events or not len(events):
        return pd.DataFrame({"lat": [], "lon": [], "country": []})
    own = (events["place_id"].astype("str") == "").to_numpy(bool)
    country = (
        events["country"] if "country" in events else pd.Series([""] * len(events))
    )
    return pd.DataFrame(
        {
            "lat": events["lat"].to_numpy(float, na_value=np.nan)[own],
            "lon": events["lon"].to_numpy(float, na_value=np.nan)[own],
            "country": country.astype("str").to_numpy(object)[own],
        }
    )


def write_source_columns_files(result: ImportResult, out_dir: Path) -> dict[str, Path]:
    """Write where the file's columns went, and the columns kept verbatim.

    ``column_map.csv`` has one row per column of the file (``column``, ``what``;
    spreadsheet-safe like ``row-problems.csv``). ``source_columns.csv`` has
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


# --- what the command line says -------------------------------------------------

# Values inside a reason: quoted text, and any token with a digit (a number, a
# date, an id such as acled-uzb12). Removing them leaves the reason's kind.
_QUOTED = re.compile(r"(?<![\w])'(?:[^'\\]|\\.)*'(?![\w])" + r'|"(?:[^"\\]|\\.)*"')
_NUMBERED = re.compile(r"[\w.:/+-]*\d[\w.:/+-]*")
REASONS_SHOWN = 20


def reason_kind(reason: str) -> str:
    """A reason with the values it quotes removed, so that rows refused for the
    same thing count together: ``'05/06/2009' is ambiguous: …`` becomes
    ``'…' is ambiguous: …``; numbers, dates and ids become ``…``."""
    kind = _QUOTED.sub("'…'", reason)
    return _NUMBERED.sub("…", kind)


def reason_breakdown(result: ImportResult) -> pd.DataFrame:
    """The report's issues grouped by action, column and kind of reason.

    Columns ``count``, ``action``, ``column``, ``reason`` (the kind) and
    ``first_row``; the most frequent first, then by action, column and kind.
    """
    report = result.report_frame()
    if not len(report):
        return pd.DataFrame(
            columns=["count", "action", "column", "reason", "first_row"]
        )
    frame = pd.DataFrame(
        {
            "action": report["action"].astype(str),
            "column": report["column"].astype(str),
            "reason": report["reason"].astype(str).map(reason_kind),
            "row": report["row"].astype("int64"),
        }
    )
    grouped = (
        frame.groupby(["action", "column", "reason"], sort=False)["row"]
        .agg(count="size", first_row="min")
        .reset_index()
    )
    grouped = grouped.sort_values(
        ["count", "action", "column", "reason"],
        ascending=[False, True, True, True],
        kind="stable",
    ).reset_index(drop=True)
    return grouped[["count", "action", "column", "reason", "first_row"]]


def _breakdown_line(record) -> str:
    where = record.column or "the whole row"
    return (
        f"{record.count:>9,}  {record.action}  {where}: {record.reason} "
        f"(first: row {record.first_row:,})"
    )


def command_lines(
    result: ImportResult, written: Sequence[str], shown: int | None = REASONS_SHOWN
) -> list[str]:
    """What ``imu-geo import`` prints: the summary line first, then the notes on
    the file, then the issues by kind of reason with their counts, the most
    frequent first (at most ``shown`` kinds; all of them when None)."""
    lines = [f"{result.summary()}; wrote {', '.join(written)}"]
    lines += [f"note: {note}" for note in result.file_notes]
    if len(result.column_map):
        lines.append(
            f"{result.column_summary()} ({COLUMN_MAP_FILE} says where each went)"
        )
    breakdown = reason_breakdown(result)
    if len(breakdown):
        lines.append(
            "repairs and rejections by reason (a row may have several), most "
            "frequent first:"
        )
        kept = breakdown if shown is None else breakdown.head(shown)
        lines += [_breakdown_line(r) for r in kept.itertuples(index=False)]
        rest = breakdown.iloc[len(kept) :]
        if len(rest):
            lines.append(
                f"{counted(len(rest), 'more kind')} of reason "
                f"({_repairs_text(int(rest['count'].sum()))}); "
                "--report FILE writes them all"
            )
        lines.append(f"{ROW_PROBLEMS_FILE} has every repaired and rejected row")
    return lines


def _repairs_text(n: int) -> str:
    return "1 repair or rejection" if n == 1 else f"{n:,} repairs and rejections"


def report_text(result: ImportResult, written: Sequence[str]) -> str:
    """The full report of an import, as text: the command's lines with every kind
    of reason, then every repair and rejection, row by row."""
    lines = command_lines(result, written, shown=None)
    if len(result.column_map):
        lines.append("")
        lines.append("every column of the file, and where it went:")
        lines += [
            f"{column}: {what}"
            for column, what in result.column_map.itertuples(index=False, name=None)
        ]
    report = result.report_frame()
    if len(report):
        lines.append("")
        lines.append("every repair and rejection, by row:")
        for row, action, column, reason in report.itertuples(index=False, name=None):
            where = column or "the whole row"
            lines.append(f"row {int(row):,}  {action}  {where}: {reason}")
    return "\n".join(lines) + "\n"
