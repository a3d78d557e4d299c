"""The limiter contract, run against every storage: memory and a real Redis."""

from __future__ import annotations

import asyncio
import logging
import math
import os
import random
import signal
import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from chartographer.access.errors import LimiterUnavailable, QuotaExceeded, RateLimited
from chartographer.access.quota import Window, parse_limits, plan_windows
from chartographer.access.ratelimit import (
    CounterStore,
    Decision,
    Limiter,
    MemoryCounters,
    make_storage,
)
from tests.services import RedisServer

T0 = datetime(2026, 1, 31, 23, 59, 58, tzinfo=UTC).timestamp()


@pytest.fixture(params=["memory", "redis"])
def store_url(request: pytest.FixtureRequest) -> Iterator[str | None]:
    """``None`` (process memory) or the URL of a real, flushed Redis."""
    if request.param == "memory":
        yield None
        return
    server: RedisServer = request.getfixturevalue("redis_server")
    server.flush()
    yield server.url


def run(coro: object) -> object:
    return asyncio.run(coro)  # type: ignore[arg-type]


def test_parse_limits_names_windows() -> None:
    windows = parse_limits(["20/second", "1000/minute;50000/hour", "3/day", "5 per 10 seconds"])
    assert [(w.name, w.amount, w.seconds) for w in windows] == [
        ("second", 20, 1),
        ("minute", 1000, 60),
        ("hour", 50000, 3600),
        ("day", 3, 86400),
        ("10s", 5, 10),
    ]
    assert [w.name for w in parse_limits(["1/second", "2/second"])] == ["second", "second+"]
    with pytest.raises(ValueError, match="20/fortnight"):
        parse_limits(["20/fortnight"])


def test_calendar_periods_follow_the_calendar() -> None:
    daily, monthly = plan_windows([], 10, 100)
    # 2 s before the end of January: both periods reset in 2 s
    assert daily.period(T0) == ("2026-01-31", 2, 86400)
    assert monthly.period(T0) == ("2026-01", 2, 31 * 86400)
    after = T0 + 3
    assert daily.period(after)[0] == "2026-02-01"
    assert monthly.period(after) == ("2026-02", 28 * 86400 - 1, 28 * 86400)
    leap = datetime(2028, 2, 10, tzinfo=UTC).timestamp()
    assert monthly.period(leap)[2] == 29 * 86400


def test_windows_admit_exactly_their_amount(store_url: str | None) -> None:
    async def scenario() -> None:
        limiter = Limiter(CounterStore(make_storage(store_url)))
        windows = parse_limits(["3/minute"])
        now = T0 - 30  # mid-minute
        decisions = [await limiter.hit("sub:1", windows, now) for _ in range(5)]
        assert [d.admitted for d in decisions] == [True, True, True, False, False]
        assert [d.states[0].remaining for d in decisions] == [2, 1, 0, 0, 0]
        assert decisions[0].headers() == {
            "RateLimit-Policy": '"minute";q=3;w=60',
            "RateLimit": '"minute";r=2;t=32',
        }
        error = decisions[3].error()
        assert isinstance(error, RateLimited) and error.status == 429
        assert error.headers["Retry-After"] == "32"
        # another subject has its own counters; the next minute starts afresh
        assert (await limiter.hit("sub:2", windows, now)).admitted
        assert (await limiter.hit("sub:1", windows, now + 40)).admitted
        await limiter.store.reset()
        await limiter.store.close()

    run(scenario())


def test_refused_calls_do_not_eat_other_windows(store_url: str | None) -> None:
    async def scenario() -> None:
        limiter = Limiter(CounterStore(make_storage(store_url)))
        windows = parse_limits(["2/second", "10/minute"])
        now = T0 - 30
        results = [await limiter.hit("s", windows, now) for _ in range(5)]
        assert [r.admitted for r in results] == [True, True, False, False, False]
        # the minute window only counts the two admitted calls
        assert results[-1].states[1].remaining == 8
        later = await limiter.hit("s", windows, now + 1)
        assert later.admitted and later.states[1].remaining == 7
        await limiter.store.reset()
        await limiter.store.close()

    run(scenario())


def test_quotas_reset_at_the_month_boundary(store_url: str | None) -> None:
    async def scenario() -> None:
        limiter = Limiter(CounterStore(make_storage(store_url)))
        windows = plan_windows(["100/second"], None, 2)
        assert (await limiter.hit("q", windows, T0)).admitted
        assert (await limiter.hit("q", windows, T0)).admitted
        refused = await limiter.hit("q", windows, T0 + 1)
        assert not refused.admitted
        error = refused.error()
        assert isinstance(error, QuotaExceeded)
        assert error.headers["Retry-After"] == "1"
        assert '"monthly";q=2;w=2678400' in error.headers["RateLimit-Policy"]
        assert (await limiter.hit("q", windows, T0 + 2.5)).admitted  # February
        await limiter.store.reset()
        await limiter.store.close()

    run(scenario())


# 60 concurrent hits open 60 connections at once; on a loaded machine one of them
# can take over the production default of 1 s, which is an outage by design (the
# local fallback then counts it). The contract tested here is the counting, so the
# store waits as long as it takes, and the test fails if it ever fell back.
PATIENT = 30.0


def test_concurrent_hits_are_counted_atomically(store_url: str | None) -> None:
    async def scenario() -> None:
        store = CounterStore(make_storage(store_url, timeout=PATIENT))
        limiter = Limiter(store)
        windows = parse_limits(["25/minute"])
        now = T0 - 30
        results = await asyncio.gather(*(limiter.hit("c", windows, now) for _ in range(60)))
        assert not store.degraded_until, "counted by the local fallback, not the store"
        assert sum(r.admitted for r in results) == 25
        await limiter.store.reset()
        await limiter.store.close()

    run(scenario())


@pytest.mark.services
def test_a_stall_shorter_than_the_timeout_is_waited_out(redis_server: RedisServer) -> None:
    """redis_limiter_timeout is what decides an outage: a 1.5 s stall is not one at 30 s."""
    redis_server.flush()
    assert redis_server.process is not None
    pid = redis_server.process.pid

    async def scenario() -> None:
        store = CounterStore(make_storage(redis_server.url, timeout=PATIENT), "fail_closed")
        limiter = Limiter(store)
        windows = parse_limits(["25/minute"])
        os.kill(pid, signal.SIGSTOP)  # Redis stops answering, connections stay open
        try:
            hits = asyncio.gather(*(limiter.hit("stall", windows, T0 - 30) for _ in range(60)))
            await asyncio.sleep(1.5)
        finally:
            os.kill(pid, signal.SIGCONT)
        results = await hits  # fail_closed: an outage would have raised LimiterUnavailable
        assert not store.degraded_until and not store.refusing
        assert sum(r.admitted for r in results) == 25
        await store.reset()
        await store.close()

    run(scenario())


def test_no_windows_means_no_headers() -> None:
    store = CounterStore(make_storage(None))
    decision = run(Limiter(store).hit("x", []))
    run(store.close())
    assert decision.admitted and decision.headers() == {}  # type: ignore[attr-defined]


@pytest.mark.services
def test_fail_open_uses_a_local_limiter_while_redis_is_down(
    redis_server: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    redis_server.flush()
    windows = [Window("minute", 2, "rate", 60)]

    async def scenario() -> None:
        store = CounterStore(make_storage(redis_server.url), "fail_open")
        limiter = Limiter(store)
        await store.check()
        assert (await limiter.hit("o", windows, T0 - 30)).admitted
        redis_server.stop()
        try:
            with pytest.raises(ConnectionError):
                await store.check()
            # the local limiter still limits: 2 per minute, counted from zero
            local = [await limiter.hit("o", windows, T0 - 30) for _ in range(3)]
            assert [d.admitted for d in local] == [True, True, False]
        finally:
            redis_server.start()
        store.degraded_until = 1e-9  # skip the retry delay: next call tries Redis again
        back = await limiter.hit("o", windows, T0 - 30)
        # back on Redis (restarted without persistence, so it counts from zero again)
        assert back.admitted and back.states[0].remaining == 1
        assert not store.degraded_until
        await store.close()

    with caplog.at_level(logging.WARNING, "chartographer.access.ratelimit"):
        run(scenario())
    messages = [r.getMessage() for r in caplog.records]
    assert any("using a local in-memory limiter" in m for m in messages)
    assert any("shared limits restored" in m for m in messages)


@pytest.mark.services
def test_fail_closed_refuses_while_redis_is_down(redis_server: RedisServer) -> None:
    redis_server.flush()
    windows = [Window("minute", 5, "rate", 60)]

    async def scenario() -> None:
        limiter = Limiter(CounterStore(make_storage(redis_server.url), "fail_closed"))
        assert (await limiter.hit("f", windows)).admitted
        redis_server.stop()
        try:
            with pytest.raises(LimiterUnavailable) as caught:
                await limiter.hit("f", windows)
            assert caught.value.status == 503 and caught.value.headers["Retry-After"] == "5"
        finally:
            redis_server.start()
        assert (await limiter.hit("f", windows)).admitted
        await limiter.store.close()

    run(scenario())


@pytest.mark.services
def test_fail_closed_logs_one_line_per_outage(
    redis_server: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    """198 refused requests used to be 198 error lines; an outage is one line, its end another."""
    redis_server.flush()
    windows = [Window("minute", 1000, "rate", 60)]

    async def outage(limiter: Limiter) -> None:
        redis_server.stop()
        try:
            for _ in range(20):
                with pytest.raises(LimiterUnavailable):
                    await limiter.hit("f", windows)
        finally:
            redis_server.start()
        assert (await limiter.hit("f", windows)).admitted
        assert (await limiter.hit("f", windows)).admitted

    async def scenario() -> None:
        limiter = Limiter(CounterStore(make_storage(redis_server.url), "fail_closed"))
        assert (await limiter.hit("f", windows)).admitted
        await outage(limiter)
        await outage(limiter)
        await limiter.store.close()

    with caplog.at_level(logging.INFO, "chartographer.access.ratelimit"):
        run(scenario())
    messages = [r.getMessage() for r in caplog.records if r.name.endswith("ratelimit")]
    refusing = [m for m in messages if "refusing requests" in m]
    back = [m for m in messages if "admitting requests again" in m]
    assert len(refusing) == 2, messages  # one per outage, not one per refused request
    assert len(back) == 2, messages
    assert len(messages) == 4


def test_a_window_is_the_same_for_every_instant_of_a_second() -> None:
    """Every window ends on a whole second, which is what lets a plan be kept for a second."""
    windows = plan_windows(["3/second", "7/minute", "5 per 10 seconds", "9/hour"], 10, 100)
    rng = random.Random(9)
    edges = [T0, T0 + 2, datetime(2028, 2, 29, 23, 59, 59, tzinfo=UTC).timestamp()]
    instants = edges + [rng.uniform(0, 4e9) for _ in range(2000)]
    for second in instants:
        for now in (second, second + 0.000001, second + rng.random(), second + 0.999999):
            for window in windows:
                assert window.period(now) == window.period(math.floor(now)), (window, now)


def test_a_plan_is_reused_within_its_second_only() -> None:
    limiter = Limiter(CounterStore(make_storage(None)))
    windows = tuple(plan_windows(["3/second", "10/minute"], 100, None))
    first = limiter.plan("sub:1", windows, T0 - 30.8)
    assert limiter.plan("sub:1", windows, T0 - 30.01) is first  # the same second
    assert first.keys == [
        ("cg/sub:1/second/1769903967", 61),  # expiry: the reset plus a minute
        ("cg/sub:1/minute/29498399", 93),
        ("cg/sub:1/daily/2026-01-31", 93),
    ]
    assert first.policy == '"second";q=3;w=1, "minute";q=10;w=60, "daily";q=100;w=86400'
    later = limiter.plan("sub:1", windows, T0 - 28.5)  # the next second: new resets
    assert later is not first and later.resets == [1, 31, 31]
    other = limiter.plan("sub:2", windows, T0 - 28.5)
    assert other.keys[0][0] == "cg/sub:2/second/1769903969"
    fewer = limiter.plan("sub:1", windows[:1], T0 - 28.5)  # other windows: not the kept plan
    assert [k for k, _ in fewer.keys] == ["cg/sub:1/second/1769903969"]


def test_decisions_give_the_same_headers_raw_and_as_text(store_url: str | None) -> None:
    async def scenario() -> None:
        limiter = Limiter(CounterStore(make_storage(store_url)))
        windows = plan_windows(["2/second"], 5, None)
        decision = await limiter.hit("h", windows, T0 - 30)
        assert decision.headers() == {
            "RateLimit-Policy": '"second";q=2;w=1, "daily";q=5;w=86400',
            "RateLimit": '"second";r=1;t=1, "daily";r=4;t=32',
        }
        assert decision.raw_headers() == [
            (k.lower().encode(), v.encode()) for k, v in decision.headers().items()
        ]
        assert Decision(decision.states).headers() == decision.headers()  # policy rebuilt
        assert Decision(()).raw_headers() == []
        await limiter.store.reset()
        await limiter.store.close()

    run(scenario())


def test_memory_counters_expire_and_are_swept() -> None:
    counters = MemoryCounters()
    assert counters.count_now([("a", 1), ("b", 60)], [5, 5]) == [1, 1]
    assert counters.count_now([("a", 1), ("b", 60)], [5, 5]) == [2, 2]
    # a refused call is given back to the window that admitted it
    assert counters.count_now([("a", 1), ("b", 60)], [1, 5]) == [3, 2]
    time.sleep(1.05)
    assert counters.count_now([("a", 1)], [5]) == [1]  # expired: counted from zero
    assert len(counters) == 2
    counters._next_sweep = 0.0  # the next call sweeps (normally every SWEEP_SECONDS)
    assert counters.count_now([("c", 1)], [5]) == [1]
    assert len(counters) == 3  # nothing had expired yet
    time.sleep(1.05)
    counters._next_sweep = 0.0
    assert counters.count_now([("b", 60)], [5]) == [3]
    assert len(counters) == 1  # a and c were dropped
    run(counters.reset())
    assert len(counters) == 0 and run(counters.check()) is True
