"""Hostile uploads against a real server: its memory, its health check, the answer.

Run it with ``.venv/bin/python benchmarks/upload_probe.py`` (a few minutes). It
builds the files of the hostile-upload cases in a temporary folder, and for each
case starts a fresh ``streamlit run app.py`` on 127.0.0.1, opens the page in
Chromium (Playwright), puts the file in the *Your data* box as a user would, and
waits for the page's answer. Meanwhile it reads the server's resident memory
(``VmRSS`` in ``/proc``) every 0.1 s and asks ``/_stcore/health`` every 0.25 s
(2 s timeout). A server that goes over ``--kill-above`` is stopped, and the case
says so: the machine is shared, and the point is made by then.

The cases:

- ``csv-1m-columns``: a CSV of 8.5 MB whose header has 1,000,000 columns.
- ``csv-200k-columns``: a 1.6 MB CSV, ACLED's columns and 200,000 more, one row.
- ``parquet-huge-strings``: a Parquet file of a few KB (zstd) whose three rows
  hold one 200 MiB string.
- ``parquet-many-columns``: a Parquet file of about 200 KB, 1,000 columns of
  five rows, each cell a 64 KiB string.
- ``json-190mb``: a JSON array of 63 million ``{}`` (190 MB).
- ``parquet-damaged``: a valid ACLED Parquet file with bytes of its data pages
  overwritten.

``--project DIR`` serves another checkout (for example the code before a change),
with its own ``src`` first on the path. The table is printed in Markdown; it is a
measurement, not a test: the numbers depend on the machine and on what else runs.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import platform
import random
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import procfs
import pyarrow as pa
import pyarrow.parquet as pq

PROJECT = Path(__file__).resolve().parents[1]
CHROMIUM = Path(os.environ.get("IMU_GEO_CHROMIUM", "/usr/bin/chromium"))
HOST = "127.0.0.1"
MiB = 2**20
ACLED_COLUMNS = (
    "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,"
    "sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,"
    "interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,"
    "location,latitude,longitude,geo_precision,source,source_scale,notes,"
    "fatalities,tags,timestamp"
).split(",")
ACLED_ROW = (
    "UZB12,2009-05-26,2009,1,Political violence,Explosions/Remote violence,"
    "Suicide bomb,IMU,,2,Police Forces of Uzbekistan (1991-),,1,12,,860,"
    "Caucasus and Central Asia,Uzbekistan,Andijon,Andijon,,Andijan,40.7834,"
    "72.3507,1,Reuters,International,A suicide bomber attacked a police post.,"
    "3,,1700000000"
).split(",")


# --- the files ----------------------------------------------------------------


def csv_1m_columns(path: Path) -> None:
    with path.open("w", encoding="ascii", newline="") as out:
        out.write(",".join(str(i) for i in range(1_000_000)) + "\n")
        out.write("x," * 999_999 + "x\n")


def csv_200k_columns(path: Path) -> None:
    extra = 200_000 - len(ACLED_COLUMNS)
    with path.open("w", encoding="ascii", newline="") as out:
        out.write(",".join(ACLED_COLUMNS + [f"x{i:x}" for i in range(extra)]) + "\n")
        out.write(",".join(ACLED_ROW) + "," * extra + "\n")


def parquet_huge_strings(path: Path) -> None:
    huge = pa.DictionaryArray.from_arrays(
        pa.array([0, 0, 0], pa.int32()), pa.array(["x" * (200 * MiB)])
    )
    table = pa.table(
        {
            c: huge if c == "notes" else pa.array([v] * 3)
            for c, v in zip(ACLED_COLUMNS, ACLED_ROW, strict=True)
        }
    )
    pq.write_table(table, path, compression="zstd", compression_level=19)


def parquet_many_columns(path: Path) -> None:
    cell = "y" * (64 * 2**10)
    table = pa.table(
        {
            f"c{i}": pa.DictionaryArray.from_arrays(
                pa.array([0] * 5, pa.int32()), pa.array([cell + str(i)])
            )
            for i in range(1_000)
        }
    )
    pq.write_table(table, path, compression="zstd", compression_level=19)


def json_190mb(path: Path) -> None:
    with path.open("wb") as out:
        out.write(b"[")
        block = b"{}," * 1_000_000
        for _ in range(63):
            out.write(block)
        out.write(b"{}]")


def parquet_damaged(path: Path) -> None:
    rows = 2_000
    rng = random.Random(7)
    table = pa.table(
        {
            c: [f"{v}{rng.randrange(10**6)}" if v else "" for _ in range(rows)]
            for c, v in zip(ACLED_COLUMNS, ACLED_ROW, strict=True)
        }
    )
    buffer = io.BytesIO()
    pq.write_table(table, buffer, compression="snappy")
    data = bytearray(buffer.getvalue())
    # Overwrite the middle of the data pages; the header and footer stay intact.
    middle = len(data) // 2
    data[middle - 4096 : middle + 4096] = bytes(rng.randrange(256) for _ in range(8192))
    path.write_bytes(bytes(data))


@dataclass(frozen=True)
class Case:
    name: str
    file_name: str
    build: Callable[[Path], None]
    what: str


CASES = (
    Case("csv-1m-columns", "columns-1m.csv", csv_1m_columns, "1,000,000 columns"),
    Case("csv-200k-columns", "acled-200k.csv", csv_200k_columns, "200,000 columns"),
    Case(
        "parquet-huge-strings",
        "huge-strings.parquet",
        parquet_huge_strings,
        "3 rows, one 200 MiB string",
    ),
    Case(
        "parquet-many-columns",
        "many-columns.parquet",
        parquet_many_columns,
        "1,000 columns of 64 KiB strings",
    ),
    Case("json-190mb", "empty-objects.json", json_190mb, "63,000,001 `{}`"),
    Case("parquet-damaged", "damaged.parquet", parquet_damaged, "damaged pages"),
)


# --- the server and what is measured -----------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def _status(pid: int, key: str) -> int | None:
    """A ``VmRSS``/``VmHWM`` figure of a process, in bytes (None once it is gone)."""
    kb = procfs.memory_kb(pid).get(key)
    return None if kb is None else kb * 1024


@contextlib.contextmanager
def server(project: Path, workdir: Path) -> Iterator[tuple[str, subprocess.Popen]]:
    port = _free_port()
    env = dict(os.environ, HOME=str(workdir), PYTHONPATH=str(project / "src"))
    env.pop("IMU_GEO_DATA", None)
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(project / "app.py"),
        "--server.port",
        str(port),
        "--server.address",
        HOST,
        "--browser.gatherUsageStats",
        "false",
        "--server.headless",
        "true",
        "--server.fileWatcherType",
        "none",
    ]
    log = (workdir / "server.log").open("a")
    process = subprocess.Popen(
        command, cwd=project, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    url = f"http://{HOST}:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError("streamlit exited early")
            with contextlib.suppress(OSError):
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.read().strip() == b"ok":
                        break
            if time.monotonic() > deadline:
                raise RuntimeError("streamlit did not answer its health check")
            time.sleep(0.25)
        yield url, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


# The watcher runs in its own process: threads in the process that drives the
# browser were seen to slow Playwright's file upload down by tens of seconds.
WATCHER = r"""
import json, os, signal, sys, threading, time, urllib.request
pid, url, kill_above = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
rss, health, state = [], [], {"killed": False}
stop = threading.Event()
def memory():
    while not stop.is_set():
        try:
            with open(f"/proc/{pid}/status") as status:
                value = next(int(l.split()[1]) * 1024 for l in status
                             if l.startswith("VmRSS:"))
        except (OSError, StopIteration):
            return
        rss.append(value)
        if value > kill_above:
            state["killed"] = True
            try:
                os.kill(pid, 9)
            except OSError:
                pass
            return
        time.sleep(0.1)
def check():
    while not stop.is_set():
        started = time.monotonic()
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                ok = r.read().strip() == b"ok"
            health.append(time.monotonic() - started if ok else None)
        except OSError:
            health.append(None)
        time.sleep(max(0.0, 0.25 - (time.monotonic() - started)))
signal.signal(signal.SIGTERM, lambda *a: stop.set())
threads = [threading.Thread(target=f) for f in (memory, check)]
for t in threads:
    t.start()
while not stop.is_set():
    time.sleep(0.05)
for t in threads:
    t.join(timeout=3)
sys.stdout.write(json.dumps({"rss": rss, "health": health, **state}))
"""


@dataclass
class Watch:
    """Samples a server's memory (every 0.1 s) and health check (every 0.25 s) in
    a separate process; it stops the server above ``kill_above`` bytes."""

    pid: int
    url: str
    kill_above: int
    rss: list[int] = field(default_factory=list)
    health: list[float | None] = field(default_factory=list)  # seconds, None: no
    killed: bool = False
    process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-c",
                WATCHER,
                str(self.pid),
                self.url,
                str(self.kill_above),
            ],
            stdout=subprocess.PIPE,
            text=True,
        )

    def finish(self) -> None:
        assert self.process is not None
        self.process.terminate()
        found = json.loads(self.process.communicate(timeout=30)[0])
        self.rss, self.health, self.killed = (
            found["rss"],
            found["health"],
            found["killed"],
        )


@dataclass
class Outcome:
    case: Case
    size: int
    baseline: int
    peak: int
    seconds: float
    answered: int
    asked: int
    slowest: float
    answer: str
    killed: bool


_ANSWER_JS = """() => {
  const side = document.querySelector('[data-testid="stSidebar"]');
  const alert = side && side.querySelector('[data-testid="stAlert"]');
  if (alert) return 'error: ' + alert.innerText.trim().replace(/^error\\s*/, '');
  const crash = document.querySelector('[data-testid="stException"]');
  if (crash) return 'exception box: ' + crash.innerText.trim().split('\\n')[0];
  const text = side ? side.innerText : '';
  const m = text.match(/[^\\n]*: \\w+: [\\d,]+ rows? — [^\\n]*/);
  return m ? 'imported: ' + m[0] : '';
}"""


def run_case(
    case: Case, path: Path, project: Path, workdir: Path, kill_above: int, limit: int
) -> Outcome:
    from playwright.sync_api import sync_playwright

    with server(project, workdir) as (url, process), sync_playwright() as p:
        launch = {
            "headless": True,
            "args": [
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--no-first-run",
            ],
        }
        if CHROMIUM.exists():
            launch["executable_path"] = str(CHROMIUM)
        browser = p.chromium.launch(**launch)
        page = browser.new_page()
        page.goto(url)
        page.get_by_text("Events in view").wait_for(timeout=90_000)
        page.locator(
            '[data-testid="stApp"][data-test-script-state="notRunning"]'
        ).wait_for(timeout=90_000)
        page.wait_for_timeout(1000)
        baseline = _status(process.pid, "VmRSS") or 0
        page.get_by_text("Your data").click(timeout=90_000)
        watch = Watch(process.pid, url, kill_above)
        watch.start()
        started = time.monotonic()
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
            str(path)
        )
        answer = ""
        while time.monotonic() - started < limit:
            if process.poll() is not None:
                answer = "server stopped"
                break
            with contextlib.suppress(Exception):
                answer = page.evaluate(_ANSWER_JS)
            if answer:
                break
            time.sleep(0.25)
        else:
            answer = f"no answer within {limit} s"
        seconds = time.monotonic() - started
        time.sleep(1.0)  # the health check after the answer
        watch.finish()
        peak = max([*watch.rss, _status(process.pid, "VmHWM") or 0])
        with contextlib.suppress(Exception):
            browser.close()
    if watch.killed:
        answer = f"server stopped above {kill_above / 2**30:.0f} GiB"
    asked = len(watch.health)
    answered = sum(1 for h in watch.health if h is not None)
    slowest = max((h for h in watch.health if h is not None), default=0.0)
    return Outcome(
        case,
        path.stat().st_size,
        baseline,
        peak,
        seconds,
        answered,
        asked,
        slowest,
        " ".join(answer.split())[:240],
        watch.killed,
    )


def _size(n: float) -> str:
    if n >= 2**30:
        return f"{n / 2**30:.2f} GiB"
    if n >= MiB:
        return f"{n / MiB:.1f} MiB"
    return f"{n / 2**10:.0f} KiB"


def table(outcomes: list[Outcome]) -> str:
    lines = [
        "| case | file | server before | peak | time to answer | health checks "
        "answered | slowest | the page's answer |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for o in outcomes:
        lines.append(
            f"| {o.case.name} ({o.case.what}) | {_size(o.size)} | {_size(o.baseline)} "
            f"| {_size(o.peak)}{' (stopped)' if o.killed else ''} | {o.seconds:.1f} s "
            f"| {o.answered}/{o.asked} | {o.slowest:.2f} s | {o.answer} |"
        )
    return "\n".join(lines)


def _bytes(text: str) -> int:
    units = {"KiB": 2**10, "MiB": 2**20, "GiB": 2**30}
    for unit, scale in units.items():
        if text.endswith(unit):
            return int(float(text[: -len(unit)]) * scale)
    return int(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, default=PROJECT)
    parser.add_argument(
        "--cases", default=",".join(c.name for c in CASES), help="comma list"
    )
    parser.add_argument("--kill-above", default="6GiB", help="e.g. 6GiB")
    parser.add_argument("--timeout", type=int, default=180, help="seconds per case")
    parser.add_argument("--files", type=Path, help="keep the built files here")
    arguments = parser.parse_args(argv)
    chosen = [c for c in CASES if c.name in arguments.cases.split(",")]
    project = arguments.project.resolve()
    outcomes = []
    with tempfile.TemporaryDirectory() as scratch:
        files = arguments.files or Path(scratch) / "files"
        files.mkdir(parents=True, exist_ok=True)
        for case in chosen:
            path = files / case.file_name
            if not path.exists():
                case.build(path)
            workdir = Path(scratch) / case.name
            workdir.mkdir()
            outcome = run_case(
                case,
                path,
                project,
                workdir,
                _bytes(arguments.kill_above),
                arguments.timeout,
            )
            sys.stderr.write(
                f"{case.name}: peak {_size(outcome.peak)}, {outcome.seconds:.1f} s, "
                f"health {outcome.answered}/{outcome.asked}: {outcome.answer}\n"
            )
            sys.stderr.flush()
            outcomes.append(outcome)
    sys.stdout.write(
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; served from {project.name}\n\n"
        + table(outcomes)
        + "\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
