"""What the scrubber costs a new server process: its imports and its first chart.

Run it with ``.venv/bin/python benchmarks/scrubber_first.py`` (``--runs`` sets how
many fresh processes; the default is five). Each run is a new Python process,
so every import and cache starts cold, as in a server's first page. Each run
measures, CPU time and wall time:

- ``import``: ``import imu_geo.ui.player`` (the Map page's Play and scrubber),
  and whether it loaded Altair;
- ``first``: the first :func:`imu_geo.scrubber.scrubber_data` (as the text
  the page sends, :func:`imu_geo.scrubber.scrubber_text`) of a table of 25
  years of three layers (900 rows, the most the scrubber sends);
- ``next``: the same rows with another window (a Play or slider step).

The median of the runs is printed, with every run's figures as JSON. It is a
measurement, not a test: the figures depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys

RUN = r"""
import json, sys, time

def clocks():
    return time.process_time(), time.perf_counter()

def since(start):
    cpu, wall = clocks()
    return {"cpu_s": cpu - start[0], "wall_s": wall - start[1]}

out = {}
start = clocks()
import imu_geo.ui.player  # noqa: F401
out["import"] = since(start)
out["import"]["altair"] = "altair" in sys.modules

from datetime import date
import pandas as pd
from imu_geo.filters import FilterSpec
from imu_geo.scrubber import SCRUB_LABEL, scrubber_data, scrubber_rows, scrubber_text

months = pd.date_range("1991-01-01", "2015-12-01", freq="MS")
counts = pd.DataFrame(
    [
        {"start": m, "layer": layer, "vague": False, "count": 1 + (i * 7 + j) % 40}
        for i, m in enumerate(months)
        for j, layer in enumerate(("attack", "base", "context"))
    ]
)
rows = scrubber_rows(counts)
whole = FilterSpec(start=date(1991, 1, 1), end=date(2015, 12, 31))
window = FilterSpec(start=date(1999, 1, 1), end=date(2004, 12, 31))
start = clocks()
scrubber_text(scrubber_data(rows, window, whole, SCRUB_LABEL))
out["first"] = since(start)
step = FilterSpec(start=date(1999, 4, 1), end=date(2005, 3, 31))
start = clocks()
scrubber_text(scrubber_data(rows, step, whole, SCRUB_LABEL))
out["next"] = since(start)
out["import"]["altair_after_first"] = "altair" in sys.modules
print(json.dumps(out))
"""


def say(text: str) -> None:
    sys.stdout.write(text + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    runs = []
    for _ in range(args.runs):
        done = subprocess.run(
            [sys.executable, "-c", RUN], capture_output=True, text=True, check=True
        )
        runs.append(json.loads(done.stdout))
    for part in ("import", "first", "next"):
        cpu = statistics.median(r[part]["cpu_s"] for r in runs)
        wall = statistics.median(r[part]["wall_s"] for r in runs)
        say(f"{part:>6}: cpu {cpu * 1000:7.1f} ms   wall {wall * 1000:7.1f} ms")
    for part in ("altair", "altair_after_first"):
        say(f"{part}: {sorted({r['import'][part] for r in runs})}")
    say(json.dumps(runs))


if __name__ == "__main__":
    main()
