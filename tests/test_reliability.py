"""Faults and operations: errors stay on the server, bad data gets a clear page,
the data folder is only ever read, and the serving configuration holds."""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import shutil
import stat
import tomllib
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from imu_geo import logs
from imu_geo.data import BUNDLED_DATA_DIR
from tests.conftest import PROJECT_DIR

APP = str(PROJECT_DIR / "app.py")

FAILING_PAGE = """
from imu_geo import ui

with ui.frame():
    import streamlit as st
    st.write("before the fault")
    raise ValueError("boom at /srv/secret/path")
"""


@pytest.fixture
def log_lines():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logs.JsonFormatter())
    logger = logs.configure()
    logger.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logger.removeHandler(handler)


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
    import urllib.request

    with urllib.request.urlopen(f"{streamlit_server}/_stcore/health", timeout=10) as r:
        assert r.status == 200
        assert r.read().decode().strip() == "ok"
