"""The map as a picture: pixels where the events are, the same bytes for the same
state, the title as text in the SVG, density for very large selections."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ElementTree
from datetime import date

import numpy as np
import pandas as pd
import pytest
from PIL import Image
from pyproj import Transformer

from imu_geo.data import BUNDLED_DATA_DIR, load_dataset
from imu_geo.filters import FilterSpec, apply_filters
from imu_geo.layers import MapOptions
from imu_geo.render import (
    ALL_LAYERS,
    DENSITY_LIMIT,
    PICTURE_SIZE,
    RENDER_COLUMNS,
    build_basemap,
    draw_picture,
    layer_counts_of,
    picture_bytes,
    picture_columns,
    picture_text,
    save,
    title_lines,
    window_words,
)
from tests.helpers import make_events

# Okabe & Ito's vermillion, the bombing colour; the basemap's country fill.
VERMILLION = (213, 94, 0)
COUNTRY_FILL = (246, 244, 239)
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def atlas():
    return load_dataset(BUNDLED_DATA_DIR)


@pytest.fixture(scope="module")
def basemap(atlas):
    return build_basemap(atlas.regions, atlas.places)


def year(first: int, last: int | None = None) -> FilterSpec:
    return FilterSpec(start=date(first, 1, 1), end=date(last or first, 12, 31))


def picture(atlas, basemap, spec, fmt="png", options=ALL_LAYERS):
    selected = apply_filters(atlas.events, spec)[list(RENDER_COLUMNS)]
    return picture_bytes(selected, spec, basemap, picture_text("atlas"), fmt, options)


def tashkent_lon_lat() -> tuple[float, float]:
    """Tashkent's point, read from the places file (GeoNames coordinates)."""
    document = json.loads((BUNDLED_DATA_DIR / "places.geojson").read_text())
    (feature,) = [
        f for f in document["features"] if f["properties"]["place_id"] == "tashkent"
    ]
    return tuple(feature["geometry"]["coordinates"])


def pixel_at(png: bytes, scene, lon: float, lat: float) -> tuple[int, int, int]:
    """The PNG's colour where the scene's axes put ``lon, lat``."""
    x, y = Transformer.from_crs(
        "EPSG:4326", scene.basemap.crs, always_xy=True
    ).transform(lon, lat)
    column, row_up = scene.map_axes.transData.transform((x, y))
    image = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))
    height = image.shape[0]
    return tuple(int(v) for v in image[int(height - row_up), int(column)])


def over(colour, alpha: float, background) -> np.ndarray:
    return np.array(colour) * alpha + np.array(background) * (1 - alpha)


def test_the_1999_picture_shows_the_tashkent_bombing_at_tashkent(atlas, basemap):
    spec = year(1999)
    png = picture(atlas, basemap, spec)
    selected = apply_filters(atlas.events, spec)[list(RENDER_COLUMNS)]
    scene = draw_picture(selected, spec, basemap, picture_text("atlas"))
    lon, lat = tashkent_lon_lat()
    found = np.array(pixel_at(png, scene, lon, lat))
    # By hand: the country fill, under the 25 km halo of a place known "near"
    # (grey 90 at alpha 22/255), under the solid bombing dot (alpha 225/255).
    halo = over((90, 90, 90), 22 / 255, COUNTRY_FILL)
    expected = over(VERMILLION, 225 / 255, halo)  # about (215, 110, 27)
    assert np.abs(found - expected).max() <= 12, (found, expected)

    # In 2000 nothing happened at Tashkent: the pixel is the grey-beige basemap.
    empty = np.array(pixel_at(picture(atlas, basemap, year(2000)), scene, lon, lat))
    assert empty.min() > 180 and empty.max() - empty.min() < 20, empty


def test_two_windows_give_different_pictures(atlas, basemap):
    assert picture(atlas, basemap, year(1999)) != picture(atlas, basemap, year(2014))


@pytest.mark.parametrize("fmt", ["png", "svg"])
def test_the_same_state_gives_the_same_bytes(atlas, fmt):
    spec = year(1999, 2004)
    # Two basemaps built apart, as two processes (the server, the shell) do.
    first = picture(atlas, build_basemap(atlas.regions, atlas.places), spec, fmt)
    second = picture(atlas, build_basemap(atlas.regions, atlas.places), spec, fmt)
    assert first == second
    assert b"Software" not in first and b"matplotlib.org" not in first
    if fmt == "svg":
        assert b"<dc:date>" not in first


def test_the_png_has_the_picture_size(atlas, basemap):
    image = Image.open(io.BytesIO(picture(atlas, basemap, year(1999))))
    assert image.size == PICTURE_SIZE == (1280, 800)


def test_the_svg_keeps_its_title_and_credits_as_text(atlas, basemap):
    spec = year(1999)
    svg = picture(atlas, basemap, spec, "svg")
    texts = [
        "".join(element.itertext())
        for element in ElementTree.fromstring(svg).iter(f"{SVG}text")
    ]
    # The counts by hand with pandas: events overlapping 1999, per layer.
    events = atlas.events
    overlapping = events[
        (events["date_start"] <= "1999-12-31") & (events["date_end"] >= "1999-01-01")
    ]
    n = overlapping["layer"].value_counts()
    assert "The Islamic Movement of Uzbekistan, Jan 1999 to Dec 1999" in texts
    assert (
        f"{len(overlapping)} events — {n['attack']} attacks, {n['base']} bases, "
        f"{n['context']} context — from Jan 1999 to Dec 1999"
    ) in texts
    assert any(t.startswith("Source: GlobalSecurity.org") for t in texts)
    assert any(t.startswith("Boundaries: Natural Earth (public domain)") for t in texts)
    assert "bombing" in texts and "Uzbekistan" in texts


@pytest.mark.parametrize(
    ("spec", "words"),
    [
        (year(1999), "Jan 1999 to Dec 1999"),
        (FilterSpec(date(2001, 10, 1), date(2001, 10, 31)), "Oct 2001"),
        (
            FilterSpec(date(1991, 1, 1), date(2004, 12, 31), "cumulative"),
            "up to Dec 2004",
        ),
    ],
)
def test_window_words(spec, words):
    assert window_words(spec) == words


def test_the_title_names_the_filters():
    spec = FilterSpec(
        date(1999, 1, 1),
        date(2004, 12, 31),
        layers=("attack",),
        event_types=("bombing",),
        text="Tashkent",
    )
    assert title_lines("Events", spec, 3, {"attack": 3}) == (
        "Events, Jan 1999 to Dec 2004",
        "3 events — 3 attacks — from Jan 1999 to Dec 2004 "
        "(types: bombing; matching “Tashkent”)",
    )


@pytest.mark.parametrize(
    ("kind", "name", "heading", "source"),
    [
        (
            "atlas",
            "",
            "The Islamic Movement of Uzbekistan",
            "Source: GlobalSecurity.org",
        ),
        ("folder", "kunduz", "Events", "Events from the data folder “kunduz”"),
        ("upload", "acled.csv", "Events", "Events from the file acled.csv"),
        ("both", "acled.csv", "The IMU atlas and your events", "Events from the file"),
        # A name with braces is shown as it is, not filled in.
        ("upload", "{source}.csv", "Events", "Events from the file {source}.csv;"),
    ],
)
def test_the_words_name_the_data(kind, name, heading, source):
    text = picture_text(kind, name)
    assert text.heading == heading
    assert text.source.startswith(source)
    assert text.credits.startswith("Boundaries: Natural Earth (public domain)")


def test_without_arcs_and_halos_the_picture_changes(atlas, basemap):
    spec = year(1997, 2002)
    full = picture(atlas, basemap, spec)
    bare = picture(atlas, basemap, spec, options=MapOptions(False, False))
    assert full != bare


def crowd(n: int) -> pd.DataFrame:
    """``n`` attacks spread over a square degree near Kunduz, all in 2010."""
    rng = np.random.default_rng(7)
    frame = make_events(
        [
            {"event_id": f"e{k}", "date_start": "2010-01-01", "date_end": "2010-01-01"}
            for k in range(n)
        ]
    )
    frame["lat"] = 36 + rng.random(n)
    frame["lon"] = 68 + rng.random(n)
    frame["place_id"] = "kunduz_province"
    return frame


def test_many_events_are_shaded_by_density_with_a_note(atlas, basemap):
    spec = year(2010)
    many = crowd(DENSITY_LIMIT + 1)
    scene = draw_picture(many, spec, basemap, picture_text("folder", "crowd"))
    svg = save(scene, "svg").decode()
    assert "Events per hexagon" in svg
    assert "Too many events to draw one by one" in svg
    # One hexagon collection instead of dots: no attack legend, no halo.
    assert "Attacks (colour: type)" not in svg
    kinds = {type(a).__name__ for a in scene.map_axes.collections}
    assert "PolyCollection" in kinds  # the hexagons

    few = draw_picture(crowd(50), spec, basemap, picture_text("folder", "crowd"))
    assert "Attacks (colour: type)" in save(few, "svg").decode()


def test_events_without_a_place_are_counted_and_said(atlas, basemap):
    spec = year(2015)
    svg = picture(atlas, basemap, spec, "svg").decode()
    events = atlas.events
    in_2015 = events[
        (events["date_start"] <= "2015-12-31") & (events["date_end"] >= "2015-01-01")
    ]
    unplaced = int(in_2015["lat"].isna().sum())
    assert unplaced > 0
    assert f"{unplaced:,} of the {len(in_2015):,} events have no place" in svg


def test_a_dense_picture_reads_only_layer_and_place_and_draws_the_same(basemap):
    spec = year(2010)
    words = picture_text("folder", "crowd")
    many = crowd(DENSITY_LIMIT + 1)
    assert picture_columns(DENSITY_LIMIT + 1) == ("layer", "lat", "lon")
    narrow = many[["layer", "lat", "lon"]]
    assert picture_bytes(narrow, spec, basemap, words) == picture_bytes(
        many, spec, basemap, words
    )
    assert picture_columns(DENSITY_LIMIT) == RENDER_COLUMNS
    assert picture_columns(0) == RENDER_COLUMNS


def test_text_from_data_is_drawn_as_written(atlas, basemap):
    # A search for "$5$ <b>&" would be mathematics to matplotlib and markup to
    # an SVG reader; it is neither.
    spec = FilterSpec(date(1991, 1, 1), date(2015, 12, 31), text="$5$ <b>&")
    words = picture_text("upload", "costs $1$ & <more>.csv")
    svg = picture_bytes(atlas.events.iloc[0:0], spec, basemap, words, "svg")
    texts = [
        "".join(element.itertext())
        for element in ElementTree.fromstring(svg).iter(f"{SVG}text")
    ]
    assert any(t.endswith("(matching “$5$ <b>&”)") for t in texts), texts
    assert any("costs $1$ & <more>.csv" in t for t in texts)
    png = picture_bytes(atlas.events.iloc[0:0], spec, basemap, words, "png")
    assert png.startswith(b"\x89PNG")


@pytest.mark.parametrize(
    ("kind", "name", "source"),
    [
        ("upload", None, "Events from the file ; each row's source is in it."),
        (
            "folder",
            "kunduz",
            "Events from the data folder “kunduz”; each row's source is in its "
            "source column.",
        ),
        (
            "both",
            "a.csv",
            "Events from the file a.csv, and the atlas's from GlobalSecurity.org, "
            '"Islamic Movement of Uzbekistan (IMU) / Islamic Party of Turkestan", '
            "last modified 2015-12-07.",
        ),
    ],
)
def test_the_credit_line_is_whole(kind, name, source):
    text = picture_text(kind) if name is None else picture_text(kind, name)
    assert text.source == source


def test_an_unknown_kind_of_data_is_refused():
    with pytest.raises(ValueError) as caught:
        picture_text("atlases")
    assert str(caught.value) == "unknown kind of data: atlases"


def test_layer_counts_are_plain_counts_per_layer():
    selected = pd.DataFrame(
        {"layer": ["attack", "base", "attack", "context", "attack"]}
    )
    counts = layer_counts_of(selected)
    assert counts == {"attack": 3, "base": 1, "context": 1}
    assert all(type(k) is str and type(v) is int for k, v in counts.items())
