"""What a reader takes away: the selection as a file, the map as a picture
or an animation, each built only when asked for."""

from __future__ import annotations

import io

import streamlit as st

from imu_geo import animation as anim
from imu_geo.data import default_data_dir
from imu_geo.engine.source import Selection
from imu_geo.export import write_selection
from imu_geo.filters import FilterSpec
from imu_geo.render import (
    RENDER_COLUMNS,
    picture_bytes,
    picture_text,
    selection_picture_events,
    store_basemap,
    window_words,
)
from imu_geo.text import escape_markdown
from imu_geo.ui.dataset import _upload_shown, showing_atlas
from imu_geo.ui.loading import LoadedData
from imu_geo.ui.player import PLAY_STEPS
from imu_geo.ui.reporting import log
from imu_geo.ui.state import _value, map_options
from imu_geo.ui.upload import _UPLOAD_KEY, _shown
from imu_geo.ui.widgets import download


def selection_bytes(rows: Selection, fmt: str, with_source: bool = False) -> bytes:
    """The selected events as the download of ``fmt`` (``csv`` or ``geojson``),
    the same bytes as ``imu-geo export`` writes (with the file's own columns in
    a CSV when asked)."""
    buffer = io.BytesIO()
    write_selection(buffer, rows.source, rows.spec, fmt, with_source)
    return buffer.getvalue()


@st.cache_resource(max_entries=4, show_spinner="Preparing the map picture…")
def _picture_basemap(key: tuple, _regions, _places, _bounds):
    del key  # only the cache key
    return store_basemap(_regions, _places, _bounds)


def picture_basemap(data: LoadedData):
    """The projected basemap of the pictures, once per dataset."""
    store = data.source.store
    return _picture_basemap(data.key, data.regions, data.places, store.bounds)


def picture_words(data: LoadedData):
    """The heading and credit line of a picture of the data on screen."""
    if showing_atlas():
        return picture_text("atlas")
    if not _upload_shown():
        return picture_text("folder", default_data_dir().name)
    upload = st.session_state[_UPLOAD_KEY]
    return picture_text("upload" if _shown() == "upload" else "both", upload.name)


def picture_downloads(data: LoadedData, spec: FilterSpec, rows, where=st) -> None:
    """*Download map* as PNG and SVG: the view drawn on the server, built when a
    button is clicked (:func:`imu_geo.render.picture_bytes`). The basemap is
    prepared then too, not when the page opens: most readers never ask."""
    options = map_options()
    left, right = where.columns(2)
    for column, fmt, mime in (
        (left, "png", "image/png"),
        (right, "svg", "image/svg+xml"),
    ):

        def build(fmt=fmt) -> bytes:
            return picture_bytes(
                selection_picture_events(rows),
                spec,
                picture_basemap(data),
                picture_words(data),
                fmt,
                options,
            )

        download(
            f"Download map ({fmt.upper()})",
            build,
            f"imu-geo-map-{spec.start:%Y-%m}-{spec.end:%Y-%m}.{fmt}",
            mime,
            where=column,
        )


_ANIMATION_KEY = "_animation_job"


def animation_panel(data: LoadedData, spec: FilterSpec, rows) -> None:
    """*Download animation*: the playback over the window as GIF or MP4.

    The build runs in the background with a progress bar and a Cancel button;
    the caps of :func:`imu_geo.animation.plan_animation` are checked first and
    their sentence shown instead of a button when they refuse.
    """
    box = st.expander("Download animation (GIF or MP4)", icon=":material/movie:")
    fmt_col, step_col, fps_col, size_col = box.columns(4)
    fmt = fmt_col.radio(
        "Format", anim.FORMATS, format_func=str.upper, horizontal=True, key="a_fmt"
    )
    step_name = step_col.selectbox(
        "Step",
        options=list(PLAY_STEPS),
        index=list(PLAY_STEPS).index(_value("step")),
        help="One frame per step, as Play moves the window.",
        key="a_step",
    )
    fps = fps_col.slider(
        "Frames a second", *anim.FPS_RANGE, value=anim.DEFAULT_FPS, key="a_fps"
    )
    size_name = size_col.selectbox(
        "Size (pixels)",
        options=list(anim.SIZES),
        index=list(anim.SIZES.values()).index(anim.DEFAULT_SIZE),
        key="a_size",
    )
    step, size = PLAY_STEPS[step_name], anim.SIZES[size_name]
    frames, refusal = anim.plan_animation(spec, step, fmt, size)
    if refusal:
        box.warning(refusal, icon=":material/block:")
        return
    box.caption(
        f"The window {window_words(spec)}, one frame per "
        f"{anim.STEP_WORDS[step]}: {anim.duration_words(len(frames), fps)}. "
        f"At most {anim.MAX_FRAMES} frames, and "
        f"{anim.MAX_GIF_PIXELS // 1_000_000} million pixels for a GIF."
    )
    options = map_options()
    key = (data.key, spec, step, fps, fmt, size, options)
    job = st.session_state.get(_ANIMATION_KEY)
    if job is not None and job.running:
        with box:
            _animation_progress()
        return
    if job is not None and job.key == key and job.result is not None:
        box.download_button(
            f"Download animation ({fmt.upper()})",
            data=job.result,
            file_name=f"imu-geo-{spec.start:%Y-%m}-{spec.end:%Y-%m}.{fmt}",
            mime=anim.MIME_TYPES[fmt],
            on_click="ignore",
            icon=":material/download:",
        )
    elif job is not None and job.key == key and job.was_cancelled:
        box.info(
            f"Cancelled after {job.done} of {job.total or len(frames)} frames.",
            icon=":material/cancel:",
        )
    elif job is not None and job.key == key and job.error:
        log.error("animation failed: %s", job.error)
        box.error(escape_markdown(job.error), icon=":material/error:")
    if box.button("Build the animation", icon=":material/movie:", key="a_build"):
        # Every column: a frame of few events draws dots, whatever the total.
        candidates = rows.frame(RENDER_COLUMNS).drop(columns="row_id")
        basemap = picture_basemap(data)
        words = picture_words(data)

        def build(progress, cancelled) -> bytes:
            return anim.animation_bytes(
                candidates,
                spec,
                basemap,
                words,
                step,
                fps,
                fmt,
                options,
                size,
                progress=progress,
                cancelled=cancelled,
            )

        st.session_state[_ANIMATION_KEY] = anim.AnimationJob(
            key, build, total=len(frames)
        ).start()
        st.rerun()


@st.fragment(run_every=0.5)
def _animation_progress() -> None:
    """The running build's progress bar and Cancel button, refreshed twice a
    second; when the build ends the page runs again to offer the file."""
    job = st.session_state.get(_ANIMATION_KEY)
    if job is None or not job.running:
        st.rerun(scope="app")
    total = max(job.total, 1)
    text = (
        f"Drawing frame {job.done + 1} of {job.total}…"
        if job.done < job.total
        else "Writing the file…"
    )
    st.progress(min(job.done / total, 1.0), text=text)
    if st.button("Cancel", icon=":material/cancel:", key="a_cancel"):
        job.cancel()
