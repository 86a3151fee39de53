"""Linux's ``/proc``, read one way by every benchmark: a process's memory
(``/proc/PID/status``), and the machine's CPU model and memory
(``/proc/cpuinfo``, ``/proc/meminfo``). A process's CPU time is
:mod:`proc_cpu`'s.

Each reader returns an empty or zero answer where ``/proc`` is missing or the
process is gone, so a benchmark on another system still reports the rest.
"""

from __future__ import annotations

from pathlib import Path

PROC = Path("/proc")
# The figures of /proc/PID/status that measure memory, each in kB.
MEMORY_FIELDS = ("VmRSS", "VmHWM")


def parse_status(text: str) -> dict[str, int]:
    """The memory figures (:data:`MEMORY_FIELDS`) of a ``/proc/PID/status``
    text, in kB."""
    figures = {}
    for line in text.splitlines():
        name, _, value = line.partition(":")
        if name in MEMORY_FIELDS:
            figures[name] = int(value.split()[0])
    return figures


def memory_kb(pid: int | str = "self") -> dict[str, int]:
    """A process's resident memory now (``VmRSS``) and at its peak so far
    (``VmHWM``), in kB; empty once the process is gone."""
    try:
        text = (PROC / str(pid) / "status").read_text(encoding="ascii")
    except OSError:
        return {}
    return parse_status(text)


def resident_mb(pid: int | str = "self") -> float:
    """A process's resident memory now, in MB (0 once it is gone)."""
    return memory_kb(pid).get("VmRSS", 0) / 1024


def _first(path: Path, prefix: str) -> str | None:
    """The value after the colon of the first line of ``path`` that starts
    with ``prefix``; None when there is none or the file cannot be read."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    for line in lines:
        if line.startswith(prefix):
            return line.split(":", 1)[1].strip()
    return None


def cpu_model(default: str = "unknown CPU") -> str:
    """The CPU's model name, as ``/proc/cpuinfo`` gives it."""
    return _first(PROC / "cpuinfo", "model name") or default


def memory_total_kb() -> int:
    """The machine's memory, in kB (0 when unknown)."""
    value = _first(PROC / "meminfo", "MemTotal:")
    return int(value.split()[0]) if value else 0
