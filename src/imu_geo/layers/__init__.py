"""The map: one builder per pydeck layer, the colours and the legend, one module
per concern.

Each module imports only those before it in this order, never one after:

    common -> view -> basemap -> events -> units -> legend -> large

- :mod:`~imu_geo.layers.common`: the colours, layer ids, map options and inline data.
- :mod:`~imu_geo.layers.view`: the opening view and a view framed on events.
- :mod:`~imu_geo.layers.basemap`: the basemap's static files and its style.
- :mod:`~imu_geo.layers.events`: the atlas map's event layers and its deck.
- :mod:`~imu_geo.layers.units`: the clickable countries and admin-1 units.
- :mod:`~imu_geo.layers.legend`: the legend beside the map.
- :mod:`~imu_geo.layers.large`: large maps drawn from point files.

Every public name is importable from here, as it was from the one module.
"""

# Each module lists its public names in its own __all__; they are all
# importable from here, and this package's __all__ is their union.
from imu_geo.layers import basemap, common, events, large, legend, units, view
from imu_geo.layers.basemap import *  # noqa: F403
from imu_geo.layers.common import *  # noqa: F403
from imu_geo.layers.events import *  # noqa: F403
from imu_geo.layers.large import *  # noqa: F403
from imu_geo.layers.legend import *  # noqa: F403
from imu_geo.layers.units import *  # noqa: F403
from imu_geo.layers.view import *  # noqa: F403

__all__ = [
    *common.__all__,
    *view.__all__,
    *basemap.__all__,
    *events.__all__,
    *units.__all__,
    *legend.__all__,
    *large.__all__,
]
