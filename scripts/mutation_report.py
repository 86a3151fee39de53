"""Run mutation testing module by module and write the scores to docs/testing.md.

``make mutation`` runs this. For each module named (default: every pure module,
most important first) it runs ``mutmut run`` on that module's mutants only,
under ``nice``, and times it; then it reads mutmut's results (the ``.meta`` files
under ``mutants/``) and records, per module, the mutants killed, survived, timed
out and left without a test, with the commit and the date of the run, in
``docs/mutation-scores.json``. ``docs/testing.md`` is rendered from that file and
from ``docs/testing.in.md`` (the prose), so the page is regenerated, never edited.

    python scripts/mutation_report.py --run filters dates   # score two modules
    python scripts/mutation_report.py                       # re-render the page only
    python scripts/mutation_report.py --run --resume filters  # only what is alive
    python scripts/mutation_report.py --survivors filters   # list what survived
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
MUTANTS_DIR = PROJECT_DIR / "mutants"
SCORES = PROJECT_DIR / "docs" / "mutation-scores.json"
TEMPLATE = PROJECT_DIR / "docs" / "testing.in.md"
PAGE = PROJECT_DIR / "docs" / "testing.md"
TABLE_MARK = "<!-- mutation scores -->"
TARGET = 0.90

# Every module mutated, most important first (the order `make mutation` runs
# them in). Not here, and not mutated (pyproject.toml, [tool.mutmut]): ui and
# server (Streamlit), cli (starts Streamlit), engine/spark (needs a JVM). Nor
# here: schema and importers/__init__, which hold only tables, and layers/__init__,
# summaries/__init__, render/__init__, importers/places/__init__, store/__init__,
# timeline/__init__ and world/__init__, which only import (mutmut mutates the code
# inside functions, and they have none).
MODULES: tuple[str, ...] = (
    "filters",
    "facets",
    "dates",
    "datecolumns",
    "export",
    "text",
    "encoding",
    "summaries/units",
    "summaries/table",
    "summaries/maps",
    "summaries/legend",
    "summaries/text",
    "timeline/eras",
    "timeline/bars",
    "timeline/chart",
    "validate",
    "rules",
    "importers/acled",
    "importers/archives",
    "importers/columns",
    "importers/core",
    "importers/crosswalk",
    "importers/gtd",
    "importers/limits",
    "importers/native",
    "importers/places/gazetteer",
    "importers/places/borders",
    "importers/places/placing",
    "importers/reading/table",
    "importers/reading/checks",
    "importers/reading/text",
    "importers/reading/delimited",
    "importers/reading/jsonfile",
    "importers/reading/parquet",
    "importers/reading/workbook",
    "importers/reading/__init__",
    "importers/report",
    "importers/spreadsheet",
    "importers/ucdp",
    "importers/writing",
    "store/keys",
    "store/table",
    "store/stores",
    "store/writing",
    "store/folders",
    "engine/queries",
    "engine/source",
    "engine/__init__",
    "engine/base",
    "engine/duckdb",
    "engine/open",
    "density",
    "scrubber",
    "colours",
    "layers/common",
    "layers/view",
    "layers/basemap",
    "layers/events",
    "layers/units",
    "layers/legend",
    "layers/large",
    "world/files",
    "world/points",
    "world/borders",
    "world/placenames",
    "world/regions",
    "render/style",
    "render/words",
    "render/basemap",
    "render/figure",
    "render/legend",
    "render/events",
    "render/pictures",
    "animation",
    "views",
    "tour",
    "data",
    "index",
    "method",
    "content",
    "source_columns",
    "pointfiles",
    "logs",
    "synthetic",
    "synthetic_ged",
)

# mutmut's exit codes per mutant (mutmut/stats.py), grouped as the page counts them.
KILLED = {1, 3, 37}
SURVIVED = {0}
TIMEOUT = {36, 24, -24, 152, 255}
NO_TESTS = {5, 33}


@dataclass
class Score:
    """One module's result: counts of its mutants by outcome, and when."""

    module: str
    total: int
    killed: int
    survived: int
    timeout: int
    no_tests: int
    other: int
    commit: str
    date: str
    seconds: float | None = None
    unchecked: int = 0

    @property
    def caught(self) -> int:
        """Killed or timed out: either way a test run failed on the mutant."""
        return self.killed + self.timeout

    @property
    def checked(self) -> int:
        return self.total - self.unchecked

    @property
    def ratio(self) -> float:
        """Caught over checked (all of them, once the run is complete)."""
        return self.caught / self.checked if self.checked else 1.0


def percent(caught: int, checked: int) -> str:
    """``caught`` of ``checked`` as a percentage to one decimal, rounded down:
    a score just under the target never reads as the target (1,112 of 1,236
    is 89.9%, not 90.0%)."""
    if not checked:
        return "100.0%"
    tenths = 1000 * caught // checked
    return f"{tenths // 10}.{tenths % 10}%"


def source_path(module: str) -> Path:
    return Path("src") / "imu_geo" / f"{module}.py"


def dotted(module: str) -> str:
    """``importers.acled`` for ``importers/acled``; ``engine`` for its ``__init__``."""
    return module.removesuffix("/__init__").replace("/", ".")


def pattern(module: str) -> str:
    """The mutmut names of a module's mutants (all start with ``x``)."""
    return f"imu_geo.{dotted(module)}.x*"


def exit_codes(module: str) -> list[int | None]:
    meta = MUTANTS_DIR / (str(source_path(module)) + ".meta")
    if not meta.exists():
        return []
    return list(json.loads(meta.read_text())["exit_code_by_key"].values())


def git(*args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=PROJECT_DIR, capture_output=True, text=True, check=True
    ).stdout.strip()


def commit() -> str:
    """The commit the run tested, marked when the tree had changes of its own."""
    head = git("rev-parse", "--short=12", "HEAD")
    dirty = git("status", "--porcelain", "--untracked-files=no", "--", "src", "tests")
    return f"{head}+changes" if dirty else head


def score(
    module: str, seconds: float | None, codes: list[int | None] | None = None
) -> Score | None:
    """The module's counts from mutmut's results (``codes``, by default read from
    ``mutants/``); None before any mutant is checked. A run that was stopped
    gives a partial score, which the page marks as such."""
    codes = exit_codes(module) if codes is None else codes
    unchecked = sum(code is None for code in codes)
    if unchecked == len(codes):
        return None
    killed = sum(code in KILLED for code in codes)
    survived = sum(code in SURVIVED for code in codes)
    timeout = sum(code in TIMEOUT for code in codes)
    no_tests = sum(code in NO_TESTS for code in codes)
    return Score(
        module=module,
        total=len(codes),
        killed=killed,
        survived=survived,
        timeout=timeout,
        no_tests=no_tests,
        other=len(codes) - unchecked - killed - survived - timeout - no_tests,
        commit=commit(),
        date=datetime.now(UTC).strftime("%Y-%m-%d"),
        seconds=seconds,
        unchecked=unchecked,
    )


def load_scores() -> dict[str, Score]:
    if not SCORES.exists():
        return {}
    return {row["module"]: Score(**row) for row in json.loads(SCORES.read_text())}


def save_scores(scores: dict[str, Score]) -> None:
    rows = [asdict(scores[m]) for m in MODULES if m in scores]
    SCORES.write_text(json.dumps(rows, indent=1) + "\n")


def unkilled(module: str) -> list[str]:
    """The module's mutants not yet killed: unchecked, survived, timed out."""
    meta = MUTANTS_DIR / (str(source_path(module)) + ".meta")
    codes = json.loads(meta.read_text())["exit_code_by_key"] if meta.exists() else {}
    return [name for name, code in codes.items() if code not in KILLED]


def run_module(module: str, jobs: int, resume: bool = False) -> float:
    """Run mutmut on every mutant of ``module`` (with ``resume``, on those not
    killed yet), niced; return the wall time."""
    names = unkilled(module) if resume else [pattern(module)]
    if not names:
        return 0.0
    started = time.monotonic()
    completed = subprocess.run(
        [
            "nice",
            "-n",
            "19",
            str(Path(sys.executable).with_name("mutmut")),
            "run",
            "--max-children",
            str(jobs),
            *names,
        ],
        cwd=PROJECT_DIR,
        check=False,
        # tests/selection.py: mutmut's clean run takes only this module's tests.
        env=dict(os.environ, IMU_GEO_MUTATION_MODULE=f"imu_geo.{dotted(module)}"),
    )
    if completed.returncode != 0:
        sys.exit(f"mutmut failed on {module} (exit {completed.returncode})")
    return time.monotonic() - started


def duration(seconds: float | None) -> str:
    if seconds is None:
        return ""
    return f"{seconds / 60:.0f} min" if seconds >= 90 else f"{seconds:.0f} s"


def table(scores: dict[str, Score]) -> str:
    # A module no longer mutated (renamed, split) keeps no row and no count.
    scores = {m: s for m, s in scores.items() if m in MODULES}
    lines = [
        "| module | killed / total | score | survived | no test | timeouts "
        "| run time | commit | date |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for module in MODULES:
        s = scores.get(module)
        if s is None:
            continue
        flag = "" if s.ratio >= TARGET else " ✗"
        counted = f"{s.caught} / {s.total}"
        if s.unchecked:
            counted = f"{s.caught} / {s.checked} checked of {s.total} (partial)"
        lines.append(
            f"| `{module}` | {counted} | {percent(s.caught, s.checked)}{flag} "
            f"| {s.survived} | {s.no_tests} | {s.timeout} | {duration(s.seconds)} "
            f"| {s.commit} | {s.date} |"
        )
    waiting = [f"`{m}`" for m in MODULES if m not in scores]
    total = sum(s.checked for s in scores.values())
    caught = sum(s.caught for s in scores.values())
    lines += [
        "",
        f"Scored: {len(scores)} of {len(MODULES)} modules, {caught} of {total} "
        f"mutants checked caught ({percent(caught, total)}). "
        f"✗ marks a module under {TARGET:.0%}.",
    ]
    if waiting:
        lines += ["", "Not scored yet: " + ", ".join(waiting) + "."]
    return "\n".join(lines)


def page(scores: dict[str, Score], template: str) -> str:
    """docs/testing.md: the template with the table of scores in its place."""
    if TABLE_MARK not in template:
        raise ValueError(f"the template has no {TABLE_MARK} line")
    note = (
        "<!-- Generated by scripts/mutation_report.py from docs/testing.in.md and "
        "docs/mutation-scores.json: edit those, not this page. -->\n"
    )
    return note + template.replace(TABLE_MARK, table(scores))


def render(scores: dict[str, Score]) -> None:
    PAGE.write_text(page(scores, TEMPLATE.read_text()))


def survivors(module: str) -> None:
    meta = MUTANTS_DIR / (str(source_path(module)) + ".meta")
    codes = json.loads(meta.read_text())["exit_code_by_key"]
    for name, code in codes.items():
        if code in SURVIVED or code in NO_TESTS:
            sys.stdout.write(name + "\n")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", help="e.g. filters importers/acled")
    parser.add_argument("--run", action="store_true", help="run mutmut first")
    parser.add_argument(
        "--resume",
        action="store_true",
        help="with --run: only the mutants not killed yet (after a stop, or new tests)",
    )
    parser.add_argument("--survivors", action="store_true", help="list survivors")
    parser.add_argument(
        "--jobs", type=int, default=int(os.environ.get("MUTATION_JOBS", "2"))
    )
    arguments = parser.parse_args(argv)
    unknown = [m for m in arguments.modules if m not in MODULES]
    if unknown:
        parser.error(f"not a mutated module: {', '.join(unknown)}")
    if arguments.survivors:
        for module in arguments.modules:
            survivors(module)
        return
    scores = load_scores()
    for module in arguments.modules or (MODULES if arguments.run else ()):
        seconds = (
            run_module(module, arguments.jobs, arguments.resume)
            if arguments.run
            else None
        )
        result = score(module, seconds)
        if result is None:
            sys.stdout.write(f"{module}: no mutant has a result; not recorded\n")
            continue
        before = scores[module].seconds if module in scores else None
        if seconds is None or (arguments.resume and before is not None):
            result.seconds = (before or 0.0) + (seconds or 0.0) if before else seconds
        scores[module] = result
        save_scores(scores)
        sys.stdout.write(
            f"{module}: {result.caught}/{result.total} "
            f"({percent(result.caught, result.checked)})\n"
        )
    render(scores)


if __name__ == "__main__":
    main()
