"""``imu-geo import`` run as a user runs it, in a subprocess: the summary line on
standard output, then the notes and the reasons by kind with their counts; the
full report on request; ``row-problems.csv``; exit codes 0, 1 and 2."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import zipfile

from imu_geo.importers import import_file
from imu_geo.importers.writing import command_lines
from tests.conftest import PROJECT_DIR

HEADER = (
    "event_id_cnty,event_date,time_precision,latitude,longitude,geo_precision,"
    "location,country,actor1,notes"
)
ANDIJAN = "UZB12,2009-05-26,1,40.7834,72.3507,1,Andijan,Uzbekistan,IMU,A bomb."
TASHKENT = "UZB13,2009-05-27,1,,,1,Tashkent,Uzbekistan,IMU,A raid."
SUMMARY_FILES = (
    "wrote events.csv, places.geojson, regions.geojson, row-problems.csv, "
    "column_map.csv"
)
# Each of HEADER's ten columns is in the ACLED rows of tables/columns.csv.
COLUMNS_LINE = (
    "10 columns: 10 crosswalked, 0 kept verbatim (column_map.csv says where each went)"
)
NO_TYPE = "has no event_type column; every event is read as context/statement"
BY_REASON = (
    "repairs and rejections by reason (a row may have several), most frequent first:"
)


def imu_geo(*arguments: str) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(PROJECT_DIR / "src"), *filter(None, [env.get("PYTHONPATH")])]
    )
    return subprocess.run(
        [sys.executable, "-m", "imu_geo.cli", *arguments],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )


def test_every_row_kept_exits_0_with_the_summary_and_the_repairs(tmp_path):
    source = tmp_path / "acled.csv"
    source.write_text(f"{HEADER}\n{ANDIJAN}\n{TASHKENT}\n", encoding="utf-8")
    done = imu_geo("import", str(source), "-o", str(tmp_path / "out"))
    assert done.returncode == 0
    assert done.stderr == ""
    assert done.stdout.splitlines() == [
        f"acled: 2 rows — 1 accepted, 1 repaired, 0 rejected; {SUMMARY_FILES}",
        f"note: acled.csv: {NO_TYPE}",
        COLUMNS_LINE,
        BY_REASON,
        "        1  repaired  latitude, longitude: no coordinates; placed from the "
        "gazetteer: Tashkent (first: row 3)",
        "row-problems.csv has every repaired and rejected row",
    ]
    # The folder's own store (.store) goes with the files: the dashboard opens
    # the folder without reading its events again.
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        ".store",
        "column_map.csv",
        "events.csv",
        "places.geojson",
        "regions.geojson",
        "row-problems.csv",
    ]


def _rejections_file(tmp_path):
    rows = [
        ANDIJAN.replace("A bomb.", "Attaque à Andijan."),
        "UZB20,39959,1,40.78,72.35,1,Andijan,Uzbekistan,IMU,x",
        "UZB21,40000,1,40.78,72.35,1,Andijan,Uzbekistan,IMU,x",
        "UZB22,2009-13-01,1,40.78,72.35,1,Andijan,Uzbekistan,IMU,x",
        "UZB23,41000,1,40.78,72.35,1,Andijan,Uzbekistan,IMU,x",
        TASHKENT,
    ]
    source = tmp_path / "latin.csv"
    source.write_bytes(("\n".join([HEADER, *rows]) + "\n").encode("cp1252"))
    return source


def test_rejections_exit_1_with_notes_and_reasons_grouped_by_kind(tmp_path):
    source = _rejections_file(tmp_path)
    done = imu_geo("import", str(source), "-o", str(tmp_path / "out"))
    assert done.returncode == 1
    assert done.stderr == ""
    assert done.stdout.splitlines() == [
        f"acled: 6 rows — 1 accepted, 1 repaired, 4 rejected; {SUMMARY_FILES}",
        "note: latin.csv: is not UTF-8; it was read as Windows-1252 (Western "
        "European) text",
        f"note: latin.csv: {NO_TYPE}",
        COLUMNS_LINE,
        BY_REASON,
        "        3  rejected  event_date: '…' looks like a spreadsheet's day number, "
        "not a date: save the column with its dates as text (first: row 3)",
        "        1  rejected  event_date: '…' is not a date: there is no month … "
        "(first: row 5)",
        "        1  repaired  latitude, longitude: no coordinates; placed from the "
        "gazetteer: Tashkent (first: row 7)",
        "row-problems.csv has every repaired and rejected row",
    ]
    with (tmp_path / "out" / "row-problems.csv").open(encoding="utf-8") as handle:
        problems = list(csv.DictReader(handle))
    assert [(r["row"], r["action"], r["column"]) for r in problems] == [
        ("3", "rejected", "event_date"),
        ("4", "rejected", "event_date"),
        ("5", "rejected", "event_date"),
        ("6", "rejected", "event_date"),
        ("7", "repaired", "latitude, longitude"),
    ]


def test_the_report_file_holds_every_reason_and_every_row(tmp_path):
    source = _rejections_file(tmp_path)
    report = tmp_path / "report.txt"
    done = imu_geo(
        "import", str(source), "-o", str(tmp_path / "out"), "--report", str(report)
    )
    assert done.returncode == 1
    lines = report.read_text(encoding="utf-8").splitlines()
    assert lines[: len(done.stdout.splitlines())] == done.stdout.splitlines()
    assert lines[len(done.stdout.splitlines()) :] == [
        "",
        "every column of the file, and where it went:",
        "event_id_cnty: crosswalked to source_id, event_id",
        "event_date: crosswalked to date_start, date_end",
        "time_precision: crosswalked to date_precision, date_origin, notes",
        "latitude: crosswalked to place point",
        "longitude: crosswalked to place point",
        "geo_precision: crosswalked to geo_precision, notes",
        "location: crosswalked to place name, title, description",
        "country: crosswalked to place country",
        "actor1: crosswalked to actors",
        "notes: crosswalked to source_quote",
        "",
        "every repair and rejection, by row:",
        "row 3  rejected  event_date: '39959' looks like a spreadsheet's day number, "
        "not a date: save the column with its dates as text",
        "row 4  rejected  event_date: '40000' looks like a spreadsheet's day number, "
        "not a date: save the column with its dates as text",
        "row 5  rejected  event_date: '2009-13-01' is not a date: there is no month 13",
        "row 6  rejected  event_date: '41000' looks like a spreadsheet's day number, "
        "not a date: save the column with its dates as text",
        "row 7  repaired  latitude, longitude: no coordinates; placed from the "
        "gazetteer: Tashkent",
    ]


def test_more_kinds_than_shown_are_counted_and_left_to_the_report(tmp_path):
    source = _rejections_file(tmp_path)
    result = import_file(source.name, source.read_bytes())
    assert command_lines(result, ["events.csv"], shown=1)[4:] == [
        BY_REASON,
        "        3  rejected  event_date: '…' looks like a spreadsheet's day number, "
        "not a date: save the column with its dates as text (first: row 3)",
        "2 more kinds of reason (2 repairs and rejections); --report FILE writes "
        "them all",
        "row-problems.csv has every repaired and rejected row",
    ]


def test_a_file_that_cannot_be_read_is_one_line_on_stderr_and_exit_2(tmp_path):
    done = imu_geo("import", str(tmp_path / "none.csv"), "-o", str(tmp_path))
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == "none.csv: cannot be read (No such file or directory)\n"
    wide = tmp_path / "wide.csv"
    wide.write_text(",".join(f"c{i}" for i in range(200_000)) + "\n", encoding="ascii")
    done = imu_geo("import", str(wide), "-o", str(tmp_path / "out"))
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == "wide.csv: has 200,000 columns; the limit is 1,000 columns\n"


def test_max_size_raises_or_lowers_the_cap_on_the_unpacked_data(tmp_path):
    source = tmp_path / "acled.csv"
    source.write_text(f"{HEADER}\n{ANDIJAN}\n" + f"{TASHKENT}\n" * 1, encoding="utf-8")
    # By hand: the header is 103 bytes, Andijan's row 68, Tashkent's 55.
    assert source.stat().st_size == 226
    done = imu_geo(
        "import", str(source), "-o", str(tmp_path / "a"), "--max-size", "200B"
    )
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == "acled.csv: is 226 bytes; the limit is 200 bytes\n"
    done = imu_geo(
        "import", str(source), "-o", str(tmp_path / "b"), "--max-size", "1KB"
    )
    assert done.returncode == 0
    packed = tmp_path / "acled.zip"
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("acled.csv", source.read_bytes() + b"\n" * 300)
    done = imu_geo(
        "import", str(packed), "-o", str(tmp_path / "c"), "--max-size", "500B"
    )
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        "acled.zip: unpacks to more than 500 bytes; that is the limit, and it applies "
        "to the unpacked data\n"
    )
    done = imu_geo(
        "import", str(source), "-o", str(tmp_path / "d"), "--max-size", "600"
    )
    assert done.returncode == 2
    assert done.stderr.splitlines()[-1] == (
        "imu-geo import: error: argument --max-size: '600' is not a size; write a "
        "number and a unit, e.g. 600MB or 1.5GB"
    )


def test_a_zip_download_imports_with_a_note(tmp_path):
    packed = tmp_path / "download.zip"
    content = f"{HEADER}\n{ANDIJAN}\n".encode()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("export/acled.csv", content)
    done = imu_geo("import", str(packed), "-o", str(tmp_path / "out"))
    assert done.returncode == 0
    assert done.stdout.splitlines() == [
        f"acled: 1 row — 1 accepted, 0 repaired, 0 rejected; {SUMMARY_FILES}",
        f"note: download.zip: read acled.csv from the archive ({len(content)} bytes)",
        f"note: acled.csv: {NO_TYPE}",
        COLUMNS_LINE,
    ]


def test_an_output_that_cannot_be_written_is_exit_2(tmp_path):
    source = tmp_path / "acled.csv"
    source.write_text(f"{HEADER}\n{ANDIJAN}\n", encoding="utf-8")
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    done = imu_geo("import", str(source), "-o", str(blocker / "out"))
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.startswith("imu-geo: cannot write: ")


# UCDP GED documents no order for dates written in figures, so the column decides,
# and a column where every date reads both ways is refused.
UCDP_HEADER = "id,date_start,date_end,latitude,longitude,where_prec,country,side_a,best"
UCDP_AMBIGUOUS = (
    "30,03/04/2009,03/04/2009,40.7834,72.3507,1,Uzbekistan,IMU,1",
    "31,05/06/2009,05/06/2009,40.7834,72.3507,1,Uzbekistan,IMU,2",
)


def _dates(folder):
    with (folder / "events.csv").open(encoding="utf-8") as handle:
        return [r["date_start"] for r in csv.DictReader(handle)]


def test_an_ambiguous_date_column_is_refused_until_the_order_is_given(tmp_path):
    source = tmp_path / "ged.csv"
    source.write_text(
        "\n".join([UCDP_HEADER, *UCDP_AMBIGUOUS]) + "\n", encoding="utf-8"
    )
    done = imu_geo("import", str(source), "-o", str(tmp_path / "a"))
    assert (done.returncode, done.stdout) == (2, "")
    assert "reads both as D/M/YYYY and as M/D/YYYY" in done.stderr
    assert "--date-order dmy|mdy" in done.stderr
    for order, expected in (
        ("dmy", ["2009-04-03", "2009-06-05"]),
        ("mdy", ["2009-03-04", "2009-05-06"]),
    ):
        out = tmp_path / order
        done = imu_geo("import", str(source), "-o", str(out), "--date-order", order)
        assert done.returncode == 0, done.stderr
        assert _dates(out) == expected


def test_the_order_given_wins_over_the_layouts_own(tmp_path):
    # ACLED documents day first; --date-order mdy reads month first all the same.
    row = "UZB30,03/04/2009,1,40.7834,72.3507,1,Andijan,Uzbekistan,IMU,x"
    source = tmp_path / "acled.csv"
    source.write_text(f"{HEADER}\n{row}\n", encoding="utf-8")
    assert imu_geo("import", str(source), "-o", str(tmp_path / "a")).returncode == 0
    assert _dates(tmp_path / "a") == ["2009-04-03"]
    done = imu_geo(
        "import", str(source), "-o", str(tmp_path / "b"), "--date-order", "mdy"
    )
    assert done.returncode == 0, done.stderr
    assert _dates(tmp_path / "b") == ["2009-03-04"]
