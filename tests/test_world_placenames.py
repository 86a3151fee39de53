"""The world gazetteer (``imu_geo.world.placenames``) on a gazetteer written here
by hand: every expected place, refusal and listing is worked out from its rows.

Country names in the refusals are those of the bundled world's country table
(``United States of America``, ``Afghanistan``, ``France``)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from imu_geo.world.files import GAZETTEER_COLUMNS
from imu_geo.world.placenames import (
    GazetteerPlace,
    Refusal,
    WorldGazetteer,
    gazetteer,
    gazetteer_key,
)

# geonameid, name, alt_names, country, admin1, admin1_name, gn_admin1, lat, lon,
# population
ROWS = [
    (101, "Springfield", "", "US", "US-IL", "Illinois", "US.IL", 39.8, -89.65, 114000),
    (
        102,
        "Springfield",
        "Springfeld",
        "US",
        "US-MO",
        "Missouri",
        "US.MO",
        37.2,
        -93.3,
        167000,
    ),
    (
        103,
        "Springfield",
        "",
        "AU",
        "AU-QLD",
        "Queensland",
        "AU.04",
        -27.7,
        152.9,
        20000,
    ),
    (
        201,
        "Kunduz",
        "Qunduz|Kundūz||'",
        "AF",
        "AF-KDZ",
        "Kunduz",
        "AF.24",
        36.73,
        68.87,
        268000,
    ),
    (301, "Paris", "", "FR", "FR-IDF", "Île-de-France", "FR.11", 48.85, 2.35, 2138000),
    (302, "Parys", "Paris", "ZA", "ZA-FS", "Free State", "ZA.03", -26.9, 27.45, 51000),
    (
        401,
        "Maʿarrat al-Nuʿmān",
        "",
        "SY",
        "SY-ID",
        "Idlib",
        "SY.12",
        35.64,
        36.67,
        58000,
    ),
    (501, "Windhoek", "", "NA", "NA-KH", "Khomas", "WA.21", -22.56, 17.08, 268000),
    # Ten Newtons in the United States, one without an admin-1 unit, two of
    # the same population (the lower geonameid is listed first).
    *[
        (
            600 + i,
            "Newton",
            "",
            "US",
            f"US-N{i}",
            f"State {i}",
            f"US.N{i}",
            40.0,
            -90.0 - i,
            1000 * (i + 1),
        )
        for i in range(9)
    ],
    (699, "Newton", "", "US", "", "", "", 41.0, -80.0, 5000),
    # Two places of one name in one unit.
    (801, "Twin", "", "US", "US-IL", "Illinois", "US.IL", 40.1, -88.0, 100),
    (802, "Twin", "", "US", "US-IL", "Illinois", "US.IL", 40.2, -88.1, 200),
]


def _frame(rows=ROWS) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(GAZETTEER_COLUMNS))


@pytest.fixture(scope="module")
def hand() -> WorldGazetteer:
    return WorldGazetteer.from_frame(_frame())


def _found(result) -> int:
    assert isinstance(result, GazetteerPlace), result
    return result.geonameid


@pytest.mark.parametrize(
    ("name", "country", "admin1", "geonameid"),
    [
        # One place of that name.
        ("Kunduz", "", "", 201),
        ("KUNDUZ", "af", "", 201),
        # An alternate name, and one the key reads the same.
        ("Qunduz", "", "", 201),
        ("kunduz", "", "", 201),
        ("Springfeld", "", "", 102),
        # A word the gazetteer does not carry, dropped only when needed.
        ("Kunduz city", "", "", 201),
        ("Qunduz town", "AF", "", 201),
        ("Windhoek village", "NA", "", 501),
        # Apostrophes, the ayn, hyphens and case do not matter.
        ("Ma'arrat al-Nu'man", "", "", 401),
        ("maarrat al numan", " sy ", "", 401),
        # A place's own name wins over another's alternate name.
        ("Paris", "", "", 301),
        # Within a country, the alternate name is the one there.
        ("Paris", "ZA", "", 302),
        # Within an admin-1 unit: its id, its GeoNames code, its name.
        ("Springfield", "US", "US-IL", 101),
        ("Springfield", "US", " us-mo ", 102),
        ("Springfield", "US", "US.MO", 102),
        ("Springfield", "", "us.il", 101),
        ("Springfield", "", "missouri", 102),
        ("Springfield", "", "Queensland", 103),
        ("Springfield", "AU", "", 103),
        # Namibia's code is the text "NA".
        ("Windhoek", "NA", "", 501),
        ("Windhoek", "", "Khomas", 501),
    ],
)
def test_lookup_finds_the_one_place(hand, name, country, admin1, geonameid):
    assert _found(hand.lookup(name, country, admin1)) == geonameid


def test_a_found_place_is_the_rows_values():
    found = WorldGazetteer.from_frame(_frame()).lookup("Springfield", "US", "US-IL")
    assert found == GazetteerPlace(
        geonameid=101,
        name="Springfield",
        country="US",
        admin1="US-IL",
        admin1_name="Illinois",
        lat=39.8,
        lon=-89.65,
        population=114000,
        precision="near",
    )
    assert found.label() == "Illinois, US"
    assert found.source == "GeoNames 101 (Springfield, Illinois, US)"


def test_a_place_without_an_admin1_is_labelled_by_its_country():
    place = GazetteerPlace(699, "Newton", "US", "", "", 41.0, -80.0, 5000)
    assert place.label() == "US"
    assert place.source == "GeoNames 699 (Newton, US)"
    assert place.precision == "near"


SPRINGFIELDS = (
    "Springfield (Missouri, US), Springfield (Illinois, US), "
    "Springfield (Queensland, AU)"
)


@pytest.mark.parametrize(
    ("name", "country", "admin1", "reason", "candidates"),
    [
        ("", "", "", "is not a place name", ()),
        (" .,' ", "", "", "is not a place name", ()),
        ("Nowhere", "", "", "is not in the world gazetteer", ()),
        # A suffix is dropped only at the end, after a space.
        ("Kunduzcity", "", "", "is not in the world gazetteer", ()),
        # Nor is the name without its suffix.
        ("Nowhere town", "", "", "is not in the world gazetteer", ()),
        ("city Kunduz", "", "", "is not in the world gazetteer", ()),
        # Several places at the best tier: listed by population.
        (
            "Springfield",
            "",
            "",
            f"names 3 places: {SPRINGFIELDS}; give the country or admin-1",
            (101, 102, 103),
        ),
        (
            "Springfield",
            "us",
            "",
            "names 2 places in United States of America: Springfield (Missouri), "
            "Springfield (Illinois); give the admin-1",
            (101, 102),
        ),
        (
            "Springfield",
            "US",
            "   ",
            "names 2 places in United States of America: Springfield (Missouri), "
            "Springfield (Illinois); give the admin-1",
            (101, 102),
        ),
        # Only outside the country given.
        (
            "Springfield",
            "FR",
            "",
            f"is in the world gazetteer only outside France: {SPRINGFIELDS}",
            (101, 102, 103),
        ),
        (
            "Kunduz",
            "US",
            "",
            "is in the world gazetteer only outside United States of America: "
            "Kunduz (Kunduz, AF)",
            (201,),
        ),
        # Several in the country and the unit given: both named in the reason.
        (
            "Twin",
            "US",
            "illinois",
            "names 2 places in United States of America in illinois: "
            "Twin (Illinois), Twin (Illinois); give the admin-1",
            (801, 802),
        ),
        (
            "Twin",
            "",
            "US-IL",
            "names 2 places in US-IL: Twin (Illinois, US), Twin (Illinois, US); "
            "give the country or admin-1",
            (801, 802),
        ),
        # In the country, not in the unit given.
        (
            "Springfield",
            "US",
            "Alaska",
            "names no place in United States of America in the admin-1 unit 'Alaska'; "
            "there are Springfield (Missouri), Springfield (Illinois)",
            (101, 102),
        ),
        (
            "Springfield",
            "",
            " Alaska ",
            f"names no place in the admin-1 unit 'Alaska'; there are {SPRINGFIELDS}",
            (101, 102, 103),
        ),
    ],
)
def test_lookup_refuses_and_names_the_candidates(
    hand, name, country, admin1, reason, candidates
):
    refusal = hand.lookup(name, country, admin1)
    assert isinstance(refusal, Refusal), refusal
    assert refusal.reason == reason
    assert tuple(p.geonameid for p in refusal.candidates) == candidates


def test_a_unit_named_in_the_country_narrows_the_refusal(hand):
    refusal = hand.lookup("Springfield", "", "US")
    # "US" is no unit's id, code or name.
    assert isinstance(refusal, Refusal)
    assert refusal.reason.startswith("names no place in the admin-1 unit 'US'")


NEWTONS_BY_POPULATION = (
    # population 9000 .. 2000, then 5000 for 699 after 604 (5000, id 604 < 699)
    "Newton (State 8), Newton (State 7), Newton (State 6), Newton (State 5), "
    "Newton (State 4), Newton (no admin-1), Newton (State 3), Newton (State 2)"
)


def test_a_listing_shows_eight_by_population_and_counts_the_rest(hand):
    refusal = hand.lookup("Newton", "US")
    assert isinstance(refusal, Refusal)
    assert refusal.reason == (
        "names 10 places in United States of America: "
        f"{NEWTONS_BY_POPULATION} and 2 more; give the admin-1"
    )
    # The candidates are the first eight in the gazetteer's order.
    assert [p.geonameid for p in refusal.candidates] == list(range(600, 608))


def test_a_listing_with_countries_labels_a_place_without_a_unit_by_its_country(hand):
    refusal = hand.lookup("Newton")
    assert isinstance(refusal, Refusal)
    assert "Newton (State 4, US), Newton (US), Newton (State 3, US)" in refusal.reason
    assert refusal.reason.endswith(" and 2 more; give the country or admin-1")
    assert refusal.reason.startswith("names 10 places: Newton (State 8, US), ")


def test_a_listing_of_exactly_eight_has_no_more(hand):
    rows = [r for r in ROWS if r[1] != "Newton" or r[0] < 608]
    refusal = WorldGazetteer.from_frame(_frame(rows)).lookup("Newton", "US")
    assert isinstance(refusal, Refusal)
    assert refusal.reason.endswith(
        "Newton (State 1), Newton (State 0); give the admin-1"
    )
    assert "more" not in refusal.reason
    rows = [r for r in ROWS if r[1] != "Newton" or r[0] < 609]
    refusal = WorldGazetteer.from_frame(_frame(rows)).lookup("Newton", "US")
    assert refusal.reason.endswith("Newton (State 1) and 1 more; give the admin-1")


def test_a_unit_whose_name_keys_to_nothing_matches_no_unit_without_a_name(hand):
    # "." keys to "", as does the missing admin-1 name of 699: no match.
    refusal = hand.lookup("Newton", "US", ".")
    assert isinstance(refusal, Refusal)
    assert refusal.reason.startswith(
        "names no place in United States of America in the admin-1 unit '.'; there are "
    )
    assert len(refusal.candidates) == 8


def test_the_index_holds_each_name_and_alternate_by_tier():
    places = _frame(ROWS[:4])
    index = WorldGazetteer.from_frame(places).index
    assert index == {
        "springfield": ((1, 0), (1, 1), (1, 2)),
        "springfeld": ((2, 1),),
        "kunduz": ((1, 3), (2, 3)),
        "qunduz": ((2, 3),),
    }


def test_a_frame_with_its_own_index_is_numbered_from_zero():
    places = _frame(ROWS[:4])
    places.index = [40, 30, 20, 10]
    found = WorldGazetteer.from_frame(places)
    assert _found(found.lookup("Kunduz")) == 201
    assert _found(found.lookup("Springfeld")) == 102
    assert list(found.places.index) == [0, 1, 2, 3]
    # The gazetteer's columns only: the frame's own index is not kept as one.
    assert list(found.places.columns) == list(GAZETTEER_COLUMNS)


def test_a_name_missing_from_the_frame_is_left_out_of_the_index():
    rows = [*ROWS[:1], (900, None, "Somewhere", "US", "", "", "", 1.0, 1.0, 1)]
    index = WorldGazetteer.from_frame(_frame(rows)).index
    assert index == {"springfield": ((1, 0),), "somewhere": ((2, 1),)}


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("Maʿarrat al-Nuʿmān", "maarrat al numan"),
        ("Ma'arrat  al-Nu'man", "maarrat al numan"),
        ("Raʾs al-ʿAyn", "ras al ayn"),
        ("St. Louis", "st louis"),
        ("Washington, D.C.", "washington dc"),
        ("  ", ""),
        (".,'", ""),
    ],
)
def test_gazetteer_key(written, key):
    assert gazetteer_key(written) == key


def test_the_gazetteer_file_is_read_as_text_with_numbers_typed(tmp_path):
    text = (
        ",".join(GAZETTEER_COLUMNS)
        + "\n"
        + "501,Windhoek,Windhuk,NA,NA-KH,Khomas,WA.21,-22.56,17.08,268000\n"
        + "701,Null,,NA,,,,1.5,2,0\n"
    )
    (tmp_path / "gazetteer.csv").write_text(text, encoding="utf-8")
    found = gazetteer(tmp_path)
    assert found.places["country"].tolist() == ["NA", "NA"]
    assert found.places["alt_names"].tolist() == ["Windhuk", ""]
    assert found.places["geonameid"].tolist() == ["501", "701"]
    assert found.places["lat"].tolist() == [-22.56, 1.5]
    assert found.places["lon"].tolist() == [17.08, 2.0]
    assert found.places["population"].tolist() == [268000, 0]
    assert found.places["lon"].dtype == float
    assert found.places["population"].dtype == int
    place = found.lookup("Windhuk", "NA")
    assert place == GazetteerPlace(
        501, "Windhoek", "NA", "NA-KH", "Khomas", -22.56, 17.08, 268000
    )
    assert _found(found.lookup("null")) == 701
    assert gazetteer(str(tmp_path)).index == found.index


def test_the_gazetteer_file_is_read_as_utf8(tmp_path):
    text = (
        ",".join(GAZETTEER_COLUMNS)
        + "\n"
        + "9,Kundūz,,AF,AF-KDZ,Kunduz,AF.24,36.7,68.9,1\n"
    )
    folder = Path(tmp_path) / "utf8"
    folder.mkdir()
    (folder / "gazetteer.csv").write_bytes(text.encode("utf-8"))
    assert _found(gazetteer(folder).lookup("Kundūz")) == 9
