"""``imu-geo export``: the same rows and bytes as the dashboard's download."""

import json

from imu_geo.cli import main
from imu_geo.data import BUNDLED_DATA_DIR, load_dataset
from imu_geo.export import to_csv_bytes
from imu_geo.filters import apply_filters, facet_choices, full_span, spec_from_query

ARGS = ["--start", "1999-01-01", "--end", "2004-12-31", "--layers", "attack,base"]


def expected(params):
    events = load_dataset(BUNDLED_DATA_DIR).events
    spec, _ = spec_from_query(params, full_span(events), facet_choices(events))
    return apply_filters(events, spec)


def test_export_csv_matches_the_download_function(tmp_path, capsys):
    out = tmp_path / "events.csv"
    assert main(["export", *ARGS, "-o", str(out)]) == 0
    rows = expected(
        {"start": "1999-01-01", "end": "2004-12-31", "layers": "attack,base"}
    )
    assert out.read_bytes() == to_csv_bytes(rows)
    assert len(rows) == 16
    assert capsys.readouterr().err == f"16 events written to {out}\n"


def test_export_geojson(tmp_path):
    out = tmp_path / "events.geojson"
    assert main(["export", *ARGS, "--format", "geojson", "-o", str(out)]) == 0
    features = json.loads(out.read_text())["features"]
    assert len(features) == 16
    assert all(f["geometry"]["type"] == "Point" for f in features)


def test_export_warns_on_bad_values_and_uses_the_default(tmp_path, capsys):
    out = tmp_path / "events.csv"
    assert main(["export", "--start", "someday", "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert err.splitlines()[0] == (
        "imu-geo: The start date “someday” is not an ISO date (YYYY-MM-DD); "
        "showing the default start."
    )
    assert out.read_bytes().count(b"\r\n") == 49 + 1


def test_export_from_a_broken_directory_is_one_line(tmp_path, capsys):
    assert main(["export", "--data", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"imu-geo: {tmp_path} cannot be loaded: regions.geojson: ")
    assert len(err.splitlines()) == 1


ACLED = (
    "event_id_cnty,event_date,time_precision,event_type,sub_event_type,actor1,"
    "country,location,latitude,longitude,geo_precision,source,notes,fatalities\n"
    "KGZ1,2018-05-02,1,Riots,Violent demonstration,Rioters,Kyrgyzstan,Osh,"
    "40.5283,72.7985,1,AKIpress,Clashes at a market,0\n"
    "KGZ2,2018-13-02,1,Riots,Violent demonstration,Rioters,Kyrgyzstan,Osh,"
    "40.5283,72.7985,1,AKIpress,Impossible month,0\n"
)


def test_import_writes_a_valid_directory_and_reports_rejects(tmp_path, capsys):
    source = tmp_path / "acled.csv"
    source.write_text(ACLED, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["import", str(source), "-o", str(out)]) == 1
    printed = capsys.readouterr()
    assert printed.err == ""
    assert printed.out.startswith("acled: 2 rows — 1 accepted, 0 repaired, 1 rejected")
    assert main(["validate", str(out)]) == 0
    problems = (out / "row-problems.csv").read_text(encoding="utf-8")
    assert "'2018-13-02' is not a date: there is no month 13" in problems
    assert not (out / "rejects.csv").exists()


def test_import_of_a_missing_file_is_one_line_and_exit_2(tmp_path, capsys):
    assert main(["import", str(tmp_path / "none.csv"), "-o", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err == "none.csv: cannot be read (No such file or directory)\n"
