"""What an import says while it works: the sentences the importer tells a
progress callback, the command line's lines on a terminal, and the upload
box's bar. Each expected sentence is written out by hand."""

from __future__ import annotations

import io

import pytest

from imu_geo import cli
from imu_geo.importers import import_file, write_import
from imu_geo.ui.upload import IMPORT_STEPS, progress_bar

from .source_rows import (
    UCDP_BATKEN,
    UCDP_COLUMNS,
    UCDP_TAVILDARA,
    native_row,
    table_bytes,
)
from .test_importers import NATIVE_COLUMNS


def _told(name: str, payload: bytes) -> list[str]:
    said: list[str] = []
    import_file(name, payload, progress=said.append)
    return said


def test_a_ucdp_import_says_each_step_with_its_rows():
    payload = table_bytes([UCDP_BATKEN, UCDP_TAVILDARA], UCDP_COLUMNS)
    assert _told("ged.csv", payload) == [
        "Reading ged.csv…",
        "Crosswalking 2 rows from UCDP GED…",
        "Placing 2 rows on the map…",
        "Looking for repeated rows and ids…",
        "Making 2 events…",
    ]


def test_one_row_of_the_projects_own_columns_is_one_row():
    payload = table_bytes([native_row()], NATIVE_COLUMNS)
    assert _told("ours.csv", payload)[1:3] == [
        "Crosswalking 1 row from this project's columns…",
        "Placing 1 row on the map…",
    ]


def test_the_events_made_leave_out_the_rejected_rows():
    # The same event twice: the second row is a duplicate, rejected.
    payload = table_bytes([UCDP_BATKEN, UCDP_BATKEN], UCDP_COLUMNS)
    said = _told("twice.csv", payload)
    assert said[1] == "Crosswalking 2 rows from UCDP GED…"
    assert said[-1] == "Making 1 event…"


def test_a_file_that_cannot_be_read_is_told_only_its_reading():
    said: list[str] = []
    with pytest.raises(Exception, match="not recognised"):
        import_file("odd.csv", b"a,b\n1,2\n", progress=said.append)
    assert said == ["Reading odd.csv…"]


def test_writing_an_import_says_each_file_and_the_store(tmp_path):
    result = import_file(
        "ged.csv", table_bytes([UCDP_BATKEN, UCDP_TAVILDARA], UCDP_COLUMNS)
    )
    said: list[str] = []
    write_import(result, tmp_path / "out", store=True, progress=said.append)
    assert said == [
        "Writing 2 events to events.csv…",
        "Writing the places, the regions and the report…",
        "Checking the events as a data folder is checked, and writing its store…",
    ]
    said.clear()
    write_import(result, tmp_path / "plain", progress=said.append)
    assert len(said) == 2  # no store, no step for it


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_command_line_tells_a_terminal_each_step_with_its_seconds():
    stream = _Terminal()
    say = cli._progress(stream)
    assert say is not None
    say("Reading ged.csv…")
    say("Placing 2 rows on the map…")
    lines = stream.getvalue().splitlines()
    steps = ["Reading ged.csv…", "Placing 2 rows on the map…"]
    for line, text in zip(lines, steps, strict=True):
        head, _, said = line.partition(" s  ")
        assert said == text
        assert head.startswith("imu-geo: ")
        assert float(head.removeprefix("imu-geo: ")) < 60


def test_the_command_line_tells_a_file_or_a_pipe_nothing(tmp_path, capsys):
    assert cli._progress(io.StringIO()) is None
    source = tmp_path / "ged.csv"
    source.write_bytes(table_bytes([UCDP_BATKEN], UCDP_COLUMNS))
    code = cli.main(["import", str(source), "-o", str(tmp_path / "out")])
    assert code == 0
    assert capsys.readouterr().err == ""


class _Bar:
    """What ``st.progress`` is told: (value, text) at each call."""

    def __init__(self) -> None:
        self.calls: list[tuple[float, str]] = []

    def progress(self, value: float, text: str) -> None:
        self.calls.append((value, text))


def test_the_upload_bar_counts_the_steps_and_quotes_the_name_inertly():
    bar = _Bar()
    say = progress_bar(bar)
    say("Reading *bold* [link](http://x).csv…")
    for _ in range(IMPORT_STEPS):
        say("Placing 2 rows on the map…")
    values = [value for value, _ in bar.calls]
    assert values == [0, 1 / 6, 2 / 6, 3 / 6, 4 / 6, 5 / 6, 1.0]
    # Markdown in a file's name is shown as typed, never formatted or linked.
    text = bar.calls[0][1]
    assert text.startswith(r"Reading \*bold\* \[link\]\(")
    assert "http://" not in text  # not a bare address a browser would link
