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
  protocol bytes on the module's own connection (:class:`_Link`, an asyncio
  protocol whose replies hiredis parses as they arrive) and one future for all
  its replies. A subject's ``EVALSHA`` is packed once per second (its keys
  change with the second), not per call. redis-py's pool checkout, per-reply
  read and timeout contexts were three quarters of this module's time per
  call (``bench.rediscounts``); redis-py still does what is not per request:
  the readiness ``PING``, loading the script, ``reset``.

The counter keys and the ``INCRBY``/``EXPIRE`` rule are the ones ``limits``
used (``LIMITS:cg/…``), so replicas of the previous version, during a rolling
upgrade, count in the same counters. Errors (connection refused, timeout past
``redis_limiter_timeout``) fail every request of the batch; each then applies
``redis_outage`` on its own (:class:`chartographer.access.ratelimit.CounterStore`).
"""

from __future__ import annotations

import asyncio
import hashlib
import ssl
from collections import deque
from collections.abc import Awaitable, Sequence
from typing import Any, cast

import hiredis
import redis.asyncio as aioredis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import (
    AuthenticationError,
    NoScriptError,
    ResponseError,
)
from redis.exceptions import (
    ConnectionError as RedisConnectionError,
)
from redis.exceptions import (
    TimeoutError as RedisTimeoutError,
)

from chartographer.config import REDIS_TLS_OPTIONS

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


def pack(*args: bytes) -> bytes:
    """One command in the Redis protocol (RESP2), as redis-py packs it."""
    return b"*%d\r\n" % len(args) + b"".join(b"$%d\r\n%s\r\n" % (len(a), a) for a in args)


class _Link(asyncio.Protocol):
    """One connection to Redis: a write goes straight to the socket, replies are
    parsed by hiredis as they arrive and handed, in order, to the future of the
    write that asked for them.

    Any break — the connection lost, a reply nobody asked for, a malformed one,
    a timeout — closes the link and fails every future still waiting: a reply
    can never be read as another batch's.
    """

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.reader = hiredis.Reader(replyError=ResponseError)
        #: per write in flight: its future, how many replies it waits for, those read
        self.waiting: deque[tuple[asyncio.Future[list[Any]], int, list[Any]]] = deque()
        self.closed = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast("asyncio.Transport", transport)

    def send(self, data: bytes, replies: int) -> asyncio.Future[list[Any]]:
        future: asyncio.Future[list[Any]] = asyncio.get_running_loop().create_future()
        if self.closed or self.transport is None:
            future.set_exception(RedisConnectionError("the Redis connection is closed"))
            return future
        self.waiting.append((future, replies, []))
        self.transport.write(data)
        return future

    def data_received(self, data: bytes) -> None:
        self.reader.feed(data)
        try:
            while (reply := self.reader.gets()) is not False:
                if not self.waiting:
                    raise hiredis.ProtocolError("a reply nobody asked for")
                future, wanted, replies = self.waiting[0]
                replies.append(reply)
                if len(replies) == wanted:
                    self.waiting.popleft()
                    if not future.done():  # cancelled meanwhile: its replies are dropped
                        future.set_result(replies)
        except hiredis.ProtocolError as exc:
            self.close(RedisConnectionError(f"Redis protocol error: {exc}"))

    def connection_lost(self, exc: Exception | None) -> None:
        self.close(RedisConnectionError("Redis closed the connection"))

    def close(self, error: Exception) -> None:
        """Fail every waiting future with ``error`` and drop the connection."""
        self.closed = True
        while self.waiting:
            future, _wanted, _replies = self.waiting.popleft()
            if not future.done():
                future.set_exception(error)
        if self.transport is not None:
            self.transport.abort()


def _endpoint(pool: aioredis.ConnectionPool) -> tuple[dict[str, Any], ssl.SSLContext | None]:
    """Where the URL points, as redis-py read it, and the TLS context of ``rediss://``.

    TLS takes ``ssl_ca_certs``, ``ssl_certfile``/``ssl_keyfile``, ``ssl_cert_reqs``
    and ``ssl_check_hostname``; any other ``ssl_`` option is refused at start
    rather than ignored (``Settings`` refuse them already; this guards direct use).
    """
    kwargs = dict(pool.connection_kwargs)
    options = {k: kwargs.pop(k) for k in list(kwargs) if k.startswith("ssl_")}
    if pool.connection_class is not aioredis.SSLConnection:
        return kwargs, None
    if unknown := sorted(set(options) - REDIS_TLS_OPTIONS):  # Settings refuse them first
        raise ValueError(f"redis_url: TLS option(s) {', '.join(unknown)} are not supported")
    context = ssl.create_default_context(cafile=options.get("ssl_ca_certs"))
    if options.get("ssl_certfile"):
        context.load_cert_chain(options["ssl_certfile"], options.get("ssl_keyfile"))
    if str(options.get("ssl_check_hostname", "true")).lower() in {"false", "0", "no"}:
        context.check_hostname = False
    if str(options.get("ssl_cert_reqs", "required")).lower() in {"none", "cert_none"}:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return kwargs, context


class RedisCounters:
    """Window counters in one Redis, requests batched into pipelined round trips."""

    def __init__(self, url: str, timeout: float = 1.0) -> None:
        # redis-py: the readiness PING, loading the script, reset. No retries: a reply
        # lost to a timeout may come from a script that ran, and sending it again
        # would count the call twice. The counting itself goes over self._link.
        self.client = aioredis.Redis.from_url(
            url,
            socket_timeout=timeout,
            socket_connect_timeout=timeout,
            retry=Retry(NoBackoff(), 0),
        )
        self.timeout = timeout
        self._where, self._tls = _endpoint(self.client.connection_pool)
        self._link: _Link | None = None
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
        command = pack(*args)
        if len(self._commands) >= KEPT_COMMANDS:
            self._commands.clear()
        self._commands[id(keys)] = (keys, amounts, command)
        return command

    async def _pipeline(self, batch: list[Request]) -> list[Any]:
        """Send the batch's scripts in one write and await their replies, in order.

        An error reply is that script's result (``NOSCRIPT`` as
        :class:`~redis.exceptions.NoScriptError`); a timeout, a broken connection
        or a cancellation fails the whole batch and closes the link, so the next
        batch starts on a fresh connection with no reply left behind.
        """
        link = self._link
        if link is None or link.closed:
            link = self._link = await self._connect()
        data = b"".join(self._packed(keys, amounts) for keys, amounts, _future in batch)
        replies = link.send(data, len(batch))
        late = asyncio.get_running_loop().call_later(
            self.timeout, link.close, RedisTimeoutError("Timeout reading from Redis")
        )
        try:
            found = await replies
        except BaseException:
            link.close(RedisConnectionError("the batch was abandoned"))
            raise
        finally:
            late.cancel()
        return [
            NoScriptError(str(r))
            if isinstance(r, ResponseError) and str(r).startswith("NOSCRIPT")
            else r
            for r in found
        ]

    async def _connect(self) -> _Link:
        """A new link, authenticated and on the URL's database, within ``timeout``."""
        loop = asyncio.get_running_loop()
        where = self._where
        link: _Link | None = None
        try:
            async with asyncio.timeout(self.timeout):
                if "path" in where:
                    _, link = await loop.create_unix_connection(_Link, where["path"])
                else:
                    host, port = where.get("host", "localhost"), where.get("port", 6379)
                    _, link = await loop.create_connection(_Link, host, port, ssl=self._tls)
                hello = []
                if where.get("password"):
                    user = [where["username"].encode()] if where.get("username") else []
                    hello.append(pack(b"AUTH", *user, where["password"].encode()))
                if where.get("db"):
                    hello.append(pack(b"SELECT", str(where["db"]).encode()))
                for reply in await link.send(b"".join(hello), len(hello)) if hello else []:
                    if isinstance(reply, ResponseError):
                        raise AuthenticationError(f"Redis refused the connection: {reply}")
            return link
        except BaseException as exc:
            if link is not None:
                link.close(RedisConnectionError("the connection did not open"))
            if isinstance(exc, TimeoutError):
                raise RedisTimeoutError("Timeout connecting to Redis") from None
            if isinstance(exc, OSError):
                raise RedisConnectionError(f"Error connecting to Redis: {exc}") from exc
            raise

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
        if self._link is not None:
            self._link.close(RedisConnectionError("the counters were closed"))
            self._link = None
        await self.client.aclose()
