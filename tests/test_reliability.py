"""Faults and operations: errors stay on the server, bad data gets a clear page,
the data folder is only ever read, and the serving configuration holds."""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import re
import shutil
import stat
import tomllib
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from imu_geo import logs
from imu_geo.data import BUNDLED_DATA_DIR
from tests.conftest import PROJECT_DIR, healthy

APP = str(PROJECT_DIR / "app.py")

FAILING_PAGE = """
from imu_geo.ui import frame

with frame.frame():
    import streamlit as st
    st.write("before the fault")
    raise ValueError("boom at /srv/secret/path")
"""


def test_a_failing_page_shows_a_reference_and_logs_the_trace(log_lines):
    at = AppTest.from_string(FAILING_PAGE, default_timeout=60).run()
    assert not at.exception  # nothing reaches the page as an exception
    (error,) = [e.value for e in at.error]
    assert "could not be shown" in error
    assert "boom" not in error and "/srv/secret" not in error
    reference = error.rsplit("reference ", 1)[1].rstrip(".")
    (entry,) = [e for e in log_lines() if e.get("event") == "page_error"]
    assert entry["ref"] == reference
    assert entry["level"] == "error"
    assert entry["error"] == "ValueError: boom at /srv/secret/path"
    assert 'raise ValueError("boom at /srv/secret/path")' in entry["traceback"]
    # The rest of the frame still runs: the credits are there.
    assert any("Natural Earth" in c.value for c in at.caption)


def test_log_lines_are_json_with_the_extra_fields():
    record = logging.makeLogRecord(
        {"name": "imu_geo", "levelname": "WARNING", "msg": "slow %s", "args": ("step",)}
    )
    record.ref = "abc"
    entry = json.loads(logs.JsonFormatter().format(record))
    assert entry["message"] == "slow step"
    assert entry["level"] == "warning"
    assert entry["ref"] == "abc"
    assert "traceback" not in entry


def test_a_log_line_in_full_keeps_extras_plain_or_as_repr_and_text_unescaped():
    record = logging.makeLogRecord(
        {
            "name": "imu_geo.data",
            "levelname": "INFO",
            "msg": "read %s",
            "args": ("Тошкент",),
            # Half a second after the epoch, in UTC whatever the local zone.
            "created": 0.5,
            "ref": "r1",
            "count": 3,
            "span": (1, 2),
            "_private": "left out",
        }
    )
    assert logs.JsonFormatter().format(record) == (
        '{"time": "1970-01-01T00:00:00.500+00:00", "level": "info", '
        '"logger": "imu_geo.data", "message": "read Тошкент", "ref": "r1", '
        '"count": 3, "span": "(1, 2)"}'
    )


def test_an_error_is_logged_with_its_type_and_the_whole_chain_of_its_trace():
    cause = KeyError("k")
    error = ValueError("bad")
    error.__cause__ = cause
    record = logging.makeLogRecord(
        {"msg": "failed", "exc_info": (ValueError, error, None)}
    )
    entry = json.loads(logs.JsonFormatter().format(record))
    assert entry["error"] == "ValueError: bad"
    # Neither exception was raised, so neither has frames: Python prints the
    # cause, the sentence that links them, then the error.
    assert entry["traceback"] == (
        "KeyError: 'k'\n"
        "\nThe above exception was the direct cause of the following exception:\n\n"
        "ValueError: bad\n"
    )


@pytest.fixture
def bare_logger():
    """The package's logger with only a handler of someone else's, restored after."""
    logger = logging.getLogger(logs.LOGGER)
    saved = (logger.handlers[:], logger.level, logger.propagate)
    logger.handlers = [logging.NullHandler()]
    logger.setLevel(logging.NOTSET)
    logger.propagate = True
    yield logger
    logger.handlers, logger.propagate = saved[0], saved[2]
    logger.setLevel(saved[1])


def test_configure_adds_one_json_handler_to_the_stream_given_once(bare_logger):
    stream = io.StringIO()
    assert logs.configure(stream, level=logging.WARNING) is bare_logger
    assert logs.configure(io.StringIO(), level=logging.DEBUG) is bare_logger
    # Someone else's handler stays; ours is added beside it, once.
    assert len(bare_logger.handlers) == 2
    assert bare_logger.level == logging.WARNING
    assert bare_logger.propagate is False
    bare_logger.info("not written")
    bare_logger.warning("written")
    entry = json.loads(stream.getvalue())
    assert (entry["level"], entry["logger"], entry["message"]) == (
        "warning",
        "imu_geo",
        "written",
    )


def test_configure_writes_to_stderr_when_no_stream_is_given(bare_logger, capsys):
    logs.configure()
    bare_logger.info("to stderr")
    assert json.loads(capsys.readouterr().err)["message"] == "to stderr"


def _copy_data(tmp_path):
    folder = tmp_path / "data"
    # The dataset's files; the world geography in data/world/ is not one.
    shutil.copytree(BUNDLED_DATA_DIR, folder, ignore=shutil.ignore_patterns("world"))
    return folder


@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        (lambda f: (f / "events.csv").unlink(), "events.csv: is missing"),
        (
            lambda f: (f / "events.csv").write_bytes(b"\x00\x01\x02 garbage"),
            "is not a text file",
        ),
        (
            lambda f: (f / "events.csv").write_bytes(
                (f / "events.csv").read_bytes()[:-700]
            ),
            "events.csv",
        ),
        (lambda f: (f / "places.geojson").unlink(), "places.geojson: is missing"),
        (
            lambda f: (f / "regions.geojson").write_text('{"type": "Feature'),
            "regions.geojson",
        ),
    ],
)
def test_a_damaged_data_folder_gets_a_clear_page(
    tmp_path, monkeypatch, damage, expected
):
    folder = _copy_data(tmp_path)
    damage(folder)
    monkeypatch.setenv("IMU_GEO_DATA", str(folder))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        at.error[0].value
    ] and "cannot be loaded" in at.error[0].value
    problems = at.dataframe[0].value
    described = " ".join(
        f"{row.file}: {row.problem}" for row in problems.itertuples(index=False)
    )
    assert expected in described


def _fingerprint(folder):
    # Every file, the world geography under data/world/ included.
    return {
        str(path.relative_to(folder)): (
            hashlib.sha256(path.read_bytes()).hexdigest(),
            path.stat().st_mtime_ns,
        )
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_a_read_only_data_folder_serves_and_is_never_written(tmp_path, monkeypatch):
    folder = _copy_data(tmp_path)
    for path in folder.iterdir():
        path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR | stat.S_IRGRP | stat.S_IXGRP)
    before = _fingerprint(folder)
    monkeypatch.setenv("IMU_GEO_DATA", str(folder))
    try:
        at = AppTest.from_file(APP, default_timeout=60).run()
        for window in [
            (date(1999, 1, 1), date(2001, 12, 1)),
            (date(2009, 1, 1), date(2015, 12, 1)),
        ]:
            at = at.select_slider(key="f_window").set_range(*window).run()
            assert not at.exception
        for page in ("views/regions.py", "views/timeline.py", "views/sources.py"):
            at.switch_page(page).run()
            assert not at.exception
        assert not at.error
        # Running as root ignores the permission bits; the contents and times
        # are the real check that nothing was written.
        assert _fingerprint(folder) == before
        assert sorted(os.listdir(folder)) == sorted(before)
    finally:
        folder.chmod(stat.S_IRWXU)


def test_the_bundled_data_is_untouched_by_a_session():
    before = _fingerprint(BUNDLED_DATA_DIR)
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.select_slider(key="f_window").set_range(
        date(1999, 1, 1), date(1999, 12, 1)
    ).run()
    assert _fingerprint(BUNDLED_DATA_DIR) == before


def test_the_serving_configuration():
    config = tomllib.loads((PROJECT_DIR / ".streamlit" / "config.toml").read_text())
    server, client = config["server"], config["client"]
    assert server["enableXsrfProtection"] is True
    assert server["enableCORS"] is True  # XSRF protection needs it on
    assert server["maxUploadSize"] == 200
    assert server["headless"] is True
    assert client["showErrorDetails"] == "none"
    assert client["toolbarMode"] == "viewer"
    assert config["browser"]["gatherUsageStats"] is False


def test_the_health_check_answers_ok(streamlit_server):
    # ``healthy``: a 200 answer whose body is ``ok``.
    assert healthy(streamlit_server, timeout_s=10)


# --- errors in the upload path and in the frame ---------------------------------


def _parquet(frame) -> bytes:
    import pandas as pd

    buffer = io.BytesIO()
    pd.DataFrame(frame).to_parquet(buffer)
    return buffer.getvalue()


def _failing(error: BaseException):
    def fail(*args, **kwargs):
        raise error

    return fail


@pytest.mark.parametrize(
    ("stage", "error", "expected"),
    [
        (
            "import",
            OSError("Couldn't deserialize thrift: No more data to read.\nmore"),
            "evil.parquet could not be read (Couldn't deserialize thrift: No more "
            "data to read. more). Nothing was changed.",
        ),
        (
            "import",
            KeyError("/srv/secret/path"),
            "evil.parquet could not be imported because of an unexpected error. "
            "Nothing was changed.",
        ),
        (
            "import",
            MemoryError(),
            "evil.parquet needs more memory than this server can give one file. "
            "Nothing was changed.",
        ),
        (
            "dataset",
            ValueError("boom"),
            "evil.csv was read, but its events could not be prepared for the "
            "map. Nothing was changed.",
        ),
        (
            "read",
            OSError("connection reset"),
            "evil.parquet could not be read from the upload. Nothing was changed.",
        ),
    ],
)
def test_every_upload_failure_is_one_line_with_a_logged_reference(
    monkeypatch, log_lines, stage, error, expected
):
    from imu_geo.ui import upload as upload_ui

    read = (lambda: b"PAR1") if stage != "read" else _failing(error)
    if stage == "import":
        monkeypatch.setattr(upload_ui, "import_file", _failing(error))
    if stage == "dataset":
        payload = (BUNDLED_DATA_DIR / "events.csv").read_text(encoding="utf-8")
        read = lambda: payload.encode()  # noqa: E731
        monkeypatch.setattr(upload_ui, "assemble_dataset", _failing(error))
    name = "evil.csv" if stage == "dataset" else "evil.parquet"
    upload = upload_ui._import_upload(name, read, "auto", ("id", "auto"))
    assert upload.data is None
    reason = upload.failure
    assert "\n" not in reason
    assert reason.startswith(expected), reason
    reference = reason.rsplit("reference ", 1)[1].rstrip(".")
    assert re.fullmatch(r"[0-9a-f]{8}", reference)
    assert "/srv/secret" not in reason
    (entry,) = [e for e in log_lines() if e.get("event") == "upload_error"]
    assert entry["ref"] == reference
    assert entry["stage"] == stage
    assert entry["file_name"] == name
    assert entry["error"].startswith(type(error).__name__)
    assert "Traceback" in entry["traceback"]


def test_a_damaged_parquet_upload_gets_a_one_line_reason(log_lines):
    from imu_geo.ui import upload as upload_ui

    whole = _parquet({"a": [1, 2, 3]})
    for damaged in (
        b"PAR1" + b"\x00" * 50 + b"PAR1",  # a footer that is not thrift
        whole[: len(whole) // 2] + whole[-8:],  # cut in the middle
        b"PAR1" + b"\xff" * 1000,
    ):
        upload = upload_ui._import_upload(
            "damaged.parquet", lambda d=damaged: d, "auto", ()
        )
        assert upload.data is None and upload.failure
        assert "\n" not in upload.failure
        assert upload.failure.startswith("damaged.parquet")
        assert len(upload.failure) <= 300


FRAME_PARTS = ["upload_controls", "dataset_marker", "credits_footer", "run_player"]


@pytest.mark.parametrize("part", FRAME_PARTS)
def test_an_error_in_the_frame_shows_a_reference_and_the_page_goes_on(
    monkeypatch, log_lines, part
):
    from imu_geo.ui import frame

    monkeypatch.setattr(frame, part, _failing(RuntimeError("frame fault /srv/x")))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    (error,) = [e.value for e in at.error]
    assert "could not be shown" in error and "/srv/x" not in error
    reference = error.rsplit("reference ", 1)[1].rstrip(".")
    (entry,) = [e for e in log_lines() if e.get("event") == "page_error"]
    assert entry["ref"] == reference
    assert entry["error"] == "RuntimeError: frame fault /srv/x"
    # The page itself is there.
    assert any(re.match(r"^\d+ events? — ", c.value) for c in at.caption)


def test_an_error_in_the_sidebar_filters_ends_the_run_with_a_reference(
    monkeypatch, log_lines
):
    from imu_geo.ui import frame

    monkeypatch.setattr(frame, "filter_controls", _failing(RuntimeError("sidebar")))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    (error,) = [e.value for e in at.error]
    reference = error.rsplit("reference ", 1)[1].rstrip(".")
    (entry,) = [e for e in log_lines() if e.get("event") == "page_error"]
    assert entry["ref"] == reference


def test_an_error_in_the_navigation_is_reported_too(monkeypatch, log_lines):
    import streamlit

    monkeypatch.setattr(streamlit, "navigation", _failing(RuntimeError("nav")))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    (error,) = [e.value for e in at.error]
    reference = error.rsplit("reference ", 1)[1].rstrip(".")
    (entry,) = [e for e in log_lines() if e.get("event") == "page_error"]
    assert entry["ref"] == reference and entry["error"] == "RuntimeError: nav"
