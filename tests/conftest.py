"""Shared fixtures: paths, the source text, and a real Streamlit server."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from imu_geo.cli import streamlit_command
from tests.engines import duckdb_engine, engine, spark_engine  # noqa: F401
from tests.selection import (  # noqa: F401  (``--pure-only``, for mutation runs)
    pytest_addoption,
    pytest_collection_modifyitems,
    pytest_configure,
)

PROJECT_DIR = Path(__file__).resolve().parents[1]
DATA_DIR = PROJECT_DIR / "data"
SOURCE_DIR = PROJECT_DIR.parent / "shared" / "source"
SYSTEM_CHROMIUM = Path("/usr/bin/chromium")
SERVER_START_TIMEOUT_S = 60


@pytest.fixture(scope="session")
def source_text() -> str:
    """The source text the bundled events quote; skipped where it is not present."""
    files = sorted(SOURCE_DIR.glob("*.txt")) if SOURCE_DIR.is_dir() else []
    if not files:
        pytest.skip(
            "the source text (shared/source/*.txt beside the repository) is not "
            "present, so quotes cannot be checked against it"
        )
    return "\n".join(path.read_text(encoding="utf-8") for path in files)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def serve(
    workdir: Path,
    data_dir: Path | None = None,
    port: int | None = None,
    extra_args: tuple[str, ...] = (),
) -> Iterator[str]:
    """Run ``streamlit run app.py`` on a loopback port; yield its base URL.

    ``data_dir`` points the app at another data directory (``IMU_GEO_DATA``).
    ``port`` defaults to a free one; ``extra_args`` go to ``streamlit run``.
    The server's home and log live in ``workdir``, outside the project.
    """
    port = port or _free_port()
    environment = dict(os.environ, HOME=str(workdir))
    environment.pop("IMU_GEO_DATA", None)
    if data_dir is not None:
        environment["IMU_GEO_DATA"] = str(data_dir)
    log_path = workdir / "server.log"
    with log_path.open("a") as log:
        process = subprocess.Popen(
            [*streamlit_command(PROJECT_DIR / "app.py", port), *extra_args],
            cwd=PROJECT_DIR,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_until_healthy(process, url, log_path)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def _wait_until_healthy(process, url: str, log_path: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while True:
        if process.poll() is not None:
            raise RuntimeError("streamlit exited early:\n" + log_path.read_text())
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
                if reply.read().decode().strip() == "ok":
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError("streamlit did not answer its health check")
        time.sleep(0.25)


@pytest.fixture(scope="session")
def streamlit_server(tmp_path_factory) -> Iterator[str]:
    """The dashboard on the bundled data."""
    with serve(tmp_path_factory.mktemp("server")) as url:
        yield url


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, tmp_path_factory):
    """Use Debian's Chromium when it is installed, else Playwright's own browser."""
    arguments = dict(browser_type_launch_args)
    arguments["headless"] = True
    arguments["args"] = [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
    ]
    executable = os.environ.get("IMU_GEO_CHROMIUM") or (
        str(SYSTEM_CHROMIUM) if SYSTEM_CHROMIUM.exists() else shutil.which("chromium")
    )
    if executable:
        arguments["executable_path"] = executable
    return arguments


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """A git-ignored folder for screenshots the tests leave for people to look at."""
    folder = PROJECT_DIR / "artifacts"
    folder.mkdir(exist_ok=True)
    return folder


@pytest.fixture(scope="session", autouse=True)
def _store_root(tmp_path_factory) -> Iterator[Path]:
    """Every test writes its datasets' stores to one temporary folder (servers
    started by the tests inherit it), never to the project's ``build/``."""
    root = tmp_path_factory.mktemp("store")
    previous = os.environ.get("IMU_GEO_STORE")
    os.environ["IMU_GEO_STORE"] = str(root)
    yield root
    if previous is None:
        os.environ.pop("IMU_GEO_STORE", None)
    else:
        os.environ["IMU_GEO_STORE"] = previous
