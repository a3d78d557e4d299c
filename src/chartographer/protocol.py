"""HTTP details every route shares: ``HEAD``, ``Allow`` and redirects that ignore ``Host``.

* **HEAD.** FastAPI routes declared with ``GET`` answer ``HEAD`` with 405, yet
  load balancers, uptime checks and ``curl -I`` use it. :class:`ProtocolMiddleware`
  serves a ``HEAD`` as the ``GET`` it mirrors and drops the body, so the status
  and headers (``ETag``, ``Content-Type``, ``Content-Length``…) are the GET's.
* **Redirects.** Starlette's trailing-slash redirect builds an absolute URL
  from the request's ``Host`` header (``Location: http://evil.example/chart``).
  The middleware turns any ``Location`` that points at the request's own host
  into a relative one, so nothing the client sends is reflected into it.
* **Allow.** :func:`allowed_methods` lists the methods a path accepts, for the
  ``Allow`` header of a 405 (``HEAD`` included wherever ``GET`` is).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.datastructures import Headers, MutableHeaders
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


def allowed_methods(app: ASGIApp, scope: Scope) -> list[str]:
    """Methods some route accepts for ``scope``'s path (``HEAD`` with ``GET``)."""
    router = getattr(app, "router", None)
    routes = getattr(router, "routes", ())
    allowed: list[str] = []
    for method in _METHODS:
        probe = {
            "type": "http",
            "path": scope["path"],
            "root_path": scope.get("root_path", ""),
            "method": method,
            "headers": [],
        }
        if any(route.matches(dict(probe))[0] is Match.FULL for route in routes):
            allowed.append(method)
    if "GET" in allowed:
        allowed.insert(1, "HEAD")
    return allowed


def relative_location(location: str, host: str | None) -> str:
    """``location`` without scheme and authority when it points at ``host``."""
    parts = urlsplit(location)
    if not parts.scheme or not parts.netloc or host is None:
        return location
    if parts.netloc.lower() != host.lower():
        return location
    relative = parts.path or "/"
    if parts.query:
        relative += "?" + parts.query
    if parts.fragment:
        relative += "#" + parts.fragment
    return relative


class ProtocolMiddleware:
    """Serve ``HEAD`` as ``GET`` without a body; make self-redirects relative."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        head = scope["method"] == "HEAD"
        if head:
            scope = {**scope, "method": "GET"}
        host = Headers(scope=scope).get("host")

        async def send_adjusted(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] in _REDIRECTS:
                headers = MutableHeaders(scope=message)
                if "location" in headers:
                    headers["location"] = relative_location(headers["location"], host)
            elif message["type"] == "http.response.body" and head:
                message = {**message, "body": b""}
            await send(message)

        await self.app(scope, receive, send_adjusted)
