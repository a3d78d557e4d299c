"""``chartographer db|plans|keys|usage``: operator commands of the access layer."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import click
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.orm import Session

from chartographer.access import repository, service
from chartographer.access.models import Subscription
from chartographer.config import (
    DEV_KEY_HASH_SECRET,
    MAKE_SECRET,
    ConfigError,
    Settings,
    load_settings,
)
from chartographer.db import make_engine, make_sessionmaker, session_scope, upgrade_database


def _settings() -> Settings:
    try:
        return load_settings()
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None


@contextmanager
def _session() -> Iterator[tuple[Session, Settings]]:
    settings = _settings()
    engine = make_engine(settings.database_url)
    try:
        with session_scope(make_sessionmaker(engine)) as session:
            yield session, settings
    except service.AccessError as exc:
        raise click.ClickException(str(exc)) from None
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    except (OperationalError, ProgrammingError) as exc:
        raise click.ClickException(
            f"database not ready ({type(exc.orig).__name__}); run `chartographer db upgrade`"
        ) from None
    finally:
        engine.dispose()


def _pepper(settings: Settings) -> bytes:
    """The key-hash pepper, refused while it is the public default (whatever the mode).

    A key hashed with the default would be refused by a server that has its
    secret, and anyone could compute its stored hash.
    """
    secret = settings.key_hash_secret.get_secret_value()
    if secret == DEV_KEY_HASH_SECRET:
        raise click.ClickException(
            "refusing to make a key while CHARTOGRAPHER_KEY_HASH_SECRET is the public default: "
            "set it to the server's private value (make one with: "
            f"{MAKE_SECRET})"
        )
    return secret.encode("utf-8")


@click.group()
def db() -> None:
    """Database migrations."""


@db.command()
def upgrade() -> None:
    """Apply every migration (creates the SQLite file under ./data by default)."""
    settings = _settings()
    upgrade_database(settings.database_url)
    click.echo("database is up to date")


@click.group()
def plans() -> None:
    """Plans: rate windows and calendar quotas."""


@plans.command("create")
@click.argument("name")
@click.option("--limit", "limits", multiple=True, required=True, help="e.g. 20/second (repeat)")
@click.option("--daily-quota", type=click.IntRange(min=1), default=None)
@click.option("--monthly-quota", type=click.IntRange(min=1), default=None)
def create_plan(
    name: str, limits: tuple[str, ...], daily_quota: int | None, monthly_quota: int | None
) -> None:
    """Create plan NAME: plans create basic --limit 20/second --limit 1000/minute."""
    with _session() as (session, _):
        plan = service.create_plan(session, name, list(limits), daily_quota, monthly_quota)
        click.echo(f"plan {plan.name}: {plan.limits}")


@plans.command("list")
def list_plans() -> None:
    """List plans."""
    with _session() as (session, _):
        for plan in repository.list_plans(session):
            quotas = f"daily={plan.daily_quota or '-'} monthly={plan.monthly_quota or '-'}"
            click.echo(f"{plan.name}\t{plan.limits}\t{quotas}")


@click.group()
def keys() -> None:
    """API keys (shown once, stored as hashes)."""


def _echo_issued(issued: service.IssuedKey, secret: bool) -> None:
    click.echo(
        f"subscription: {issued.subscription.client_id} (plan {issued.subscription.plan.name})"
    )
    if secret:
        secret_text = issued.subscription.signing_secret
        click.echo(f"signing secret (for signed URLs; keep it private): {secret_text}")
    click.echo(f"key id {issued.record.id}, prefix {issued.record.prefix} — store the key now:")
    click.echo(issued.key)


@keys.command("create")
@click.option("--plan", "plan_name", required=True, help="plan name")
@click.option("--name", default="", help="who the key is for")
@click.option("--referrer", "referrers", multiple=True, help="allowed Referer, e.g. *.example.com")
@click.option("--cidr", "cidrs", multiple=True, help="allowed client network, e.g. 10.0.0.0/8")
@click.option("--expires-days", type=click.IntRange(min=1), default=None)
@click.option("--signing-secret", default=None, help="reuse an existing (Google) signing secret")
def create_key(
    plan_name: str,
    name: str,
    referrers: tuple[str, ...],
    cidrs: tuple[str, ...],
    expires_days: int | None,
    signing_secret: str | None,
) -> None:
    """Create a subscription and its key; the key alone is the last line of output."""
    with _session() as (session, settings):
        expires = service.utcnow() + timedelta(days=expires_days) if expires_days else None
        issued = service.issue_key(
            session,
            _pepper(settings),
            plan_name,
            name=name,
            referrers=referrers,
            cidrs=cidrs,
            expires_at=expires,
            signing_secret=signing_secret,
        )
        _echo_issued(issued, secret=True)


@keys.command("list")
def list_keys() -> None:
    """List keys (prefix, subscription, plan, status) — never the keys themselves."""
    now = service.utcnow()
    with _session() as (session, _):
        for key in repository.list_keys(session):
            expires = key.expires_at.strftime("%Y-%m-%d") if key.expires_at else "-"
            click.echo(
                f"{key.id}\t{key.prefix}…\t{key.subscription.client_id}\t"
                f"{key.subscription.plan.name}\t{service.key_status(key, now)}\texpires {expires}"
            )


@keys.command("revoke")
@click.argument("reference")
def revoke_key(reference: str) -> None:
    """Revoke the key with this id or prefix."""
    with _session() as (session, _):
        key = service.revoke_key(session, reference)
        click.echo(f"revoked key {key.id} ({key.prefix}…)")


@keys.command("rotate")
@click.argument("reference")
@click.option("--grace-days", type=click.IntRange(min=0), default=7, help="old key stays valid")
def rotate_key(reference: str, grace_days: int) -> None:
    """Issue a second key for the same subscription; the old one expires after the grace."""
    with _session() as (session, settings):
        issued = service.rotate_key(
            session, _pepper(settings), reference, timedelta(days=grace_days)
        )
        _echo_issued(issued, secret=False)


@click.command()
@click.option("--days", type=click.IntRange(min=1, max=366), default=30)
@click.option("--client", "client_id", default=None, help="only this subscription (client id)")
def usage(days: int, client_id: str | None) -> None:
    """Usage per subscription, key, day and route."""
    with _session() as (session, _):
        subscription_id = None
        if client_id is not None:
            found = repository.subscription_by_client_id(session, client_id)
            if found is None:
                raise service.AccessError(f"no subscription {client_id!r}")
            subscription_id = found.id
        click.echo("day\tclient\tkey\troute\trequests\tcache_hits\tbytes\trender_ms")
        for row in service.usage_report(session, days, subscription_id):
            client = session.get(Subscription, row.subscription_id)
            click.echo(
                f"{row.day}\t{client.client_id if client else '?'}\t{row.key_label}\t{row.route}\t"
                f"{row.requests}\t{row.cache_hits}\t{row.bytes}\t{row.render_ms:.1f}"
            )


COMMANDS = (db, plans, keys, usage)
