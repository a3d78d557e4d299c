"""A pure ASGI middleware that guards the API routes (not BaseHTTPMiddleware).

It matches by path prefix, so every route under ``/v1``, ``/chart``, ``/tiles``
and ``/maps/api`` is covered as soon as it exists; docs, the schema and the health
probes stay public. As the response starts it meters the call, reading what
``chartographer.imaging.serve_image`` left in ``request.state.image_usage``.
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime
from typing import Any

from starlette._utils import get_route_path
from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from chartographer import metrics
from chartographer.access.network import CidrSet, resolve_client
from chartographer.access.tally import Tally
from chartographer.errors import ChartographerError, problem_response
from chartographer.headers import WARNING, warning_header

PROTECTED_PREFIXES = ("/v1", "/chart", "/maps/api", "/tiles")
_ADMITTED = metrics.LIMITER_DECISIONS["admitted"]


#: the current UTC day: its [start, end) in unix seconds, and its date
_today = (0.0, 0.0, date.min)


def utc_today() -> date:
    """Today's UTC date (the metering day), worked out once a day, not once a request."""
    global _today
    now = time.time()
    start, end, day = _today
    if not start <= now < end:
        day = datetime.fromtimestamp(now, UTC).date()
        start = datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp()
        _today = (start, start + 86400, day)
    return day


def is_protected(path: str) -> bool:
    """Is ``path`` an image or JSON API route (``/v1/…``, ``/chart``, ``/maps/api/…``, …)?"""
    return any(path == p or path.startswith(p + "/") for p in PROTECTED_PREFIXES)


class ClientAddressMiddleware:
    """Resolve the client behind trusted proxies once, for every route and the access log.

    The ASGI server is told to believe no forwarded header (``chartographer
    serve`` never enables its proxy-header handling), so this is the one place
    that decides who is calling: the TCP peer, unless it is one of
    ``trusted_proxies``, and then the configured header only. ``scope["client"]``
    (and ``scope["scheme"]`` when the proxy says) is rewritten in place, as the
    server's own access log reads it from there.
    """

    def __init__(self, app: ASGIApp, trusted: CidrSet, header: str) -> None:
        self.app = app
        self.trusted = trusted
        self.header = header

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            peer = scope.get("client")
            if peer:
                host, proto = resolve_client(
                    peer[0], scope.get("headers", []), self.trusted, self.header
                )
                if host != peer[0]:
                    scope["client"] = (host, 0)
                if proto is not None:
                    secure = proto in ("https", "wss")
                    if scope["type"] == "websocket":
                        scope["scheme"] = "wss" if secure else "ws"
                    else:
                        scope["scheme"] = "https" if secure else "http"
        await self.app(scope, receive, send)


class AccessMiddleware:
    """Authenticate, rate-limit and meter every protected request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = get_route_path(scope)
        runtime = getattr(scope["app"].state, "access", None)
        if runtime is None or not is_protected(path):
            await self.app(scope, receive, send)
            return
        try:
            principal, decision = await runtime.gate.admit(scope, path)
        except ChartographerError as error:
            metrics.count_refusal(error.type)
            await problem_response(error, Request(scope))(scope, receive, send)
            return
        _ADMITTED.inc()
        state: dict[str, Any] = scope.setdefault("state", {})
        state["access"] = principal
        extra = decision.raw_headers()
        metered = False

        def meter() -> None:
            # called as the response starts: a call the client sees is already on disk
            nonlocal metered
            if metered or principal.subscription_id is None or principal.key_label is None:
                return
            metered = True
            usage = state.get("image_usage") or {}
            route = getattr(scope.get("route"), "path", path)
            runtime.writer.record(
                (principal.subscription_id, principal.key_label, utc_today(), route),
                Tally(
                    requests=1,
                    cache_hits=int(bool(usage.get("cache_hit"))),
                    bytes=int(usage.get("bytes", 0)),
                    render_ms=float(usage.get("render_ms", 0.0)),
                ),
            )

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                meter()
                message["headers"] = [*message.get("headers", ()), *extra]
                if principal.warning:  # joined into the response's own warning field
                    headers = MutableHeaders(scope=message)
                    merged = warning_header([headers.get(WARNING, ""), principal.warning])
                    headers[WARNING] = merged or ""
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            meter()
