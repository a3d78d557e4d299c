"""Fonts for every script: the ``font`` parameter, fallbacks, right-to-left text.

Renderers draw with a family *list*: the chosen family (``font=``, default
DejaVu Sans) first, then the Noto families that cover what it lacks — CJK,
Arabic, Hebrew, symbols and emoji — so a glyph missing from the first font is
taken from the next (matplotlib's per-glyph fallback) instead of a tofu box.
The Noto fonts come from Debian (``fonts-noto-core fonts-noto-cjk
fonts-noto-color-emoji fonts-symbola``); a missing one is left out of the list.

matplotlib neither shapes Arabic (joining forms) nor reorders right-to-left
runs; :func:`visual_text` does both (``arabic-reshaper`` then ``python-bidi``)
and gives the string in the order glyphs are drawn left to right.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from matplotlib import font_manager

from chartographer.errors import InvalidParameter

DEFAULT_FONT = "DejaVu Sans"
#: tried in order for glyphs the chosen font lacks
FALLBACKS = (
    "DejaVu Sans",
    "Noto Sans",
    "Noto Sans CJK JP",
    "Noto Sans Arabic",
    "Noto Sans Hebrew",
    "Noto Sans Devanagari",
    "Noto Sans Thai",
    "Noto Sans Symbols2",
    "Noto Sans Symbols",
    # emoji: matplotlib cannot draw Noto Color Emoji (a bitmap font), so emoji are
    # drawn in outline from DejaVu, Noto Sans Symbols2 and Symbola (fonts-symbola)
    "Symbola",
)
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff]")


@cache
def installed_families() -> dict[str, str]:
    """Installed font families matplotlib can draw with, by lower-cased name."""
    names = {entry.name for entry in font_manager.fontManager.ttflist}
    return {name.lower(): name for name in sorted(names)}


def check_font(name: str, param: str = "font") -> str:
    """The installed family called ``name`` (any case); another name is a 422."""
    family = installed_families().get(name.strip().lower())
    if family is None:
        choices = ", ".join(documented_fonts()[:12])
        raise InvalidParameter(
            f"{param}: {name[:40]!r} is not an installed font family; use one of {choices} "
            "(the list is at /v1/charts/fonts)",
            param=param,
        )
    return family


def documented_fonts() -> list[str]:
    """The families worth offering: the default, the serif/mono and the Noto families."""
    wanted = ("DejaVu", "Noto Sans", "Noto Serif", "Liberation")
    families = installed_families().values()
    return [f for f in families if f.startswith(wanted) and "Emoji" not in f]


@lru_cache(maxsize=64)
def family_list(font: str | None) -> list[str]:
    """``font`` (or the default) followed by the installed fallbacks, without repeats."""
    installed = installed_families()
    chosen = [font or DEFAULT_FONT]
    chosen += [f for f in FALLBACKS if f.lower() in installed and f not in chosen]
    return chosen


def has_rtl(text: str) -> bool:
    return _RTL.search(text) is not None


@lru_cache(maxsize=4096)
def visual_text(text: str) -> str:
    """``text`` in drawing order: Arabic letters joined, right-to-left runs reversed."""
    if not has_rtl(text):
        return text
    import arabic_reshaper  # 0.1 s of tables at import: only when RTL text is drawn
    from bidi import get_display

    shaped = arabic_reshaper.reshape(text) if _ARABIC.search(text) else text
    return "\n".join(str(get_display(line)) for line in shaped.split("\n"))
