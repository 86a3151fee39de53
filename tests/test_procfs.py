"""The benchmarks' reading of ``/proc`` (``benchmarks/procfs.py``): its parsing
of a status text written by hand, and its readings of this process and of a
process that is gone."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys

import pytest

from tests.conftest import PROJECT_DIR

_SPEC = importlib.util.spec_from_file_location(
    "procfs", PROJECT_DIR / "benchmarks" / "procfs.py"
)
procfs = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(procfs)

linux = pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs /proc")

STATUS = """Name:\tpython
State:\tS (sleeping)
VmPeak:\t  900000 kB
VmHWM:\t  301234 kB
VmRSS:\t  250000 kB
Threads:\t4
"""


def test_the_memory_figures_of_a_status_text():
    assert procfs.parse_status(STATUS) == {"VmHWM": 301234, "VmRSS": 250000}


def test_a_status_without_memory_figures_gives_none():
    # A kernel thread's status has no Vm lines.
    assert procfs.parse_status("Name:\tkthreadd\nState:\tS (sleeping)\n") == {}


@linux
def test_this_process_is_resident_and_its_peak_is_at_least_that():
    now = procfs.memory_kb()
    assert 1_000 < now["VmRSS"] <= now["VmHWM"]
    assert procfs.resident_mb() == pytest.approx(now["VmRSS"] / 1024, rel=0.5)
    assert procfs.memory_kb(os.getpid())["VmHWM"] >= now["VmRSS"]


@linux
def test_a_process_that_is_gone_has_no_memory():
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    assert procfs.memory_kb(child.pid) == {}
    assert procfs.resident_mb(child.pid) == 0


@linux
def test_the_machine_has_a_cpu_model_and_memory():
    assert procfs.cpu_model() != ""
    assert procfs.memory_total_kb() > 100_000


def test_without_proc_the_machine_is_unknown(monkeypatch, tmp_path):
    monkeypatch.setattr(procfs, "PROC", tmp_path)
    assert procfs.cpu_model() == "unknown CPU"
    assert procfs.memory_total_kb() == 0
    assert procfs.memory_kb() == {}


def test_the_figures_are_read_from_the_files(monkeypatch, tmp_path):
    monkeypatch.setattr(procfs, "PROC", tmp_path)
    (tmp_path / "self").mkdir()
    (tmp_path / "self" / "status").write_text(STATUS, encoding="ascii")
    (tmp_path / "cpuinfo").write_text(
        "processor\t: 0\nmodel name\t: AMD EPYC 7B13\nprocessor\t: 1\n"
        "model name\t: AMD EPYC 7B13\n",
        encoding="utf-8",
    )
    (tmp_path / "meminfo").write_text(
        "MemTotal:       24579432 kB\nMemFree:         1000 kB\n", encoding="utf-8"
    )
    assert procfs.memory_kb() == {"VmHWM": 301234, "VmRSS": 250000}
    assert procfs.resident_mb() == pytest.approx(250000 / 1024)
    assert procfs.cpu_model() == "AMD EPYC 7B13"
    assert procfs.memory_total_kb() == 24579432
