"""The Map page's view, kept across page changes.

Within a page the browser keeps the reader's zoom and pan through every
rerun (the chart keeps its key and its initial view). Going to another page
and back mounts a new chart, which opened on the dataset's view: the zoom was
lost. Streamlit's deck never tells the server its view, so a small element
beside the map, taking no space, reads the deck's current view in the browser
once a second and keeps it in the tab's session storage (nothing leaves the
browser). When the Map page is shown again, that element sends the kept view
once, and the page opens its map on it.

The view is read from the chart's React component (the ``viewState`` it
passes to deck.gl), which is not a public interface: if a later Streamlit
draws its deck otherwise, nothing is found, nothing is kept, and the map opens
on the dataset's view as before. The browser test
``tests/e2e/test_map_view.py`` reads the view the same way and would fail.

The view is kept per chart key (:func:`imu_geo.ui.mapdeck.map_key`): per
dataset, and per *Reset view*, which starts a new key and so forgets the
view. The run the element asks for is not the reader's: a message the page
showed once is shown on it again (:func:`imu_geo.ui.state.measure_run`).
"""

from __future__ import annotations

import secrets

import streamlit as st

from imu_geo.layers import kept_view
from imu_geo.ui.state import note_measured, page_visit
from imu_geo.ui.viewport import in_map_column

# Milliseconds between two readings of the deck's view.
READ_EVERY_MS = 1000
_SESSION_KEY = "_map_view_session"

_JS = in_map_column("""\
  if (!data) return;
  const slot = "imu-geo-map-view:" + data.scope;
  const read = () => {
    const canvases = column.querySelectorAll(
      '[data-testid="stDeckGlJsonChart"] canvas');
    for (const canvas of canvases) {
      const key = Object.keys(canvas).find((k) => k.startsWith("__reactFiber$"));
      for (let f = key && canvas[key]; f; f = f.return) {
        const v = f.memoizedProps && f.memoizedProps.viewState;
        if (v && typeof v.zoom === "number") {
          return {
            longitude: v.longitude, latitude: v.latitude, zoom: v.zoom,
            pitch: v.pitch || 0, bearing: v.bearing || 0,
          };
        }
      }
    }
    return null;
  };
  const same = (a, b) => a && b && ["longitude", "latitude", "zoom"].every(
    (name) => Math.abs(a[name] - b[name]) < 1e-6);
  let storage = null;
  try { storage = window.sessionStorage; } catch (e) { return; }
  if (host.imuGeoVisit !== data.visit) {
    // A new visit of the page: the view kept on the last one, once, unless
    // the page already opens on it (kept from an earlier visit, or the
    // dataset's own view, as after Reset view): no run, no new chart.
    host.imuGeoVisit = data.visit;
    let kept = null;
    try { kept = JSON.parse(storage.getItem(slot) || "null"); } catch (e) {}
    if (kept && !same(kept, data.known) && !same(kept, data.opening)) {
      host.imuGeoSent = kept;
      setStateValue("view", kept);
    }
  }
  // Until the page has opened on the view sent, the map still shows the
  // dataset's: that is not the reader's, and is not kept.
  if (host.imuGeoSent && same(host.imuGeoSent, data.known)) host.imuGeoSent = null;
  clearInterval(host.imuGeoViewTimer);
  host.imuGeoViewTimer = setInterval(() => {
    const view = host.imuGeoSent ? null : read();
    if (view) { try { storage.setItem(slot, JSON.stringify(view)); } catch (e) {} }
  }, data.every);
  return () => clearInterval(host.imuGeoViewTimer);
""")

_keeper = st.components.v2.component("imu_geo.map_view", js=_JS)


def kept(scope: str, opening: dict[str, float]) -> dict[str, float] | None:
    """The view the reader left the map ``scope`` (its chart key) at on an
    earlier visit of the page, once the browser has sent it; else None. A
    kept view equal to ``opening``, the one the map opens on without it, is
    not sent. Call it in the map's column, before the map is drawn."""
    state = st.session_state
    key = f"map-view-{scope}"
    view = kept_view((state.get(key) or {}).get("view"))
    # A reload is a new session, and opens on the dataset's view as a link
    # does: the tab's storage is keyed by the session too.
    session = state.setdefault(_SESSION_KEY, secrets.token_hex(8))
    _keeper(
        key=key,
        data={
            "scope": f"{session}:{scope}",
            "known": view,
            "opening": opening,
            # The browser sends the kept view once per visit of the page, not
            # on each of its runs.
            "visit": page_visit("map"),
            "every": READ_EVERY_MS,
        },
        default={"view": None},
        on_view_change=note_measured,
        height=0,
    )
    return view
