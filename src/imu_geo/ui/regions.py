"""The region filter: a click on a unit of a map filters to it."""

from __future__ import annotations

import streamlit as st

from imu_geo.text import escape_markdown
from imu_geo.ui.loading import LoadedData
from imu_geo.ui.state import _REGION_KEY, _STATE_KEYS, current_region

# How many units were clicked in this session: part of the id of the layers a
# click picks from, so that the browser drops a pick once it is handled (a kept
# pick would dim every other object on the map, and could not be clicked again).
_REGION_PICKS_KEY = "_region_picks"


REGION_PICK_LAYER = "region-pick"

# The Regions page's map as a 1,400-pixel-wide window draws it (2/5 of the page
# beside the sidebar); the browser then says what it really is (ui.viewport).
REGIONS_MAP_SIZE = (340, 520)


def toggle_region(data: LoadedData, region_id: str) -> None:
    """Filter to the unit ``region_id``; when it is the unit already filtered
    to, show every region again. An id this dataset has no unit of changes
    nothing."""
    unit = data.source.store.units.get(str(region_id))
    if unit is None:
        return
    current = current_region(data)
    st.session_state[_REGION_KEY] = None if current == unit else unit
    st.session_state[_STATE_KEYS["playing"]] = False


def clear_region() -> None:
    """Show every region again."""
    st.session_state[_REGION_KEY] = None


def region_picks() -> int:
    return int(st.session_state.get(_REGION_PICKS_KEY, 0))


def pick_layer_id(base: str) -> str:
    """The id of a layer whose units can be clicked: ``base``, then a new id
    after every handled click (see :data:`_REGION_PICKS_KEY`)."""
    picks = region_picks()
    return base if picks == 0 else f"{base}-{picks}"


def _picked_region_id(picked: object) -> str:
    """The unit id of a picked object: a choropleth record carries it as
    ``region_id``, a feature of the units file as ``properties.id``."""
    if not isinstance(picked, dict):
        return ""
    if picked.get("region_id"):
        return str(picked["region_id"])
    properties = picked.get("properties")
    if isinstance(properties, dict) and properties.get("id"):
        return str(properties["id"])
    return ""


def on_region_pick(data: LoadedData, key: str, layer_base: str) -> None:
    """The callback of a map whose units can be clicked: a click on a unit of
    the layer ``layer_base`` filters to it, or clears the filter when it is the
    unit already filtered to. Other picks (an event) are the page's."""
    chosen = st.session_state.get(key) or {}
    objects = (chosen.get("selection") or {}).get("objects") or {}
    for layer_id, picked in objects.items():
        if layer_id != layer_base and not layer_id.startswith(f"{layer_base}-"):
            continue
        for obj in picked or []:
            region_id = _picked_region_id(obj)
            if region_id:
                toggle_region(data, region_id)
                st.session_state[_REGION_PICKS_KEY] = region_picks() + 1
                return


def region_words(unit) -> str:
    """How the filter is said beside its button: the unit, its level, and what
    being in it means."""
    noun = {"country": "country", "admin1": "province (admin-1 unit)"}.get(
        unit.level, "region"
    )
    return (
        f"Region: {escape_markdown(unit.label)}, a {noun}. Only the events whose "
        "place lies in it are shown; events placed only at a coarser level (its "
        "country, a wider region) are not."
    )


def region_control(data: LoadedData, where=None) -> None:
    """The region filter in the sidebar: what it keeps and one button to clear
    it; nothing when no region is chosen."""
    where = where or st.sidebar
    unit = current_region(data)
    if unit is None:
        return
    where.caption(region_words(unit))
    where.button(
        "Clear region filter",
        icon=":material/close:",
        on_click=clear_region,
        key="region_clear",
        width="stretch",
    )
