"""The ``builtin`` tile source: the Natural Earth basemap, drawn on demand, no network.

It is always configured (as ``builtin``, and as the default when
``CHARTOGRAPHER_TILES=builtin``). Static maps draw its tiles inside the render
worker (:class:`~chartographer.maps.spec.TileSet` carries the style instead of
tile bytes), so no PNG is encoded or decoded on the way; the tile server asks
the render pool for encoded tiles (:func:`render_tile_image`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from importlib import resources

from chartographer.formats import ImageFormat, Rendered, encode_raster
from chartographer.maps import basemap
from chartographer.maps.mapstyle import BasemapStyle
from chartographer.maps.tiles import TileKey

BUILTIN = "builtin"
ATTRIBUTION = "Natural Earth, GeoNames"


def _data_version() -> str:
    raw = resources.files("chartographer.geodata").joinpath("naturalearth.json.gz").read_bytes()
    return hashlib.sha256(raw).hexdigest()[:12]


class BuiltinSource:
    """Natural Earth basemap tiles, zoom 0 to :data:`basemap.MAX_ZOOM` (then overzoomed)."""

    draws_tiles = True
    min_zoom = basemap.MIN_ZOOM
    max_zoom = basemap.MAX_ZOOM
    retina = True  # draws @2x tiles natively

    def __init__(self, name: str = BUILTIN, attribution: str | None = None) -> None:
        self.name = name
        self.attribution = attribution if attribution is not None else ATTRIBUTION
        self._identity = "builtin:" + _data_version()

    @property
    def identity(self) -> str:
        return self._identity

    async def fetch(self, keys: Iterable[TileKey]) -> dict[TileKey, bytes | None]:
        """Tiles are drawn where they are used (a render worker), never fetched."""
        return {}

    async def close(self) -> None:
        return None


def render_tile_image(
    z: int, x: int, y: int, size: int, style: BasemapStyle, image_format: ImageFormat
) -> Rendered:
    """An encoded basemap tile (runs in a render worker for ``/tiles/builtin/…``)."""
    tile = basemap.render_tile(z, x, y, size, style)
    return Rendered(encode_raster(tile, image_format, palette=False), image_format.media_type, ())
