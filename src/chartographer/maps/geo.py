"""Web Mercator maths: projection, viewports, fitting, tiles, great circles and circles.

Pixel coordinates are *output* pixels: at zoom ``z`` and scale ``s`` the world is
``256 · 2^z · s`` pixels wide, as in Google Static Maps. Tile indices follow the
XYZ (slippy map) scheme; :mod:`mercantile` does the tile arithmetic.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import mercantile

TILE_SIZE = 256
MAX_LAT = 85.0511287798066
EARTH_RADIUS_M = 6_371_008.8
MAX_ZOOM = 22
_EQUATOR = 2 * math.pi * 6378137.0  # Web Mercator world width in metres

LatLng = tuple[float, float]


def world_size(zoom: float, scale: float = 1.0) -> float:
    return float(TILE_SIZE * (2.0**zoom) * scale)


def project(lat: float, lng: float, zoom: float, scale: float = 1.0) -> tuple[float, float]:
    """``(lat, lng)`` → world pixel ``(x, y)`` at ``zoom``/``scale`` (origin top-left)."""
    lat = max(-MAX_LAT, min(MAX_LAT, lat))
    mx, my = mercantile.xy(lng, lat)
    size = world_size(zoom, scale)
    return (mx / _EQUATOR + 0.5) * size, (0.5 - my / _EQUATOR) * size


def unproject(x: float, y: float, zoom: float, scale: float = 1.0) -> LatLng:
    """World pixel → ``(lat, lng)``; the inverse of :func:`project`."""
    size = world_size(zoom, scale)
    lng = x / size * 360.0 - 180.0
    n = math.pi - 2.0 * math.pi * y / size
    lat = math.degrees(math.atan(math.sinh(n)))
    return lat, lng


@dataclass(frozen=True)
class Viewport:
    """What an image shows: centre, zoom, size in CSS pixels and the pixel scale."""

    lat: float
    lng: float
    zoom: int
    width: int
    height: int
    scale: int

    @property
    def pixel_width(self) -> int:
        return self.width * self.scale

    @property
    def pixel_height(self) -> int:
        return self.height * self.scale

    def origin(self) -> tuple[float, float]:
        """World pixel of the image's top-left corner."""
        cx, cy = project(self.lat, self.lng, self.zoom, self.scale)
        return cx - self.pixel_width / 2, cy - self.pixel_height / 2

    def to_pixel(self, lat: float, lng: float) -> tuple[float, float]:
        """``(lat, lng)`` → image pixel, taking the copy of the world nearest the centre."""
        ox, oy = self.origin()
        x, y = project(lat, lng, self.zoom, self.scale)
        size = world_size(self.zoom, self.scale)
        cx = ox + self.pixel_width / 2
        x += size * round((cx - x) / size)
        return x - ox, y - oy

    def tile_zoom(self, min_zoom: int, max_zoom: int) -> int:
        """The source zoom whose tiles match output pixels 1:1 (retina = higher zoom)."""
        wanted = self.zoom + int(math.log2(self.scale))
        return max(min_zoom, min(max_zoom, wanted))

    def tile_span(self, tile_zoom: int) -> float:
        """Output pixels covered by one tile of ``tile_zoom``."""
        return TILE_SIZE * self.scale * 2.0 ** (self.zoom - tile_zoom)

    def tiles(self, tile_zoom: int) -> list[tuple[int, int, int]]:
        """Tiles (unwrapped ``x``; ``y`` inside the world) the image needs, left-right, top-down."""
        span = self.tile_span(tile_zoom)
        ox, oy = self.origin()
        n = 2**tile_zoom
        x0, x1 = math.floor(ox / span), math.floor((ox + self.pixel_width - 1) / span)
        y0 = max(0, math.floor(oy / span))
        y1 = min(n - 1, math.floor((oy + self.pixel_height - 1) / span))
        return [(tile_zoom, x, y) for y in range(y0, y1 + 1) for x in range(x0, x1 + 1)]


def wrap_tile(tile: tuple[int, int, int]) -> tuple[int, int, int]:
    z, x, y = tile
    return z, x % (2**z), y


def tile_bounds(z: int, x: int, y: int) -> tuple[float, float, float, float]:
    """``(west, south, east, north)`` of an XYZ tile."""
    b = mercantile.bounds(x, y, z)
    return b.west, b.south, b.east, b.north


def fit(
    points: Sequence[LatLng],
    width: int,
    height: int,
    *,
    padding: int,
    zoom: int | None = None,
    center: LatLng | None = None,
    max_zoom: int = 18,
) -> tuple[LatLng, int]:
    """Centre and zoom that show every point inside ``width × height`` less ``padding``."""
    xs, ys = zip(*(project(lat, lng, 0) for lat, lng in points), strict=True)
    if center is None:
        lat, lng = unproject((min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2, 0)
        lng = max(-180.0, min(180.0, lng))
        center = (lat, lng)
    if zoom is not None:
        return center, zoom
    cx, cy = project(center[0], center[1], 0)
    # half-extent around the centre, so a fixed centre still shows every point
    half_x = max(max(abs(x - cx) for x in xs), 1e-12)
    half_y = max(max(abs(y - cy) for y in ys), 1e-12)
    room_x = max(width / 2 - padding, 1.0)
    room_y = max(height / 2 - padding, 1.0)
    best = math.floor(min(math.log2(room_x / half_x), math.log2(room_y / half_y)))
    return center, max(0, min(max_zoom, best))


def _to_vector(lat: float, lng: float) -> tuple[float, float, float]:
    la, lo = math.radians(lat), math.radians(lng)
    return math.cos(la) * math.cos(lo), math.cos(la) * math.sin(lo), math.sin(la)


def great_circle(a: LatLng, b: LatLng, step_deg: float = 1.0) -> list[LatLng]:
    """Points along the great circle from ``a`` to ``b`` (inclusive), every ``step_deg``."""
    va, vb = _to_vector(*a), _to_vector(*b)
    dot = max(-1.0, min(1.0, sum(p * q for p, q in zip(va, vb, strict=True))))
    omega = math.acos(dot)
    steps = max(1, math.ceil(math.degrees(omega) / step_deg))
    if omega < 1e-9 or abs(math.pi - omega) < 1e-9:
        return [a, b]
    out: list[LatLng] = []
    prev_lng = a[1]
    for i in range(steps + 1):
        t = i / steps
        fa = math.sin((1 - t) * omega) / math.sin(omega)
        fb = math.sin(t * omega) / math.sin(omega)
        x, y, z = (fa * p + fb * q for p, q in zip(va, vb, strict=True))
        lat = math.degrees(math.atan2(z, math.hypot(x, y)))
        lng = math.degrees(math.atan2(y, x))
        # keep longitudes continuous so the line does not jump across the map
        lng += 360.0 * round((prev_lng - lng) / 360.0)
        prev_lng = lng
        out.append((lat, lng))
    return out


def densify_geodesic(points: Iterable[LatLng]) -> list[LatLng]:
    pts = list(points)
    if len(pts) < 2:
        return pts
    out: list[LatLng] = [pts[0]]
    for a, b in itertools.pairwise(pts):
        out.extend(great_circle(a, b)[1:])
    return out


def destination(origin: LatLng, bearing_deg: float, distance_m: float) -> LatLng:
    """The point ``distance_m`` from ``origin`` along ``bearing_deg`` on a sphere."""
    lat1, lng1 = math.radians(origin[0]), math.radians(origin[1])
    brg = math.radians(bearing_deg)
    d = distance_m / EARTH_RADIUS_M
    lat2 = math.asin(math.sin(lat1) * math.cos(d) + math.cos(lat1) * math.sin(d) * math.cos(brg))
    lng2 = lng1 + math.atan2(
        math.sin(brg) * math.sin(d) * math.cos(lat1), math.cos(d) - math.sin(lat1) * math.sin(lat2)
    )
    return math.degrees(lat2), math.degrees(lng2)


def circle(center: LatLng, radius_m: float, segments: int = 72) -> list[LatLng]:
    """A closed ring approximating a circle of ``radius_m`` metres on the ground."""
    ring = [destination(center, 360.0 * i / segments, radius_m) for i in range(segments)]
    return [*ring, ring[0]]


def haversine(a: LatLng, b: LatLng) -> float:
    """Great-circle distance in metres."""
    la1, la2 = math.radians(a[0]), math.radians(b[0])
    dla, dlo = la2 - la1, math.radians(b[1] - a[1])
    h = math.sin(dla / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin(dlo / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))
