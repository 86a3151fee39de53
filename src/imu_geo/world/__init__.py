"""The world: countries, admin-1 units and a gazetteer for data from anywhere.

The bundled atlas has its own regions (seven Central Asian countries); an
imported file may come from Syria, Benin or Colombia. This module reads the world
files under ``data/world/`` (made once by ``scripts/build_world.py`` from Natural
Earth and GeoNames, see ``data/README.md``) and answers four questions, without
Streamlit and without the network:

- **Where is a point?** :func:`locate` and :func:`locate_points` give the country
  (ISO 3166-1 alpha-2) and the admin-1 unit a point lies in.
- **Is a point in the country its row names?** :func:`check_border` and
  :func:`check_borders` say ``inside``, ``near_border`` (outside the drawn line
  by no more than the tolerance: keep the row, with a note) or ``outside``
  (farther: the point and the country disagree), or ``unchecked`` when the
  country has no boundary here. The tolerance is the boundary's own resolution
  (:data:`BOUNDARY_KM`) plus what the row's place precision allows
  (:data:`PRECISION_KM`): a point that stands for an event within 25 km of it
  (``near``) may lie up to 25 km outside the country where the event happened.
- **Where is a place named without coordinates?** :func:`gazetteer` gives a
  :class:`WorldGazetteer`, whose :meth:`WorldGazetteer.lookup` finds one place by
  name (optionally within a country and an admin-1 unit), or refuses and lists
  the candidates. A place found this way is a GeoNames populated place, whose
  point is the town: it stands for an event ``near`` the town
  (:data:`GAZETTEER_PRECISION`).
- **Which regions does a dataset need?** :func:`regions_for` gives the countries
  and admin-1 units of the countries a dataset touches, in the schema of
  ``regions.geojson``, for the Regions page and its map.

The package, a module per question: :mod:`~imu_geo.world.files` (the world
files), :mod:`~imu_geo.world.points` (where a point is),
:mod:`~imu_geo.world.borders` (the border check), :mod:`~imu_geo.world.placenames`
(the gazetteer) and :mod:`~imu_geo.world.regions` (regions for a dataset).
"""

from imu_geo.world.borders import (
    BOUNDARY_KM,
    INSIDE,
    KM_PER_DEGREE,
    NEAR_BORDER,
    OUTSIDE,
    PRECISION_KM,
    UNCHECKED,
    BorderCheck,
    border_tolerance_km,
    check_border,
    check_borders,
    checked_countries,
    haversine_km,
)
from imu_geo.world.files import (
    ADMIN1_FILE,
    COUNTRIES_FILE,
    COUNTRY_TABLE_COLUMNS,
    COUNTRY_TABLE_FILE,
    CRS,
    GAZETTEER_COLUMNS,
    GAZETTEER_FILE,
    WORLD_DIR,
    admin1,
    countries,
    country_name,
    country_table,
    country_table_csv,
)
from imu_geo.world.placenames import (
    GAZETTEER_PRECISION,
    SHOWN_CANDIDATES,
    GazetteerPlace,
    Refusal,
    WorldGazetteer,
    gazetteer,
    gazetteer_key,
)
from imu_geo.world.points import Location, locate, locate_points
from imu_geo.world.regions import (
    REGION_COLUMNS,
    complete_regions,
    point_countries,
    regions_feature_collection,
    regions_for,
    regions_for_places,
)

__all__ = [
    "ADMIN1_FILE",
    "BOUNDARY_KM",
    "BorderCheck",
    "COUNTRIES_FILE",
    "COUNTRY_TABLE_COLUMNS",
    "COUNTRY_TABLE_FILE",
    "CRS",
    "GAZETTEER_COLUMNS",
    "GAZETTEER_FILE",
    "GAZETTEER_PRECISION",
    "GazetteerPlace",
    "INSIDE",
    "KM_PER_DEGREE",
    "Location",
    "NEAR_BORDER",
    "OUTSIDE",
    "PRECISION_KM",
    "REGION_COLUMNS",
    "Refusal",
    "SHOWN_CANDIDATES",
    "UNCHECKED",
    "WORLD_DIR",
    "WorldGazetteer",
    "admin1",
    "border_tolerance_km",
    "check_border",
    "check_borders",
    "checked_countries",
    "complete_regions",
    "countries",
    "country_name",
    "country_table",
    "country_table_csv",
    "gazetteer",
    "gazetteer_key",
    "haversine_km",
    "locate",
    "locate_points",
    "point_countries",
    "regions_feature_collection",
    "regions_for",
    "regions_for_places",
]
