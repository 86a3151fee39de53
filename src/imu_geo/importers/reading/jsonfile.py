"""JSON and GeoJSON: the text's shape counted in chunks against the memory
budget before it is parsed, then its features or records as rows of text.

Imports :mod:`.table` and :mod:`.text`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import pandas as pd

from imu_geo.importers.limits import (
    BASE_BYTES,
    CELL_BYTES,
    TEXT_FACTOR,
    ImportFailure,
    Limits,
    check_budget,
    size_text,
)
from imu_geo.importers.reading import checks
from imu_geo.importers.reading.table import (
    _CHUNK,
    RawTable,
    _first_line,
)
from imu_geo.importers.reading.text import _decode, _has_text
from imu_geo.text import plural

# JSON nested deeper than this is not a table of events (GeoJSON polygons need 7).
_MAX_JSON_DEPTH = 64
# The estimate of a JSON document's memory once parsed, beyond its text: each
# object or list, and each value (counted by its separating comma or colon).
JSON_CONTAINER_BYTES = 128
JSON_VALUE_BYTES = 64
_JSON_ADVICE = "save it as CSV, which takes far less, or split it"


@dataclass(frozen=True)
class _JsonShape:
    """What a JSON text holds, counted outside its strings, up to ``scanned``."""

    objects: int
    arrays: int
    separators: int  # commas and colons: about one per value
    depth: int
    scanned: int  # bytes counted; less than the text when the scan stopped early


def _json_cost(text_bytes: int, objects: int, arrays: int, separators: int) -> int:
    return (
        BASE_BYTES
        + TEXT_FACTOR * text_bytes
        + JSON_CONTAINER_BYTES * (objects + arrays)
        + JSON_VALUE_BYTES * separators
    )


def _json_shape(data: bytes, budget: int) -> _JsonShape:
    """Count a JSON text's objects, lists, separators and nesting, in chunks.

    Strings are skipped by the parity of their unescaped quotes (a quote after
    an odd run of backslashes is escaped). The counts are exact for any valid
    JSON text and for the valid part of an invalid one, which is all a parser
    would build before it stops, so they bound what parsing can take. The scan
    stops at the first chunk after which the cost of what was counted is over
    ``budget`` or the nesting is deeper than the limit: the rest can only add.
    """
    n = len(data)
    in_string = 0
    run = 0  # backslashes ending the previous chunk
    depth = max_depth = 0
    objects = arrays = separators = 0
    scanned = 0
    for start in range(0, n, _CHUNK):
        a = np.frombuffer(
            data, dtype=np.uint8, count=min(_CHUNK, n - start), offset=start
        )
        quote = a == 34
        backslash = a == 92
        # A run of backslashes that ended the previous chunk escapes a quote
        # that starts this one, backslashes in this chunk or not.
        if run or backslash.any():
            index = np.arange(a.size)
            last_other = np.maximum.accumulate(np.where(backslash, -1, index))
            runs = index - last_other
            runs = np.where(last_other < 0, runs + run, runs)
            before = np.empty_like(runs)
            before[0] = run
            before[1:] = runs[:-1]
            quote &= (before & 1) == 0
            run = int(runs[-1]) if backslash[-1] else 0
        else:
            run = 0
        parity = np.cumsum(quote, dtype=np.uint8)
        parity += np.uint8(in_string)
        parity &= 1
        outside = parity == 0
        in_string = int(parity[-1])
        opens_object = (a == 123) & outside
        opens_array = (a == 91) & outside
        closes = ((a == 125) | (a == 93)) & outside
        objects += int(np.count_nonzero(opens_object))
        arrays += int(np.count_nonzero(opens_array))
        separators += int(np.count_nonzero(((a == 44) | (a == 58)) & outside))
        steps = np.flatnonzero(opens_object | opens_array | closes)
        if steps.size:
            levels = np.cumsum(1 - 2 * closes[steps].view(np.int8), dtype=np.int32)
            max_depth = max(max_depth, depth + int(levels.max()))
            depth += int(levels[-1])
        scanned = start + a.size
        if (
            max_depth > _MAX_JSON_DEPTH
            or _json_cost(n, objects, arrays, separators) > budget
        ):
            break
    return _JsonShape(objects, arrays, separators, max_depth, scanned)


def _json_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | str):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def _read_json(name: str, payload: bytes, limits: Limits) -> RawTable:
    data, notes = _decode(name, payload)
    if not _has_text(data):
        raise ImportFailure(f"{name}: is empty")
    shape = _json_shape(data, limits.max_memory)
    if shape.depth > _MAX_JSON_DEPTH:
        raise ImportFailure(
            f"{name}: nests JSON {shape.depth:,} levels deep; a table of events needs "
            f"a few, and the limit is {_MAX_JSON_DEPTH}"
        )
    cost = _json_cost(len(data), shape.objects, shape.arrays, shape.separators)
    if shape.scanned < len(data):
        counted = (
            f"at least {shape.objects:,} JSON {plural(shape.objects, 'object')} in "
            f"its first {size_text(shape.scanned)} of {size_text(len(data))}"
        )
    else:
        counted = f"{shape.objects:,} JSON {plural(shape.objects, 'object')}"
        if shape.arrays:
            counted += f" and {shape.arrays:,} {plural(shape.arrays, 'list')}"
        counted += f" in {size_text(len(data))} of text"
    check_budget(
        name,
        cost,
        limits,
        counted,
        advice=_JSON_ADVICE,
        at_least=shape.scanned < len(data),
    )
    try:
        document = json.loads(data)
    except json.JSONDecodeError as error:
        raise ImportFailure(
            f"{name}: is not valid JSON (line {error.lineno}, column {error.colno})"
        ) from None
    except RecursionError:
        raise ImportFailure(f"{name}: is not valid JSON (nested too deeply)") from None
    except (UnicodeDecodeError, ValueError) as error:
        raise ImportFailure(
            f"{name}: is not valid JSON ({_first_line(error)})"
        ) from None
    features: list | None = None
    if isinstance(document, dict) and document.get("type") == "FeatureCollection":
        features = document.get("features")
        if not isinstance(features, list):
            raise ImportFailure(
                f"{name}: is a FeatureCollection without a list of features"
            )
        items = features
    elif isinstance(document, list):
        items = document
    elif isinstance(document, dict) and isinstance(document.get("data"), list):
        items = document["data"]
    else:
        raise ImportFailure(
            f"{name}: is JSON but not a GeoJSON FeatureCollection or a list of records"
        )
    checks.row_count(name, len(items), limits)
    if not items:
        raise ImportFailure(f"{name}: has no features or records")
    unit = "feature" if features is not None else "record"
    bad: list[tuple[int, str]] = []
    kept_rows: list[int] = []
    cells: list[dict[str, str]] = []
    points: list[tuple[str, str]] = []
    not_points: list[int] = []
    columns: dict[str, None] = {}
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            bad.append((number, f"{unit} {number} is not a JSON object"))
            continue
        properties = item.get("properties") if features is not None else item
        if not isinstance(properties, dict):
            properties = {}
        kept_rows.append(number)
        if len(columns) + len(properties) > limits.max_columns:
            columns.update(dict.fromkeys(str(k) for k in properties))
            checks.width(name, len(columns), limits)
        record = {str(k): _json_cell(v) for k, v in properties.items()}
        columns.update(dict.fromkeys(record))
        cells.append(record)
        if features is not None:
            geometry = item.get("geometry")
            coordinates = (
                geometry.get("coordinates") if isinstance(geometry, dict) else None
            )
            if (
                isinstance(geometry, dict)
                and geometry.get("type") == "Point"
                and isinstance(coordinates, list)
                and len(coordinates) >= 2
            ):
                points.append((_json_cell(coordinates[0]), _json_cell(coordinates[1])))
            else:
                points.append(("", ""))
                if geometry is not None:
                    not_points.append(number)
    checks.unique_columns(name, list(columns))
    check_budget(
        name,
        CELL_BYTES * len(cells) * (len(columns) + 2) + cost,
        limits,
        f"{len(cells):,} {plural(len(cells), unit)} × {len(columns):,} "
        f"{plural(len(columns), 'column')} from {size_text(len(data))} of JSON",
        advice=_JSON_ADVICE,
    )
    del document, items, features
    frame = (
        pd.DataFrame.from_records(cells, columns=list(columns))
        if cells
        else pd.DataFrame(columns=list(columns))
    )
    del cells
    frame = frame.fillna("").astype("str").reset_index(drop=True)
    lower = {c.strip().lower() for c in columns}
    if unit == "feature" and not (
        {"latitude", "longitude"} <= lower or {"lat", "lon"} <= lower
    ):
        frame["longitude"] = pd.Series([p[0] for p in points], dtype="str")
        frame["latitude"] = pd.Series([p[1] for p in points], dtype="str")
        if not_points:
            shown = ", ".join(str(n) for n in not_points[:10])
            more = ", ..." if len(not_points) > 10 else ""
            notes.append(
                f"{name}: {len(not_points):,} feature(s) have a geometry that is not "
                f"a Point; their coordinates are not used (feature {shown}{more})"
            )
    rows = np.asarray(kept_rows, dtype=np.int64)
    checks.field_sizes(name, frame, rows, limits)
    return RawTable(name, frame, rows, tuple(bad), tuple(notes), unit)
