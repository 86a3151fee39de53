"""Data from Syria and Iraq in a real Chromium: the world basemap, a map framed
on the events, and a Regions table of Syria's and Iraq's units.

Assertions are on the DOM, the requests the page makes and downloaded files,
never on map pixels.
"""

from __future__ import annotations

import csv
import io
import re

import pytest
from playwright.sync_api import Browser, Page, expect

from imu_geo.data import load_dataset
from imu_geo.export import to_csv_bytes
from imu_geo.layers import fit_view
from imu_geo.store import open_folder
from imu_geo.ui import loading, mapdeck
from tests.e2e.pages import (
    LOAD_TIMEOUT_MS,
    assert_inside,
    caption,
    click_event,
    deck_ready,
    go_to,
    hover_until,
    open_app,
    project,
)
from tests.world_data import BENIN, write_world_dataset

pytestmark = pytest.mark.browser
WORLD_BASEMAP = re.compile(r"/app/static/world/basemap\.geojson$")
WINDOW = "24 events — 16 attacks, 0 bases, 8 context — from Jun 2014 to Mar 2015"


@pytest.fixture(scope="module")
def world_folder(tmp_path_factory):
    return write_world_dataset(tmp_path_factory.mktemp("syria-iraq"))


@pytest.fixture(scope="module")
def world_server(world_folder, start_server):
    with start_server(world_folder) as url:
        yield url


def test_on_a_phone_the_map_frames_every_event_of_its_own_data(
    browser: Browser, world_server, world_folder
):
    """At 390 pixels the view framed for a desktop's map would leave Homs (the
    westernmost event) and Baghdad (the easternmost) off the map: the page
    zooms out to the width the browser measured, and hovering where Homs is then
    drawn shows it."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True
    )
    page = context.new_page()
    try:
        open_app(page, world_server)
        expect(caption(page)).to_have_text(WINDOW)
        chart = page.locator('[data-testid="stDeckGlJsonChart"]').first
        chart.scroll_into_view_if_needed()
        box = chart.bounding_box()
        assert box["width"] < mapdeck.MAP_SIZE[0]
        data = loading.from_store(open_folder(world_folder), anywhere=True)
        desktop = loading.map_view(data, *mapdeck.MAP_SIZE)
        view = fit_view(desktop, mapdeck.MAP_SIZE, (box["width"], box["height"]))
        assert view["zoom"] < desktop["zoom"]
        events = load_dataset(world_folder).events
        assert_inside(events, view, box, "place_name")
        homs = events.loc[events["lon"].idxmin()]
        assert homs["place_name"] == "Homs"
        # Where the desktop's view would draw it: off the phone's map.
        x, _ = project(homs["lon"], homs["lat"], desktop, box["width"], box["height"])
        assert x < 0
        x, y = project(homs["lon"], homs["lat"], view, box["width"], box["height"])
        # Until the map drawn is the one framed for the phone.
        hover_until(page, box["x"] + x, box["y"] + y, "Place: Homs", settle=True)
    finally:
        context.close()


def test_syria_and_iraq_on_the_world_map_and_in_regions(
    page: Page, world_server, world_folder, artifacts_dir
):
    static = []
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.on(
        "response",
        lambda r: (
            static.append(r.url.split("/app/static/")[1])
            if "/app/static/" in r.url
            else None
        ),
    )
    with page.expect_response(WORLD_BASEMAP, timeout=LOAD_TIMEOUT_MS) as basemap:
        open_app(page, world_server)
    assert basemap.value.status == 200
    expect(caption(page)).to_have_text(WINDOW)
    expect(page.get_by_role("heading", name="Events on the map")).to_be_visible()
    chart = page.locator('[data-testid="stDeckGlJsonChart"]')
    chart.scroll_into_view_if_needed()
    deck_ready(page)  # a click finds only what deck.gl has drawn
    assert "basemap.geojson" not in static  # not the atlas's region
    page.screenshot(path=str(artifacts_dir / "world-map.png"), full_page=True)
    # Every label's letters are drawn ("Curaçao", "Côte d'Ivoire"), not only
    # ASCII: deck.gl names each character its font lacks.
    assert [m for m in console if "Missing character" in m] == []

    # The map opens on the events: Mosul is where the framed view puts it.
    data = loading.from_store(open_folder(world_folder), anywhere=True)
    view = loading.map_view(data, *mapdeck.MAP_SIZE)
    mosul = load_dataset(world_folder).events.query("place_name == 'Mosul'").iloc[0]
    box = chart.bounding_box()
    x, y = project(mosul["lon"], mosul["lat"], view, box["width"], box["height"])
    assert 0 < x < box["width"] and 0 < y < box["height"]
    heading = page.get_by_role(
        "heading", name=re.compile(r"^Synthetic event \d at Mosul$")
    )
    click_event(page, box["x"] + x, box["y"] + y, heading)
    expect(heading).to_be_visible()

    nav = page.locator('[data-testid="stSidebarNav"]')
    go_to(page, nav, "Regions")
    expect(page.get_by_role("heading", name="Regions", exact=True)).to_be_visible(
        timeout=LOAD_TIMEOUT_MS
    )
    expect(page.get_by_text("24 events: 24 in 2 countries.")).to_be_visible()
    # Outside the atlas there is no valley to summarise by.
    expect(page.get_by_text("Ferghana Valley", exact=True)).to_have_count(0)
    page.get_by_text("Provinces (admin-1)", exact=True).click()
    expect(page.get_by_text("24 events: 24 in 8 admin-1 units.")).to_be_visible(
        timeout=20_000
    )
    page.wait_for_timeout(2000)
    page.screenshot(path=str(artifacts_dir / "world-regions.png"), full_page=True)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download table as CSV").click()
    text = open(download.value.path(), encoding="utf-8-sig").read()
    table = list(csv.DictReader(io.StringIO(text)))
    assert {(r["region_id"], r["region"], r["events"]) for r in table} == {
        ("SY-HL", "Aleppo", "3"),
        ("SY-RA", "Ar Raqqah", "3"),
        ("SY-DY", "Dayr Az Zawr", "3"),
        ("SY-HI", "Homs (Hims)", "3"),
        ("IQ-NI", "Ninawa", "3"),
        ("IQ-BG", "Baghdad", "3"),
        ("IQ-AN", "Al-Anbar", "3"),
        ("IQ-TS", "At-Ta'mim", "3"),
    }


def test_an_upload_from_benin_gets_the_world_map_and_its_regions(
    page: Page, streamlit_server, tmp_path, artifacts_dir
):
    folder = write_world_dataset(tmp_path / "benin", BENIN)
    sample = tmp_path / "benin-events.csv"
    # The dashboard's own CSV download of those events: this project's schema
    # with lat, lon and place_name.
    sample.write_bytes(to_csv_bytes(load_dataset(folder).events))
    open_app(page, streamlit_server)
    page.get_by_text("Your data").click()
    with page.expect_response(WORLD_BASEMAP, timeout=LOAD_TIMEOUT_MS) as basemap:
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
            str(sample)
        )
        expect(
            page.get_by_text(
                "Showing your file benin-events.csv (9 events)", exact=False
            )
        ).to_be_visible(timeout=30_000)
    assert basemap.value.status == 200
    deck_ready(page)  # a click finds only what deck.gl has drawn
    page.screenshot(path=str(artifacts_dir / "world-upload-map.png"), full_page=True)

    go_to(page, page.locator('[data-testid="stSidebarNav"]'), "Regions")
    expect(page.get_by_text("9 events: 9 in 1 country.")).to_be_visible(
        timeout=LOAD_TIMEOUT_MS
    )
    page.get_by_text("Provinces (admin-1)", exact=True).click()
    # Cotonou (Littoral), Parakou (Borgou), Porto-Novo (Oueme).
    expect(page.get_by_text("9 events: 9 in 3 admin-1 units.")).to_be_visible(
        timeout=20_000
    )
    page.wait_for_timeout(2000)
    page.screenshot(path=str(artifacts_dir / "world-upload-regions.png"))
