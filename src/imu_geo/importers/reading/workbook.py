"""Workbooks (``.xlsx``): the first sheet with data, read by
:mod:`imu_geo.importers.spreadsheet`, as a table of text.

Imports :mod:`.table` only.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from imu_geo.importers.limits import ImportFailure, Limits
from imu_geo.importers.reading import checks
from imu_geo.importers.reading.table import RawTable
from imu_geo.importers.spreadsheet import read_xlsx


def _read_workbook(name: str, payload: bytes, limits: Limits) -> RawTable:
    sheet = read_xlsx(name, payload, limits)
    checks.unique_columns(name, sheet.header)
    if not sheet.rows:
        raise ImportFailure(f"{name}: has a header but no data rows")
    frame = pd.DataFrame(
        {f"f{i}": column for i, column in enumerate(sheet.columns)}, dtype="str"
    )
    frame.columns = sheet.header
    rows = np.asarray(sheet.rows, dtype=np.int64)
    checks.field_sizes(name, frame, rows, limits)
    return RawTable(name, frame, rows, tuple(sheet.bad_rows), tuple(sheet.notes))
