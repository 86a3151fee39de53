"""``benchmarks/import_floor.py``: both of its jobs run on a small file written
here, each counting every row, and its table has one line per job."""

from __future__ import annotations

import importlib.util

import pyarrow.parquet as pq

from tests.conftest import PROJECT_DIR

_SPEC = importlib.util.spec_from_file_location(
    "import_floor", PROJECT_DIR / "benchmarks" / "import_floor.py"
)
import_floor = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(import_floor)


def _file(tmp_path):
    path = tmp_path / "events.csv"
    # Dates out of order, a quoted comma, an empty cell and a leading zero
    # that must stay text.
    path.write_text(
        'id,date_start,notes\n3,2001-03-01,"a, b"\n1,1999-01-01,\n2,2000-02-01,007\n',
        encoding="utf-8",
    )
    return path


def test_the_read_job_counts_every_row_and_reports_its_costs(tmp_path):
    got = import_floor.run(import_floor.READ, str(_file(tmp_path)))
    assert got["rows"] == 3
    assert got["wall_s"] > 0 and got["cpu_s"] > 0 and got["peak_mb"] > 10


def test_the_sort_job_writes_every_row_as_text_in_date_order(tmp_path):
    out = tmp_path / "sorted.parquet"
    got = import_floor.run(
        import_floor.SORT_AND_WRITE,
        str(_file(tmp_path)),
        "date_start",
        str(out),
        "1",
        "200MB",
    )
    assert got["rows"] == 3
    table = pq.read_table(out).to_pydict()
    assert table == {
        "id": ["1", "2", "3"],
        "date_start": ["1999-01-01", "2000-02-01", "2001-03-01"],
        "notes": [None, "007", "a, b"],
    }


def test_the_table_has_a_line_per_job(tmp_path, capsys):
    assert import_floor.main([str(_file(tmp_path)), "--threads", "1"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "events.csv: 0 MB"
    assert lines[1] == "| job | rows | wall (s) | CPU (s) | peak resident (MB) |"
    assert [line.split(" | ")[:2] for line in lines[3:]] == [
        ["| read", "3"],
        ["| read, sort, write", "3"],
    ]
