"""What an import gave (:class:`ImportResult`), its issues (:class:`RowIssue`) and the
report as CSV bytes that are safe to open in a spreadsheet.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

from imu_geo.export import neutralise_formula
from imu_geo.text import counted


@dataclass(frozen=True)
class RowIssue:
    """One repair or rejection of one source row, with its reason.

    ``row`` is the row as the user finds it in the file (see "Row numbers" in
    ``docs/import.md``); ``column`` is the source column concerned, empty when it
    is the whole row.
    """

    row: int
    action: str
    column: str
    reason: str


@dataclass
class ImportResult:
    """What importing one file gave.

    Attributes
    ----------
    format
        One of :data:`FORMATS`.
    events
        The accepted and repaired rows: the columns of
        :data:`imu_geo.export.EXPORT_COLUMNS` as text (``lat`` and ``lon`` as
        floats: the event's own point, or its named place's), ``country``, plus
        ``source_id``, ``source_row``, ``source_event_type`` and
        ``source_sub_event_type``. An event that keeps its own point has no
        ``place_id``; its ``lat``, ``lon``, ``place_name`` and ``country`` are its
        own and go to ``events.csv``.
    places
        The named places the events use (gazetteer places, and the places a
        file in this project's schema names), in the columns of ``places.geojson``
        (``place_id``, ``name``, ``alt_names``, ``kind``, ``country``, ``admin1``,
        ``geometry_source``, ``note``), EPSG:4326.
    report
        One row per repair or rejection: ``row``, ``action``, ``column``,
        ``reason``, in row order.
    n_rows
        The data rows the file has (blank lines are not rows).
    file_notes
        What a user should know about the file as a whole.
    rejected_rows
        The source fields of each rejected row that could be split into fields,
        with its number in ``row``.
    source_columns
        The file's columns that no crosswalk uses, for the rows of ``events`` in
        their order: one column per kept column, named as in the file, the cells
        verbatim as read (Arrow strings, see :mod:`imu_geo.source_columns`).
    column_map
        One row per column of the file, in its order: ``column`` (the name as in
        the file) and ``what`` happened to it (``crosswalked to date_start,
        date_end, date_precision``, ``kept verbatim``, …; see
        :func:`imu_geo.importers.columns.column_map`).
    """

    format: str
    events: pd.DataFrame
    places: gpd.GeoDataFrame
    report: pd.DataFrame
    n_rows: int
    file_notes: list[str] = field(default_factory=list)
    rejected_rows: pd.DataFrame = field(default_factory=pd.DataFrame)
    source_columns: pd.DataFrame = field(default_factory=pd.DataFrame)
    column_map: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["column", "what"])
    )

    @property
    def issues(self) -> list[RowIssue]:
        """The report as :class:`RowIssue` values."""
        return [
            RowIssue(int(row), action, column, reason)
            for row, action, column, reason in self.report.itertuples(
                index=False, name=None
            )
        ]

    @property
    def n_rejected(self) -> int:
        """Rows with at least one rejection."""
        return int(
            self.report.loc[self.report["action"] == "rejected", "row"].nunique()
        )

    @property
    def n_repaired(self) -> int:
        """Rows kept after at least one repair."""
        return int(
            self.report.loc[self.report["action"] == "repaired", "row"].nunique()
        )

    @property
    def n_accepted(self) -> int:
        """Rows kept as they were."""
        return self.n_rows - self.n_rejected - self.n_repaired

    def report_frame(self) -> pd.DataFrame:
        """One row per issue: ``row``, ``action``, ``column``, ``reason``."""
        return self.report.copy()

    def column_summary(self) -> str:
        """Where the file's columns went, in one line, e.g. ``31 columns: 18
        crosswalked, 13 kept verbatim``."""
        what = self.column_map["what"]
        crosswalked = int(what.str.startswith("crosswalked").sum())
        kept = int(what.str.startswith("kept").sum())
        neither = len(what) - crosswalked - kept
        text = (
            f"{counted(len(what), 'column')}: {crosswalked:,} crosswalked, "
            f"{kept:,} kept verbatim"
        )
        if neither:
            text += f", {neither:,} without a name or a value"
        return text

    def summary(self) -> str:
        """One line, e.g. ``acled: 120 rows — 115 accepted, 3 repaired, 2 rejected``."""
        return (
            f"{self.format}: {counted(self.n_rows, 'row')} — "
            f"{self.n_accepted:,} accepted, {self.n_repaired:,} repaired, "
            f"{self.n_rejected:,} rejected"
        )


def _report_csv(report: pd.DataFrame) -> bytes:
    """The report as CSV (RFC 4180), safe to open in a spreadsheet.

    Text a spreadsheet would run as a formula gets a leading ``'``, as in the
    dashboard's downloads; a plain number (``-999``) is left as it is.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)  # its default line end is RFC 4180's CRLF
    writer.writerow([neutralise_formula(str(c)) for c in report.columns])
    # Column by column, each distinct value once: a million-row import can
    # have tens of thousands of reported rows with their source fields.
    columns = [_safe_cells(report.iloc[:, i]) for i in range(report.shape[1])]
    # Not mutated: the columns are all the report's, of one length, so no
    # value of ``strict`` changes anything.
    writer.writerows(zip(*columns, strict=True))  # pragma: no mutate
    return buffer.getvalue().encode()  # UTF-8


_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")


def _safe_cell(value: object) -> str:
    text = "" if value is None or pd.isna(value) else str(value)
    return text if _NUMBER.fullmatch(text) else neutralise_formula(text)


def _safe_cells(column: pd.Series) -> list[str]:
    """A column's cells as :func:`_report_csv` writes them."""
    codes, uniques = pd.factorize(column.to_numpy(object))  # a missing value: -1
    safe = [_safe_cell(value) for value in uniques]
    safe.append("")  # the sentinel -1: a missing value
    return [safe[code] for code in codes]


def rejects_csv(result: ImportResult) -> bytes:
    """``row-problems.csv`` of an import: the report, with each rejected row's fields.

    One row per repair or rejection (``row``, ``action``, ``column``, ``reason``);
    the first row of each rejected source row is followed by its source fields
    (a source column named like a report column gets the prefix ``source_``).
    """
    report = result.report_frame()
    originals = result.rejected_rows
    if len(originals):
        # By position: the first column is the row number, and a column of the
        # file's own may have the same name.
        names = [
            f"source_{c}" if c in ("row", "action", "column", "reason") else c
            for c in originals.columns[1:]
        ]
        originals = originals.set_axis(["row", *names], axis=1)
        first = report.drop_duplicates("row").index  # the first of each row
        attach = report.loc[first, ["row"]].merge(originals, on="row", how="left")
        attach.index = first
        report = report.join(attach.drop(columns="row"))
    return _report_csv(report)


def column_map_csv(result: ImportResult) -> bytes:
    """The column map (``column``, ``what``) as CSV, safe to open in a spreadsheet."""
    return _report_csv(result.column_map)
