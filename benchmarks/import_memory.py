"""What an import really takes, next to what the importer estimates before parsing.

Run it with ``.venv/bin/python benchmarks/import_memory.py`` (a few minutes). It
writes files of several shapes into a temporary folder (ACLED-like rows with
varied text, long notes, many short columns, the same rows as the ACLED API's
JSON, as GeoJSON, as Parquet and as an Excel workbook), and imports each one in
a fresh Python process with :func:`imu_geo.importers.import_file`. The process
records its resident memory before the file's bytes are read and its peak
(``VmHWM``) after the import, and the largest estimate any reader checked
against the memory budget (the figures of ``docs/import.md``, section 6).

The estimate must be above what was measured for every shape: that is what
makes refusing over the budget safe. The ratio says how much room it leaves.
``--file PATH`` measures given files instead (for example a full dataset
download). It is a measurement, not a test; the numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
ACLED = (
    "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,"
    "sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,"
    "interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,"
    "location,latitude,longitude,geo_precision,source,source_scale,notes,"
    "fatalities,tags,timestamp"
).split(",")
WORDS = "attack police post Andijan bomb killed three officers near the".split()
TOWNS = ["Andijan", "Tashkent", "Namangan", "Fergana", "Osh", "Khujand"]


def acled_rows(n: int, seed: int = 1, notes_length: int = 0) -> list[dict]:
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        year = 2000 + rng.randrange(16)
        rows.append(
            {
                "event_id_cnty": f"UZB{i}",
                "event_date": (
                    f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
                ),
                "year": str(year),
                "time_precision": str(rng.randint(1, 3)),
                "disorder_type": "Political violence",
                "event_type": "Explosions/Remote violence",
                "sub_event_type": "Suicide bomb",
                "actor1": "IMU: Islamic Movement of Uzbekistan",
                "assoc_actor_1": "",
                "inter1": "2",
                "actor2": "Police Forces of Uzbekistan (1991-)",
                "assoc_actor_2": "",
                "inter2": "1",
                "interaction": "12",
                "civilian_targeting": "",
                "iso": "860",
                "region": "Caucasus and Central Asia",
                "country": "Uzbekistan",
                "admin1": "Andijon",
                "admin2": "Andijon",
                "admin3": "",
                "location": rng.choice(TOWNS),
                "latitude": f"{40 + rng.random():.4f}",
                "longitude": f"{71 + 2 * rng.random():.4f}",
                "geo_precision": str(rng.randint(1, 3)),
                "source": "Reuters",
                "source_scale": "International",
                "notes": (
                    "x" * notes_length
                    if notes_length
                    else " ".join(rng.choice(WORDS) for _ in range(rng.randint(10, 40)))
                ),
                "fatalities": str(rng.randint(0, 10)),
                "tags": "",
                "timestamp": "1700000000",
            }
        )
    return rows


def write_csv(path: Path, rows: list[dict], columns: list[str]) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, columns)
        writer.writeheader()
        writer.writerows(rows)


def build(folder: Path, scale: float) -> list[Path]:
    n = int(100_000 * scale)
    rows = acled_rows(n)
    files = []
    path = folder / "acled.csv"
    write_csv(path, rows, ACLED)
    files.append(path)
    path = folder / "long-notes.csv"
    write_csv(path, acled_rows(int(20_000 * scale), 2, 4_000), ACLED)
    files.append(path)
    wide = [f"extra{j}" for j in range(200)]
    path = folder / "many-columns.csv"
    write_csv(
        path,
        [r | {c: str(j) for j, c in enumerate(wide)} for r in rows[: n // 2]],
        ACLED + wide,
    )
    files.append(path)
    half = rows[: n // 2]
    path = folder / "acled-api.json"
    path.write_text(json.dumps({"status": 200, "data": half}), encoding="utf-8")
    files.append(path)
    path = folder / "acled.geojson"
    features = [
        {
            "type": "Feature",
            "properties": r,
            "geometry": {
                "type": "Point",
                "coordinates": [float(r["longitude"]), float(r["latitude"])],
            },
        }
        for r in half
    ]
    path.write_text(
        json.dumps({"type": "FeatureCollection", "features": features}),
        encoding="utf-8",
    )
    files.append(path)
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = folder / "acled.parquet"
    pq.write_table(pa.Table.from_pylist(rows), path)
    files.append(path)
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Data")
    sheet.append(ACLED)
    for r in rows[: int(10_000 * scale)]:
        sheet.append([r[c] for c in ACLED])
    path = folder / "acled.xlsx"
    workbook.save(path)
    files.append(path)
    return files


CHILD = r"""
import json, os, sys
from imu_geo.importers import Limits, import_file, limits, spreadsheet
from imu_geo.importers.reading import delimited, jsonfile, parquet
import imu_geo.importers.places.gazetteer as places
places._bundled_gazetteer(); places._bundled_countries()
seen = []
def record(name, need, limits, what, **options):
    seen.append(need)
for module in (limits, delimited, jsonfile, parquet, spreadsheet):
    module.check_budget = record
def status(key):
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith(key + ":"):
                return int(line.split()[1]) * 1024
path = sys.argv[1]
before = status("VmRSS")
payload = open(path, "rb").read()
result = import_file(os.path.basename(path), payload, limits=Limits(max_bytes=2**31))
print(json.dumps({"before": before, "peak": status("VmHWM"), "size": len(payload),
                  "rows": result.n_rows, "estimate": max(seen, default=0)}))
"""


def measure(path: Path) -> dict:
    env = dict(os.environ, PYTHONPATH=str(PROJECT / "src"))
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(path)],
        capture_output=True,
        text=True,
        env=env,
    )
    if done.returncode:
        raise RuntimeError(f"importing {path.name} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--scale", type=float, default=1.0, help="1.0: 100,000 ACLED rows"
    )
    parser.add_argument(
        "--file",
        type=Path,
        action="append",
        help="measure this file instead of the generated ones (repeatable)",
    )
    arguments = parser.parse_args(argv)
    mb = 2**20
    lines = [
        "| file | size | rows | measured: peak over the start | estimate | "
        "estimate / measured |",
        "|---|---|---|---|---|---|",
    ]
    with tempfile.TemporaryDirectory() as scratch:
        paths = arguments.file or build(Path(scratch), arguments.scale)
        for path in paths:
            m = measure(path)
            used = m["peak"] - m["before"]
            lines.append(
                f"| {path.name} | {m['size'] / mb:.1f} MB | {m['rows']:,} | "
                f"{used / mb:,.0f} MB | {m['estimate'] / mb:,.0f} MB | "
                f"{m['estimate'] / used:.1f} |"
            )
            sys.stderr.write(lines[-1] + "\n")
    sys.stdout.write(
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}\n\n" + "\n".join(lines) + "\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
