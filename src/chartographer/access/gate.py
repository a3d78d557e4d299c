"""The request-time gate: who is calling, are they allowed, and how much is left.

Order of checks (each failure is a problem+json answer):

1. the client address (``scope["client"]``, which ``ClientAddressMiddleware``
   resolved from the one forwarded header, behind trusted proxies only)
   against ``deny_cidrs`` / ``allow_cidrs``;
2. credentials: a key (``key=``, ``X-API-Key``, ``Authorization: Bearer``) —
   checksum, hash lookup, revocation, expiry, referrer and CIDR restrictions —
   and/or a signature (``signature=``, with ``client=`` when there is no key);
3. the plan's rate windows and calendar quotas (per subscription; per client
   IP for anonymous calls in ``open`` mode).

Key lookups are cached for ``key_cache_seconds`` so a hot key costs no database
round trip; that is also how long a revocation takes to reach every replica.
"""

from __future__ import annotations

import asyncio
import hmac
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl

from sqlalchemy.orm import Session, sessionmaker

from chartographer.access import keys, repository, signing
from chartographer.access.errors import (
    AccessDenied,
    ExpiredKey,
    ExpiredSignature,
    InvalidKey,
    InvalidSignature,
    MissingKey,
)
from chartographer.access.models import Subscription
from chartographer.access.network import CidrSet, referrer_allowed
from chartographer.access.quota import Window, plan_windows
from chartographer.access.ratelimit import Decision, Limiter
from chartographer.access.service import as_utc, utcnow
from chartographer.config import Settings
from chartographer.db import DATABASE_DOWN, session_scope
from chartographer.errors import DatabaseUnavailable
from chartographer.usertext import is_digits


@dataclass(frozen=True)
class Credentials:
    """What a request presents, read from the raw query string and headers."""

    path: str
    raw_query: str
    key: str | None = None
    client: str | None = None
    signature: str | None = None
    exp: str | None = None
    referrer: str | None = None


_CREDENTIAL_PARAMS = ("key", "client", "signature", "exp")


def _may_carry_credentials(raw_query: str) -> bool:
    """Could a parameter of ``raw_query`` decode to one of :data:`_CREDENTIAL_PARAMS`?

    A name decodes to another spelling only through a ``%`` escape (``+`` becomes
    a space, which none of them has), so a query without ``%`` names one of them
    only if it contains it verbatim: anything else needs no parsing at all.
    """
    return "%" in raw_query or any(name in raw_query for name in _CREDENTIAL_PARAMS)


def read_credentials(path: str, raw_query: str, headers: list[tuple[bytes, bytes]]) -> Credentials:
    params: dict[str, str] = {}
    if _may_carry_credentials(raw_query):
        for param, text in parse_qsl(raw_query, keep_blank_values=True):
            if param in _CREDENTIAL_PARAMS:
                params.setdefault(param, text)
    key = params.get("key")
    referrer = None
    for name, value in headers:
        if name == b"x-api-key" and key is None:
            key = value.decode("latin-1").strip()
        elif name == b"authorization" and key is None:
            scheme, _, token = value.decode("latin-1").partition(" ")
            if scheme.lower() == "bearer":
                key = token.strip()
        elif name == b"referer":
            referrer = value.decode("latin-1")
    return Credentials(
        path,
        raw_query,
        key=key or None,
        client=params.get("client") or None,
        signature=params.get("signature") or None,
        exp=params.get("exp"),
        referrer=referrer,
    )


@dataclass(frozen=True)
class Grant:
    """A subscription (and possibly one of its keys) as the gate needs it; cacheable."""

    subscription_id: int
    client_id: str
    plan: str
    windows: tuple[Window, ...]
    signing_secret: str
    key_prefix: str | None = None
    referrers: tuple[str, ...] = ()
    cidrs: CidrSet = field(default_factory=lambda: CidrSet(()))
    expires_at: datetime | None = None
    revoked: bool = False
    suspended: bool = False  # the owning portal account is suspended


@dataclass(frozen=True)
class Principal:
    """The caller of an admitted request."""

    subject: str
    plan: str
    windows: tuple[Window, ...]
    subscription_id: int | None = None
    client_id: str | None = None
    key_label: str | None = None
    #: told to the caller in ``X-Chartographer-Warning`` (e.g. an ignored foreign key)
    warning: str | None = None


def _grant(subscription: Subscription, **key_fields: Any) -> Grant:
    plan = subscription.plan
    windows = plan_windows(plan.limits.split(";"), plan.daily_quota, plan.monthly_quota)
    return Grant(
        subscription.id,
        subscription.client_id,
        plan.name,
        tuple(windows),
        subscription.signing_secret,
        suspended=subscription.suspended_at is not None,
        **key_fields,
    )


class Gate:
    """Authenticates and limits one request; meters it afterwards (see the middleware)."""

    def __init__(self, settings: Settings, sessions: sessionmaker[Session], limiter: Limiter):
        self.keys_required = settings.access_mode == "keys"
        self.pepper = settings.key_hash_secret.get_secret_value().encode("utf-8")
        self.sessions = sessions
        self.limiter = limiter
        self.allow = CidrSet(settings.allow_cidrs)
        self.deny = CidrSet(settings.deny_cidrs)
        self.open_windows = tuple(
            plan_windows(
                settings.open_limits, settings.open_daily_quota, settings.open_monthly_quota
            )
        )
        self.cache_seconds = settings.key_cache_seconds
        self._cache: dict[str, tuple[float, Grant | None]] = {}

    # --- lookups -------------------------------------------------------------
    def _lookup_key(self, key_hash: str) -> Grant | None:
        with session_scope(self.sessions) as session:
            record = repository.key_by_hash(session, key_hash)
            if record is None or not hmac.compare_digest(record.key_hash, key_hash):
                return None
            return _grant(
                record.subscription,
                key_prefix=record.prefix,
                referrers=tuple(record.referrers),
                cidrs=CidrSet(record.cidrs),
                expires_at=as_utc(record.expires_at) if record.expires_at else None,
                revoked=record.revoked_at is not None,
            )

    def _lookup_client(self, client_id: str) -> Grant | None:
        with session_scope(self.sessions) as session:
            subscription = repository.subscription_by_client_id(session, client_id)
            return None if subscription is None else _grant(subscription)

    async def _cached(self, cache_key: str, lookup: Any, arg: str) -> Grant | None:
        now = time.monotonic()
        hit = self._cache.get(cache_key)
        if hit is not None and now - hit[0] < self.cache_seconds:
            return hit[1]
        try:
            grant: Grant | None = await asyncio.to_thread(lookup, arg)
        except DATABASE_DOWN as exc:
            # Keys seen within key_cache_seconds keep working (the hit above);
            # anything that needs the database waits for it to come back.
            raise DatabaseUnavailable() from exc
        if self.cache_seconds > 0:
            if len(self._cache) > 10_000:
                self._cache.clear()
            self._cache[cache_key] = (now, grant)
        return grant

    def forget(self) -> None:
        """Drop cached lookups (after a revocation in this process, in tests)."""
        self._cache.clear()

    # --- checks --------------------------------------------------------------
    def check_address(self, address: str) -> None:
        if self.deny and self.deny.contains(address):
            raise AccessDenied(
                "requests from this address are refused", type="address-denied", param="client_ip"
            )
        if self.allow and not self.allow.contains(address):
            raise AccessDenied(
                "this address is not in the service's allow list",
                type="address-denied",
                param="client_ip",
            )

    async def _key_grant(self, creds: Credentials, address: str, now: datetime) -> Grant:
        key = creds.key or ""
        key_hash = keys.hash_key(key, self.pepper)
        cache_key = "k:" + key_hash
        hit = self._cache.get(cache_key)
        if hit is not None and time.monotonic() - hit[0] < self.cache_seconds:
            # only a well-formed key was ever looked up and cached under its hash,
            # so a hit needs no second look at prefix, length and checksum
            grant = hit[1]
        else:
            if not keys.is_well_formed(key):
                raise InvalidKey(
                    "the API key is malformed (wrong prefix, length or checksum)", param="key"
                )
            grant = await self._cached(cache_key, self._lookup_key, key_hash)
        if grant is None:
            raise InvalidKey("the API key is not known", param="key")
        if grant.revoked:
            raise InvalidKey("the API key has been revoked", param="key")
        if grant.expires_at is not None and grant.expires_at <= now:
            raise ExpiredKey(
                f"the API key expired at {grant.expires_at:%Y-%m-%dT%H:%M:%SZ}", param="key"
            )
        if not referrer_allowed(creds.referrer, grant.referrers):
            raise AccessDenied(
                "this key may not be used from this page (Referer)",
                type="referrer-not-allowed",
                param="Referer",
            )
        if grant.cidrs and not grant.cidrs.contains(address):
            raise AccessDenied(
                "this key may not be used from this address",
                type="address-not-allowed",
                param="client_ip",
            )
        return grant

    def _check_signature(self, creds: Credentials, grant: Grant, now: float) -> None:
        split = signing.split_signature(creds.raw_query)
        try:
            signing.verify(grant.signing_secret, creds.path, split)
        except signing.SignatureError as exc:
            raise InvalidSignature(f"{exc} for this URL", param="signature") from None
        if creds.exp is not None:
            if not is_digits(creds.exp):
                raise InvalidSignature("exp must be unix seconds", param="exp")
            if int(creds.exp) < now:
                raise ExpiredSignature("the signed URL has expired", param="exp")

    async def authenticate(self, creds: Credentials, address: str) -> Principal:
        """The principal for these credentials, or the error that refuses them."""
        now = utcnow()
        if creds.key and not self.keys_required and not keys.is_well_formed(creds.key):
            # A migrated Google URL carries Google's key (or YOUR_API_KEY): in open
            # mode it is not ours to judge, so the URL keeps working, anonymously.
            return Principal(
                "ip:" + address,
                "open",
                self.open_windows,
                warning="key: not a Chartographer key; ignored in open mode",
            )
        if creds.key:
            grant = await self._key_grant(creds, address, now)
            label = grant.key_prefix
        elif creds.signature and creds.client:
            found = await self._cached("c:" + creds.client, self._lookup_client, creds.client)
            if found is None:
                raise InvalidSignature("unknown client id", param="client")
            grant, label = found, "signed"
        elif self.keys_required:
            raise MissingKey()
        else:
            return Principal("ip:" + address, "open", self.open_windows)
        if grant.suspended:
            raise AccessDenied(
                "the account that owns this key is suspended", type="account-suspended"
            )
        if creds.signature:
            self._check_signature(creds, grant, now.timestamp())
        return Principal(
            f"sub:{grant.subscription_id}",
            grant.plan,
            grant.windows,
            grant.subscription_id,
            grant.client_id,
            label,
        )

    async def admit(self, scope: dict[str, Any], path: str) -> tuple[Principal, Decision]:
        """Check address, credentials and limits for an ASGI request scope."""
        headers: list[tuple[bytes, bytes]] = scope.get("headers", [])
        # already resolved behind trusted proxies by ClientAddressMiddleware, the one place
        client = scope.get("client")
        address = client[0] if client else "unknown"
        self.check_address(address)
        raw_query = scope.get("query_string", b"").decode("latin-1")
        principal = await self.authenticate(read_credentials(path, raw_query, headers), address)
        decision = await self.limiter.hit(principal.subject, principal.windows)
        if not decision.admitted:
            raise decision.error()
        return principal, decision
