"""Counting calls: memory or Redis counters, failover and the decision.

Counters live in process memory (:class:`MemoryCounters`) when no Redis is
configured, else in Redis (:mod:`chartographer.access.rediscounts`), so every
replica sharing one Redis shares the counts; both run the same rule. Each
window is a fixed window aligned to the clock (or to the calendar for quotas):
the counter key names the period, one atomic increment per window decides and
tells the remaining amount, and the reset time is known without another round
trip. A request refused by one window gives its unit back to the windows that
had admitted it, so refused calls do not eat other windows. In Redis all of
that is one script per request, and the requests of a moment share one round
trip; in memory it is one plain function call with no ``await`` inside, so it
is just as atomic.

A request's counter keys, reset times and the ``RateLimit-Policy`` value depend
only on the subject, its windows and the whole second (every window ends on a
whole second), so the :class:`Limiter` works them out once per subject and
second instead of on every call.

When Redis fails, ``fail_open`` switches to a local in-memory store (logged,
retried every few seconds) and ``fail_closed`` answers 503.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from redis.exceptions import RedisError

from chartographer import metrics
from chartographer.access.errors import LimiterUnavailable, QuotaExceeded, RateLimited
from chartographer.access.quota import Window
from chartographer.access.rediscounts import RedisCounters

log = logging.getLogger(__name__)

RETRY_PRIMARY_SECONDS = 5.0
_OUTAGE_ERRORS: tuple[type[BaseException], ...] = (RedisError, ConnectionError, OSError)

#: how often expired memory counters are dropped (seconds of the clock)
SWEEP_SECONDS = 10.0


class MemoryCounters:
    """Window counters in process memory, counted by the rule of the Redis script.

    Each counter holds ``[count, expires at]``; a counter past its expiry starts
    again from zero, and its expiry is set when a count creates it (as
    ``INCRBY`` then ``EXPIRE`` on a count of 1 do in Redis). Expired counters
    are dropped every :data:`SWEEP_SECONDS`, so memory follows the active keys.
    """

    def __init__(self) -> None:
        self._counters: dict[str, list[float]] = {}
        self._next_sweep = 0.0

    def count_now(self, keys: Sequence[tuple[str, int]], amounts: Sequence[int]) -> list[int]:
        """Count one call in every ``(key, expiry)`` and refund it if any window refused it."""
        now = time.time()
        if now >= self._next_sweep:
            self._sweep(now)
        counters = self._counters
        entries = []
        refused = False
        for (key, expiry), amount in zip(keys, amounts, strict=True):
            entry = counters.get(key)
            if entry is None or entry[1] <= now:
                entry = counters[key] = [0, now + expiry]
            entry[0] += 1
            entries.append(entry)
            if entry[0] > amount:
                refused = True
        if refused:
            for entry, amount in zip(entries, amounts, strict=True):
                if entry[0] <= amount:
                    entry[0] -= 1
        return [int(entry[0]) for entry in entries]

    async def count(self, keys: Sequence[tuple[str, int]], amounts: Sequence[int]) -> list[int]:
        return self.count_now(keys, amounts)

    def _sweep(self, now: float) -> None:
        self._counters = {k: e for k, e in self._counters.items() if e[1] > now}
        self._next_sweep = now + SWEEP_SECONDS

    def __len__(self) -> int:
        return len(self._counters)

    async def check(self) -> bool:
        return True

    async def reset(self) -> None:
        self._counters = {}


Storage = MemoryCounters | RedisCounters


def make_storage(redis_url: str | None, timeout: float = 1.0) -> Storage:
    """The counter storage for a Redis URL, or process memory when there is none.

    ``timeout`` (``redis_limiter_timeout``) bounds connecting and each reply; past
    it the call is an outage (``redis_outage``), so a stalled Redis costs requests
    at most that long.
    """
    if not redis_url:
        return MemoryCounters()
    return RedisCounters(redis_url, timeout)


class CounterStore:
    """Atomic counters with the configured outage behaviour."""

    def __init__(self, primary: Storage, outage: str = "fail_open") -> None:
        self.primary = primary
        self.fallback = MemoryCounters()
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
        primary = self.primary
        if isinstance(primary, MemoryCounters):
            return primary.count_now(keys, amounts)  # cannot fail: no outage to handle
        if self.degraded_until and time.monotonic() < self.degraded_until:
            return self.fallback.count_now(keys, amounts)
        try:
            counts = await primary.count(keys, amounts)
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
            return self.fallback.count_now(keys, amounts)
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


class WindowState(NamedTuple):
    window: Window
    remaining: int
    reset: int
    length: int
    admitted: bool


class Plan(NamedTuple):
    """What counting a subject's windows needs in one second (see the module docstring)."""

    windows: tuple[Window, ...]
    keys: list[tuple[str, int]]
    amounts: list[int]
    resets: list[int]
    lengths: list[int]
    #: ``RateLimit-Policy``: the same for every call of the plan
    policy: str


@dataclass(frozen=True)
class Decision:
    """The outcome of counting one request, with its IETF RateLimit header values."""

    states: tuple[WindowState, ...]
    policy: str | None = None  # ``RateLimit-Policy`` when the limiter already knows it

    @property
    def admitted(self) -> bool:
        return all(s.admitted for s in self.states)

    def _values(self) -> tuple[str, str]:
        policy = self.policy
        if policy is None:
            policy = _policy([s.window for s in self.states], [s.length for s in self.states])
        current = ", ".join(f'"{s.window.name}";r={s.remaining};t={s.reset}' for s in self.states)
        return policy, current

    def headers(self) -> dict[str, str]:
        """``RateLimit-Policy`` and ``RateLimit`` (draft-ietf-httpapi-ratelimit-headers-11)."""
        if not self.states:
            return {}
        policy, current = self._values()
        return {"RateLimit-Policy": policy, "RateLimit": current}

    def raw_headers(self) -> list[tuple[bytes, bytes]]:
        """:meth:`headers` as ASGI header pairs."""
        if not self.states:
            return []
        policy, current = self._values()
        return [
            (b"ratelimit-policy", policy.encode("latin-1")),
            (b"ratelimit", current.encode("latin-1")),
        ]

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


def _policy(windows: Iterable[Window], lengths: Iterable[int]) -> str:
    return ", ".join(
        f'"{w.name}";q={w.amount};w={length}' for w, length in zip(windows, lengths, strict=True)
    )


class Limiter:
    """Counts a subject's calls against a list of windows."""

    def __init__(self, store: CounterStore) -> None:
        self.store = store
        self._second = -1
        #: subject → its plan for ``_second`` (emptied when the second changes)
        self._plans: dict[str, Plan] = {}

    def plan(self, subject: str, windows: Sequence[Window], now: float) -> Plan:
        """The counter keys, limits, resets and policy of ``windows`` at ``now``.

        Every window ends on a whole second, so all of it is the same for every
        ``now`` within one second: it is worked out once per subject and second.
        """
        second = math.floor(now)
        if second != self._second:
            self._second, self._plans = second, {}
        windows = tuple(windows)  # the same object when it is one already (the principal's)
        plan = self._plans.get(subject)
        if plan is not None and plan.windows == windows:
            return plan
        periods = [w.period(second) for w in windows]
        lengths = [length for _period, _reset, length in periods]
        plan = Plan(
            windows,
            [
                (f"cg/{subject}/{w.name}/{period}", reset + 60)
                for w, (period, reset, _length) in zip(windows, periods, strict=True)
            ],
            [w.amount for w in windows],
            [reset for _period, reset, _length in periods],
            lengths,
            _policy(windows, lengths),
        )
        self._plans[subject] = plan
        return plan

    async def hit(
        self, subject: str, windows: Sequence[Window], now: float | None = None
    ) -> Decision:
        if not windows:
            return Decision(())
        plan = self.plan(subject, windows, time.time() if now is None else now)
        counts = await self.store.count(plan.keys, plan.amounts)
        states = tuple(
            WindowState(w, max(amount - c, 0), reset, length, c <= amount)
            for w, amount, c, reset, length in zip(
                windows, plan.amounts, counts, plan.resets, plan.lengths, strict=True
            )
        )
        return Decision(states, plan.policy)
