"""Small widgets every page uses: tables holding data, the sentence saying what
is shown, download buttons, the event panel."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from imu_geo.content import table_columns
from imu_geo.filters import (
    FilterSpec,
    describe,
)
from imu_geo.text import (
    escape_markdown,
    markdown_table,
    plain,
    show_controls_in,
)

# Each kind of column (imu_geo.content.COLUMN_KINDS) as Streamlit shows it.
_COLUMN_TYPES = {
    "text": (st.column_config.TextColumn, {}),
    "date": (st.column_config.DateColumn, {"format": "YYYY-MM-DD"}),
    "number": (st.column_config.NumberColumn, {}),
}


def column_config(table: str) -> dict:
    """``st.dataframe``'s column settings for one of the tables whose columns
    are kept as data (:func:`imu_geo.content.table_columns`)."""
    config = {}
    for row in table_columns(table):
        column_type, options = _COLUMN_TYPES[row["kind"]]
        width = {"width": row["width"]} if row["width"] else {}
        config[row["column"]] = column_type(row["label"], **options, **width)
    return config


OPTION_CHARS = 80


def option_label(value: object) -> str:
    """How a value from the data is written in a list of choices: as text, on one
    line, cut to :data:`OPTION_CHARS` characters."""
    return plain(value, OPTION_CHARS)


def table(frame: pd.DataFrame, where=st, **kwargs):
    """``st.dataframe`` for a table holding data: bidirectional controls in its
    text are shown (see :func:`imu_geo.text.show_controls`), never obeyed."""
    return where.dataframe(show_controls_in(frame), **kwargs)


def reference_table(frame: pd.DataFrame, headers: dict[str, str], where=st):
    """A small table to be read in full (definitions, coverage): every cell's
    text wraps instead of being cut, as :func:`imu_geo.text.markdown_table`
    shows it, under the ``headers`` given for its columns."""
    return where.table(markdown_table(frame, headers), hide_index=True)


def describe_selection(
    selected: pd.DataFrame, spec: FilterSpec, extra: str = ""
) -> None:
    """The sentence that says what is shown, as a caption.

    It contains the user's search words, so it is escaped: Markdown typed into the
    search box shows as typed and cannot format, link or load anything.
    """
    st.caption(escape_markdown(describe(selected, spec) + extra))


def download(label: str, build, file_name: str, mime: str = "text/csv", where=st):
    """A download button whose file is built only when it is clicked.

    ``build`` is a function returning the bytes; the click does not rerun the app,
    so moving the slider never rebuilds a file nobody asked for.
    """
    where.download_button(
        label,
        data=build,
        file_name=file_name,
        mime=mime,
        on_click="ignore",
        icon=":material/download:",
    )


def event_panel(details) -> None:
    """The detail panel of one event: facts, description, the verbatim quote."""
    with st.container(border=True):
        # No anchor: Streamlit would make a link to it from the title's words.
        st.subheader(details.title, anchor=False)
        st.markdown(details.facts)
        st.markdown(details.description)
        st.markdown(details.quote)
        st.caption(details.citation)
        if details.notes:
            st.caption(details.notes)
