"""How much of real users' files the importer takes: a corpus run, file by file.

Run it on any folder of event files a researcher has downloaded::

    .venv/bin/python benchmarks/real_files.py CORPUS_DIR [--out FILE.md]

Every data file under ``CORPUS_DIR`` (recursively; folders whose name starts with
``_`` or ``.`` are skipped, so codebooks and notes can sit beside the data) is
imported exactly as ``imu-geo import FILE -o DIR`` imports it: the command line
itself, run in a fresh Python process per file with the command's default size
limit (``--max-mb`` to change it), into a scratch folder that is removed
afterwards. The child process reports the exit code, what the command printed,
the wall time of the command and the process's peak resident memory. The counts
are the importer's own: its summary line (``acled: 5,658 rows — … accepted, …
repaired, … rejected``) counts source rows, which is what "the rows with a date
and a location that were kept" needs; the events written can be fewer (ACLED
rows of one event are merged into one). The import's file of row problems
(``row-problems.csv``; ``rejects.csv`` in releases before it), found by name,
says which rows were rejected or repaired and why.

Independently of the importer, this script reads each file itself with the
standard library (CSV and TSV in any of the usual encodings, a ``.zip`` or
``.gz`` holding one such file, ``.xlsx``, JSON and GeoJSON, Parquet when pyarrow
is there) and counts the rows that carry a date and a location: a date is a
non-empty ``event_date``, ``date_start``, ``date_end`` or a non-zero ``iyear``; a
location is a latitude and longitude that read as numbers, or a place name
(``location``, ``where_coordinates``, ``city``, ``provstate``, ``admin1``,
``adm_1``). Column names are compared in any case. Cells that other tools write
for "empty" (``NA``, ``N/A``, ``NULL``, ``None``, ``nan``, ``#N/A``, ``.``) count
as empty, and a header annotation row of HXL hashtags (HDX's copies) is not a
data row. Row numbers are the ones a spreadsheet shows (header row 1), as the
importer's report uses, so the rows with a date and a location that the import
rejected can be matched one by one; when the importer's row count and this
reader's differ, the report says so.

The table gives, per file: the layout the importer named, the data rows, the rows
with a date and a location, accepted, repaired, rejected, the events written,
whether the file was refused whole (with the reason), the share of the rows with a
date and a location that were accepted or repaired, time and peak RSS; then the
most frequent rejection and repair reasons per file (quoted values and numbers
folded so that one rule is one line), the totals and the most frequent rejection
reasons overall. It is a measurement, not a test: it never fails on a low figure,
and the times depend on the machine. The script imports nothing of imu-geo in the
parent, so it measures whichever release is first on ``PYTHONPATH``.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import math
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

#: Extensions treated as data files (what users download, whether or not the
#: importer reads it yet); anything else under the folder is ignored.
DATA_EXTENSIONS = (
    ".csv",
    ".tsv",
    ".txt",
    ".json",
    ".geojson",
    ".parquet",
    ".xlsx",
    ".xls",
    ".zip",
    ".gz",
    ".bz2",
    ".xz",
    ".7z",
    ".tar",
)
TEXT_EXTENSIONS = (".csv", ".tsv", ".txt")
DEFAULT_MAX_MB = 200.0  # the default of ``imu-geo import --max-mb``
DEFAULT_TIMEOUT_S = 1800.0
EMPTY_MARKERS = frozenset({"", "na", "n/a", "null", "none", "nan", "#n/a", "."})
DATE_COLUMNS = ("event_date", "date_start", "date_end")
YEAR_COLUMNS = ("iyear",)
PLACE_COLUMNS = (
    "location",
    "where_coordinates",
    "city",
    "provstate",
    "admin1",
    "adm_1",
)
LATITUDE_COLUMNS = ("latitude", "lat")
LONGITUDE_COLUMNS = ("longitude", "lon", "lng")
RESULT_MARK = "REAL_FILES_RESULT "
TOP_REASONS = 5
MESSAGE_LINES = 8  # lines of the importer's message after the summary, per file
#: The oracle reads at most this much decompressed text from one archive member.
MAX_MEMBER_BYTES = 2 * 2**30
SPREADSHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELATIONSHIP_NS = (
    "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
)


# --- reading a file independently of the importer ------------------------------


@dataclass
class SourceCount:
    """What this script's own reader found in a file."""

    rows: int | None = None
    dated_located: set[int] = field(default_factory=set)
    header: list[str] = field(default_factory=list)
    hxl_rows: int = 0
    note: str = ""


def _is_empty(value: object) -> bool:
    return value is None or str(value).strip().lower() in EMPTY_MARKERS


def _is_number(value: object) -> bool:
    """A finite number, with a decimal point or a decimal comma."""
    if _is_empty(value):
        return False
    try:
        return math.isfinite(float(str(value).strip().replace(",", ".")))
    except ValueError:
        return False


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _is_hxl_row(cells: list[str]) -> bool:
    """A row of HXL hashtags (``#date+occurred``) annotating the header."""
    filled = [c.strip() for c in cells if c.strip()]
    return bool(filled) and all(c.startswith("#") for c in filled)


class _RowJudge:
    """Says whether a row carries a date and a location, given the header."""

    def __init__(self, header: list[str]):
        names = [str(h).strip().lower() for h in header]

        def find(candidates: tuple[str, ...]) -> list[int]:
            return [names.index(c) for c in candidates if c in names]

        self.dates = find(DATE_COLUMNS)
        self.years = find(YEAR_COLUMNS)
        self.places = find(PLACE_COLUMNS)
        latitude, longitude = find(LATITUDE_COLUMNS), find(LONGITUDE_COLUMNS)
        self.coordinates = list(zip(latitude, longitude, strict=False))

    def __call__(self, cells: list[object]) -> bool:
        def cell(i: int) -> object:
            return cells[i] if i < len(cells) else None

        dated = any(not _is_empty(cell(i)) for i in self.dates) or any(
            not _is_empty(cell(i)) and str(cell(i)).strip() not in ("0", "0.0")
            for i in self.years
        )
        located = any(
            _is_number(cell(a)) and _is_number(cell(b)) for a, b in self.coordinates
        ) or any(not _is_empty(cell(i)) for i in self.places)
        return dated and located


def _count_rows(rows, first_row_number: int = 1) -> SourceCount:
    """Count data rows and the rows with a date and a location.

    ``rows`` yields ``(row_number, cells)``; the first is the header.
    """
    result = SourceCount(rows=0)
    judge = None
    for number, cells in rows:
        if judge is None:
            result.header = [str(c) for c in cells]
            judge = _RowJudge(result.header)
            continue
        if not any(str(c).strip() for c in cells if c is not None):
            continue  # a blank line is not a row
        if _is_hxl_row([str(c) if c is not None else "" for c in cells]):
            result.hxl_rows += 1
            continue
        result.rows += 1
        if judge(cells):
            result.dated_located.add(number)
    return result


def _delimiter(first_line: str, extension: str) -> str:
    if extension == ".tsv":
        return "\t"
    counts = {d: first_line.count(d) for d in (",", ";", "\t", "|")}
    return max(counts, key=counts.get)


def _csv_rows(text: str, extension: str):
    first_line = text.split("\n", 1)[0].split("\r", 1)[0]
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=_delimiter(first_line, extension)
    )
    yield from enumerate(reader, start=1)


def _count_text_file(path: Path, extension: str) -> SourceCount:
    """Count a delimited text file as a stream (a full GED is ~400 MB)."""
    with path.open("rb") as stream:
        start = stream.read(4)
    if start.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "cp1252")
    for encoding in encodings:
        try:
            with path.open(encoding=encoding, newline="") as stream:
                first_line = stream.readline().split("\r", 1)[0]
                stream.seek(0)
                reader = csv.reader(stream, delimiter=_delimiter(first_line, extension))
                return _count_rows(enumerate(reader, start=1))
        except UnicodeDecodeError:
            continue
    raise ValueError("no encoding fits")  # cp1252 decodes nearly anything


def _xlsx_rows(data: bytes):
    """The first worksheet of an ``.xlsx`` file, cell values as text."""
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        shared: list[str] = []
        if "xl/sharedStrings.xml" in book.namelist():
            root = ET.fromstring(book.read("xl/sharedStrings.xml"))
            for item in root.iter(f"{SPREADSHEET_NS}si"):
                shared.append(
                    "".join(t.text or "" for t in item.iter(f"{SPREADSHEET_NS}t"))
                )
        workbook = ET.fromstring(book.read("xl/workbook.xml"))
        first = next(workbook.iter(f"{SPREADSHEET_NS}sheet"))
        target = "worksheets/sheet1.xml"
        relation_id = first.get(f"{RELATIONSHIP_NS}id")
        if "xl/_rels/workbook.xml.rels" in book.namelist():
            rels = ET.fromstring(book.read("xl/_rels/workbook.xml.rels"))
            for rel in rels:
                if rel.get("Id") == relation_id:
                    target = rel.get("Target", target).lstrip("/")
        path = target if target.startswith("xl/") else f"xl/{target}"
        sheet = ET.fromstring(book.read(path))
    for row in sheet.iter(f"{SPREADSHEET_NS}row"):
        values: dict[int, str] = {}
        for c in row.iter(f"{SPREADSHEET_NS}c"):
            letters = re.match(r"[A-Z]+", c.get("r", "A"))
            column = 0
            for letter in letters.group(0) if letters else "A":
                column = column * 26 + ord(letter) - 64
            kind = c.get("t")
            v = c.find(f"{SPREADSHEET_NS}v")
            if kind == "s" and v is not None:
                text = shared[int(v.text)]
            elif kind == "inlineStr":
                text = "".join(t.text or "" for t in c.iter(f"{SPREADSHEET_NS}t"))
            else:
                text = v.text if v is not None and v.text is not None else ""
            values[column - 1] = text
        width = max(values, default=-1) + 1
        yield int(row.get("r")), [values.get(i, "") for i in range(width)]


def _json_rows(data: bytes):
    document = json.loads(_decode(data))
    if isinstance(document, dict) and document.get("type") == "FeatureCollection":
        records = []
        for feature in document.get("features", []):
            properties = dict((feature or {}).get("properties") or {})
            geometry = (feature or {}).get("geometry") or {}
            if geometry.get("type") == "Point" and "latitude" not in properties:
                lon, lat = (geometry.get("coordinates") or [None, None])[:2]
                properties.setdefault("longitude", lon)
                properties.setdefault("latitude", lat)
            records.append(properties)
    elif isinstance(document, dict) and isinstance(document.get("data"), list):
        records = document["data"]
    elif isinstance(document, list):
        records = document
    else:
        return
    header = sorted({k for r in records if isinstance(r, dict) for k in r})
    yield 0, header
    for number, record in enumerate(records, start=1):
        if isinstance(record, dict):
            yield number, [record.get(k) for k in header]


def _parquet_rows(path: Path):
    import pyarrow.parquet as parquet  # optional: only for .parquet files

    table = parquet.read_table(path)
    header = table.column_names
    yield 0, header
    columns = [table.column(n).to_pylist() for n in header]
    for index in range(table.num_rows):  # the importer counts Parquet rows from 1
        yield index + 1, [column[index] for column in columns]


def _member(path: Path) -> tuple[str, bytes] | None:
    """The one data file inside a ``.zip`` or ``.gz``, else None."""
    if path.suffix.lower() == ".gz":
        with gzip.open(path) as stream:
            return path.stem, stream.read(MAX_MEMBER_BYTES + 1)
    with zipfile.ZipFile(path) as archive:
        members = [
            info
            for info in archive.infolist()
            if not info.is_dir()
            and not PurePosixPath(info.filename).name.startswith(".")
        ]
        if len(members) != 1 or members[0].file_size > MAX_MEMBER_BYTES:
            return None
        return members[0].filename, archive.read(members[0])


def count_source(path: Path) -> SourceCount:
    """Read ``path`` without the importer and count its rows."""
    extension = path.suffix.lower()
    try:
        if extension in (".zip", ".gz"):
            member = _member(path)
            if member is None:
                return SourceCount(note="not one data file inside")
            name, data = member
            inner = PurePosixPath(name).suffix.lower()
            if inner in TEXT_EXTENSIONS:
                return _count_rows(_csv_rows(_decode(data), inner))
            if inner == ".xlsx":
                return _count_rows(_xlsx_rows(data))
            return SourceCount(note=f"holds a {inner or 'extensionless'} file")
        if extension in TEXT_EXTENSIONS:
            return _count_text_file(path, extension)
        if extension == ".xlsx":
            return _count_rows(_xlsx_rows(path.read_bytes()))
        if extension in (".json", ".geojson"):
            return _count_rows(_json_rows(path.read_bytes()))
        if extension == ".parquet":
            return _count_rows(_parquet_rows(path))
    except Exception as error:  # noqa: BLE001 - the count is then unknown, said so
        return SourceCount(
            note=f"not read here ({type(error).__name__}: {error})"[:200]
        )
    return SourceCount(note=f"{extension} files are not read here")


# --- one import in a fresh process ---------------------------------------------

#: The importer's summary line, counted per source row: ``acled: 5,658 rows —
#: 5,401 accepted, 0 repaired, 257 rejected`` (events can be fewer than rows:
#: ACLED rows that share an ``event_id_cnty`` become one event).
SUMMARY_LINE = re.compile(
    r"^\s*(?P<layout>[A-Za-z][\w-]*): (?P<rows>[\d,]+) rows? — "
    r"(?P<accepted>[\d,]+) accepted, (?P<repaired>[\d,]+) repaired, "
    r"(?P<rejected>[\d,]+) rejected"
)
#: The file of row problems by name; ``rejects.csv`` is what older releases wrote.
PROBLEM_FILES = ("row-problems.csv", "rejects.csv")
PROBLEM_COLUMNS = ("row", "action", "column", "reason")


def _csv_data_rows(path: Path) -> int:
    with path.open(newline="", encoding="utf-8", errors="replace") as stream:
        return max(sum(1 for _ in csv.reader(stream)) - 1, 0)


def _peak_rss() -> int:
    """This process's peak resident memory in bytes (Linux counts KiB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def _size_arguments(cli, max_mb: float) -> list[str]:
    """The size limit as this release's ``imu-geo import`` takes it.

    ``--max-size 200MB`` now, ``--max-mb 200`` in releases before it.
    """
    for action in cli.build_parser()._actions:  # noqa: SLF001 - argparse has no API
        choices = getattr(action, "choices", None)
        if isinstance(choices, dict) and "import" in choices:
            if "--max-size" in choices["import"].format_help():
                return ["--max-size", f"{max_mb:g}MB"]
    return ["--max-mb", f"{max_mb:g}"]


def read_problems(folder: Path) -> tuple[dict[int, list[str]], dict[int, list[str]]]:
    """The rejected and the repaired rows of an import, each with its reasons.

    Read from the import's file of row problems, found by its name. Its first
    columns are ``row``, ``action``, ``column``, ``reason``; the source fields of
    a rejected row follow, so the four are looked up by name, not by position.
    """
    rejected: dict[int, list[str]] = {}
    repaired: dict[int, list[str]] = {}
    path = next((folder / n for n in PROBLEM_FILES if (folder / n).exists()), None)
    if path is None:
        return rejected, repaired
    with path.open(newline="", encoding="utf-8", errors="replace") as stream:
        reader = csv.reader(stream)
        header = [h.strip() for h in next(reader, [])]
        if not set(PROBLEM_COLUMNS) <= set(header):
            return rejected, repaired
        at = {name: header.index(name) for name in PROBLEM_COLUMNS}
        for cells in reader:
            if len(cells) <= max(at.values()):
                continue
            try:
                row = int(cells[at["row"]].strip().lstrip("'"))
            except ValueError:
                continue
            column = cells[at["column"]].strip()
            reason = cells[at["reason"]].strip()
            text = f"{column}: {reason}" if column else reason
            action = cells[at["action"]].strip().lower()
            if action == "rejected":
                rejected.setdefault(row, []).append(text)
            elif action == "repaired":
                repaired.setdefault(row, []).append(text)
    return rejected, repaired


def _reason_counts(rows: dict[int, list[str]]) -> dict[str, int]:
    """Rows per folded reason (a row with two reasons counts under both)."""
    counts: Counter = Counter()
    for texts in rows.values():
        for reason in dict.fromkeys(fold_reason(t) for t in texts):
            counts[reason] += 1
    return dict(counts)


def child(path: str, fmt: str, max_mb: float) -> dict:
    """Run ``imu-geo import FILE -o DIR`` in this process and describe what happened.

    The counts are the importer's own, from its summary line; the file of row
    problems gives which rows were rejected or repaired, and why.
    """
    import contextlib

    import imu_geo
    from imu_geo import cli  # imported here: the parent stays light

    rss_before = _peak_rss()
    out = Path(tempfile.mkdtemp(prefix="real-files-"))
    said, errors = io.StringIO(), io.StringIO()
    argv = ["import", path, "--format", fmt, "-o", str(out)]
    argv += _size_arguments(cli, max_mb)
    try:
        start = time.perf_counter()
        with contextlib.redirect_stdout(said), contextlib.redirect_stderr(errors):
            try:
                code = cli.main(argv)
            except SystemExit as stop:  # argparse, or a command that exits
                code = stop.code if isinstance(stop.code, int) else 2
        seconds = time.perf_counter() - start
        result = {
            "code": code,
            "stdout": said.getvalue(),
            "stderr": errors.getvalue(),
            "seconds": seconds,
            "peak_rss": _peak_rss(),
            "rss_before": rss_before,
            "version": getattr(imu_geo, "__version__", "?"),
        }
        events = out / "events.csv"
        result["events"] = _csv_data_rows(events) if events.exists() else None
        rejected, repaired = read_problems(out)
        result["rejected_rows"] = sorted(rejected)
        result["repaired_rows"] = sorted(set(repaired) - set(rejected))
        result["reasons"] = _reason_counts(rejected)
        result["repair_reasons"] = _reason_counts(
            {row: texts for row, texts in repaired.items() if row not in rejected}
        )
        return result
    finally:
        shutil.rmtree(out, ignore_errors=True)


# --- the run over a folder ------------------------------------------------------


@dataclass
class FileResult:
    """One file's line of the report."""

    name: str
    size: int
    source: SourceCount
    layout: str = "—"
    rows: int | None = None
    accepted: int | None = None
    repaired: int | None = None
    rejected: int | None = None
    events: int | None = None
    refused: str = ""
    kept_dated_located: int | None = None
    seconds: float | None = None
    peak_rss: int | None = None
    message: str = ""
    version: str = ""
    reasons: Counter = field(default_factory=Counter)
    repair_reasons: Counter = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)

    @property
    def share(self) -> float | None:
        total = len(self.source.dated_located)
        if not total or self.kept_dated_located is None:
            return None
        return 100.0 * self.kept_dated_located / total


def fold_reason(reason: str) -> str:
    """One line per rule: quoted values become ``'…'``, numbers ``N``."""
    # A quote opens after a non-letter: the apostrophe of "ACLED's" is not one.
    folded = re.sub(r"(?<!\w)'[^']*'(?!\w)|\"[^\"]*\"|«[^»]*»", "'…'", reason)
    folded = re.sub(r"(?<![A-Za-z])[-+]?\d+(?:[.,]\d+)?", "N", folded)
    return folded


def data_files(folder: Path) -> list[Path]:
    """Every data file under ``folder``, by name; ``_`` and ``.`` folders skipped."""
    found = []
    for directory, subfolders, files in os.walk(folder):
        subfolders[:] = sorted(d for d in subfolders if not d.startswith(("_", ".")))
        for name in sorted(files):
            if name.startswith("."):
                continue
            if Path(name).suffix.lower() in DATA_EXTENSIONS:
                found.append(Path(directory) / name)
    return found


def run_one(path: Path, folder: Path, fmt: str, max_mb: float, timeout: float):
    """Count the file, import it in a child process, and merge both views."""
    result = FileResult(
        name=str(path.relative_to(folder)),
        size=path.stat().st_size,
        source=count_source(path),
    )
    if result.source.note:
        result.notes.append(f"this script's reader: {result.source.note}")
    if result.source.hxl_rows:
        result.notes.append(
            f"{result.source.hxl_rows} HXL hashtag row(s) under the header, "
            "not counted as data"
        )
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child",
        str(path),
        "--format",
        fmt,
        "--max-mb",
        str(max_mb),
    ]
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        result.refused = f"did not finish within {timeout:g} s"
        return result
    payload = None
    for line in reversed(done.stdout.splitlines()):
        if line.startswith(RESULT_MARK):
            payload = json.loads(line[len(RESULT_MARK) :])
            break
    if payload is None:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        result.refused = f"the import process failed (exit {done.returncode}): {last}"
        return result
    result.seconds = payload["seconds"]
    result.peak_rss = payload["peak_rss"]
    result.version = payload.get("version", "")
    said = [
        line
        for line in (payload["stdout"] + payload["stderr"]).splitlines()
        if line.strip()
    ]
    result.message = "\n".join(said)
    if payload["code"] == 2:
        result.refused = said[-1] if said else "exit code 2, nothing said"
        result.kept_dated_located = 0
        return result
    summary = next((m for m in map(SUMMARY_LINE.match, said) if m), None)
    if summary is None:
        result.refused = (
            f"no summary line from the import (exit {payload['code']}): "
            + (said[0] if said else "nothing said")
        )
        return result

    def figure(name: str) -> int:
        return int(summary.group(name).replace(",", ""))

    result.layout = summary.group("layout")
    result.rows = figure("rows")
    result.accepted = figure("accepted")
    result.repaired = figure("repaired")
    result.rejected = figure("rejected")
    result.events = payload["events"]
    result.reasons = Counter(payload["reasons"])
    result.repair_reasons = Counter(payload["repair_reasons"])
    rejected = set(payload["rejected_rows"])
    dated = result.source.dated_located
    result.kept_dated_located = len(dated - rejected)
    if len(rejected) != result.rejected:
        result.notes.append(
            f"the summary says {result.rejected:,} rows rejected, the file of row "
            f"problems names {len(rejected):,}"
        )
    if len(payload["repaired_rows"]) != result.repaired:
        result.notes.append(
            f"the summary says {result.repaired:,} rows repaired, the file of row "
            f"problems names {len(payload['repaired_rows']):,}"
        )
    if result.source.rows is not None and result.source.rows != result.rows:
        result.notes.append(
            f"row counts differ: the importer accounts for {result.rows:,} rows, "
            f"this script's reader found {result.source.rows:,}"
        )
    # Rejected rows the reader did not find dated and located are expected up to
    # the number of rows it found without a date or a location; more means the
    # two row numberings disagree.
    undated = (result.source.rows or 0) - len(dated)
    if dated and len(rejected - dated) > undated:
        result.notes.append(
            "none of the rejected row numbers is a row with a date and a location "
            "here: the two row numberings may not agree"
        )
    return result


def _number(value: int | None) -> str:
    return "—" if value is None else f"{value:,}"


def _escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render(
    results: list[FileResult], folder_label: str, fmt: str, max_mb: float
) -> str:
    """The report as Markdown."""
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    versions = sorted({r.version for r in results if r.version})
    importer = f"imu-geo {', '.join(versions)}" if versions else "imu-geo"
    lines = [
        "# Importing real files",
        "",
        f"Corpus: `{folder_label}` — {len(results)} data files. {importer}, run {now} "
        "with "
        f"`--format {fmt}` and a size limit of {max_mb:g} MB (as `imu-geo import`); "
        f"Python {platform.python_version()} on {platform.system()} "
        f"{platform.machine()}, {os.cpu_count()} CPUs. One fresh process per file; "
        "time is the wall time of the command, RSS the process's peak (Python and "
        "the libraries included).",
        "",
        "Rows, accepted, repaired, rejected: source rows, from the importer's "
        "summary line (rows: this script's own count when the file was refused). "
        "Events: rows of the events.csv written (fewer than the rows kept when "
        "rows of one event are merged). Date+loc: rows with a date and a location "
        "by this script's reader. Kept: the share of those rows that the import did "
        "not reject, matched row by row against its file of row problems.",
        "",
        "| file | layout | rows | date+loc | accepted | repaired | rejected "
        "| events | refused whole | kept | time s | peak RSS MB |",
        "|---|---|--:|--:|--:|--:|--:|--:|---|--:|--:|--:|",
    ]
    for r in results:
        share = "—" if r.share is None else f"{r.share:.1f}%"
        rows = r.rows if r.rows is not None else r.source.rows
        lines.append(
            "| "
            + " | ".join(
                [
                    _escape(r.name),
                    r.layout,
                    _number(rows),
                    _number(
                        len(r.source.dated_located)
                        if r.source.rows is not None
                        else None
                    ),
                    _number(r.accepted),
                    _number(r.repaired),
                    _number(r.rejected),
                    _number(r.events),
                    _escape(r.refused) if r.refused else "no",
                    share,
                    "—" if r.seconds is None else f"{r.seconds:.2f}",
                    "—" if r.peak_rss is None else f"{r.peak_rss / 2**20:,.0f}",
                ]
            )
            + " |"
        )
    dated = sum(len(r.source.dated_located) for r in results)
    kept = sum(r.kept_dated_located or 0 for r in results)
    refused = [r for r in results if r.refused]
    rows = sum(
        (r.rows if r.rows is not None else (r.source.rows or 0)) for r in results
    )
    reasons: Counter = Counter()
    for r in results:
        reasons.update(r.reasons)
    lines += [
        "",
        "## Totals",
        "",
        f"- Files: {len(results)}, refused whole: {len(refused)}.",
        f"- Rows: {rows:,}; with a date and a location: {dated:,}.",
        f"- Accepted: {sum(r.accepted or 0 for r in results):,}; repaired: "
        f"{sum(r.repaired or 0 for r in results):,}; rejected: "
        f"{sum(r.rejected or 0 for r in results):,}; events written: "
        f"{sum(r.events or 0 for r in results):,}.",
        "- Rows with a date and a location accepted or repaired: "
        + (
            f"{kept:,} of {dated:,} ({100.0 * kept / dated:.1f}%)."
            if dated
            else "none."
        ),
    ]
    if reasons:
        lines += ["", "Most frequent rejection reasons over all files (rows):", ""]
        for reason, count in reasons.most_common(TOP_REASONS * 2):
            lines.append(f"- {count:,} × `{_escape(reason)[:300]}`")
    lines += ["", "## Per file"]
    for r in results:
        lines += ["", f"### {r.name}", ""]
        lines.append(f"- Size: {r.size:,} bytes.")
        if r.source.header:
            shown = ", ".join(r.source.header[:8])
            more = len(r.source.header) - 8
            lines.append(
                f"- Header ({len(r.source.header)} columns): `{_escape(shown)}`"
                + (f" and {more} more." if more > 0 else ".")
            )
        if r.refused:
            lines.append(f"- Refused whole: {_escape(r.refused)}")
        elif r.message:
            said = r.message.strip().splitlines() or [""]
            lines.append(f"- Importer: {_escape(said[0])}")
            for extra in said[1 : 1 + MESSAGE_LINES]:
                lines.append(f"  - {_escape(extra.strip())}")
            if len(said) > 1 + MESSAGE_LINES:
                lines.append(f"  - … and {len(said) - 1 - MESSAGE_LINES} more lines")
        for note in r.notes:
            lines.append(f"- Note: {_escape(note)}")
        if r.reasons:
            lines.append("- Top rejection reasons (rows):")
            for reason, count in r.reasons.most_common(TOP_REASONS):
                lines.append(f"  - {count:,} × `{_escape(reason)[:300]}`")
        if r.repair_reasons:
            lines.append("- Top repair reasons (rows):")
            for reason, count in r.repair_reasons.most_common(TOP_REASONS):
                lines.append(f"  - {count:,} × `{_escape(reason)[:300]}`")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", help="folder of event files")
    parser.add_argument("--out", help="also write the report to this Markdown file")
    parser.add_argument("--format", default="auto", help="as imu-geo import (auto)")
    parser.add_argument(
        "--max-mb", type=float, default=DEFAULT_MAX_MB, help="as imu-geo import"
    )
    parser.add_argument(
        "--timeout", type=float, default=DEFAULT_TIMEOUT_S, help="seconds per file"
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    arguments = parser.parse_args(argv)
    if arguments.child:
        payload = child(arguments.child, arguments.format, arguments.max_mb)
        sys.stdout.write(RESULT_MARK + json.dumps(payload) + "\n")
        return 0
    if not arguments.corpus:
        parser.error("give the folder of event files")
    folder = Path(arguments.corpus)
    if not folder.is_dir():
        parser.error(f"{folder} is not a folder")
    files = data_files(folder)
    if not files:
        parser.error(f"no data files under {folder}")
    results = []
    for path in files:
        sys.stderr.write(f"{path.relative_to(folder)} …\n")
        results.append(
            run_one(path, folder, arguments.format, arguments.max_mb, arguments.timeout)
        )
    report = render(results, folder.name, arguments.format, arguments.max_mb)
    sys.stdout.write(report)
    if arguments.out:
        Path(arguments.out).write_text(report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
