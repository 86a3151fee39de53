"""Point files for large maps: content, names, caps, clean-up, and the layers."""

from __future__ import annotations

import json
import logging
import os
import shutil
import threading
import time
import urllib.error
import urllib.request
from datetime import date

import numpy as np
import pandas as pd
import pytest

from imu_geo.filters import FilterSpec
from imu_geo.layers import (
    ATTACK_COLOURS,
    BASE_COLOUR,
    CONTEXT_COLOUR,
    FAR_DAYS,
    HOLLOW_ALPHA,
    SOLID_ALPHA,
    build_sliced_deck,
    date_filter_range,
    is_event_layer,
    large_colour_codes,
    large_event_radii,
    large_fill_colours,
    large_line_widths,
    large_palettes,
    large_radii,
    palette_expression,
)
from imu_geo.pointfiles import (
    MAX_IDLE_S,
    POINTS_ROOT,
    SLICES,
    PointFileTooLarge,
    PointSlice,
    PointStore,
    epoch_days,
    hold_folder,
    plan_slices,
    point_file_bytes,
    point_records,
    process_folder_name,
    remove_stale_folders,
    slice_numbers,
    sliced_point_files,
    start_sweeper,
)
from imu_geo.timeline import build_volume_chart, monthly_counts


def _events():
    return pd.DataFrame(
        {
            "event_id": ["a", "b", "c"],
            "date_start": pd.to_datetime(["1999-02-16", "1999-01-01", "2001-03-01"]),
            "date_end": pd.to_datetime(["1999-02-16", "1999-12-31", "2001-03-31"]),
            "date_precision": ["day", "year", "month"],
            "layer": ["attack", "attack", "context"],
            "event_type": ["bombing", "hijacking", "statement"],
            "fatalities_best": pd.array([16, None, 0], dtype="Int64"),
            "title": ["Tashkent bombings", "x" * 100, "A statement"],
            "lat": [41.3, np.nan, 36.7],
            "lon": [69.25, np.nan, 68.86],
        }
    )


def test_point_records_carry_position_dates_colour_and_a_short_label():
    events = _events()
    records = point_records(events, np.array([7, 8, 9]), np.array([0, 3, 1]), [9, 5, 5])
    # The event without coordinates is not drawn.
    assert list(records["i"]) == [7, 9]
    assert list(records["s"]) == [10638, 11382]  # 1999-02-16 and 2001-03-01
    assert list(records["e"]) == [10638, 11412]
    assert list(records["c"]) == [0, 1]
    assert list(records["n"]) == [
        "Tashkent bombings\n1999-02-16",
        "A statement\n2001-03-01 – 2001-03-31",
    ]
    payload = json.loads(point_file_bytes(records))
    assert payload[0] == {
        "i": 7,
        "x": 69.25,
        "y": 41.3,
        "s": 10638,
        "e": 10638,
        "c": 0,
        "r": 9.0,
        "n": "Tashkent bombings\n1999-02-16",
    }


def test_epoch_days_count_from_1970():
    days = epoch_days(pd.Series(pd.to_datetime(["1970-01-01", "1999-02-16"])))
    assert list(days) == [0, 10638]


def test_colour_codes_follow_type_and_date_precision():
    events = _events()
    attacks = events[events["layer"] == "attack"]
    kinds = list(ATTACK_COLOURS)
    assert list(large_colour_codes(attacks, "attack")) == [
        2 * kinds.index("bombing"),
        2 * kinds.index("hijacking") + 1,  # a year: hollow
    ]
    fill, line = large_palettes("attack")
    assert fill[1][3] < fill[0][3]  # hollow is paler
    assert len(fill) == len(line) == 2 * len(ATTACK_COLOURS)
    assert list(large_radii(attacks, "attack")) == [9.0, 3.0]


def test_palette_expression_is_a_chain_of_conditions():
    assert palette_expression([[1, 2, 3, 4], [5, 6, 7, 8], [9, 9, 9, 9]]) == (
        "c==0?[1,2,3,4]:c==1?[5,6,7,8]:[9,9,9,9]"
    )


@pytest.mark.parametrize(
    ("cumulative", "expected"),
    [
        (False, [[-FAR_DAYS, 11000], [10000, FAR_DAYS]]),
        (True, [[-FAR_DAYS, 11000], [-FAR_DAYS, FAR_DAYS]]),
    ],
)
def test_the_date_filter_matches_the_window_rule(cumulative, expected):
    assert date_filter_range(10000, 11000, cumulative) == expected


def test_the_large_deck_names_files_and_sends_no_points():
    deck = json.loads(
        build_sliced_deck(
            [],
            (10000, 11000),
            False,
            files={
                "attack": "app/static/points/p/a.json",
                "base": "app/static/points/p/b.json",
            },
        ).to_json()
    )
    layers = {layer["id"]: layer for layer in deck["layers"]}
    assert layers["attacks"]["data"] == "app/static/points/p/a.json"
    assert layers["attacks"]["extensions"] == [
        {"@@type": "DataFilterExtension", "filterSize": 2}
    ]
    assert layers["attacks"]["getFilterValue"] == "@@=[s, e]"
    assert layers["attacks"]["filterRange"] == [[-FAR_DAYS, 11000], [10000, FAR_DAYS]]
    assert "context-events" not in layers
    assert len(json.dumps(deck)) < 6000


def test_file_names_are_keyed_by_the_secret(tmp_path):
    one = PointStore(tmp_path / "a", "app/static/points/a", secret=b"1" * 32)
    two = PointStore(tmp_path / "b", "app/static/points/b", secret=b"2" * 32)
    key = (("upload", ("file-id", "auto")), (), "attack")
    assert one.name_for(key) == one.name_for(key)
    assert one.name_for(key) != two.name_for(key)
    assert one.name_for(key) != one.name_for((*key[:2], "base"))
    assert len(one.name_for(key)) == 45  # 40 hex digits and ".json"


def test_a_file_is_written_once_and_served_by_url(tmp_path):
    store = PointStore(tmp_path / "p", "app/static/points/p")
    calls = []

    def build():
        calls.append(1)
        return b"[]"

    url = store.ensure(("k",), build)
    assert url == f"app/static/points/p/{store.name_for(('k',))}"
    assert store.ensure(("k",), build) == url
    assert calls == [1]
    assert (tmp_path / "p" / store.name_for(("k",))).read_bytes() == b"[]"


def test_a_file_over_the_cap_is_refused_and_not_written(tmp_path):
    store = PointStore(tmp_path / "p", "u", max_file_bytes=10)
    with pytest.raises(PointFileTooLarge, match="over the 0 MB cap"):
        store.ensure(("big",), lambda: b"x" * 11)
    assert not (tmp_path / "p").exists() or not list((tmp_path / "p").iterdir())


def test_the_least_recently_used_files_go_first(tmp_path):
    store = PointStore(tmp_path / "p", "u", max_total_bytes=25)
    now = time.time()
    for number, key in enumerate("abc"):
        store.ensure((key,), lambda: b"x" * 10)
        path = tmp_path / "p" / store.name_for((key,))
        os.utime(path, (now - 100 + number, now - 100 + number))
    store.ensure(("a",), lambda: b"x" * 10)  # used again: now the newest
    store.ensure(("d",), lambda: b"x" * 10)
    left = {p.name for p in (tmp_path / "p").iterdir()}
    assert left == {store.name_for(("a",)), store.name_for(("d",))}
    assert store.total_bytes() <= 25


def test_files_unused_for_half_an_hour_are_deleted_and_come_back(tmp_path):
    store = PointStore(tmp_path / "p", "u")
    store.ensure(("abandoned",), lambda: b"[1]", group="upload")
    old = tmp_path / "p" / store.name_for(("abandoned",))
    stale = time.time() - MAX_IDLE_S - 60
    os.utime(old, (stale, stale))
    store.ensure(("other",), lambda: b"[2]")
    assert not old.exists()
    assert store.ensure(("abandoned",), lambda: b"[1]").endswith(old.name)
    assert old.read_bytes() == b"[1]"


def test_a_sweep_deletes_the_idle_files_and_says_how_many(tmp_path):
    store = PointStore(tmp_path / "p", "u")
    for name in ("a", "b", "c"):
        store.ensure((name,), lambda: b"[1]")
    stale = time.time() - MAX_IDLE_S - 60
    for name in ("a", "b"):
        path = tmp_path / "p" / store.name_for((name,))
        os.utime(path, (stale, stale))
    assert store.sweep() == 2
    assert [p.name for p in (tmp_path / "p").iterdir()] == [store.name_for(("c",))]
    assert store.sweep() == 0


def test_a_layer_too_large_is_refused_at_once_afterwards(tmp_path):
    store = PointStore(tmp_path / "p", "u", max_file_bytes=5)
    calls = []

    def build():
        calls.append(1)
        return b"x" * 6

    for _ in range(3):
        with pytest.raises(PointFileTooLarge):
            store.ensure(("big",), build)
    assert calls == [1]


def test_forgetting_an_upload_deletes_its_files_only(tmp_path):
    store = PointStore(tmp_path / "p", "u")
    store.ensure(("atlas",), lambda: b"[]", group="atlas")
    store.ensure(("mine", 1), lambda: b"[]", group="mine")
    store.ensure(("mine", 2), lambda: b"[]", group="mine")
    assert store.forget("mine") == 2
    assert [p.name for p in (tmp_path / "p").iterdir()] == [store.name_for(("atlas",))]


def test_folders_no_running_server_holds_are_removed(tmp_path):
    held = tmp_path / f"{os.getpid()}-{'0' * 16}"
    handle = hold_folder(held)
    released = tmp_path / f"{os.getpid()}-{'1' * 16}"  # same pid, lock gone
    hold_folder(released).close()
    unlocked = tmp_path / f"12345-{'2' * 16}"
    unlocked.mkdir()
    other = tmp_path / "not-a-point-folder"
    other.mkdir()
    try:
        assert remove_stale_folders(tmp_path) == 2
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
            [held.name, other.name]
        )
    finally:
        handle.close()


def _wait_until(condition, timeout_s: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def test_idle_files_are_swept_on_a_timer_with_nothing_else_written(tmp_path):
    root = tmp_path / "points"
    store = PointStore(root / "mine", "u", max_idle_s=0.5)
    store.ensure(("idle",), lambda: b"[1]", group="upload")
    idle = root / "mine" / store.name_for(("idle",))
    stale = root / f"12345-{'3' * 16}"  # a stopped server's folder
    stale.mkdir()
    (stale / "x.json").write_bytes(b"[]")
    stop = start_sweeper(store, root, interval_s=0.05)
    try:
        assert _wait_until(lambda: not idle.exists() and not stale.exists())
        assert store.forget("upload") == 0  # the sweep forgot it too
    finally:
        stop.set()


def test_the_sweeper_keeps_files_in_use(tmp_path):
    store = PointStore(tmp_path / "p", "u", max_idle_s=60)
    store.ensure(("used",), lambda: b"[1]")
    used = tmp_path / "p" / store.name_for(("used",))
    stop = start_sweeper(store, tmp_path, interval_s=0.02)
    try:
        time.sleep(0.5)
        assert used.read_bytes() == b"[1]"
    finally:
        stop.set()


def test_a_stopped_servers_files_are_removed_before_the_next_one_serves(
    start_server,
):
    """After a crash nothing is left behind for the next server to serve: the
    folders of stopped servers are removed at start-up, before any page is
    opened."""
    stale = POINTS_ROOT / f"1-{'4' * 16}"
    stale.mkdir(parents=True, exist_ok=True)
    name = "a" * 40 + ".json"
    (stale / name).write_bytes(b"[]")
    try:
        with start_server() as url:
            assert not stale.exists()
            try:
                with urllib.request.urlopen(
                    f"{url}/app/static/points/{stale.name}/{name}", timeout=10
                ) as reply:
                    status = reply.status
            except urllib.error.HTTPError as error:
                status = error.code
            assert status == 404
    finally:
        shutil.rmtree(stale, ignore_errors=True)


def test_monthly_counts_put_each_event_in_its_first_month():
    counts = monthly_counts(_events())
    assert counts[["layer", "vague", "count"]].to_dict("records") == [
        {"layer": "attack", "vague": True, "count": 1},
        {"layer": "attack", "vague": False, "count": 1},
        {"layer": "context", "vague": False, "count": 1},
    ]
    assert [d.date() for d in counts["start"]] == [
        date(1999, 1, 1),
        date(1999, 2, 1),
        date(2001, 3, 1),
    ]


def test_the_volume_chart_keeps_the_span_selection():
    whole = FilterSpec(date(1999, 1, 1), date(2001, 12, 31))
    spec = FilterSpec(date(1999, 1, 1), date(1999, 12, 31))
    chart = build_volume_chart(monthly_counts(_events()), spec, whole).to_dict()
    assert [p["name"] for p in chart["params"]] == ["span"]
    assert chart["params"][0]["select"] == {"type": "interval", "encodings": ["x"]}


def test_the_browser_filter_shows_exactly_the_window_the_server_counts():
    """DataFilterExtension shows a point when each filter value lies in its range
    (both ends included); that must be the server's window rule, day for day."""
    from imu_geo.filters import apply_filters

    rng = np.random.default_rng(11)
    start = pd.Timestamp("1995-01-01") + pd.to_timedelta(
        rng.integers(0, 3000, 400), unit="D"
    )
    end = start + pd.to_timedelta(rng.integers(0, 400, 400), unit="D")
    events = pd.DataFrame(
        {
            "event_id": [f"e{k:03d}" for k in range(400)],
            "date_start": start,
            "date_end": end,
            "layer": "attack",
            "event_type": "bombing",
            "attribution": "claimed",
            "actors": "IMU",
            "country": "UZ",
        }
    )
    s, e = epoch_days(events["date_start"]), epoch_days(events["date_end"])
    for _ in range(40):
        first = date(1995, 1, 1) + pd.Timedelta(days=int(rng.integers(0, 3300)))
        last = first + pd.Timedelta(days=int(rng.integers(0, 500)))
        for cumulative in (False, True):
            spec = FilterSpec(
                first, last, mode="cumulative" if cumulative else "window"
            )
            days = epoch_days(pd.Series(pd.to_datetime([first, last])))
            (lo_s, hi_s), (lo_e, hi_e) = date_filter_range(
                int(days[0]), int(days[1]), cumulative
            )
            shown = (lo_s <= s) & (s <= hi_s) & (lo_e <= e) & (e <= hi_e)
            expected = set(apply_filters(events, spec)["event_id"])
            assert set(events["event_id"][shown]) == expected


def test_the_volume_chart_stacks_each_month_from_zero():
    events = pd.concat([_events()] * 3, ignore_index=True)
    events.loc[6:, "date_start"] = pd.Timestamp("1999-02-03")
    whole = FilterSpec(date(1999, 1, 1), date(2001, 12, 31))
    chart = build_volume_chart(monthly_counts(events), whole, whole).to_dict()
    rows = next(
        data for data in chart["datasets"].values() if data and "top" in data[0]
    )
    by_month: dict[str, list] = {}
    for row in rows:
        by_month.setdefault(row["start"], []).append(row)
    for stack in by_month.values():
        assert stack[0]["bottom"] == 0
        for lower, upper in zip(stack, stack[1:], strict=False):
            assert upper["bottom"] == lower["top"]
        assert all(r["top"] - r["bottom"] == r["count"] for r in stack)
    assert max(r["top"] for r in by_month["1999-02-01"]) == 5  # 2 + 3 moved there


# --- time slices ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        # Short events over days 0..99 in 10 slices of 10 days: by first day.
        ([0, 9, 10, 55, 99], [0, 9, 12, 55, 99], [0, 0, 1, 5, 9]),
        # Longer than 5 days: one of 2 long slices (days 0-49, 50-99), from 10.
        ([0, 50, 99, 30], [6, 60, 99, 30], [10, 11, 9, 3]),
        # One day only: one slice.
        ([7, 7], [7, 7], [0, 0]),
    ],
)
def test_an_event_is_in_the_slice_of_its_first_day(first, last, expected):
    numbers = slice_numbers(
        np.array(first), np.array(last), slices=10, long_slices=2, long_days=5
    )
    assert numbers.tolist() == expected


def test_slices_are_drawn_long_ones_first_with_their_extent():
    numbers = np.array([3, 0, 11, 3, 10])
    first = np.array([30, 1, 50, 35, 0])
    last = np.array([31, 2, 90, 36, 40])
    plan = plan_slices(numbers, first, last, slices=10)
    assert plan == [
        PointSlice(10, 0, 40, 1),
        PointSlice(11, 50, 90, 1),
        PointSlice(0, 1, 2, 1),
        PointSlice(3, 30, 36, 2),
    ]


@pytest.mark.parametrize(
    ("window", "cumulative", "shown"),
    [
        ((150, 160), False, True),  # inside
        ((50, 100), False, True),  # ends on its first day
        ((200, 300), False, True),  # begins on its last day
        ((201, 300), False, False),  # after it
        ((201, 300), True, True),  # cumulative: it began before the end
        ((0, 99), False, False),  # before it
        ((0, 99), True, False),
    ],
)
def test_a_slice_is_drawn_when_one_of_its_events_can_be_in_the_window(
    window, cumulative, shown
):
    assert PointSlice(1, 100, 200, 5).shown(*window, cumulative) is shown


def test_sliced_point_files_hold_every_located_event_once_with_its_colour():
    events = _events()
    fill = np.array([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]])
    plan, files = sliced_point_files(
        events,
        np.array([7, 8, 9]),
        fill,
        np.array([9.0, 5.0, 3.0]),
        np.array([1, 1, 2]),
    )
    points = [p for payload in files for p in json.loads(payload)]
    # The event without coordinates is left out; the two others, once each.
    assert sorted(p["i"] for p in points) == [7, 9]
    by_id = {p["i"]: p for p in points}
    assert by_id[7]["f"] == [1, 2, 3, 4] and by_id[7]["w"] == 1
    assert by_id[9]["f"] == [9, 10, 11, 12] and by_id[9]["w"] == 2
    # 1999-02-16 is day 10638, 2001-03-31 day 11412; both one-day or
    # one-month events: short slices, the first and the last.
    assert by_id[7]["s"] == 10638 and by_id[9]["e"] == 11412
    assert [(p.number, p.count) for p in plan] == [(0, 1), (SLICES - 1, 1)]
    assert [json.loads(f)[0]["i"] for f in files] == [7, 9]


def test_large_colours_follow_the_layer_type_and_date_precision():
    events = pd.DataFrame(
        {
            "layer": ["attack", "attack", "base", "context"],
            "event_type": ["bombing", "hijacking", "group_base", "statement"],
            "date_precision": ["day", "year", "range", "month"],
            "fatalities_best": pd.array([16, None, None, None], dtype="Int64"),
        }
    )
    assert large_fill_colours(events).tolist() == [
        [*ATTACK_COLOURS["bombing"], SOLID_ALPHA],
        [*ATTACK_COLOURS["hijacking"], HOLLOW_ALPHA],
        [*BASE_COLOUR, HOLLOW_ALPHA],
        [*CONTEXT_COLOUR, SOLID_ALPHA],
    ]
    # 3 + 1.5 * sqrt(16) = 9 pixels; unknown fatalities 3; bases 6, context 3.
    assert large_event_radii(events).tolist() == [9.0, 3.0, 6.0, 3.0]
    assert large_line_widths(events).tolist() == [1, 1, 2, 1]


def test_the_sliced_deck_draws_only_the_slices_of_the_window():
    slices = [
        (PointSlice(SLICES, 0, 400, 3), "app/static/points/p/long.json"),
        (PointSlice(0, 0, 90, 5), "app/static/points/p/a.json"),
        (PointSlice(1, 100, 190, 5), "app/static/points/p/b.json"),
        (PointSlice(2, 200, 290, 5), "app/static/points/p/c.json"),
    ]
    deck = json.loads(build_sliced_deck(slices, (150, 210), False).to_json())
    layers = [layer for layer in deck["layers"] if layer["id"].startswith("events-")]
    assert [(layer["id"], layer["visible"]) for layer in layers] == [
        (f"events-{SLICES}", True),
        ("events-0", False),
        ("events-1", True),
        ("events-2", True),
    ]
    assert {layer["data"] for layer in layers} == {url for _, url in slices}
    for layer in layers:
        assert layer["filterRange"] == [[-FAR_DAYS, 210], [150, FAR_DAYS]]
        assert layer["getFillColor"] == "@@=f"
        assert is_event_layer(layer["id"])
    cumulative = json.loads(build_sliced_deck(slices, (150, 210), True).to_json())
    assert [layer.get("visible") for layer in cumulative["layers"][1:]] == [
        True,
        True,
        True,
        True,
    ]
    assert not is_event_layer("region-pick")
    assert is_event_layer("attacks")


# --- the files, byte for byte, and the store's edges ----------------------------------


def test_a_point_file_is_exactly_this_json():
    events = pd.DataFrame(
        {
            "date_start": pd.to_datetime(["1999-02-16", "2001-03-01"]),
            "date_end": pd.to_datetime(["1999-02-16", "2001-03-31"]),
            # 61 characters: the tooltip keeps the first 60. A right-to-left
            # override is shown as its code point, so it cannot turn the text.
            "title": ["T" * 59 + "UV", "abc\u202egnp.exe"],
            "lat": [41.123456, 36.7],
            "lon": [69.25, -68.000049],
        }
    )
    records = point_records(events, np.array([4, 2]), np.array([3, 0]), [9, 4.56])
    # Days since 1970 by hand: 1999-02-16 is 29 years (7 leap days) and 46 days
    # on, 29 * 365 + 7 + 46 = 10638; 2001-03-01 is 31 years (8 leap days, 2000's
    # among them) and 59 days on, 31 * 365 + 8 + 59 = 11382; 2001-03-31 is 30
    # days later. Coordinates to 4 decimals, radii to 1.
    expected = (
        '[{"i":4,"x":69.25,"y":41.1235,"s":10638,"e":10638,"c":3,"r":9.0,'
        '"n":"' + "T" * 59 + 'U\\n1999-02-16"},'
        '{"i":2,"x":-68.0,"y":36.7,"s":11382,"e":11412,"c":0,"r":4.6,'
        '"n":"abc⟨U+202E⟩gnp.exe\\n2001-03-01 – 2001-03-31"}]'
    )
    assert point_file_bytes(records) == expected.encode("utf-8")


def test_epoch_days_are_whole_numbers():
    days = epoch_days(pd.Series(pd.to_datetime(["1970-01-02", "1969-12-31"])))
    assert days.dtype == np.int64
    assert days.tolist() == [1, -1]


def test_a_sliced_file_is_exactly_this_json():
    events = _events().iloc[[0]]
    plan, files = sliced_point_files(
        events, np.array([7]), np.array([[1, 2, 3, 4]]), np.array([9]), np.array([2])
    )
    assert plan == [PointSlice(0, 10638, 10638, 1)]
    assert files == [
        b'[{"i":7,"x":69.25,"y":41.3,"s":10638,"e":10638,"f":[1,2,3,4],"r":9.0,'
        b'"w":2,"n":"Tashkent bombings\\n1999-02-16"}]'
    ]


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        # Days 1000..1009 in 10 slices of one day.
        ([1000, 1005, 1009], [1000, 1005, 1009], [0, 5, 9]),
        # Long events (over 5 days) from day 1000 to 1099: 2 slices of 50 days.
        (
            [1000, 1030, 1049, 1050, 1099],
            [1006, 1036, 1055, 1056, 1105],
            [10] * 3 + [11] * 2,
        ),
        # Exactly 5 days long is short.
        ([1000, 1099], [1005, 1099], [0, 9]),
    ],
)
def test_slice_numbers_away_from_day_zero(first, last, expected):
    numbers = slice_numbers(
        np.array(first), np.array(last), slices=10, long_slices=2, long_days=5
    )
    assert numbers.tolist() == expected
    assert numbers.dtype == np.int64


def test_no_event_has_no_slice():
    numbers = slice_numbers(np.array([], dtype=np.int64), np.array([], dtype=np.int64))
    assert (numbers.tolist(), numbers.dtype) == ([], np.int64)
    assert plan_slices(numbers, numbers, numbers) == []


def test_the_process_folder_is_named_by_pid_and_16_hex_digits():
    name = process_folder_name()
    pid, _, random = name.partition("-")
    assert pid == str(os.getpid())
    assert len(random) == 16 and set(random) <= set("0123456789abcdef")
    assert process_folder_name() != name


def test_a_folder_is_held_however_deep_and_whether_it_exists(tmp_path):
    deep = tmp_path / "a" / "b" / f"1-{'5' * 16}"
    handle = hold_folder(deep)
    existing = tmp_path / f"1-{'6' * 16}"
    existing.mkdir()
    second = hold_folder(existing)
    try:
        assert deep.is_dir() and (deep / ".lock").is_file()
        assert remove_stale_folders(tmp_path / "a" / "b") == 0
        assert remove_stale_folders(tmp_path) == 0
    finally:
        handle.close()
        second.close()
    assert remove_stale_folders(tmp_path / "a" / "b") == 1
    assert remove_stale_folders(tmp_path) == 1


def test_a_folder_whose_lock_cannot_be_opened_is_nobodys(tmp_path):
    broken = tmp_path / f"1-{'7' * 16}"
    (broken / ".lock").mkdir(parents=True)  # a folder where the lock file goes
    assert remove_stale_folders(tmp_path) == 1
    assert not broken.exists()


def test_no_root_has_no_folder_to_remove(tmp_path):
    assert remove_stale_folders(tmp_path / "missing") == 0


def test_a_store_starts_with_no_holder_nor_sweeper(tmp_path):
    store = PointStore(tmp_path / "p", "/app/static/points/p/")
    assert (store.holder, store.sweeper) == (None, None)
    assert store.url("x.json") == "/app/static/points/p/x.json"
    assert PointStore(tmp_path / "p", "u//").url("y") == "u/y"


def test_has_says_whether_the_file_is_written(tmp_path):
    store = PointStore(tmp_path / "p", "u")
    assert not store.has(("k",))
    store.ensure(("k",), lambda: b"[]")
    assert store.has(("k",))
    assert not store.has(("other",))


def test_a_units_file_keeps_its_suffix(tmp_path):
    store = PointStore(tmp_path / "p", "u", secret=b"s" * 32)
    url = store.ensure(("k",), lambda: b"{}", suffix=".geojson")
    assert url == "u/" + store.name_for(("k",), ".geojson")
    assert url.endswith(".geojson") and len(url) == len("u/") + 40 + len(".geojson")
    assert (tmp_path / "p" / url.removeprefix("u/")).read_bytes() == b"{}"


def test_a_file_at_the_cap_is_written_and_the_refusal_names_both_sizes(tmp_path):
    store = PointStore(tmp_path / "p", "u", max_file_bytes=10)
    assert store.ensure(("ten",), lambda: b"x" * 10).startswith("u/")
    big = PointStore(tmp_path / "q", "u", max_file_bytes=1_500_000)
    # 3.5 MB and 1.5 MB, rounded half to even: 4 and 2.
    reason = "4 MB is over the 2 MB cap for one map layer"
    for _ in range(2):  # refused at once the second time, with the same reason
        with pytest.raises(PointFileTooLarge) as refused:
            big.ensure(("big",), lambda: b"x" * 3_500_000)
        assert str(refused.value) == reason


def test_a_file_written_already_joins_the_group_that_asks_for_it(tmp_path):
    store = PointStore(tmp_path / "p", "u")
    store.ensure(("shared",), lambda: b"[]")
    store.ensure(("shared",), lambda: b"[]", group="upload")
    assert store.forget("upload") == 1
    assert not store.has(("shared",))
    assert store.forget("never") == 0


def test_forgetting_a_file_already_gone_is_no_error(tmp_path):
    store = PointStore(tmp_path / "p", "u")
    url = store.ensure(("k",), lambda: b"[]", group="g")
    (tmp_path / "p" / url.removeprefix("u/")).unlink()
    assert store.forget("g") == 1


def test_the_file_just_written_is_kept_over_the_caps(tmp_path):
    # Larger than the whole cap, and idle at once: still the file asked for.
    store = PointStore(tmp_path / "p", "u", max_total_bytes=5, max_idle_s=0)
    url = store.ensure(("k",), lambda: b"x" * 10)
    assert (tmp_path / "p" / url.removeprefix("u/")).read_bytes() == b"x" * 10


def test_the_cap_is_reached_by_deleting_as_many_files_as_it_takes(tmp_path):
    store = PointStore(tmp_path / "p", "u", max_total_bytes=25)
    now = time.time()
    for number, key in enumerate("xy"):
        store.ensure((key,), lambda: b"x" * 10, group="old")
        path = tmp_path / "p" / store.name_for((key,))
        os.utime(path, (now - 100 + number, now - 100 + number))
    store.ensure(("z",), lambda: b"x" * 20)  # 40 bytes: both older files go
    assert [p.name for p in (tmp_path / "p").iterdir()] == [store.name_for(("z",))]
    assert store.forget("old") == 0  # and are no longer the group's


def test_a_folder_exactly_at_its_cap_keeps_every_file(tmp_path):
    store = PointStore(tmp_path / "p", "u", max_total_bytes=20)
    store.ensure(("a",), lambda: b"x" * 10)
    store.ensure(("b",), lambda: b"x" * 10)
    assert store.has(("a",)) and store.has(("b",))


def test_a_file_used_later_than_the_one_written_can_still_go(tmp_path):
    # A file touched in the future sorts after the one just written; the cap
    # still deletes it, never the new one.
    store = PointStore(tmp_path / "p", "u", max_total_bytes=15)
    store.ensure(("future",), lambda: b"x" * 10)
    later = time.time() + 100
    os.utime(tmp_path / "p" / store.name_for(("future",)), (later, later))
    store.ensure(("new",), lambda: b"x" * 10)
    assert [p.name for p in (tmp_path / "p").iterdir()] == [store.name_for(("new",))]


def test_a_sweep_of_no_folder_removes_nothing(tmp_path):
    assert PointStore(tmp_path / "missing", "u").sweep() == 0


def test_removing_the_folder_releases_it_and_deletes_everything(tmp_path):
    folder = tmp_path / f"1-{'8' * 16}"
    store = PointStore(folder, "u")
    store.holder = hold_folder(folder)
    store.ensure(("k",), lambda: b"[]", group="g")
    store.remove_folder()
    assert store.holder is None
    assert not folder.exists()
    assert store.forget("g") == 0
    store.remove_folder()  # gone already: nothing to do
    PointStore(tmp_path / "never", "u").remove_folder()
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_the_sweeper_is_a_named_daemon_thread_that_logs_a_failed_sweep(
    tmp_path, caplog
):
    store = PointStore(tmp_path / "p", "u")
    calls = []

    def failing():
        calls.append(1)
        raise OSError("disk gone")

    store.sweep = failing
    before = set(threading.enumerate())
    with caplog.at_level(logging.ERROR, logger="imu_geo.pointfiles"):
        stop = start_sweeper(store, interval_s=0.02)
        try:
            started = [t for t in threading.enumerate() if t not in before]
            assert [(t.name, t.daemon) for t in started] == [
                ("imu-geo-point-sweeper", True)
            ]
            assert _wait_until(lambda: len(calls) >= 2)  # tried again
        finally:
            stop.set()
    records = [r for r in caplog.records if r.name == "imu_geo.pointfiles"]
    assert records
    assert records[0].getMessage() == "the point files could not be swept"
    assert records[0].event == "sweep_error"
    assert records[0].exc_info[1].args == ("disk gone",)


def test_the_cap_deletes_by_last_use_not_by_name(tmp_path):
    store = PointStore(tmp_path / "p", "u", max_total_bytes=25, secret=b"k" * 32)
    now = time.time()
    store.ensure(("p",), lambda: b"x" * 10)
    store.ensure(("q",), lambda: b"x" * 10)
    early, late = sorted([store.name_for(("p",)), store.name_for(("q",))])
    # The file whose name sorts last was used first.
    os.utime(tmp_path / "p" / late, (now - 100, now - 100))
    os.utime(tmp_path / "p" / early, (now - 50, now - 50))
    store.ensure(("r",), lambda: b"x" * 10)
    left = {p.name for p in (tmp_path / "p").iterdir()}
    assert left == {early, store.name_for(("r",))}


def test_a_url_prefix_loses_only_its_trailing_slashes(tmp_path):
    assert PointStore(tmp_path, "app/X/").url("y.json") == "app/X/y.json"
    assert PointStore(tmp_path, "/a/XX").url("y.json") == "/a/XX/y.json"


def test_a_folder_that_cannot_be_removed_does_not_stop_the_cleaning(
    tmp_path, monkeypatch
):
    # Another process may still be removing a stopped server's folder, or hold
    # a file in it: what cannot be removed now is left for the next sweep.
    for digit in "12":
        (tmp_path / f"1-{digit * 16}").mkdir()
        (tmp_path / f"1-{digit * 16}" / "x.json").write_bytes(b"[]")

    def refuse(*args, **kwargs):
        raise PermissionError("busy")

    monkeypatch.setattr(os, "rmdir", refuse)
    assert remove_stale_folders(tmp_path) == 2
    store = PointStore(tmp_path / f"1-{'1' * 16}", "u")
    store.remove_folder()
    monkeypatch.undo()
    assert remove_stale_folders(tmp_path) == 2
    assert list(tmp_path.iterdir()) == []
