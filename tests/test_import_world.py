"""The importer beyond Central Asia: the world's country names, border check,
gazetteer and regions (docs/import.md section 3).

Expected values are read off data/world/ by hand (the GeoNames rows of
gazetteer.csv, the admin-1 units of admin1.geojson) or measured independently
(a distance in a UTM projection), never taken from the importer's output.
"""

from __future__ import annotations

import json

import pytest

from imu_geo.importers import import_file, write_import
from imu_geo.importers.places.gazetteer import _country_code
from imu_geo.validate import validate_directory
from tests.source_rows import (
    GEO,
    GTD_COLUMNS,
    GTD_TASHKENT,
    acled,
    issue,
    row,
    table_bytes,
)

# GTD rows in Iraq and Nigeria with a city and no coordinates, as GTD writes them.
GTD_IRAQ = GTD_TASHKENT | {
    "eventid": "201106010001",
    "iyear": "2011",
    "imonth": "6",
    "iday": "1",
    "country": "95",
    "country_txt": "Iraq",
    "region_txt": "Middle East & North Africa",
    "latitude": "",
    "longitude": "",
}


def gtd(*rows: dict) -> bytes:
    return table_bytes(list(rows), GTD_COLUMNS)


def test_gtd_cities_without_coordinates_are_placed_from_the_world_gazetteer():
    baghdad = GTD_IRAQ | {"provstate": "Baghdad", "city": "Baghdad", "specificity": "1"}
    # GTD spells the province Nineveh, GeoNames Ninawa: the province cannot
    # narrow the search, Mosul is the only one in Iraq, and the note says so.
    mosul = GTD_IRAQ | {
        "eventid": "201106010002",
        "provstate": "Nineveh",
        "city": "Mosul",
        "specificity": "3",
    }
    result = import_file("gtd.csv", gtd(baghdad, mosul))
    assert result.summary() == "gtd: 2 rows — 0 accepted, 2 repaired, 0 rejected"
    assert result.issues == [
        issue(
            2,
            "repaired",
            GEO,
            "no coordinates; placed from the world gazetteer: Baghdad "
            "(Baghdad, IQ; GeoNames 98182)",
        ),
        issue(
            3,
            "repaired",
            GEO,
            "no coordinates; placed from the world gazetteer: Mosul "
            "(Ninawa, IQ; GeoNames 99072); the admin-1 'Nineveh' is not a unit the "
            "world gazetteer knows in Iraq, so the name was looked up in the "
            "country alone",
        ),
    ]
    events = result.events
    # gazetteer.csv: 98182 Baghdad 33.3406 44.4009; 99072 Mosul 36.335 43.1189.
    assert list(events["place_id"]) == ["geonames-98182", "geonames-99072"]
    assert list(events["lat"]) == [33.3406, 36.335]
    assert list(events["lon"]) == [44.4009, 43.1189]
    # A town's point stands for "near"; the coarser of that and the row's own.
    assert list(events["geo_precision"]) == ["near", "district"]
    places = result.places.set_index("place_id")
    assert places.loc["geonames-98182", "country"] == "IQ"
    assert places.loc["geonames-99072", "admin1"] == "IQ-NI"
    assert places.loc["geonames-98182", "geometry_source"].startswith(
        "GeoNames 98182 (Baghdad, Baghdad, IQ)"
    )


NIGERIA = GTD_IRAQ | {
    "country": "147",
    "country_txt": "Nigeria",
    "region_txt": "Sub-Saharan Africa",
    "provstate": "",
    "city": "Daura",
}


def test_a_name_two_places_share_is_refused_with_the_candidates():
    # gazetteer.csv: Daura, Yobe (2345096, 78,277 people) and Daura, Katsina
    # (2345094, 25,289), listed largest first.
    result = import_file("gtd.csv", gtd(NIGERIA))
    assert result.issues == [
        issue(
            2,
            "rejected",
            GEO,
            "no coordinates, and 'Daura' names 2 places in Nigeria: Daura (Yobe), "
            "Daura (Katsina); give the admin-1",
        )
    ]
    assert result.events.empty


def test_the_province_picks_one_of_the_places_a_name_shares():
    result = import_file("gtd.csv", gtd(NIGERIA | {"provstate": "Katsina"}))
    assert list(result.events["place_id"]) == ["geonames-2345094"]
    assert result.n_rejected == 0


def test_a_syria_point_two_km_over_the_border_is_kept_with_a_note():
    # 36.8406 N, 40.0 E lies north of Natural Earth's Syria, in Turkey: 2.006 km
    # from Syria's line measured in UTM zone 37N (EPSG:32637), within the 5 km
    # allowed for the boundary's resolution and 25 km for ACLED's precision 1 (a
    # town: "near").
    payload = acled(
        row(
            latitude="36.8406",
            longitude="40.0",
            country="Syria",
            admin1="Al Hasakah",
            geo_precision="1",
        )
    )
    result = import_file("acled.csv", payload)
    assert result.issues == [
        issue(
            2,
            "repaired",
            GEO,
            "the point lies 2.0 km outside Syria's drawn boundary, within the 30 km "
            "allowed for the boundary's resolution (5 km) and a place known to the "
            "near level (25 km); kept",
        )
    ]
    assert list(result.events["lat"]) == [36.8406]
    # The point is the event's own, with its stated country; no place is made.
    assert list(result.events["country"]) == ["SY"]
    assert result.places.empty


def test_a_syria_point_far_outside_is_rejected_unless_a_swap_puts_it_inside():
    # 40.0 E, 36.6 N is inside Syria (measured: 0 km in UTM 37N); written the
    # wrong way round it is in the Indian Ocean, and the swap repairs it. 30 N,
    # 40 E is in Saudi Arabia, hundreds of km south; swapped, in Kazakhstan.
    payload = acled(
        row(latitude="40.0", longitude="36.6", country="Syria", geo_precision="1"),
        row(
            event_id_cnty="SYR2",
            latitude="30.0",
            longitude="40.0",
            country="Syria",
            geo_precision="1",
        ),
    )
    result = import_file("acled.csv", payload)
    assert [(i.row, i.action) for i in result.issues] == [
        (2, "repaired"),
        (3, "rejected"),
    ]
    assert result.issues[0].reason == (
        "latitude and longitude were swapped: latitude 40.0, longitude 36.6 lies "
        "outside Syria, the swapped point inside it"
    )
    assert result.issues[1].reason.startswith("latitude 30.0, longitude 40.0 lies ")
    assert list(result.events["lat"]) == [36.6]


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Syria", "SY"),
        ("Iraq", "IQ"),
        ("Democratic Republic of Congo", "CD"),
        ("DR Congo (Zaire)", "CD"),
        ("Ivory Coast", "CI"),
        ("Côte d'Ivoire", "CI"),
        ("Myanmar (Burma)", "MM"),
        ("West Bank and Gaza Strip", "PS"),
        ("Benin", "BJ"),
    ],
)
def test_country_names_as_the_datasets_write_them(name, code):
    payload = acled(row(latitude="", longitude="", location="", country=name))
    # No place to look up, so the row is rejected; the country is not "unmapped".
    result = import_file("acled.csv", payload)
    assert not any("not mapped" in note for note in result.file_notes)

    assert _country_code(name) == (code,)


# Benin's twelve departments, as Natural Earth names them (admin1.geojson).
BENIN_UNITS = [
    "Alibori",
    "Atakora",
    "Atlantique",
    "Borgou",
    "Collines",
    "Donga",
    "Kouffo",
    "Littoral",
    "Mono",
    "Ouémé",
    "Plateau",
    "Zou",
]


def test_an_imported_benin_file_writes_benins_regions(tmp_path):
    # Cotonou and Parakou (GeoNames 2394819, 2392204), by their coordinates.
    payload = acled(
        row(latitude="6.3654", longitude="2.4183", country="Benin", admin1="Littoral"),
        row(
            event_id_cnty="BEN2",
            latitude="9.3372",
            longitude="2.6303",
            country="Benin",
            admin1="Borgou",
        ),
    )
    result = import_file("acled.csv", payload)
    assert result.n_rejected == 0
    write_import(result, tmp_path)
    regions = json.loads((tmp_path / "regions.geojson").read_text(encoding="utf-8"))
    properties = [f["properties"] for f in regions["features"]]
    assert [(p["region_id"], p["level"]) for p in properties][:1] == [("BJ", "country")]
    units = sorted(p["name"] for p in properties if p["level"] == "admin1")
    assert units == BENIN_UNITS
    assert {p["country"] for p in properties} == {"BJ"}
    assert validate_directory(tmp_path).problems == []


def test_a_province_with_a_second_spelling_in_brackets_narrows_the_search():
    # GTD's "Ninawa (Nineveh)": the first spelling is GeoNames' (IQ-NI Ninawa),
    # so the province narrows the search and no note is needed.
    mosul = GTD_IRAQ | {"provstate": "Ninawa (Nineveh)", "city": "Mosul"}
    result = import_file("gtd.csv", gtd(mosul))
    assert result.issues == [
        issue(
            2,
            "repaired",
            GEO,
            "no coordinates; placed from the world gazetteer: Mosul "
            "(Ninawa, IQ; GeoNames 99072)",
        )
    ]
