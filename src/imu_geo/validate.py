"""Check a data directory and say, row by row, what is wrong with it.

The validator reads the raw files itself (the standard ``csv`` and ``json``
modules, no type inference), so that nothing is coerced, dropped or guessed on the
way: a value that is not what the schema says becomes a :class:`Problem` naming the
file, the row and the column. ``imu-geo validate`` prints these problems, and the
dashboard refuses to start on a directory that has any.

Row numbers count as a spreadsheet does: the header is row 1, the first event row 2.
Features of a GeoJSON file are numbered from 1.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import math
from collections.abc import Generator, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv
from shapely.geometry import shape
from shapely.ops import unary_union

from imu_geo.encoding import is_utf8
from imu_geo.rules import (
    COUNTRY_CODES,
    PLACES_FILE,
    SLUG,
    Rows,
    broken,
)
from imu_geo.schema import (
    AREA_GEOMETRIES,
    EVENT_COLUMNS,
    PLACE_KINDS,
    PLACE_PROPERTIES,
    POINT_COLUMNS,
    POINT_GEOMETRIES,
    QUOTE_SEPARATOR,
    SOURCE_EVENT_COLUMNS,
)
from imu_geo.source_columns import SOURCE_COLUMNS_FILE, read_source_columns

EVENTS_FILE = "events.csv"
REGIONS_FILE = "regions.geojson"
REGION_LEVELS = ("country", "admin1", "valley")
REGION_PROPERTIES = ("region_id", "name", "level", "country")

# Natural Earth 1:10m borders are generalised by up to ~2 km, so a town on a
# border can fall on the wrong side of the drawn line. A point within this many
# degrees (~3 km) of its stated country counts as inside it.
BORDER_TOLERANCE_DEG = 0.03

# The columns an events.csv may have beyond EVENT_COLUMNS.
OPTIONAL_COLUMN_GROUPS: tuple[str, ...] = (*SOURCE_EVENT_COLUMNS, *POINT_COLUMNS)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one place in one file."""

    file: str
    row: int | None
    column: str | None
    message: str
    unit: str = "row"

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", {self.unit} {self.row}"
        if self.column:
            where += f", column {self.column}"
        return f"{where}: {self.message}"


@dataclass
class Report:
    """What validating a directory found."""

    directory: Path
    problems: list[Problem] = field(default_factory=list)
    n_events: int = 0
    n_places: int = 0
    n_regions: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        """One line: the counts when clean, the number of problems otherwise."""
        if self.ok:
            return (
                f"OK: {self.n_events} events, {self.n_places} places and "
                f"{self.n_regions} regions in {self.directory}"
            )
        noun = "problem" if len(self.problems) == 1 else "problems"
        return f"{len(self.problems)} {noun} in {self.directory}"


def normalise_space(text: str) -> str:
    """Collapse every run of white space to one space, as quote checks compare."""
    return " ".join(text.split())


def quote_segments(quote: str) -> list[str]:
    """Split a ``source_quote`` into the verbatim passages it joins."""
    return [part for part in quote.split(QUOTE_SEPARATOR.strip()) if part.strip()]


def missing_quote_segments(quote: str, source_text: str) -> list[str]:
    """Return the passages of ``quote`` that do not occur verbatim in the source.

    White space is normalised on both sides; nothing else is (not case, not
    punctuation, not curly quotes).
    """
    haystack = normalise_space(source_text)
    return [
        segment
        for segment in (normalise_space(s) for s in quote_segments(quote))
        if segment not in haystack
    ]


# --- events -------------------------------------------------------------------


def read_csv_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    """Read a CSV file as text, header and rows, without any type inference.

    Raises
    ------
    ValueError
        With a user-facing reason when the file is not UTF-8 text or not CSV.
    """
    raw = path.read_bytes()
    if b"\x00" in raw[:4096]:
        raise ValueError("is not a text file (it contains NUL bytes)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _not_utf8(raw, error) from None
    try:
        # newline="" keeps line breaks inside quoted fields and does not split on
        # characters such as U+2028 that str.splitlines treats as line ends.
        rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as error:
        raise ValueError(f"is not valid CSV ({error})") from None
    if not rows:
        raise ValueError("is empty")
    return rows[0], rows[1:]


def _not_utf8(raw: bytes, error: UnicodeDecodeError) -> ValueError:
    """The reason for a file that ``utf-8-sig`` cannot decode, at the offset of
    the byte in the file (the codec counts from after a byte-order mark)."""
    offset = error.start + (
        len(codecs.BOM_UTF8) if raw.startswith(codecs.BOM_UTF8) else 0
    )
    return ValueError(f"is not UTF-8 text (undecodable byte at offset {offset})")


def _header_problems(
    header: list[str], file: str
) -> Generator[Problem, None, list[str]]:
    """Yield problems with the events header; return the missing columns."""
    missing = [c for c in EVENT_COLUMNS if c not in header]
    unknown = [
        c for c in header if c not in EVENT_COLUMNS and c not in OPTIONAL_COLUMN_GROUPS
    ]
    if missing:
        yield Problem(file, 1, None, f"missing columns: {', '.join(missing)}")
    if unknown:
        yield Problem(file, 1, None, f"unknown columns: {', '.join(unknown)}")
    return missing


def check_event_rows(
    header: list[str],
    rows: Iterable[list[str]],
    file: str = EVENTS_FILE,
    place_ids: set[str] | None = None,
    source_text: str | None = None,
) -> Iterator[Problem]:
    """Yield every problem of an events table given as raw text rows.

    Parameters
    ----------
    header, rows
        The CSV header and data rows, as strings.
    file
        The name to report problems under.
    place_ids
        Known ``place_id`` values; ``None`` skips the place check.
    source_text
        The source text; when given, every ``source_quote`` passage must occur in it.
    """
    seen_columns: set[str] = set()
    for name in header:
        if name in seen_columns:
            yield Problem(file, 1, name, "the column appears more than once")
        seen_columns.add(name)
    missing = yield from _header_problems(header, file)
    if missing or len(seen_columns) != len(header):
        return

    found: list[Problem] = []
    whole: list[list[str]] = []
    numbers: list[int] = []
    for index, values in enumerate(rows, start=2):
        if len(values) == len(header):
            whole.append(values)
            numbers.append(index)
            continue
        found.append(
            Problem(
                file,
                index,
                None,
                f"has {len(values)} fields where the header has {len(header)}",
            )
        )
    frame = pd.DataFrame(
        whole,
        columns=header,
        # Not mutated: pandas reads text as "str" itself, and a frame of no
        # rows (object columns without it) breaks no rule either way.
        dtype="str",  # pragma: no mutate
    )
    # Not mutated: numpy makes whole numbers int64 itself, and no rows (a
    # float array without it) give no problem to number.
    at_rows = np.array(numbers, dtype=np.int64)  # pragma: no mutate
    found.extend(_event_problems(frame, at_rows, file, place_ids, source_text))
    # Row order (a stable sort keeps each row's problems in the rules' order);
    # every problem here has a row.
    yield from sorted(found, key=lambda problem: problem.row)


def _event_problems(
    frame: pd.DataFrame,
    numbers: np.ndarray | None,
    file: str,
    place_ids: set[str] | None,
    source_text: str | None,
) -> list[Problem]:
    """The problems of the rows of ``frame`` (text cells), in row order: each
    row's broken rules (:data:`imu_geo.rules.RULES`, in their order), then its
    quote passages missing from ``source_text`` when that is given."""
    rows = Rows(frame, numbers, place_ids)
    at_row = rows.numbers
    found = [
        Problem(file, int(at_row[position]), column, message)
        for _, column, positions, messages in broken(rows)
        for position, message in zip(positions, messages, strict=True)
    ]
    if source_text is not None:
        for row, quote in zip(at_row, frame["source_quote"], strict=True):
            if not quote.strip():
                continue
            for segment in missing_quote_segments(quote, source_text):
                found.append(
                    Problem(
                        file,
                        int(row),
                        "source_quote",
                        f"this passage is not in the source text: {segment[:80]!r}",
                    )
                )
    return sorted(found, key=lambda problem: problem.row)


# --- events at scale -----------------------------------------------------------
# A million rows are read by Arrow into a frame of text when the file allows it
# (read_events_frame); the rules then run over whole columns either way.


def read_events_frame(path: Path) -> pd.DataFrame | None:
    """Read ``events.csv`` as a frame of text, or None when it needs the row reader.

    The fast reader is used only when it can be trusted to see what the ``csv``
    module would: no blank line outside a quoted field and no stray quote (see
    :func:`_needs_row_reader`), a unique header, and every row with the header's
    number of fields. Line breaks, blank lines included, inside quoted fields are
    kept as the ``csv`` module keeps them. Anything else returns None, and the
    caller falls back to :func:`read_csv_rows`, which names the problem.

    Raises
    ------
    ValueError
        As :func:`read_csv_rows`, for a file that is not UTF-8 text.
    """
    raw = path.read_bytes()
    if b"\x00" in raw[:4096]:
        raise ValueError("is not a text file (it contains NUL bytes)")
    try:
        # Decoded only to say where it fails: telling is far quicker.
        if not is_utf8(raw):
            raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _not_utf8(raw, error) from None
    if not raw:
        raise ValueError("is empty")
    # The csv module reads the text after one byte-order mark ("utf-8-sig").
    body = memoryview(raw)[3:] if raw.startswith(codecs.BOM_UTF8) else memoryview(raw)
    if not body or _needs_row_reader(body):
        return None
    try:
        # The csv module's own reading of the header, to check the fast reader's.
        text = io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8-sig", newline="")
        header = next(csv.reader(text, strict=True))
    except csv.Error:
        return None
    # A nameless, repeated or pandas-like (``Unnamed: 1``, ``x.1``) column name is
    # left to the row reader, which judges the header.
    if (
        not header
        or len(set(header)) != len(header)
        or any(
            not name or name.startswith("Unnamed: ") or "." in name for name in header
        )
    ):
        return None
    if body[-1] not in b"\n\r":
        # pyarrow reads no header that ends the file without a line end; one more
        # line end after a closed record changes nothing for the csv module.
        body = memoryview(bytes(body) + b"\n")
    try:
        table = pa_csv.read_csv(
            pa.py_buffer(body),
            parse_options=pa_csv.ParseOptions(newlines_in_values=True),
            convert_options=pa_csv.ConvertOptions(
                # The text type pandas keeps its strings in, so that they are
                # not converted again.
                column_types={name: pa.large_string() for name in header},
                strings_can_be_null=False,
            ),
        )
    except (pa.ArrowException, ValueError):
        # Most often a row whose number of fields differs from the header's.
        return None
    if table.column_names != header or any(
        column.type != pa.large_string() or column.null_count
        for column in table.columns
    ):
        return None
    return table.to_pandas()


# Bytes per step of the scan in _needs_row_reader: its temporaries stay this small
# whatever the size of the file.
_SCAN_BLOCK = 1 << 24
# Bytes that may stand next to a quote in valid CSV (comma, LF, CR, quote), and
# the line-end bytes, as lookup tables over all 256 byte values.
_QUOTE_NEIGHBOURS = np.isin(np.arange(256), (44, 10, 13, 34))
_LINE_ENDS = np.isin(np.arange(256), (10, 13))


def _needs_row_reader(raw: bytes | memoryview) -> bool:
    """True when the bytes hold something the fast reader would read otherwise.

    The ``csv`` module (strict) refuses a quote that closes a field and is not
    followed by a comma or a line end (``"abc"d``), and a quoted field that is
    never closed, and reports a blank line as a row of no fields; the fast reader
    would accept the first and skip the last. All three are found here byte-wise
    and sent to the row reader, which names them. A quote inside an unquoted field,
    and any quote out of step with the pairing rule below, is sent there too (the
    row reader then decides).

    A line break inside a quoted field is text, not a line end: a blank line there
    (a paragraph break in a note) is part of the value and keeps the fast reader.
    Once the quotes pair up, a byte is inside a quoted field exactly when an odd
    number of quotes comes before it (an escaped quote ``""`` adds two). The scan
    is linear and goes block by block, carrying the count of quotes seen.
    """
    data = np.frombuffer(raw, dtype=np.uint8)
    size = len(data)
    if size and data[0] in (10, 13):
        return True  # a blank first line
    seen = 0  # quotes before the current block
    for start in range(0, size, _SCAN_BLOCK):
        stop = min(start + _SCAN_BLOCK, size)
        quotes = np.flatnonzero(data[start:stop] == 34) + start
        if len(quotes):
            # In valid CSV the quotes pair up: counting from 1, an odd quote opens
            # a field (after a comma, a line end or the start) or is the second of
            # an escaped pair (after a quote); an even one closes a field (before
            # a comma, a line end or the end) or is the first of an escaped pair
            # (before a quote). The odd ones are every other quote from the
            # first (or the second, after an odd number of quotes so far).
            opening = quotes[seen % 2 :: 2]
            closing = quotes[1 - seen % 2 :: 2]
            before = data[np.maximum(opening - 1, 0)]
            after = data[np.minimum(closing + 1, size - 1)]
            if not (_QUOTE_NEIGHBOURS[before] | (opening == 0)).all():
                return True
            if not (_QUOTE_NEIGHBOURS[after] | (closing == size - 1)).all():
                return True
        # A blank line: a line end followed at once by another line's end. The
        # pair CR LF is one line end, any other pair of CR and LF bytes is two.
        pair = data[start : min(stop + 1, size)]
        ends = np.flatnonzero(_LINE_ENDS[pair])
        twice = ends[:-1][np.diff(ends) == 1]
        twice = twice[(pair[twice] != 13) | (pair[twice + 1] != 10)]
        if len(twice):
            blank = twice + start
            before = seen + np.searchsorted(quotes, blank)
            if (before % 2 == 0).any():
                return True  # outside every quoted field
        seen += len(quotes)
    return seen % 2 == 1  # a quoted field still open at the end


def check_event_frame(
    frame: pd.DataFrame,
    file: str = EVENTS_FILE,
    place_ids: set[str] | None = None,
    source_text: str | None = None,
) -> Iterator[Problem]:
    """Yield the same problems as :func:`check_event_rows` for a frame of text.

    ``frame`` comes from :func:`read_events_frame`: unique columns and no missing
    cells.
    """
    missing = yield from _header_problems([str(c) for c in frame.columns], file)
    if missing:
        return
    yield from _event_problems(frame, None, file, place_ids, source_text)


# --- places and regions -------------------------------------------------------


def read_feature_collection(path: Path) -> list[dict]:
    """Read a GeoJSON FeatureCollection's features, or raise ValueError with why."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise ValueError("is not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise ValueError(
            f"is not valid JSON (line {error.lineno}, column {error.colno})"
        ) from None
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise ValueError("is not a GeoJSON FeatureCollection")
    features = document.get("features")
    if not isinstance(features, list):
        raise ValueError("has no list of features")
    return features


def _coordinates_problem(coordinates: object) -> str | None:
    """Say what is wrong with nested GeoJSON coordinates, or return None."""
    stack = [coordinates]
    while stack:
        item = stack.pop()
        if not isinstance(item, list) or not item:
            return "has malformed coordinates"
        if all(isinstance(v, int | float) and not isinstance(v, bool) for v in item):
            if len(item) < 2:
                return "has a position with fewer than two numbers"
            lon, lat = item[0], item[1]
            if not (math.isfinite(lon) and math.isfinite(lat)):
                return "has a coordinate that is not a finite number"
            if not (-180 <= lon <= 180 and -90 <= lat <= 90):
                return (
                    f"has a coordinate out of range (lon {lon}, lat {lat}); "
                    "GeoJSON is longitude first, latitude second"
                )
            continue
        stack.extend(item)
    return None


def _feature_geometry(feature: object, index: int, file: str, allowed: tuple[str, ...]):
    """Return (shapely geometry or None, problems) for one feature."""
    if not isinstance(feature, dict):
        return None, [Problem(file, index, None, "is not a JSON object", "feature")]
    geometry = feature.get("geometry")
    if not isinstance(geometry, dict):
        return None, [Problem(file, index, None, "has no geometry", "feature")]
    kind = geometry.get("type")
    if kind not in allowed:
        return None, [
            Problem(
                file,
                index,
                None,
                f"geometry type {kind!r} is not one of {', '.join(allowed)}",
                "feature",
            )
        ]
    reason = _coordinates_problem(geometry.get("coordinates"))
    if reason:
        return None, [Problem(file, index, None, f"geometry {reason}", "feature")]
    try:
        shaped = shape(geometry)
    except (ValueError, TypeError, AttributeError) as error:
        return None, [
            Problem(file, index, None, f"geometry cannot be read ({error})", "feature")
        ]
    if not shaped.is_valid:
        return None, [Problem(file, index, None, "geometry is not valid", "feature")]
    return shaped, []


def check_regions(features: list) -> tuple[list[Problem], dict[str, object]]:
    """Check regions and return the country geometries keyed by ISO alpha-2."""
    problems: list[Problem] = []
    countries: dict[str, object] = {}
    seen: set[str] = set()
    for index, feature in enumerate(features, start=1):
        geometry, found = _feature_geometry(
            feature, index, REGIONS_FILE, AREA_GEOMETRIES
        )
        problems.extend(found)
        if not isinstance(feature, dict):
            continue
        properties = feature.get("properties") or {}
        for name in REGION_PROPERTIES:
            if not str(properties.get(name) or "").strip():
                problems.append(
                    Problem(REGIONS_FILE, index, name, "is missing", "feature")
                )
        region_id = str(properties.get("region_id") or "")
        # A missing id is reported as missing above, not as a duplicate.
        if region_id.strip() and region_id in seen:
            problems.append(
                Problem(REGIONS_FILE, index, "region_id", "is a duplicate", "feature")
            )
        seen.add(region_id)
        level = properties.get("level")
        if level and level not in REGION_LEVELS:
            problems.append(
                Problem(
                    REGIONS_FILE,
                    index,
                    "level",
                    f"{level!r} is not one of {', '.join(REGION_LEVELS)}",
                    "feature",
                )
            )
        if level == "country" and geometry is not None:
            countries[str(properties.get("country"))] = geometry
    return problems, countries


def check_places(
    features: list, countries: Mapping[str, object] | None
) -> tuple[list[Problem], set[str]]:
    """Check places; return the problems and the set of ``place_id`` values.

    ``countries`` maps ISO alpha-2 codes to boundary geometries; when given, every
    place must lie in (a point) or have its representative point in (an area) one
    of the countries it states that have a boundary there. ``country`` may be empty
    (unknown), as for an imported place the source does not locate in a country.
    """
    problems: list[Problem] = []
    place_ids: set[str] = set()
    for index, feature in enumerate(features, start=1):
        geometry, found = _feature_geometry(
            feature, index, PLACES_FILE, POINT_GEOMETRIES + AREA_GEOMETRIES
        )
        problems.extend(found)
        if not isinstance(feature, dict):
            continue
        properties = feature.get("properties")
        if not isinstance(properties, dict):
            problems.append(
                Problem(PLACES_FILE, index, None, "has no properties", "feature")
            )
            continue

        def report(column: str | None, message: str, at: int = index) -> None:
            problems.append(Problem(PLACES_FILE, at, column, message, "feature"))

        for name in PLACE_PROPERTIES:
            if name not in properties:
                report(name, "is missing")
        place_id = str(properties.get("place_id") or "")
        if not SLUG.fullmatch(place_id):
            report("place_id", f"{place_id!r} is not a slug")
        elif place_id in place_ids:
            report("place_id", f"{place_id!r} is a duplicate")
        place_ids.add(place_id)
        if not str(properties.get("name") or "").strip():
            report("name", "is empty")
        kind = properties.get("kind")
        if kind not in PLACE_KINDS:
            report("kind", f"{kind!r} is not one of {', '.join(PLACE_KINDS)}")
        country = str(properties.get("country") or "")
        if country and not COUNTRY_CODES.fullmatch(country):
            report("country", f"{country!r} is not ISO 3166-1 alpha-2 (e.g. UZ)")
            continue
        if geometry is None or countries is None:
            continue
        # Only countries with a boundary in regions.geojson can be checked; an
        # imported place elsewhere (or of unknown country) is taken as it is.
        codes = [code for code in country.split("|") if code in countries]
        if not codes:
            continue
        boundary = unary_union([countries[code] for code in codes])
        # A point's representative point is the point itself.
        probe = geometry.representative_point()
        if boundary.distance(probe) > BORDER_TOLERANCE_DEG:
            report(
                None,
                f"lies outside its stated country {country} "
                f"(at lon {probe.x:.4f}, lat {probe.y:.4f})",
            )
    return problems, place_ids


# --- a whole directory --------------------------------------------------------


def validate_directory(directory: Path, source_text: str | None = None) -> Report:
    """Validate ``events.csv``, ``places.geojson`` and ``regions.geojson`` together.

    Parameters
    ----------
    directory
        The data directory.
    source_text
        When given, every quote must occur verbatim in it.
    """
    return read_and_validate(directory, source_text)[0]


def read_and_validate(
    directory: Path, source_text: str | None = None
) -> tuple[Report, pd.DataFrame | None]:
    """Validate a data directory and return its events as a frame of text too.

    The frame is None when the events could not be read as a table (the report
    says why); callers that load the data use it so the file is read only once.
    """
    report, frame, _ = read_and_validate_all(directory, source_text)
    return report, frame


def read_and_validate_all(
    directory: Path, source_text: str | None = None
) -> tuple[Report, pd.DataFrame | None, pd.DataFrame | None]:
    """:func:`read_and_validate`, and the kept source columns as read.

    The third value is ``source_columns.csv`` as a frame (``event_id``, then the
    kept columns as text) when the directory has one and it can be read, else
    None. A directory without the file is complete: the file is optional.
    """
    directory = Path(directory)
    report = Report(directory)
    if not directory.is_dir():
        report.problems.append(Problem(str(directory), None, None, "is not a folder"))
        return report, None, None
    place_ids = _check_places_and_regions(directory, report)

    path = directory / EVENTS_FILE
    try:
        frame = read_events_frame(path)
        if frame is not None:
            report.problems.extend(
                check_event_frame(frame, EVENTS_FILE, place_ids, source_text)
            )
            report.n_events = len(frame)
            # Without the column (named missing above) no id can be checked.
            ids = frame["event_id"] if "event_id" in frame.columns else None
            kept = _check_source_columns(directory, report, ids)
            return report, frame, kept
        header, rows = read_csv_rows(path)
    except FileNotFoundError:
        report.problems.append(Problem(EVENTS_FILE, None, None, "is missing"))
    except ValueError as error:
        report.problems.append(Problem(EVENTS_FILE, None, None, str(error)))
    else:
        report.problems.extend(
            check_event_rows(header, rows, EVENTS_FILE, place_ids, source_text)
        )
        report.n_events = len(rows)
        if "event_id" in header:
            at = header.index("event_id")
            ids = pd.Series([r[at] for r in rows if len(r) == len(header)], dtype="str")
            return report, None, _check_source_columns(directory, report, ids)
    _check_source_columns(directory, report, None)
    return report, None, None


def validate_read_events(directory: Path, frame: pd.DataFrame) -> Report:
    """The report of :func:`read_and_validate_all` on a folder whose
    ``events.csv`` reads as ``frame`` (what :func:`read_events_frame` gives),
    without reading it again: for an import, which has just written the file
    from that frame. ``source_columns.csv`` is not checked again: the import
    wrote it from the same rows, keyed by the same ids."""
    directory = Path(directory)
    report = Report(directory)
    place_ids = _check_places_and_regions(directory, report)
    report.problems.extend(check_event_frame(frame, EVENTS_FILE, place_ids, None))
    report.n_events = len(frame)
    return report


def _check_places_and_regions(directory: Path, report: Report) -> set[str] | None:
    """Check ``regions.geojson`` and ``places.geojson``, adding their problems
    to ``report``; the place ids (None when the places cannot be read)."""
    countries: dict[str, object] | None = None
    regions_path = directory / REGIONS_FILE
    try:
        region_features = read_feature_collection(regions_path)
    except FileNotFoundError:
        report.problems.append(Problem(REGIONS_FILE, None, None, "is missing"))
    except ValueError as error:
        report.problems.append(Problem(REGIONS_FILE, None, None, str(error)))
    else:
        found, countries = check_regions(region_features)
        report.problems.extend(found)
        report.n_regions = len(region_features)

    place_ids: set[str] | None = None
    try:
        place_features = read_feature_collection(directory / PLACES_FILE)
    except FileNotFoundError:
        report.problems.append(Problem(PLACES_FILE, None, None, "is missing"))
    except ValueError as error:
        report.problems.append(Problem(PLACES_FILE, None, None, str(error)))
    else:
        found, place_ids = check_places(place_features, countries)
        report.problems.extend(found)
        report.n_places = len(place_features)
    return place_ids


def _check_source_columns(
    directory: Path, report: Report, event_ids: pd.Series | None
) -> pd.DataFrame | None:
    """Check ``source_columns.csv`` when the directory has one; add its problems."""
    path = directory / SOURCE_COLUMNS_FILE
    if not path.is_file():
        return None
    try:
        findings, frame = read_source_columns(path, event_ids)
    except OSError as error:
        findings, frame = [(None, None, f"cannot be read ({error.strerror})")], None
    report.problems.extend(
        Problem(SOURCE_COLUMNS_FILE, row, column, message)
        for row, column, message in findings
    )
    return frame
