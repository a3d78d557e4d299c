"""What every portal route borrows: settings, the database, templates, the current user."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session

from chartographer.accounts import service
from chartographer.accounts.mail import Mailer
from chartographer.accounts.models import User
from chartographer.config import Settings
from chartographer.db import session_scope
from chartographer.portal.security import csrf_token, session_user

T = TypeVar("T")
HERE = Path(__file__).parent
templates = Jinja2Templates(directory=str(HERE / "templates"))


@dataclass
class Portal:
    """Kept on the portal sub-application's ``state.portal``."""

    settings: Settings
    parent: FastAPI
    mailer: Mailer
    oidc: Any = None  # chartographer.portal.oidc.OidcClient when configured
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def pepper(self) -> bytes:
        return self.settings.key_hash_secret.get_secret_value().encode("utf-8")

    @property
    def prefix(self) -> str:
        return self.settings.root_path + "/portal"


class SignInRequired(Exception):
    """Raised by :func:`require_user`; answered with a redirect to the sign-in page."""


class OperatorRequired(Exception):
    """A developer asked for an operator page."""


def portal(request: Request) -> Portal:
    value: Portal = request.app.state.portal
    return value


async def db(request: Request, work: Callable[[Session], T]) -> T:
    """Run ``work(session)`` in one transaction, off the event loop."""
    factory = portal(request).parent.state.sessions

    def run() -> T:
        with session_scope(factory) as session:
            return work(session)

    return await asyncio.to_thread(run)


async def current_user(request: Request) -> User | None:
    """The signed-in, non-suspended user of this session, or None."""
    settings = portal(request).settings
    found = session_user(request, settings.portal_session_hours * 3600)
    if found is None:
        return None
    uid, epoch = found
    user = await db(request, lambda s: s.get(User, uid))
    if user is None or user.session_epoch != epoch or service.status(user) == "suspended":
        request.session.clear()
        return None
    return user


async def require_user(request: Request) -> User:
    user = await current_user(request)
    if user is None:
        raise SignInRequired
    return user


async def require_operator(request: Request) -> User:
    user = await require_user(request)
    if user.role != "operator":
        raise OperatorRequired
    return user


def render(
    request: Request,
    name: str,
    user: User | None = None,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    p = portal(request)
    response: HTMLResponse = templates.TemplateResponse(
        request,
        name,
        {
            "user": user,
            "user_status": service.status(user) if user else None,
            "csrf": csrf_token(request),
            "base": p.prefix,
            "root": p.settings.root_path,
            "oidc_label": p.oidc.label if p.oidc else None,
            "errors": {},
            "values": {},
            **context,
        },
        status_code=status_code,
    )
    return response


def redirect(request: Request, path: str) -> RedirectResponse:
    """303 to a portal path (relative to the portal prefix)."""
    return RedirectResponse(portal(request).prefix + path, status_code=303)


def forget_keys(parent: FastAPI) -> None:
    """Drop the gate's cached key lookups so a change made here applies at once."""
    access = getattr(parent.state, "access", None)
    if access is not None:
        access.gate.forget()
