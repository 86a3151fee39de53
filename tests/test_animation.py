"""The playback as an animation: frames, labels, caps, GIF and MP4, cancelling."""

from __future__ import annotations

import threading
from datetime import date

import imageio.v2 as imageio_v2
import imageio.v3 as iio
import pytest

from imu_geo.animation import (
    MAX_FRAMES,
    AnimationJob,
    Cancelled,
    animation_bytes,
    duration_words,
    frame_label,
    frame_specs,
    plan_animation,
)
from imu_geo.data import BUNDLED_DATA_DIR, load_dataset
from imu_geo.filters import FilterSpec, apply_filters
from imu_geo.render import RENDER_COLUMNS, build_basemap, picture_text

SIZE = (1024, 640)


@pytest.fixture(scope="module")
def atlas():
    dataset = load_dataset(BUNDLED_DATA_DIR)
    return dataset, build_basemap(dataset.regions, dataset.places)


def spec_of(start: str, end: str, mode: str = "window") -> FilterSpec:
    return FilterSpec(date.fromisoformat(start), date.fromisoformat(end), mode)


@pytest.mark.parametrize(
    ("start", "end", "step", "frames"),
    [
        (
            "1999-01-01",
            "1999-12-31",
            3,
            [
                ("1999-01-01", "1999-03-31"),
                ("1999-04-01", "1999-06-30"),
                ("1999-07-01", "1999-09-30"),
                ("1999-10-01", "1999-12-31"),
            ],
        ),
        (
            "1999-01-01",
            "2000-02-29",
            12,
            [("1999-01-01", "1999-12-31"), ("2000-01-01", "2000-02-29")],
        ),
        (
            "2001-11-01",
            "2002-01-31",
            1,
            [
                ("2001-11-01", "2001-11-30"),
                ("2001-12-01", "2001-12-31"),
                ("2002-01-01", "2002-01-31"),
            ],
        ),
    ],
)
def test_frames_cut_the_window_into_steps(start, end, step, frames):
    got = frame_specs(spec_of(start, end), step)
    assert [(f.start.isoformat(), f.end.isoformat()) for f in got] == frames


def test_the_whole_atlas_by_year_is_25_frames():
    assert len(frame_specs(spec_of("1991-01-01", "2015-12-31"), 12)) == 25


@pytest.mark.parametrize(
    ("start", "end", "mode", "label"),
    [
        ("1999-01-01", "1999-12-31", "window", "1999"),
        ("1999-02-01", "1999-02-28", "window", "Feb 1999"),
        ("1999-01-01", "1999-03-31", "window", "Jan–Mar 1999"),
        ("1999-11-01", "2000-01-31", "window", "Nov 1999 – Jan 2000"),
        ("1991-01-01", "1999-03-31", "cumulative", "up to Mar 1999"),
    ],
)
def test_frame_labels(start, end, mode, label):
    assert frame_label(spec_of(start, end, mode)) == label


def test_a_step_that_play_does_not_have_is_refused():
    with pytest.raises(ValueError, match="step must be one of 1, 3, 12"):
        frame_specs(spec_of("1999-01-01", "1999-12-31"), 2)


def test_caps_refuse_with_a_sentence_that_says_what_to_change():
    # 26 years of months: 312 frames, over the 300-frame cap.
    long = spec_of("1990-01-01", "2015-12-31")
    frames, refusal = plan_animation(long, 1, "mp4", SIZE)
    assert len(frames) == 312 > MAX_FRAMES
    assert refusal == (
        "This window makes 312 frames of one month; an animation holds at most "
        "300. Choose a longer step or a shorter window."
    )
    # 300 frames are allowed as MP4 (streamed) but not as a GIF at this size:
    # 300 × 1024 × 640 = 196.6 million pixels, over 120 million.
    atlas_span = spec_of("1991-01-01", "2015-12-31")
    assert plan_animation(atlas_span, 1, "mp4", SIZE)[1] == ""
    _, refusal = plan_animation(atlas_span, 1, "gif", SIZE)
    assert refusal.startswith(
        "A GIF of 300 frames of 1024 × 640 pixels is 197 million pixels; a GIF "
        "holds at most 120 million (183 frames at this size)."
    )
    assert plan_animation(atlas_span, 3, "gif", SIZE)[1] == ""
    _, refusal = plan_animation(atlas_span, 12, "gif", (4000, 3000))
    assert refusal == "The frame size must be one of 1024 × 640, 1280 × 800 pixels."


@pytest.mark.parametrize(
    ("frames", "fps", "words"),
    [
        (25, 2, "25 frames, 12.5 s at 2 frames a second"),
        (4, 1, "4 frames, 4 s at 1 frame a second"),
        (1, 4, "1 frame, 0.2 s at 4 frames a second"),
    ],
)
def test_duration_words(frames, fps, words):
    assert duration_words(frames, fps) == words


def build(atlas, spec, step, fmt, **kwargs) -> bytes:
    dataset, basemap = atlas
    candidates = apply_filters(dataset.events, spec)[list(RENDER_COLUMNS)]
    return animation_bytes(
        candidates,
        spec,
        basemap,
        picture_text("atlas"),
        step,
        fmt=fmt,
        size=SIZE,
        **kwargs,
    )


def test_the_gif_has_one_frame_per_step_and_the_same_bytes_again(atlas, tmp_path):
    spec = spec_of("1999-01-01", "2000-12-31")  # 8 steps of 3 months
    calls = []
    gif = build(atlas, spec, 3, "gif", fps=4, progress=lambda d, t: calls.append(d))
    frames = iio.imread(gif, index=None, extension=".gif")
    assert frames.shape[0] == 8
    assert frames.shape[1:3] == (640, 1024)
    assert calls == list(range(1, 9))
    assert iio.immeta(gif, index=0, extension=".gif")["duration"] == 250
    # The frames differ (each has its own date), and the state gives the bytes.
    assert (frames[0] != frames[1]).any()
    assert build(atlas, spec, 3, "gif", fps=4) == gif


def test_the_mp4_is_readable_with_the_right_frame_count(atlas, tmp_path):
    spec = spec_of("1999-01-01", "2003-12-31")  # 5 years
    path = tmp_path / "years.mp4"
    path.write_bytes(build(atlas, spec, 12, "mp4", fps=2))
    reader = imageio_v2.get_reader(path, "ffmpeg")
    try:
        assert reader.count_frames() == 5
        meta = reader.get_meta_data()
        assert meta["size"] == SIZE
        assert meta["fps"] == 2
    finally:
        reader.close()


def test_a_cancelled_build_stops_between_frames(atlas):
    spec = spec_of("1999-01-01", "2000-12-31")
    done = []
    with pytest.raises(Cancelled, match="after 2 of 8 frames"):
        build(
            atlas,
            spec,
            3,
            "gif",
            progress=lambda d, t: done.append(d),
            cancelled=lambda: len(done) >= 2,
        )
    assert done == [1, 2]


def test_a_bad_frame_rate_is_refused(atlas):
    with pytest.raises(ValueError, match="frame rate must be 1 to 12"):
        build(atlas, spec_of("1999-01-01", "1999-12-31"), 12, "gif", fps=30)


def test_a_job_runs_in_the_background_and_can_be_cancelled():
    started, release = threading.Event(), threading.Event()

    def slow(progress, cancelled):
        for done in range(1, 100):
            if cancelled():
                raise Cancelled("stopped")
            progress(done, 99)
            started.set()
            release.wait(0.01)
        return b"never"

    job = AnimationJob(("view",), slow, total=99).start()
    assert started.wait(10)
    job.cancel()
    job.wait(10)
    assert not job.running
    assert job.was_cancelled and job.result is None and 0 < job.done < 99

    finished = AnimationJob(("view",), lambda p, c: b"GIF89a").start()
    finished.wait(10)
    assert finished.result == b"GIF89a" and not finished.was_cancelled


def test_a_job_reports_a_refusal_as_its_error():
    def refused(progress, cancelled):
        raise ValueError("This window makes 312 frames")

    job = AnimationJob(("view",), refused).start()
    job.wait(10)
    assert job.error == "This window makes 312 frames" and job.result is None
