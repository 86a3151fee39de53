"""The ACLED crosswalk, field by field, against ACLED's codebook and section 2 of
docs/import.md: ``time_precision`` 1 to 3 as intervals, ``geo_precision`` 1 to
3, the types of ``tables/acled_types.csv`` and of before 2019
(``tables/acled_old_types.csv``), actors, notes, and the rows of one event in
the monadic layout. Every expected value is written out by hand from those
definitions."""

from __future__ import annotations

from datetime import date

import pytest

from imu_geo.importers import acled
from imu_geo.importers.acled import _acled, _acled_types, _classify, _interval

from .crosswalk_rows import walk as walk_crosswalk

BASE = {
    "event_id_cnty": "UZB1",
    "event_date": "2009-05-26",
    "time_precision": "1",
    "latitude": "40.7834",
    "longitude": "72.3507",
    "geo_precision": "1",
}


def walk(*rows: dict):
    return walk_crosswalk(_acled, *rows)


def first(series) -> object:
    return list(series)[0]


# --- types ------------------------------------------------------------------------

# (sub_event_type, event_type) -> (layer, type, where it was found, the 2019 type).
TYPES = [
    # sub_event_type first (acled_types.csv), in any case
    ("Suicide bomb", "Explosions/Remote violence", ("attack", "suicide_bombing")),
    ("suicide BOMB", "", ("attack", "suicide_bombing")),
    ("Remote explosive/landmine/IED", "", ("attack", "bombing")),
    ("Shelling/artillery/missile attack", "", ("attack", "bombing")),
    ("Government regains territory", "", ("attack", "armed_assault")),
    ("Non-state actor overtakes territory", "", ("attack", "armed_assault")),
    ("Sexual violence", "", ("attack", "armed_assault")),
    ("Abduction/forced disappearance", "", ("attack", "hostage_taking")),
    ("Headquarters or base established", "", ("base", "group_base")),
    ("Arrests", "Strategic developments", ("context", "crackdown")),
    ("Agreement", "Strategic developments", ("context", "alliance")),
]
TYPES = [(s, e, (*found, "sub_event_type", "")) for s, e, found in TYPES] + [
    # then event_type, for a sub-type the table does not know
    ("Peaceful protest", "Protests", ("context", "statement", "event_type", "")),
    ("", "battles", ("attack", "armed_assault", "event_type", "")),
    (
        "Looting",
        "Violence against civilians",
        ("attack", "armed_assault", "event_type", ""),
    ),
    ("", "Violence against civilians", ("attack", "armed_assault", "event_type", "")),
    ("", "Riots", ("context", "statement", "event_type", "")),
    # then a type of before 2019, through its 2019 type and sub-type
    (
        "",
        "Battle-No change of territory",
        ("attack", "armed_assault", "pre-2019", "Battles / Armed clash"),
    ),
    (
        "",
        "Battle-Government regains territory",
        (
            "attack",
            "armed_assault",
            "pre-2019",
            "Battles / Government regains territory",
        ),
    ),
    (
        "",
        "battle-non-state actors overtake territory",
        (
            "attack",
            "armed_assault",
            "pre-2019",
            "Battles / Non-state actor overtakes territory",
        ),
    ),
    (
        "",
        "Remote violence",
        ("attack", "bombing", "pre-2019", "Explosions/Remote violence"),
    ),
    ("", "Riots/Protests", ("context", "statement", "pre-2019", "Protests or Riots")),
    (
        "",
        "Strategic development",
        ("context", "statement", "pre-2019", "Strategic developments"),
    ),
    (
        "",
        "Headquarters or base established",
        (
            "base",
            "group_base",
            "pre-2019",
            "Strategic developments / Headquarters or base established",
        ),
    ),
    (
        "",
        "Non-violent transfer of territory",
        (
            "context",
            "statement",
            "pre-2019",
            "Strategic developments / Non-violent transfer of territory",
        ),
    ),
    # an old type with a sub-type is not an old row: unmapped
    ("Something", "Remote violence", ("context", "statement", "", "")),
    ("", "Looting", ("context", "statement", "", "")),
    ("", "", ("context", "statement", "", "")),
]


@pytest.mark.parametrize(("sub_type", "event_type", "expected"), TYPES)
def test_types_follow_the_tables_then_the_types_of_before_2019(
    sub_type, event_type, expected
):
    assert _classify(sub_type, event_type) == expected


def test_old_alternatives_count_only_when_they_agree(monkeypatch):
    # An old type that could be either of two 2019 types of different layers
    # cannot be read as either.
    monkeypatch.setitem(
        acled.ACLED_OLD_TYPES, "fight or talk", (("Battles", "Protests"), "")
    )
    assert _classify("", "Fight or talk") == ("context", "statement", "", "")
    monkeypatch.setitem(
        acled.ACLED_OLD_TYPES, "fight", (("Battles", "Violence against civilians"), "")
    )
    assert _classify("", "Fight") == (
        "attack",
        "armed_assault",
        "pre-2019",
        "Battles or Violence against civilians",
    )


# The tables of docs/import.md (ACLED), keys in lower case as they are compared.
SUB_EVENT_TYPES = {
    "suicide bomb": ("attack", "suicide_bombing"),
    "remote explosive/landmine/ied": ("attack", "bombing"),
    "grenade": ("attack", "bombing"),
    "shelling/artillery/missile attack": ("attack", "bombing"),
    "air/drone strike": ("attack", "bombing"),
    "armed clash": ("attack", "armed_assault"),
    "government regains territory": ("attack", "armed_assault"),
    "non-state actor overtakes territory": ("attack", "armed_assault"),
    "attack": ("attack", "armed_assault"),
    "sexual violence": ("attack", "armed_assault"),
    "abduction/forced disappearance": ("attack", "hostage_taking"),
    "disrupted weapons use": ("attack", "foiled_plot"),
    "headquarters or base established": ("base", "group_base"),
    "agreement": ("context", "alliance"),
    "arrests": ("context", "crackdown"),
}
EVENT_TYPES = {
    "battles": ("attack", "armed_assault"),
    "violence against civilians": ("attack", "armed_assault"),
    "explosions/remote violence": ("attack", "bombing"),
    "protests": ("context", "statement"),
    "riots": ("context", "statement"),
    "strategic developments": ("context", "statement"),
}


@pytest.mark.parametrize(
    ("column", "expected"),
    [("sub_event_type", SUB_EVENT_TYPES), ("event_type", EVENT_TYPES), ("notes", {})],
)
def test_the_type_tables_are_those_of_the_docs(column, expected):
    assert _acled_types(column) == expected


# --- time_precision ---------------------------------------------------------------

# (event_date as ISO, time_precision) -> (first, last, precision, date_origin).
INTERVALS = [
    ("", "1", (None, None, "", "")),
    ("2009-05-26", "1", (date(2009, 5, 26), date(2009, 5, 26), "day", "source")),
    (
        "2009-05-26",
        "2",
        (date(2009, 5, 23), date(2009, 5, 29), "approximate", "assumed"),
    ),
    (
        "2009-05-01",
        "2",
        (date(2009, 4, 28), date(2009, 5, 4), "approximate", "assumed"),
    ),
    ("2009-05-26", "3", (date(2009, 5, 1), date(2009, 5, 31), "month", "source")),
    ("2008-02-10", "3", (date(2008, 2, 1), date(2008, 2, 29), "month", "source")),
]


@pytest.mark.parametrize(("day", "code", "expected"), INTERVALS)
def test_time_precision_gives_the_interval(day, code, expected):
    assert _interval(day, code) == expected


@pytest.mark.parametrize(("day", "code", "expected"), INTERVALS[1:])
def test_each_row_is_dated_by_its_time_precision(day, code, expected):
    row = BASE | {"event_date": day, "time_precision": code, "event_type": "Riots"}
    cross, issues = walk(row)
    assert issues == []
    assert (
        first(cross.date_start),
        first(cross.date_end),
        first(cross.date_precision),
        first(cross.date_origin),
    ) == expected


# (time_precision, geo_precision) -> (geo_precision, the issues on them).
PRECISION_CODES = [
    ("1", "1", "near", []),
    ("1", "2", "district", []),
    ("1", "3", "province", []),
    (" 3 ", "2.0", "district", []),
    (
        "4",
        "1",
        "near",
        [
            (
                0,
                "rejected",
                "time_precision",
                "'4' is not an ACLED time_precision (1, 2 or 3)",
            )
        ],
    ),
    (
        "",
        "1",
        "near",
        [
            (
                0,
                "rejected",
                "time_precision",
                "'' is not an ACLED time_precision (1, 2 or 3)",
            )
        ],
    ),
    (
        "1",
        "4",
        "",
        [
            (
                0,
                "rejected",
                "geo_precision",
                "'4' is not an ACLED geo_precision (1, 2 or 3)",
            )
        ],
    ),
    (
        "1",
        "",
        "province",
        [
            (
                0,
                "repaired",
                "geo_precision",
                "is empty; the point is taken to be of province precision, the "
                "coarsest its codebook gives",
            )
        ],
    ),
]


@pytest.mark.parametrize(("tp", "gp", "geo", "expected"), PRECISION_CODES)
def test_precision_codes_follow_the_codebook(tp, gp, geo, expected):
    row = BASE | {"time_precision": tp, "geo_precision": gp, "event_type": "Battles"}
    cross, issues = walk(row)
    assert issues == expected
    assert cross.geo_precision.tolist() == [geo]


# --- what each row says -----------------------------------------------------------

# (cells) -> (title, description, notes after "event_id_cnty UZB1. ").
WORDS = [
    (
        {
            "disorder_type": "Political violence",
            "event_type": "Explosions/Remote violence",
            "sub_event_type": "Suicide bomb",
            "location": "Andijan",
            "source": "Reuters",
        },
        "Suicide bomb",
        "Political violence / Explosions/Remote violence / Suicide bomb at Andijan",
        "ACLED type: Political violence / Explosions/Remote violence / Suicide "
        "bomb. time_precision 1 (the day); geo_precision 1 (near). ACLED source: "
        "Reuters.",
    ),
    (
        {"event_type": "Battles", "time_precision": "2", "geo_precision": "3"},
        "Battles",
        "Battles",
        "ACLED type: Battles. time_precision 2 (event_date ± 3 days); "
        "geo_precision 3 (province).",
    ),
    (
        {"event_type": "Remote violence", "location": "Qunduz"},
        "Remote violence",
        "Remote violence at Qunduz",
        "ACLED type: Remote violence. ACLED's type before 2019, read as its 2019 "
        "type Explosions/Remote violence. time_precision 1 (the day); "
        "geo_precision 1 (near).",
    ),
    (
        {"location": "Osh", "time_precision": "3", "geo_precision": ""},
        "ACLED event",
        "ACLED event at Osh",
        "time_precision 3 (the month); geo_precision empty (province).",
    ),
]


@pytest.mark.parametrize(("cells", "title", "description", "notes"), WORDS)
def test_each_row_says_what_and_where(cells, title, description, notes):
    cross, _ = walk(BASE | cells)
    assert cross.title.tolist() == [title]
    assert cross.description.tolist() == [description]
    assert cross.notes.tolist() == ["Imported from ACLED: event_id_cnty UZB1. " + notes]


def test_columns_go_where_the_crosswalk_says():
    rows = [
        BASE
        | {
            "event_id_cnty": " KGZ7 ",
            "event_type": "Violence against civilians",
            "sub_event_type": "Abduction/forced disappearance",
            "actor1": "IMU",
            "assoc_actor_1": "IJU",
            "actor2": "Civilians (Japan)",
            "assoc_actor_2": " Civilians (Kyrgyzstan) ",
            "location": " Batken ",
            "country": "Kyrgyzstan",
            "notes": "Four geologists were kidnapped.",
            "fatalities": "0",
        },
        BASE
        | {
            "event_type": "Battles",
            "actor2": "",
            "assoc_actor_2": "Police",
            "fatalities": "12",
        },
    ]
    cross, issues = walk(*rows)
    assert issues == []
    assert cross.source_id.tolist() == ["KGZ7", "UZB1"]
    assert cross.id_column == "event_id_cnty"
    assert cross.layer.tolist() == ["attack", "attack"]
    assert cross.event_type.tolist() == ["hostage_taking", "armed_assault"]
    assert cross.actors.tolist() == ["IMU; IJU", ""]
    assert cross.target.tolist() == [
        "Civilians (Japan); Civilians (Kyrgyzstan)",
        "Police",
    ]
    assert [s.tolist() for s in cross.fatalities] == [["", ""], ["0", "12"], ["", ""]]
    assert cross.place_name.tolist() == ["Batken", ""]
    assert cross.country.tolist() == ["Kyrgyzstan", ""]
    assert cross.source_quote.tolist() == [
        "Four geologists were kidnapped.",
        "[no text in the source row]",
    ]
    assert cross.source_event_type.tolist() == ["Violence against civilians", "Battles"]
    assert cross.source_sub_event_type.tolist() == [
        "Abduction/forced disappearance",
        "",
    ]
    assert cross.admin1_column == "admin1"
    assert cross.merged_into is None
    assert cross.file_notes == []


def test_ally_actors_of_before_2019_join_the_actors():
    row = BASE | {
        "event_type": "Battles",
        "actor1": "IMU",
        "ally_actor_1": "Taliban",
        "actor2": "Military Forces of Uzbekistan",
        "ally_actor_2": "Police Forces of Uzbekistan",
    }
    cross, _ = walk(row)
    assert cross.actors.tolist() == ["IMU; Taliban"]
    assert cross.target.tolist() == [
        "Military Forces of Uzbekistan; Police Forces of Uzbekistan"
    ]


# (the rows' type cells) -> (issues, file notes) of the rows no table knows.
UNMAPPED = [
    (
        [{"event_type": "Looting", "sub_event_type": ""}, {"event_type": "Battles"}],
        [
            (
                0,
                "repaired",
                "sub_event_type",
                "unmapped type: ACLED 'Looting' is in no crosswalk table; read as "
                "context/statement",
            )
        ],
        [
            "1 row has an ACLED type that no crosswalk table knows (unmapped), "
            "read as context/statement: 'Looting' (1)"
        ],
    ),
    (
        [
            {"event_type": "Looting", "sub_event_type": "Theft"},
            {"event_type": "Looting", "sub_event_type": "Theft"},
            {"event_type": "", "sub_event_type": ""},
        ],
        [
            (
                0,
                "repaired",
                "sub_event_type",
                "unmapped type: ACLED 'Looting' / 'Theft' is in no crosswalk table; "
                "read as context/statement",
            ),
            (
                1,
                "repaired",
                "sub_event_type",
                "unmapped type: ACLED 'Looting' / 'Theft' is in no crosswalk table; "
                "read as context/statement",
            ),
            (
                2,
                "repaired",
                "sub_event_type",
                "unmapped type: the row has no ACLED type; read as context/statement",
            ),
        ],
        [
            "3 rows have an ACLED type that no crosswalk table knows (unmapped), "
            "read as context/statement: 'Looting' / 'Theft' (2), (no type) (1)"
        ],
    ),
    # Before 2019 there is no sub_event_type column: the event_type is named.
    (
        [{"event_type": "Looting"}],
        [
            (
                0,
                "repaired",
                "event_type",
                "unmapped type: ACLED 'Looting' is in no crosswalk table; read as "
                "context/statement",
            )
        ],
        [
            "1 row has an ACLED type that no crosswalk table knows (unmapped), "
            "read as context/statement: 'Looting' (1)"
        ],
    ),
    (
        [{"sub_event_type": "Theft"}],
        [
            (
                0,
                "repaired",
                "sub_event_type",
                "unmapped type: ACLED 'Theft' is in no crosswalk table; read as "
                "context/statement",
            )
        ],
        [
            "1 row has an ACLED type that no crosswalk table knows (unmapped), "
            "read as context/statement: 'Theft' (1)"
        ],
    ),
    # A file with no type column at all says so once.
    (
        [{}, {}],
        [],
        ["has no event_type column; every event is read as context/statement"],
    ),
]


@pytest.mark.parametrize(("cells", "issues", "notes"), UNMAPPED)
def test_unmapped_types_are_repairs_and_a_file_note(cells, issues, notes):
    cross, found = walk(*(BASE | c for c in cells))
    assert found == issues
    assert cross.file_notes == notes


# --- the monadic layout -------------------------------------------------------------

MONADIC = BASE | {"event_type": "Battles", "notes": "Clashes.", "inter1": "2"}


def joined(rows: str) -> str:
    return (
        f" ACLED's monadic layout lists this event once per actor (rows {rows}); "
        "their actors are joined."
    )


def merged(position: int, row: int):
    return (
        position,
        "repaired",
        "event_id_cnty",
        f"the same event as row {row} (ACLED's monadic layout lists an event once "
        "per actor); this row's actor joins that event's actors",
    )


NOTES = (
    "Imported from ACLED: event_id_cnty {}. ACLED type: Battles. time_precision 1 "
    "(the day); geo_precision 1 (near)."
)

# (rows) -> (merged_into, actors, the monadic part of each row's notes, issues).
MONADIC_CASES = [
    (
        [
            MONADIC | {"actor1": "IMU"},
            MONADIC | {"actor1": "Taliban", "assoc_actor_1": "IJU", "inter1": "3"},
        ],
        [-1, 0],
        ["IMU; Taliban; IJU", "Taliban; IJU"],
        [joined("2, 3"), ""],
        [merged(1, 2)],
    ),
    # Two events interleaved; a row of the same id that differs elsewhere is an
    # event of its own; an actor named twice is named once.
    (
        [
            MONADIC | {"actor1": "IMU"},
            MONADIC | {"event_id_cnty": "UZB2", "actor1": "A"},
            MONADIC | {"actor1": "Police"},
            MONADIC | {"event_id_cnty": "UZB2", "actor1": "A"},
            MONADIC | {"event_id_cnty": "UZB2", "actor1": "", "inter1": "8"},
            MONADIC | {"actor1": "Army", "notes": "Other clashes."},
        ],
        [-1, -1, 0, 1, 1, -1],
        ["IMU; Police", "A", "Police", "A", "", "Army"],
        [joined("2, 4"), joined("3, 5, 6"), "", "", "", ""],
        [merged(2, 2), merged(3, 3), merged(4, 3)],
    ),
]


@pytest.mark.parametrize(("rows", "into", "actors", "notes", "issues"), MONADIC_CASES)
def test_monadic_rows_of_one_event_make_one_event(rows, into, actors, notes, issues):
    cross, found = walk(*rows)
    assert list(cross.merged_into) == into
    assert cross.actors.tolist() == actors
    assert cross.notes.tolist() == [
        NOTES.format(row["event_id_cnty"]) + note
        for row, note in zip(rows, notes, strict=True)
    ]
    assert found == issues


def test_monadic_columns_are_compared_whatever_their_case():
    rows = [
        {k.upper(): v for k, v in (MONADIC | {"actor1": name, "inter1": i}).items()}
        for name, i in (("IMU", "2"), ("Army", "1"))
    ]
    cross, found = walk(*rows)
    assert list(cross.merged_into) == [-1, 0]
    assert cross.actors.tolist() == ["IMU; Army", "Army"]
    assert found == [merged(1, 2)]


@pytest.mark.parametrize(
    "rows",
    [
        # dyadic: an actor2 column, so a repeated id is not one event per actor
        [
            MONADIC | {"actor1": "IMU", "actor2": ""},
            MONADIC | {"actor1": "Army", "actor2": ""},
        ],
        # no actor1 column
        [MONADIC, MONADIC],
        # no id repeated
        [
            MONADIC | {"actor1": "IMU"},
            MONADIC | {"event_id_cnty": "UZB2", "actor1": "IMU"},
        ],
        # ids left empty are not one id
        [
            MONADIC | {"event_id_cnty": "", "actor1": "IMU"},
            MONADIC | {"event_id_cnty": "", "actor1": "Army"},
        ],
    ],
)
def test_rows_are_merged_only_in_the_monadic_layout(rows):
    cross, found = walk(*rows)
    assert cross.merged_into is None
    assert [i for i in found if i[2] == "event_id_cnty"] == []


@pytest.mark.parametrize(
    ("codes", "said"),
    [
        ({"time_precision": "4"}, "time_precision 4; geo_precision 1 (near)."),
        ({"geo_precision": "4"}, "time_precision 1 (the day); geo_precision 4."),
    ],
)
def test_a_code_outside_the_codebook_is_noted_without_words(codes, said):
    cross, _ = walk(BASE | {"event_type": "Battles"} | codes)
    assert cross.notes.tolist() == [
        "Imported from ACLED: event_id_cnty UZB1. ACLED type: Battles. " + said
    ]


@pytest.mark.parametrize(
    ("order", "expected"),
    [(None, date(2009, 4, 3)), ("dmy", date(2009, 4, 3)), ("mdy", date(2009, 3, 4))],
)
def test_the_users_order_reads_event_date(order, expected):
    # ACLED's codebook writes the day first; an order given wins.
    row = BASE | {"event_type": "Battles", "event_date": "03/04/2009"}
    cross, _ = walk_crosswalk(_acled, row, date_order=order)
    assert list(cross.date_start) == [expected]


def test_a_copy_without_geo_precision_says_once_how_its_points_are_taken():
    # The import asks an ACLED file for geo_precision; the crosswalk itself
    # says in one file note, not on every row, what a copy without it gives.
    row = {k: v for k, v in BASE.items() if k != "geo_precision"}
    cross, issues = walk(row | {"event_type": "Battles"}, row | {"event_type": "Riots"})
    assert issues == []
    assert cross.geo_precision.tolist() == ["province", "province"]
    assert cross.file_notes == [
        "has no geo_precision column; every point is taken to be of province "
        "precision, the coarsest its codebook gives"
    ]
