"""At scale: what a slider step sends does not grow with the number of events,
and the counts stay right. Sizes here are small enough for the suite; the
benchmark (benchmarks/scale.py) measures speed up to a million events."""

from __future__ import annotations

import json
import re
from datetime import date

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from imu_geo.data import BUNDLED_DATA_DIR
from imu_geo.layers import DETAIL_LIMIT, HALO_PRECISIONS
from imu_geo.pointfiles import LONG_SLICES, SLICES
from imu_geo.synthetic import write_synthetic
from imu_geo.ui.mapdeck import DETAIL_BYTES
from tests.conftest import PROJECT_DIR

APP = str(PROJECT_DIR / "app.py")
WINDOWS = [
    (date(1995, 1, 1), date(1997, 12, 1)),
    (date(1999, 6, 1), date(2003, 5, 1)),
    (date(2008, 1, 1), date(2008, 12, 1)),
]


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    root = tmp_path_factory.mktemp("scale")
    return {
        n: write_synthetic(root / f"n{n}", n, BUNDLED_DATA_DIR, seed=2)
        for n in (10_000, 100_000)
    }


def _count(at: AppTest) -> int:
    text = next(c.value for c in at.caption if re.match(r"[\d,]+ events? — ", c.value))
    return int(re.match(r"([\d,]+) event", text).group(1).replace(",", ""))


def _pandas_count(folder, first: date, last: date) -> int:
    events = pd.read_csv(folder / "events.csv", usecols=["date_start", "date_end"])
    start = pd.to_datetime(events["date_start"])
    end = pd.to_datetime(events["date_end"])
    window_end = pd.Timestamp(last) + pd.offsets.MonthEnd(0)
    return int(((start <= window_end) & (end >= pd.Timestamp(first))).sum())


def _steps(folder, monkeypatch):
    monkeypatch.setenv("IMU_GEO_DATA", str(folder))
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception, [e.value for e in at.exception]
    sizes, counts = [], []
    for first, last in WINDOWS:
        at = at.select_slider(key="f_window").set_range(first, last).run()
        assert not at.exception, [e.value for e in at.exception]
        sizes.append(len(at.get("deck_gl_json_chart")[0].proto.json.encode()))
        counts.append((_count(at), _pandas_count(folder, first, last)))
    return at, sizes, counts


def _features(at: AppTest) -> dict[str, int]:
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    return {
        layer["id"]: len(layer["data"])
        for layer in deck["layers"]
        if isinstance(layer.get("data"), list)
    }


def test_a_step_sends_the_window_s_few_features_not_its_points(folders, monkeypatch):
    _, small, small_counts = _steps(folders[10_000], monkeypatch)
    at, large, large_counts = _steps(folders[100_000], monkeypatch)
    # Bases and halos travel in the deck, at most DETAIL_LIMIT of each: the
    # step's size follows the window's features, never the number of events.
    assert max(small + large) < 100_000
    # At 100,000 every window holds more bases than that, so they are dots from
    # their file.
    assert max(large) < 50_000
    features = _features(at)
    assert "base-areas" not in features, features
    for shown, expected in small_counts + large_counts:
        assert shown == expected > 0
    # The points are in files, not in the deck: every time slice of them is in
    # every deck (hidden or not), so the deck does not grow with the events.
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    events = [layer for layer in deck["layers"] if layer["id"].startswith("events-")]
    assert len(events) == SLICES + LONG_SLICES
    for layer in events:
        assert re.fullmatch(
            r"app/static/points/\d+-[0-9a-f]{16}/[0-9a-f]{40}\.json", layer["data"]
        )


def test_the_point_files_hold_every_located_event_once(folders, monkeypatch):
    folder = folders[10_000]
    monkeypatch.setenv("IMU_GEO_DATA", str(folder))
    at = AppTest.from_file(APP, default_timeout=120).run()
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    points = []
    for layer in deck["layers"]:
        # The time slices of the attacks and context, and the bases' own file
        # (the whole span holds more bases than are drawn inline).
        if layer["id"].startswith("events-") or layer["id"] == "base-points":
            path = PROJECT_DIR / layer["data"].removeprefix("app/")
            points += json.loads(path.read_text(encoding="utf-8"))
    # Every synthetic event lies at one of the folder's places, all of which
    # have a point.
    events = pd.read_csv(folder / "events.csv", usecols=["event_id"])
    assert len(points) == len(events)
    assert len({p["i"] for p in points}) == len(points)


def test_pages_summarise_large_data_instead_of_listing_it(folders, monkeypatch):
    monkeypatch.setenv("IMU_GEO_DATA", str(folders[10_000]))
    at = AppTest.from_file(APP, default_timeout=120).run()
    texts = [c.value for c in at.caption]
    passing = "pass the filters over the whole span, so the map draws each as a dot"
    (notice,) = [t for t in texts if passing in t]
    # What is drawn in full is said with its limit, and a kind over the limit
    # says so after it: the two sentences cannot read as a contradiction.
    assert (
        "As for fewer events, up to 300 bases in the window are drawn with their "
        "areas and relocation arcs, and up to as many roughly known places with "
        "halos." in notice
    )
    assert notice.endswith(
        "The window holds 810 bases, more than the 300 drawn with their areas and "
        "relocation arcs: they are dots."
    )
    assert any(
        "Showing the data folder “n10000” (10,000 events)" in i.value for i in at.info
    )
    at.switch_page("views/timeline.py").run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Events over time"]
    assert any("counts them per month" in c.value for c in at.caption)
    at.switch_page("views/sources.py").run()
    assert not at.exception
    assert any("The table shows the first 5,000 of" in c.value for c in at.caption)
    assert not any("curated by hand" in m.value for m in at.markdown)


def test_a_search_stays_right_while_the_window_moves(folders, monkeypatch):
    from imu_geo.data import load_dataset
    from imu_geo.filters import FilterSpec, apply_filters

    folder = folders[10_000]
    monkeypatch.setenv("IMU_GEO_DATA", str(folder))
    events = load_dataset(folder).events
    at = AppTest.from_file(APP, default_timeout=120).run()
    at = at.text_input(key="f_text").input("event 12").run()
    for first, last in WINDOWS:
        at = at.select_slider(key="f_window").set_range(first, last).run()
        assert not at.exception
        end = (pd.Timestamp(last) + pd.offsets.MonthEnd(0)).date()
        expected = apply_filters(events, FilterSpec(first, end, text="event 12"))
        assert _count(at) == len(expected) > 0


def test_above_the_point_budget_the_map_counts_cells_in_the_engine(
    folders, monkeypatch
):
    # A budget of 5,000 points stands for the browser's 300,000 so that the
    # suite can cross it with 10,000 events.
    monkeypatch.setattr("imu_geo.ui.mapdeck.POINT_BUDGET", 5_000)
    folder = folders[10_000]
    monkeypatch.setenv("IMU_GEO_DATA", str(folder))
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception, [e.value for e in at.exception]
    sizes = []
    for first, last in WINDOWS:
        at = at.select_slider(key="f_window").set_range(first, last).run()
        assert not at.exception, [e.value for e in at.exception]
        chart = at.get("deck_gl_json_chart")[0].proto.json
        sizes.append(len(chart.encode()))
        deck = json.loads(chart)
        cells = next(
            layer["data"] for layer in deck["layers"] if layer["id"] == "event-density"
        )
        # Every located event of the window is in one cell (the synthetic
        # events all have a place), so the cells add up to the pandas count.
        tooltips = [cell["t"] for cell in cells]
        counted = sum(
            int(re.match(r"([\d,]+) events?", t).group(1).replace(",", ""))
            for t in tooltips
        )
        assert counted == _count(at) == _pandas_count(folder, first, last) > 0
    assert max(sizes) < 100_000
    texts = [c.value for c in at.caption]
    assert any("cell" in t and "10,000 events" in t for t in texts), texts


@pytest.mark.parametrize(
    ("start", "end", "inline"),
    [
        ("2003-01-01", "2003-12-31", True),  # a few bases: with their areas
        ("2002-01-01", "2004-12-31", False),  # their polygons outweigh the budget
    ],
)
def test_the_inline_features_keep_within_their_share_of_a_step(
    folders, monkeypatch, start, end, inline
):
    folder = folders[10_000]
    monkeypatch.setenv("IMU_GEO_DATA", str(folder))
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update(start=start, end=end, layers="base")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    # Fewer bases than DETAIL_LIMIT in the window (pandas): only their bytes
    # can keep them from being drawn with their areas.
    events = pd.read_csv(
        folder / "events.csv", usecols=["layer", "date_start", "date_end"]
    )
    in_window = events[
        (events["layer"] == "base")
        & (pd.to_datetime(events["date_start"]) <= pd.Timestamp(end))
        & (pd.to_datetime(events["date_end"]) >= pd.Timestamp(start))
    ]
    assert 0 < len(in_window) <= DETAIL_LIMIT
    assert _count(at) == len(in_window)
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    inline_layers = [
        layer for layer in deck["layers"] if isinstance(layer.get("data"), list)
    ]
    size = sum(len(json.dumps(layer, separators=(",", ":"))) for layer in inline_layers)
    assert size <= DETAIL_BYTES
    ids = [layer["id"] for layer in deck["layers"]]
    said = (
        f"The window's {len(in_window):,} bases with their areas and relocation arcs "
        "would make every step of the map too large to send: they are dots."
    )
    texts = " ".join(c.value for c in at.caption)
    if inline:
        assert "base-areas" in ids and said not in texts
        areas = next(layer for layer in inline_layers if layer["id"] == "base-areas")
        points = next(layer for layer in inline_layers if layer["id"] == "base-points")
        assert len(areas["data"]) + len(points["data"]) == len(in_window)
    else:
        assert "base-areas" not in ids and said in texts
        points = next(layer for layer in deck["layers"] if layer["id"] == "base-points")
        assert points["data"].startswith("app/static/points/")


@pytest.fixture(scope="module")
def ged_folder(tmp_path_factory):
    """2,000 GED-shaped events, each at its own point, imported as a user would."""
    from imu_geo.cli import main
    from imu_geo.synthetic_ged import write_ged

    root = tmp_path_factory.mktemp("ged-halos")
    csv = write_ged(root / "ged.csv", 2_000, seed=5, chunk_rows=1_000)
    assert main(["import", str(csv), "-o", str(root / "folder")]) == 0
    return root / "folder"


def _vague_places(folder) -> int:
    """Distinct points of the non-base events known only roughly, by pandas."""
    events = pd.read_csv(folder / "events.csv", dtype=str, keep_default_na=False)
    vague = events[
        (events["layer"] != "base")
        & events["geo_precision"].isin(list(HALO_PRECISIONS))
        & (events["lat"] != "")
    ]
    return len(vague.drop_duplicates(["lon", "lat", "geo_precision"]))


def test_halos_of_more_roughly_known_places_than_the_limit_are_left_out_with_a_word(
    ged_folder, monkeypatch
):
    assert _vague_places(ged_folder) > DETAIL_LIMIT
    monkeypatch.setenv("IMU_GEO_DATA", str(ged_folder))
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception, [e.value for e in at.exception]
    assert "uncertainty-halos" not in _features(at)
    words = " ".join(c.value for c in at.caption) + " ".join(
        m.value for m in at.markdown
    )
    assert f"more than {DETAIL_LIMIT:,} roughly known places" in words


def _density_caption(at: AppTest) -> bool:
    return any(c.value.startswith("Density: the") for c in at.caption)


def test_the_density_switch_outlives_a_visit_to_another_page(folders, monkeypatch):
    from imu_geo.ui.mapdeck import DENSITY_KEY

    monkeypatch.setenv("IMU_GEO_DATA", str(folders[10_000]))
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert at.toggle(key=DENSITY_KEY).value is False
    assert not _density_caption(at)
    at = at.toggle(key=DENSITY_KEY).set_value(True).run()
    assert _density_caption(at)
    for page in ("views/regions.py", "views/timeline.py"):
        at.switch_page(page).run()
        assert not at.exception, [e.value for e in at.exception]
    at.switch_page("views/map.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.toggle(key=DENSITY_KEY).value is True
    assert _density_caption(at)
    # Switched off, it stays off the same way.
    at = at.toggle(key=DENSITY_KEY).set_value(False).run()
    at.switch_page("views/regions.py").run()
    at.switch_page("views/map.py").run()
    assert at.toggle(key=DENSITY_KEY).value is False
    assert not _density_caption(at)
