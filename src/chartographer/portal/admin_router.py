"""Plans, the playground and the operators' admin page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from chartographer.access import repository as access_repository
from chartographer.accounts import repository, service
from chartographer.accounts.models import User
from chartographer.accounts.service import AccountError
from chartographer.portal.context import (
    current_user,
    db,
    forget_keys,
    portal,
    render,
    require_operator,
)
from chartographer.portal.forms import Form, read_form

router = APIRouter()
OperatorDep = Annotated[User, Depends(require_operator)]
ACTIONS = ("approve", "suspend", "restore", "plan")


@router.get("/plans", response_class=HTMLResponse)
async def plans_page(request: Request) -> Response:
    user = await current_user(request)
    plans = await db(request, access_repository.list_plans)
    return render(
        request,
        "plans.html",
        user,
        plans=plans,
        default_plan=portal(request).settings.portal_default_plan,
    )


@router.get("/playground", response_class=HTMLResponse)
async def playground_page(request: Request) -> Response:
    user = await current_user(request)
    settings = portal(request).settings
    return render(request, "playground.html", user, keys_mode=settings.access_mode == "keys")


async def _admin_page(
    request: Request, user: User, status_code: int = 200, form: Form | None = None, notice: str = ""
) -> Response:
    def load(session):  # type: ignore[no-untyped-def]
        return repository.list_users(session), access_repository.list_plans(session)

    users, plans = await db(request, load)
    return render(
        request,
        "admin.html",
        user,
        status_code,
        users=users,
        plans=plans,
        status=service.status,
        errors=form.errors if form else {},
        notice=notice,
    )


@router.get("/admin", response_class=HTMLResponse)
async def admin_page(request: Request, user: OperatorDep) -> Response:
    return await _admin_page(request, user)


@router.post("/admin/users/{user_id}", response_class=HTMLResponse)
async def admin_handler(request: Request, user: OperatorDep, user_id: int) -> Response:
    form = await read_form(request)
    action = form.text("action", 20)
    plan = form.text("plan", 64)
    if action not in ACTIONS:
        form.errors["action"] = f"choose one of {', '.join(ACTIONS)}"
        return await _admin_page(request, user, 422, form)

    def act(session):  # type: ignore[no-untyped-def]
        ref = str(user_id)
        if action == "approve":
            target = service.approve(session, ref)
        elif action == "plan":
            target = service.change_plan(session, ref, plan)
        else:
            target = service.suspend(session, ref, suspended=action == "suspend")
        return target.email

    try:
        email = await db(request, act)
    except AccountError as exc:
        form.errors[exc.field or "action"] = str(exc)
        return await _admin_page(request, user, 422, form)
    forget_keys(portal(request).parent)
    return await _admin_page(request, user, notice=f"{email}: {action} done.")
