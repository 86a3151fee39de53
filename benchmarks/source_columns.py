"""What keeping a file's own columns costs: memory, file size and time.

Run it with ``.venv/bin/python benchmarks/source_columns.py`` (``--rows`` and
``--columns`` change the size; the default is a million rows of forty columns).

It builds a table of text shaped like the columns an ACLED, UCDP GED or GTD import
keeps (codes and names that repeat, ids and numbers that do not, columns that are
mostly empty, a little free text), as the reader gives it (pandas ``str``, Arrow
strings), and then measures, each step in a fresh process so that its resident
memory is its own:

- ``kept``: :func:`imu_geo.importers.columns.kept_columns` taking every row but
  1% (rejected rows), as an import does; the frame's size, the time, and the
  process's resident memory before and after;
- the same cells held as plain Arrow strings (no dictionary encoding) and as
  Python objects, for comparison (their in-memory size as pandas reports it);
- ``write``: ``source_columns.csv`` written (its size, the time);
- ``load``: ``source_columns.csv`` read, checked and aligned with the events, as
  :func:`imu_geo.data.load_dataset` does (the time, resident memory after and at
  its peak).

It is a measurement, not a test: the figures depend on the machine and the
column mix.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import procfs


def _say(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def _rss_mb() -> tuple[float, float]:
    """This process's resident memory now and at its peak, in MiB (Linux)."""
    figures = procfs.memory_kb()
    nan = float("nan")
    return figures.get("VmRSS", nan) / 1024, figures.get("VmHWM", nan) / 1024


def _mix(n_columns: int) -> list[str]:
    """The kinds of the kept columns: half codes and names that repeat a lot."""
    pattern = ["codes"] * 10 + ["names"] * 4 + ["ids"] * 3 + ["sparse"] * 2
    pattern += ["text"]
    return [pattern[i % len(pattern)] for i in range(n_columns)]


def _column(kind: str, n: int, rng: np.random.Generator, i: int) -> np.ndarray:
    if kind == "codes":  # inter1, iso, region, source_scale, weaptype1_txt, …
        vocabulary = np.array([f"code {i}-{k}" for k in range(60)], dtype=object)
        return vocabulary[rng.integers(0, len(vocabulary), n)]
    if kind == "names":  # admin1, admin2, priogrid_gid, …
        vocabulary = np.array([f"Place {i}-{k}" for k in range(20_000)], dtype=object)
        return vocabulary[rng.zipf(1.3, n) % len(vocabulary)]
    if kind == "ids":  # timestamp, relid, …
        return np.char.mod("%d", rng.integers(10**9, 10**10, n)).astype(object)
    if kind == "sparse":  # admin3, tags, …
        values = np.full(n, "", dtype=object)
        filled = rng.random(n) < 0.1
        values[filled] = "crowd size=no report"
        return values
    words = "clashes reported near the town several wounded local sources said".split()
    starts = rng.integers(0, len(words), n)
    return np.array(
        [" ".join(words[s:] + words[:s]) + f" ({k})" for k, s in enumerate(starts)],
        dtype=object,
    )


def make(path: Path, rows: int, columns: int) -> None:
    rng = np.random.default_rng(7)
    frame = pd.DataFrame(
        {
            f"kept_{i:02d}_{kind}": pd.Series(_column(kind, rows, rng, i), dtype="str")
            for i, kind in enumerate(_mix(columns))
        }
    )
    frame.to_parquet(path)


def _read(path: Path) -> pd.DataFrame:
    frame = pd.read_parquet(path)
    return frame.astype("str")


def step_kept(path: Path) -> dict:
    from imu_geo.importers.columns import column_map, kept_columns

    raw = _read(path)
    before, _ = _rss_mb()
    keep = np.ones(len(raw), dtype=bool)
    keep[::100] = False  # 1% rejected
    started = time.perf_counter()
    columns = column_map("acled", raw)
    kept = kept_columns(raw, columns, np.flatnonzero(keep))
    seconds = time.perf_counter() - started
    after, peak = _rss_mb()
    taken = raw.iloc[np.flatnonzero(keep)]
    plain = taken.astype("str")
    objects = taken.astype(object)
    return {
        "seconds": seconds,
        "raw_mb": raw.memory_usage(deep=True).sum() / 2**20,
        "kept_mb": kept.memory_usage(deep=True).sum() / 2**20,
        "plain_mb": plain.memory_usage(deep=True).sum() / 2**20,
        "object_mb": objects.memory_usage(deep=True).sum() / 2**20,
        "rss_before_mb": before,
        "rss_after_mb": after,
        "rss_peak_mb": peak,
        "dictionary_columns": int(
            sum("dictionary" in str(dtype) for dtype in kept.dtypes)
        ),
        "columns": len(kept.columns),
        "rows": len(kept),
    }


def step_write(path: Path, out: Path) -> dict:
    from imu_geo.source_columns import compact_frame, write_source_columns

    raw = compact_frame(_read(path))
    ids = pd.Series([f"acled-e{k}" for k in range(len(raw))], dtype="str")
    started = time.perf_counter()
    write_source_columns(out, ids, raw)
    return {"seconds": time.perf_counter() - started, "bytes": out.stat().st_size}


def step_load(out: Path, rows: int) -> dict:
    from imu_geo.source_columns import aligned, read_source_columns

    ids = pd.Series([f"acled-e{k}" for k in range(rows)], dtype="str")
    before, _ = _rss_mb()
    started = time.perf_counter()
    findings, frame = read_source_columns(out, ids)
    loaded = aligned(frame, ids)
    seconds = time.perf_counter() - started
    del frame
    after, peak = _rss_mb()
    return {
        "seconds": seconds,
        "findings": len(findings),
        "loaded_mb": loaded.memory_usage(deep=True).sum() / 2**20,
        "rss_before_mb": before,
        "rss_after_mb": after,
        "rss_peak_mb": peak,
    }


def _run(*arguments: str) -> dict:
    environment = dict(os.environ)
    source = str(Path(__file__).resolve().parents[1] / "src")
    environment["PYTHONPATH"] = os.pathsep.join(
        [source, *filter(None, [environment.get("PYTHONPATH")])]
    )
    output = subprocess.run(
        [sys.executable, __file__, *arguments],
        check=True,
        capture_output=True,
        text=True,
        env=environment,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--columns", type=int, default=40)
    parser.add_argument("--step", help=argparse.SUPPRESS)
    parser.add_argument("--path", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.step == "kept":
        _say(json.dumps(step_kept(Path(arguments.path))))
        return
    if arguments.step == "write":
        _say(json.dumps(step_write(Path(arguments.path), Path(arguments.out))))
        return
    if arguments.step == "load":
        _say(json.dumps(step_load(Path(arguments.out), arguments.rows)))
        return

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "kept.parquet"
        out = Path(folder) / "source_columns.csv"
        started = time.perf_counter()
        make(path, arguments.rows, arguments.columns)
        _say(
            f"built {arguments.rows:,} rows × {arguments.columns} columns of text "
            f"in {time.perf_counter() - started:.0f} s"
        )
        kept = _run("--step", "kept", "--path", str(path))
        written = _run("--step", "write", "--path", str(path), "--out", str(out))
        loaded = _run(
            "--step", "load", "--out", str(out), "--rows", str(arguments.rows)
        )
    _say(
        f"\n{kept['rows']:,} kept rows × {kept['columns']} columns "
        f"({kept['dictionary_columns']} dictionary-encoded)\n"
    )
    _say("| what | figure |")
    _say("| --- | --- |")
    rows = [
        (
            "the columns as the reader holds them (Arrow strings)",
            f"{kept['raw_mb']:,.0f} MiB",
        ),
        ("kept columns, as an import keeps them", f"{kept['kept_mb']:,.0f} MiB"),
        ("the same cells as plain Arrow strings", f"{kept['plain_mb']:,.0f} MiB"),
        ("the same cells as Python objects", f"{kept['object_mb']:,.0f} MiB"),
        ("time to take them (1% of rows rejected)", f"{kept['seconds']:.1f} s"),
        (
            "import process: resident memory before → after (peak)",
            f"{kept['rss_before_mb']:,.0f} → {kept['rss_after_mb']:,.0f} "
            f"({kept['rss_peak_mb']:,.0f}) MiB",
        ),
        (
            "source_columns.csv",
            f"{written['bytes'] / 2**20:,.0f} MiB, "
            f"written in {written['seconds']:.1f} s",
        ),
        (
            "loaded and aligned with the events",
            f"{loaded['loaded_mb']:,.0f} MiB in "
            f"{loaded['seconds']:.1f} s ({loaded['findings']} problems)",
        ),
        (
            "load process: resident memory before → after (peak)",
            f"{loaded['rss_before_mb']:,.0f} → {loaded['rss_after_mb']:,.0f} "
            f"({loaded['rss_peak_mb']:,.0f}) MiB",
        ),
    ]
    for what, figure in rows:
        _say(f"| {what} | {figure} |")


if __name__ == "__main__":
    main()
