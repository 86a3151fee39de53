"""Speed of reading date columns (:mod:`imu_geo.datecolumns`) at a million rows.

Run it with ``.venv/bin/python benchmarks/datecolumns.py [--rows N]``. For each
case it builds a column of N values as a dataset writes them, from days drawn
with a fixed seed, reads it three times and prints the median and the slowest
time. Every run's dates are checked against the days the values were made from,
so a fast wrong reader fails the run (exit status 1).

Cases: ~10,000 distinct days written ``D-Mon-YY`` (two-digit years: every row is
a repair), ``M/D/YYYY HH:MM:SS``, ISO with a time, and a mix of ISO and
``D-Mon-YY``; then the worst case, every value distinct (ISO with a distinct time
of day each). It is a measurement, not a test: the numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from datetime import date, timedelta

import numpy as np
import pandas as pd

from imu_geo.datecolumns import read_date_column

MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def _days(rows: int, distinct: int, seed: int = 1) -> list[date]:
    first = date(1997, 1, 1)
    offsets = np.random.default_rng(seed).integers(0, distinct, rows)
    table = [first + timedelta(days=int(i)) for i in range(distinct)]
    return [table[i] for i in offsets]


def _cases(rows: int) -> list[tuple[str, pd.Series, list[str]]]:
    days = _days(rows, 10_000)
    expected = [d.isoformat() for d in days]
    cases = [
        (
            "D-Mon-YY, ~10k distinct",
            [f"{d.day}-{MONTHS[d.month - 1]}-{d.year % 100:02d}" for d in days],
        ),
        (
            "M/D/YYYY HH:MM:SS, ~10k distinct",
            [f"{d.month:02d}/{d.day:02d}/{d.year} 00:00:00" for d in days],
        ),
        (
            "ISO with a time, ~10k distinct",
            [f"{d.isoformat()} 00:00:00.000" for d in days],
        ),
        (
            "ISO and D-Mon-YY mixed, ~20k distinct",
            [
                d.isoformat()
                if i % 2
                else f"{d.day}-{MONTHS[d.month - 1]}-{d.year % 100:02d}"
                for i, d in enumerate(days)
            ],
        ),
    ]
    out = [(name, pd.Series(values, dtype="str"), expected) for name, values in cases]
    seconds = [
        f"{i // 3600 % 24:02d}:{i // 60 % 60:02d}:{i % 60:02d}" for i in range(rows)
    ]
    out.append(
        (
            "ISO with a time, every value distinct",
            pd.Series(
                [f"{d.isoformat()}T{s}" for d, s in zip(days, seconds, strict=True)],
                dtype="str",
            ),
            expected,
        )
    )
    return out


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    _say(
        f"{args.rows:,} rows; Python {platform.python_version()}, pandas "
        f"{pd.__version__}, {platform.machine()}"
    )
    _say(f"{'case':<40} {'distinct':>9} {'median s':>9} {'max s':>7}")
    wrong = False
    for name, values, expected in _cases(args.rows):
        times = []
        for _ in range(args.repeat):
            began = time.perf_counter()
            result = read_date_column(
                values, column="event_date", coverage=(1997, 2026)
            )
            times.append(time.perf_counter() - began)
            if list(result.dates) != expected or result.n_errors:
                wrong = True
                _say(f"WRONG: {name}")
        distinct = values.nunique()
        _say(
            f"{name:<40} {distinct:>9,} {statistics.median(times):>9.2f} "
            f"{max(times):>7.2f}"
        )
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
