"""The page's style sheet reaches the browser whole."""

from imu_geo.ui.styles import STYLE_SHEET


def test_the_style_sheet_survives_streamlits_sanitiser():
    # Streamlit passes st.html through DOMPurify, which drops a <style> element
    # whose text holds "<" followed by a letter, "/" or "!" (a comment such as
    # "st-key-<name>" was enough): then no rule applies, silently.
    text = STYLE_SHEET.read_text(encoding="utf-8")
    assert "<" not in text
    assert "@media (max-width: 640px)" in text
