"""What pages show about events, as plain values: table columns, detail text."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from imu_geo.layers import format_dates, format_fatalities
from imu_geo.schema import SOURCE_TYPE_COLUMNS
from imu_geo.text import escape_markdown, plain

# More rows than this are not sent to the browser's table (a large imported file
# would otherwise ship every row on every step); the downloads hold them all.
TABLE_ROW_LIMIT = 5_000
# The Map page's table shows this many rows at a time, with buttons for the
# next and previous rows: every slider step sends the table again, and 5,000
# rows were about 1 MB a step (benchmarks/engine.py --browser); 50 are about
# 11 kB.
TABLE_PAGE_ROWS = 50

TABLE_COLUMNS: tuple[str, ...] = (
    "date_start",
    "date_end",
    "date_precision",
    "layer",
    "event_type",
    "title",
    "place_name",
    "geo_precision",
    "fatalities_best",
    "attribution",
    "event_id",
)


def table_columns(events: pd.DataFrame) -> tuple[str, ...]:
    """The table's columns for ``events``: :data:`TABLE_COLUMNS`, with the
    source's own type and sub-type after ours when the events have them (an
    imported file's)."""
    own = tuple(c for c in SOURCE_TYPE_COLUMNS if c in events)
    if not own:
        return TABLE_COLUMNS
    at = TABLE_COLUMNS.index("event_type") + 1
    return (*TABLE_COLUMNS[:at], *own, *TABLE_COLUMNS[at:])


@dataclass(frozen=True)
class EventDetails:
    """Markdown-safe text for the detail panel of one event."""

    event_id: str
    title: str
    facts: str
    description: str
    quote: str
    citation: str
    notes: str


def event_details(events: pd.DataFrame, event_id: str | None) -> EventDetails | None:
    """The detail panel's text for ``event_id``, or None if there is no such event.

    Every value from the data is escaped, so it shows as written and can neither
    format nor link anything.
    """
    if not event_id:
        return None
    rows = events[events["event_id"] == event_id]
    if rows.empty:
        return None
    e = rows.iloc[0]
    place = e["place_name"] or "no place"
    facts = "  \n".join(
        [
            "**When:** "
            + escape_markdown(
                format_dates(e["date_start"], e["date_end"], e["date_precision"])
            )
            + f" · date origin: {escape_markdown(e['date_origin'])}",
            f"**Where:** {escape_markdown(place)} · precision "
            f"{escape_markdown(e['geo_precision'] or 'none')}"
            + (
                f" · place origin: {escape_markdown(e['place_origin'])}"
                if e["place_origin"]
                else ""
            ),
            f"**Who:** {escape_markdown(e['actors'])}"
            + (f" · target: {escape_markdown(e['target'])}" if e["target"] else ""),
            "**Fatalities:** "
            + escape_markdown(
                format_fatalities(
                    e["fatalities_low"], e["fatalities_best"], e["fatalities_high"]
                )
            )
            + f" · attribution: {escape_markdown(e['attribution'])}",
            f"**Layer:** {escape_markdown(e['layer'])} · "
            f"{escape_markdown(e['event_type'])} · id {escape_markdown(e['event_id'])}",
        ]
    )
    return EventDetails(
        event_id=str(e["event_id"]),
        title=escape_markdown(e["title"]),
        facts=facts,
        description=escape_markdown(e["description"]),
        quote="> " + escape_markdown(e["source_quote"]),
        citation="Source: " + escape_markdown(e["source"]),
        notes=("Notes: " + escape_markdown(e["notes"])) if e["notes"] else "",
    )


# How much of an unforeseen error's message a reason quotes.
ERROR_CHARS = 120


def upload_failure(name: str, stage: str, error: BaseException, reference: str) -> str:
    """The one-line reason shown when an upload fails in a way the importer did
    not foresee (its own refusals carry their own reason).

    ``stage`` is where it failed: ``read`` (getting the bytes), ``import``
    (reading the file) or ``dataset`` (preparing its events). The message of an
    error about the file's contents (``OSError``, ``ValueError``, e.g. a damaged
    Parquet file) is quoted, on one line and cut short; any other error is not,
    since it says something about the program, not the file. The reason ends with
    the reference of the log line that has the whole trace.
    """
    file = plain(name, 80)
    if stage == "read":
        what = f"{file} could not be read from the upload"
    elif isinstance(error, MemoryError):
        what = f"{file} needs more memory than this server can give one file"
    elif stage == "import" and isinstance(error, OSError | ValueError):
        message = str(error).strip() or type(error).__name__
        what = f"{file} could not be read ({plain(message, ERROR_CHARS)})"
    elif stage == "import":
        what = f"{file} could not be imported because of an unexpected error"
    else:
        what = f"{file} was read, but its events could not be prepared for the map"
    return (
        f"{what}. Nothing was changed. The server's log has the details under "
        f"reference {reference}."
    )


def table_page_caption(first: int, shown: int, total: int) -> str:
    """What the Map page's table holds when it shows a page of the events:
    rows ``first`` to ``first + shown - 1`` (counting from 1) of ``total``;
    "" when it shows them all."""
    if first == 1 and shown >= total:
        return ""
    return (
        f"The table shows events {first:,}–{first + shown - 1:,} of {total:,} in "
        "date order (Previous and Next move through them); the downloads below "
        "hold all of them."
    )
