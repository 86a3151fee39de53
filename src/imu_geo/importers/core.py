"""The whole import: recognising the format, applying its crosswalk, placing the rows,
the rules on whole rows (duplicates, unique ids), assembling the events and places,
and the command line's entry point.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path, PurePath

import geopandas as gpd
import numpy as np
import pandas as pd

from imu_geo.data import CRS
from imu_geo.datecolumns import DateColumnError
from imu_geo.export import EXPORT_COLUMNS
from imu_geo.importers.acled import _acled
from imu_geo.importers.columns import column_map, kept_columns
from imu_geo.importers.crosswalk import (
    DATE_ORDERS,
    DETECTION_ORDER,
    FORMAT_LABELS,
    FORMATS,
    NO_ACTOR,
    REQUIRED_COLUMNS,
    SIGNATURES,
    _Crosswalk,
    _isoformat,
    _Issues,
    _labelled,
    _Source,
    _text,
    _when,
    skip_hxl_row,
    slugify,
)
from imu_geo.importers.gtd import _gtd
from imu_geo.importers.native import _native, _native_place_rules
from imu_geo.importers.places import Gazetteer
from imu_geo.importers.places.gazetteer import _bundled_countries, _bundled_gazetteer
from imu_geo.importers.places.placing import _place_rows, _place_table, _Placed
from imu_geo.importers.reading import (
    ImportFailure,
    Limits,
    RawTable,
    _check_name,
    _check_size,
    one_line_failures,
    read_table,
)
from imu_geo.importers.report import ImportResult
from imu_geo.importers.ucdp import _ucdp
from imu_geo.importers.writing import REJECTS_FILE, write_import
from imu_geo.schema import (
    EVENT_COLUMNS,
    FATALITY_COLUMNS,
    PLACE_PROPERTIES,
)
from imu_geo.text import counted


def detect_format(columns: Iterable[str]) -> str | None:
    """Recognise a format from its column names (any case), or return None.

    Each format is known by the columns in :data:`SIGNATURES`, tried in the order
    of ``tables/formats.csv``'s ``tried``: ACLED, GTD and UCDP GED before this
    project's own columns, which overlap UCDP's.
    """
    present = {str(c).strip().lower() for c in columns}
    for fmt in DETECTION_ORDER:
        if all(column in present for column in SIGNATURES[fmt]):
            return fmt
    return None


_CROSSWALKS = {"acled": _acled, "ucdp": _ucdp, "gtd": _gtd, "native": _native}

# Told, in a short sentence, what an import is about to do: for a bar or a line
# on the terminal while a large file is imported.
Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    """A :data:`Progress` that tells no one."""


def _duplicates(frame: pd.DataFrame) -> np.ndarray:
    """For each row, the position of an identical earlier row, else -1.

    Rows are hashed (vectorised); only rows whose hash repeats are compared field
    by field, so a hash collision cannot make two different rows duplicates.
    """
    n = len(frame)
    first = np.full(n, -1, dtype=np.int64)
    if n < 2 or frame.shape[1] == 0:
        return first
    hashes = _row_keys(frame)
    repeated = np.flatnonzero(pd.Series(hashes).duplicated(keep=False).to_numpy())
    values = frame.iloc[repeated].to_numpy(object)
    seen: dict[tuple, int] = {}
    for position, row in zip(repeated, values, strict=True):
        key = tuple(row)
        if key in seen:
            first[position] = seen[key]
        else:
            seen[key] = position
    return first


def _row_keys(frame: pd.DataFrame) -> np.ndarray:
    """A 64-bit key per row that is equal for equal rows.

    Each column is factorised (a hash table in Arrow for Arrow text) and the
    codes are mixed; rows with equal keys may still differ, which the caller
    checks field by field.
    """
    key = np.zeros(len(frame), dtype=np.uint64)
    for i in range(frame.shape[1]):
        codes, uniques = pd.factorize(frame.iloc[:, i], use_na_sentinel=False)
        if len(uniques) == len(frame):
            # A column with no value twice (a dataset's own id) tells every
            # row apart: its codes are keys, and the other columns need not
            # be read.
            return codes.astype(np.uint64)
        key *= np.uint64(0x100000001B3)
        key ^= codes.astype(np.uint64)
    return key


def _unique_ids(
    ids: np.ndarray, keep: np.ndarray, rows: np.ndarray, separator: str = "-"
) -> list[tuple[int, str, str, int]]:
    """Suffixes for ids used more than once: (position, old, new, first row)."""
    positions = np.flatnonzero(keep)
    kept = pd.Series(ids[positions])
    occurrence = kept.groupby(kept, sort=False).cumcount().to_numpy()
    if not (occurrence > 0).any():
        return []
    first_row: dict[str, int] = {}
    for position in positions[occurrence == 0]:
        first_row[ids[position]] = int(rows[position])
    taken = set(kept)
    next_suffix: dict[str, int] = {}
    changes = []
    for position, count in zip(
        positions[occurrence > 0], occurrence[occurrence > 0], strict=True
    ):
        old = ids[position]
        suffix = max(count + 1, next_suffix.get(old, 2))
        while f"{old}{separator}{suffix}" in taken:
            suffix += 1
        next_suffix[old] = suffix + 1
        new = f"{old}{separator}{suffix}"
        taken.add(new)
        changes.append((int(position), old, new, first_row[old]))
    return changes


def _check_format(fmt: str, name: str = "") -> None:
    """Refuse a format that is neither ``auto`` nor one of :data:`FORMATS`; the
    message names the file when ``name`` is given."""
    if fmt != "auto" and fmt not in FORMATS:
        where = f"{name}: " if name else ""
        raise ImportFailure(
            f"{where}format {fmt!r} is not one of auto, {', '.join(FORMATS)}"
        )


def import_table(
    raw: RawTable,
    fmt: str = "auto",
    gazetteer: Gazetteer | None = None,
    countries: Mapping[str, object] | None = None,
    date_order: str = "auto",
    progress: Progress | None = None,
) -> ImportResult:
    """Apply a format's crosswalk and the row rules to a table read as text.

    Parameters
    ----------
    raw
        The table, from :func:`read_table`.
    fmt
        ``"auto"`` to recognise the format from the columns, or one of
        :data:`FORMATS`.
    gazetteer, countries
        The places to geocode with and the country polygons (ISO alpha-2 to
        shapely geometry) to check points against; the bundled ones when None.
    date_order
        How numbers in date columns are read: ``"auto"`` (each column decides,
        with its layout's documented order as the default), or ``"dmy"``,
        ``"mdy"`` or ``"ymd"`` for every date column of the file.
    progress
        Told before each slow step, in a sentence that names it and the number
        of rows (:data:`Progress`).

    Raises
    ------
    ImportFailure
        When the format is not recognised, its required columns are missing,
        ``date_order`` is not one of :data:`DATE_ORDERS`, or a date column reads
        both day first and month first (the message names the candidates).
    """
    say = progress or _quiet
    raw = skip_hxl_row(raw)
    name = raw.name
    gazetteer = gazetteer if gazetteer is not None else _bundled_gazetteer()
    countries = countries if countries is not None else _bundled_countries()
    if fmt == "auto":
        detected = detect_format(raw.frame.columns)
        if detected is None:
            looked_for = "; ".join(
                f"{'this project' if f == 'native' else FORMAT_LABELS[f]} has "
                f"{', '.join(SIGNATURES[f])}"
                for f in ("acled", "ucdp", "gtd", "native")
            )
            raise ImportFailure(
                f"{name}: the format is not recognised from its columns ({looked_for})"
            )
        fmt = detected
    _check_format(fmt, name)
    # This project's country column takes ISO alpha-2 codes, and NA is Namibia's.
    literal = frozenset({"country"}) if fmt == "native" else frozenset()
    source = _Source(raw.frame.reset_index(drop=True), raw.rows, literal)
    missing = [c for c in REQUIRED_COLUMNS[fmt] if not source.has(c)]
    if missing:
        raise ImportFailure(
            f"{name}: missing columns for {FORMAT_LABELS[fmt]}: {', '.join(missing)}"
        )
    notes = list(raw.notes)
    issues = _Issues()
    rows = np.asarray(raw.rows, dtype=np.int64)
    n = source.n
    bad_rows = pd.DataFrame(
        {
            "row": np.array([r for r, _ in raw.bad_rows], dtype=np.int64),
            "action": "rejected",
            "column": "",
            "reason": [reason for _, reason in raw.bad_rows],
            "order": -1,
        }
    )
    if n == 0:
        columns = column_map(fmt, source.frame)
        return ImportResult(
            format=fmt,
            events=pd.DataFrame(
                columns=[
                    *EXPORT_COLUMNS,
                    "country",
                    "source_id",
                    "source_row",
                    "source_event_type",
                    "source_sub_event_type",
                ]
            ),
            places=gpd.GeoDataFrame(
                {c: [] for c in (*PLACE_PROPERTIES, "geometry_source", "note")},
                geometry=gpd.GeoSeries([], crs=CRS),
                crs=CRS,
            ),
            report=bad_rows[["row", "action", "column", "reason"]],
            n_rows=len(raw.bad_rows),
            file_notes=notes,
            rejected_rows=pd.DataFrame(columns=["row", *raw.frame.columns]),
            source_columns=kept_columns(source.frame, columns, np.arange(0)),
            column_map=columns,
        )

    if date_order not in DATE_ORDERS:
        raise ImportFailure(
            f"{name}: date order {date_order!r} is not one of {', '.join(DATE_ORDERS)}"
        )
    label = "this project's columns" if fmt == "native" else FORMAT_LABELS[fmt]
    say(f"Crosswalking {counted(n, 'row')} from {label}…")
    try:
        if fmt == "native":
            cross = _native(source, issues)
        else:
            order = None if date_order == "auto" else date_order
            cross = _CROSSWALKS[fmt](source, issues, order)
    except DateColumnError as error:
        raise ImportFailure(f"{name}: {error}") from None
    notes.extend(f"{name}: {note}" for note in cross.file_notes)
    say(f"Placing {counted(n, 'row')} on the map…")
    placed = _place_rows(cross, source, issues, gazetteer, countries, notes, name)
    # With the world gazetteer's places some rows were placed at.
    gazetteer = placed.gazetteer or gazetteer
    if source.marker_note(name):
        notes.append(source.marker_note(name))
    if fmt == "native":
        _native_place_rules(cross, placed, issues)
        event_id = cross.source_id.str.strip().to_numpy(object)
    else:
        event_id = slugify(fmt + "-" + cross.source_id).to_numpy(object)
        no_id = (cross.source_id == "").to_numpy(bool)
        event_id[no_id] = [f"{fmt}-row-{r}" for r in rows[no_id]]
        if source.has(cross.id_column):
            issues.add(
                no_id,
                "repaired",
                cross.id_column,
                [f"is empty; this row's event_id is {v}" for v in event_id[no_id]],
            )
        else:
            # A reduced copy without the id column: said once, not on every row.
            notes.append(
                f"{name}: has no {cross.id_column} column; each event's id is made "
                f"from its row number ({fmt}-row-N)"
            )
    say("Looking for repeated rows and ids…")
    merged = (
        cross.merged_into >= 0
        if cross.merged_into is not None
        else np.zeros(n, dtype=bool)
    )
    duplicate_of = _duplicates(source.frame)
    # A row merged into another's event is accounted for there, not a duplicate.
    is_duplicate = (duplicate_of >= 0) & ~merged
    if fmt != "native" and not source.has(cross.id_column):
        # Without the dataset's id, two events of one day and place with the
        # same figures cannot be told apart: both are kept, and that is said.
        issues.add(
            is_duplicate,
            "repaired",
            "",
            [
                f"identical to row {rows[p]}; the file has no {cross.id_column} to "
                "tell them apart, so it is kept as an event of its own"
                for p in duplicate_of[is_duplicate]
            ],
        )
        is_duplicate = np.zeros(n, dtype=bool)
    issues.add(
        is_duplicate,
        "rejected",
        "",
        [f"duplicate of row {rows[p]}" for p in duplicate_of[is_duplicate]],
    )
    table = issues.frame()
    rejected = np.zeros(n, dtype=bool)
    rejected[table.loc[table["action"] == "rejected", "position"].to_numpy(int)] = True
    keep = ~rejected & ~merged

    changes = _unique_ids(event_id, keep, rows)
    changed = np.zeros(n, dtype=bool)
    for position, _, new, _ in changes:
        event_id[position] = new
        changed[position] = True
    issues.add(
        changed,
        "repaired",
        cross.id_column,
        [
            f"the event_id {old} is already used by row {first}; this row's is {new}"
            for _, old, new, first in sorted(changes)
        ],
    )
    # The source's read copies are not needed again (only which columns were
    # read): dropped before the events are made, not beside them.
    source.release()
    say(f"Making {counted(int(keep.sum()), 'event')}…")
    events, places, place_changes = _assemble(
        fmt, name, raw.unit, cross, placed, gazetteer, event_id, rows, keep
    )
    # The events hold what the crosswalk made; its columns are not needed again.
    del cross, placed
    moved = np.zeros(n, dtype=bool)
    moved[[p for p, _ in place_changes]] = True
    issues.add(moved, "repaired", "place_id", [r for _, r in sorted(place_changes)])

    table = issues.frame()
    positions = table["position"].to_numpy(np.int64)
    table = table.assign(row=rows[positions])
    drop = (rejected[positions] & (table["action"] == "repaired").to_numpy(bool)) | (
        is_duplicate[positions] & (table["column"] != "").to_numpy(bool)
    )
    report = pd.concat(
        [table.loc[~drop, ["row", "action", "column", "reason", "order"]], bad_rows],
        ignore_index=True,
    )
    report = report.sort_values(["row", "order"], kind="stable")
    report = report[["row", "action", "column", "reason"]].reset_index(drop=True)
    report["row"] = report["row"].astype(np.int64)
    rejected_rows = source.frame.loc[rejected].copy()
    # The file may have a column of its own named ``row``: this one is first.
    rejected_rows.insert(0, "row", rows[rejected], allow_duplicates=True)
    # Every column the rules read is in source.read by now.
    columns = column_map(fmt, source.frame, source.read)
    return ImportResult(
        format=fmt,
        events=events,
        places=places,
        report=report,
        n_rows=n + len(raw.bad_rows),
        file_notes=notes,
        rejected_rows=rejected_rows.reset_index(drop=True),
        source_columns=kept_columns(source.frame, columns, np.flatnonzero(keep)),
        column_map=columns,
    )


def _assemble(
    fmt: str,
    name: str,
    unit: str,
    cross: _Crosswalk,
    placed: _Placed,
    gazetteer: Gazetteer,
    event_id: np.ndarray,
    rows: np.ndarray,
    keep: np.ndarray,
) -> tuple[pd.DataFrame, gpd.GeoDataFrame, list[tuple[int, str]]]:
    """The kept rows as events in our columns, and the named places they use.

    An event at a named place has its ``place_id``; one that keeps its own point
    has none, and its point, place name and country are its own (the columns of
    :data:`imu_geo.schema.POINT_COLUMNS`). Both have ``lat``, ``lon``,
    ``place_name`` and ``country`` here, as :class:`imu_geo.data.Dataset` has them.
    """
    k = np.flatnonzero(keep)
    table = _place_table(fmt, name, cross, placed, gazetteer, k)
    places, index, point = table.places, table.index, table.point
    at_place = index >= 0
    has = at_place | point
    safe = np.maximum(index, 0)

    def take(values) -> pd.Series:
        if isinstance(values, pd.Series):
            return values.take(k).astype("str").reset_index(drop=True)
        return _text(np.asarray(values, dtype=object)[k])

    def of_place(column: str) -> pd.Series:
        values = places[column].to_numpy(object)
        return _text(np.where(at_place, values[safe] if values.size else "", ""))

    where = _text(np.where(point, table.name, of_place("name").to_numpy(object)))
    columns = {
        "event_id": take(event_id),
        "date_start": take(_isoformat(cross.date_start)),
        "date_end": take(_isoformat(cross.date_end)),
        "date_precision": take(cross.date_precision),
        "date_origin": take(cross.date_origin),
        "layer": take(cross.layer),
        "event_type": take(cross.event_type),
        "place_id": of_place("place_id"),
        "geo_precision": _when(has, take(placed.geo_precision)),
        "target": take(cross.target),
    }
    for column, values in zip(FATALITY_COLUMNS, cross.fatalities, strict=True):
        columns[column] = take(values)
    if cross.native is not None:
        native = cross.native
        columns |= {
            "place_origin": _when(has, take(native["place_origin"])),
            "actors": take(cross.actors),
            "attribution": take(native["attribution"]),
            "title": take(cross.title),
            "description": take(cross.description),
            "source_quote": take(cross.source_quote),
            "source": take(native["source"]),
            "notes": take(cross.notes),
        }
    else:
        label = FORMAT_LABELS[fmt]
        actors = take(cross.actors)
        ids = take(cross.source_id)
        from_gazetteer = placed.gazetteer_position[k] >= 0
        columns |= {
            "place_origin": _when(has, _text("source", k.size)),
            "actors": actors.where(actors != "", NO_ACTOR),
            "attribution": _text("attributed", k.size),
            "title": take(cross.title) + _labelled(" in ", where, ""),
            "description": _when(
                (ids != "").to_numpy(bool),
                f"{label} {cross.id_column} " + ids + ": ",
                f"{label}, with no {cross.id_column}: ",
            )
            + take(cross.description)
            + ".",
            "source_quote": take(cross.source_quote),
            "source": f"{label} ({name}, {unit} " + _text(rows[k].astype(str)) + ")",
            "notes": take(cross.notes)
            + _when(from_gazetteer, " Placed from the gazetteer: " + where + "."),
        }
    events = pd.DataFrame({column: columns[column] for column in EVENT_COLUMNS})
    anchor_lat = table.anchor_lat[safe] if at_place.any() else np.nan
    anchor_lon = table.anchor_lon[safe] if at_place.any() else np.nan
    # Adding zero turns a -0.0 left by rounding (-0.00004) into 0.0, written "0".
    events["lat"] = np.where(at_place, anchor_lat, table.lat).round(4) + 0.0
    events["lon"] = np.where(at_place, anchor_lon, table.lon).round(4) + 0.0
    events["place_name"] = where
    events["country"] = _text(
        np.where(point, table.country, of_place("country").to_numpy(object))
    )
    events["source_id"] = take(cross.source_id)
    events["source_row"] = rows[k]
    for column in ("source_event_type", "source_sub_event_type"):
        values = getattr(cross, column)
        events[column] = take(values) if values is not None else _text("", k.size)
    return events, places, table.changes


@one_line_failures
def import_raw(
    name: str,
    raw: RawTable,
    fmt: str,
    date_order: str,
    progress: Progress | None = None,
) -> ImportResult:
    """:func:`import_table` with the bundled places, failures in one line that
    names the file ``name``: :func:`import_file` for a table already read, so
    that the caller can drop the file's bytes first."""
    return import_table(raw, fmt, date_order=date_order, progress=progress)


@one_line_failures
def import_file(
    name: str,
    payload: bytes,
    fmt: str = "auto",
    limits: Limits | None = None,
    progress: Progress | None = None,
    **options: object,
) -> ImportResult:
    """Read and import one file.

    Parameters
    ----------
    name
        The file name (its extension says how to read it).
    payload
        The file's bytes.
    fmt
        ``"auto"`` or one of :data:`FORMATS`.
    limits
        Size, row and field limits; :class:`Limits` defaults when None.
    progress
        Told before each slow step (:data:`Progress`), from the reading on.
    options
        ``gazetteer``, ``countries`` and ``date_order``, keywords as for
        :func:`import_table`.

    Raises
    ------
    ImportFailure
        When the file cannot be read at all; the message is one line.
    """
    _check_format(fmt, PurePath(name).name)
    (progress or _quiet)(f"Reading {PurePath(name).name}…")
    return import_table(
        read_table(name, payload, limits),
        fmt,
        progress=progress,
        **options,
    )


def run_import(
    path: Path | str,
    fmt: str = "auto",
    out_dir: Path | str = ".",
    limits: Limits | None = None,
    date_order: str = "auto",
) -> tuple[int, str]:
    """Import a file from disk into ``out_dir``: the exit code and one line to print.

    The code is 0 when every row was accepted or repaired, 1 when some were
    rejected (``row-problems.csv`` says which and why), 2 when the file cannot be read
    or the output cannot be written. The extension and the size limit are checked
    before the file is read. No exception leaves this function: the command line
    shows a reason, never a traceback.
    """
    path = Path(path)
    limits = limits or Limits()
    try:
        _check_name(path.name)
        _check_format(fmt)
        if path.is_dir():
            raise ImportFailure(f"{path.name}: is a folder, not a file")
        _check_size(path.name, path.stat().st_size, limits)
        # Read, then import: the file's bytes are dropped once they are a table
        # (a million-row file is some 400 MB that the import no longer needs).
        raw = read_table(path.name, path.read_bytes(), limits)
        result = import_raw(path.name, raw, fmt, date_order)
        del raw
    except ImportFailure as failure:
        return 2, str(failure)
    except OSError as error:
        return 2, f"{path.name}: cannot be read ({error.strerror or error})"
    except Exception as error:  # a reason, never a traceback
        first = (str(error).strip().splitlines() or [""])[0]
        return (
            2,
            f"{path.name}: could not be imported ({type(error).__name__}: {first})",
        )
    try:
        written = write_import(result, Path(out_dir), store=True)
    except OSError as error:
        return 2, f"cannot write to {out_dir}: {error.strerror or error}"
    except Exception as error:  # a reason, never a traceback
        first = (str(error).strip().splitlines() or [""])[0]
        return 2, f"cannot write to {out_dir} ({type(error).__name__}: {first})"
    message = f"{result.summary()}; wrote {', '.join(written)}"
    if result.n_rejected:
        return 1, f"{message} (see {REJECTS_FILE} for the rejected rows)"
    return 0, message
