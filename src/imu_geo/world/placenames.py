"""Where is a place named without coordinates: the world gazetteer (GeoNames
populated places) finds one place by name, or refuses and lists the
candidates."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd

from imu_geo.text import normalise_name
from imu_geo.world.files import (
    GAZETTEER_COLUMNS,
    GAZETTEER_FILE,
    WORLD_DIR,
    country_name,
)

# What a place found in the gazetteer stands for: a GeoNames populated place is
# the town's point, and the event happened in or near the town.
GAZETTEER_PRECISION = "near"


# Names a refusal lists before "and N more".
SHOWN_CANDIDATES = 8


# Words a place name may carry that the gazetteer does not ("Kunduz city").
_SUFFIXES = re.compile(r"\s+(?:city|town|village)$")


# Apostrophes, the ayn and hamza of Arabic transliteration, full stops, commas.
_DROPPED = str.maketrans("", "", "'ʿʾ.,")


def gazetteer_key(text: str) -> str:
    """A name as the world gazetteer compares it: :func:`normalise_name`, then
    without apostrophes (with the ayn ``ʿ`` and hamza ``ʾ`` of transliterated
    Arabic), full stops and commas: ``Maʿarrat al-Nuʿman``, ``Ma'arrat al-Nu'man``
    and ``Maarrat al Numan`` agree, as do ``St. Louis`` and ``St Louis``."""
    return " ".join(normalise_name(text).translate(_DROPPED).split())


@dataclass(frozen=True)
class GazetteerPlace:
    """One place of the world gazetteer, as a lookup returns it.

    ``precision`` is what the point stands for (:data:`GAZETTEER_PRECISION`);
    ``source`` says where it comes from, for the import report and ``notes``.
    """

    geonameid: int
    name: str
    country: str
    admin1: str
    admin1_name: str
    lat: float
    lon: float
    population: int
    precision: str = GAZETTEER_PRECISION

    @property
    def source(self) -> str:
        return f"GeoNames {self.geonameid} ({self.name}, {self.label()})"

    def label(self) -> str:
        """``Illinois, US``: where the place is, in words."""
        return ", ".join(filter(None, (self.admin1_name, self.country)))


@dataclass(frozen=True)
class Refusal:
    """Why a name found no single place; ``reason`` completes "'<name>' ..."."""

    reason: str
    candidates: tuple[GazetteerPlace, ...] = field(default=())


@dataclass(frozen=True)
class WorldGazetteer:
    """GeoNames populated places by name (``data/world/gazetteer.csv``).

    ``places`` has one row per place (the columns of the CSV); ``index`` maps a
    :func:`gazetteer_key` to ``(tier, position)`` pairs, tier 1 for a place's own
    name and 2 for an alternate name; a lower tier wins.
    """

    places: pd.DataFrame
    index: dict[str, tuple[tuple[int, int], ...]]

    @classmethod
    def from_frame(cls, places: pd.DataFrame) -> WorldGazetteer:
        places = places.reset_index(drop=True)
        names = pd.DataFrame(
            {"text": places["name"], "tier": 1, "position": places.index}
        )
        alternates = places["alt_names"].str.split("|").explode()
        alternates = pd.DataFrame(
            {"text": alternates.to_numpy(), "tier": 2, "position": alternates.index}
        )
        pairs = pd.concat([names, alternates], ignore_index=True)
        pairs = pairs[pairs["text"].fillna("") != ""]
        # Each distinct spelling is normalised once.
        unique = pd.unique(pairs["text"])
        keys = dict(zip(unique, map(gazetteer_key, unique), strict=True))
        pairs["key"] = pairs["text"].map(keys)
        pairs = pairs[pairs["key"] != ""]
        found: dict[str, list[tuple[int, int]]] = {}
        for key, tier, position in zip(
            pairs["key"].tolist(),
            pairs["tier"].tolist(),
            pairs["position"].tolist(),
            strict=True,
        ):
            found.setdefault(key, []).append((tier, position))
        index = {key: tuple(sorted(set(value))) for key, value in found.items()}
        return cls(places, index)

    def __post_init__(self) -> None:
        # Plain lists: a look-up reads a few cells, and a list is read in
        # nanoseconds where a frame's cell takes microseconds.
        columns = {c: self.places[c].tolist() for c in GAZETTEER_COLUMNS}
        object.__setattr__(self, "_columns", columns)

    def place(self, position: int) -> GazetteerPlace:
        c = self._columns
        return GazetteerPlace(
            geonameid=int(c["geonameid"][position]),
            name=str(c["name"][position]),
            country=str(c["country"][position]),
            admin1=str(c["admin1"][position]),
            admin1_name=str(c["admin1_name"][position]),
            lat=float(c["lat"][position]),
            lon=float(c["lon"][position]),
            population=int(c["population"][position]),
        )

    def _candidates(self, key: str) -> list[tuple[int, int]]:
        found = list(self.index.get(key, ()))
        if not found:
            bare = _SUFFIXES.sub("", key)
            if bare != key:
                found = list(self.index.get(bare, ()))
        return found

    def _in_admin1(self, position: int, wanted: str) -> bool:
        c = self._columns
        key = gazetteer_key(wanted)
        return wanted.strip().upper() in (
            c["admin1"][position].upper(),
            c["gn_admin1"][position].upper(),
        ) or (bool(key) and key == gazetteer_key(c["admin1_name"][position]))

    def _narrow(
        self,
        candidates: list[tuple[int, int]],
        keep: Callable[[int], bool],
        refusal: Callable[[list[int]], str],
    ) -> list[tuple[int, int]] | Refusal:
        """The ``(tier, position)`` candidates whose place ``keep`` accepts, or,
        if none is, a refusal worded by ``refusal`` from the others."""
        inside = [(tier, p) for tier, p in candidates if keep(p)]
        if inside:
            return inside
        others = sorted({p for _, p in candidates})
        shown = tuple(self.place(p) for p in others[:SHOWN_CANDIDATES])
        return Refusal(refusal(others), shown)

    def _listing(self, positions: list[int], with_country: bool) -> str:
        places = [self.place(p) for p in positions]
        places.sort(key=lambda p: (-p.population, p.geonameid))
        shown = [
            f"{p.name} ({p.label() if with_country else p.admin1_name or 'no admin-1'})"
            for p in places[:SHOWN_CANDIDATES]
        ]
        more = len(places) - SHOWN_CANDIDATES
        return ", ".join(shown) + (f" and {more} more" if more > 0 else "")

    def lookup(
        self, name: str, country: str = "", admin1: str = ""
    ) -> GazetteerPlace | Refusal:
        """One place by name, within ``country`` (ISO alpha-2) and ``admin1``
        (a region id, an ISO 3166-2 or GeoNames admin-1 code, or the unit's name)
        when given; otherwise a :class:`Refusal` that names the candidates.

        Nothing is guessed: a name that several places share at the best tier is
        refused, however large one of them is.
        """
        key = gazetteer_key(name)
        if not key:
            return Refusal("is not a place name")
        candidates = self._candidates(key)
        if not candidates:
            return Refusal("is not in the world gazetteer")
        country = (country or "").strip().upper()
        where = ""
        if country:
            candidates = self._narrow(
                candidates,
                lambda p: self._columns["country"][p] == country,
                lambda others: (
                    f"is in the world gazetteer only outside {country_name(country)}: "
                    f"{self._listing(others, True)}"
                ),
            )
            if isinstance(candidates, Refusal):
                return candidates
            where = f" in {country_name(country)}"
        if admin1 and admin1.strip():
            candidates = self._narrow(
                candidates,
                lambda p: self._in_admin1(p, admin1),
                lambda others: (
                    f"names no place{where} in the admin-1 unit {admin1.strip()!r}; "
                    f"there are {self._listing(others, not country)}"
                ),
            )
            if isinstance(candidates, Refusal):
                return candidates
            where += f" in {admin1.strip()}"
        best = min(tier for tier, _ in candidates)
        chosen = sorted({p for tier, p in candidates if tier == best})
        if len(chosen) == 1:
            return self.place(chosen[0])
        ask = "give the admin-1" if country else "give the country or admin-1"
        return Refusal(
            f"names {len(chosen)} places{where}: "
            f"{self._listing(chosen, not country)}; {ask}",
            tuple(self.place(p) for p in chosen[:SHOWN_CANDIDATES]),
        )


@lru_cache(maxsize=2)
def gazetteer(directory: Path = WORLD_DIR) -> WorldGazetteer:
    """The world gazetteer, read once (a few seconds)."""
    places = pd.read_csv(
        Path(directory) / GAZETTEER_FILE,
        dtype=str,
        keep_default_na=False,
        encoding="utf-8",
    )
    places["lat"] = places["lat"].astype(float)
    places["lon"] = places["lon"].astype(float)
    places["population"] = places["population"].astype(int)
    return WorldGazetteer.from_frame(places)
