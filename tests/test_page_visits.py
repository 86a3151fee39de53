"""A page's visits (imu_geo.ui.state.page_visit) counted through a real run of
Streamlit's script runner: a visit begins when the page runs after another
page's run, not on the page's own reruns. Expected counts worked by hand."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest


def _script():
    import streamlit as st

    from imu_geo.ui.state import begin_run, page_visit

    begin_run()
    page = st.session_state.get("page", "map")
    if page == "map":
        st.write(f"map visit {page_visit('map')}")
        st.write(f"same run, again {page_visit('map')}")
    else:
        st.write(f"on {page}")


@pytest.mark.parametrize(
    ("pages", "visits"),
    [
        # Reruns of the page stay in its first visit.
        (["map", "map", "map"], [1, 1, 1]),
        # Another page between two of its runs begins a new visit.
        (["map", "timeline", "map", "map"], [1, None, 2, 2]),
        (["timeline", "regions", "map", "regions", "map"], [None, None, 1, None, 2]),
    ],
)
def test_a_visit_begins_when_the_page_runs_after_another(pages, visits):
    app = AppTest.from_function(_script)
    seen = []
    for page in pages:
        app.session_state["page"] = page
        app.run()
        assert not app.exception
        texts = [m.value for m in app.markdown]
        if page == "map":
            number = int(texts[0].removeprefix("map visit "))
            assert texts[1] == f"same run, again {number}"
            seen.append(number)
        else:
            assert texts == [f"on {page}"]
            seen.append(None)
    assert seen == visits
