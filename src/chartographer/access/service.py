"""Operator actions on plans, subscriptions and keys (CLI, tests, later the portal).

Functions take a session and only flush; the caller's ``session_scope`` commits.
A new key is returned in clear exactly once, in :class:`IssuedKey`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.orm import Session

from chartographer.access import keys, repository
from chartographer.access.models import ApiKey, Plan, Subscription, UsageRecord
from chartographer.access.network import CidrSet
from chartographer.access.quota import parse_limits

MAX_ACTIVE_KEYS = 2


class AccessError(ValueError):
    """An operator action that cannot be done (unknown plan, too many keys…)."""


@dataclass(frozen=True)
class IssuedKey:
    """A freshly made key: the only moment its clear text exists."""

    key: str
    record: ApiKey
    subscription: Subscription


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes (stored as UTC); PostgreSQL aware ones."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def create_plan(
    session: Session,
    name: str,
    limits: Sequence[str],
    daily_quota: int | None = None,
    monthly_quota: int | None = None,
) -> Plan:
    """A plan with rate windows (``20/second``…) and optional calendar quotas."""
    if not name or len(name) > 64:
        raise AccessError("plan name must be 1–64 characters")
    parse_limits(limits)  # ValueError names the bad limit
    for label, value in (("daily quota", daily_quota), ("monthly quota", monthly_quota)):
        if value is not None and value < 1:
            raise AccessError(f"{label} must be at least 1")
    if repository.plan_by_name(session, name) is not None:
        raise AccessError(f"plan {name!r} already exists")
    return repository.create_plan(
        session, name, ";".join(limits), daily_quota, monthly_quota, utcnow()
    )


def _check_restrictions(referrers: Sequence[str], cidrs: Sequence[str]) -> None:
    try:
        CidrSet(cidrs)
    except ValueError as exc:
        raise AccessError(f"not a CIDR: {exc}") from None
    if any(not r.strip() for r in referrers):
        raise AccessError("referrer patterns must not be empty")


def _new_key(
    session: Session,
    subscription: Subscription,
    pepper: bytes,
    referrers: Sequence[str],
    cidrs: Sequence[str],
    expires_at: datetime | None,
) -> IssuedKey:
    key = keys.generate_key()
    record = repository.add_key(
        session,
        subscription,
        keys.display_prefix(key),
        keys.hash_key(key, pepper),
        referrers=referrers,
        cidrs=cidrs,
        expires_at=expires_at,
        now=utcnow(),
    )
    return IssuedKey(key, record, subscription)


def issue_key(
    session: Session,
    pepper: bytes,
    plan_name: str,
    *,
    name: str = "",
    referrers: Sequence[str] = (),
    cidrs: Sequence[str] = (),
    expires_at: datetime | None = None,
    signing_secret: str | None = None,
) -> IssuedKey:
    """A new subscription on ``plan_name`` with its first key and a signing secret."""
    plan = repository.plan_by_name(session, plan_name)
    if plan is None:
        raise AccessError(f"no plan named {plan_name!r}; create it with `plans create`")
    _check_restrictions(referrers, cidrs)
    if signing_secret is not None:
        from chartographer.access.signing import decode_secret

        try:
            decode_secret(signing_secret)
        except ValueError as exc:
            raise AccessError(str(exc)) from None
    subscription = repository.create_subscription(
        session,
        name or "unnamed",
        plan,
        keys.generate_client_id(),
        signing_secret or keys.generate_signing_secret(),
        utcnow(),
    )
    return _new_key(session, subscription, pepper, referrers, cidrs, expires_at)


def find_key(session: Session, reference: str) -> ApiKey:
    key = repository.key_by_reference(session, reference)
    if key is None:
        raise AccessError(f"no key {reference!r} (use the id or prefix from `keys list`)")
    return key


def revoke_key(session: Session, reference: str) -> ApiKey:
    """Revoke a key now; requests with it get 401 ``invalid-key``."""
    key = find_key(session, reference)
    if key.revoked_at is None:
        key.revoked_at = utcnow()
        session.flush()
    return key


def rotate_key(session: Session, pepper: bytes, reference: str, grace: timedelta) -> IssuedKey:
    """A second key for the same subscription; the old one expires after ``grace``.

    At most two keys are active per subscription, so clients can switch over
    without downtime; rotating with a third active key would break that promise.
    """
    old = find_key(session, reference)
    now = utcnow()
    if old.revoked_at is not None:
        raise AccessError(f"key {old.prefix} is revoked; issue a new one instead")
    active = repository.active_keys(session, old.subscription_id, now)
    if len(active) >= MAX_ACTIVE_KEYS:
        raise AccessError(
            f"subscription {old.subscription.client_id} already has {len(active)} active keys; "
            "revoke one first"
        )
    issued = _new_key(session, old.subscription, pepper, old.referrers, old.cidrs, old.expires_at)
    if grace <= timedelta(0):
        old.revoked_at = now
    else:
        deadline = now + grace
        current = as_utc(old.expires_at) if old.expires_at else None
        if current is None or current > deadline:
            old.expires_at = deadline
    session.flush()
    return issued


def key_status(key: ApiKey, now: datetime) -> str:
    if key.revoked_at is not None:
        return "revoked"
    if key.expires_at is not None and as_utc(key.expires_at) <= now:
        return "expired"
    return "active"


def usage_report(
    session: Session,
    days: int,
    subscription_id: int | None = None,
    key_label: str | None = None,
    today: date | None = None,
) -> Sequence[UsageRecord]:
    since = (today or utcnow().date()) - timedelta(days=max(days, 1) - 1)
    return repository.usage_rows(session, since, subscription_id, key_label)
