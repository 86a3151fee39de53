"""IMU Geo: the frame around every page (navigation, shared filters, credits)."""

import streamlit as st

from imu_geo.ui import frame, reporting

st.set_page_config(page_title="IMU Geo", page_icon="🗺️", layout="wide")
# An error anywhere in the frame or a page is reported with a reference, never as
# Streamlit's own error box.
with reporting.script():
    # Navigation comes before any widget, so shared widgets keep their state.
    page = st.navigation(
        [
            st.Page("views/map.py", title="Map", icon=":material/map:", default=True),
            st.Page("views/tour.py", title="Tour", icon=":material/tour:"),
            st.Page("views/regions.py", title="Regions", icon=":material/bar_chart:"),
            st.Page("views/timeline.py", title="Timeline", icon=":material/timeline:"),
            st.Page(
                "views/sources.py",
                title="Sources & method",
                icon=":material/menu_book:",
                url_path="sources",
            ),
        ]
    )
    with frame.frame():
        page.run()
