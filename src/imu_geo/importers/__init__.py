"""Import events from ACLED, UCDP GED, GTD or this project's own files.

A user brings a file of events coded by someone else and gets back the three files
of this project's schema (``events.csv``, ``places.geojson``, ``regions.geojson``)
plus a report of what was accepted, repaired and rejected. Nothing is dropped
silently and nothing is guessed: every repair and every rejection names the source
row and gives its reason. ``docs/import.md`` is the reference for the files read,
the crosswalks, the places and every reason.

The package has one module per concern: :mod:`.reading` (bytes to a table of
text, with :mod:`.limits` for what an import may cost, :mod:`.archives` for
``.zip`` and ``.gz`` files and :mod:`.spreadsheet` for ``.xlsx`` workbooks),
:mod:`.crosswalk` (what the formats share), :mod:`.acled`, :mod:`.ucdp`,
:mod:`.gtd` and :mod:`.native` (one per format), :mod:`.columns` (which source
columns were crosswalked and which are kept verbatim), :mod:`.places` (gazetteer
and borders), :mod:`.report` (the result and its report), :mod:`.writing` (the
data directory) and :mod:`.core` (the whole import). Everything a caller needs is
importable from here.
"""

from imu_geo.importers.acled import (
    ACLED_EVENT_TYPES,
    ACLED_GEO_PRECISION,
    ACLED_SUB_EVENT_TYPES,
    ACLED_TIME_PRECISION,
    CONTEXT_FALLBACK,
)
from imu_geo.importers.columns import column_map
from imu_geo.importers.core import (
    detect_format,
    import_file,
    import_raw,
    import_table,
    run_import,
)
from imu_geo.importers.crosswalk import (
    DATE_ORDERS,
    EMPTY_MARKERS,
    FORMAT_LABELS,
    FORMATS,
    NO_ACTOR,
    NO_TEXT,
    REQUIRED_COLUMNS,
    SIGNATURES,
    crosswalked_columns,
    slugify,
)
from imu_geo.importers.gtd import GTD_ATTACK_CODES, GTD_ATTACK_TYPES, GTD_SPECIFICITY
from imu_geo.importers.limits import (
    ImportFailure,
    InternalImportError,
    Limits,
    parse_size,
)
from imu_geo.importers.places import (
    COUNTRY_CODES,
    GAZETTEER_FILE,
    GAZETTEER_KINDS,
    PRECISION_KINDS,
    Gazetteer,
    load_countries,
    load_gazetteer,
    normalise_name,
)
from imu_geo.importers.reading import (
    ALLOWED_EXTENSIONS,
    COMPRESSED_EXTENSIONS,
    DATA_EXTENSIONS,
    RawTable,
    read_file,
    read_table,
)
from imu_geo.importers.report import (
    ImportResult,
    RowIssue,
    column_map_csv,
    rejects_csv,
)
from imu_geo.importers.ucdp import UCDP_VIOLENCE, UCDP_WHERE_PREC
from imu_geo.importers.writing import (
    COLUMN_MAP_FILE,
    REJECTS_FILE,
    ROW_PROBLEMS_FILE,
    write_import,
    write_source_columns_files,
)

__all__ = [
    "DATE_ORDERS",
    "ACLED_EVENT_TYPES",
    "ACLED_GEO_PRECISION",
    "ACLED_SUB_EVENT_TYPES",
    "ACLED_TIME_PRECISION",
    "ALLOWED_EXTENSIONS",
    "COLUMN_MAP_FILE",
    "COMPRESSED_EXTENSIONS",
    "CONTEXT_FALLBACK",
    "COUNTRY_CODES",
    "EMPTY_MARKERS",
    "DATA_EXTENSIONS",
    "FORMAT_LABELS",
    "FORMATS",
    "GAZETTEER_FILE",
    "GAZETTEER_KINDS",
    "GTD_ATTACK_CODES",
    "GTD_ATTACK_TYPES",
    "GTD_SPECIFICITY",
    "NO_ACTOR",
    "NO_TEXT",
    "PRECISION_KINDS",
    "REJECTS_FILE",
    "REQUIRED_COLUMNS",
    "ROW_PROBLEMS_FILE",
    "SIGNATURES",
    "UCDP_VIOLENCE",
    "UCDP_WHERE_PREC",
    "Gazetteer",
    "ImportFailure",
    "ImportResult",
    "InternalImportError",
    "Limits",
    "RawTable",
    "RowIssue",
    "crosswalked_columns",
    "detect_format",
    "import_file",
    "import_raw",
    "import_table",
    "load_countries",
    "load_gazetteer",
    "column_map",
    "column_map_csv",
    "normalise_name",
    "parse_size",
    "read_file",
    "read_table",
    "rejects_csv",
    "run_import",
    "slugify",
    "write_import",
    "write_source_columns_files",
]
