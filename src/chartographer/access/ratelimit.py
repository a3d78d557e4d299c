"""Counting calls: memory or Redis counters, failover and the decision.

Counters live in process memory (a ``limits`` ``MemoryStorage``) when no Redis
is configured, else in Redis (:mod:`chartographer.access.rediscounts`), so every
replica sharing one Redis shares the counts. Each window is a fixed window
aligned to the clock (or to the calendar for quotas): the counter key names the
period, one atomic increment per window decides and tells the remaining amount,
and the reset time is known without another round trip. A request refused by
one window gives its unit back to the windows that had admitted it, so refused
calls do not eat other windows. In Redis all of that is one script per request,
and the requests of a moment share one round trip.

When Redis fails, ``fail_open`` switches to a local in-memory store (logged,
retried every few seconds) and ``fail_closed`` answers 503.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass

from limits.aio.storage import MemoryStorage
from redis.exceptions import RedisError

from chartographer import metrics
from chartographer.access.errors import LimiterUnavailable, QuotaExceeded, RateLimited
from chartographer.access.quota import Window
from chartographer.access.rediscounts import RedisCounters

log = logging.getLogger(__name__)

RETRY_PRIMARY_SECONDS = 5.0
_OUTAGE_ERRORS: tuple[type[BaseException], ...] = (RedisError, ConnectionError, OSError)

Storage = MemoryStorage | RedisCounters


def make_storage(redis_url: str | None, timeout: float = 1.0) -> Storage:
    """The counter storage for a Redis URL, or process memory when there is none.

    ``timeout`` (``redis_limiter_timeout``) bounds connecting and each reply; past
    it the call is an outage (``redis_outage``), so a stalled Redis costs requests
    at most that long.
    """
    if not redis_url:
        return MemoryStorage()
    return RedisCounters(redis_url, timeout)


async def _count_in_memory(
    storage: MemoryStorage, keys: Sequence[tuple[str, int]], amounts: Sequence[int]
) -> list[int]:
    """What the Redis script does, in process memory (no await in between gives way)."""
    counts = [await storage.incr(k, e) for k, e in keys]
    if any(c > a for c, a in zip(counts, amounts, strict=True)):
        for i, ((key, expiry), amount) in enumerate(zip(keys, amounts, strict=True)):
            if counts[i] <= amount:
                counts[i] = await storage.incr(key, expiry, amount=-1)
    return counts


class CounterStore:
    """Atomic counters with the configured outage behaviour."""

    def __init__(self, primary: Storage, outage: str = "fail_open") -> None:
        self.primary = primary
        self.fallback = MemoryStorage()
        self.outage = outage
        self.degraded_until = 0.0
        #: fail_closed: inside an outage (logged once when it starts and once when it ends)
        self.refusing = False

    @property
    def shared(self) -> bool:
        return isinstance(self.primary, RedisCounters)

    async def count(self, keys: Sequence[tuple[str, int]], amounts: Sequence[int]) -> list[int]:
        """Count one call in each ``(key, expiry seconds)`` whose limit is ``amounts[i]``.

        Returns the counts after a refused call gave its unit back to the windows
        that admitted it: window ``i`` admitted the call iff ``counts[i] <= amounts[i]``.
        """
        if self.degraded_until and time.monotonic() < self.degraded_until:
            return await _count_in_memory(self.fallback, keys, amounts)
        try:
            if isinstance(self.primary, RedisCounters):
                counts = await self.primary.count(keys, amounts)
            else:
                counts = await _count_in_memory(self.primary, keys, amounts)
        except _OUTAGE_ERRORS as exc:
            if self.outage == "fail_closed":
                if not self.refusing:
                    log.error(
                        "rate-limit storage unavailable (%s); refusing requests",
                        type(exc).__name__,
                    )
                    self.refusing = True
                raise LimiterUnavailable(
                    "the rate limiter's storage is unavailable; retry shortly",
                    headers={"Retry-After": "5"},
                ) from None
            if not self.degraded_until:
                log.warning(
                    "rate-limit storage unavailable (%s); using a local in-memory limiter",
                    type(exc).__name__,
                )
            metrics.LIMITER_DECISIONS["store_error"].inc()
            self.degraded_until = time.monotonic() + RETRY_PRIMARY_SECONDS
            return await _count_in_memory(self.fallback, keys, amounts)
        if self.degraded_until:
            log.warning("rate-limit storage is back; shared limits restored")
            self.degraded_until = 0.0
        if self.refusing:
            log.warning("rate-limit storage is back; admitting requests again")
            self.refusing = False
        return counts

    async def check(self) -> None:
        """Readiness: raise when the shared storage does not answer."""
        if not await self.primary.check():
            raise ConnectionError("rate-limit storage did not answer")

    async def reset(self) -> None:
        await self.primary.reset()
        await self.fallback.reset()

    async def close(self) -> None:
        """Close the Redis connection pool."""
        if isinstance(self.primary, RedisCounters):
            await self.primary.close()


@dataclass(frozen=True)
class WindowState:
    window: Window
    remaining: int
    reset: int
    length: int
    admitted: bool


@dataclass(frozen=True)
class Decision:
    """The outcome of counting one request, with its IETF RateLimit header values."""

    states: tuple[WindowState, ...]

    @property
    def admitted(self) -> bool:
        return all(s.admitted for s in self.states)

    def headers(self) -> dict[str, str]:
        """``RateLimit-Policy`` and ``RateLimit`` (draft-ietf-httpapi-ratelimit-headers-11)."""
        if not self.states:
            return {}
        policy = ", ".join(
            f'"{s.window.name}";q={s.window.amount};w={s.length}' for s in self.states
        )
        current = ", ".join(f'"{s.window.name}";r={s.remaining};t={s.reset}' for s in self.states)
        return {"RateLimit-Policy": policy, "RateLimit": current}

    def error(self) -> RateLimited | QuotaExceeded:
        """The 429 for a refused request: quota-exceeded when a calendar quota is spent."""
        refused = [s for s in self.states if not s.admitted]
        retry = str(max(s.reset for s in refused))
        headers = {**self.headers(), "Retry-After": retry}
        quotas = [s for s in refused if s.window.kind != "rate"]
        if quotas:
            names = ", ".join(f"{s.window.name} quota of {s.window.amount}" for s in quotas)
            return QuotaExceeded(
                f"the {names} calls is used up; it resets in {retry} s", headers=headers
            )
        names = ", ".join(f"{s.window.amount} per {s.length} s" for s in refused)
        return RateLimited(f"rate limit of {names} reached; retry in {retry} s", headers=headers)


class Limiter:
    """Counts a subject's calls against a list of windows."""

    def __init__(self, store: CounterStore) -> None:
        self.store = store

    async def hit(
        self, subject: str, windows: Sequence[Window], now: float | None = None
    ) -> Decision:
        if not windows:
            return Decision(())
        now = time.time() if now is None else now
        periods = [w.period(now) for w in windows]
        keys = [
            (f"cg/{subject}/{w.name}/{period}", reset + 60)
            for w, (period, reset, _length) in zip(windows, periods, strict=True)
        ]
        counts = await self.store.count(keys, [w.amount for w in windows])
        admitted = [count <= w.amount for w, count in zip(windows, counts, strict=True)]
        states = tuple(
            WindowState(w, max(w.amount - c, 0), reset, length, ok)
            for w, c, ok, (_p, reset, length) in zip(
                windows, counts, admitted, periods, strict=True
            )
        )
        return Decision(states)
