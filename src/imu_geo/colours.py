"""The colours the time charts share, as CSS hex text.

The Timeline page's counts and the scrubber under the map colour the layers
alike, and both draw the time window in one colour. They live here, apart from
the charts, so that the scrubber can use them without loading a charting
library: the Map page's first run loads only what it draws.
"""

from __future__ import annotations

from imu_geo.layers.common import BASE_COLOUR, Colour


def hex_colour(colour: Colour) -> str:
    """``colour`` (red, green, blue, 0-255) as ``#rrggbb``."""
    return "#{:02x}{:02x}{:02x}".format(*colour)


# The time window: its rule on the timeline, the scrubber's brush.
WINDOW_COLOUR = "#0072b2"
# Events per month and layer, stacked.
VOLUME_COLOURS = {
    "attack": "#d55e00",
    "base": hex_colour(BASE_COLOUR),
    "context": "#6e6e6e",
}
