"""Running one format's crosswalk on rows written in a test: the rules' output
before places are resolved, and the issues they raised. Shared by the tests of
the ACLED, UCDP GED, GTD and native crosswalks."""

from __future__ import annotations

import pandas as pd

from imu_geo.importers.crosswalk import _Issues, _Source


def frame_of(rows: list[dict]) -> pd.DataFrame:
    """Rows as the reader gives them: every cell text, columns in first-seen
    order, a cell a row leaves out empty."""
    columns = list(dict.fromkeys(key for row in rows for key in row))
    return pd.DataFrame(
        [[row.get(column, "") for column in columns] for row in rows],
        columns=columns,
        dtype="str",
    )


def walk(crosswalk, *rows: dict, **options):
    """``crosswalk`` (``_ucdp``, ``_acled``, ...) run on ``rows``: what it gives,
    and its issues as tuples of (position, action, column, reason) in the order
    they were raised."""
    issues = _Issues()
    cross = crosswalk(_Source(frame_of(list(rows))), issues, **options)
    found = issues.frame()
    listed = [
        (int(position), action, column, reason)
        for position, action, column, reason in zip(
            found["position"],
            found["action"],
            found["column"],
            found["reason"],
            strict=True,
        )
    ]
    return cross, listed
