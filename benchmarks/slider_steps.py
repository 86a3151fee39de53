"""Server time and deck size per slider step on the bundled data.

Run it with ``.venv/bin/python benchmarks/slider_steps.py [--steps N]``. It drives
the real app through Streamlit's AppTest (one full rerun of app.py and the Map page
per step, as a slider move causes), moves a two-year window across 1991-2015, and
prints the median and 95th percentile of the server time per step and the size of
the deck JSON sent to the browser. It is a measurement, not a test: the numbers
depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from datetime import date
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[1] / "app.py"


def measure(steps: int) -> dict[str, float]:
    """Rerun the app once per window position and time each rerun."""
    app = AppTest.from_file(str(APP), default_timeout=120).run()
    seconds, sizes = [], []
    for step in range(steps):
        year = 1991 + (step * 2) % 24
        window = (date(year, 1, 1), date(year + 1, 12, 1))
        started = time.perf_counter()
        app = app.select_slider(key="f_window").set_range(*window).run()
        seconds.append(time.perf_counter() - started)
        if app.exception:
            raise RuntimeError(app.exception[0].value)
        deck = app.get("deck_gl_json_chart")[0].proto.json
        sizes.append(len(deck.encode("utf-8")))
        json.loads(deck)  # the deck must stay valid JSON
    ordered = sorted(seconds)
    return {
        "steps": steps,
        "median_ms": statistics.median(seconds) * 1000,
        "p95_ms": ordered[max(0, round(0.95 * len(ordered)) - 1)] * 1000,
        "deck_kb_median": statistics.median(sizes) / 1024,
        "deck_kb_max": max(sizes) / 1024,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=24)
    result = measure(parser.parse_args(argv).steps)
    sys.stdout.write(
        "slider step on the bundled data ({steps} steps): median {median_ms:.0f} ms, "
        "p95 {p95_ms:.0f} ms server time; deck JSON median {deck_kb_median:.1f} kB, "
        "max {deck_kb_max:.1f} kB\n".format(**result)
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
