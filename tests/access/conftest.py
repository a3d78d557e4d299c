"""Fixtures of the access suite: keys-mode settings and a seeded database."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from chartographer.access import service
from chartographer.app import create_app
from chartographer.config import Settings
from chartographer.db import make_engine, make_sessionmaker, session_scope, upgrade_database
from tests.conftest import SettingsFactory

SECRET = "test-pepper-0123456789"
CHART = "/v1/charts/bar?values=3,7,5&width=200&height=120"


@pytest.fixture
def keys_settings(make_settings: SettingsFactory) -> Callable[..., Settings]:
    """Settings in keys mode with a private pepper and no key cache."""

    def factory(**overrides: Any) -> Settings:
        base: dict[str, Any] = {
            "access_mode": "keys",
            "key_hash_secret": SECRET,
            "key_cache_seconds": 0,
        }
        base.update(overrides)
        return make_settings(**base)

    return factory


@dataclass
class Seeder:
    """Creates plans and keys directly in the database the app will use."""

    url: str
    pepper: bytes = SECRET.encode()

    def __post_init__(self) -> None:
        upgrade_database(self.url)
        self.engine = make_engine(self.url)
        self.sessions = make_sessionmaker(self.engine)

    def plan(
        self, name: str, *limits: str, daily: int | None = None, monthly: int | None = None
    ) -> None:
        with session_scope(self.sessions) as session:
            service.create_plan(session, name, list(limits), daily, monthly)

    def key(
        self,
        plan: str,
        *,
        referrers: tuple[str, ...] = (),
        cidrs: tuple[str, ...] = (),
        expires_at: datetime | None = None,
        signing_secret: str | None = None,
    ) -> service.IssuedKey:
        with session_scope(self.sessions) as session:
            return service.issue_key(
                session,
                self.pepper,
                plan,
                referrers=referrers,
                cidrs=cidrs,
                expires_at=expires_at,
                signing_secret=signing_secret,
            )

    def revoke(self, reference: str) -> None:
        with session_scope(self.sessions) as session:
            service.revoke_key(session, reference)


@pytest.fixture
def seeder(keys_settings: Callable[..., Settings]) -> Iterator[Seeder]:
    seeded = Seeder(keys_settings().database_url)
    yield seeded
    seeded.engine.dispose()


@pytest.fixture
def keys_client(keys_settings: Callable[..., Settings], seeder: Seeder) -> Iterator[TestClient]:
    """A client of an app in keys mode (plans/keys come from ``seeder``)."""
    with TestClient(create_app(keys_settings())) as client:
        yield client
