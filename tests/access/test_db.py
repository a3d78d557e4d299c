"""Migrations: upgrade from nothing and ``alembic check`` (models and migrations agree)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import inspect

from chartographer.db import alembic_config, make_engine, ping, upgrade_database
from tests.services import PostgresServer

TABLES = {"alembic_version", "plans", "subscriptions", "api_keys", "usage"}


def _check(url: str) -> None:
    upgrade_database(url)
    command.check(alembic_config(url))  # raises when autogenerate would find a difference
    engine = make_engine(url)
    try:
        ping(engine)
        assert set(inspect(engine).get_table_names()) >= TABLES
    finally:
        engine.dispose()


def test_sqlite_directory_is_created_and_alembic_check_is_clean(tmp_path: Path) -> None:
    _check(f"sqlite:///{tmp_path / 'nested' / 'data' / 'c.db'}")
    assert (tmp_path / "nested" / "data" / "c.db").exists()


@pytest.mark.services
def test_postgresql_upgrade_and_alembic_check(postgres_server: PostgresServer) -> None:
    _check(postgres_server.create_database())


def test_offline_sql_can_be_generated(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    command.upgrade(alembic_config(f"sqlite:///{tmp_path / 'o.db'}"), "head", sql=True)
    assert "CREATE TABLE api_keys" in capsys.readouterr().out


def test_server_workers_migrating_one_sqlite_file_at_once_all_start(tmp_path: Path) -> None:
    # `serve --workers N` on the embedded default: every worker upgrades the same file
    # as it starts; unserialised, two added the same column and one worker died.
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    go = tmp_path / "go"
    script = (
        "import os, sys, time\n"
        "from chartographer.db import upgrade_database\n"
        "while not os.path.exists(sys.argv[2]): time.sleep(0.005)\n"
        "upgrade_database(sys.argv[1])\n"
    )
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", script, url, str(go)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        for _ in range(6)
    ]
    time.sleep(1.0)  # every one imported and waiting
    go.touch()
    outcomes = [(worker.wait(timeout=120), worker.communicate()[0]) for worker in workers]
    assert [code for code, _ in outcomes] == [0] * 6, outcomes
    _check(url)
