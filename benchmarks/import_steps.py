"""Where an import's time and memory go: each step of ``imu-geo import``, by the
importer's own progress sentences.

Run it on a file as the command line would import it, in a fresh process:

    .venv/bin/python benchmarks/import_steps.py build/bench/ged-1000000-seed0.csv \
        --max-size 600MB

It reads the file, imports it and writes the folder and its store into a
temporary folder (``run_import``'s steps, with the ``progress`` callback each
of them already takes), while a thread samples the process's resident memory
every 20 ms. Each row is one step: the seconds from the start when it began,
its peak resident memory, and the resident memory when the next began. It is a
measurement, not a test; the numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

from procfs import resident_mb

from imu_geo.importers import Limits, parse_size
from imu_geo.importers.core import import_raw
from imu_geo.importers.reading import read_table
from imu_geo.importers.writing import write_import

SAMPLE_SECONDS = 0.02


class Steps:
    """The steps told so far, each with its start and the peak memory sampled
    while it was the current one."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.rows: list[dict] = []
        self.lock = threading.Lock()
        self.done = threading.Event()
        threading.Thread(target=self._sample, daemon=True).start()

    def _sample(self) -> None:
        while not self.done.is_set():
            now = resident_mb()
            with self.lock:
                if self.rows:
                    self.rows[-1]["peak_mb"] = max(self.rows[-1]["peak_mb"], now)
            time.sleep(SAMPLE_SECONDS)

    def __call__(self, sentence: str) -> None:
        now = resident_mb()
        with self.lock:
            if self.rows:
                self.rows[-1]["end_mb"] = now
                self.rows[-1]["peak_mb"] = max(self.rows[-1]["peak_mb"], now)
            self.rows.append(
                {
                    "step": sentence,
                    "start_s": time.perf_counter() - self.started,
                    "start_mb": now,
                    "peak_mb": now,
                    "end_mb": now,
                }
            )

    def finish(self) -> list[dict]:
        self("end")
        self.done.set()
        return self.rows[:-1]


def table(rows: list[dict]) -> str:
    lines = [
        "| step | began at (s) | resident at its start (MB) | peak (MB) |",
        "|---|---|---|---|",
    ]
    lines += [
        f"| {r['step']} | {r['start_s']:.1f} | {r['start_mb']:,.0f} | "
        f"{r['peak_mb']:,.0f} |"
        for r in rows
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--max-size", default="200MB", help="as for imu-geo import")
    args = parser.parse_args(argv)
    limits = Limits().with_max_bytes(parse_size(args.max_size))
    out = Path(tempfile.mkdtemp(prefix="import-steps-"))
    steps = Steps()
    try:
        steps(f"Reading {args.file.name}…")
        raw = read_table(args.file.name, args.file.read_bytes(), limits)
        result = import_raw(args.file.name, raw, "auto", "auto", progress=steps)
        del raw
        write_import(result, out, store=True, progress=steps)
        rows = steps.finish()
    finally:
        shutil.rmtree(out, ignore_errors=True)
    peak = max(r["peak_mb"] for r in rows)
    sys.stdout.write(
        f"{table(rows)}\n\n{len(result.events):,} events; peak sampled {peak:,.0f} MB\n"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
