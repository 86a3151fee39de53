"""The user's path in a real Chromium against a real ``streamlit run``.

Assertions are on the DOM, the URL and downloaded files, never on map pixels.
"""

from __future__ import annotations

import csv
import re
import shutil

import pytest
from playwright.sync_api import Page, expect

from imu_geo.cli import main
from imu_geo.data import BUNDLED_DATA_DIR, load_dataset
from imu_geo.export import to_csv_bytes
from imu_geo.layers import DEFAULT_VIEW
from imu_geo.summaries import summarise, totals_line
from tests.e2e.pages import (
    ACLED_SAMPLE,
    LOAD_TIMEOUT_MS,
    caption,
    click_event,
    deck_ready,
    expected_rows,
    go_to,
    open_app,
    project,
    query_of,
    window_months,
)

pytestmark = pytest.mark.browser
XSS_TITLE = '<img src=x onerror="window.__xss=1">'


def test_opens_with_map_table_and_credits(page: Page, streamlit_server, artifacts_dir):
    open_app(page, streamlit_server)
    expect(caption(page)).to_have_text(
        "49 events — 14 attacks, 8 bases, 27 context — from Jan 1991 to Dec 2015"
    )
    # deck.gl draws into a canvas inside the chart element.
    expect(
        page.locator('[data-testid="stDeckGlJsonChart"] canvas').first
    ).to_be_visible(timeout=30_000)
    expect(page.locator('[data-testid="stDataFrame"]')).to_be_visible()
    expect(
        page.get_by_text("Boundaries: Natural Earth (public domain)")
    ).to_be_visible()
    # The basemap comes from this server, nowhere else.
    page.wait_for_timeout(1500)
    page.screenshot(path=str(artifacts_dir / "map-full-span.png"), full_page=True)


def test_url_slider_and_download(page: Page, streamlit_server, artifacts_dir):
    params = {"start": "1999-01-01", "end": "2004-12-31", "layers": "attack,base"}
    open_app(
        page, f"{streamlit_server}/?start=1999-01-01&end=2004-12-31&layers=attack,base"
    )
    expect(caption(page)).to_have_text(
        "16 events — 11 attacks, 5 bases — from Jan 1999 to Dec 2004"
    )
    page.screenshot(path=str(artifacts_dir / "map-1999-2004.png"), full_page=True)

    # Keyboard on the window's end handle: one month later.
    end_handle = page.get_by_role("slider").nth(1)
    end_handle.focus()
    end_handle.press("ArrowRight")
    expect(caption(page)).to_have_text(re.compile(r"to Jan 2005$"), timeout=20_000)
    page.wait_for_function(
        "() => new URLSearchParams(location.search).get('end') === '2005-01-31'",
        timeout=10_000,
    )
    params["end"] = "2005-01-31"
    assert query_of(page)["layers"] == "attack,base"

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download CSV").click()
    downloaded = download_info.value.path().read_bytes()
    expected = expected_rows(params)
    assert downloaded == to_csv_bytes(expected)
    # The shell gives the same file for the same filters.
    exported = artifacts_dir / "export-1999-2005.csv"
    assert (
        main(
            [
                "export",
                *sum(([f"--{k}", v] for k, v in params.items()), []),
                "-o",
                str(exported),
            ]
        )
        == 0
    )
    assert exported.read_bytes() == downloaded
    rows = list(csv.DictReader(downloaded.decode("utf-8").splitlines()))
    assert [r["event_id"] for r in rows] == list(expected["event_id"])
    assert caption(page).inner_text().startswith(f"{len(rows)} events")


def test_clicking_a_table_row_opens_its_source(page: Page, streamlit_server):
    open_app(page, f"{streamlit_server}/?start=1999-01-01&end=1999-12-31&layers=attack")
    first = expected_rows(
        {"start": "1999-01-01", "end": "1999-12-31", "layers": "attack"}
    ).iloc[0]
    grid = page.locator('[data-testid="stDataFrame"]')
    grid.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    box = grid.bounding_box()
    # The row-selection checkbox of the first data row (the grid is a canvas).
    page.mouse.click(box["x"] + 18, box["y"] + 35 + 17)
    expect(page.get_by_role("heading", name=first["title"])).to_be_visible(
        timeout=20_000
    )
    quote_start = first["source_quote"].split(" [...] ")[0][:40]
    expect(page.get_by_text(quote_start, exact=False).first).to_be_visible()
    page.wait_for_function(
        f"() => new URLSearchParams(location.search).get('event') === "
        f"'{first['event_id']}'",
        timeout=10_000,
    )


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory, start_server):
    """The dashboard on a copy of the data whose first event carries an XSS title."""
    data = tmp_path_factory.mktemp("hostile-data")
    # The dataset's files; the world geography in data/world/ is not one.
    for path in BUNDLED_DATA_DIR.glob("*.*"):
        shutil.copy(path, data / path.name)
    with (data / "events.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        if row["event_id"] == "1991-namangan-confrontation":
            row["title"] = XSS_TITLE
            row["description"] = f"**bold** [link](javascript:alert(1)) {XSS_TITLE}"
    with (data / "events.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    with start_server(data) as url:
        yield url


def test_markup_in_data_is_shown_as_text_and_runs_nothing(page: Page, hostile_server):
    open_app(
        page,
        f"{hostile_server}/?start=1991-01-01&end=1992-12-31"
        "&event=1991-namangan-confrontation",
    )
    expect(page.get_by_role("heading", name=XSS_TITLE)).to_be_visible()
    # Markdown in data is not interpreted either: no bold, no link. (An invisible
    # word joiner follows the colon: it keeps "scheme:" from being read as one.)
    expect(
        page.get_by_text(
            re.compile(r"\*\*bold\*\* \[link\]\(javascript:\u2060alert\(1\)\)")
        )
    ).to_be_visible()
    assert page.locator('a[href^="javascript"]').count() == 0
    page.wait_for_timeout(1000)
    assert page.evaluate("() => window.__xss") is None
    assert page.locator('img[src="x"]').count() == 0


def test_play_steps_the_window_and_pause_stops_it(page: Page, streamlit_server):
    open_app(page, f"{streamlit_server}/?start=1999-01-01&end=1999-12-31")
    expect(caption(page)).to_have_text(re.compile(r"from Jan 1999 to Dec 1999$"))
    start = window_months(caption(page).inner_text())
    page.get_by_role("button", name="Play", exact=True).click()
    expect(caption(page)).not_to_have_text(
        re.compile(r"from Jan 1999 to Dec 1999$"), timeout=20_000
    )
    page.get_by_role("button", name="Pause", exact=True).click()
    expect(page.get_by_role("button", name="Play", exact=True)).to_be_visible(
        timeout=20_000
    )
    page.wait_for_timeout(1500)
    stopped_at = caption(page).inner_text()
    first, last = window_months(stopped_at)
    # The window moved forward by whole steps of three months, keeping its width.
    assert first > start[0] and (first - start[0]) % 3 == 0
    assert last - first == start[1] - start[0]
    page.wait_for_timeout(3000)
    assert caption(page).inner_text() == stopped_at


def test_clicking_an_event_on_the_map_opens_its_details(page: Page, streamlit_server):
    open_app(page, f"{streamlit_server}/?start=2014-01-01&end=2014-12-31&layers=attack")
    karachi = expected_rows(
        {"start": "2014-01-01", "end": "2014-12-31", "layers": "attack"}
    ).iloc[0]
    chart = page.locator('[data-testid="stDeckGlJsonChart"]')
    chart.scroll_into_view_if_needed()
    deck_ready(page)  # a click finds only what deck.gl has drawn
    box = chart.bounding_box()
    x, y = project(
        karachi["lon"], karachi["lat"], DEFAULT_VIEW, box["width"], box["height"]
    )
    heading = page.get_by_role("heading", name=karachi["title"])
    click_event(page, box["x"] + x, box["y"] + y, heading)
    expect(heading).to_be_visible()
    expect(
        page.get_by_text("Karachi airport attack in June 2014", exact=False).first
    ).to_be_visible()


def _regions_totals(start: str, end: str) -> str:
    dataset = load_dataset(BUNDLED_DATA_DIR)
    rows = expected_rows({"start": start, "end": end})
    return totals_line(
        summarise(rows, dataset.places, dataset.regions, "country"), "country"
    )


def test_every_page_keeps_the_window_and_an_era_moves_it(
    page: Page, streamlit_server, artifacts_dir
):
    open_app(page, f"{streamlit_server}/?start=1999-01-01&end=2004-12-31")
    window = "30 events — 11 attacks, 5 bases, 14 context — from Jan 1999 to Dec 2004"
    expect(caption(page)).to_have_text(window)
    nav = page.locator('[data-testid="stSidebarNav"]')

    go_to(page, nav, "Regions")
    expect(page.get_by_role("heading", name="Regions", exact=True)).to_be_visible(
        timeout=20_000
    )
    expect(caption(page)).to_have_text(window)
    expect(
        page.get_by_text(_regions_totals("1999-01-01", "2004-12-31"))
    ).to_be_visible()
    page.wait_for_function(
        "() => location.pathname.endsWith('/regions') && "
        "new URLSearchParams(location.search).get('start') === '1999-01-01'",
        timeout=10_000,
    )
    page.screenshot(path=str(artifacts_dir / "regions.png"), full_page=True)

    go_to(page, nav, "Timeline")
    expect(caption(page)).to_have_text(window, timeout=20_000)
    page.get_by_role("button", name="2 · Founding and raids").click()
    era = re.compile(r"from Jan 1998 to Sep 2001$")
    expect(caption(page)).to_have_text(era, timeout=20_000)
    expect(page.locator('[data-testid="stVegaLiteChart"]').first).to_be_visible()
    page.wait_for_timeout(1000)
    page.screenshot(path=str(artifacts_dir / "timeline.png"), full_page=True)

    go_to(page, nav, "Regions")
    expect(caption(page)).to_have_text(era, timeout=20_000)
    expect(
        page.get_by_text(_regions_totals("1998-01-01", "2001-09-30"))
    ).to_be_visible()

    go_to(page, nav, "Sources & method")
    expect(page.get_by_role("heading", name="Sources & method")).to_be_visible(
        timeout=20_000
    )
    expect(caption(page)).to_have_text(re.compile(r"from Jan 1998 to Sep 2001 · "))
    page.screenshot(path=str(artifacts_dir / "sources.png"), full_page=True)

    go_to(page, nav, "Map")
    expect(caption(page)).to_have_text(era, timeout=20_000)


def test_upload_reports_every_row_then_maps_scrubs_and_downloads(
    page: Page, streamlit_server, tmp_path, artifacts_dir, browser
):
    sample = tmp_path / "acled-kunduz.csv"
    sample.write_text(ACLED_SAMPLE, encoding="utf-8")
    open_app(page, streamlit_server)
    page.get_by_text("Your data").click()
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        str(sample)
    )
    expect(
        page.get_by_text(
            "acled-kunduz.csv: acled: 4 rows — 1 accepted, 2 repaired, 1 rejected"
        )
    ).to_be_visible(timeout=30_000)
    expect(
        page.get_by_text("Showing your file acled-kunduz.csv (3 events)", exact=False)
    ).to_be_visible()
    expect(caption(page)).to_have_text(
        "3 events — 3 attacks, 0 bases, 0 context — from Mar 2018 to May 2018"
    )
    page.screenshot(path=str(artifacts_dir / "upload.png"), full_page=True)

    # Scrub: the window's end one month earlier drops the May event.
    end_handle = page.get_by_role("slider").nth(1)
    end_handle.focus()
    end_handle.press("ArrowLeft")
    expect(caption(page)).to_have_text(
        "2 events — 2 attacks, 0 bases, 0 context — from Mar 2018 to Apr 2018",
        timeout=20_000,
    )
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download CSV").click()
    rows = list(
        csv.DictReader(
            download_info.value.path().read_bytes().decode("utf-8").splitlines()
        )
    )
    assert [r["event_id"] for r in rows] == ["acled-afg1001", "acled-afg1002"]
    assert rows[0]["source_quote"].startswith("A suicide bomber, =HYPERLINK")
    assert rows[0]["fatalities_best"] == "12"
    assert (rows[0]["source_id"], rows[0]["source_row"]) == ("AFG1001", "2")
    assert "source:admin1" not in rows[0]

    # The box says where the file's columns went; year and admin1 are kept.
    expect(
        page.get_by_text("18 columns: 16 crosswalked, 2 kept verbatim", exact=False)
    ).to_be_visible()
    option = page.get_by_role("checkbox", name="Include the file's own columns")
    page.get_by_text("Include the file's own columns").click()
    expect(option).to_be_checked()
    # The download's file is built by the run that follows the tick.
    page.wait_for_timeout(1000)
    expect(page.locator('[data-testid="stApp"]')).to_have_attribute(
        "data-test-script-state", "notRunning", timeout=LOAD_TIMEOUT_MS
    )
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download CSV").click()
    downloaded = download_info.value.path().read_bytes()
    rows = list(csv.DictReader(downloaded.decode("utf-8").splitlines()))
    assert [(r["source:year"], r["source:admin1"]) for r in rows] == [
        ("2018", "Kabul"),
        ("2018", "Kunduz"),
    ]
    # The same file from the shell: import into a folder, export with the option.
    folder = tmp_path / "imported"
    assert main(["import", str(sample), "-o", str(folder)]) == 1
    exported = tmp_path / "export.csv"
    arguments = ["--start", "2018-03-01", "--end", "2018-04-30", "--source-columns"]
    assert main(["export", "--data", str(folder), *arguments, "-o", str(exported)]) == 0
    assert exported.read_bytes() == downloaded

    # Another browser session still sees the curated atlas only.
    other = browser.new_context().new_page()
    open_app(other, streamlit_server)
    expect(caption(other)).to_have_text(re.compile(r"^49 events — "))
    other.close()


def _acled_rows(n: int) -> str:
    """``n`` ACLED rows at four real towns, one a day from 2010 on."""
    towns = [
        ("Kunduz", "Kunduz", 36.7286, 68.8681),
        ("Takhar", "Taloqan", 36.7360, 69.5345),
        ("Zabul", "Qalat", 32.1058, 66.9083),
        ("Kabul", "Kabul", 34.5281, 69.1723),
    ]
    header = ACLED_SAMPLE.splitlines()[0]
    lines = [header]
    for k in range(n):
        admin1, location, lat, lon = towns[k % len(towns)]
        day = f"{2010 + k // 360}-{1 + (k // 30) % 12:02d}-{1 + k % 28:02d}"
        lines.append(
            f"AFG{9000 + k},{day},{day[:4]},1,Political violence,Battles,Armed clash,"
            f"Taliban,Military Forces of Afghanistan,Afghanistan,{admin1},{location},"
            f"{lat},{lon},1,Pajhwok,Clash {k},1"
        )
    return "\n".join(lines) + "\n"


def test_a_large_upload_is_mapped_from_a_file_that_forgetting_removes(
    page: Page, streamlit_server, tmp_path
):
    sample = tmp_path / "acled-large.csv"
    sample.write_text(_acled_rows(2_000), encoding="utf-8")
    open_app(page, streamlit_server)
    page.get_by_text("Your data").click()
    # The map's files: its points (one file per time slice), labels and units.
    stored = re.compile(r"/app/static/points/\d+-[0-9a-f]{16}/[0-9a-f]{40}\.\w+$")
    responses = []
    page.on("response", lambda r: responses.append(r) if stored.search(r.url) else None)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        str(sample)
    )
    expect(page.get_by_text("2,000 events pass the filters")).to_be_visible(
        timeout=60_000
    )
    # The deck itself carries no points: the browser filters the files by date.
    expect(
        page.get_by_text(re.compile(r"^2,000 events — 2,000 attacks"))
    ).to_be_visible()
    page.wait_for_timeout(3_000)  # every slice's file is fetched with the page
    assert responses and all(r.status == 200 for r in responses)
    files = {r.url: r.json() for r in responses if r.url.endswith(".json")}
    slices = {
        url: body
        for url, body in files.items()
        if isinstance(body, list) and body and "i" in body[0]
    }
    points = [point for body in slices.values() for point in body]
    assert len(points) == 2_000
    assert len({p["i"] for p in points}) == 2_000
    assert {round(p["y"], 2) for p in points} == {36.73, 36.74, 32.11, 34.53}

    page.get_by_role("button", name="Forget my file").click()
    expect(caption(page)).to_have_text(re.compile(r"^49 events — "), timeout=30_000)
    for url in slices:
        assert page.request.get(url).status == 404
