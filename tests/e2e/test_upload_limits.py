"""A hostile upload in a real Chromium against a real server: the page says why in one
line, and the server keeps answering its health check throughout."""

from __future__ import annotations

import re
import threading
import time

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import healthy
from tests.e2e.pages import caption, open_app

pytestmark = pytest.mark.browser


class HealthWatch:
    """Asks ``/_stcore/health`` every 0.25 s (2 s timeout) until stopped."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.answers: list[bool] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self.stop.is_set():
            self.answers.append(healthy(self.url, timeout_s=2))
            time.sleep(0.25)

    def __enter__(self) -> HealthWatch:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join(timeout=5)


def test_a_csv_of_a_million_columns_is_refused_in_one_line_and_the_server_stays_up(
    page: Page, streamlit_server, tmp_path
):
    bomb = tmp_path / "columns-1m.csv"
    with bomb.open("w", encoding="ascii", newline="") as out:
        out.write(",".join(str(i) for i in range(1_000_000)) + "\n")
        out.write("x," * 999_999 + "x\n")
    assert bomb.stat().st_size > 8 * 2**20
    open_app(page, streamlit_server)
    page.get_by_text("Your data").click()
    with HealthWatch(streamlit_server) as health:
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
            str(bomb)
        )
        reason = page.get_by_text(
            "columns-1m.csv: has 1,000,000 columns; the limit is 1,000 columns",
            exact=True,
        )
        expect(reason).to_be_visible(timeout=60_000)
        time.sleep(1.0)  # and after the answer
    assert len(health.answers) >= 4
    assert all(health.answers), health.answers
    assert page.get_by_text("Showing your file").count() == 0
    expect(caption(page)).to_have_text(re.compile(r"^49 events — "))
