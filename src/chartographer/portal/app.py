"""Assemble the portal sub-application and mount it at ``/portal``."""

from __future__ import annotations

import hashlib
import hmac
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from chartographer.accounts.mail import Mailer
from chartographer.config import Settings
from chartographer.portal import admin_router, keys_router, oidc, router
from chartographer.portal.context import HERE, OperatorRequired, Portal, SignInRequired, render
from chartographer.portal.security import CsrfError, SecurityHeaders

COOKIE = "chartographer_portal"


def session_secret(settings: Settings) -> str:
    if settings.portal_secret is not None:
        return settings.portal_secret.get_secret_value()
    pepper = settings.key_hash_secret.get_secret_value().encode("utf-8")
    return hmac.new(pepper, b"portal-session-cookie", hashlib.sha256).hexdigest()


def build_portal(parent: FastAPI, settings: Settings) -> FastAPI:
    portal_app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    client = oidc.OidcClient(settings) if settings.oidc_metadata_url else None
    portal_app.state.portal = Portal(settings, parent, Mailer.from_settings(settings), client)
    portal_app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    portal_app.include_router(router.router)
    portal_app.include_router(keys_router.router)
    portal_app.include_router(admin_router.router)
    portal_app.include_router(oidc.router)

    @portal_app.exception_handler(CsrfError)
    async def on_csrf(request: Request, exc: Exception) -> Response:
        return render(
            request,
            "auth_error.html",
            None,
            403,
            message="This form has expired or did not come from this site. Reload the page "
            "and send it again.",
        )

    @portal_app.exception_handler(SignInRequired)
    async def on_signin(request: Request, exc: Exception) -> Response:
        wanted = request.scope.get("root_path", "") + request.url.path
        if request.url.query:
            wanted += "?" + request.url.query
        target = f"{settings.root_path}/portal/signin?next={quote(wanted, safe='/')}"
        return RedirectResponse(target, status_code=303)

    @portal_app.exception_handler(OperatorRequired)
    async def on_operator(request: Request, exc: Exception) -> Response:
        return render(request, "auth_error.html", None, 403, message="Operators only.")

    @portal_app.exception_handler(StarletteHTTPException)
    async def on_http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        code = exc.status_code
        message = "There is no such page." if code == 404 else str(exc.detail)
        response: HTMLResponse = render(request, "auth_error.html", None, code, message=message)
        if exc.headers:
            response.headers.update(exc.headers)
        return response

    @portal_app.exception_handler(RequestValidationError)
    async def on_invalid(request: Request, exc: Exception) -> Response:
        return render(request, "auth_error.html", None, 422, message="The request is not valid.")

    portal_app.add_middleware(
        SessionMiddleware,
        secret_key=session_secret(settings),
        session_cookie=COOKIE,
        max_age=int(settings.portal_session_hours * 3600),
        path=(settings.root_path or "") + "/portal",
        same_site="lax",
        https_only=settings.portal_cookie_secure,
    )
    portal_app.add_middleware(SecurityHeaders)
    return portal_app


def mount_portal(app: FastAPI, settings: Settings) -> None:
    if settings.portal_enabled:
        app.mount("/portal", build_portal(app, settings))
