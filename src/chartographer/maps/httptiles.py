"""HTTP XYZ tiles within the OpenStreetMap tile usage policy.

- an identifying ``User-Agent`` (operator contact appended when configured);
- every tile is reused for ``max(Cache-Control max-age / Expires, min_freshness)``
  (at least 7 days by default) from a bounded memory LRU and an optional
  bounded on-disk cache (SQLite), so a busy map costs the tile server little;
- stale tiles are revalidated with ``If-None-Match`` / ``If-Modified-Since``
  and served stale if the server cannot answer;
- one connection pool (reused connections), bounded parallel downloads,
  timeouts, single flight per tile and a short negative cache for failures.
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import re
import sqlite3
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import cachetools
import httpx

from chartographer.maps.tiles import SourceConfig, TileKey, default_attribution

log = logging.getLogger(__name__)

NEGATIVE_TTL = 60.0
_MAX_AGE = re.compile(r"(?:^|,)\s*(?:s-)?max-age\s*=\s*(\d+)", re.IGNORECASE)
MAX_TILE_BYTES = 2 * 1024 * 1024


@dataclass
class CachedTile:
    body: bytes
    fresh_until: float
    etag: str | None = None
    last_modified: str | None = None


def freshness(headers: httpx.Headers, now: float, minimum: float) -> float:
    """When a tile stops being fresh: the server's lifetime, but never under ``minimum``."""
    lifetime = 0.0
    match = _MAX_AGE.search(headers.get("cache-control", ""))
    if match:
        lifetime = float(match.group(1))
    elif "expires" in headers:
        try:
            expires = email.utils.parsedate_to_datetime(headers["expires"]).timestamp()
            lifetime = expires - now
        except (TypeError, ValueError):
            lifetime = 0.0
    return now + max(lifetime, minimum)


class DiskCache:
    """A size-bounded SQLite store of tiles with their validators (oldest use evicted first)."""

    def __init__(self, directory: Path, max_bytes: int) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._db = sqlite3.connect(directory / "tiles.sqlite", check_same_thread=False, timeout=5)
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS tiles (key TEXT PRIMARY KEY, body BLOB, fresh_until REAL,"
            " etag TEXT, last_modified TEXT, used REAL, size INTEGER)"
        )
        self._db.commit()

    def get(self, key: str) -> CachedTile | None:
        try:
            return self._get(key)
        except sqlite3.Error as exc:  # another process holds the lock, disk full, …
            log.warning("tile disk cache read failed: %s", exc)
            return None

    def put(self, key: str, tile: CachedTile) -> None:
        try:
            self._put(key, tile)
        except sqlite3.Error as exc:
            log.warning("tile disk cache write failed: %s", exc)

    def _get(self, key: str) -> CachedTile | None:
        with self._lock:
            row = self._db.execute(
                "SELECT body, fresh_until, etag, last_modified FROM tiles WHERE key=?", (key,)
            ).fetchone()
            if row is None:
                return None
            self._db.execute("UPDATE tiles SET used=? WHERE key=?", (time.time(), key))
            self._db.commit()
        return CachedTile(bytes(row[0]), float(row[1]), row[2], row[3])

    def _put(self, key: str, tile: CachedTile) -> None:
        with self._lock:
            self._db.execute(
                "REPLACE INTO tiles VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    key,
                    tile.body,
                    tile.fresh_until,
                    tile.etag,
                    tile.last_modified,
                    time.time(),
                    len(tile.body),
                ),
            )
            total = self._db.execute("SELECT COALESCE(SUM(size), 0) FROM tiles").fetchone()[0]
            while total > self.max_bytes:
                row = self._db.execute(
                    "SELECT key, size FROM tiles ORDER BY used LIMIT 1"
                ).fetchone()
                self._db.execute("DELETE FROM tiles WHERE key=?", (row[0],))
                total -= row[1]
            self._db.commit()

    def close(self) -> None:
        with self._lock:
            self._db.close()


class HttpTileSource:
    """An XYZ template (``{z}``, ``{x}``, ``{y}``) fetched politely and cached."""

    draws_tiles = True

    def __init__(
        self,
        config: SourceConfig,
        client: httpx.AsyncClient,
        *,
        memory_bytes: int,
        disk: DiskCache | None,
        min_freshness: float,
        concurrency: int,
    ) -> None:
        template = config.url
        if not template.startswith(("http://", "https://")) or not all(
            part in template for part in ("{z}", "{x}", "{y}")
        ):
            raise ValueError(
                f"tile source {config.name!r}: {template!r} must be an http(s) URL "
                "with {z}, {x} and {y}"
            )
        self.name = config.name
        # {r} (Leaflet's convention) marks a source that has @2x tiles
        self.retina = "{r}" in template
        self.template = template.replace("{r}", "")
        self.retina_template = template.replace("{r}", "@2x")
        self.attribution = (
            config.attribution if config.attribution is not None else default_attribution(template)
        )
        self.min_zoom, self.max_zoom = config.min_zoom, config.max_zoom
        self.client = client
        self.disk = disk
        self.min_freshness = min_freshness
        self._memory: cachetools.LRUCache[str, CachedTile] = cachetools.LRUCache(
            maxsize=max(memory_bytes, 1), getsizeof=lambda t: len(t.body) + 200
        )
        self._failed: cachetools.TTLCache[str, bool] = cachetools.TTLCache(10_000, NEGATIVE_TTL)
        self._limit = asyncio.Semaphore(concurrency)
        self._inflight: dict[str, asyncio.Future[bytes | None]] = {}
        self.requests = 0  # tile requests sent (for operators and tests)

    @property
    def identity(self) -> str:
        return "xyz:" + self.retina_template if self.retina else "xyz:" + self.template

    def url(self, key: TileKey, retina: bool = False) -> str:
        z, x, y = key
        template = self.retina_template if retina else self.template
        return template.replace("{z}", str(z)).replace("{x}", str(x)).replace("{y}", str(y))

    async def fetch(
        self, keys: Iterable[TileKey], retina: bool = False
    ) -> dict[TileKey, bytes | None]:
        wanted = list(dict.fromkeys(keys))
        bodies = await asyncio.gather(*(self.get(key, retina) for key in wanted))
        return dict(zip(wanted, bodies, strict=True))

    async def get(self, key: TileKey, retina: bool = False) -> bytes | None:
        url = self.url(key, retina)
        cached = self._memory.get(url)
        if cached is not None and cached.fresh_until > time.time():
            return cached.body
        waiting = self._inflight.get(url)
        if waiting is not None:
            return await asyncio.shield(waiting)
        future: asyncio.Future[bytes | None] = asyncio.get_running_loop().create_future()
        self._inflight[url] = future
        try:
            body = await self._load(url, cached)
            future.set_result(body)
            return body
        finally:
            del self._inflight[url]

    async def _load(self, url: str, cached: CachedTile | None) -> bytes | None:
        if cached is None and self.disk is not None:
            cached = await asyncio.to_thread(self.disk.get, url)
        now = time.time()
        if cached is not None and cached.fresh_until > now:
            self._memory[url] = cached
            return cached.body
        if url in self._failed:
            return cached.body if cached is not None else None
        try:
            fresh = await self._download(url, cached)
        except (httpx.HTTPError, ValueError) as exc:
            log.warning("tile %s unavailable: %s", url, exc)
            self._failed[url] = True
            return cached.body if cached is not None else None  # stale beats nothing
        self._memory[url] = fresh
        if self.disk is not None:
            await asyncio.to_thread(self.disk.put, url, fresh)
        return fresh.body

    async def _download(self, url: str, cached: CachedTile | None) -> CachedTile:
        headers = {}
        if cached is not None and cached.etag:
            headers["If-None-Match"] = cached.etag
        if cached is not None and cached.last_modified:
            headers["If-Modified-Since"] = cached.last_modified
        async with self._limit:
            self.requests += 1
            response = await self.client.get(url, headers=headers)
        now = time.time()
        if response.status_code == 304 and cached is not None:
            cached.fresh_until = freshness(response.headers, now, self.min_freshness)
            cached.etag = response.headers.get("etag", cached.etag)
            return cached
        response.raise_for_status()
        if not response.content or len(response.content) > MAX_TILE_BYTES:
            raise ValueError(f"tile body of {len(response.content)} bytes")
        return CachedTile(
            response.content,
            freshness(response.headers, now, self.min_freshness),
            response.headers.get("etag"),
            response.headers.get("last-modified"),
        )

    async def close(self) -> None:
        return None  # the client and the disk cache belong to the service
