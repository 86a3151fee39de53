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

# Each module lists its public names in its own __all__; they are all
# importable from here, and this package's __all__ is their union.
from imu_geo.summaries import legend, maps, table, text, units
from imu_geo.summaries.legend import *  # noqa: F403
from imu_geo.summaries.maps import *  # noqa: F403
from imu_geo.summaries.table import *  # noqa: F403
from imu_geo.summaries.text import *  # noqa: F403
from imu_geo.summaries.units import *  # noqa: F403

__all__ = [
    *units.__all__,
    *table.__all__,
    *maps.__all__,
    *legend.__all__,
    *text.__all__,
]
