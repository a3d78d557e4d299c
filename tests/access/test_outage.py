"""PostgreSQL stops and starts under a keys-mode server: 503 problem+json, then recovery."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from chartographer.app import create_app
from chartographer.config import Settings
from tests.access.conftest import CHART, Seeder
from tests.services import PostgresServer

pytestmark = pytest.mark.services


def _assert_unavailable(answer: Any) -> None:
    assert answer.status_code == 503, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert int(answer.headers["retry-after"]) >= 1
    problem = answer.json()
    assert problem["type"].endswith("/database-unavailable")
    assert "database" in problem["detail"]


def test_database_outage_is_503_and_recovers_by_itself(
    postgres_server: PostgresServer, keys_settings: Callable[..., Settings]
) -> None:
    seeder = Seeder(postgres_server.create_database())
    seeder.plan("basic", "100/second")
    key = seeder.key("basic").key
    settings = keys_settings(database_url=seeder.url, key_cache_seconds=0)
    seeder.engine.dispose()
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        assert client.get(f"{CHART}&key={key}").status_code == 200
        assert client.get(f"/v1/usage?key={key}").status_code == 200
        postgres_server.stop()
        try:
            _assert_unavailable(client.get(f"{CHART}&key={key}"))
            _assert_unavailable(client.get(f"/v1/usage?key={key}"))
            ready = client.get("/readyz")
            assert ready.status_code == 503
            assert ready.json()["checks"]["database"].startswith("unavailable")
            assert client.get("/healthz").status_code == 200  # alive, just not ready
        finally:
            postgres_server.start()
        # back without a restart of the service: stale pooled connections are replaced
        assert client.get(f"{CHART}&key={key}").status_code == 200
        assert client.get(f"/v1/usage?key={key}").status_code == 200
        assert client.get("/readyz").status_code == 200


def test_a_key_in_the_cache_keeps_working_through_an_outage(
    postgres_server: PostgresServer, keys_settings: Callable[..., Settings]
) -> None:
    seeder = Seeder(postgres_server.create_database())
    seeder.plan("basic", "100/second")
    key = seeder.key("basic").key
    unseen = seeder.key("basic").key
    settings = keys_settings(database_url=seeder.url, key_cache_seconds=3600)
    seeder.engine.dispose()
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        assert client.get(f"{CHART}&key={key}").status_code == 200
        postgres_server.stop()
        try:
            # looked up a moment ago: still served from the key cache
            assert client.get(f"{CHART}&key={key}&width=201").status_code == 200
            # a key not in the cache needs the database
            _assert_unavailable(client.get(f"{CHART}&key={unseen}"))
        finally:
            postgres_server.start()
