"""Every query of :mod:`imu_geo.engine.queries` gives the same frame on DuckDB and
on Spark.

Each function runs over real stores: the bundled atlas, 5,000 synthetic events
and an imported UCDP GED file (which has columns of its own), with selections
that exercise each filter of :class:`imu_geo.filters.FilterSpec`. Both engines
must return identical frames (values, column names, row order and types). The
events each selection's rows query returns are also held to those pandas'
:func:`imu_geo.filters.filter_mask` selects from the dataset, so the comparison
is not between two wrong or empty answers.
"""

from __future__ import annotations

import inspect
from dataclasses import replace
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from imu_geo.data import assemble_dataset, load_dataset
from imu_geo.engine import queries
from imu_geo.engine.source import EVENT_FRAME_COLUMNS
from imu_geo.filters import FilterSpec, filter_mask
from imu_geo.importers.core import import_file
from imu_geo.store import content_key, folder_key, write_store
from imu_geo.summaries import event_units
from imu_geo.synthetic import write_synthetic
from imu_geo.world import regions_for_places
from tests.conftest import DATA_DIR, PROJECT_DIR

LAYOUTS = PROJECT_DIR / "tests" / "fixtures" / "layouts"
IMPORTED = "ucdp_ged_hdx_22.csv"
SYNTHETIC_EVENTS = 5_000
VAGUE_PLACES = ("near", "district", "province", "region", "country")


def _atlas(root: Path, work: Path):
    return load_dataset(DATA_DIR), folder_key(DATA_DIR, root)


def _synthetic(root: Path, work: Path):
    folder = write_synthetic(work / "synthetic", SYNTHETIC_EVENTS, DATA_DIR, seed=3)
    return load_dataset(folder), folder_key(folder, root)


def _imported(root: Path, work: Path):
    payload = (LAYOUTS / IMPORTED).read_bytes()
    result = import_file(IMPORTED, payload)
    dataset = assemble_dataset(
        Path(IMPORTED),
        result.events,
        result.places,
        regions_for_places(result.places),
        result.source_columns,
    )
    return dataset, content_key([payload], "test-import")


DATASETS = {"atlas": _atlas, "synthetic": _synthetic, "imported": _imported}


@pytest.fixture(scope="module", params=list(DATASETS))
def stored(request, tmp_path_factory):
    """A dataset and its store, registered on both engines."""
    root = tmp_path_factory.mktemp("store")
    dataset, key = DATASETS[request.param](root, tmp_path_factory.mktemp("work"))
    store = write_store(dataset, key, root)
    return request.param, dataset, store


def _busiest_unit(dataset, store):
    """The unit of the finest level that counts the most events, found by
    pandas from the events alone (:func:`imu_geo.summaries.event_units`); None
    when the dataset has no units (this import's fixture gives it none)."""
    if not store.levels:
        return None
    level = store.levels[-1]
    units = event_units(dataset.events, dataset.places, dataset.regions, level)
    counted = units[units != ""].value_counts()
    return store.units[str(counted.index[0])] if len(counted) else None


def _units_for(dataset, spec):
    if spec.region is None:
        return None
    return event_units(
        dataset.events, dataset.places, dataset.regions, spec.region.level
    )


def selections(dataset, store) -> list[tuple[str, FilterSpec]]:
    """The default window, everything (cumulative to the end), every facet at
    once in a wide window, a text search, one region (the busiest unit of the
    finest level, over all of time and with the layers of the facets), and a
    window with nothing in it."""
    events = dataset.events
    first = events["date_start"].min().date()
    last = events["date_end"].max().date()
    default = store.default_spec
    everything = FilterSpec(start=first, end=last, mode="cumulative")
    choices = store.choices
    middle = events.sort_values("date_start").iloc[len(events) // 2]
    facets = replace(
        everything,
        mode="window",
        start=middle["date_start"].date(),
        layers=tuple(sorted(set(events["layer"]))[:2]),
        event_types=choices["types"][:3],
        actors=choices["actors"][:2],
        countries=choices["countries"][:2],
        attributions=tuple(sorted(set(events["attribution"]) - {""}))[:2],
        source_types=choices.get("source_types", ())[:2],
    )
    # A word of an event's own text, upper-cased: the search casefolds it.
    word = max(str(middle["title"] or middle["place_name"]).split(), key=len)
    searched = replace(everything, text=word.upper())
    empty = FilterSpec(start=date(1900, 1, 1), end=date(1900, 12, 31))
    unit = _busiest_unit(dataset, store)
    regional = (
        [
            ("region", replace(everything, region=unit)),
            ("regionlayers", replace(everything, region=unit, layers=facets.layers)),
        ]
        if unit is not None
        else []
    )
    return [
        ("default", default),
        ("everything", everything),
        ("facets", facets),
        ("text", searched),
        *regional,
        ("empty", empty),
    ]


def query_cases(dataset, store) -> list[tuple[str, tuple[str, dict]]]:
    """Every query function, called as the source calls it, per selection; the
    region tables of every level for the selections that spread over most
    groups."""
    table = store.table
    longest = int(store.meta.get("longest_days", 0))
    cases = []
    for label, spec in selections(dataset, store):
        cases += [
            (f"layer_counts {label}", queries.layer_counts(table, spec, longest)),
            (
                f"rows {label}",
                queries.rows(table, spec, EVENT_FRAME_COLUMNS, longest=longest),
            ),
            (f"monthly_counts {label}", queries.monthly_counts(table, spec)),
            (f"density {label}", queries.density(table, spec, 0.5, longest)),
            (
                f"place_halos {label}",
                queries.place_halos(table, spec, VAGUE_PLACES, 10_000, longest),
            ),
            (
                f"place_count {label}",
                queries.place_count(table, spec, VAGUE_PLACES, 10_000, longest),
            ),
        ]
        levels = store.levels if label in ("everything", "facets", "region") else ()
        if label == "default":
            # A store without units still has every level's columns.
            levels = store.levels[:1] or ("country",)
        for level in levels:
            cases.append(
                (
                    f"region_groups {level} {label}",
                    queries.region_groups(table, spec, level, longest),
                )
            )
    everything = selections(dataset, store)[1][1]
    cases += [
        (
            "rows a batch after a row_id",
            queries.rows(table, everything, ("event_id", "lat", "lon"), 7, after=3),
        ),
        (
            "rows without time",
            queries.rows(table, everything, ("event_id",), time=False),
        ),
        ("event", queries.event(table, dataset.events["event_id"].iloc[-1], ())),
        (
            "event with columns",
            queries.event(
                table, dataset.events["event_id"].iloc[0], EVENT_FRAME_COLUMNS
            ),
        ),
        ("event unknown", queries.event(table, "no such event", ("event_id",))),
        ("event_at first", queries.event_at(table, 0)),
        ("event_at last", queries.event_at(table, store.n_events - 1)),
        ("event_at none", queries.event_at(table, store.n_events)),
        ("totals", queries.totals(table)),
    ]
    if store.source_columns_path is not None:
        stored = [f"c{n}" for n in range(len(store.meta["source_columns"]))]
        cases.append(
            (
                "source_rows",
                queries.source_rows(store.source_table, 1, store.n_events - 2, stored),
            )
        )
    # A query that reads the same as an earlier one (the timeline's ignores the
    # window) is run once.
    distinct = {}
    for label, (sql, params) in cases:
        distinct.setdefault((sql, repr(sorted(params.items()))), (label, (sql, params)))
    return list(distinct.values())


def test_every_query_function_is_run_here(stored):
    """A query added to the module must be added to :func:`query_cases`."""
    _, dataset, store = stored
    made = {
        name
        for name, function in inspect.getmembers(queries, inspect.isfunction)
        if function.__module__ == queries.__name__
        and not name.startswith("_")
        and inspect.signature(function).return_annotation == "Query"
    }
    run = {label.split()[0] for label, _ in query_cases(dataset, store)}
    # Only a dataset with columns of its own has a source table to ask.
    unasked = set() if store.source_columns_path is not None else {"source_rows"}
    assert made - run == unasked


def test_queries_give_identical_frames_on_both_engines(
    stored, duckdb_engine, spark_engine
):
    """And the rows each selection gives are the events pandas' filter selects."""
    name, dataset, store = stored
    for engine in (duckdb_engine, spark_engine):
        engine.register(store.table, str(store.events_path))
        if store.source_columns_path is not None:
            engine.register(store.source_table, str(store.source_columns_path))
    specs = dict(selections(dataset, store))
    compared = 0
    for label, (sql, params) in query_cases(dataset, store):
        on_duckdb = duckdb_engine.query(sql, params)
        on_spark = spark_engine.query(sql, params)
        pd.testing.assert_frame_equal(on_spark, on_duckdb, obj=f"{name}: {label}")
        compared += len(on_duckdb)
        function, _, selection = label.partition(" ")
        if function == "rows" and selection in specs:
            events = dataset.events
            spec = specs[selection]
            mask = filter_mask(events, spec, _units_for(dataset, spec))
            wanted = events.loc[mask, "event_id"]
            assert sorted(on_spark["event_id"]) == sorted(wanted), label
            if selection in ("default", "everything", "region", "regionlayers"):
                assert len(wanted) > 0, label
    assert compared > 0
