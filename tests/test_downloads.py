"""The Map page's downloads of the map as a picture and as an animation
(:mod:`imu_geo.ui.downloads`), under AppTest: offered, capped before building,
built in the background with progress and Cancel."""

from __future__ import annotations

import time
from functools import partial

import numpy as np
import pytest

from tests.helpers import button, open_page

# Building an animation takes longer than a page's run.
TIMEOUT = 120

map_app = partial(open_page, timeout=TIMEOUT)


def test_the_map_page_offers_the_picture_and_the_animation():
    at = map_app(start="1999-01-01", end="2001-12-31")
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Download map (PNG)" in labels and "Download map (SVG)" in labels
    captions = [c.value for c in at.caption]
    # Three years at Play's default step of three months: 12 frames.
    assert any("12 frames, 6 s at 2 frames a second" in c for c in captions)
    at = at.selectbox(key="a_step").set_value("1 year").run()
    captions = [c.value for c in at.caption]
    assert any("3 frames, 1.5 s at 2 frames a second" in c for c in captions)
    at = button(at, "Build the animation").click().run()
    job = at.session_state["_animation_job"]
    job.wait(TIMEOUT)
    assert job.result is not None and job.result.startswith(b"GIF89a")
    at.run()
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Download animation (GIF)" in labels


@pytest.mark.parametrize(
    ("fmt", "size", "refused"),
    [("GIF", "1280 × 800", True), ("MP4", "1280 × 800", False)],
)
def test_the_caps_are_said_before_building(fmt, size, refused):
    at = map_app()
    at.radio(key="a_fmt").set_value(fmt.lower())
    at.selectbox(key="a_step").set_value("1 month")
    at.selectbox(key="a_size").set_value(size)
    at.run()
    warnings = [w.value for w in at.warning]
    has_button = any(b.label == "Build the animation" for b in at.button)
    assert has_button is not refused
    if refused:
        assert any(w.startswith("A GIF of 300 frames") for w in warnings), warnings


def test_a_running_build_shows_progress_and_cancel(monkeypatch):
    import imu_geo.animation as animation

    def slow_frames(*args, **kwargs):
        # Blank frames, a second each: the build is still running when the page
        # looks, and stops at the next frame once cancelled.
        for _ in range(12):
            time.sleep(1)
            yield np.zeros((640, 1024, 3), dtype=np.uint8)

    at = map_app(start="1999-01-01", end="2001-12-31")
    monkeypatch.setattr(animation, "render_frames", slow_frames)
    at = button(at, "Build the animation").click().run()
    job = at.session_state["_animation_job"]
    assert job.running
    assert any(b.label == "Cancel" for b in at.button)
    button(at, "Cancel").click().run()
    job.wait(TIMEOUT)
    assert job.was_cancelled and job.done < 12
    at.run()
    assert any(i.value.startswith("Cancelled after ") for i in at.info)
