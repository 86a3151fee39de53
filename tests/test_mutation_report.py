"""docs/testing.md is rendered from its sources, and the scores are counted right.

The scores come from ``scripts/mutation_report.py``; the page must be exactly what
it renders from ``docs/testing.in.md`` and ``docs/mutation-scores.json`` (nobody
edits the numbers by hand), and the counts must follow mutmut's exit codes as
docs/testing.md says: killed and timed out are caught, the rest are not.
"""

from __future__ import annotations

import importlib.util
import json
import sys

import pytest

from tests.conftest import PROJECT_DIR

SPEC = importlib.util.spec_from_file_location(
    "mutation_report", PROJECT_DIR / "scripts" / "mutation_report.py"
)
report = importlib.util.module_from_spec(SPEC)
sys.modules.setdefault(SPEC.name, report)  # dataclasses look their module up
SPEC.loader.exec_module(report)


def test_the_page_is_what_the_script_renders():
    template = (PROJECT_DIR / "docs" / "testing.in.md").read_text()
    rows = json.loads((PROJECT_DIR / "docs" / "mutation-scores.json").read_text())
    scores = {row["module"]: report.Score(**row) for row in rows}
    page = (PROJECT_DIR / "docs" / "testing.md").read_text()
    assert page == report.page(scores, template), (
        "docs/testing.md is out of date: run `make mutation-report`"
    )


@pytest.mark.parametrize(
    ("module", "pattern"),
    [
        ("filters", "imu_geo.filters.x*"),
        ("importers/acled", "imu_geo.importers.acled.x*"),
        ("engine/__init__", "imu_geo.engine.x*"),
        ("engine/queries", "imu_geo.engine.queries.x*"),
    ],
)
def test_a_module_is_run_by_the_names_of_its_mutants(module, pattern):
    assert report.pattern(module) == pattern


@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        # mutmut's codes: 1 and 3 killed, 37 caught by a type check, 0 survived,
        # 33 and 5 no test, 36 and 24/-24/152/255 timed out, -11 segfault.
        ([1, 1, 0, 36, 33], (5, 2, 1, 1, 1, 0, 0.6)),
        ([1, 3, 37, 24, 5, -11], (6, 3, 0, 1, 1, 1, 4 / 6)),
        ([1] * 9 + [0], (10, 9, 1, 0, 0, 0, 0.9)),
    ],
)
def test_scores_count_killed_and_timed_out_as_caught(codes, expected):
    result = report.score("filters", 12.0, codes)
    got = (
        result.total,
        result.killed,
        result.survived,
        result.timeout,
        result.no_tests,
        result.other,
        result.ratio,
    )
    assert got == pytest.approx(expected)


@pytest.mark.parametrize("codes", [[], [None, None]])
def test_a_module_with_no_checked_mutant_has_no_score(codes):
    assert report.score("filters", None, codes) is None


def test_a_stopped_run_scores_what_it_checked_and_says_so():
    result = report.score("filters", None, [1, 1, 1, 0, None, None])
    assert (result.total, result.checked, result.unchecked) == (6, 4, 2)
    assert result.ratio == pytest.approx(0.75)
    assert "| `filters` | 3 / 4 checked of 6 (partial) | 75.0% ✗ |" in report.table(
        {"filters": result}
    )


@pytest.mark.parametrize(
    ("caught", "checked", "shown"),
    [
        (1112, 1236, "89.9%"),  # 89.97: rounded, it would read as the target
        (9, 10, "90.0%"),
        (2, 3, "66.6%"),
        (1, 1000, "0.1%"),
        (0, 7, "0.0%"),
        (7, 7, "100.0%"),
        (0, 0, "100.0%"),  # nothing checked: nothing missed
    ],
)
def test_a_score_is_shown_rounded_down_to_a_tenth(caught, checked, shown):
    assert report.percent(caught, checked) == shown
