"""The source's own types and sub-types: a facet everywhere a facet is (filter,
index, caption, URL, sidebar), columns of the Map page's table, and the download
option for the file's own columns."""

from __future__ import annotations

import csv
import io
from datetime import date

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from imu_geo.cli import main
from imu_geo.data import combine_datasets, load_dataset
from imu_geo.filters import (
    FilterSpec,
    apply_filters,
    describe,
    facet_choices,
    full_span,
    spec_from_query,
    spec_to_query,
)
from imu_geo.importers import import_file, write_import
from imu_geo.index import build_index, facet_rows, select
from imu_geo.views import TABLE_COLUMNS, table_columns
from tests.conftest import DATA_DIR
from tests.helpers import make_events, window_caption
from tests.helpers import open_page as run_app
from tests.source_rows import ACLED_COLUMNS, ACLED_ROWS, csv_bytes

EVENTS = make_events(
    [
        {
            "event_id": "acled-1",
            "date_start": "2009-05-26",
            "date_end": "2009-05-26",
            "source_event_type": "Explosions/Remote violence",
            "source_sub_event_type": "Suicide bomb",
        },
        {
            "event_id": "acled-2",
            "date_start": "2010-01-02",
            "date_end": "2010-01-02",
            "event_type": "armed_assault",
            "source_event_type": "Battles",
            "source_sub_event_type": "Armed clash",
        },
        {
            "event_id": "acled-3",
            "date_start": "2011-03-04",
            "date_end": "2011-03-04",
            "event_type": "armed_assault",
            "source_event_type": "Battles",
            "source_sub_event_type": "",
        },
        {
            "event_id": "atlas-4",
            "date_start": "2012-01-01",
            "date_end": "2012-01-01",
            "source_event_type": "",
            "source_sub_event_type": "",
        },
    ]
)
SPAN = FilterSpec(date(2009, 5, 1), date(2012, 1, 31))


def test_the_choices_are_every_type_and_sub_type_given():
    assert facet_choices(EVENTS)["source_types"] == (
        "Armed clash",
        "Battles",
        "Explosions/Remote violence",
        "Suicide bomb",
    )
    assert facet_choices(EVENTS.drop(columns=["source_event_type"]))[
        "source_types"
    ] == ("Armed clash", "Suicide bomb")
    bundled = load_dataset(DATA_DIR).events
    assert facet_choices(bundled)["source_types"] == ()


@pytest.mark.parametrize(
    ("wanted", "ids"),
    [
        (("Battles",), ["acled-2", "acled-3"]),
        (("Suicide bomb",), ["acled-1"]),
        (("Armed clash", "Explosions/Remote violence"), ["acled-1", "acled-2"]),
        (("Riots",), []),
    ],
)
def test_an_event_is_in_when_its_type_or_sub_type_is_chosen(wanted, ids):
    spec = FilterSpec(SPAN.start, SPAN.end, source_types=wanted)
    assert apply_filters(EVENTS, spec)["event_id"].tolist() == ids
    index = build_index(EVENTS)
    assert EVENTS["event_id"].iloc[select(index, spec)].tolist() == ids
    whole = FilterSpec(date(2010, 1, 1), date(2010, 1, 31), source_types=wanted)
    assert sorted(EVENTS["event_id"].iloc[facet_rows(index, whole)]) == ids


def test_events_without_source_types_are_never_chosen_by_one():
    plain = EVENTS.drop(columns=["source_event_type", "source_sub_event_type"])
    spec = FilterSpec(SPAN.start, SPAN.end, source_types=("Battles",))
    assert apply_filters(plain, spec).empty
    assert len(select(build_index(plain), spec)) == 0


def test_the_caption_and_the_link_carry_the_facet():
    spec = FilterSpec(SPAN.start, SPAN.end, source_types=("Battles", "Suicide bomb"))
    assert describe(apply_filters(EVENTS, spec), spec) == (
        "3 events — 3 attacks, 0 bases, 0 context — from May 2009 to Jan 2012 "
        "(source types: Battles, Suicide bomb)"
    )
    default = full_span(EVENTS)
    assert (default.start, default.end) == (SPAN.start, SPAN.end)
    query = spec_to_query(spec, default)
    assert query["source_types"] == "Battles,Suicide bomb"
    back, warnings = spec_from_query(query, default, facet_choices(EVENTS))
    assert (back.source_types, warnings) == (("Battles", "Suicide bomb"), [])
    back, warnings = spec_from_query(
        {"source_types": "Battles,Riots"}, default, facet_choices(EVENTS)
    )
    assert back.source_types == ("Battles",)
    assert warnings == ["Unknown source_types in the link: Riots; ignored."]


def test_the_table_shows_the_source_types_after_ours():
    assert table_columns(EVENTS.drop(columns=["source_event_type"])) == (
        *TABLE_COLUMNS[:5],
        "source_sub_event_type",
        *TABLE_COLUMNS[5:],
    )
    assert TABLE_COLUMNS[4] == "event_type"
    assert table_columns(load_dataset(DATA_DIR).events) == TABLE_COLUMNS


def test_the_atlas_and_an_import_together_keep_their_columns(tmp_path):
    write_import(
        import_file("acled.csv", csv_bytes(ACLED_COLUMNS, ACLED_ROWS)), tmp_path
    )
    atlas, imported = load_dataset(DATA_DIR), load_dataset(tmp_path)
    both = combine_datasets(atlas, imported)
    n = len(atlas.events)
    assert len(both.events) == n + 2
    assert both.events["source_id"].tolist()[-2:] == ["UZB101", "KGZ7"]
    assert set(both.events["source_id"].iloc[:n]) == {""}
    assert both.events["source_row"].iloc[:n].isna().all()
    cells = both.source_columns["admin1"].to_numpy(dtype=object, na_value="")
    assert cells.tolist() == [""] * n + ["Andijon", "Batken"]


# --- the app --------------------------------------------------------------------

SOURCE_TYPES = {
    "acled-uzb101": ("Explosions/Remote violence", "Suicide bomb"),
    "acled-kgz7": ("Violence against civilians", "Abduction/forced disappearance"),
}


@pytest.fixture
def typed_folder(tmp_path, monkeypatch):
    """An ACLED import whose events carry the source's types, served by the app."""
    write_import(
        import_file("acled.csv", csv_bytes(ACLED_COLUMNS, ACLED_ROWS)), tmp_path
    )
    path = tmp_path / "events.csv"
    events = pd.read_csv(path, dtype=str, keep_default_na=False)
    events["source_event_type"] = [SOURCE_TYPES[i][0] for i in events["event_id"]]
    events["source_sub_event_type"] = [SOURCE_TYPES[i][1] for i in events["event_id"]]
    buffer = io.StringIO()
    events.to_csv(buffer, index=False)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    monkeypatch.setenv("IMU_GEO_DATA", str(tmp_path))
    return tmp_path


def caption(at: AppTest) -> str:
    """The caption that says what is shown, as the reader sees it (unescaped)."""
    return window_caption(at).replace("\\", "")


def test_the_facet_filters_the_view_and_goes_into_the_link(typed_folder):
    at = run_app()
    facet = at.multiselect(key="f_source_types")
    assert facet.label == "Source types"
    assert facet.options == [
        "Abduction/forced disappearance",
        "Explosions/Remote violence",
        "Suicide bomb",
        "Violence against civilians",
    ]
    assert caption(at).startswith("2 events — 2 attacks, 0 bases, 0 context")
    at = facet.select("Suicide bomb").run()
    assert caption(at) == (
        "1 event — 1 attack, 0 bases, 0 context — from Aug 1999 to May 2009 "
        "(source types: Suicide bomb)"
    )
    assert at.query_params["source_types"] == "Suicide bomb"
    table = at.dataframe[0].value
    assert table["event_id"].tolist() == ["acled-uzb101"]


def test_a_link_with_source_types_restores_the_facet(typed_folder):
    at = run_app(source_types="Violence against civilians")
    assert caption(at).startswith("1 event — 1 attack")
    assert at.multiselect(key="f_source_types").value == ["Violence against civilians"]


def test_the_table_shows_the_source_types_and_the_download_offers_the_columns(
    typed_folder,
):
    at = run_app()
    table = at.dataframe[0].value
    columns = list(table.columns)
    assert columns[columns.index("event_type") + 1 :][:2] == [
        "source_event_type",
        "source_sub_event_type",
    ]
    assert dict(
        zip(table["event_id"], table["source_sub_event_type"], strict=True)
    ) == {
        "acled-kgz7": "Abduction/forced disappearance",
        "acled-uzb101": "Suicide bomb",
    }
    assert [c.label for c in at.checkbox].count("Include the file's own columns") == 1


def test_the_atlas_has_neither_the_facet_nor_the_option():
    at = run_app()
    assert "Source types" not in [m.label for m in at.multiselect]
    assert "Include the file's own columns" not in [c.label for c in at.checkbox]
    assert "source_event_type" not in at.dataframe[0].value.columns


def test_the_shell_filters_by_source_types_too(typed_folder, tmp_path, capsys):
    out = tmp_path / "chosen.csv"
    arguments = ["--data", str(typed_folder), "--source-types", "Suicide bomb"]
    assert main(["export", *arguments, "-o", str(out)]) == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [r["event_id"] for r in rows] == ["acled-uzb101"]
    assert rows[0]["source_sub_event_type"] == "Suicide bomb"
    assert main(["summary", *arguments, "--format", "csv"]) == 0
    summary = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert sum(int(r["events"]) for r in summary) == 1
