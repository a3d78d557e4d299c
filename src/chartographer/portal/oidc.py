"""Sign-in with OpenID Connect: authorization code + PKCE (S256), ``state`` and ``nonce``.

The relying party is authlib's Starlette client, configured from discovery
(``oidc_discovery_url``, or the Microsoft Entra ID preset ``oidc_entra_tenant``).
Flow data (state, nonce, PKCE verifier, where to return) lives server-side in
:class:`FlowCache` and is bound to the browser by a marker in the session; it
is deleted on first use, so a replayed ``state`` finds nothing. authlib checks
the ID token's signature, issuer, audience, expiry and ``nonce``; the provider
checks the PKCE verifier. An account is linked by verified e-mail address.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.starlette_client import OAuth
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from joserfc.errors import JoseError

from chartographer.accounts import service
from chartographer.config import Settings
from chartographer.portal.context import db, portal, render
from chartographer.portal.security import safe_next, start_session

log = logging.getLogger("chartographer.portal.oidc")
router = APIRouter()
ENTRA_ISSUER_PREFIX = "https://login.microsoftonline.com/"


class FlowCache:
    """authlib's ``cache`` interface, in memory, with expiry.

    Flows last minutes; with several replicas, route ``/portal/oidc/*`` of one
    browser to one replica (sticky sessions) or the callback finds no flow.
    """

    def __init__(self, limit: int = 10_000) -> None:
        self.limit = limit
        self.items: dict[str, tuple[float, str]] = {}

    async def get(self, key: str) -> str | None:
        item = self.items.get(key)
        if item is None or item[0] < time.monotonic():
            self.items.pop(key, None)
            return None
        return item[1]

    async def set(self, key: str, value: str, expires_in: int | None = None) -> None:
        if len(self.items) >= self.limit:
            now = time.monotonic()
            self.items = {k: v for k, v in self.items.items() if v[0] >= now}
            if len(self.items) >= self.limit:
                self.items.clear()
        self.items[key] = (time.monotonic() + (expires_in or 600), value)

    async def delete(self, key: str) -> None:
        self.items.pop(key, None)


class OidcClient:
    """One configured provider."""

    def __init__(self, settings: Settings) -> None:
        assert settings.oidc_metadata_url and settings.oidc_client_id
        self.entra = bool(settings.oidc_entra_tenant and not settings.oidc_discovery_url)
        self.label = settings.oidc_label or (
            "Sign in with Microsoft" if self.entra else "Sign in with OpenID Connect"
        )
        self.redirect_uri = settings.portal_base_url + "/portal/oidc/callback"
        self.cache = FlowCache()
        oauth = OAuth(cache=self.cache)
        secret = settings.oidc_client_secret
        oauth.register(
            name="oidc",
            client_id=settings.oidc_client_id,
            client_secret=secret.get_secret_value() if secret else None,
            server_metadata_url=settings.oidc_metadata_url,
            client_kwargs={"scope": settings.oidc_scopes, "code_challenge_method": "S256"},
        )
        self.app: Any = oauth.create_client("oidc")

    def email_verified(self, claims: dict[str, Any]) -> bool:
        if claims.get("email_verified") is True:
            return True
        # Entra ID has no email_verified; its optional claim xms_edov says the same
        return self.entra and claims.get("xms_edov") in (True, "1", "true")


async def _with_userinfo(
    client: OidcClient, token: dict[str, Any], claims: dict[str, Any]
) -> dict[str, Any]:
    """Add the UserInfo endpoint's claims (many providers keep e-mail out of the ID token)."""
    try:
        extra = dict(await client.app.userinfo(token=token))
    except Exception as exc:  # UserInfo is optional: go on with the ID token's claims
        log.info("OpenID userinfo unavailable: %s", type(exc).__name__)
        return claims
    if extra.get("sub") != claims.get("sub"):  # OIDC Core 5.3.2: must match the ID token
        return claims
    return {**extra, **claims}


@router.get("/oidc/login")
async def oidc_login(request: Request, next: str = "") -> Response:
    p = portal(request)
    if p.oidc is None:
        return render(request, "auth_error.html", None, 404, message="No identity provider.")
    request.session["oidc_next"] = safe_next(next, p.prefix + "/keys")
    try:
        response: Response = await p.oidc.app.authorize_redirect(request, p.oidc.redirect_uri)
    except Exception as exc:  # discovery failed: no route, refused, TLS, bad JSON…
        log.warning("OpenID provider unreachable: %s", type(exc).__name__)
        return render(
            request, "auth_error.html", None, 503, message="The identity provider is unreachable."
        )
    return response


@router.get("/oidc/callback", response_class=HTMLResponse)
async def oidc_callback(request: Request) -> Response:
    p = portal(request)
    if p.oidc is None:
        return render(request, "auth_error.html", None, 404, message="No identity provider.")
    try:
        token = await p.oidc.app.authorize_access_token(request)
    except (OAuthError, JoseError, KeyError, TypeError, ValueError) as exc:
        # KeyError/TypeError: authlib found no flow for this state (replayed or forged)
        log.info("OpenID sign-in refused: %s: %s", type(exc).__name__, str(exc)[:200])
        return render(
            request,
            "auth_error.html",
            None,
            400,
            message="Sign-in with your identity provider did not complete. Please try again.",
        )
    except Exception as exc:  # the token or key endpoint could not be reached
        log.warning("OpenID provider unreachable: %s", type(exc).__name__)
        return render(
            request, "auth_error.html", None, 503, message="The identity provider is unreachable."
        )
    claims = dict(token.get("userinfo") or {})
    if "email" not in claims:
        claims = await _with_userinfo(p.oidc, token, claims)
    issuer, subject = str(claims.get("iss", "")), str(claims.get("sub", ""))
    email, verified = claims.get("email"), p.oidc.email_verified(claims)
    user = await db(
        request,
        lambda s: service.oidc_user(
            s, issuer, subject, email if isinstance(email, str) else None, verified
        ),
    )
    if user is None:
        return render(
            request,
            "auth_error.html",
            None,
            403,
            message="Your identity provider did not confirm an e-mail address for you.",
        )
    if service.status(user) == "suspended":
        return render(request, "auth_error.html", None, 403, message="This account is suspended.")
    target = safe_next(request.session.get("oidc_next"), p.prefix + "/keys")
    approval = p.settings.portal_require_approval
    if not approval and user.approved_at is None:
        user_id = user.id
        user = await db(request, lambda s: service.approve(s, str(user_id)))
    start_session(request, user.id, user.session_epoch)
    return RedirectResponse(target, status_code=303)
