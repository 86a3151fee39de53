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
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TypeVar

from imu_geo.text import plural

# The estimate of an import's peak memory over the whole import (reading,
# crosswalk, places): what any import takes, then bytes per byte of text and
# per cell (a row times a column).
BASE_BYTES = 64 * 2**20
TEXT_FACTOR = 6
CELL_BYTES = 80

DEFAULT_MAX_BYTES = 200 * 2**20
# The budget is this many times the size limit, so that raising the size limit
# (the command's --max-size) raises the budget with it.
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
        The largest file, in bytes (200 MB by default). For a ``.zip`` or
        ``.gz`` file and for the parts of an ``.xlsx`` workbook it is the
        unpacked size that counts; for Parquet, the data's uncompressed size.
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
    max_unpack_ratio
        How many times its own size an archive may unpack to (100 by default;
        checked once more than 1 MB has been unpacked).
    """

    max_bytes: int = DEFAULT_MAX_BYTES
    max_rows: int = 5_000_000
    max_field_bytes: int = 1 * 2**20
    max_columns: int = 1_000
    max_memory: int = MEMORY_PER_BYTE_ALLOWED * DEFAULT_MAX_BYTES
    max_unpack_ratio: int = 100

    def with_max_bytes(self, max_bytes: int) -> Limits:
        """These limits with another size limit, and the memory budget scaled to it
        (never below the default budget)."""
        return replace(
            self,
            max_bytes=max_bytes,
            max_memory=max(MEMORY_PER_BYTE_ALLOWED * max_bytes, Limits().max_memory),
        )


def table_text(rows: int, columns: int) -> str:
    """The size of a table as an estimate names it: ``412,000 rows × 31 columns``."""
    return f"{rows:,} {plural(rows, 'row')} × {columns:,} {plural(columns, 'column')}"


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


_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(B|KB|K|KIB|MB|M|MIB|GB|G|GIB)\s*", re.I)
_UNITS = {"B": 1, "K": 2**10, "M": 2**20, "G": 2**30}


def parse_size(text: str) -> int:
    """``600MB``, ``1.5 GB``, ``800KB``, ``1000B`` in bytes (KB, MB, GB are 1,024
    based, as every size this package prints).

    Raises
    ------
    ValueError
        For text without a unit or with another unit.
    """
    match = _SIZE.fullmatch(text)
    if not match:
        raise ValueError(
            f"{text!r} is not a size; write a number and a unit, e.g. 600MB or 1.5GB"
        )
    return int(float(match[1]) * _UNITS[match[2][0].upper()])


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


def check_unpacked(name: str, size: int, limits: Limits) -> None:
    """Refuse data that unpacks to more than the size limit."""
    if size > limits.max_bytes:
        raise ImportFailure(
            f"{name}: unpacks to more than {limit_text(limits.max_bytes)}; that is "
            "the limit, and it applies to the unpacked data"
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
