"""Safe text, case by case: names as a gazetteer compares them, cuts, controls.

Every expected value is written by hand from the rules in ``imu_geo.text``'s
docstrings (accents dropped, case folded, apostrophe-like marks to ``'``, dashes
and underscores to spaces; a cut ends in ``…`` within the limit; a bidirectional
control is shown as ``⟨U+XXXX⟩``).
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pytest

from imu_geo.text import (
    MARK,
    counted,
    cut,
    deck_text,
    escape_markdown,
    from_deck_text,
    markdown_table,
    normalise_name,
    plain,
    plural,
    show_controls,
    show_controls_in,
)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Kunduz", "kunduz"),
        ("  Kunduz   Province ", "kunduz province"),
        ("MAZAR-E SHARIF", "mazar e sharif"),
        ("mazar_e_sharif", "mazar e sharif"),
        ("`Ali Abad", "'ali abad"),
        ("Mazār-e Sharīf", "mazar e sharif"),
        ("Köln", "koln"),
        ("Straße", "strasse"),
        ("O’zbekiston", "o'zbekiston"),
        ("Qal‘a-i Naw", "qal'a i naw"),
        ("ʻUrganch", "'urganch"),
        ("Farg‘ona ʼ ´x", "farg'ona ' 'x"),
        # ´ is an apostrophe-like mark too, not an accent over nothing.
        ("O´zbekiston", "o'zbekiston"),
        ("Naryn—Jalal‐Abad–Osh‑Batken‒x", "naryn jalal abad osh batken x"),
        ("Ğ̈", "g"),
    ],
)
def test_a_place_name_is_compared_without_accents_case_or_marks(name, expected):
    assert normalise_name(name) == expected


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("abcdef", 6, "abcdef"),
        ("abcdef", 7, "abcdef"),
        ("abcdef", 5, "abcd…"),
        ("abcdef", 2, "a…"),
        ("abcdef", 1, "…"),
        ("", 1, ""),
    ],
)
def test_a_cut_ends_in_an_ellipsis_within_the_limit(text, limit, expected):
    assert cut(text, limit) == expected


@pytest.mark.parametrize("limit", [0, -3])
def test_a_cut_needs_room_for_one_character(limit):
    with pytest.raises(ValueError, match="^limit must be at least 1$"):
        cut("abc", limit)


@pytest.mark.parametrize(
    ("value", "limit", "expected"),
    [
        ("a\n b\t\tc  ", None, "a b c"),
        (12, None, "12"),
        (None, None, "None"),
        ("one two three", 7, "one tw…"),
        ("a\u202eb", None, "a⟨U+202E⟩b"),
        ("a\u202eb", 4, "a⟨U…"),
    ],
)
def test_plain_text_is_one_line_with_controls_shown(value, limit, expected):
    assert plain(value, limit) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("abc", "abc"),
        ("a\u202eb\u200fc", "a⟨U+202E⟩b⟨U+200F⟩c"),
        ("\u061c\u2066\u2069", "⟨U+061C⟩⟨U+2066⟩⟨U+2069⟩"),
        ("\u202a\u202b\u202c\u202d", "⟨U+202A⟩⟨U+202B⟩⟨U+202C⟩⟨U+202D⟩"),
        ("\u2067\u2068\u200e", "⟨U+2067⟩⟨U+2068⟩⟨U+200E⟩"),
        ("\u2060x", "\u2060x"),
    ],
)
def test_every_bidirectional_control_is_shown_by_its_code(text, expected):
    assert show_controls(text) == expected


@pytest.mark.parametrize(
    ("value", "limit", "expected"),
    [
        ("www.x.org", None, "www" + MARK + r"\.x\.org"),
        ("WWW.X", None, "WWW" + MARK + r"\.X"),
        (":smile:", None, r"\:" + MARK + r"smile\:"),
        ("a@b.c", None, "a@" + MARK + r"b\.c"),
        ("a: b", None, r"a\: b"),
        ("1 < 2 & 3", None, r"1 \< 2 \& 3"),
        ("x" * 10, 4, "xxx…"),
    ],
)
def test_markdown_breaks_patterns_and_escapes_punctuation(value, limit, expected):
    assert escape_markdown(value, limit) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("@@=x", MARK + "@@=x"),
        ("@@#x.y", MARK + "@@#x.y"),
        ("@x", "@x"),
        ("a@@", "a@@"),
        (MARK + "a", MARK + MARK + "a"),
        ("two\nlines", "two\nlines"),
        ("\u202e@@", "⟨U+202E⟩@@"),
        (7, "7"),
    ],
)
def test_deck_text_marks_converter_prefixes_and_undoes_the_mark(value, expected):
    assert deck_text(value) == expected
    assert from_deck_text(expected) == (
        expected[1:] if expected.startswith(MARK) else expected
    )


def test_controls_are_shown_in_text_cells_of_any_kind_and_nowhere_else():
    frame = pd.DataFrame(
        {
            "object": pd.Series([1, "a\u202eb", None], dtype=object),
            "string": pd.Series(["x", None, "\u200fy"], dtype="string"),
            "number": [1.5, 2.5, 3.5],
        }
    )
    shown = show_controls_in(frame)
    assert shown["object"].tolist() == [1, "a⟨U+202E⟩b", None]
    assert shown["string"].tolist() == ["x", pd.NA, "⟨U+200F⟩y"]
    assert shown["number"].tolist() == [1.5, 2.5, 3.5]
    # The frame given is left as it was.
    assert frame.loc[1, "object"] == "a\u202eb"
    assert frame.loc[2, "string"] == "\u200fy"


def test_controls_are_shown_in_arrow_text_too():
    frame = pd.DataFrame(
        {"arrow": pd.Series(["\u2066a", "b"], dtype=pd.ArrowDtype(pa.string()))}
    )
    assert show_controls_in(frame)["arrow"].tolist() == ["⟨U+2066⟩a", "b"]


def test_controls_are_shown_in_categorical_text_too():
    frame = pd.DataFrame(
        {
            "layer": pd.Categorical(["abc\u202egnp.exe", "x", "abc\u202egnp.exe"]),
            "plain": pd.Categorical(["a", "b", "a"]),
            "codes": pd.Categorical([1, 2, 1]),
        }
    )
    shown = show_controls_in(frame)
    assert shown["layer"].tolist() == ["abc⟨U+202E⟩gnp.exe", "x", "abc⟨U+202E⟩gnp.exe"]
    # Columns without a control keep their kind.
    assert shown["plain"].dtype == "category"
    assert shown["codes"].tolist() == [1, 2, 1]
    assert frame["layer"].tolist()[0] == "abc\u202egnp.exe"
    clean = frame.drop(columns="layer")
    assert show_controls_in(clean) is clean
    # A categorical column without a control does not end the search.
    later = pd.DataFrame(
        {"plain": pd.Categorical(["a", "b"]), "text": ["x", "\u202ey"]}
    )
    assert show_controls_in(later)["text"].tolist() == ["x", "⟨U+202E⟩y"]


def test_controls_are_shown_in_the_rows_they_are_in_whatever_the_index():
    # Rows left over from a filter keep their labels, not 0, 1, 2 ...
    frame = pd.DataFrame({"text": ["a", "\u202eb", "c"]}, index=[7, 3, 9])
    shown = show_controls_in(frame)
    assert shown["text"].tolist() == ["a", "⟨U+202E⟩b", "c"]
    assert shown.index.tolist() == [7, 3, 9]


def test_a_frame_without_controls_is_the_frame_itself_whatever_its_columns():
    frame = pd.DataFrame({"number": [1, 2], "text": ["a", "b"]})
    assert show_controls_in(frame) is frame
    # A number column before a text column does not end the search.
    frame = pd.DataFrame({"number": [1, 2], "text": pd.Series(["a", "\u202eb"])})
    shown = show_controls_in(frame)
    assert shown is not frame
    assert shown["text"].tolist() == ["a", "⟨U+202E⟩b"]
    assert shown["number"].tolist() == [1, 2]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("  Köln \t Süd  ", "koln sud"),
        ("Āb-i  Ṣāfī", "ab i safi"),
    ],
)
def test_a_name_with_accents_loses_its_extra_spaces_too(name, expected):
    assert normalise_name(name) == expected


@pytest.mark.parametrize(
    ("count", "one", "many", "expected"),
    [
        (0, "row", None, "0 rows"),
        (1, "row", None, "1 row"),
        (2, "row", None, "2 rows"),
        (-1, "row", None, "-1 rows"),
        (1_000, "event", None, "1,000 events"),
        (1_234_567, "event", None, "1,234,567 events"),
        (1, "event passes", "events pass", "1 event passes"),
        (3, "event passes", "events pass", "3 events pass"),
        (2, "country", "countries", "2 countries"),
        (1, "country", "countries", "1 country"),
        (0, "valley", "", "0 "),
    ],
)
def test_a_count_says_its_number_and_the_word_for_that_many(count, one, many, expected):
    assert counted(count, one, many) == expected
    assert plural(count, one, many) == expected.split(" ", 1)[1]


def test_a_markdown_table_shows_each_text_cell_as_it_is_and_keeps_numbers():
    frame = pd.DataFrame(
        {
            "value": ["day", "*bold*"],
            "events": [3, 0],
            "example": ["e-1: Car bombs [in](http://x) Tashkent", None],
            "unused": ["x", "y"],
        }
    )
    shown = markdown_table(
        frame, {"value": "Value", "events": "Events", "example": "Ex"}
    )
    assert list(shown.columns) == ["Value", "Events", "Ex"]
    assert shown["Events"].tolist() == [3, 0]
    assert shown["Events"].dtype == frame["events"].dtype
    assert shown["Value"].tolist() == ["day", r"\*bold\*"]
    assert shown["Ex"].tolist() == [
        r"e\-1\: Car bombs \[in\]\(http\:" + MARK + r"//x\) Tashkent",
        "",
    ]
    # The frame given is not changed.
    assert frame["value"].tolist() == ["day", "*bold*"]
