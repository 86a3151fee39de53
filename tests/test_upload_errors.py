"""Every exception on the upload path becomes one line: the file's own problems as they
are, anything else with a reference that the server's JSON log line shares."""

from __future__ import annotations

import io
import re

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from imu_geo.importers import ImportFailure, InternalImportError, import_file
from imu_geo.importers import core as importer_core
from imu_geo.ui import upload as upload_ui

ACLED_ONE = (
    b"event_id_cnty,event_date,time_precision,latitude,longitude,geo_precision,"
    b"location,country,actor1,notes\n"
    b"UZB12,2009-05-26,1,40.7834,72.3507,1,Andijan,Uzbekistan,IMU,A bomb.\n"
)


def damaged_parquet() -> bytes:
    buffer = io.BytesIO()
    table = pa.table({"event_id": pa.array([f"e{i}" for i in range(500)])})
    pq.write_table(table, buffer, compression="snappy")
    payload = bytearray(buffer.getvalue())
    footer = int.from_bytes(payload[-8:-4], "little")
    end = len(payload) - 8 - footer
    payload[4:end] = b"\x07" * (end - 4)
    return bytes(payload)


def test_a_damaged_parquet_upload_is_its_own_one_line_reason(log_lines):
    upload = upload_ui._import_upload(
        "damaged.parquet", lambda: damaged_parquet(), "auto", ("k", 1)
    )
    assert upload.result is None and upload.data is None
    assert re.fullmatch(
        r"damaged\.parquet: is a damaged Parquet file \([^\n]+\); export it again",
        upload.failure,
    )
    # The file's own problem is not an error of the server: nothing is logged.
    assert [e for e in log_lines() if e.get("event") == "upload_error"] == []


def test_an_error_inside_the_importer_is_one_line_with_a_logged_reference(
    log_lines, monkeypatch
):
    def broken(*args, **kwargs):
        raise KeyError("a column the crosswalk expected")

    monkeypatch.setattr(importer_core, "import_table", broken)
    with pytest.raises(InternalImportError) as caught:
        import_file("acled.csv", ACLED_ONE)
    assert str(caught.value) == (
        "acled.csv: could not be imported because of an error in the importer "
        "(KeyError: 'a column the crosswalk expected')"
    )
    assert isinstance(caught.value, ImportFailure)

    upload = upload_ui._import_upload("acled.csv", lambda: ACLED_ONE, "auto", ("k", 2))
    prefix = (
        "acled.csv: could not be imported because of an error in the importer "
        "(KeyError: 'a column the crosswalk expected'). Nothing was changed. The "
        "server's log has the details under reference "
    )
    assert upload.failure.startswith(prefix)
    reference = upload.failure[len(prefix) :].rstrip(".")
    assert re.fullmatch(r"[0-9a-f]{8}", reference)
    (entry,) = [e for e in log_lines() if e.get("event") == "upload_error"]
    assert entry["ref"] == reference
    assert entry["level"] == "error"
    assert entry["error"] == "KeyError: 'a column the crosswalk expected'"
    assert 'raise KeyError("a column the crosswalk expected")' in entry["traceback"]


def test_running_out_of_memory_is_one_line_too(log_lines, monkeypatch):
    def exhausted(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(importer_core, "import_table", exhausted)
    upload = upload_ui._import_upload("acled.csv", lambda: ACLED_ONE, "auto", ("k", 3))
    assert upload.failure.startswith(
        "acled.csv: there was not enough memory to import it; try a smaller file. "
        "Nothing was changed. The server's log has the details under reference "
    )
    (entry,) = [e for e in log_lines() if e.get("event") == "upload_error"]
    assert entry["error"].startswith("MemoryError")


def test_an_error_after_the_import_is_logged_with_a_reference(log_lines, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the dataset could not be assembled")

    monkeypatch.setattr(upload_ui, "assemble_dataset", broken)
    upload = upload_ui._import_upload("acled.csv", lambda: ACLED_ONE, "auto", ("k", 4))
    assert upload.failure.startswith(
        "acled.csv was read, but its events could not be prepared for the map. "
        "Nothing was changed. The server's log has the details under reference "
    )
    reference = upload.failure.rsplit(" ", 1)[1].rstrip(".")
    (entry,) = [e for e in log_lines() if e.get("event") == "upload_error"]
    assert entry["ref"] == reference
    assert entry["error"] == "RuntimeError: the dataset could not be assembled"


def test_the_upload_box_names_its_own_date_order_control():
    payload = (
        b"id,date_start,date_end,latitude,longitude,where_prec,country,side_a,best\n"
        b"30,03/04/2009,03/04/2009,40.7834,72.3507,1,Uzbekistan,IMU,1\n"
    )
    upload = upload_ui._import_upload("ged.csv", lambda: payload, "auto", ("k", 9))
    assert upload.result is None
    assert "reads both as D/M/YYYY and as M/D/YYYY" in upload.failure
    assert "under Day and month order in this box" in upload.failure
    assert "--date-order" not in upload.failure
    chosen = upload_ui._import_upload(
        "ged.csv", lambda: payload, "auto", ("k", 10), date_order="dmy"
    )
    assert chosen.failure == ""
    # The session keeps the report; the rows are in the upload's store.
    assert chosen.result.summary() == "ucdp: 1 row — 1 accepted, 0 repaired, 0 rejected"
    rows = chosen.data.source.rows(chosen.data.default_spec)
    assert [d.date().isoformat() for d in rows["date_start"]] == ["2009-04-03"]
    assert chosen.result.events.empty
