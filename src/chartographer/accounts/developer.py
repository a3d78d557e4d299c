"""What a signed-in developer does with their subscription: keys, signing, usage.

Every function checks that the key belongs to the user's own subscription, so
one account can never see or touch another's keys.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from chartographer.access import keys as access_keys
from chartographer.access import repository as access_repository
from chartographer.access import service as access_service
from chartographer.access import signing
from chartographer.access.models import ApiKey, Subscription
from chartographer.access.network import CidrSet
from chartographer.access.service import IssuedKey, as_utc, utcnow
from chartographer.accounts import repository
from chartographer.accounts.service import AccountError

MAX_NAME = 100
MAX_RESTRICTIONS = 20


@dataclass(frozen=True)
class KeyRow:
    id: int
    prefix: str
    name: str
    created: datetime
    expires: datetime | None
    status: str
    last_used: date | None
    referrers: Sequence[str]
    cidrs: Sequence[str]


def parse_restrictions(referrers: str, cidrs: str) -> tuple[list[str], list[str]]:
    """One pattern per line (or comma-separated) → lists; errors name the field."""

    def split(text: str) -> list[str]:
        return [p.strip() for p in text.replace(",", "\n").splitlines() if p.strip()]

    refs, nets = split(referrers), split(cidrs)
    for field, items in (("referrers", refs), ("cidrs", nets)):
        if len(items) > MAX_RESTRICTIONS:
            raise AccountError(f"at most {MAX_RESTRICTIONS} entries", field)
        if any(len(item) > 200 for item in items):
            raise AccountError("an entry is longer than 200 characters", field)
    try:
        CidrSet(nets)
    except ValueError as exc:
        raise AccountError(f"not an IP network: {exc}", "cidrs") from None
    return refs, nets


def key_rows(session: Session, subscription: Subscription | None) -> list[KeyRow]:
    if subscription is None:
        return []
    used = repository.last_used(session, subscription.id)
    now = utcnow()
    return [
        KeyRow(
            k.id,
            k.prefix,
            k.name,
            as_utc(k.created_at),
            as_utc(k.expires_at) if k.expires_at else None,
            access_service.key_status(k, now),
            used.get(k.prefix),
            list(k.referrers),
            list(k.cidrs),
        )
        for k in repository.subscription_keys(session, subscription.id)
    ]


def create_key(
    session: Session,
    subscription: Subscription,
    pepper: bytes,
    *,
    name: str,
    referrers: Sequence[str],
    cidrs: Sequence[str],
    expires_at: datetime | None,
    max_keys: int,
) -> IssuedKey:
    name = name.strip()
    if len(name) > MAX_NAME:
        raise AccountError(f"use at most {MAX_NAME} characters", "name")
    if expires_at is not None and expires_at <= utcnow():
        raise AccountError("the expiry must be in the future", "expires")
    active = access_repository.active_keys(session, subscription.id, utcnow())
    if len(active) >= max_keys:
        raise AccountError(f"you already have {len(active)} active keys; revoke one first", "name")
    key = access_keys.generate_key()
    record = access_repository.add_key(
        session,
        subscription,
        access_keys.display_prefix(key),
        access_keys.hash_key(key, pepper),
        referrers=referrers,
        cidrs=cidrs,
        expires_at=expires_at,
        now=utcnow(),
    )
    record.name = name
    session.flush()
    return IssuedKey(key, record, subscription)


def own_key(session: Session, subscription: Subscription | None, key_id: int) -> ApiKey:
    key = session.get(ApiKey, key_id)
    if key is None or subscription is None or key.subscription_id != subscription.id:
        raise AccountError("no such key", "key")
    return key


def roll_key(
    session: Session,
    subscription: Subscription | None,
    pepper: bytes,
    key_id: int,
    overlap_hours: int,
    max_overlap_hours: int,
) -> IssuedKey:
    """A new key; the old one keeps working for ``overlap_hours`` (0 = stops now)."""
    if not 0 <= overlap_hours <= max_overlap_hours:
        raise AccountError(f"choose 0 to {max_overlap_hours} hours", "overlap")
    key = own_key(session, subscription, key_id)
    try:
        issued = access_service.rotate_key(
            session, pepper, str(key.id), timedelta(hours=overlap_hours)
        )
    except access_service.AccessError as exc:
        raise AccountError(str(exc), "key") from None
    issued.record.name = key.name
    session.flush()
    return issued


def revoke_key(session: Session, subscription: Subscription | None, key_id: int) -> ApiKey:
    key = own_key(session, subscription, key_id)
    return access_service.revoke_key(session, str(key.id))


def sign_url(subscription: Subscription, url: str) -> str:
    """Append ``client=`` and our ``signature=`` to a same-service image URL."""
    path, _, query = url.strip().partition("?")
    if "://" in path:
        path = "/" + path.split("://", 1)[1].partition("/")[2]
    if not path.startswith("/") or len(url) > 8192:
        raise AccountError("paste a URL of this service, e.g. /v1/charts/bar?data=1,2,3", "url")
    parts = [p for p in query.split("&") if p and not p.startswith(("signature=", "client="))]
    parts.append(f"client={subscription.client_id}")
    signed_query = "&".join(parts)
    signature = signing.sign_sha256(subscription.signing_secret, path, signed_query)
    return f"{path}?{signed_query}&signature={signature}"


@dataclass(frozen=True)
class Usage:
    days: list[date]
    per_day: list[int]
    per_route: dict[str, int]
    rows: list[tuple[date, str, str, int, int, int]]  # day, route, key, requests, hits, bytes


def usage(session: Session, subscription: Subscription | None, days: int) -> Usage:
    today = utcnow().date()
    span = [today - timedelta(days=days - 1 - i) for i in range(days)]
    if subscription is None:
        return Usage(span, [0] * days, {}, [])
    records = access_service.usage_report(session, days, subscription.id, today=today)
    by_day: dict[date, int] = defaultdict(int)
    by_route: dict[str, int] = defaultdict(int)
    rows = []
    for r in records:
        by_day[r.day] += r.requests
        by_route[r.route] += r.requests
        rows.append((r.day, r.route, r.key_label, r.requests, r.cache_hits, r.bytes))
    return Usage(span, [by_day[d] for d in span], dict(by_route), rows)


def calls_today(session: Session, subscription_id: int) -> int:
    return repository.requests_on(session, subscription_id, utcnow().date())
