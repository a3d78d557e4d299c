"""Choropleth maps (Google ``cht=map`` and legacy ``cht=t``): regions filled on a world map.

Pure: a :class:`MapChartSpec` in, image bytes out. Boundaries are Natural Earth
1:50m (public domain) from :mod:`chartographer.geodata`, shipped with the
package. The projection is Web Mercator, fitted into the image without
distortion and centred; what falls outside the box is cropped, as Google did.
Drawn at 2× and reduced, so coastlines are smooth.
"""

from __future__ import annotations

import hashlib
import math

import numpy as np
from PIL import Image, ImageDraw
from pydantic import BaseModel, ConfigDict

from chartographer.formats import ImageFormat, Rendered, encode_raster
from chartographer.geodata import Feature, natural_earth

SS = 2  # supersampling
MAX_LAT = 85.0
BORDER = (255, 255, 255, 255)


class MapChartSpec(BaseModel):
    """What decides a choropleth image."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    width: int
    height: int
    #: (ISO code, fill colour) for each highlighted region, drawn in this order
    regions: tuple[tuple[str, str], ...]
    default_color: str = "#BEBEBE"
    background: str = "#FFFFFF"
    #: west, south, east, north in degrees
    bounds: tuple[float, float, float, float] = (-180.0, -60.0, 180.0, 85.0)
    format: ImageFormat = ImageFormat.png

    def cache_key(self) -> str:
        return "map" + hashlib.sha256(self.model_dump_json().encode()).hexdigest()[:29]


def mercator_y(lat: np.ndarray | float) -> np.ndarray:
    lat = np.clip(lat, -MAX_LAT, MAX_LAT)
    return np.asarray(np.log(np.tan(np.pi / 4 + np.radians(lat) / 2)))


class Projection:
    """Degrees → image pixels: the bounds fitted into width×height, centred."""

    def __init__(self, spec: MapChartSpec, scale: int = 1) -> None:
        west, south, east, north = spec.bounds
        self.x0 = math.radians(west)
        top = float(mercator_y(north))
        span_x = max(math.radians(east) - self.x0, 1e-6)
        span_y = max(top - float(mercator_y(south)), 1e-6)
        w, h = spec.width * scale, spec.height * scale
        self.k = min(w / span_x, h / span_y)
        self.dx = (w - span_x * self.k) / 2
        self.dy = (h - span_y * self.k) / 2
        self.top = top

    def pixels(self, ring: np.ndarray) -> list[tuple[float, float]]:
        x = (np.radians(ring[:, 0]) - self.x0) * self.k + self.dx
        y = (self.top - mercator_y(ring[:, 1])) * self.k + self.dy
        return list(zip(x.tolist(), y.tolist(), strict=True))

    def point(self, lng: float, lat: float) -> tuple[float, float]:
        (x, y), *_ = self.pixels(np.array([[lng, lat]]))
        return x, y


def feature_for(code: str) -> Feature | None:
    """A country (``FR``) or first-level unit (``US-CA``) of the shipped data."""
    data = natural_earth()
    return data.subdivision(code) if "-" in code else data.country(code)


def render_map_chart(spec: MapChartSpec) -> Rendered:
    """Every country in the default colour, then the asked regions in theirs."""
    image = draw_map_chart(spec)
    return Rendered(encode_raster(image, spec.format), spec.format.media_type)


def draw_map_chart(spec: MapChartSpec) -> Image.Image:
    projection = Projection(spec, SS)
    size = (spec.width * SS, spec.height * SS)
    canvas = Image.new("RGBA", size, _rgba(spec.background))
    draw = ImageDraw.Draw(canvas)
    for country in natural_earth().all_countries:
        if country.code == "AQ" and spec.bounds[1] > -60:
            continue  # Antarctica only when the map reaches that far south
        _fill(canvas, draw, projection, country, _rgba(spec.default_color))
    for code, color in spec.regions:
        feature = feature_for(code)
        if feature is not None:
            _fill(canvas, draw, projection, feature, _rgba(color))
    # one world only: the copies made at the antimeridian stop at ±180°
    west, east = projection.point(-180.0, 0.0)[0], projection.point(180.0, 0.0)[0]
    if west >= 1:  # a sliver under one pixel needs no cover (and would be an empty box)
        draw.rectangle((0, 0, west - 1, size[1]), fill=_rgba(spec.background))
    if east + 1 < size[0]:
        draw.rectangle((east + 1, 0, size[0], size[1]), fill=_rgba(spec.background))
    return canvas.resize((spec.width, spec.height), Image.Resampling.LANCZOS)


def unwrapped(ring: np.ndarray) -> list[np.ndarray]:
    """A ring cut at the antimeridian made continuous, and its copy one world over.

    Natural Earth splits Russia and Fiji at ±180°; drawn as they are, the jump
    would streak across the map. A ring that circles a pole (Antarctica) is
    left as it is: its jump runs along the pole, off the map.
    """
    if np.abs(np.diff(ring[:, 0])).max(initial=0) <= 180:
        return [ring]
    lng = np.degrees(np.unwrap(np.radians(ring[:, 0])))
    if abs(lng[-1] - lng[0]) > 180:
        return [ring]
    shifted = np.column_stack([lng, ring[:, 1]])
    copy = shifted.copy()
    copy[:, 0] += -360.0 if lng.mean() > 0 else 360.0
    return [shifted, copy]


def _fill(
    canvas: Image.Image,
    draw: ImageDraw.ImageDraw,
    projection: Projection,
    feature: Feature,
    color: tuple[int, int, int, int],
) -> None:
    for polygon in feature.polygons:
        exteriors = [projection.pixels(r) for r in unwrapped(polygon[0])]
        if len(polygon) == 1:
            for exterior in exteriors:
                draw.polygon(exterior, fill=color, outline=BORDER, width=1)
            continue
        # holes (enclaves, lakes): fill through a mask so what lies beneath shows through
        mask = Image.new("L", canvas.size, 0)
        pen = ImageDraw.Draw(mask)
        for exterior in exteriors:
            pen.polygon(exterior, fill=255)
        for hole in polygon[1:]:
            for part in unwrapped(hole):
                pen.polygon(projection.pixels(part), fill=0)
        canvas.paste(Image.new("RGBA", canvas.size, color), (0, 0), mask)
        for exterior in exteriors:
            draw.line([*exterior, exterior[0]], fill=BORDER, width=1)


def main_bbox(feature: Feature) -> tuple[float, float, float, float]:
    """The bounds a map zooms to for one region: its largest part and the parts near it.

    France's overseas departments would otherwise shrink mainland France to a dot.
    """
    parts = [p[0] for p in feature.polygons]
    boxes = [(r[:, 0].min(), r[:, 1].min(), r[:, 0].max(), r[:, 1].max()) for r in parts]
    areas = [(b[2] - b[0]) * (b[3] - b[1]) for b in boxes]
    big = boxes[int(np.argmax(areas))]
    near = [
        b
        for b in boxes
        if b[0] <= big[2] + 20
        and b[2] >= big[0] - 20
        and b[1] <= big[3] + 20
        and b[3] >= big[1] - 20
    ]
    return (
        float(min(b[0] for b in near)),
        float(min(b[1] for b in near)),
        float(max(b[2] for b in near)),
        float(max(b[3] for b in near)),
    )


def _rgba(color: str) -> tuple[int, int, int, int]:
    alpha = int(color[7:9], 16) if len(color) >= 9 else 255
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16), alpha
