"""How long the world module takes: loading its files, placing points, the border
check and gazetteer look-ups, at the sizes an imported file has.

Run it with ``.venv/bin/python benchmarks/world.py [--n 100000]``. Each step runs
in a fresh process, so that loading is measured cold (as the first import in a
server process pays it), and then warm. The points are random points on land:
GeoNames places (``data/world/gazetteer.csv``) moved by up to 0.2 degrees, so
that a share lies across a border, as real event points near borders do; the
country each point is checked against is the country of its place. It prints one
table; it is a measurement, not a test, and the numbers depend on the machine
and on what else runs on it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]

STEP = r"""
import json, sys, time
import numpy as np
from imu_geo import world
step, n = sys.argv[1], int(sys.argv[2])
rng = np.random.default_rng(0)
out = {}
def timed(name, fn):
    t = time.perf_counter(); value = fn(); out[name] = time.perf_counter() - t
    return value
if step == "load":
    timed("countries (cold)", world.countries)
    timed("admin-1 units (cold)", world.admin1)
    timed("gazetteer (cold)", world.gazetteer)
else:
    places = world.gazetteer().places
    pick = places.sample(n, replace=True, random_state=0)
    lon = pick["lon"].to_numpy() + rng.uniform(-0.2, 0.2, n)
    lat = pick["lat"].to_numpy() + rng.uniform(-0.2, 0.2, n)
    codes = pick["country"].to_numpy()
    if step == "locate":
        world.locate_points(lon[:10], lat[:10])
        timed(f"locate_points, {n:,} points", lambda: world.locate_points(lon, lat))
    elif step == "border":
        world.check_borders(lon[:10], lat[:10], codes[:10])
        table = timed(
            f"check_borders, {n:,} points (exact)",
            lambda: world.check_borders(lon, lat, codes, "exact"),
        )
        counts = table["status"].value_counts().to_dict()
        out["statuses"] = {k: int(v) for k, v in counts.items()}
    elif step == "lookup":
        gazetteer = world.gazetteer()
        names = pick["name"].tolist()[:20000]
        countries = pick["country"].tolist()[:20000]
        timed(
            f"lookup by name and country, {len(names):,} names",
            lambda: [gazetteer.lookup(a, c) for a, c in zip(names, countries)],
        )
        timed(
            f"lookup by name alone, {len(names):,} names",
            lambda: [gazetteer.lookup(a) for a in names],
        )
print(json.dumps(out))
"""


def run(step: str, n: int) -> dict:
    environment = dict(os.environ, PYTHONPATH=str(PROJECT / "src"))
    done = subprocess.run(
        [sys.executable, "-c", STEP, step, str(n)],
        capture_output=True,
        text=True,
        env=environment,
        check=True,
        cwd=PROJECT,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100_000, help="points per step")
    args = parser.parse_args(argv)
    out = sys.stdout
    out.write(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; load average {os.getloadavg()[0]:.1f}\n"
    )
    out.write(f"{'step':<46} {'seconds':>8}\n")
    for step in ("load", "locate", "border", "lookup"):
        for name, value in run(step, args.n).items():
            if isinstance(value, dict):
                out.write(f"  {name}: {value}\n")
            else:
                out.write(f"{name:<46} {value:>8.2f}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
