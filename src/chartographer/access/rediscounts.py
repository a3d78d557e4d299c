"""Rate-limit counters in Redis: one atomic script per request, one round trip per batch.

A keyed request counts up to four windows (rate windows, daily and monthly
quota). Counted one ``EVALSHA`` per window through ``limits``, a cached image
cost four Redis round trips — four tasks, four pooled connections, four sends
and replies — which is most of what a keyed cached hit spent. Here:

* **one script per request** (:data:`SCRIPT`) adds one to every window, sets the
  expiry of a counter it created, and, if any window refused the call, gives the
  unit back to the windows that had admitted it — all inside Redis, so the
  decision is atomic per request (no second round trip for the refund, no
  window between counting and giving back);
* **one round trip per batch**: the requests that ask while a batch is in flight
  wait for it and then go together as one pipeline (not a transaction: each
  script is atomic on its own), so at concurrency 8 a round trip decides about
  eight requests;
* **no client machinery per call**: the batch is one write of ready-made
  protocol bytes on a pooled connection and one read per reply. A subject's
  ``EVALSHA`` is packed once per second (its keys change with the second), not
  per call; redis-py's pipeline object, retry wrapper and per-argument encoding
  are skipped — they were most of a keyed hit's time in this module.

The counter keys and the ``INCRBY``/``EXPIRE`` rule are the ones ``limits``
used (``LIMITS:cg/…``), so replicas of the previous version, during a rolling
upgrade, count in the same counters. Errors (connection refused, timeout past
``redis_limiter_timeout``) fail every request of the batch; each then applies
``redis_outage`` on its own (:class:`chartographer.access.ratelimit.CounterStore`).
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Awaitable, Sequence
from typing import Any, cast

import redis.asyncio as aioredis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import NoScriptError, ResponseError

PREFIX = "LIMITS:"  # the prefix ``limits`` gave its keys (the same counters across versions)

#: KEYS: the counters; ARGV: n expiries, then n amounts. Returns the counts after refunds.
SCRIPT = """
local n = #KEYS
local counts = {}
local refused = false
for i = 1, n do
  local c = redis.call('INCRBY', KEYS[i], 1)
  if c == 1 then redis.call('EXPIRE', KEYS[i], ARGV[i]) end
  counts[i] = c
  if c > tonumber(ARGV[n + i]) then refused = true end
end
if refused then
  for i = 1, n do
    if counts[i] <= tonumber(ARGV[n + i]) then counts[i] = redis.call('DECRBY', KEYS[i], 1) end
  end
end
return counts
"""

#: packed commands kept (one per subject active in the current second)
KEPT_COMMANDS = 4096

Request = tuple[Sequence[tuple[str, int]], Sequence[int], "asyncio.Future[list[int]]"]


class RedisCounters:
    """Window counters in one Redis, requests batched into pipelined round trips."""

    def __init__(self, url: str, timeout: float = 1.0) -> None:
        # No retries: a reply lost to a timeout may come from a script that ran, and
        # sending it again would count the call twice. A dead pooled connection is
        # found and replaced before use (redis-py checks it), so this costs nothing.
        self.client = aioredis.Redis.from_url(
            url,
            socket_timeout=timeout,
            socket_connect_timeout=timeout,
            retry=Retry(NoBackoff(), 0),
        )
        # how Redis names a script (an identifier, not security)
        self.sha = hashlib.sha1(SCRIPT.encode(), usedforsecurity=False).hexdigest()
        self._commands: dict[int, tuple[Any, Any, bytes]] = {}
        self._queue: list[Request] = []
        self._sender: asyncio.Task[None] | None = None
        #: round trips made and requests they decided (tests and the profile read these)
        self.round_trips = 0
        self.requests = 0

    async def count(self, keys: Sequence[tuple[str, int]], amounts: Sequence[int]) -> list[int]:
        """Count one call in every ``(key, expiry)``; ``amounts`` are the windows' limits.

        Returns each window's count after the refund of a refused call, so a
        window admitted the call exactly when its count is within its amount.
        """
        future: asyncio.Future[list[int]] = asyncio.get_running_loop().create_future()
        self._queue.append((keys, amounts, future))
        if self._sender is None:
            self._sender = asyncio.create_task(self._send())
        return await future

    async def _send(self) -> None:
        try:
            while self._queue:
                batch, self._queue = self._queue, []
                try:
                    results = await self._run(batch)
                except Exception as exc:  # every waiter of the batch gets the error
                    for _keys, _amounts, future in batch:
                        if not future.done():
                            future.set_exception(exc)
                    continue
                except BaseException:  # the sender itself is cancelled: so are its waiters
                    for _keys, _amounts, future in batch + self._queue:
                        future.cancel()
                    self._queue = []
                    raise
                for (_keys, _amounts, future), counts in zip(batch, results, strict=True):
                    if not future.done():  # its request may have been cancelled meanwhile
                        future.set_result(counts)
        finally:
            self._sender = None

    async def _run(self, batch: list[Request]) -> list[list[int]]:
        self.round_trips += 1
        self.requests += len(batch)
        replies = await self._pipeline(batch)
        missing = [i for i, reply in enumerate(replies) if isinstance(reply, NoScriptError)]
        if missing:
            # Redis restarted and forgot the script: those scripts did not run, so load
            # it and send exactly them again (nothing is counted twice)
            await self.client.script_load(SCRIPT)
            again = await self._pipeline([batch[i] for i in missing])
            for i, reply in zip(missing, again, strict=True):
                replies[i] = reply
        for reply in replies:
            if isinstance(reply, Exception):
                raise reply
        return [[int(c) for c in reply] for reply in replies]

    def _packed(self, keys: Sequence[tuple[str, int]], amounts: Sequence[int]) -> bytes:
        """One ``EVALSHA`` in the Redis protocol, kept for as long as the caller's plan lives.

        The limiter hands the same key and amount lists to every call of a
        subject within one second, so the bytes are built once per plan.
        """
        kept = self._commands.get(id(keys))
        if kept is not None and kept[0] is keys and kept[1] is amounts:
            return kept[2]
        args = [b"EVALSHA", self.sha.encode(), str(len(keys)).encode()]
        args += [(PREFIX + key).encode() for key, _expiry in keys]
        args += [str(expiry).encode() for _key, expiry in keys]
        args += [str(amount).encode() for amount in amounts]
        command = b"*%d\r\n" % len(args) + b"".join(
            b"$%d\r\n%s\r\n" % (len(arg), arg) for arg in args
        )
        if len(self._commands) >= KEPT_COMMANDS:
            self._commands.clear()
        self._commands[id(keys)] = (keys, amounts, command)
        return command

    async def _pipeline(self, batch: list[Request]) -> list[Any]:
        """Send the batch's scripts in one write and read their replies, in order.

        A pooled connection is used directly (the pool still checks and replaces
        a dead one), without redis-py's pipeline object, retries or per-command
        packing: an error reply is that script's result, a timeout or a broken
        connection fails the whole batch, and a connection left mid-reply (an
        error, a cancellation) is closed rather than returned to the pool.
        """
        pool = self.client.connection_pool
        connection = await pool.get_connection()  # type: ignore[no-untyped-call]
        try:
            data = b"".join(self._packed(keys, amounts) for keys, amounts, _future in batch)
            await connection.send_packed_command(data, check_health=False)
            replies: list[Any] = []
            for _request in batch:
                try:
                    replies.append(await connection.read_response())
                except ResponseError as exc:  # this script's own error (NOSCRIPT, …)
                    replies.append(exc)
            return replies
        except BaseException:
            await connection.disconnect(nowait=True)
            raise
        finally:
            await pool.release(connection)

    async def check(self) -> bool:
        """Does Redis answer (readiness)?"""
        try:
            return bool(await cast("Awaitable[bool]", self.client.ping()))
        except Exception:  # readiness: any failure is "not ready"
            return False

    async def reset(self) -> None:
        """Delete every counter (tests, ``chartographer`` admin tools)."""
        async for key in self.client.scan_iter(match=PREFIX + "*", count=1000):
            await self.client.delete(key)

    async def close(self) -> None:
        await self.client.aclose()
