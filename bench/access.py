"""Added cost of the access layer per request: key check + limits on a cached image.

Run: ``.venv/bin/python -m bench.access``. The same cached chart request is sent
through the whole ASGI app (middleware, routing, cache lookup, response) in four
set-ups, in process so that network noise does not drown a sub-millisecond
difference:

* ``open, no limits`` — the baseline: the access middleware passes through;
* ``open, per-IP limits`` — the embedded default shape (2 windows per IP, memory);
* ``keys, memory`` — key check (cached lookup) + 2 rate windows + daily and
  monthly quota, counted in process memory;
* ``keys, redis`` — the same counted in a real ``redis-server`` on loopback.

It prints medians; the figures are recorded in ``docs/benchmarks.md``.
"""

from __future__ import annotations

import asyncio
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from chartographer.access import service
from chartographer.app import create_app
from chartographer.config import Settings
from chartographer.db import make_engine, make_sessionmaker, session_scope, upgrade_database

SECRET = "bench-pepper-0123456789"
PATH = "/v1/charts/bar"
QUERY = "values=3,7,5,9&labels=a,b,c,d&width=300&height=200"
WARMUP = 300
ROUNDS = 3000
BIG = ["100000/second", "1000000/minute"]  # the default windows, never reached here
TARGETS = {"keys, memory": 0.5, "keys, redis": 1.5}


async def _call(app: Any, query: str, headers: list[tuple[bytes, bytes]]) -> int:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": PATH,
        "raw_path": PATH.encode(),
        "root_path": "",
        "query_string": query.encode(),
        "headers": [(b"host", b"bench"), *headers],
        "client": ("127.0.0.1", 50000),
        "server": ("bench", 80),
    }
    status = 0
    received = False

    async def receive() -> dict[str, Any]:
        # the request once, then nothing until the call ends, as a connected client:
        # answering http.request forever made the render's disconnect watcher spin
        nonlocal received
        if received:
            await asyncio.Event().wait()
        received = True
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(scope, receive, send)
    return status


async def _measure(settings: Settings, key: str | None) -> list[float]:
    app = create_app(settings)
    headers = [(b"x-api-key", key.encode())] if key else []
    async with app.router.lifespan_context(app):
        for _ in range(WARMUP):
            assert await _call(app, QUERY, headers) == 200
        times = []
        for _ in range(ROUNDS):
            start = time.perf_counter_ns()
            await _call(app, QUERY, headers)
            times.append((time.perf_counter_ns() - start) / 1e6)
    return times


def _seed(url: str) -> str:
    upgrade_database(url)
    engine = make_engine(url)
    with session_scope(make_sessionmaker(engine)) as session:
        service.create_plan(session, "bench", BIG, 10**9, 10**10)
        issued = service.issue_key(session, SECRET.encode(), "bench")
    engine.dispose()
    return issued.key


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="cg-bench-"))
    redis = None
    try:
        url = f"sqlite:///{workdir / 'bench.db'}"
        key = _seed(url)
        base: dict[str, Any] = {"render_processes": 0, "database_url": url}
        keyed = {**base, "access_mode": "keys", "key_hash_secret": SECRET}
        setups: dict[str, tuple[Settings, str | None]] = {
            "open, no limits": (Settings(**base, open_limits=[]), None),
            "open, per-IP limits": (Settings(**base, open_limits=BIG), None),
            "keys, memory": (Settings(**keyed), key),
        }
        if shutil.which("redis-server"):
            from tests.services import RedisServer

            redis = RedisServer(shutil.which("redis-server") or "", workdir)
            redis.start()
            setups["keys, redis"] = (Settings(**keyed, redis_url=redis.url), key)
        medians = {
            name: statistics.median(asyncio.run(_measure(settings, k)))
            for name, (settings, k) in setups.items()
        }
    finally:
        if redis is not None:
            redis.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    report(medians)


def report(medians: dict[str, float]) -> None:
    baseline = medians["open, no limits"]
    lines = [
        "| set-up | median per request (ms) | added vs open, no limits (ms) | target |",
        "| --- | ---: | ---: | --- |",
    ]
    for name, median in medians.items():
        target = TARGETS.get(name)
        added = median - baseline
        verdict = (
            "" if target is None else f"≤ {target} ms: {'met' if added <= target else 'MISSED'}"
        )
        lines.append(f"| {name} | {median:.3f} | {added:+.3f} | {verdict} |")
    table = "\n".join(lines)
    print(table)


if __name__ == "__main__":
    main()
