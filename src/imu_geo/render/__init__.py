"""The map as a picture: PNG and SVG drawn on the server, offline, with matplotlib.

The picture shows what the Map page shows for the same data and the same
:class:`~imu_geo.filters.FilterSpec`, drawn the way :mod:`imu_geo.layers` draws
it: attacks coloured by type (Okabe-Ito) and sized by fatalities, hollow when the
date is vague, a halo around a place known only roughly, bases in purple (the
area, or a ring for a town) with arrows to the next base, context in grey. Around
the map: the basemap's countries, admin-1 units and labels (from the dataset's
``regions``), the legend, a title that says in words what is shown (the sentence
the pages show, :func:`imu_geo.filters.describe_counts`), and a credit line.

The map is drawn in an equal-area projection of the dataset's extent, the same
for every window (:mod:`~imu_geo.render.basemap` says why).

Same inputs, same bytes: no date or software version is written, the SVG's ids
come from a fixed salt, and the fonts are the DejaVu fonts matplotlib ships.
Nothing here imports Streamlit or pyplot; every figure is a plain
:class:`matplotlib.figure.Figure` on the Agg canvas. matplotlib is imported
where a picture is drawn, not with these modules: the pages import them, and
most page views never draw a picture.

One module per concern. Each imports only those before it in this order, never
one after:

    style -> words -> basemap -> figure -> legend -> events -> pictures

- :mod:`~imu_geo.render.style`: the page's size, fonts and ink, matplotlib's
  settings, and pixels as points.
- :mod:`~imu_geo.render.words`: what the picture says: heading, credits, title.
- :mod:`~imu_geo.render.basemap`: the basemap, projected once per dataset.
- :mod:`~imu_geo.render.figure`: the figure: regions, labels, title, credits.
- :mod:`~imu_geo.render.legend`: the legend beside the map.
- :mod:`~imu_geo.render.events`: the events: columns, markers, halos, density.
- :mod:`~imu_geo.render.pictures`: the whole picture and its bytes.

Every public name is importable from here, as it was from the one module.
"""

# Each module lists its public names in its own __all__; they are all
# importable from here, and this package's __all__ is their union.
from imu_geo.render import basemap, events, figure, legend, pictures, style, words
from imu_geo.render.basemap import *  # noqa: F403
from imu_geo.render.events import *  # noqa: F403
from imu_geo.render.figure import *  # noqa: F403
from imu_geo.render.legend import *  # noqa: F403
from imu_geo.render.pictures import *  # noqa: F403
from imu_geo.render.style import *  # noqa: F403
from imu_geo.render.words import *  # noqa: F403

__all__ = [
    *style.__all__,
    *words.__all__,
    *basemap.__all__,
    *figure.__all__,
    *legend.__all__,
    *events.__all__,
    *pictures.__all__,
]
