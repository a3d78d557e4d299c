"""Usage metering: counted in memory per (subscription, key, day, route), written in batches.

Requests add to an in-process buffer (no I/O on the request path). A background
task writes the buffer every ``usage_flush_seconds`` in one transaction with
upserts that *add* to the stored totals. When the write fails (database
restarting, network blip) the batch is merged back into the buffer and retried
on the next tick, so nothing is lost while the process lives; the last flush
runs at shutdown. With a :class:`chartographer.access.journal.UsageJournal`
every call is also appended to disk as it is recorded, so a process killed
with SIGKILL loses nothing: its segments are replayed by the next process that
looks (:meth:`UsageWriter.recover`, at start and on every tick).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy.orm import Session, sessionmaker

from chartographer import metrics
from chartographer.access import repository
from chartographer.access.journal import UsageJournal, parse
from chartographer.access.tally import Tally, UsageKey
from chartographer.db import session_scope

log = logging.getLogger(__name__)


@dataclass
class UsageBuffer:
    """Counts waiting to be written."""

    pending: dict[UsageKey, Tally] = field(default_factory=dict)

    def record(self, key: UsageKey, tally: Tally) -> None:
        counted = self.pending.get(key)
        if counted is None:
            own = Tally(tally.requests, tally.cache_hits, tally.bytes, tally.render_ms)
            self.pending[key] = own  # a copy: the caller's tally is not ours to add to
        else:
            counted.add(tally)

    def take(self) -> dict[UsageKey, Tally]:
        batch, self.pending = self.pending, {}
        return batch

    def put_back(self, batch: dict[UsageKey, Tally]) -> None:
        for key, tally in batch.items():
            self.record(key, tally)

    def snapshot(self, subscription_id: int, key_label: str) -> Iterable[tuple[UsageKey, Tally]]:
        return [
            (k, t) for k, t in self.pending.items() if k[0] == subscription_id and k[1] == key_label
        ]


class UsageWriter:
    """Flushes a :class:`UsageBuffer` to the database periodically, retrying on failure."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        interval: float,
        journal: UsageJournal | None = None,
        fsync_interval: float = 1.0,
    ) -> None:
        self.sessions = sessions
        self.interval = interval
        self.journal = journal
        self.fsync_interval = fsync_interval
        self.buffer = UsageBuffer()
        self.failures = 0
        self._task: asyncio.Task[None] | None = None
        self._sync_task: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()

    def record(self, key: UsageKey, tally: Tally) -> None:
        """Count one call: into the buffer and, first, onto the journal."""
        if self.journal is not None:
            self.journal.append(key, tally)
        self.buffer.record(key, tally)

    def _write(self, batch: dict[UsageKey, Tally]) -> None:
        with session_scope(self.sessions) as session:
            repository.add_usage(session, batch)

    async def flush(self) -> bool:
        """Write what is pending; on failure keep it for the next attempt. True if written."""
        async with self._lock:
            batch = self.buffer.take()
            if self.journal is not None:
                self.journal.rotate()  # the held segments now hold exactly `batch`
            try:
                if batch:
                    await asyncio.to_thread(self._write, batch)
            except Exception as exc:  # any database failure: keep the counts, retry later
                self.buffer.put_back(batch)
                self.failures += 1
                metrics.USAGE_WRITE_FAILURES.inc()
                log.warning(
                    "usage write failed (%s); %d rows kept for retry",
                    type(exc).__name__,
                    len(batch),
                )
                return False
            else:
                if self.journal is not None:
                    self.journal.committed()
                return True
            finally:
                metrics.USAGE_BACKLOG.set(len(self.buffer.pending))
                if self.journal is not None:
                    metrics.USAGE_JOURNAL_BYTES.set(self.journal.bytes)

    async def recover(self) -> int:
        """Write the journal segments of dead processes to the database; calls recovered."""
        if self.journal is None:
            return 0
        async with self._lock:  # never cancelled mid-write by stop()
            return await self._replay_orphans()

    async def _replay_orphans(self) -> int:
        assert self.journal is not None

        recovered = 0
        for path, data in self.journal.orphans():
            batch = parse(data)
            try:
                if batch:
                    await asyncio.to_thread(self._write, batch)
            except Exception as exc:  # database down: the segment stays for the next try
                log.warning("usage journal replay deferred (%s)", type(exc).__name__)
                return recovered
            self.journal.release(path)
            calls = sum(t.requests for t in batch.values())
            recovered += calls
            log.warning("usage journal: recovered %d calls from %s", calls, path.name)
        return recovered

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            await self.flush()
            await self.recover()

    async def _sync(self) -> None:
        journal = self.journal
        assert journal is not None
        while True:
            await asyncio.sleep(self.fsync_interval)
            await asyncio.to_thread(journal.sync)

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="usage-writer")
        if self.journal is not None:
            self._sync_task = asyncio.create_task(self._sync(), name="usage-journal-fsync")

    async def stop(self) -> None:
        # Cancel only between flushes: a write cancelled while it waits for an
        # executor thread never runs, and its batch (already taken) was lost.
        async with self._lock:
            for task in (self._task, self._sync_task):
                if task is not None:
                    task.cancel()
        for task in (self._task, self._sync_task):
            if task is not None:
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        self._task = self._sync_task = None
        await self.flush()
        if self.journal is not None:
            self.journal.close()
