"""IMU Geo: the frame around every page (navigation, shared filters, credits)."""

import streamlit as st

from imu_geo import ui

st.set_page_config(page_title="IMU Geo", page_icon="🗺️", layout="wide")
# Navigation comes before any widget, so shared widgets keep their state.
page = st.navigation(
    [st.Page("views/map.py", title="Map", icon="🗺️", url_path="map", default=True)]
)
with ui.frame():
    page.run()
