"""The size a map is drawn at, as the reader's browser measures it.

The server does not know the reader's screen: a map's opening view is chosen
for a size the page assumes (a 1,400-pixel-wide window), and on a phone, or in
a narrower column, it then shows less than it should (the Tour's first stop
lost the Ferghana Valley off its right edge at 390 pixels). A small element,
drawn in the map's column and taking no space, measures that column and the
screen in the browser and sends both back once; the page then frames its map
for that size (:func:`imu_geo.layers.map_box`).

It sends again only when a width has changed by more than a few pixels (a
scroll bar coming or going does not count), so the one extra run happens on
the first visit of a page, and after the window is resized or the phone
turned. The screen's height alone never sends: a phone's browser changes it
whenever its address bar slides in or out as the page scrolls, and a map
reframed then would jump under the reader's finger. That run is not
the reader's: a message the page showed once (a bad link's tour stop) is
shown on it again (:func:`imu_geo.ui.state.measure_run`). Until the browser
has measured (and in a page test, which has no browser), the assumed size
stands.

The element holds no data but these numbers: nothing from a file or a link
reaches it.
"""

from __future__ import annotations

import streamlit as st

from imu_geo.layers import map_box
from imu_geo.ui.state import note_measured

# Smaller changes are a scroll bar or a rounding, not a new screen.
WIDTH_SLACK_PX = 8

# The start of the script of an element drawn in a map's column: ``host`` is
# the element, ``column`` the column it is drawn in (or the page's block).
_IN_COLUMN = """
export default function ({ parentElement, data, setStateValue }) {
  const host = parentElement.host || parentElement;
  const column =
    host.closest('[data-testid="stColumn"]') ||
    host.closest('[data-testid="stVerticalBlock"]');
  if (!column) return;
"""


def in_map_column(body: str) -> str:
    """The script of a component drawn in a map's column, whose ``body`` runs
    with ``host``, ``column``, ``data`` and ``setStateValue`` at hand."""
    return f"{_IN_COLUMN}{body}}}\n"


_JS = in_map_column("""\
  const width = Math.round(column.getBoundingClientRect().width);
  const screen = [window.innerWidth, window.innerHeight];
  const known = data && data.known;
  const same =
    known &&
    Math.abs(known.width - width) <= data.width_slack &&
    Math.abs(known.screen[0] - screen[0]) <= data.width_slack;
  if (width > 0 && !same) setStateValue("size", { width, screen });
""")

_probe = st.components.v2.component("imu_geo.map_size", js=_JS)


def _measured(value) -> tuple[float, tuple[float, float]] | None:
    """(column width, (screen width, screen height)) from the browser's report,
    or None when there is none or it is not two positive sizes."""
    if not isinstance(value, dict):
        return None
    width, screen = value.get("width"), value.get("screen")
    numbers = [width, *(screen if isinstance(screen, list | tuple) else [None])]
    if len(numbers) != 3 or not all(
        isinstance(n, int | float) and not isinstance(n, bool) and 0 < n < 100_000
        for n in numbers
    ):
        return None
    return float(width), (float(screen[0]), float(screen[1]))


def map_size(name: str, designed: tuple[float, float]) -> tuple[float, float]:
    """The (width, height) the map drawn next in this column will have, for a
    map of ``designed`` size; ``designed`` until the browser has measured.
    Call it inside the map's column, before the map is built; ``name`` keeps
    each page's measure apart."""
    key = f"map-size-{name}"
    known = _measured((st.session_state.get(key) or {}).get("size"))
    _probe(
        key=key,
        data={
            "known": ({"width": known[0], "screen": list(known[1])} if known else None),
            "width_slack": WIDTH_SLACK_PX,
        },
        default={"size": None},
        on_size_change=note_measured,
        height=0,
    )
    if known is None:
        return designed
    return map_box(known[0], known[1], designed)
