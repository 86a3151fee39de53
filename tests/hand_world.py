"""A world folder drawn by hand: the ``countries.geojson`` and ``admin1.geojson``
of three countries, small enough that where each point lies can be read off the
drawing. Shared by the tests of the world's points and regions.

    y=2  +---------+---------+-------------------+        +----+---------+
         |   (AA, no unit)   |   (BB, no unit)   |        |    |         |
    1.9  +---------+---------+-------------------+        | CC, no unit  |
         |  AA-1   |  AA-2   |       BB-1        |    1   +----+         |
         | "Ay One"| "Ay Two"|     "Bee One"     |        |BB-2|         |
    y=0  +---------+---------+-------------------+        +----+---------+
         x=0      x=1       x=2                 x=4      x=10 x=11      x=12

Countries: AA = x 0..2, BB = x 2..4, CC = x 10..12 (all y 0..2). The units stop
at y = 1.9, so the strip above them lies in a country but in none of its units
(the sliver a simplified unit leaves along a coast). BB-2 ("Bee Two") is a unit
of BB inside CC's outline, as Natural Earth puts Crimea (a unit of Russia) in
Ukraine's outline. CC has no unit of its own.

Each file lists its features out of ``region_id`` order (BB before AA, AA-2
before AA-1), so an answer that follows the file's order and one that follows
the ids differ on the lines between them.
"""

from __future__ import annotations

import json
from pathlib import Path

from shapely.geometry import box, mapping

COUNTRIES = [
    # region_id, name, geometry; the country code is the region_id
    ("BB", "Bland", box(2, 0, 4, 2)),
    ("AA", "Aland", box(0, 0, 2, 2)),
    ("CC", "Cland", box(10, 0, 12, 2)),
]
UNITS = [
    # region_id, name, country, geometry
    ("BB-1", "Bee One", "BB", box(2, 0, 4, 1.9)),
    ("AA-2", "Ay Two", "AA", box(1, 0, 2, 1.9)),
    ("AA-1", "Ay One", "AA", box(0, 0, 1, 1.9)),
    ("BB-2", "Bee Two", "BB", box(10, 0, 11, 1)),
]


def _collection(features: list[dict]) -> str:
    return json.dumps({"type": "FeatureCollection", "features": features})


def _feature(region_id, name, level, country, shape) -> dict:
    west, south, east, north = shape.bounds  # the label at the box's centre
    properties = {
        "region_id": region_id,
        "name": name,
        "level": level,
        "country": country,
        "label_lat": (south + north) / 2,
        "label_lon": (west + east) / 2,
    }
    return {"type": "Feature", "properties": properties, "geometry": mapping(shape)}


def write_hand_world(directory: Path) -> Path:
    """Write the drawing's two files into ``directory``; return it."""
    directory.mkdir(parents=True, exist_ok=True)
    nations = [_feature(c, name, "country", c, g) for c, name, g in COUNTRIES]
    (directory / "countries.geojson").write_text(_collection(nations))
    units = [_feature(r, name, "admin1", c, g) for r, name, c, g in UNITS]
    (directory / "admin1.geojson").write_text(_collection(units))
    return directory
