"""How long the libraries under an import take to do far less than an import.

Run it on a CSV file, for example the 1,000,000-row GED-shaped benchmark file:

    .venv/bin/python benchmarks/import_floor.py build/bench/ged-1000000-seed0.csv

Two jobs, each in a fresh Python process, each timed with its CPU time (user
and system) and its peak resident memory:

- **read**: pyarrow's streaming CSV reader reads every column as text, one
  block at a time, and drops each block. Every import reads its file at least
  once.
- **read, sort, write**: DuckDB (its threads and memory limit as given) reads
  every column as text, sorts the rows by ``--sort`` and writes them to a
  Parquet file in row groups. A store is at least that.

Neither checks, crosswalks, places or reports a row, so together they give a
floor under the import's time on this machine (``docs/performance.md``). It is
a measurement, not a test; the numbers depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

READ = """
import sys
import pyarrow as pa
import pyarrow.csv as pa_csv

path = sys.argv[1]
names = pa_csv.open_csv(path).schema.names
reader = pa_csv.open_csv(
    path,
    read_options=pa_csv.ReadOptions(block_size=16 << 20),
    convert_options=pa_csv.ConvertOptions(
        column_types={name: pa.string() for name in names}
    ),
)
print(sum(batch.num_rows for batch in reader))
"""

SORT_AND_WRITE = """
import sys
import duckdb

path, sort, out, threads, memory = sys.argv[1:6]
con = duckdb.connect()
con.execute("SET enable_progress_bar = false")
con.execute(f"SET threads = {int(threads)}")
con.execute(f"SET memory_limit = '{memory}'")
source = con.read_csv(path, all_varchar=True, header=True)
con.register("source", source)
con.execute(
    f'COPY (SELECT * FROM source ORDER BY "{sort}") TO \\'{out}\\' '
    "(FORMAT parquet, ROW_GROUP_SIZE 65536)"
)
print(con.execute(f"SELECT count(*) FROM '{out}'").fetchone()[0])
"""


def run(code: str, *arguments: str) -> dict:
    """Run ``code`` in a fresh Python with ``arguments``: its output, wall time,
    CPU time (user + system, seconds) and peak resident memory (MB)."""
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", code, *arguments], stdout=subprocess.PIPE, text=True
    )
    output = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise SystemExit(f"the job failed with exit code {child.returncode}")
    return {
        "rows": int(output.strip() or 0),
        "wall_s": time.perf_counter() - started,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "peak_mb": usage.ru_maxrss / 1024,
    }


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", type=Path, help="a CSV file with a header")
    parser.add_argument("--sort", default="date_start", help="the column to sort by")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--memory", default="900MB", help="DuckDB's memory limit")
    arguments = parser.parse_args(argv)
    path = str(arguments.file.resolve())
    say(f"{arguments.file.name}: {arguments.file.stat().st_size / 2**20:,.0f} MB")
    say("| job | rows | wall (s) | CPU (s) | peak resident (MB) |")
    say("|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as work:
        out = str(Path(work) / "sorted.parquet")
        for name, code, extra in (
            ("read", READ, ()),
            (
                "read, sort, write",
                SORT_AND_WRITE,
                (arguments.sort, out, str(arguments.threads), arguments.memory),
            ),
        ):
            got = run(code, path, *extra)
            say(
                f"| {name} | {got['rows']:,} | {got['wall_s']:.1f} | "
                f"{got['cpu_s']:.1f} | {got['peak_mb']:,.0f} |"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
