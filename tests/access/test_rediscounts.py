"""The Redis counters against a real redis-server: one script per request, batched round trips."""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis

from chartographer.access.errors import LimiterUnavailable
from chartographer.access.quota import parse_limits, plan_windows
from chartographer.access.ratelimit import CounterStore, Limiter
from chartographer.access.rediscounts import PREFIX, RedisCounters
from tests.services import RedisServer

pytestmark = pytest.mark.services
NOW = 1_800_000_030.0  # mid-minute


def _sync(server: RedisServer) -> redis.Redis:
    return redis.Redis(host="127.0.0.1", port=server.port)


def _calls(client: redis.Redis) -> dict[str, int]:
    stats: dict[str, Any] = client.info("commandstats")
    return {k.removeprefix("cmdstat_"): int(v["calls"]) for k, v in stats.items()}


def test_concurrent_requests_share_round_trips_and_count_exactly(
    redis_server: RedisServer,
) -> None:
    """40 concurrent hits on 4 windows: 40 scripts (not 160 calls), far fewer round trips."""
    redis_server.flush()
    client = _sync(redis_server)
    windows = plan_windows(["10/second", "1000/minute"], 1000, 10000)

    async def scenario() -> None:
        counters = RedisCounters(redis_server.url, timeout=30)
        limiter = Limiter(CounterStore(counters, "fail_closed"))
        await limiter.hit("warm", windows, NOW)  # loads the script into a fresh Redis
        client.config_resetstat()
        counters.requests = counters.round_trips = 0
        decisions = await asyncio.gather(*(limiter.hit("b", windows, NOW) for _ in range(40)))
        assert sum(d.admitted for d in decisions) == 10  # the second window decides
        # the other windows counted only the admitted calls: refunds happened in Redis
        assert sorted(d.states[1].remaining for d in decisions if d.admitted) == list(
            range(990, 1000)
        )
        assert {d.states[2].remaining for d in decisions if not d.admitted} <= set(range(990, 1000))
        assert counters.requests == 40 and counters.round_trips < 40
        await counters.close()

    asyncio.run(scenario())
    calls = _calls(client)
    assert calls["evalsha"] == 40, calls  # one script per request, whatever its windows
    assert calls["incrby"] == 160 and calls["decrby"] == 90, calls  # run inside the scripts
    assert set(calls) == {"config|resetstat", "evalsha", "incrby", "expire", "decrby"}, calls
    # the very counters (and expiry rule) of the previous version: LIMITS:cg/<subject>/...
    minute = f"{PREFIX}cg/b/minute/{int(NOW // 60)}"
    assert client.get(minute) == b"10"
    assert 60 < client.ttl(minute) <= 30 + 60
    assert client.get(f"{PREFIX}cg/b/second/{int(NOW)}") == b"40"  # refused calls stay counted


def test_a_forgotten_script_is_loaded_and_nothing_counts_twice(
    redis_server: RedisServer,
) -> None:
    redis_server.flush()
    client = _sync(redis_server)
    windows = parse_limits(["100/minute"])

    async def scenario() -> None:
        counters = RedisCounters(redis_server.url)
        limiter = Limiter(CounterStore(counters, "fail_closed"))
        assert (await limiter.hit("s", windows, NOW)).states[0].remaining == 99
        client.script_flush()  # as a Redis restart without persistence does
        results = await asyncio.gather(*(limiter.hit("s", windows, NOW) for _ in range(5)))
        assert sorted(r.states[0].remaining for r in results) == [94, 95, 96, 97, 98]
        await counters.close()

    asyncio.run(scenario())
    assert client.get(f"{PREFIX}cg/s/minute/{int(NOW // 60)}") == b"6"


def test_a_cancelled_request_does_not_disturb_the_batch(redis_server: RedisServer) -> None:
    redis_server.flush()
    windows = parse_limits(["100/minute"])

    async def scenario() -> None:
        counters = RedisCounters(redis_server.url)
        limiter = Limiter(CounterStore(counters, "fail_closed"))
        tasks = [asyncio.create_task(limiter.hit("c", windows, NOW)) for _ in range(4)]
        await asyncio.sleep(0)  # all four are queued, the batch is being sent
        tasks[0].cancel()
        done = await asyncio.gather(*tasks, return_exceptions=True)
        assert isinstance(done[0], asyncio.CancelledError)
        # its script was sent with the batch: Redis counted it, as a sent call is counted
        assert sorted(d.states[0].remaining for d in done[1:]) == [96, 97, 98]  # type: ignore[union-attr]
        assert (await limiter.hit("c", windows, NOW)).states[0].remaining == 95
        await counters.close()

    asyncio.run(scenario())


def test_a_cancelled_sender_cancels_its_waiters(redis_server: RedisServer) -> None:
    redis_server.flush()
    assert redis_server.process is not None
    pid = redis_server.process.pid

    async def scenario() -> None:
        counters = RedisCounters(redis_server.url, timeout=30)
        await counters.check()  # connect before Redis stops answering
        os.kill(pid, signal.SIGSTOP)
        try:
            waiting = asyncio.create_task(counters.count([("x", 60)], [5]))
            await asyncio.sleep(0.2)
            queued = asyncio.create_task(counters.count([("y", 60)], [5]))
            await asyncio.sleep(0)
            assert counters._sender is not None
            counters._sender.cancel()
            for task in (waiting, queued):
                with pytest.raises(asyncio.CancelledError):
                    await task
        finally:
            os.kill(pid, signal.SIGCONT)
        assert counters._sender is None
        assert await counters.count([("z", 60)], [5]) == [1]  # a new sender starts
        await counters.close()

    asyncio.run(scenario())


def test_an_error_fails_every_request_of_its_batch_and_then_recovers(
    redis_server: RedisServer,
) -> None:
    redis_server.flush()
    windows = parse_limits(["100/minute"])

    async def scenario() -> None:
        counters = RedisCounters(redis_server.url)
        store = CounterStore(counters, "fail_open")
        limiter = Limiter(store)
        redis_server.stop()
        try:
            assert not await counters.check()
            local = await asyncio.gather(*(limiter.hit("e", windows, NOW) for _ in range(3)))
            assert sorted(d.states[0].remaining for d in local) == [97, 98, 99]
            assert store.degraded_until  # counted by the local fallback
        finally:
            redis_server.start()
        store.degraded_until = 1e-9
        assert (await limiter.hit("e", windows, NOW)).states[0].remaining == 99  # Redis again
        assert await counters.check()
        await store.reset()
        await store.close()

    asyncio.run(scenario())
    assert _sync(redis_server).keys(PREFIX + "*") == []


def test_the_packed_script_is_what_redis_py_would_send(redis_server: RedisServer) -> None:
    async def scenario() -> None:
        counters = RedisCounters(redis_server.url)
        keys, amounts = [("cg/sub:1/second/7", 61), ("cg/sub:1/daily/2026-12-02", 3600)], [5, 9]
        packed = counters._packed(keys, amounts)
        names = [PREFIX + key for key, _ in keys]
        connection = counters.client.connection_pool.make_connection()
        expected = connection.pack_command("EVALSHA", counters.sha, 2, *names, 61, 3600, 5, 9)
        assert packed == b"".join(expected)
        assert counters._packed(keys, amounts) is packed  # the same plan: kept
        assert counters._packed(list(keys), amounts) == packed  # another plan: packed anew
        await counters.close()

    asyncio.run(scenario())


def test_a_timed_out_batch_leaves_no_reply_behind(redis_server: RedisServer) -> None:
    """The replies of a batch that timed out must not be read as the next batch's."""
    redis_server.flush()
    assert redis_server.process is not None
    pid = redis_server.process.pid

    async def scenario() -> None:
        counters = RedisCounters(redis_server.url, timeout=0.3)
        await counters.check()
        os.kill(pid, signal.SIGSTOP)
        try:
            with pytest.raises(redis.exceptions.TimeoutError):
                await counters.count([("late", 60)], [5])
        finally:
            os.kill(pid, signal.SIGCONT)
        assert await counters.count([("next", 60)], [5]) == [1]
        assert await counters.count([("late", 60)], [5]) == [2]  # the sent script did run
        assert await counters.count([("next", 60), ("late", 60)], [5, 5]) == [2, 3]
        await counters.close()

    asyncio.run(scenario())


@pytest.fixture
def guarded_redis(redis_server: RedisServer, tmp_path: Path) -> Iterator[RedisServer]:
    """A second redis-server that wants a password and also listens on a Unix socket."""
    extra = ["--requirepass", "s3cret", "--unixsocket", str(tmp_path / "redis.sock")]
    server = RedisServer(redis_server.binary, tmp_path, extra)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.mark.parametrize(
    "where",
    [
        "redis://:s3cret@127.0.0.1:{port}/3",
        "redis://default:s3cret@127.0.0.1:{port}/3",  # AUTH with a user name (Redis ACLs)
        "unix://:s3cret@{socket}?db=3",
    ],
)
def test_the_urls_password_and_database_are_used(guarded_redis: RedisServer, where: str) -> None:
    url = where.format(port=guarded_redis.port, socket=guarded_redis.workdir / "redis.sock")

    async def scenario() -> list[list[int]]:
        counters = RedisCounters(url)
        try:
            return [await counters.count([("auth", 60)], [5]) for _ in range(2)]
        finally:
            await counters.close()

    assert asyncio.run(scenario()) == [[1], [2]]
    with redis.Redis(host="127.0.0.1", port=guarded_redis.port, password="s3cret", db=3) as db3:
        assert db3.get(PREFIX + "auth") == b"2"
        db3.flushall()


def test_a_wrong_password_is_an_outage_not_a_500(guarded_redis: RedisServer) -> None:
    windows = parse_limits(["100/minute"])

    async def scenario() -> None:
        counters = RedisCounters(f"redis://:wrong@127.0.0.1:{guarded_redis.port}/0")
        with pytest.raises(redis.exceptions.AuthenticationError, match="WRONGPASS"):
            await counters.count([("x", 60)], [5])
        closed = Limiter(CounterStore(counters, "fail_closed"))
        with pytest.raises(LimiterUnavailable):
            await closed.hit("x", windows, NOW)
        opened = Limiter(CounterStore(counters, "fail_open"))
        assert (await opened.hit("x", windows, NOW)).states[0].remaining == 99  # local
        await counters.close()

    asyncio.run(scenario())


def test_redis_dying_mid_batch_fails_the_batch_and_a_new_redis_is_used(
    redis_server: RedisServer,
) -> None:
    """Killed while a batch waits: each waiter gets a connection error; the next call reconnects."""
    redis_server.flush()
    assert redis_server.process is not None

    async def scenario() -> None:
        counters = RedisCounters(redis_server.url, timeout=30)
        assert await counters.count([("k", 60)], [5]) == [1]
        assert redis_server.process is not None
        os.kill(redis_server.process.pid, signal.SIGSTOP)  # the batch is sent, no reply comes
        waiters = [asyncio.create_task(counters.count([("k", 60)], [5])) for _ in range(3)]
        await asyncio.sleep(0.2)
        redis_server.process.kill()
        redis_server.process.wait()
        done = await asyncio.gather(*waiters, return_exceptions=True)
        assert all(isinstance(d, redis.exceptions.ConnectionError) for d in done), done
        redis_server.start()  # a fresh Redis on the same port: empty, script not loaded
        assert await counters.count([("k", 60)], [5]) == [1]
        await counters.close()

    asyncio.run(scenario())


def _self_signed(workdir: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and its key, made here (authlib's ``cryptography``)."""
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = workdir / "cert.pem", workdir / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def test_rediss_urls_count_over_tls(redis_server: RedisServer, tmp_path: Path) -> None:
    cert, key = _self_signed(tmp_path)
    server = RedisServer(redis_server.binary, tmp_path)
    server.extra = ["--port", "0", "--tls-port", str(server.port), "--tls-auth-clients", "no"]
    server.extra += ["--tls-cert-file", str(cert), "--tls-key-file", str(key)]
    server.extra += ["--tls-ca-cert-file", str(cert)]
    server.start()
    base = f"rediss://127.0.0.1:{server.port}/0"

    async def count(url: str) -> list[int]:
        counters = RedisCounters(url)
        try:
            return await counters.count([("tls", 60)], [5])
        finally:
            await counters.close()

    try:
        assert asyncio.run(count(f"{base}?ssl_ca_certs={cert}")) == [1]  # verified
        assert asyncio.run(count(f"{base}?ssl_cert_reqs=none")) == [2]  # not verified, as asked
        with pytest.raises(redis.exceptions.ConnectionError, match="CERTIFICATE_VERIFY_FAILED"):
            asyncio.run(count(base))  # the system's CAs do not know this certificate
    finally:
        server.stop()


def test_unknown_tls_options_are_refused_at_start() -> None:
    with pytest.raises(ValueError, match="ssl_min_version"):
        RedisCounters("rediss://127.0.0.1:6380/0?ssl_min_version=3")
