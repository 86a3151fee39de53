"""The placing of rows: each row's own point when it is usable and in its
country (a swapped pair that lands there is a repair), else a named place from
the gazetteer, else none; then the named places the kept rows use."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from imu_geo import world
from imu_geo.data import CRS
from imu_geo.importers.crosswalk import (
    EMPTY_MARKERS,
    FORMAT_LABELS,
    _Crosswalk,
    _Issues,
    _per_unique,
    _Source,
    _text,
    slugify,
)
from imu_geo.importers.places.borders import (
    REGIONS_BOUNDARY_KM,
    _distances_outside,
    _km,
    border_tolerance_km,
)
from imu_geo.importers.places.gazetteer import (
    PRECISION_KINDS,
    Gazetteer,
    _country_code,
    _country_label,
)
from imu_geo.rules import SLUG
from imu_geo.schema import GEO_PRECISIONS

_NON_FINITE_WORDS = frozenset(
    sign + word for sign in ("", "+", "-") for word in ("nan", "inf", "infinity")
)


def _coarser(first: str, second: str) -> str:
    """The coarser of two geo_precision values ('' counts as unknown)."""
    ranks = {value: rank for rank, value in enumerate(GEO_PRECISIONS)}
    if first not in ranks:
        return second
    if second not in ranks:
        return first
    return first if ranks[first] >= ranks[second] else second


@dataclass
class _PlaceTable:
    """Where each kept row is: a named place or its own point.

    ``index`` is the row's position in ``places`` (-1 for none); ``point`` marks
    the rows that keep their own point, with no named place: their ``lat``,
    ``lon``, ``name`` (the source's place name, else the point written
    ``lat, lon``) and ``country`` (ISO alpha-2, or "") go with the event.
    ``changes`` are the native rows whose ``place_id`` had to change, with why.
    """

    index: np.ndarray
    places: gpd.GeoDataFrame
    anchor_lat: np.ndarray
    anchor_lon: np.ndarray
    point: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    name: np.ndarray
    country: np.ndarray
    changes: list[tuple[int, str]]


@dataclass
class _Placed:
    """Where each row goes: a point, a gazetteer place (position) or nowhere."""

    lat: np.ndarray
    lon: np.ndarray
    gazetteer_position: np.ndarray  # -1 when the row keeps its own point
    geo_precision: np.ndarray
    country: np.ndarray
    has_place: np.ndarray
    # The gazetteer the positions index: the one given, plus the world
    # gazetteer's places some rows were placed at (after its own rows).
    gazetteer: Gazetteer | None = None


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
    boundary_km: float = REGIONS_BOUNDARY_KM,
) -> _Placed:
    """Where each row goes: its own point, a gazetteer place, or nowhere.

    ``boundary_km`` is the resolution of the ``countries`` outlines, which sets
    the border tolerance (:func:`border_tolerance_km`).
    """
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
    (country_name,) = _per_unique(lambda c: (_country_label(c),), code)

    # The point must lie in the stated country, or within the border tolerance
    # for its precision (kept, with a note); a swap that puts it there repairs.
    # The bundled outlines check their own countries; the world's check the rest.
    # Hashed look-ups: numpy's isin sorts object arrays, slow at a million rows.
    codes = pd.Series(code, dtype=object)
    own = codes.isin(set(countries)).to_numpy(bool)
    in_world = ~own & codes.isin(world.checked_countries()).to_numpy(bool)
    checkable = finite & ~zero & (own | in_world)
    precision = cross.geo_precision.to_numpy(object)
    # Each distinct precision once (a million rows hold a handful).
    which, distinct = pd.factorize(precision, use_na_sentinel=False)
    allowed = np.array(
        [border_tolerance_km(g, boundary_km) for g in distinct], dtype=float
    )[which]

    def outside(mask: np.ndarray, x: np.ndarray, y: np.ndarray):
        """Distance outside the country (km) and the world check's note, for
        the rows of ``mask`` with the point at (x, y); the world check also
        gives those rows' tolerance."""
        km = np.full(n, np.inf)
        rows = mask & own
        km[rows] = _distances_outside(countries, code[rows], x[rows], y[rows])
        note = np.full(n, "", dtype=object)
        rows = np.flatnonzero(mask & in_world)
        if rows.size:
            found = world.check_borders(x[rows], y[rows], code[rows], precision[rows])
            km[rows] = found["distance_km"].to_numpy(float)
            allowed[rows] = found["tolerance_km"].to_numpy(float)
            note[rows] = found["note"].to_numpy(object)
        return km, note

    direct = checkable & in_range
    km, over_note = outside(direct, lon, lat)
    inside = direct & (km <= allowed)
    swappable = checkable & ~inside & (np.abs(lon) <= 90) & (np.abs(lat) <= 180)
    swapped_km, swapped_note = outside(swappable, lat, lon)
    swap = swappable & (swapped_km <= allowed)
    swapped = zip(lat_text[swap], lon_text[swap], country_name[swap], strict=True)
    reasons = [
        f"latitude and longitude were swapped: latitude {a}, longitude {o} lies "
        f"outside {c}, the swapped point inside it"
        for a, o, c in swapped
    ]
    issues.add(swap, "repaired", pair, reasons)
    lat[swap], lon[swap] = lon[swap], lat[swap]
    km[swap] = swapped_km[swap]
    over_note[swap] = swapped_note[swap]
    # Over the border by no more than the tolerance: kept, and said (the world
    # check words its own note, naming what the tolerance is made of).
    over = (inside | swap) & (km > 0)
    issues.add(
        over,
        "repaired",
        pair,
        [
            w
            or f"the point lies {_km(k)} outside {c}'s outline, within the "
            f"{t:g} km allowed for {'an' if g[:1] in 'aeiou' else 'a'} "
            f"{g or 'unknown'}-precision point; kept"
            for k, c, t, g, w in zip(
                km[over],
                country_name[over],
                allowed[over],
                precision[over],
                over_note[over],
                strict=True,
            )
        ],
    )
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
            f"latitude {a}, longitude {o} lies {k:,.1f} km outside {c} (more than "
            f"the {t:g} km allowed), and swapping them does not put it inside"
            for a, o, c, k, t in zip(
                lat_text[outside],
                lon_text[outside],
                country_name[outside],
                km[outside],
                allowed[outside],
                strict=True,
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
        if not hit.all():
            # What the bundled gazetteer does not place, the world's may.
            gazetteer, found, why = _world_lookup(
                gazetteer,
                found,
                why,
                ~hit,
                cross.place_name[lookup],
                _text(code[lookup]),
                _peek(source, cross.admin1_column)[lookup],
            )
            hit = np.array([p is not None for p in found], dtype=bool)
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
                f"{c}; placed from the {_which(places.at[p, 'ref'])}: "
                f"{places.at[p, 'name']}{_located(places, p)}{w}"
                for c, p, w in zip(
                    cause[placed], position[placed], why[hit], strict=True
                )
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
        gazetteer=gazetteer,
    )


def _peek(source: _Source, column: str) -> pd.Series:
    """A column's stripped text, empty markers blanked, read without counting as
    read: the admin-1 column only narrows a look-up, and is kept verbatim."""
    if not column or not source.has(column):
        return _text("", source.n)
    values = source.frame[source.names[column]].astype("str").reset_index(drop=True)
    values = values.str.strip()
    return values.where(~values.isin(EMPTY_MARKERS), "")


def _which(ref: str) -> str:
    return "world gazetteer" if ref.startswith("geonames:") else "gazetteer"


def _located(places: pd.DataFrame, position: int) -> str:
    """`` (Ninawa, IQ; GeoNames 99072)`` for a world gazetteer place, else ''."""
    ref = places.at[position, "ref"]
    if not ref.startswith("geonames:"):
        return ""
    return f" ({places.at[position, 'where']}; GeoNames {ref.split(':', 1)[1]})"


@lru_cache(maxsize=256)
def _admin1_known(country: str, admin1: str) -> bool:
    """Whether ``admin1`` names an admin-1 unit of ``country`` that the world
    gazetteer files places under (a region id, ISO 3166-2 or GeoNames code, or
    the unit's name)."""
    gazetteer = world.gazetteer()
    places = gazetteer.places
    units = places.loc[
        places["country"] == country, ["admin1", "gn_admin1", "admin1_name"]
    ].drop_duplicates()
    wanted, key = admin1.strip().upper(), world.gazetteer_key(admin1)
    return bool(
        (units["admin1"].str.upper() == wanted).any()
        or (units["gn_admin1"].str.upper() == wanted).any()
        or (key and units["admin1_name"].map(world.gazetteer_key).eq(key).any())
    )


def _world_place(name: str, country: str, admin1: str) -> tuple:
    """One place from the world gazetteer: ``(GazetteerPlace, note)`` or
    ``(None, why)``.

    The row's admin-1 narrows the search when the world gazetteer knows it (or
    either spelling of ``Name (Other name)``) as a unit of the country. A
    province the gazetteer does not know by that spelling (GTD's ``Nineveh`` for
    GeoNames' ``Ninawa``) cannot narrow it, so the name is looked up in the
    country alone and the note says so; nothing is guessed,
    since a name two places share in the country is still refused. Without a
    country the admin-1 is not used either (a unit's name alone says little),
    and the note says that too.
    """
    gazetteer = world.gazetteer()
    admin1 = admin1.strip()
    # GTD writes some provinces with a second spelling in brackets,
    # "Ninawa (Nineveh)": either part may be the one the gazetteer knows.
    inner = re.fullmatch(r"(.+?)\s*\((.+)\)", admin1)
    spellings = [admin1, *(inner.groups() if inner else ())]
    known = [a for a in spellings if country and _admin1_known(country, a.strip())]
    unknown_unit = bool(admin1 and country and not known)
    found = gazetteer.lookup(name, country, known[0].strip() if known else "")
    if isinstance(found, world.Refusal):
        return None, found.reason
    note = ""
    if unknown_unit:
        note = (
            f"; the admin-1 {admin1!r} is not a unit the world gazetteer knows in "
            f"{_country_label(country)}, so the name was looked up in the country "
            "alone"
        )
    elif admin1 and not country:
        note = (
            f"; the row names no country, so its admin-1 {admin1!r} was not used "
            "and the name was looked up in the whole world"
        )
    return found, note


def _world_lookup(
    gazetteer: Gazetteer,
    found: np.ndarray,
    why: np.ndarray,
    missed: np.ndarray,
    names: pd.Series,
    codes: pd.Series,
    admin1: pd.Series,
) -> tuple[Gazetteer, np.ndarray, np.ndarray]:
    """Look the ``missed`` rows up in the world gazetteer.

    Returns the gazetteer with the world places found appended to its places
    (``ref`` ``geonames:<id>``, ``place_id`` ``geonames-<id>``, with ``where``
    giving the unit and country), and ``found``/``why`` with those rows' positions
    in it, or their reasons: the bundled gazetteer's, then the world's.
    """
    found, why = found.copy(), why.copy()
    rows = np.flatnonzero(missed)
    places, notes = _per_unique(
        _world_place,
        names.iloc[rows].reset_index(drop=True),
        codes.iloc[rows].reset_index(drop=True),
        admin1.iloc[rows].reset_index(drop=True),
    )
    added: dict[int, int] = {}
    records = []
    start = len(gazetteer.places)
    precision = world.GAZETTEER_PRECISION
    kind = PRECISION_KINDS[precision]
    for row, place, note in zip(rows, places, notes, strict=True):
        if place is None:
            bundled = why[row]
            why[row] = (
                note
                if bundled == "is not in the gazetteer"
                else f"{bundled}; and in the world gazetteer it {note}"
            )
            continue
        if place.geonameid not in added:
            added[place.geonameid] = start + len(records)
            records.append(
                {
                    "ref": f"geonames:{place.geonameid}",
                    "place_id": f"geonames-{place.geonameid}",
                    "name": place.name,
                    "alt_names": "",
                    "kind": kind,
                    "country": place.country,
                    "admin1": place.admin1,
                    "precision": precision,
                    "lon": round(place.lon, 4),
                    "lat": round(place.lat, 4),
                    "geometry": shapely.Point(round(place.lon, 4), round(place.lat, 4)),
                    "geometry_source": f"{place.source}, from the world gazetteer "
                    "(GeoNames, CC BY 4.0)",
                    "where": place.label(),
                }
            )
        found[row] = added[place.geonameid]
        why[row] = note
    if records:
        frame = pd.concat([gazetteer.places, pd.DataFrame(records)], ignore_index=True)
        frame["where"] = frame["where"].fillna("")
        gazetteer = Gazetteer(frame, gazetteer.index)
    return gazetteer, found, why


def _point_names(names: np.ndarray, lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """A place name for each point: its own, else the point as ``lat, lon``."""
    unnamed = names == ""
    shown = names.copy()
    if unnamed.any():
        shown[unnamed] = [
            f"{a:.4f}, {o:.4f}" for a, o in zip(lat[unnamed], lon[unnamed], strict=True)
        ]
    return shown


def _place_table(
    fmt: str,
    name: str,
    cross: _Crosswalk,
    placed: _Placed,
    gazetteer: Gazetteer,
    k: np.ndarray,
) -> _PlaceTable:
    """The named places of the kept rows ``k``, and the rows that keep their point.

    A row placed from the gazetteer is at that named place; a native row with a
    ``place_id`` at the place it names. Every other row with a usable point keeps
    the point as its own coordinates: no place is made for it, so a file of a
    million geocoded events gives no million places.
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
    named = has_place & (from_gazetteer | (given_id != ""))
    own_point = has_place & ~named
    own_name = cross.place_name.to_numpy(object)[k]
    if cross.native is not None:
        own_name = np.where(
            cross.native["place_id"].to_numpy(object)[k] == own_name, "", own_name
        )
    point_name = np.full(k.size, "", dtype=object)
    point_name[own_point] = _point_names(
        own_name[own_point], lat[own_point], lon[own_point]
    )
    point_country = np.where(own_point, placed.country[k], "").astype(object)
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
            "position": position[named],
            "name": np.where(from_gazetteer, "", own_name)[named],
            "country": np.where(from_gazetteer, "", placed.country[k])[named],
            "lat": np.where(from_gazetteer, 0.0, lat)[named],
            "lon": np.where(from_gazetteer, 0.0, lon)[named],
            "given": np.where(from_gazetteer, "", given_id)[named],
        }
    )
    index = np.full(k.size, -1, dtype=np.int64)
    index[named] = key.groupby(list(key.columns), sort=False).ngroup().to_numpy()
    unique = key.drop_duplicates().reset_index(drop=True)
    finest = np.full(len(unique), len(GEO_PRECISIONS) - 1, dtype=np.int64)
    np.minimum.at(finest, index[named], rank[named])
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
    given_ok = _text(given).str.fullmatch(SLUG.pattern).to_numpy(bool)
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
        for i in np.flatnonzero(named & (given_id != "")):
            new = place_ids[index[i]]
            if new != given_id[i]:
                why = (
                    f"{given_id[i]!r} is not a slug"
                    if not SLUG.fullmatch(given_id[i])
                    else f"{given_id[i]!r} also names another place"
                )
                changes.append(
                    (int(kept_positions[i]), f"{why}; this row's place is {new}")
                )
    return _PlaceTable(
        index=index,
        places=places,
        anchor_lat=anchor_lat,
        anchor_lon=anchor_lon,
        point=own_point,
        lat=np.where(own_point, lat, np.nan),
        lon=np.where(own_point, lon, np.nan),
        name=point_name,
        country=point_country,
        changes=changes,
    )
