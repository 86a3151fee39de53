"""CPU time of a process tree, by the kind of process, from Linux's ``/proc``.

Used by the browser check of ``benchmarks/scale.py``: the wall time of a key press
swings with the machine's load, while the CPU time each process spends on it
moves far less. Chromium runs as several processes (the page's renderer, a GPU
process that draws WebGL in software when there is no GPU, the browser and its
utilities), each started with ``--type=<kind>`` on its command line; the
browser process has no ``--type``. :func:`cpu_by_kind` adds up the user and
system time of every Chromium process under a root process (the benchmark's
own, whose Playwright driver starts the browser), by kind.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path

PROC = Path("/proc")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
_TYPE = re.compile(rb"--type=([\w-]+)")


def stat_fields(stat: str) -> tuple[str, int, float]:
    """The command name, parent id and CPU ticks (user + system) of one
    ``/proc/PID/stat`` line. The name is in parentheses and may itself hold
    spaces and parentheses, so the fields are counted from its last ``)``."""
    opened, closed = stat.index("("), stat.rindex(")")
    rest = stat[closed + 2 :].split()
    # After the name: state (field 3), ppid (4), ..., utime (14), stime (15).
    return stat[opened + 1 : closed], int(rest[1]), int(rest[11]) + int(rest[12])


def process_kind(cmdline: bytes) -> str:
    """Chromium's kind of process from its command line (``renderer``,
    ``gpu-process``, ``utility``, ``zygote``…), or ``browser`` when it has no
    ``--type``. The arguments may be separated by NULs or, once Chromium has
    rewritten its title, by spaces."""
    found = _TYPE.search(cmdline.replace(b"\0", b" "))
    return found.group(1).decode() if found else "browser"


def descendants(root: int, parents: Mapping[int, int]) -> set[int]:
    """Every process under ``root`` (not ``root`` itself), from each process's
    parent."""
    children: dict[int, list[int]] = defaultdict(list)
    for pid, parent in parents.items():
        children[parent].append(pid)
    found: set[int] = set()
    todo = [root]
    while todo:
        for child in children.get(todo.pop(), ()):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def add_by_kind(
    processes: Iterable[tuple[str, float]],
) -> dict[str, float]:
    """Seconds per kind, from ``(kind, seconds)`` pairs."""
    total: dict[str, float] = defaultdict(float)
    for kind, seconds in processes:
        total[kind] += seconds
    return dict(total)


def _read(pid: str) -> tuple[str, int, float, bytes] | None:
    try:
        name, parent, ticks = stat_fields((PROC / pid / "stat").read_text())
        cmdline = (PROC / pid / "cmdline").read_bytes()
    except (OSError, ValueError, IndexError):  # gone meanwhile
        return None
    return name, parent, ticks / CLOCK_TICKS, cmdline


def cpu_by_kind(root: int | None = None, name: str = "chrom") -> dict[str, float]:
    """CPU seconds so far of each kind of process under ``root`` (this process
    by default) whose command name holds ``name``, keyed by process id and kind:
    ``{(pid, kind): seconds}``. Subtract two readings with :func:`spent`."""
    root = os.getpid() if root is None else root
    table = {}
    for entry in PROC.iterdir():
        if entry.name.isdigit():
            read = _read(entry.name)
            if read is not None:
                table[int(entry.name)] = read
    under = descendants(root, {pid: read[1] for pid, read in table.items()})
    return {
        (pid, process_kind(table[pid][3])): table[pid][2]
        for pid in under
        if pid in table and name in table[pid][0]
    }


def spent(before: Mapping, after: Mapping) -> dict[str, float]:
    """Seconds each kind spent between two readings of :func:`cpu_by_kind`; a
    process that started in between counts from zero."""
    return add_by_kind(
        (kind, seconds - before.get((pid, kind), 0.0))
        for (pid, kind), seconds in after.items()
    )


def process_seconds(pid: int) -> float:
    """CPU seconds so far of one process (user + system), 0 when it is gone."""
    read = _read(str(pid))
    return read[2] if read else 0.0
