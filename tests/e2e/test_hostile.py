"""Hostile text everywhere, in a real Chromium: every text field of every event,
every place and region name, an uploaded file's rows and its name, and the
values of a shared link.

Each page must stay readable: the map's canvas is there, no error box, no link,
image, icon, colour or formula made from the data, no script run, no request
outside the server, and the hostile text shown as the characters it holds (with
bidirectional controls named, never obeyed).
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from playwright.sync_api import Page, expect

from imu_geo.data import BUNDLED_DATA_DIR
from imu_geo.layers import PICK_HINT, fit_view, frame_view
from imu_geo.ui.mapdeck import MAP_SIZE
from tests.e2e.pages import (
    ACLED_SAMPLE,
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

# One string holding every kind of hostile text; each field starts with one of
# deck.gl's converter prefixes (only a leading one is read as code).
HOSTILE = (
    'abc\u202egnp.exe <img src=x onerror="window.__xss=1"> '
    "![x](http://evil.example/leak.png) [click me](http://evil.example/) "
    "https://evil.example/path www.evil.example someone@evil.example "
    ":material/home: :red[red] :smile: $x^2$"
)
PREFIXES = ("@@#x.y ", "@@=x ")
LONG = " ".join(["long"] * 5_000)  # 25,000 characters
EVENT_TEXT_COLUMNS = (
    "title",
    "description",
    "source_quote",
    "source",
    "notes",
    "actors",
    "target",
)
EVENT = "1999-02-tashkent-car-bombs"
# What a reader must be able to read, as typed (word joiners dropped).
READABLE = (
    '<img src=x onerror="window.__xss=1">',
    "![x](http://evil.example/leak.png)",
    "[click me](http://evil.example/)",
    "someone@evil.example :material/home: :red[red] :smile: $x^2$",
    "abc⟨U+202E⟩gnp.exe",
)
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"


def _hostile(number: int) -> str:
    return PREFIXES[number % 2] + HOSTILE + " "


@pytest.fixture(scope="module")
def hostile_folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hostile-everywhere")
    # The dataset's files; the world geography in data/world/ is not one.
    for path in BUNDLED_DATA_DIR.glob("*.*"):
        shutil.copy(path, folder / path.name)
    with (folder / "events.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for number, row in enumerate(rows):
        for column in EVENT_TEXT_COLUMNS:
            row[column] = _hostile(number + len(column)) + row[column]
        if row["event_id"] == EVENT:
            row["description"] += " " + LONG
    with (folder / "events.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    for name in ("places.geojson", "regions.geojson"):
        document = json.loads((folder / name).read_text(encoding="utf-8"))
        for number, feature in enumerate(document["features"]):
            properties = feature["properties"]
            properties["name"] = _hostile(number) + properties["name"]
        (folder / name).write_text(json.dumps(document), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def hostile_server(hostile_folder, start_server):
    with start_server(hostile_folder) as url:
        yield url


_STATE = """() => {
  const skip = (n) => n.closest && n.closest('[data-testid="stFileUploader"]');
  const texts = [];
  for (const root of document.querySelectorAll(
      '[data-testid="stMain"], [data-testid="stSidebar"]')) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      if (!skip(walker.currentNode.parentElement)) texts.push(walker.currentNode.data);
    }
  }
  const attr = (sel, a) =>
    [...document.querySelectorAll(sel)].map(e => e.getAttribute(a) || '');
  return {
    text: texts.join(' '),
    links: attr('a:not(.mapboxgl-ctrl-logo)', 'href'),
    logos: [...document.querySelectorAll('a.mapboxgl-ctrl-logo')]
      .map(e => ({href: e.getAttribute('href'), shown: e.offsetParent !== null})),
    images: attr('img, image, iframe, video, audio, source', 'src')
      .concat(attr('image', 'href')),
    icons: [...document.querySelectorAll('[data-testid="stIconMaterial"]')]
      .map(e => e.textContent),
    coloured: document.querySelectorAll('[data-testid^="stMarkdownColored"]').length,
    formulas: document.querySelectorAll('.katex, math').length,
    errors: document.querySelectorAll(
      '[data-testid="stException"], [data-testid="stAlertContentError"]').length,
    xss: window.__xss === undefined ? null : window.__xss,
  };
}"""


def _assert_readable(
    page: Page, base: str, outside: list[str], readable=READABLE, deck: bool = True
) -> str:
    """The page is whole and nothing in it was made from the data; returns its
    text (word joiners dropped)."""
    run_finished(page)
    if deck:
        expect(
            page.locator('[data-testid="stDeckGlJsonChart"] canvas').first
        ).to_be_visible(timeout=30_000)
    page.wait_for_timeout(500)
    state = page.evaluate(_STATE)
    assert state["errors"] == 0
    assert state["xss"] is None
    text = state["text"].replace("\u2060", "")
    assert "TypeError" not in text
    for link in state["links"]:
        # Same page, same server, or the tour's relative links to the map.
        assert link.startswith(("#", base, "./?")), link
        assert not re.search(r"evil|leak|mailto|x-y|gnp", link), link
    # The base map's library adds its logo as a link, hidden unless the map
    # draws the library's own tiles (ours draws a style served with the app).
    for logo in state["logos"]:
        assert logo == {"href": "https://www.mapbox.com/", "shown": False}, logo
    for source in state["images"]:
        assert source.startswith(("data:image/svg+xml", base, "/", "blob:")), source
        assert "leak" not in source and source != "x"
    assert "home" not in state["icons"]
    assert state["coloured"] == 0 and state["formulas"] == 0
    assert "😄" not in text
    raw = [m.start() for m in re.finditer(f"[{BIDI}]", text)]
    assert not raw, [text[max(0, i - 80) : i + 20] for i in raw[:3]]
    for fragment in readable:
        assert fragment in text, fragment
    assert outside == []
    return text


def _tooltip_of_first_point(page: Page, points=(), views=()) -> str:
    """Hover over the map until an event's tooltip shows; return its text. (A
    unit under the pointer has a tooltip too, which says it can be clicked.)

    ``points`` (lon, lat) are hovered first, where each of ``views`` draws
    them, until the map has settled; then the map is swept in a grid."""
    chart = page.locator('[data-testid="stDeckGlJsonChart"]').first
    chart.scroll_into_view_if_needed()
    deck_ready(page)  # hovering finds only what deck.gl has drawn
    box = chart.bounding_box()
    tooltip = page.locator(".deck-tooltip")

    def event_tip() -> str:
        if (
            tooltip.count()
            and tooltip.first.is_visible()
            and tooltip.first.inner_text().strip()
            and not tooltip.first.inner_text().strip().endswith(PICK_HINT)
        ):
            return tooltip.first.inner_text().replace("\u2060", "")
        return ""

    for _ in range(20 if points else 0):
        for view in views:
            for lon, lat in points:
                x, y = project(lon, lat, view, box["width"], box["height"])
                page.mouse.move(box["x"] + x + 1, box["y"] + y)
                page.mouse.move(box["x"] + x, box["y"] + y)
                if tip := event_tip():
                    return tip
        page.wait_for_timeout(500)
        deck_ready(page)
    for gy in range(4, 36):
        for gx in range(4, 36):
            page.mouse.move(
                box["x"] + box["width"] * gx / 40, box["y"] + box["height"] * gy / 40
            )
            if tip := event_tip():
                return tip
    raise AssertionError("no tooltip appeared over the map")


def test_hostile_text_in_every_field_leaves_every_page_readable(
    page: Page, hostile_server, artifacts_dir
):
    outside = local_only(page, hostile_server)
    open_app(page, f"{hostile_server}/?start=1999-01-01&end=2004-12-31&event={EVENT}")
    text = _assert_readable(page, hostile_server, outside)
    # The details show the whole text, the long description too.
    assert LONG[:2_000] in text and text.count("long") >= 5_000
    assert "@@#x.y" in text or "@@=x" in text
    page.screenshot(path=str(artifacts_dir / "hostile-map.png"))
    tip = _tooltip_of_first_point(page)
    assert tip.startswith(("@@#x.y", "@@=x", "Base moved")), tip
    assert "⟨U+202E⟩" in tip and not set(tip) & set(BIDI)
    assert outside == []

    nav = page.locator('[data-testid="stSidebarNav"]')
    for name, heading, deck, readable in (
        ("Regions", "Regions", True, ()),
        ("Timeline", "Events over time", False, ()),
        ("Sources & method", "Sources & method", False, READABLE),
    ):
        go_to(page, nav, name)
        expect(
            page.get_by_role("heading", name=re.compile(heading)).first
        ).to_be_visible(timeout=30_000)
        _assert_readable(page, hostile_server, outside, readable, deck=deck)
        for chart in page.locator(
            '[data-testid="stDeckGlJsonChart"], [data-testid="stVegaLiteChart"], '
            # The scrubber (its chart is in the component's shadow root).
            'svg[aria-label^="Events per month"]'
        ).all():
            chart.scroll_into_view_if_needed()
            hover_across(page, chart)
        _assert_readable(page, hostile_server, outside, readable, deck=deck)
    # Regions' tooltip shows a region's name as text.
    go_to(page, nav, "Regions")
    expect(page.get_by_role("heading", name="Regions")).to_be_visible(timeout=30_000)
    _assert_readable(page, hostile_server, outside, (), deck=True)
    tip = _tooltip_of_first_point(page)
    assert tip.startswith(("@@#x.y", "@@=x")), tip


# A shared link to the tour whose every value is hostile; each one is refused
# with a warning that quotes it.
TOUR_LINK = {
    "tour": "![x](/leak.png)",
    "types": "![x](http://evil.example/leak)",
    "start": "[click me](http://evil.example/)",
    "actors": ":material/home: www.evil.example a@evil.example",
    "countries": "abc\u202egnp.exe",
}
# The values as the warnings must show them (the tour's stop is cut to 20).
TOUR_LINK_READABLE = (
    "The tour has no stop “![x](/leak.png)”",
    "![x](http://evil.example/leak)",
    "[click me](http://evil.example/)",
    ":material/home: www.evil.example a@evil.example",
    "abc⟨U+202E⟩gnp.exe",
)


def _key_event_links(page: Page) -> list[str]:
    links = page.get_by_role("link", name="Open this event on the map")
    return [links.nth(k).get_attribute("href") for k in range(links.count())]


def test_hostile_text_and_a_hostile_link_leave_the_tour_readable(
    page: Page, hostile_server, artifacts_dir
):
    outside = local_only(page, hostile_server)
    page.goto(f"{hostile_server}/tour?{urlencode(TOUR_LINK, quote_via=quote)}")
    expect(
        page.get_by_role("heading", name=re.compile(r"^A tour")).first
    ).to_be_visible(timeout=60_000)
    expect(page.get_by_role("heading", name=re.compile(r"^1\. "))).to_be_visible(
        timeout=30_000
    )
    # The warnings quote the link's values as text; the key events show their
    # hostile titles, places and quotes as text.
    text = _assert_readable(
        page, hostile_server, outside, TOUR_LINK_READABLE + READABLE
    )
    assert "Key events" in text and "@@" in text
    links = _key_event_links(page)
    assert links and all(
        link.startswith("./?") and "event=" in link for link in links
    ), links
    page.screenshot(path=str(artifacts_dir / "hostile-tour.png"), full_page=True)
    tip = _tooltip_of_first_point(page)
    assert tip.startswith(("@@#x.y", "@@=x", "Base moved")), tip
    assert "⟨U+202E⟩" in tip and not set(tip) & set(BIDI)
    # The next stop: the warnings are gone, its key events are as inert.
    page.get_by_role("button", name="Next ▶").click()
    expect(page.get_by_role("heading", name=re.compile(r"^2\. "))).to_be_visible(
        timeout=30_000
    )
    _assert_readable(page, hostile_server, outside, READABLE)
    assert _key_event_links(page)
    for chart in page.locator('[data-testid="stDeckGlJsonChart"]').all():
        chart.scroll_into_view_if_needed()
        hover_across(page, chart)
    _assert_readable(page, hostile_server, outside, READABLE)


HOSTILE_NAME = (
    "@@#x.y abc\u202egnp <img src=x onerror=window.__xss=9> ![x](leak.png) "
    "www.evil.example someone@evil.example :smile: :red[red] [click](evil.example)"
    + " long" * 10
    + ".csv"
)


# The four real towns the hostile ACLED rows are at: admin-1, place, lat, lon.
HOSTILE_TOWNS = [
    ("Kunduz", "Kunduz", "36.7286", "68.8681"),
    ("Takhar", "Taloqan", "36.7360", "69.5345"),
    ("Zabul", "Qalat", "32.1058", "66.9083"),
    ("Kabul", "Kabul", "34.5281", "69.1723"),
]


def _hostile_acled(rows: int) -> str:
    """ACLED rows whose text columns are hostile, at four real towns."""
    header = ACLED_SAMPLE.splitlines()[0].split(",")
    towns = HOSTILE_TOWNS
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for k in range(rows):
        admin1, location, lat, lon = towns[k % len(towns)]
        day = f"{2010 + k // 360}-{1 + (k // 30) % 12:02d}-{1 + k % 28:02d}"
        writer.writerow(
            [
                f"AFG{k}",
                day,
                day[:4],
                "1",
                "Political violence",
                "Battles",
                PREFIXES[k % 2] + "abc\u202egnp",
                PREFIXES[(k + 1) % 2] + HOSTILE,
                HOSTILE,
                "Afghanistan",
                admin1,
                location,
                lat,
                lon,
                "1",
                PREFIXES[k % 2] + HOSTILE,
                PREFIXES[(k + 1) % 2] + HOSTILE + " " + (LONG if k == 0 else ""),
                "1",
            ]
        )
    return buffer.getvalue()


def _upload(page: Page, path: Path) -> None:
    page.get_by_text("Your data").click()
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        str(path)
    )


def test_a_hostile_upload_and_its_name_leave_every_page_readable(
    page: Page, streamlit_server, tmp_path
):
    outside = local_only(page, streamlit_server)
    sample = tmp_path / HOSTILE_NAME
    sample.write_text(_hostile_acled(3), encoding="utf-8")
    open_app(page, streamlit_server)
    _upload(page, sample)
    expect(page.get_by_text("Showing your file", exact=False)).to_be_visible(
        timeout=30_000
    )
    shown_name = "@@#x.y abc⟨U+202E⟩gnp <img src=x onerror=window.__xss=9> ![x]"
    text = _assert_readable(page, streamlit_server, outside, (shown_name,))
    # Quoted names are cut to 80 characters.
    assert " long long long" not in text.split("Showing your file", 1)[1][:200]
    # Overlaid on the atlas (the probe's case: the atlas lost its map too).
    page.get_by_text("Both, overlaid").click()
    expect(
        page.get_by_text("Showing the curated atlas with your file", exact=False)
    ).to_be_visible(timeout=30_000)
    _assert_readable(page, streamlit_server, outside, (shown_name,))
    nav = page.locator('[data-testid="stSidebarNav"]')
    for name, heading, deck in (
        ("Regions", "Regions", True),
        ("Timeline", "Events over time", False),
        ("Sources & method", "Sources & method", False),
        ("Tour", "A tour in time", True),
    ):
        go_to(page, nav, name)
        expect(page.get_by_role("heading", name=heading).first).to_be_visible(
            timeout=30_000
        )
        _assert_readable(page, streamlit_server, outside, (shown_name,), deck=deck)
    page.get_by_role("button", name="Forget my file").click()
    expect(caption(page)).to_have_text(re.compile(r"^49 events — "), timeout=30_000)


def test_a_large_hostile_upload_is_mapped_from_point_files(
    page: Page, streamlit_server, tmp_path
):
    outside = local_only(page, streamlit_server)
    sample = tmp_path / "hostile-large.csv"
    sample.write_text(_hostile_acled(400), encoding="utf-8")
    open_app(page, streamlit_server)
    with page.expect_response(
        re.compile(r"/app/static/points/.+\.json$"), timeout=60_000
    ):
        _upload(page, sample)
    expect(page.get_by_text("400 events pass the filters", exact=False)).to_be_visible(
        timeout=30_000
    )
    _assert_readable(page, streamlit_server, outside, ())
    # The map opens on the upload's extent, framed for the Map page's map and
    # zoomed out to the map's measured width when that is narrower.
    points = [(float(lon), float(lat)) for _, _, lat, lon in HOSTILE_TOWNS]
    lons, lats = zip(*points, strict=True)
    desktop = frame_view((min(lons), min(lats), max(lons), max(lats)), *MAP_SIZE)
    box = page.locator('[data-testid="stDeckGlJsonChart"]').first.bounding_box()
    fitted = fit_view(desktop, MAP_SIZE, (box["width"], box["height"]))
    tip = _tooltip_of_first_point(page, points, (fitted, desktop))
    assert tip.startswith(("@@#x.y", "@@=x")) and "⟨U+202E⟩" in tip, tip
    page.get_by_role("button", name="Forget my file").click()
    expect(caption(page)).to_have_text(re.compile(r"^49 events — "), timeout=30_000)


def test_a_damaged_parquet_upload_gets_one_line_and_the_app_goes_on(
    page: Page, streamlit_server, tmp_path
):
    damaged = tmp_path / "damaged.parquet"
    damaged.write_bytes(b"PAR1" + b"\x00" * 50 + b"PAR1")
    open_app(page, streamlit_server)
    _upload(page, damaged)
    error = page.locator(
        '[data-testid="stSidebar"] [data-testid="stAlertContentError"]'
    )
    expect(error).to_be_visible(timeout=30_000)
    reason = error.locator('[data-testid="stMarkdownContainer"]').inner_text()
    reason = reason.strip().replace("\u2060", "")
    # The reader names the damage itself: the file's own fault, one line, and
    # nothing for the server's log (an unforeseen error would carry a reference).
    assert reason == (
        "damaged.parquet: is a damaged Parquet file (Couldn't deserialize thrift: "
        "No more data to read); export it again"
    ), reason
    assert page.locator('[data-testid="stException"]').count() == 0
    expect(caption(page)).to_have_text(re.compile(r"^49 events — "))
    expect(
        page.locator('[data-testid="stDeckGlJsonChart"] canvas').first
    ).to_be_visible(timeout=30_000)
