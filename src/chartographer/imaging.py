"""The render pool's front: the rendered-bytes cache, single flight and image responses.

A request for an image flows through :func:`serve_image`:

1. the router has already turned the request into a *spec* and its canonical
   content hash (the cache key, also the ``ETag``);
2. ``If-None-Match`` matching that ETag answers ``304`` without rendering;
3. the in-memory LRU cache is consulted; concurrent requests for the same key
   share one render (single flight);
4. otherwise the pure render function runs in a worker process of the
   :class:`~chartographer.renderpool.RenderPool` within the request's deadline
   (queueing + rendering) — a render over budget is killed and answered with
   503 while the event loop keeps serving other requests, and a request whose
   client disconnects while its render is still queued leaves the queue.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from functools import partial
from typing import TYPE_CHECKING, Any

import cachetools
from fastapi import Request, Response

from chartographer import metrics
from chartographer.cached import QueryAliases, alias_key, etag_matches
from chartographer.errors import ChartographerError, RenderTimeout
from chartographer.formats import ImageFormat, Rendered
from chartographer.headers import SVG_POLICY, add_warnings
from chartographer.observability import requests_in_progress
from chartographer.renderpool import RenderPool

if TYPE_CHECKING:
    from chartographer.rediscache import RedisImageCache

log = logging.getLogger(__name__)


def _timed(fn: Callable[..., Rendered], *args: Any) -> Rendered:
    """Run a render and note its own duration (runs inside the worker)."""
    started = time.perf_counter()
    rendered = fn(*args)
    return replace(rendered, seconds=time.perf_counter() - started)


def _kind_of(fn: Callable[..., Rendered], args: tuple[Any, ...]) -> str:
    kind = getattr(args[0], "kind", None) if args else None
    if kind is None:
        return fn.__name__.removeprefix("render_")[:32]
    return str(getattr(kind, "value", kind))[:32]


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


class ClientGone(ChartographerError):
    """The client disconnected before its image was ready; nobody reads this answer."""

    status = 499
    type = "client-closed-request"
    title = "Client closed request"


@dataclass
class _Flight:
    """One render shared by every request for the same key (single flight)."""

    task: asyncio.Task[tuple[Rendered, float, bool]]
    waiters: int = 0


#: resolves when the client of a request has disconnected
Gone = Callable[[], Awaitable[None]]


async def _unless_gone(flight: _Flight, gone: Gone | None) -> tuple[Rendered, float, bool]:
    if gone is None:
        return await asyncio.shield(flight.task)
    waiter = asyncio.ensure_future(asyncio.shield(flight.task))
    watcher: asyncio.Future[None] = asyncio.ensure_future(gone())
    try:
        await asyncio.wait((waiter, watcher), return_when=asyncio.FIRST_COMPLETED)
    finally:
        watcher.cancel()
    if waiter.done():
        return waiter.result()
    waiter.cancel()
    raise ClientGone("the client disconnected before the image was ready")


class ImageService:
    """Cache + single flight + render pool: the one way images get made."""

    def __init__(
        self,
        pool: RenderPool,
        cache: ImageCache,
        max_age: int,
        shared: RedisImageCache | None = None,
        inline: Callable[[Callable[..., Rendered], tuple[Any, ...]], bool] | None = None,
    ) -> None:
        self.pool = pool
        #: which renders may run in this process when no worker is busy (``charts.inline``)
        self.inline = inline
        self.cache = cache
        self.max_age = max_age
        self.shared = shared
        self.stats = RenderStats()
        self.aliases = QueryAliases()
        self._inflight: dict[str, _Flight] = {}

    async def produce(
        self,
        key: str,
        fn: Callable[..., Rendered],
        *args: Any,
        deadline: float | None = None,
        gone: Gone | None = None,
    ) -> Outcome:
        """The image for ``key``: cached, shared with a render in flight, or rendered.

        A render in flight is cancelled (leaves the queue unrendered) when every
        request waiting for it has gone (``gone`` resolved).
        """
        cached = self.cache.get(key)
        if cached is not None:
            self.stats.cache_hits += 1
            metrics.CACHE_MEMORY_HIT.inc()
            return Outcome(cached, cache_hit=True)
        metrics.CACHE_MEMORY_MISS.inc()
        flight = self._inflight.get(key)
        if self.shared is None and self._here(fn, args, others=0):
            await asyncio.sleep(0)  # requests that came in meanwhile start, and count
            if self._here(fn, args, others=0) and key not in self._inflight:
                return self._render_here(key, fn, args)  # no task, no watcher: never yields
            flight = self._inflight.get(key)
        leader = flight is None
        if flight is None:
            task = asyncio.ensure_future(self._render(key, fn, args, deadline))
            task.add_done_callback(_retrieve)
            flight = self._inflight[key] = _Flight(task)
        flight.waiters += 1
        try:
            rendered, elapsed, remote = await _unless_gone(flight, gone)
        finally:
            flight.waiters -= 1
            if flight.waiters == 0 and not flight.task.done():
                flight.task.cancel()  # nobody wants it: leave the queue now
                await asyncio.wait({flight.task})
        if not leader or remote:
            return Outcome(rendered, cache_hit=True)
        return Outcome(rendered, cache_hit=False, render_ms=elapsed)

    def _here(self, fn: Callable[..., Rendered], args: tuple[Any, ...], others: int) -> bool:
        """A bounded-cost render (``charts.inline``), no worker busy, nothing else going on.

        ``others``: renders in flight besides this one. Nothing else going on also
        means no other request in this process (``requests_in_progress``): a render
        drawn here blocks the loop, so requests waiting behind it would reach the
        idle workers late (measured at concurrency 8 when only renders in flight
        were counted: 366 against 758 requests/s with inlining off).
        """
        return (
            len(self._inflight) == others
            and requests_in_progress() <= 1
            and self.inline is not None
            and self.pool.can_inline()
            and self.inline(fn, args)
        )

    def _render_here(self, key: str, fn: Callable[..., Rendered], args: tuple[Any, ...]) -> Outcome:
        """Render on the event loop (see :meth:`RenderPool.run`'s ``inline``).

        Nothing can join or abandon it while it runs, since it never yields: it
        needs neither a single-flight task nor a watch on the client.
        """
        kind = _kind_of(fn, args)
        metrics.RENDERS_INLINE.inc()
        try:
            rendered = _timed(fn, *args)
        except ChartographerError as exc:
            metrics.RENDERS.labels(kind, "none", "error" if exc.status >= 500 else "refused").inc()
            raise
        self._store(key, kind, rendered)
        return Outcome(rendered, cache_hit=False, render_ms=rendered.seconds * 1000)

    def _store(self, key: str, kind: str, rendered: Rendered) -> None:
        metrics.observe_render(kind, rendered.media_type, rendered.seconds)
        self.cache.put(key, rendered)
        metrics.MEMORY_BYTES.set(self.cache.size)
        self.stats.renders += 1

    async def _render(
        self, key: str, fn: Callable[..., Rendered], args: tuple[Any, ...], deadline: float | None
    ) -> tuple[Rendered, float, bool]:
        """Redis (when configured), else one render in the pool, measured for /metrics."""
        started = time.perf_counter()
        kind = _kind_of(fn, args)
        try:
            remote = await self.shared.get(key) if self.shared is not None else None
            if remote is not None:
                self.cache.put(key, remote)
                self.stats.cache_hits += 1
                return remote, 0.0, True
            metrics.QUEUE_DEPTH.inc()
            inline = self._here(fn, args, others=1)  # this render's own flight
            try:
                rendered = await self.pool.run(_timed, fn, *args, deadline=deadline, inline=inline)
            finally:
                metrics.QUEUE_DEPTH.dec()
        except RenderTimeout:
            self.stats.timeouts += 1
            metrics.RENDERS.labels(kind, "none", "timeout").inc()
            raise
        except ChartographerError as exc:
            metrics.RENDERS.labels(kind, "none", "error" if exc.status >= 500 else "refused").inc()
            raise
        finally:
            self._inflight.pop(key, None)
        elapsed = time.perf_counter() - started
        metrics.QUEUE_WAIT.observe(max(elapsed - rendered.seconds, 0.0))
        self._store(key, kind, rendered)
        if self.shared is not None:
            await self.shared.put(key, rendered)
        return rendered, elapsed * 1000, False


def _retrieve(task: asyncio.Task[Any]) -> None:
    """Mark a shared render's failure as seen: it may have had no follower to see it."""
    if not task.cancelled():
        task.exception()


async def _client_gone(request: Request) -> None:
    """Resolve when the client disconnects (ASGI ``http.disconnect``).

    Image routes take no body (POST bodies are already read by FastAPI), so
    reading ``receive`` here consumes nothing a handler still needs.
    """
    while (await request.receive())["type"] != "http.disconnect":
        pass


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
        "X-Content-Type-Options": "nosniff",  # an image is only ever an image
        **(headers or {}),
    }
    if etag_matches(request.headers.get("if-none-match"), etag):
        request.state.image_usage = {"cache_hit": True, "bytes": 0, "render_ms": 0.0}
        return Response(status_code=304, headers=common)
    deadline = time.monotonic() + images.pool.deadline
    outcome = await images.produce(
        key, fn, *args, deadline=deadline, gone=partial(_client_gone, request)
    )
    rendered = outcome.rendered
    add_warnings(common, rendered.warnings)  # one header field, made header-safe
    if rendered.media_type == ImageFormat.svg.media_type:
        common["Content-Security-Policy"] = SVG_POLICY  # SVG opened directly runs nothing
    common["X-Cache"] = "HIT" if outcome.cache_hit else "MISS"
    request.state.image_usage = {
        "cache_hit": outcome.cache_hit,
        "bytes": len(rendered.body),
        "render_ms": outcome.render_ms,
    }
    return Response(content=rendered.body, media_type=rendered.media_type, headers=common)
