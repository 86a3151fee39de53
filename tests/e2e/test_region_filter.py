"""A click on a region filters every page, the URL and the download; a second
click shows all again. In a real Chromium against a real ``streamlit run``;
assertions on the DOM, the URL and the downloaded file, never on pixels."""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np
import pytest
from playwright.sync_api import Page, expect

from imu_geo.cli import main
from imu_geo.data import BUNDLED_DATA_DIR, load_dataset
from imu_geo.export import to_csv_bytes
from imu_geo.filters import apply_filters, describe, region_units
from imu_geo.layers import ATLAS_VIEW_SIZE, DEFAULT_VIEW, fit_view, map_box
from imu_geo.summaries import event_units
from imu_geo.ui.mapdeck import MAP_SIZE
from imu_geo.ui.regions import REGIONS_MAP_SIZE
from tests.e2e.pages import (
    LOAD_TIMEOUT_MS,
    caption,
    expected_rows,
    hover_until,
    open_app,
    project,
    query_of,
    run_finished,
)

pytestmark = pytest.mark.browser
WINDOW = {"start": "1999-01-01", "end": "2004-12-31"}


def _click_at(page: Page, lon: float, lat: float, name: str, designed=MAP_SIZE) -> None:
    """Click the map at a place, as deck.gl projects it in the atlas's view (the
    Map page's; the Regions page's narrower map shows the same region, zoomed
    out), once hovering there shows the unit ``name`` (its layer has been
    fetched, and the page has framed its map for the width measured)."""
    chart = page.locator('[data-testid="stDeckGlJsonChart"]').first
    chart.scroll_into_view_if_needed()
    box = chart.bounding_box()
    # The map's box as the page takes it from the browser's measure.
    screen = page.viewport_size
    size = map_box(box["width"], (screen["width"], screen["height"]), designed)
    view = fit_view(DEFAULT_VIEW, ATLAS_VIEW_SIZE, size)
    x, y = project(lon, lat, view, box["width"], box["height"])
    hover_until(page, box["x"] + x, box["y"] + y, name)
    page.mouse.click(box["x"] + x, box["y"] + y)


def _in_unit(region_id: str):
    """The window's events counted in the unit, and the caption, from pandas:
    each event's unit found from the events alone (summaries.event_units)."""
    dataset = load_dataset(BUNDLED_DATA_DIR)
    unit = region_units(dataset.regions)[region_id]
    events = dataset.events
    window = expected_rows(WINDOW)
    spec = replace(_spec(), region=unit)
    units = event_units(events, dataset.places, dataset.regions, unit.level)
    rows = apply_filters(events, spec, units)
    assert 0 < len(rows) < len(window)
    return rows, describe(rows, spec), unit, dataset


def _spec():
    from imu_geo.filters import facet_choices, full_span, spec_from_query

    events = load_dataset(BUNDLED_DATA_DIR).events
    spec, _ = spec_from_query(WINDOW, full_span(events), facet_choices(events))
    return spec


def test_a_click_on_a_province_filters_the_map_page_and_its_download(
    page: Page, streamlit_server, artifacts_dir
):
    rows, words, unit, dataset = _in_unit("UZ-BU")
    # Bukhara's label point lies in the province, far from every event's dot.
    spot = dataset.regions.set_index("region_id").loc["UZ-BU"]
    located = dataset.events.dropna(subset=["lon", "lat"])
    distance = np.hypot(
        located["lon"] - spot["label_lon"], located["lat"] - spot["label_lat"]
    )
    assert distance.min() > 0.5
    open_app(page, f"{streamlit_server}/?start=1999-01-01&end=2004-12-31")
    whole = caption(page).inner_text()

    _click_at(page, spot["label_lon"], spot["label_lat"], "Bukhara")
    expect(caption(page)).to_have_text(words, timeout=30_000)
    assert words.endswith("(in Bukhara)")
    page.wait_for_function(
        "() => new URLSearchParams(location.search).get('region') === 'UZ-BU'",
        timeout=10_000,
    )
    expect(page.get_by_role("button", name="Clear region filter")).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "map-region-bukhara.png"), full_page=True)

    run_finished(page)
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download CSV").click()
    downloaded = download_info.value.path().read_bytes()
    assert downloaded == to_csv_bytes(rows)
    exported = artifacts_dir / "export-region-bukhara.csv"
    params = {**query_of(page), "region": "UZ-BU"}
    arguments = ["--start", params["start"], "--end", params["end"]]
    assert main(["export", *arguments, "--region", "UZ-BU", "-o", str(exported)]) == 0
    assert exported.read_bytes() == downloaded

    # The same province again: every region is shown again.
    run_finished(page)
    _click_at(page, spot["label_lon"], spot["label_lat"], "Bukhara")
    expect(caption(page)).to_have_text(whole, timeout=30_000)
    page.wait_for_function(
        "() => !new URLSearchParams(location.search).has('region')", timeout=10_000
    )


def test_a_click_on_the_regions_choropleth_filters_and_the_button_clears(
    page: Page, streamlit_server
):
    rows, words, unit, dataset = _in_unit("UZ")
    open_app(page, f"{streamlit_server}/?start=1999-01-01&end=2004-12-31")
    run_finished(page)
    page.wait_for_timeout(300)
    page.get_by_role("link", name="Regions").click()
    expect(page.get_by_role("heading", name="Regions")).to_be_visible(
        timeout=LOAD_TIMEOUT_MS
    )
    run_finished(page)
    whole = caption(page).inner_text()
    spot = dataset.regions.set_index("region_id").loc["UZ"]
    _click_at(
        page, spot["label_lon"], spot["label_lat"], "Uzbekistan", REGIONS_MAP_SIZE
    )
    expect(caption(page)).to_have_text(words, timeout=30_000)
    assert words.endswith("(in Uzbekistan)")
    page.wait_for_function(
        "() => new URLSearchParams(location.search).get('region') === 'UZ'",
        timeout=10_000,
    )
    # The table holds Uzbekistan alone, and says what its killed count.
    expect(
        page.get_by_text(re.compile(r"^Killed: 23 — 16 from best estimates"))
    ).to_be_visible()
    run_finished(page)
    page.get_by_role("button", name="Clear region filter").click()
    expect(caption(page)).to_have_text(whole, timeout=30_000)
    page.wait_for_function(
        "() => !new URLSearchParams(location.search).has('region')", timeout=10_000
    )
