"""What the pages and commands ask of a dataset, answered by the engine.

An :class:`EventSource` is a store (:mod:`imu_geo.store`) and the engine that
reads it. It holds no event rows: every answer is a query, so a session keeps
only its filters, and sessions share the store and the engine. Answers come as
pandas frames small enough to draw (a page of rows, counts per group).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date

import pandas as pd

from imu_geo.engine import queries
from imu_geo.engine.base import Engine
from imu_geo.filters import FilterSpec
from imu_geo.schema import EVENT_COLUMNS, LAYERS, SOURCE_EVENT_COLUMNS
from imu_geo.store import EVENTS_FILE, SOURCE_COLUMNS_FILE, Store
from imu_geo.summaries import GROUP_COUNTS, GROUP_SUMS, UNIT_KEYS

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
class Selection:
    """The events a spec selects: counted once, read a page at a time.

    ``len()`` is the number of events; :meth:`frame` reads them (the first
    ``limit``) from the engine only when asked.
    """

    source: EventSource
    spec: FilterSpec
    counts: dict[str, int]

    def __len__(self) -> int:
        return sum(self.counts.values())

    def frame(
        self,
        columns: Sequence[str] = (),
        limit: int | None = None,
        after: int | None = None,
    ) -> pd.DataFrame:
        """The selected events' ``columns`` (all of an event's, when none are
        named) in date order, with ``row_id``; the first ``limit`` of them, from
        the first whose ``row_id`` is above ``after`` (a page of a table)."""
        return self.source.rows(
            self.spec, tuple(columns) or self.source.columns, limit, after
        )

    def batches(
        self, columns: Sequence[str] = (), batch_rows: int = 0
    ) -> Iterator[pd.DataFrame]:
        """Every selected event, a batch at a time, in date order."""
        return self.source.batches(
            self.spec,
            tuple(columns) or self.source.columns,
            batch_rows or EXPORT_BATCH_ROWS,
        )


@dataclass(frozen=True)
class EventSource:
    """A dataset's store, read through an engine."""

    store: Store
    engine: Engine

    def __post_init__(self) -> None:
        self.engine.register(self.store.table, self.store.location(EVENTS_FILE))
        if self.store.source_columns_path is not None:
            self.engine.register(
                self.store.source_table, self.store.location(SOURCE_COLUMNS_FILE)
            )

    @property
    def columns(self) -> tuple[str, ...]:
        """An event's columns as the pages know them: those of the events file
        (with the source's own columns only when the dataset has them), then its
        place's name, point and country."""
        present = set(self.store.meta.get("event_columns", ()))
        return tuple(
            c
            for c in EVENT_FRAME_COLUMNS
            if c not in SOURCE_EVENT_COLUMNS or c in present
        )

    @property
    def kept_columns(self) -> tuple[str, ...]:
        """The names of the file's own columns kept verbatim (none for the atlas)."""
        return tuple(self.store.meta["source_columns"])

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

    def count(self, spec: FilterSpec, *, time: bool = True) -> int:
        """How many events ``spec`` selects; without ``time``, how many pass
        every filter but the time window."""
        if not time:
            spec = self.whole(spec)
        return sum(self.layer_counts(spec).values())

    def whole(self, spec: FilterSpec) -> FilterSpec:
        """``spec`` over all of time: its window widened to the whole data."""
        whole = self.default_spec
        return replace(spec, start=whole.start, end=whole.end, mode="window")

    def select(self, spec: FilterSpec) -> Selection:
        """The events ``spec`` selects, counted."""
        return Selection(self, spec, self.layer_counts(spec))

    # --- rows -----------------------------------------------------------------

    def rows(
        self,
        spec: FilterSpec,
        columns: Sequence[str] = (),
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
            tuple(columns) or self.columns,
            limit,
            after,
            time=time,
            longest=self._longest if time else None,
        )
        return self.engine.query(sql, params)

    def batches(
        self,
        spec: FilterSpec,
        columns: Sequence[str] = (),
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

    def event_id_of(self, row_id: int) -> str:
        """The id of the event at ``row_id`` ("" for none)."""
        sql, params = queries.event_at(self.store.table, int(row_id))
        found = self.engine.query(sql, params)
        return "" if found.empty else str(found["event_id"].iloc[0])

    def event(self, event_id: str) -> dict | None:
        """One event's columns by its id, or None."""
        found = self.event_rows(event_id)
        return None if found.empty else found.iloc[0].to_dict()

    def event_rows(self, event_id: str) -> pd.DataFrame:
        """The event ``event_id`` as a one-row frame (empty when there is none)."""
        sql, params = queries.event(self.store.table, event_id, self.columns)
        return self.engine.query(sql, params).drop(columns="row_id")

    # --- summaries --------------------------------------------------------------

    def region_groups(self, spec: FilterSpec, level: str) -> pd.DataFrame:
        """The selection's counts per row of the ``level`` region table, in the
        shape :func:`imu_geo.summaries.summary_table` reads."""
        sql, params = queries.region_groups(
            self.store.table, spec, level, self._longest
        )
        found = self.engine.query(sql, params)
        for column in GROUP_COUNTS:
            found[column] = found[column].astype("int64")
        for column in GROUP_SUMS:
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
        if found.empty:
            # As the pandas definition has it for no events.
            return pd.DataFrame(columns=["start", "end", "layer", "vague", "count"])
        starts = [_month_start(int(m)) for m in found["month"]]
        frame = pd.DataFrame(
            {
                "start": pd.to_datetime(starts),
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

    def place_halos(
        self, spec: FilterSpec, precisions: Sequence[str], limit: int
    ) -> pd.DataFrame:
        """The selected events' places known only to one of ``precisions``
        (bases left out), once each: ``lon``, ``lat``, ``geo_precision``,
        ``events``; at most ``limit`` of them."""
        sql, params = queries.place_halos(
            self.store.table, spec, tuple(precisions), limit, self._longest
        )
        found = self.engine.query(sql, params)
        found["events"] = found["events"].astype("int64")
        return found

    def place_count(self, spec: FilterSpec, precisions: Sequence[str], cap: int) -> int:
        """How many places :meth:`place_halos` would give, counted up to
        ``cap``: enough to know there are too many without grouping them."""
        sql, params = queries.place_count(
            self.store.table, spec, tuple(precisions), cap, self._longest
        )
        return int(self.engine.query(sql, params)["places"].iloc[0])

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
