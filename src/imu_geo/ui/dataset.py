"""The dataset on screen: the atlas, the user's file, or both overlaid."""

from __future__ import annotations

import streamlit as st

from imu_geo.data import (
    BUNDLED_DATA_DIR,
    combine_datasets,
    default_data_dir,
)
from imu_geo.schema import CREDITS, SOURCE_CITATION
from imu_geo.store import (
    content_key,
    read_dataset,
)
from imu_geo.text import (
    QUOTE_CHARS,
    escape_markdown,
)
from imu_geo.ui.loading import LoadedData, _require_atlas, prepare
from imu_geo.ui.reporting import log_error
from imu_geo.ui.state import _reset_filters
from imu_geo.ui.upload import _SHOW_KEY, _UPLOAD_KEY, _shown, upload_store_root


def _folder_is_bundled() -> bool:
    """True when the server shows the bundled data folder (not ``--data``)."""
    return default_data_dir().resolve() == BUNDLED_DATA_DIR.resolve()


def _upload_shown() -> bool:
    upload = st.session_state.get(_UPLOAD_KEY)
    return not (_shown() == "atlas" or upload is None or upload.data is None)


def showing_atlas() -> bool:
    """True when the curated atlas alone is on screen."""
    return _folder_is_bundled() and not _upload_shown()


def require_dataset() -> LoadedData:
    """The dataset this session shows: the atlas (loaded once per content and
    shared), the user's uploaded file, or both. Stops the page with a clear
    message (never a traceback) when the data cannot be loaded."""
    atlas = _require_atlas()
    shown = st.session_state.get(_SHOW_KEY, "atlas")
    upload = st.session_state.get(_UPLOAD_KEY)
    if upload is None or shown == "atlas" or upload.data is None:
        chosen, key = atlas, ("atlas",)
    elif shown == "upload":
        chosen, key = upload.data, ("upload", upload.key)
    elif upload.combined is None and upload.combined_failed:
        chosen, key = upload.data, ("upload", upload.key)
    else:
        if upload.combined is None:
            try:
                # Both read back from their stores, only for this overlay.
                combined = combine_datasets(
                    read_dataset(atlas.source.store),
                    read_dataset(upload.data.source.store),
                )
                key = content_key(
                    [atlas.source.store.key.encode(), upload.store_key.encode()],
                    "both",
                )
                upload.combined = prepare(combined, key, upload_store_root(), True)
            except Exception:
                upload.combined_failed = True
                reference = log_error(
                    "an upload could not be overlaid on the atlas",
                    "upload_error",
                    "combine",
                    upload.name,
                )
                st.error(
                    "Your file could not be overlaid on the atlas, so it is shown "
                    "alone. Nothing was changed. The server's log has the details "
                    f"under reference {reference}.",
                    icon=":material/error:",
                )
                return require_dataset()
        chosen, key = upload.combined, ("both", upload.key)
    if st.session_state.get("_shown_dataset") != key:
        # Another dataset: its own span and choices, so the filters start afresh
        # (from the URL on a session's first run).
        first_run = "_shown_dataset" not in st.session_state
        st.session_state["_shown_dataset"] = key
        if not first_run:
            _reset_filters(chosen)
    return chosen


def dataset_marker(data: LoadedData) -> None:
    """Say which dataset is on screen when it is not the curated atlas alone."""
    if showing_atlas():
        return
    if not _upload_shown():
        folder = escape_markdown(default_data_dir().name, QUOTE_CHARS)
        n = data.n_events
        st.info(
            f"Showing the data folder “{folder}” ({n:,} events), not the curated "
            "atlas.",
            icon=":material/folder_open:",
        )
        return
    upload = st.session_state[_UPLOAD_KEY]
    name = escape_markdown(upload.name, QUOTE_CHARS)
    n = upload.data.n_events
    if _shown() == "upload":
        text = f"Showing your file {name} ({n:,} events), not the curated atlas."
    else:
        text = f"Showing the curated atlas with your file {name} ({n:,} events) on top."
    st.info(text, icon=":material/upload_file:")


def credits_footer() -> None:
    """The citation and the credits that the data's licences ask for."""
    st.divider()
    if showing_atlas():
        st.caption(f"Source of every event: {SOURCE_CITATION}")
    elif not _upload_shown():
        st.caption(
            "Events from the data folder "
            f"“{escape_markdown(default_data_dir().name, QUOTE_CHARS)}”;"
            " each row's source is in its source column."
        )
    else:
        upload = st.session_state[_UPLOAD_KEY]
        st.caption(
            f"Events from your file {escape_markdown(upload.name, QUOTE_CHARS)}"
            + (
                f"; the atlas's events from {SOURCE_CITATION}"
                if _shown() == "both"
                else ""
            )
        )
    st.caption(CREDITS)
