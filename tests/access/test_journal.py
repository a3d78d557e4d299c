"""The usage journal: metered calls survive SIGKILL and are replayed exactly once."""

from __future__ import annotations

import fcntl
import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from chartographer.access import journal as journal_module
from chartographer.access.journal import UsageJournal, parse
from chartographer.access.models import UsageRecord
from chartographer.access.tally import Tally
from tests.access.conftest import CHART, SECRET, Seeder
from tests.services import free_port, wait_for_port

KEY = (1, "cg_test", date(2026, 12, 1), "/v1/charts/{kind}")


def test_segments_rotate_commit_and_close(tmp_path: Path) -> None:
    journal = UsageJournal(tmp_path)
    journal.append(KEY, Tally(1, 1, 10, 2.5))
    journal.append(KEY, Tally(1, 0, 20, 1.0))
    first = journal.path
    assert parse(first.read_bytes()) == {KEY: Tally(2, 1, 30, 3.5)}
    journal.rotate()
    assert first.exists() and journal.path != first
    journal.sync()
    journal.committed()
    assert not first.exists()
    journal.append(KEY, Tally(1))
    journal.rotate()
    journal.close()  # uncommitted segments stay for a replay
    assert len(list(tmp_path.glob("*.jnl"))) == 2


def test_only_segments_of_dead_processes_are_orphans(tmp_path: Path) -> None:
    live = UsageJournal(tmp_path)
    live.append(KEY, Tally(1))
    dead = tmp_path / "usage-1-1-000001.jnl"
    dead.write_bytes(b'[1,"cg_test","2026-12-01","/v1/charts/{kind}",3,1,30,1.5]\n{"torn')
    other = UsageJournal.__new__(UsageJournal)  # a second process's view of the directory
    other.directory, other.prefix = tmp_path, "usage-none-"
    found = [(path, parse(data)) for path, data in other.orphans()]
    assert found[0] == (dead, {KEY: Tally(3, 1, 30, 1.5)})
    # the live journal's segment is locked: it is not anyone's orphan, only ours
    assert [p for p, _ in found] == [dead]
    # a locked orphan (someone replaying it) is skipped
    fd = os.open(dead, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)
    assert [p for p, _ in other.orphans()] == []
    os.close(fd)
    for path, _data in other.orphans():
        other.release(path)
    assert not dead.exists()
    live.close()


@contextmanager
def server(env: dict[str, str], log: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    port = free_port()
    args = [sys.executable, "-m", "uvicorn", "chartographer.app:create_app", "--factory"]
    args += ["--host", "127.0.0.1", "--port", str(port)]
    with log.open("ab") as out:
        process = subprocess.Popen(
            args, env={**os.environ, **env}, stdout=out, stderr=subprocess.STDOUT
        )
        try:
            wait_for_port(port, timeout=60)
            yield f"http://127.0.0.1:{port}", process
        finally:
            if process.poll() is None:
                process.terminate()
            process.wait(timeout=30)


def metered(seeder: Seeder) -> int:
    with seeder.sessions() as session:
        return int(session.scalar(select(func.coalesce(func.sum(UsageRecord.requests), 0))))


@pytest.mark.slow
def test_sigkill_loses_no_metered_call(seeder: Seeder, tmp_path: Path) -> None:
    seeder.plan("free", "1000/minute")
    key = seeder.key("free").key
    env = {
        "CHARTOGRAPHER_ACCESS_MODE": "keys",
        "CHARTOGRAPHER_KEY_HASH_SECRET": SECRET,
        "CHARTOGRAPHER_DATABASE_URL": seeder.url,
        "CHARTOGRAPHER_RENDER_PROCESSES": "0",
        "CHARTOGRAPHER_USAGE_FLUSH_SECONDS": "3600",  # nothing reaches the database by itself
        "CHARTOGRAPHER_USAGE_JOURNAL_DIR": str(tmp_path / "journal"),
    }
    with server(env, tmp_path / "a.log") as (base, process):
        statuses = [
            httpx.get(f"{base}{CHART}&title=k{i % 5}&key={key}", timeout=30).status_code
            for i in range(40)
        ]
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    assert statuses.count(200) == 40
    assert metered(seeder) == 0  # the buffer died with the process…
    with server(env, tmp_path / "b.log") as (base, process):
        assert metered(seeder) == 40  # …and the journal brought every call back at start
        assert httpx.get(f"{base}{CHART}&key={key}", timeout=30).status_code == 200
    # graceful stop: the last flush writes the rest, the journal is left empty
    assert metered(seeder) == 41
    assert list((tmp_path / "journal").glob("*.jnl")) == []
    with server(env, tmp_path / "c.log"):
        assert metered(seeder) == 41  # nothing replayed twice


@pytest.mark.anyio
async def test_stop_never_cancels_a_queued_write(seeder: Seeder, tmp_path: Path) -> None:
    """A flush whose write waits for a busy executor thread must still run at stop."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from chartographer.access.usage import UsageWriter

    seeder.plan("p", "10/minute")
    issued = seeder.key("p")
    key = (issued.subscription.id, issued.record.prefix, date.today(), "/v1/charts/{kind}")
    loop = asyncio.get_running_loop()
    loop.set_default_executor(ThreadPoolExecutor(max_workers=1))
    busy = threading.Event()
    writer = UsageWriter(seeder.sessions, 0.01, UsageJournal(tmp_path / "j"), 0.01)
    writer.start()
    blocker = loop.run_in_executor(None, busy.wait)  # the only thread is taken
    writer.record(key, Tally(1))
    await asyncio.sleep(0.1)  # the writer's tick has taken the batch; its write is queued
    stopping = asyncio.ensure_future(writer.stop())
    await asyncio.sleep(0.1)
    busy.set()
    await blocker
    await stopping
    assert metered(seeder) == 1
    assert list((tmp_path / "j").glob("*.jnl")) == []


@pytest.mark.anyio
async def test_a_failed_write_keeps_segments_until_one_succeeds(
    seeder: Seeder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chartographer.access.usage import UsageWriter

    seeder.plan("p", "10/minute")
    issued = seeder.key("p")
    key = (issued.subscription.id, issued.record.prefix, date.today(), "/v1/charts/{kind}")
    journal = UsageJournal(tmp_path / "j")
    writer = UsageWriter(seeder.sessions, 3600, journal)
    real_write = writer._write

    def refuse(batch: object) -> None:
        raise ConnectionError("database restarting")

    monkeypatch.setattr(writer, "_write", refuse)
    writer.record(key, Tally(1))
    assert await writer.flush() is False
    writer.record(key, Tally(1))
    assert await writer.flush() is False
    assert len(journal.held) == 2 and writer.failures == 2
    # a process killed now would leave all three segments; their rows are the buffer's
    on_disk: dict[object, Tally] = {}
    for path in (tmp_path / "j").glob("*.jnl"):
        for k, t in parse(path.read_bytes()).items():
            on_disk.setdefault(k, Tally()).add(t)
    assert on_disk == dict(writer.buffer.pending) == {key: Tally(2)}
    monkeypatch.setattr(writer, "_write", real_write)
    assert await writer.flush() is True
    assert metered(seeder) == 2 and journal.held == []
    # the database down during a replay: the orphan stays for the next try
    orphan = tmp_path / "j" / "usage-1-1-000001.jnl"
    orphan.write_bytes(b'[1,"x","2026-12-01","/r",5,0,0,0]\n')
    monkeypatch.setattr(writer, "_write", refuse)
    assert await writer.recover() == 0 and orphan.exists()
    monkeypatch.setattr(writer, "_write", real_write)
    await writer.stop()
    assert sorted(p.name for p in (tmp_path / "j").iterdir()) == [orphan.name]


def test_a_sync_that_runs_after_close_does_nothing(tmp_path: Path) -> None:
    """The fsync thread may still run when the writer stops (it was an EBADF before)."""
    journal = UsageJournal(tmp_path)
    journal.close()
    journal.sync()  # no OSError: the descriptor is gone and nothing is left to sync


def test_sync_in_a_thread_while_the_loop_rotates_commits_and_closes(tmp_path: Path) -> None:
    journal = UsageJournal(tmp_path)
    errors: list[BaseException] = []
    stop = threading.Event()

    def keep_syncing() -> None:
        while not stop.is_set():
            try:
                journal.sync()
            except BaseException as exc:  # collected: the assertion below names it
                errors.append(exc)
                return

    thread = threading.Thread(target=keep_syncing)
    thread.start()
    try:
        for _ in range(300):
            journal.rotate()
            journal.committed()
    finally:
        journal.close()
        stop.set()
        thread.join()
    assert errors == []


@pytest.mark.parametrize(
    "key, tally",
    [
        (KEY, Tally(1, 1, 3211, 0.0)),
        ((7, 'odd "label" \\ é', date(2027, 1, 1), "/chart"), Tally(1, 0, 99, 3.14159)),
        (KEY, Tally(3, 2, 0, 12.0005)),
    ],
)
def test_lines_are_the_json_rows_they_always_were(
    tmp_path: Path, key: tuple[int, str, date, str], tally: Tally
) -> None:
    """Segments written before this version and after it are read by the same parser."""
    journal = UsageJournal(tmp_path)
    journal.append(key, tally)
    journal.append(key, tally)  # the second line reuses the key's prefix
    row = [key[0], key[1], key[2].isoformat(), key[3]]
    row += [tally.requests, tally.cache_hits, tally.bytes, round(tally.render_ms, 3)]
    line = json.dumps(row, separators=(",", ":")).encode() + b"\n"
    assert journal.path.read_bytes() == line * 2
    ms = round(tally.render_ms, 3)
    twice = Tally(2 * tally.requests, 2 * tally.cache_hits, 2 * tally.bytes, 2 * ms)
    assert parse(line * 2) == {key: twice}
    journal.close()


def test_line_prefixes_are_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(journal_module, "PREFIXES", 3)
    journal = UsageJournal(tmp_path)
    for day in range(1, 8):
        journal.append((1, "k", date(2026, 12, day), "/chart"), Tally(1))
    assert len(journal._prefixes) <= 3
    assert sum(t.requests for t in parse(journal.path.read_bytes()).values()) == 7
    journal.close()
