"""All SQL of the access layer. Functions flush; the caller's session scope commits."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from chartographer.access.models import ApiKey, Plan, Subscription, UsageRecord
from chartographer.usertext import is_digits

if TYPE_CHECKING:
    from chartographer.access.tally import Tally, UsageKey


def create_plan(
    session: Session,
    name: str,
    limits: str,
    daily_quota: int | None,
    monthly_quota: int | None,
    now: datetime,
) -> Plan:
    plan = Plan(
        name=name,
        limits=limits,
        daily_quota=daily_quota,
        monthly_quota=monthly_quota,
        created_at=now,
    )
    session.add(plan)
    session.flush()
    return plan


def plan_by_name(session: Session, name: str) -> Plan | None:
    return session.scalars(select(Plan).where(Plan.name == name)).one_or_none()


def list_plans(session: Session) -> Sequence[Plan]:
    return session.scalars(select(Plan).order_by(Plan.name)).all()


def create_subscription(
    session: Session, name: str, plan: Plan, client_id: str, secret: str, now: datetime
) -> Subscription:
    subscription = Subscription(
        name=name, plan=plan, client_id=client_id, signing_secret=secret, created_at=now
    )
    session.add(subscription)
    session.flush()
    return subscription


def subscription_by_client_id(session: Session, client_id: str) -> Subscription | None:
    return session.scalars(
        select(Subscription).where(Subscription.client_id == client_id)
    ).one_or_none()


def add_key(
    session: Session,
    subscription: Subscription,
    prefix: str,
    key_hash: str,
    *,
    referrers: Sequence[str],
    cidrs: Sequence[str],
    expires_at: datetime | None,
    now: datetime,
) -> ApiKey:
    key = ApiKey(
        subscription=subscription,
        prefix=prefix,
        key_hash=key_hash,
        referrers=list(referrers),
        cidrs=list(cidrs),
        expires_at=expires_at,
        created_at=now,
    )
    session.add(key)
    session.flush()
    return key


def key_by_hash(session: Session, key_hash: str) -> ApiKey | None:
    return session.scalars(select(ApiKey).where(ApiKey.key_hash == key_hash)).one_or_none()


def key_by_reference(session: Session, reference: str) -> ApiKey | None:
    """A key by numeric id or by its display prefix (``cg_live_AbC123``)."""
    if is_digits(reference):
        return session.get(ApiKey, int(reference))
    return session.scalars(select(ApiKey).where(ApiKey.prefix == reference)).one_or_none()


def active_keys(session: Session, subscription_id: int, now: datetime) -> Sequence[ApiKey]:
    """Keys that are neither revoked nor expired (SQLite drops time zones: compare naive)."""
    keys = session.scalars(
        select(ApiKey).where(ApiKey.subscription_id == subscription_id, ApiKey.revoked_at.is_(None))
    ).all()
    return [k for k in keys if k.expires_at is None or _utc(k.expires_at) > now]


def list_keys(session: Session) -> Sequence[ApiKey]:
    return session.scalars(select(ApiKey).order_by(ApiKey.id)).all()


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def add_usage(session: Session, batch: Mapping[UsageKey, Tally]) -> None:
    """Add the batch to the stored totals with one upsert per row."""
    dialect = session.get_bind().dialect.name
    insert: Any = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = UsageRecord.__table__
    for (subscription_id, key_label, day, route), tally in sorted(batch.items()):
        statement = insert(table).values(
            subscription_id=subscription_id,
            key_label=key_label,
            day=day,
            route=route,
            requests=tally.requests,
            cache_hits=tally.cache_hits,
            bytes=tally.bytes,
            render_ms=tally.render_ms,
        )
        excluded = statement.excluded
        statement = statement.on_conflict_do_update(
            index_elements=["subscription_id", "key_label", "day", "route"],
            set_={
                "requests": table.c.requests + excluded.requests,
                "cache_hits": table.c.cache_hits + excluded.cache_hits,
                "bytes": table.c.bytes + excluded.bytes,
                "render_ms": table.c.render_ms + excluded.render_ms,
            },
        )
        session.execute(statement)
    session.flush()


def usage_rows(
    session: Session, since: date, subscription_id: int | None = None, key_label: str | None = None
) -> Sequence[UsageRecord]:
    query = select(UsageRecord).where(UsageRecord.day >= since)
    if subscription_id is not None:
        query = query.where(UsageRecord.subscription_id == subscription_id)
    if key_label is not None:
        query = query.where(UsageRecord.key_label == key_label)
    return session.scalars(query.order_by(UsageRecord.day, UsageRecord.route)).all()
