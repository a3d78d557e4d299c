"""Tile sources configured by the operator: MBTiles files, HTTP XYZ templates, or none.

Source syntax (``CHARTOGRAPHER_TILES`` and the values of ``tile_sources``)::

    https://tile.example.org/{z}/{x}/{y}.png     HTTP XYZ template (see httptiles)
    mbtiles:///srv/tiles/world.mbtiles           an MBTiles file (TMS rows, raster)
    none                                          plain background, no tiles

A request only ever names a configured source (``maptype``/``tile_provider``);
it can never make the server fetch a URL of its choosing.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

from chartographer.errors import ChartographerError

TileKey = tuple[int, int, int]  # (z, x, y), XYZ scheme, x wrapped
OSM_ATTRIBUTION = "© OpenStreetMap contributors"


class TileSourceUnavailable(ChartographerError):
    status = 502
    type = "tile-source-unavailable"
    title = "Tile source unavailable"


class TileSource(Protocol):
    name: str
    attribution: str
    min_zoom: int
    max_zoom: int
    draws_tiles: bool

    @property
    def identity(self) -> str:
        """What the images depend on, for cache keys (changes when the tiles change)."""
        ...

    async def fetch(self, keys: Iterable[TileKey]) -> dict[TileKey, bytes | None]: ...

    async def close(self) -> None: ...


@dataclass
class SourceConfig:
    name: str
    url: str
    attribution: str | None = None
    min_zoom: int = 0
    max_zoom: int = 19


def parse_source_config(name: str, value: str | Mapping[str, str | int]) -> SourceConfig:
    """A ``tile_sources`` value (a string, or an object with url/attribution/zooms)."""
    if isinstance(value, str):
        return SourceConfig(name, value)
    url = value.get("url")
    if not isinstance(url, str):
        raise ValueError(f"tile source {name!r}: 'url' is required")
    attribution = value.get("attribution")
    return SourceConfig(
        name,
        url,
        attribution=str(attribution) if attribution is not None else None,
        min_zoom=int(value.get("min_zoom", 0)),
        max_zoom=int(value.get("max_zoom", 19)),
    )


def default_attribution(url: str) -> str:
    host = urlsplit(url).hostname or ""
    if host.endswith("openstreetmap.org") or host.endswith("openstreetmap.de"):
        return OSM_ATTRIBUTION
    return f"Map tiles: {host}" if host else ""


class NoTiles:
    """The ``none`` source: a plain background."""

    draws_tiles = False
    min_zoom = 0
    max_zoom = 22

    def __init__(self, name: str, attribution: str | None = None) -> None:
        self.name = name
        self.attribution = attribution or ""

    @property
    def identity(self) -> str:
        return "none"

    async def fetch(self, keys: Iterable[TileKey]) -> dict[TileKey, bytes | None]:
        return {}

    async def close(self) -> None:
        return None


class MBTilesSource:
    """Raster tiles from an MBTiles file (SQLite; rows in TMS order, flipped here)."""

    draws_tiles = True

    def __init__(self, config: SourceConfig, path: Path) -> None:
        if not path.is_file():
            raise ValueError(f"tile source {config.name!r}: no MBTiles file at {path}")
        self.name = config.name
        self.path = path
        meta = read_metadata(path)
        self.min_zoom = int(meta.get("minzoom", config.min_zoom))
        self.max_zoom = int(meta.get("maxzoom", config.max_zoom))
        if meta.get("format", "png") not in ("png", "jpg", "jpeg", "webp"):
            raise ValueError(
                f"tile source {config.name!r}: {meta.get('format')!r} tiles are not raster"
            )
        self.attribution = config.attribution or meta.get("attribution", "") or ""
        self._identity = f"mbtiles:{path}:{path.stat().st_mtime_ns}"

    @property
    def identity(self) -> str:
        return self._identity

    def _read(self, keys: list[TileKey]) -> dict[TileKey, bytes | None]:
        found: dict[TileKey, bytes | None] = {}
        with sqlite3.connect(f"file:{self.path}?mode=ro", uri=True) as db:
            for z, x, y in keys:
                row = db.execute(
                    "SELECT tile_data FROM tiles WHERE zoom_level=? AND tile_column=? "
                    "AND tile_row=?",
                    (z, x, (2**z - 1) - y),
                ).fetchone()
                found[(z, x, y)] = bytes(row[0]) if row else None
        return found

    async def fetch(self, keys: Iterable[TileKey]) -> dict[TileKey, bytes | None]:
        return await asyncio.to_thread(self._read, list(keys))

    async def close(self) -> None:
        return None


def read_metadata(path: Path) -> dict[str, str]:
    """The ``metadata`` table of an MBTiles file (name → value)."""
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            rows = db.execute("SELECT name, value FROM metadata").fetchall()
    except sqlite3.DatabaseError as exc:
        raise ValueError(f"{path} is not an MBTiles file: {exc}") from None
    return {str(name): str(value) for name, value in rows}


def mbtiles_path(url: str) -> Path:
    """``mbtiles:///abs/path`` or ``mbtiles://relative/path`` → a path."""
    rest = url.removeprefix("mbtiles://")
    return Path(rest)
