"""The facets: each filter on an event's own values, declared once.

A facet keeps the events whose value in a column is one of those chosen. Each
row of the table ``imu_geo/tables/facets.csv`` says everything about one: its
name in a link and in the session, its command-line option, the columns it
reads and how a cell matches, how the caption and the sidebar write it and
where its choices come from (:class:`Facet` says what each column means). The
selection (pandas, the time index, the engine's SQL), the link, the caption,
the sidebar, the session state and the command-line options all loop over
:data:`FACETS`, so a new facet is one row of that table.

The time window, the free-text search and the region filter are not facets of
this kind (each matches in its own way) and are declared in
:mod:`imu_geo.filters`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from imu_geo.content import table_rows
from imu_geo.schema import EVENT_VOCABULARIES

# How the sidebar writes a facet's values (the UI maps each to a function).
VALUE_LABELS: tuple[str, ...] = ("plain", "option", "country", "layer")
# Where a facet's widget goes in the sidebar: with what the map draws (beside
# its display options), or with the filters.
SIDEBAR_SECTIONS: tuple[str, ...] = ("display", "filters")


@dataclass(frozen=True)
class Facet:
    """One filter on the events' values.

    An event is in when its cell in one of ``columns`` is one of the chosen
    values, or, with a ``separator``, holds one of them among its items
    (``IMU;Taliban``). A column the events lack matches nothing. ``default``
    is the value that selects every event (nothing chosen, or, for the layers,
    every layer); any other value filters.

    In ``tables/facets.csv`` each field is a column: ``columns`` lists the
    columns with spaces between; ``choices`` is ``vocabulary`` (the terms of
    the facet's column, :data:`imu_geo.schema.EVENT_VOCABULARIES`) or empty
    (the values found in the events); ``default`` is ``choices`` (every choice)
    or empty (none); a flag is ``yes`` or empty; ``{choices}`` in ``help``
    stands for the fixed choices.
    """

    # The link's parameter, the session's key and the key of the choices.
    name: str
    # The attribute of :class:`imu_geo.filters.FilterSpec` that holds the values.
    attribute: str
    # The command-line option of ``export``, ``summary`` and ``render``.
    option: str
    # The option's help.
    help: str
    columns: tuple[str, ...]
    # The sidebar widget's label.
    label: str
    separator: str = ""
    # The store's column of a multi-valued facet: its items, each delimited by
    # the separator at both ends (``;IMU;Taliban;``), so a match is one ``instr``.
    keys_column: str = ""
    # Fixed choices; None when they are the values found in the events.
    choices: tuple[str, ...] | None = None
    default: tuple[str, ...] = ()
    # How the caption names the facet ("" for not at all).
    caption: str = ""
    # Every link writes it, even at its default.
    always_in_link: bool = False
    # The widget's values are put in the order of ``choices`` (the caption
    # counts the layers in that order).
    in_choice_order: bool = False
    # The widget's text when nothing is chosen, and its help.
    placeholder: str | None = None
    hint: str | None = None
    # How the widget writes a value: one of VALUE_LABELS.
    value_labels: str = "plain"
    sidebar_section: str = "filters"
    # Its place among the section's widgets (the table's order is the link's
    # and the caption's).
    sidebar_rank: int = 0
    # The widget is left out when the data offer no choice.
    only_with_choices: bool = False

    def __post_init__(self) -> None:
        if not self.columns:
            raise ValueError(f"facet {self.name}: no column")
        if self.separator and (len(self.columns) != 1 or not self.keys_column):
            raise ValueError(
                f"facet {self.name}: a multi-valued facet reads one column "
                "and needs its keys column"
            )
        if self.in_choice_order and self.choices is None:
            raise ValueError(f"facet {self.name}: choice order needs fixed choices")
        if self.value_labels not in VALUE_LABELS:
            raise ValueError(f"facet {self.name}: labels one of {VALUE_LABELS}")
        if self.sidebar_section not in SIDEBAR_SECTIONS:
            raise ValueError(f"facet {self.name}: section one of {SIDEBAR_SECTIONS}")

    def filters(self, values) -> bool:
        """Whether ``values`` keep fewer than every event (differ from the default)."""
        return tuple(values) != self.default

    def options(self, found: Mapping[str, tuple[str, ...]]) -> tuple[str, ...]:
        """The values a user can choose: the fixed choices, else those ``found``
        in the events (:func:`imu_geo.filters.facet_choices`)."""
        if self.choices is not None:
            return self.choices
        return tuple(found.get(self.name, ()))


# The table's words for fixed values (see Facet).
_VOCABULARY = "vocabulary"
_EVERY_CHOICE = "choices"


def _facet(row: Mapping[str, str]) -> Facet:
    """One row of ``tables/facets.csv`` as a :class:`Facet`."""
    columns = tuple(row["columns"].split())
    choices = EVENT_VOCABULARIES[columns[0]] if row["choices"] == _VOCABULARY else None
    return Facet(
        name=row["name"],
        attribute=row["attribute"],
        option=row["option"],
        help=row["help"].format(choices=",".join(choices or ())),
        columns=columns,
        label=row["label"],
        separator=row["separator"],
        keys_column=row["keys_column"],
        choices=choices,
        default=(choices or ()) if row["default"] == _EVERY_CHOICE else (),
        caption=row["caption"],
        always_in_link=row["always_in_link"] == "yes",
        in_choice_order=row["in_choice_order"] == "yes",
        placeholder=row["placeholder"] or None,
        hint=row["hint"] or None,
        value_labels=row["value_labels"],
        sidebar_section=row["sidebar_section"],
        sidebar_rank=int(row["sidebar_rank"]),
        only_with_choices=row["only_with_choices"] == "yes",
    )


# In the table's order, which is the link's and the caption's.
FACETS: tuple[Facet, ...] = tuple(_facet(row) for row in table_rows("facets.csv"))

FACETS_BY_NAME: dict[str, Facet] = {facet.name: facet for facet in FACETS}


def sidebar_facets(section: str) -> tuple[Facet, ...]:
    """The facets whose widgets go in a section of the sidebar, in its order."""
    return tuple(
        sorted(
            (facet for facet in FACETS if facet.sidebar_section == section),
            key=lambda facet: facet.sidebar_rank,
        )
    )
