"""The event and place schema: column names and every controlled vocabulary.

One place for the names, so the loader, the validator, the exports and the
documentation agree. ``data/README.md`` explains each value in words.
"""

from __future__ import annotations

from imu_geo.dates import DATE_PRECISIONS

EVENT_COLUMNS: tuple[str, ...] = (
    "event_id",
    "date_start",
    "date_end",
    "date_precision",
    "date_origin",
    "layer",
    "event_type",
    "place_id",
    "geo_precision",
    "place_origin",
    "actors",
    "target",
    "fatalities_low",
    "fatalities_best",
    "fatalities_high",
    "attribution",
    "title",
    "description",
    "source_quote",
    "source",
    "notes",
)
FATALITY_COLUMNS: tuple[str, ...] = (
    "fatalities_low",
    "fatalities_best",
    "fatalities_high",
)
# Columns that may be empty; every other column needs a value on every row.
# geo_precision and place_origin are needed exactly when place_id is given.
OPTIONAL_EVENT_COLUMNS: frozenset[str] = frozenset(
    {"place_id", "geo_precision", "place_origin", "target", "notes", *FATALITY_COLUMNS}
)

# Columns an imported ``events.csv`` may carry after those above: where each event
# is in its source file (the dataset's own id and the row number) and the source's
# own type and sub-type, as it wrote them. All optional and empty-able; the atlas
# has none of them.
SOURCE_EVENT_COLUMNS: tuple[str, ...] = (
    "source_id",
    "source_row",
    "source_event_type",
    "source_sub_event_type",
)
# An event's own point, when it has one: ``lat`` and ``lon`` in decimal degrees
# (WGS84), both or neither, and for that point the ``place_name`` the source gives
# it and the ``country`` (ISO 3166-1 alpha-2, ``|`` between several) the importer
# found it in. An imported event with its own coordinates has them here and no
# ``place_id``: ``places.geojson`` holds named places only. All optional and
# empty-able; the atlas has none of them. Own values win over the place's.
POINT_COLUMNS: tuple[str, ...] = ("lat", "lon", "place_name", "country")
# The source's own type and sub-type: shown in the table and one facet together.
SOURCE_TYPE_COLUMNS: tuple[str, ...] = ("source_event_type", "source_sub_event_type")

LAYERS: tuple[str, ...] = ("attack", "base", "context")
EVENT_TYPES: dict[str, tuple[str, ...]] = {
    "attack": (
        "bombing",
        "suicide_bombing",
        "hostage_taking",
        "hijacking",
        "armed_assault",
        "armed_incursion",
        "foiled_plot",
    ),
    "base": ("group_base", "leader_base"),
    "context": (
        "founding",
        "renaming",
        "alliance",
        "pledge",
        "designation",
        "statement",
        "state_offensive",
        "crackdown",
        "leader_killed",
        "relocation",
        "armed_clash",
        "security_measure",
        "fragmentation",
    ),
}
DATE_ORIGINS: tuple[str, ...] = ("source", "derived", "assumed")
# Each place precision, finest first, with how far from the event its point may
# lie (data/README.md, section 4): the map's uncertainty halos and the border
# check's allowance both use these radii.
GEO_PRECISION_KM: dict[str, float] = {
    "exact": 0.0,
    "near": 25.0,
    "district": 50.0,
    "province": 100.0,
    "region": 200.0,
    "country": 400.0,
}
GEO_PRECISIONS: tuple[str, ...] = tuple(GEO_PRECISION_KM)
PLACE_ORIGINS: tuple[str, ...] = ("source", "inferred", "reference")
ATTRIBUTIONS: tuple[str, ...] = ("claimed", "attributed", "suspected")

EVENT_VOCABULARIES: dict[str, tuple[str, ...]] = {
    "date_precision": DATE_PRECISIONS,
    "date_origin": DATE_ORIGINS,
    "layer": LAYERS,
    "geo_precision": GEO_PRECISIONS,
    "place_origin": PLACE_ORIGINS,
    "attribution": ATTRIBUTIONS,
}

PLACE_PROPERTIES: tuple[str, ...] = (
    "place_id",
    "name",
    "alt_names",
    "kind",
    "country",
    "admin1",
)
PLACE_KINDS: tuple[str, ...] = (
    "city",
    "airport",
    "border_town",
    "district",
    "province",
    "region",
    "valley",
    "country",
)
POINT_GEOMETRIES = ("Point",)
AREA_GEOMETRIES = ("Polygon", "MultiPolygon")

# English names of the ISO 3166-1 alpha-2 codes the atlas and imports meet.
COUNTRY_NAMES: dict[str, str] = {
    "AF": "Afghanistan",
    "KZ": "Kazakhstan",
    "KG": "Kyrgyzstan",
    "PK": "Pakistan",
    "TJ": "Tajikistan",
    "TM": "Turkmenistan",
    "UZ": "Uzbekistan",
    "CN": "China",
    "IR": "Iran",
    "IN": "India",
    "RU": "Russia",
}

QUOTE_SEPARATOR = " [...] "
SOURCE_CITATION = (
    'GlobalSecurity.org, "Islamic Movement of Uzbekistan (IMU) / Islamic Party of '
    'Turkestan", last modified 2015-12-07.'
)
CREDITS = (
    "Boundaries: Natural Earth (public domain). Place coordinates: GeoNames "
    "(geonames.org), CC BY 4.0; airportsdata (MIT); iso3166-2 (MIT)."
)
