"""The engine's answers against pandas: the plain definitions are the oracle.

Every question a page asks per step (counts per layer, rows in date order,
region tables, monthly counts, grid cells, export batches) is put to a store
through the engine and compared with the same question answered in pandas by
:func:`imu_geo.filters.apply_filters`, :func:`imu_geo.summaries.summarise` and
:func:`imu_geo.timeline.monthly_counts` over the loaded events. The atlas and
a synthetic dataset of a few thousand events with an upload's source columns
are both used.
"""

from __future__ import annotations

import math
import shutil
from dataclasses import replace
from datetime import date

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imu_geo.data import BUNDLED_DATA_DIR, assemble_dataset, load_dataset
from imu_geo.engine.duckdb import DuckDBEngine
from imu_geo.engine.source import EventSource
from imu_geo.filters import FilterSpec, apply_filters, full_span
from imu_geo.method import vocabulary_tables
from imu_geo.store import VOCABULARIES_FILE, content_key, open_store, write_store
from imu_geo.summaries import event_units, summarise, summary_table
from imu_geo.synthetic import synthetic_events, synthetic_places
from imu_geo.timeline import monthly_counts

ENGINE = DuckDBEngine()


@pytest.fixture(scope="module")
def atlas(tmp_path_factory):
    dataset = load_dataset(BUNDLED_DATA_DIR)
    root = tmp_path_factory.mktemp("stores")
    store = write_store(dataset, content_key([b"atlas"]), root)
    return dataset, EventSource(store, ENGINE)


@pytest.fixture(scope="module")
def many(tmp_path_factory):
    places = synthetic_places(BUNDLED_DATA_DIR, seed=3)
    raw = synthetic_events(places, 3_000, seed=3).astype(str)
    raw = raw.replace({"<NA>": "", "nan": ""})
    regions = load_dataset(BUNDLED_DATA_DIR).regions
    dataset = assemble_dataset(BUNDLED_DATA_DIR, raw, places, regions)
    root = tmp_path_factory.mktemp("stores")
    store = write_store(dataset, content_key([b"many"]), root)
    return dataset, EventSource(store, ENGINE)


SPECS = [
    {"start": date(1999, 1, 1), "end": date(2004, 12, 31)},
    {"start": date(2001, 9, 1), "end": date(2001, 12, 31)},
    {"start": date(1991, 1, 1), "end": date(2015, 12, 31)},
    {"start": date(2009, 1, 1), "end": date(2009, 1, 31), "mode": "cumulative"},
    {"start": date(1999, 1, 1), "end": date(2004, 12, 31), "layers": ("attack",)},
    {"start": date(1999, 1, 1), "end": date(2015, 12, 31), "layers": ()},
    {
        "start": date(1991, 1, 1),
        "end": date(2015, 12, 31),
        "event_types": ("group_base",),
    },
    {"start": date(1991, 1, 1), "end": date(2015, 12, 31), "actors": ("IMU",)},
    {"start": date(1991, 1, 1), "end": date(2015, 12, 31), "countries": ("Pakistan",)},
    {
        "start": date(1991, 1, 1),
        "end": date(2015, 12, 31),
        "attributions": ("claimed",),
    },
    {"start": date(1991, 1, 1), "end": date(2015, 12, 31), "text": "  TASHKENT "},
    {"start": date(1991, 1, 1), "end": date(2015, 12, 31), "text": "100%_"},
]


def _oracle(dataset, spec):
    return apply_filters(dataset.events, spec)


@pytest.mark.parametrize("which", ["atlas", "many"])
@pytest.mark.parametrize("spec_args", SPECS)
def test_counts_and_rows_equal_pandas(which, spec_args, request):
    dataset, source = request.getfixturevalue(which)
    spec = FilterSpec(**spec_args)
    expected = _oracle(dataset, spec)
    counts = source.layer_counts(spec)
    assert counts == {
        layer: int((expected["layer"] == layer).sum())
        for layer in ("attack", "base", "context")
    }
    assert source.count(spec) == len(expected)
    rows = source.rows(spec)
    assert list(rows["event_id"]) == list(expected["event_id"])
    assert list(rows["title"]) == list(expected["title"])
    assert rows["fatalities_best"].tolist() == expected["fatalities_best"].tolist()
    assert rows["lat"].fillna(-999).tolist() == expected["lat"].fillna(-999).tolist()


@pytest.mark.parametrize("which", ["atlas", "many"])
@pytest.mark.parametrize("level", ["country", "admin1", "valley"])
@pytest.mark.parametrize("spec_args", SPECS[:4] + SPECS[7:9])
def test_region_tables_equal_pandas(which, level, spec_args, request):
    dataset, source = request.getfixturevalue(which)
    spec = FilterSpec(**spec_args)
    expected = summarise(_oracle(dataset, spec), dataset.places, dataset.regions, level)
    found = summary_table(
        source.region_groups(spec, level),
        source.store.places,
        source.store.regions,
        level,
    )
    pd.testing.assert_frame_equal(found, expected, check_dtype=False)
    assert int(found["events"].sum()) == source.count(spec)


@pytest.mark.parametrize("which", ["atlas", "many"])
@pytest.mark.parametrize("spec_args", SPECS)
def test_monthly_counts_equal_pandas(which, spec_args, request):
    dataset, source = request.getfixturevalue(which)
    spec = FilterSpec(**spec_args)
    whole = full_span(dataset.events)
    everywhen = replace(spec, start=whole.start, end=whole.end, mode="window")
    expected = monthly_counts(_oracle(dataset, everywhen)).reset_index(drop=True)
    found = source.monthly_counts(spec)
    pd.testing.assert_frame_equal(found, expected, check_dtype=False)


@pytest.mark.parametrize("cell", [0.25, 1.0, 5.0])
def test_grid_cells_count_every_located_event_once(many, cell):
    dataset, source = many
    spec = FilterSpec(start=date(1995, 1, 1), end=date(2010, 12, 31))
    expected = _oracle(dataset, spec).dropna(subset=["lat", "lon"])
    cells = source.density(spec, cell)
    assert int(cells["events"].sum()) == len(expected)
    # Each event in the cell its coordinates fall in, counted by hand.
    by_hand = (
        expected.assign(
            cx=[math.floor(x / cell) for x in expected["lon"]],
            cy=[math.floor(y / cell) for y in expected["lat"]],
        )
        .groupby(["cx", "cy"])
        .size()
        .to_dict()
    )
    assert {
        (int(x), int(y)): int(n)
        for x, y, n in zip(cells["cx"], cells["cy"], cells["events"], strict=True)
    } == by_hand
    assert (cells["attacks"] + cells["bases"] + cells["context"]).equals(
        cells["events"]
    )


VAGUE = ("near", "district", "province", "region", "country")


@pytest.mark.parametrize("which", ["atlas", "many"])
@pytest.mark.parametrize("spec_args", SPECS)
def test_place_halos_are_the_vague_places_pandas_finds(which, spec_args, request):
    dataset, source = request.getfixturevalue(which)
    spec = FilterSpec(**spec_args)
    expected = _oracle(dataset, spec)
    expected = expected[
        (expected["layer"] != "base")
        & expected["geo_precision"].isin(VAGUE)
        & expected["lat"].notna()
        & expected["lon"].notna()
    ]
    by_hand = {
        (float(lon), float(lat), str(precision)): int(n)
        for (lon, lat, precision), n in expected.groupby(
            ["lon", "lat", "geo_precision"]
        )
        .size()
        .items()
    }
    found = source.place_halos(spec, VAGUE, 100_000)
    assert {
        (float(lon), float(lat), str(p)): int(n)
        for lon, lat, p, n in zip(
            found["lon"],
            found["lat"],
            found["geo_precision"],
            found["events"],
            strict=True,
        )
    } == by_hand
    # Counted up to a cap, the same places.
    for cap in (1, 2, len(by_hand), len(by_hand) + 1):
        assert source.place_count(spec, VAGUE, cap) == min(cap, len(by_hand))
    # At most ``limit`` places, the first ones in (lon, lat, precision) order.
    if len(by_hand) > 2:
        first = source.place_halos(spec, VAGUE, 2)
        assert [
            (float(x), float(y), str(p))
            for x, y, p in zip(
                first["lon"], first["lat"], first["geo_precision"], strict=True
            )
        ] == sorted(by_hand)[:2]


def test_place_halos_keep_only_the_precisions_asked(many):
    dataset, source = many
    spec = FilterSpec(start=date(1991, 1, 1), end=date(2015, 12, 31))
    found = source.place_halos(spec, ("province",), 100_000)
    expected = _oracle(dataset, spec)
    expected = expected[
        (expected["layer"] != "base")
        & (expected["geo_precision"] == "province")
        & expected["lat"].notna()
    ]
    assert set(found["geo_precision"]) <= {"province"}
    assert int(found["events"].sum()) == len(expected)
    assert len(found) == len(expected.drop_duplicates(["lon", "lat"]))


@pytest.mark.parametrize("batch_rows", [1, 7, 1000, 100_000])
def test_batches_give_every_row_once_in_order(many, batch_rows):
    dataset, source = many
    spec = FilterSpec(start=date(1999, 1, 1), end=date(2004, 12, 31))
    batches = list(source.batches(spec, ("event_id",), batch_rows))
    joined = pd.concat(batches, ignore_index=True)
    assert list(joined["event_id"]) == list(_oracle(dataset, spec)["event_id"])
    assert all(len(b) <= batch_rows for b in batches)


def test_one_event_by_id_and_by_row(atlas):
    dataset, source = atlas
    first = dataset.events.sort_values(["date_start", "date_end", "event_id"]).iloc[0]
    assert source.event_id_of(0) == first["event_id"]
    found = source.event(first["event_id"])
    assert found["title"] == first["title"]
    assert source.event("no-such-event") is None
    assert source.event_id_of(10**9) == ""


def test_choices_and_span_come_from_the_store_without_a_query(atlas):
    dataset, source = atlas
    assert source.default_spec == full_span(dataset.events)
    assert "IMU" in source.choices["actors"]
    assert source.months[0] == date(1991, 1, 1)


def test_a_store_is_reused_and_another_format_is_not(atlas, tmp_path):
    dataset, source = atlas
    key = source.store.key
    assert open_store(key, source.store.path.parent).meta == source.store.meta
    assert open_store("0" * 20, source.store.path.parent) is None


def test_a_store_reads_its_vocabularies_once(atlas, tmp_path):
    dataset, source = atlas
    copy = tmp_path / source.store.key
    shutil.copytree(source.store.path, copy)
    store = open_store(source.store.key, tmp_path)
    first = store.vocabularies
    expected = vocabulary_tables(dataset.events)
    assert first.keys() == expected.keys()
    for column, table in expected.items():
        pd.testing.assert_frame_equal(first[column], table, check_dtype=False)
    # The page asks at every run; the file is not read again.
    (copy / VOCABULARIES_FILE).unlink()
    assert store.vocabularies is first


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    first=st.dates(date(1990, 1, 1), date(2016, 12, 31)),
    days=st.integers(0, 4000),
    cumulative=st.booleans(),
    layers=st.sets(st.sampled_from(["attack", "base", "context"])),
    text=st.sampled_from(["", "a", "IMU", "kabul", "x y", "%", "'"]),
)
def test_random_specs_count_as_pandas(many, first, days, cumulative, layers, text):
    dataset, source = many
    end = date.fromordinal(min(first.toordinal() + days, date(2017, 1, 1).toordinal()))
    spec = FilterSpec(
        start=first,
        end=end,
        mode="cumulative" if cumulative else "window",
        layers=tuple(sorted(layers)),
        text=text,
    )
    expected = _oracle(dataset, spec)
    assert source.count(spec) == len(expected)


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (["Tashkent", "IMU"], "tashkent imu"),
        (["Straße", "ǅemal"], "strasse ǆemal"),
        (["ΣΟΦΟΣ", ""], "σοφοσ "),
        (["ﬁre", "İ"], "fire i̇"),
    ],
)
def test_search_text_is_casefolded_as_python_does(cells, expected):
    from imu_geo.filters import SEARCH_COLUMNS
    from imu_geo.store import search_text

    # Every row twice, in two Arrow-backed chunks' worth of rows.
    columns = {c: [""] * 4 for c in SEARCH_COLUMNS}
    columns[SEARCH_COLUMNS[0]] = [cells[0]] * 4
    columns[SEARCH_COLUMNS[1]] = [cells[1]] * 4
    frame = pd.DataFrame(columns, dtype="str")
    found = search_text(frame).to_pylist()
    tail = " " * (len(SEARCH_COLUMNS) - 2)
    assert found == [expected + tail] * 4
    assert found[0] == " ".join(frame.iloc[0]).casefold()


def test_the_engine_reads_a_store_where_the_store_url_says(atlas, monkeypatch):
    _, source = atlas
    store = source.store
    assert store.location("events.parquet") == str(store.path / "events.parquet")
    monkeypatch.setenv("IMU_GEO_STORE_URL", "s3a://bucket/imu-geo/")
    assert store.location("events.parquet") == (
        f"s3a://bucket/imu-geo/{store.key}/events.parquet"
    )


@pytest.mark.parametrize("which", ["atlas", "many"])
@pytest.mark.parametrize("region_id", ["UZ", "AF", "UZ-TK", "PK-TA", "ferghana_valley"])
@pytest.mark.parametrize("spec_args", [SPECS[0], SPECS[2], SPECS[4]])
def test_a_region_selects_as_pandas(which, region_id, spec_args, request):
    """The engine's region filter against each event's unit found by pandas."""
    dataset, source = request.getfixturevalue(which)
    unit = source.store.units[region_id]
    spec = FilterSpec(**spec_args, region=unit)
    units = event_units(dataset.events, dataset.places, dataset.regions, unit.level)
    expected = apply_filters(dataset.events, spec, units)
    assert list(source.rows(spec)["event_id"]) == list(expected["event_id"])
    assert source.count(spec) == len(expected)
    for level in ("country", "admin1", "valley"):
        found = summary_table(
            source.region_groups(spec, level),
            source.store.places,
            source.store.regions,
            level,
        )
        pd.testing.assert_frame_equal(
            found,
            summarise(expected, dataset.places, dataset.regions, level),
            check_dtype=False,
        )
