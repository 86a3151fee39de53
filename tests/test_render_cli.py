"""``imu-geo render``: the same bytes as the dashboard's downloads for the same view."""

from __future__ import annotations

import imageio.v3 as iio
import pytest

from imu_geo.cli import main
from imu_geo.data import BUNDLED_DATA_DIR, load_dataset
from imu_geo.filters import facet_choices, full_span, spec_from_query
from imu_geo.index import build_index, select
from imu_geo.render import RENDER_COLUMNS, build_basemap, picture_bytes, picture_text

PARAMS = {
    "start": "1999-01-01",
    "end": "2004-12-31",
    "layers": "attack,base",
    "types": "bombing,suicide_bombing,group_base",
}


def download_bytes(params: dict[str, str], fmt: str) -> bytes:
    """What the Map page's *Download map* builds for a URL: the spec read from
    the query, the rows chosen through the time index (as the page does), the
    basemap of the dataset, the atlas's words."""
    dataset = load_dataset(BUNDLED_DATA_DIR)
    events = dataset.events
    spec, warnings = spec_from_query(params, full_span(events), facet_choices(events))
    assert warnings == []
    rows = select(build_index(events), spec)
    selected = events[list(RENDER_COLUMNS)].iloc[rows]
    basemap = build_basemap(dataset.regions, dataset.places)
    return picture_bytes(selected, spec, basemap, picture_text("atlas"), fmt)


def arguments(params: dict[str, str]) -> list[str]:
    return sum(([f"--{k}", v] for k, v in params.items()), [])


@pytest.mark.parametrize("fmt", ["png", "svg"])
def test_render_writes_the_bytes_of_the_download(tmp_path, capsys, fmt):
    out = tmp_path / f"map.{fmt}"
    assert main(["render", *arguments(PARAMS), "-o", str(out)]) == 0
    assert out.read_bytes() == download_bytes(PARAMS, fmt)
    events = load_dataset(BUNDLED_DATA_DIR).events
    n = int(
        (
            (events["date_start"] <= "2004-12-31")
            & (events["date_end"] >= "1999-01-01")
            & events["event_type"].isin(PARAMS["types"].split(","))
        ).sum()
    )
    assert capsys.readouterr().err.startswith(f"{n} events drawn to {out} (")


def test_render_draws_a_gif_with_one_frame_per_step(tmp_path, capsys):
    out = tmp_path / "years.gif"
    code = main(
        [
            "render",
            "--start",
            "1999-01-01",
            "--end",
            "2001-12-31",
            "--step",
            "12",
            "--fps",
            "1",
            "-o",
            str(out),
        ]
    )
    assert code == 0
    assert iio.imread(out, index=None).shape[0] == 3
    assert "3 frames drawn to" in capsys.readouterr().err


def test_render_refuses_what_the_caps_refuse(tmp_path, capsys):
    out = tmp_path / "months.gif"
    assert main(["render", "--step", "1", "--size", "1280x800", "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("imu-geo: A GIF of 300 frames of 1280 × 800 pixels")
    assert not out.exists()


def test_render_needs_a_format(tmp_path, capsys):
    assert main(["render", "-o", str(tmp_path / "map.jpeg")]) == 2
    assert "choose --format png, svg, gif or mp4" in capsys.readouterr().err


def test_render_warns_on_bad_values_as_export_does(tmp_path, capsys):
    out = tmp_path / "map.png"
    assert main(["render", "--start", "someday", "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert err.splitlines()[0] == (
        "imu-geo: The start date “someday” is not an ISO date (YYYY-MM-DD); "
        "showing the default start."
    )
    assert out.read_bytes() == download_bytes({}, "png")
