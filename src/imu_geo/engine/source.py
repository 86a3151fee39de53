"""What the pages and commands ask of a dataset, answered by the engine.

An :class:`EventSource` is a store (:mod:`imu_geo.store`) and the engine that
reads it. It holds no event rows: every answer is a query, so a session keeps
only its filters, and sessions share the store and the engine. Answers come as
pandas frames small enough to draw (a page of rows, counts per group).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date

import pandas as pd

from imu_geo.engine import queries
from imu_geo.engine.base import Engine
from imu_geo.filters import FilterSpec
from imu_geo.schema import EVENT_COLUMNS, LAYERS, SOURCE_EVENT_COLUMNS
from imu_geo.store import Store
from imu_geo.summaries import COUNT_COLUMNS, FATALITY_SUMS, UNIT_KEYS

# The columns of an event as the pages and exports know them (Dataset.events).
EVENT_FRAME_COLUMNS: tuple[str, ...] = (
    *EVENT_COLUMNS,
    *SOURCE_EVENT_COLUMNS,
    "place_name",
    "lat",
    "lon",
    "country",
)
EXPORT_BATCH_ROWS = 100_000


def _month_start(month: int) -> pd.Timestamp:
    return pd.Timestamp(year=month // 12, month=month % 12 + 1, day=1)


@dataclass(frozen=True)
class EventSource:
    """A dataset's store, read through an engine."""

    store: Store
    engine: Engine

    def __post_init__(self) -> None:
        self.engine.register(self.store.table, str(self.store.events_path))
        if self.store.source_columns_path is not None:
            self.engine.register(
                self.store.source_table, str(self.store.source_columns_path)
            )

    @property
    def _longest(self) -> int:
        return int(self.store.meta.get("longest_days", 0))

    def __len__(self) -> int:
        return self.store.n_events

    # --- counts ---------------------------------------------------------------

    def layer_counts(self, spec: FilterSpec) -> dict[str, int]:
        """How many selected events each layer has (every layer named)."""
        sql, params = queries.layer_counts(self.store.table, spec, self._longest)
        found = self.engine.query(sql, params)
        counts = dict.fromkeys(LAYERS, 0)
        counts.update(
            {
                str(k): int(v)
                for k, v in zip(found["layer"], found["events"], strict=True)
            }
        )
        return counts

    def count(self, spec: FilterSpec) -> int:
        """How many events ``spec`` selects."""
        return sum(self.layer_counts(spec).values())

    # --- rows -----------------------------------------------------------------

    def rows(
        self,
        spec: FilterSpec,
        columns: Sequence[str] = EVENT_FRAME_COLUMNS,
        limit: int | None = None,
        after: int | None = None,
        *,
        time: bool = True,
    ) -> pd.DataFrame:
        """The selected events in date order, with ``row_id`` first; at most
        ``limit``, from the first after ``row_id`` ``after``. Without ``time``,
        every event passing the other filters."""
        sql, params = queries.rows(
            self.store.table,
            spec,
            columns,
            limit,
            after,
            time=time,
            longest=self._longest if time else None,
        )
        return self.engine.query(sql, params)

    def batches(
        self,
        spec: FilterSpec,
        columns: Sequence[str] = EVENT_FRAME_COLUMNS,
        batch_rows: int = EXPORT_BATCH_ROWS,
    ) -> Iterator[pd.DataFrame]:
        """Every selected event, in date order, a batch at a time: what an export
        streams without holding the whole selection."""
        after = None
        while True:
            batch = self.rows(spec, columns, batch_rows, after)
            if batch.empty:
                return
            yield batch
            if len(batch) < batch_rows:
                return
            after = int(batch["row_id"].iloc[-1])

    def source_columns(self, row_ids: pd.Series) -> pd.DataFrame | None:
        """The file's own columns for the events ``row_ids`` (in that order), named
        as in the file; None when the dataset has none."""
        names = self.store.meta["source_columns"]
        if not names or self.store.source_columns_path is None:
            return None
        if not len(row_ids):
            return pd.DataFrame(columns=names)
        stored = [f"c{n}" for n in range(len(names))]
        sql, params = queries.source_rows(
            self.store.source_table, int(row_ids.min()), int(row_ids.max()), stored
        )
        found = self.engine.query(sql, params).set_index("row_id")
        found = found.reindex(row_ids.to_numpy())
        found.columns = names
        return found.fillna("").reset_index(drop=True)

    def event(self, event_id: str) -> dict | None:
        """One event's columns by its id, or None."""
        sql, params = queries.event(self.store.table, event_id, EVENT_FRAME_COLUMNS)
        found = self.engine.query(sql, params)
        return None if found.empty else found.iloc[0].to_dict()

    # --- summaries --------------------------------------------------------------

    def region_groups(self, spec: FilterSpec, level: str) -> pd.DataFrame:
        """The selection's counts per row of the ``level`` region table, in the
        shape :func:`imu_geo.summaries.summary_table` reads."""
        sql, params = queries.region_groups(
            self.store.table, spec, level, self._longest
        )
        found = self.engine.query(sql, params)
        for column in COUNT_COLUMNS:
            found[column] = found[column].astype("int64")
        for column in FATALITY_SUMS:
            found[column] = found[column].astype("Int64")
        for column in UNIT_KEYS:
            found[column] = found[column].astype(str)
        found["first_event"] = found["first_event"].dt.date
        found["last_event"] = found["last_event"].dt.date
        return found

    def monthly_counts(self, spec: FilterSpec) -> pd.DataFrame:
        """Events passing every filter but time, per month, layer and vagueness:
        ``start``, ``layer``, ``vague``, ``count``, ``end`` as
        :func:`imu_geo.timeline.monthly_counts` gives them."""
        sql, params = queries.monthly_counts(self.store.table, spec)
        found = self.engine.query(sql, params)
        starts = [_month_start(int(m)) for m in found["month"]]
        frame = pd.DataFrame(
            {
                "start": pd.to_datetime(starts)
                if starts
                else pd.Series(dtype="datetime64[ns]"),
                "layer": found["layer"].astype(str).to_numpy(),
                "vague": found["vague"].astype(int).to_numpy() == 1,
                "count": found["count"].astype("int64").to_numpy(),
            }
        )
        frame["end"] = frame["start"] + pd.offsets.MonthBegin(1)
        return frame[["start", "layer", "vague", "count", "end"]]

    def density(self, spec: FilterSpec, cell_deg: float) -> pd.DataFrame:
        """The selected events per grid cell of ``cell_deg`` degrees: the cell's
        west and south edges, ``events`` and the count per layer."""
        sql, params = queries.density(self.store.table, spec, cell_deg, self._longest)
        found = self.engine.query(sql, params)
        found["west"] = found["cx"].astype(float) * cell_deg
        found["south"] = found["cy"].astype(float) * cell_deg
        return found

    # --- what needs no query ------------------------------------------------------

    @property
    def months(self) -> tuple[date, ...]:
        return self.store.months

    @property
    def choices(self) -> dict[str, tuple[str, ...]]:
        return self.store.choices

    @property
    def default_spec(self) -> FilterSpec:
        return self.store.default_spec
