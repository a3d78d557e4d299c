"""The usage journal: every metered call is on disk before its response is sent.

Each process appends one short line per metered call to its own *segment* file
in ``usage_journal_dir`` (one ``write(2)`` to an ``O_APPEND`` descriptor, a few
microseconds, no fsync on the request path). The kernel keeps what was written
even if the process is killed with SIGKILL a moment later; a background task
fsyncs the open segment every ``usage_journal_fsync_seconds``, so a machine
crash (power loss, kernel panic) loses at most that interval.

Segments and the in-memory buffer of :class:`chartographer.access.usage.UsageWriter`
always describe the same calls: a flush takes the buffer *and* rotates to a
new segment; when the database has committed the batch the old segments are
deleted, when it fails they stay (and their rows go back into the buffer).

Each open segment is held with an exclusive ``flock``. The lock dies with its
process however it dies, so a segment whose lock can be taken belongs to a
dead process: :meth:`UsageJournal.orphans` yields those for replay, by the
process itself after a restart or by any other process sharing the directory.
Replay is at-least-once: a crash in the instant between a database commit and
the unlink of the committed segments would count those calls again.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import math
import os
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from chartographer.access.tally import Tally, UsageKey

log = logging.getLogger(__name__)
SUFFIX = ".jnl"


#: distinct usage keys whose line prefix is kept (a day's keys of one process, usually few)
PREFIXES = 4096


def _prefix(key: UsageKey) -> bytes:
    """``[sub,"label","day","route"`` — the part of a line that repeats for a key."""
    row = [key[0], key[1], key[2].isoformat(), key[3]]
    return json.dumps(row, separators=(",", ":"))[:-1].encode()


def _tail(tally: Tally) -> bytes:
    """``,requests,hits,bytes,ms]`` and the newline (JSON numbers, as ``json.dumps`` writes)."""
    ms = round(tally.render_ms, 3)
    if not math.isfinite(ms):  # pragma: no cover - a duration is finite; JSON's spelling then
        row = [tally.requests, tally.cache_hits, tally.bytes, ms]
        return b"," + json.dumps(row)[1:].encode() + b"\n"
    return f",{int(tally.requests)},{int(tally.cache_hits)},{int(tally.bytes)},{ms!r}]\n".encode()


def parse(data: bytes) -> dict[UsageKey, Tally]:
    """The rows of a segment; a torn last line (machine crash) is skipped."""
    rows: dict[UsageKey, Tally] = {}
    for raw in data.splitlines():
        try:
            sub, label, day, route, requests, hits, size, ms = json.loads(raw)
            key: UsageKey = (int(sub), str(label), date.fromisoformat(day), str(route))
            tally = Tally(int(requests), int(hits), int(size), float(ms))
        except (ValueError, TypeError):
            log.warning("usage journal: skipped a damaged line (%d bytes)", len(raw))
            continue
        rows.setdefault(key, Tally()).add(tally)
    return rows


class UsageJournal:
    """This process's segments in a directory shared with other processes."""

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.prefix = f"usage-{os.getpid()}-{time.time_ns()}-"
        self._seq = 0
        self.held: list[tuple[Path, int]] = []  # rotated, not yet committed
        self.bytes = 0
        # sync() runs in a thread and may still be running when the event loop
        # rotates, commits or closes: the descriptors change only under this lock
        self._fd_lock = threading.Lock()
        self._closed = False
        self._prefixes: dict[UsageKey, bytes] = {}
        self.path, self._fd = self._open()

    def _open(self) -> tuple[Path, int]:
        self._seq += 1
        path = self.directory / f"{self.prefix}{self._seq:06d}{SUFFIX}"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_CLOEXEC, 0o600)
        fcntl.flock(fd, fcntl.LOCK_EX)
        return path, fd

    def append(self, key: UsageKey, tally: Tally) -> None:
        """Put one metered call on disk (the kernel's page cache: survives SIGKILL)."""
        prefix = self._prefixes.get(key)
        if prefix is None:
            if len(self._prefixes) >= PREFIXES:
                self._prefixes.clear()
            prefix = self._prefixes[key] = _prefix(key)
        data = prefix + _tail(tally)
        os.write(self._fd, data)
        self.bytes += len(data)

    def rotate(self) -> None:
        """Start a new segment; the current one waits for :meth:`committed`."""
        with self._fd_lock:
            self.held.append((self.path, self._fd))
            self.path, self._fd = self._open()

    def committed(self) -> None:
        """The rows of every rotated segment are in the database: delete those segments."""
        with self._fd_lock:
            for path, fd in self.held:
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
                os.close(fd)
            self.held = []
            self.bytes = os.fstat(self._fd).st_size

    def sync(self) -> None:
        """fsync the open segment (called from a thread every few hundred ms)."""
        with self._fd_lock:
            if self._closed:
                return  # the writer stopped while this call waited for its thread
            fd = os.dup(self._fd)  # stays valid whatever the loop closes meanwhile
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

    def close(self) -> None:
        """At a clean shutdown, after the last successful flush: nothing is left to keep."""
        with self._fd_lock:
            self._closed = True
            if not self.held and os.fstat(self._fd).st_size == 0:
                self.path.unlink(missing_ok=True)
            os.close(self._fd)
            for _path, fd in self.held:  # uncommitted: left for a replay
                os.close(fd)
            self.held = []

    def orphans(self) -> Iterator[tuple[Path, bytes]]:
        """Segments of dead processes, locked for the caller while it handles each one.

        The caller replays the bytes, then :meth:`release` with ``delete=True``.
        """
        for path in sorted(self.directory.glob(f"usage-*{SUFFIX}")):
            if path.name.startswith(self.prefix):
                continue
            try:
                fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
            except FileNotFoundError:
                continue
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:  # its process is alive
                os.close(fd)
                continue
            if os.fstat(fd).st_nlink == 0:  # replayed by someone else meanwhile
                os.close(fd)
                continue
            try:
                with os.fdopen(os.dup(fd), "rb") as handle:
                    data = handle.read()
                yield path, data
            finally:
                os.close(fd)

    @staticmethod
    def release(path: Path) -> None:
        """Delete a replayed orphan (while :meth:`orphans` still holds its lock)."""
        path.unlink(missing_ok=True)
