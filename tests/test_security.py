"""Hostile input stays inert: formulas in every download, Markdown and deck.gl
code in every text the page shows, paths in the URL and on the static route,
oversized and damaged uploads; and the dependencies are pinned."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import urllib.error
import urllib.request
from importlib.metadata import PackageNotFoundError, version

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from imu_geo.data import BUNDLED_DATA_DIR, load_dataset
from imu_geo.export import table_csv_bytes, to_csv_bytes
from imu_geo.filters import FilterSpec, spec_from_query
from imu_geo.importers import ImportFailure, Limits, import_file
from imu_geo.layers import MapOptions, build_deck, tooltip_text
from imu_geo.method import SOURCE_COLUMNS
from imu_geo.summaries import choropleth_deck, choropleth_frame, summarise
from imu_geo.text import (
    deck_text,
    escape_markdown,
    from_deck_text,
    plain,
    show_controls,
    show_controls_in,
)
from tests.conftest import PROJECT_DIR
from tests.helpers import shown

FORMULAS = [
    '=HYPERLINK("http://evil.example","click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]
TEXT_COLUMNS = ("title", "description", "actors", "target", "notes", "source")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """A copy of the data with a formula in every free-text field of some events,
    in a place name and in a region name."""
    folder = tmp_path_factory.mktemp("formula-data")
    # The dataset's files; the world geography in data/world/ is not one.
    for path in BUNDLED_DATA_DIR.glob("*.*"):
        shutil.copy(path, folder / path.name)
    with (folder / "events.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for number, row in enumerate(rows[: len(FORMULAS)]):
        for column in TEXT_COLUMNS:
            row[column] = FORMULAS[(number + len(column)) % len(FORMULAS)]
    with (folder / "events.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    for name, key in (("places.geojson", "name"), ("regions.geojson", "name")):
        document = json.loads((folder / name).read_text(encoding="utf-8"))
        for feature in document["features"]:
            feature["properties"][key] = "=1+1 " + feature["properties"][key]
        (folder / name).write_text(json.dumps(document), encoding="utf-8")
    return load_dataset(folder)


def _cells(payload: bytes):
    text = payload.decode("utf-8-sig")
    for row in csv.reader(io.StringIO(text, newline="")):
        yield from row


def _assert_inert(payload: bytes) -> int:
    """Every cell a spreadsheet would run is a plain number; return how many
    cells were neutralised (start with an apostrophe)."""
    neutralised = 0
    for cell in _cells(payload):
        if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
            float(cell)  # e.g. -69.2: a number, not a formula
        neutralised += cell.startswith("'")
    return neutralised


def test_the_map_download_neutralises_every_formula(hostile):
    assert _assert_inert(to_csv_bytes(hostile.events)) >= len(FORMULAS) * len(
        TEXT_COLUMNS
    )


def test_the_sources_download_neutralises_every_formula(hostile):
    payload = table_csv_bytes(hostile.events[list(SOURCE_COLUMNS)])
    assert _assert_inert(payload) >= len(FORMULAS)


@pytest.mark.parametrize("level", ["country", "admin1", "valley"])
def test_the_regions_download_neutralises_every_formula(hostile, level):
    table = summarise(hostile.events, hostile.places, hostile.regions, level)
    assert _assert_inert(table_csv_bytes(table)) >= 1


def test_the_import_report_download_neutralises_every_formula():
    header = (
        "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,"
        "sub_event_type,actor1,actor2,country,admin1,location,latitude,longitude,"
        "geo_precision,source,notes,fatalities"
    ).split(",")
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for n, formula in enumerate(FORMULAS):
        row = dict.fromkeys(header, "")
        row.update(
            event_id_cnty=f"X{n}",
            event_date="=1+1",
            year="2018",
            time_precision="1",
            disorder_type="Political violence",
            event_type="Battles",
            sub_event_type="Armed clash",
            actor1=formula,
            actor2="Police",
            country="Afghanistan",
            admin1="Kunduz",
            location=formula,
            geo_precision="1",
            source="Pajhwok",
            notes=formula,
            fatalities="1",
        )
        writer.writerow(row.values())
    payload = buffer.getvalue().encode("utf-8")
    result = import_file("evil.csv", payload)
    report = result.report_frame()
    assert len(report) >= 4
    _assert_inert(table_csv_bytes(report))


@pytest.mark.parametrize(
    "params",
    [
        {"data": "/etc", "dir": "..", "file": "/etc/passwd"},
        {"event": "../../../../etc/passwd"},
        {"start": "../../data/events.csv", "end": "/etc/passwd"},
        {"q": "../../etc/passwd", "layers": "../app.py"},
    ],
)
def test_url_parameters_cannot_point_the_app_at_other_files(params):
    at = AppTest.from_file(str(PROJECT_DIR / "app.py"), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    # Still the bundled atlas, whatever the link says.
    assert any(c.value.startswith("Source of every event:") for c in at.caption)
    shown = [c.value for c in at.caption if re.match(r"^\d+ events? — ", c.value)]
    assert shown and "etc/passwd" not in " ".join(e.value for e in at.error)
    assert not any("root:" in m.value for m in at.markdown)


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as reply:
            return reply.status, reply.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


@pytest.mark.parametrize(
    "path",
    [
        "/app/static/../data/events.csv",
        "/app/static/%2e%2e/data/events.csv",
        "/app/static/..%2fdata%2fevents.csv",
        "/app/static/points/../../app.py",
        "/app/static/%2e%2e%2f%2e%2e%2fapp.py",
        "/app/static//etc/passwd",
    ],
)
def test_the_static_route_serves_nothing_outside_static(streamlit_server, path):
    status, body = _get(streamlit_server + path)
    assert status != 200 or (
        b"event_id,date_start" not in body
        and b"root:" not in body
        and b"st.navigation" not in body
    )
    # The basemap itself is served.
    assert _get(streamlit_server + "/app/static/basemap.geojson")[0] == 200


def test_the_importer_refuses_a_file_over_its_cap():
    with pytest.raises(ImportFailure, match="the limit is 1000 bytes"):
        import_file("big.csv", b"x" * 2_000, limits=Limits(max_bytes=1_000))


def test_dependencies_are_pinned_and_installed_as_pinned():
    lock = (PROJECT_DIR / "requirements.lock").read_text().splitlines()
    pins = dict(
        line.split("==", 1) for line in lock if line and not line.startswith("#")
    )
    for package in ("streamlit", "pydeck", "pandas", "geopandas", "shapely"):
        assert package in pins
    wrong = {}
    for package, pinned in pins.items():
        try:
            installed = version(package)
        except PackageNotFoundError:
            wrong[package] = (pinned, None)
            continue
        if installed != pinned:
            wrong[package] = (pinned, installed)
    assert wrong == {}
    makefile = (PROJECT_DIR / "Makefile").read_text()
    # make run, make test and make mutation install the project into .venv, each
    # with the lock; only make lock (into its own venv) installs without it.
    installs = [
        line.split()
        for line in makefile.splitlines()
        if line.startswith("\t$(BIN)/python -m pip install") and " -e " in line
    ]
    assert len(installs) == 3
    assert all(
        words[words.index("-c") + 1] == "requirements.lock" for words in installs
    )


# --- text shown on the page ---------------------------------------------------

WJ = "\u2060"  # the invisible word joiner that breaks patterns

# Input, and the Markdown source it must become (written by hand).
MARKDOWN_CASES = [
    (
        "![x](http://evil.example/leak)",
        r"\!\[x\]\(http\:" + WJ + r"//evil\.example/leak\)",
    ),
    (
        "[click me](http://evil.example/)",
        r"\[click me\]\(http\:" + WJ + r"//evil\.example/\)",
    ),
    ("see https://evil.example/x", r"see https\:" + WJ + r"//evil\.example/x"),
    ("www.evil.example", "www" + WJ + r"\.evil\.example"),
    ("WWW.Evil.example", "WWW" + WJ + r"\.Evil\.example"),
    ("write to someone@evil.example", "write to someone@" + WJ + r"evil\.example"),
    ("mailto:x@evil.example", r"mailto\:" + WJ + "x@" + WJ + r"evil\.example"),
    (":material/home:", r"\:" + WJ + r"material/home\:"),
    (
        ":red[alert] :blue-background[x]",
        r"\:" + WJ + r"red\[alert\] \:" + WJ + r"blue\-background\[x\]",
    ),
    (":smile: :+1:", r"\:" + WJ + r"smile\: \:" + WJ + r"\+1\:"),
    ("$x^2$ and $$y$$", r"\$x^2\$ and \$\$y\$\$"),
    ("<img src=x onerror=alert(1)>", r"\<img src\=x onerror\=alert\(1\)\>"),
    ("**bold** _it_ `code` # h", r"\*\*bold\*\* \_it\_ \`code\` \# h"),
    ("abc\u202egnp.exe", r"abc⟨U\+202E⟩gnp\.exe"),
    (
        "\u2066x\u2069 \u200fy\u200e \u061cz",
        r"⟨U\+2066⟩x⟨U\+2069⟩ ⟨U\+200F⟩y⟨U\+200E⟩ ⟨U\+061C⟩z",
    ),
    ("Place: Kabul, 12:30", r"Place\: Kabul, 12\:" + WJ + "30"),
    ("two\nlines\r\n\tand  tabs", "two lines and tabs"),
    ("@@#x.y", "@" + WJ + "@" + WJ + r"\#x\.y"),
]


@pytest.mark.parametrize(("text", "expected"), MARKDOWN_CASES)
def test_escape_markdown_makes_every_pattern_inert(text, expected):
    assert escape_markdown(text) == expected


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("x" * 100, 10, "x" * 9 + "…"),
        ("short", 10, "short"),
        ("exactly10!", 10, r"exactly10\!"),
        ("a [link](x) here", 8, r"a \[link…"),
    ],
)
def test_escape_markdown_cuts_to_a_limit(text, limit, expected):
    assert escape_markdown(text, limit) == expected


# The patterns GitHub-flavoured Markdown and Streamlit look for in the bare text
# (after escapes are undone): addresses, e-mails, icons, emoji, colours, maths.
LIVE_PATTERNS = [
    re.compile(r"https?://", re.I),
    re.compile(r"(mailto|xmpp):\w", re.I),
    re.compile(r"www\.", re.I),
    re.compile(r"[-.\w+]+@[-\w]+(\.[-\w]+)+"),
    re.compile(r":material/\w+:"),
    re.compile(r":[\w+-]+:"),
    re.compile(r":[a-z-]+\["),
]
# After escaping, these characters may only appear backslash-escaped.
SPECIAL = re.compile(r"(?<!\\)(?:\\\\)*[\[\]()!<>*_`$#|~]")


def _bare_text(markdown: str) -> str:
    """The text after CommonMark has undone the escapes (word joiners kept, as
    the browser keeps them)."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown)


@given(
    st.text(
        alphabet=st.sampled_from(list("wW.@:/[]()!<>*_`$#|~ hmtpsaxe1+-\\\u202e\n"))
        | st.characters(),
        max_size=60,
    )
)
def test_no_markdown_pattern_survives_escaping(text):
    markdown = escape_markdown(text)
    bare = _bare_text(markdown)
    for pattern in LIVE_PATTERNS:
        assert not pattern.search(bare), (pattern.pattern, text, markdown)
    assert not SPECIAL.search(markdown.replace("\\\\", "")), markdown
    assert not set(bare) & set(
        "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
    )
    # And it reads as the text: one line, controls named, nothing else changed.
    expected = " ".join(text.split())
    for (
        control
    ) in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c":
        expected = expected.replace(control, f"⟨U+{ord(control):04X}⟩")
    assert shown(markdown) == expected.replace(WJ, "")


@pytest.mark.parametrize(
    ("value", "limit", "expected"),
    [
        ("a\u202eb", None, "a⟨U+202E⟩b"),
        ("  spaced \n out ", None, "spaced out"),
        ("x" * 90, 80, "x" * 79 + "…"),
        ("[link](http://x)", None, "[link](http://x)"),  # plain text stays as is
    ],
)
def test_plain_is_one_line_with_visible_controls(value, limit, expected):
    assert plain(value, limit) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("@@=x", WJ + "@@=x"),
        ("@@#x.y", WJ + "@@#x.y"),
        ("@@type", WJ + "@@type"),
        ("@@function", WJ + "@@function"),
        ("a @@=x", "a @@=x"),
        ("@x", "@x"),
        (WJ + "@@=x", WJ + WJ + "@@=x"),
        (WJ + "plain", WJ + WJ + "plain"),
        ("line\nbreak", "line\nbreak"),
        ("abc\u202egnp.exe", "abc⟨U+202E⟩gnp.exe"),
    ],
)
def test_deck_text_defuses_converter_prefixes_and_can_be_undone(text, expected):
    assert deck_text(text) == expected
    if "\u202e" not in text:
        assert from_deck_text(deck_text(text)) == text


def test_show_controls_names_each_control():
    assert show_controls("\u202a\u202b\u202c\u202d") == (
        "⟨U+202A⟩⟨U+202B⟩⟨U+202C⟩⟨U+202D⟩"
    )


def test_tables_show_controls_and_keep_other_cells():
    frame = pd.DataFrame(
        {
            "name": ["abc\u202egnp.exe", "plain"],
            "n": [1, 2],
            "mixed": pd.Series(["\u2067x", None], dtype=object),
        }
    )
    result = show_controls_in(frame)
    assert list(result["name"]) == ["abc⟨U+202E⟩gnp.exe", "plain"]
    assert list(result["n"]) == [1, 2]
    assert result["mixed"].iloc[0] == "⟨U+2067⟩x" and result["mixed"].iloc[1] is None
    assert frame["name"].iloc[0] == "abc\u202egnp.exe"  # the data is untouched
    clean = pd.DataFrame({"name": ["a", "b"]})
    assert show_controls_in(clean) is clean


# --- the map's deck: no data string is read as code -----------------------------

HOSTILE_TEXTS = [
    "@@=x",
    "@@#x.y",
    "@@type",
    "@@function",
    "abc\u202egnp.exe",
    "<img src=x onerror=alert(1)>",
]


def _data_strings(deck_json: dict):
    """Every string in every layer's inline data, with its layer id."""

    def walk(value):
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for item in value.values():
                yield from walk(item)
        elif isinstance(value, list):
            for item in value:
                yield from walk(item)

    for layer in deck_json["layers"]:
        if isinstance(layer.get("data"), list):
            for text in walk(layer["data"]):
                yield layer["id"], text


def _hostile_dataset(tmp_path_factory, texts=HOSTILE_TEXTS, name="deck-data"):
    """A copy of the data where every text field of every event, every place
    name and every region name starts with a hostile text."""
    folder = tmp_path_factory.mktemp(name)
    # The dataset's files; the world geography in data/world/ is not one.
    for path in BUNDLED_DATA_DIR.glob("*.*"):
        shutil.copy(path, folder / path.name)
    with (folder / "events.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for number, row in enumerate(rows):
        for column in (*TEXT_COLUMNS, "source_quote"):
            if row[column] or column != "target":
                row[column] = texts[(number + len(column)) % len(texts)] + row[column]
    with (folder / "events.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    for file, key in (("places.geojson", "name"), ("regions.geojson", "name")):
        document = json.loads((folder / file).read_text(encoding="utf-8"))
        for number, feature in enumerate(document["features"]):
            properties = feature["properties"]
            properties[key] = texts[number % len(texts)] + properties[key]
        (folder / file).write_text(json.dumps(document), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def deck_hostile(tmp_path_factory):
    return load_dataset(_hostile_dataset(tmp_path_factory))


def test_no_data_string_in_any_deck_starts_with_a_converter_prefix(deck_hostile):
    events = deck_hostile.events
    geometry = dict(
        zip(deck_hostile.places["place_id"], deck_hostile.places.geometry, strict=True)
    )
    decks = [build_deck(events, geometry, MapOptions(relocation=True, halos=True))]
    for level in ("country", "admin1", "valley"):
        table = summarise(events, deck_hostile.places, deck_hostile.regions, level)
        for measure in ("events", "attacks", "killed"):
            frame = choropleth_frame(table, deck_hostile.regions, level, measure)
            decks.append(choropleth_deck(frame))
    seen = 0
    for deck in decks:
        for layer_id, text in _data_strings(json.loads(deck.to_json())):
            seen += 1
            assert not text.startswith("@@"), (layer_id, text)
            assert "\u202e" not in text, (layer_id, text)
    # The hostile texts did reach the decks, readable once the mark is dropped.
    tooltips = [
        t.replace(WJ, "")
        for deck in decks
        for _, t in _data_strings(json.loads(deck.to_json()))
    ]
    assert seen > 100
    for text in ("@@=x", "@@#x.y", "abc⟨U+202E⟩gnp.exe"):
        assert any(t.startswith(text) for t in tooltips), text


def test_a_tooltip_cuts_a_long_title_and_place():
    event = {
        "title": "T" * 5_000,
        "place_name": "P" * 5_000,
        "date_start": pd.Timestamp("2001-01-01"),
        "date_end": pd.Timestamp("2001-01-01"),
        "date_precision": "day",
        "geo_precision": "exact",
        "fatalities_low": None,
        "fatalities_best": None,
        "fatalities_high": None,
        "attribution": "claimed",
    }
    lines = tooltip_text(event).splitlines()
    assert lines[0] == "T" * 119 + "…"
    assert lines[2] == "Place: " + "P" * 59 + "… (exact)"


def _deck_of(at: AppTest) -> dict:
    (chart,) = at.get("deck_gl_json_chart")
    return json.loads(chart.proto.json)


def test_the_app_sends_no_data_string_as_converter_code(tmp_path_factory, monkeypatch):
    folder = _hostile_dataset(tmp_path_factory, name="deck-app-data")
    monkeypatch.setenv("IMU_GEO_DATA", str(folder))
    at = AppTest.from_file(str(PROJECT_DIR / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception and not at.error
    decks = [_deck_of(at)]
    at.switch_page("views/regions.py").run()
    assert not at.exception and not at.error
    decks.append(_deck_of(at))
    for deck in decks:
        texts = list(_data_strings(deck))
        assert texts
        assert [t for t in texts if t[1].startswith("@@")] == []
    # The strings that do start with @@ are the map's own accessors, none of
    # them carrying data text.
    own = re.findall(r'"(@@[^"]*)"', json.dumps(decks))
    assert own and not [
        t for t in own if "x.y" in t or t in ("@@=x", "@@function", "@@#")
    ]


# --- text from a link -----------------------------------------------------------

CHOICES = {"types": ("bombing",), "actors": ("IMU",), "countries": ("UZ",)}
DEFAULT = FilterSpec(
    start=pd.Timestamp("1991-01-01").date(), end=pd.Timestamp("2015-12-31").date()
)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (
            {"types": "![x](http://evil.example/leak)"},
            ["Unknown types in the link: ![x](http://evil.example/leak); showing all."],
        ),
        (
            {"start": "[click me](http://evil.example/)"},
            [
                "The start date “[click me](http://evil.example/)” is not an ISO "
                "date (YYYY-MM-DD); showing the default start."
            ],
        ),
        (
            {"mode": "x" * 500},
            [
                f"The mode “{'x' * 79}…” is not one of window, cumulative; "
                "showing a moving window."
            ],
        ),
        (
            {"actors": ",".join(f"a{n}" for n in range(8))},
            ["Unknown actors in the link: a0, a1, a2, a3, a4 and 3 more; showing all."],
        ),
        (
            {"q": "q" * 300},
            [
                "The search in the link is longer than 200 characters; searching "
                "for its first 200."
            ],
        ),
        (
            {"countries": "abc\u202egnp.exe"},
            ["Unknown countries in the link: abc⟨U+202E⟩gnp.exe; showing all."],
        ),
    ],
)
def test_link_warnings_quote_values_on_one_line_cut_short(params, expected):
    spec, warnings = spec_from_query(params, DEFAULT, CHOICES)
    assert warnings == expected
    assert len(spec.text) <= 200


def test_markdown_in_a_link_shows_as_text_in_the_warnings():
    at = AppTest.from_file(str(PROJECT_DIR / "app.py"), default_timeout=60)
    at.query_params["types"] = "![x](http://evil.example/leak)"
    at.query_params["start"] = "[click me](http://evil.example/)"
    at.query_params["actors"] = ":material/home: www.evil.example a@evil.example"
    at.query_params["q"] = "q" * 5_000
    at.run()
    assert not at.exception
    warnings = [w.value for w in at.warning]
    assert len(warnings) == 4, warnings
    for markdown in warnings:
        assert not SPECIAL.search(markdown.replace("\\\\", "")), markdown
        for pattern in LIVE_PATTERNS:
            assert not pattern.search(_bare_text(markdown)), markdown
        assert len(markdown) < 400
    assert any("![x](http://evil.example/leak)" in shown(w) for w in warnings)
    # The search box takes at most 200 characters, and so does the link.
    assert at.text_input(key="f_text").max_chars == 200
    assert at.text_input(key="f_text").value == "q" * 200
    assert at.query_params["q"] == "q" * 200
