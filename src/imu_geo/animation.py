"""The playback as an animation: GIF or MP4, one frame per step of the window.

The span is the time window the user chose; Play's step (1, 3 or 12 months) cuts
it into frames. In a moving window each frame shows the events that overlap its
step; in cumulative mode everything that began up to the frame's end. Each frame
is the picture of :mod:`imu_geo.render` (same basemap, colours, legend and
credits) with the frame's date written large on the map.

The basemap, title and legend are drawn once; each frame draws only its events
over a copy of that drawing. GIFs are encoded by imageio (Pillow), MP4s by
imageio-ffmpeg, whose wheel brings its own ffmpeg: nothing needs the network.

Caps keep a build bounded (:func:`plan_animation` refuses with a sentence that
says which cap and what to change); a build reports its progress after every
frame and can be cancelled between frames (:class:`AnimationJob`).
"""

from __future__ import annotations

import calendar
import io
import os
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from PIL import Image

from imu_geo.filters import (
    FilterSpec,
    describe_counts,
    month_end,
    month_label,
    month_starts,
)
from imu_geo.layers import MapOptions
from imu_geo.render import (
    ALL_LAYERS,
    DENSITY_LIMIT,
    DRAWING_LOCK,
    FONT,
    INK,
    RC,
    Basemap,
    PictureText,
    density_count,
    density_max,
    draw_events,
    draw_legend,
    layer_counts_of,
    new_scene,
    window_words,
)
from imu_geo.text import counted, plural

FORMATS = ("gif", "mp4")
STEPS = (1, 3, 12)
STEP_WORDS = {1: "month", 3: "3 months", 12: "year"}
SIZES: dict[str, tuple[int, int]] = {
    "1024 × 640": (1024, 640),
    "1280 × 800": (1280, 800),
}
DEFAULT_SIZE = (1024, 640)
FPS_RANGE = (1, 12)
DEFAULT_FPS = 2
MAX_FRAMES = 300
# A GIF is assembled in memory (one byte per pixel per frame, and more while it
# is encoded); an MP4 streams its frames to ffmpeg, so only the frame cap holds.
MAX_GIF_PIXELS = 120_000_000
MP4_QUALITY = 8  # imageio-ffmpeg's 0-10 scale; 8 keeps small text sharp
MIME_TYPES = {"gif": "image/gif", "mp4": "video/mp4"}


class Cancelled(Exception):
    """The build was cancelled between two frames."""


def frame_specs(spec: FilterSpec, step: int) -> list[FilterSpec]:
    """One spec per frame: the window cut into steps of ``step`` months.

    The last frame ends with the window, so it may be shorter than a step.
    """
    if step not in STEPS:
        raise ValueError(f"step must be one of {', '.join(map(str, STEPS))} months")
    months = month_starts(spec.start, spec.end)
    frames = []
    for k in range(0, len(months), step):
        last = months[min(k + step, len(months)) - 1]
        frames.append(replace(spec, start=months[k], end=month_end(last)))
    return frames


def frame_label(frame: FilterSpec) -> str:
    """The frame's date as it is written large: ``1999``, ``Feb 1999``,
    ``Jan–Mar 1999``, ``Nov 1999 – Jan 2000`` or ``up to Mar 1999``."""
    if frame.mode == "cumulative":
        return f"up to {month_label(frame.end)}"
    first, last = frame.start, frame.end
    if (first.month, last.month) == (1, 12) and first.year == last.year:
        return str(first.year)
    if (first.year, first.month) == (last.year, last.month):
        return month_label(first)
    if first.year == last.year:
        return f"{calendar.month_abbr[first.month]}–{month_label(last)}"
    return f"{month_label(first)} – {month_label(last)}"


def plan_animation(
    spec: FilterSpec, step: int, fmt: str, size: tuple[int, int]
) -> tuple[list[FilterSpec], str]:
    """The frames of an animation, and "" or the sentence that refuses it.

    Refused: more than :data:`MAX_FRAMES` frames, a size not in :data:`SIZES`,
    or a GIF of more than :data:`MAX_GIF_PIXELS` pixels in all.
    """
    frames = frame_specs(spec, step)
    n = len(frames)
    if fmt not in FORMATS:
        return frames, f"The format must be one of {', '.join(FORMATS)}."
    if tuple(size) not in SIZES.values():
        sizes = ", ".join(SIZES)
        return frames, f"The frame size must be one of {sizes} pixels."
    if n > MAX_FRAMES:
        return frames, (
            f"This window makes {n:,} frames of one {STEP_WORDS[step]}; an "
            f"animation holds at most {MAX_FRAMES:,}. Choose a longer step or a "
            "shorter window."
        )
    pixels = n * size[0] * size[1]
    if fmt == "gif" and pixels > MAX_GIF_PIXELS:
        most = MAX_GIF_PIXELS // (size[0] * size[1])
        return frames, (
            f"A GIF of {n:,} frames of {size[0]} × {size[1]} pixels is "
            f"{pixels / 1e6:,.0f} million pixels; a GIF holds at most "
            f"{MAX_GIF_PIXELS / 1e6:,.0f} million ({most:,} frames at this size). "
            "Choose MP4, the smaller size, a longer step or a shorter window."
        )
    return frames, ""


def animation_title(
    heading: str, spec: FilterSpec, step: int, candidates: pd.DataFrame
) -> tuple[str, str]:
    """The title of every frame: the heading with the span, then what the span
    holds (the pages' sentence) and the step."""
    sentence = describe_counts(len(candidates), layer_counts_of(candidates), spec)
    return (
        f"{heading}, {window_words(spec)}",
        f"{sentence} · one frame per {STEP_WORDS[step]}",
    )


def _frame_rows(candidates: pd.DataFrame, frame: FilterSpec) -> pd.DataFrame:
    """The candidates in one frame's window (the filters are already applied)."""
    mask = candidates["date_start"] <= pd.Timestamp(frame.end)
    if frame.mode == "window":
        mask &= candidates["date_end"] >= pd.Timestamp(frame.start)
    return candidates[mask]


def render_frames(
    candidates: pd.DataFrame,
    spec: FilterSpec,
    basemap: Basemap,
    text: PictureText,
    step: int,
    options: MapOptions = ALL_LAYERS,
    size: tuple[int, int] = DEFAULT_SIZE,
    probe: bool = False,
) -> Iterator[np.ndarray]:
    """Each frame as an RGB array (height × width × 3), in order.

    ``candidates`` are the events the filters select over the whole window
    (:func:`imu_geo.filters.apply_filters` of ``spec``). The basemap, title and
    legend are drawn once and copied under every frame's events. With
    ``probe`` the first image is every candidate drawn at once, not a frame:
    the colours a GIF's palette must hold.
    """
    import matplotlib

    frames = frame_specs(spec, step)
    rows = [_frame_rows(candidates, frame) for frame in frames]
    shade = max((density_count(r) for r in rows), default=0) > DENSITY_LIMIT
    title = animation_title(text.heading, spec, step, candidates)
    notes = []
    if any(density_count(r) < len(r) for r in rows):
        notes.append("Events without a place are counted under the date, not drawn.")
    with DRAWING_LOCK, matplotlib.rc_context(RC):
        scene = new_scene(basemap, title, text, size)
        top = density_max(scene, candidates) if shade else None
        draw_legend(scene, top or 0, notes)
        axes = scene.map_axes
        label_style = {
            "transform": axes.transAxes,
            "fontfamily": FONT,
            "color": INK,
            "va": "top",
            "zorder": 20,
            "parse_math": False,
        }
        date_text = axes.text(
            0.015,
            0.975,
            "",
            fontsize=30,
            fontweight="bold",
            bbox={
                "boxstyle": "round,pad=0.25",
                "facecolor": "white",
                "edgecolor": "none",
                "alpha": 0.85,
            },
            **label_style,
        )
        count_text = axes.text(0.017, 0.885, "", fontsize=11, **label_style)
        date_text.set_visible(False)
        count_text.set_visible(False)
        canvas = scene.figure.canvas
        canvas.draw()
        background = canvas.copy_from_bbox(scene.figure.bbox)
        date_text.set_visible(True)
        count_text.set_visible(True)
    shown = [(frame_label(f), r) for f, r in zip(frames, rows, strict=True)]
    if probe:
        shown.insert(0, (max((label for label, _ in shown), key=len), candidates))
    for label, selected in shown:
        with DRAWING_LOCK, matplotlib.rc_context(RC):
            canvas.restore_region(background)
            artists = draw_events(scene, selected, options, shade_up_to=top)
            date_text.set_text(label)
            n = len(selected)
            count_text.set_text(counted(n, "event"))
            for artist in (*artists, date_text, count_text):
                axes.draw_artist(artist)
            image = np.asarray(canvas.buffer_rgba())[..., :3].copy()
            for artist in artists:
                artist.remove()
        yield image


def gif_palette(probe: np.ndarray) -> Image.Image:
    """One palette of 256 colours for every frame of a GIF, chosen to cover the
    most pixels of ``probe`` (every event drawn at once, see
    :func:`render_frames`).

    Pillow's default (median cut) shifts small areas of pure colour, such as
    the legend's swatches, by up to 80 levels; maximum coverage keeps them, and
    one palette for all frames keeps the basemap from flickering.
    """
    from PIL import Image

    return Image.fromarray(probe).quantize(
        256, method=Image.Quantize.MAXCOVERAGE, dither=Image.Dither.NONE
    )


def _encode_gif(frames: Iterator[np.ndarray], fps: int, palette: Image.Image) -> bytes:
    import imageio.v3 as iio
    from PIL import Image

    colours = bytes(palette.getpalette()[: 3 * 256])
    buffer = io.BytesIO()
    with iio.imopen(buffer, "w", extension=".gif", plugin="pillow") as writer:
        for frame in frames:
            indices = Image.fromarray(frame).quantize(
                palette=palette, dither=Image.Dither.NONE
            )
            writer.write(
                np.asarray(indices),  # one byte a pixel while the GIF is built
                mode="P",
                palette=colours,
                is_batch=False,
                duration=round(1000 / fps),
                loop=0,
            )
    return buffer.getvalue()


def _encode_mp4(frames: Iterator[np.ndarray], fps: int, size: tuple[int, int]) -> bytes:
    import imageio_ffmpeg

    handle, path = tempfile.mkstemp(suffix=".mp4", prefix="imu-geo-")
    os.close(handle)
    writer = imageio_ffmpeg.write_frames(
        path,
        size,
        fps=fps,
        codec="libx264",
        pix_fmt_out="yuv420p",
        quality=MP4_QUALITY,
        macro_block_size=16,
        ffmpeg_log_level="error",
        # No encoder version or date in the file: the same frames, the same bytes.
        output_params=["-fflags", "+bitexact", "-flags", "+bitexact"],
    )
    try:
        writer.send(None)  # start ffmpeg
        for frame in frames:
            writer.send(np.ascontiguousarray(frame))
        writer.close()
        with open(path, "rb") as file:
            return file.read()
    finally:
        writer.close()
        os.remove(path)


def animation_bytes(
    candidates: pd.DataFrame,
    spec: FilterSpec,
    basemap: Basemap,
    text: PictureText,
    step: int = 3,
    fps: int = DEFAULT_FPS,
    fmt: str = "gif",
    options: MapOptions = ALL_LAYERS,
    size: tuple[int, int] = DEFAULT_SIZE,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> bytes:
    """The animation as GIF or MP4 bytes: what *Download animation* gives and
    ``imu-geo render --format gif|mp4`` writes.

    ``progress(done, total)`` is called after every frame; when ``cancelled()``
    turns true the build stops before the next frame and raises
    :class:`Cancelled`. Raises :class:`ValueError` with the sentence of
    :func:`plan_animation` when a cap refuses the animation.
    """
    frames, refusal = plan_animation(spec, step, fmt, size)
    if refusal:
        raise ValueError(refusal)
    if not FPS_RANGE[0] <= fps <= FPS_RANGE[1]:
        raise ValueError(
            f"The frame rate must be {FPS_RANGE[0]} to {FPS_RANGE[1]} frames a second."
        )
    total = len(frames)

    gif = fmt == "gif"
    drawn = render_frames(
        candidates, spec, basemap, text, step, options, size, probe=gif
    )
    palette = gif_palette(next(drawn)) if gif else None

    def watched() -> Iterator[np.ndarray]:
        try:
            for done in range(1, total + 1):
                if cancelled is not None and cancelled():
                    raise Cancelled(f"cancelled after {done - 1} of {total} frames")
                yield next(drawn)
                if progress is not None:
                    progress(done, total)
        finally:
            drawn.close()

    if gif:
        return _encode_gif(watched(), fps, palette)
    return _encode_mp4(watched(), fps, size)


def duration_words(n_frames: int, fps: int) -> str:
    """``25 frames, 12.5 s at 2 frames a second``."""
    shown = f"{round(n_frames / fps, 1):g}"
    rate = f"{fps} {plural(fps, 'frame')} a second"
    return f"{counted(n_frames, 'frame')}, {shown} s at {rate}"


@dataclass
class AnimationJob:
    """One animation built in a background thread, so a page can show progress
    and offer Cancel while it runs.

    ``key`` names what is built (the view, step, rate, format, size): a page
    shows the result only while its view still has that key.
    """

    key: tuple
    build: Callable[[Callable[[int, int], None], Callable[[], bool]], bytes]
    done: int = 0
    total: int = 0
    result: bytes | None = None
    error: str = ""
    was_cancelled: bool = False

    def __post_init__(self) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> AnimationJob:
        self._thread.start()
        return self

    def cancel(self) -> None:
        """Ask the build to stop before its next frame."""
        self._stop.set()

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def wait(self, timeout: float | None = None) -> None:
        self._thread.join(timeout)

    def _progress(self, done: int, total: int) -> None:
        self.done, self.total = done, total

    def _run(self) -> None:
        try:
            self.result = self.build(self._progress, self._stop.is_set)
        except Cancelled:
            self.was_cancelled = True
        except ValueError as error:
            self.error = str(error)
        except Exception as error:  # noqa: BLE001 - reported on the page, logged there
            self.error = f"The animation could not be built: {error}"
