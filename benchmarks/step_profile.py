"""Where the server's time goes in one slider step of the Map page.

Run it with ``.venv/bin/python benchmarks/step_profile.py --size 100000
--start 2003-01-01 --end 2003-12-01``. It writes the clustered synthetic data
of that size (``benchmarks/scale.py``, the same folder as the browser check),
opens the app (``app.py``, Map page) in ``streamlit.testing.v1.AppTest`` at that
window, and moves the window's first month forward one month at a time
(``--steps``), as a key press on the slider does. It prints the wall time of
each step's script run and, with ``--profile``, the steps' functions of this
package by cumulative time, from ``cProfile`` in the script's thread (the first
step is left out: it builds what later steps reuse). Profiling slows the run
down; the times printed without it are the ones to compare.

It is a measurement, not a test: the numbers depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import scale  # noqa: E402 - the data folders of the browser check


def _say(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--start", default="2003-01-01")
    parser.add_argument("--end", default="2003-12-01")
    parser.add_argument("--steps", type=int, default=6)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--work", type=Path, default=scale.PROJECT / "build" / "bench")
    args = parser.parse_args()

    folder = scale.ensure_data(args.work, args.size, args.seed)
    os.environ["IMU_GEO_DATA"] = str(folder)
    from streamlit.testing.v1 import AppTest, local_script_runner

    profiler = cProfile.Profile()
    profiling = {"on": False}
    run_thread = local_script_runner.LocalScriptRunner._run_script_thread

    def profiled(self):
        # The script runs in a thread of its own: profile that thread.
        if not profiling["on"]:
            return run_thread(self)
        profiler.enable()
        try:
            return run_thread(self)
        finally:
            profiler.disable()

    local_script_runner.LocalScriptRunner._run_script_thread = profiled

    at = AppTest.from_file(str(scale.APP), default_timeout=300)
    at.query_params["start"] = args.start
    at.query_params["end"] = args.end
    at.run()
    at.run()  # the first run writes what the page keeps; time the steps after it
    seconds = []
    for step in range(args.steps):
        slider = next(s for s in at.select_slider if s.label == "Months shown")
        first, last = slider.value
        profiling["on"] = args.profile and step > 0
        started = time.perf_counter()
        slider.set_value((_next_month(first), last)).run()
        seconds.append(time.perf_counter() - started)
        profiling["on"] = False
        if at.exception:
            raise SystemExit(at.exception[0].value)
        caption = next(c.value for c in at.caption if " events — " in c.value)
        _say(f"step {step + 1}: {seconds[-1]:.3f} s  {caption}")
    later = seconds[1:] or seconds
    _say(
        f"median of steps 2-{len(seconds)}: {statistics.median(later):.3f} s; "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    if args.profile:
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("cumulative").print_stats(r"imu_geo|views|app\.py", args.top)
        _say(out.getvalue())


if __name__ == "__main__":
    main()
