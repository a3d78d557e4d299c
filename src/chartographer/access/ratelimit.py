"""Counting calls: the ``limits`` storage (memory or Redis), failover and the decision.

Counters live in a ``limits`` async storage chosen by URL (``memory://`` when no
Redis is configured, ``redis://…`` otherwise), so every replica sharing one
Redis shares the counts. Each window is a fixed window aligned to the clock (or
to the calendar for quotas): the counter key names the period, one atomic
``INCRBY`` per window decides and tells the remaining amount, and the reset
time is known without another round trip. All windows of a request are counted
concurrently. A request refused by one window gives its unit back to the
windows that had admitted it, so refused calls do not eat other windows.

When Redis fails, ``fail_open`` switches to a local in-memory store (logged,
retried every few seconds) and ``fail_closed`` answers 503.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from limits.aio.storage import MemoryStorage, Storage
from limits.errors import StorageError
from limits.storage import storage_from_string

from chartographer import metrics
from chartographer.access.errors import LimiterUnavailable, QuotaExceeded, RateLimited
from chartographer.access.quota import Window

log = logging.getLogger(__name__)

RETRY_PRIMARY_SECONDS = 5.0
_OUTAGE_ERRORS: tuple[type[BaseException], ...] = (StorageError, ConnectionError, OSError)


def make_storage(redis_url: str | None, timeout: float = 1.0) -> Storage:
    """The counter storage for a Redis URL, or process memory when there is none.

    ``timeout`` (``redis_limiter_timeout``) bounds connecting and each reply; past
    it the call is an outage (``redis_outage``), so a stalled Redis costs requests
    at most that long.
    """
    if not redis_url:
        return MemoryStorage()
    storage = storage_from_string(
        "async+" + redis_url,
        implementation="redispy",
        wrap_exceptions=True,
        socket_connect_timeout=timeout,
        socket_timeout=timeout,
    )
    assert isinstance(storage, Storage)
    return storage


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
        return not isinstance(self.primary, MemoryStorage)

    async def _incr(self, storage: Storage, keys: Sequence[tuple[str, int]], amount: int) -> Any:
        if isinstance(storage, MemoryStorage):  # no I/O: a task per window costs more than it
            return [await storage.incr(k, e, amount=amount) for k, e in keys]
        return await asyncio.gather(*(storage.incr(k, e, amount=amount) for k, e in keys))

    async def incr(self, keys: Sequence[tuple[str, int]], amount: int = 1) -> list[int]:
        """Add ``amount`` to each ``(key, expiry seconds)``; return the new counts."""
        if self.degraded_until and time.monotonic() < self.degraded_until:
            return list(await self._incr(self.fallback, keys, amount))
        try:
            counts = await self._incr(self.primary, keys, amount)
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
            return list(await self._incr(self.fallback, keys, amount))
        if self.degraded_until:
            log.warning("rate-limit storage is back; shared limits restored")
            self.degraded_until = 0.0
        if self.refusing:
            log.warning("rate-limit storage is back; admitting requests again")
            self.refusing = False
        return list(counts)

    async def check(self) -> None:
        """Readiness: raise when the shared storage does not answer."""
        if not await self.primary.check():
            raise ConnectionError("rate-limit storage did not answer")

    async def reset(self) -> None:
        await self.primary.reset()
        await self.fallback.reset()

    async def close(self) -> None:
        """Close the Redis connection pool (``limits`` has no close of its own)."""
        bridge = getattr(self.primary, "bridge", None)
        if bridge is not None:
            await bridge.get_connection().aclose()


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
        counts = await self.store.incr(keys)
        admitted = [count <= w.amount for w, count in zip(windows, counts, strict=True)]
        if not all(admitted):
            # give back the unit to windows that admitted this refused request
            refund = [k for k, ok in zip(keys, admitted, strict=True) if ok]
            if refund:
                await self.store.incr(refund, amount=-1)
                counts = [c - 1 if ok else c for c, ok in zip(counts, admitted, strict=True)]
        states = tuple(
            WindowState(w, max(w.amount - c, 0), reset, length, ok)
            for w, c, ok, (_p, reset, length) in zip(
                windows, counts, admitted, periods, strict=True
            )
        )
        return Decision(states)
