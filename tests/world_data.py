"""A small data folder outside Central Asia, for the tests of the world maps.

The places are real (GeoNames points from ``data/world/gazetteer.csv``, as the
world gazetteer finds them by name); the events are made up and say so in every
row, like :mod:`imu_geo.synthetic`'s. The regions are what
:func:`imu_geo.world.regions_for` gives for the countries of the places.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from imu_geo import world
from imu_geo.schema import EVENT_COLUMNS
from imu_geo.validate import EVENTS_FILE, PLACES_FILE, REGIONS_FILE

SOURCE = "Synthetic test data (imu-geo); not a historical record"
SYRIA_IRAQ = (
    ("Aleppo", "SY"),
    ("Raqqa", "SY"),
    ("Dayr az Zawr", "SY"),
    ("Homs", "SY"),
    ("Mosul", "IQ"),
    ("Baghdad", "IQ"),
    ("Fallujah", "IQ"),
    ("Kirkuk", "IQ"),
)
BENIN = (("Cotonou", "BJ"), ("Parakou", "BJ"), ("Porto-Novo", "BJ"))
# Each place gets these events: (layer, event_type, date, fatalities).
PATTERN = (
    ("attack", "bombing", "2014-06-10", "3"),
    ("attack", "armed_assault", "2014-11-02", "7"),
    ("context", "statement", "2015-03-15", ""),
)


def write_world_dataset(directory: Path, names=SYRIA_IRAQ) -> Path:
    """Write events, places and regions for ``names`` ((name, country) pairs)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    gazetteer = world.gazetteer()
    features, rows = [], []
    for name, country in names:
        place = gazetteer.lookup(name, country)
        assert isinstance(place, world.GazetteerPlace), place.reason
        place_id = world.gazetteer_key(name).replace(" ", "-")
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "place_id": place_id,
                    "name": place.name,
                    "alt_names": "",
                    "kind": "city",
                    "country": place.country,
                    "admin1": place.admin1,
                    "geometry_source": place.source,
                    "note": "",
                },
                "geometry": {"type": "Point", "coordinates": [place.lon, place.lat]},
            }
        )
        for k, (layer, event_type, day, killed) in enumerate(PATTERN, start=1):
            rows.append(
                dict.fromkeys(EVENT_COLUMNS, "")
                | {
                    "event_id": f"{day[:4]}-{place_id}-synthetic-{k}",
                    "date_start": day,
                    "date_end": day,
                    "date_precision": "day",
                    "date_origin": "source",
                    "layer": layer,
                    "event_type": event_type,
                    "place_id": place_id,
                    "geo_precision": "near",
                    "place_origin": "source",
                    "actors": "Synthetic actor",
                    "fatalities_low": killed,
                    "fatalities_best": killed,
                    "fatalities_high": killed,
                    "attribution": "attributed",
                    "title": f"Synthetic event {k} at {place.name}",
                    "description": "A made-up event for testing the world maps.",
                    "source_quote": "synthetic",
                    "source": SOURCE,
                }
            )
    (directory / PLACES_FILE).write_text(
        json.dumps({"type": "FeatureCollection", "features": features}),
        encoding="utf-8",
    )
    regions = world.regions_for(country for _, country in names)
    (directory / REGIONS_FILE).write_text(
        json.dumps(world.regions_feature_collection(regions)), encoding="utf-8"
    )
    rows.sort(key=lambda r: (r["date_start"], r["event_id"]))
    with (directory / EVENTS_FILE).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(EVENT_COLUMNS))
        writer.writeheader()
        writer.writerows(rows)
    return directory
