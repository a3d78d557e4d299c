"""Which renders are cheap enough to run in the server process itself.

A render in a worker process costs two process wake-ups and a pickle each way
on top of the drawing (about 1 ms for a 2 ms bar chart, measured in
``docs/benchmarks.md``). When no worker is busy, a render whose cost is bounded
is cheaper where the request already is. Bounded means: drawn on the canvas
(``charts.draw``, no matplotlib artists), at most ``max_pixels`` device pixels,
at most :data:`INLINE_POINTS` data points, a raster or SVG image; or a QR code
of at most :data:`INLINE_QR_TEXT` characters. Everything else, and everything
while a worker is busy, renders in the pool with its time budget
(:meth:`chartographer.renderpool.RenderPool.run`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chartographer.charts.render import drawn_on_canvas, render_chart
from chartographer.charts.spec import ChartSpec
from chartographer.charts.special.qr import QRSpec, render_qr
from chartographer.formats import ImageFormat

#: the most data points of a chart rendered inline
INLINE_POINTS = 200
#: the most characters of a QR code rendered inline (a version ≤ 7 code at level L)
INLINE_QR_TEXT = 128


def renders_inline(fn: Callable[..., Any], args: tuple[Any, ...], max_pixels: int) -> bool:
    """Whether ``fn(*args)`` has a small, bounded cost (see the module's docstring)."""
    if max_pixels <= 0 or len(args) != 1:
        return False
    (spec,) = args
    if fn is render_chart and isinstance(spec, ChartSpec):
        pixels = spec.width * spec.height * spec.scale * spec.scale
        return (
            spec.format is not ImageFormat.pdf
            and pixels <= max_pixels
            and spec.point_count <= INLINE_POINTS
            and drawn_on_canvas(spec)
        )
    if fn is render_qr and isinstance(spec, QRSpec):
        return len(spec.text) <= INLINE_QR_TEXT and spec.width * spec.height <= max_pixels
    return False
