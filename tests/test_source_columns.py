"""Nothing lost without a word: every column of an imported file is crosswalked or
kept verbatim with its event, written beside ``events.csv``, loaded back and
downloadable.

The ACLED and GTD rows are written here in those datasets' layouts (their terms
forbid redistributing their data); the UCDP GED rows are made up too.
"""

from __future__ import annotations

import csv
import io
import shutil

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imu_geo.cli import main
from imu_geo.data import load_dataset
from imu_geo.export import to_csv_bytes
from imu_geo.importers import (
    RawTable,
    import_file,
    import_table,
    write_import,
)
from imu_geo.importers.columns import KEPT
from imu_geo.importers.crosswalk import _Source
from imu_geo.source_columns import compact_text, stack
from imu_geo.validate import validate_directory

from .conftest import DATA_DIR
from .source_rows import ACLED_COLUMNS, ACLED_ROWS, csv_bytes
from .source_rows import GED_COLUMNS as UCDP_COLUMNS


def crosswalked(result) -> set[str]:
    frame = result.column_map
    return set(frame.loc[frame["what"].str.startswith("crosswalked"), "column"])


def kept(result) -> set[str]:
    frame = result.column_map
    return set(frame.loc[frame["what"] == KEPT, "column"])


def kept_cells(result) -> list[dict[str, str]]:
    frame = result.source_columns
    return [{c: frame[c].iloc[i] for c in frame.columns} for i in range(len(frame))]


# --- ACLED: the 2023+ layout with every column -----------------------------------

ACLED_CROSSWALKED = {
    "event_id_cnty",
    "event_date",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "actor2",
    "assoc_actor_2",
    "country",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "notes",
    "fatalities",
}
ACLED_KEPT = [
    {
        "year": "2009",
        "inter1": "2",
        "inter2": "1",
        "interaction": "12",
        "civilian_targeting": "",
        "iso": "860",
        "region": "Caucasus and Central Asia",
        "admin1": "Andijon",
        "admin2": " Andijon  ",
        "admin3": "",
        "source_scale": "International-National",
        "tags": 'crowd size=no report, "estimated"',
        "timestamp": "1700000000",
    },
    {
        "year": "1999",
        "inter1": "2",
        "inter2": "7",
        "interaction": "27",
        "civilian_targeting": "Civilian targeting",
        "iso": "417",
        "region": "Caucasus and Central Asia",
        "admin1": "Batken",
        "admin2": "Batken",
        "admin3": "=1+1",
        "source_scale": "International",
        "tags": "two\nlines",
        "timestamp": "1700000002",
    },
]
# A crosswalked column whose text lands, as it is, in one of our columns.
ACLED_CARRIED = [
    ("event_id_cnty", "source_id"),
    ("actor1", "actors"),
    ("assoc_actor_1", "actors"),
    ("actor2", "target"),
    ("assoc_actor_2", "target"),
    ("location", "place_name"),
    ("disorder_type", "notes"),
    ("event_type", "notes"),
    ("sub_event_type", "notes"),
    ("source", "notes"),
    ("notes", "source_quote"),
    ("fatalities", "fatalities_best"),
    ("latitude", "lat"),
    ("longitude", "lon"),
]

# --- UCDP GED -------------------------------------------------------------------

UCDP_ROWS = [
    {
        "id": "9001",
        "relid": "KGZ-1999-1-9001-1",
        "year": "1999",
        "active_year": "1",
        "code_status": "Clear",
        "type_of_violence": "1",
        "conflict_dset_id": "9100",
        "conflict_new_id": "9100",
        "conflict_name": "Uzbekistan: Government",
        "dyad_dset_id": "9200",
        "dyad_new_id": "9200",
        "dyad_name": "Government of Uzbekistan - IMU",
        "side_a_dset_id": "704",
        "side_a_new_id": "127",
        "side_a": "Government of Kyrgyzstan",
        "side_b_dset_id": "9300",
        "side_b_new_id": "9300",
        "side_b": "IMU",
        "number_of_sources": "2",
        "source_article": "Made-up wire, 1999-08-25, Troops fight rebels",
        "source_office": "Made-up wire",
        "source_date": "1999-08-25",
        "source_headline": "Troops fight rebels",
        "source_original": "troops",
        "where_prec": "4",
        "where_coordinates": "Batken province",
        "where_description": "Batken region",
        "adm_1": "Batken province",
        "adm_2": "",
        "latitude": "39.8646",
        "longitude": "70.8507",
        "geom_wkt": "POINT (70.8507 39.8646)",
        "priogrid_gid": "185622",
        "country": "Kyrgyzstan",
        "country_id": "703",
        "region": "Asia",
        "event_clarity": "1",
        "date_prec": "4",
        "date_start": "1999-08-01 00:00:00.000",
        "date_end": "1999-08-31 00:00:00.000",
        "deaths_a": "2",
        "deaths_b": "2",
        "deaths_civilians": "0",
        "deaths_unknown": "0",
        "best": "4",
        "high": "6",
        "low": "4",
    },
]
UCDP_CROSSWALKED = {
    "id",
    "type_of_violence",
    "conflict_name",
    "dyad_name",
    "side_a",
    "side_b",
    "source_article",
    "where_prec",
    "where_coordinates",
    "where_description",
    "latitude",
    "longitude",
    "country",
    "date_prec",
    "date_start",
    "date_end",
    "best",
    "high",
    "low",
}
UCDP_KEPT = [
    {
        "relid": "KGZ-1999-1-9001-1",
        "year": "1999",
        "active_year": "1",
        "code_status": "Clear",
        "conflict_dset_id": "9100",
        "conflict_new_id": "9100",
        "dyad_dset_id": "9200",
        "dyad_new_id": "9200",
        "side_a_dset_id": "704",
        "side_a_new_id": "127",
        "side_b_dset_id": "9300",
        "side_b_new_id": "9300",
        "number_of_sources": "2",
        "source_office": "Made-up wire",
        "source_date": "1999-08-25",
        "source_headline": "Troops fight rebels",
        "source_original": "troops",
        "adm_1": "Batken province",
        "adm_2": "",
        "geom_wkt": "POINT (70.8507 39.8646)",
        "priogrid_gid": "185622",
        "country_id": "703",
        "region": "Asia",
        "event_clarity": "1",
        "deaths_a": "2",
        "deaths_b": "2",
        "deaths_civilians": "0",
        "deaths_unknown": "0",
    }
]
UCDP_CARRIED = [
    ("id", "source_id"),
    ("conflict_name", "notes"),
    ("dyad_name", "notes"),
    ("where_description", "notes"),
    ("side_a", "actors"),
    ("side_b", "target"),
    ("source_article", "source_quote"),
    ("where_coordinates", "place_name"),
    ("best", "fatalities_best"),
    ("high", "fatalities_high"),
    ("low", "fatalities_low"),
]

# --- GTD ------------------------------------------------------------------------

GTD_COLUMNS = (
    "eventid,iyear,imonth,iday,approxdate,country,country_txt,region,region_txt,"
    "provstate,city,latitude,longitude,specificity,vicinity,summary,attacktype1,"
    "attacktype1_txt,attacktype2_txt,suicide,targtype1,targtype1_txt,target1,"
    "gname,gname2,gname3,weaptype1_txt,nkill,nwound,property"
).split(",")
GTD_ROWS = [
    {
        "eventid": "199902160009",
        "iyear": "1999",
        "imonth": "2",
        "iday": "16",
        "approxdate": "",
        "country": "217",
        "country_txt": "Uzbekistan",
        "region": "7",
        "region_txt": "Central Asia",
        "provstate": "Tashkent",
        "city": "Tashkent",
        "latitude": "41.311158",
        "longitude": "69.279737",
        "specificity": "1",
        "vicinity": "0",
        "summary": "Car bombs exploded in Tashkent.",
        "attacktype1": "3",
        "attacktype1_txt": "Bombing/Explosion",
        "attacktype2_txt": "Armed Assault",
        "suicide": "0",
        "targtype1": "2",
        "targtype1_txt": "Government (General)",
        "target1": "Government building",
        "gname": "Islamic Movement of Uzbekistan (IMU)",
        "gname2": "",
        "gname3": "",
        "weaptype1_txt": "Explosives",
        "nkill": "16",
        "nwound": "128",
        "property": "1",
    },
]
# attacktype1 is read only when attacktype1_txt is missing: here it is kept.
GTD_CROSSWALKED = {
    "eventid",
    "iyear",
    "imonth",
    "iday",
    "approxdate",
    "country_txt",
    "provstate",
    "city",
    "latitude",
    "longitude",
    "specificity",
    "summary",
    "attacktype1_txt",
    "suicide",
    "targtype1_txt",
    "target1",
    "gname",
    "gname2",
    "gname3",
    "nkill",
}
GTD_KEPT = [
    {
        "country": "217",
        "region": "7",
        "region_txt": "Central Asia",
        "vicinity": "0",
        "attacktype1": "3",
        "attacktype2_txt": "Armed Assault",
        "targtype1": "2",
        "weaptype1_txt": "Explosives",
        "nwound": "128",
        "property": "1",
    }
]
GTD_CARRIED = [
    ("eventid", "source_id"),
    ("provstate", "notes"),
    ("city", "place_name"),
    ("summary", "source_quote"),
    ("attacktype1_txt", "notes"),
    ("target1", "target"),
    ("gname", "actors"),
    ("nkill", "fatalities_best"),
]

CASES = {
    "acled": (
        "acled.csv",
        ACLED_COLUMNS,
        ACLED_ROWS,
        ACLED_CROSSWALKED,
        ACLED_KEPT,
        ACLED_CARRIED,
        [("UZB101", 2), ("KGZ7", 4)],
    ),
    "ucdp": (
        "ged.csv",
        UCDP_COLUMNS,
        UCDP_ROWS,
        UCDP_CROSSWALKED,
        UCDP_KEPT,
        UCDP_CARRIED,
        [("9001", 2)],
    ),
    "gtd": (
        "gtd.csv",
        GTD_COLUMNS,
        GTD_ROWS,
        GTD_CROSSWALKED,
        GTD_KEPT,
        GTD_CARRIED,
        [("199902160009", 2)],
    ),
}


@pytest.mark.parametrize("fmt", list(CASES))
def test_every_column_is_crosswalked_or_kept_cell_for_cell(fmt):
    name, columns, rows, expected_crosswalked, expected_kept, carried, ids = CASES[fmt]
    result = import_file(name, csv_bytes(columns, rows))
    assert result.format == fmt
    # One entry per column of the file, in its order.
    assert list(result.column_map["column"]) == columns
    assert crosswalked(result) == expected_crosswalked
    assert kept(result) == set(columns) - expected_crosswalked
    # The kept columns, named as in the file, in its order, cell for cell for
    # the events (the rejected ACLED row has none).
    assert list(result.source_columns.columns) == [
        c for c in columns if c not in expected_crosswalked
    ]
    assert kept_cells(result) == expected_kept
    # source_id and source_row are real columns of the events.
    events = result.events
    assert list(zip(events["source_id"], events["source_row"], strict=True)) == ids
    # What "crosswalked" claims: the text is in the events, as it was.
    by_id = {r[columns[0]]: r for r in rows}
    for event in result.events.to_dict("records"):
        source = by_id[event["source_id"]]
        for column, ours in carried:
            text = source.get(column, "").strip()
            if text:
                assert text in str(event[ours]), (column, ours, event[ours])


def test_the_map_says_what_each_column_became():
    result = import_file("acled.csv", csv_bytes(ACLED_COLUMNS, ACLED_ROWS))
    what = dict(result.column_map.itertuples(index=False, name=None))
    assert what["event_date"] == "crosswalked to date_start, date_end"
    assert what["fatalities"] == "crosswalked to fatalities_best"
    assert what["latitude"] == "crosswalked to place point"
    assert what["notes"] == "crosswalked to source_quote"
    assert what["year"] == "kept verbatim"
    assert result.column_summary() == "31 columns: 18 crosswalked, 13 kept verbatim"


def test_a_column_the_crosswalk_reads_only_as_a_fallback_is_kept_when_unused():
    without_text = [c for c in GTD_COLUMNS if c != "attacktype1_txt"]
    result = import_file("gtd.csv", csv_bytes(without_text, GTD_ROWS))
    what = dict(result.column_map.itertuples(index=False, name=None))
    assert what["attacktype1"] == (
        "crosswalked to event_type, source_event_type, title, description, notes"
    )
    assert "attacktype1" not in result.source_columns.columns
    assert result.events["event_type"].tolist() == ["bombing"]


def test_native_files_keep_their_extra_columns():
    dataset = load_dataset(DATA_DIR)
    download = pd.read_csv(
        io.BytesIO(to_csv_bytes(dataset.events.head(2))),
        dtype=str,
        keep_default_na=False,
    )
    download["analyst note"] = ["checked", "=cmd"]
    payload = download.to_csv(index=False).encode("utf-8")
    result = import_file("events.csv", payload)
    assert result.summary() == "native: 2 rows — 2 accepted, 0 repaired, 0 rejected"
    assert kept(result) == {"analyst note"}
    what = dict(result.column_map.itertuples(index=False, name=None))
    assert what["lat"] == "crosswalked to place point"
    assert what["place_name"] == "crosswalked to place name"
    assert what["event_id"] == "crosswalked to event_id, source_id"
    assert kept_cells(result) == [{"analyst note": "checked"}, {"analyst note": "=cmd"}]


def test_a_nameless_column_is_kept_under_its_place_or_said_to_be_empty():
    frame = pd.DataFrame(
        {
            "event_id_cnty": ["UZB101"],
            "event_date": ["2009-05-26"],
            "time_precision": ["1"],
            "latitude": ["40.7834"],
            "longitude": ["72.3507"],
            "geo_precision": ["1"],
            "country": ["Uzbekistan"],
            "": ["a value"],
            " ": [""],
        },
        dtype="str",
    )
    raw = RawTable("acled.csv", frame, np.array([2]))
    result = import_table(raw)
    what = dict(result.column_map.itertuples(index=False, name=None))
    assert what[""] == "kept verbatim as “column 8” (it has no name)"
    assert what[" "] == "not kept: it has no name and no value"
    assert kept_cells(result) == [{"column 8": "a value"}]
    assert result.column_summary() == (
        "9 columns: 7 crosswalked, 1 kept verbatim, 1 without a name or a value"
    )


def test_a_file_with_no_usable_row_still_maps_its_columns():
    rows = [ACLED_ROWS[1]]  # rejected
    result = import_file("acled.csv", csv_bytes(ACLED_COLUMNS, rows))
    assert result.events.empty
    assert len(result.column_map) == len(ACLED_COLUMNS)
    assert len(result.source_columns) == 0
    assert list(result.source_columns.columns) == [
        c for c in ACLED_COLUMNS if c not in ACLED_CROSSWALKED
    ]


# --- written, validated, loaded ---------------------------------------------------


def test_written_and_loaded_back_with_nothing_lost(tmp_path):
    result = import_file("acled.csv", csv_bytes(ACLED_COLUMNS, ACLED_ROWS))
    paths = write_import(result, tmp_path)
    assert {"source_columns.csv", "column_map.csv"} <= set(paths)
    with (tmp_path / "source_columns.csv").open(encoding="utf-8", newline="") as f:
        written = list(csv.reader(f))
    assert written == [
        ["event_id", *ACLED_KEPT[0]],
        ["acled-uzb101", *ACLED_KEPT[0].values()],
        ["acled-kgz7", *ACLED_KEPT[1].values()],
    ]
    with (tmp_path / "column_map.csv").open(encoding="utf-8", newline="") as f:
        column_map = list(csv.DictReader(f))
    assert [r["column"] for r in column_map] == ACLED_COLUMNS
    assert column_map[2] == {"column": "year", "what": "kept verbatim"}
    header = (tmp_path / "events.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.endswith(
        '"notes","lat","lon","place_name","country",'
        '"source_id","source_row","source_event_type","source_sub_event_type"'
    )

    assert validate_directory(tmp_path).problems == []
    dataset = load_dataset(tmp_path)
    loaded = dataset.source_columns
    assert list(loaded.columns) == list(ACLED_KEPT[0])
    assert [
        {c: loaded[c].iloc[i] for c in loaded.columns} for i in range(len(loaded))
    ] == ACLED_KEPT
    assert dataset.events["source_id"].tolist() == ["UZB101", "KGZ7"]
    assert dataset.events["source_row"].tolist() == [2, 4]
    assert str(dataset.events["source_row"].dtype) == "Int64"


def test_an_import_without_kept_columns_removes_an_old_file(tmp_path):
    write_import(
        import_file("acled.csv", csv_bytes(ACLED_COLUMNS, ACLED_ROWS)), tmp_path
    )
    assert (tmp_path / "source_columns.csv").exists()
    only = [c for c in ACLED_COLUMNS if c in ACLED_CROSSWALKED]
    write_import(import_file("acled.csv", csv_bytes(only, ACLED_ROWS)), tmp_path)
    assert not (tmp_path / "source_columns.csv").exists()
    assert validate_directory(tmp_path).problems == []
    assert load_dataset(tmp_path).source_columns is None


def test_the_bundled_atlas_has_no_source_columns():
    dataset = load_dataset(DATA_DIR)
    assert dataset.source_columns is None
    assert not (DATA_DIR / "source_columns.csv").exists()
    assert "source_id" not in dataset.events


def atlas_copy(tmp_path):
    for path in DATA_DIR.glob("*"):
        if path.is_file():
            shutil.copy(path, tmp_path / path.name)
    return tmp_path


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "id,note\n1999-02-tashkent-car-bombs,x\n",
            ["source_columns.csv, row 1: the first column must be event_id, not 'id'"],
        ),
        (
            "event_id,note,note\n",
            [
                "source_columns.csv, row 1, column note: the column appears more "
                "than once"
            ],
        ),
        (
            "event_id,,b\n",
            ["source_columns.csv, row 1: column 2 has no name"],
        ),
        (
            "event_id,note\n1999-02-tashkent-car-bombs,x\nnot-an-event,y\n"
            "1999-02-tashkent-car-bombs,z\n",
            [
                "source_columns.csv, row 3, column event_id: 'not-an-event' is not "
                "an event of events.csv",
                "source_columns.csv, row 4, column event_id: "
                "'1999-02-tashkent-car-bombs' is a duplicate of row 2",
            ],
        ),
        (
            'event_id,note\n1999-02-tashkent-car-bombs,x\n"a\nb",1,2\n',
            ["source_columns.csv, row 3: has 3 fields where the header has 2"],
        ),
        ("", ["source_columns.csv: is empty"]),
    ],
)
def test_the_validator_checks_source_columns_csv(tmp_path, text, expected):
    atlas_copy(tmp_path)
    (tmp_path / "source_columns.csv").write_text(text, encoding="utf-8")
    problems = [str(p) for p in validate_directory(tmp_path).problems]
    assert problems == expected


def test_source_columns_csv_must_be_utf8(tmp_path):
    atlas_copy(tmp_path)
    (tmp_path / "source_columns.csv").write_bytes(b"event_id,note\nx,\xff\n")
    assert [str(p) for p in validate_directory(tmp_path).problems] == [
        "source_columns.csv: is not UTF-8 text (undecodable byte at offset 16)"
    ]


@pytest.mark.parametrize("value", ["0", "x", "-2", "1.5"])
def test_source_row_is_a_row_number(tmp_path, value):
    atlas_copy(tmp_path)
    events = pd.read_csv(tmp_path / "events.csv", dtype=str, keep_default_na=False)
    events["source_id"] = "abc"
    events["source_row"] = ["7"] * len(events)
    events.loc[3, "source_row"] = value
    events.to_csv(tmp_path / "events.csv", index=False)
    assert [str(p) for p in validate_directory(tmp_path).problems] == [
        f"events.csv, row 5, column source_row: {value!r} is not a row number "
        "(a whole number from 1)"
    ]


def test_events_csv_still_refuses_other_columns(tmp_path):
    atlas_copy(tmp_path)
    events = pd.read_csv(tmp_path / "events.csv", dtype=str, keep_default_na=False)
    events["source_type"] = ""
    events.to_csv(tmp_path / "events.csv", index=False)
    assert [str(p) for p in validate_directory(tmp_path).problems] == [
        "events.csv, row 1: unknown columns: source_type"
    ]


def test_a_partial_source_columns_file_leaves_other_events_empty(tmp_path):
    atlas_copy(tmp_path)
    (tmp_path / "source_columns.csv").write_text(
        'event_id,note\n"1999-02-tashkent-car-bombs","from the file"\n',
        encoding="utf-8",
    )
    assert validate_directory(tmp_path).problems == []
    dataset = load_dataset(tmp_path)
    notes = dict(
        zip(
            dataset.events["event_id"],
            dataset.source_columns["note"].to_numpy(dtype=object, na_value=""),
            strict=True,
        )
    )
    assert notes["1999-02-tashkent-car-bombs"] == "from the file"
    assert {v for k, v in notes.items() if k != "1999-02-tashkent-car-bombs"} == {""}


# --- storage -----------------------------------------------------------------------


def test_compact_text_keeps_every_value_and_codes_repeated_ones():
    repeated = compact_text(pd.Series(["a", "b", "a", "a", "", None]))
    assert repeated.tolist() == ["a", "b", "a", "a", "", ""]
    assert "dictionary" in str(repeated.dtype)
    distinct = compact_text(["x", "y", "z"])
    assert distinct.tolist() == ["x", "y", "z"]
    assert "dictionary" not in str(distinct.dtype)


def test_stacking_fills_what_a_dataset_lacks_with_empty_cells():
    first = pd.DataFrame({"a": compact_text(["1", "1", "2"])})
    second = pd.DataFrame(
        {"b": compact_text(["x", "y"]), "a": compact_text(["3", "4"])}
    )
    stacked = stack([(first, 3), (None, 2), (second, 2)])
    assert list(stacked.columns) == ["a", "b"]
    cells = {c: stacked[c].to_numpy(dtype=object, na_value="").tolist() for c in "ab"}
    assert cells == {
        "a": ["1", "1", "2", "", "", "3", "4"],
        "b": ["", "", "", "", "", "x", "y"],
    }
    assert stack([(None, 3), (None, 1)]) is None


# --- downloads ---------------------------------------------------------------------


def test_the_download_adds_the_kept_columns_with_a_prefix(tmp_path):
    result = import_file("acled.csv", csv_bytes(ACLED_COLUMNS, ACLED_ROWS))
    write_import(result, tmp_path)
    dataset = load_dataset(tmp_path)
    plain = to_csv_bytes(dataset.events)
    full = to_csv_bytes(dataset.events, dataset.source_columns)
    records = list(csv.DictReader(io.StringIO(full.decode("utf-8"), newline="")))
    plain_records = list(csv.DictReader(io.StringIO(plain.decode("utf-8"), newline="")))
    assert list(records[0])[: len(plain_records[0])] == list(plain_records[0])
    assert list(records[0])[len(plain_records[0]) :] == [
        f"source:{c}" for c in ACLED_KEPT[0]
    ]
    assert list(plain_records[0])[-4:] == [
        "source_id",
        "source_row",
        "source_event_type",
        "source_sub_event_type",
    ]
    assert (records[1]["source_id"], records[1]["source_row"]) == ("KGZ7", "4")
    # Cells verbatim, but a formula is neutralised as in every download.
    assert records[0]["source:admin2"] == " Andijon  "
    assert records[0]["source:tags"] == 'crowd size=no report, "estimated"'
    assert records[1]["source:admin3"] == "'=1+1"
    assert records[1]["source:tags"] == "two\nlines"


def test_export_with_source_columns_gives_the_download_bytes(tmp_path):
    data = tmp_path / "data"
    result = import_file("acled.csv", csv_bytes(ACLED_COLUMNS, ACLED_ROWS))
    write_import(result, data)
    out = tmp_path / "export.csv"
    code = main(
        [
            "export",
            "--data",
            str(data),
            "--source-columns",
            "--end",
            "2000-12-31",
            "-o",
            str(out),
        ]
    )
    assert code == 0
    dataset = load_dataset(data)
    # Only the Batken event (1999) is in the window; it is the second row.
    expected = to_csv_bytes(
        dataset.events.iloc[[1]].reset_index(drop=True),
        dataset.source_columns.iloc[[1]],
    )
    assert out.read_bytes() == expected
    lines = expected.decode("utf-8").split("\r\n")
    assert lines[0].endswith(",source:tags,source:timestamp")
    assert '"two\nlines",1700000002' in expected.decode("utf-8")
    # Without the option: our columns only.
    assert main(["export", "--data", str(data), "-o", str(out)]) == 0
    header = out.read_bytes().split(b"\r\n")[0].decode("utf-8")
    assert header.endswith(
        ",place_name,source_id,source_row,source_event_type,source_sub_event_type"
    )


# --- any extra columns, any text ------------------------------------------------

# Other tools' markers for an empty cell, which the reader may read as empty.
EMPTY_MARKERS = {"na", "n/a", "null", "none", "nan", "#n/a"}
NAMES = (
    st.text(
        alphabet=st.characters(
            whitelist_categories=("Lu", "Ll", "Lo", "Nd"), whitelist_characters=" _-."
        ),
        min_size=1,
        max_size=12,
    )
    .map(str.strip)
    .filter(bool)
)
CELLS = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs", "Cc"), blacklist_characters="\u2028\u2029\x85"
    )
    | st.sampled_from(["\n", "\t", '"', ",", "=", " "]),
    max_size=15,
).filter(lambda text: text.strip().lower() not in EMPTY_MARKERS)


@st.composite
def extra_columns(draw):
    taken = {c.lower() for c in ACLED_COLUMNS}
    names = []
    for name in draw(st.lists(NAMES, min_size=1, max_size=5)):
        if name.lower() not in taken:
            taken.add(name.lower())
            names.append(name)
    n_rows = draw(st.integers(1, 3))
    cells = [[draw(CELLS) for _ in names] for _ in range(n_rows)]
    return names, cells


@settings(max_examples=30, deadline=None)
@given(extra_columns())
def test_any_extra_column_is_kept_cell_for_cell(extra):
    names, cells = extra
    columns = [*ACLED_COLUMNS, *names]
    rows = [
        ACLED_ROWS[0]
        | {"event_id_cnty": f"UZB{900 + i}"}
        | dict(zip(names, values, strict=True))
        for i, values in enumerate(cells)
    ]
    result = import_file("acled.csv", csv_bytes(columns, rows))
    assert result.n_rejected == 0
    assert list(result.column_map["column"]) == columns
    assert crosswalked(result) == ACLED_CROSSWALKED
    kept_frame = result.source_columns
    assert list(kept_frame.columns)[-len(names) :] == names
    got = [[kept_frame[n].iloc[i] for n in names] for i in range(len(cells))]
    assert got == cells


@pytest.mark.parametrize("fmt", list(CASES))
def test_every_column_the_rules_read_is_in_the_table(monkeypatch, fmt):
    """A column a crosswalk reads but columns.csv does not name would be called
    kept: nothing lost, but the map would not say where it went."""
    read: set[str] = set()
    original = _Source.get

    def noting(self, column):
        values = original(self, column)
        read.update(self.read)
        return values

    monkeypatch.setattr(_Source, "get", noting)
    name, columns, rows, *_ = CASES[fmt]
    result = import_file(name, csv_bytes(columns, rows))
    assert read
    assert read <= crosswalked(result)
