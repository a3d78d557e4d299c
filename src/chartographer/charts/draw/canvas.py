"""A 2D canvas for charts: shapes and text straight onto matplotlib's renderers.

matplotlib's artists (``Figure``, ``Axes``, ``Line2D``, ``Text``…) cost more than
the pixels they draw: each is built, transformed, clipped and measured on every
render. A chart knows its geometry in advance, so :class:`Canvas` skips them and
calls the renderer itself — ``RendererAgg`` for rasters (one pooled
:class:`~chartographer.charts.artists.raster.CachingRendererAgg` per size, with its
cached text runs) and ``RendererSVG`` for SVG. The pixels are the ones the
artists would have drawn: the same paths, the same snapping, the same text
layout (matplotlib's ``Text._get_layout``, reproduced for plain text).

Units: coordinates are CSS pixels, origin top-left, y downward; ``scale``
multiplies device pixels. Line widths, dash lengths and font sizes are
**points of the 100-dpi layout** the legacy drawing modules use (1 pt =
100/72 CSS px), so their numbers carry over unchanged. SVG is written at
72 dpi with 1 user unit = 1 CSS px, ``width``/``height`` in px, and text kept
as ``<text>`` elements (with the fallback font list as CSS ``font-family``).
PDF (:mod:`.pdf`) is drawn the same way, 1 pt = 1 CSS px, text as embedded
fonts; ``scale`` changes neither vector format.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from typing import TYPE_CHECKING, Any

import numpy as np
from cachetools import LRUCache
from matplotlib import rc_context
from matplotlib._enums import CapStyle, JoinStyle
from matplotlib.backend_bases import GraphicsContextBase
from matplotlib.backends.backend_svg import RendererSVG
from matplotlib.font_manager import FontProperties
from matplotlib.path import Path
from matplotlib.transforms import Affine2D, Bbox, IdentityTransform

from chartographer.charts.draw.pdf import PdfPage
from chartographer.charts.draw.surface import DPI, borrow, device_size, encode, px_header, rgba
from chartographer.charts.draw.text import (
    emoji_run,
    font,
    has_emoji,
    layout,
    line_metrics,
    run_metrics,
)
from chartographer.charts.fonts import has_rtl, visual_text
from chartographer.charts.themes import recolor, theme_colors
from chartographer.formats import ImageFormat, Rendered

if TYPE_CHECKING:
    from chartographer.charts.spec import ChartSpec

#: CSS pixels per point at the legacy layout's resolution (sizes in points assume it)
PT = DPI / 72

#: text metrics kept per worker: (text, font, dpi, surface) → width, height, descent
_METRICS: LRUCache[tuple[str, FontProperties, float, str], tuple[float, float, float]] = LRUCache(
    8192
)
_METRICS_LOCK = threading.Lock()

_CAPS = {"butt", "round", "projecting"}
_JOINS = {"miter", "round", "bevel"}


class Canvas:
    """One image being drawn; :meth:`finish` returns its encoded bytes."""

    @classmethod
    def for_spec(cls, spec: ChartSpec) -> Canvas:
        """A canvas of ``spec``'s size, scale, format, background, theme and font."""
        return cls(
            spec.width,
            spec.height,
            spec.scale,
            spec.format,
            spec.background,
            theme=spec.theme,
            font=spec.font,
        )

    def __init__(
        self,
        width: int,
        height: int,
        scale: float,
        fmt: ImageFormat,
        background: str,
        *,
        theme: str = "light",
        font: str | None = None,
    ) -> None:
        self.width, self.height, self.scale, self.format = width, height, scale, fmt
        self.background = background
        #: ``font=``: the family drawn first, before the fallbacks
        self.family = font
        # ``theme=``: the light theme's ink/grid/line colours the drawers name, recoloured
        # (white strokes — slice and bar edges — take the theme's background)
        self._ink = recolor(theme)
        self._edges = {**self._ink, "#FFFFFF": theme_colors(theme).background} if self._ink else {}
        self._clip: Bbox | None = None
        self._svg: io.StringIO | None = None
        self._pdf: PdfPage | None = None
        self._renderer: Any
        #: drawn in vector (text as text, emoji from the outline fallback fonts)
        self._vector = fmt in (ImageFormat.svg, ImageFormat.pdf)
        if fmt is ImageFormat.svg:
            self._svg = io.StringIO()
            # no date: equal charts give equal bytes (one ETag)
            self._renderer = RendererSVG(
                width, height, self._svg, image_dpi=72, metadata={"Date": None}
            )
            self._px, self._pt, self._dpi = 1.0, PT, 72.0
            device_h = float(height)
        elif fmt is ImageFormat.pdf:  # one page, 1 pt = 1 CSS px, like the SVG
            self._pdf = PdfPage(width, height)
            self._renderer = self._pdf.renderer
            self._px, self._pt, self._dpi = 1.0, PT, 72.0
            device_h = float(height)
        else:
            dw, dh = device_size(width, height, scale)
            self._renderer = borrow(dw, dh, DPI * scale)
            self._px, self._pt, self._dpi = scale, 1.0, DPI * scale
            device_h = float(dh)
        self._device_h = device_h
        # CSS px, y down → device px, y up (what both renderers take)
        self._flip = Affine2D().scale(self._px, -self._px).translate(0, device_h)
        self.rect(0, 0, width, height, fill=background)

    # --- theme -----------------------------------------------------------------
    def paint(self, color: str) -> str:
        """``color`` as the theme draws a fill or text in it (light: unchanged)."""
        return self._ink.get(color.upper(), color) if self._ink else color

    def _edge(self, color: str) -> str:
        return self._edges.get(color.upper(), color) if self._edges else color

    # --- shapes -----------------------------------------------------------------
    def _gc(
        self,
        stroke: str | None,
        line_width: float,
        dash: Sequence[float] | None = None,
        cap: str = "butt",
        join: str = "miter",
    ) -> GraphicsContextBase:
        gc: GraphicsContextBase = self._renderer.new_gc()
        gc.set_antialiased(True)
        if stroke is None or line_width <= 0:
            gc.set_linewidth(0)
            gc.set_foreground((0, 0, 0, 0), isRGBA=True)
        else:
            gc.set_linewidth(line_width * self._pt)
            gc.set_foreground(rgba(self._edge(stroke)), isRGBA=True)
            gc.set_capstyle(CapStyle(cap if cap in _CAPS else "butt"))
            gc.set_joinstyle(JoinStyle(join if join in _JOINS else "miter"))
            if dash:
                gc.set_dashes(0, [d * self._pt for d in dash])
        if self._clip is not None:
            gc.set_clip_rectangle(self._clip)
        return gc

    def _draw(
        self,
        path: Path,
        fill: str | None,
        stroke: str | None,
        line_width: float,
        dash: Sequence[float] | None = None,
        cap: str = "butt",
        join: str = "miter",
        alpha: float | None = None,
    ) -> None:
        if fill is None and (stroke is None or line_width <= 0):
            return
        gc = self._gc(stroke, line_width, dash, cap, join)
        if alpha is not None:  # like an artist's alpha: overrides fill and stroke alpha
            gc.set_alpha(alpha)
        face = rgba(self.paint(fill)) if fill is not None else None
        self._renderer.draw_path(gc, path, self._flip, face)
        gc.restore()

    @property
    def device_scale(self) -> float:
        """Device pixels per CSS pixel (``scale`` for rasters, 1 for SVG and PDF)."""
        return self._px

    def device_path(
        self,
        path: Path,
        transform: Affine2D,
        *,
        fill: str | tuple[float, float, float, float] | None = None,
        stroke: str | None = None,
        line_width: float = 1.0,
        dash: Sequence[float] | None = None,
        cap: str = "butt",
        join: str = "miter",
        alpha: float | None = None,
    ) -> None:
        """``path`` through ``transform`` straight to device pixels (y up): the path and
        affine an artist hands the renderer, so the pixels are the artist's to the bit.
        (Added by r2 for the round kinds, whose artists drew in data units.)"""
        if fill is None and (stroke is None or line_width <= 0):
            return
        gc = self._gc(stroke, line_width, dash, cap, join)
        if alpha is not None:
            gc.set_alpha(alpha)
        face = fill if isinstance(fill, tuple) else (rgba(self.paint(fill)) if fill else None)
        self._renderer.draw_path(gc, path, transform, face)
        gc.restore()

    def rect(
        self,
        x: float,
        y: float,
        w: float,
        h: float,
        *,
        fill: str | None,
        stroke: str | None = None,
        line_width: float = 1.0,
    ) -> None:
        """A rectangle from (x, y) (its top-left corner when w, h > 0)."""
        corners = [(x, y), (x + w, y), (x + w, y + h), (x, y + h), (x, y)]
        path = Path(corners, [Path.MOVETO, *[Path.LINETO] * 3, Path.CLOSEPOLY])
        self._draw(path, fill, stroke, line_width)

    def path(
        self,
        points: Sequence[tuple[float, float]],
        *,
        closed: bool = False,
        fill: str | None = None,
        stroke: str | None = None,
        line_width: float = 1.0,
        dash: Sequence[float] | None = None,
        cap: str = "butt",
        join: str = "miter",
        alpha: float | None = None,
    ) -> None:
        """A polyline (or polygon, ``closed``) through ``points``; ``alpha`` 0–1 overrides
        the colours' own, as an artist's does."""
        if len(points) < 2:
            return
        vertices = list(points)
        if closed:
            vertices.append(vertices[0])
            codes = [Path.MOVETO] + [Path.LINETO] * (len(vertices) - 2) + [Path.CLOSEPOLY]
            shape = Path(vertices, codes)
        else:  # no codes: NaN vertices break the line, as in a Line2D
            shape = Path(vertices)
        self._draw(shape, fill, stroke, line_width, dash, cap, join, alpha)

    def curve(
        self,
        path: Path,
        *,
        fill: str | None = None,
        stroke: str | None = None,
        line_width: float = 1.0,
        dash: Sequence[float] | None = None,
    ) -> None:
        """Any matplotlib ``Path`` (arcs, wedges, Béziers) in CSS px, y downward."""
        self._draw(path, fill, stroke, line_width, dash, "butt", "round")

    def markers(
        self,
        points: Sequence[tuple[float, float]],
        shape: Path,
        *,
        size: float,
        fill: str | None = None,
        stroke: str | None = None,
        line_width: float = 1.0,
        join: str = "round",
        alpha: float | None = None,
    ) -> None:
        """``shape`` (unit-sized, y up) scaled to ``size`` points at each point, like
        ``Line2D`` markers and single-size scatter points (Agg snaps each to a pixel
        centre); ``alpha`` replaces the fill colour's own."""
        if not points or (fill is None and (stroke is None or line_width <= 0)):
            return
        gc = self._gc(stroke, line_width, join=join)
        side = size * self._pt * self._dpi / 72
        marker = Affine2D().scale(side)
        where = Path(list(points))
        face = _face(self.paint(fill) if fill else None, alpha)
        self._renderer.draw_markers(gc, shape, marker, where, self._flip, face)
        gc.restore()

    def points(
        self,
        centres: Sequence[tuple[float, float]],
        shape: Path,
        *,
        sizes: Sequence[float],
        fills: Sequence[str],
        alpha: float | None = None,
    ) -> None:
        """Filled ``shape`` at each centre, ``sizes[i]`` points across, the way a scatter
        ``PathCollection`` draws them (given one size and one colour: as snapped markers)."""
        if not centres:
            return
        if len(sizes) == 1 and len(fills) == 1:
            self.markers(centres, shape, size=sizes[0], fill=fills[0], alpha=alpha)
            return
        gc = self._gc(None, 0)
        k = self._pt * self._dpi / 72
        transforms = np.array([Affine2D().scale(s * k).get_matrix() for s in sizes])
        faces = np.array([_face(self.paint(c), alpha) for c in fills])
        identity = IdentityTransform()
        self._renderer.draw_path_collection(
            gc,
            identity,
            [shape],
            transforms,
            np.asarray(centres, dtype=float),
            self._flip,
            faces,
            faces,
            [0.0],
            [(0, None)],
            [True],
            [None],
            "screen",
        )
        gc.restore()

    def fill_snapped(
        self,
        polygons: Sequence[Sequence[tuple[float, float]]],
        *,
        fill: str,
        alpha: float | None = None,
    ) -> None:
        """Filled polygons drawn the way a matplotlib collection (``fill_between``) draws
        them: one polygon as a marker at the origin (which Agg places half a pixel
        over), several as a path collection."""
        shapes = []
        for points in polygons:
            if len(points) >= 3:
                codes = [Path.MOVETO] + [Path.LINETO] * (len(points) - 1) + [Path.CLOSEPOLY]
                shapes.append(Path([*points, points[0]], codes))
        if not shapes:
            return
        gc = self._gc(None, 0)
        identity = IdentityTransform()
        face = _face(self.paint(fill), alpha)
        if len(shapes) == 1:
            shape = self._flip.transform_path(shapes[0])
            origin = Path([[0.0, 0.0]])
            self._renderer.draw_markers(gc, shape, identity, origin, identity, face)
        else:
            faces = np.array([face])
            self._renderer.draw_path_collection(
                gc,
                self._flip,
                shapes,
                np.zeros((0, 3, 3)),
                np.zeros((1, 2)),
                identity,
                faces,
                faces,
                [0.0],
                [(0, None)],
                [True],
                [None],
                "screen",
            )
        gc.restore()

    def image(
        self, x: float, y: float, w: float, h: float, pixels: Callable[[int, int], Any]
    ) -> None:
        """An image filling the rectangle; ``pixels(width, height)`` gives its RGBA
        floats (row 0 on top) at the canvas's resolution."""
        s = self._px
        left, top = round(x * s), round(y * s)
        dw, dh = round((x + w) * s) - left, round((y + h) * s) - top
        if dw <= 0 or dh <= 0:
            return
        data = np.asarray(pixels(dw, dh), dtype=float)
        im = np.ascontiguousarray(np.round(np.clip(data, 0, 1) * 255).astype(np.uint8)[::-1])
        gc = self._gc(None, 0)
        # both renderers place an image by its bottom-left corner, y up; rows bottom-up
        self._renderer.draw_image(gc, left, self._device_h - (top + dh), im)
        gc.restore()

    @contextmanager
    def device_clip(self, box: Bbox) -> Iterator[None]:
        """Like :meth:`clip`, the rectangle given in device pixels, y up (an ``Axes``
        artist's clip box, as ``TransformedBbox(Bbox.unit(), transAxes)``). Added by r2."""
        saved = self._clip
        self._clip = box
        try:
            yield
        finally:
            self._clip = saved

    @contextmanager
    def clip(self, x: float, y: float, w: float, h: float) -> Iterator[None]:
        """Shapes and text drawn inside the block are clipped to this rectangle."""
        saved = self._clip
        s = self._px
        self._clip = Bbox.from_bounds(x * s, self._device_h - (y + h) * s, w * s, h * s)
        try:
            yield
        finally:
            self._clip = saved

    # --- text -------------------------------------------------------------------
    def _prop(self, size: float, weight: str) -> FontProperties:
        return font(size * self._pt, weight, self.family)

    def _visual(self, s: str) -> str:
        """Right-to-left runs in drawing order, Arabic joined (``charts.fonts``); SVG keeps
        the logical order — the viewer shapes and reorders its ``<text>`` itself."""
        return visual_text(s) if self._svg is None and has_rtl(s) else s

    def _metrics(self, s: str, prop: FontProperties) -> tuple[float, float, float]:
        if not self._vector and has_emoji(s):
            em = prop.get_size_in_points() * self._dpi / 72
            width, height, descent, _ = run_metrics(s, partial(self._text_metrics, prop=prop), em)
            return width, height, descent
        return self._text_metrics(s, prop)

    def _text_metrics(self, s: str, prop: FontProperties) -> tuple[float, float, float]:
        """Width, height and descent in device px (cached, as ``Text`` caches them)."""
        key = (s, prop, self._dpi, self.format.value if self._vector else "raster")
        with _METRICS_LOCK:  # renders may run on several threads
            found = _METRICS.get(key)
        if found is None:
            w, h, d = self._renderer.get_text_width_height_descent(s, prop, False)
            found = (float(w), float(h), float(d))
            with _METRICS_LOCK:
                _METRICS[key] = found
        return found

    def measure(self, s: str, *, size: float, weight: str = "normal") -> tuple[float, float, float]:
        """Width, height and descent of one line of ``s``, CSS px."""
        w, h, d = self._metrics(self._visual(s), self._prop(size, weight))
        return w / self._px, h / self._px, d / self._px

    def text(
        self,
        x: float,
        y: float,
        s: str,
        *,
        size: float,
        color: str,
        weight: str = "normal",
        ha: str = "left",
        va: str = "baseline",
        rotation: float = 0.0,
        anchor: bool = False,
    ) -> None:
        """``s`` anchored at (x, y) like a matplotlib ``Text`` (``ha``, ``va``, ``rotation``;
        ``anchor``: ``rotation_mode='anchor'``)."""
        if not s:
            return
        s = self._visual(s)
        prop = self._prop(size, weight)
        metrics = partial(self._metrics, prop=prop)
        lines = layout(s, metrics, line_metrics(prop, self._dpi), ha, va, rotation, anchor)
        gc = self._gc(None, 0)
        gc.set_foreground(rgba(self.paint(color)), isRGBA=True)
        anchor_x, anchor_y = x * self._px, self._device_h - y * self._px
        for line, (dx, dy) in lines:
            if not line:
                continue
            # renderers take text positions y downward (``flipy``)
            at = (anchor_x + dx, self._device_h - (anchor_y + dy))
            if self._svg is not None:
                with rc_context({"svg.fonttype": "none"}):
                    self._renderer.draw_text(gc, *at, line, prop, rotation)
            elif not self._vector and rotation % 360 == 0 and has_emoji(line):
                self._mixed_line(gc, at, line, prop)
            else:
                self._renderer.draw_text(gc, *at, line, prop, rotation)
        gc.restore()

    def _mixed_line(
        self, gc: GraphicsContextBase, at: tuple[float, float], line: str, prop: FontProperties
    ) -> None:
        """Text runs through the renderer, emoji runs as images, on one baseline."""
        em = prop.get_size_in_points() * self._dpi / 72
        _, _, _, runs = run_metrics(line, partial(self._text_metrics, prop=prop), em)
        x, baseline_down = at
        for run, emoji, offset in runs:
            if not emoji:
                self._renderer.draw_text(gc, x + offset, baseline_down, run, prop, 0.0)
                continue
            pixels, ascent, _, _ = emoji_run(run, em)
            top_down = round(baseline_down - ascent)
            bottom_up = self._device_h - (top_down + pixels.shape[0])
            self._renderer.draw_image(gc, round(x + offset), bottom_up, pixels[::-1].copy())

    # --- output -----------------------------------------------------------------
    def finish(self, opacity: float | None = None) -> Rendered:
        """The encoded image; the canvas cannot be drawn on afterwards."""
        fmt = self.format
        if self._svg is not None:
            self._renderer.finalize()
            svg = px_header(self._svg.getvalue(), self.width, self.height)
            return Rendered(svg.encode(), fmt.media_type)
        if self._pdf is not None:
            return Rendered(self._pdf.finish(), fmt.media_type)
        renderer, self._renderer = self._renderer, None
        body = encode(renderer, fmt, rgba(self.background)[3] >= 1.0, opacity)
        return Rendered(body, fmt.media_type)


def _face(fill: str | None, alpha: float | None) -> tuple[float, float, float, float] | None:
    if fill is None:
        return None
    r, g, b, a = rgba(fill)
    return (r, g, b, a if alpha is None else alpha)


__all__ = ["DPI", "PT", "Canvas", "device_size", "rgba"]
