"""An organization's colour on the public pages, kept readable (WCAG 2.1 AA, 1.4.3 and 1.4.11).

The record's ``primary_colour`` is whatever the organization chose. On the page it is used for
links and buttons, so it must reach 4.5:1 against the white page, and the button label must reach
4.5:1 against it. ``accent`` darkens a colour that is too light, keeping its hue, until it does.
Formulas: WCAG 2.1, "relative luminance" and "contrast ratio" definitions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DEFAULT_ACCENT = "#0b5394"
WHITE = "#ffffff"
BLACK = "#000000"
AA_TEXT = 4.5
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(max(0, min(255, c))):02x}" for c in rgb)


def luminance(colour: str) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@dataclass(frozen=True)
class Theme:
    accent: str  # links, focus ring, button background: ≥ 4.5:1 on white
    on_accent: str  # button label: ≥ 4.5:1 on the accent

    def css(self) -> str:
        return f":root {{ --accent: {self.accent}; --on-accent: {self.on_accent}; }}\n"


def theme_for(primary_colour: str) -> Theme:
    """The readable theme closest to ``primary_colour`` (#rrggbb; blank for the default)."""
    colour = primary_colour.lower() if _HEX.match(primary_colour or "") else DEFAULT_ACCENT
    red, green, blue = _rgb(colour)
    for step in range(101):
        factor = 1 - step / 100
        candidate = _hex((red * factor, green * factor, blue * factor))
        if contrast(candidate, WHITE) >= AA_TEXT:
            colour = candidate
            break
    on_accent = WHITE if contrast(colour, WHITE) >= contrast(colour, BLACK) else BLACK
    return Theme(colour, on_accent)
