"""Every filter a dashboard link carries is an option of ``export``, ``summary``
and ``render``, and ``imu-geo export`` with a link's parameters writes the bytes
of that link's download.

The expected rows come from the atlas's events by hand-written rules (a loop
over the rows), not from the filters under test.
"""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from imu_geo import __version__
from imu_geo.cli import build_parser, main
from imu_geo.data import BUNDLED_DATA_DIR, load_dataset
from imu_geo.engine.open import open_source
from imu_geo.filters import (
    LINK_PARAMETERS,
    PAGE_PARAMETERS,
    FilterSpec,
    Unit,
    spec_from_query,
    spec_to_query,
)
from imu_geo.ui.downloads import selection_bytes
from tests.conftest import PROJECT_DIR

EVENTS = [
    row
    | {"date_start": f"{row['date_start']:%Y-%m-%d}"}
    | {"date_end": f"{row['date_end']:%Y-%m-%d}"}
    for row in load_dataset(BUNDLED_DATA_DIR).events.to_dict("records")
]
IDS = {row["event_id"] for row in EVENTS}


def _overlaps(row, start="1991-01-01", end="2015-12-31") -> bool:
    return row["date_start"] <= end and row["date_end"] >= start


# One link per parameter, and which atlas events it keeps by a plain rule.
LINKS = [
    ({"start": "2005-01-01"}, lambda r: r["date_end"] >= "2005-01-01"),
    ({"end": "1999-12-31"}, lambda r: r["date_start"] <= "1999-12-31"),
    (
        {"start": "2001-01-01", "end": "2001-12-31", "mode": "cumulative"},
        lambda r: r["date_start"] <= "2001-12-31",
    ),
    ({"layers": "base"}, lambda r: r["layer"] == "base"),
    ({"types": "bombing"}, lambda r: r["event_type"] == "bombing"),
    ({"actors": "IMU"}, lambda r: "IMU" in str(r["actors"]).split(";")),
    ({"countries": "PK"}, lambda r: r["country"] == "PK"),
    ({"attribution": "claimed"}, lambda r: r["attribution"] == "claimed"),
    (
        {"q": "tashkent"},
        lambda r: any(
            "tashkent" in str(r[c]).casefold()
            for c in ("title", "description", "place_name", "actors", "source_quote")
        ),
    ),
]
OPTIONS = {p.name: p.option for p in LINK_PARAMETERS}


def _cli(params: dict[str, str]) -> list[str]:
    return [part for name, value in params.items() for part in (OPTIONS[name], value)]


def _download(params: dict[str, str], fmt: str = "csv") -> bytes:
    """What the Map page's download holds for a link: the spec the page reads
    from the URL, the rows the engine selects, the page's download function."""
    source = open_source(None)
    spec, warnings = spec_from_query(
        params, source.default_spec, source.choices, source.store.units
    )
    assert warnings == []
    return selection_bytes(source.select(spec), fmt)


def _ids(data: bytes) -> set[str]:
    return {row["event_id"] for row in csv.DictReader(io.StringIO(data.decode()))}


def test_the_table_names_every_filter_a_link_is_written_with():
    every = FilterSpec(
        start=date(2000, 1, 1),
        end=date(2001, 12, 31),
        mode="cumulative",
        layers=("attack",),
        event_types=("bombing",),
        actors=("IMU",),
        countries=("UZ",),
        attributions=("claimed",),
        text="x",
        source_types=("Suicide bomb",),
        region=Unit("UZ", "country"),
        selected="e1",
    )
    written = set(
        spec_to_query(every, FilterSpec(date(1991, 1, 1), date(2015, 12, 31)))
    )
    assert written == {p.name for p in LINK_PARAMETERS} | {"event"}
    assert set(PAGE_PARAMETERS) == {"event", "tour"}


@pytest.mark.parametrize("command", ["export", "summary", "render"])
def test_every_link_parameter_is_an_option_of_every_command(command, capsys):
    with pytest.raises(SystemExit):
        build_parser().parse_args([command, "--help"])
    text = capsys.readouterr().out
    for parameter in LINK_PARAMETERS:
        assert f"{parameter.option} " in text, parameter
    assert "--event" not in text and "--tour" not in text


@pytest.mark.parametrize(
    ("params", "keeps"), LINKS, ids=["&".join(params) for params, _ in LINKS]
)
def test_export_with_a_links_parameters_is_its_download(params, keeps, capsysbinary):
    wanted = {row["event_id"] for row in EVENTS if _overlaps(row) and keeps(row)}
    assert wanted and wanted != IDS  # the parameter changes what is chosen
    assert main(["export", *_cli(params)]) == 0
    written = capsysbinary.readouterr().out
    assert _ids(written) == wanted
    assert written == _download(params)


def test_export_with_a_region_is_its_download(capsysbinary):
    # Pakistan's events lie in Pakistan, so the unit keeps the country's.
    wanted = {row["event_id"] for row in EVENTS if row["country"] == "PK"}
    assert main(["export", "--region", "PK", "--format", "geojson"]) == 0
    written = capsysbinary.readouterr().out
    assert written == _download({"region": "PK"}, "geojson")
    assert main(["export", "--region", "PK"]) == 0
    assert _ids(capsysbinary.readouterr().out) == wanted


@pytest.mark.parametrize(
    "params",
    [{"actors": "IMU"}, {"countries": "AF"}, {"attribution": "claimed"}],
)
def test_summary_takes_the_filters_export_takes(params, capsys):
    assert main(["export", *_cli(params)]) == 0
    exported = len(_ids(capsys.readouterr().out.encode()))
    assert main(["summary", *_cli(params), "--format", "csv"]) == 0
    table = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    # Each event is counted once per country row of its own country.
    assert sum(int(row["events"]) for row in table) == exported


def test_render_takes_a_region(tmp_path, capsys):
    out = tmp_path / "pk.svg"
    assert main(["render", "--region", "PK", "-o", str(out)]) == 0
    n = sum(row["country"] == "PK" for row in EVENTS)
    assert capsys.readouterr().err.startswith(f"{n} events drawn to {out} (")


def test_version_is_the_packages():
    project = (PROJECT_DIR / "pyproject.toml").read_text(encoding="utf-8")
    assert f'\nversion = "{__version__}"\n' in project
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0


def test_help_gives_the_exit_codes(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    text = capsys.readouterr().out
    assert "exit codes:" in text
    for code in ("0  done", "1  the data has problems", "2  an input cannot be read"):
        assert code in text


def test_the_readme_names_every_option_and_the_page_parameters():
    readme = (PROJECT_DIR / "README.md").read_text(encoding="utf-8")
    for parameter in LINK_PARAMETERS:
        assert f"`{parameter.option}`" in readme, parameter
    for name in PAGE_PARAMETERS:
        assert f"`{name}`" in readme, name
