"""Faults and hostile input in a real Chromium against a real server: reloads,
restarts, no network, oversized uploads, and markup in every field on every page."""

from __future__ import annotations

import csv
import json
import re
import shutil
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page, expect

from imu_geo.data import BUNDLED_DATA_DIR, load_dataset
from imu_geo.layers import event_bounds, frame_view
from imu_geo.ui.mapdeck import MAP_SIZE
from tests.e2e.pages import (
    caption,
    deck_ready,
    go_to,
    hover_across,
    local_only,
    open_app,
    project,
    run_finished,
)

pytestmark = pytest.mark.browser
RESTORE_TIMEOUT_MS = 90_000


def test_a_reload_in_the_middle_of_a_rerun_comes_back_whole(
    page: Page, streamlit_server
):
    open_app(page, f"{streamlit_server}/?start=1999-01-01&end=2001-12-31")
    end_handle = page.get_by_role("slider").nth(1)
    end_handle.focus()
    end_handle.press("ArrowRight")
    page.reload()  # while that step's rerun is on its way
    expect(caption(page)).to_have_text(
        re.compile(r"from Jan 1999 to (Dec 2001|Jan 2002)$"), timeout=60_000
    )
    run_finished(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    # And it still works.
    end_handle = page.get_by_role("slider").nth(1)
    end_handle.focus()
    end_handle.press("ArrowLeft")
    expect(caption(page)).to_have_text(
        re.compile(r"from Jan 1999 to (Nov|Dec) 2001$"), timeout=30_000
    )


def test_after_a_server_restart_the_page_reconnects_with_its_view(
    page: Page, start_server
):
    with start_server() as url:
        open_app(page, f"{url}/?start=1999-01-01&end=2001-12-31&layers=attack,base")
        end_handle = page.get_by_role("slider").nth(1)
        end_handle.focus()
        end_handle.press("ArrowRight")
        expect(caption(page)).to_have_text(
            re.compile(r"from Jan 1999 to Jan 2002$"), timeout=30_000
        )
        expect(page).to_have_url(re.compile(r"end=2002-01-31"), timeout=30_000)
    # The server is gone; the page notices, then a new server starts on the port.
    with start_server(port=urlparse(url).port):
        expect(caption(page)).to_have_text(
            re.compile(r"— from Jan 1999 to Jan 2002$"), timeout=RESTORE_TIMEOUT_MS
        )
        run_finished(page)
        text = caption(page).inner_text()
        assert " context" not in text  # the layers came back from the link too
        assert page.locator('[data-testid="stException"]').count() == 0


def test_with_no_network_the_app_is_whole_on_its_own_basemap(
    page: Page, streamlit_server
):
    outside = local_only(page, streamlit_server, error="internetdisconnected")
    with page.expect_response(re.compile(r"/app/static/basemap\.geojson$")) as basemap:
        open_app(page, f"{streamlit_server}/?start=2009-01-01&end=2015-12-31")
    assert basemap.value.status == 200
    expect(
        page.locator('[data-testid="stDeckGlJsonChart"] canvas').first
    ).to_be_visible(timeout=30_000)
    expect(caption(page)).to_have_text(re.compile(r"from Jan 2009 to Dec 2015$"))
    page.wait_for_timeout(2000)
    assert outside == []  # nothing was even attempted outside the server


def test_an_upload_over_the_size_cap_is_refused(page: Page, tmp_path, start_server):
    big = tmp_path / "too-big.csv"
    big.write_text("event_id\n" + "x" * 1_600_000 + "\n", encoding="utf-8")
    with start_server(extra_args=("--server.maxUploadSize", "1")) as url:
        open_app(page, url)
        page.get_by_text("Your data").click()
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
            str(big)
        )
        expect(
            page.get_by_text(re.compile(r"must be 1(\.0)? ?MB or smaller"))
        ).to_be_visible(timeout=20_000)
        page.wait_for_timeout(1500)
        assert page.get_by_text("Showing your file").count() == 0
        expect(caption(page)).to_have_text(re.compile(r"^49 events — "))


PAYLOADS = {
    "title": '<img src=x onerror="window.__xss=1">',
    "description": (
        "**bold** [link](javascript:window.__xss=2) <script>window.__xss=3</script>"
    ),
    "source_quote": '"><svg onload="window.__xss=4">',
    "notes": '<iframe src="javascript:window.__xss=5"></iframe>',
    "actors": '<img src=x onerror="window.__xss=6">;IMU',
    "target": '<b onmouseover="window.__xss=7">target</b>',
}
EVENT = "1999-02-tashkent-car-bombs"


@pytest.fixture(scope="module")
def every_field_server(tmp_path_factory, start_server):
    """The data with markup in every text field of one event, in its place's name
    and in every region's name."""
    data = tmp_path_factory.mktemp("every-field-data")
    # The dataset's files; the world geography in data/world/ is not one.
    for path in BUNDLED_DATA_DIR.glob("*.*"):
        shutil.copy(path, data / path.name)
    with (data / "events.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    place = next(r["place_id"] for r in rows if r["event_id"] == EVENT)
    for row in rows:
        if row["event_id"] == EVENT:
            row.update(PAYLOADS)
    with (data / "events.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    for name in ("places.geojson", "regions.geojson"):
        document = json.loads((data / name).read_text(encoding="utf-8"))
        for feature in document["features"]:
            props = feature["properties"]
            if name == "regions.geojson" or props["place_id"] == place:
                props["name"] = '<img src=x onerror="window.__xss=8">' + props["name"]
        (data / name).write_text(json.dumps(document), encoding="utf-8")
    with start_server(data) as url:
        yield url


def _inert(page: Page) -> None:
    page.wait_for_timeout(800)
    assert page.evaluate("() => window.__xss") is None
    for selector in (
        'img[src="x"]',
        "svg[onload]",
        "iframe",
        "b[onmouseover]",
        "script:not([src])",
    ):
        injected = page.locator(f'[data-testid="stMain"] {selector}').count()
        assert injected == 0, selector


def test_markup_in_every_field_is_inert_on_every_page(page: Page, every_field_server):
    open_app(
        page,
        f"{every_field_server}/?start=1999-01-01&end=1999-12-31&event={EVENT}",
    )
    # Map: the detail panel shows every field as text, the tooltip too.
    expect(page.get_by_role("heading", name=PAYLOADS["title"])).to_be_visible()
    expect(
        page.get_by_text(PAYLOADS["source_quote"], exact=False).first
    ).to_be_visible()
    event = load_dataset(BUNDLED_DATA_DIR).events.set_index("event_id").loc[EVENT]
    chart = page.locator('[data-testid="stDeckGlJsonChart"]').first
    chart.scroll_into_view_if_needed()
    deck_ready(page)  # hovering finds only what deck.gl has drawn
    box = chart.bounding_box()
    # A data folder other than the bundled one opens on its events' extent; its
    # points are the atlas's.
    events = load_dataset(BUNDLED_DATA_DIR).events
    view = frame_view(event_bounds(events), *MAP_SIZE)
    x, y = project(event["lon"], event["lat"], view, box["width"], box["height"])
    page.mouse.move(box["x"] + x, box["y"] + y)
    expect(page.locator(".deck-tooltip")).to_contain_text(
        PAYLOADS["title"], timeout=10_000
    )
    _inert(page)

    nav = page.locator('[data-testid="stSidebarNav"]')
    for name, heading in (
        ("Regions", "Regions"),
        ("Timeline", "Events over time"),
        ("Sources & method", "Sources & method"),
    ):
        go_to(page, nav, name)
        expect(
            page.get_by_role("heading", name=re.compile(heading)).first
        ).to_be_visible(timeout=30_000)
        run_finished(page)
        for chart in page.locator(
            '[data-testid="stDeckGlJsonChart"], [data-testid="stVegaLiteChart"], '
            # The scrubber (its chart is in the component's shadow root).
            'svg[aria-label^="Events per month"]'
        ).all():
            chart.scroll_into_view_if_needed()
            hover_across(page, chart)
        _inert(page)
    # The sources page's detail panel shows the quote as text.
    expect(
        page.get_by_text(PAYLOADS["source_quote"], exact=False).first
    ).to_be_visible()
    assert page.locator('a[href^="javascript"]').count() == 0
