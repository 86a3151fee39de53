"""The bundled data: valid, traceable to the source, and the basemap in sync.

The rule tests below read every row of ``events.csv`` as text and check it
against a rule of ``data/README.md``. Where a rule needs a reading of the
source, that reading is written here by hand, row by row, so that a new row
the reading does not cover fails until someone reads it.
"""

import csv
import importlib.util
import json
import re
import sys

import geopandas as gpd
import pytest

from imu_geo.data import BUNDLED_DATA_DIR, load_dataset
from imu_geo.layers import basemap_files
from imu_geo.schema import QUOTE_SEPARATOR
from imu_geo.validate import missing_quote_segments, validate_directory
from tests.conftest import PROJECT_DIR


@pytest.fixture(scope="module")
def dataset():
    return load_dataset(BUNDLED_DATA_DIR)


def test_bundled_data_validates_without_a_problem():
    report = validate_directory(BUNDLED_DATA_DIR)
    assert [str(p) for p in report.problems] == []
    assert report.n_events >= 30


def test_every_quote_is_verbatim_in_the_source_text(dataset, source_text):
    missing = {
        row.event_id: missing_quote_segments(row.source_quote, source_text)
        for row in dataset.events.itertuples()
    }
    assert {k: v for k, v in missing.items() if v} == {}


def test_every_point_place_lies_in_its_stated_country(dataset):
    countries = dataset.regions[dataset.regions["level"] == "country"].set_index(
        "country"
    )
    points = dataset.places[dataset.places.geom_type == "Point"]
    assert len(points) > 0
    outside = [
        place.place_id
        for place in points.itertuples()
        if not any(
            countries.loc[code, "geometry"].buffer(0.03).contains(place.geometry)
            for code in place.country.split("|")
        )
    ]
    assert outside == []


def test_the_story_spans_1991_to_2015_in_all_three_layers(dataset):
    events = dataset.events
    assert events["date_start"].min().year == 1991
    assert events["date_end"].max().year == 2015
    assert set(events["layer"]) == {"attack", "base", "context"}
    assert events["event_id"].is_unique


@pytest.mark.parametrize(
    ("event_id", "expected"),
    [
        # The source: "five car bombs in Tashkent in February 1999" and
        # "explosions in Tashkent that killed 16 people".
        ("1999-02-tashkent-car-bombs", ("1999-02-01", "1999-02-28", "month", 16)),
        # "On 25 September 2002 the US Department of State is announcing the
        # redesignation".
        ("2002-09-25-fto-redesignation", ("2002-09-25", "2002-09-25", "day", None)),
        # "they claimed responsibility for the Karachi airport attack in June 2014".
        ("2014-06-karachi-airport-attack", ("2014-06-01", "2014-06-30", "month", None)),
        # "also publicly called for the violent overthrow", in the text of the
        # 25 September 2002 statement, by a group formed "around 1998".
        (
            "1997-imu-calls-for-overthrow-of-uzbek-government",
            ("1997-01-01", "2002-09-25", "approximate", None),
        ),
        # "its splinter group the Islamic Jihad Union": after the IMU formed
        # "around 1998", before the page's date.
        ("1997-iju-splits-from-imu", ("1997-01-01", "2015-12-07", "approximate", None)),
    ],
)
def test_key_rows_say_what_the_source_says(dataset, event_id, expected):
    row = dataset.events.set_index("event_id").loc[event_id]
    best = row["fatalities_best"]
    assert (
        row["date_start"].date().isoformat(),
        row["date_end"].date().isoformat(),
        row["date_precision"],
        None if best is None or str(best) == "<NA>" else int(best),
    ) == expected


def test_static_basemap_matches_the_regions():
    regions = gpd.read_file(BUNDLED_DATA_DIR / "regions.geojson")
    for name, payload in basemap_files(regions).items():
        assert (PROJECT_DIR / "static" / name).read_bytes() == payload, (
            f"static/{name} is stale: run `imu-geo basemap`"
        )


# --- rules every row follows ------------------------------------------------


def _rows() -> list[dict[str, str]]:
    with (BUNDLED_DATA_DIR / "events.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


ROWS = _rows()

# Words that can make a start "some time after X" (data/README.md section 2).
AFTER_WORDS = re.compile(
    r"\b(after|afterwards|subsequently|thereafter|later|resulted in)\b", re.I
)
# Rows whose start is an open "after X", read by hand from the source: the
# first day of X.
AFTER_STARTS = {
    # "The IMU in summer 2001 allied itself with the Taliban ... and
    # subsequently engaged U.S. forces": after summer 2001.
    "2001-imu-fights-coalition-forces": "2001-06-01",
    # "Since the fall of the Taliban in 2001 ... This ... has resulted in
    # additional security resources": after the activity that began in 2001.
    "2001-uzbek-tajik-border-security": "2001-01-01",
    # "found shelter in Pakistan's tribal areas after US bombing ... in late 2001"
    "2001-late-imu-shelters-in-fata": "2001-09-01",
    # "Many more came after Pakistan launched an offensive ... in the spring of 2014"
    "2014-spring-imu-fighters-move-to-northern-afghanistan": "2014-03-01",
    # "after they claimed responsibility for the Karachi airport attack in June
    # 2014, Pakistan's military made the group a priority target. Most appear to
    # have fled back into Afghanistan."
    "2014-06-imu-flees-back-to-afghanistan": "2014-06-01",
    "2014-06-pakistan-makes-imu-priority-target": "2014-06-01",
}
# Rows whose quote has such a word that does not date their own start, and why.
AFTER_WORD_ELSEWHERE = {
    "1997-imu-based-in-afghanistan": "'after' ends the stay; 'subsequently' is "
    "the fighting",
    "1999-imu-incursions-into-uzbekistan": "the deaths 'resulted' from the "
    "incursions, which start in their first year",
    "2001-summer-alliance-with-taliban": "'subsequently' is the fighting",
    "2001-late-imu-in-kunduz": "'after' dates the shelter in Pakistan",
    "2001-late-imu-in-takhar": "'after' dates the shelter in Pakistan",
    "2001-late-us-bombing-in-kunduz": "'after' dates the shelter in Pakistan",
    "2001-late-us-bombing-in-takhar": "'after' dates the shelter in Pakistan",
    "2011-jundullah-in-northern-afghanistan": "'after' dates the 2014 influx, "
    "not the earlier presence",
    "2014-spring-north-waziristan-offensive": "'after' dates the influx that "
    "followed the offensive",
    "2014-06-karachi-airport-attack": "'after' dates what Pakistan's military did next",
    "2015-07-29-omar-death-announced": "'thereafter' is the Taliban's "
    "confirmation, not the announcement",
}


def test_every_quote_with_an_after_word_has_been_read_for_its_start():
    with_word = {r["event_id"] for r in ROWS if AFTER_WORDS.search(r["source_quote"])}
    assert not set(AFTER_STARTS) & set(AFTER_WORD_ELSEWHERE)
    assert with_word == set(AFTER_STARTS) | set(AFTER_WORD_ELSEWHERE)


@pytest.mark.parametrize("event_id", sorted(AFTER_STARTS))
def test_an_open_after_start_is_approximate_from_the_first_day_of_x(event_id):
    row = next(r for r in ROWS if r["event_id"] == event_id)
    assert (row["date_start"], row["date_precision"]) == (
        AFTER_STARTS[event_id],
        "approximate",
    )
    # The notes quote the word the start rests on.
    assert re.search(r"'(after|subsequently|resulted)'", row["notes"])


# How the source names each party that `actors` may list, read by hand from
# the text. A new actor fails the test below until its spellings are added.
ACTOR_SPELLINGS = {
    "IMU": ("IMU", "Islamic Movement of Uzbekistan"),
    "IMU (Jundullah)": ("Jundullah",),
    "IMU splinter group": ("IMU splinter group",),
    "Tohir Yoldashev": ("Yoldashev", "Yo’ldashev"),
    "Juma Namangani": ("Namangani",),
    "Usmon Ghazi": ("Ghazi",),
    "Karimov": ("Karimov",),
    "United Tajik Opposition": ("United Tajik Opposition",),
    "Uzbek government": ("Uzbek government",),
    "US Department of State": ("US Department of State",),
    "US forces": ("U.S. forces",),
    "Pakistani military": ("Pakistan's military",),
    "Kyrgyzstani security forces": ("Kyrgyzstani security forces",),
    "Taliban": ("Taliban",),
    "Taliban (loyal to Mullah Omar's successor)": (
        "Taliban fighters loyal to Mullah Omar's successor",
    ),
    "Taliban splinter group (Mullah Dadullah)": ("Taliban splinter group",),
    "Hazara militiamen": ("Hazara militiamen",),
    "Islamic State": ("Islamic State",),
    "Afghan officials": ("Afghan officials",),
    "Islamic Jihad Union": ("Islamic Jihad Union",),
}
# Stands for no party: the text names no one for the act (data/README.md 5).
UNNAMED = "Unnamed attackers"
# A note that says where an actor comes from quotes the words the text uses.
ACTOR_NOTE = re.compile(r"The text says (?:only )?'([^']+)'")


def test_no_actor_is_named_that_the_quote_does_not_name():
    unread, unexplained = [], []
    for row in ROWS:
        quote, notes = row["source_quote"], row["notes"]
        for actor in row["actors"].split(";"):
            if actor == UNNAMED:
                # It stands alone, and only the paragraph ties the act to the IMU.
                if row["actors"] != UNNAMED or row["attribution"] != "suspected":
                    unexplained.append((row["event_id"], actor))
                continue
            if actor not in ACTOR_SPELLINGS:
                unread.append((row["event_id"], actor))
                continue
            if any(spelling in quote for spelling in ACTOR_SPELLINGS[actor]):
                continue
            # Not in the quote: the notes name the actor and quote the words
            # of the text it stands for.
            said = [words for words in ACTOR_NOTE.findall(notes) if words in quote]
            if not (said and actor in notes):
                unexplained.append((row["event_id"], actor))
    assert unread == []
    assert unexplained == []


def _find_segments(quote: str, source_text: str) -> list[tuple[int, int]]:
    """Where each segment of ``quote`` stands in the source, in quote order.

    White space is collapsed on both sides, as in the verbatim check. A
    segment is looked for after the end of the one before it; (-1, -1) marks
    one that is not there (out of order, or not in the source at all).
    """
    text = " ".join(source_text.split())
    spans, after = [], 0
    for segment in quote.split(QUOTE_SEPARATOR):
        segment = " ".join(segment.split())
        start = text.find(segment, after)
        if start < 0:
            spans.append((-1, -1))
            continue
        after = start + len(segment)
        spans.append((start, after))
    return spans


def test_quotes_mark_only_real_gaps_with_the_separator(source_text):
    text = " ".join(source_text.split())
    problems = []
    for row in ROWS:
        quote = row["source_quote"]
        # The separator is the only bracket form, never at an end; one space
        # joins everything else.
        if quote.count("[...]") != quote.count(QUOTE_SEPARATOR):
            problems.append((row["event_id"], "bare [...]"))
        if quote != quote.strip() or "\n" in quote or "  " in quote:
            problems.append((row["event_id"], "white space"))
        spans = _find_segments(quote, source_text)
        if (-1, -1) in spans:
            problems.append((row["event_id"], "segment missing or out of order"))
            continue
        for (_, end), (start, _) in zip(spans, spans[1:], strict=False):
            if not text[end:start].strip():
                problems.append((row["event_id"], "adjacent passages split"))
    assert problems == []


def test_the_separator_check_sees_adjacent_passages_and_order():
    text = "One. Two.\n\nThree. Four."
    assert _find_segments("One. [...] Three.", text) == [(0, 4), (10, 16)]
    assert _find_segments("Two. [...] Three.", text) == [(5, 9), (10, 16)]
    assert _find_segments("Three. [...] One.", text) == [(10, 16), (-1, -1)]


# Phrases whose start convention gives the latest start the text allows
# (data/README.md section 2). Every row whose quote has one is read by hand.
CONVENTION_PHRASES = re.compile(
    r"\b(several years|few years|by (?:early |mid-|late )?(?:19|20)\d\d)\b", re.I
)
# Rows whose start is set by such a convention, with the start it gives.
CONVENTION_STARTS = {
    # "for several years" before the influx after spring 2014: 2014 - 3
    "2011-jundullah-in-northern-afghanistan": "2011-01-01",
    # "the last few years" before the page's date (2015): 2015 - 3
    "2012-imu-fractures-and-disperses": "2012-01-01",
    # "by mid-2015": Jan 1 of the year named
    "2015-imu-pledges-allegiance-to-islamic-state": "2015-01-01",
}
CONVENTION_PHRASE_ELSEWHERE = {
    "2014-spring-north-waziristan-offensive": "'several years' is the earlier "
    "presence, coded on 2011-jundullah-in-northern-afghanistan",
    "2014-spring-imu-fighters-move-to-northern-afghanistan": "'several years' is "
    "the earlier presence, coded on 2011-jundullah-in-northern-afghanistan",
}


def test_every_quote_with_a_convention_phrase_has_been_read_for_its_start():
    with_phrase = {
        r["event_id"] for r in ROWS if CONVENTION_PHRASES.search(r["source_quote"])
    }
    assert with_phrase == set(CONVENTION_STARTS) | set(CONVENTION_PHRASE_ELSEWHERE)


@pytest.mark.parametrize("event_id", sorted(CONVENTION_STARTS))
def test_a_start_set_by_convention_says_an_earlier_one_is_not_ruled_out(event_id):
    row = next(r for r in ROWS if r["event_id"] == event_id)
    assert (row["date_start"], row["date_precision"], row["date_origin"]) == (
        CONVENTION_STARTS[event_id],
        "approximate",
        "assumed",
    )
    assert "an earlier start is not ruled out" in row["notes"]


EVENT_ID_IN_TEXT = re.compile(r"\b(?:19|20)\d\d-[a-z0-9-]*[a-z]\b")


def test_every_row_a_note_refers_to_exists():
    ids = {r["event_id"] for r in ROWS}
    dangling = [
        (row["event_id"], other)
        for row in ROWS
        for other in EVENT_ID_IN_TEXT.findall(row["notes"])
        if other not in ids
    ]
    assert dangling == []


def test_the_two_rows_on_the_northern_influx_refer_to_each_other():
    notes = {r["event_id"]: r["notes"] for r in ROWS}
    base = "2011-jundullah-in-northern-afghanistan"
    influx = "2014-spring-imu-fighters-move-to-northern-afghanistan"
    assert influx in notes[base]
    assert base in notes[influx]


# --- geometry: RFC 7946 section 3.1.6, the right-hand rule -------------------


def _signed_area(ring: list[list[float]]) -> float:
    """Shoelace area in lon/lat: positive when the ring runs counter-clockwise."""
    return (
        sum(
            x1 * y2 - x2 * y1
            for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False)
        )
        / 2
    )


def _rings(path) -> list[tuple[str, str, list[list[float]]]]:
    """(feature key, 'exterior' or 'hole', ring) for every polygon ring in a file."""
    document = json.loads(path.read_text(encoding="utf-8"))
    rings = []
    for feature in document["features"]:
        geometry, properties = feature["geometry"], feature["properties"]
        key = properties.get("place_id") or properties.get("region_id")
        polygons = {
            "Polygon": [geometry["coordinates"]],
            "MultiPolygon": geometry["coordinates"],
        }.get(geometry["type"], [])
        for exterior, *holes in polygons:
            rings.append((key, "exterior", exterior))
            rings += [(key, "hole", hole) for hole in holes]
    return rings


def test_the_signed_area_knows_which_way_a_ring_runs():
    square = [[0, 0], [2, 0], [2, 1], [0, 1], [0, 0]]  # counter-clockwise
    assert _signed_area(square) == 2
    assert _signed_area(square[::-1]) == -2


@pytest.mark.parametrize("name", ["places.geojson", "regions.geojson"])
def test_exterior_rings_run_counter_clockwise_and_holes_clockwise(name):
    rings = _rings(BUNDLED_DATA_DIR / name)
    # Both files have holes, so both halves of the rule are checked.
    assert {kind for _, kind, _ in rings} == {"exterior", "hole"}
    wrong = [
        (key, kind)
        for key, kind, ring in rings
        if (_signed_area(ring) > 0) != (kind == "exterior")
    ]
    assert wrong == []


def _build_places_module(monkeypatch):
    """scripts/build_places.py as a module (its dataclasses need it registered)."""
    spec = importlib.util.spec_from_file_location(
        "build_places", PROJECT_DIR / "scripts" / "build_places.py"
    )
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)
    spec.loader.exec_module(module)
    return module


def test_the_geometry_writer_winds_polygons_by_the_right_hand_rule(monkeypatch):
    from shapely.geometry import MultiPolygon, Polygon

    build = _build_places_module(monkeypatch)
    # Wound the wrong way: a clockwise shell with a counter-clockwise hole.
    shell = [(0, 0), (0, 4), (4, 4), (4, 0), (0, 0)]
    hole = [(1, 1), (2, 1), (2, 2), (1, 2), (1, 1)]
    for geometry in (
        Polygon(shell, [hole]),
        MultiPolygon([Polygon(shell, [hole]), Polygon([(5, 0), (5, 1), (6, 0)])]),
    ):
        written = build._geometry_json(geometry)
        polygons = (
            [written["coordinates"]]
            if written["type"] == "Polygon"
            else written["coordinates"]
        )
        for exterior, *holes in polygons:
            assert _signed_area(exterior) > 0
            assert all(_signed_area(h) < 0 for h in holes)
