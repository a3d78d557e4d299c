"""Real PostgreSQL and Redis for tests, started from local binaries (a pytest plugin).

Registered in ``tests/conftest.py`` with ``pytest_plugins``. Each server runs on
loopback, on a random free port, with its data in a temporary directory, and is
stopped at the end of the session. Tests may stop and start a server mid-test
(``server.stop()`` / ``server.start()``) to prove outage behaviour.

When a binary is missing the fixtures skip with the reason — unless
``CHARTOGRAPHER_REQUIRE_SERVICES=1`` (CI), where a missing service is a failure.

PostgreSQL refuses to run as root. When the tests run as root (CI containers
do), ``initdb`` and ``postgres`` run as the unprivileged system user
``chartographer-test``, created with ``useradd`` if it does not exist, via
``subprocess``'s ``user=``/``group=`` (no sudo, no runuser needed).
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest


def _find_pg_bin() -> Path:
    """CHARTOGRAPHER_PG_BIN, else the newest Debian PostgreSQL (15 on bookworm)."""
    if "CHARTOGRAPHER_PG_BIN" in os.environ:
        return Path(os.environ["CHARTOGRAPHER_PG_BIN"])
    installed = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
    )
    return installed[-1] if installed else Path("/usr/lib/postgresql/15/bin")


PG_BIN = _find_pg_bin()
PG_USER = "chartographer-test"


def _unavailable(reason: str) -> None:
    if os.environ.get("CHARTOGRAPHER_REQUIRE_SERVICES") == "1":
        pytest.fail(f"{reason} (CHARTOGRAPHER_REQUIRE_SERVICES=1)")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_for_port(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


class RedisServer:
    """A ``redis-server`` on loopback without persistence."""

    def __init__(self, binary: str, workdir: Path, extra: Sequence[str] = ()) -> None:
        self.binary = binary
        self.workdir = workdir
        self.extra = list(extra)  # more redis-server options (a password, a Unix socket)
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        args = [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
        args += ["--appendonly", "no", "--dir", str(self.workdir), "--protected-mode", "yes"]
        args += self.extra
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_port(self.port)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def flush(self) -> None:
        import redis

        with redis.Redis(host="127.0.0.1", port=self.port) as client:
            client.flushall()


def _pg_identity() -> dict[str, Any]:
    """Popen arguments that drop root for PostgreSQL (empty when not root)."""
    if os.geteuid() != 0:
        return {}
    try:
        pwd.getpwnam(PG_USER)
    except KeyError:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", PG_USER],
            check=True,
            capture_output=True,
        )
    entry = pwd.getpwnam(PG_USER)
    return {"user": entry.pw_uid, "group": entry.pw_gid, "extra_groups": []}


class PostgresServer:
    """A throwaway PostgreSQL cluster (``initdb`` + ``postgres``) on loopback."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.data = workdir / "data"
        self.port = free_port()
        self.identity = _pg_identity()
        self.process: subprocess.Popen[bytes] | None = None
        self._databases = 0
        if self.identity:
            os.chown(workdir, self.identity["user"], self.identity["group"])
        args = [str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust"]
        args += ["-E", "UTF8", "--no-sync", "--no-instructions"]
        subprocess.run(
            args,
            check=True,
            capture_output=True,
            cwd=workdir,
            **self.identity,
        )

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        args = [str(PG_BIN / "postgres"), "-D", str(self.data), "-p", str(self.port)]
        args += ["-k", str(self.workdir), "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"]
        log = (self.workdir / "postgres.log").open("ab")
        self.process = subprocess.Popen(
            args, stdout=log, stderr=log, cwd=self.workdir, **self.identity
        )
        log.close()
        self._wait_ready()

    def _wait_ready(self, timeout: float = 30.0) -> None:
        import psycopg

        deadline = time.monotonic() + timeout
        while True:
            try:
                with psycopg.connect(self.url().replace("+psycopg", ""), connect_timeout=1):
                    return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def stop(self) -> None:
        if self.process is not None:
            self.process.send_signal(signal.SIGINT)  # "fast" shutdown
            self.process.wait(timeout=30)
            self.process = None

    def create_database(self) -> str:
        """A fresh, empty database; returns its SQLAlchemy URL."""
        import psycopg

        self._databases += 1
        name = f"test_{self._databases}"
        with psycopg.connect(self.url().replace("+psycopg", ""), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return self.url(name)


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    """A real redis-server for the whole session (flush it in tests that need a clean one)."""
    binary = shutil.which("redis-server")
    if binary is None:
        _unavailable("redis-server not installed (Debian package: redis-server)")
        raise AssertionError("unreachable")
    with tempfile.TemporaryDirectory(prefix="cg-redis-") as workdir:
        server = RedisServer(binary, Path(workdir))
        server.start()
        try:
            yield server
        finally:
            server.stop()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A real PostgreSQL cluster for the whole session."""
    if not (PG_BIN / "postgres").exists() or not (PG_BIN / "initdb").exists():
        _unavailable(f"PostgreSQL binaries not found in {PG_BIN} (Debian package: postgresql)")
        raise AssertionError("unreachable")
    workdir = Path(tempfile.mkdtemp(prefix="cg-pg-"))
    try:
        server = PostgresServer(workdir)
        server.start()
        try:
            yield server
        finally:
            server.stop()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
