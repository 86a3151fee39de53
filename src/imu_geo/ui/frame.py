"""The frame around every page: the shared filters before, the credits after."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from imu_geo.filters import FilterSpec
from imu_geo.ui.dataset import credits_footer, dataset_marker, require_dataset
from imu_geo.ui.loading import LoadedData
from imu_geo.ui.mapdeck import point_store
from imu_geo.ui.player import run_player
from imu_geo.ui.reporting import report_page_error, reporting
from imu_geo.ui.sidebar import filter_controls
from imu_geo.ui.state import _PAGE_QUERY_KEY, begin_run, current_spec, sync_url
from imu_geo.ui.styles import page_styles
from imu_geo.ui.upload import upload_controls

# Each session's script runs in its own thread; this says whether the frame
# (app.py) is around the page running now in this thread.
_frame_state = threading.local()


@contextmanager
def frame() -> Iterator[LoadedData]:
    """The frame around every page: the shared filters before, credits after.

    An error in any part of it, or in the page, is reported where it happened
    (:func:`report_page_error`) and the rest still runs; without a dataset or
    filters there is no page to show, so an error there ends the run.
    """
    st.session_state.pop(_PAGE_QUERY_KEY, None)  # a page sets its own again
    with reporting():
        page_styles()
    with reporting():
        point_store()  # from the first run on, the point files' sweeper runs
    with reporting():
        upload_controls()
    try:
        data = require_dataset()
        filter_controls(data)
    except Exception:
        report_page_error()
        st.stop()
    with reporting():
        dataset_marker(data)
    _frame_state.active = True
    try:
        yield data
    except Exception:
        # st.stop() and st.rerun() raise BaseExceptions and pass through here.
        report_page_error()
    finally:
        _frame_state.active = False
    # After the page, so that what it selected is in the link too.
    with reporting():
        sync_url(current_spec(data), data)
    with reporting():
        run_player(data)
    with reporting():
        credits_footer()


def page_context() -> tuple[LoadedData, FilterSpec]:
    """The dataset and the current spec, for a page script.

    A page can also run without the frame (AppTest of a page file, or a script
    opened directly); it then draws the shared filters itself, with the same state
    keys, so the view is the same either way. Page scripts live in ``views/``, not
    ``pages/``: a ``pages/`` folder beside ``app.py`` puts Streamlit into its legacy
    folder mode, which runs the page without the frame and gives its widgets other
    identities, so filter state is lost between the first runs of a session.
    """
    standalone = not getattr(_frame_state, "active", False)
    begin_run()
    if standalone:
        with reporting():
            page_styles()
        with reporting():
            upload_controls()
    data = require_dataset()
    spec = current_spec(data)
    if standalone:
        spec = filter_controls(data)
        sync_url(spec, data)
    return data, spec
