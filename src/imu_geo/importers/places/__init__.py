"""Places: the gazetteer, the country polygons, the border check and the placing of
rows.

A row keeps its own point when it is usable and lies in its stated country (a swap
of latitude and longitude that puts it there is a repair); otherwise it is placed by
its place name from the gazetteer, or rejected. A row that keeps its own point keeps
it as the event's own coordinates (``lat``/``lon`` in ``events.csv``); the named
places the kept rows use (gazetteer places, and this project's own ``place_id``
values) become the import's ``places.geojson``.

Two geographies serve: the bundled data's (its ``regions.geojson`` countries and
its gazetteer, for Central Asia, at their finer resolution and with their own
tolerance) and the world's (:mod:`imu_geo.world`: Natural Earth countries and
the GeoNames gazetteer), for every other country and for names the bundled
gazetteer does not know.

The package, a module per concern: :mod:`~imu_geo.importers.places.gazetteer`
(named places, countries and their codes), :mod:`~imu_geo.importers.places.borders`
(the border check) and :mod:`~imu_geo.importers.places.placing` (placing rows).
"""

from imu_geo.importers.places.borders import (
    BORDER_MAPS,
    REGIONS_BOUNDARY_KM,
    border_tolerance_km,
    distance_outside_km,
    haversine_km,
)
from imu_geo.importers.places.gazetteer import (
    COUNTRY_CODES,
    GAZETTEER_FILE,
    GAZETTEER_KINDS,
    PRECISION_KINDS,
    Gazetteer,
    load_countries,
    load_gazetteer,
    world_country_codes,
)
from imu_geo.text import normalise_name  # the key places are matched by

__all__ = [
    "BORDER_MAPS",
    "COUNTRY_CODES",
    "GAZETTEER_FILE",
    "GAZETTEER_KINDS",
    "Gazetteer",
    "PRECISION_KINDS",
    "REGIONS_BOUNDARY_KM",
    "border_tolerance_km",
    "distance_outside_km",
    "haversine_km",
    "load_countries",
    "load_gazetteer",
    "normalise_name",
    "world_country_codes",
]
