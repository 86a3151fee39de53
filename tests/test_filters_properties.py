"""Properties of the filters: selection, caption and the link, on random frames.

Small event frames and specs are drawn at random; the rows expected are chosen by
an oracle written here with plain loops over the rows, from the rules the README
states ("Time window", "Filters"): a window shows an event whose
``[date_start, date_end]`` overlaps it, *Cumulative* what began up to its end, and
each facet keeps an event having one of the values picked (none picked: all).
No deadline: speed is not what these tests measure.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imu_geo.filters import (
    FilterSpec,
    apply_filters,
    describe,
    selected_positions,
    spec_from_query,
    spec_to_query,
)
from tests.helpers import make_events

SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

LAYERS = ("attack", "base", "context")
ATTRIBUTIONS = ("claimed", "attributed", "suspected")
TYPES = ("bombing", "armed_assault", "leader_base", "designation")
ACTORS = ("IMU", "Taliban", "UTO", "IJU")
COUNTRIES = ("UZ", "TJ", "KG", "AF")
SOURCE_TYPES = ("Battles", "Riots", "Armed clash", "")
WORDS = ("Tashkent", "Kunduz", "car bomb", "Namangani", "airport", "border")
SEARCHED = (
    "title",
    "description",
    "source_quote",
    "place_name",
    "actors",
    "target",
    "notes",
    "event_id",
)
FIRST, LAST = date(1995, 1, 1), date(2004, 12, 31)

days = st.dates(min_value=FIRST, max_value=LAST)


def some(values):
    """A tuple of distinct values drawn from ``values``, in any order."""
    return st.lists(st.sampled_from(values), unique=True, max_size=len(values)).map(
        tuple
    )


@st.composite
def rows(draw, index: int) -> dict:
    start = draw(days)
    end = start + timedelta(days=draw(st.integers(0, 800)))
    actors = draw(st.lists(st.sampled_from(ACTORS), max_size=3))
    countries = draw(st.lists(st.sampled_from(COUNTRIES), max_size=3))
    return {
        "event_id": f"e{index:02d}",
        "date_start": start.isoformat(),
        "date_end": end.isoformat(),
        "layer": draw(st.sampled_from(LAYERS)),
        "event_type": draw(st.sampled_from(TYPES)),
        "attribution": draw(st.sampled_from(ATTRIBUTIONS)),
        # Items with and without spaces around the separator, as files write them.
        "actors": draw(st.sampled_from((";", " ; ", "; "))).join(actors),
        "country": draw(st.sampled_from(("|", " | "))).join(countries),
        "title": " ".join(draw(st.lists(st.sampled_from(WORDS), max_size=3))),
        "notes": draw(st.sampled_from(("", *WORDS))),
        "source_event_type": draw(st.sampled_from(SOURCE_TYPES)),
        "source_sub_event_type": draw(st.sampled_from(SOURCE_TYPES)),
    }


@st.composite
def frames(draw):
    count = draw(st.integers(1, 8))
    return [draw(rows(i)) for i in range(count)]


@st.composite
def specs(draw):
    start, end = sorted((draw(days), draw(days)))
    return FilterSpec(
        start=start,
        end=end,
        mode=draw(st.sampled_from(("window", "cumulative"))),
        layers=draw(some(LAYERS)),
        event_types=draw(st.one_of(st.just(()), some(TYPES))),
        actors=draw(st.one_of(st.just(()), some(ACTORS))),
        countries=draw(st.one_of(st.just(()), some(COUNTRIES))),
        attributions=draw(st.one_of(st.just(()), some(ATTRIBUTIONS))),
        source_types=draw(st.one_of(st.just(()), some(SOURCE_TYPES[:3]))),
        # A search is one word (no space, so it cannot span two columns), in any
        # case, perhaps with spaces around it.
        text=draw(st.sampled_from(("", " ")))
        + draw(st.sampled_from(("", "Tashkent", "kunduz", "BOMB", "imu", "e0", "zzz")))
        + draw(st.sampled_from(("", " "))),
    )


def items(cell: str, separator: str) -> set[str]:
    return {part.strip() for part in cell.split(separator)} - {""}


def oracle(table: list[dict], spec: FilterSpec) -> list[str]:
    """The event ids the README's rules select, in date order."""
    chosen = []
    for row in table:
        start = date.fromisoformat(row["date_start"])
        end = date.fromisoformat(row["date_end"])
        if start > spec.end:
            continue
        if spec.mode == "window" and end < spec.start:
            continue
        if row["layer"] not in spec.layers:
            continue
        if spec.event_types and row["event_type"] not in spec.event_types:
            continue
        if spec.attributions and row["attribution"] not in spec.attributions:
            continue
        if spec.actors and not items(row["actors"], ";") & set(spec.actors):
            continue
        if spec.countries and not items(row["country"], "|") & set(spec.countries):
            continue
        if spec.source_types and not (
            row["source_event_type"] in spec.source_types
            or row["source_sub_event_type"] in spec.source_types
        ):
            continue
        needle = spec.text.strip().casefold()
        if needle and not any(
            needle in str(row.get(column, "")).casefold() for column in SEARCHED
        ):
            continue
        chosen.append(row)
    chosen.sort(key=lambda r: (r["date_start"], r["date_end"], r["event_id"]))
    return [row["event_id"] for row in chosen]


@given(frames(), specs())
@SETTINGS
def test_the_selection_is_what_the_rules_select(table, spec):
    events = make_events(table)
    expected = oracle(table, spec)
    assert list(apply_filters(events, spec)["event_id"]) == expected
    positions = selected_positions(events, spec)
    assert [table[p]["event_id"] for p in positions] == expected


@given(frames(), specs())
@SETTINGS
def test_cumulative_shows_everything_begun_by_the_end(table, spec):
    cumulative = FilterSpec(**(vars(spec) | {"mode": "cumulative"}))
    window = FilterSpec(**(vars(spec) | {"mode": "window"}))
    events = make_events(table)
    shown = set(apply_filters(events, cumulative)["event_id"])
    # Everything in the window is also in the cumulative view.
    assert set(apply_filters(events, window)["event_id"]) <= shown
    # And the cumulative view does not depend on where the window starts.
    earliest = FilterSpec(**(vars(cumulative) | {"start": FIRST}))
    assert set(apply_filters(events, earliest)["event_id"]) == shown


def month_abbr(moment: date) -> str:
    return ("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split())[
        moment.month - 1
    ] + f" {moment.year}"


@given(frames(), specs())
@SETTINGS
def test_the_caption_counts_what_is_shown(table, spec):
    events = make_events(table)
    expected_ids = set(oracle(table, spec))
    shown = [row for row in table if row["event_id"] in expected_ids]
    names = {"attack": ("attack", "attacks"), "base": ("base", "bases")}
    parts = []
    for layer in spec.layers:
        n = sum(row["layer"] == layer for row in shown)
        singular, plural = names.get(layer, (layer, layer))
        parts.append(f"{n} {singular if n == 1 else plural}")
    text = f"{len(shown)} {'event' if len(shown) == 1 else 'events'}"
    if parts:
        text += " — " + ", ".join(parts) + " —"
    if spec.mode == "cumulative":
        text += f" up to {month_abbr(spec.end)}"
    else:
        text += f" from {month_abbr(spec.start)} to {month_abbr(spec.end)}"
    caption = describe(apply_filters(events, spec), spec)
    assert caption.startswith(text)
    extras = [
        label + ", ".join(values)
        for label, values in (
            ("types: ", spec.event_types),
            ("actors: ", spec.actors),
            ("countries: ", spec.countries),
            ("attribution: ", spec.attributions),
            ("source types: ", spec.source_types),
        )
        if values
    ]
    if spec.text.strip():
        extras.append(f"matching “{spec.text.strip()}”")
    assert caption[len(text) :] == (" (" + "; ".join(extras) + ")" if extras else "")


# --- the link ---------------------------------------------------------------------

DEFAULT = FilterSpec(start=FIRST, end=LAST)
CHOICES = {
    "types": TYPES,
    "actors": ACTORS,
    "countries": COUNTRIES,
    "source_types": SOURCE_TYPES[:3],
}


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


@st.composite
def linkable_specs(draw):
    """Specs a link can hold: whole months inside the data, known facet values, a
    search with no space at either end and at most 200 characters."""
    first = draw(st.integers(0, 119))
    last = draw(st.integers(first, 119))
    start = date(1995 + first // 12, first % 12 + 1, 1)
    end = month_end(1995 + last // 12, last % 12 + 1)
    text = draw(st.text(max_size=200).map(str.strip))
    return FilterSpec(
        start=start,
        end=end,
        mode=draw(st.sampled_from(("window", "cumulative"))),
        layers=draw(some(LAYERS)),
        event_types=draw(some(TYPES)),
        actors=draw(some(ACTORS)),
        countries=draw(some(COUNTRIES)),
        attributions=draw(some(ATTRIBUTIONS)),
        source_types=draw(some(SOURCE_TYPES[:3])),
        text=text,
        selected=draw(st.one_of(st.just(""), st.sampled_from(("e00", "e07")))),
    )


@given(linkable_specs())
@SETTINGS
def test_a_spec_written_to_a_link_reads_back_the_same(spec):
    query = spec_to_query(spec, DEFAULT)
    assert all(isinstance(value, str) for value in query.values())
    restored, warnings = spec_from_query(query, DEFAULT, CHOICES)
    assert warnings == []
    assert restored == spec
    assert restored.selected == spec.selected


PARAMS = (
    "start",
    "end",
    "mode",
    "layers",
    "types",
    "actors",
    "countries",
    "attribution",
    "source_types",
    "q",
    "event",
    "other",
)
link_values = st.one_of(
    st.text(max_size=300),
    st.dates().map(date.isoformat),
    st.lists(
        st.sampled_from([*LAYERS, *TYPES, *ACTORS, *ATTRIBUTIONS, "x", " ", ""]),
        max_size=6,
    ).map(",".join),
    st.sampled_from(("window", "cumulative", "1999-02-30", "2004-12", "")),
)


@given(st.dictionaries(st.sampled_from(PARAMS), link_values))
@SETTINGS
def test_any_link_gives_a_valid_spec_and_warnings(params):
    spec, warnings = spec_from_query(params, DEFAULT, CHOICES)
    assert isinstance(spec, FilterSpec)
    assert FIRST <= spec.start <= spec.end <= LAST
    assert spec.mode in ("window", "cumulative")
    allowed = CHOICES | {"layers": LAYERS, "attribution": ATTRIBUTIONS}
    for param, attribute in (
        ("layers", "layers"),
        ("types", "event_types"),
        ("actors", "actors"),
        ("countries", "countries"),
        ("attribution", "attributions"),
        ("source_types", "source_types"),
    ):
        assert set(getattr(spec, attribute)) <= set(allowed[param])
    assert len(spec.text) <= 200
    assert len(spec.selected) <= 200
    assert all(isinstance(w, str) and w and "\n" not in w for w in warnings)
    # A parameter the link does not give keeps its default, and no warning is
    # given when every value is one the page would write itself.
    if not params:
        assert (spec, warnings) == (DEFAULT, [])
