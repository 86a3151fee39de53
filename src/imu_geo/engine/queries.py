"""Every question a page or command asks of the events, as portable SQL.

Each function returns ``(sql, params)`` for one table of the store
(:mod:`imu_geo.store`). The SQL keeps to what DuckDB and Spark SQL both read
the same way: ``SELECT``/``WHERE``/``GROUP BY``/``ORDER BY``/``LIMIT``,
``count``, ``sum``, ``min``, ``max``, ``CASE WHEN``, ``instr``, ``floor``,
``cast`` and ``IN``; values travel as ``:name`` parameters, never inside the
text. Only the table name (checked to be a plain word), the store's own
column names and whole numbers made here are written into the text. The
query tests run every function on both engines and hold them to the same
answers as pandas.

Selection rules are those of :func:`imu_geo.filters.filter_mask`: an event is in
a window when ``[date_start, date_end]`` overlaps it (cumulative: when it began
by the end), and its facets match; with a region, when the event is counted
in that unit (the store's ``<level>_status`` and ``<level>_region``, made by
:func:`imu_geo.summaries.unit_keys`). The store keeps what makes each rule one
comparison (day numbers, delimited facet keys, casefolded search text).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from imu_geo.engine.base import check_table_name
from imu_geo.facets import FACETS, Facet
from imu_geo.filters import FilterSpec
from imu_geo.layers import PRECISE_DATES
from imu_geo.schema import FATALITY_COLUMNS
from imu_geo.summaries import SUMMARY_LEVELS

Query = tuple[str, dict[str, object]]
_EPOCH = date(1970, 1, 1)


def day_number(moment: date) -> int:
    """Days since 1970-01-01, as the store's ``day_start``/``day_end``."""
    return (moment - _EPOCH).days


class _Params:
    """Collects parameter values and hands out their ``:name`` markers."""

    def __init__(self) -> None:
        self.values: dict[str, object] = {}

    def add(self, value: object) -> str:
        name = f"p{len(self.values)}"
        self.values[name] = value
        return f":{name}"

    def in_list(self, column: str, values: Sequence[object]) -> str:
        if not values:
            return "1 = 0"
        markers = ", ".join(self.add(v) for v in values)
        return f"{column} IN ({markers})"


def _where(
    spec: FilterSpec, params: _Params, *, time: bool = True, longest: int | None = None
) -> str:
    """The ``WHERE`` condition of ``spec``; without its time window when
    ``time`` is false. ``longest`` (the longest event, in days) adds a lower
    bound on ``day_start`` that a window implies, so whole row groups are
    skipped by their statistics."""
    clauses = []
    if time:
        end_day = day_number(spec.end)
        clauses.append(f"day_start <= {params.add(end_day)}")
        if spec.mode == "window":
            start_day = day_number(spec.start)
            clauses.append(f"day_end >= {params.add(start_day)}")
            if longest is not None:
                clauses.append(f"day_start >= {params.add(start_day - longest)}")
    for facet in FACETS:
        wanted = getattr(spec.facets, facet.attribute)
        if facet.filters(wanted):
            clauses.append(_facet_clause(facet, list(wanted), params))
    if spec.region is not None:
        level = spec.region.level
        if level not in SUMMARY_LEVELS:  # a column name: only the store's own
            raise ValueError(f"level must be one of {', '.join(SUMMARY_LEVELS)}")
        clauses.append(
            f"{level}_status = 'unit' AND "
            f"{level}_region = {params.add(spec.region.region_id)}"
        )
    needle = spec.text.strip().casefold()
    if needle:
        clauses.append(f"instr(search, {params.add(needle)}) > 0")
    return " AND ".join(clauses) if clauses else "1 = 1"


def _facet_clause(facet: Facet, wanted: list[str], params: _Params) -> str:
    """The condition of one facet: a multi-valued facet's keys column holds one
    of the items, delimited; else one of its columns holds one of the values."""
    if facet.separator:
        sep = facet.separator
        tests = [
            f"instr({facet.keys_column}, {params.add(sep + item + sep)}) > 0"
            for item in wanted
        ]
        return "(" + " OR ".join(tests) + ")"
    tests = [params.in_list(column, wanted) for column in facet.columns]
    return tests[0] if len(tests) == 1 else "(" + " OR ".join(tests) + ")"


def _selection(
    spec: FilterSpec, *, time: bool = True, longest: int | None = None
) -> tuple[_Params, str]:
    """Fresh parameters and the ``WHERE`` condition of ``spec`` (:func:`_where`)."""
    params = _Params()
    return params, _where(spec, params, time=time, longest=longest)


def _layer_sums() -> str:
    return ", ".join(
        f"cast(sum(CASE WHEN layer = '{layer}' THEN 1 ELSE 0 END) AS BIGINT) AS {name}"
        for layer, name in (
            ("attack", "attacks"),
            ("base", "bases"),
            ("context", "context"),
        )
    )


def layer_counts(table: str, spec: FilterSpec, longest: int | None = None) -> Query:
    """The selected events per layer: ``layer``, ``events``."""
    params, where = _selection(spec, longest=longest)
    sql = (
        f"SELECT layer, count(*) AS events FROM {check_table_name(table)} "
        f"WHERE {where} GROUP BY layer ORDER BY layer"
    )
    return sql, params.values


def rows(
    table: str,
    spec: FilterSpec,
    columns: Sequence[str],
    limit: int | None = None,
    after: int | None = None,
    *,
    time: bool = True,
    longest: int | None = None,
) -> Query:
    """The selected events' ``columns`` in date order (``row_id``), at most
    ``limit`` of them, from the first with a ``row_id`` above ``after``: a
    page of rows, or one batch of an export."""
    params, where = _selection(spec, time=time, longest=longest)
    if after is not None:
        where += f" AND row_id > {params.add(int(after))}"
    names = ", ".join(dict.fromkeys(["row_id", *columns]))
    sql = f"SELECT {names} FROM {check_table_name(table)} WHERE {where} ORDER BY row_id"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return sql, params.values


def event(table: str, event_id: str, columns: Sequence[str]) -> Query:
    """One event by its id."""
    params = _Params()
    names = ", ".join(dict.fromkeys(["row_id", *columns]))
    sql = (
        f"SELECT {names} FROM {check_table_name(table)} "
        f"WHERE event_id = {params.add(event_id)} ORDER BY row_id LIMIT 1"
    )
    return sql, params.values


def event_at(table: str, row_id: int) -> Query:
    """The id of the event at ``row_id``."""
    params = _Params()
    row = params.add(int(row_id))
    sql = f"SELECT event_id FROM {check_table_name(table)} WHERE row_id = {row}"
    return sql, params.values


def region_groups(
    table: str, spec: FilterSpec, level: str, longest: int | None = None
) -> Query:
    """The selected events per row of the ``level`` region table: the keys of
    :data:`imu_geo.summaries.UNIT_KEYS`, the counts, the fatality sums (null when
    no event of the group gives a figure), what the killed add up to and the
    events by the figure they give (:data:`imu_geo.summaries.KILLED_SUMS`,
    :data:`imu_geo.summaries.FIGURE_COUNTS`) and the first and last dates."""
    if level not in SUMMARY_LEVELS:
        raise ValueError(f"level must be one of {', '.join(SUMMARY_LEVELS)}")
    params, where = _selection(spec, longest=longest)
    sums = ", ".join(
        f"cast(sum({column}) AS BIGINT) AS {column}" for column in FATALITY_COLUMNS
    )
    # One figure per event (best, else low), and the events by the figure they
    # give: see imu_geo.summaries.KILLED_SUMS.
    best, low = "fatalities_best IS NOT NULL", "fatalities_low IS NOT NULL"
    low_only = f"fatalities_best IS NULL AND {low}"
    none = "fatalities_best IS NULL AND fatalities_low IS NULL"
    killed = (
        f"cast(sum(CASE WHEN {best} THEN fatalities_best ELSE fatalities_low END) "
        "AS BIGINT) AS killed, "
        f"cast(sum(CASE WHEN {low_only} THEN fatalities_low END) AS BIGINT) "
        "AS killed_low_only, "
        + ", ".join(
            f"cast(sum(CASE WHEN {condition} THEN 1 ELSE 0 END) AS BIGINT) AS {name}"
            for condition, name in (
                (best, "events_best"),
                (low_only, "events_low_only"),
                (none, "events_no_figure"),
            )
        )
    )
    keys = (
        f"{level}_status AS status, {level}_region AS region_id, "
        f"{level}_place AS _place, {level}_precision AS _precision"
    )
    group = f"{level}_status, {level}_region, {level}_place, {level}_precision"
    sql = (
        f"SELECT {keys}, count(*) AS events, {_layer_sums()}, {sums}, {killed}, "
        "min(date_start) AS first_event, max(date_end) AS last_event "
        f"FROM {check_table_name(table)} WHERE {where} GROUP BY {group} "
        f"ORDER BY {group}"
    )
    return sql, params.values


def monthly_counts(table: str, spec: FilterSpec) -> Query:
    """Events passing every filter but time, per month they begin in, layer and
    whether their date is vaguer than a month: ``month`` (``year * 12 + month -
    1``), ``layer``, ``vague`` (0 or 1), ``count``."""
    params, where = _selection(spec, time=False)
    precise = params.in_list("date_precision", sorted(PRECISE_DATES))
    vague = f"CASE WHEN {precise} THEN 0 ELSE 1 END"
    sql = (
        f"SELECT month, layer, {vague} AS vague, count(*) AS count "
        f"FROM {check_table_name(table)} WHERE {where} "
        f"GROUP BY month, layer, {vague} ORDER BY month, layer, vague"
    )
    return sql, params.values


def density(
    table: str, spec: FilterSpec, cell_deg: float, longest: int | None = None
) -> Query:
    """The selected events with a point, counted per grid cell of ``cell_deg``
    degrees: ``cx``, ``cy`` (the cell's column and row: ``floor(lon / cell)``,
    ``floor(lat / cell)``), ``events`` and the count per layer."""
    params, where = _selection(spec, longest=longest)
    size = params.add(float(cell_deg))
    cx = f"cast(floor(lon / {size}) AS BIGINT)"
    cy = f"cast(floor(lat / {size}) AS BIGINT)"
    sql = (
        f"SELECT {cx} AS cx, {cy} AS cy, count(*) AS events, {_layer_sums()} "
        f"FROM {check_table_name(table)} "
        f"WHERE {where} AND lat IS NOT NULL AND lon IS NOT NULL "
        f"GROUP BY {cx}, {cy} ORDER BY cx, cy"
    )
    return sql, params.values


def _vague_places(
    table: str, spec: FilterSpec, precisions: Sequence[str], longest: int | None
) -> tuple[_Params, str]:
    """Parameters and the ``FROM ... WHERE`` of the selected events that are
    not bases and whose point is known only to one of ``precisions``."""
    params, where = _selection(spec, longest=longest)
    vague = params.in_list("geo_precision", sorted(precisions))
    return params, (
        f"FROM {check_table_name(table)} "
        f"WHERE {where} AND layer <> 'base' AND {vague} "
        "AND lat IS NOT NULL AND lon IS NOT NULL"
    )


def place_halos(
    table: str,
    spec: FilterSpec,
    precisions: Sequence[str],
    limit: int,
    longest: int | None = None,
) -> Query:
    """The distinct places of the selected events that are not bases and whose
    point is known only to one of ``precisions``: ``lon``, ``lat``,
    ``geo_precision`` and how many ``events`` each, at most ``limit`` of them
    (ordered by lon, lat, precision). What the map draws one halo for."""
    params, events = _vague_places(table, spec, precisions, longest)
    sql = (
        f"SELECT lon, lat, geo_precision, count(*) AS events {events} "
        "GROUP BY lon, lat, geo_precision ORDER BY lon, lat, geo_precision "
        f"LIMIT {int(limit)}"
    )
    return sql, params.values


def place_count(
    table: str,
    spec: FilterSpec,
    precisions: Sequence[str],
    cap: int,
    longest: int | None = None,
) -> Query:
    """How many distinct places :func:`place_halos` would find, counted up to
    ``cap`` (``places``): the engine stops at ``cap`` distinct places, where
    grouping every event's own point to count them would read them all."""
    params, events = _vague_places(table, spec, precisions, longest)
    sql = (
        "SELECT count(*) AS places FROM ("
        f"SELECT DISTINCT lon, lat, geo_precision {events} "
        f"LIMIT {int(cap)}) AS capped"
    )
    return sql, params.values


def totals(table: str) -> Query:
    """How many events the table holds, and its first and last day."""
    sql = (
        "SELECT count(*) AS events, min(day_start) AS first_day, "
        f"max(day_end) AS last_day FROM {check_table_name(table)}"
    )
    return sql, {}


def source_rows(table: str, first: int, last: int, columns: Sequence[str]) -> Query:
    """The kept source columns of the events with ``row_id`` from ``first`` to
    ``last``."""
    params = _Params()
    names = ", ".join(["row_id", *columns])
    sql = (
        f"SELECT {names} FROM {check_table_name(table)} "
        f"WHERE row_id >= {params.add(int(first))} "
        f"AND row_id <= {params.add(int(last))} ORDER BY row_id"
    )
    return sql, params.values
