"""Text for the canvas: the fallback fonts, matplotlib's line layout, colour emoji.

Glyphs come from a list of families tried in turn (matplotlib's font
fallback): the ``font=`` family (default DejaVu Sans), then Debian's Noto fonts
for other scripts and symbols — :func:`charts.fonts.family_list`, the list the
artist renderer uses too. Noto Color Emoji is a bitmap font FreeType-in-matplotlib cannot
scale, so emoji are rasterised by Pillow from it and drawn as small images
(horizontal raster text only; SVG keeps them as text for the viewer's fonts).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.font_manager import FontProperties, fontManager, get_font, weight_dict
from matplotlib.ft2font import FT2Font
from PIL import Image, ImageDraw, ImageFont

from chartographer.charts.fonts import family_list

#: where Debian's fonts-noto-color-emoji puts its font
EMOJI_FONTS = (
    "/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf",
    "/usr/share/fonts/noto/NotoColorEmoji.ttf",
)
#: Noto Color Emoji's one bitmap size, in pixels per em
EMOJI_PX = 109
#: joiners, variation selectors and skin tones belong to the emoji next to them
_JOINERS = {0x200D, 0xFE0E, 0xFE0F, *range(0x1F3FB, 0x1F400)}

Metrics = Callable[[str], tuple[float, float, float]]


@lru_cache(maxsize=64)
def font_families(family: str | None = None) -> tuple[str, ...]:
    """``family`` (``font=``; default DejaVu Sans) and then the installed fallbacks of
    :mod:`charts.fonts` — CJK, Arabic, Hebrew, symbols — the artist renderer's list."""
    return tuple(family_list(family))


@lru_cache(maxsize=64)
def _families_for(weight: str, family: str | None = None) -> list[str]:
    """The families with a face of this weight (matplotlib would log a warning and use
    the regular face for the others); a chosen ``family`` stays first regardless."""
    families = list(font_families(family))
    if weight == "normal":
        return families
    wanted = weight_dict.get(weight, 400) if isinstance(weight, str) else int(weight)
    heavy = {
        entry.name
        for entry in fontManager.ttflist
        if abs(
            weight_dict.get(entry.weight, 400) if isinstance(entry.weight, str) else entry.weight
        )
        >= wanted
    }
    kept = [name for name in families if name in heavy or (family and name == family)]
    return kept or families


@lru_cache(maxsize=256)
def font(size: float, weight: str = "normal", family: str | None = None) -> FontProperties:
    """The font list (``family`` first, then the fallbacks) at ``size`` points."""
    return FontProperties(family=_families_for(weight, family), size=size, weight=weight)


@lru_cache(maxsize=256)
def line_metrics(prop: FontProperties, dpi: float) -> tuple[float, float, float]:
    """Minimum ascent, descent and line gap (the font's OS/2 or hhea metrics), device px."""
    ft: Any = get_font(fontManager._find_fonts_by_props(prop))
    scale = prop.get_size_in_points() * dpi / 72 / ft.get_sfnt_table("head")["unitsPerEm"]
    for table_name, gap_key, ascent_key, descent_key in (
        ("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"),
        ("hhea", "lineGap", "ascent", "descent"),
    ):
        table = ft.get_sfnt_table(table_name)
        if table is not None:
            ascent, descent, gap = table[ascent_key], table[descent_key], table[gap_key]
            return float(ascent * scale), float(-descent * scale), float(gap * scale)
    raise ValueError(f"{ft.fname!r}: no OS/2 or hhea table")  # pragma: no cover


def rotate(angle: float, x: float, y: float) -> tuple[float, float]:
    if angle == 0:
        return x, y
    rad = math.radians(angle)
    cos, sin = math.cos(rad), math.sin(rad)
    return cos * x - sin * y, sin * x + cos * y


def layout(
    s: str,
    metrics: Metrics,
    line: tuple[float, float, float],
    ha: str,
    va: str,
    angle: float,
    anchor: bool = False,
) -> list[tuple[str, tuple[float, float]]]:
    """Each line's baseline origin relative to the anchor, device px, y up.

    The arithmetic of matplotlib's ``Text._get_layout`` (``linespacing``
    'normal', ``rotation_mode`` 'default', or 'anchor' when ``anchor``: aligned
    before rotating, so rotated labels hang from their tick), so text lands where
    an artist puts it; ``line`` is :func:`line_metrics`.
    """
    lines = s.split("\n")
    min_ascent, min_descent, gap = line
    gap = gap if len(lines) > 1 else 0.0
    widths: list[float] = []
    ys: list[float] = []
    this_y = baseline = descent = 0.0
    for text in lines:
        w, h, d = metrics(text) if text else (0.0, 0.0, 0.0)
        a = max(h - d, min_ascent) + gap / 2
        d = max(d, min_descent) + gap / 2
        baseline = a - this_y
        this_y -= a
        widths.append(w)
        ys.append(this_y)
        this_y -= d
        descent = d
    width = max(widths)
    ymin, ymax = ys[-1] - descent, 0.0
    offsets = [
        ((width - w) / 2 if ha == "center" else width - w if ha == "right" else 0.0, y)
        for w, y in zip(widths, ys, strict=True)
    ]
    if anchor:
        offset_x, offset_y = _anchor_offset(ha, va, width, ymin, ymax, descent, baseline)
        offset_x, offset_y = rotate(angle, offset_x, offset_y)
        placed_anchor = (rotate(angle, ox, oy) for ox, oy in offsets)
        return [
            (text, (px - offset_x, py - offset_y))
            for text, (px, py) in zip(lines, placed_anchor, strict=True)
        ]
    corners = [(0.0, ymin), (0.0, ymax), (width, ymax), (width, ymin)]
    rotated = [rotate(angle, cx, cy) for cx, cy in corners]
    xs, rys = [p[0] for p in rotated], [p[1] for p in rotated]
    xmin, xmax, rymin, rymax = min(xs), max(xs), min(rys), max(rys)
    offset_x = xmin if ha == "left" else xmax if ha == "right" else (xmin + xmax) / 2
    if va == "bottom":
        offset_y = rymin
    elif va == "top":
        offset_y = rymax
    elif va == "center":
        offset_y = (rymin + rymax) / 2
    elif va == "baseline":
        offset_y = rymin + descent
    else:  # center_baseline
        offset_y = rymax - baseline / 2
    placed = (rotate(angle, ox, oy) for ox, oy in offsets)
    return [
        (text, (px - offset_x, py - offset_y)) for text, (px, py) in zip(lines, placed, strict=True)
    ]


def _anchor_offset(
    ha: str, va: str, width: float, ymin: float, ymax: float, descent: float, baseline: float
) -> tuple[float, float]:
    """The alignment point of the unrotated box (matplotlib's ``rotation_mode='anchor'``)."""
    offset_x = 0.0 if ha == "left" else width if ha == "right" else width / 2
    if va == "center":
        offset_y = (ymin + ymax) / 2
    elif va == "top":
        offset_y = ymax
    elif va == "baseline":
        offset_y = ymin + descent
    elif va == "center_baseline":
        offset_y = ymin + (ymax - ymin) - baseline / 2
    else:
        offset_y = ymin
    return offset_x, offset_y


# --- colour emoji ----------------------------------------------------------------------


@lru_cache(maxsize=1)
def _emoji_file() -> str | None:
    return next((path for path in EMOJI_FONTS if Path(path).is_file()), None)


@lru_cache(maxsize=1)
def _emoji_face() -> FT2Font | None:
    """The emoji font, for its character map (FreeType here cannot scale it)."""
    path = _emoji_file()
    return FT2Font(path) if path else None


@lru_cache(maxsize=8192)
def is_emoji(char: str) -> bool:
    """A pictograph drawn in colour: from the emoji planes, and in the emoji font.

    (Symbols below U+1F000 — ★, ☂, ✓ — stay text, in the symbol fonts.)
    """
    code = ord(char)
    if code < 0x1F000 or code in _JOINERS:
        return False
    emoji = _emoji_face()
    return emoji is not None and bool(emoji.get_char_index(code))


def segments(line: str) -> list[tuple[str, bool]]:
    """``line`` cut into runs of plain text and of emoji, in order (joiners, variation
    selectors and skin tones go with the run before them)."""
    runs: list[tuple[str, bool]] = []
    for char in line:
        flag = runs[-1][1] if ord(char) in _JOINERS and runs else is_emoji(char)
        if runs and runs[-1][1] == flag:
            runs[-1] = (runs[-1][0] + char, flag)
        else:
            runs.append((char, flag))
    return runs


def has_emoji(line: str) -> bool:
    return any(is_emoji(char) for char in line)


@lru_cache(maxsize=512)
def emoji_run(run: str, em: float) -> tuple[np.ndarray, float, float, float]:
    """RGBA pixels (rows down) of ``run`` at ``em`` device px per em, with the run's
    ascent, descent and advance in device px."""
    path = _emoji_file()
    assert path is not None  # is_emoji() found none without the font
    face = ImageFont.truetype(path, EMOJI_PX)
    ascent, descent = face.getmetrics()
    advance = face.getlength(run)
    canvas = Image.new("RGBA", (max(math.ceil(advance), 1), ascent + descent))
    ImageDraw.Draw(canvas).text((0, ascent), run, font=face, embedded_color=True, anchor="ls")
    k = em / EMOJI_PX
    size = (max(round(canvas.width * k), 1), max(round(canvas.height * k), 1))
    pixels = np.asarray(canvas.resize(size, Image.Resampling.LANCZOS))
    return pixels, ascent * k, descent * k, advance * k


def run_metrics(
    line: str, text_metrics: Metrics, em: float
) -> tuple[float, float, float, list[tuple[str, bool, float]]]:
    """Width, height, descent of a line mixing text and emoji, and each run's x offset."""
    width, ascent, descent = 0.0, 0.0, 0.0
    placed: list[tuple[str, bool, float]] = []
    for run, emoji in segments(line):
        if emoji:
            _, a, d, w = emoji_run(run, em)
        else:
            w, h, d = text_metrics(run)
            a = h - d
        placed.append((run, emoji, width))
        width += w
        ascent, descent = max(ascent, a), max(descent, d)
    return width, ascent + descent, descent, placed
