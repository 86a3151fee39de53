"""Import events from ACLED, UCDP GED, GTD or this project's own files.

A user brings a file of events coded by someone else and gets back the three files
of this project's schema (``events.csv``, ``places.geojson``, ``regions.geojson``)
plus a report of what was accepted, repaired and rejected. Nothing is dropped
silently and nothing is guessed: every repair and every rejection names the source
row and gives its reason, and a row that cannot be placed or dated is rejected,
not approximated.

Reading
-------
Files may be CSV (``.csv``, ``.tsv``, ``.txt``), GeoJSON or JSON (``.geojson``,
``.json``) or Parquet (``.parquet``). Compressed files (``.gz``, ``.zip``, ...,
or any file that starts with the magic bytes of gzip, zip, bzip2, xz, 7z, zstd,
lz4, rar or tar) are refused before anything is decompressed. A file larger than
:attr:`Limits.max_bytes` or with more than :attr:`Limits.max_rows` rows is refused
before it is parsed. CSV text may be UTF-8 (with or without a byte-order mark),
UTF-16 or UTF-32 with a byte-order mark, or else is read as Windows-1252 (a
superset of Latin-1) with a note saying so. The delimiter is the one of
``,`` ``;`` tab ``|`` that occurs most often in the header line. A GeoJSON
FeatureCollection's properties become columns, and a Point geometry gives
``longitude`` and ``latitude`` columns when the properties hold no coordinates; a
JSON list of records, or an object with such a list under ``data`` (the ACLED API's
shape), is read as a table too. Every cell is read as text; nothing is inferred.

Row numbers are the ones a user can find: for CSV the row as a spreadsheet shows it
(the header is row 1, the first data row is row 2); for GeoJSON and JSON the feature
or record number, from 1; for Parquet the row index, from 1.

Formats and crosswalks
----------------------
The format is recognised from the column names (any case), or named by the caller.
Every imported row keeps its dataset's id in ``source_id`` and its row number in
``source_row``; ``event_id`` is ``<format>-<source id>`` made into a slug; ``source``
names the dataset, the file and the row; ``source_quote`` is the row's own text
(``[no text in the source row]`` when it has none); ``attribution`` is
``attributed`` (the dataset attributes the event to the actors it codes);
``date_origin`` and ``place_origin`` are ``source`` unless said otherwise below; the
dataset's own codes are kept in ``notes``.

ACLED (``event_id_cnty``, ``event_date``, ``time_precision``, ``latitude``,
``longitude``, ``geo_precision``; optional ``disorder_type``, ``event_type``,
``sub_event_type``, ``actor1``, ``assoc_actor_1``, ``actor2``, ``assoc_actor_2``,
``country``, ``location``, ``fatalities``, ``notes``, ``source``):

- ``time_precision`` 1: the day (``day``); 2: ``event_date`` ± 3 days
  (``approximate``, ``date_origin`` ``assumed``); 3: the whole month (``month``).
- ``geo_precision`` 1: ``near``; 2: ``district``; 3: ``province``.
- ``fatalities``: ``fatalities_best``.
- ``actor1`` (and ``assoc_actor_1``): ``actors``; ``actor2`` (and
  ``assoc_actor_2``): ``target``. ``notes``: ``source_quote``.
- ``sub_event_type`` (else ``event_type``) gives layer and type:
  :data:`ACLED_SUB_EVENT_TYPES`, then :data:`ACLED_EVENT_TYPES`, then
  ``context``/``statement``, the importer's catch-all for context events.

UCDP GED (``id``, ``date_start``, ``date_end``, ``latitude``, ``longitude``,
``where_prec``; optional ``date_prec``, ``type_of_violence``, ``side_a``,
``side_b``, ``low``, ``best``, ``high``, ``country``, ``where_coordinates``,
``source_article``):

- ``date_start``, ``date_end``: taken as given (a time of day is dropped); the
  precision follows from the span: one day ``day``, one calendar month ``month``,
  one calendar year ``year``, anything else ``range``. ``date_prec`` is kept in
  ``notes``.
- ``where_prec`` 1 ``exact``, 2 ``near``, 3 ``district``, 4 ``province``, 5
  ``region``, 6 ``country``, 7 ``region``.
- ``low``, ``best``, ``high``: ``fatalities_low``, ``fatalities_best``,
  ``fatalities_high``.
- ``side_a``: ``actors``; ``side_b``: ``target``; ``source_article``:
  ``source_quote``.
- Every ``type_of_violence`` (1 state-based, 2 non-state, 3 one-sided) is an
  ``attack``/``armed_assault``; the code is kept in ``notes``.

GTD (``eventid``, ``iyear``, ``imonth``, ``iday``, ``latitude``, ``longitude``,
``specificity``; optional ``approxdate``, ``attacktype1_txt`` or ``attacktype1``,
``suicide``, ``gname``, ``gname2``, ``gname3``, ``target1``, ``targtype1_txt``,
``nkill``, ``country_txt``, ``city``, ``provstate``, ``summary``):

- ``iyear``/``imonth``/``iday``, with 0 (or empty) for an unknown month or day:
  the day, the whole month or the whole year. A non-empty ``approxdate`` makes the
  precision ``approximate`` and is kept in ``notes``.
- ``specificity`` 1 ``near``; 2 and 3 ``district``; 4 ``province``; 5 ``country``.
- ``nkill``: ``fatalities_best``.
- ``attacktype1_txt`` (or the ``attacktype1`` code) gives the type
  (:data:`GTD_ATTACK_TYPES`); Bombing/Explosion with ``suicide`` 1 is
  ``suicide_bombing``; anything else is ``armed_assault``. Every row is an
  ``attack``.
- ``gname`` (``gname2``, ``gname3``): ``actors``; ``target1`` (else
  ``targtype1_txt``): ``target``; ``summary``: ``source_quote``.

Native (the columns of ``events.csv``, optionally with ``lat``, ``lon``,
``place_name`` and ``country`` as the dashboard's CSV download has them): the rows
are checked with the rules :mod:`imu_geo.validate` applies to ``events.csv``, with
the same messages. ``event_id`` and the text columns are kept as they are.

Places
------
A row's coordinates are used when both are finite numbers in range and not
(0, 0); a decimal comma (``41,26``) is read as a decimal point, and said so. When
the row names a country that :data:`COUNTRY_CODES` maps to a code with a polygon in
``regions.geojson``, the point must lie within
:data:`imu_geo.validate.BORDER_TOLERANCE_DEG` of it; if it does not, but the point
with latitude and longitude swapped does, the swap is a repair; otherwise the row is
rejected. A row without usable coordinates is placed by its place name (ACLED
``location``, UCDP ``where_coordinates``, GTD ``city``, native ``place_name`` or
``place_id``) in the gazetteer (:class:`Gazetteer`); its ``geo_precision`` is the
coarser of the row's own and the one the gazetteer place stands for. A name that
is not in the gazetteer, is there only in another country, or names several places
at once, gets the row rejected.

Rows
----
A row identical in every field to an earlier one is rejected as its duplicate. A
dataset id used by two different rows gets a suffix (``acled-uzb12-2``) on the
later one; an empty id is made from the row number (``acled-row-7``). Both are
repairs. Text that looks like a spreadsheet formula or HTML is kept as data; the
exports neutralise it. The reasons given for each repair and rejection are listed
in ``docs/import.md``.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import shutil
import threading
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path, PurePath

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pa_compute
import pyarrow.csv as pa_csv
import pyarrow.parquet as pa_parquet
import shapely
from shapely.geometry import mapping, shape

from imu_geo.data import BUNDLED_DATA_DIR, CRS
from imu_geo.dates import DateParseError, parse_partial_date, precision_problem
from imu_geo.export import EXPORT_COLUMNS, neutralise_formula
from imu_geo.schema import (
    COUNTRY_NAMES,
    EVENT_COLUMNS,
    EVENT_TYPES,
    EVENT_VOCABULARIES,
    FATALITY_COLUMNS,
    GEO_PRECISIONS,
    OPTIONAL_EVENT_COLUMNS,
    PLACE_PROPERTIES,
)
from imu_geo.validate import (
    BORDER_TOLERANCE_DEG,
    EVENTS_FILE,
    PLACES_FILE,
    REGIONS_FILE,
    check_regions,
    read_feature_collection,
)

GAZETTEER_FILE = "gazetteer.csv"
REJECTS_FILE = "rejects.csv"

FORMATS: tuple[str, ...] = ("native", "acled", "ucdp", "gtd")
FORMAT_LABELS: dict[str, str] = {
    "native": "IMU Geo events",
    "acled": "ACLED",
    "ucdp": "UCDP GED",
    "gtd": "GTD",
}
ALLOWED_EXTENSIONS: tuple[str, ...] = (
    ".csv",
    ".tsv",
    ".txt",
    ".geojson",
    ".json",
    ".parquet",
)
COMPRESSED_EXTENSIONS: frozenset[str] = frozenset(
    {".gz", ".gzip", ".tgz", ".zip", ".bz2", ".xz", ".lzma", ".7z", ".zst"}
    | {".lz4", ".rar", ".tar", ".z"}
)
# Magic bytes at the start of a file, and what they mean.
_COMPRESSED_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x1f\x8b", "gzip-compressed"),
    (b"PK\x03\x04", "a zip archive"),
    (b"PK\x05\x06", "a zip archive"),
    (b"\xfd7zXZ\x00", "xz-compressed"),
    (b"7z\xbc\xaf\x27\x1c", "a 7z archive"),
    (b"\x28\xb5\x2f\xfd", "zstd-compressed"),
    (b"\x04\x22\x4d\x18", "lz4-compressed"),
    (b"Rar!\x1a\x07", "a rar archive"),
)
_BZIP2_MAGIC = re.compile(rb"BZh[1-9]1AY&SY")
_PARQUET_MAGIC = b"PAR1"

# How each format is recognised, and the columns it cannot do without.
SIGNATURES: dict[str, tuple[str, ...]] = {
    "acled": ("event_id_cnty", "event_date"),
    "ucdp": ("date_start", "date_end", "where_prec"),
    "gtd": ("eventid", "iyear", "imonth", "iday"),
    "native": ("event_id", "date_start", "date_end", "date_precision"),
}
REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    "acled": (
        "event_id_cnty",
        "event_date",
        "time_precision",
        "latitude",
        "longitude",
        "geo_precision",
    ),
    "ucdp": ("id", "date_start", "date_end", "latitude", "longitude", "where_prec"),
    "gtd": (
        "eventid",
        "iyear",
        "imonth",
        "iday",
        "latitude",
        "longitude",
        "specificity",
    ),
    "native": EVENT_COLUMNS,
}

ACLED_TIME_PRECISION = {1: "the day", 2: "event_date ± 3 days", 3: "the month"}
ACLED_GEO_PRECISION = {1: "near", 2: "district", 3: "province"}
UCDP_WHERE_PREC = {
    1: "exact",
    2: "near",
    3: "district",
    4: "province",
    5: "region",
    6: "country",
    7: "region",
}
UCDP_VIOLENCE = {
    1: "state-based conflict",
    2: "non-state conflict",
    3: "one-sided violence",
}
GTD_SPECIFICITY = {1: "near", 2: "district", 3: "district", 4: "province", 5: "country"}

# ACLED sub_event_type, then event_type (both compared in lower case), to our
# layer and event_type. Anything else is context/statement.
ACLED_SUB_EVENT_TYPES: dict[str, tuple[str, str]] = {
    "suicide bomb": ("attack", "suicide_bombing"),
    "remote explosive/landmine/ied": ("attack", "bombing"),
    "grenade": ("attack", "bombing"),
    "shelling/artillery/missile attack": ("attack", "bombing"),
    "air/drone strike": ("attack", "bombing"),
    "armed clash": ("attack", "armed_assault"),
    "government regains territory": ("attack", "armed_assault"),
    "non-state actor overtakes territory": ("attack", "armed_assault"),
    "attack": ("attack", "armed_assault"),
    "sexual violence": ("attack", "armed_assault"),
    "abduction/forced disappearance": ("attack", "hostage_taking"),
    "disrupted weapons use": ("attack", "foiled_plot"),
    "headquarters or base established": ("base", "group_base"),
    "agreement": ("context", "alliance"),
    "arrests": ("context", "crackdown"),
}
ACLED_EVENT_TYPES: dict[str, tuple[str, str]] = {
    "battles": ("attack", "armed_assault"),
    "explosions/remote violence": ("attack", "bombing"),
    "violence against civilians": ("attack", "armed_assault"),
    "protests": ("context", "statement"),
    "riots": ("context", "statement"),
    "strategic developments": ("context", "statement"),
}
CONTEXT_FALLBACK = ("context", "statement")

GTD_ATTACK_TYPES: dict[str, str] = {
    "bombing/explosion": "bombing",
    "hostage taking (kidnapping)": "hostage_taking",
    "hostage taking (barricade incident)": "hostage_taking",
    "hijacking": "hijacking",
    "armed assault": "armed_assault",
    "assassination": "armed_assault",
    "facility/infrastructure attack": "armed_assault",
    "unarmed assault": "armed_assault",
    "unknown": "armed_assault",
}
GTD_ATTACK_CODES: dict[int, str] = {
    1: "Assassination",
    2: "Armed Assault",
    3: "Bombing/Explosion",
    4: "Hijacking",
    5: "Hostage Taking (Barricade Incident)",
    6: "Hostage Taking (Kidnapping)",
    7: "Facility/Infrastructure Attack",
    8: "Unarmed Assault",
    9: "Unknown",
}

# Country names as the three datasets spell them, to ISO 3166-1 alpha-2. A name not
# here gives a place without a country, whose point is not checked against a border.
COUNTRY_CODES: dict[str, str] = {
    "afghanistan": "AF",
    "kazakhstan": "KZ",
    "kyrgyzstan": "KG",
    "kyrgyz republic": "KG",
    "pakistan": "PK",
    "tajikistan": "TJ",
    "turkmenistan": "TM",
    "uzbekistan": "UZ",
    "china": "CN",
    "iran": "IR",
    "india": "IN",
    "russia": "RU",
    "russian federation": "RU",
    "russia (soviet union)": "RU",
}

# Gazetteer kinds: the place kind written to places.geojson and the geo_precision a
# place of that kind stands for.
GAZETTEER_KINDS: dict[str, tuple[str, str]] = {
    "city": ("city", "near"),
    "border post": ("border_town", "near"),
    "border_town": ("border_town", "near"),
    "airport": ("airport", "exact"),
    "district": ("district", "district"),
    "province": ("province", "province"),
    "region": ("region", "region"),
    "valley": ("valley", "region"),
    "sea": ("region", "region"),
    "country": ("country", "country"),
}
# The place kind for a point a dataset gives, by the precision it codes.
PRECISION_KINDS: dict[str, str] = {
    "exact": "city",
    "near": "city",
    "district": "district",
    "province": "province",
    "region": "region",
    "country": "country",
}
NO_TEXT = "[no text in the source row]"
NO_ACTOR = "[no actor in the source row]"
_NON_FINITE_WORDS = frozenset(
    sign + word for sign in ("", "+", "-") for word in ("nan", "inf", "infinity")
)
_TIME_OF_DAY = r"[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?"
_SLUG = re.compile(r"[a-z0-9][a-z0-9_-]*")
_CHUNK = 1 << 24
_CSV_LIMIT_LOCK = threading.Lock()


class ImportFailure(Exception):
    """A file that cannot be read at all; the message is one line a user can act on."""


@dataclass(frozen=True)
class Limits:
    """What an import accepts before it reads a file.

    Attributes
    ----------
    max_bytes
        The largest file, in bytes (200 MB by default).
    max_rows
        The most data rows (5 million by default).
    max_field_bytes
        The longest single field, counted in characters of the decoded text
        (1 MB by default).
    """

    max_bytes: int = 200 * 2**20
    max_rows: int = 5_000_000
    max_field_bytes: int = 1 * 2**20


@dataclass(frozen=True)
class RowIssue:
    """One repair or rejection of one source row, with its reason.

    ``row`` is the row as the user finds it in the file (see the module notes);
    ``column`` is the source column concerned, empty when it is the whole row.
    """

    row: int
    action: str
    column: str
    reason: str


@dataclass(frozen=True)
class RawTable:
    """A file read as text: every cell a string, nothing inferred.

    Attributes
    ----------
    name
        The file name, for messages.
    frame
        One row per data row that has the header's number of fields; every column
        text (``str``), empty for an empty cell, never missing.
    rows
        The source row number of each row of ``frame``.
    bad_rows
        Rows that could not be split into the header's fields: (row, reason).
    notes
        What a user should know about how the file was read.
    unit
        What a row number counts: ``row`` (CSV, Parquet), ``feature`` (GeoJSON)
        or ``record`` (a JSON list).
    """

    name: str
    frame: pd.DataFrame
    rows: np.ndarray
    bad_rows: tuple[tuple[int, str], ...] = ()
    notes: tuple[str, ...] = ()
    unit: str = "row"


@dataclass(frozen=True)
class Gazetteer:
    """Named places to put a row without coordinates on the map.

    ``places`` has one row per place: ``ref`` (``bundled:<place_id>`` for a place
    of ``places.geojson``, else ``gazetteer:<row>``), ``name``, ``alt_names``,
    ``kind``, ``country``, ``admin1``, ``precision``, ``lon``, ``lat`` (a point
    inside the place), ``geometry`` and ``geometry_source``. ``index`` maps a
    normalised name (:func:`normalise_name`) to ``(tier, position)`` pairs; a lower
    tier wins: 1 a name or ``place_id`` of ``places.geojson``, 2 a name of
    ``gazetteer.csv``, 3 an alternative name in ``places.geojson``, 4 one in
    ``gazetteer.csv``. A name with a part in brackets (``Khanabad (Xonobod)``) is
    also known without it.
    """

    places: pd.DataFrame
    index: Mapping[str, tuple[tuple[int, int], ...]]

    @classmethod
    def build(
        cls, bundled_features: Sequence[Mapping], rows: Sequence[Mapping[str, str]]
    ) -> Gazetteer:
        """Build from ``places.geojson`` features and ``gazetteer.csv`` rows.

        Rows without coordinates, or of a kind not in :data:`GAZETTEER_KINDS`, are
        left out: they cannot place anything.
        """
        records: list[dict] = []
        keys: dict[str, list[tuple[int, int]]] = {}

        def index(name: str, tier: int, position: int) -> None:
            for variant in (name, re.sub(r"\s*\([^)]*\)", "", name)):
                key = normalise_name(variant)
                if key and (tier, position) not in keys.get(key, []):
                    keys.setdefault(key, []).append((tier, position))

        for feature in bundled_features:
            properties = feature.get("properties") or {}
            kind = str(properties.get("kind") or "")
            if kind not in GAZETTEER_KINDS or not feature.get("geometry"):
                continue
            geometry = shape(feature["geometry"])
            anchor = (
                geometry
                if geometry.geom_type == "Point"
                else geometry.representative_point()
            )
            place_id = str(properties.get("place_id") or "")
            position = len(records)
            records.append(
                {
                    "ref": f"bundled:{place_id}",
                    "place_id": place_id,
                    "name": str(properties.get("name") or ""),
                    "alt_names": str(properties.get("alt_names") or ""),
                    "kind": kind,
                    "country": str(properties.get("country") or ""),
                    "admin1": str(properties.get("admin1") or ""),
                    "precision": GAZETTEER_KINDS[kind][1],
                    "lon": float(np.round(anchor.x, 4)),
                    "lat": float(np.round(anchor.y, 4)),
                    "geometry": geometry,
                    "geometry_source": str(properties.get("geometry_source") or ""),
                }
            )
            index(records[-1]["name"], 1, position)
            index(place_id, 1, position)
            for alternative in records[-1]["alt_names"].split("|"):
                index(alternative, 3, position)

        for number, row in enumerate(rows, start=2):
            kind = str(row.get("kind") or "").strip()
            try:
                lat, lon = float(row.get("lat") or ""), float(row.get("lon") or "")
            except ValueError:
                continue
            if kind not in GAZETTEER_KINDS or not (
                math.isfinite(lat) and math.isfinite(lon)
            ):
                continue
            position = len(records)
            records.append(
                {
                    "ref": f"gazetteer:{number}",
                    "place_id": "",
                    "name": str(row.get("name") or "").strip(),
                    "alt_names": str(row.get("alt_names") or "").strip(),
                    "kind": GAZETTEER_KINDS[kind][0],
                    "country": str(row.get("country_iso2") or "").strip(),
                    "admin1": "",
                    "precision": GAZETTEER_KINDS[kind][1],
                    "lon": round(lon, 4),
                    "lat": round(lat, 4),
                    "geometry": shapely.Point(round(lon, 4), round(lat, 4)),
                    "geometry_source": (
                        f"{GAZETTEER_FILE} row {number} ({row.get('source_1') or ''})"
                    ),
                }
            )
            index(records[-1]["name"], 2, position)
            for alternative in records[-1]["alt_names"].split("|"):
                index(alternative, 4, position)

        columns = [
            "ref",
            "place_id",
            "name",
            "alt_names",
            "kind",
            "country",
            "admin1",
            "precision",
            "lon",
            "lat",
            "geometry",
            "geometry_source",
        ]
        places = pd.DataFrame(records, columns=columns)
        return cls(places, {key: tuple(value) for key, value in keys.items()})

    def lookup(self, name: str, country: str = "") -> tuple[int | None, str]:
        """Find one place by name, within ``country`` when one is given.

        Returns
        -------
        tuple
            ``(position, "")`` for a hit; ``(None, why)`` otherwise, where ``why``
            completes the sentence "'<name>' ..." for the report.
        """
        key = normalise_name(name)
        candidates = list(self.index.get(key, ()))
        if not candidates:
            bare = re.sub(r"\s+(?:town|city|village)$", "", key)
            candidates = list(self.index.get(bare, ())) if bare != key else []
        if not candidates:
            return None, "is not in the gazetteer"
        if country:
            inside = [
                (tier, position)
                for tier, position in candidates
                if country in self.places.at[position, "country"].split("|")
            ]
            if not inside:
                elsewhere = sorted(
                    {
                        f"{self.places.at[p, 'name']} "
                        f"({self.places.at[p, 'country'] or 'no country'})"
                        for _, p in candidates
                    }
                )
                return None, (
                    f"is in the gazetteer only outside "
                    f"{COUNTRY_NAMES.get(country, country)}: {', '.join(elsewhere)}"
                )
            candidates = inside
        best = min(tier for tier, _ in candidates)
        chosen = sorted({p for tier, p in candidates if tier == best})
        if len(chosen) > 1:
            names = ", ".join(
                f"{self.places.at[p, 'name']} ({self.places.at[p, 'country']})"
                for p in chosen
            )
            return None, f"names more than one place in the gazetteer: {names}"
        return chosen[0], ""


@dataclass
class ImportResult:
    """What importing one file gave.

    Attributes
    ----------
    format
        One of :data:`FORMATS`.
    events
        The accepted and repaired rows: the columns of
        :data:`imu_geo.export.EXPORT_COLUMNS` as text (``lat`` and ``lon`` as
        floats, from the event's place), plus ``source_id`` and ``source_row``.
    places
        The places the events use, in the columns of ``places.geojson``
        (``place_id``, ``name``, ``alt_names``, ``kind``, ``country``, ``admin1``,
        ``geometry_source``, ``note``), EPSG:4326.
    report
        One row per repair or rejection: ``row``, ``action``, ``column``,
        ``reason``, in row order.
    n_rows
        The data rows the file has (blank lines are not rows).
    file_notes
        What a user should know about the file as a whole.
    rejected_rows
        The source fields of each rejected row that could be split into fields,
        with its number in ``row``.
    """

    format: str
    events: pd.DataFrame
    places: gpd.GeoDataFrame
    report: pd.DataFrame
    n_rows: int
    file_notes: list[str] = field(default_factory=list)
    rejected_rows: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def issues(self) -> list[RowIssue]:
        """The report as :class:`RowIssue` values."""
        return [
            RowIssue(int(row), action, column, reason)
            for row, action, column, reason in self.report.itertuples(
                index=False, name=None
            )
        ]

    @property
    def n_rejected(self) -> int:
        """Rows with at least one rejection."""
        return int(
            self.report.loc[self.report["action"] == "rejected", "row"].nunique()
        )

    @property
    def n_repaired(self) -> int:
        """Rows kept after at least one repair."""
        return int(
            self.report.loc[self.report["action"] == "repaired", "row"].nunique()
        )

    @property
    def n_accepted(self) -> int:
        """Rows kept as they were."""
        return self.n_rows - self.n_rejected - self.n_repaired

    def report_frame(self) -> pd.DataFrame:
        """One row per issue: ``row``, ``action``, ``column``, ``reason``."""
        return self.report.copy()

    def summary(self) -> str:
        """One line, e.g. ``acled: 120 rows — 115 accepted, 3 repaired, 2 rejected``."""
        noun = "row" if self.n_rows == 1 else "rows"
        return (
            f"{self.format}: {self.n_rows:,} {noun} — {self.n_accepted:,} accepted, "
            f"{self.n_repaired:,} repaired, {self.n_rejected:,} rejected"
        )


# --- names and small helpers --------------------------------------------------


def normalise_name(text: str) -> str:
    """A place name as the gazetteer compares it.

    Accents are dropped, case is folded, apostrophe-like marks become ``'``,
    hyphens, dashes and underscores become spaces and runs of space collapse, so
    that ``Mazār-e Sharīf``, ``mazar e sharif`` and ``MAZAR-E SHARIF`` agree.
    """
    decomposed = unicodedata.normalize("NFKD", str(text))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    bare = re.sub(r"[’‘ʻʼ`´]", "'", bare)
    bare = re.sub(r"[-_‐‑‒–—]", " ", bare)
    return " ".join(bare.split())


def detect_format(columns: Iterable[str]) -> str | None:
    """Recognise a format from its column names (any case), or return None.

    Each format is known by the columns in :data:`SIGNATURES`; ACLED, UCDP GED and
    GTD are tried before this project's own columns, which overlap UCDP's.
    """
    present = {str(c).strip().lower() for c in columns}
    for fmt in ("acled", "gtd", "ucdp", "native"):
        if all(column in present for column in SIGNATURES[fmt]):
            return fmt
    return None


def _plural(count: int, noun: str) -> str:
    return noun if count == 1 else noun + "s"


def _size(n: int) -> str:
    if n >= 2**20:
        return f"{n / 2**20:.1f} MB"
    if n >= 2**10:
        return f"{n / 2**10:.1f} KB"
    return f"{n} bytes"


def _limit_size(n: int) -> str:
    for unit, scale in (("MB", 2**20), ("KB", 2**10)):
        if n >= scale:
            value = n / scale
            return f"{value:g} {unit}"
    return f"{n} bytes"


def _text(values: object, n: int | None = None) -> pd.Series:
    """A text Series on a fresh RangeIndex (a scalar is repeated ``n`` times)."""
    if n is not None and not isinstance(values, pd.Series | np.ndarray | list):
        values = [values] * n
    series = pd.Series(values, dtype="str")
    return series.reset_index(drop=True)


def _when(mask: np.ndarray, values: pd.Series, otherwise: str = "") -> pd.Series:
    """``values`` where ``mask`` holds, else ``otherwise``."""
    return values.where(pd.Series(mask, index=values.index), otherwise)


def _per_unique(function, *columns) -> list[np.ndarray]:
    """Apply ``function`` once per distinct tuple of values and spread the results.

    ``function`` returns a tuple; the result is one object array per element,
    aligned with the rows. Dates, names and codes repeat a great deal, so a
    million rows usually need only a few thousand calls.
    """
    codes_and_uniques = [
        pd.factorize(c if isinstance(c, pd.Series) else np.asarray(c, dtype=object))
        for c in columns
    ]
    combined = codes_and_uniques[0][0].astype(np.int64)
    for codes, uniques in codes_and_uniques[1:]:
        combined, _ = pd.factorize(combined * (len(uniques) + 1) + codes)
    group, groups = pd.factorize(combined)
    first = np.empty(len(groups), dtype=np.int64)
    first[group[::-1]] = np.arange(group.size)[::-1]
    results = [
        function(*(uniques[codes[row]] for codes, uniques in codes_and_uniques))
        for row in first
    ]
    if not results:
        return []
    spread = []
    for position in range(len(results[0])):
        column = np.empty(len(results), dtype=object)
        column[:] = [result[position] for result in results]
        spread.append(column[group])
    return spread


def slugify(values: pd.Series, separator: str = "-") -> pd.Series:
    """Lower-case ASCII slugs: accents dropped, other characters ``separator``."""
    text = values.astype("str")
    wide = text.str.contains(r"[^\x00-\x7f]", regex=True).to_numpy(bool)
    if wide.any():
        folded = text[wide].str.normalize("NFKD")
        text = text.copy()
        text[wide] = folded.str.replace(r"[\u0300-\u036f]", "", regex=True)
    text = text.str.lower()
    text = text.str.replace(r"[^a-z0-9_-]+", separator, regex=True)
    return text.str.strip("-_")


# --- reading ------------------------------------------------------------------


def _extension(name: str) -> str:
    return PurePath(name).suffix.lower()


def _refuse_compressed(name: str, payload: bytes, what: str) -> None:
    head = payload[:16]
    for magic, kind in _COMPRESSED_MAGIC:
        if head.startswith(magic):
            raise ImportFailure(
                f"{name}: is {kind}, not {what}; unpack it first and import the "
                "file inside"
            )
    if _BZIP2_MAGIC.match(head) or payload[257:262] == b"ustar":
        kind = "bzip2-compressed" if _BZIP2_MAGIC.match(head) else "a tar archive"
        raise ImportFailure(
            f"{name}: is {kind}, not {what}; unpack it first and import the file inside"
        )


def _decode(name: str, payload: bytes) -> tuple[bytes, list[str]]:
    """Return the text as UTF-8 bytes (no byte-order mark) and notes on the encoding."""
    notes: list[str] = []
    boms = (
        (b"\xff\xfe\x00\x00", "utf-32-le", "UTF-32"),
        (b"\x00\x00\xfe\xff", "utf-32-be", "UTF-32"),
        (b"\xef\xbb\xbf", "utf-8", "UTF-8"),
        (b"\xff\xfe", "utf-16-le", "UTF-16"),
        (b"\xfe\xff", "utf-16-be", "UTF-16"),
    )
    for bom, codec, label in boms:
        if payload.startswith(bom):
            body = payload[len(bom) :]
            if codec == "utf-8":
                payload = body
                break
            try:
                text = body.decode(codec)
            except UnicodeDecodeError as error:
                raise ImportFailure(
                    f"{name}: starts with a {label} byte-order mark but is not "
                    f"{label} text (undecodable bytes at offset {error.start})"
                ) from None
            notes.append(f"{name}: read as {label} text")
            return text.encode("utf-8"), notes
    head = payload[:65536]
    if b"\x00" in head:
        odd, even = head[1::2], head[0::2]
        if odd.count(0) > len(odd) * 0.3 or even.count(0) > len(even) * 0.3:
            raise ImportFailure(
                f"{name}: looks like UTF-16 text without a byte-order mark; save it "
                "as UTF-8"
            )
        raise ImportFailure(f"{name}: is not a text file (it contains NUL bytes)")
    try:
        sample = payload.decode("utf-8")
    except UnicodeDecodeError:
        try:
            sample = payload.decode("cp1252")
            label = "Windows-1252"
        except UnicodeDecodeError:
            sample = payload.decode("latin-1")
            label = "Latin-1"
        notes.append(
            f"{name}: is not UTF-8; it was read as {label} (Western European) text"
        )
        payload = sample.encode("utf-8")
    controls = len(re.findall(r"[\x01-\x08\x0b\x0e-\x1f\x7f]", sample[:65536]))
    if controls > max(8, len(sample[:65536]) // 100):
        raise ImportFailure(
            f"{name}: is not a text file (it contains control characters)"
        )
    return payload, notes


def _sniff_delimiter(data: bytes, extension: str) -> str:
    line = data[: data.find(b"\n")] if b"\n" in data[:65536] else data[:65536]
    counts = {d: line.count(d.encode()) for d in (",", ";", "\t", "|")}
    if extension == ".tsv" and counts["\t"]:
        return "\t"
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


@dataclass(frozen=True)
class _Layout:
    fields: np.ndarray  # fields per record, the header first
    blank: np.ndarray  # records with no characters
    max_length: int
    multiline: bool


def _csv_layout(name: str, data: bytes, delimiter: str) -> _Layout | None:
    """Count the fields of every record without parsing them (numpy, in chunks).

    This is exact for RFC 4180 files, where a quote opens only at the start of a
    field and closes only before a delimiter or line end; for any other use of
    quotes, or a lone CR line end, it returns None and the caller counts with the
    ``csv`` module instead.
    """
    a = np.frombuffer(data, dtype=np.uint8)
    n = a.size
    delim = ord(delimiter)
    quotes_seen = 0
    last_quote = -1
    newline_parts: list[np.ndarray] = []
    delimiter_parts: list[np.ndarray] = []
    inside_newlines = 0
    for start in range(0, n, _CHUNK):
        block = a[start : start + _CHUNK]
        is_quote = block == 34
        quotes = np.flatnonzero(is_quote)
        if quotes.size:
            where = quotes + start
            before = np.where(where > 0, a[np.maximum(where - 1, 0)], 10)
            after = np.where(where < n - 1, a[np.minimum(where + 1, n - 1)], 10)
            opening = ((np.arange(quotes.size) + quotes_seen) & 1) == 0
            edge_before = (before == delim) | (before == 10) | (before == 13)
            edge_after = (after == delim) | (after == 10) | (after == 13)
            edge_after |= where == n - 1
            regular = np.where(
                opening, edge_before | (before == 34), edge_after | (after == 34)
            )
            if not regular.all():
                return None
            last_quote = int(where[-1])
        parity = np.cumsum(is_quote, dtype=np.uint8)
        parity += np.uint8(quotes_seen & 1)
        parity &= 1
        newlines = np.flatnonzero(block == 10)
        outside = parity[newlines] == 0
        inside_newlines += int((~outside).sum())
        newline_parts.append(newlines[outside] + start)
        returns = np.flatnonzero(block == 13)
        if returns.size:
            follow = start + returns + 1
            lone = (follow >= n) | (a[np.minimum(follow, n - 1)] != 10)
            if (lone & (parity[returns] == 0)).any():
                return None
        delimiters = np.flatnonzero(block == delim)
        delimiter_parts.append(delimiters[parity[delimiters] == 0] + start)
        quotes_seen += int(quotes.size)
    ends = np.concatenate(newline_parts) if newline_parts else np.array([], np.int64)
    if n and a[-1] != 10:
        ends = np.append(ends, n)
    if quotes_seen % 2:
        row = int(np.searchsorted(ends, last_quote)) + 1
        raise ImportFailure(
            f"{name}: row {row} opens a quoted field that is never closed"
        )
    starts = np.concatenate(([0], ends[:-1] + 1)) if ends.size else ends
    lengths = ends - starts
    carriage = (lengths > 0) & (a[np.maximum(ends - 1, 0)] == 13)
    lengths = lengths - carriage
    fields = np.ones(ends.size, dtype=np.int64)
    for part in delimiter_parts:
        if part.size:
            fields += np.bincount(np.searchsorted(ends, part), minlength=ends.size)[
                : ends.size
            ]
    return _Layout(
        fields=fields,
        blank=lengths == 0,
        max_length=int(lengths.max()) if lengths.size else 0,
        multiline=inside_newlines > 0,
    )


def _csv_module_layout(data: bytes, delimiter: str) -> _Layout:
    """Count fields per record with the ``csv`` module (irregular quoting)."""
    with _CSV_LIMIT_LOCK:
        previous = csv.field_size_limit()
        csv.field_size_limit(max(previous, len(data) + 1))
        try:
            stream = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", newline="")
            counts = [len(record) for record in csv.reader(stream, delimiter=delimiter)]
        finally:
            csv.field_size_limit(previous)
    fields = np.asarray(counts, dtype=np.int64)
    return _Layout(
        fields=fields, blank=fields == 0, max_length=len(data), multiline=True
    )


def _header(name: str, data: bytes, delimiter: str) -> list[str]:
    with _CSV_LIMIT_LOCK:
        previous = csv.field_size_limit()
        csv.field_size_limit(max(previous, len(data) + 1))
        try:
            stream = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", newline="")
            first = next(csv.reader(stream, delimiter=delimiter), [])
        except csv.Error as error:
            raise ImportFailure(
                f"{name}: the header row is not valid CSV ({error})"
            ) from None
        finally:
            csv.field_size_limit(previous)
    if not first or not "".join(first).strip():
        raise ImportFailure(f"{name}: the first line is blank; it must be the header")
    return [
        column.strip() or f"(column {number})"
        for number, column in enumerate(first, start=1)
    ]


def _check_columns(name: str, columns: Sequence[str]) -> None:
    seen: set[str] = set()
    for column in columns:
        key = column.strip().lower()
        if key in seen:
            raise ImportFailure(f"{name}: the column {column!r} appears more than once")
        seen.add(key)


def _check_rows(name: str, n: int, limits: Limits) -> None:
    if n > limits.max_rows:
        raise ImportFailure(
            f"{name}: has {n:,} rows; the limit is {limits.max_rows:,} rows"
        )


def _check_fields(name: str, frame: pd.DataFrame, rows: np.ndarray, limits: Limits):
    for column in frame.columns:
        lengths = frame[column].str.len().to_numpy()
        if lengths.size and lengths.max() > limits.max_field_bytes:
            row = int(rows[int(np.argmax(lengths > limits.max_field_bytes))])
            raise ImportFailure(
                f"{name}: row {row} has a field longer than "
                f"{_limit_size(limits.max_field_bytes)} (column {column!r}); that is "
                "the limit for one field"
            )


def _read_csv(name: str, payload: bytes, limits: Limits, extension: str) -> RawTable:
    data, notes = _decode(name, payload)
    if not data.strip():
        raise ImportFailure(f"{name}: is empty")
    delimiter = _sniff_delimiter(data, extension)
    if delimiter != ",":
        shown = {"\t": "tabs", ";": "';'", "|": "'|'"}[delimiter]
        notes.append(f"{name}: columns are separated by {shown}")
    header = _header(name, data, delimiter)
    _check_columns(name, header)
    width = len(header)
    layout = _csv_layout(name, data, delimiter)
    fast = layout is not None and int(layout.fields[0]) == width
    if not fast:
        layout = _csv_module_layout(data, delimiter)
    data_fields, data_blank = layout.fields[1:], layout.blank[1:]
    data_rows = np.arange(2, data_fields.size + 2)
    n_rows = int((~data_blank).sum())
    _check_rows(name, n_rows, limits)
    if n_rows == 0:
        raise ImportFailure(f"{name}: has a header but no data rows")
    safe = [f"f{i}" for i in range(width)]
    try:
        if fast:
            kept = data_blank | (data_fields == width)
            frame = _parse_with_arrow(data, delimiter, safe, layout)
            frame = frame.iloc[1:].reset_index(drop=True)
        else:
            kept = data_blank | (data_fields <= width)
            frame = pd.read_csv(
                io.BytesIO(data),
                sep=delimiter,
                header=0,
                names=safe,
                dtype="str",
                keep_default_na=False,
                na_filter=False,
                skip_blank_lines=False,
                on_bad_lines="skip",
                encoding="utf-8",
            )
    except (pa.ArrowException, pd.errors.ParserError, ValueError) as error:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else "unknown"
        raise ImportFailure(f"{name}: is not valid CSV ({reason})") from None
    if len(frame) != int(kept.sum()):
        raise ImportFailure(
            f"{name}: is not valid CSV (its rows could not be counted consistently)"
        )
    frame.columns = header
    frame_rows = data_rows[kept]
    frame_blank = data_blank[kept]
    frame_good = (~frame_blank) & (data_fields[kept] == width)
    frame = frame.loc[frame_good].reset_index(drop=True).fillna("")
    good_rows = frame_rows[frame_good]
    bad = [
        (
            int(row),
            f"has {count} {_plural(count, 'field')} where the header has {width}",
        )
        for row, count, blank in zip(data_rows, data_fields, data_blank, strict=True)
        if not blank and count != width
    ]
    blank_rows = data_rows[data_blank]
    if blank_rows.size:
        shown = ", ".join(str(r) for r in blank_rows[:10])
        more = ", ..." if blank_rows.size > 10 else ""
        noun = "line was" if blank_rows.size == 1 else "lines were"
        notes.append(
            f"{name}: {blank_rows.size:,} blank {noun} skipped (row {shown}{more})"
        )
    _check_fields(name, frame, good_rows, limits)
    return RawTable(name, frame, good_rows, tuple(bad), tuple(notes))


def _parse_with_arrow(
    data: bytes, delimiter: str, names: list[str], layout: _Layout
) -> pd.DataFrame:
    block = max(1 << 24, 1 << int(2 * layout.max_length + 1024).bit_length())
    table = pa_csv.read_csv(
        io.BytesIO(data),
        read_options=pa_csv.ReadOptions(
            column_names=names, block_size=block, use_threads=True
        ),
        parse_options=pa_csv.ParseOptions(
            delimiter=delimiter,
            newlines_in_values=layout.multiline,
            ignore_empty_lines=False,
            invalid_row_handler=lambda row: "skip",
        ),
        convert_options=pa_csv.ConvertOptions(
            column_types=dict.fromkeys(names, pa.string()),
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )
    return _arrow_to_text_frame(table)


def _arrow_to_text_frame(table: pa.Table) -> pd.DataFrame:
    """Every column of an Arrow table as text, nulls as empty strings."""
    columns = []
    for column in table.columns:
        if not (
            pa.types.is_string(column.type) or pa.types.is_large_string(column.type)
        ):
            try:
                column = pa_compute.cast(column, pa.string())
            except (pa.ArrowException, NotImplementedError):
                column = pa.array(
                    [
                        None if value is None else json.dumps(value, default=str)
                        for value in column.to_pylist()
                    ],
                    type=pa.string(),
                )
        columns.append(pa_compute.fill_null(column, ""))
    names = [f"f{i}" for i in range(len(columns))]
    frame = pa.Table.from_arrays(columns, names=names).to_pandas()
    frame = frame.astype("str") if len(frame.columns) else frame
    frame.columns = list(table.column_names)
    return frame


def _json_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | str):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def _read_json(name: str, payload: bytes, limits: Limits) -> RawTable:
    data, notes = _decode(name, payload)
    if not data.strip():
        raise ImportFailure(f"{name}: is empty")
    try:
        document = json.loads(data)
    except json.JSONDecodeError as error:
        raise ImportFailure(
            f"{name}: is not valid JSON (line {error.lineno}, column {error.colno})"
        ) from None
    except RecursionError:
        raise ImportFailure(f"{name}: is not valid JSON (nested too deeply)") from None
    features: list | None = None
    if isinstance(document, dict) and document.get("type") == "FeatureCollection":
        features = document.get("features")
        if not isinstance(features, list):
            raise ImportFailure(
                f"{name}: is a FeatureCollection without a list of features"
            )
        items = features
    elif isinstance(document, list):
        items = document
    elif isinstance(document, dict) and isinstance(document.get("data"), list):
        items = document["data"]
    else:
        raise ImportFailure(
            f"{name}: is JSON but not a GeoJSON FeatureCollection or a list of records"
        )
    _check_rows(name, len(items), limits)
    if not items:
        raise ImportFailure(f"{name}: has no features or records")
    unit = "feature" if features is not None else "record"
    bad: list[tuple[int, str]] = []
    kept_rows: list[int] = []
    cells: list[dict[str, str]] = []
    points: list[tuple[str, str]] = []
    not_points: list[int] = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            bad.append((number, f"{unit} {number} is not a JSON object"))
            continue
        properties = item.get("properties") if features is not None else item
        if not isinstance(properties, dict):
            properties = {}
        kept_rows.append(number)
        cells.append({str(k): _json_cell(v) for k, v in properties.items()})
        if features is not None:
            geometry = item.get("geometry")
            coordinates = (
                geometry.get("coordinates") if isinstance(geometry, dict) else None
            )
            if (
                isinstance(geometry, dict)
                and geometry.get("type") == "Point"
                and isinstance(coordinates, list)
                and len(coordinates) >= 2
            ):
                points.append((_json_cell(coordinates[0]), _json_cell(coordinates[1])))
            else:
                points.append(("", ""))
                if geometry is not None:
                    not_points.append(number)
    columns: dict[str, None] = {}
    for record in cells:
        columns.update(dict.fromkeys(record))
    _check_columns(name, list(columns))
    frame = (
        pd.DataFrame.from_records(cells, columns=list(columns))
        if cells
        else pd.DataFrame(columns=list(columns))
    )
    frame = frame.fillna("").astype("str").reset_index(drop=True)
    lower = {c.strip().lower() for c in columns}
    if features is not None and not (
        {"latitude", "longitude"} <= lower or {"lat", "lon"} <= lower
    ):
        frame["longitude"] = _text([p[0] for p in points])
        frame["latitude"] = _text([p[1] for p in points])
        if not_points:
            shown = ", ".join(str(n) for n in not_points[:10])
            more = ", ..." if len(not_points) > 10 else ""
            notes.append(
                f"{name}: {len(not_points):,} feature(s) have a geometry that is not "
                f"a Point; their coordinates are not used (feature {shown}{more})"
            )
    rows = np.asarray(kept_rows, dtype=np.int64)
    _check_fields(name, frame, rows, limits)
    return RawTable(name, frame, rows, tuple(bad), tuple(notes), unit)


def _read_parquet(name: str, payload: bytes, limits: Limits) -> RawTable:
    if not (payload[:4] == _PARQUET_MAGIC and payload[-4:] == _PARQUET_MAGIC):
        raise ImportFailure(
            f"{name}: is not a Parquet file (it does not start and end with PAR1)"
        )
    try:
        parquet = pa_parquet.ParquetFile(io.BytesIO(payload))
        _check_rows(name, parquet.metadata.num_rows, limits)
        table = parquet.read()
    except pa.ArrowException as error:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else "unknown"
        raise ImportFailure(
            f"{name}: is not a readable Parquet file ({reason})"
        ) from None
    _check_columns(name, table.column_names)
    if table.num_rows == 0:
        raise ImportFailure(f"{name}: has columns but no rows")
    frame = _arrow_to_text_frame(table)
    frame.columns = [str(c).strip() for c in frame.columns]
    rows = np.arange(1, len(frame) + 1, dtype=np.int64)
    _check_fields(name, frame, rows, limits)
    return RawTable(name, frame, rows, (), ())


def read_table(name: str, payload: bytes, limits: Limits | None = None) -> RawTable:
    """Read a file's bytes as a table of text, or say in one line why it cannot be.

    Parameters
    ----------
    name
        The file name; its extension says how to read it.
    payload
        The file's bytes.
    limits
        Size, row and field limits.

    Raises
    ------
    ImportFailure
        For an empty, compressed, binary, oversized or malformed file, an extension
        that is not read, or a duplicated column.
    """
    name = PurePath(name).name or "the file"
    limits = limits or Limits()
    extension = _check_name(name)
    _check_size(name, len(payload), limits)
    if not payload:
        raise ImportFailure(f"{name}: is empty")
    what = {
        ".parquet": "a Parquet file",
        ".geojson": "GeoJSON",
        ".json": "JSON",
    }.get(extension, "CSV text")
    _refuse_compressed(name, payload, what)
    if extension == ".parquet":
        return _read_parquet(name, payload, limits)
    if payload[:4] == _PARQUET_MAGIC:
        raise ImportFailure(f"{name}: is a Parquet file, not {what}; name it .parquet")
    if extension in (".geojson", ".json"):
        return _read_json(name, payload, limits)
    return _read_csv(name, payload, limits, extension)


def _check_size(name: str, size: int, limits: Limits) -> None:
    if size > limits.max_bytes:
        raise ImportFailure(
            f"{name}: is {_size(size)}; the limit is {_limit_size(limits.max_bytes)}"
        )


def _check_name(name: str) -> str:
    """Refuse a compressed or unknown extension; return the extension."""
    extension = _extension(name)
    if extension in COMPRESSED_EXTENSIONS:
        raise ImportFailure(
            f"{name}: compressed files ({extension}) are not read; unpack it first "
            "and import the file inside"
        )
    if extension not in ALLOWED_EXTENSIONS:
        shown = (
            f"files ending in {extension}"
            if extension
            else "files without an extension"
        )
        raise ImportFailure(
            f"{name}: {shown} are not read; use {', '.join(ALLOWED_EXTENSIONS[:-1])} "
            f"or {ALLOWED_EXTENSIONS[-1]}"
        )
    return extension


# --- the gazetteer and country borders ----------------------------------------


def load_gazetteer(directory: Path = BUNDLED_DATA_DIR) -> Gazetteer:
    """The gazetteer of a data directory (``places.geojson``, ``gazetteer.csv``)."""
    directory = Path(directory)
    features = read_feature_collection(directory / PLACES_FILE)
    with (directory / GAZETTEER_FILE).open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return Gazetteer.build(features, rows)


def load_countries(directory: Path = BUNDLED_DATA_DIR) -> dict[str, object]:
    """Country polygons of a ``regions.geojson`` (level ``country``), by ISO alpha-2.

    The polygons are prepared for fast point-in-polygon tests, and used once so
    that the index GEOS builds lazily exists before several threads share them.
    """
    _, countries = check_regions(
        read_feature_collection(Path(directory) / REGIONS_FILE)
    )
    for geometry in countries.values():
        shapely.prepare(geometry)
        shapely.contains_xy(geometry, 0.0, 0.0)
    return countries


@lru_cache(maxsize=1)
def _bundled_gazetteer() -> Gazetteer:
    return load_gazetteer(BUNDLED_DATA_DIR)


@lru_cache(maxsize=1)
def _bundled_countries() -> dict[str, object]:
    return load_countries(BUNDLED_DATA_DIR)


# --- row rules ----------------------------------------------------------------


class _Issues:
    """Issues collected rule by rule, as positions into the frame."""

    def __init__(self) -> None:
        self.parts: list[pd.DataFrame] = []

    def add(self, mask: np.ndarray, action: str, column: str, reason) -> None:
        positions = np.flatnonzero(mask)
        if not positions.size:
            return
        if isinstance(reason, str):
            reasons = np.full(positions.size, reason, dtype=object)
        else:
            reasons = np.asarray(reason, dtype=object)
            if reasons.size != positions.size:
                reasons = reasons[positions]
        self.parts.append(
            pd.DataFrame(
                {
                    "position": positions,
                    "action": action,
                    "column": column,
                    "reason": reasons,
                    "order": len(self.parts),
                }
            )
        )

    def frame(self) -> pd.DataFrame:
        if not self.parts:
            return pd.DataFrame(
                {
                    "position": np.array([], np.int64),
                    "action": [],
                    "column": [],
                    "reason": [],
                    "order": np.array([], np.int64),
                }
            )
        return pd.concat(self.parts, ignore_index=True)


class _Source:
    """The raw columns of one table, looked up by lower-case name.

    Columns are returned on a RangeIndex; stripped copies are made once and
    reused, since several rules read the same column.
    """

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame
        self.n = len(frame)
        self.names = {str(c).strip().lower(): c for c in frame.columns}
        self._stripped: dict[str, pd.Series] = {}

    def has(self, column: str) -> bool:
        return column in self.names

    def get(self, column: str) -> pd.Series:
        if column in self.names:
            values = self.frame[self.names[column]]
            return values.astype("str").reset_index(drop=True)
        return _text("", self.n)

    def stripped(self, column: str) -> pd.Series:
        if column not in self._stripped:
            self._stripped[column] = self.get(column).str.strip()
        return self._stripped[column]


def _strip_time(values: pd.Series) -> pd.Series:
    """Drop a time of day after an ISO date (``2009-05-26 00:00:00.000``)."""
    timed = values.str.fullmatch(rf"\d{{4}}-\d{{2}}-\d{{2}}{_TIME_OF_DAY}")
    return values.where(~timed.to_numpy(bool), values.str.slice(0, 10))


def _parse_one(text: str) -> tuple:
    try:
        interval = parse_partial_date(text)
    except DateParseError as error:
        return None, None, "", str(error)
    return interval.start, interval.end, interval.precision, ""


def _codes(values: pd.Series) -> pd.Series:
    """Whole numbers as nullable integers; anything else missing.

    Codes take a handful of values, so each distinct text is parsed once.
    """
    positions, uniques = pd.factorize(values.str.strip())
    numbers = pd.to_numeric(pd.Series(uniques, dtype="str"), errors="coerce")
    whole = numbers.notna() & np.isfinite(numbers) & (numbers == np.floor(numbers))
    parsed = numbers.where(whole).astype("Int64").to_numpy(dtype=object, na_value=None)
    spread = np.append(parsed, None)[positions]
    return pd.Series(pd.array(spread, dtype="Int64"))


def _count_text(text: str, strict: bool) -> tuple:
    """One fatality cell: (the count as text, or '' with a reason)."""
    if not text:
        return "", ""
    reason = f"{text!r} is not a whole number of people (0 or more)"
    if strict:
        return (text, "") if re.fullmatch(r"\d+", text) else ("", reason)
    try:
        value = float(text)
    except ValueError:
        return "", reason
    if not math.isfinite(value) or value < 0 or value != int(value):
        return "", reason
    return str(int(value)), ""


def _counts(
    source: _Source, column: str, issues: _Issues, strict: bool = False
) -> pd.Series:
    """A fatality column as text ('' when unknown); others rejected with a reason.

    ``strict`` takes only digits, as ``events.csv`` does; otherwise a whole number
    written as a float (``3.0``, as spreadsheets and Parquet give it) is read too.
    """
    raw = source.stripped(column)
    text, reason = _per_unique(lambda v: _count_text(v, strict), raw) or (
        np.array([], object),
        np.array([], object),
    )
    bad = reason != ""
    issues.add(bad, "rejected", column, reason[bad])
    return _text(text)


def _fatality_order(
    low: pd.Series, best: pd.Series, high: pd.Series, issues: _Issues, column: str
) -> None:
    values = [
        pd.to_numeric(s, errors="coerce").to_numpy(float) for s in (low, best, high)
    ]
    stacked = np.vstack(values)
    bad = np.zeros(stacked.shape[1], dtype=bool)
    for i in range(3):
        for j in range(i + 1, 3):
            bad |= (
                (stacked[i] > stacked[j])
                & ~np.isnan(stacked[i])
                & ~np.isnan(stacked[j])
            )
    issues.add(bad, "rejected", column, "fatalities must satisfy low <= best <= high")


def _join_parts(*parts: pd.Series, separator: str = "; ") -> pd.Series:
    """Join the non-empty values of several text columns, row by row."""
    result = parts[0].str.strip()
    for part in parts[1:]:
        part = part.str.strip()
        both = (result != "") & (part != "")
        result = result + pd.Series(np.where(both, separator, ""), dtype="str") + part
    return result


def _labelled(label: str, values: pd.Series, end: str = ". ") -> pd.Series:
    """``label + value + end`` where the value is not empty, else ''."""
    values = values.str.strip()
    return _when((values != "").to_numpy(bool), label + values + end)


def _compose(function, *columns) -> pd.Series:
    """Text made by ``function`` once per distinct combination of ``columns``."""
    (text,) = _per_unique(lambda *values: (function(*values),), *columns)
    return _text(text)


def _sentence(label: str, value: str) -> str:
    return f"{label}{value}." if value else ""


def _at(what: str, fallback: str, place: str) -> str:
    what = what or fallback
    return f"{what} at {place}" if place else what


@dataclass
class _Crosswalk:
    """What a format's rules give, row by row, before places are resolved.

    Dates are ``datetime.date`` objects (None where the row is rejected); every
    other column is text on the frame's RangeIndex.
    """

    source_id: pd.Series
    id_column: str
    date_start: np.ndarray
    date_end: np.ndarray
    date_precision: np.ndarray
    date_origin: np.ndarray
    layer: pd.Series
    event_type: pd.Series
    geo_precision: pd.Series
    actors: pd.Series
    target: pd.Series
    fatalities: tuple[pd.Series, pd.Series, pd.Series]
    title: pd.Series
    description: pd.Series
    source_quote: pd.Series
    notes: pd.Series
    lat_column: str
    lon_column: str
    place_name: pd.Series
    country: pd.Series
    needs_place: np.ndarray
    native: pd.DataFrame | None = None


def _dates_from_text(
    texts: pd.Series, column: str, issues: _Issues
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    start, end, precision, error = _per_unique(_parse_one, texts)
    failed = error != ""
    issues.add(failed, "rejected", column, error[failed])
    return start, end, precision


def _code_text(codes: pd.Series) -> pd.Series:
    """Nullable integer codes as text, '' where missing."""
    positions, uniques = pd.factorize(codes)
    texts = np.array([str(int(v)) for v in uniques] + [""], dtype=object)
    return _text(texts[positions])


def _coded(
    source: _Source, column: str, table: Mapping[int, str], issues: _Issues, what: str
) -> tuple[pd.Series, pd.Series]:
    """A precision code looked up in ``table``: (the raw text, our value or '')."""
    raw = source.stripped(column)
    value = _text(_codes(raw).map(table).fillna("").astype("str").to_numpy(object))
    bad = (value == "").to_numpy(bool)
    issues.add(bad, "rejected", column, [f"{v!r} is not {what}" for v in raw[bad]])
    return raw, value


def _quote(text: pd.Series) -> pd.Series:
    return text.where(text.str.strip() != "", NO_TEXT)


def _acled(source: _Source, issues: _Issues) -> _Crosswalk:
    n = source.n
    tp_raw, tp_meaning = _coded(
        source,
        "time_precision",
        ACLED_TIME_PRECISION,
        issues,
        "an ACLED time_precision (1, 2 or 3)",
    )
    tp_code = _code_text(_codes(tp_raw))

    def interval(text: str, code: str) -> tuple:
        start, end, precision, error = _parse_one(text)
        origin = "source"
        if not error and precision == "day":
            if code == "2":
                start, end = start - timedelta(days=3), end + timedelta(days=3)
                precision, origin = "approximate", "assumed"
            elif code == "3":
                month = parse_partial_date(f"{start:%Y-%m}")
                start, end, precision = month.start, month.end, "month"
        return start, end, precision, origin, error

    dates = _strip_time(source.stripped("event_date"))
    start, end, precision, origin, error = _per_unique(interval, dates, tp_code)
    failed = error != ""
    issues.add(failed, "rejected", "event_date", error[failed])
    gp_raw, geo = _coded(
        source,
        "geo_precision",
        ACLED_GEO_PRECISION,
        issues,
        "an ACLED geo_precision (1, 2 or 3)",
    )
    sub = source.stripped("sub_event_type")
    kind = source.stripped("event_type")

    def classify(sub_type: str, event_type: str) -> tuple:
        return ACLED_SUB_EVENT_TYPES.get(
            sub_type.lower(),
            ACLED_EVENT_TYPES.get(event_type.lower(), CONTEXT_FALLBACK),
        )

    layer, event_type = _per_unique(classify, sub, kind)
    label = sub.where(sub != "", kind)
    label = label.where(label != "", "ACLED event")
    location = source.stripped("location")

    def acled_type(disorder: str, event: str, sub_event: str) -> str:
        return " / ".join(part for part in (disorder, event, sub_event) if part)

    def note(disorder, event, sub_event, tp, tp_words, gp, gp_words, sources) -> str:
        time = f"time_precision {tp}" + (f" ({tp_words})" if tp_words else "")
        place = f"geo_precision {gp}" + (f" ({gp_words})" if gp_words else "")
        parts = [
            _sentence("ACLED type: ", acled_type(disorder, event, sub_event)),
            f"{time}; {place}.",
            _sentence("ACLED source: ", sources),
        ]
        return " ".join(part for part in parts if part)

    disorder = source.stripped("disorder_type")
    notes = (
        "Imported from ACLED: event_id_cnty "
        + source.stripped("event_id_cnty")
        + ". "
        + _compose(
            note,
            disorder,
            kind,
            sub,
            tp_raw,
            tp_meaning,
            gp_raw,
            geo,
            source.stripped("source"),
        )
    )
    description = _compose(
        lambda d, e, s, where: _at(acled_type(d, e, s), "ACLED event", where),
        disorder,
        kind,
        sub,
        location,
    )
    empty = _text("", n)
    return _Crosswalk(
        source_id=source.stripped("event_id_cnty"),
        id_column="event_id_cnty",
        date_start=start,
        date_end=end,
        date_precision=precision,
        date_origin=origin,
        layer=_text(layer),
        event_type=_text(event_type),
        geo_precision=geo,
        actors=_join_parts(source.get("actor1"), source.get("assoc_actor_1")),
        target=_join_parts(source.get("actor2"), source.get("assoc_actor_2")),
        fatalities=(empty, _counts(source, "fatalities", issues), empty),
        title=label,
        description=description,
        source_quote=_quote(source.get("notes")),
        notes=notes,
        lat_column="latitude",
        lon_column="longitude",
        place_name=location,
        country=source.stripped("country"),
        needs_place=np.ones(n, dtype=bool),
    )


def _span_precision(start: str, end: str) -> tuple:
    """The precision a UCDP span has: one day, month or year, else a range."""
    first, last = date.fromisoformat(start), date.fromisoformat(end)
    if first == last:
        return ("day",)
    for text in (f"{first:%Y-%m}", f"{first:%Y}"):
        interval = parse_partial_date(text)
        if (interval.start, interval.end) == (first, last):
            return (interval.precision,)
    return ("range",)


def _isoformat(days: np.ndarray) -> pd.Series:
    """Dates as ISO text ('' for None), formatting each distinct date once."""
    codes, uniques = pd.factorize(np.asarray(days, dtype=object), use_na_sentinel=True)
    texts = np.array([d.isoformat() for d in uniques] + [""], dtype=object)
    return _text(texts[codes])


def _ucdp(source: _Source, issues: _Issues) -> _Crosswalk:
    n = source.n
    start, _, _ = _dates_from_text(
        _strip_time(source.stripped("date_start")), "date_start", issues
    )
    _, end, _ = _dates_from_text(
        _strip_time(source.stripped("date_end")), "date_end", issues
    )
    first, last = _isoformat(start), _isoformat(end)
    both = ((first != "") & (last != "")).to_numpy(bool)
    reversed_ = both & (last < first).to_numpy(bool)
    issues.add(
        reversed_,
        "rejected",
        "date_end",
        [
            f"date_end {e} is before date_start {s}"
            for s, e in zip(first[reversed_], last[reversed_], strict=True)
        ],
    )
    usable = both & ~reversed_
    precision = np.full(n, "", dtype=object)
    if usable.any():
        (precision[usable],) = _per_unique(_span_precision, first[usable], last[usable])
    wp_raw, geo = _coded(
        source, "where_prec", UCDP_WHERE_PREC, issues, "a UCDP where_prec (1 to 7)"
    )
    low = _counts(source, "low", issues)
    best = _counts(source, "best", issues)
    high = _counts(source, "high", issues)
    _fatality_order(low, best, high, issues, "best")
    violence_raw = source.stripped("type_of_violence")
    violence = _text(
        _codes(violence_raw).map(UCDP_VIOLENCE).fillna("").astype("str").to_numpy()
    )
    label = violence.str.capitalize().where(violence != "", "UCDP GED event")
    dyad = source.stripped("dyad_name")
    place = source.stripped("where_coordinates")

    def note(violence_code, violence_words, date_prec, wp, wp_words, *texts) -> str:
        parts = []
        if violence_code:
            words = f" ({violence_words})" if violence_words else ""
            parts.append(f"type_of_violence {violence_code}{words}.")
        precision = f"date_prec {date_prec}; " if date_prec else ""
        words = f" ({wp_words})" if wp_words else ""
        parts.append(f"{precision}where_prec {wp}{words}.")
        for label, text in zip(("Conflict: ", "Dyad: ", "Where: "), texts, strict=True):
            parts.append(_sentence(label, text))
        return " ".join(part for part in parts if part)

    notes = (
        "Imported from UCDP GED: id "
        + source.stripped("id")
        + ". "
        + _compose(
            note,
            violence_raw,
            violence,
            source.stripped("date_prec"),
            wp_raw,
            geo,
            source.stripped("conflict_name"),
            dyad,
            source.stripped("where_description"),
        )
    )
    return _Crosswalk(
        source_id=source.stripped("id"),
        id_column="id",
        date_start=start,
        date_end=end,
        date_precision=precision,
        date_origin=np.full(n, "source", dtype=object),
        layer=_text("attack", n),
        event_type=_text("armed_assault", n),
        geo_precision=geo,
        actors=source.stripped("side_a"),
        target=source.stripped("side_b"),
        fatalities=(low, best, high),
        title=label,
        description=_compose(_at, dyad, label, place),
        source_quote=_quote(source.get("source_article")),
        notes=notes,
        lat_column="latitude",
        lon_column="longitude",
        place_name=place,
        country=source.stripped("country"),
        needs_place=np.ones(n, dtype=bool),
    )


def _whole(text: str) -> int | None:
    """A GTD date part: 0 when empty, None when not a whole number."""
    try:
        value = float(text or "0")
    except ValueError:
        return None
    return int(value) if math.isfinite(value) and value == int(value) else None


def _gtd_date(year: str, month: str, day: str, approximate: str) -> tuple:
    """One GTD date: (start, end, precision, the column at fault, the reason)."""
    y, m, d = _whole(year), _whole(month), _whole(day)
    if not year or y is None or y <= 0:
        return None, None, "", "iyear", f"{year!r} is not a year"
    if m is None or m < 0:
        return None, None, "", "imonth", f"{month!r} is not a month (0 when unknown)"
    if d is None or d < 0:
        return None, None, "", "iday", f"{day!r} is not a day (0 when unknown)"
    if m == 0 and d != 0:
        return None, None, "", "iday", f"iday is {d} but imonth is 0 (unknown)"
    text = f"{y:04d}"
    if m:
        text += f"-{m:02d}" + (f"-{d:02d}" if d else "")
    start, end, precision, error = _parse_one(text)
    if error:
        column = "iyear"
        if error.startswith("day"):
            column = "iday"
        elif error.startswith("month"):
            column = "imonth"
        return None, None, "", column, error
    return start, end, "approximate" if approximate else precision, "", ""


def _gtd(source: _Source, issues: _Issues) -> _Crosswalk:
    n = source.n
    approx = source.stripped("approxdate")
    start, end, precision, column, error = _per_unique(
        _gtd_date,
        source.stripped("iyear"),
        source.stripped("imonth"),
        source.stripped("iday"),
        _text(np.where((approx != "").to_numpy(bool), "approximate", "")),
    )
    for name in ("iyear", "imonth", "iday"):
        mask = column == name
        issues.add(mask, "rejected", name, error[mask])
    spec_raw, geo = _coded(
        source, "specificity", GTD_SPECIFICITY, issues, "a GTD specificity (1 to 5)"
    )
    attack = source.stripped("attacktype1_txt")
    if not source.has("attacktype1_txt"):
        attack = _text(
            _codes(source.stripped("attacktype1"))
            .map(GTD_ATTACK_CODES)
            .fillna("")
            .astype("str")
            .to_numpy(object)
        )
    suicide = source.stripped("suicide")

    def classify(attack_type: str, suicide_flag: str) -> tuple:
        kind = GTD_ATTACK_TYPES.get(attack_type.lower(), "armed_assault")
        if kind == "bombing" and _whole(suicide_flag) == 1 and suicide_flag:
            kind = "suicide_bombing"
        return (kind,)

    (event_type,) = _per_unique(classify, attack, suicide)
    label = attack.where(attack != "", "GTD attack")
    target = source.stripped("target1")
    target = target.where(target != "", source.stripped("targtype1_txt"))
    city = source.stripped("city")

    def note(attack_type, suicide_flag, spec, spec_words, approximate, province):
        codes = [
            f"attacktype1_txt {attack_type}" if attack_type else "",
            f"suicide {suicide_flag}" if suicide_flag else "",
            f"specificity {spec}" + (f" ({spec_words})" if spec_words else ""),
        ]
        parts = [
            "; ".join(code for code in codes if code) + ".",
            _sentence("approxdate: ", approximate),
            _sentence("provstate: ", province),
        ]
        return " ".join(part for part in parts if part)

    notes = (
        "Imported from GTD: eventid "
        + source.stripped("eventid")
        + ". "
        + _compose(
            note, attack, suicide, spec_raw, geo, approx, source.stripped("provstate")
        )
    )
    empty = _text("", n)
    return _Crosswalk(
        source_id=source.stripped("eventid"),
        id_column="eventid",
        date_start=start,
        date_end=end,
        date_precision=precision,
        date_origin=np.full(n, "source", dtype=object),
        layer=_text("attack", n),
        event_type=_text(event_type),
        geo_precision=geo,
        actors=_join_parts(
            source.get("gname"), source.get("gname2"), source.get("gname3")
        ),
        target=target,
        fatalities=(empty, _counts(source, "nkill", issues), empty),
        title=label,
        description=_compose(lambda what, where: _at(what, "", where), label, city),
        source_quote=_quote(source.get("summary")),
        notes=notes,
        lat_column="latitude",
        lon_column="longitude",
        place_name=city,
        country=source.stripped("country_txt"),
        needs_place=np.ones(n, dtype=bool),
    )


def _full_date(text: str) -> tuple:
    """A native date cell, read as :mod:`imu_geo.validate` reads it."""
    if not text:
        return None, ""
    try:
        interval = parse_partial_date(text)
    except DateParseError as error:
        return None, str(error)
    if interval.precision != "day" or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return None, f"{text!r} is not a full ISO date YYYY-MM-DD"
    return interval.start, ""


def _type_problem(layer: str, event_type: str) -> tuple:
    if layer in EVENT_TYPES and event_type and event_type not in EVENT_TYPES[layer]:
        article = "an" if layer[:1] in "aeiou" else "a"
        return (
            f"{event_type!r} is not {article} {layer} type "
            f"({', '.join(EVENT_TYPES[layer])})",
        )
    return ("",)


def _precision_problem(start: str, end: str, precision: str) -> tuple:
    found = precision_problem(
        date.fromisoformat(start), date.fromisoformat(end), precision
    )
    return (found or "",)


def _native(source: _Source, issues: _Issues) -> _Crosswalk:
    n = source.n
    values = {column: source.get(column) for column in EVENT_COLUMNS}
    for column in EVENT_COLUMNS:
        if column not in OPTIONAL_EVENT_COLUMNS:
            empty = (values[column].str.strip() == "").to_numpy(bool)
            issues.add(empty, "rejected", column, "is empty")
    event_id = values["event_id"]
    bad = ((event_id != "") & ~event_id.str.fullmatch(_SLUG.pattern)).to_numpy(bool)
    issues.add(
        bad,
        "rejected",
        "event_id",
        [
            f"{v!r} is not a slug (lower-case letters, digits, - and _)"
            for v in event_id[bad]
        ],
    )
    for column, allowed in EVENT_VOCABULARIES.items():
        value = values[column]
        bad = ((value != "") & ~value.isin(allowed)).to_numpy(bool)
        issues.add(
            bad,
            "rejected",
            column,
            [f"{v!r} is not one of {', '.join(allowed)}" for v in value[bad]],
        )
    layer, event_type = values["layer"], values["event_type"]
    (type_error,) = _per_unique(_type_problem, layer, event_type)
    bad = type_error != ""
    issues.add(bad, "rejected", "event_type", type_error[bad])

    days = {}
    for column in ("date_start", "date_end"):
        day, error = _per_unique(_full_date, values[column])
        bad = error != ""
        issues.add(bad, "rejected", column, error[bad])
        days[column] = day
    first, last = _isoformat(days["date_start"]), _isoformat(days["date_end"])
    precision = values["date_precision"]
    checkable = (
        (first != "")
        & (last != "")
        & precision.isin(EVENT_VOCABULARIES["date_precision"])
    ).to_numpy(bool)
    problem = np.full(n, "", dtype=object)
    if checkable.any():
        (problem[checkable],) = _per_unique(
            _precision_problem,
            first[checkable],
            last[checkable],
            precision[checkable],
        )
    before = np.array(["before" in p for p in problem], dtype=bool)
    issues.add(before, "rejected", "date_end", problem[before])
    other = (problem != "") & ~before
    issues.add(other, "rejected", "date_precision", problem[other])

    low = _counts(source, "fatalities_low", issues, strict=True)
    best = _counts(source, "fatalities_best", issues, strict=True)
    high = _counts(source, "fatalities_high", issues, strict=True)
    _fatality_order(low, best, high, issues, "fatalities_best")

    place_name = source.stripped("place_name")
    place_key = place_name.where(place_name != "", values["place_id"].str.strip())
    # The download's lat/lon; a GeoJSON point's latitude/longitude otherwise.
    geojson = not source.has("lat") and source.has("latitude")
    lat_column = "latitude" if geojson else "lat"
    lon_column = "longitude" if geojson else "lon"
    has_coordinates = (
        (source.stripped(lat_column) != "") | (source.stripped(lon_column) != "")
    ).to_numpy(bool)
    return _Crosswalk(
        source_id=event_id,
        id_column="event_id",
        date_start=days["date_start"],
        date_end=days["date_end"],
        date_precision=precision.to_numpy(object),
        date_origin=values["date_origin"].to_numpy(object),
        layer=layer,
        event_type=event_type,
        geo_precision=values["geo_precision"].where(
            values["geo_precision"].isin(GEO_PRECISIONS), ""
        ),
        actors=values["actors"],
        target=values["target"],
        fatalities=(low, best, high),
        title=values["title"],
        description=values["description"],
        source_quote=values["source_quote"],
        notes=values["notes"],
        lat_column=lat_column,
        lon_column=lon_column,
        place_name=place_key,
        country=source.stripped("country"),
        needs_place=has_coordinates | (place_key != "").to_numpy(bool),
        native=pd.DataFrame(values),
    )


_CROSSWALKS = {"acled": _acled, "ucdp": _ucdp, "gtd": _gtd, "native": _native}


# --- places -------------------------------------------------------------------


def _country_code(name: str) -> tuple:
    """A country as ISO alpha-2: given as a code, or a name in COUNTRY_CODES."""
    text = " ".join(name.split())
    if re.fullmatch(r"[A-Z]{2}", text):
        return (text,)
    return (COUNTRY_CODES.get(text.lower(), ""),)


def _within(
    countries: Mapping[str, object], codes: np.ndarray, x: np.ndarray, y: np.ndarray
) -> np.ndarray:
    """Whether each point lies within the border tolerance of its country."""
    result = np.zeros(codes.size, dtype=bool)
    for code in np.unique(codes):
        if code not in countries:
            continue
        rows = np.flatnonzero(codes == code)
        polygon = countries[code]
        inside = shapely.contains_xy(polygon, x[rows], y[rows])
        if not inside.all():
            points = shapely.points(x[rows[~inside]], y[rows[~inside]])
            inside[~inside] = shapely.distance(polygon, points) <= BORDER_TOLERANCE_DEG
        result[rows] = inside
    return result


def _coarser(first: str, second: str) -> str:
    """The coarser of two geo_precision values ('' counts as unknown)."""
    ranks = {value: rank for rank, value in enumerate(GEO_PRECISIONS)}
    if first not in ranks:
        return second
    if second not in ranks:
        return first
    return first if ranks[first] >= ranks[second] else second


@dataclass
class _Placed:
    """Where each row goes: a point, a gazetteer place (position) or nowhere."""

    lat: np.ndarray
    lon: np.ndarray
    gazetteer_position: np.ndarray  # -1 when the row keeps its own point
    geo_precision: np.ndarray
    country: np.ndarray
    has_place: np.ndarray


def _coordinate(text: pd.Series) -> tuple[np.ndarray, ...]:
    """A coordinate column: (value, decimal comma, empty, not a number, not finite)."""
    comma = text.str.fullmatch(r"[+-]?\d+,\d+").to_numpy(bool)
    fixed = text.where(~pd.Series(comma), text.str.replace(",", ".", regex=False))
    value = pd.to_numeric(fixed, errors="coerce").to_numpy(float)
    empty = (text == "").to_numpy(bool)
    word = fixed.str.lower().isin(_NON_FINITE_WORDS).to_numpy(bool)
    not_number = ~empty & np.isnan(value) & ~word
    not_finite = ~empty & ~not_number & ~np.isfinite(value)
    return value, comma, empty, not_number, not_finite


def _place_rows(
    cross: _Crosswalk,
    source: _Source,
    issues: _Issues,
    gazetteer: Gazetteer,
    countries: Mapping[str, object],
    notes: list[str],
    name: str,
) -> _Placed:
    n = source.n
    lat_column, lon_column = cross.lat_column, cross.lon_column
    pair = f"{lat_column}, {lon_column}"
    lat_text, lon_text = source.stripped(lat_column), source.stripped(lon_column)
    lat, lat_comma, lat_empty, lat_nan, lat_inf = _coordinate(lat_text)
    lon, lon_comma, lon_empty, lon_nan, lon_inf = _coordinate(lon_text)
    for column, text, comma in (
        (lat_column, lat_text, lat_comma),
        (lon_column, lon_text, lon_comma),
    ):
        issues.add(
            comma,
            "repaired",
            column,
            [
                f"{v!r} read as {v.replace(',', '.')} (decimal comma)"
                for v in text[comma]
            ],
        )
    lat, lon = np.round(lat, 4), np.round(lon, 4)
    finite = np.isfinite(lat) & np.isfinite(lon)
    zero = finite & (lat == 0) & (lon == 0)
    in_range = finite & (np.abs(lat) <= 90) & (np.abs(lon) <= 180)

    (code,) = _per_unique(_country_code, cross.country)
    code = code.astype(object)
    named = (cross.country != "").to_numpy(bool)
    unmapped = sorted(set(cross.country[named & (code == "")]))
    if unmapped:
        shown = ", ".join(unmapped[:10]) + (", ..." if len(unmapped) > 10 else "")
        notes.append(
            f"{name}: country names not mapped to an ISO code, so their places have "
            f"no country and are not checked against a border: {shown}"
        )
    country_name = np.array([COUNTRY_NAMES.get(c, c) for c in code], dtype=object)

    # The point must lie in the stated country; a swap that puts it there repairs.
    checkable = finite & ~zero & np.isin(code, list(countries))
    direct = checkable & in_range
    inside = np.zeros(n, dtype=bool)
    inside[direct] = _within(countries, code[direct], lon[direct], lat[direct])
    swappable = checkable & ~inside & (np.abs(lon) <= 90) & (np.abs(lat) <= 180)
    swap = np.zeros(n, dtype=bool)
    swap[swappable] = _within(
        countries, code[swappable], lat[swappable], lon[swappable]
    )
    issues.add(
        swap,
        "repaired",
        pair,
        [
            f"latitude and longitude were swapped: latitude {a}, longitude {o} lies "
            f"outside {c}, the swapped point inside it"
            for a, o, c in zip(
                lat_text[swap], lon_text[swap], country_name[swap], strict=True
            )
        ],
    )
    lat[swap], lon[swap] = lon[swap], lat[swap]
    out_of_range = finite & ~zero & ~in_range & ~swap
    issues.add(
        out_of_range,
        "rejected",
        pair,
        [
            f"latitude {a}, longitude {o} is out of range (latitude runs -90 to 90, "
            "longitude -180 to 180)"
            for a, o in zip(lat_text[out_of_range], lon_text[out_of_range], strict=True)
        ],
    )
    outside = direct & ~inside & ~swap
    issues.add(
        outside,
        "rejected",
        pair,
        [
            f"latitude {a}, longitude {o} lies outside {c}, and swapping them does "
            "not put it inside"
            for a, o, c in zip(
                lat_text[outside], lon_text[outside], country_name[outside], strict=True
            )
        ],
    )
    usable = (in_range | swap) & ~zero & ~outside

    # Rows without a usable point are looked up by name.
    cause = np.full(n, "no coordinates", dtype=object)
    cause[lat_empty & ~lon_empty] = f"{lat_column} is empty"
    cause[lon_empty & ~lat_empty] = f"{lon_column} is empty"
    for column, text, not_number, not_finite in (
        (lon_column, lon_text, lon_nan, lon_inf),
        (lat_column, lat_text, lat_nan, lat_inf),
    ):
        cause[not_finite] = [
            f"{column} {v!r} is not a finite number" for v in text[not_finite]
        ]
        cause[not_number] = [
            f"{column} {v!r} is not a number" for v in text[not_number]
        ]
    cause[zero] = "(0, 0) is not a location"
    wanted = ~finite | zero
    wanted &= cross.needs_place
    names = cross.place_name.to_numpy(object)
    no_name = wanted & (names == "")
    issues.add(
        no_name,
        "rejected",
        pair,
        [f"{c}, and no place name to look up" for c in cause[no_name]],
    )
    position = np.full(n, -1, dtype=np.int64)
    geo = cross.geo_precision.to_numpy(object).copy()
    lookup = wanted & ~no_name
    if lookup.any():
        found, why = _per_unique(
            gazetteer.lookup, cross.place_name[lookup], _text(code[lookup])
        )
        hit = np.array([p is not None for p in found], dtype=bool)
        rows = np.flatnonzero(lookup)
        position[rows[hit]] = np.asarray(found[hit], dtype=np.int64)
        placed = np.zeros(n, dtype=bool)
        placed[rows[hit]] = True
        missed = np.zeros(n, dtype=bool)
        missed[rows[~hit]] = True
        places = gazetteer.places
        issues.add(
            placed,
            "repaired",
            pair,
            [
                f"{c}; placed from the gazetteer: {places.at[p, 'name']}"
                for c, p in zip(cause[placed], position[placed], strict=True)
            ],
        )
        issues.add(
            missed,
            "rejected",
            pair,
            [
                f"{c}, and {v!r} {w}"
                for c, v, w in zip(cause[missed], names[missed], why[~hit], strict=True)
            ],
        )
        at = position[placed]
        lat[placed] = places["lat"].to_numpy(float)[at]
        lon[placed] = places["lon"].to_numpy(float)[at]
        kinds = places["precision"].to_numpy(object)
        geo[placed] = [
            _coarser(g, kinds[p]) for g, p in zip(geo[placed], at, strict=True)
        ]
        code[placed] = places["country"].to_numpy(object)[at]
    return _Placed(
        lat=lat,
        lon=lon,
        gazetteer_position=position,
        geo_precision=geo,
        country=code,
        has_place=usable | (position >= 0),
    )


# --- the whole table ----------------------------------------------------------


def _duplicates(frame: pd.DataFrame) -> np.ndarray:
    """For each row, the position of an identical earlier row, else -1.

    Rows are hashed (vectorised); only rows whose hash repeats are compared field
    by field, so a hash collision cannot make two different rows duplicates.
    """
    n = len(frame)
    first = np.full(n, -1, dtype=np.int64)
    if n < 2 or frame.shape[1] == 0:
        return first
    hashes = pd.util.hash_pandas_object(frame, index=False).to_numpy()
    repeated = np.flatnonzero(pd.Series(hashes).duplicated(keep=False).to_numpy())
    values = frame.iloc[repeated].to_numpy(object)
    seen: dict[tuple, int] = {}
    for position, row in zip(repeated, values, strict=True):
        key = tuple(row)
        if key in seen:
            first[position] = seen[key]
        else:
            seen[key] = position
    return first


def _unique_ids(
    ids: np.ndarray, keep: np.ndarray, rows: np.ndarray, separator: str = "-"
) -> list[tuple[int, str, str, int]]:
    """Suffixes for ids used more than once: (position, old, new, first row)."""
    positions = np.flatnonzero(keep)
    kept = pd.Series(ids[positions])
    occurrence = kept.groupby(kept, sort=False).cumcount().to_numpy()
    if not (occurrence > 0).any():
        return []
    first_row: dict[str, int] = {}
    for position in positions[occurrence == 0]:
        first_row[ids[position]] = int(rows[position])
    taken = set(kept)
    next_suffix: dict[str, int] = {}
    changes = []
    for position, count in zip(
        positions[occurrence > 0], occurrence[occurrence > 0], strict=True
    ):
        old = ids[position]
        suffix = max(count + 1, next_suffix.get(old, 2))
        while f"{old}{separator}{suffix}" in taken:
            suffix += 1
        next_suffix[old] = suffix + 1
        new = f"{old}{separator}{suffix}"
        taken.add(new)
        changes.append((int(position), old, new, first_row[old]))
    return changes


def import_table(
    raw: RawTable,
    fmt: str = "auto",
    gazetteer: Gazetteer | None = None,
    countries: Mapping[str, object] | None = None,
) -> ImportResult:
    """Apply a format's crosswalk and the row rules to a table read as text.

    Parameters
    ----------
    raw
        The table, from :func:`read_table`.
    fmt
        ``"auto"`` to recognise the format from the columns, or one of
        :data:`FORMATS`.
    gazetteer, countries
        The places to geocode with and the country polygons (ISO alpha-2 to
        shapely geometry) to check points against; the bundled ones when None.

    Raises
    ------
    ImportFailure
        When the format is not recognised or its required columns are missing.
    """
    name = raw.name
    gazetteer = gazetteer if gazetteer is not None else _bundled_gazetteer()
    countries = countries if countries is not None else _bundled_countries()
    if fmt == "auto":
        detected = detect_format(raw.frame.columns)
        if detected is None:
            looked_for = "; ".join(
                f"{'this project' if f == 'native' else FORMAT_LABELS[f]} has "
                f"{', '.join(SIGNATURES[f])}"
                for f in ("acled", "ucdp", "gtd", "native")
            )
            raise ImportFailure(
                f"{name}: the format is not recognised from its columns ({looked_for})"
            )
        fmt = detected
    if fmt not in FORMATS:
        raise ImportFailure(
            f"{name}: format {fmt!r} is not one of auto, {', '.join(FORMATS)}"
        )
    source = _Source(raw.frame.reset_index(drop=True))
    missing = [c for c in REQUIRED_COLUMNS[fmt] if not source.has(c)]
    if missing:
        raise ImportFailure(
            f"{name}: missing columns for {FORMAT_LABELS[fmt]}: {', '.join(missing)}"
        )
    notes = list(raw.notes)
    issues = _Issues()
    rows = np.asarray(raw.rows, dtype=np.int64)
    n = source.n
    bad_rows = pd.DataFrame(
        {
            "row": np.array([r for r, _ in raw.bad_rows], dtype=np.int64),
            "action": "rejected",
            "column": "",
            "reason": [reason for _, reason in raw.bad_rows],
            "order": -1,
        }
    )
    if n == 0:
        return ImportResult(
            format=fmt,
            events=pd.DataFrame(columns=[*EXPORT_COLUMNS, "source_id", "source_row"]),
            places=gpd.GeoDataFrame(
                {c: [] for c in (*PLACE_PROPERTIES, "geometry_source", "note")},
                geometry=gpd.GeoSeries([], crs=CRS),
                crs=CRS,
            ),
            report=bad_rows[["row", "action", "column", "reason"]],
            n_rows=len(raw.bad_rows),
            file_notes=notes,
            rejected_rows=pd.DataFrame(columns=["row", *raw.frame.columns]),
        )

    cross = _CROSSWALKS[fmt](source, issues)
    placed = _place_rows(cross, source, issues, gazetteer, countries, notes, name)
    if fmt == "native":
        _native_place_rules(cross, placed, issues)
        event_id = cross.source_id.str.strip().to_numpy(object)
    else:
        event_id = slugify(fmt + "-" + cross.source_id).to_numpy(object)
        no_id = (cross.source_id == "").to_numpy(bool)
        event_id[no_id] = [f"{fmt}-row-{r}" for r in rows[no_id]]
        issues.add(
            no_id,
            "repaired",
            cross.id_column,
            [f"is empty; this row's event_id is {v}" for v in event_id[no_id]],
        )
    duplicate_of = _duplicates(source.frame)
    is_duplicate = duplicate_of >= 0
    issues.add(
        is_duplicate,
        "rejected",
        "",
        [f"duplicate of row {rows[p]}" for p in duplicate_of[is_duplicate]],
    )
    table = issues.frame()
    rejected = np.zeros(n, dtype=bool)
    rejected[table.loc[table["action"] == "rejected", "position"].to_numpy(int)] = True
    keep = ~rejected

    changes = _unique_ids(event_id, keep, rows)
    changed = np.zeros(n, dtype=bool)
    for position, _, new, _ in changes:
        event_id[position] = new
        changed[position] = True
    issues.add(
        changed,
        "repaired",
        cross.id_column,
        [
            f"the event_id {old} is already used by row {first}; this row's is {new}"
            for _, old, new, first in sorted(changes)
        ],
    )
    events, places, place_changes = _assemble(
        fmt, name, raw.unit, cross, placed, gazetteer, event_id, rows, keep
    )
    moved = np.zeros(n, dtype=bool)
    moved[[p for p, _ in place_changes]] = True
    issues.add(moved, "repaired", "place_id", [r for _, r in sorted(place_changes)])

    table = issues.frame()
    positions = table["position"].to_numpy(np.int64)
    table = table.assign(row=rows[positions])
    drop = (rejected[positions] & (table["action"] == "repaired").to_numpy(bool)) | (
        is_duplicate[positions] & (table["column"] != "").to_numpy(bool)
    )
    report = pd.concat(
        [table.loc[~drop, ["row", "action", "column", "reason", "order"]], bad_rows],
        ignore_index=True,
    )
    report = report.sort_values(["row", "order"], kind="stable")
    report = report[["row", "action", "column", "reason"]].reset_index(drop=True)
    report["row"] = report["row"].astype(np.int64)
    rejected_rows = source.frame.loc[rejected].copy()
    rejected_rows.insert(0, "row", rows[rejected])
    return ImportResult(
        format=fmt,
        events=events,
        places=places,
        report=report,
        n_rows=n + len(raw.bad_rows),
        file_notes=notes,
        rejected_rows=rejected_rows.reset_index(drop=True),
    )


def _native_place_rules(cross: _Crosswalk, placed: _Placed, issues: _Issues) -> None:
    """The place rules of ``events.csv``, once the rows' places are known."""
    layer = cross.layer.to_numpy(object)
    needs = np.isin(layer, ["attack", "base"]) & ~cross.needs_place
    issues.add(
        needs,
        "rejected",
        "place_id",
        [
            f"is empty, but {'an' if value == 'attack' else 'a'} {value} needs a place"
            for value in layer[needs]
        ],
    )
    for column in ("geo_precision", "place_origin"):
        given = (cross.native[column].str.strip() != "").to_numpy(bool)
        if column == "geo_precision":
            value = np.array([v != "" for v in placed.geo_precision], dtype=bool)
        else:
            value = given
        issues.add(
            placed.has_place & ~value,
            "rejected",
            column,
            "is empty, but the row has a place",
        )
        issues.add(
            ~placed.has_place & given & ~cross.needs_place,
            "rejected",
            column,
            "is given, but the row has no place",
        )


def _place_table(
    fmt: str,
    name: str,
    cross: _Crosswalk,
    placed: _Placed,
    gazetteer: Gazetteer,
    k: np.ndarray,
) -> tuple[
    np.ndarray, gpd.GeoDataFrame, tuple[np.ndarray, np.ndarray], list[tuple[int, str]]
]:
    """The distinct places of the kept rows ``k``.

    Returns each kept row's place index (-1 for none), the places, each place's
    anchor (latitude and longitude arrays: the point, or a point inside an area)
    and the native rows whose ``place_id`` had to change, with the reason.
    """
    gaz = gazetteer.places
    has_place = placed.has_place[k]
    position = placed.gazetteer_position[k].copy()
    lat, lon = placed.lat[k], placed.lon[k]
    given_id = (
        cross.native["place_id"].str.strip().to_numpy(object)[k]
        if cross.native is not None
        else np.full(k.size, "", dtype=object)
    )
    if cross.native is not None:
        # A native row at a bundled place's own point is that place.
        bundled = {pid: i for i, pid in enumerate(gaz["place_id"]) if pid}
        for i in np.flatnonzero(has_place & (position < 0) & (given_id != "")):
            at = bundled.get(given_id[i])
            if at is not None and (
                abs(gaz.at[at, "lat"] - lat[i]) <= 2e-4
                and abs(gaz.at[at, "lon"] - lon[i]) <= 2e-4
            ):
                position[i] = at
    from_gazetteer = position >= 0
    own_name = cross.place_name.to_numpy(object)[k]
    if cross.native is not None:
        own_name = np.where(
            cross.native["place_id"].to_numpy(object)[k] == own_name, "", own_name
        )
    # One place per name, country and point; its kind comes from the finest
    # precision any of its rows codes.
    rank = (
        pd.Series(placed.geo_precision[k], dtype=object)
        .map({value: rank for rank, value in enumerate(GEO_PRECISIONS)})
        .fillna(len(GEO_PRECISIONS) - 1)
        .to_numpy(np.int64)
    )
    key = pd.DataFrame(
        {
            "position": position,
            "name": np.where(from_gazetteer, "", own_name),
            "country": np.where(from_gazetteer, "", placed.country[k]),
            "lat": np.where(from_gazetteer, 0.0, lat),
            "lon": np.where(from_gazetteer, 0.0, lon),
            "given": np.where(from_gazetteer, "", given_id),
        }
    ).loc[has_place]
    index = np.full(k.size, -1, dtype=np.int64)
    index[has_place] = key.groupby(list(key.columns), sort=False).ngroup().to_numpy()
    unique = key.drop_duplicates().reset_index(drop=True)
    finest = np.full(len(unique), len(GEO_PRECISIONS) - 1, dtype=np.int64)
    np.minimum.at(finest, index[has_place], rank[has_place])
    unique["kind"] = [PRECISION_KINDS[GEO_PRECISIONS[r]] for r in finest]

    at = unique["position"].to_numpy(np.int64)
    is_gaz = at >= 0
    safe = np.maximum(at, 0)
    gaz_column = {
        c: (gaz[c].to_numpy(object)[safe] if len(gaz) else np.full(len(at), "", object))
        for c in ("place_id", "name", "alt_names", "kind", "country", "admin1")
    }
    unnamed = ~is_gaz & (unique["name"].to_numpy(object) == "")
    display = np.where(is_gaz, gaz_column["name"], unique["name"].to_numpy(object))
    display[unnamed] = [
        f"{a:.4f}, {o:.4f}"
        for a, o in zip(unique["lat"][unnamed], unique["lon"][unnamed], strict=True)
    ]
    given = unique["given"].to_numpy(object)
    given_ok = _text(given).str.fullmatch(_SLUG.pattern).to_numpy(bool)
    base = np.where(
        is_gaz & (gaz_column["place_id"] != ""),
        gaz_column["place_id"],
        np.where(
            given_ok, given, slugify(_text(display), separator="_").to_numpy(object)
        ),
    )
    base = np.where(base == "", "place", base)
    bundled_used = is_gaz & (gaz_column["place_id"] != "")
    place_ids = base.copy()
    taken = set(base[bundled_used])
    next_suffix: dict[str, int] = {}
    for i in np.flatnonzero(~bundled_used):
        candidate, suffix = base[i], next_suffix.get(base[i], 2)
        while candidate in taken:
            candidate = f"{base[i]}_{suffix}"
            suffix += 1
        next_suffix[base[i]] = suffix
        taken.add(candidate)
        place_ids[i] = candidate

    label = FORMAT_LABELS[fmt]
    anchor_lat = unique["lat"].to_numpy(float).copy()
    anchor_lon = unique["lon"].to_numpy(float).copy()
    if is_gaz.any():
        anchor_lat[is_gaz] = gaz["lat"].to_numpy(float)[at[is_gaz]]
        anchor_lon[is_gaz] = gaz["lon"].to_numpy(float)[at[is_gaz]]
    geometries = shapely.points(anchor_lon, anchor_lat)
    if is_gaz.any():
        geometries[is_gaz] = gaz["geometry"].to_numpy(object)[at[is_gaz]]
    places = gpd.GeoDataFrame(
        {
            "place_id": place_ids,
            "name": display,
            "alt_names": np.where(is_gaz, gaz_column["alt_names"], ""),
            "kind": np.where(
                is_gaz, gaz_column["kind"], unique["kind"].to_numpy(object)
            ),
            "country": np.where(
                is_gaz, gaz_column["country"], unique["country"].to_numpy(object)
            ),
            "admin1": np.where(is_gaz, gaz_column["admin1"], ""),
            "geometry_source": [
                gaz.at[p, "geometry_source"]
                if p >= 0
                else f"{label} coordinates in {name}"
                for p in at
            ],
            "note": "",
        },
        geometry=gpd.GeoSeries(geometries, crs=CRS),
        crs=CRS,
    )
    changes = []
    if cross.native is not None:
        kept_positions = k
        for i in np.flatnonzero(has_place & (given_id != "")):
            new = place_ids[index[i]]
            if new != given_id[i]:
                why = (
                    f"{given_id[i]!r} is not a slug"
                    if not _SLUG.fullmatch(given_id[i])
                    else f"{given_id[i]!r} also names another place"
                )
                changes.append(
                    (int(kept_positions[i]), f"{why}; this row's place is {new}")
                )
    return index, places, (anchor_lat, anchor_lon), changes


def _assemble(
    fmt: str,
    name: str,
    unit: str,
    cross: _Crosswalk,
    placed: _Placed,
    gazetteer: Gazetteer,
    event_id: np.ndarray,
    rows: np.ndarray,
    keep: np.ndarray,
) -> tuple[pd.DataFrame, gpd.GeoDataFrame, list[tuple[int, str]]]:
    """The kept rows as events in our columns, and the places they use."""
    k = np.flatnonzero(keep)
    index, places, (anchor_lat, anchor_lon), changes = _place_table(
        fmt, name, cross, placed, gazetteer, k
    )
    has = index >= 0
    safe = np.maximum(index, 0)

    def take(values) -> pd.Series:
        if isinstance(values, pd.Series):
            return values.take(k).astype("str").reset_index(drop=True)
        return _text(np.asarray(values, dtype=object)[k])

    def of_place(column: str) -> pd.Series:
        values = places[column].to_numpy(object)
        return _text(np.where(has, values[safe] if values.size else "", ""))

    where = of_place("name")
    columns = {
        "event_id": take(event_id),
        "date_start": take(_isoformat(cross.date_start)),
        "date_end": take(_isoformat(cross.date_end)),
        "date_precision": take(cross.date_precision),
        "date_origin": take(cross.date_origin),
        "layer": take(cross.layer),
        "event_type": take(cross.event_type),
        "place_id": of_place("place_id"),
        "geo_precision": _when(has, take(placed.geo_precision)),
        "target": take(cross.target),
    }
    for column, values in zip(FATALITY_COLUMNS, cross.fatalities, strict=True):
        columns[column] = take(values)
    if cross.native is not None:
        native = cross.native
        columns |= {
            "place_origin": _when(has, take(native["place_origin"])),
            "actors": take(cross.actors),
            "attribution": take(native["attribution"]),
            "title": take(cross.title),
            "description": take(cross.description),
            "source_quote": take(cross.source_quote),
            "source": take(native["source"]),
            "notes": take(cross.notes),
        }
    else:
        label = FORMAT_LABELS[fmt]
        actors = take(cross.actors)
        from_gazetteer = placed.gazetteer_position[k] >= 0
        columns |= {
            "place_origin": _when(has, _text("source", k.size)),
            "actors": actors.where(actors != "", NO_ACTOR),
            "attribution": _text("attributed", k.size),
            "title": take(cross.title) + _labelled(" in ", where, ""),
            "description": f"{label} {cross.id_column} "
            + take(cross.source_id)
            + ": "
            + take(cross.description)
            + ".",
            "source_quote": take(cross.source_quote),
            "source": f"{label} ({name}, {unit} " + _text(rows[k].astype(str)) + ")",
            "notes": take(cross.notes)
            + _when(from_gazetteer, " Placed from the gazetteer: " + where + "."),
        }
    events = pd.DataFrame({column: columns[column] for column in EVENT_COLUMNS})
    events["lat"] = np.where(has, anchor_lat[safe] if has.any() else np.nan, np.nan)
    events["lon"] = np.where(has, anchor_lon[safe] if has.any() else np.nan, np.nan)
    events["lat"] = events["lat"].round(4)
    events["lon"] = events["lon"].round(4)
    events["place_name"] = where
    events["source_id"] = take(cross.source_id)
    events["source_row"] = rows[k]
    return events, places, changes


def import_file(
    name: str,
    payload: bytes,
    fmt: str = "auto",
    limits: Limits | None = None,
    gazetteer: Gazetteer | None = None,
    countries: Mapping[str, object] | None = None,
) -> ImportResult:
    """Read and import one file.

    Parameters
    ----------
    name
        The file name (its extension says how to read it).
    payload
        The file's bytes.
    fmt
        ``"auto"`` or one of :data:`FORMATS`.
    limits
        Size, row and field limits; :class:`Limits` defaults when None.
    gazetteer, countries
        As for :func:`import_table`; the bundled ones when None.

    Raises
    ------
    ImportFailure
        When the file cannot be read at all; the message is one line.
    """
    if fmt != "auto" and fmt not in FORMATS:
        raise ImportFailure(
            f"{PurePath(name).name}: format {fmt!r} is not one of auto, "
            f"{', '.join(FORMATS)}"
        )
    return import_table(read_table(name, payload, limits), fmt, gazetteer, countries)


# --- writing ------------------------------------------------------------------


def _geometry_json(geometry) -> dict:
    if geometry.geom_type == "Point":
        return {
            "type": "Point",
            "coordinates": [round(geometry.x, 4), round(geometry.y, 4)],
        }
    return json.loads(json.dumps(mapping(geometry)))


def _rejects_bytes(report: pd.DataFrame) -> bytes:
    """The report as CSV (RFC 4180), safe to open in a spreadsheet.

    Text a spreadsheet would run as a formula gets a leading ``'``, as in the
    dashboard's downloads; a plain number (``-999``) is left as it is.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise_formula(str(c)) for c in report.columns])
    number = re.compile(r"[+-]?\d+(?:\.\d+)?")
    for record in report.itertuples(index=False, name=None):
        cells = []
        for value in record:
            text = "" if value is None or pd.isna(value) else str(value)
            cells.append(text if number.fullmatch(text) else neutralise_formula(text))
        writer.writerow(cells)
    return buffer.getvalue().encode("utf-8")


def write_import(
    result: ImportResult, out_dir: Path, regions: Path | None = None
) -> dict[str, Path]:
    """Write an import as a data directory, plus its report.

    Writes ``events.csv`` (its columns, UTF-8, LF line ends, every field quoted
    so that no character in the text can break a row), ``places.geojson``, a copy
    of ``regions.geojson`` (the bundled one unless ``regions`` names another) and
    ``rejects.csv``: one row per repair or rejection (``row``, ``action``,
    ``column``, ``reason``), the first row of each rejected source row followed by
    its source fields; like the dashboard's downloads it prefixes ``'`` to text a
    spreadsheet would run as a formula. ``imu_geo.validate.validate_directory``
    accepts the folder.

    Returns
    -------
    dict
        The path of each file written, by file name.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {}
    events_path = out_dir / EVENTS_FILE
    table = pa.Table.from_pandas(
        result.events[list(EVENT_COLUMNS)].astype("str"), preserve_index=False
    )
    pa_csv.write_csv(
        table, str(events_path), pa_csv.WriteOptions(quoting_style="all_valid")
    )
    paths[EVENTS_FILE] = events_path

    lines = []
    for record in result.places.itertuples(index=False):
        properties = {
            column: getattr(record, column)
            for column in (*PLACE_PROPERTIES, "geometry_source", "note")
        }
        feature = {
            "type": "Feature",
            "properties": properties,
            "geometry": _geometry_json(record.geometry),
        }
        lines.append(json.dumps(feature, ensure_ascii=False))
    places_path = out_dir / PLACES_FILE
    places_path.write_text(
        '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n",
        encoding="utf-8",
    )
    paths[PLACES_FILE] = places_path

    regions_path = out_dir / REGIONS_FILE
    shutil.copyfile(regions or (BUNDLED_DATA_DIR / REGIONS_FILE), regions_path)
    paths[REGIONS_FILE] = regions_path

    report = result.report_frame()
    originals = result.rejected_rows
    if len(originals):
        renamed = {
            c: (f"source_{c}" if c in ("row", "action", "column", "reason") else c)
            for c in originals.columns[1:]
        }
        originals = originals.rename(columns=renamed)
        first = report.drop_duplicates("row", keep="first").index
        attach = report.loc[first, ["row"]].merge(originals, on="row", how="left")
        attach.index = first
        report = report.join(attach.drop(columns="row"))
    rejects_path = out_dir / REJECTS_FILE
    rejects_path.write_bytes(_rejects_bytes(report))
    paths[REJECTS_FILE] = rejects_path
    return paths


def run_import(
    path: Path | str,
    fmt: str = "auto",
    out_dir: Path | str = ".",
    limits: Limits | None = None,
) -> tuple[int, str]:
    """Import a file from disk into ``out_dir``: the exit code and one line to print.

    The code is 0 when every row was accepted or repaired, 1 when some were
    rejected (``rejects.csv`` says which and why), 2 when the file cannot be read
    or the output cannot be written. The extension and the size limit are checked
    before the file is read. No exception leaves this function: the command line
    shows a reason, never a traceback.
    """
    path = Path(path)
    limits = limits or Limits()
    try:
        _check_name(path.name)
        if fmt != "auto" and fmt not in FORMATS:
            raise ImportFailure(
                f"format {fmt!r} is not one of auto, {', '.join(FORMATS)}"
            )
        if path.is_dir():
            raise ImportFailure(f"{path.name}: is a folder, not a file")
        _check_size(path.name, path.stat().st_size, limits)
        result = import_file(path.name, path.read_bytes(), fmt, limits)
    except ImportFailure as failure:
        return 2, str(failure)
    except OSError as error:
        return 2, f"{path.name}: cannot be read ({error.strerror or error})"
    except Exception as error:  # a reason, never a traceback
        first = (str(error).strip().splitlines() or [""])[0]
        return (
            2,
            f"{path.name}: could not be imported ({type(error).__name__}: {first})",
        )
    try:
        write_import(result, Path(out_dir))
    except OSError as error:
        return 2, f"cannot write to {out_dir}: {error.strerror or error}"
    message = f"{result.summary()}; wrote {EVENTS_FILE}, {PLACES_FILE}, {REJECTS_FILE}"
    if result.n_rejected:
        return 1, f"{message} (see {REJECTS_FILE} for the rejected rows)"
    return 0, message
