"""Account pages: sign up, confirm, sign in and out, password reset.

``*_page`` routes render a form; ``*_handler`` routes take its POST. Every
handler checks CSRF first (:func:`read_form`), answers bad input with the form
again and a message next to the field (422), and never says whether an e-mail
address has an account.
"""

from __future__ import annotations

import hashlib

from fastapi import APIRouter, BackgroundTasks, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from chartographer.access.network import client_ip
from chartographer.access.quota import parse_limits
from chartographer.accounts import service
from chartographer.accounts.service import AccountError
from chartographer.portal.context import current_user, db, portal, redirect, render
from chartographer.portal.forms import read_form
from chartographer.portal.security import end_session, safe_next, start_session

router = APIRouter()
SIGNIN_FAILED = "The e-mail address or the password is not right."


@router.get("/", response_class=HTMLResponse)
async def home_page(request: Request) -> Response:
    user = await current_user(request)
    return render(request, "home.html", user)


# --- sign up and confirmation ---------------------------------------------------
@router.get("/signup", response_class=HTMLResponse)
async def signup_page(request: Request) -> Response:
    return render(request, "signup.html", await current_user(request))


@router.post("/signup", response_class=HTMLResponse)
async def signup_handler(request: Request, background: BackgroundTasks) -> Response:
    form = await read_form(request)
    p = portal(request)
    email, password = form.text("email", 400), form.text("password", 400)
    if not form.errors:
        try:
            mail = await db(
                request,
                lambda s: service.sign_up(
                    s, email, password, p.settings.portal_base_url, p.settings.portal_token_hours
                ),
            )
        except AccountError as exc:
            form.errors[exc.field] = str(exc)
        else:
            background.add_task(p.mailer.send, mail.to, mail.subject, mail.body)
            return render(request, "check_mail.html", None, address=mail.to)
    return render(
        request, "signup.html", None, 422, errors=form.errors, values=form.values("email")
    )


@router.get("/confirm/{token}", response_class=HTMLResponse)
async def confirm_page(request: Request, token: str) -> Response:
    return render(request, "confirm.html", None, token=token[:200])


@router.post("/confirm/{token}", response_class=HTMLResponse)
async def confirm_handler(request: Request, token: str) -> Response:
    await read_form(request)
    approval = portal(request).settings.portal_require_approval
    user = await db(request, lambda s: service.confirm(s, token[:200], approval))
    if user is None:
        return render(request, "link_invalid.html", None, 400)
    return render(request, "confirmed.html", None, pending=service.status(user) == "pending")


# --- sign in and out ----------------------------------------------------------------
@router.get("/signin", response_class=HTMLResponse)
async def signin_page(request: Request, next: str = "") -> Response:
    nxt = safe_next(next, "")
    return render(request, "signin.html", await current_user(request), values={"next": nxt})


async def _attempt_allowed(request: Request, email: str) -> bool:
    """Count this attempt per client IP and per account in the shared `limits` storage."""
    p = portal(request)
    windows = parse_limits(p.settings.portal_signin_limits)
    gate = p.parent.state.access.gate
    peer = request.client.host if request.client else None
    address = client_ip(peer, list(request.scope.get("headers", [])), gate.trusted)
    account = hashlib.sha256(email.strip().lower().encode("utf-8")).hexdigest()[:32]
    by_ip = await gate.limiter.hit(f"portal-signin-ip:{address}", windows)
    by_account = await gate.limiter.hit(f"portal-signin-account:{account}", windows)
    return bool(by_ip.admitted and by_account.admitted)


@router.post("/signin", response_class=HTMLResponse)
async def signin_handler(request: Request) -> Response:
    form = await read_form(request)
    email, password = form.text("email", 400), form.text("password", 400)
    target = safe_next(form.text("next", 2000), portal(request).prefix + "/keys")
    values = {"email": form.values("email")["email"], "next": target}
    if form.errors:
        return render(request, "signin.html", None, 422, errors=form.errors, values=values)
    if not await _attempt_allowed(request, email):
        response = render(
            request,
            "signin.html",
            None,
            429,
            errors={"form": "Too many sign-in attempts. Wait a minute and try again."},
            values=values,
        )
        response.headers["Retry-After"] = "60"
        return response
    user = await db(request, lambda s: service.authenticate(s, email, password))
    if user is None:
        return render(
            request, "signin.html", None, 401, errors={"form": SIGNIN_FAILED}, values=values
        )
    state = service.status(user)
    if state in ("unconfirmed", "suspended"):
        message = (
            "Confirm your e-mail address first: follow the link we sent you."
            if state == "unconfirmed"
            else "This account is suspended. Contact the operator."
        )
        return render(request, "signin.html", None, 403, errors={"form": message}, values=values)
    start_session(request, user.id, user.session_epoch)
    return RedirectResponse(target, status_code=303)


@router.post("/signout")
async def signout_handler(request: Request) -> Response:
    await read_form(request)
    end_session(request)
    return redirect(request, "/signin")


# --- password reset ---------------------------------------------------------------
@router.get("/reset", response_class=HTMLResponse)
async def reset_request_page(request: Request) -> Response:
    return render(request, "reset_request.html", None)


@router.post("/reset", response_class=HTMLResponse)
async def reset_request_handler(request: Request, background: BackgroundTasks) -> Response:
    form = await read_form(request)
    p = portal(request)
    email = form.text("email", 400)
    if not form.errors:
        try:
            mail = await db(
                request,
                lambda s: service.request_reset(
                    s, email, p.settings.portal_base_url, p.settings.portal_token_hours
                ),
            )
        except AccountError as exc:
            form.errors[exc.field] = str(exc)
        else:
            if mail is not None:
                background.add_task(p.mailer.send, mail.to, mail.subject, mail.body)
            return render(request, "check_mail.html", None, address=email.strip().lower())
    return render(
        request, "reset_request.html", None, 422, errors=form.errors, values=form.values("email")
    )


@router.get("/reset/{token}", response_class=HTMLResponse)
async def reset_page(request: Request, token: str) -> Response:
    return render(request, "reset.html", None, token=token[:200])


@router.post("/reset/{token}", response_class=HTMLResponse)
async def reset_handler(request: Request, token: str) -> Response:
    form = await read_form(request)
    password = form.text("password", 400)
    if not form.errors:
        try:
            user = await db(request, lambda s: service.reset_password(s, token[:200], password))
        except AccountError as exc:
            form.errors[exc.field] = str(exc)
        else:
            if user is None:
                return render(request, "link_invalid.html", None, 400)
            return render(request, "reset_done.html", None)
    return render(request, "reset.html", None, 422, errors=form.errors, token=token[:200])
