"""Usage metering: per key, day and route; batched; survives a database restart."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from chartographer.access import middleware
from chartographer.access.lifespan import AccessRuntime
from chartographer.access.tally import Tally
from chartographer.access.usage import UsageBuffer, UsageWriter
from chartographer.app import create_app
from chartographer.config import Settings
from chartographer.db import make_engine, make_sessionmaker, upgrade_database
from tests.access.conftest import CHART, Seeder
from tests.services import PostgresServer

KEY = (1, "cg_test", date(2026, 12, 2), "/v1/charts/{kind}")


def test_usage_counts_requests_cache_hits_bytes_and_render_time(
    seeder: Seeder, keys_settings: Callable[..., Settings]
) -> None:
    seeder.plan("basic", "100/minute")
    issued = seeder.key("basic")
    other = seeder.key("basic")
    settings = keys_settings(usage_flush_seconds=3600)
    with TestClient(create_app(settings)) as client:
        runtime: AccessRuntime = client.app.state.access  # type: ignore[attr-defined]
        first = client.get(f"{CHART}&key={issued.key}")
        second = client.get(f"{CHART}&key={issued.key}")
        assert first.headers["X-Cache"] == "MISS" and second.headers["X-Cache"] == "HIT"
        client.get(f"{CHART}&key={other.key}")
        # pending (not yet written) counts are part of the answer
        report = client.get("/v1/usage", params={"key": issued.key})
        assert report.status_code == 200
        assert report.headers["content-type"] == "application/json"
        body = report.json()
        assert body["key"] == issued.record.prefix and body["plan"] == "basic"
        assert body["client_id"] == issued.subscription.client_id
        (row,) = [u for u in body["usage"] if u["route"] == "/v1/charts/{kind}"]
        assert row["requests"] == 2 and row["cache_hits"] == 1
        assert row["bytes"] == len(first.content) * 2
        assert row["render_ms"] > 0
        assert row["day"] == datetime.now(UTC).date().isoformat()
        assert asyncio.run(runtime.writer.flush()) is True
        # written now: the answer is the same from the database, and the /v1/usage call counted
        again = client.get("/v1/usage", headers={"X-API-Key": issued.key}).json()
        chart_row = next(u for u in again["usage"] if u["route"] == "/v1/charts/{kind}")
        assert chart_row == row
        usage_row = next(u for u in again["usage"] if u["route"] == "/v1/usage")
        assert usage_row["requests"] == 1 and usage_row["bytes"] == 0
        assert again["totals"]["requests"] == 3
        assert client.get("/v1/usage", params={"days": 0, "key": issued.key}).status_code == 422


def _tally(n: int) -> Tally:
    return Tally(requests=n, cache_hits=1, bytes=100 * n, render_ms=2.5 * n)


@pytest.mark.services
def test_usage_survives_a_postgresql_restart(
    postgres_server: PostgresServer, caplog: pytest.LogCaptureFixture
) -> None:
    url = postgres_server.create_database()
    upgrade_database(url)
    seeder = Seeder(url)
    seeder.plan("basic", "10/second")
    sub = seeder.key("basic").subscription.id
    seeder.engine.dispose()
    engine = make_engine(url)
    day = datetime.now(UTC).date()
    key = (sub, "cg_live_abcdef", day, "/chart")

    async def scenario() -> UsageWriter:
        writer = UsageWriter(make_sessionmaker(engine), interval=0.05)
        writer.start()
        writer.record(key, _tally(2))
        assert await writer.flush()
        postgres_server.stop()
        try:
            writer.record(key, _tally(3))
            await asyncio.sleep(0.2)  # the background task tries, fails, keeps the counts
            assert writer.failures >= 1
            writer.record(key, _tally(5))
            assert not await writer.flush()
        finally:
            postgres_server.start()
        await writer.stop()  # final flush after the database is back
        return writer

    writer = asyncio.run(scenario())
    assert not writer.buffer.pending
    assert any("usage write failed" in r.getMessage() for r in caplog.records)
    from chartographer.access import service
    from chartographer.db import session_scope

    with session_scope(make_sessionmaker(engine)) as session:
        (row,) = service.usage_report(session, 1, sub)
        assert (row.requests, row.cache_hits, row.bytes) == (10, 3, 1000)
        assert row.render_ms == pytest.approx(25.0)
    engine.dispose()


def test_the_buffer_keeps_its_own_tallies() -> None:
    buffer = UsageBuffer()
    one = Tally(1, 1, 10, 0.5)
    buffer.record(KEY, one)
    buffer.record(KEY, one)
    assert buffer.pending == {KEY: Tally(2, 2, 20, 1.0)}
    assert one == Tally(1, 1, 10, 0.5)  # the caller's tally was copied, not added to


def test_metering_day_is_the_utc_date_and_follows_midnight() -> None:
    assert middleware.utc_today() == datetime.now(UTC).date()
    yesterday = datetime.now(UTC).date() - timedelta(days=1)
    start = datetime(yesterday.year, yesterday.month, yesterday.day, tzinfo=UTC).timestamp()
    middleware._today = (start, start + 86400, yesterday)  # as if kept since yesterday
    assert middleware.utc_today() == datetime.now(UTC).date()
    assert middleware._today[2] == datetime.now(UTC).date()
