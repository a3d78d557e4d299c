"""A faster Agg canvas for a long-lived render worker.

Two costs dominate a small chart after the layout work is gone: laying out and
rasterising text glyph by glyph, and re-measuring the same strings because
matplotlib's text-metrics cache is tied to a renderer that a new canvas throws
away. This module keeps one Agg renderer per (width, height, dpi) alive in the
worker — ``FigureCanvasAgg.draw`` clears it before every draw, so nothing from
one chart can show in the next — and caches the rasterised bitmap of each
horizontal text run. A run is drawn at a whole-pixel origin, so a cached
bitmap is exactly what FreeType would render there. Rotated text and mathtext
take matplotlib's own path.

Both caches are bounded and content-addressed: two renders never see each
other's data, only each other's glyphs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from cachetools import LRUCache
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg, get_hinting_flag
from matplotlib.font_manager import FontPath, fontManager, get_font
from matplotlib.ft2font import RenderMode

#: rasterised text runs kept per worker (a run is a few KB at most)
TEXT_CACHE_SIZE = 8192
#: renderers kept per worker, one per output size
RENDERER_CACHE_SIZE = 16
#: font files per font description (family list, style, weight…): a few per chart
FONT_PATHS_SIZE = 256

# A plain dict (atomic get and set; renders may run on several threads), emptied
# when full. The font rcParams it depends on are set once, at import.
_font_paths: dict[tuple[Any, ...], list[FontPath]] = {}


def font_paths(prop: Any) -> list[FontPath]:
    """The font files (first choice, then fallbacks) that ``prop`` resolves to.

    matplotlib resolves them again for every string it measures or draws: one
    ``findfont`` per family in the fallback list, a third of a cold chart's time.
    """
    key = (
        tuple(prop.get_family()),
        prop.get_style(),
        prop.get_variant(),
        prop.get_weight(),
        prop.get_stretch(),
        prop.get_file(),
    )
    paths = _font_paths.get(key)
    if paths is None:
        if len(_font_paths) >= FONT_PATHS_SIZE:
            _font_paths.clear()
        paths = _font_paths[key] = fontManager._find_fonts_by_props(prop)
    return paths


@dataclass(frozen=True)
class TextRun:
    """One string's coverage bitmap, positioned relative to its origin."""

    alpha: np.ndarray  # uint8, rows downward
    left: int  # pixels right of the origin
    top: int  # pixels above the origin


class CachingRendererAgg(RendererAgg):
    """``RendererAgg`` that reuses rasterised horizontal text runs."""

    def __init__(self, width: int, height: int, dpi: float) -> None:
        super().__init__(width, height, dpi)
        self.text_runs: LRUCache[tuple[Any, ...], TextRun | None] = LRUCache(TEXT_CACHE_SIZE)

    def _prepare_font(self, font_prop: Any) -> Any:  # an FT2Font (private API used below)
        """``RendererAgg._prepare_font`` with the font files looked up once (``font_paths``)."""
        font = get_font(font_paths(font_prop))
        font.clear()
        font.set_size(font_prop.get_size_in_points(), self.dpi)
        return font

    def draw_text(
        self,
        gc: Any,
        x: float,
        y: float,
        s: str,
        prop: Any,
        angle: float,
        ismath: bool | str = False,
        mtext: Any = None,
    ) -> None:
        if ismath or angle % 360 != 0 or not gc.get_antialiased():
            super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
            return
        features = mtext.get_fontfeatures() if mtext is not None else None
        language = mtext.get_language() if mtext is not None else None
        key = (s, hash(prop), prop.get_size_in_points(), self.dpi, features, language)
        if key in self.text_runs:
            run = self.text_runs[key]
        else:
            run = self._rasterise(s, prop, features, language)
            self.text_runs[key] = run
        if run is None:  # whitespace only: nothing to paint
            return
        origin_x = round(x)
        origin_up = round(self.height - y)
        bottom_down = int(self.height) - (origin_up + run.top) + run.alpha.shape[0]
        self._renderer.draw_text_image(run.alpha, origin_x + run.left, bottom_down, 0, gc)

    def _rasterise(self, s: str, prop: Any, features: Any, language: Any) -> TextRun | None:
        font = self._prepare_font(prop)
        flags = get_hinting_flag()
        size = prop.get_size_in_points()
        identity = np.array([[0x10000, 0], [0, 0x10000]])
        glyphs = []
        for item in font._layout(s, flags=flags, features=features, language=language):
            glyph_font = item.ft_object
            glyph_font.set_size(size, self.dpi)
            glyph_font._set_transform(identity, [round(0x40 * item.x), round(0x40 * item.y)])
            bitmap = glyph_font._render_glyph(item.glyph_index, flags, RenderMode.NORMAL)
            buffer = np.asarray(bitmap.buffer)
            if buffer.size:
                glyphs.append((buffer.copy(), bitmap.left, bitmap.top))
        if not glyphs:
            return None
        left = min(g[1] for g in glyphs)
        right = max(g[1] + g[0].shape[1] for g in glyphs)
        top = max(g[2] for g in glyphs)
        bottom = min(g[2] - g[0].shape[0] for g in glyphs)
        alpha = np.zeros((top - bottom, right - left), dtype=np.uint8)
        for buffer, g_left, g_top in glyphs:
            rows = slice(top - g_top, top - g_top + buffer.shape[0])
            cols = slice(g_left - left, g_left - left + buffer.shape[1])
            np.maximum(alpha[rows, cols], buffer, out=alpha[rows, cols])
        return TextRun(alpha, left, top)


_renderers: LRUCache[tuple[int, int, float], CachingRendererAgg] = LRUCache(RENDERER_CACHE_SIZE)


class FastCanvas(FigureCanvasAgg):
    """An Agg canvas drawing with a pooled :class:`CachingRendererAgg`."""

    def get_renderer(self) -> RendererAgg:
        width, height = self.get_width_height(physical=True)
        key = (width, height, float(self.figure.dpi))
        renderer = _renderers.get(key)
        if renderer is None:
            renderer = CachingRendererAgg(width, height, self.figure.dpi)
            _renderers[key] = renderer
        self.renderer = renderer
        self._lastKey = key
        return renderer
