"""``chartographer accounts …``: operator commands for portal accounts."""

from __future__ import annotations

import click

from chartographer.access.cli import _session
from chartographer.accounts import repository, service
from chartographer.accounts.service import AccountError


@click.group()
def accounts() -> None:
    """Portal accounts: list, role, approve, suspend, restore, plan."""


def _run(reference: str, action: str, **kwargs: str) -> None:
    try:
        with _session() as (session, _settings):
            if action == "role":
                user = service.set_role(session, reference, kwargs["role"])
            elif action == "approve":
                user = service.approve(session, reference)
            elif action == "plan":
                user = service.change_plan(session, reference, kwargs["plan"])
            else:
                user = service.suspend(session, reference, suspended=action == "suspend")
            click.echo(f"{user.email}: {service.status(user)}, role {user.role}")
    except AccountError as exc:
        raise click.ClickException(str(exc)) from None


@accounts.command("list")
def list_accounts() -> None:
    """List accounts with their role and status."""
    with _session() as (session, _settings):
        for user in repository.list_users(session):
            plan = user.subscription.plan.name if user.subscription else "-"
            click.echo(f"{user.id}\t{user.email}\t{user.role}\t{service.status(user)}\t{plan}")


@accounts.command("set-role")
@click.argument("user")
@click.argument("role", type=click.Choice(service.ROLES))
def set_role(user: str, role: str) -> None:
    """Give USER (id or e-mail) the ROLE: operator opens the portal's admin page."""
    _run(user, "role", role=role)


@accounts.command("approve")
@click.argument("user")
def approve(user: str) -> None:
    """Approve USER (when CHARTOGRAPHER_PORTAL_REQUIRE_APPROVAL is on)."""
    _run(user, "approve")


@accounts.command("suspend")
@click.argument("user")
def suspend(user: str) -> None:
    """Suspend USER: sessions end, keys stop within the key cache's seconds."""
    _run(user, "suspend")


@accounts.command("restore")
@click.argument("user")
def restore(user: str) -> None:
    """Lift USER's suspension."""
    _run(user, "restore")


@accounts.command("plan")
@click.argument("user")
@click.argument("plan")
def plan(user: str, plan: str) -> None:
    """Move USER to PLAN."""
    _run(user, "plan", plan=plan)
