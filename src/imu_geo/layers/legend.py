"""The map's legend, drawn as SVG in the colours of the layers."""

from __future__ import annotations

from imu_geo.layers.common import (
    ATTACK_COLOURS,
    BASE_COLOUR,
    CONTEXT_COLOUR,
    Colour,
)

__all__ = [
    "map_legend_svg",
]


def _svg_colour(colour: Colour, alpha: float = 1.0) -> str:
    return f"rgba({colour[0]},{colour[1]},{colour[2]},{alpha})"


def map_legend_svg() -> str:
    """The legend as an SVG document, built from the constants above only."""
    rows: list[str] = []
    y = 14

    def heading(text: str) -> None:
        nonlocal y
        rows.append(
            f'<text x="4" y="{y}" font-weight="bold" font-size="12">{text}</text>'
        )
        y += 18

    def entry(symbol: str, label: str) -> None:
        """One line of the legend: its symbol, then its label."""
        nonlocal y
        rows.append(f'{symbol}<text x="26" y="{y}" font-size="12">{label}</text>')
        y += 18

    def dot(colour: Colour, label: str, alpha: float = 0.9, r: int = 6) -> None:
        entry(
            f'<circle cx="12" cy="{y - 4}" r="{r}" fill="{_svg_colour(colour, alpha)}" '
            f'stroke="{_svg_colour(colour)}" stroke-width="2"/>',
            label,
        )

    base_line = _svg_colour(BASE_COLOUR)
    heading("Attacks (size: fatalities)")
    for event_type, colour in ATTACK_COLOURS.items():
        dot(colour, event_type.replace("_", " "))
    heading("Bases and context")
    entry(
        f'<rect x="5" y="{y - 11}" width="14" height="12" '
        f'fill="{_svg_colour(BASE_COLOUR, 0.2)}" stroke="{base_line}" '
        f'stroke-width="2"/>',
        "base (area)",
    )
    # Equivalent if the alpha is dropped: 0.9 is also the default of ``dot``.
    dot(BASE_COLOUR, "base (town)", alpha=0.9)  # pragma: no mutate
    entry(
        f'<path d="M4,{y - 2} Q12,{y - 14} 20,{y - 2}" fill="none" '
        f'stroke="{base_line}" stroke-width="2"/>',
        "base moved to next",
    )
    dot(CONTEXT_COLOUR, "context event", r=5)
    heading("How sure")
    dot(CONTEXT_COLOUR, "solid: date to the day or month")
    dot(CONTEXT_COLOUR, "hollow: season, year or range", alpha=0.15)
    faint = _svg_colour(CONTEXT_COLOUR, 0.12)
    rows.append(
        f'<circle cx="12" cy="{y - 2}" r="9" fill="{faint}" '
        f'stroke="{_svg_colour(CONTEXT_COLOUR, 0.4)}"/>'
        f'<circle cx="12" cy="{y - 2}" r="3" fill="{_svg_colour(CONTEXT_COLOUR)}"/>'
        f'<text x="26" y="{y}" font-size="12">halo: place known only roughly</text>'
    )
    y += 8
    body = "".join(rows)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="230" height="{y + 6}" '
        f'font-family="Helvetica, Arial, sans-serif" fill="#333">{body}</svg>'
    )
