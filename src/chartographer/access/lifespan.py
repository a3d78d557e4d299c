"""Start and stop the access layer: database engine, counter store, gate, usage writer."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from fastapi import FastAPI
from sqlalchemy import Engine

from chartographer.access import redact
from chartographer.access.gate import Gate
from chartographer.access.journal import UsageJournal
from chartographer.access.ratelimit import CounterStore, Limiter, make_storage
from chartographer.access.usage import UsageWriter
from chartographer.config import Settings
from chartographer.db import make_engine, make_sessionmaker, ping, upgrade_database


@dataclass
class AccessRuntime:
    """The long-lived objects of the access layer, kept on ``app.state.access``."""

    gate: Gate
    writer: UsageWriter
    store: CounterStore
    engine: Engine


@asynccontextmanager
async def access_lifespan(app: FastAPI, settings: Settings) -> AsyncIterator[AccessRuntime]:
    """Own the access layer's resources for the lifetime of the app."""
    engine = make_engine(settings.database_url)
    if engine.dialect.name == "sqlite":
        # The embedded default must work with zero setup; PostgreSQL deployments
        # run `chartographer db upgrade` once, not from every replica at start.
        await asyncio.to_thread(upgrade_database, settings.database_url)
    sessions = make_sessionmaker(engine)
    store = CounterStore(
        make_storage(settings.redis_url, settings.redis_limiter_timeout), settings.redis_outage
    )
    journal = UsageJournal(settings.usage_journal_dir) if settings.usage_journal_dir else None
    runtime = AccessRuntime(
        Gate(settings, sessions, Limiter(store)),
        UsageWriter(
            sessions, settings.usage_flush_seconds, journal, settings.usage_journal_fsync_seconds
        ),
        store,
        engine,
    )
    await runtime.writer.recover()  # what a killed predecessor journaled

    async def database_ready() -> None:
        await asyncio.to_thread(ping, engine)

    app.state.sessions = sessions
    app.state.access = runtime
    app.state.readiness["database"] = database_ready
    if store.shared:
        app.state.readiness["redis"] = store.check
    runtime.writer.start()
    redact.install()
    try:
        yield runtime
    finally:
        redact.uninstall()
        await runtime.writer.stop()
        await store.close()
        app.state.access = None
        engine.dispose()
