"""Keys and usage pages: list/create/roll/revoke keys, sign URLs, usage chart, CSV, live SSE."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import time
from collections.abc import AsyncIterator
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse

from chartographer.access.service import utcnow
from chartographer.accounts import developer, service
from chartographer.accounts.models import User
from chartographer.accounts.service import AccountError
from chartographer.portal.context import db, forget_keys, portal, render, require_user
from chartographer.portal.forms import Form, read_form
from chartographer.usertext import is_digits

router = APIRouter()
UserDep = Annotated[User, Depends(require_user)]
USAGE_SPANS = (30, 90)


async def _keys_page(
    request: Request,
    user: User,
    status_code: int = 200,
    form: Form | None = None,
    **extra: object,
) -> Response:
    def load(session):  # type: ignore[no-untyped-def]
        fresh = session.get(User, user.id)
        return developer.key_rows(session, fresh.subscription), fresh.subscription

    rows, subscription = await db(request, load)
    settings = portal(request).settings
    return render(
        request,
        "keys.html",
        user,
        status_code,
        keys=rows,
        client_id=subscription.client_id if subscription else None,
        max_overlap=settings.portal_max_overlap_hours,
        errors=form.errors if form else {},
        values=form.values("name", "referrers", "cidrs", "expires", "url") if form else {},
        **extra,
    )


@router.get("/keys", response_class=HTMLResponse)
async def keys_page(request: Request, user: UserDep) -> Response:
    return await _keys_page(request, user)


def _active(session, user: User) -> User:  # type: ignore[no-untyped-def]
    """The user, fresh from the database, refusing accounts not yet approved."""
    fresh: User = session.get(User, user.id)
    if service.status(fresh) != "active":
        raise AccountError("an operator has to approve your account before you make keys", "name")
    return fresh


@router.post("/keys", response_class=HTMLResponse)
async def create_key_handler(request: Request, user: UserDep) -> Response:
    form = await read_form(request)
    p = portal(request)
    name = form.text("name", 200)
    refs, nets = form.text("referrers", 5000), form.text("cidrs", 5000)
    expires = form.date("expires")
    if not form.errors:

        def create(session):  # type: ignore[no-untyped-def]
            fresh = _active(session, user)
            referrers, cidrs = developer.parse_restrictions(refs, nets)
            plan = service.default_plan(
                session, p.settings.portal_default_plan, p.settings.portal_default_plan_limits
            )
            subscription = service.subscription_for(session, fresh, plan)
            return developer.create_key(
                session,
                subscription,
                p.pepper,
                name=name,
                referrers=referrers,
                cidrs=cidrs,
                expires_at=expires,
                max_keys=p.settings.portal_max_keys,
            ).key

        try:
            key = await db(request, create)
        except AccountError as exc:
            form.errors[exc.field] = str(exc)
        else:
            return await _keys_page(request, user, 201, new_key=key)
    return await _keys_page(request, user, 422, form)


@router.post("/keys/{key_id}/roll", response_class=HTMLResponse)
async def roll_key_handler(request: Request, user: UserDep, key_id: int) -> Response:
    form = await read_form(request)
    p = portal(request)
    limit = p.settings.portal_max_overlap_hours
    overlap = form.integer("overlap", 0, limit, default=min(24, limit))
    if not form.errors:

        def roll(session):  # type: ignore[no-untyped-def]
            fresh = session.get(User, user.id)
            return developer.roll_key(
                session, fresh.subscription, p.pepper, key_id, overlap, limit
            ).key

        try:
            key = await db(request, roll)
        except AccountError as exc:
            form.errors["key"] = str(exc)
        else:
            forget_keys(p.parent)
            return await _keys_page(request, user, 201, new_key=key, overlap=overlap)
    if "overlap" in form.errors:  # the roll forms sit in the table: say it at the top
        form.errors["key"] = "Overlap: " + form.errors.pop("overlap")
    return await _keys_page(request, user, 422, form)


@router.post("/keys/{key_id}/revoke", response_class=HTMLResponse)
async def revoke_key_handler(request: Request, user: UserDep, key_id: int) -> Response:
    form = await read_form(request)
    p = portal(request)

    def revoke(session):  # type: ignore[no-untyped-def]
        fresh = session.get(User, user.id)
        return developer.revoke_key(session, fresh.subscription, key_id).prefix

    try:
        prefix = await db(request, revoke)
    except AccountError as exc:
        form.errors["key"] = str(exc)
        return await _keys_page(request, user, 404, form)
    forget_keys(p.parent)
    return await _keys_page(request, user, notice=f"Key {prefix}… is revoked.")


@router.post("/keys/secret", response_class=HTMLResponse)
async def secret_handler(request: Request, user: UserDep) -> Response:
    form = await read_form(request)
    url = form.text("url", 8192).strip()

    def reveal(session):  # type: ignore[no-untyped-def]
        fresh = session.get(User, user.id)
        if fresh.subscription is None:
            raise AccountError("make a key first: the signing secret comes with it", "url")
        signed = developer.sign_url(fresh.subscription, url) if url else None
        return fresh.subscription.signing_secret, signed

    try:
        secret, signed = await db(request, reveal)
    except AccountError as exc:
        form.errors[exc.field] = str(exc)
        return await _keys_page(request, user, 422, form)
    return await _keys_page(request, user, secret=secret, signed_url=signed, form=form)


# --- usage ----------------------------------------------------------------------
def _chart_url(request: Request, usage: developer.Usage, subscription: object) -> str | None:
    """The usage chart as a URL of the service's own chart API, signed with the user's secret."""
    if subscription is None:
        return None
    step = max(len(usage.days) // 6, 1)
    labels = [d.strftime("%d %b") if i % step == 0 else "" for i, d in enumerate(usage.days)]
    query = urlencode(
        {
            "values": ",".join(str(v) for v in usage.per_day),
            "labels": ",".join(labels),
            "width": "720",
            "height": "260",
            "title": f"Calls per day, last {len(usage.days)} days",
        },
        safe=",",
    )
    path = portal(request).settings.root_path + "/v1/charts/bar"
    return developer.sign_url(subscription, f"{path}?{query}")  # type: ignore[arg-type]


async def _flush_usage(request: Request) -> None:
    """Write this replica's pending usage first, so the page shows the latest calls."""
    await portal(request).parent.state.access.writer.flush()


def _days(request: Request) -> int:
    raw = request.query_params.get("days", "30")
    return int(raw) if is_digits(raw) and int(raw) in USAGE_SPANS else 30


@router.get("/usage", response_class=HTMLResponse)
async def usage_page(request: Request, user: UserDep) -> Response:
    days = _days(request)
    await _flush_usage(request)

    def load(session):  # type: ignore[no-untyped-def]
        fresh = session.get(User, user.id)
        usage = developer.usage(session, fresh.subscription, days)
        return usage, _chart_url(request, usage, fresh.subscription)

    usage, chart = await db(request, load)
    return render(
        request, "usage.html", user, usage=usage, chart=chart, days=days, spans=USAGE_SPANS
    )


@router.get("/usage.csv")
async def usage_csv(request: Request, user: UserDep) -> Response:
    days = _days(request)
    await _flush_usage(request)

    def load(session):  # type: ignore[no-untyped-def]
        fresh = session.get(User, user.id)
        return developer.usage(session, fresh.subscription, days)

    usage = await db(request, load)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["day", "route", "key", "requests", "cache_hits", "bytes"])
    for row in usage.rows:
        writer.writerow([row[0].isoformat(), *row[1:]])
    return Response(
        out.getvalue(),
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="usage-{days}d.csv"'},
    )


def _event(name: str, data: object) -> str:
    return f"event: {name}\ndata: {json.dumps(data)}\n\n"


@router.get("/usage/live")
async def usage_live(request: Request, user: UserDep) -> Response:
    """Server-sent events: ``start``, then the user's calls today every few seconds, ``end``."""
    p = portal(request)
    subscription_id = user.subscription_id

    async def count() -> int:
        if subscription_id is None:
            return 0
        stored: int = await db(request, lambda s: developer.calls_today(s, subscription_id))
        writer = p.parent.state.access.writer
        today = utcnow().date()
        pending: int = sum(
            int(t.requests)
            for k, t in list(writer.buffer.pending.items())
            if k[0] == subscription_id and k[2] == today
        )
        return stored + pending

    async def stream() -> AsyncIterator[str]:
        deadline = time.monotonic() + p.settings.portal_live_max_seconds
        yield _event("start", {"every": p.settings.portal_live_seconds})
        while time.monotonic() < deadline and not await request.is_disconnected():
            yield _event("message", {"today": await count()})
            await asyncio.sleep(p.settings.portal_live_seconds)
        yield _event("end", {})

    return StreamingResponse(
        stream(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
