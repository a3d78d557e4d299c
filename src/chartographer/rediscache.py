"""The shared image cache in Redis: a chart rendered on one replica is a hit on the others.

It sits *behind* the per-process memory cache (:class:`chartographer.imaging.ImageCache`):
memory first, then Redis, then a render. Entries are bounded three ways: each
expires after ``redis_cache_ttl`` seconds, images larger than
``redis_cache_max_item_bytes`` are not stored, and the Redis server itself
should run with ``maxmemory`` and ``maxmemory-policy allkeys-lru`` (see
docs/deployment.md). Keys carry the package version, so an upgrade never serves
an image drawn by older code.

Redis trouble never becomes an error: every call has a short timeout, a failed
call counts as a miss (``image_cache_requests_total{tier="redis",result="error"}``)
and Redis is left alone for a few seconds before it is tried again, so an
outage costs at most one timeout per few seconds, not one per request.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from chartographer import __version__, metrics
from chartographer.formats import Rendered

log = logging.getLogger(__name__)
RETRY_SECONDS = 5.0
_ERRORS = (RedisError, OSError, TimeoutError)


def encode(rendered: Rendered) -> bytes:
    header = json.dumps({"t": rendered.media_type, "w": list(rendered.warnings)})
    return header.encode() + b"\n" + rendered.body


def decode(raw: bytes) -> Rendered:
    header, _, body = raw.partition(b"\n")
    meta = json.loads(header)
    return Rendered(body, str(meta["t"]), tuple(str(w) for w in meta["w"]))


class RedisImageCache:
    """Rendered images in Redis with a TTL, an item size bound and a circuit breaker."""

    def __init__(self, url: str, ttl: int, max_item_bytes: int, timeout: float) -> None:
        self.client = aioredis.Redis.from_url(
            url, socket_timeout=timeout, socket_connect_timeout=timeout
        )
        self.ttl = ttl
        self.max_item_bytes = max_item_bytes
        self.timeout = timeout
        self.prefix = f"cg:img:{__version__}:"
        self.down_until = 0.0

    def _available(self) -> bool:
        return not self.down_until or time.monotonic() >= self.down_until

    def _failed(self, exc: BaseException) -> None:
        metrics.CACHE_REDIS_ERROR.inc()
        if not self.down_until:
            log.warning(
                "shared image cache unavailable (%s); using the local cache only",
                type(exc).__name__,
            )
        self.down_until = time.monotonic() + RETRY_SECONDS

    def _succeeded(self) -> None:
        if self.down_until:
            log.warning("shared image cache is back")
            self.down_until = 0.0

    async def get(self, key: str) -> Rendered | None:
        """The image for ``key``, or ``None`` (missing, or Redis unavailable)."""
        if not self._available():
            return None
        try:
            raw = await asyncio.wait_for(self.client.get(self.prefix + key), self.timeout)
            item = decode(raw) if raw is not None else None
        except _ERRORS as exc:
            self._failed(exc)
            return None
        except (ValueError, KeyError, TypeError):  # not ours / corrupt: treat as a miss
            item = None
        self._succeeded()
        (metrics.CACHE_REDIS_MISS if item is None else metrics.CACHE_REDIS_HIT).inc()
        return item

    async def put(self, key: str, rendered: Rendered) -> None:
        """Store ``rendered`` for the other replicas (silently skipped when too big or down)."""
        if len(rendered.body) > self.max_item_bytes or not self._available():
            return
        try:
            await asyncio.wait_for(
                self.client.set(self.prefix + key, encode(rendered), ex=self.ttl), self.timeout
            )
        except _ERRORS as exc:
            self._failed(exc)
        else:
            self._succeeded()

    async def close(self) -> None:
        await self.client.aclose()
