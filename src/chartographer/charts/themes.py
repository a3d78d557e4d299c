"""Themes, backgrounds and named palettes, resolved to colours in one place.

Pure data and lookups, shared by the params layer (which turns ``theme=``,
``background=`` and ``palette=`` into spec colours) and every renderer (which
asks :func:`theme_colors` for the ink, grid and axis-line colours).

Palettes marked *colour-blind safe* keep their colours apart for the common
forms of colour-vision deficiency (deuteranopia, protanopia, tritanopia):
``okabe-ito`` (Okabe & Ito 2008), ``tol-bright`` (Paul Tol), ``ibm`` (IBM
Design) and ``viridis``. ``tableau10`` — the default — is mostly safe too.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Literal

from chartographer.errors import InvalidParameter

Theme = Literal["light", "dark"]
THEMES: tuple[Theme, ...] = ("light", "dark")
#: ``background=transparent``: no background at all (PNG and WebP keep the alpha)
TRANSPARENT = "#FFFFFF00"


@dataclass(frozen=True)
class ThemeColors:
    background: str
    ink: str
    grid: str
    line: str


_COLORS = {
    "light": ThemeColors(background="#FFFFFF", ink="#333333", grid="#DDDDDD", line="#999999"),
    "dark": ThemeColors(background="#1E1E1E", ink="#E0E0E0", grid="#3A3A3A", line="#8A8A8A"),
}

PALETTES: dict[str, tuple[str, ...]] = {
    # Tableau 10 (2016 edition): the default
    "tableau10": (
        "#4E79A7", "#F28E2B", "#59A14F", "#E15759", "#76B7B2",
        "#EDC948", "#B07AA1", "#FF9DA7", "#9C755F", "#BAB0AC",
    ),
    # Okabe & Ito, "Color Universal Design": colour-blind safe
    "okabe-ito": (
        "#E69F00", "#56B4E9", "#009E73", "#F0E442",
        "#0072B2", "#D55E00", "#CC79A7", "#999999",
    ),
    # Paul Tol's "bright" qualitative scheme: colour-blind safe
    "tol-bright": ("#4477AA", "#EE6677", "#228833", "#CCBB44", "#66CCEE", "#AA3377", "#BBBBBB"),
    # IBM Design Library: colour-blind safe
    "ibm": ("#648FFF", "#785EF0", "#DC267F", "#FE6100", "#FFB000"),
    # viridis sampled at 8 steps: colour-blind safe, ordered dark to light
    "viridis": (
        "#440154", "#46327E", "#365C8D", "#277F8E",
        "#1FA187", "#4AC16D", "#A0DA39", "#FDE725",
    ),
    # d3 / matplotlib "category10"
    "category10": (
        "#1F77B4", "#FF7F0E", "#2CA02C", "#D62728", "#9467BD",
        "#8C564B", "#E377C2", "#7F7F7F", "#BCBD22", "#17BECF",
    ),
    "grayscale": ("#252525", "#636363", "#969696", "#BDBDBD", "#D9D9D9"),
}  # fmt: skip
DEFAULT_PALETTE_NAME = "tableau10"
COLOR_BLIND_SAFE = ("okabe-ito", "tol-bright", "ibm", "viridis")


def theme_colors(theme: str) -> ThemeColors:
    """Background, text, grid and axis-line colours of ``theme`` (``light`` if unknown)."""
    return _COLORS.get(theme, _COLORS["light"])


#: the light theme's colours as the drawing modules name them, by role
LIGHT_ROLES = {
    "ink": ("#333333",),  # titles, labels, legends, value labels, the gauge hub
    "muted": ("#555555", "#777777"),  # secondary text: gauge ends, radar rings
    "grid": ("#DDDDDD", "#CCCCCC"),  # gridlines, radar webs, Google chg
    "line": ("#999999", "#666666"),  # axis lines, tick marks, leader lines
}
_MUTED = {"light": "#777777", "dark": "#B0B0B0"}


@cache
def recolor(theme: str) -> dict[str, str]:
    """``#RRGGBB`` (upper case) → the colour ``theme`` draws it in: the light theme's
    ink, grid and line colours become the theme's own. Empty for ``light``."""
    if theme == "light" or theme not in _COLORS:
        return {}
    colors = _COLORS[theme]
    target = {"ink": colors.ink, "muted": _MUTED[theme], "grid": colors.grid, "line": colors.line}
    return {light: target[role] for role, names in LIGHT_ROLES.items() for light in names}


def palette(name: str, param: str = "palette") -> tuple[str, ...]:
    """The colours of the palette called ``name``; an unknown name is a 422."""
    key = name.strip().lower()
    if key not in PALETTES:
        raise InvalidParameter(
            f"{param}: {name[:40]!r} is not a palette; use one of {', '.join(PALETTES)}",
            param=param,
        )
    return PALETTES[key]


def is_transparent(color: str) -> bool:
    """``#RRGGBB00``: nothing is painted."""
    return len(color) == 9 and color[7:].upper() == "00"


def has_alpha(color: str) -> bool:
    """A colour a raster must keep an alpha channel for (``#RRGGBBAA`` with AA < FF)."""
    return len(color) == 9 and color[7:].upper() != "FF"
