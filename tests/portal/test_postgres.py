"""The account journey on the real PostgreSQL fixture (the rest of the suite runs on SQLite)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from chartographer.accounts import service
from chartographer.app import create_app
from chartographer.config import Settings
from chartographer.db import make_engine, make_sessionmaker, session_scope, upgrade_database
from tests.portal.conftest import Portal, SmtpServer
from tests.portal.test_keys_usage import CHART, new_key

pytestmark = pytest.mark.services


def test_accounts_on_postgresql(
    postgres_server,  # type: ignore[no-untyped-def]
    portal_settings: Callable[..., Settings],
    smtp: SmtpServer,
) -> None:
    url = postgres_server.create_database()
    upgrade_database(url)
    with TestClient(create_app(portal_settings(database_url=url))) as client:
        portal = Portal(client, smtp)
        portal.register("pg@example.com")
        key = new_key(portal.submit("/portal/keys", name="pg").text)
        assert client.get(CHART, headers={"X-API-Key": key}).status_code == 200
        assert "pg@example.com" in portal.get("/portal/keys").text

        engine = make_engine(url)
        try:
            with session_scope(make_sessionmaker(engine)) as session:
                user = service.find_user(session, "pg@example.com")
                assert user.password_hash and user.password_hash.startswith("$argon2id$")
                assert service.status(user) == "active"
                service.suspend(session, "pg@example.com")
        finally:
            engine.dispose()
        refused = client.get(CHART, headers={"X-API-Key": key})  # key cache is 0 s here
        assert refused.status_code == 403
