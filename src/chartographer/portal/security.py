"""Session, CSRF and header rules of the portal.

* Sessions are Starlette's signed cookies (``HttpOnly``, ``SameSite=Lax``,
  ``Secure`` when configured). Signing in *rotates* the session: the old
  content (and its CSRF token) is dropped and a fresh session id and token are
  issued. A session names the user's ``session_epoch``; a password reset or a
  suspension bumps the epoch, ending every older session.
* CSRF: a per-session synchronizer token in a hidden field of every form,
  compared in constant time on every POST.
* Headers: a CSP without inline script (``script-src 'self'``), ``frame-ancestors
  'none'``, ``nosniff``, a same-origin referrer policy and ``no-store``.
"""

from __future__ import annotations

import hmac
import secrets
import time
from typing import Any

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
HEADERS = {
    "content-security-policy": CSP,
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "cross-origin-opener-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
}


class SecurityHeaders:
    """Pure ASGI middleware adding :data:`HEADERS` (and ``no-store`` on pages)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = "/static/" in scope.get("path", "")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    headers.setdefault(name, value)
                if not static:
                    headers.setdefault("cache-control", "no-store")
            await send(message)

        await self.app(scope, receive, send_with_headers)


class CsrfError(Exception):
    """A form arrived without this session's CSRF token."""


def csrf_token(request: Request) -> str:
    """This session's CSRF token (made on first use)."""
    session: dict[str, Any] = request.session
    token = session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        session["csrf"] = token
    return token


def check_csrf(request: Request, submitted: object) -> None:
    expected = request.session.get("csrf")
    if (
        not isinstance(expected, str)
        or not isinstance(submitted, str)
        or not hmac.compare_digest(expected.encode(), submitted.encode())
    ):
        raise CsrfError


def start_session(request: Request, user_id: int, epoch: int) -> None:
    """Rotate: forget everything the pre-sign-in session held, issue new ids."""
    request.session.clear()
    request.session.update(
        uid=user_id,
        epoch=epoch,
        sid=secrets.token_urlsafe(16),
        csrf=secrets.token_urlsafe(32),
        at=int(time.time()),
    )


def end_session(request: Request) -> None:
    request.session.clear()


def session_user(request: Request, max_age: float) -> tuple[int, int] | None:
    """(user id, epoch) of a live session, or None."""
    session = request.session
    uid, epoch, at = session.get("uid"), session.get("epoch"), session.get("at")
    if not isinstance(uid, int) or not isinstance(epoch, int) or not isinstance(at, int):
        return None
    if time.time() - at > max_age:
        return None
    return uid, epoch


def safe_next(target: str | None, default: str) -> str:
    """A same-site path to return to; anything else (``//evil``, ``https:…``) → default."""
    if not target or len(target) > 2000:
        return default
    if not target.startswith("/") or target.startswith(("//", "/\\")):
        return default
    if any(ord(c) < 0x21 or c == "\\" for c in target):
        return default
    return target
