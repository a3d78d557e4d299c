"""The built-in basemap: Web Mercator tiles drawn from the shipped Natural Earth data.

Pure and offline: ``render_tile(z, x, y, size, style)`` draws ocean, land, lakes,
rivers, country and first-level borders (anti-aliased, on an Agg canvas) and
labels populated places (GeoNames cities of 50 000 people or more, shipped
as ``geodata/places.json.gz``, CC BY 4.0) at zooms where they fit. Labels
are chosen per zoom over the whole world at build time (most populous first,
never two closer than a label's room), and every tile draws the labels of its
neighbours' edges too, so a label cut by a tile edge continues on the next tile.

Tiles are memoised per worker process (bytes are cheap to recompute, but a
static map needs the same tiles again and again).
"""

from __future__ import annotations

import functools
import gzip
import json
import math
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np
import numpy.typing as npt
from PIL import Image, ImageDraw

from chartographer.geodata import Layer, natural_earth
from chartographer.maps import draw
from chartographer.maps.canvas import RGBA, Canvas, Pixels
from chartographer.maps.mapstyle import BasemapStyle

MIN_ZOOM, MAX_ZOOM = 0, 10
PLACES_FILE = "places.json.gz"
MAX_LAT = 85.0511287798
#: tiles kept per worker (a 256 px tile is ≈ 200 KB decoded)
TILE_CACHE = 256
#: a tile draws the labels of places this many tile-widths beyond its edges
LABEL_BUFFER = 0.5
#: (minimum population, font size at scale 1) per zoom; capitals always qualify from z3
_LABEL_RULES = {
    3: (2_000_000, 10),
    4: (1_000_000, 10),
    5: (500_000, 11),
    6: (200_000, 11),
    7: (100_000, 11),
    8: (50_000, 12),
}


@dataclass(frozen=True)
class City:
    name: str
    lat: float
    lng: float
    population: int
    capital: bool


@functools.cache
def _places() -> dict[str, Any]:
    raw = resources.files("chartographer.geodata").joinpath(PLACES_FILE).read_bytes()
    doc: dict[str, Any] = json.loads(gzip.decompress(raw))
    return doc


@functools.cache
def cities() -> tuple[City, ...]:
    """GeoNames cities of at least 50 000 people, most populous first (once per process)."""
    return tuple(City(n, lat, lng, pop, bool(cap)) for n, lat, lng, pop, cap in _places()["places"])


def thin(every: tuple[City, ...], zoom: int) -> list[int]:
    """Which places get a label at ``zoom``: most populous first, each with a label's room.

    Run at build time (``scripts/build_geodata.py``); the result ships with the places.
    """
    rule = _LABEL_RULES.get(min(zoom, max(_LABEL_RULES)))
    if rule is None:
        return []
    minimum, _ = rule
    mx, my = mercator(np.array([c.lng for c in every]), np.array([c.lat for c in every]))
    size = 256 * 2**zoom
    room_x, room_y = 110.0, 28.0  # a label's room, in pixels at scale 1
    grid: dict[tuple[int, int], list[tuple[float, float]]] = {}
    chosen: list[int] = []
    for i, city in enumerate(every):
        if city.population < minimum and not (city.capital and city.population >= 100_000):
            continue
        x, y = float(mx[i]) * size, float(my[i]) * size
        cx, cy = int(x // room_x), int(y // room_y)
        if any(
            abs(px - x) < room_x and abs(py - y) < room_y
            for dx in (-1, 0, 1)
            for dy in (-1, 0, 1)
            for px, py in grid.get((cx + dx, cy + dy), ())
        ):
            continue
        grid.setdefault((cx, cy), []).append((x, y))
        chosen.append(i)
    return chosen


def mercator(lng: Any, lat: Any) -> tuple[Any, Any]:
    """Web Mercator in world units (0..1 across, 0 at the top), arrays or scalars."""
    s = np.sin(np.radians(np.clip(lat, -MAX_LAT, MAX_LAT)))
    return (np.asarray(lng) + 180.0) / 360.0, 0.5 - np.log((1 + s) / (1 - s)) / (4 * math.pi)


#: (highest zoom, tolerance in pixels): a level's vertices are snapped to a grid that fine
_LEVELS = ((2, 0.5), (5, 0.5), (MAX_ZOOM, 0.0))


@dataclass(frozen=True)
class _Projected:
    """One layer in world units at one level of detail, ready to cut tiles from."""

    parts: tuple[Pixels, ...]
    boxes: npt.NDArray[np.float64]  # (n, 4) min x, min y, max x, max y

    def select(self, x0: float, y0: float, x1: float, y1: float) -> list[Pixels]:
        found: list[Pixels] = []
        b = self.boxes
        for shift in (0.0, 1.0, -1.0):  # parts past the antimeridian show on the other side
            hit = (b[:, 0] + shift <= x1) & (b[:, 2] + shift >= x0) & (b[:, 1] <= y1)
            hit &= b[:, 3] >= y0
            for i in np.flatnonzero(hit):
                part = self.parts[i]
                found.append(part + np.array([shift, 0.0]) if shift else part)
        return found


@functools.cache
def _projected(name: str, level: int) -> _Projected:
    layer: Layer = getattr(natural_earth(), name)
    max_zoom, tolerance = _LEVELS[level]
    grid = tolerance / (256 * 2**max_zoom) if tolerance else 0.0
    parts: list[Pixels] = []
    for raw in layer.parts:
        mx, my = mercator(raw[:, 0], raw[:, 1])
        xy = np.column_stack([mx, my])
        if grid:
            snapped = np.round(xy / grid)
            keep = np.ones(len(xy), dtype=bool)
            keep[1:] = np.any(snapped[1:] != snapped[:-1], axis=1)
            xy = snapped[keep] * grid
        if len(xy) >= (3 if layer.filled else 2):
            parts.append(xy)
    boxes = np.array([(*p.min(axis=0), *p.max(axis=0)) for p in parts]).reshape(-1, 4)
    return _Projected(tuple(parts), boxes)


def _level(z: int) -> int:
    return next(n for n, (top, _) in enumerate(_LEVELS) if z <= top)


def _cut(name: str, z: int, x: int, y: int, size: int) -> list[Pixels]:
    """A layer's parts near tile (z, x, y), in the tile's pixels."""
    n = 2**z
    pad = 0.02 / n
    world = _projected(name, _level(z))
    parts = world.select(x / n - pad, y / n - pad, (x + 1) / n + pad, (y + 1) / n + pad)
    k = size * n
    return [(p - (x / n, y / n)) * k for p in parts]


@functools.cache
def _city_units() -> npt.NDArray[np.float64]:
    every = cities()
    mx, my = mercator(np.array([c.lng for c in every]), np.array([c.lat for c in every]))
    return np.column_stack([mx, my]).reshape(-1, 2)


@functools.cache
def labelled(zoom: int) -> tuple[tuple[City, ...], npt.NDArray[np.float64]]:
    """The places labelled at ``zoom`` (as thinned at build time) and their world units."""
    chosen = _places()["labels"].get(str(min(zoom, max(_LABEL_RULES))), [])
    every = cities()
    units = _city_units()
    return tuple(every[i] for i in chosen), units[np.array(chosen, dtype=np.int64)].reshape(-1, 2)


def render_tile(z: int, x: int, y: int, size: int, style: BasemapStyle) -> Image.Image:
    """One tile, ``size`` pixels square (512 for ``@2x``), as an RGB image."""
    return _render_tile(z, x % 2**z, y, size, style).copy()


@functools.lru_cache(maxsize=TILE_CACHE)
def _render_tile(z: int, x: int, y: int, size: int, style: BasemapStyle) -> Image.Image:
    ratio = size / 256  # 2 for @2x: lines and text twice as thick
    canvas = Canvas(size, size)
    square = np.array([[0, 0], [size, 0], [size, size], [0, size]], dtype=np.float64)
    canvas.fill([square], style.background)
    if style.land[3]:
        canvas.fill(_cut("land", z, x, y, size), style.land)
    if style.water[3]:
        canvas.fill(_cut("lakes", z, x, y, size), style.water)
        if z >= 3:
            width = (0.4 + 0.15 * z) * ratio
            canvas.stroke(_cut("rivers", z, x, y, size), style.water, width)
    if z >= 3 and style.province[3]:
        width = style.province_weight * ratio
        canvas.stroke(_cut("admin1_lines", z, x, y, size), style.province, width)
    if style.country[3]:
        width = style.country_weight * ratio
        canvas.stroke(_cut("borders", z, x, y, size), style.country, width)
    image = canvas.image().convert("RGB")
    if style.labels_visible:
        _draw_labels(image, z, x, y, size, style)
    return image


def _draw_labels(
    image: Image.Image, z: int, x: int, y: int, size: int, style: BasemapStyle
) -> None:
    rule = _LABEL_RULES.get(min(z, max(_LABEL_RULES)))
    if rule is None:
        return
    k = size / 256
    places, where = labelled(min(z, max(_LABEL_RULES)))
    n = 2**z
    lo, hi = (x - LABEL_BUFFER) / n, (x + 1 + LABEL_BUFFER) / n
    top, bottom = (y - LABEL_BUFFER) / n, (y + 1 + LABEL_BUFFER) / n
    rows = (where[:, 1] >= top) & (where[:, 1] <= bottom)
    fnt = draw.font(round(rule[1] * k), bold=False)
    pen = ImageDraw.Draw(image)
    dot = 2.2 * k
    for shift in (0.0, 1.0, -1.0):  # places across ±180° label the tiles at the edges
        wx = where[:, 0] + shift
        for i in np.flatnonzero(rows & (wx >= lo) & (wx <= hi)):
            px = (float(wx[i]) * n - x) * size
            py = (float(where[i, 1]) * n - y) * size
            if style.dot[3]:
                pen.ellipse((px - dot, py - dot, px + dot, py + dot), fill=_rgb(style.dot))
            if style.text[3]:
                pen.text(
                    (px + dot + 2 * k, py),
                    places[i].name,
                    font=fnt,
                    anchor="lm",
                    fill=_rgb(style.text),
                    stroke_width=max(1, round(1.5 * k)) if style.halo[3] else 0,
                    stroke_fill=_rgb(style.halo),
                )


def _rgb(color: RGBA) -> tuple[int, int, int]:
    return color[0], color[1], color[2]


def warm_up() -> None:
    """Decode the data and the labels once (a worker's first tile is then as fast as the rest)."""
    for name in ("land", "lakes", "rivers", "borders", "admin1_lines"):
        for level in range(len(_LEVELS)):
            _projected(name, level)
    for zoom in _LABEL_RULES:
        labelled(zoom)
