"""The map spec: the one description of a static map that every front door produces.

The Google parser (``/maps/api/staticmap``) and the native API (``/v1/maps``)
both end in a :class:`MapSpec` with every place already resolved, every limit
checked and the viewport fixed. The pure renderer draws it. Equal specs share
one cache key (together with the identity of the tile source).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict

from chartographer.formats import ImageFormat
from chartographer.maps.geo import Viewport
from chartographer.maps.mapstyle import BasemapStyle

SPEC_VERSION = "1"

MarkerSize = Literal["tiny", "small", "mid", "normal"]


class MapFormat(StrEnum):
    """Output formats, with Google's names (png is 8-bit there, as in Google)."""

    png = "png"
    png8 = "png8"
    png32 = "png32"
    gif = "gif"
    jpg = "jpg"
    jpg_baseline = "jpg-baseline"
    webp = "webp"

    @property
    def image_format(self) -> ImageFormat:
        return _ENCODINGS[self][0]

    @property
    def palette(self) -> bool:
        return _ENCODINGS[self][1]


_ENCODINGS = {
    MapFormat.png: (ImageFormat.png, True),
    MapFormat.png8: (ImageFormat.png, True),
    MapFormat.png32: (ImageFormat.png, False),
    MapFormat.gif: (ImageFormat.gif, True),
    MapFormat.jpg: (ImageFormat.jpg, False),
    MapFormat.jpg_baseline: (ImageFormat.jpg, False),
    MapFormat.webp: (ImageFormat.webp, False),
}

MEDIA_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp")


@dataclass(frozen=True)
class TileSet:
    """Tile images for one render, fetched by the service and handed to the pure renderer."""

    zoom: int
    #: encoded tile images keyed by wrapped ``(x, y)``; ``None`` marks an unavailable tile
    tiles: dict[tuple[int, int], bytes | None] = field(default_factory=dict)
    #: False for the ``none`` source: plain background, nothing is missing
    draw_tiles: bool = True
    #: allow-listed icons used by the markers, name → PNG bytes
    icons: dict[str, bytes] = field(default_factory=dict)
    #: draw the built-in basemap in this style (in the worker) instead of pasting ``tiles``
    basemap: BasemapStyle | None = None


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Marker(_Frozen):
    lat: float
    lng: float
    color: str = "#F44336"
    size: MarkerSize = "normal"
    label: str | None = None
    #: where the location sits on the marker: bottom (pin tip), center, topleft, … or "x,y"
    anchor: str = "bottom"
    #: allow-listed icon name (its bytes travel with the tiles, never fetched by the renderer)
    icon: str | None = None


class MapPath(_Frozen):
    points: tuple[tuple[float, float], ...]
    color: str = "#0000FFBF"
    weight: float = 5.0
    fill: str | None = None
    geodesic: bool = False
    #: inner rings of a filled polygon, cut out of the fill and outlined
    holes: tuple[tuple[tuple[float, float], ...], ...] = ()


class MapSpec(_Frozen):
    width: int
    height: int
    scale: int = 1
    lat: float
    lng: float
    zoom: int
    format: MapFormat = MapFormat.png
    markers: tuple[Marker, ...] = ()
    paths: tuple[MapPath, ...] = ()
    source: str = "default"
    attribution: str = ""
    background: str = "#E5E3DF"
    #: Google ``style=`` rules, applied when the built-in basemap draws the map
    styles: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def viewport(self) -> Viewport:
        return Viewport(self.lat, self.lng, self.zoom, self.width, self.height, self.scale)

    @property
    def media_type(self) -> str:
        return self.format.image_format.media_type

    def cache_key(self, source_identity: str) -> str:
        canonical = SPEC_VERSION + source_identity + self.model_dump_json()
        return "map-" + hashlib.sha256(canonical.encode()).hexdigest()[:32]
