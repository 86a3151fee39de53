"""What hypothesis' shrink and explain phases cost a killed mutant's test run.

Run it after ``make mutation`` has made ``mutants/``:

    .venv/bin/python benchmarks/mutation_phases.py \\
        imu_geo.filters.x_apply_filters__mutmut_40 tests/test_filters_properties.py

It runs the given tests in this process the way mutmut runs them for one mutant
(from ``mutants/``, with ``--pure-only``, stopping at the first failure; the
test modules imported again each time, which is counted), with
the mutant switched on, ``--reps`` times with every hypothesis phase and as many
times with only the phases that decide the verdict (``tests/selection.py``,
``VERDICT_PHASES``), alternating, after one run to warm the imports. It prints
the median and the slowest time of each, and the exit status of every run: the
two must agree (1: a test failed, the mutant is killed), else the run fails
(exit status 1). It is a measurement, not a test: the numbers depend on the
machine and its load.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import pytest
from hypothesis import Phase, settings

PROJECT_DIR = Path(__file__).resolve().parents[1]
MUTANTS_DIR = PROJECT_DIR / "mutants"


class _EveryPhase:
    """Loads, after ``--pure-only``'s profile, the same profile with every phase."""

    @pytest.hookimpl(trylast=True)
    def pytest_configure(self, config: pytest.Config) -> None:
        settings.register_profile(
            "pure-only-every-phase",
            parent=settings.get_profile("pure-only"),
            phases=tuple(Phase),
        )
        settings.load_profile("pure-only-every-phase")


def _run(tests: list[str], every_phase: bool) -> tuple[float, int]:
    # A test's @settings take the profile loaded when its module is imported:
    # import the test modules again under this run's profile.
    for module in [m for m in sys.modules if m.startswith("tests.test_")]:
        del sys.modules[module]
    arguments = ["--rootdir=.", "-x", "-q", "--tb=no", "-p", "no:cacheprovider"]
    arguments += ["--pure-only", *tests]
    started = time.perf_counter()
    status = pytest.main(arguments, plugins=[_EveryPhase()] if every_phase else [])
    return time.perf_counter() - started, int(status)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "mutant", help="e.g. imu_geo.filters.x_apply_filters__mutmut_40"
    )
    parser.add_argument("tests", nargs="+", help="test files or node ids")
    parser.add_argument("--reps", type=int, default=5)
    arguments = parser.parse_args(argv)
    if not (MUTANTS_DIR / "src").is_dir():
        sys.exit("no mutants/: run make mutation first")
    os.chdir(MUTANTS_DIR)
    sys.path[:0] = [str(MUTANTS_DIR / "src"), str(MUTANTS_DIR)]
    os.environ["MUTANT_UNDER_TEST"] = arguments.mutant
    _run(arguments.tests, every_phase=False)  # imports, once
    times: dict[bool, list[float]] = {True: [], False: []}
    statuses: dict[bool, set[int]] = {True: set(), False: set()}
    for _ in range(arguments.reps):
        for every_phase in (True, False):
            seconds, status = _run(arguments.tests, every_phase)
            times[every_phase].append(seconds)
            statuses[every_phase].add(status)
    for every_phase, label in ((True, "every phase"), (False, "verdict phases only")):
        runs = times[every_phase]
        sys.stdout.write(
            f"{label:>20}: median {statistics.median(runs):.2f} s, slowest "
            f"{max(runs):.2f} s, exit status {sorted(statuses[every_phase])}\n"
        )
    return 0 if statuses[True] == statuses[False] and len(statuses[True]) == 1 else 1


if __name__ == "__main__":
    sys.exit(main())
