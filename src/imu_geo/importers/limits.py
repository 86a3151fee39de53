"""What one import may cost, checked before the work is done, and how a refusal is said.

Every reader estimates the memory an import of the file will take from what it
can learn cheaply (a CSV's header and line count, a Parquet file's footer, a
count of a JSON text's structure, a workbook's cells) and refuses the file in one
line when the estimate is over the budget, before anything large is built. The
figures of the estimate are measured by ``benchmarks/import_memory.py`` and
listed in ``docs/import.md`` (section 6).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

# The estimate of an import's peak memory over the whole import (reading,
# crosswalk, places): what any import takes, then bytes per byte of text and
# per cell (a row times a column).
BASE_BYTES = 64 * 2**20
TEXT_FACTOR = 6
CELL_BYTES = 80

DEFAULT_MAX_BYTES = 200 * 2**20
# The budget is this many times the size limit, so that raising the size limit
# raises the budget with it.
MEMORY_PER_BYTE_ALLOWED = 14


class ImportFailure(Exception):
    """A file that cannot be read at all; the message is one line a user can act on."""


class InternalImportError(ImportFailure):
    """An import stopped by something other than the file's content.

    The message is one line; ``__cause__`` holds the original exception, so that
    the caller can log it with its trace.
    """


@dataclass(frozen=True)
class Limits:
    """What an import accepts, and what it may cost.

    Attributes
    ----------
    max_bytes
        The largest file, in bytes (200 MB by default); for Parquet it is also
        the data's uncompressed size.
    max_rows
        The most data rows (5 million by default).
    max_field_bytes
        The longest single field, counted in characters of the decoded text
        (1 MB by default).
    max_columns
        The most columns (1,000 by default), checked right after the header.
    max_memory
        The memory one import may take, as estimated before the file is parsed
        (14 times ``max_bytes``: 2,800 MB, shown as 2.7 GB, by default).
    """

    max_bytes: int = DEFAULT_MAX_BYTES
    max_rows: int = 5_000_000
    max_field_bytes: int = 1 * 2**20
    max_columns: int = 1_000
    max_memory: int = MEMORY_PER_BYTE_ALLOWED * DEFAULT_MAX_BYTES


def plural(count: int, noun: str) -> str:
    return noun if count == 1 else noun + "s"


def size_text(n: float) -> str:
    """A measured size: ``250.0 MB``, ``3.2 KB``, ``12 bytes``."""
    if n >= 2**30:
        return f"{n / 2**30:.1f} GB"
    if n >= 2**20:
        return f"{n / 2**20:.1f} MB"
    if n >= 2**10:
        return f"{n / 2**10:.1f} KB"
    return f"{int(n)} bytes"


def limit_text(n: int) -> str:
    """A limit as it was set: ``200 MB``, ``2.4 GB``, ``600 bytes``."""
    for unit, scale in (("GB", 2**30), ("MB", 2**20), ("KB", 2**10)):
        if n >= scale:
            return f"{round(n / scale, 1):g} {unit}"
    return f"{n} bytes"


def estimate(text_bytes: int, cells: int) -> int:
    """The estimated peak memory of importing a table: its text and its cells."""
    return BASE_BYTES + TEXT_FACTOR * text_bytes + CELL_BYTES * cells


def check_budget(
    name: str,
    need: int,
    limits: Limits,
    what: str,
    advice: str = "split the file or leave out columns you do not need",
    at_least: bool = False,
) -> None:
    """Refuse the file when ``need`` bytes are over the memory budget.

    ``what`` says what the estimate was made from, e.g. ``412,000 rows × 31
    columns and 180.0 MB of text``; ``at_least`` says that only part of the file
    was counted, so the whole would take more.
    """
    if need > limits.max_memory:
        about = "more than" if at_least else "about"
        raise ImportFailure(
            f"{name}: importing it would take {about} {size_text(need)} of memory "
            f"({what}); one import may take {limit_text(limits.max_memory)}: {advice}"
        )


F = TypeVar("F", bound=Callable)


def one_line_failures(function: F) -> F:
    """Let only :class:`ImportFailure` leave ``function``.

    Anything else (a library's error that no reader anticipated, running out of
    memory, a bug) becomes an :class:`InternalImportError` whose message names the
    file (the first argument, when it is text) and whose cause is the original
    exception, for the log.
    """

    @functools.wraps(function)
    def guarded(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except ImportFailure:
            raise
        except MemoryError as error:
            name = _name_of(args)
            raise InternalImportError(
                f"{name}: there was not enough memory to import it; try a smaller file"
            ) from error
        except Exception as error:
            name = _name_of(args)
            first = (str(error).strip().splitlines() or [""])[0][:200]
            raise InternalImportError(
                f"{name}: could not be imported because of an error in the importer "
                f"({type(error).__name__}{': ' + first if first else ''})"
            ) from error

    return guarded  # type: ignore[return-value]


def _name_of(args: tuple) -> str:
    from pathlib import PurePath

    if args and isinstance(args[0], str):
        return PurePath(args[0]).name or "the file"
    if args and hasattr(args[0], "name") and isinstance(args[0].name, str):
        return args[0].name
    return "the file"
