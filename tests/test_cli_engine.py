"""``imu-geo export`` and ``summary`` on the engine: the same bytes as the pandas
path, whatever the batch size, and a store that is reused without reading
``events.csv`` again.

The oracle is the in-memory path the commands took before the engine: the
folder loaded with :func:`load_dataset`, the events selected with
:func:`apply_filters` and written with the byte functions of
:mod:`imu_geo.export`, or summarised with :func:`summarise`.
"""

from __future__ import annotations

import io
import json
import os
import shutil
from pathlib import Path

import pytest

from imu_geo.cli import main
from imu_geo.data import BUNDLED_DATA_DIR, load_dataset
from imu_geo.engine.open import open_source
from imu_geo.export import (
    table_csv_bytes,
    to_csv_bytes,
    to_geojson_bytes,
    write_selection,
)
from imu_geo.filters import (
    apply_filters,
    facet_choices,
    full_span,
    selected_positions,
    spec_from_query,
)
from imu_geo.importers import import_file, write_import
from imu_geo.store import STORE_ENV_VAR, folder_store_key
from imu_geo.store import folders as store_folders
from imu_geo.summaries import format_text_table, summarise

LAYOUTS = Path(__file__).resolve().parent / "fixtures" / "layouts"
ATLAS = load_dataset(BUNDLED_DATA_DIR)
DATA_FILES = ("events.csv", "places.geojson", "regions.geojson")

# Command-line filters as (flag, URL parameter, value); each row one case.
FLAGS = {
    "--start": "start",
    "--end": "end",
    "--layers": "layers",
    "--mode": "mode",
    "--types": "types",
    "--source-types": "source_types",
    "--query": "q",
}
FILTERS = {
    "everything": [],
    "window, two layers": [
        "--start",
        "1999-01-01",
        "--end",
        "2004-12-31",
        "--layers",
        "attack,base",
    ],
    "cumulative": ["--mode", "cumulative", "--end", "2001-06-30"],
    "context only": ["--layers", "context"],
    "search, any case": ["--query", "TASHKENT"],
    "search, nothing found": ["--query", "no event says this"],
    "types, one unknown": ["--types", "bombing,raid"],
    "a date that is not one": ["--start", "someday"],
    "no layer": ["--layers", ""],
}
# Events each filter selects in the atlas, counted by hand from data/events.csv
# (49 events: 14 attacks, 8 bases, 27 context) so the oracle itself is checked.
SELECTED = {
    "everything": 49,
    "window, two layers": 16,
    "no layer": 0,
    "search, nothing found": 0,
    "types, one unknown": 2,
}


def oracle_spec(dataset, args):
    pairs = zip(args[::2], args[1::2], strict=True)
    params = {FLAGS[flag]: value for flag, value in pairs}
    events = dataset.events
    spec, _ = spec_from_query(params, full_span(events), facet_choices(events))
    return spec


def run(args, capsysbinary) -> tuple[int, bytes, str]:
    code = main(args)
    captured = capsysbinary.readouterr()
    return code, captured.out, captured.err.decode("utf-8")


@pytest.mark.parametrize("name", list(FILTERS))
@pytest.mark.parametrize("fmt", ["csv", "geojson"])
def test_atlas_export_is_the_pandas_export(name, fmt, capsysbinary):
    args = FILTERS[name]
    selected = apply_filters(ATLAS.events, oracle_spec(ATLAS, args))
    expected = to_csv_bytes(selected) if fmt == "csv" else to_geojson_bytes(selected)
    code, out, _ = run(["export", *args, "--format", fmt], capsysbinary)
    assert code == 0
    assert out == expected
    if name in SELECTED:
        assert len(selected) == SELECTED[name]


@pytest.mark.parametrize("name", list(FILTERS))
def test_atlas_export_to_a_file_says_how_many(name, tmp_path, capsysbinary):
    args = FILTERS[name]
    selected = apply_filters(ATLAS.events, oracle_spec(ATLAS, args))
    out = tmp_path / "events.csv"
    code, _, err = run(["export", *args, "-o", str(out)], capsysbinary)
    assert code == 0
    assert out.read_bytes() == to_csv_bytes(selected)
    assert err.splitlines()[-1] == f"{len(selected)} events written to {out}"


@pytest.mark.parametrize("name", list(FILTERS))
@pytest.mark.parametrize("level", ["country", "admin1", "valley"])
@pytest.mark.parametrize("fmt", ["table", "csv"])
def test_atlas_summary_is_the_pandas_summary(name, level, fmt, capsysbinary):
    args = FILTERS[name]
    selected = apply_filters(ATLAS.events, oracle_spec(ATLAS, args))
    table = summarise(selected, ATLAS.places, ATLAS.regions, level)
    expected = (
        table_csv_bytes(table)
        if fmt == "csv"
        else (format_text_table(table, level) + "\n").encode("utf-8")
    )
    command = ["summary", "--by", level, *args, "--format", fmt]
    code, out, _ = run(command, capsysbinary)
    assert code == 0
    assert out == expected


def test_warnings_are_those_of_the_pandas_path(capsysbinary):
    code, _, err = run(["export", "--types", "bombing,raid"], capsysbinary)
    assert code == 0
    assert err == "imu-geo: Unknown types in the link: raid; ignored.\n"


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> Path:
    """A GTD file imported with its kept columns: nine events (more than a
    batch of seven), source event columns, no valley among its regions."""
    folder = tmp_path_factory.mktemp("gtd") / "data"
    result = import_file("gtd.csv", (LAYOUTS / "gtd_full.csv").read_bytes(), "auto")
    write_import(result, folder)
    return folder


@pytest.mark.parametrize("batch_rows", [1, 7, 100_000])
@pytest.mark.parametrize(
    ("fmt", "kept"), [("csv", False), ("csv", True), ("geojson", False)]
)
def test_batch_size_does_not_change_a_byte(imported, batch_rows, fmt, kept):
    dataset = load_dataset(imported)
    spec = full_span(dataset.events)
    positions = selected_positions(dataset.events, spec)
    selected = dataset.events.iloc[positions].reset_index(drop=True)
    if fmt == "geojson":
        expected = to_geojson_bytes(selected)
    else:
        columns = dataset.source_columns.iloc[positions] if kept else None
        expected = to_csv_bytes(selected, columns)
    assert len(selected) > 7  # more than one batch of 7
    out = io.BytesIO()
    written = write_selection(
        out, open_source(imported), spec, fmt, kept, batch_rows=batch_rows
    )
    assert written == len(selected)
    assert out.getvalue() == expected


@pytest.mark.parametrize("batch_rows", [1, 7, 100_000])
@pytest.mark.parametrize("fmt", ["csv", "geojson"])
def test_batch_size_does_not_change_the_atlas_export(batch_rows, fmt):
    spec = oracle_spec(ATLAS, FILTERS["cumulative"])
    selected = apply_filters(ATLAS.events, spec)
    expected = to_csv_bytes(selected) if fmt == "csv" else to_geojson_bytes(selected)
    out = io.BytesIO()
    written = write_selection(out, open_source(None), spec, fmt, batch_rows=batch_rows)
    assert (written, out.getvalue()) == (len(selected), expected)


@pytest.mark.parametrize("level", ["country", "admin1", "valley"])
def test_imported_summary_is_the_pandas_summary(imported, level, capsysbinary):
    # The file's places lie in its own regions, so the world adds none.
    dataset = load_dataset(imported)
    table = summarise(dataset.events, dataset.places, dataset.regions, level)
    command = ["summary", "--data", str(imported), "--by", level, "--format", "csv"]
    code, out, _ = run(command, capsysbinary)
    assert code == 0
    assert out == table_csv_bytes(table)
    assert table["events"].sum() == len(dataset.events)


def test_imported_export_with_kept_columns(imported, capsysbinary):
    dataset = load_dataset(imported)
    spec = full_span(dataset.events)
    positions = selected_positions(dataset.events, spec)
    expected = to_csv_bytes(
        dataset.events.iloc[positions].reset_index(drop=True),
        dataset.source_columns.iloc[positions],
    )
    command = ["export", "--data", str(imported), "--source-columns"]
    code, out, _ = run(command, capsysbinary)
    assert (code, out) == (0, expected)
    assert b",source:" in out.split(b"\r\n")[0]


# --- the store is written once and reused ---------------------------------------


@pytest.fixture
def folder(tmp_path) -> Path:
    """A copy of the atlas's files in a folder of its own."""
    target = tmp_path / "atlas-copy"
    target.mkdir()
    for name in DATA_FILES:
        shutil.copy2(BUNDLED_DATA_DIR / name, target / name)
    return target


def _spoil_keeping_the_stamp(path: Path) -> None:
    """Overwrite a file with bytes no reader accepts, keeping its size and
    modification time: only a reader of the file can tell."""
    stamp = path.stat()
    path.write_bytes(b"\0" * stamp.st_size)
    os.utime(path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))


def test_a_second_open_reads_no_events_csv(folder, tmp_path, monkeypatch):
    root = tmp_path / "store"
    first = open_source(folder, root)
    spec = full_span(ATLAS.events)
    expected = to_csv_bytes(apply_filters(ATLAS.events, spec))
    counts = first.layer_counts(spec)
    assert counts == {"attack": 14, "base": 8, "context": 27}

    def refuse(*_args, **_kwargs):
        raise AssertionError("the folder was loaded again")

    monkeypatch.setattr(store_folders, "load_dataset", refuse)
    _spoil_keeping_the_stamp(folder / "events.csv")
    again = open_source(folder, root)
    assert again.store.path == first.store.path
    assert again.layer_counts(spec) == counts
    out = io.BytesIO()
    write_selection(out, again, spec, "csv", batch_rows=7)
    assert out.getvalue() == expected


def test_the_store_is_written_under_the_root_given(folder, tmp_path):
    root = tmp_path / "elsewhere"
    source = open_source(folder, root)
    # A store is a folder named by its key, directly under the root.
    assert source.store.path == root / source.store.key
    assert source.store.path.is_dir()


def test_the_command_reuses_the_store_after_a_restart(folder, tmp_path, capsysbinary):
    assert run(["export", "--data", str(folder)], capsysbinary)[0] == 0
    stores = {p.name for p in Path(os.environ[STORE_ENV_VAR]).iterdir()}
    _spoil_keeping_the_stamp(folder / "events.csv")
    code, out, err = run(["export", "--data", str(folder)], capsysbinary)
    assert (code, err) == (0, "")
    assert out == to_csv_bytes(apply_filters(ATLAS.events, full_span(ATLAS.events)))
    assert {p.name for p in Path(os.environ[STORE_ENV_VAR]).iterdir()} == stores


def test_changed_content_gets_a_new_store(folder, tmp_path):
    root = tmp_path / "store"
    before = open_source(folder, root)
    events = folder / "events.csv"
    lines = events.read_text(encoding="utf-8").splitlines(keepends=True)
    events.write_text("".join(lines[:-1]), encoding="utf-8")  # one event fewer
    after = open_source(folder, root)
    assert after.store.key != before.store.key
    assert (len(before), len(after)) == (49, 48)
    assert folder_store_key(folder, root) == after.store.key


def test_the_atlas_key_is_its_files_and_a_folder_key_adds_the_world(folder, tmp_path):
    root = tmp_path / "store"
    atlas = open_source(BUNDLED_DATA_DIR, root).store
    copy = open_source(folder, root).store
    # Same events, but the copy is keyed with the world files as well.
    assert atlas.key != copy.key
    assert atlas.n_events == copy.n_events == 49
    meta = json.loads((copy.path / "meta.json").read_text(encoding="utf-8"))
    assert meta["event_columns"] == []


def test_progress_is_told_only_when_the_store_is_written(folder, tmp_path):
    root = tmp_path / "store"
    said: list[str] = []
    open_source(folder, root, progress=said.append)
    assert said == [
        "Reading and checking atlas-copy…",
        "Writing 49 events to the store…",
    ]
    said.clear()
    open_source(folder, root, progress=said.append)
    assert said == []


# --- settings -----------------------------------------------------------------


def test_an_unknown_engine_is_one_line_and_exit_2(monkeypatch, capsysbinary):
    monkeypatch.setenv("IMU_GEO_ENGINE", "oracle")
    code, out, err = run(["summary"], capsysbinary)
    assert (code, out) == (2, b"")
    assert err == (
        "imu-geo: the engine cannot run: IMU_GEO_ENGINE='oracle' is not an engine: "
        "use duckdb or spark\n"
    )


def test_help_names_the_engine_setting(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "IMU_GEO_ENGINE" in out
    assert "duckdb (default, in-process)" in out


class _Recording:
    """A stand-in for an EventSource that counts the batches handed out, and an
    output that checks each write came before the next batch was asked for."""

    def __init__(self, batches):
        self.handed = 0
        self._batches = batches
        self.columns = tuple(ATLAS.events.columns)
        self.kept_columns = ()

    def batches(self, spec, columns, batch_rows=None):
        for batch in self._batches:
            self.handed += 1
            yield batch


@pytest.mark.parametrize("fmt", ["csv", "geojson"])
def test_each_batch_is_written_before_the_next_is_read(fmt):
    events = apply_filters(ATLAS.events, full_span(ATLAS.events))
    source = _Recording([events.iloc[i : i + 10] for i in range(0, len(events), 10)])
    handed_at_write: list[int] = []

    class Out(io.BytesIO):
        def write(self, data):
            handed_at_write.append(source.handed)
            return super().write(data)

    out = Out()
    assert write_selection(out, source, full_span(ATLAS.events), fmt) == 49
    # The head, then one write per batch of ten while only that batch is out
    # (and the GeoJSON's closing brackets).
    ends = [5] if fmt == "geojson" else []
    assert handed_at_write == [0, 1, 2, 3, 4, 5, *ends]
    expected = to_csv_bytes(events) if fmt == "csv" else to_geojson_bytes(events)
    assert out.getvalue() == expected


# --- imu-geo run ----------------------------------------------------------------


def test_run_writes_the_store_once_then_starts_without_reading(
    folder, monkeypatch, capsysbinary
):
    started: list[dict] = []
    monkeypatch.setattr(
        "imu_geo.cli.subprocess.call",
        lambda command, cwd, env: started.append(env) or 0,
    )
    assert main(["run", "--data", str(folder)]) == 0
    _spoil_keeping_the_stamp(folder / "events.csv")
    assert main(["run", "--data", str(folder)]) == 0
    assert [env["IMU_GEO_DATA"] for env in started] == [str(folder.resolve())] * 2
    assert capsysbinary.readouterr().err == b""


def test_run_on_a_broken_folder_lists_its_problems(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr("imu_geo.cli.subprocess.call", lambda *a, **k: 0 / 0)
    broken = tmp_path / "broken"
    broken.mkdir()
    assert main(["run", "--data", str(broken)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("regions.geojson: ")
    assert err[-1].startswith("imu-geo: ")
