"""The playback as an animation: frames, labels, caps, GIF and MP4, cancelling."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import date

import imageio.v2 as imageio_v2
import imageio.v3 as iio
import matplotlib
import numpy as np
import pytest

from imu_geo.animation import (
    MAX_FRAMES,
    AnimationJob,
    Cancelled,
    _encode_gif,
    _encode_mp4,
    _frame_rows,
    animation_bytes,
    animation_title,
    duration_words,
    frame_label,
    frame_specs,
    gif_palette,
    plan_animation,
    render_frames,
)
from imu_geo.data import BUNDLED_DATA_DIR, load_dataset
from imu_geo.filters import FilterSpec, apply_filters
from imu_geo.layers import MapOptions
from imu_geo.render import RENDER_COLUMNS, build_basemap, picture_text
from tests.helpers import make_events

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
        # January to December, but not of one year; and of one year, but
        # not from January or not to December.
        ("1999-01-01", "2000-12-31", "window", "Jan 1999 – Dec 2000"),
        ("1999-02-01", "1999-12-31", "window", "Feb–Dec 1999"),
        ("1999-01-01", "1999-11-30", "window", "Jan–Nov 1999"),
        # One month, but of two years.
        ("1999-02-01", "2000-02-29", "window", "Feb 1999 – Feb 2000"),
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


def test_a_format_it_cannot_write_is_refused():
    frames, refusal = plan_animation(
        spec_of("1999-01-01", "1999-12-31"), 12, "avi", SIZE
    )
    assert len(frames) == 1
    assert refusal == "The format must be one of gif, mp4."


def test_the_gif_cap_counts_the_larger_size_too():
    # 1280 × 800 = 1,024,000 pixels a frame: 117 frames fit in 120 million,
    # and 25 years of 3 months (100 frames) do, 300 months do not.
    atlas_span = spec_of("1991-01-01", "2015-12-31")
    assert plan_animation(atlas_span, 3, "gif", (1280, 800))[1] == ""
    _, refusal = plan_animation(atlas_span, 1, "gif", (1280, 800))
    assert refusal == (
        "A GIF of 300 frames of 1280 × 800 pixels is 307 million pixels; a GIF "
        "holds at most 120 million (117 frames at this size). Choose MP4, the "
        "smaller size, a longer step or a shorter window."
    )


WINDOW_EVENTS = make_events(
    [
        # Began before the frame and lasted into its first day.
        {"event_id": "into", "date_start": "1998-06-01", "date_end": "1999-01-01"},
        # Began on the frame's last day.
        {"event_id": "last", "date_start": "1999-03-31", "date_end": "1999-03-31"},
        # Ended the day before the frame.
        {"event_id": "before", "date_start": "1998-01-01", "date_end": "1998-12-31"},
        # Began the day after it.
        {"event_id": "after", "date_start": "1999-04-01", "date_end": "1999-04-01"},
    ]
)


@pytest.mark.parametrize(
    ("mode", "shown"),
    [
        ("window", ["into", "last"]),
        # Everything that began by the frame's end.
        ("cumulative", ["into", "last", "before"]),
    ],
)
def test_a_frame_shows_what_overlaps_it_or_began_by_its_end(mode, shown):
    frame = spec_of("1999-01-01", "1999-03-31", mode)
    assert list(_frame_rows(WINDOW_EVENTS, frame)["event_id"]) == shown


def test_every_frame_is_titled_with_the_span_and_the_step():
    candidates = make_events(
        [
            {"date_start": "1999-02-16", "date_end": "1999-02-16"},
            {"date_start": "1999-08-01", "date_end": "1999-08-31"},
            {
                "layer": "base",
                "event_type": "group_base",
                "date_start": "1999-01-01",
                "date_end": "1999-12-31",
            },
        ]
    )
    spec = spec_of("1999-01-01", "1999-12-31")
    assert animation_title("IMU", spec, 3, candidates) == (
        "IMU, Jan 1999 to Dec 1999",
        "3 events — 2 attacks, 1 base, 0 context — from Jan 1999 to Dec 1999 "
        "· one frame per 3 months",
    )


@pytest.mark.parametrize("fps", [1, 12])
def test_one_and_twelve_frames_a_second_are_allowed(atlas, fps):
    # Cancelled before the first frame: the rate was accepted, nothing drawn.
    with pytest.raises(Cancelled, match="after 0 of 1 frames"):
        build(
            atlas,
            spec_of("1999-01-01", "1999-12-31"),
            12,
            "mp4",
            fps=fps,
            cancelled=lambda: True,
        )


@pytest.mark.parametrize("fps", [0, 13])
def test_rates_outside_one_to_twelve_are_refused(atlas, fps):
    with pytest.raises(ValueError, match="frame rate must be 1 to 12 frames a second"):
        build(atlas, spec_of("1999-01-01", "1999-12-31"), 12, "mp4", fps=fps)


def test_a_job_reports_any_other_failure_in_a_sentence():
    def broken(progress, cancelled):
        raise RuntimeError("no ffmpeg")

    job = AnimationJob(("view",), broken).start()
    job.wait(10)
    assert not job.running
    assert job.error == "The animation could not be built: no ffmpeg"
    assert job.result is None and not job.was_cancelled


def test_the_gif_palette_keeps_small_swatches_of_pure_colour():
    # A picture like a frame: a plain background, 36,000 shades over the top,
    # and the legend's seven attack colours (Okabe-Ito) in 6 x 6 swatches.
    # Each swatch is one palette colour exactly; median cut, Pillow's default,
    # merges three of them with the shades around.
    swatches = [
        (213, 94, 0),
        (204, 121, 167),
        (230, 159, 0),
        (86, 180, 233),
        (0, 114, 178),
        (0, 158, 115),
        (240, 228, 66),
    ]
    picture = np.zeros((200, 300, 3), np.uint8)
    picture[:] = (246, 244, 239)
    y, x = np.mgrid[0:120, 0:300]
    picture[:120] = np.stack([x * 255 // 299, y * 2, np.full_like(x, 90)], -1)
    for k, colour in enumerate(swatches):
        picture[130:136, 10 + 20 * k : 16 + 20 * k] = colour
    palette = np.array(gif_palette(picture).getpalette()[:768]).reshape(-1, 3)
    for colour in swatches:
        assert (palette == colour).all(axis=1).any(), colour


def test_a_job_is_a_daemon_and_waits_only_as_long_as_asked():
    release = threading.Event()

    def blocked(progress, cancelled):
        release.wait(10)
        return b"GIF89a"

    job = AnimationJob(("view",), blocked).start()
    try:
        # A build left running does not keep the server from stopping.
        assert job._thread.daemon
        job.wait(0.05)
        assert job.running
    finally:
        release.set()
    job.wait(10)
    assert job.result == b"GIF89a"


def test_gif_frames_keep_their_colours_through_the_shared_palette():
    red, blue, dark, light = (213, 94, 0), (0, 114, 178), (90, 90, 90), (120, 120, 120)
    probe = np.zeros((8, 8, 3), np.uint8)
    probe[:4, :4], probe[:4, 4:], probe[4:, :4], probe[4:, 4:] = red, blue, dark, light
    halves = np.zeros((8, 8, 3), np.uint8)
    halves[:, :4], halves[:, 4:] = red, blue
    # A grey the palette does not have: every pixel takes the nearest one,
    # (90, 90, 90), undithered.
    grey = np.full((8, 8, 3), 100, np.uint8)
    gif = _encode_gif(iter([halves, grey]), 5, gif_palette(probe))
    frames = iio.imread(gif, index=None, extension=".gif")[..., :3]
    assert frames.shape == (2, 8, 8, 3)
    assert (frames[0] == halves).all()
    assert (frames[1] == dark).all()
    # 1000 / 5 ms a frame, played in a loop.
    assert iio.immeta(gif, index=0, extension=".gif")["duration"] == 200
    assert iio.immeta(gif, index=0, extension=".gif")["loop"] == 0


def test_the_mp4_names_no_muxer_version(tmp_path):
    # Written bit-exact, so the muxer leaves its version ("Lavf...") out.
    frames = [np.full((64, 64, 3), level, np.uint8) for level in (10, 200)]
    mp4 = _encode_mp4(iter(frames), 2, (64, 64))
    assert mp4[4:8] == b"ftyp"
    assert b"Lavf" not in mp4
    path = tmp_path / "two.mp4"
    path.write_bytes(mp4)
    reader = imageio_v2.get_reader(path, "ffmpeg")
    try:
        assert reader.count_frames() == 2
    finally:
        reader.close()


def test_frames_differ_only_by_the_date_written_at_the_maps_top_left(atlas):
    dataset, basemap = atlas
    no_events = dataset.events[list(RENDER_COLUMNS)].iloc[0:0]
    spec = spec_of("1999-01-01", "1999-02-28")  # Jan 1999, Feb 1999
    probe, january, february = render_frames(
        no_events, spec, basemap, picture_text("atlas"), 1, size=SIZE, probe=True
    )
    for image in (probe, january, february):
        assert image.shape == (640, 1024, 3) and image.dtype == np.uint8
    # The probe draws every candidate (none) under the longest label, the
    # first of two as long: January's frame.
    assert (probe == january).all()
    # Nothing but the date changes, and it is written in the top quarter and
    # the left third of the picture.
    rows, columns = np.nonzero((january != february).any(axis=2))
    assert len(rows) > 0
    assert rows.max() < 640 / 4 and columns.max() < 1024 / 3
    # Written large (the box it changes is over 40 px tall), in the ink of
    # the picture's text (#333), on a white box that lets a little of the
    # land (246, 244, 239) through, so lighter than the land.
    assert rows.max() - rows.min() > 40
    box = january[rows.min() : rows.max() + 1, columns.min() : columns.max() + 1]
    colours = box.reshape(-1, 3)
    assert (colours == (51, 51, 51)).all(axis=1).any()
    assert (np.median(colours, axis=0) > (250, 250, 250)).all()


def test_by_default_a_gif_of_one_frame_per_three_months(atlas):
    dataset, basemap = atlas
    spec = spec_of("1999-01-01", "1999-12-31")
    # No step and no format given: a GIF (its palette drawn first) of 4 frames.
    with pytest.raises(Cancelled, match="after 0 of 4 frames"):
        animation_bytes(
            dataset.events[list(RENDER_COLUMNS)].iloc[0:0],
            spec,
            basemap,
            picture_text("atlas"),
            cancelled=lambda: True,
        )


def test_a_refused_animation_raises_the_refusals_sentence(atlas):
    with pytest.raises(ValueError, match=r"^The format must be one of gif, mp4\.$"):
        build(atlas, spec_of("1999-01-01", "1999-12-31"), 12, "avi")


def test_the_larger_size_gives_larger_frames_and_progress_counts_them(atlas):
    dataset, basemap = atlas
    spec = spec_of("1999-01-01", "1999-12-31")
    calls = []
    gif = animation_bytes(
        dataset.events[list(RENDER_COLUMNS)].iloc[0:0],
        spec,
        basemap,
        picture_text("atlas"),
        12,
        size=(1280, 800),
        progress=lambda done, total: calls.append((done, total)),
    )
    assert iio.imread(gif, index=None, extension=".gif").shape[:3] == (1, 800, 1280)
    assert calls == [(1, 1)]


def _one_frame(atlas, candidates, heading="The IMU"):
    _, basemap = atlas
    spec = spec_of("1999-01-01", "1999-12-31")
    text = replace(picture_text("atlas"), heading=heading)
    (frame,) = render_frames(candidates, spec, basemap, text, 12, size=SIZE)
    return frame


def test_every_frame_carries_the_heading(atlas):
    dataset, _ = atlas
    no_events = dataset.events[list(RENDER_COLUMNS)].iloc[0:0]
    one = _one_frame(atlas, no_events, "The IMU")
    other = _one_frame(atlas, no_events, "Another heading")
    rows, _ = np.nonzero((one != other).any(axis=2))
    # The heading is written above the map, at the top of the picture.
    assert len(rows) > 0 and rows.max() < 640 / 4


def test_a_note_says_when_events_without_a_place_are_not_drawn(atlas):
    dataset, _ = atlas
    columns = list(RENDER_COLUMNS)
    events = dataset.events[columns]
    in_1999 = events[(events["date_start"].dt.year == 1999) & events["lat"].notna()]
    unplaced = in_1999.iloc[:1].assign(lat=float("nan"), lon=float("nan"))
    with_note = _one_frame(atlas, unplaced)
    without = _one_frame(atlas, events.iloc[0:0])
    # Neither draws a dot. The unplaced event changes the title's sentence
    # (at the top) and the count ("1 event", at the map's top left), and it
    # adds the note, under the legend: the pictures differ below both.
    rows, columns_ = np.nonzero((with_note != without).any(axis=2))
    assert ((rows > 640 / 4) & (columns_ > 1024 / 3)).any()


def test_the_count_under_the_date_says_how_many_events_the_frame_has(atlas):
    dataset, _ = atlas
    events = dataset.events[list(RENDER_COLUMNS)]
    in_1999 = events[(events["date_start"].dt.year == 1999) & events["lat"].notna()]
    # Events without a place: counted, not drawn, so only the words change.
    unplaced = in_1999.iloc[:2].assign(lat=float("nan"), lon=float("nan"))
    one = _one_frame(atlas, unplaced.iloc[:1])
    two = _one_frame(atlas, unplaced)
    rows, columns = np.nonzero((one != two).any(axis=2))
    # Besides the title's sentence (above the map), "1 event" and "2 events"
    # differ at the map's top left, under the date (rows 76 to 139 here).
    under_the_date = (rows > 139) & (rows < 640 / 3)
    assert under_the_date.any()
    assert (columns[under_the_date] < 1024 / 3).all()


def test_a_frame_of_more_events_than_can_be_drawn_is_shaded_with_its_scale(atlas):
    _, basemap = atlas
    rng = np.random.default_rng(7)

    def crowd(n):
        frame = make_events(
            [
                {
                    "event_id": f"e{k}",
                    "date_start": "1999-06-01",
                    "date_end": "1999-06-01",
                }
                for k in range(n)
            ]
        )
        frame["lat"] = 36 + rng.random(n)
        frame["lon"] = 68 + rng.random(n)
        return frame[list(RENDER_COLUMNS)]

    # 20,000 events are drawn one by one, 20,001 shaded by density: the
    # legend (right of the map) shows the attack types, or the density scale.
    drawn = _one_frame(atlas, crowd(20_000))
    shaded = _one_frame(atlas, crowd(20_001))
    rows, columns = np.nonzero((drawn != shaded).any(axis=2))
    assert ((columns > 740) & (rows > 640 / 4)).any()
    # One event fewer, also drawn one by one: the same legend.
    fewer = _one_frame(atlas, crowd(19_999))
    rows, columns = np.nonzero((drawn != fewer).any(axis=2))
    assert not ((columns > 740) & (rows > 640 / 4)).any()


# --- What each frame says, read from the drawing's own text artists ----------
#
# The tests below read the words, type sizes and weights matplotlib was given,
# and what the events' drawing was asked for, by wrapping the render functions
# render_frames calls (the wrappers call the real ones and keep their
# arguments). The expected values are written out by hand.


class _Drawn:
    """What render_frames drew: its scene, and each draw_events call's options."""

    def __init__(self):
        self.scenes = []
        self.event_calls = []

    @property
    def map_texts(self):
        # The date and the count are the map's last two texts: they are added
        # after the scene (its basemap labels) is made.
        date_text, count_text = self.scenes[-1].map_axes.texts[-2:]
        return date_text, count_text

    def legend_words(self) -> str:
        return " ".join(t.get_text() for t in self.scenes[-1].legend_axes.texts)


@pytest.fixture
def drawn(monkeypatch):
    import imu_geo.animation as animation

    record = _Drawn()
    real_scene, real_events = animation.new_scene, animation.draw_events

    def new_scene(*args, **kwargs):
        scene = real_scene(*args, **kwargs)
        record.scenes.append(scene)
        return scene

    def draw_events(scene, selected, options, **kwargs):
        record.event_calls.append((options, kwargs))
        return real_events(scene, selected, options, **kwargs)

    monkeypatch.setattr(animation, "new_scene", new_scene)
    monkeypatch.setattr(animation, "draw_events", draw_events)
    return record


def _placed(rows):
    """Events at Tashkent (41.3 N, 69.3 E), inside the atlas's map."""
    return make_events([{"lat": 41.3, "lon": 69.3} | row for row in rows])[
        list(RENDER_COLUMNS)
    ]


def test_each_frame_writes_its_date_and_its_count_and_the_probe_comes_first(
    atlas, drawn
):
    _, basemap = atlas
    # Five frames of 3 months: "Nov 1999 – Jan 2000" (0 events), "Feb–Apr
    # 2000" (1), "May–Jul 2000" (2), "Aug–Oct 2000" (1) and "Nov–Dec 2000" (1:
    # the event of 15 Oct to 5 Nov 2000 is in both). The longest label is the
    # first; sorted as text, "Nov–Dec 2000" would come last ("–" after " ").
    candidates = _placed(
        [
            {"date_start": "2000-02-10", "date_end": "2000-02-10"},
            {"date_start": "2000-05-03", "date_end": "2000-05-03"},
            {"date_start": "2000-07-31", "date_end": "2000-07-31"},
            {"date_start": "2000-10-15", "date_end": "2000-11-05"},
        ]
    )
    spec = spec_of("1999-11-01", "2000-12-31")
    written = []
    for _ in render_frames(
        candidates, spec, basemap, picture_text("atlas"), 3, size=SIZE, probe=True
    ):
        date_text, count_text = drawn.map_texts
        written.append((date_text.get_text(), count_text.get_text()))
    assert written == [
        # The probe: every candidate, under the longest label.
        ("Nov 1999 – Jan 2000", "4 events"),
        ("Nov 1999 – Jan 2000", "0 events"),
        ("Feb–Apr 2000", "1 event"),
        ("May–Jul 2000", "2 events"),
        ("Aug–Oct 2000", "1 event"),
        ("Nov–Dec 2000", "1 event"),
    ]


def test_the_date_is_large_and_bold_and_the_count_small(atlas, drawn):
    dataset, _ = atlas
    _one_frame(atlas, dataset.events[list(RENDER_COLUMNS)].iloc[0:0])
    date_text, count_text = drawn.map_texts
    assert date_text.get_fontsize() == 30
    assert date_text.get_fontweight() == "bold"
    assert count_text.get_fontsize() == 11
    assert count_text.get_fontweight() == "normal"


def test_the_legend_says_in_words_that_unplaced_events_are_not_drawn(atlas, drawn):
    unplaced = _placed([{"date_start": "1999-05-01", "date_end": "1999-05-01"}])
    unplaced = unplaced.assign(lat=float("nan"), lon=float("nan"))
    _one_frame(atlas, unplaced)
    # The note is wrapped into the legend's last lines; joined, they are its
    # words, a label of their own (after a space) and nothing more.
    assert drawn.legend_words().endswith(
        " Events without a place are counted under the date, not drawn."
    )
    _one_frame(atlas, _placed([{"date_start": "1999-05-01", "date_end": "1999-05-01"}]))
    assert "Events without a place" not in drawn.legend_words()


def test_a_frame_draws_with_the_layers_it_is_given(atlas, drawn):
    _, basemap = atlas
    spec = spec_of("1999-01-01", "1999-12-31")
    options = MapOptions(relocation=False, halos=False)
    candidates = _placed([{"date_start": "1999-05-01", "date_end": "1999-05-01"}])
    list(
        render_frames(
            candidates, spec, basemap, picture_text("atlas"), 12, options, SIZE
        )
    )
    # Drawn one by one (not shaded), with the layers asked for.
    assert drawn.event_calls == [(options, {"shade_up_to": None})]
    # The legend keys the dots by type, not a density scale.
    words = drawn.legend_words()
    assert "Attacks (colour: type)" in words
    assert "Events per hexagon" not in words


def test_a_shaded_frame_is_shaded_up_to_the_fullest_hexagon(atlas, drawn):
    # 20,001 events (over the 20,000 drawn one by one), all at one point: the
    # fullest hexagon holds all of them, the top of the scale.
    crowd = _placed([{"date_start": "1999-06-01", "date_end": "1999-06-01"}] * 20_001)
    _one_frame(atlas, crowd)
    ((options, kwargs),) = drawn.event_calls
    assert kwargs == {"shade_up_to": 20_001}
    words = drawn.legend_words()
    assert "Events per hexagon" in words and "20,001" in words
    assert "Attacks (colour: type)" not in words


def test_frames_do_not_depend_on_matplotlibs_settings_around_them(atlas):
    # Someone's matplotlibrc (here: serif type) changes no pixel of a frame:
    # the picture is drawn with its own settings.
    dataset, _ = atlas
    no_events = dataset.events[list(RENDER_COLUMNS)].iloc[0:0]
    plain = _one_frame(atlas, no_events)
    with matplotlib.rc_context({"font.family": "serif", "path.simplify": False}):
        serif = _one_frame(atlas, no_events)
    assert (plain == serif).all()


def test_the_mp4_is_encoded_at_quality_8_of_imageio_ffmpegs_scale(tmp_path):
    import imageio_ffmpeg

    rng = np.random.default_rng(3)
    frames = [rng.integers(0, 256, (64, 64, 3), dtype=np.uint8) for _ in range(3)]
    mp4 = _encode_mp4(iter(frames), 2, (64, 64))
    # imageio-ffmpeg gives x264 a constant rate factor of int((1 - q / 10) * 51):
    # 10 for quality 8 (5 would be 25, its default, and x264's own is 23). x264
    # writes its settings into the stream.
    assert b" crf=10.0 " in mp4
    # A lower quality (7, a rate factor of 15) makes a smaller file of
    # the same noisy frames.
    lower = tmp_path / "lower.mp4"
    writer = imageio_ffmpeg.write_frames(
        str(lower),
        (64, 64),
        fps=2,
        codec="libx264",
        pix_fmt_out="yuv420p",
        quality=7,
        macro_block_size=16,
        ffmpeg_log_level="error",
    )
    writer.send(None)
    for frame in frames:
        writer.send(np.ascontiguousarray(frame))
    writer.close()
    assert b" crf=15.0 " in lower.read_bytes()
    assert len(mp4) > lower.stat().st_size
