"""Large maps: the events go to the browser once, as a file, and are filtered there.

With more events than :data:`INLINE_LIMIT`, the map does not put the events in
the deck (pydeck sends the whole deck as one JSON string on every rerun, and the
browser parses it slowly). Instead the points are written once to JSON files
under ``static/points/``, which Streamlit serves, one per time slice (see
"time slices" below), and each slice's layer names its file's URL. deck.gl's
``DataFilterExtension`` then shows only the points whose dates fall in the
window, on the GPU, so a slider step sends a deck of the same few tens of
kilobytes whatever the number of events.

A file holds the events that pass every filter except time. Its name is a keyed
hash of what it holds (the dataset, the filters, the layer) with a secret made
when the server starts, so a name cannot be guessed from a dataset's contents;
an uploaded file's points are therefore reachable only by the session that was
given the URL. Each server process writes to its own folder, which it holds
locked and removes when it exits (a folder nobody holds is removed by the next
server to start, and by ``python -m imu_geo.server`` before a server starts);
files unused for 30 minutes are deleted by a sweeper that looks every minute,
whether or not anything else is written (an abandoned session's upload among
them; a session that comes back gets its file written again), the folder is
capped in total size (least recently used files go first), and an upload's files
are deleted when its session forgets it or loads another.
"""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import logging
import os
import re
import secrets
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from imu_geo.data import PROJECT_DIR
from imu_geo.text import BIDI_CONTROLS, show_controls

# Above this many events (after the non-time filters) the map uses point files.
INLINE_LIMIT = 300
# Above this many events (after the non-time filters) the map draws the density
# of the window's events per grid cell (imu_geo.density) instead of one dot each.
# Measured with benchmarks/point_budget.py in headless Chromium drawing WebGL in
# software, on a heavily loaded 2-core machine (docs/point-budget.md):
# the page was ready in 11 s at 100k points, 21 s at 300k and 64 s at
# 1M, and one redraw while dragging took 2.5 s, 6.2 s and 20 s, about 20 us a
# point (every point is drawn and picked, hidden by the date filter or not);
# the density map's took 0.6 s. 300k is the largest size measured whose page
# still became ready within half a minute; from 1M on neither loading nor
# panning is usable. A browser with a graphics chip holds more, but the server
# cannot know the reader's hardware.
POINT_BUDGET = 300_000
# One point file may not exceed this (Streamlit serves static files up to 200 MB).
MAX_FILE_BYTES = 180 * 1024 * 1024
# All point files together; beyond it the least recently used are deleted.
MAX_TOTAL_BYTES = 1024 * 1024 * 1024
TOOLTIP_CHARS = 60
_DAY_NS = 86_400 * 10**9


log = logging.getLogger("imu_geo.pointfiles")
_FOLDER = re.compile(r"\d+-[0-9a-f]{16}")
LOCK_FILE = ".lock"
# The store's files: points (.json) and a map's units (.geojson), never the
# .part files being written.
_FILES = "*json"
# Files unused this long are deleted (an abandoned session's upload among them);
# a session that comes back has its file written again.
MAX_IDLE_S = 30 * 60
# The sweeper looks for idle files this often, so none is served for much
# longer than MAX_IDLE_S after its last use.
SWEEP_INTERVAL_S = 60
# Where every server process keeps its folder (served as app/static/points).
POINTS_ROOT = PROJECT_DIR / "static" / "points"


def process_folder_name() -> str:
    """This process's folder name: its pid and a random part."""
    return f"{os.getpid()}-{secrets.token_hex(8)}"


def hold_folder(folder: Path):
    """Create ``folder`` and hold an exclusive lock on its lock file for as long
    as the returned file object stays open (the life of the server process)."""
    folder.mkdir(parents=True, exist_ok=True)
    handle = (folder / LOCK_FILE).open("a")
    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return handle


def _in_use(folder: Path) -> bool:
    """Whether a running process holds the folder's lock (a pid can be reused, a
    lock dies with its process)."""
    try:
        with (folder / LOCK_FILE).open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            fcntl.flock(handle, fcntl.LOCK_UN)
    except BlockingIOError:
        return True
    except OSError:
        return False
    return False


def remove_stale_folders(root: Path) -> int:
    """Remove the point folders no running server holds; return how many."""
    removed = 0
    if not Path(root).is_dir():
        return 0
    for folder in Path(root).iterdir():
        if folder.is_dir() and _FOLDER.fullmatch(folder.name) and not _in_use(folder):
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed


class PointFileTooLarge(Exception):
    """The points of one layer would make a file larger than the cap."""


def epoch_days(column: pd.Series) -> np.ndarray:
    """Dates as whole days since 1970-01-01 (what the browser filters on)."""
    return column.to_numpy(dtype="datetime64[ns]").astype(np.int64) // _DAY_NS


def point_records(
    events: pd.DataFrame,
    positions: np.ndarray,
    colour_code: np.ndarray,
    radius: np.ndarray,
) -> pd.DataFrame:
    """The columns of a point file, one row per located event.

    ``events`` are the rows at ``positions`` of the dataset's events frame; a
    point carries its position (``i``) so that a click on it finds the event.
    ``colour_code`` indexes the layer's palette (see
    :func:`imu_geo.layers.large_point_layer`); ``radius`` is in pixels. Events
    without coordinates are left out (they are counted in the caption and listed
    in the table, but cannot be drawn).
    """
    located = events["lat"].notna().to_numpy()
    part = events[located]
    first = part["date_start"].to_numpy(dtype="datetime64[D]")
    last = part["date_end"].to_numpy(dtype="datetime64[D]")
    first_text = pa.array(first.astype("U10"), type=pa.string())
    last_text = pa.array(last.astype("U10"), type=pa.string())
    span = pc.if_else(
        pa.array(first == last),
        first_text,
        pc.binary_join_element_wise(first_text, last_text, " – "),
    )
    title = _show_controls(
        pc.utf8_slice_codeunits(
            pa.array(part["title"], type=pa.string()),
            0,
            TOOLTIP_CHARS,
        )
    )
    label = pc.binary_join_element_wise(title, span, "\n")
    return pd.DataFrame(
        {
            "i": np.asarray(positions)[located],
            "x": part["lon"].astype(float).round(4).to_numpy(),
            "y": part["lat"].astype(float).round(4).to_numpy(),
            "s": first.astype(np.int64),
            "e": last.astype(np.int64),
            "c": np.asarray(colour_code)[located].astype(np.int16),
            "r": np.round(np.asarray(radius, dtype=float)[located], 1),
            "n": label.to_numpy(zero_copy_only=False),
        }
    )


# --- time slices -------------------------------------------------------------
#
# Where WebGL is drawn in software, every point of a layer costs time at every
# redraw, hidden by the date filter or not, and a slider step redraws the map
# (benchmarks/engine.py --browser: at 100k events the points were most of a
# step in a narrow window). So the points are cut into slices by time, one file
# and one layer each, and the deck draws only the slices that can hold an
# event of the window; the date filter does the rest. Every slice stays in the
# deck (hidden ones with ``visible`` false), so its file is fetched once, with
# the page, and a step still sends only the deck. An event belongs to the slice
# of its first day; events longer than LONG_DAYS (a year-precision event, a
# range) have slices of their own, so that one of them does not keep a slice
# of short events in view for a year.
SLICES = 32
LONG_SLICES = 8
LONG_DAYS = 62


@dataclass(frozen=True)
class PointSlice:
    """One slice of a large map's points: its number (long events' slices
    come after the short ones'), the first day of its earliest event and the
    last day of its latest (days since 1970-01-01), and how many events it
    holds."""

    number: int
    first: int
    last: int
    count: int

    def shown(self, start_day: int, end_day: int, cumulative: bool) -> bool:
        """Whether an event of this slice can be in the window: one begins by
        its end and (in a moving window) one ends on or after its start."""
        if self.first > end_day:
            return False
        return cumulative or self.last >= start_day


def slice_numbers(
    first: np.ndarray,
    last: np.ndarray,
    slices: int = SLICES,
    long_slices: int = LONG_SLICES,
    long_days: int = LONG_DAYS,
) -> np.ndarray:
    """The slice of each event, from its first and last day (epoch days).

    The span of first days is cut into ``slices`` equal parts for events of at
    most ``long_days`` days, numbered 0 to ``slices - 1`` in time, and into
    ``long_slices`` for longer ones, numbered from ``slices`` on.
    """
    first = np.asarray(first, dtype=np.int64)
    last = np.asarray(last, dtype=np.int64)
    if not len(first):
        return np.zeros(0, dtype=np.int64)
    low, high = first.min(), first.max()
    width = int(high - low) + 1
    # first - low is below width, so each number is below its count of slices.
    short = (first - low) * slices // width
    long = slices + (first - low) * long_slices // width
    return np.where(last - first > long_days, long, short)


def plan_slices(
    numbers: np.ndarray, first: np.ndarray, last: np.ndarray, slices: int = SLICES
) -> list[PointSlice]:
    """The slices that hold events, in drawing order: long events' first
    (under the short ones), then the rest in time; ``slices`` as for
    :func:`slice_numbers`."""
    frame = pd.DataFrame({"k": numbers, "s": first, "e": last})
    grouped = frame.groupby("k").agg(s=("s", "min"), e=("e", "max"), n=("s", "size"))
    pieces = [
        PointSlice(int(k), int(row.s), int(row.e), int(row.n))
        for k, row in grouped.iterrows()
    ]
    return sorted(pieces, key=lambda p: (p.number < slices, p.number))


def sliced_point_files(
    events: pd.DataFrame,
    positions: np.ndarray,
    fill: np.ndarray,
    radius: np.ndarray,
    width: np.ndarray,
) -> tuple[list[PointSlice], list[bytes]]:
    """The point files of a large map cut into time slices, and their plan.

    ``events`` (with ``positions``, as for :func:`point_records`) are in the
    order they are drawn in; each point carries its fill colour ``f``
    (``[r, g, b, a]``, a row of ``fill``), its radius and its outline width
    in pixels ``w``, so that one layer draws every event layer. Events without
    coordinates are left out. Returns the slices (:func:`plan_slices`) and
    each one's file, in the same order.
    """
    located = events["lat"].notna().to_numpy()
    records = point_records(
        events, positions, np.zeros(len(events), dtype=np.int16), radius
    ).drop(columns="c")
    records.insert(5, "f", [list(map(int, row)) for row in np.asarray(fill)[located]])
    records.insert(7, "w", np.asarray(width)[located].astype(np.int16))
    numbers = slice_numbers(records["s"].to_numpy(), records["e"].to_numpy())
    plan = plan_slices(numbers, records["s"].to_numpy(), records["e"].to_numpy())
    files = [point_file_bytes(records[numbers == piece.number]) for piece in plan]
    return plan, files


def _show_controls(texts: pa.Array) -> pa.Array:
    """:func:`imu_geo.text.show_controls` on a column of texts, vectorised."""
    pattern = "[" + "".join(sorted(BIDI_CONTROLS)) + "]"
    if not pc.any(pc.match_substring_regex(texts, pattern)).as_py():
        return texts
    for control in sorted(BIDI_CONTROLS):
        texts = pc.replace_substring(texts, control, show_controls(control))
    return texts


def point_file_bytes(records: pd.DataFrame) -> bytes:
    """A point file: a JSON array of one small object per event."""
    return records.to_json(orient="records", force_ascii=False).encode("utf-8")


class PointStore:
    """The folder of point files: named by a keyed hash, capped, cleaned up.

    Thread-safe: every session's script runs in its own thread.
    """

    def __init__(
        self,
        folder: Path,
        url_prefix: str,
        max_file_bytes: int = MAX_FILE_BYTES,
        max_total_bytes: int = MAX_TOTAL_BYTES,
        secret: bytes | None = None,
        max_idle_s: float = MAX_IDLE_S,
    ):
        self.folder = Path(folder)
        self.url_prefix = url_prefix.rstrip("/")
        self.max_file_bytes = max_file_bytes
        self.max_total_bytes = max_total_bytes
        self.max_idle_s = max_idle_s
        self._secret = secret or secrets.token_bytes(32)
        self._lock = threading.Lock()
        self._groups: dict[str, set[str]] = {}
        self._too_large: dict[str, str] = {}
        self.holder = None  # the open, locked lock file (see hold_folder)
        self.sweeper: threading.Event | None = None  # set it to stop the sweeper

    def name_for(self, key: tuple, suffix: str = ".json") -> str:
        """The file name for ``key``: unguessable without the server's secret.
        ``suffix`` tells other files (a map's units, ``.geojson``) from points."""
        digest = hmac.new(self._secret, repr(key).encode("utf-8"), hashlib.sha256)
        return digest.hexdigest()[:40] + suffix

    def url(self, name: str) -> str:
        return f"{self.url_prefix}/{name}"

    def has(self, key: tuple) -> bool:
        """Whether the file for ``key`` is already written."""
        return (self.folder / self.name_for(key)).exists()

    def ensure(
        self,
        key: tuple,
        build: Callable[[], bytes],
        group: str = "",
        suffix: str = ".json",
    ) -> str:
        """The URL of the file for ``key``, written with ``build()`` if missing.

        ``build`` runs outside the store's lock, so one session preparing a
        large file does not hold up the others; two sessions may then build the
        same file at once, and the last one to finish replaces it.

        Raises
        ------
        PointFileTooLarge
            When the file would exceed the per-file cap; nothing is written, and
            the same key is refused at once afterwards.
        OSError
            When the folder cannot be written.
        """
        name = self.name_for(key, suffix)
        path = self.folder / name
        with self._lock:
            if name in self._too_large:
                raise PointFileTooLarge(self._too_large[name])
            if path.exists():
                os.utime(path)  # most recently used
                self._remember(group, name)
                return self.url(name)
        payload = build()
        if len(payload) > self.max_file_bytes:
            reason = (
                f"{len(payload) / 1e6:.0f} MB is over the "
                f"{self.max_file_bytes / 1e6:.0f} MB cap for one map layer"
            )
            with self._lock:
                self._too_large[name] = reason
            raise PointFileTooLarge(reason)
        self.folder.mkdir(parents=True, exist_ok=True)
        partial = self.folder / f"{name}.{secrets.token_hex(4)}.part"
        partial.write_bytes(payload)
        with self._lock:
            os.replace(partial, path)
            self._remember(group, name)
            self._evict(keep=name)
        return self.url(name)

    def _remember(self, group: str, name: str) -> None:
        if group:
            self._groups.setdefault(group, set()).add(name)

    def forget(self, group: str) -> int:
        """Delete the files written for ``group`` (e.g. one session's upload)."""
        with self._lock:
            names = self._groups.pop(group, set())
            for name in names:
                (self.folder / name).unlink(missing_ok=True)
        return len(names)

    def remove_folder(self) -> None:
        """Delete the folder and everything in it (when the server stops)."""
        with self._lock:
            if self.holder is not None:
                self.holder.close()
                self.holder = None
            shutil.rmtree(self.folder, ignore_errors=True)
            self._groups.clear()

    def total_bytes(self) -> int:
        return sum(p.stat().st_size for p in self.folder.glob(_FILES))

    def sweep(self) -> int:
        """Delete the files unused for ``max_idle_s``; return how many.

        Run on a timer (:func:`start_sweeper`), so that an idle file is not
        served until something else happens to be written.
        """
        with self._lock:
            before = len(list(self.folder.glob(_FILES)))  # none if no folder
            removed = before - len(self._remove_idle(keep=""))
            self._prune_groups()
        return removed

    def _remove_idle(self, keep: str) -> list[Path]:
        """Delete the files unused for ``max_idle_s`` but ``keep``; return the
        others, least recently used first."""
        if not self.folder.is_dir():
            return []
        files = sorted(self.folder.glob(_FILES), key=lambda p: p.stat().st_mtime_ns)
        idle_before = time.time() - self.max_idle_s
        kept = []
        for path in files:
            if path.name != keep and path.stat().st_mtime < idle_before:
                path.unlink(missing_ok=True)
            else:
                kept.append(path)
        return kept

    def _prune_groups(self) -> None:
        present = {p.name for p in self.folder.glob(_FILES)}
        for names in self._groups.values():
            names &= present

    def _evict(self, keep: str) -> None:
        """Delete files unused for ``max_idle_s``, then the least recently used
        ones while the folder is over its size cap."""
        kept = self._remove_idle(keep)
        total = sum(p.stat().st_size for p in kept)
        for path in kept:
            if total <= self.max_total_bytes:
                break
            if path.name == keep:
                continue
            total -= path.stat().st_size
            path.unlink(missing_ok=True)
        self._prune_groups()


def start_sweeper(
    store: PointStore,
    root: Path | None = None,
    interval_s: float = SWEEP_INTERVAL_S,
) -> threading.Event:
    """Sweep ``store`` every ``interval_s`` seconds in a daemon thread, and remove
    the folders under ``root`` that no running server holds.

    Returns an event that stops the sweeper when set. A failed sweep is logged
    and the next one tries again.
    """
    stop = threading.Event()

    def run() -> None:
        while not stop.wait(interval_s):
            try:
                store.sweep()
                if root is not None:
                    remove_stale_folders(root)
            except OSError:
                log.exception(
                    "the point files could not be swept",
                    extra={"event": "sweep_error"},
                )

    threading.Thread(target=run, name="imu-geo-point-sweeper", daemon=True).start()
    return stop
