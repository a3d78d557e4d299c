"""Database engine, sessions and migrations (SQLAlchemy 2.0, Alembic).

SQLite under ``./data`` is the embedded default; PostgreSQL is switched on by
URL (``postgresql+psycopg://…``). Transactions live in one place: the session
dependency (and :func:`session_scope` for code outside a request) commits or
rolls back; services and repositories only ``flush``.
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

MIGRATIONS = Path(__file__).with_name("migrations")

#: what SQLAlchemy raises when the database cannot be reached (stopped, restarting,
#: network): answered 503 + Retry-After, never 500; the pool reconnects by itself
DATABASE_DOWN = (OperationalError, InterfaceError)


class Base(DeclarativeBase):
    """Declarative base of every table the service owns."""


def _sqlite_file(url: str) -> Path | None:
    """The file behind a SQLite ``url`` (None: another database, or in memory)."""
    parsed = make_url(url)
    database = parsed.database or ""
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return None
    if database.startswith("file:"):
        return None
    return Path(database).expanduser()


def make_engine(url: str) -> Engine:
    """An engine for ``url``; a SQLite file gets its directory created."""
    parsed = make_url(url)
    kwargs: dict[str, Any] = {"pool_pre_ping": True}
    if parsed.get_backend_name() == "sqlite":
        if (path := _sqlite_file(url)) is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        kwargs = {"connect_args": {"check_same_thread": False, "timeout": 15}}
    engine = create_engine(url, **kwargs)
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets the usage writer and key lookups run side by side.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def session_scope(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One transaction: commit on success, roll back on any error."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def get_session(request: Request) -> Iterator[Session]:
    """Request-scoped session; the transaction commits when the route returns."""
    with session_scope(request.app.state.sessions) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


def ping(engine: Engine) -> None:
    """Raise when the database cannot answer a trivial query."""
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))


def alembic_config(url: str) -> Any:
    """An Alembic config pointing at the migrations shipped inside the package."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade_database(url: str, revision: str = "head") -> None:
    """Apply migrations up to ``revision`` (``chartographer db upgrade``)."""
    from alembic import command

    make_engine(url).dispose()  # creates the SQLite directory if needed
    path = _sqlite_file(url)
    if path is None:
        command.upgrade(alembic_config(url), revision)
        return
    # The embedded SQLite database is migrated by every server worker as it starts
    # (`serve --workers N`): one at a time, or two add the same column and one dies.
    with path.with_name(path.name + ".migrate-lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        command.upgrade(alembic_config(url), revision)
