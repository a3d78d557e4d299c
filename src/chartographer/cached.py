"""Answer repeated image URLs from the cache before routing, parsing or planning.

A cached image costs almost nothing to send, so the work done to *find* it is
what limits a hit: FastAPI's routing and dependency solving, validating the
declared query parameters, and parsing and planning the chart just to compute
its content hash. :class:`QueryAliases` remembers, for the exact raw bytes of a
GET request's path and query string, which content key and extra headers the
full path produced. :class:`CachedImageMiddleware` (pure ASGI, inside the access
middleware, so keys, limits and metering still apply) looks that alias up and,
if the image is still in the :class:`~chartographer.imaging.ImageCache`, sends
it — with the same ``ETag``, ``304`` handling and headers as
:func:`~chartographer.imaging.serve_image`.

Why a raw-bytes key is safe: the routers are pure functions of the path and
query (and of the fixed settings), so identical bytes always mean the same
spec and the same image. Equivalent spellings (``a=1&b=2`` and ``b=2&a=1``)
simply miss here and meet again at the content key. Only routes that opt in
(``serve_image(..., alias=True)``: the GET chart routes) are remembered; maps
are not, because a degraded map (missing tiles) must not outlive the outage.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import Any

import cachetools
from starlette.types import ASGIApp, Receive, Scope, Send

from chartographer import metrics
from chartographer.formats import Rendered
from chartographer.headers import SVG_POLICY, add_warnings

#: raw URLs remembered; each entry costs its URL length plus a few hundred bytes
ALIAS_BYTES = 16 * 1024 * 1024
#: URLs longer than this are not remembered (they are rare and rarely repeated)
MAX_ALIAS_URL = 8192


@dataclass(frozen=True)
class Alias:
    """What the full path decided for one raw URL."""

    key: str
    headers: tuple[tuple[bytes, bytes], ...]  # extra headers from planning (warnings)
    route: Any  # the matched route (metering and metrics read ``scope["route"]``)
    size: int  # bytes this entry holds, its URL included (the LRU's measure)


def alias_key(scope: Scope) -> str | None:
    """The exact path and query bytes of a GET request, or None if not aliasable."""
    if scope.get("method") != "GET":
        return None
    query: bytes = scope.get("query_string", b"")
    path: str = scope.get("path", "")
    if len(query) + len(path) > MAX_ALIAS_URL:
        return None
    return path + "?" + query.decode("latin-1")


class QueryAliases:
    """A byte-bounded LRU: raw GET URL → :class:`Alias`."""

    def __init__(self, max_bytes: int = ALIAS_BYTES) -> None:
        self._lru: cachetools.LRUCache[str, Alias] = cachetools.LRUCache(
            maxsize=max_bytes, getsizeof=lambda alias: alias.size
        )

    def get(self, url: str) -> Alias | None:
        return self._lru.get(url)

    def remember(self, url: str, key: str, headers: dict[str, str], route: Any) -> None:
        encoded = tuple(
            (k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()
        )
        size = 256 + len(url) + len(key) + sum(len(k) + len(v) for k, v in encoded)
        self._lru[url] = Alias(key, encoded, route, size)

    def __len__(self) -> int:
        return len(self._lru)


def _if_none_match(scope: Scope) -> bytes | None:
    for name, value in scope.get("headers", ()):
        if name == b"if-none-match":
            return bytes(value)
    return None


def etag_matches(header: str | None, etag: str) -> bool:
    """Does an ``If-None-Match`` header match ``etag`` (weak comparison, ``*``)?"""
    if not header:
        return False
    candidates = {c.strip().removeprefix("W/") for c in header.split(",")}
    return "*" in candidates or etag in candidates


#: URLs whose 200 response headers are kept ready (each entry is a few hundred bytes)
READY_HEADERS = 4096


def _headers(alias: Alias, max_age: int, rendered: Rendered | None) -> list[tuple[bytes, bytes]]:
    """The response headers for ``alias``: of a 304 (``rendered`` None) or of a 200."""
    etag = f'"{alias.key}"'
    common = {
        "ETag": etag,
        "Cache-Control": f"public, max-age={max_age}",
        "X-Content-Type-Options": "nosniff",  # as serve_image: an image is only an image
        **{k.decode("latin-1"): v.decode("latin-1") for k, v in alias.headers},
    }
    if rendered is not None:
        add_warnings(common, rendered.warnings)  # the same one field serve_image sends
        if rendered.media_type == "image/svg+xml":
            common["Content-Security-Policy"] = SVG_POLICY
        common["X-Cache"] = "HIT"
        common["Content-Type"] = rendered.media_type
        common["Content-Length"] = str(len(rendered.body))
    return [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in common.items()]


class CachedImageMiddleware:
    """Serve a remembered GET image URL straight from the image cache.

    The headers of a 200 depend only on the alias, the cached image and the
    configured ``max-age``, so they are built once per URL and image and kept
    beside the alias (with a weak reference to the image: an image the cache
    evicts is not held here).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._ready: dict[str, tuple[Alias, weakref.ref[Rendered], int, tuple[Any, ...]]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope.get("method") == "GET":
            state = scope["app"].state
            images = getattr(state, "images", None)
            url = alias_key(scope)
            if images is not None and url is not None:
                alias = images.aliases.get(url)
                if alias is not None and await self._answer(scope, send, images, url, alias):
                    return
        await self.app(scope, receive, send)

    def _hit_headers(
        self, url: str, alias: Alias, max_age: int, rendered: Rendered
    ) -> list[tuple[bytes, bytes]]:
        ready = self._ready.get(url)
        if (
            ready is not None
            and ready[0] is alias
            and ready[1]() is rendered
            and ready[2] == max_age
        ):
            return list(ready[3])  # a fresh list: outer layers add their own headers to it
        headers = _headers(alias, max_age, rendered)
        if len(self._ready) >= READY_HEADERS:
            self._ready.clear()
        self._ready[url] = (alias, weakref.ref(rendered), max_age, tuple(headers))
        return headers

    async def _answer(self, scope: Scope, send: Send, images: Any, url: str, alias: Alias) -> bool:
        state: dict[str, Any] = scope.setdefault("state", {})
        match = _if_none_match(scope)
        if match is not None and etag_matches(match.decode("latin-1"), f'"{alias.key}"'):
            status, body = 304, b""
            headers = _headers(alias, images.max_age, None)
        else:
            rendered = images.cache.get(alias.key)
            if rendered is None:
                return False  # evicted: take the full path, which renders and re-caches
            images.stats.cache_hits += 1
            metrics.CACHE_MEMORY_HIT.inc()  # a hit here is a memory-cache hit like any other
            status, body = 200, rendered.body
            headers = self._hit_headers(url, alias, images.max_age, rendered)
        scope["route"] = alias.route
        state["image_usage"] = {"cache_hit": True, "bytes": len(body), "render_ms": 0.0}
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})
        return True
