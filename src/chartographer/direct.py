"""The hot image routes without FastAPI's routing and dependency solving.

``GET /chart`` and ``GET /v1/charts/{kind}`` are most of the traffic. Their
FastAPI routes stay (they document every parameter in ``/openapi.json`` and
answer every error), but FastAPI spends more time matching the route, solving
its dependencies, re-analysing the query model's annotations on every request
and wrapping it in exception handlers than our own parser needs to read the
query. :class:`DirectImageMiddleware` (pure ASGI, inside the access layer and
the cached-alias lookup, so keys, limits, metering, logging and ``HEAD`` all
still apply) parses and plans those two routes itself with the same functions
the routes call, and serves the image with the same
:func:`~chartographer.imaging.serve_image`.

Anything that does not parse and plan cleanly (a bad parameter, an unknown kind,
``chof=validate``) is handed to the full route untouched, which answers with its
usual problem+json: errors are the same, only the rare path pays for FastAPI.
Once a render has been asked for, its errors (503, 504, 499) are answered here
by the app's own handler for :class:`~chartographer.errors.ChartographerError`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette._utils import get_route_path
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Receive, Scope, Send

from chartographer.charts.google import router as google_router
from chartographer.charts.native import router as native_router
from chartographer.errors import ChartographerError, problem_response

_NATIVE_PREFIX = "/v1/charts/"


def _route(routes: list[BaseRoute], path: str) -> Route:
    """The GET route at ``path`` (what the router would put in ``scope["route"]``)."""
    for route in routes:
        if isinstance(route, Route) and route.path == path and "GET" in (route.methods or ()):
            return route
    raise LookupError(path)  # pragma: no cover - the routers declare both


class DirectImageMiddleware:
    """Parse, plan and serve ``GET /chart`` and ``GET /v1/charts/{kind}`` directly."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._routes = {
            "google": _route(google_router.router.routes, "/chart"),
            "native": _route(native_router.router.routes, _NATIVE_PREFIX + "{kind}"),
        }

    def _planned(
        self, scope: Scope, receive: Receive
    ) -> tuple[Callable[[], Awaitable[Response]], Request, Route] | None:
        path = get_route_path(scope)
        if path == "/chart":
            which, kind = "google", ""
        elif path.startswith(_NATIVE_PREFIX) and "/" not in path[len(_NATIVE_PREFIX) :]:
            which, kind = "native", path[len(_NATIVE_PREFIX) :]
        else:
            return None
        route = self._routes[which]
        request = Request(scope, receive)
        serve = (
            google_router.direct_get(request)
            if which == "google"
            else native_router.direct_get(request, kind)
        )
        return None if serve is None else (serve, request, route)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        planned = None
        if scope["type"] == "http" and scope.get("method") == "GET":
            planned = self._planned(scope, receive)
        if planned is None:
            await self.app(scope, receive, send)
            return
        serve, request, route = planned
        scope["route"] = route  # metrics, metering and the alias cache read the template
        try:
            response = await serve()
        except ChartographerError as exc:
            response = problem_response(exc, request)
        await response(scope, receive, send)
