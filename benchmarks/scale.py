"""Speed at scale: this app against the naive way, on synthetic data, in one run.

Run it with ``.venv/bin/python benchmarks/scale.py`` (``make bench`` runs
``benchmarks/engine.py``, which uses this file's naive page and browser check and
measures more pages, shapes and sizes). For each
size N it writes a deterministic synthetic data folder (``imu_geo.synthetic``),
then measures, each variant in a fresh process:

- **app**: this dashboard (``app.py``, Map page);
- **naive**: the plain Streamlit way, written below (:data:`NAIVE_APP`): filter
  with a boolean mask on every step, build a ScatterplotLayer of every event in
  the window, ``st.pydeck_chart``.

Per variant: time to first render, server time per slider step through
``streamlit.testing.v1.AppTest`` (median and 95th percentile over the steps),
deck JSON bytes per step, and the process's peak RSS. Every step's event count
is checked against a count made with pandas straight from ``events.csv``, so a
variant that is fast because it is wrong fails the run. The bundled atlas is
measured too. Results are printed as one table and written to
``build/bench/scale.md`` (``--out``). ``--browser`` adds a Chromium measurement
of key press to rerun finished at 100k events for both variants.

It is a measurement, not a test: the numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from importlib.metadata import version
from pathlib import Path

from imu_geo.cli import streamlit_command

PROJECT = Path(__file__).resolve().parents[1]
APP = PROJECT / "app.py"
BUNDLED = PROJECT / "data"
DEFAULT_SIZES = (1_000, 100_000, 1_000_000)
WINDOW_MONTHS = 36

TARGETS = {
    "step_median_ms": 150,
    "speed_up": 10,
    "deck_kb": 100,
    "first_render_s": 10,
    "peak_rss_gb": 2,
}

NAIVE_APP = """
import os
from datetime import date
from pathlib import Path

import pandas as pd
import pydeck as pdk
import streamlit as st

from imu_geo.data import load_dataset
from imu_geo.filters import data_months, month_end, month_label


@st.cache_resource
def load(directory):
    return load_dataset(Path(directory)).events


events = load(os.environ["IMU_GEO_DATA"])
months = data_months(events)
# The opening window may come from the link, as in the app (?start=&end=).
opening = [
    min(range(len(months)), key=lambda i: abs(months[i] - date.fromisoformat(v)))
    for v in (st.query_params.get("start"), st.query_params.get("end"))
    if v
]
first, last = st.sidebar.select_slider(
    "Months shown",
    options=months,
    value=(
        (months[opening[0]], months[opening[1]])
        if len(opening) == 2
        else (months[0], months[-1])
    ),
    format_func=month_label,
    key="f_window",
)
end = pd.Timestamp(month_end(last))
mask = (events["date_start"] <= end) & (events["date_end"] >= pd.Timestamp(first))
st.caption(f"{int(mask.sum()):,} events — the naive way")
shown = events.loc[mask & events["lat"].notna(), ["lon", "lat", "title"]]
layer = pdk.Layer(
    "ScatterplotLayer",
    data=shown,
    get_position=["lon", "lat"],
    get_radius=5,
    radius_units='"pixels"',
    get_fill_color=[213, 94, 0, 200],
    pickable=True,
)
st.pydeck_chart(
    pdk.Deck(
        layers=[layer],
        map_provider=None,
        initial_view_state=pdk.ViewState(latitude=36.5, longitude=68.5, zoom=3.7),
        tooltip={"text": "{title}"},
    ),
    height=600,
)
"""


# --- the child: one variant on one data folder ----------------------------------


def _month_starts(first: date, last: date) -> list[date]:
    months, current = [], date(first.year, first.month, 1)
    while current <= last:
        months.append(current)
        year, month = divmod(current.month, 12)
        current = date(current.year + year, month + 1, 1)
    return months


def plan_windows(
    folder: Path, steps: int, months_wide: int = WINDOW_MONTHS
) -> list[tuple[date, date]]:
    """``steps`` windows of ``months_wide`` months (three years), spread evenly
    over the data's span."""
    import pandas as pd

    dates = pd.read_csv(folder / "events.csv", usecols=["date_start", "date_end"])
    months = _month_starts(
        pd.to_datetime(dates["date_start"]).min().date(),
        pd.to_datetime(dates["date_end"]).max().date(),
    )
    width = min(months_wide, len(months))
    last_first = len(months) - width
    positions = [round(i * last_first / max(steps - 1, 1)) for i in range(steps)]
    return [(months[p], months[p + width - 1]) for p in positions]


def pandas_counts(folder: Path, windows) -> list[int]:
    """Events whose dates overlap each window, counted with plain pandas."""
    import pandas as pd

    dates = pd.read_csv(folder / "events.csv", usecols=["date_start", "date_end"])
    start, end = pd.to_datetime(dates["date_start"]), pd.to_datetime(dates["date_end"])
    counts = []
    for first, last in windows:
        window_end = pd.Timestamp(last) + pd.offsets.MonthEnd(0)
        counts.append(int(((start <= window_end) & (end >= pd.Timestamp(first))).sum()))
    return counts


def _shown_count(at) -> int:
    for caption in at.caption:
        match = re.match(r"([\d,]+) events? —", caption.value)
        if match:
            return int(match.group(1).replace(",", ""))
    raise RuntimeError("no event count on the page")


def run_child(variant: str, folder: Path, steps: int) -> dict:
    """Measure one variant on one folder (in this fresh process)."""
    os.environ["IMU_GEO_DATA"] = str(folder)
    from streamlit.testing.v1 import AppTest

    windows = plan_windows(folder, steps)
    expected = pandas_counts(folder, windows)
    if variant == "app":
        at = AppTest.from_file(str(APP), default_timeout=600)
    else:
        script = Path(tempfile.mkdtemp()) / "naive_app.py"
        script.write_text(NAIVE_APP, encoding="utf-8")
        at = AppTest.from_file(str(script), default_timeout=600)
    started = time.perf_counter()
    at.run()
    first_render = time.perf_counter() - started
    if at.exception:
        raise RuntimeError(at.exception[0].value)
    seconds, sizes, wrong = [], [], []
    for (first, last), count in zip(windows, expected, strict=True):
        started = time.perf_counter()
        at.select_slider(key="f_window").set_range(first, last).run()
        seconds.append(time.perf_counter() - started)
        if at.exception:
            raise RuntimeError(at.exception[0].value)
        sizes.append(
            sum(len(d.proto.json.encode("utf-8")) for d in at.get("deck_gl_json_chart"))
        )
        shown = _shown_count(at)
        if shown != count:
            wrong.append(
                {"window": f"{first}..{last}", "shown": shown, "pandas": count}
            )
    ordered = sorted(seconds)
    return {
        "variant": variant,
        "steps": len(seconds),
        "first_render_s": first_render,
        "step_median_ms": statistics.median(seconds) * 1000,
        "step_p95_ms": ordered[max(0, -(-95 * len(ordered) // 100) - 1)] * 1000,
        "deck_kb_median": statistics.median(sizes) / 1024,
        "deck_kb_max": max(sizes) / 1024,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "counts_checked": len(expected),
        "mean_events_in_window": statistics.mean(expected),
        "wrong_counts": wrong,
    }


# --- the browser check ------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve(script: Path, folder: Path, log: Path) -> tuple[subprocess.Popen, str]:
    import urllib.request

    port = _free_port()
    process = subprocess.Popen(
        streamlit_command(script, port),
        cwd=script.parent,
        env={**os.environ, "IMU_GEO_DATA": str(folder)},
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
                if reply.read() == b"ok":
                    return process, url
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise RuntimeError(f"the server did not start; see {log}")


def browser_steps(
    url: str, presses: int, chromium: str, server_pid: int | None = None
) -> dict:
    """Key presses on the window slider: the time to the rerun finished and to
    the map redrawn, every byte each step moved (:mod:`wire`), and the CPU time
    the browser's processes and the server (``server_pid``) spent on it
    (:mod:`proc_cpu`)."""
    from playwright.sync_api import sync_playwright
    from proc_cpu import cpu_by_kind, process_seconds, spent
    from wire import Wire

    wait_done = (
        "(before) => { const c = document.querySelector("
        "'[data-testid=stCaptionContainer]'); const app = document.querySelector("
        "'[data-testid=stApp]'); return c && c.innerText !== before && "
        "app.getAttribute('data-test-script-state') === 'notRunning'; }"
    )
    with sync_playwright() as p:
        options = {"headless": True, "args": ["--no-sandbox", "--disable-gpu"]}
        if Path(chromium).exists():
            options["executable_path"] = chromium
        browser = p.chromium.launch(**options)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        wire = Wire().attach(page)
        page.add_init_script(WEBGL_COUNTER)
        cdp = page.context.new_cdp_session(page)
        cdp.send("Performance.enable")
        started = time.perf_counter()
        page.goto(url, timeout=180_000)
        page.wait_for_selector("canvas", timeout=180_000)
        page.wait_for_selector("[data-testid=stCaptionContainer]", timeout=180_000)
        page.wait_for_timeout(3000)
        first_paint = time.perf_counter() - started
        first_bytes = wire.since(0.0)
        page.get_by_role("slider").first.focus()
        seconds, drawn, steps, busy, spending, webgl = [], [], [], [], [], []
        for _ in range(presses):
            before = page.locator("[data-testid=stCaptionContainer]").first.inner_text()
            cpu = _page_busy(cdp)
            processes = cpu_by_kind()
            server = process_seconds(server_pid) if server_pid else 0.0
            page.evaluate(WEBGL_RESET)
            started = wire.mark()
            page.keyboard.press("ArrowRight")
            page.wait_for_function(wait_done, arg=before, timeout=180_000)
            seconds.append(time.perf_counter() - started)
            # Two animation frames later the map has been redrawn (a frame is
            # produced only once the drawing is done).
            page.evaluate(NEXT_FRAMES)
            drawn.append(time.perf_counter() - started)
            # Whatever arrives in this pause (a file the map asks for after the
            # rerun) still belongs to the step.
            page.wait_for_timeout(STEP_SETTLE_MS)
            steps.append(wire.since(started))
            webgl.append(page.evaluate(WEBGL_READ))
            busy.append({k: v - cpu.get(k, 0.0) for k, v in _page_busy(cdp).items()})
            step_cpu = spent(processes, cpu_by_kind())
            if server_pid:
                step_cpu["server"] = process_seconds(server_pid) - server
            spending.append(step_cpu)
        browser.close()
    totals = [s["total_bytes"] for s in steps]
    return {
        "page_ready_s": first_paint,
        "first_page_bytes": first_bytes["total_bytes"],
        "median_s": statistics.median(seconds),
        "max_s": max(seconds),
        "drawn_median_s": statistics.median(drawn),
        "drawn_max_s": max(drawn),
        "presses": presses,
        "step_bytes_median": statistics.median(totals),
        "step_bytes_max": max(totals),
        "step_bytes": steps,
        "bytes_by_kind_median": _median_by(steps, "by_kind"),
        "http_by_path_median": _median_by(steps, "http_by_path"),
        "page_busy_median_s": {
            k: statistics.median(b[k] for b in busy) for k in busy[0]
        },
        # What the page handed WebGL per step: draw calls, and bytes copied
        # into buffers (data the GPU process must take in before it draws).
        "webgl_draws_median": statistics.median(w["draws"] for w in webgl),
        "webgl_upload_bytes_median": statistics.median(w["bytes"] for w in webgl),
        # CPU seconds per step by process (Chromium's kinds and the server),
        # medians over the steps: far steadier under load than the wall time.
        "cpu_median_s": {
            kind: statistics.median(s.get(kind, 0.0) for s in spending)
            for kind in sorted({k for s in spending for k in s})
        },
    }


# Counts, in every frame of the page, the WebGL draw calls and the bytes given
# to bufferData and bufferSubData (a size alone, for an empty buffer, counts as
# its bytes): what a step asks the GPU process to take in and draw.
WEBGL_COUNTER = """
(() => {
  const counts = {draws: 0, bytes: 0};
  window.__webglCounts = counts;
  const size = (data) =>
    typeof data === "number" ? data : (data && data.byteLength) || 0;
  for (const Context of [WebGLRenderingContext, WebGL2RenderingContext]) {
    const proto = Context.prototype;
    const bufferData = proto.bufferData;
    proto.bufferData = function (target, data, ...rest) {
      counts.bytes += size(data);
      return bufferData.call(this, target, data, ...rest);
    };
    const bufferSubData = proto.bufferSubData;
    proto.bufferSubData = function (target, offset, data, ...rest) {
      counts.bytes += size(data);
      return bufferSubData.call(this, target, offset, data, ...rest);
    };
    for (const name of ["drawArrays", "drawElements", "drawArraysInstanced",
                        "drawElementsInstanced"]) {
      const draw = proto[name];
      if (!draw) continue;
      proto[name] = function (...args) {
        counts.draws += 1;
        return draw.apply(this, args);
      };
    }
  }
})();
"""
WEBGL_RESET = "() => { Object.assign(window.__webglCounts, {draws: 0, bytes: 0}); }"
WEBGL_READ = "() => ({...window.__webglCounts})"

# Added after the map is redrawn before a step's bytes are closed; no step waits
# less before the next key press.
STEP_SETTLE_MS = 500

# Chromium's counters of the page's main thread, in seconds since it started.
BUSY_METRICS = {
    "TaskDuration": "all tasks",
    "ScriptDuration": "script",
    "LayoutDuration": "layout",
    "RecalcStyleDuration": "style",
}


def _page_busy(cdp) -> dict[str, float]:
    metrics = cdp.send("Performance.getMetrics")["metrics"]
    return {
        BUSY_METRICS[m["name"]]: m["value"]
        for m in metrics
        if m["name"] in BUSY_METRICS
    }


def _median_by(steps: list[dict], field: str) -> dict[str, float]:
    """Per key of ``step[field]``, its median over the steps (0 where absent),
    largest first."""
    keys = {k for s in steps for k in s[field]}
    medians = {k: statistics.median(s[field].get(k, 0) for s in steps) for k in keys}
    return dict(sorted(medians.items(), key=lambda kv: -kv[1]))


NEXT_FRAMES = (
    "() => new Promise(done => requestAnimationFrame(() => "
    "requestAnimationFrame(() => setTimeout(done, 0))))"
)

# The windows a browser check opens the page at: a name and its length in
# months (None: the whole span, no window in the link).
BROWSER_WINDOWS = {"whole span": None, "36 months": 36, "12 months": 12}


def browser_scenarios(folder: Path, windows=BROWSER_WINDOWS) -> dict[str, str]:
    """Each window's query string: a window of that length in the middle of the
    data's span."""
    scenarios = {}
    for name, months in windows.items():
        if months is None:
            scenarios[name] = ""
            continue
        first, last = plan_windows(folder, 3, months)[1]
        scenarios[name] = f"?start={first.isoformat()}&end={last.isoformat()}"
    return scenarios


def run_browser(
    folder: Path,
    presses: int,
    chromium: str,
    work: Path,
    variants=("app", "naive"),
    windows=BROWSER_WINDOWS,
) -> dict:
    """The browser check of each variant in each window, on one data folder:
    one server per variant, a fresh browser per window. Keys are
    ``(variant, window)``."""
    naive_dir = Path(tempfile.mkdtemp(dir=work))
    naive = naive_dir / "naive_app.py"
    naive.write_text(NAIVE_APP, encoding="utf-8")
    scripts = {"app": APP, "naive": naive}
    scenarios = browser_scenarios(folder, windows)
    results = {}
    try:
        for variant in variants:
            process, url = _serve(
                scripts[variant], folder, work / f"server-{variant}.log"
            )
            try:
                for scenario, query in scenarios.items():
                    results[(variant, scenario)] = browser_steps(
                        url + "/" + query, presses, chromium, process.pid
                    )
            finally:
                process.terminate()
                process.wait(timeout=30)
    finally:
        shutil.rmtree(naive_dir, ignore_errors=True)
    return results


# --- the parent: data, children, report --------------------------------------------


def ensure_data(work: Path, n: int, seed: int) -> Path:
    from imu_geo.synthetic import write_synthetic

    folder = work / f"synthetic-{n}-seed{seed}"
    marker = folder / ".complete"
    if not marker.exists():
        shutil.rmtree(folder, ignore_errors=True)
        write_synthetic(folder, n, BUNDLED, seed)
        marker.write_text("ok\n")
    return folder


def measure(variant: str, folder: Path, steps: int) -> dict:
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child",
        variant,
        "--data",
        str(folder),
        "--steps",
        str(steps),
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{variant} on {folder.name} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def machine() -> dict:
    import procfs

    cpu = procfs.cpu_model(platform.processor() or platform.machine())
    memory_kb = procfs.memory_total_kb()
    memory = f"{memory_kb / 1024 / 1024:.0f} GB" if memory_kb else ""
    packages = {
        name: version(name)
        for name in ("streamlit", "pydeck", "pandas", "pyarrow", "numpy", "geopandas")
    }
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": memory,
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
        "packages": packages,
    }


def _row(n_label: str, app: dict, naive: dict | None) -> dict:
    ratio = naive["step_median_ms"] / app["step_median_ms"] if naive else None
    return {"n": n_label, "app": app, "naive": naive, "speed_up": ratio}


def table(rows: list[dict]) -> str:
    head = (
        "| events | variant | first render (s) | step median (ms) | step p95 (ms) "
        "| deck per step (kB, median / max) | peak RSS (MB) | counts right "
        "| speed-up |\n|---|---|---|---|---|---|---|---|---|\n"
    )
    lines = []
    for row in rows:
        for variant in ("app", "naive"):
            r = row[variant]
            if r is None:
                continue
            right = (
                f"{r['counts_checked'] - len(r['wrong_counts'])}/{r['counts_checked']}"
            )
            speed = (
                f"{row['speed_up']:.1f}×"
                if variant == "app" and row["speed_up"]
                else ""
            )
            lines.append(
                f"| {row['n']} | {variant} | {r['first_render_s']:.1f} "
                f"| {r['step_median_ms']:.0f} | {r['step_p95_ms']:.0f} "
                f"| {r['deck_kb_median']:.1f} / {r['deck_kb_max']:.1f} "
                f"| {r['peak_rss_mb']:.0f} | {right} | {speed} |"
            )
    return head + "\n".join(lines) + "\n"


def verdicts(rows: list[dict]) -> list[tuple[str, bool, str]]:
    """Each target at the largest N (and the bundled-data step), met or not."""
    largest = max((r for r in rows if r["naive"]), key=lambda r: r["app"]["n_events"])
    app = largest["app"]
    decks = [r["app"]["deck_kb_max"] for r in rows if r["naive"]]
    bundled = next(r["app"] for r in rows if r["naive"] is None)
    return [
        (
            "median step ≤ 150 ms",
            app["step_median_ms"] <= TARGETS["step_median_ms"],
            f"{app['step_median_ms']:.0f} ms",
        ),
        (
            "≥ 10× faster than the naive way",
            largest["speed_up"] >= TARGETS["speed_up"],
            f"{largest['speed_up']:.0f}×",
        ),
        (
            "deck ≤ 100 kB per step",
            app["deck_kb_max"] <= TARGETS["deck_kb"],
            f"{app['deck_kb_max']:.1f} kB",
        ),
        (
            "deck not growing with N",
            max(decks) - min(decks) < 0.5,
            " / ".join(f"{d:.1f}" for d in decks) + " kB",
        ),
        (
            "first render ≤ 10 s",
            app["first_render_s"] <= TARGETS["first_render_s"],
            f"{app['first_render_s']:.1f} s",
        ),
        (
            "peak RSS ≤ 2 GB",
            app["peak_rss_mb"] <= TARGETS["peak_rss_gb"] * 1024,
            f"{app['peak_rss_mb'] / 1024:.2f} GB",
        ),
        (
            "bundled data: step < 150 ms",
            bundled["step_median_ms"] < 150,
            f"{bundled['step_median_ms']:.0f} ms",
        ),
        (
            "every count equals pandas",
            all(
                not r[v]["wrong_counts"] for r in rows for v in ("app", "naive") if r[v]
            ),
            "all steps",
        ),
    ]


def report(rows, browser, info, args, elapsed) -> str:
    largest = max(r["app"]["n_events"] for r in rows)
    lines = [
        "# Performance at scale",
        "",
        "Written by `make bench` (`benchmarks/scale.py`) on "
        f"{time.strftime('%Y-%m-%d')}; the whole run took {elapsed / 60:.1f} min. "
        "Rerun it to reproduce every number below on your machine.",
        "",
        "## Targets at " + f"{largest:,} events",
        "",
        "| target | met | measured |",
        "|---|---|---|",
        *[
            f"| {name} | {'yes' if ok else '**no**'} | {value} |"
            for name, ok, value in verdicts(rows)
        ],
        "",
        "## Results",
        "",
        f"Steps per variant: {args.steps}; each step moves a {WINDOW_MONTHS}-month "
        "window to the next of evenly spread positions over the data's span. "
        "Speed-up is the naive median step time over this app's.",
        "",
        table(rows),
    ]
    if browser:
        lines += [
            "## In the browser (100k events)",
            "",
            "Headless Chromium, a key press on the window slider's first handle "
            "(one month), timed until the rerun has finished (the page's script "
            "state is back to not running and the caption shows the new count), and "
            "until two more animation frames have been produced (the map redrawn). "
            "**This machine has no GPU**: Chromium draws WebGL in software, where "
            "every pixel of every dot costs CPU time on the page's thread, so the "
            "drawing dominates for both variants; with a graphics chip it takes "
            "milliseconds.",
            "",
            "| variant | in view | page ready (s) | key press to rerun finished: "
            "median / max (s) | to the map redrawn: median / max (s) |",
            "|---|---|---|---|---|",
            *[
                f"| {v} | {scenario} | {r['page_ready_s']:.1f} | {r['median_s']:.2f}"
                f" / {r['max_s']:.2f} | {r['drawn_median_s']:.2f} / "
                f"{r['drawn_max_s']:.2f} |"
                for (v, scenario), r in browser.items()
            ],
            "",
            "Read with care. With the whole span in view both variants draw every "
            "dot. With a narrower window the naive page draws only the window's "
            "dots; the app draws the time slices of its points that overlap the "
            "window (whole slices: more dots than the window's), and each of its "
            "steps sends a few tens of kB where the naive page's sends megabytes. "
            "Every step redraws the whole deck, here in software: see "
            "docs/performance.md, *In the browser*.",
            "",
        ]
    lines += [
        "## Machine",
        "",
        f"- CPU: {info['cpu']} ({info['cores']} cores), memory {info['memory']}, "
        "no GPU",
        f"- {info['system']}, Python {info['python']}",
        "- " + ", ".join(f"{k} {v}" for k, v in info["packages"].items()),
        "",
        METHOD,
    ]
    return "\n".join(lines)


METHOD = """## Method

- **Data.** `imu_geo.synthetic.write_synthetic(folder, n, seed=0)`: events in the
  atlas's schema around the atlas's own place points (12 synthetic places per
  hub, each inside the hub's country), a Zipf-like weight per hub, each hub active
  for 3-9 years, dates to the day (70%), month (20%) or year (10%), all three
  layers. The same N and seed give the same files.
- **Server time per step.** Each variant runs in a fresh Python process under
  `streamlit.testing.v1.AppTest`: one `run()` for the first render (this
  includes reading and validating the data folder and, for this app, writing
  the map's point files), then one `set_range(...).run()` per step on the
  window slider. The time is the wall time of that call: the whole script,
  both for this app (frame, sidebar, Map page, table) and for the naive script.
- **Deck per step.** The bytes of every deck JSON on the page after the step.
- **Peak RSS.** The child process's `ru_maxrss`, so it includes Python,
  Streamlit, AppTest and the data.
- **Counts.** After each step the page's event count is compared with a count
  made with pandas from `events.csv` (events whose date span overlaps the
  window); a mismatch is reported and fails the targets.
- **The naive way** is the script in `benchmarks/scale.py` (`NAIVE_APP`): the
  same loader, a boolean mask per step, a ScatterplotLayer of every event in
  the window with its title for the tooltip, `st.pydeck_chart`.

## How this app stays fast

- **Load once, share.** `st.cache_resource` keyed by the data folder's file
  stamps (name, size, modification time), never by a frame; validation runs
  column-wise (pyarrow's CSV reader, then the row checker only for rows the
  column checks cannot clear).
- **Time index.** The events' date order is computed once; a step is a binary
  search (`searchsorted`) plus work on the rows near the window, and pages take
  positions, not copies, of the selected rows.
- **Points go to the browser once.** Above 300 events (after the non-time
  filters) each layer's points are written once to a static file and the deck
  names its URL; deck.gl's `DataFilterExtension` hides the points outside the
  window on the GPU. A step sends only the new date range (about 4 kB), the
  same at any N. Files have keyed-hash names, a 180 MB per-file and 1 GB total
  cap with least-recently-used eviction, are deleted after 30 minutes unused,
  live in a folder the server process holds locked and removes when it stops,
  and an upload's files are deleted when it is forgotten or replaced.
- **Lean pages.** The table sends at most 5,000 rows; downloads are built only
  when clicked; the timeline shows monthly counts above 400 events.

## Not measured

- The network between server and browser (AppTest runs in-process), and
  deck.gl's drawing, except in the optional browser check.
- Several users at once.
- Other pages than the Map page. The Timeline and Sources pages summarise
  large data and reuse the same index; the Regions page still filters with the
  plain mask and joins places to regions on every step, about 1-2 s per step
  at a million events.
- Uploading a file in the browser: an upload is imported in the session (about
  13 s per million rows), then served as above.
- Data that does not fit in memory: the whole dataset is held in RAM.
"""


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)))
    parser.add_argument("--steps", type=int, default=12)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--work", type=Path, default=PROJECT / "build" / "bench")
    parser.add_argument(
        "--out", type=Path, default=PROJECT / "build" / "bench" / "scale.md"
    )
    parser.add_argument("--browser", action="store_true")
    parser.add_argument("--presses", type=int, default=8)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--child", choices=["app", "naive"], help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.steps < 10:
        parser.error("use at least 10 steps")

    if args.child:
        result = run_child(args.child, args.data, args.steps)
        sys.stdout.write(json.dumps(result) + "\n")
        return 0

    started = time.perf_counter()
    args.work.mkdir(parents=True, exist_ok=True)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    rows = []
    app = measure("app", BUNDLED, args.steps)
    app["n_events"] = 49
    rows.append(_row("49 (atlas)", app, None))
    _say(f"bundled atlas: step median {app['step_median_ms']:.0f} ms")
    browser = None
    for n in sizes:
        folder = ensure_data(args.work, n, args.seed)
        results = {v: measure(v, folder, args.steps) for v in ("app", "naive")}
        results["app"]["n_events"] = n
        rows.append(_row(f"{n:,}", results["app"], results["naive"]))
        _say(
            f"{n:,} events: app {results['app']['step_median_ms']:.0f} ms, naive "
            f"{results['naive']['step_median_ms']:.0f} ms per step"
        )
    if args.browser:
        folder = ensure_data(args.work, 100_000, args.seed)
        browser = run_browser(folder, args.presses, args.chromium, args.work)
    text = report(rows, browser, machine(), args, time.perf_counter() - started)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    sys.stdout.write("\n" + table(rows))
    for name, ok, value in verdicts(rows):
        sys.stdout.write(f"{'MET ' if ok else 'MISS'} {name}: {value}\n")
    sys.stdout.write(f"written to {args.out}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
