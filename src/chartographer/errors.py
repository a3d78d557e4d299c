"""Errors, and how they become ``application/problem+json`` (RFC 9457).

The tree::

    ChartographerError            status, type slug, title, detail, headers
    ├── InvalidParameter          422 — a parameter is malformed or out of range
    ├── LimitExceeded             413 — a documented size limit is exceeded
    ├── RenderTimeout             503 — a render was killed after its time budget
    ├── RenderUnavailable         503 — the render queue is full or the deadline passed
    └── DatabaseUnavailable       503 — the database cannot be reached (also raised
                                        for SQLAlchemy's OperationalError/InterfaceError)

Feature packages raise their own subclasses (e.g. access errors with 401/403/429);
one handler renders them all. FastAPI's validation errors and Starlette's HTTP
errors (404, 405, …) are rendered as problems too, so every error body the API
returns has the same shape.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from chartographer.db import DATABASE_DOWN
from chartographer.protocol import allowed_methods

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_BASE = "https://chartographer.dev/problems/"


class ChartographerError(Exception):
    """Base of every error the API reports to its caller."""

    status: int = 400
    type: str = "bad-request"
    title: str = "Bad request"

    def __init__(
        self,
        detail: str,
        *,
        param: str | None = None,
        status: int | None = None,
        type: str | None = None,
        title: str | None = None,
        headers: Mapping[str, str] | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.param = param
        if status is not None:
            self.status = status
        if type is not None:
            self.type = type
        if title is not None:
            self.title = title
        self.headers: dict[str, str] = dict(headers or {})
        self.extra: dict[str, Any] = dict(extra or {})

    def __reduce__(self) -> tuple[Any, ...]:
        # Errors raised inside render worker processes must survive pickling
        # with their parameter name, status and headers intact.
        state = {
            "param": self.param,
            "status": self.status,
            "type": self.type,
            "title": self.title,
            "headers": self.headers,
            "extra": self.extra,
        }
        return (_rebuild_error, (type(self), self.detail, state))

    def to_problem(self, instance: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": PROBLEM_BASE + self.type,
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
        }
        if self.param is not None:
            body["param"] = self.param
        if instance is not None:
            body["instance"] = instance
        body.update(self.extra)
        return body


def _rebuild_error(
    cls: type[ChartographerError], detail: str, state: dict[str, Any]
) -> ChartographerError:
    return cls(detail, **state)


class InvalidParameter(ChartographerError):
    status = 422
    type = "invalid-parameter"
    title = "Invalid parameter"


class LimitExceeded(ChartographerError):
    status = 413
    type = "limit-exceeded"
    title = "Request exceeds a limit"


class RenderTimeout(ChartographerError):
    status = 503
    type = "render-timeout"
    title = "Render took too long"


class RenderUnavailable(ChartographerError):
    status = 503
    type = "render-unavailable"
    title = "Renderer busy"


class DatabaseUnavailable(ChartographerError):
    status = 503
    type = "database-unavailable"
    title = "Database unavailable"

    def __init__(self, detail: str = "", **kwargs: Any) -> None:
        kwargs.setdefault("headers", {"Retry-After": "5"})
        super().__init__(detail or "the database cannot be reached; retry shortly", **kwargs)


def problem_response(error: ChartographerError, request: Request | None = None) -> JSONResponse:
    instance = request.url.path if request is not None else None
    return JSONResponse(
        error.to_problem(instance),
        status_code=error.status,
        headers=error.headers,
        media_type=PROBLEM_MEDIA_TYPE,
    )


_HTTP_TITLES = {
    400: ("bad-request", "Bad request"),
    401: ("unauthorized", "Unauthorized"),
    403: ("forbidden", "Forbidden"),
    404: ("not-found", "Not found"),
    405: ("method-not-allowed", "Method not allowed"),
    406: ("not-acceptable", "Not acceptable"),
    413: ("limit-exceeded", "Request exceeds a limit"),
    415: ("unsupported-media-type", "Unsupported media type"),
}


def _location_param(loc: Sequence[Any]) -> str:
    """Turn a pydantic error location into the name a caller sent."""
    parts = [str(p) for p in loc if p not in ("query", "body", "path", "header", "form")]
    return ".".join(parts) if parts else "request"


def _validation_detail(
    errors: Sequence[Mapping[str, Any]],
) -> tuple[str, str, list[dict[str, Any]]]:
    items = []
    for err in errors:
        param = _location_param(err.get("loc", ()))
        items.append({"param": param, "message": str(err.get("msg", "invalid"))})
    first = items[0] if items else {"param": "request", "message": "invalid request"}
    detail = "; ".join(f"{i['param']}: {i['message']}" for i in items[:5])
    return first["param"], detail, items


def install_error_handlers(app: FastAPI) -> None:
    """Render every error as problem+json."""

    async def on_domain_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, ChartographerError)
        return problem_response(exc, request)

    async def on_validation_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        param, detail, items = _validation_detail(exc.errors())
        error = InvalidParameter(detail, param=param, extra={"errors": items})
        return problem_response(error, request)

    async def on_http_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        slug, title = _HTTP_TITLES.get(exc.status_code, ("http-error", "HTTP error"))
        detail = exc.detail if isinstance(exc.detail, str) else title
        if exc.status_code == 404 and detail == "Not Found":
            detail = f"No route matches {request.url.path}"
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            # Starlette names only the first route's methods; list every route's
            headers["Allow"] = ", ".join(allowed_methods(request.app, request.scope))
        error = ChartographerError(
            detail, status=exc.status_code, type=slug, title=title, headers=headers
        )
        return problem_response(error, request)

    async def on_database_down(request: Request, exc: Exception) -> JSONResponse:
        # the database stopped or restarts: a fault, not a bug (the pool reconnects)
        return problem_response(DatabaseUnavailable(), request)

    app.add_exception_handler(ChartographerError, on_domain_error)
    for database_down in DATABASE_DOWN:
        app.add_exception_handler(database_down, on_database_down)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(StarletteHTTPException, on_http_error)


class GoogleChartError(ChartographerError):
    """A Google Image Charts parameter that cannot be drawn at all (400, Google's model).

    Here, not in ``charts.google``, because the special renderers (QR, TeX,
    GraphViz) raise it too and must not import the front door.
    """

    status = 400
    type = "invalid-chart-parameter"
    title = "Invalid chart parameter"
