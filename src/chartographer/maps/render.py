"""Pure map rendering: :class:`MapSpec` and its :class:`TileSet` in, image bytes out.

Runs in a render worker process: no I/O, no globals shared between renders
(only memoised sprites and fonts). Tiles are pasted (scaled when the source
lacks the retina zoom), missing tiles are drawn as hatched placeholders and
reported, paths and polygons are clipped to the image and composited with
their alpha, markers are pasted as sprites, and the attribution is drawn last.
"""

from __future__ import annotations

import functools
import io
import itertools
import math
from collections.abc import Sequence

import numpy as np
from PIL import Image, UnidentifiedImageError

from chartographer.formats import Rendered, encode_raster
from chartographer.geometry import clip_segment
from chartographer.maps import basemap, draw
from chartographer.maps.canvas import Canvas
from chartographer.maps.geo import Viewport, densify_geodesic, world_size
from chartographer.maps.spec import MapFormat, MapPath, MapSpec, TileSet

Point = tuple[float, float]
#: decoded tiles kept per worker process (≈ 200 KB each): warm maps skip PNG decoding
DECODED_TILES = 128


def render_map(spec: MapSpec, tiles: TileSet) -> Rendered:
    """Render ``spec`` with the tiles the service fetched."""
    view = spec.viewport
    image = Image.new("RGBA", (view.pixel_width, view.pixel_height), draw.rgba(spec.background))
    warnings = list(spec.warnings)
    if tiles.draw_tiles:
        missing, total = _paste_tiles(image, view, tiles)
        if missing:
            warnings.append(
                f"tiles: {missing} of {total} tiles unavailable from source {spec.source!r} "
                "(drawn hatched)"
            )
    for path in spec.paths:
        _draw_path(image, view, path)
    for marker in spec.markers:
        sprite, ax, ay = draw.marker_image(marker, spec.scale, tiles.icons)
        x, y = view.to_pixel(marker.lat, marker.lng)
        image.alpha_composite(sprite, *_paste_at(image, sprite, round(x) - ax, round(y) - ay))
    draw.draw_attribution(image, spec.attribution, spec.scale)
    # png32 is Google's 32-bit RGBA PNG; every other format is opaque RGB (or a palette)
    flat = image if spec.format is MapFormat.png32 else image.convert("RGB")
    body = encode_raster(flat, spec.format.image_format, palette=spec.format.palette)
    # made header-safe (escaped, not dropped) where every warning header is built
    return Rendered(body, spec.media_type, tuple(warnings))


def _paste_at(
    image: Image.Image, sprite: Image.Image, x: int, y: int
) -> tuple[tuple[int, int], tuple[int, int, int, int]]:
    """Destination and source box for ``alpha_composite`` (clipped to the image)."""
    sx0, sy0 = max(0, -x), max(0, -y)
    sx1 = max(sx0, min(sprite.width, image.width - x))
    sy1 = max(sy0, min(sprite.height, image.height - y))
    return (max(0, x), max(0, y)), (sx0, sy0, sx1, sy1)


def _paste_tiles(image: Image.Image, view: Viewport, tiles: TileSet) -> tuple[int, int]:
    span = view.tile_span(tiles.zoom)
    ox, oy = view.origin()
    n = 2**tiles.zoom
    missing = total = 0
    for _, tx, ty in view.tiles(tiles.zoom):
        total += 1
        x0, y0 = round(tx * span - ox), round(ty * span - oy)
        w, h = round((tx + 1) * span - ox) - x0, round((ty + 1) * span - oy) - y0
        # only the visible part of a tile is scaled: an overzoomed tile may span
        # far more pixels than the image has
        left, top = max(x0, 0), max(y0, 0)
        right, bottom = min(x0 + w, image.width), min(y0 + h, image.height)
        if right <= left or bottom <= top:
            continue
        tile: Image.Image | None
        if tiles.basemap is not None:  # the built-in basemap, drawn here at this scale
            tile = basemap.render_tile(tiles.zoom, tx % n, ty, 256 * view.scale, tiles.basemap)
        else:
            tile = _decode(tiles.tiles.get((tx % n, ty)))
        if tile is None:
            missing += 1
            part = draw.draw_placeholder((right - left, bottom - top), view.scale)
        elif (w, h) == tile.size:
            part = tile.crop((left - x0, top - y0, right - x0, bottom - y0))
        else:
            kx, ky = tile.width / w, tile.height / h
            box = ((left - x0) * kx, (top - y0) * ky, (right - x0) * kx, (bottom - y0) * ky)
            part = tile.resize((right - left, bottom - top), Image.Resampling.BILINEAR, box=box)
        image.paste(part, (left, top))
    return missing, total


def _decode(data: bytes | None) -> Image.Image | None:
    return None if data is None else _decode_tile(data)


@functools.lru_cache(maxsize=DECODED_TILES)
def _decode_tile(data: bytes) -> Image.Image | None:
    """Decode a tile once per worker (keyed by its bytes); callers only crop or scale copies."""
    try:
        opened = Image.open(io.BytesIO(data))
        tile = opened.convert("RGBA" if opened.mode in ("RGBA", "LA", "P") else "RGB")
    except (UnidentifiedImageError, OSError, ValueError):
        return None
    if tile.mode == "RGBA":  # transparent tiles go over the background colour
        flat = Image.new("RGB", tile.size, (229, 227, 223))
        flat.paste(tile, mask=tile)
        tile = flat
    return tile


def path_pixels(view: Viewport, points: Sequence[Point]) -> list[Point]:
    """Image pixels of a path, keeping longitude continuous across the antimeridian."""
    if not points:
        return []
    size = world_size(view.zoom, view.scale)
    out = [view.to_pixel(*points[0])]
    for lat, lng in points[1:]:
        x, y = view.to_pixel(lat, lng)
        # pick the copy of the world closest to the previous point
        x += size * round((out[-1][0] - x) / size)
        out.append((x, y))
    return out


def _draw_path(image: Image.Image, view: Viewport, path: MapPath) -> None:
    points: Sequence[Point] = path.points
    if path.geodesic:
        points = densify_geodesic(points)
    pixels = path_pixels(view, points)
    margin = path.weight * view.scale + 2
    box = (-margin, -margin, image.width + margin, image.height + margin)
    rings: list[list[Point]] = []
    if path.fill is not None:
        outer = clip_polygon(pixels, box)
        holes = [clip_polygon(path_pixels(view, hole), box) for hole in path.holes]
        # non-zero fill: holes must wind against the exterior to be cut out
        turn = _winding(outer)
        holes = [h[::-1] if _winding(h) == turn else h for h in holes if len(h) >= 3]
        rings = [outer, *holes] if len(outer) >= 3 else []
    width = path.weight * view.scale
    edges = [pixels] + [path_pixels(view, hole) for hole in path.holes]
    runs = [run for edge in edges for run in clip_polyline(edge, box)] if width > 0 else []
    every = [p for ring in rings for p in ring] + [p for run in runs for p in run]
    if not every:
        return
    # draw on a layer just big enough for the shape, then blend it in with its alpha
    left = max(0, math.floor(min(p[0] for p in every) - margin))
    top = max(0, math.floor(min(p[1] for p in every) - margin))
    right = min(image.width, math.ceil(max(p[0] for p in every) + margin))
    bottom = min(image.height, math.ceil(max(p[1] for p in every) + margin))
    right, bottom = max(right, left + 1), max(bottom, top + 1)  # never an empty layer
    canvas = Canvas(right - left, bottom - top)
    offset = np.array([left, top], dtype=np.float64)
    if rings:
        canvas.fill(
            [np.asarray(r, dtype=np.float64) - offset for r in rings], draw.rgba(path.fill or "")
        )
    canvas.stroke(
        [np.asarray(run, dtype=np.float64) - offset for run in runs], draw.rgba(path.color), width
    )
    image.alpha_composite(canvas.image(), (left, top))


def _winding(ring: Sequence[Point]) -> bool:
    """True when a ring's signed area is positive (its turning direction)."""
    area = 0.0
    for (x0, y0), (x1, y1) in itertools.pairwise([*ring, ring[0]] if ring else []):
        area += x0 * y1 - x1 * y0
    return area > 0


def clip_polyline(
    points: Sequence[Point], box: tuple[float, float, float, float]
) -> list[list[Point]]:
    """Clip a polyline to ``box`` (Liang–Barsky per segment), returning the visible runs."""
    runs: list[list[Point]] = []
    current: list[Point] = []
    for a, b in itertools.pairwise(points):
        clipped = clip_segment(a, b, box)
        if clipped is None:
            continue
        p, q = clipped
        # a run only continues when the previous segment ended inside, i.e. at p
        if not current:
            current = [p]
        current.append(q)
        if q != b:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return [r for r in runs if len(r) >= 2]


def clip_polygon(points: Sequence[Point], box: tuple[float, float, float, float]) -> list[Point]:
    """Clip a polygon ring to ``box`` (Sutherland–Hodgman)."""
    x0, y0, x1, y1 = box
    ring = list(points)
    for axis, bound, keep_above in ((0, x0, True), (0, x1, False), (1, y0, True), (1, y1, False)):
        if not ring:
            break
        out: list[Point] = []
        prev = ring[-1]
        for cur in ring:
            cur_in = (cur[axis] >= bound) if keep_above else (cur[axis] <= bound)
            prev_in = (prev[axis] >= bound) if keep_above else (prev[axis] <= bound)
            if cur_in != prev_in:
                out.append(_at_x(prev, cur, bound) if axis == 0 else _at_y(prev, cur, bound))
            if cur_in:
                out.append(cur)
            prev = cur
        ring = out
    return ring


def _at_x(a: Point, b: Point, x: float) -> Point:
    t = (x - a[0]) / (b[0] - a[0])
    return x, a[1] + t * (b[1] - a[1])


def _at_y(a: Point, b: Point, y: float) -> Point:
    t = (y - a[1]) / (b[1] - a[1])
    return a[0] + t * (b[0] - a[0]), y


def warm_up() -> None:
    """Load fonts and draw one pin so a fresh worker's first map is not slow."""
    draw.font(10, bold=False)
    draw.pin_sprite("#E53935", "normal", "A", 1)
    basemap.warm_up()
