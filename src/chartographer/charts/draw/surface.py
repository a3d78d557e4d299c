"""What the canvas draws on and hands back: pooled Agg renderers, colours, encoding.

A render worker draws thousands of charts of a few sizes, so it keeps its Agg
renderers (each with its cache of rasterised text runs) and clears one before
each chart; a renderer is taken out of the pool while in use, so two threads
never share one.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache

import numpy as np
from cachetools import LRUCache
from matplotlib import colors as mcolors
from PIL import Image

from chartographer.charts.artists.raster import CachingRendererAgg
from chartographer.formats import ImageFormat, encode_raster
from chartographer.png import drop_alpha, encode_png

#: the legacy layout's resolution: sizes in points assume it
DPI = 100.0
#: pooled renderers per worker, one per device size
POOL_SIZE = 16


@lru_cache(maxsize=512)
def rgba(color: str) -> tuple[float, float, float, float]:
    """``#RRGGBB[AA]`` (or any matplotlib colour) as floats 0–1."""
    return mcolors.to_rgba(color)


_pool: LRUCache[tuple[int, int, float], list[CachingRendererAgg]] = LRUCache(POOL_SIZE)
_lock = threading.Lock()


def borrow(width: int, height: int, dpi: float) -> CachingRendererAgg:
    with _lock:
        free = _pool.get((width, height, dpi))
        renderer = free.pop() if free else None
    if renderer is None:
        return CachingRendererAgg(width, height, dpi)
    renderer.clear()  # type: ignore[no-untyped-call]
    return renderer


def give_back(renderer: CachingRendererAgg) -> None:
    key = (int(renderer.width), int(renderer.height), float(renderer.dpi))
    with _lock:
        free = _pool.get(key)
        if free is None:
            free = _pool[key] = []
        free.append(renderer)


def device_size(width: int, height: int, scale: float) -> tuple[int, int]:
    """Device pixels of a ``width``×``height`` CSS-pixel image, exactly as a ``Figure`` rounds."""
    return int(width / DPI * (DPI * scale)), int(height / DPI * (DPI * scale))


def encode(
    renderer: CachingRendererAgg, fmt: ImageFormat, opaque: bool, opacity: float | None
) -> bytes:
    """The renderer's pixels as ``fmt`` (opaque images without alpha); the renderer goes
    back to the pool."""
    try:
        pixels = np.asarray(renderer.buffer_rgba())  # type: ignore[no-untyped-call]
        if opacity is not None:
            pixels = pixels.copy()
            pixels[..., 3] = np.round(pixels[..., 3] * opacity).astype(np.uint8)
        elif opaque:
            pixels = drop_alpha(pixels)  # smaller files, faster encode
        if fmt is ImageFormat.png:
            return encode_png(np.ascontiguousarray(pixels))
        return encode_raster(Image.fromarray(np.ascontiguousarray(pixels)), fmt)
    finally:
        give_back(renderer)


_HEADER = re.compile(r'<svg([^>]*?) width="[^"]*" height="[^"]*"')


def px_header(svg: str, width: int, height: int) -> str:
    """matplotlib writes the size in pt; the canvas drew 1 unit = 1 CSS px."""
    return _HEADER.sub(rf'<svg\1 width="{width}px" height="{height}px"', svg, count=1)
