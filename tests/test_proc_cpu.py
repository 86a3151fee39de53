"""The browser benchmark's CPU accounting (``benchmarks/proc_cpu.py``): its
parsing of ``/proc`` lines and Chromium's command lines, checked on lines
written by hand, and its readings of real processes."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import time

import pytest

from tests.conftest import PROJECT_DIR

_SPEC = importlib.util.spec_from_file_location(
    "proc_cpu", PROJECT_DIR / "benchmarks" / "proc_cpu.py"
)
proc_cpu = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(proc_cpu)

linux = pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs /proc")


def _stat(pid: int, name: str, ppid: int, utime: int, stime: int) -> str:
    # pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt
    # cmajflt utime stime cutime cstime ...
    return (
        f"{pid} ({name}) S {ppid} {pid} {pid} 0 -1 4194560 900 0 3 0 "
        f"{utime} {stime} 40 50 20 0 12 0 3300 2000000 4000 18446744073709551615\n"
    )


@pytest.mark.parametrize(
    ("name", "ppid", "utime", "stime"),
    [
        ("chromium", 1, 250, 31),
        ("Web Content", 4021, 0, 0),
        # A name may hold spaces and parentheses of its own.
        ("a (b) c)", 77, 12, 3),
        ("((", 2, 1, 1),
    ],
)
def test_a_stat_line_gives_its_name_parent_and_ticks(name, ppid, utime, stime):
    line = _stat(4242, name, ppid, utime, stime)
    assert proc_cpu.stat_fields(line) == (name, ppid, utime + stime)


@pytest.mark.parametrize(
    ("cmdline", "kind"),
    [
        (b"/usr/lib/chromium/chromium\0--type=renderer\0--lang=en-US\0", "renderer"),
        (b"/usr/lib/chromium/chromium --type=gpu-process --no-sandbox", "gpu-process"),
        (
            b"/usr/lib/chromium/chromium --utility-sub-type=network.mojom."
            b"NetworkService --type=utility --lang=en-US",
            "utility",
        ),
        (b"/usr/lib/chromium/chromium --type=zygote --no-zygote-sandbox", "zygote"),
        (
            b"/usr/lib/chromium/chromium\0--headless\0--remote-debugging-pipe\0",
            "browser",
        ),
        (b"", "browser"),
    ],
)
def test_chromiums_kind_of_process_is_read_from_its_command_line(cmdline, kind):
    assert proc_cpu.process_kind(cmdline) == kind


@pytest.mark.parametrize(
    ("root", "expected"),
    [
        (1, {2, 3, 4, 6}),
        (2, {3, 6}),
        (3, {6}),
        (9, {5}),
        (6, set()),
        (100, set()),
    ],
)
def test_the_processes_under_a_root_are_found_through_their_parents(root, expected):
    parents = {2: 1, 3: 2, 4: 1, 5: 9, 6: 3, 9: 0}
    assert proc_cpu.descendants(root, parents) == expected


def test_a_loop_of_parents_ends():
    assert proc_cpu.descendants(1, {2: 1, 3: 2, 1: 3}) == {1, 2, 3}


def test_what_each_kind_spent_between_two_readings():
    before = {(10, "renderer"): 1.0, (11, "gpu-process"): 2.0, (13, "utility"): 0.5}
    after = {
        (10, "renderer"): 1.5,
        (11, "gpu-process"): 2.25,
        # Started in between: all of its time is the step's.
        (12, "renderer"): 0.25,
        (13, "utility"): 0.5,
    }
    assert proc_cpu.spent(before, after) == {
        "renderer": 0.75,
        "gpu-process": 0.25,
        "utility": 0.0,
    }


@linux
def test_a_busy_child_is_counted_and_an_idle_one_is_not():
    busy = (
        "import time\n"
        "end = time.process_time() + 0.4\n"
        "while time.process_time() < end: pass\n"
        "print('done', flush=True)\n"
        "time.sleep(30)\n"
    )
    idle = "import time; print('done', flush=True); time.sleep(30)"
    children = [
        subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE)
        for code in (busy, idle)
    ]
    try:
        for child in children:
            assert child.stdout.readline().strip() == b"done"
        reading = proc_cpu.cpu_by_kind(name="python")
        seconds = {pid: s for (pid, kind), s in reading.items() if kind == "browser"}
        assert seconds[children[0].pid] >= 0.35
        assert seconds[children[1].pid] < 0.35
        assert proc_cpu.process_seconds(children[0].pid) >= 0.35
        # No process of another name is taken.
        assert proc_cpu.cpu_by_kind(name="no such command") == {}
    finally:
        for child in children:
            child.kill()
            child.wait()
    time.sleep(0.1)
    assert proc_cpu.process_seconds(children[0].pid) == 0.0  # gone
