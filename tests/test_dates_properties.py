"""Properties of the partial-date parser.

Dates are drawn at random, written in the spellings the parser documents, with
formatters and month names written here (not the module's), and the interval
expected back is computed by hand from :func:`calendar.monthrange`. Random and
mutated texts must give an interval or the declared :class:`DateParseError`,
never another exception. No deadline: speed is not what these tests measure.
"""

from __future__ import annotations

import ast
import calendar
import re
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imu_geo.dates import DATE_PRECISIONS, DateParseError, parse_partial_date

SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
MONTH_ABBREVIATIONS = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)
# Season and part of a year: (first month, last month), as the module's docstring
# and data/README.md state them.
SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11)}
PARTS_OF_YEAR = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}
PARTS_OF_DECADE = {"early": (0, 3), "mid": (4, 6), "late": (7, 9)}
AROUND = ("around", "circa", "c.", "ca.", "about", "approximately")

years = st.integers(min_value=1000, max_value=2998)
months = st.integers(min_value=1, max_value=12)


def last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def recase(draw, text: str) -> str:
    """The text in lower, upper, title or its own case."""
    style = draw(st.sampled_from(("same", "lower", "upper", "title")))
    return {
        "same": text,
        "lower": text.lower(),
        "upper": text.upper(),
        "title": text.title(),
    }[style]


@st.composite
def month_words(draw, month: int) -> str:
    """A month as people write it: full name, abbreviation, ``Sept`` or ``Sept.``."""
    spellings = [MONTH_NAMES[month - 1], MONTH_ABBREVIATIONS[month - 1]]
    if month != 5:
        spellings.append(MONTH_ABBREVIATIONS[month - 1] + ".")
    if month == 9:
        spellings += ["Sept", "Sept."]
    return recase(draw, draw(st.sampled_from(spellings)))


@st.composite
def day_texts(draw):
    year, month = draw(years), draw(months)
    day = draw(st.integers(1, calendar.monthrange(year, month)[1]))
    name = draw(month_words(month))
    comma = draw(st.sampled_from(("", ",")))
    text = draw(
        st.sampled_from(
            (
                f"{year}-{month:02d}-{day:02d}",
                f"{year}-{month}-{day}",
                f"{day} {name}{comma} {year}",
                f"{name} {day}{comma} {year}",
            )
        )
    )
    moment = date(year, month, day)
    return text, (moment, moment, "day")


@st.composite
def month_texts(draw):
    year, month = draw(years), draw(months)
    name = draw(month_words(month))
    text = draw(
        st.sampled_from(
            (
                f"{year}-{month:02d}",
                f"{year}-{month}",
                f"{name} {year}",
                f"{name}, {year}",
            )
        )
    )
    return text, (date(year, month, 1), last_day(year, month), "month")


@st.composite
def year_texts(draw):
    year = draw(years)
    return str(year), (date(year, 1, 1), date(year, 12, 31), "year")


@st.composite
def part_of_year_texts(draw):
    year = draw(years)
    part = draw(st.sampled_from(sorted(PARTS_OF_YEAR)))
    joiner = draw(st.sampled_from((" ", "-")))
    first, last = PARTS_OF_YEAR[part]
    text = recase(draw, f"{part}{joiner}{year}")
    return text, (date(year, first, 1), last_day(year, last), "approximate")


@st.composite
def season_texts(draw):
    year = draw(years)
    season = draw(st.sampled_from([*sorted(SEASONS), "winter"]))
    middle = draw(st.sampled_from((" ", ", ", " of ", ", of ")))
    text = recase(draw, f"{season}{middle}{year}")
    if season == "winter":
        # December of the year named to the end of the next February.
        return text, (date(year, 12, 1), last_day(year + 1, 2), "season")
    first, last = SEASONS[season]
    return text, (date(year, first, 1), last_day(year, last), "season")


@st.composite
def decade_texts(draw):
    decade = draw(st.integers(100, 299)) * 10
    part = draw(st.sampled_from(("", *sorted(PARTS_OF_DECADE))))
    if not part:
        return f"{decade}s", (date(decade, 1, 1), date(decade + 9, 12, 31), "range")
    joiner = draw(st.sampled_from((" ", "-")))
    first, last = PARTS_OF_DECADE[part]
    interval = (
        date(decade + first, 1, 1),
        date(decade + last, 12, 31),
        "approximate",
    )
    return recase(draw, f"{part}{joiner}{decade}s"), interval


@st.composite
def around_texts(draw):
    year = draw(years)
    word = draw(st.sampled_from(AROUND))
    text = recase(draw, f"{word} {year}")
    return text, (date(year - 1, 1, 1), date(year + 1, 12, 31), "approximate")


SINGLE = st.one_of(
    day_texts(),
    month_texts(),
    year_texts(),
    part_of_year_texts(),
    season_texts(),
    decade_texts(),
    around_texts(),
)


def with_spaces(draw, text: str) -> str:
    """``text`` with its spaces widened at random and padded at both ends."""
    gaps = st.sampled_from((" ", "  ", "\t", " \n "))
    words = text.split(" ")
    inner = "".join(
        word + (draw(gaps) if i < len(words) - 1 else "")
        for i, word in enumerate(words)
    )
    return (
        draw(st.sampled_from(("", " ", "\t")))
        + inner
        + draw(st.sampled_from(("", "  ")))
    )


@given(st.data())
@SETTINGS
def test_a_single_date_reads_as_its_hand_computed_interval(data):
    text, expected = data.draw(SINGLE)
    text = with_spaces(data.draw, text)
    interval = parse_partial_date(text)
    assert (interval.start, interval.end, interval.precision) == expected


@given(
    st.data(),
    SINGLE,
    SINGLE,
    st.sampled_from(("..", " .. ", "/", " to ", " – ", "–", " — ")),
)
@SETTINGS
def test_a_range_runs_from_the_start_of_one_end_to_the_end_of_the_other(
    data, left, right, separator
):
    (left_text, (first, _, _)), (right_text, (_, last, _)) = left, right
    text = left_text + separator + right_text
    if last >= first:
        interval = parse_partial_date(text)
        assert (interval.start, interval.end, interval.precision) == (
            first,
            last,
            "range",
        )
    else:
        cleaned = " ".join(text.split()).lower()
        try:
            parse_partial_date(text)
        except DateParseError as error:
            assert str(error) == (
                f"{cleaned!r} ends ({last.isoformat()}) before it starts "
                f"({first.isoformat()})"
            )
        else:
            raise AssertionError(f"{text!r} was read though it ends before it starts")


@given(years, years, st.sampled_from(("-", " - ", "- ")))
@SETTINGS
def test_two_years_joined_by_a_hyphen_are_a_range(first, last, hyphen):
    text = f"{first}{hyphen}{last}"
    if last >= first:
        interval = parse_partial_date(text)
        assert (interval.start, interval.end, interval.precision) == (
            date(first, 1, 1),
            date(last, 12, 31),
            "range",
        )
    else:
        try:
            parse_partial_date(text)
        except DateParseError as error:
            assert f"ends ({last}-12-31) before it starts ({first}-01-01)" in str(error)
        else:
            raise AssertionError(f"{text!r} was read though it ends before it starts")


@given(years, months, st.integers(1, 31))
@SETTINGS
def test_an_impossible_day_is_refused_with_the_month_length(year, month, day):
    length = calendar.monthrange(year, month)[1]
    text = f"{year}-{month:02d}-{day:02d}"
    if day <= length:
        assert parse_partial_date(text).start == date(year, month, day)
        return
    try:
        parse_partial_date(text)
    except DateParseError as error:
        assert str(error) == (
            f"day {day} does not exist in {MONTH_NAMES[month - 1]} {year} "
            f"(it has {length} days)"
        )
    else:
        raise AssertionError(f"{text!r} was read as a date")


def mutated(draw, text: str) -> str:
    """``text`` with a few characters inserted, deleted or replaced."""
    alphabet = st.sampled_from(list("0123456789-/.,; :–—abcSsepto\u00a0\u200fI"))
    for _ in range(draw(st.integers(1, 4))):
        position = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(("insert", "delete", "replace")))
        char = draw(alphabet)
        if action == "insert":
            text = text[:position] + char + text[position:]
        elif action == "delete":
            text = text[:position] + text[position + 1 :]
        else:
            text = text[:position] + char + text[position + 1 :]
    return text


def check_reads_or_refuses(text: str) -> None:
    """An interval that holds together, or a DateParseError whose message says what
    was wrong in words taken from the text."""
    cleaned = " ".join(text.split()).lower()
    try:
        interval = parse_partial_date(text)
    except DateParseError as error:
        message = str(error)
        assert message and "\n" not in message
        if not cleaned:
            assert message == "the date is empty"
            return
        # The message quotes the whole text, or names the part of it that is wrong:
        # a year, a month or day number, or a word that is not a month.
        part = re.match(
            r"year (\S+) is outside|month (\d+) does not exist|day (\d+) does not "
            r"exist in \w+ (\d+)|'([^']*)' is not a month name",
            message,
        )
        if part is None:
            # The whole text, or the end of a range that cannot be read.
            quoted = re.match(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"", message)
            assert quoted is not None, message
            assert ast.literal_eval(quoted.group()) in cleaned, message
        else:
            for fragment in filter(None, part.groups()):
                assert fragment.lstrip("0") in cleaned, message
    else:
        assert interval.start <= interval.end
        assert interval.precision in DATE_PRECISIONS


@given(st.data())
@SETTINGS
def test_a_mutated_date_is_read_or_refused_with_a_reason(data):
    text, _ = data.draw(SINGLE)
    check_reads_or_refuses(mutated(data.draw, text))


@given(st.text(max_size=40))
@SETTINGS
def test_any_text_is_read_or_refused_with_a_reason(text):
    check_reads_or_refuses(text)


@given(st.from_regex(r"[0-9 ./\-–a-z]{0,24}", fullmatch=True))
@SETTINGS
def test_date_like_text_is_read_or_refused_with_a_reason(text):
    check_reads_or_refuses(text)
