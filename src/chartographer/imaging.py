"""Image formats, the render pool, the rendered-bytes cache and image responses.

A request for an image flows through :func:`serve_image`:

1. the router has already turned the request into a *spec* and its canonical
   content hash (the cache key, also the ``ETag``);
2. ``If-None-Match`` matching that ETag answers ``304`` without rendering;
3. the in-memory LRU cache is consulted; concurrent requests for the same key
   share one render (single flight);
4. otherwise the pure render function runs in a worker process of the
   :class:`RenderPool` with a time budget — a render over budget is killed and
   answered with 503 while the event loop keeps serving other requests.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import io
import logging
import multiprocessing
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import cachetools
import numpy as np
import pebble
from fastapi import Request, Response
from PIL import Image

from chartographer.cached import QueryAliases, alias_key, etag_matches
from chartographer.errors import ChartographerError, RenderTimeout, RenderUnavailable
from chartographer.png import encode_png

log = logging.getLogger(__name__)


class ImageFormat(StrEnum):
    png = "png"
    svg = "svg"
    webp = "webp"
    jpg = "jpg"
    gif = "gif"

    @property
    def media_type(self) -> str:
        return _MEDIA_TYPES[self]


_MEDIA_TYPES = {
    ImageFormat.png: "image/png",
    ImageFormat.svg: "image/svg+xml",
    ImageFormat.webp: "image/webp",
    ImageFormat.jpg: "image/jpeg",
    ImageFormat.gif: "image/gif",
}


def encode_raster(image: Image.Image, fmt: ImageFormat, *, palette: bool = False) -> bytes:
    """Encode a PIL image quickly; full-colour PNG by :func:`chartographer.png.encode_png`."""
    buf = io.BytesIO()
    if fmt is ImageFormat.png:
        if not palette and image.mode in ("RGB", "RGBA"):
            return encode_png(np.asarray(image))
        if palette:
            image = image.convert("RGB").quantize(colors=256, method=Image.Quantize.FASTOCTREE)
        image.save(buf, format="PNG", compress_level=1)
    elif fmt is ImageFormat.webp:
        image.save(buf, format="WEBP", lossless=True, method=0)
    elif fmt is ImageFormat.jpg:
        image.convert("RGB").save(buf, format="JPEG", quality=90)
    elif fmt is ImageFormat.gif:
        image.convert("RGB").quantize(colors=256, method=Image.Quantize.FASTOCTREE).save(
            buf, format="GIF"
        )
    else:  # svg is vector: the renderer must produce it itself
        raise ValueError(f"{fmt} is not a raster format")
    return buf.getvalue()


@dataclass(frozen=True)
class Rendered:
    """What a render function returns: bytes, their media type and any warnings."""

    body: bytes
    media_type: str
    warnings: tuple[str, ...] = ()


@dataclass
class Outcome:
    rendered: Rendered
    cache_hit: bool
    render_ms: float = 0.0


@dataclass
class RenderStats:
    renders: int = 0
    cache_hits: int = 0
    timeouts: int = 0
    render_ms: list[float] = field(default_factory=list)


def _warm_worker() -> None:
    """Import the renderers once per worker so the first request is not slow."""
    import matplotlib

    matplotlib.use("Agg")
    from chartographer.charts import render as chart_render

    chart_render.warm_up()


_inline_lock = threading.Lock()


def _render_inline(fn: Callable[..., Rendered], *args: Any) -> Rendered:
    # matplotlib is not thread-safe and the renderers keep per-process pools:
    # in-process rendering is one render at a time.
    with _inline_lock:
        return fn(*args)


class RenderPool:
    """A bounded pool of worker processes with a per-render time budget.

    ``processes=0`` renders in the calling thread (CLI, debugging); the budget
    cannot be enforced there, so the service always uses processes.
    """

    def __init__(self, processes: int, timeout: float, queue_limit: int) -> None:
        self.timeout = timeout
        self.queue_limit = queue_limit
        self._pending = 0
        self._pool: pebble.ProcessPool | None = None
        if processes > 0:
            # forkserver: never fork a process that already runs the event loop
            # and its threads; the preload makes each worker start warm.
            ctx = multiprocessing.get_context("forkserver")
            ctx.set_forkserver_preload(["chartographer.charts.render", "chartographer.maps.render"])
            self._pool = pebble.ProcessPool(
                max_workers=processes, initializer=_warm_worker, context=ctx
            )

    async def run(self, fn: Callable[..., Rendered], *args: Any) -> Rendered:
        if self._pending >= self.queue_limit:
            raise RenderUnavailable(
                f"{self._pending} renders are queued (limit {self.queue_limit}); retry shortly",
                headers={"Retry-After": "1"},
            )
        self._pending += 1
        try:
            if self._pool is None:
                return await asyncio.to_thread(_render_inline, fn, *args)
            future = self._pool.schedule(fn, args=args, timeout=self.timeout)
            try:
                return await asyncio.wrap_future(future)
            except concurrent.futures.TimeoutError:
                raise RenderTimeout(
                    f"render exceeded the {self.timeout:g} s time budget and was stopped; "
                    "reduce the size or the amount of data"
                ) from None
            except pebble.ProcessExpired as exc:
                log.error("render worker died: %s", exc)
                raise RenderUnavailable("render worker stopped unexpectedly; retry") from None
        finally:
            self._pending -= 1

    def close(self) -> None:
        if self._pool is not None:
            self._pool.stop()
            self._pool.join(timeout=5)


class ImageCache:
    """A size-bounded LRU of rendered images, keyed by content hash."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._lru: cachetools.LRUCache[str, Rendered] | None = None
        if max_bytes > 0:
            self._lru = cachetools.LRUCache(maxsize=max_bytes, getsizeof=self._size)

    @staticmethod
    def _size(item: Rendered) -> int:
        return len(item.body) + 256

    def get(self, key: str) -> Rendered | None:
        return self._lru.get(key) if self._lru is not None else None

    def put(self, key: str, item: Rendered) -> None:
        if self._lru is not None and self._size(item) <= self.max_bytes:
            self._lru[key] = item

    @property
    def size(self) -> int:
        return int(self._lru.currsize) if self._lru is not None else 0

    def __len__(self) -> int:
        return len(self._lru) if self._lru is not None else 0


class ImageService:
    """Cache + single flight + render pool: the one way images get made."""

    def __init__(self, pool: RenderPool, cache: ImageCache, max_age: int) -> None:
        self.pool = pool
        self.cache = cache
        self.max_age = max_age
        self.stats = RenderStats()
        self.aliases = QueryAliases()
        self._inflight: dict[str, asyncio.Future[Rendered]] = {}

    async def produce(self, key: str, fn: Callable[..., Rendered], *args: Any) -> Outcome:
        cached = self.cache.get(key)
        if cached is not None:
            self.stats.cache_hits += 1
            return Outcome(cached, cache_hit=True)
        waiting = self._inflight.get(key)
        if waiting is not None:
            rendered = await asyncio.shield(waiting)
            return Outcome(rendered, cache_hit=True)
        loop = asyncio.get_running_loop()
        shared: asyncio.Future[Rendered] = loop.create_future()
        self._inflight[key] = shared
        started = time.perf_counter()
        try:
            rendered = await self.pool.run(fn, *args)
        except BaseException as exc:
            if isinstance(exc, ChartographerError):
                self.stats.timeouts += isinstance(exc, RenderTimeout)
            shared.set_exception(exc)
            shared.exception()  # mark retrieved: followers may not exist
            raise
        else:
            shared.set_result(rendered)
            self.cache.put(key, rendered)
        finally:
            del self._inflight[key]
        elapsed = (time.perf_counter() - started) * 1000
        self.stats.renders += 1
        return Outcome(rendered, cache_hit=False, render_ms=elapsed)


def etag_for(key: str) -> str:
    return f'"{key}"'


async def serve_image(
    request: Request,
    images: ImageService,
    key: str,
    fn: Callable[..., Rendered],
    *args: Any,
    headers: dict[str, str] | None = None,
    alias: bool = False,
) -> Response:
    """Answer an image request: 304, cache hit or fresh render, with cache headers.

    Usage details land in ``request.state.image_usage`` for the metering layer.
    With ``alias``, the request's raw URL is remembered so that the next identical
    GET is answered by :class:`chartographer.cached.CachedImageMiddleware`.
    """
    if alias:
        url = alias_key(request.scope)
        if url is not None:
            images.aliases.remember(url, key, headers or {}, request.scope.get("route"))
    etag = etag_for(key)
    common = {
        "ETag": etag,
        "Cache-Control": f"public, max-age={images.max_age}",
        **(headers or {}),
    }
    if etag_matches(request.headers.get("if-none-match"), etag):
        request.state.image_usage = {"cache_hit": True, "bytes": 0, "render_ms": 0.0}
        return Response(status_code=304, headers=common)
    outcome = await images.produce(key, fn, *args)
    rendered = outcome.rendered
    if rendered.warnings:
        common["X-Chartographer-Warning"] = "; ".join(rendered.warnings)[:2000]
    common["X-Cache"] = "HIT" if outcome.cache_hit else "MISS"
    request.state.image_usage = {
        "cache_hit": outcome.cache_hit,
        "bytes": len(rendered.body),
        "render_ms": outcome.render_ms,
    }
    return Response(content=rendered.body, media_type=rendered.media_type, headers=common)
