"""The picture's page: its size, fonts and ink, and matplotlib's settings.

Pixels are the unit of the layout; the helpers here turn them into
matplotlib's points and 8-bit colours into its 0-1 floats.
"""

from __future__ import annotations

import threading

from imu_geo.layers import Colour

__all__ = [
    "DPI",
    "DRAWING_LOCK",
    "FONT",
    "FRAME",
    "INK",
    "MUTED",
    "PICTURE_SIZE",
    "RC",
]

DPI = 100
PICTURE_SIZE = (1280, 800)
FONT = "DejaVu Sans"
# Matplotlib settings that change the bytes written. The lock makes drawing and
# saving with them one at a time: rcParams are global to the process.
RC = {
    "font.family": FONT,
    "svg.fonttype": "none",  # SVG text stays text, findable and editable
    "svg.hashsalt": "imu-geo",  # fixed ids in the SVG
    "path.simplify": True,
}
DRAWING_LOCK = threading.RLock()

INK = "#333333"
MUTED = "#666666"
FRAME = "#bbbbbb"


def _rgba(colour: Colour, alpha: float = 255) -> tuple[float, float, float, float]:
    """An 8-bit colour and alpha (0-255) as matplotlib's 0-1 floats."""
    return (colour[0] / 255, colour[1] / 255, colour[2] / 255, alpha / 255)


def _pt(pixels: float) -> float:
    """Pixels at :data:`DPI` as points, matplotlib's unit for sizes and widths."""
    return pixels * 72 / DPI


def _text(target, x: float, y: float, text: str, **style):
    """Text on an axes or a figure, shown as written: matplotlib would read a
    pair of ``$`` in a title or a file name as mathematics."""
    return target.text(x, y, text, parse_math=False, **style)


def _marker_area(radius_px: float) -> float:
    """A scatter marker's area (points squared) for a dot of ``radius_px``."""
    return (2 * _pt(radius_px)) ** 2
