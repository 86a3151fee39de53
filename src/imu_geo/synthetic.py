"""Synthetic event datasets in the atlas's schema, for measuring speed at scale.

The events are made up and say so in every row (``source`` and ``title``); they
are never shipped with the atlas. What is realistic is their shape: events
cluster around a few dozen hubs (the atlas's own place points), a few hubs carry
most of them (a Zipf-like weight), each hub is active for a stretch of years
rather than evenly over 1991-2015, and dates and places come in every precision
the schema knows. The same ``n`` and ``seed`` always give the same files.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely import points as make_points

from imu_geo.schema import EVENT_COLUMNS, EVENT_TYPES
from imu_geo.validate import EVENTS_FILE, PLACES_FILE, REGIONS_FILE

FIRST_DAY = pd.Timestamp("1991-01-01")
LAST_DAY = pd.Timestamp("2015-12-31")
SOURCE = "Synthetic benchmark data (imu-geo); not a historical record"
PLACES_PER_HUB = 12
HUB_SPREAD_DEG = 0.35


def _hubs(bundled: Path) -> gpd.GeoDataFrame:
    places = gpd.read_file(bundled / PLACES_FILE)
    hubs = places[(places.geom_type == "Point") & (places["country"].str.len() == 2)]
    return hubs.sort_values("place_id").reset_index(drop=True)


def synthetic_places(bundled: Path, seed: int = 0) -> gpd.GeoDataFrame:
    """Points scattered around each hub, kept only inside the hub's country."""
    rng = np.random.default_rng(seed)
    hubs = _hubs(bundled)
    regions = gpd.read_file(bundled / REGIONS_FILE)
    countries = regions[regions["level"] == "country"].set_index("region_id")
    rows = []
    for hub in hubs.itertuples(index=False):
        boundary = countries.geometry.get(hub.country)
        kept = 0
        while kept < PLACES_PER_HUB:
            xy = rng.normal((hub.geometry.x, hub.geometry.y), HUB_SPREAD_DEG, (64, 2))
            candidates = make_points(np.round(xy, 4))
            inside = (
                candidates
                if boundary is None
                else candidates[boundary.contains(candidates)]
            )
            for point in inside[: PLACES_PER_HUB - kept]:
                rows.append(
                    {
                        "place_id": f"syn-{hub.place_id}-{kept:02d}",
                        "name": f"Synthetic place {kept + 1} near {hub.name}",
                        "alt_names": "",
                        "kind": "city",
                        "country": hub.country,
                        "admin1": "",
                        "hub": hub.place_id,
                        "geometry": point,
                    }
                )
                kept += 1
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")


def synthetic_events(places: gpd.GeoDataFrame, n: int, seed: int = 0) -> pd.DataFrame:
    """``n`` events as text columns, ready to write as ``events.csv``."""
    rng = np.random.default_rng(seed + 1)
    hubs = places["hub"].unique()
    weights = 1.0 / np.arange(1, len(hubs) + 1) ** 1.1
    weights = rng.permutation(weights / weights.sum())
    hub_of = rng.choice(len(hubs), size=n, p=weights)
    place_index = hub_of * PLACES_PER_HUB + rng.integers(0, PLACES_PER_HUB, size=n)
    place_ids = places["place_id"].to_numpy()[place_index]

    # Each hub is active over its own years; events fall within them.
    total_days = (LAST_DAY - FIRST_DAY).days
    # Starts spread evenly (in a random hub order) so that together the hubs
    # cover 1991-2015, as the atlas does.
    spread = np.linspace(0, total_days - 3 * 365, len(hubs)).astype("int64")
    active_start = rng.permutation(spread)
    active_length = rng.integers(3 * 365, 9 * 365, size=len(hubs))
    offset = (rng.random(n) * active_length[hub_of]).astype("int64")
    day = FIRST_DAY + pd.to_timedelta(
        np.minimum(active_start[hub_of] + offset, total_days), unit="D"
    )

    precision = rng.choice(["day", "month", "year"], size=n, p=[0.7, 0.2, 0.1])
    start = pd.Series(day)
    end = start.copy()
    month = precision == "month"
    year = precision == "year"
    start[month] = start[month].dt.to_period("M").dt.start_time
    end[month] = start[month] + pd.offsets.MonthEnd(0)
    start[year] = start[year].dt.to_period("Y").dt.start_time
    end[year] = start[year] + pd.offsets.YearEnd(0)

    layer = rng.choice(["attack", "context", "base"], size=n, p=[0.6, 0.32, 0.08])
    event_type = np.empty(n, dtype=object)
    for name, types in EVENT_TYPES.items():
        chosen = layer == name
        event_type[chosen] = rng.choice(types, size=int(chosen.sum()))
    fatalities = rng.poisson(2.0, size=n) * (layer == "attack")
    known = (layer == "attack") & (rng.random(n) < 0.8)
    best = np.where(known, fatalities.astype(str), "")
    numbers = np.arange(1, n + 1).astype(str)
    events = pd.DataFrame(
        {
            "event_id": np.char.add("syn-", np.char.zfill(numbers, 7)),
            "date_start": start.dt.strftime("%Y-%m-%d").to_numpy(),
            "date_end": end.dt.strftime("%Y-%m-%d").to_numpy(),
            "date_precision": precision,
            "date_origin": "source",
            "layer": layer,
            "event_type": event_type,
            "place_id": place_ids,
            "geo_precision": rng.choice(
                ["exact", "near", "district"], size=n, p=[0.5, 0.3, 0.2]
            ),
            "place_origin": "source",
            "actors": rng.choice(["IMU", "IMU;Taliban", "IJU", "State forces"], n),
            "target": "",
            "fatalities_low": best,
            "fatalities_best": best,
            "fatalities_high": best,
            "attribution": rng.choice(
                ["claimed", "attributed", "suspected"], size=n, p=[0.2, 0.5, 0.3]
            ),
            "title": np.char.add("Synthetic event ", numbers),
            "description": "A made-up event for measuring speed.",
            "source_quote": "synthetic",
            "source": SOURCE,
            "notes": "",
        }
    )
    return events[list(EVENT_COLUMNS)]


def write_synthetic(directory: Path, n: int, bundled: Path, seed: int = 0) -> Path:
    """Write a complete data directory of ``n`` synthetic events; return it.

    ``regions.geojson`` is the bundled one; places and events are generated.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(bundled / REGIONS_FILE, directory / REGIONS_FILE)
    places = synthetic_places(bundled, seed)
    features = [
        {
            "type": "Feature",
            "properties": {
                key: value
                for key, value in row.items()
                if key not in ("geometry", "hub")
            },
            "geometry": {
                "type": "Point",
                "coordinates": [row["geometry"].x, row["geometry"].y],
            },
        }
        for row in places.to_dict("records")
    ]
    (directory / PLACES_FILE).write_text(
        json.dumps({"type": "FeatureCollection", "features": features}),
        encoding="utf-8",
    )
    synthetic_events(places, n, seed).to_csv(directory / EVENTS_FILE, index=False)
    return directory
