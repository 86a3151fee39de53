"""The page's style sheet: what Streamlit's own layout needs on a phone."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

STYLE_SHEET = Path(__file__).with_name("styles.css")


def page_styles() -> None:
    """Add :data:`STYLE_SHEET` to the page (it takes no space on it).

    At every run, so every page has it, opened alone or in the frame.
    """
    st.html(STYLE_SHEET)
