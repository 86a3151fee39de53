"""Files from outside, random and mutated: reading never raises anything but a
one-line ImportFailure, and never one the readers did not anticipate (an
InternalImportError would mean a library's error got through unexplained)."""

from __future__ import annotations

import gzip
import io
import json
import zipfile

import pyarrow as pa
import pyarrow.parquet as pq
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imu_geo.importers import ImportFailure, InternalImportError, Limits, read_table

LIMITS = Limits(max_bytes=2**20, max_memory=64 * 2**20)
CSV = (
    b"event_id_cnty,event_date,latitude,longitude,notes\n"
    b'UZB1,2009-05-26,40.78,72.35,"a, quoted note"\n'
    b"UZB2,2009-05-27,40.79,72.36,plain\n"
)


def _parquet() -> bytes:
    buffer = io.BytesIO()
    table = pa.table({"event_id": ["a", "b", "c"], "n": [1, 2, 3]})
    pq.write_table(table, buffer, compression="snappy")
    return buffer.getvalue()


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _xlsx() -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in ([c.decode() for c in CSV.splitlines()[0].split(b",")], ["UZB1", 1.5]):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


SEEDS = {
    "events.csv": CSV,
    "events.json": json.dumps(
        [{"event_id": "a", "lat": 1}, {"event_id": "b"}]
    ).encode(),
    "events.geojson": json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"event_id": "a"},
                    "geometry": {"type": "Point", "coordinates": [69.2, 41.3]},
                }
            ],
        }
    ).encode(),
    "events.parquet": _parquet(),
    "events.csv.gz": gzip.compress(CSV),
    "events.zip": _zip({"data/events.csv": CSV, "README.pdf": b"%PDF-1.4"}),
    "events.xlsx": _xlsx(),
}


def _read(name: str, payload: bytes) -> None:
    try:
        read_table(name, payload, LIMITS)
    except InternalImportError as error:  # pragma: no cover - the failure shown
        raise AssertionError(
            f"unanticipated: {error!r} from {error.__cause__!r}"
        ) from error
    except ImportFailure as failure:
        message = str(failure)
        assert message.startswith(name.split("/")[-1] + ": ")
        assert "\n" not in message


@st.composite
def mutated(draw):
    """A seed file with some bytes overwritten, inserted or cut off."""
    name = draw(st.sampled_from(sorted(SEEDS)))
    data = bytearray(SEEDS[name])
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(["flip", "insert", "delete", "truncate"]))
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        if kind == "flip":
            data[at] = draw(st.integers(0, 255))
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif kind == "delete":
            del data[at : at + draw(st.integers(1, 16))]
        else:
            del data[at:]
    return name, bytes(data)


@st.composite
def mutated_inside(draw):
    """An archive or workbook that is a sound zip whose member is mutated: the
    reader inside (openpyxl, the CSV reader) sees the damage."""
    name = draw(st.sampled_from(["events.xlsx", "events.zip"]))
    with zipfile.ZipFile(io.BytesIO(SEEDS[name])) as archive:
        members = {i.filename: archive.read(i) for i in archive.infolist()}
    target = draw(st.sampled_from(sorted(members)))
    data = bytearray(members[target])
    for _ in range(draw(st.integers(1, 6))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        if draw(st.booleans()):
            data[at] = draw(st.sampled_from(list(b'<>/"=&;x0 \xc3')))
        else:
            del data[at : at + draw(st.integers(1, 24))]
    members[target] = bytes(data)
    return name, _zip(members)


@settings(max_examples=300, deadline=None)
@given(mutated_inside())
def test_sound_archives_with_mutated_members_raise_only_anticipated_failures(case):
    _read(*case)


@settings(
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(mutated())
def test_mutated_files_raise_only_anticipated_one_line_failures(case):
    _read(*case)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(sorted(SEEDS)), st.binary(max_size=2048))
def test_random_bytes_under_any_name_raise_only_anticipated_failures(name, payload):
    _read(name, payload)
