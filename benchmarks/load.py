"""Reliability under load: many concurrent sessions scrubbing the time window.

Run it with ``.venv/bin/python benchmarks/load.py``. For each dataset (the
bundled atlas, and a 100k-event synthetic folder) and each number of sessions K,
it starts a fresh Streamlit server on 127.0.0.1 and drives K sessions at once.
The sessions are not browsers but small websocket clients that speak Streamlit's
own protocol, as the browser does: they fetch ``/_stcore/health`` for the XSRF
cookie, open ``/_stcore/stream`` with the ``streamlit`` subprotocol, send
``BackMsg`` protobufs and read ``ForwardMsg`` protobufs.

Each session opens the Map page with a link (``?start=1995-01-01&end=1997-12-31``,
its "first page", not counted as a step), finds the window slider (the
``st.select_slider`` keyed ``f_window``) in the deltas, and then moves it one
month per step, back to back, each time timing from sending the rerun to the
``script_finished`` message. Every session has its own 24-month window at every
step, and the caption that says what is shown (``N events — … from Mon YYYY to
Mon YYYY``) must name exactly that window: another session's window there would
be state leaking between sessions. Errors are counted by kind: timeouts, broken
connections, exception or error elements in the deltas, a wrong or missing
caption. After each scenario the server's resident memory (``VmRSS``) and its
peak (``VmHWM``) are read from ``/proc``.

Results are printed as one table and written to ``docs/reliability-load.md``;
the exit status is 1 when any error was counted. It is a measurement, not a
test: the numbers depend on the machine and on what else runs on it.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from importlib.metadata import version
from pathlib import Path

import procfs
import websockets
from proc_cpu import process_seconds
from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.Element_pb2 import Element
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from imu_geo.cli import streamlit_command

PROJECT = Path(__file__).resolve().parents[1]
BUNDLED = PROJECT / "data"
LOAD_DIR = PROJECT / "build" / "load"
SYNTHETIC_EVENTS = 100_000
SYNTHETIC_DIR = LOAD_DIR / f"synthetic-{SYNTHETIC_EVENTS}-seed0"
COMPLETE_MARKER = ".complete"
DEFAULT_OUT = PROJECT / "docs" / "reliability-load.md"
DATASETS = ("bundled", "100k")
DEFAULT_SESSIONS = (1, 5, 20)
DEFAULT_STEPS = 15

HOST = "127.0.0.1"
STARTUP_TIMEOUT_S = 120.0
STEP_TIMEOUT_S = 60.0
SCENARIO_TIMEOUT_S = 300.0
STOP_TIMEOUT_S = 15.0
MAX_MESSAGE_BYTES = 256 * 1024 * 1024

SLIDER_KEY = "f_window"
WINDOW_MONTHS = 24
OPENING_QUERY = "start=1995-01-01&end=1997-12-31"
OPENING_WINDOW = ("Jan 1995", "Dec 1997")
CAPTION = re.compile(
    r"^[\d,]+ events? — .* from ([A-Z][a-z]{2} \d{4}) to ([A-Z][a-z]{2} \d{4})"
)

TARGET_DATASET = "bundled"
TARGET_SESSIONS = 20
TARGET_P95_S = 2.0


# --- the server -----------------------------------------------------------------


@dataclass
class Server:
    """A Streamlit server process of this app, listening on ``port``."""

    process: subprocess.Popen[bytes]
    port: int

    @property
    def pid(self) -> int:
        """The id of the Streamlit process itself (no wrapper in between)."""
        return self.process.pid

    def memory_kb(self) -> tuple[int, int]:
        """The process's resident memory now and its peak so far, in kB.
        Raises ProcessLookupError once the process is gone."""
        figures = procfs.memory_kb(self.pid)
        if not figures:
            raise ProcessLookupError(f"the server (process {self.pid}) is gone")
        return figures.get("VmRSS", 0), figures.get("VmHWM", 0)

    def cpu_seconds(self) -> float:
        """The CPU time (user and system) the process has used so far.
        Raises ProcessLookupError once the process is gone."""
        self.memory_kb()
        return process_seconds(self.pid)


def machine_busy_seconds() -> float:
    """The CPU time all processes of the machine have used so far, in seconds."""
    with open("/proc/stat", encoding="utf-8") as stat:
        values = [int(value) for value in stat.readline().split()[1:]]
    # user, nice, system, idle, iowait, irq, softirq, steal (guests are in user).
    busy = sum(values[:3]) + sum(values[5:8])
    return busy / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def _health(port: int) -> str:
    """The body of the health endpoint, or an empty string when it cannot answer."""
    url = f"http://{HOST}:{port}/_stcore/health"
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.read().decode("utf-8", "replace").strip()
    except (OSError, urllib.error.URLError):
        return ""


@contextmanager
def streamlit_server(data_dir: Path | None, log_path: Path) -> Iterator[Server]:
    """Run ``app.py`` under Streamlit on a free loopback port until the block ends.

    ``data_dir`` is passed as ``IMU_GEO_DATA`` (``None``: the bundled data). The
    server's output goes to ``log_path``. The process is stopped (and killed if
    it does not stop) however the block ends.
    """
    port = free_port()
    env = dict(os.environ)
    env.pop("IMU_GEO_DATA", None)
    if data_dir is not None:
        env["IMU_GEO_DATA"] = str(data_dir)
    command = streamlit_command(PROJECT / "app.py", port, HOST)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, cwd=PROJECT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            deadline = time.monotonic() + STARTUP_TIMEOUT_S
            while _health(port) != "ok":
                if process.poll() is not None:
                    raise RuntimeError(
                        f"the server exited with code {process.returncode}; "
                        f"see {log_path.relative_to(PROJECT)}"
                    )
                if time.monotonic() > deadline:
                    raise TimeoutError(
                        f"the server did not answer within {STARTUP_TIMEOUT_S:.0f} s"
                    )
                time.sleep(0.2)
            yield Server(process, port)
        finally:
            process.terminate()
            try:
                process.wait(STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(STOP_TIMEOUT_S)


# --- one session, speaking Streamlit's protocol -----------------------------------


class ProtocolError(Exception):
    """The server's messages are not what the app should produce."""


@dataclass
class Run:
    """What one script run sent back: its elements and how long it took."""

    seconds: float
    elements: list[Element]
    query_string: str | None
    page_script_hash: str | None
    status: int


def _xsrf_cookie(port: int) -> str | None:
    """The ``_streamlit_xsrf`` cookie, fetched as the browser does before connecting."""
    url = f"http://{HOST}:{port}/_stcore/health"
    with urllib.request.urlopen(url, timeout=10) as response:
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            if name.strip() == "_streamlit_xsrf":
                return rest.split(";", 1)[0]
    return None


class Session:
    """One browser tab's worth of Streamlit session, without the browser."""

    def __init__(self, port: int) -> None:
        self.port = port
        self._socket: websockets.ClientConnection | None = None
        self._query_string = OPENING_QUERY
        self._page_script_hash = ""
        self.slider_id: str | None = None
        self.slider_options: list[str] = []

    async def connect(self) -> None:
        """Open the stream as the frontend does (subprotocol, XSRF token, Origin)."""
        cookie = await asyncio.to_thread(_xsrf_cookie, self.port)
        # The frontend passes the XSRF token as the second "subprotocol" and
        # sends a placeholder when there is no cookie (XSRF protection off).
        token = cookie or "PLACEHOLDER_AUTH_TOKEN"
        headers = {"Cookie": f"_streamlit_xsrf={cookie}"} if cookie else {}
        self._socket = await websockets.connect(
            f"ws://{HOST}:{self.port}/_stcore/stream",
            subprotocols=[
                websockets.Subprotocol("streamlit"),
                websockets.Subprotocol(token),
            ],
            origin=websockets.Origin(f"http://{HOST}:{self.port}"),
            additional_headers=headers,
            max_size=MAX_MESSAGE_BYTES,
            open_timeout=STEP_TIMEOUT_S,
        )

    async def close(self) -> None:
        """Close the stream; the server then ends the session."""
        if self._socket is not None:
            await self._socket.close()
            self._socket = None

    async def rerun(self, window: tuple[str, str] | None = None) -> Run:
        """Ask for a script run (moving the window slider to ``window``) and wait.

        Like the browser, the request carries the page's current query string and
        page; ``window`` is the select slider's value, which Streamlit takes as
        the formatted labels of the chosen options.
        """
        if self._socket is None:
            raise ProtocolError("the session is not connected")
        message = BackMsg()
        state: ClientState = message.rerun_script
        state.query_string = self._query_string
        state.page_script_hash = self._page_script_hash
        if window is not None:
            if self.slider_id is None:
                raise ProtocolError("no window slider to move")
            widget = state.widget_states.widgets.add()
            widget.id = self.slider_id
            widget.string_array_value.data.extend(window)
        started = time.perf_counter()
        await self._socket.send(message.SerializeToString())
        elements: list[Element] = []
        query_string = page_hash = None
        while True:
            payload = await self._socket.recv()
            if not isinstance(payload, bytes):
                raise ProtocolError("the server sent a text frame")
            forward = ForwardMsg()
            forward.ParseFromString(payload)
            kind = forward.WhichOneof("type")
            if kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                elements.append(forward.delta.new_element)
            elif kind == "new_session":
                page_hash = forward.new_session.page_script_hash
            elif kind == "page_info_changed":
                query_string = forward.page_info_changed.query_string
            elif kind == "script_finished":
                if forward.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    elements.clear()
                    continue
                seconds = time.perf_counter() - started
                if query_string is not None:
                    self._query_string = query_string
                if page_hash:
                    self._page_script_hash = page_hash
                self._remember_slider(elements)
                return Run(
                    seconds, elements, query_string, page_hash, forward.script_finished
                )

    def _remember_slider(self, elements: Sequence[Element]) -> None:
        for element in elements:
            if element.WhichOneof("type") != "slider":
                continue
            # A widget's id ends with its user key: "$$ID-<hash>-f_window".
            if element.slider.id.endswith(f"-{SLIDER_KEY}"):
                self.slider_id = element.slider.id
                self.slider_options = list(element.slider.options)


def run_errors(run: Run, expected: tuple[str, str]) -> Counter[str]:
    """The errors in one run's output: failures shown, and the caption's window."""
    errors: Counter[str] = Counter()
    if run.status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
        errors["script error"] += 1
    windows = []
    for element in run.elements:
        kind = element.WhichOneof("type")
        if kind == "exception":
            errors["exception element"] += 1
        elif kind == "alert" and element.alert.format == Alert.ERROR:
            errors["error element"] += 1
        elif kind == "markdown":
            match = CAPTION.match(element.markdown.body)
            if match:
                windows.append((match.group(1), match.group(2)))
    if not windows:
        errors["missing caption"] += 1
    elif any(window != expected for window in windows):
        errors["wrong window"] += 1
    return errors


# --- a scenario: K sessions on one server -----------------------------------------


@dataclass
class SessionRecord:
    """What one session did, filled in as it goes (so a timeout keeps the rest)."""

    first_page_s: float | None = None
    latencies: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)


@dataclass
class ScenarioResult:
    """The measurements of one dataset at one number of sessions."""

    dataset: str
    sessions: int
    steps_planned: int
    cold_first_page_s: float | None = None
    records: list[SessionRecord] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    rss_kb: int = 0
    peak_kb: int = 0
    stepping_s: float = 0.0
    server_cpu_s: float = 0.0
    client_cpu_s: float = 0.0
    other_cpu_s: float = 0.0

    @property
    def latencies(self) -> list[float]:
        """Every step latency of every session, in seconds."""
        return [value for record in self.records for value in record.latencies]

    @property
    def first_pages(self) -> list[float]:
        """Every session's first page time, in seconds."""
        return [r.first_page_s for r in self.records if r.first_page_s is not None]

    @property
    def all_errors(self) -> Counter[str]:
        """Errors of the scenario and of all its sessions, by kind."""
        total = Counter(self.errors)
        for record in self.records:
            total.update(record.errors)
        return total


@dataclass(frozen=True)
class Plan:
    """What every session does: ``steps`` slider moves, ``pause_s`` apart."""

    steps: int
    pause_s: float = 0.0


def session_window(
    index: int, count: int, step: int, options: Sequence[str]
) -> tuple[str, str]:
    """The window session ``index`` of ``count`` shows at ``step``.

    The sessions' windows start evenly spread over the data's months and all
    move one month per step, so no two sessions ever expect the same window.
    """
    starts = len(options) - WINDOW_MONTHS + 1
    first = (index * starts // count + step) % starts
    return options[first], options[first + WINDOW_MONTHS - 1]


def _failure(error: BaseException) -> str:
    if isinstance(error, TimeoutError):
        return "timeout"
    if isinstance(error, websockets.ConnectionClosed):
        return "connection closed"
    if isinstance(error, ProtocolError):
        return "protocol"
    return f"exception ({type(error).__name__})"


async def open_session(port: int, record: SessionRecord) -> Session | None:
    """Connect and load the first page (the warm-up); ``None`` when it failed."""
    session = Session(port)
    try:
        await asyncio.wait_for(session.connect(), STEP_TIMEOUT_S)
        run = await asyncio.wait_for(session.rerun(), STEP_TIMEOUT_S)
    except Exception as error:
        record.errors[_failure(error)] += 1
        await _quietly_close(session)
        return None
    record.first_page_s = run.seconds
    record.errors.update(run_errors(run, OPENING_WINDOW))
    if session.slider_id is None or len(session.slider_options) < WINDOW_MONTHS:
        record.errors["missing slider"] += 1
        await _quietly_close(session)
        return None
    return session


async def scrub(
    session: Session,
    index: int,
    count: int,
    plan: Plan,
    record: SessionRecord,
) -> None:
    """Move the session's window ``plan.steps`` times, timing and checking each."""
    try:
        for step in range(1, plan.steps + 1):
            if step > 1 and plan.pause_s:
                await asyncio.sleep(plan.pause_s)
            window = session_window(index, count, step, session.slider_options)
            run = await asyncio.wait_for(session.rerun(window), STEP_TIMEOUT_S)
            record.latencies.append(run.seconds)
            record.errors.update(run_errors(run, window))
    except Exception as error:
        record.errors[_failure(error)] += 1
    finally:
        await _quietly_close(session)


async def _quietly_close(session: Session) -> None:
    try:
        await asyncio.wait_for(session.close(), 5)
    except Exception:  # noqa: S110 - the session is done with either way
        pass


async def _within(
    coroutines: Sequence, deadline: float, result: ScenarioResult
) -> list[object]:
    """Run coroutines concurrently until ``deadline``; cancel and count the late."""
    tasks = [asyncio.ensure_future(coroutine) for coroutine in coroutines]
    if not tasks:
        return []
    remaining = max(0.0, deadline - time.monotonic())
    _, pending = await asyncio.wait(tasks, timeout=remaining)
    for task in pending:
        task.cancel()
        result.errors["scenario timeout"] += 1
    if pending:
        await asyncio.wait(pending)
    return [
        task.result() if not task.cancelled() and task.exception() is None else None
        for task in tasks
    ]


async def drive(server: Server, plan: Plan, result: ScenarioResult) -> None:
    """Warm the server up, then run ``result.sessions`` scrubbing sessions at once."""
    port, sessions = server.port, result.sessions
    deadline = time.monotonic() + SCENARIO_TIMEOUT_S
    # A first session loads the data into the server's cache; its page time is
    # the cold start a first visitor sees. It is not one of the K sessions.
    probe = SessionRecord()
    opened = await _within([open_session(port, probe)], deadline, result)
    result.cold_first_page_s = probe.first_page_s
    result.errors.update(probe.errors)
    if isinstance(opened[0], Session):
        await _quietly_close(opened[0])

    result.records = [SessionRecord() for _ in range(sessions)]
    opened = await _within(
        [open_session(port, record) for record in result.records], deadline, result
    )
    started = time.monotonic()
    server_cpu, client_cpu = server.cpu_seconds(), time.process_time()
    machine_cpu = machine_busy_seconds()
    await _within(
        [
            scrub(session, index, sessions, plan, result.records[index])
            for index, session in enumerate(opened)
            if isinstance(session, Session)
        ],
        deadline,
        result,
    )
    result.stepping_s = time.monotonic() - started
    result.server_cpu_s = server.cpu_seconds() - server_cpu
    result.client_cpu_s = time.process_time() - client_cpu
    result.other_cpu_s = max(
        0.0,
        machine_busy_seconds()
        - machine_cpu
        - result.server_cpu_s
        - result.client_cpu_s,
    )


def run_scenario(dataset: str, sessions: int, plan: Plan) -> ScenarioResult:
    """One dataset at one number of sessions, on a fresh server."""
    result = ScenarioResult(dataset, sessions, plan.steps)
    data_dir = None if dataset == "bundled" else synthetic_folder()
    log_path = LOAD_DIR / f"server-{dataset}-{sessions}.log"
    try:
        with streamlit_server(data_dir, log_path) as server:
            asyncio.run(drive(server, plan, result))
            result.rss_kb, result.peak_kb = server.memory_kb()
    except Exception as error:
        result.errors[f"server ({type(error).__name__}: {error})"] += 1
    return result


def synthetic_folder() -> Path:
    """The 100k-event synthetic data folder, written once and then reused."""
    if (SYNTHETIC_DIR / COMPLETE_MARKER).exists():
        return SYNTHETIC_DIR
    from imu_geo.synthetic import write_synthetic

    if SYNTHETIC_DIR.exists():
        shutil.rmtree(SYNTHETIC_DIR)
    write_synthetic(SYNTHETIC_DIR, SYNTHETIC_EVENTS, BUNDLED, seed=0)
    (SYNTHETIC_DIR / COMPLETE_MARKER).write_text("", encoding="utf-8")
    return SYNTHETIC_DIR


# --- the report -------------------------------------------------------------------


def percentile(values: Sequence[float], fraction: float) -> float:
    """The ``fraction`` quantile of ``values`` (nearest rank)."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(fraction * len(ordered) + 0.5)))
    return ordered[rank - 1]


def _seconds(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def _errors(counts: Counter[str]) -> str:
    total = sum(counts.values())
    if not total:
        return "0"
    kinds = ", ".join(f"{kind} {n}" for kind, n in sorted(counts.items()))
    return f"**{total}** ({kinds})"


def table(results: Sequence[ScenarioResult]) -> str:
    """The results as one Markdown table."""
    lines = [
        "| data | sessions | steps done | p50 step (s) | p95 step (s) "
        "| max step (s) | steps/s | server busy | CPU per step, server / client (ms) "
        "| other processes | first page p50 / max (s) | cold first page (s) "
        "| errors | server RSS / peak (MB) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for result in results:
        latencies = result.latencies
        pages = result.first_pages
        p50 = statistics.median(latencies) if latencies else None
        p95 = percentile(latencies, 0.95) if latencies else None
        worst = max(latencies) if latencies else None
        rate = (
            f"{len(latencies) / result.stepping_s:.1f}"
            if latencies and result.stepping_s
            else "–"
        )
        busy = other = "–"
        if result.stepping_s:
            busy = f"{result.server_cpu_s / result.stepping_s:.0%}"
            other = f"{result.other_cpu_s / result.stepping_s:.0%}"
        cpu = (
            f"{result.server_cpu_s / len(latencies) * 1000:.0f} / "
            f"{result.client_cpu_s / len(latencies) * 1000:.0f}"
            if latencies
            else "–"
        )
        first = f"{statistics.median(pages):.2f} / {max(pages):.2f}" if pages else "–"
        lines.append(
            f"| {result.dataset} | {result.sessions} "
            f"| {len(latencies)}/{result.sessions * result.steps_planned} "
            f"| {_seconds(p50)} | {_seconds(p95)} | {_seconds(worst)} | {rate} "
            f"| {busy} | {cpu} | {other} | {first} "
            f"| {_seconds(result.cold_first_page_s)} "
            f"| {_errors(result.all_errors)} "
            f"| {result.rss_kb / 1024:.0f} / {result.peak_kb / 1024:.0f} |"
        )
    return "\n".join(lines)


def target_verdict(results: Sequence[ScenarioResult]) -> str:
    """Whether 20 sessions on the bundled data ran with zero errors and p95 < 2 s."""
    goal = (
        f"{TARGET_SESSIONS} sessions, zero errors, p95 under "
        f"{TARGET_P95_S:.0f} s on the bundled data"
    )
    for result in results:
        if (result.dataset, result.sessions) != (TARGET_DATASET, TARGET_SESSIONS):
            continue
        latencies = result.latencies
        planned = result.sessions * result.steps_planned
        errors = sum(result.all_errors.values())
        p95 = percentile(latencies, 0.95) if latencies else float("inf")
        held = errors == 0 and len(latencies) == planned and p95 < TARGET_P95_S
        measured = f"{len(latencies)}/{planned} steps, {errors} errors, p95 {p95:.2f} s"
        return f"**Target ({goal}): {'held' if held else 'missed'}** — {measured}."
    return f"Target ({goal}): not measured in this run."


def queueing_note(results: Sequence[ScenarioResult], plan: Plan) -> str:
    """Why steps slow down with K: the measured throughput against the queue.

    With no pause, K sessions keep K reruns waiting at all times, so the mean
    step is about K over the server's throughput (Little's law).
    """
    if plan.pause_s:
        return ""
    notes = []
    for result in results:
        latencies = result.latencies
        if result.sessions < 2 or not latencies or not result.stepping_s:
            continue
        rate = len(latencies) / result.stepping_s
        notes.append(
            f"{result.dataset} × {result.sessions}: {rate:.1f} steps/s, so "
            f"{result.sessions / rate:.2f} s expected, "
            f"{statistics.fmean(latencies):.2f} s measured"
        )
    if not notes:
        return ""
    return (
        "Reading: the server runs every session's script in one Python process, "
        "so its throughput is bounded by one core (compare *server busy* with "
        "100%). "
        "With no pause, each session always has a rerun waiting, so the mean "
        "step is about K over the throughput (Little's law): " + "; ".join(notes) + "."
    )


def machine(load_before: float) -> list[str]:
    """Cores, CPU model, memory and software, one Markdown list item each."""
    return [
        f"- CPU: {procfs.cpu_model()}, {os.cpu_count()} cores; memory "
        f"{procfs.memory_total_kb() / 1024 / 1024:.0f} GB",
        f"- Linux {platform.release()}, Python {platform.python_version()}, "
        f"streamlit {version('streamlit')}, websockets {version('websockets')}",
        f"- Load average (1 min) before the run: {load_before:.2f}; the server "
        "and the clients share the same cores",
    ]


def report(
    results: Sequence[ScenarioResult],
    plan: Plan,
    minutes: float,
    command: str,
    load_before: float,
) -> str:
    """The Markdown section written to ``docs/reliability-load.md``."""
    pace = (
        f"{plan.pause_s:g} s apart"
        if plan.pause_s
        else "back to back with no pause: a harder load than people scrubbing"
    )
    method = (
        f"Written by `{command}` on {date.today().isoformat()}; the run took "
        f"{minutes:.1f} min. For each dataset and number of sessions K, a fresh "
        "Streamlit server runs `app.py` on 127.0.0.1 (the 100k dataset is a "
        "synthetic folder from `imu_geo.synthetic`, served with `IMU_GEO_DATA`). "
        "One first session loads the data into the server's cache (*cold first "
        "page*). Then K sessions connect at once; they are not browsers but "
        "websocket clients speaking Streamlit's protocol as the frontend does "
        "(XSRF cookie from the health endpoint, `streamlit` subprotocol, "
        "`BackMsg` / `ForwardMsg` protobufs). Each opens the Map page with "
        f"`?{OPENING_QUERY}` (*first page*, not counted as a step), then moves "
        f"the window slider {plan.steps} times, one month per step, {pace}. "
        "A step is timed from "
        "sending the rerun to the server's `script_finished`. Each session has its "
        f"own {WINDOW_MONTHS}-month window at every step, and the caption (“N "
        "events — … from Mon YYYY to Mon YYYY”) must name exactly that window; "
        "any other window would be state leaking between sessions. Errors are "
        "counted by kind: timeouts (60 s per step, 300 s per scenario), broken "
        "connections, exception or error elements, a wrong or missing caption. "
        "Server memory is the Streamlit process's `VmRSS` after the scenario and "
        "its peak `VmHWM`; *server busy* is the server's CPU time over the "
        "wall time while the sessions step (100% is one core), and CPU per step "
        "is that CPU time, and the load clients' own, over the steps done; *other "
        "processes* is the CPU the rest of the machine used meanwhile (from "
        "`/proc/stat`, 100% is one core): well above a few percent, the numbers "
        "were disturbed. p95 is the nearest-rank 95th percentile over all steps "
        "of all sessions."
    )
    return "\n".join(
        [
            "# Reliability under load",
            "",
            method,
            "",
            "## Results",
            "",
            table(results),
            "",
            target_verdict(results),
            "",
            *([note, ""] if (note := queueing_note(results, plan)) else []),
            "## Machine",
            "",
            *machine(load_before),
            "",
            "Rerun with:",
            "",
            "```",
            command,
            "```",
            "",
        ]
    )


# --- command line -----------------------------------------------------------------


def _int_list(text: str) -> list[int]:
    values = [int(part) for part in text.split(",") if part.strip()]
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError("give positive integers, e.g. 1,5,20")
    return values


def _datasets(text: str) -> list[str]:
    names = [part.strip() for part in text.split(",") if part.strip()]
    unknown = sorted(set(names) - set(DATASETS))
    if not names or unknown:
        raise argparse.ArgumentTypeError(f"choose from {', '.join(DATASETS)}")
    return names


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--sessions",
        type=_int_list,
        default=list(DEFAULT_SESSIONS),
        help="numbers of concurrent sessions, comma-separated (default 1,5,20)",
    )
    parser.add_argument(
        "--steps",
        type=int,
        default=DEFAULT_STEPS,
        help=f"slider steps per session (default {DEFAULT_STEPS})",
    )
    parser.add_argument(
        "--pause",
        type=float,
        default=0.0,
        help="seconds each session waits between its steps (default 0)",
    )
    parser.add_argument(
        "--datasets",
        type=_datasets,
        default=list(DATASETS),
        help="datasets, comma-separated: bundled, 100k (default both)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        help="where to write the Markdown report (default docs/reliability-load.md)",
    )
    args = parser.parse_args(argv)
    if args.steps < 1:
        parser.error("--steps must be at least 1")
    if args.pause < 0:
        parser.error("--pause cannot be negative")
    return args


def command_line(args: argparse.Namespace) -> str:
    """The command that reproduces this run, relative to the project."""
    parts = [
        ".venv/bin/python benchmarks/load.py",
        "--sessions " + ",".join(str(k) for k in args.sessions),
        f"--steps {args.steps}",
        *([f"--pause {args.pause:g}"] if args.pause else []),
        "--datasets " + ",".join(args.datasets),
    ]
    out = args.out.resolve()
    if out != DEFAULT_OUT:
        shown = out.relative_to(PROJECT) if out.is_relative_to(PROJECT) else out
        parts.append(f"--out {shown}")
    return " ".join(parts)


def main(argv: Sequence[str] | None = None) -> int:
    """Run every scenario, print the table and write the report."""
    args = parse_args(argv)
    plan = Plan(args.steps, args.pause)
    load_before = os.getloadavg()[0]
    started = time.monotonic()
    results = []
    for dataset in args.datasets:
        for sessions in args.sessions:
            sys.stdout.write(f"{dataset}, {sessions} session(s)…\n")
            sys.stdout.flush()
            results.append(run_scenario(dataset, sessions, plan))
    minutes = (time.monotonic() - started) / 60
    sys.stdout.write("\n" + table(results) + "\n\n" + target_verdict(results) + "\n")
    out = args.out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        report(results, plan, minutes, command_line(args), load_before),
        encoding="utf-8",
    )
    shown = out.relative_to(PROJECT) if out.is_relative_to(PROJECT) else out
    sys.stdout.write(f"Wrote {shown}\n")
    failed = any(sum(result.all_errors.values()) for result in results)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
