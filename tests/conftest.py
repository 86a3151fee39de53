"""Shared fixtures: paths, the source text, a real Streamlit server (the one way
the tests start one), the browser, and the app's log lines."""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from imu_geo import logs
from imu_geo.cli import streamlit_command
from tests.engines import duckdb_engine, engine, spark_engine  # noqa: F401
from tests.helpers import PROJECT_DIR
from tests.selection import (  # noqa: F401  (``--pure-only``, for mutation runs)
    pytest_addoption,
    pytest_collection_modifyitems,
    pytest_configure,
)

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


def free_port() -> int:
    """A loopback port no one listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def healthy(url: str, timeout_s: float = 2) -> bool:
    """Whether the server at ``url`` answers its health check with 200 ``ok``."""
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=timeout_s) as r:
            return r.status == 200 and r.read().decode().strip() == "ok"
    except OSError:
        return False


def wait_until(
    ready: Callable[[], bool],
    process: subprocess.Popen,
    what: str,
    timeout_s: float,
    log_path: Path | None = None,
) -> None:
    """Poll ``ready`` every 0.25 s until it holds; fail if ``process`` exits
    first (with its log) or ``timeout_s`` passes."""
    deadline = time.monotonic() + timeout_s
    while not ready():
        if process.poll() is not None:
            log = log_path.read_text() if log_path is not None else ""
            raise RuntimeError(f"{what} exited early:\n{log}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not start in {timeout_s} s")
        time.sleep(0.25)


def stop_process(process: subprocess.Popen) -> None:
    """Terminate ``process``; kill it if it has not stopped in 10 s."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@contextlib.contextmanager
def serve(
    workdir: Path,
    data_dir: Path | None = None,
    port: int | None = None,
    extra_args: tuple[str, ...] = (),
    env: dict[str, str] | None = None,
) -> Iterator[str]:
    """Run ``streamlit run app.py`` on a loopback port; yield its base URL once
    it answers its health check. The only place the tests start a server: use it
    through the ``start_server`` and ``streamlit_server`` fixtures.

    ``data_dir`` points the app at another data directory (``IMU_GEO_DATA``);
    ``env`` adds environment variables. ``port`` defaults to a free one;
    ``extra_args`` go to ``streamlit run``. The server's home and log live in
    ``workdir``, outside the project.
    """
    port = port or free_port()
    environment = dict(os.environ, HOME=str(workdir))
    environment.pop("IMU_GEO_DATA", None)
    if data_dir is not None:
        environment["IMU_GEO_DATA"] = str(data_dir)
    environment.update(env or {})
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
            wait_until(
                lambda: healthy(url),
                process,
                "streamlit",
                SERVER_START_TIMEOUT_S,
                log_path,
            )
            yield url
        finally:
            stop_process(process)


@pytest.fixture(scope="session")
def start_server(tmp_path_factory) -> Callable[..., contextlib.AbstractContextManager]:
    """Start a server of the app for a test or a fixture of any scope:
    ``with start_server(data_dir=folder) as url: ...`` (the arguments of
    :func:`serve` but its working folder, which is a new temporary one)."""

    def start(
        data_dir: Path | None = None,
        *,
        port: int | None = None,
        extra_args: tuple[str, ...] = (),
        env: dict[str, str] | None = None,
    ) -> contextlib.AbstractContextManager[str]:
        workdir = tmp_path_factory.mktemp("server")
        return serve(workdir, data_dir, port, extra_args, env)

    return start


@pytest.fixture(scope="session")
def streamlit_server(start_server) -> Iterator[str]:
    """The dashboard on the bundled data, one for the whole run."""
    with start_server() as url:
        yield url


@pytest.fixture
def log_lines():
    """The JSON lines the app logs during the test, as dicts (a callable)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logs.JsonFormatter())
    logger = logs.configure()
    logger.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logger.removeHandler(handler)


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
