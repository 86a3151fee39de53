"""The app under AppTest: they load, the slider moves the count, the URL works."""

from __future__ import annotations

import json
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers import open_page, shown, window_caption


def deck(at: AppTest) -> dict:
    return json.loads(at.get("deck_gl_json_chart")[0].proto.json)


def test_opens_on_the_whole_span_with_every_layer():
    at = open_page()
    assert window_caption(at).startswith(
        "49 events — 14 attacks, 8 bases, 27 context — "
    )
    assert window_caption(at).endswith("from Jan 1991 to Dec 2015")
    assert at.query_params["start"] == "1991-01-01"
    assert at.query_params["layers"] == "attack,base,context"


def test_url_parameters_restore_the_view():
    at = open_page(start="1999-01-01", end="2004-12-31", layers="attack,base")
    assert window_caption(at) == (
        "16 events — 11 attacks, 5 bases — from Jan 1999 to Dec 2004"
    )
    ids = {layer["id"]: layer for layer in deck(at)["layers"]}
    assert {r["event_id"] for r in ids["context-events"]["data"]} == set()
    assert "1999-02-tashkent-car-bombs" in {
        r["event_id"] for r in ids["attacks"]["data"]
    }


@pytest.mark.parametrize(
    ("params", "warning"),
    [
        ({"start": "yesterday"}, "The start date “yesterday” is not an ISO date"),
        ({"layers": "rockets"}, "Unknown layers in the link: rockets; showing all."),
        ({"start": "2010-01-01", "end": "2000-01-01"}, "before it starts"),
    ],
)
def test_bad_url_values_warn_and_show_the_default(params, warning):
    at = open_page(**params)
    # Warnings quote the link, so they are escaped Markdown; compare what shows.
    assert any(warning in shown(w.value) for w in at.warning), [
        w.value for w in at.warning
    ]
    assert window_caption(at).startswith("49 events")


def test_moving_the_slider_changes_the_count_and_the_url():
    at = open_page()
    slider = at.select_slider(key="f_window")
    first, last = slider.value
    at = slider.set_range(
        first.replace(year=2009), last.replace(year=2009, month=12)
    ).run()
    assert window_caption(at) == (
        "8 events — 2 attacks, 1 base, 5 context — from Jan 2009 to Dec 2009"
    )
    assert at.query_params["start"] == "2009-01-01"
    assert at.query_params["end"] == "2009-12-31"


def test_a_window_from_another_dataset_is_brought_into_this_ones_months():
    # A rerun that overlaps a switch of dataset (an upload read while the page
    # was still running) can bring the slider's value of the dataset before back
    # into the session: months this dataset does not have. The page must show
    # its own span, not fail.
    at = open_page()
    at.session_state["v_window"] = (date(1980, 1, 1), date(1985, 6, 1))
    at.run()
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    assert window_caption(at).endswith("from Jan 1991 to Dec 2015")
    at.session_state["v_window"] = (date(1980, 1, 1), date(2001, 6, 1))
    at.run()
    assert not at.error, [e.value for e in at.error]
    # Snapped into the data: from its first month to the month asked for.
    assert window_caption(at).endswith("from Jan 1991 to Jun 2001")


def test_cumulative_mode_counts_everything_up_to_the_end():
    at = open_page(start="2004-01-01", end="2004-12-31", mode="cumulative")
    # Hand count: 33 rows of events.csv have date_start <= 2004-12-31.
    assert window_caption(at) == (
        "33 events — 11 attacks, 6 bases, 16 context — up to Dec 2004"
    )
    assert window_caption(at).endswith("up to Dec 2004")


def test_search_and_layer_filters():
    # "Karachi" is in the airport attack and in the quotes of two context rows.
    at = open_page(q="Karachi")
    assert window_caption(at).startswith("3 events — 1 attack, 0 bases, 2 context")
    at = open_page(q="Karachi", layers="attack")
    assert window_caption(at).startswith("1 event — 1 attack —")


def test_selected_event_opens_its_details_from_the_url():
    at = open_page(event="1999-02-tashkent-car-bombs")
    texts = " ".join(m.value for m in at.markdown)
    assert "five car bombs in Tashkent in February 1999" in texts.replace("\\", "")


def test_a_broken_data_directory_gives_a_clear_page(tmp_path, monkeypatch):
    (tmp_path / "events.csv").write_text("event_id\n1999-x\n", encoding="utf-8")
    monkeypatch.setenv("IMU_GEO_DATA", str(tmp_path))
    at = open_page()
    assert "cannot be loaded" in at.error[0].value
    problems = at.dataframe[0].value
    assert "regions.geojson" in set(problems["file"])


def test_a_large_selection_pages_the_table_and_says_so(tmp_path, monkeypatch):
    import csv
    import shutil

    import pandas as pd

    from imu_geo.data import BUNDLED_DATA_DIR

    # The dataset's files; the world geography in data/world/ is not one.
    for path in BUNDLED_DATA_DIR.glob("*.*"):
        shutil.copy(path, tmp_path / path.name)
    with (BUNDLED_DATA_DIR / "events.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    template = next(r for r in rows if r["event_id"] == "1999-02-tashkent-car-bombs")
    extra = [template | {"event_id": f"copy-{i:05d}"} for i in range(150)]
    with (tmp_path / "events.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows + extra)
    # The oracle: the attacks whose dates overlap February 1999, by pandas.
    events = pd.read_csv(tmp_path / "events.csv", dtype=str)
    starts = pd.to_datetime(events["date_start"])
    ends = pd.to_datetime(events["date_end"])
    wanted = events[
        (events["layer"] == "attack")
        & (starts <= pd.Timestamp("1999-02-28"))
        & (ends >= pd.Timestamp("1999-02-01"))
    ]
    assert len(wanted) == 154  # the 150 copies and 4 bundled attacks
    monkeypatch.setenv("IMU_GEO_DATA", str(tmp_path))
    at = open_page(start="1999-02-01", end="1999-02-28", layers="attack")

    def page() -> list[str]:
        assert not at.exception, [e.value for e in at.exception]
        return list(at.dataframe[0].value["event_id"])

    def said() -> list[str]:
        return [c.value for c in at.caption if "The table shows events" in c.value]

    first = page()
    assert len(first) == 50
    assert said() == [
        "The table shows events 1–50 of 154 in date order (Previous and Next "
        "move through them); the downloads below hold all of them."
    ]
    assert at.button(key="table-previous").disabled
    pages = [first]
    for rows_shown in ("51–100", "101–150", "151–154"):
        assert not at.button(key="table-next").disabled
        at.button(key="table-next").click().run()
        pages.append(page())
        assert said()[0].startswith(f"The table shows events {rows_shown} of 154 ")
    assert [len(p) for p in pages] == [50, 50, 50, 4]
    assert at.button(key="table-next").disabled
    # Four pages, each event once, every event of the window.
    seen = [event for p in pages for event in p]
    assert len(seen) == len(set(seen)) == 154
    assert set(seen) == set(wanted["event_id"])
    at.button(key="table-previous").click().run()
    assert page() == pages[2]
    at.button(key="table-previous").click().run()
    at.button(key="table-previous").click().run()
    assert page() == first
    # A new window starts again at its first page.
    at.button(key="table-next").click().run()
    at.select_slider(key="f_window").set_range(
        pd.Timestamp("1999-01-01").date(), pd.Timestamp("1999-02-01").date()
    ).run()
    assert said()[0].startswith("The table shows events 1–50 of ")
