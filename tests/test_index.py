"""The time index selects exactly what the plain mask selects, in the same order."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from imu_geo.data import BUNDLED_DATA_DIR, assemble_dataset, load_dataset
from imu_geo.filters import FilterSpec, apply_filters, describe, describe_counts
from imu_geo.index import build_index, facet_rows, layer_counts, select
from imu_geo.schema import ATTRIBUTIONS, LAYERS
from imu_geo.synthetic import synthetic_events, synthetic_places


@pytest.fixture(scope="module")
def atlas():
    return load_dataset(BUNDLED_DATA_DIR).events


@pytest.fixture(scope="module")
def synthetic():
    places = synthetic_places(BUNDLED_DATA_DIR, seed=1)
    raw = synthetic_events(places, 20_000, seed=1)
    atlas = load_dataset(BUNDLED_DATA_DIR)
    return assemble_dataset(
        BUNDLED_DATA_DIR, raw, places.drop(columns="hub"), atlas.regions
    ).events


def _same(events, spec):
    index = build_index(events)
    rows = select(index, spec)
    expected = apply_filters(events, spec)
    got = index.events.iloc[rows].reset_index(drop=True)
    assert list(got["event_id"]) == list(expected["event_id"])
    return rows, index


ATLAS_SPECS = [
    FilterSpec(date(1991, 1, 1), date(2015, 12, 31)),
    FilterSpec(date(1999, 1, 1), date(1999, 12, 31)),
    FilterSpec(date(1999, 2, 1), date(1999, 2, 28)),
    FilterSpec(date(2009, 1, 1), date(2015, 12, 31), layers=("base",)),
    FilterSpec(date(1991, 1, 1), date(2001, 12, 31), mode="cumulative"),
    FilterSpec(date(1991, 1, 1), date(2015, 12, 31), event_types=("bombing",)),
    FilterSpec(date(1991, 1, 1), date(2015, 12, 31), actors=("Taliban",)),
    FilterSpec(date(1991, 1, 1), date(2015, 12, 31), countries=("KG", "TJ")),
    FilterSpec(date(1991, 1, 1), date(2015, 12, 31), attributions=("claimed",)),
    FilterSpec(date(1991, 1, 1), date(2015, 12, 31), text="tashkent"),
    FilterSpec(date(1991, 1, 1), date(2015, 12, 31), layers=()),
    FilterSpec(date(2030, 1, 1), date(2030, 12, 31)),
]


@pytest.mark.parametrize("spec", ATLAS_SPECS)
def test_the_atlas_selection_matches_the_mask(atlas, spec):
    rows, _ = _same(atlas, spec)
    if spec.start.year < 2030 and spec.layers:
        assert len(rows) > 0  # each case selects something real


def test_random_selections_of_synthetic_events_match_the_mask(synthetic):
    rng = np.random.default_rng(5)
    index = build_index(synthetic)
    for _ in range(60):
        first = date(int(rng.integers(1991, 2016)), int(rng.integers(1, 13)), 1)
        months = int(rng.integers(1, 60))
        last = (pd.Timestamp(first) + pd.DateOffset(months=months)).date()
        spec = FilterSpec(
            first,
            last,
            mode=str(rng.choice(["window", "cumulative"])),
            layers=tuple(x for x in LAYERS if rng.random() < 0.8),
            attributions=tuple(x for x in ATTRIBUTIONS if rng.random() < 0.3),
            actors=("Taliban",) if rng.random() < 0.3 else (),
            text=str(rng.choice(["event 12", "SYNTHETIC EVENT 7", "nothing"]))
            if rng.random() < 0.1
            else "",
        )
        rows = select(index, spec)
        expected = apply_filters(synthetic, spec)
        assert list(index.events["event_id"].iloc[rows]) == list(expected["event_id"])


def test_counts_and_words_agree_with_describe(synthetic):
    spec = FilterSpec(date(2001, 1, 1), date(2004, 12, 31))
    index = build_index(synthetic)
    rows = select(index, spec)
    counts = layer_counts(index, rows)
    assert sum(counts.values()) == len(rows) > 1000
    assert describe_counts(len(rows), counts, spec) == describe(
        apply_filters(synthetic, spec), spec
    )


def test_facet_rows_ignore_time_only(synthetic):
    index = build_index(synthetic)
    spec = FilterSpec(date(2001, 1, 1), date(2001, 1, 31), layers=("attack",))
    rows = facet_rows(index, spec)
    assert len(rows) == int((synthetic["layer"] == "attack").sum())
