"""Region summaries: what happened in each country, admin-1 unit and the valley.

One table per level of ``regions.geojson`` (``country``, ``admin1``, ``valley``),
one row per unit that has events in the selection, with counts by layer, fatality
sums and the first and last date. The dashboard's Regions page and
``imu-geo summary`` print the same tables, built here.

One module per concern, each importing only those before it in this order:

    units -> table -> maps -> legend -> text

- :mod:`~imu_geo.summaries.units`: how an event finds its unit (the spatial join).
- :mod:`~imu_geo.summaries.table`: the region tables and the sentences that total them.
- :mod:`~imu_geo.summaries.maps`: the choropleth map.
- :mod:`~imu_geo.summaries.legend`: the choropleth's legend.
- :mod:`~imu_geo.summaries.text`: the tables as plain text.

Every public name is importable from here, as it was from the one module.
"""

from imu_geo.summaries.legend import (
    legend_svg,
)
from imu_geo.summaries.maps import (
    CHOROPLETH_ALPHA,
    CHOROPLETH_LAYER_ID,
    DISPLAY_TOLERANCE_DEG,
    MEASURES,
    SEQUENTIAL_STOPS,
    choropleth_deck,
    choropleth_frame,
    sequential_colour,
)
from imu_geo.summaries.table import (
    COUNT_COLUMNS,
    FATALITY_SUMS,
    FIGURE_COUNTS,
    GROUP_COUNTS,
    GROUP_SUMS,
    KILLED_SUMS,
    LEVEL_LABELS,
    NO_PLACE_LABEL,
    OUTSIDE_LABELS,
    OUTSIDE_NOTES,
    SUMMARY_COLUMNS,
    UNIT_NOUNS,
    killed_line,
    summarise,
    summary_table,
    totals_line,
)
from imu_geo.summaries.text import (
    TEXT_COLUMNS,
    TEXT_KILLED_LEGEND,
    format_text_table,
)
from imu_geo.summaries.units import (
    EQUAL_AREA_CRS,
    POINT_PLACE_PREFIX,
    POINT_PRECISION_LIMIT,
    PRECISION_RANK,
    SUMMARY_LEVELS,
    UNIT_KEYS,
    WITHIN_SHARE,
    event_units,
    locate_xy,
    place_units,
    point_place_keys,
    point_units,
    unit_keys,
)

__all__ = [
    "CHOROPLETH_ALPHA",
    "CHOROPLETH_LAYER_ID",
    "COUNT_COLUMNS",
    "DISPLAY_TOLERANCE_DEG",
    "EQUAL_AREA_CRS",
    "FATALITY_SUMS",
    "FIGURE_COUNTS",
    "GROUP_COUNTS",
    "GROUP_SUMS",
    "KILLED_SUMS",
    "LEVEL_LABELS",
    "MEASURES",
    "NO_PLACE_LABEL",
    "OUTSIDE_LABELS",
    "OUTSIDE_NOTES",
    "POINT_PLACE_PREFIX",
    "POINT_PRECISION_LIMIT",
    "PRECISION_RANK",
    "SEQUENTIAL_STOPS",
    "SUMMARY_COLUMNS",
    "SUMMARY_LEVELS",
    "TEXT_COLUMNS",
    "TEXT_KILLED_LEGEND",
    "UNIT_KEYS",
    "UNIT_NOUNS",
    "WITHIN_SHARE",
    "choropleth_deck",
    "choropleth_frame",
    "event_units",
    "format_text_table",
    "killed_line",
    "legend_svg",
    "locate_xy",
    "place_units",
    "point_place_keys",
    "point_units",
    "sequential_colour",
    "summarise",
    "summary_table",
    "totals_line",
    "unit_keys",
]
