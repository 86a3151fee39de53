"""The timeline: events as bars over time, the bases as lanes, and labelled eras.

What is drawn, and why:

- every event is a bar from its first to its last possible day, so a date known
  only to the year is a year-long bar and a vague range is as long as the text
  leaves it; a day or a month gives a solid bar, a vaguer date (season, year,
  range, approximate) a hollow one (pale fill, coloured outline), as on the map;
- attacks are coloured by type with the map's colour-blind-safe palette, bases in
  the map's purple, context in grey;
- the bases are drawn once more as lanes, one per place, ordered by when the place
  first appears, with a connector from each base to the next: read top to bottom,
  the lanes show the group moving;
- eras (:data:`ERAS`) are a reading of the source, each with the sentence that
  marks it; they are bands behind the bars and presets for the time window;
- the current window is marked: the time outside it is veiled and the bars
  outside it are faded; an interval selection on the time axis
  (:data:`SPAN_PARAM`) lets a user drag out a new one
  (:func:`window_from_selection`).

Nothing here imports Streamlit: the page passes the chart to ``st.altair_chart``.
The package has three parts: :mod:`~imu_geo.timeline.eras` (the periods),
:mod:`~imu_geo.timeline.bars` (the chart's data) and
:mod:`~imu_geo.timeline.chart` (the Altair charts).
"""

from imu_geo.timeline.bars import (
    ERA_ROW,
    NO_PLACE,
    SECTION_ROWS,
    SPAN_PARAM,
    base_lanes,
    chart_rows,
    event_bars,
    kind_of,
    monthly_counts,
    relocation_links,
    timeline_events,
    window_from_selection,
)
from imu_geo.timeline.chart import (
    GANTT_LIMIT,
    build_timeline_chart,
    build_volume_chart,
    colour_scale,
)
from imu_geo.timeline.eras import ERAS, NAMED_ERA_MONTHS, Era, era_for, era_frame

__all__ = [
    "ERAS",
    "ERA_ROW",
    "GANTT_LIMIT",
    "NAMED_ERA_MONTHS",
    "NO_PLACE",
    "SECTION_ROWS",
    "SPAN_PARAM",
    "Era",
    "base_lanes",
    "build_timeline_chart",
    "build_volume_chart",
    "chart_rows",
    "colour_scale",
    "era_for",
    "era_frame",
    "event_bars",
    "kind_of",
    "monthly_counts",
    "relocation_links",
    "timeline_events",
    "window_from_selection",
]
