"""Half-written stores left by a write that was killed are removed, and
nothing else in the store root is."""

from __future__ import annotations

import os
import time

from imu_geo.data import BUNDLED_DATA_DIR, load_dataset
from imu_geo.store import KEY_CHARS, PARTIAL_IDLE_S, sweep_partial_stores, write_store

KEY = "0123456789abcdef0123"
assert len(KEY) == KEY_CHARS


def _aged(path, seconds: float):
    then = time.time() - seconds
    os.utime(path, (then, then))
    return path


def test_only_partial_stores_idle_long_enough_are_removed(tmp_path):
    abandoned = tmp_path / f".{KEY}.k2j3h4"
    abandoned.mkdir()
    (abandoned / "events.parquet").write_bytes(b"half")
    _aged(abandoned, PARTIAL_IDLE_S + 60)
    writing = tmp_path / f".{KEY}.q9w8e7"  # touched recently: still written
    writing.mkdir()
    store = tmp_path / KEY  # a finished store
    store.mkdir()
    _aged(store, PARTIAL_IDLE_S + 60)
    other = tmp_path / ".short.abc"  # not a store's name
    other.mkdir()
    _aged(other, PARTIAL_IDLE_S + 60)
    note = tmp_path / f".{KEY}.file"  # a file, not a folder
    note.write_text("x")
    _aged(note, PARTIAL_IDLE_S + 60)

    assert sweep_partial_stores(tmp_path) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [writing.name, KEY, other.name, note.name]
    )
    assert sweep_partial_stores(tmp_path) == 0


def test_a_missing_root_has_nothing_to_sweep(tmp_path):
    assert sweep_partial_stores(tmp_path / "none") == 0


def test_writing_a_store_sweeps_what_a_killed_write_left(tmp_path):
    left = tmp_path / f".{KEY}.dead01"
    left.mkdir()
    _aged(left, PARTIAL_IDLE_S + 60)
    written = write_store(load_dataset(BUNDLED_DATA_DIR), "f" * KEY_CHARS, tmp_path)
    assert written.path == tmp_path / ("f" * KEY_CHARS)
    assert not left.exists()
