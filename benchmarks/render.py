"""Pictures and animations: how long a download takes to build, in one run.

Run it with ``make bench`` (after ``benchmarks/scale.py``) or on its own with
``.venv/bin/python benchmarks/render.py``. Each measurement runs in a fresh
Python process that has loaded the data and imported the modules (as a running
server has), then times what a click on the download costs:

- **atlas PNG**: the bundled atlas over its whole span, as *Download map*
  builds it, first in the process (the basemap projected, fonts loaded) and
  then again (median of the next five, the basemap cached as the server
  caches it);
- **atlas GIF**: the whole span at one frame a year, 25 frames of 1024 × 640,
  as *Download animation* builds it;
- **1M PNG**: one million synthetic events (``imu_geo.synthetic``, the data of
  ``benchmarks/scale.py``), selected with the filters as ``imu-geo render``
  does and drawn, shaded by density.

Every result is checked: the PNGs decode at 1280 × 800 and a second build gives
the same bytes, the GIF has 25 frames, and at a million events the picture is
in its density mode. Results go to ``docs/render-performance.md``.

It is a measurement, not a test: the numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
from datetime import date
from importlib.metadata import version
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
BUNDLED = PROJECT / "data"
LARGE = 1_000_000
TARGETS_S = {"atlas_png": 2.0, "atlas_gif": 20.0, "large_png": 10.0}
REPEATS = 5


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timed(function):
    """``function()``, its wall-clock and CPU seconds (this process only)."""
    wall, cpu = time.perf_counter(), time.process_time()
    value = function()
    return value, time.perf_counter() - wall, time.process_time() - cpu


def child(kind: str, folder: Path, keep: Path) -> dict:
    """One measurement in this process; returns the figures as a dict."""
    import imageio.v3 as iio
    from PIL import Image

    from imu_geo.animation import animation_bytes
    from imu_geo.cli import main as command_line
    from imu_geo.engine import get_engine
    from imu_geo.engine.source import EventSource
    from imu_geo.render import (
        DENSITY_LIMIT,
        RENDER_COLUMNS,
        density_count,
        picture_bytes,
        picture_text,
        selection_picture_events,
        store_basemap,
    )
    from imu_geo.store import open_folder

    started = time.perf_counter()
    # As a server opens the data: its store (written on the first run, then
    # reused) and the engine over it.
    store = open_folder(folder)
    source = EventSource(store, get_engine())
    load_s = time.perf_counter() - started
    spec = store.default_spec
    words = picture_text("atlas" if folder == BUNDLED else "folder", folder.name)
    result: dict = {"kind": kind, "events": len(source), "load_s": load_s}

    def new_basemap():
        return store_basemap(store.regions, store.places, store.bounds)

    if kind == "atlas_gif":

        def build_gif() -> bytes:
            rows = source.select(spec)
            candidates = rows.frame(RENDER_COLUMNS).drop(columns="row_id")
            return animation_bytes(candidates, spec, new_basemap(), words, step=12)

        gif, result["first_s"], result["first_cpu_s"] = _timed(build_gif)
        frames = iio.imread(gif, index=None, extension=".gif")
        (keep / "render-atlas.gif").write_bytes(gif)
        result["frames"] = int(frames.shape[0])
        result["bytes"] = len(gif)
        result["ok"] = result["frames"] == 25 and frames.shape[1:3] == (640, 1024)
        result["peak_mb"] = _peak_mb()
        return result

    def download(basemap) -> bytes:
        # What the page's button does: the window's rows from the engine, then
        # the picture's columns of them.
        selected = selection_picture_events(source.select(spec))
        return picture_bytes(selected, spec, basemap, words, "png")

    def first() -> bytes:
        return download(new_basemap())

    png, result["first_s"], result["first_cpu_s"] = _timed(first)
    basemap = new_basemap()
    again = [_timed(lambda: download(basemap)) for _ in range(REPEATS)]
    result["again_s"] = statistics.median(t for _, t, _ in again)
    repeat = again[-1][0]

    def shell() -> bytes:
        # imu-geo render itself, for the same window.
        out = keep / f"render-{kind}-shell.png"
        code = command_line(["render", "--data", str(folder), "-o", str(out)])
        if code != 0:
            raise RuntimeError(f"imu-geo render exited with {code}")
        return out.read_bytes()

    from_shell, result["shell_s"], _ = _timed(shell)
    located = density_count(selection_picture_events(source.select(spec)))
    size = Image.open(io.BytesIO(png)).size
    (keep / f"render-{kind}.png").write_bytes(png)
    result["bytes"] = len(png)
    result["located"] = located
    result["density"] = located > DENSITY_LIMIT
    result["ok"] = (
        size == (1280, 800)
        and repeat == png == from_shell
        and (result["density"] if kind == "large_png" else not result["density"])
    )
    result["peak_mb"] = _peak_mb()
    return result


def measure(kind: str, folder: Path, work: Path) -> dict:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", kind]
    command += ["--data", str(folder), "--work", str(work)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{kind} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def ensure_data(work: Path, n: int, seed: int) -> Path:
    """The synthetic folder of ``benchmarks/scale.py`` (written once, reused)."""
    from imu_geo.synthetic import write_synthetic

    folder = work / f"synthetic-{n}-seed{seed}"
    marker = folder / ".complete"
    if not marker.exists():
        shutil.rmtree(folder, ignore_errors=True)
        write_synthetic(folder, n, BUNDLED, seed)
        marker.write_text("ok\n")
    return folder


def machine() -> dict:
    import procfs

    return {
        "cpu": procfs.cpu_model(platform.processor() or platform.machine()),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
        "load": os.getloadavg(),
        "versions": {
            name: version(name)
            for name in ("matplotlib", "imageio", "imageio-ffmpeg", "pillow", "pandas")
        },
    }


ROWS = (
    ("atlas_png", "PNG of the bundled atlas (49 events)"),
    ("atlas_gif", "GIF of the atlas, 25 frames of 1024 × 640"),
    ("large_png", "PNG of 1,000,000 events (density)"),
)


def report(results: dict, info: dict, elapsed: float) -> str:
    lines = [
        "# Pictures and animations: time to build a download",
        "",
        f"Written by `benchmarks/render.py` (`make bench`) on "
        f"{date.today().isoformat()}; the whole run took {elapsed / 60:.1f} min. "
        "Rerun it to reproduce every number below on your machine.",
        "",
        "## Targets",
        "",
        "| target | met | first in a process: wall (CPU) | again | from the shell |",
        "|---|---|---|---|---|",
    ]
    for kind, label in ROWS:
        r = results[kind]
        met = r["first_s"] <= TARGETS_S[kind] and r["ok"]
        again = f"{r['again_s']:.2f} s" if "again_s" in r else ""
        shell = f"{r['shell_s']:.2f} s" if "shell_s" in r else ""
        lines.append(
            f"| {label} ≤ {TARGETS_S[kind]:g} s | {'yes' if met else 'no'} | "
            f"{r['first_s']:.2f} s ({r['first_cpu_s']:.2f} s) | {again} | {shell} |"
        )
    lines += [
        "",
        "## Details",
        "",
        "| measurement | events | data load (s) | file (kB) | peak RSS (MB) | "
        "checked |",
        "|---|---|---|---|---|---|",
    ]
    for kind, label in ROWS:
        r = results[kind]
        checks = {
            "atlas_png": "1280 × 800, same bytes each time and from the shell, dots",
            "atlas_gif": f"{r.get('frames', '?')} frames of 1024 × 640",
            "large_png": f"1280 × 800, same bytes each time and from the shell, "
            "density "
            f"({r.get('located', 0):,} events with a place)",
        }[kind]
        lines.append(
            f"| {label} | {r['events']:,} | {r['load_s']:.1f} | "
            f"{r['bytes'] / 1000:,.0f} | {r['peak_mb']:,.0f} | "
            f"{'yes' if r['ok'] else 'NO'}: {checks} |"
        )
    load = ", ".join(f"{v:.1f}" for v in info["load"])
    versions = ", ".join(f"{k} {v}" for k, v in info["versions"].items())
    lines += [
        "",
        "## Machine",
        "",
        f"- CPU: {info['cpu']} ({info['cores']} cores), no GPU (matplotlib's Agg "
        "draws on the CPU)",
        f"- {info['system']}, Python {info['python']}",
        f"- {versions}",
        f"- Load average at the end of the run (1, 5, 15 min): {load}. The "
        "machine may be shared: read the times as upper bounds.",
        "",
        "## Method",
        "",
        "- Each measurement runs in a fresh Python process that first opens the "
        "data folder's store (writing it the first time) and imports the "
        "modules, as a running server has; that load is reported apart and not "
        "timed in the target.",
        "- **First** is the first download in that process, as a click on the "
        "Map page's button: projecting the basemap (countries, admin-1 units, "
        "labels, the places' areas), taking the events in the window from the "
        "engine over the data's store, drawing and encoding. Wall-clock time, and "
        "in brackets the "
        "CPU time of the process (on a shared machine the wall-clock time "
        "includes waiting for a core). **Again** is the median of the next "
        f"{REPEATS} pictures with the basemap kept, as the dashboard keeps it per "
        "dataset. **From the shell** is `imu-geo render` for the same window, run "
        "in the same process: it opens the store again and projects the basemap "
        "again, and must give the same bytes.",
        "- The GIF is the whole span, one frame a year (25 frames), two frames a "
        "second: the basemap, title and legend drawn once, each frame's events "
        "drawn over a copy, one palette of 256 colours for all frames (chosen by "
        "maximum coverage from every event drawn at once), encoded by imageio "
        "(Pillow).",
        "- At a million events the picture shades the density of events per "
        "hexagon (log scale) instead of a million dots, and reads only the "
        "events' layer and place; the legend says so.",
        "- The pictures and the GIF are left in the work folder (`build/bench/"
        "render-*.png`, `render-atlas.gif`) to be looked at.",
        "",
        "## Not measured",
        "",
        "- MP4: imageio-ffmpeg's encoder runs in its own process; the tests check "
        "that the file is readable and has its frames.",
        "- SVG: the same drawing as the PNG, written as text and paths.",
        "- The browser's part (the click, the transfer of the file).",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--work", type=Path, default=PROJECT / "build" / "bench")
    parser.add_argument(
        "--out", type=Path, default=PROJECT / "docs" / "render-performance.md"
    )
    parser.add_argument("--child", choices=[k for k, _ in ROWS], help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        result = child(args.child, args.data, args.work)
        sys.stdout.write(json.dumps(result) + "\n")
        return 0

    started = time.perf_counter()
    args.work.mkdir(parents=True, exist_ok=True)
    results = {}
    for kind, label in ROWS:
        folder = (
            BUNDLED if kind != "large_png" else ensure_data(args.work, LARGE, args.seed)
        )
        results[kind] = measure(kind, folder, args.work)
        sys.stdout.write(f"{label}: {results[kind]['first_s']:.2f} s\n")
        sys.stdout.flush()
    text = report(results, machine(), time.perf_counter() - started)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    for kind, label in ROWS:
        r = results[kind]
        met = r["first_s"] <= TARGETS_S[kind] and r["ok"]
        sys.stdout.write(
            f"{'MET ' if met else 'MISS'} {label} ≤ {TARGETS_S[kind]:g} s: "
            f"{r['first_s']:.2f} s\n"
        )
    sys.stdout.write(f"written to {args.out}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
