"""The Tour page under AppTest: its stops, links, key events and auto-advance."""

from __future__ import annotations

import shutil
import time
from functools import partial

import pytest
from streamlit.testing.v1 import AppTest

from imu_geo.data import BUNDLED_DATA_DIR
from imu_geo.timeline import ERAS
from tests.helpers import button, era_heading, open_page, window_caption

TOUR_PAGE = "views/tour.py"
TIMEOUT = 120

tour_app = partial(open_page, TOUR_PAGE, timeout=TIMEOUT)


def stop_heading(at: AppTest) -> str:
    return at.header[0].value


@pytest.mark.parametrize(
    ("stop", "alone"),
    # Alone: as for a first request to the link, which runs the page without the
    # app around it.
    [(2, False), (2, True), (4, True)],
)
def test_a_link_opens_the_tour_at_its_stop_with_the_era_as_window(stop, alone):
    at = open_page(TOUR_PAGE, alone=alone, timeout=TIMEOUT, tour=str(stop))
    assert stop_heading(at) == era_heading(stop)
    era = ERAS[stop - 1]
    assert at.query_params["tour"] == str(stop)
    assert at.query_params["start"] == era.start.isoformat()
    assert at.query_params["end"] == era.end.isoformat()
    assert window_caption(at).endswith(f"from {era.start:%b %Y} to {era.end:%b %Y}")
    # The era's sentence is on the page (escaped for Markdown, so compare words).
    page = " ".join(m.value for m in at.markdown).replace("\\", "")
    assert era.reason in page


def test_next_and_back_move_the_stop_the_window_and_the_link():
    at = tour_app()
    assert stop_heading(at) == era_heading(1)
    assert button(at, "◀ Back").disabled
    for number in range(2, len(ERAS) + 1):
        at = button(at, "Next ▶").click().run()
        assert stop_heading(at) == era_heading(number)
        assert at.query_params["tour"] == str(number)
        assert at.query_params["start"] == ERAS[number - 1].start.isoformat()
    assert button(at, "Next ▶").disabled
    at = button(at, "◀ Back").click().run()
    assert stop_heading(at) == era_heading(len(ERAS) - 1)


def test_a_stop_that_does_not_exist_warns_and_shows_the_first():
    at = tour_app(tour="99")
    assert stop_heading(at) == era_heading(1)
    assert any("The tour has no stop “99”" in w.value for w in at.warning)
    assert at.query_params["tour"] == "1"


def stop_warnings(at: AppTest) -> list[str]:
    return [w.value for w in at.warning if "The tour has no stop" in w.value]


def test_the_bad_stop_warning_outlives_the_browsers_measure_not_the_readers_step():
    at = tour_app(tour="99")
    assert len(stop_warnings(at)) == 1
    # The browser says how wide the map's column is (ui.viewport's callback):
    # the page runs again, and the warning is still there.
    at.session_state["_measured"] = True
    at.run(timeout=TIMEOUT)
    assert len(stop_warnings(at)) == 1
    assert "_measured" not in at.session_state
    # The reader's own step: the warning has been read, it goes.
    button(at, "Next ▶").click().run(timeout=TIMEOUT)
    assert stop_heading(at) == era_heading(2)
    assert stop_warnings(at) == []
    # And a plain rerun does not bring it back.
    at.run(timeout=TIMEOUT)
    assert stop_warnings(at) == []


def test_a_shared_link_keeps_the_window_it_carries():
    at = tour_app(tour="3", start="2009-01-01", end="2009-12-31")
    assert stop_heading(at) == era_heading(3)
    assert window_caption(at).endswith("from Jan 2009 to Dec 2009")
    assert any("moved away from this stop" in i.value for i in at.info)
    at = button(at, "Back to this stop's window").click().run()
    assert at.query_params["start"] == ERAS[2].start.isoformat()


def test_key_events_quote_the_source_and_link_to_the_map():
    at = tour_app(tour="2")
    page = " ".join(m.value for m in at.markdown)
    # The Tashkent bombings are among the era's key events, linked by id.
    assert "event=1999-02-tashkent-car-bombs" in page
    assert "](./?start=1998-01-01&end=2001-09-30&layers=attack%2Cbase%2Ccontext" in page


def test_other_data_steps_through_equal_periods_and_says_so(tmp_path, monkeypatch):
    # The dataset's files; the world geography in data/world/ is not one.
    for path in BUNDLED_DATA_DIR.glob("*.*"):
        shutil.copy(path, tmp_path / path.name)
    monkeypatch.setenv("IMU_GEO_DATA", str(tmp_path))
    at = tour_app()
    notes = [c.value for c in at.caption]
    assert any(
        "no eras, so the tour steps through 5 equal periods of 5 years" in n
        for n in notes
    ), notes
    assert stop_heading(at) == "1. Period 1 of 5, Jan 1991 – Dec 1995"
    assert at.query_params["end"] == "1995-12-31"


def test_auto_advance_moves_on_by_itself_and_stops_at_the_last(monkeypatch):
    from imu_geo.ui import story

    monkeypatch.setattr(story, "TOUR_INTERVAL_S", 0.5)
    at = tour_app(tour=str(len(ERAS) - 1))
    at = button(at, "Auto-advance").click().run()
    assert any(b.label == "Stop advancing" for b in at.button)
    time.sleep(0.6)
    at.run()  # the timer's check also runs with every run of the page
    assert stop_heading(at) == era_heading(len(ERAS))
    assert at.query_params["tour"] == str(len(ERAS))
    # At the last stop it stops by itself.
    assert any(b.label == "Auto-advance" for b in at.button)
