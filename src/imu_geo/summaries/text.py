"""The region tables as plain text, for ``imu-geo summary``."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from imu_geo.summaries.table import (
    GROUP_COUNTS,
    GROUP_SUMS,
    killed_line,
    totals_line,
)

__all__ = [
    "TEXT_COLUMNS",
    "TEXT_KILLED_LEGEND",
    "format_text_table",
]

TEXT_COLUMNS: Mapping[str, str] = {
    "region_id": "id",
    "region": "region",
    "coded_at": "coded at",
    "country": "country",
    "events": "events",
    "attacks": "attacks",
    "killed": "killed",
    "fatalities_best": "from best",
    "killed_low_only": "from low",
    "events_best": "ev best",
    "events_low_only": "ev low",
    "events_no_figure": "ev none",
    "bases": "bases",
    "context": "context",
    "first_event": "first",
    "last_event": "last",
}


TEXT_KILLED_LEGEND = (
    "killed: per event, the best estimate where the source gives one, else its "
    "low figure (at least); from best / from low: the parts of it from each; "
    "ev best / ev low / ev none: events with a best estimate, with only a low "
    "figure, with neither (they add nothing)."
)


def format_text_table(summary: pd.DataFrame, level: str) -> str:
    """The table as aligned plain text, notes as numbered footnotes.

    Empty cells are blank (an empty fatality sum means unknown). Under the
    notes, what the fatality columns count (:data:`TEXT_KILLED_LEGEND`); the
    last lines are :func:`killed_line` and :func:`totals_line`.
    """
    notes: list[str] = []
    cells: list[list[str]] = []
    # Equivalent mutant: pandas reads the orient in any case ("RECORDS").
    for record in summary.to_dict("records"):  # pragma: no mutate
        row = []
        for column in TEXT_COLUMNS:
            value = record[column]
            row.append("" if value is None or pd.isna(value) else str(value))
        if record["note"]:
            notes.append(record["note"])
            row[1] += f" [{len(notes)}]"
        cells.append(row)
    header = list(TEXT_COLUMNS.values())
    numeric = {
        i
        for i, column in enumerate(TEXT_COLUMNS)
        if column in GROUP_COUNTS or column in GROUP_SUMS
    }
    widths = [
        max(len(text) for text in [name, *(row[i] for row in cells)])
        for i, name in enumerate(header)
    ]

    def line(values: list[str]) -> str:
        return "  ".join(
            value.rjust(width) if i in numeric else value.ljust(width)
            # Equivalent mutants (strict None, False or dropped): a row has a
            # cell per column, as many as there are widths.
            for i, (value, width) in enumerate(
                zip(values, widths, strict=True)  # pragma: no mutate
            )
        ).rstrip()

    lines = [line(header), line(["-" * width for width in widths])]
    lines.extend(line(row) for row in cells)
    if notes:
        lines.append("")
        lines.extend(f"[{i}] {note}" for i, note in enumerate(notes, start=1))
    lines.append("")
    lines.append(TEXT_KILLED_LEGEND)
    lines.append("")
    lines.append(killed_line(summary))
    lines.append(totals_line(summary, level))
    return "\n".join(lines)
