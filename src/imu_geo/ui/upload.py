"""The user's own file: the sidebar box that imports it into a store of its own."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import streamlit as st

from imu_geo import world
from imu_geo.data import (
    Dataset,
    assemble_dataset,
)
from imu_geo.export import table_csv_bytes
from imu_geo.importers import (
    FORMATS,
    ImportFailure,
    ImportResult,
    InternalImportError,
    import_file,
)
from imu_geo.importers import writing as import_writing
from imu_geo.pointfiles import MAX_IDLE_S
from imu_geo.store import (
    content_key,
    default_root,
    remove_stale_stores,
    remove_store,
)
from imu_geo.text import (
    QUOTE_CHARS,
    escape_markdown,
    plain,
)
from imu_geo.ui.loading import LoadedData, prepare
from imu_geo.ui.mapdeck import point_store
from imu_geo.ui.reporting import FAILURE_CHARS, log_error
from imu_geo.ui.widgets import download, table
from imu_geo.views import upload_failure

_UPLOAD_KEY = "_upload"


_NOTICES_KEY = "_upload_notices"


_SHOW_KEY = "v_show"


_SHOW_WIDGET = "u_show"


UPLOAD_TYPES = ("csv", "tsv", "txt", "geojson", "json", "parquet", "xlsx", "zip", "gz")


SHOW_LABELS = {
    "atlas": "Curated atlas",
    "upload": "Your file",
    "both": "Both, overlaid",
}


@dataclass
class Upload:
    """One session's imported file: the result, and the data ready to show."""

    key: tuple
    name: str
    result: ImportResult | None
    failure: str = ""
    data: LoadedData | None = None
    combined: LoadedData | None = None
    combined_failed: bool = False
    store_key: str = ""


# An upload's store left behind by a session that ended without forgetting it.
UPLOAD_STORE_MAX_AGE_S = 24 * 3600


def upload_store_root() -> Path:
    """Where uploads' stores are kept: apart from the data folders', so that
    forgetting a file deletes its store. Asked at each use, so that a change of
    the store root's setting applies."""
    return default_root() / "uploads"


def _upload_dataset(name: str, result: ImportResult) -> Dataset:
    """An import's events as a dataset, with the world's units where its places
    are."""
    regions = world.regions_for_places(
        result.places, points=import_writing.own_points(result.events)
    )
    return assemble_dataset(
        Path(name), result.events, result.places, regions, result.source_columns
    )


# How the page names the command line's date-order option in a refusal.
_DATE_ORDER_HINT = "with --date-order dmy|mdy"


DATE_ORDER_LABELS = {
    "auto": "Detect per date column",
    "dmy": "Day first (D/M/Y)",
    "mdy": "Month first (M/D/Y)",
    "ymd": "Year first (Y/M/D)",
}


# The steps an upload's bar counts: the reading, the four of the import
# (imu_geo.importers.import_table) and the store.
IMPORT_STEPS = 6


def progress_bar(bar, steps: int = IMPORT_STEPS) -> Callable[[str], None]:
    """Tell ``bar`` (an ``st.progress``) each step of an import: its sentence,
    inert and cut short (it may quote the file's name), and one more of
    ``steps`` done."""
    done = [0]

    def say(text: str) -> None:
        bar.progress(
            min(done[0] / steps, 1.0), text=escape_markdown(plain(text, FAILURE_CHARS))
        )
        done[0] += 1

    return say


def _import_upload(
    name: str,
    read,
    fmt: str,
    key: tuple,
    date_order: str = "auto",
    progress: Callable[[str], None] | None = None,
) -> Upload:
    """Read (``read()`` gives the bytes), import and prepare one uploaded file;
    ``progress`` is told before each slow step.

    Whatever goes wrong becomes a one-line reason in ``Upload.failure``: the
    importer's own refusal as it words it; anything else as a short reason with
    a reference, and a log line with the same reference and the whole trace.
    """
    stage = "read"
    try:
        payload = read()
        stage = "import"
        try:
            result = import_file(
                name, payload, fmt, date_order=date_order, progress=progress
            )
        except InternalImportError as failure:
            # Not the file's fault: the importer's one line, with a reference to
            # the log line that has the original error and its trace.
            reference = log_error(
                "an upload failed",
                "upload_error",
                stage,
                name,
                error=failure.__cause__ or failure,
            )
            return Upload(
                key,
                name,
                None,
                f"{plain(failure, FAILURE_CHARS)}. Nothing was changed. The "
                f"server's log has the details under reference {reference}.",
            )
        except ImportFailure as failure:
            reason = str(failure).replace(
                _DATE_ORDER_HINT, "under Day and month order in this box"
            )
            return Upload(key, name, None, plain(reason, FAILURE_CHARS))
        upload = Upload(key, name, result)
        if len(result.events):
            stage = "dataset"
            upload.store_key = content_key(
                [payload, repr((fmt, date_order)).encode()], "upload"
            )
            remove_stale_stores(upload_store_root(), UPLOAD_STORE_MAX_AGE_S)
            if progress is not None:
                progress(f"Writing {len(result.events):,} events to the store…")
            upload.data = prepare(
                _upload_dataset(name, result),
                upload.store_key,
                upload_store_root(),
                anywhere=True,
            )
            # The session keeps the report, not the rows: the store has them.
            upload.result = replace(
                result,
                events=result.events.iloc[:0],
                places=result.places.iloc[:0],
                source_columns=result.source_columns.iloc[:0],
            )
        return upload
    except Exception as error:
        reference = log_error("an upload failed", "upload_error", stage, name)
        return Upload(key, name, None, upload_failure(name, stage, error, reference))


def upload_controls() -> None:
    """The sidebar box to bring one's own events: upload, report, what to show.

    The file's events are written to a store of their own (under the store
    root's ``uploads`` folder, named by a hash of the file's bytes), which the
    engine queries; nothing is written to the data folder, no other session is
    pointed at it, and it is deleted when the file is forgotten or replaced, or
    a day after it was last opened.
    """
    box = st.sidebar.expander(
        "Your data", icon=":material/upload_file:", expanded=False
    )
    file = box.file_uploader(
        "Events file (CSV, GeoJSON, Parquet or Excel; or a .zip or .gz of one)",
        type=list(UPLOAD_TYPES),
        key=f"u_file_{st.session_state.get('u_file_n', 0)}",
        help="Our schema, or ACLED, UCDP GED or GTD columns. Only this browser "
        "session is shown it. Its events are kept on the server in a store of "
        "their own while you use them, deleted when you forget or replace the "
        "file, or a day after it was last opened. With more than 300 events the "
        "map keeps a copy of their points at an address only this session is "
        "given, deleted when you forget the file or after 30 minutes unused.",
    )
    fmt = box.selectbox(
        "Format",
        options=["auto", *FORMATS],
        format_func=lambda f: "Detect from the columns" if f == "auto" else f,
        key="u_format",
    )
    date_order = box.selectbox(
        "Day and month order",
        options=list(DATE_ORDER_LABELS),
        format_func=DATE_ORDER_LABELS.get,
        key="u_date_order",
        help="Only for dates written in numbers such as 03/04/2001. By default "
        "each date column decides (a day above 12 settles it); a column where "
        "every date reads both ways is refused until you choose.",
    )
    upload = st.session_state.get(_UPLOAD_KEY)
    key = (getattr(file, "file_id", None), fmt, date_order)
    if file is not None and (upload is None or upload.key != key):
        # A bar that names each step, for a large file's import takes a while.
        bar = box.progress(0.0, text="Receiving the file…")
        upload = _import_upload(
            file.name, file.getvalue, fmt, key, date_order, progress_bar(bar)
        )
        bar.empty()
        previous = st.session_state.get(_UPLOAD_KEY)
        if previous is not None:
            _forget_point_files(previous)
            _forget_stores(previous, keep=upload)
        st.session_state[_UPLOAD_KEY] = upload
        _set_shown("upload" if upload.data is not None else "atlas")
    for notice in st.session_state.pop(_NOTICES_KEY, []):
        box.warning(escape_markdown(notice), icon=":material/warning:")
    # The import is kept until the user forgets it, even if the uploader widget
    # loses its file (Streamlit may reset widgets when the page changes).
    if upload is None:
        return
    if upload.failure:
        box.error(escape_markdown(upload.failure), icon=":material/error:")
    else:
        result = upload.result
        box.markdown(
            escape_markdown(f"{plain(upload.name, QUOTE_CHARS)}: {result.summary()}")
        )
        for note in result.file_notes:
            box.caption(escape_markdown(note, FAILURE_CHARS))
        if len(result.report):
            table(result.report.head(1000), hide_index=True, height=180, where=box)
            download(
                "Download the report (CSV)",
                lambda: table_csv_bytes(result.report_frame()),
                "imu-geo-import-report.csv",
                where=box,
            )
        box.caption(
            escape_markdown(
                f"{result.column_summary()}. A kept column stays with its "
                "event, and the CSV download can include it."
            )
        )
        table(
            result.column_map,
            where=box,
            hide_index=True,
            height=180,
            column_config={
                "column": st.column_config.TextColumn("Column of the file"),
                "what": st.column_config.TextColumn("Where it went"),
            },
        )
        if upload.data is None:
            box.warning("No row could be used, so the atlas stays on screen.")
        else:
            if _SHOW_WIDGET not in st.session_state:
                st.session_state[_SHOW_WIDGET] = _shown()
            box.radio(
                "Show",
                options=list(SHOW_LABELS),
                format_func=SHOW_LABELS.get,
                index=list(SHOW_LABELS).index(_shown()),
                key=_SHOW_WIDGET,
                on_change=lambda: _set_shown(st.session_state[_SHOW_WIDGET]),
                help="Your file alone, or on top of the curated atlas.",
            )
    box.button("Forget my file", on_click=_forget_upload, icon=":material/delete:")


def _shown() -> str:
    return st.session_state.get(_SHOW_KEY, "atlas")


def _set_shown(value: str) -> None:
    """Choose the dataset on screen (from a callback, or before the radio)."""
    st.session_state[_SHOW_KEY] = value
    st.session_state[_SHOW_WIDGET] = value


def _forget_point_files(upload: Upload) -> None:
    """Delete the map's point files of ``upload``. When that fails the files
    still expire (see :mod:`imu_geo.pointfiles`); the reader is told, with a
    reference to the log."""
    try:
        store = point_store()
        for loaded in (upload.data, upload.combined):
            if loaded is not None:
                store.forget(repr(loaded.key))
    except Exception:
        reference = log_error(
            "an upload's point files could not be deleted",
            "upload_error",
            "point_files",
            upload.name,
        )
        st.session_state.setdefault(_NOTICES_KEY, []).append(
            "The map's copy of your previous file could not be deleted now; it "
            f"is deleted after {MAX_IDLE_S // 60} minutes unused. The server's log "
            f"has the details under reference {reference}."
        )


def _forget_stores(upload: Upload, keep: Upload | None = None) -> None:
    """Delete the stores written for an upload (alone and overlaid), except
    those the upload replacing it uses (the same file again)."""
    kept = {
        loaded.source.store.path
        for loaded in (getattr(keep, "data", None), getattr(keep, "combined", None))
        if loaded is not None
    }
    for loaded in (upload.data, upload.combined):
        if loaded is not None and loaded.source.store.path not in kept:
            remove_store(loaded.source.store.path)


def _forget_upload() -> None:
    upload = st.session_state.pop(_UPLOAD_KEY, None)
    if upload is not None:
        _forget_point_files(upload)
        _forget_stores(upload)
    # A new uploader key gives an empty uploader.
    st.session_state["u_file_n"] = st.session_state.get("u_file_n", 0) + 1
    _set_shown("atlas")
