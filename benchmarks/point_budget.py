"""How many points the large-data map holds in a browser before it stops being
interactive, and what the density map costs instead.

Run it with ``.venv/bin/python benchmarks/point_budget.py``. It writes a small
Streamlit page into a temporary folder (the map as the Map page draws it:
:func:`imu_geo.layers.build_sliced_deck` over one point file per layer, written with
:mod:`imu_geo.pointfiles`, in a 3:1 column, 600 px high), serves it on
127.0.0.1, and for each size N (100k, 300k, 1M, 2M points by default) opens it in
headless Chromium with software rendering and measures:

- **file**: the point files' size (they are fetched once);
- **ready**: from navigation until the files are fetched and the page has
  drawn its last long frame (a frame interval over 50 ms) before 1.5 s of
  quiet;
- **step**: a key press on the window slider (one month) until the rerun has
  finished and three frames more have been produced (the map redrawn with the
  date filter's new range in deck.gl's ``DataFilterExtension``; headless
  Chromium may produce those frames before the software renderer is done, so
  this mostly measures the rerun);
- **pan move**: while the map is dragged, one mouse move until the input is
  handled and three frames more (deck.gl draws every point, and picks the one
  under the pointer, reading the result back: this waits for the drawing);
- **load average**: the machine's one-minute load when the size was done, since
  other work on the machine slows software rendering.

A size that takes longer than ``--limit-s`` per step (median), or does not load
within ``--load-timeout-s``, ends the sweep: larger sizes are not tried. Then
the density map (:func:`imu_geo.density.build_density_deck`, cells binned per
step from the largest size measured) is measured the same way.

Points cluster around 40 hubs in the atlas's region, dates spread over
1991-2015 (80% single days, the rest spans of up to a year); 60% attacks, 30%
context, 10% bases, one file each. Nothing is left behind: the server is
stopped and the folder removed. It is a measurement, not a test: the numbers
depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import numpy as np
import pandas as pd

from imu_geo.cli import streamlit_command
from imu_geo.layers import large_palettes
from imu_geo.pointfiles import point_file_bytes, point_records

PROJECT = Path(__file__).resolve().parents[1]
DEFAULT_SIZES = (100_000, 300_000, 1_000_000, 2_000_000)
LAYER_SHARES = {"attack": 0.6, "context": 0.3, "base": 0.1}
FIRST_DAY = 7670  # 1991-01-01, in days since 1970-01-01
SPAN_DAYS = 9131  # to 2015-12-31
HUBS = 40
LONG_FRAME_MS = 50
QUIET_MS = 1500
PAN_MOVES = 10

CONFIG = """
[server]
enableStaticServing = true
headless = true
[browser]
gatherUsageStats = false
[runner]
postScriptGC = false
magicEnabled = false
"""

# The page: the map as the Map page draws it, a slider for the window's start,
# and a caption that changes when a rerun has finished.
PAGE = """
import json
from pathlib import Path

import numpy as np
import pandas as pd
import streamlit as st

from imu_geo.density import bound_cells, build_density_deck, density_cell_deg
from imu_geo.layers import build_sliced_deck

HERE = Path(__file__).parent
VIEW = {"latitude": 36.5, "longitude": 68.5, "zoom": 3.7}
MONTH_DAYS = 30.44
WINDOW_MONTHS = 36
FIRST_DAY, SPAN_DAYS = %(first)d, %(span)d

st.set_page_config(layout="wide")
n = st.query_params.get("n", "100000")
mode = st.query_params.get("mode", "points")
months = int(SPAN_DAYS / MONTH_DAYS)
start = st.slider("Window start (month)", 0, months - WINDOW_MONTHS, 120)
first = FIRST_DAY + round(start * MONTH_DAYS)
last = first + round(WINDOW_MONTHS * MONTH_DAYS) - 1


@st.cache_resource
def arrays(n):
    with np.load(HERE / f"points-{n}.npz") as found:
        return {key: found[key] for key in found.files}


if mode == "points":
    urls = json.loads((HERE / "manifest.json").read_text())[n]
    deck = build_sliced_deck([], (first, last), False, VIEW, files=urls)
else:
    points = arrays(n)
    cell = density_cell_deg(
        (points["x"].min(), points["y"].min(), points["x"].max(), points["y"].max())
    )
    shown = (points["s"] <= last) & (points["e"] >= first)
    frame = pd.DataFrame(
        {
            "cx": np.floor(points["x"][shown] / cell).astype(np.int64),
            "cy": np.floor(points["y"][shown] / cell).astype(np.int64),
            "layer": points["layer"][shown],
        }
    )
    cells = pd.crosstab([frame["cx"], frame["cy"]], frame["layer"]).reset_index()
    for code, name in ((0, "attacks"), (1, "context"), (2, "bases")):
        cells[name] = cells[code] if code in cells else 0
    cells["events"] = cells["attacks"] + cells["context"] + cells["bases"]
    cells, cell = bound_cells(cells, cell)
    deck = build_density_deck(cells, cell, VIEW)
size = len(deck.to_json().encode("utf-8"))
left, right = st.columns([3, 1])
with left:
    st.pydeck_chart(
        deck, on_select="rerun", selection_mode="single-object", height=600
    )
st.caption(f"Days {first} to {last}; deck {size / 1000:.1f} kB")
"""

# Every frame's time, from the first script on the page.
FRAME_RECORDER = """
window.__frames = [];
const record = (t) => {
  window.__frames.push(t);
  if (window.__frames.length > 20000) window.__frames.splice(0, 10000);
  requestAnimationFrame(record);
};
requestAnimationFrame(record);
"""

QUIET = """([quiet, long]) => {
  const f = window.__frames, now = performance.now();
  if (f.length < 2 || f[f.length - 1] < now - 100 || f[0] > now - quiet) return false;
  for (let i = f.length - 1; i > 0 && f[i] > now - quiet; i--) {
    if (f[i] - f[i - 1] > long) return false;
  }
  return true;
}"""

# The end of the last long frame interval after t0 (or t0 when there is none),
# and the frame intervals after t0.
FRAMES_SINCE = """([t0, long]) => {
  const f = window.__frames, gaps = [];
  let last = t0;
  for (let i = 1; i < f.length; i++) {
    if (f[i] <= t0) continue;
    const gap = f[i] - Math.max(f[i - 1], t0);
    gaps.push(gap);
    if (gap > long) last = f[i];
  }
  return {last, gaps};
}"""

# Resolves with the time once the map has been redrawn: three animation frames
# later (a frame is produced only after the previous one's drawing is done).
NEXT_FRAMES = """() => new Promise(done => requestAnimationFrame(() =>
  requestAnimationFrame(() => requestAnimationFrame(() =>
    setTimeout(() => done(performance.now()), 0)))))"""

RERUN_DONE = """(before) => {
  const c = document.querySelector('[data-testid=stCaptionContainer]');
  const app = document.querySelector('[data-testid=stApp]');
  return c && c.innerText !== before &&
    app.getAttribute('data-test-script-state') === 'notRunning';
}"""

POINT_FILES_FETCHED = """(count) => performance.getEntriesByType('resource')
  .filter(e => e.name.includes('/points/') && e.responseEnd > 0).length >= count"""


# --- data -------------------------------------------------------------------------


def synthetic_points(n: int, seed: int = 0) -> dict[str, pd.DataFrame]:
    """``n`` events split into layers, with what :func:`point_records` reads."""
    rng = np.random.default_rng(seed)
    hub_x = rng.uniform(61.0, 75.0, HUBS)
    hub_y = rng.uniform(31.0, 42.0, HUBS)
    weight = 1.0 / np.arange(1, HUBS + 1)
    hub = rng.choice(HUBS, n, p=weight / weight.sum())
    lon = hub_x[hub] + rng.normal(0, 0.35, n)
    lat = hub_y[hub] + rng.normal(0, 0.35, n)
    first = FIRST_DAY + rng.integers(0, SPAN_DAYS, n)
    spans = np.where(rng.random(n) < 0.8, 0, rng.integers(1, 365, n))
    last = np.minimum(first + spans, FIRST_DAY + SPAN_DAYS - 1)
    layer = rng.choice(list(LAYER_SHARES), n, p=np.array(list(LAYER_SHARES.values())))
    frame = pd.DataFrame(
        {
            "lon": lon,
            "lat": lat,
            "date_start": pd.to_datetime(first, unit="D"),
            "date_end": pd.to_datetime(last, unit="D"),
            "title": [f"Synthetic event {k}" for k in range(n)],
            "layer": layer,
        }
    )
    return {name: frame[frame["layer"] == name] for name in LAYER_SHARES}


def write_size(folder: Path, n: int) -> tuple[dict[str, str], int]:
    """Write the point files for ``n`` points and the arrays the density page
    bins; return the files' URLs and their bytes."""
    urls, total = {}, 0
    columns: dict[str, list] = {key: [] for key in ("x", "y", "s", "e", "layer")}
    for code, (layer, part) in enumerate(synthetic_points(n).items()):
        fill, _ = large_palettes(layer)
        rng = np.random.default_rng(code)
        records = point_records(
            part,
            np.arange(len(part)),
            rng.integers(0, len(fill), len(part)),
            np.where(layer == "attack", rng.uniform(3, 9, len(part)), 3.0),
        )
        payload = point_file_bytes(records)
        name = f"{layer}-{n}.json"
        (folder / "static" / "points" / name).write_bytes(payload)
        urls[layer] = f"app/static/points/{name}"
        total += len(payload)
        for key in ("x", "y", "s", "e"):
            columns[key].append(records[key].to_numpy())
        columns["layer"].append(np.full(len(records), code, dtype=np.int8))
    np.savez(
        folder / f"points-{n}.npz",
        **{key: np.concatenate(parts) for key, parts in columns.items()},
    )
    return urls, total


def make_site(folder: Path) -> Path:
    (folder / ".streamlit").mkdir(parents=True)
    (folder / ".streamlit" / "config.toml").write_text(CONFIG, encoding="utf-8")
    (folder / "static" / "points").mkdir(parents=True)
    for name in ("basemap.geojson", "labels.json"):
        shutil.copy(PROJECT / "static" / name, folder / "static" / name)
    (folder / "manifest.json").write_text("{}", encoding="utf-8")
    page = folder / "page.py"
    page.write_text(PAGE % {"first": FIRST_DAY, "span": SPAN_DAYS}, encoding="utf-8")
    return page


# --- the server and the browser -------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(page: Path, log: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    source = str(PROJECT / "src")
    path = os.environ.get("PYTHONPATH", "")
    process = subprocess.Popen(
        streamlit_command(page, port),
        cwd=page.parent,
        env={**os.environ, "PYTHONPATH": f"{source}:{path}" if path else source},
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
    process.wait(timeout=10)
    raise RuntimeError(f"the server did not start; see {log}")


def measure(
    url: str,
    chromium: str,
    presses: int,
    load_timeout_s: float,
    files: int,
    screenshot: Path | None,
) -> dict:
    """Open ``url`` in a fresh browser; time the load, key presses and a drag."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        options = {"headless": True, "args": ["--no-sandbox", "--disable-gpu"]}
        if Path(chromium).exists():
            options["executable_path"] = chromium
        browser = p.chromium.launch(**options)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.add_init_script(FRAME_RECORDER)
            timeout = load_timeout_s * 1000
            try:
                page.goto(url, timeout=timeout)
                page.wait_for_selector("canvas", timeout=timeout)
                page.wait_for_function(POINT_FILES_FETCHED, arg=files, timeout=timeout)
                page.wait_for_function(
                    QUIET, arg=[QUIET_MS, LONG_FRAME_MS], timeout=timeout, polling=200
                )
            except PlaywrightTimeout:
                return {"loaded": False}
            ready_ms = page.evaluate(FRAMES_SINCE, [0, LONG_FRAME_MS])["last"]
            caption = page.locator("[data-testid=stCaptionContainer]").first
            deck_kb = float(caption.inner_text().split("deck ")[1].split(" kB")[0])
            if screenshot is not None:
                page.screenshot(path=str(screenshot))
            steps = []
            page.get_by_role("slider").first.focus()
            for _ in range(presses):
                before = caption.inner_text()
                t0 = page.evaluate("performance.now()")
                page.keyboard.press("ArrowRight")
                page.wait_for_function(RERUN_DONE, arg=before, timeout=timeout)
                steps.append((page.evaluate(NEXT_FRAMES) - t0) / 1000)
                page.wait_for_function(
                    QUIET, arg=[QUIET_MS, LONG_FRAME_MS], timeout=timeout, polling=200
                )
            box = page.locator("canvas").first.bounding_box()
            x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
            page.mouse.move(x, y)
            page.mouse.down()
            moves = []
            for i in range(1, PAN_MOVES + 1):
                t0 = page.evaluate("performance.now()")
                page.mouse.move(x + 12 * i, y + 4 * i)
                moves.append(page.evaluate(NEXT_FRAMES) - t0)
            page.mouse.up()
            return {
                "loaded": True,
                "ready_s": ready_ms / 1000,
                "deck_kb": deck_kb,
                "step_median_s": statistics.median(steps),
                "step_max_s": max(steps),
                "pan_median_ms": statistics.median(moves),
                "pan_max_ms": max(moves),
            }
        finally:
            browser.close()


# --- the report ---------------------------------------------------------------


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def table(rows: list[dict]) -> str:
    lines = [
        "| map | points | files (MB) | ready (s) | step median / max (s) "
        "| pan move median / max (ms) | deck (kB) "
        "| load average |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        r = row["result"]
        if not r.get("loaded"):
            lines.append(
                f"| {row['map']} | {row['n']:,} | {row['mb']:.0f} "
                f"| not within the load limit | | | | {row['load']:.1f} |"
            )
            continue
        lines.append(
            f"| {row['map']} | {row['n']:,} | {row['mb']:.0f} | {r['ready_s']:.1f} "
            f"| {r['step_median_s']:.2f} / {r['step_max_s']:.2f} "
            f"| {r['pan_median_ms']:.0f} / {r['pan_max_ms']:.0f} "
            f"| {r['deck_kb']:.1f} | {row['load']:.1f} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(str(n) for n in DEFAULT_SIZES))
    parser.add_argument("--presses", type=int, default=4)
    parser.add_argument("--limit-s", type=float, default=1.0)
    parser.add_argument("--load-timeout-s", type=float, default=120.0)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--screenshots", type=Path, default=None)
    parser.add_argument(
        "--density-only",
        action="store_true",
        help="measure only the density map, at the largest size",
    )
    args = parser.parse_args(argv)
    if args.screenshots:
        args.screenshots.mkdir(parents=True, exist_ok=True)
    sizes = [int(n) for n in args.sizes.split(",")]
    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="point-budget-"))
    rows: list[dict] = []
    try:
        page = make_site(work)
        process, url = serve(page, work / "server.log")
        try:
            manifest: dict[str, dict[str, str]] = {}
            measured = None
            if args.density_only:
                write_size(work, sizes[-1])
                measured = sizes[-1]
            for n in [] if args.density_only else sizes:
                urls, total = write_size(work, n)
                manifest[str(n)] = urls
                (work / "manifest.json").write_text(json.dumps(manifest))
                shot = (
                    args.screenshots / f"points-{n}.png" if args.screenshots else None
                )
                result = measure(
                    f"{url}/?n={n}&mode=points",
                    args.chromium,
                    args.presses,
                    args.load_timeout_s,
                    len(urls),
                    shot,
                )
                rows.append(
                    {
                        "map": "points",
                        "n": n,
                        "mb": total / 1e6,
                        "result": result,
                        "load": os.getloadavg()[0],
                    }
                )
                _say(table(rows[-1:]).splitlines()[-1])
                if not result.get("loaded"):
                    break
                measured = n
                if result["step_median_s"] > args.limit_s:
                    break
            if measured is not None:
                shot = (
                    args.screenshots / f"density-{measured}.png"
                    if args.screenshots
                    else None
                )
                result = measure(
                    f"{url}/?n={measured}&mode=density",
                    args.chromium,
                    args.presses,
                    args.load_timeout_s,
                    0,
                    shot,
                )
                rows.append(
                    {
                        "map": "density",
                        "n": measured,
                        "mb": 0.0,
                        "result": result,
                        "load": os.getloadavg()[0],
                    }
                )
        finally:
            process.terminate()
            process.wait(timeout=30)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    elapsed = time.perf_counter() - started
    _say("\n" + table(rows))
    _say(f"\nLimit per step: {args.limit_s} s; whole run {elapsed:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
