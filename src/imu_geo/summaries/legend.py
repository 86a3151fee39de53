"""The choropleth's legend, drawn as SVG in its colours."""

from __future__ import annotations

import geopandas as gpd

from imu_geo.summaries.maps import (
    MEASURES,
    SEQUENTIAL_STOPS,
)
from imu_geo.summaries.table import (
    _format_value,
)

__all__ = [
    "choropleth_legend_svg",
]


def choropleth_legend_svg(frame: gpd.GeoDataFrame, measure: str) -> str:
    """The colour ramp of a :func:`choropleth_frame`, 0 to its largest value, as
    an SVG document built from the constants above, a label and a number."""
    label = MEASURES[measure]
    top = _format_value(frame["value"].max()) if len(frame) else "0"
    stops = "".join(
        f'<stop offset="{i / (len(SEQUENTIAL_STOPS) - 1):.2f}" '
        f'stop-color="rgb({r},{g},{b})"/>'
        for i, (r, g, b) in enumerate(SEQUENTIAL_STOPS)
    )
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="240" height="54" '
        'font-family="Helvetica, Arial, sans-serif" font-size="12" fill="#333">'
        f'<defs><linearGradient id="ramp">{stops}</linearGradient></defs>'
        f'<text x="4" y="13" font-weight="bold">{label}</text>'
        '<rect x="4" y="20" width="220" height="14" fill="url(#ramp)" '
        'stroke="#666" stroke-width="0.5"/>'
        '<text x="4" y="48">0</text>'
        f'<text x="224" y="48" text-anchor="end">{top}</text>'
        "</svg>"
    )
