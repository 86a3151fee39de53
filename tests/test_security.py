"""Hostile input stays inert: formulas in every download, paths in the URL and
on the static route, oversized uploads; and the dependencies are pinned."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import urllib.error
import urllib.request
from importlib.metadata import PackageNotFoundError, version

import pytest
from streamlit.testing.v1 import AppTest

from imu_geo.data import BUNDLED_DATA_DIR, load_dataset
from imu_geo.export import table_csv_bytes, to_csv_bytes
from imu_geo.importers import ImportFailure, Limits, import_file
from imu_geo.method import SOURCE_COLUMNS
from imu_geo.summaries import summarise
from tests.conftest import PROJECT_DIR

FORMULAS = [
    '=HYPERLINK("http://evil.example","click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]
TEXT_COLUMNS = ("title", "description", "actors", "target", "notes", "source")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """A copy of the data with a formula in every free-text field of some events,
    in a place name and in a region name."""
    folder = tmp_path_factory.mktemp("formula-data")
    # The dataset's files; the world geography in data/world/ is not one.
    for path in BUNDLED_DATA_DIR.glob("*.*"):
        shutil.copy(path, folder / path.name)
    with (folder / "events.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for number, row in enumerate(rows[: len(FORMULAS)]):
        for column in TEXT_COLUMNS:
            row[column] = FORMULAS[(number + len(column)) % len(FORMULAS)]
    with (folder / "events.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    for name, key in (("places.geojson", "name"), ("regions.geojson", "name")):
        document = json.loads((folder / name).read_text(encoding="utf-8"))
        for feature in document["features"]:
            feature["properties"][key] = "=1+1 " + feature["properties"][key]
        (folder / name).write_text(json.dumps(document), encoding="utf-8")
    return load_dataset(folder)


def _cells(payload: bytes):
    text = payload.decode("utf-8-sig")
    for row in csv.reader(io.StringIO(text, newline="")):
        yield from row


def _assert_inert(payload: bytes) -> int:
    """Every cell a spreadsheet would run is a plain number; return how many
    cells were neutralised (start with an apostrophe)."""
    neutralised = 0
    for cell in _cells(payload):
        if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
            float(cell)  # e.g. -69.2: a number, not a formula
        neutralised += cell.startswith("'")
    return neutralised


def test_the_map_download_neutralises_every_formula(hostile):
    assert _assert_inert(to_csv_bytes(hostile.events)) >= len(FORMULAS) * len(
        TEXT_COLUMNS
    )


def test_the_sources_download_neutralises_every_formula(hostile):
    payload = table_csv_bytes(hostile.events[list(SOURCE_COLUMNS)])
    assert _assert_inert(payload) >= len(FORMULAS)


@pytest.mark.parametrize("level", ["country", "admin1", "valley"])
def test_the_regions_download_neutralises_every_formula(hostile, level):
    table = summarise(hostile.events, hostile.places, hostile.regions, level)
    assert _assert_inert(table_csv_bytes(table)) >= 1


def test_the_import_report_download_neutralises_every_formula():
    header = (
        "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,"
        "sub_event_type,actor1,actor2,country,admin1,location,latitude,longitude,"
        "geo_precision,source,notes,fatalities"
    ).split(",")
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for n, formula in enumerate(FORMULAS):
        row = dict.fromkeys(header, "")
        row.update(
            event_id_cnty=f"X{n}",
            event_date="=1+1",
            year="2018",
            time_precision="1",
            disorder_type="Political violence",
            event_type="Battles",
            sub_event_type="Armed clash",
            actor1=formula,
            actor2="Police",
            country="Afghanistan",
            admin1="Kunduz",
            location=formula,
            geo_precision="1",
            source="Pajhwok",
            notes=formula,
            fatalities="1",
        )
        writer.writerow(row.values())
    payload = buffer.getvalue().encode("utf-8")
    result = import_file("evil.csv", payload)
    report = result.report_frame()
    assert len(report) >= 4
    _assert_inert(table_csv_bytes(report))


@pytest.mark.parametrize(
    "params",
    [
        {"data": "/etc", "dir": "..", "file": "/etc/passwd"},
        {"event": "../../../../etc/passwd"},
        {"start": "../../data/events.csv", "end": "/etc/passwd"},
        {"q": "../../etc/passwd", "layers": "../app.py"},
    ],
)
def test_url_parameters_cannot_point_the_app_at_other_files(params):
    at = AppTest.from_file(str(PROJECT_DIR / "app.py"), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    # Still the bundled atlas, whatever the link says.
    assert any(c.value.startswith("Source of every event:") for c in at.caption)
    shown = [c.value for c in at.caption if re.match(r"^\d+ events? — ", c.value)]
    assert shown and "etc/passwd" not in " ".join(e.value for e in at.error)
    assert not any("root:" in m.value for m in at.markdown)


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as reply:
            return reply.status, reply.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


@pytest.mark.parametrize(
    "path",
    [
        "/app/static/../data/events.csv",
        "/app/static/%2e%2e/data/events.csv",
        "/app/static/..%2fdata%2fevents.csv",
        "/app/static/points/../../app.py",
        "/app/static/%2e%2e%2f%2e%2e%2fapp.py",
        "/app/static//etc/passwd",
    ],
)
def test_the_static_route_serves_nothing_outside_static(streamlit_server, path):
    status, body = _get(streamlit_server + path)
    assert status != 200 or (
        b"event_id,date_start" not in body
        and b"root:" not in body
        and b"st.navigation" not in body
    )
    # The basemap itself is served.
    assert _get(streamlit_server + "/app/static/basemap.geojson")[0] == 200


def test_the_importer_refuses_a_file_over_its_cap():
    with pytest.raises(ImportFailure, match="the limit is 1000 bytes"):
        import_file("big.csv", b"x" * 2_000, limits=Limits(max_bytes=1_000))


def test_dependencies_are_pinned_and_installed_as_pinned():
    lock = (PROJECT_DIR / "requirements.lock").read_text().splitlines()
    pins = dict(
        line.split("==", 1) for line in lock if line and not line.startswith("#")
    )
    for package in ("streamlit", "pydeck", "pandas", "geopandas", "shapely"):
        assert package in pins
    wrong = {}
    for package, pinned in pins.items():
        try:
            installed = version(package)
        except PackageNotFoundError:
            wrong[package] = (pinned, None)
            continue
        if installed != pinned:
            wrong[package] = (pinned, installed)
    assert wrong == {}
    makefile = (PROJECT_DIR / "Makefile").read_text()
    assert makefile.count("-c requirements.lock") == 2  # make run and make test
