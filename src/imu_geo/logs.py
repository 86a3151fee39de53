"""Server-side logs as one JSON object per line, errors with their stack trace.

The page never shows a stack trace (``client.showErrorDetails = "none"``); the
trace goes here instead, under a short reference that the page does show, so a
reader's report can be matched with the log line.
"""

from __future__ import annotations

import json
import logging
import sys
import traceback
from datetime import UTC, datetime

LOGGER = "imu_geo"
# Attributes every LogRecord has; anything else was passed in ``extra``.
_STANDARD = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """``{"time": ..., "level": ..., "logger": ..., "message": ..., ...}``.

    Fields given with ``extra=`` are kept; an exception adds ``error`` (its type
    and message) and ``traceback`` (the full trace as text).
    """

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value if _plain(value) else repr(value)
        # Equivalent if the index is mutated: an exception's type and value are
        # both there or both None (``sys.exc_info()``).
        if record.exc_info and record.exc_info[0] is not None:  # pragma: no mutate
            kind, error, trace = record.exc_info
            entry["error"] = f"{kind.__name__}: {error}"
            # Equivalent if ``kind`` is mutated: given the value and the trace,
            # Python 3.10 and later read the type from the value.
            lines = traceback.format_exception(kind, error, trace)  # pragma: no mutate
            entry["traceback"] = "".join(lines)
        # Equivalent if mutated to None: json reads it as False.
        return json.dumps(entry, ensure_ascii=False)  # pragma: no mutate


def _plain(value: object) -> bool:
    return isinstance(value, str | int | float | bool | type(None))


def configure(stream=None, level: int = logging.INFO) -> logging.Logger:
    """Send the package's log records to ``stream`` (stderr) as JSON lines, once.

    Calling it again changes nothing, so every script run may call it.
    """
    logger = logging.getLogger(LOGGER)
    # Equivalent if the default is mutated to None: ``any`` reads it as False.
    ours = [getattr(h, "_imu_geo", False) for h in logger.handlers]  # pragma: no mutate
    if not any(ours):
        handler = logging.StreamHandler(stream or sys.stderr)
        handler.setFormatter(JsonFormatter())
        handler._imu_geo = True
        logger.addHandler(handler)
        logger.setLevel(level)
        logger.propagate = False
    return logger
