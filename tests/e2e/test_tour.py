"""The tour in a real Chromium: from the first stop to the last, then the picture.

Assertions are on the DOM, the URL and the downloaded file, never on map pixels.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from imu_geo.cli import main
from imu_geo.timeline import ERAS
from tests.e2e.pages import LOAD_TIMEOUT_MS, query_of, run_finished
from tests.helpers import era_heading

pytestmark = pytest.mark.browser


def test_the_tour_from_first_stop_to_last_then_the_picture(
    page: Page, streamlit_server, artifacts_dir, tmp_path
):
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.goto(f"{streamlit_server}/tour")
    expect(page.get_by_role("heading", name=era_heading(1))).to_be_visible(
        timeout=LOAD_TIMEOUT_MS
    )
    run_finished(page)
    page.wait_for_function(
        "() => new URLSearchParams(location.search).get('tour') === '1'",
        timeout=20_000,
    )
    # Setting tour=1 in the link reruns the page; under load its buttons may
    # take longer than expect's default 5 s to come back.
    expect(page.get_by_role("button", name="◀ Back")).to_be_disabled(timeout=20_000)
    for number in range(2, len(ERAS) + 1):
        page.get_by_role("button", name="Next ▶").click()
        expect(page.get_by_role("heading", name=era_heading(number))).to_be_visible(
            timeout=30_000
        )
        era = ERAS[number - 1]
        page.wait_for_function(
            f"() => new URLSearchParams(location.search).get('tour') === '{number}'"
            f" && new URLSearchParams(location.search).get('start') === "
            f"'{era.start.isoformat()}'",
            timeout=20_000,
        )
        run_finished(page)
        if number == 2:
            page.wait_for_timeout(1500)  # deck.gl draws after the rerun
            page.screenshot(path=str(artifacts_dir / "tour-stop-2.png"), full_page=True)
    expect(page.get_by_role("button", name="Next ▶")).to_be_disabled()
    # The last era's key events quote the source and link to the map.
    expect(page.get_by_text("Key events")).to_be_visible()
    links = page.get_by_role("link", name="Open this event on the map")
    assert links.count() >= 1
    assert "event=" in links.first.get_attribute("href")

    params = query_of(page)
    assert params["tour"] == str(len(ERAS))
    with page.expect_download(timeout=60_000) as download_info:
        page.get_by_role("button", name="Download map (PNG)").click()
    downloaded = download_info.value.path().read_bytes()
    assert downloaded.startswith(b"\x89PNG\r\n\x1a\n")
    # The shell draws the same picture, byte for byte, from the same URL state.
    drawn = tmp_path / "last-stop.png"
    filters = {k: v for k, v in params.items() if k != "tour"}
    command = ["render", *sum(([f"--{k}", v] for k, v in filters.items()), [])]
    assert main([*command, "-o", str(drawn)]) == 0
    assert drawn.read_bytes() == downloaded
    (artifacts_dir / "tour-last-stop.png").write_bytes(downloaded)
