"""Operator actions and the key cache, on a real database."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from chartographer.access import service
from chartographer.access.models import ApiKey
from chartographer.app import create_app
from chartographer.config import Settings
from chartographer.db import session_scope
from tests.access.conftest import CHART, SECRET, Seeder


@pytest.mark.parametrize(
    ("name", "daily", "monthly", "message"),
    [
        ("", None, None, "1–64 characters"),
        ("x" * 65, None, None, "1–64 characters"),
        ("ok", 0, None, "daily quota must be at least 1"),
        ("ok", None, -1, "monthly quota must be at least 1"),
    ],
)
def test_plan_validation(
    seeder: Seeder, name: str, daily: int | None, monthly: int | None, message: str
) -> None:
    with pytest.raises(service.AccessError, match=message), session_scope(seeder.sessions) as s:
        service.create_plan(s, name, ["1/second"], daily, monthly)


def test_rotation_rules(seeder: Seeder) -> None:
    seeder.plan("basic", "10/second")
    pepper = SECRET.encode()
    first = seeder.key("basic", expires_at=service.utcnow() + timedelta(days=1))
    with session_scope(seeder.sessions) as session:
        # an expiry sooner than the grace is kept
        second = service.rotate_key(session, pepper, str(first.record.id), timedelta(days=30))
        old = session.get(ApiKey, first.record.id)
        assert old is not None and old.expires_at is not None
        assert service.as_utc(old.expires_at) < service.utcnow() + timedelta(days=2)
        # rotating with grace 0 revokes at once
        service.revoke_key(session, str(first.record.id))
        third = service.rotate_key(session, pepper, str(second.record.id), timedelta(0))
        assert service.key_status(session.get(ApiKey, second.record.id), service.utcnow()) == (  # type: ignore[arg-type]
            "revoked"
        )
        assert service.key_status(third.record, service.utcnow()) == "active"
        with pytest.raises(service.AccessError, match="is revoked"):
            service.rotate_key(session, pepper, str(first.record.id), timedelta(0))
        # revoking twice keeps the first revocation time
        when = service.revoke_key(session, str(first.record.id)).revoked_at
        assert service.revoke_key(session, str(first.record.id)).revoked_at == when
    past = seeder.key("basic", expires_at=service.utcnow() - timedelta(seconds=1))
    assert service.key_status(past.record, service.utcnow()) == "expired"
    with pytest.raises(service.AccessError, match="must not be empty"):
        seeder.key("basic", referrers=(" ",))


def test_cached_key_lookups_until_forgotten(
    seeder: Seeder, keys_settings: Callable[..., Settings]
) -> None:
    seeder.plan("basic", "100/minute")
    issued = seeder.key("basic")
    with TestClient(create_app(keys_settings(key_cache_seconds=300))) as client:
        assert client.get(f"{CHART}&key={issued.key}").status_code == 200
        seeder.revoke(str(issued.record.id))
        # within key_cache_seconds the cached grant still answers (documented lag)…
        assert client.get(f"{CHART}&key={issued.key}").status_code == 200
        client.app.state.access.gate.forget()  # type: ignore[attr-defined]
        # …and a fresh lookup sees the revocation
        assert client.get(f"{CHART}&key={issued.key}").status_code == 401
