"""The gazetteer (``imu_geo.importers.places.gazetteer``): places built from
``places.geojson`` features and ``gazetteer.csv`` rows written in the test, the
tiers a name is found by, lookups within a country, the files of a data
directory, and country names and codes. Every expected value is written out
by hand from the rules in the module's docstrings and ``tables/*.csv``."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pytest
import shapely

from imu_geo.importers.places import gazetteer
from imu_geo.importers.places.gazetteer import (
    Gazetteer,
    _country_code,
    _country_label,
    load_countries,
    load_gazetteer,
    world_country_codes,
)

POINT = {"type": "Point", "coordinates": [69.21627, 41.26452]}
# A square of 2 by 2 degrees: its representative point is inside it.
SQUARE = {
    "type": "Polygon",
    "coordinates": [
        [[70.0, 40.0], [72.0, 40.0], [72.0, 42.0], [70.0, 42.0], [70.0, 40.0]]
    ],
}


def feature(geometry=POINT, **properties) -> dict:
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def row(**cells) -> dict:
    base = {
        "name": "Osh",
        "alt_names": "",
        "lat": "40.52828",
        "lon": "72.79853",
        "kind": "city",
        "country_iso2": "KG",
        "source_1": "GeoNames",
    }
    return base | cells


COLUMNS = [
    "ref",
    "place_id",
    "name",
    "alt_names",
    "kind",
    "country",
    "admin1",
    "precision",
    "lon",
    "lat",
    "geometry",
    "geometry_source",
]


def test_a_bundled_place_keeps_its_properties_and_its_point():
    built = Gazetteer.build(
        [
            feature(
                place_id="tashkent",
                name="Tashkent",
                alt_names="Toshkent|Taschkent",
                kind="city",
                country="UZ",
                admin1="UZ-TK",
                geometry_source="GeoNames",
            )
        ],
        [],
    )
    assert list(built.places.columns) == COLUMNS
    record = built.places.iloc[0].to_dict()
    geometry = record.pop("geometry")
    assert record == {
        "ref": "bundled:tashkent",
        "place_id": "tashkent",
        "name": "Tashkent",
        "alt_names": "Toshkent|Taschkent",
        "kind": "city",
        "country": "UZ",
        "admin1": "UZ-TK",
        "precision": "near",
        "lon": 69.2163,
        "lat": 41.2645,
        "geometry_source": "GeoNames",
    }
    assert geometry.equals(shapely.Point(69.21627, 41.26452))
    # Name and place_id at tier 1, each alternative at tier 3.
    assert dict(built.index) == {
        "tashkent": ((1, 0),),
        "toshkent": ((3, 0),),
        "taschkent": ((3, 0),),
    }


def test_a_bundled_area_is_placed_at_a_point_inside_it():
    built = Gazetteer.build(
        [feature(SQUARE, place_id="fergana", name="Fergana Valley", kind="valley")],
        [],
    )
    record = built.places.iloc[0]
    assert record["kind"] == "valley"
    assert record["precision"] == "region"
    assert 70.0 < record["lon"] < 72.0
    assert 40.0 < record["lat"] < 42.0
    assert round(record["lon"], 4) == record["lon"]
    assert round(record["lat"], 4) == record["lat"]
    assert record["geometry"].equals(shapely.box(70.0, 40.0, 72.0, 42.0))
    # Missing properties are empty texts.
    assert (record["alt_names"], record["country"], record["admin1"]) == ("", "", "")
    assert record["geometry_source"] == ""
    assert dict(built.index) == {
        "fergana valley": ((1, 0),),
        "fergana": ((1, 0),),
    }


def test_a_bundled_place_without_a_name_or_a_place_id_has_them_empty():
    built = Gazetteer.build(
        [
            feature(place_id="no-name", kind="city"),
            feature(name="No Id", kind="city"),
        ],
        [],
    )
    assert built.places[["ref", "place_id", "name"]].values.tolist() == [
        ["bundled:no-name", "no-name", ""],
        ["bundled:", "", "No Id"],
    ]
    # normalise_name: a hyphen is a space.
    assert dict(built.index) == {"no name": ((1, 0),), "no id": ((1, 1),)}


# Features that cannot place anything: no geometry, no kind, a kind the table
# does not know, no properties at all.
LEFT_OUT = [
    feature(None, place_id="a", name="A", kind="city"),
    feature(place_id="b", name="B"),
    feature(place_id="c", name="C", kind="mountain"),
    {"type": "Feature", "properties": None, "geometry": POINT},
    feature(place_id="d", name="D", kind=""),
]


@pytest.mark.parametrize("left_out", LEFT_OUT)
def test_a_feature_that_cannot_place_anything_is_left_out(left_out):
    kept = feature(place_id="k", name="Kept", kind="city")
    built = Gazetteer.build([left_out, kept], [])
    assert built.places["ref"].tolist() == ["bundled:k"]
    assert dict(built.index) == {"kept": ((1, 0),), "k": ((1, 0),)}


def test_a_gazetteer_row_is_numbered_by_its_line_in_the_file():
    built = Gazetteer.build(
        [],
        [
            row(name=" Osh ", alt_names=" Oš|Osh City ", country_iso2=" KG "),
            row(
                name="Ishkashim",
                lat="36.7",
                lon="71.6",
                kind=" border post ",
                country_iso2="TJ",
                source_1="",
            ),
        ],
    )
    records = built.places.drop(columns="geometry").to_dict("records")
    assert records == [
        {
            "ref": "gazetteer:2",
            "place_id": "",
            "name": "Osh",
            "alt_names": "Oš|Osh City",
            "kind": "city",
            "country": "KG",
            "admin1": "",
            "precision": "near",
            "lon": 72.7985,
            "lat": 40.5283,
            "geometry_source": "gazetteer.csv row 2 (GeoNames)",
        },
        {
            "ref": "gazetteer:3",
            "place_id": "",
            "name": "Ishkashim",
            "alt_names": "",
            # tables/gazetteer_kinds.csv: a border post is a border_town, near.
            "kind": "border_town",
            "country": "TJ",
            "admin1": "",
            "precision": "near",
            "lon": 71.6,
            "lat": 36.7,
            "geometry_source": "gazetteer.csv row 3 ()",
        },
    ]
    assert [g.coords[0] for g in built.places["geometry"]] == [
        (72.7985, 40.5283),
        (71.6, 36.7),
    ]
    # A name at tier 2, each alternative at tier 4.
    assert dict(built.index) == {
        "osh": ((2, 0),),
        "os": ((4, 0),),
        "osh city": ((4, 0),),
        "ishkashim": ((2, 1),),
    }


def test_a_gazetteer_row_without_a_name_is_kept_and_found_by_no_name():
    built = Gazetteer.build([], [row(name="", alt_names="Oš")])
    assert built.places["name"].tolist() == [""]
    assert dict(built.index) == {"os": ((4, 0),)}
    assert built.lookup("Oš") == (0, "")


# A row's kind -> (the place kind, the precision): tables/gazetteer_kinds.csv.
ROW_KINDS = [
    ("city", "city", "near"),
    ("border post", "border_town", "near"),
    ("border_town", "border_town", "near"),
    ("airport", "airport", "exact"),
    ("district", "district", "district"),
    ("province", "province", "province"),
    ("region", "region", "region"),
    ("valley", "valley", "region"),
    ("sea", "region", "region"),
    ("country", "country", "country"),
]


@pytest.mark.parametrize(("kind", "place_kind", "precision"), ROW_KINDS)
def test_a_rows_kind_gives_the_place_kind_and_precision(kind, place_kind, precision):
    built = Gazetteer.build([], [row(kind=kind)])
    assert built.places[["kind", "precision"]].values.tolist() == [
        [place_kind, precision]
    ]


# Rows that cannot place anything: no point, a point that is not a number or
# not finite, a kind the table does not know.
ROWS_LEFT_OUT = [
    row(lat=""),
    row(lon=""),
    {"name": "Nowhere", "kind": "city"},
    row(lat="north"),
    row(lon="nan"),
    row(lat="inf"),
    row(lon="-inf"),
    row(kind="mountain"),
    row(kind=""),
    {key: value for key, value in row().items() if key != "kind"},
]


@pytest.mark.parametrize("left_out", ROWS_LEFT_OUT)
def test_a_row_that_cannot_place_anything_is_left_out(left_out):
    built = Gazetteer.build([], [left_out, row(name="Kept")])
    # The row kept is the file's third line.
    assert built.places["ref"].tolist() == ["gazetteer:3"]
    assert dict(built.index) == {"kept": ((2, 0),)}


def test_a_name_is_indexed_once_per_tier_and_place_and_also_without_brackets():
    built = Gazetteer.build(
        [
            feature(
                place_id="Khanabad",
                name="Khanabad (Xonobod)",
                alt_names="khanabad|Xonobod||XONOBOD",
                kind="border_town",
            )
        ],
        [row(name="Khanabad", alt_names="Khanabad (KG)|Xonobod")],
    )
    assert dict(built.index) == {
        "khanabad (xonobod)": ((1, 0),),
        "khanabad": ((1, 0), (3, 0), (2, 1), (4, 1)),
        "xonobod": ((3, 0), (4, 1)),
        "khanabad (kg)": ((4, 1),),
    }


def test_an_empty_gazetteer_has_the_columns_and_no_names():
    built = Gazetteer.build([], [])
    assert list(built.places.columns) == COLUMNS
    assert built.places.empty
    assert dict(built.index) == {}
    assert built.lookup("Osh") == (None, "is not in the gazetteer")


def places_named(*entries: tuple[str, str, str]) -> Gazetteer:
    """A gazetteer of rows (name, alternative names, country)."""
    return Gazetteer.build(
        [],
        [
            row(name=name, alt_names=alt, country_iso2=country)
            for name, alt, country in entries
        ],
    )


LOOKUPS = [
    # name, country -> (position, why)
    ("Osh", "", (0, "")),
    ("OSH", "KG", (0, "")),
    ("osh city", "KG", (0, "")),
    ("Osh Town", "", (0, "")),
    ("Osh village", "", (0, "")),
    ("Osh  City", "", (0, "")),
    ("Osh district", "", (None, "is not in the gazetteer")),
    ("city", "", (None, "is not in the gazetteer")),
    # A name the index holds with "town" in it is not cut.
    ("Kara town", "", (1, "")),
    ("Oshkent", "", (None, "is not in the gazetteer")),
    ("Oshkent town", "", (None, "is not in the gazetteer")),
    ("Oshkent city", "KG", (None, "is not in the gazetteer")),
    # Its country among several, "|"-separated.
    ("Batken", "KG", (2, "")),
    ("Batken", "TJ", (2, "")),
    ("Batken", "T", (None, "is in the gazetteer only outside T: Batken (KG|TJ)")),
    (
        "Osh",
        "UZ",
        (None, "is in the gazetteer only outside Uzbekistan: Osh (KG)"),
    ),
    (
        "Osh",
        "FR",
        (None, "is in the gazetteer only outside FR: Osh (KG)"),
    ),
    # Two places, neither in the country: each named once, sorted.
    (
        "Sary",
        "AF",
        (
            None,
            "is in the gazetteer only outside Afghanistan: Sary-Tash (KG), "
            "Saryq (no country)",
        ),
    ),
    # The place in the country wins over another outside it.
    ("Sary", "KG", (3, "")),
    (
        "Sary",
        "",
        (
            None,
            "names more than one place in the gazetteer: Sary-Tash (KG), Saryq ()",
        ),
    ),
    # A name beats an alternative name of another place.
    ("Kara", "", (5, "")),
]


@pytest.mark.parametrize(("name", "country", "expected"), LOOKUPS)
def test_lookup_finds_one_place_by_name_within_the_country(name, country, expected):
    built = places_named(
        ("Osh", "Osh City|Oš", "KG"),  # 0
        ("Kara town", "", "KG"),  # 1
        ("Batken", "", "KG|TJ"),  # 2
        ("Sary-Tash", "Sary", "KG"),  # 3
        ("Saryq", "Sary", ""),  # 4
        ("Kara", "", "KG"),  # 5
        ("Karasu", "Kara", "KG"),  # 6
    )
    assert built.lookup(name, country) == expected


def test_lookup_prefers_the_lowest_tier_and_names_ties_in_their_order():
    built = Gazetteer.build(
        [
            feature(
                place_id="p1", name="Kala", alt_names="Fort", kind="city", country="AF"
            ),
            feature(
                place_id="p2",
                name="Kala Two",
                alt_names="Fort",
                kind="city",
                country="TJ",
            ),
        ],
        [
            row(name="Fort", country_iso2="UZ"),
            row(name="Kala", country_iso2="AF"),
            row(name="Castle", alt_names="Fort", country_iso2="AF"),
        ],
    )
    # Tier 2 (a gazetteer row's name) beats tier 3 (a bundled alternative).
    assert built.lookup("Fort") == (2, "")
    # In Afghanistan only tiers 3 and 4 are left: 3 wins.
    assert built.lookup("Fort", "AF") == (0, "")
    # Tier 1 beats tier 2 of another place of the same name.
    assert built.lookup("Kala") == (0, "")
    # The place_id is a tier 1 name.
    assert built.lookup("P2") == (1, "")
    assert built.lookup("Castle") == (4, "")
    # Two places at tier 3: both named, in the order of the places.
    two = Gazetteer.build(
        [
            feature(
                place_id="z", name="Zed", alt_names="Same", kind="city", country="UZ"
            ),
            feature(
                place_id="a", name="Ay", alt_names="Same", kind="city", country="AF"
            ),
        ],
        [],
    )
    assert two.lookup("same") == (
        None,
        "names more than one place in the gazetteer: Zed (UZ), Ay (AF)",
    )


def write_data(directory: Path, features: list[dict], rows: list[dict]) -> None:
    (directory / "places.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": features}),
        encoding="utf-8",
    )
    with (directory / "gazetteer.csv").open(
        "w", newline="", encoding="utf-8"
    ) as handle:
        writer = csv.DictWriter(handle, fieldnames=list(row()))
        writer.writeheader()
        writer.writerows(rows)


def test_load_gazetteer_reads_a_data_directorys_places_and_gazetteer(tmp_path):
    write_data(
        tmp_path,
        [feature(place_id="namangan", name="Namangan", kind="city", country="UZ")],
        [row(name="Oš", alt_names="Osh"), row(name="Isfara", country_iso2="TJ")],
    )
    built = load_gazetteer(tmp_path)
    assert built.places["ref"].tolist() == [
        "bundled:namangan",
        "gazetteer:2",
        "gazetteer:3",
    ]
    assert built.places["name"].tolist() == ["Namangan", "Oš", "Isfara"]
    assert built.lookup("Osh") == (1, "")
    assert load_gazetteer(str(tmp_path)).places["ref"].tolist() == [
        "bundled:namangan",
        "gazetteer:2",
        "gazetteer:3",
    ]


def test_load_gazetteer_keeps_a_line_break_inside_a_quoted_cell(tmp_path):
    # RFC 4180: a quoted cell may hold a line break, which is the cell's own
    # text, kept as written (here CR LF), while the file's rows end in CR LF.
    write_data(tmp_path, [], [])
    (tmp_path / "gazetteer.csv").write_bytes(
        b"name,alt_names,lat,lon,kind,country_iso2,source_1\r\n"
        b'Osh,,40.5,72.8,city,KG,"GeoNames\r\nsecond line"\r\n'
    )
    built = load_gazetteer(tmp_path)
    assert built.places["geometry_source"].tolist() == [
        "gazetteer.csv row 2 (GeoNames\r\nsecond line)"
    ]


def test_load_gazetteer_reads_the_bundled_data_by_default():
    built = load_gazetteer()
    # data/places.geojson's 21 places, then data/gazetteer.csv's 27 rows.
    assert len(built.places) == 21 + 27
    assert built.places["ref"].iloc[0] == "bundled:namangan"
    assert built.places["ref"].iloc[21] == "gazetteer:2"
    assert built.places["name"].iloc[21] == "Tashkent"
    assert gazetteer._bundled_gazetteer().places["ref"].tolist() == (
        built.places["ref"].tolist()
    )


SQUARE_REGION = {
    "type": "Feature",
    "properties": {
        "region_id": "UZ",
        "name": "Uzbekistan",
        "level": "country",
        "country": "UZ",
        "label_lat": 41.0,
        "label_lon": 71.0,
    },
    "geometry": SQUARE,
}


def test_load_countries_gives_prepared_country_outlines_by_code(tmp_path):
    province = json.loads(json.dumps(SQUARE_REGION))
    province["properties"].update(region_id="UZ-XX", level="province", name="XX")
    (tmp_path / "regions.geojson").write_text(
        json.dumps(
            {"type": "FeatureCollection", "features": [SQUARE_REGION, province]}
        ),
        encoding="utf-8",
    )
    countries = load_countries(tmp_path)
    assert list(countries) == ["UZ"]
    assert countries["UZ"].equals(shapely.box(70.0, 40.0, 72.0, 42.0))
    assert shapely.is_prepared(countries["UZ"])
    assert load_countries(str(tmp_path))["UZ"].equals(countries["UZ"])


def test_load_countries_reads_the_bundled_regions_by_default():
    countries = load_countries()
    assert {"AF", "KG", "KZ", "TJ", "TM", "UZ"} <= set(countries)
    assert all(shapely.is_prepared(g) for g in countries.values())
    # Tashkent (69.2 E, 41.3 N) is in Uzbekistan, not in Kyrgyzstan.
    assert shapely.contains_xy(countries["UZ"], 69.2163, 41.2645)
    assert not shapely.contains_xy(countries["KG"], 69.2163, 41.2645)
    assert set(gazetteer._bundled_countries()) == set(countries)


@pytest.fixture
def small_world(monkeypatch):
    """World countries of the test's own: two names shared by two codes."""
    nations = pd.DataFrame(
        {
            "country": ["ZB", "ZA", "ZC", "ZD", "KG", "ZE"],
            "name": [
                "Zedland",
                "Zedland",
                "Cape Verde",
                "Kyrgyz Republic",
                "Kyrgyzstan",
                "Ayland",
            ],
        }
    )
    monkeypatch.setattr(gazetteer.world, "countries", lambda: nations)
    world_country_codes.cache_clear()
    yield
    world_country_codes.cache_clear()


def test_world_country_codes_names_each_country_once(small_world):
    codes = world_country_codes()
    # A world name two codes share is left out.
    assert "zedland" not in codes
    assert codes["ayland"] == "ZE"
    # tables/country_variants.csv wins over the world's name...
    assert codes["cape verde"] == "CV"
    assert codes["bosnia herzegovina"] == "BA"
    assert codes["cambodia (kampuchea)"] == "KH"
    # ... and tables/country_codes.csv over both.
    assert codes["kyrgyz republic"] == "KG"
    assert codes["kyrgyzstan"] == "KG"
    assert codes["afghanistan"] == "AF"


def test_world_country_codes_keeps_every_name_of_one_code(monkeypatch):
    nations = pd.DataFrame(
        {"country": ["ZB", "ZA", "ZA"], "name": ["Bee", "Ay", "Ay Land"]}
    )
    monkeypatch.setattr(gazetteer.world, "countries", lambda: nations)
    world_country_codes.cache_clear()
    try:
        codes = world_country_codes()
    finally:
        world_country_codes.cache_clear()
    assert (codes["bee"], codes["ay"], codes["ay land"]) == ("ZB", "ZA", "ZA")


COUNTRIES = [
    # as written -> ISO alpha-2 (tables/country_codes.csv, the variants, the world)
    ("UZ", "UZ"),
    (" KG ", "KG"),
    ("ZZ", "ZZ"),
    ("Kyrgyz   Republic", "KG"),
    ("KYRGYZSTAN", "KG"),
    ("afghanistan", "AF"),
    ("Bosnia-Herzegovina", "BA"),
    ("Cape  Verde", "CV"),
    ("Ayland", "ZE"),
    ("Zedland", ""),
    ("uz", ""),
    ("UZB", ""),
    ("", ""),
]


@pytest.mark.parametrize(("name", "code"), COUNTRIES)
def test_a_country_is_read_as_its_code(small_world, name, code):
    assert _country_code(name) == (code,)


@pytest.mark.parametrize(
    ("code", "label"),
    [
        ("UZ", "Uzbekistan"),
        ("RU", "Russia"),
        ("ZE", "Ayland (the world's name)"),
        ("", ""),
    ],
)
def test_a_country_is_named_by_the_atlas_else_the_world(monkeypatch, code, label):
    asked: list[str] = []

    def world_name(asked_code: str) -> str:
        asked.append(asked_code)
        return "Ayland (the world's name)"

    monkeypatch.setattr(gazetteer.world, "country_name", world_name)
    assert _country_label(code) == label
    assert asked == (["ZE"] if code == "ZE" else [])
