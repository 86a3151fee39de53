"""The docs say what the code's tables say: every crosswalk entry of the
importer in ``docs/import.md``, every vocabulary term, every era and every
rule of a row in ``data/README.md``, every link parameter and facet in the
README.

A new row in a table, or a new term, fails here until the docs name it.
"""

from __future__ import annotations

import csv
import re

import pytest

from imu_geo.facets import FACETS
from imu_geo.filters import LINK_PARAMETERS
from imu_geo.rules import RULES
from imu_geo.schema import EVENT_TYPES, EVENT_VOCABULARIES
from tests.conftest import PROJECT_DIR

TABLES = PROJECT_DIR / "src" / "imu_geo" / "importers" / "tables"
IMPORT_DOC = (PROJECT_DIR / "docs" / "import.md").read_text(encoding="utf-8")
DATA_DOC = (PROJECT_DIR / "data" / "README.md").read_text(encoding="utf-8")


def _rows(name: str) -> list[dict[str, str]]:
    with (TABLES / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _doc_lines(text: str) -> list[str]:
    return text.splitlines()


def _line_with(text: str, *parts: str) -> str | None:
    """The first line of ``text`` that holds every one of ``parts``."""
    for line in _doc_lines(text):
        if all(part in line for part in parts):
            return line
    return None


@pytest.mark.parametrize(
    "row", _rows("acled_types.csv"), ids=lambda r: f"{r['column']}={r['value']}"
)
def test_every_acled_type_is_in_the_import_doc_with_its_layer_and_type(row):
    assert _line_with(
        IMPORT_DOC, row["value"], f"{row['layer']} / `{row['event_type']}`"
    ), row


@pytest.mark.parametrize(
    "row", _rows("acled_old_types.csv"), ids=lambda r: r["old_event_type"]
)
def test_every_acled_type_of_before_2019_is_in_the_import_doc(row):
    # Alternatives are "a|b" in the table, "a or b" in the doc's row.
    new_type = row["event_type"].replace("|", " or ")
    assert _line_with(IMPORT_DOC, row["old_event_type"], f"| {new_type} / "), row


@pytest.mark.parametrize(
    "row", _rows("gtd_attack_types.csv"), ids=lambda r: r["attacktype1_txt"]
)
def test_every_gtd_attack_type_is_in_the_import_doc_with_its_type(row):
    assert _line_with(IMPORT_DOC, row["attacktype1_txt"], f"`{row['event_type']}`"), row


@pytest.mark.parametrize(
    ("fmt", "column"),
    sorted({(r["format"], r["column"]) for r in _rows("columns.csv")}),
)
def test_every_source_column_read_is_named_in_the_import_doc(fmt, column):
    assert f"`{column}`" in IMPORT_DOC, (fmt, column)


@pytest.mark.parametrize("name", sorted(p.name for p in TABLES.glob("*.csv")))
def test_the_import_doc_names_every_table_of_the_importer(name):
    assert name in IMPORT_DOC, name


@pytest.mark.parametrize(
    ("layer", "event_type"),
    [(layer, t) for layer, types in EVENT_TYPES.items() for t in types],
)
def test_every_event_type_is_defined_in_the_data_readme(layer, event_type):
    line = _line_with(DATA_DOC, f"| {layer} | `{event_type}` |")
    assert line, (layer, event_type)
    # The row gives a definition, not an empty cell.
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    assert len(cells) >= 3 and len(cells[2]) > 10, line


@pytest.mark.parametrize(
    ("column", "term"),
    [(c, t) for c, terms in EVENT_VOCABULARIES.items() for t in terms],
)
def test_every_vocabulary_term_is_in_the_data_readme(column, term):
    assert re.search(rf"`{re.escape(term)}`", DATA_DOC), (column, term)


PLACE_CODES = sorted(
    {
        (r["format"], r["column"])
        for r in _rows("codes.csv")
        if r["column"] in ("geo_precision", "where_prec", "specificity")
    }
)


@pytest.mark.parametrize(("fmt", "column"), PLACE_CODES)
def test_every_place_precision_code_is_in_the_import_doc_in_order(fmt, column):
    values = [r["value"] for r in _rows("codes.csv") if r["column"] == column]
    line = next(
        line for line in _doc_lines(IMPORT_DOC) if line.startswith(f"| `{column}` ")
    )
    shown = re.findall(r"`([^`]+)`", line.split("|")[2])
    assert shown == values, (fmt, line)


README = (PROJECT_DIR / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", [p.name for p in LINK_PARAMETERS])
def test_every_link_parameter_is_in_the_readme(name):
    # Named in backticks, or shown in the README's example link. (The
    # commands' options are checked in tests/test_cli_links.py.)
    assert f"`{name}`" in README or re.search(rf"[?&]{name}=", README), name


@pytest.mark.parametrize("facet", FACETS, ids=lambda facet: facet.name)
def test_every_facet_is_named_in_the_readmes_filters(facet):
    # The README's item on the filters names each facet by its sidebar label.
    item = README.split("- **Filters**:", 1)[1].split("\n- **", 1)[0]
    assert facet.label.lower() in item.lower(), facet.label


ERAS_TABLE = PROJECT_DIR / "src" / "imu_geo" / "tables" / "eras.csv"


def _eras() -> list[dict[str, str]]:
    with ERAS_TABLE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("era", _eras(), ids=lambda e: e["key"])
def test_every_era_is_listed_in_the_data_readme_with_its_dates(era):
    row = f"| {era['name']} | {era['start']} | {era['end']} |"
    assert row in _doc_lines(DATA_DOC), row


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.id)
def test_every_rule_is_in_the_data_doc_with_its_columns(rule):
    """data/README.md's table of the rules a row keeps has a line for each rule
    of imu_geo.rules, naming every column it checks or reads."""
    line = _line_with(DATA_DOC, f"| `{rule.id}` |")
    assert line, rule.id
    for column in (*rule.columns, *rule.reads):
        assert f"`{column}`" in line, (rule.id, column)
