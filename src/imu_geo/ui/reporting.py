"""Errors on a page: logged with a reference, shown without a trace."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from imu_geo import logs
from imu_geo.text import plain

log = logs.configure()


# An upload's one-line reason, or a note about the file, is cut to this length.
FAILURE_CHARS = 300


def log_error(
    message: str,
    event: str,
    stage: str = "",
    file_name: str = "",
    error: BaseException | None = None,
) -> str:
    """Log the exception being handled (or ``error``), with its trace, under a
    new reference.

    One JSON line (see :mod:`imu_geo.logs`) with ``event``, ``ref`` and, when
    given, the ``stage`` that failed and the uploaded file's name; returns the
    reference for the page to show.
    """
    reference = secrets.token_hex(4)
    extra = {"event": event, "ref": reference}
    if stage:
        extra["stage"] = stage
    if file_name:
        extra["file_name"] = plain(file_name, FAILURE_CHARS)
    if error is None:
        log.exception(message, extra=extra)
    else:
        log.error(
            message, exc_info=(type(error), error, error.__traceback__), extra=extra
        )
    return reference


def report_page_error() -> str:
    """Log the exception being handled, with its trace, and tell the reader.

    The page shows a short reference and no trace; the log line (JSON, see
    :mod:`imu_geo.logs`) has the same reference and the whole trace.
    """
    reference = log_error("a page failed", "page_error")
    st.error(
        "Part of this page could not be shown because of an error. Nothing was "
        f"changed. The server's log has the details under reference {reference}.",
        icon=":material/error:",
    )
    return reference


@contextmanager
def reporting() -> Iterator[None]:
    """Report an error raised inside (see :func:`report_page_error`) and go on.

    ``st.stop()`` and ``st.rerun()`` raise BaseExceptions and pass through.
    """
    try:
        yield
    except Exception:
        report_page_error()


@contextmanager
def script() -> Iterator[None]:
    """Around the whole app script (``app.py``): an error that escapes the frame,
    e.g. in the navigation, is reported like a page's."""
    try:
        yield
    except Exception:
        report_page_error()
