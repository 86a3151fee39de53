"""The eras of the group's history: labelled periods read from the source, each
with the sentence that marks it (``tables/eras.csv``). They are bands behind the
timeline's bars and presets for the time window.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import pandas as pd

from imu_geo.content import table_rows
from imu_geo.filters import month_label, month_start


@dataclass(frozen=True)
class Era:
    """A labelled period of the group's history, used as a time-window preset.

    ``start`` and ``end`` are whole days (``end`` included); ``reason`` says in
    one line what in the source marks the period.
    """

    key: str
    name: str
    start: date
    end: date
    reason: str

    @property
    def period(self) -> str:
        """``1991–1997``, or ``Oct 2001–Feb 2014`` when it does not span whole years."""
        whole_years = (self.start.month, self.start.day) == (1, 1) and (
            self.end.month,
            self.end.day,
        ) == (12, 31)
        if whole_years:
            first, last = str(self.start.year), str(self.end.year)
        else:
            first, last = month_label(self.start), month_label(self.end)
        return first if first == last else f"{first}–{last}"


# Contiguous and in order: each era begins the day after the one before ends
# (tables/eras.csv; a test checks both).
ERAS: tuple[Era, ...] = tuple(
    Era(
        key=row["key"],
        name=row["name"],
        start=date.fromisoformat(row["start"]),
        end=date.fromisoformat(row["end"]),
        reason=row["reason"],
    )
    for row in table_rows("eras.csv")
)


ERA_SHADES = ("#f3f1ec", "#e6e3db")
NAMED_ERA_MONTHS = 36


def era_frame(eras: Sequence[Era] = ERAS) -> pd.DataFrame:
    """The eras as chart data: exclusive end, midpoint and text of the label, and a
    shade that alternates so that neighbouring eras can be told apart.

    Eras are numbered from 1, as the page numbers its era buttons; an era shorter
    than :data:`NAMED_ERA_MONTHS` is labelled with its number only, since its name
    would not fit in its band.
    """
    rows = []
    for index, era in enumerate(eras):
        number = index + 1
        months = (
            (era.end.year - era.start.year) * 12 + era.end.month - era.start.month + 1
        )
        named = months >= NAMED_ERA_MONTHS
        rows.append(
            {
                # An unnamed band (no eras to show) carries no label.
                "text": (f"{number} {era.name}" if named else str(number))
                if era.name
                else "",
                "name": f"{number} · {era.name}",
                "period": era.period,
                "reason": era.reason,
                "start": pd.Timestamp(era.start),
                "end": pd.Timestamp(era.end) + pd.Timedelta(days=1),
                "mid": pd.Timestamp(era.start) + (era.end - era.start) / 2,
                "shade": ERA_SHADES[index % 2],
            }
        )
    return pd.DataFrame(rows)


def era_for(first: date, last: date, eras: Sequence[Era] = ERAS) -> Era | None:
    """The era whose months are exactly the window ``first``..``last``, if any.

    The window is compared by month, as the time slider holds it, so a page can
    tell which era preset (if any) is the current view.
    """
    for era in eras:
        if (month_start(era.start), month_start(era.end)) == (
            month_start(first),
            month_start(last),
        ):
            return era
    return None
