"""The render pool survives dead workers, bounds waiting and drops abandoned work.

Real worker processes throughout: workers are killed with SIGKILL, renders are
counted by what the worker processes actually executed (a line per render in a
file), never by timing.
"""

from __future__ import annotations

import asyncio
import os
import signal
import time
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.types import Message

from chartographer.app import create_app
from chartographer.errors import RenderTimeout, RenderUnavailable
from chartographer.formats import Rendered
from chartographer.renderpool import RenderPool
from tests.conftest import SettingsFactory, decode

pytestmark = pytest.mark.anyio


def _gone(pid: int) -> bool:
    """The process no longer exists (killed *and* reaped by its parent, the pool)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except (FileNotFoundError, ProcessLookupError):  # ESRCH: reaped between open and read
        return True
    return "State:\tZ" in status


def wait_until_gone(pid: int, limit: float = 20.0) -> None:
    give_up = time.monotonic() + limit
    while not _gone(pid):
        assert time.monotonic() < give_up, f"worker {pid} still there after {limit} s"
        time.sleep(0.05)


def wait_for_lines(path: Path, count: int, limit: float = 20.0) -> list[str]:
    give_up = time.monotonic() + limit
    while True:
        lines = path.read_text().splitlines() if path.exists() else []
        if len(lines) >= count:
            return lines
        assert time.monotonic() < give_up, f"{path} has {len(lines)} of {count} lines"
        time.sleep(0.02)


def logged_render(log: str, tag: str, seconds: float = 0.0) -> Rendered:
    """A render that records its pid and tag *when it runs*, then takes ``seconds``."""
    with open(log, "a") as out:
        out.write(f"{os.getpid()} {tag}\n")
    time.sleep(seconds)
    return Rendered(tag.encode(), "text/plain")


# --- 1. dead workers ----------------------------------------------------------------


def test_idle_worker_killed_next_uncached_render_is_200(make_settings: SettingsFactory) -> None:
    app = create_app(make_settings(render_processes=1, cache_bytes=0))
    with TestClient(app, raise_server_exceptions=False) as client:
        first = client.get("/v1/charts/bar?values=1,2,3&width=120&height=90")
        assert first.status_code == 200
        (pid,) = app.state.images.pool.worker_pids()
        os.kill(pid, signal.SIGKILL)  # the worker is idle: its render has been answered
        wait_until_gone(pid)
        again = client.get("/v1/charts/bar?values=4,5,6&width=120&height=90")
        assert again.status_code == 200, again.text
        assert again.headers["content-type"] == "image/png"
        assert decode(again.content).size == (120, 90)
        assert app.state.images.pool.worker_pids() != [pid]
        ready = client.get("/readyz")
        assert ready.status_code == 200
        assert ready.json()["checks"]["render"] == "ok"


async def test_worker_killed_mid_render_is_503_then_next_render_works(tmp_path: Path) -> None:
    log = tmp_path / "renders.log"
    pool = RenderPool(processes=1, timeout=30, queue_limit=4, deadline=60, warm=False)
    try:
        busy = asyncio.create_task(pool.run(logged_render, str(log), "doomed", 30.0))
        (line,) = await asyncio.to_thread(wait_for_lines, log, 1)
        os.kill(int(line.split()[0]), signal.SIGKILL)
        with pytest.raises(RenderUnavailable) as caught:
            await busy
        assert caught.value.status == 503
        assert caught.value.headers["Retry-After"] == "1"
        after = await pool.run(logged_render, str(log), "after")
        assert after.body == b"after"
    finally:
        pool.close()


async def test_a_broken_pool_is_rebuilt_and_ready_again(tmp_path: Path) -> None:
    log = tmp_path / "renders.log"
    pool = RenderPool(processes=2, timeout=30, queue_limit=4, deadline=60, warm=False)
    try:
        await asyncio.gather(*(pool.run(logged_render, str(log), f"warm{i}") for i in range(2)))
        pids = pool.worker_pids()
        assert len(pids) == 2
        for pid in pids:  # every worker gone at once, all idle
            os.kill(pid, signal.SIGKILL)
        for pid in pids:
            await asyncio.to_thread(wait_until_gone, pid)
        await pool.check()  # the readiness probe renders a no-op through the pool
        assert (await pool.run(logged_render, str(log), "after")).body == b"after"
        assert not set(pool.worker_pids()) & set(pids)
    finally:
        pool.close()


def test_readyz_is_503_when_the_pool_cannot_render(make_settings: SettingsFactory) -> None:
    # a worker that cannot even start (its initializer fails): nothing can render
    app = create_app(make_settings(render_processes=1, cache_bytes=0))
    with TestClient(app, raise_server_exceptions=False) as client:
        app.state.images.pool.initializer = _broken_initializer
        app.state.images.pool.rebuild("test: workers cannot start")
        ready = client.get("/readyz")
        assert ready.status_code == 503
        assert ready.json()["checks"]["render"].startswith("unavailable")
        chart = client.get("/v1/charts/bar?values=1,2&width=100&height=80")
        assert chart.status_code == 503
        assert chart.headers["content-type"] == "application/problem+json"
        assert "Retry-After" in chart.headers


def _broken_initializer() -> None:
    raise SystemExit(7)


# --- 2. one deadline per request, bounded queue, abandoned work dropped ----------------


async def test_full_queue_is_503_with_retry_after(tmp_path: Path) -> None:
    log = tmp_path / "renders.log"
    pool = RenderPool(processes=1, timeout=30, queue_limit=1, deadline=60, warm=False)
    try:
        running = asyncio.create_task(pool.run(logged_render, str(log), "running", 1.0))
        await asyncio.to_thread(wait_for_lines, log, 1)
        queued = asyncio.create_task(pool.run(logged_render, str(log), "queued"))
        await asyncio.sleep(0)  # let it take the one queue place
        with pytest.raises(RenderUnavailable) as caught:
            await pool.run(logged_render, str(log), "refused")
        assert caught.value.headers["Retry-After"] == "1"
        assert "queue" in caught.value.detail
        assert (await running).body == b"running"
        assert (await queued).body == b"queued"
        tags = [line.split()[1] for line in log.read_text().splitlines()]
        assert tags == ["running", "queued"]  # the refused render never ran
    finally:
        pool.close()


async def test_deadline_covers_the_time_spent_queued(tmp_path: Path) -> None:
    log = tmp_path / "renders.log"
    pool = RenderPool(processes=1, timeout=30, queue_limit=8, deadline=60, warm=False)
    try:
        hog = asyncio.create_task(pool.run(logged_render, str(log), "hog", 3.0))
        await asyncio.to_thread(wait_for_lines, log, 1)
        # this request's deadline passes while it waits behind the hog
        with pytest.raises(RenderUnavailable) as caught:
            await pool.run(logged_render, str(log), "late", deadline=time.monotonic() + 0.3)
        assert caught.value.status == 503
        assert caught.value.headers["Retry-After"]
        assert "deadline" in caught.value.detail
        assert (await hog).body == b"hog"
        await pool.run(logged_render, str(log), "next")
        tags = [line.split()[1] for line in log.read_text().splitlines()]
        assert tags == ["hog", "next"]  # the late render was dropped, not run afterwards
    finally:
        pool.close()


async def test_deadline_shortens_the_render_budget(tmp_path: Path) -> None:
    log = tmp_path / "renders.log"
    pool = RenderPool(processes=1, timeout=30, queue_limit=8, deadline=0.5, warm=False)
    try:
        # the budget is 30 s but the request's deadline is 0.5 s away: killed, 503 + Retry-After
        with pytest.raises(RenderUnavailable) as caught:
            await pool.run(logged_render, str(log), "long", 20.0)
        assert "deadline" in caught.value.detail
        assert caught.value.headers["Retry-After"]
        assert (await pool.run(logged_render, str(log), "short")).body == b"short"
    finally:
        pool.close()


async def test_budget_timeout_is_still_a_render_timeout(tmp_path: Path) -> None:
    pool = RenderPool(processes=1, timeout=0.5, queue_limit=8, deadline=60, warm=False)
    try:
        with pytest.raises(RenderTimeout):
            await pool.run(logged_render, str(tmp_path / "log"), "long", 20.0)
    finally:
        pool.close()


async def test_queued_work_of_a_cancelled_request_never_runs(tmp_path: Path) -> None:
    """A request cancelled while queued (its client went away) leaves no render behind."""
    log = tmp_path / "renders.log"
    pool = RenderPool(processes=1, timeout=30, queue_limit=16, deadline=60, warm=False)
    try:
        hog = asyncio.create_task(pool.run(logged_render, str(log), "hog", 1.0))
        await asyncio.to_thread(wait_for_lines, log, 1)
        abandoned = [
            asyncio.create_task(pool.run(logged_render, str(log), f"gone{i}")) for i in range(10)
        ]
        await asyncio.sleep(0)
        for task in abandoned:
            task.cancel()
        results = await asyncio.gather(*abandoned, return_exceptions=True)
        assert all(isinstance(r, asyncio.CancelledError) for r in results)
        await hog
        assert (await pool.run(logged_render, str(log), "next")).body == b"next"
        tags = [line.split()[1] for line in log.read_text().splitlines()]
        assert tags == ["hog", "next"]
        assert pool.queued == 0
    finally:
        pool.close()


async def test_inline_pool_keeps_the_same_queue_rules(tmp_path: Path) -> None:
    log = tmp_path / "renders.log"
    pool = RenderPool(processes=0, timeout=30, queue_limit=1, deadline=60, warm=False)
    first = asyncio.create_task(pool.run(logged_render, str(log), "a", 0.5))
    await asyncio.to_thread(wait_for_lines, log, 1)
    second = asyncio.create_task(pool.run(logged_render, str(log), "b"))
    await asyncio.sleep(0)
    with pytest.raises(RenderUnavailable):
        await pool.run(logged_render, str(log), "c")
    assert [(await first).body, (await second).body] == [b"a", b"b"]
    await pool.check()
    assert pool.worker_pids() == []
    pool.close()


def logged_chart(log: str, spec: Any) -> Rendered:
    """The real chart renderer, recording in ``log`` that it ran."""
    from chartographer.charts.render import render_chart

    with open(log, "a") as out:
        out.write(f"{os.getpid()} chart\n")
    return render_chart(spec)


async def _asgi_get(app: FastAPI, path: str, query: str, hang_up: asyncio.Event) -> list[Message]:
    """One GET through the ASGI app; the client disconnects when ``hang_up`` is set."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": query.encode(),
        "headers": [(b"host", b"testserver")],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
        "app": app,
    }
    sent: list[Message] = []
    requested = False

    async def receive() -> Message:
        nonlocal requested
        if not requested:
            requested = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await hang_up.wait()
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        sent.append(message)

    await app(scope, receive, send)
    return sent


async def test_requests_whose_clients_left_are_never_rendered(
    make_settings: SettingsFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chartographer.charts.native import router as charts_router

    log = tmp_path / "renders.log"
    monkeypatch.setattr(charts_router, "render_chart", partial(logged_chart, str(log)))
    app = create_app(make_settings(render_processes=1, cache_bytes=0, render_queue=32))
    async with app.router.lifespan_context(app):
        pool = app.state.images.pool
        hog = asyncio.create_task(pool.run(logged_render, str(log), "hog", 1.0))
        await asyncio.to_thread(wait_for_lines, log, 1)
        hang_up, stay = asyncio.Event(), asyncio.Event()
        leavers = [
            asyncio.create_task(
                _asgi_get(app, "/v1/charts/bar", f"values=1,{i}&width=90&height=60", hang_up)
            )
            for i in range(12)
        ]
        stayer = asyncio.create_task(
            _asgi_get(app, "/v1/charts/bar", "values=9,9&width=90&height=60", stay)
        )
        give_up = time.monotonic() + 20
        while pool.queued < 13:  # every request is waiting behind the hog
            assert time.monotonic() < give_up, f"only {pool.queued} queued"
            await asyncio.sleep(0.01)
        hang_up.set()  # twelve clients go away
        await asyncio.gather(*leavers)
        assert pool.queued == 1  # only the client still waiting is left in the queue
        await hog
        answer = await stayer
        assert answer[0]["status"] == 200
        tags = [line.split()[1] for line in log.read_text().splitlines()]
        assert tags == ["hog", "chart"]  # one chart rendered: the twelve never ran
        assert app.state.images.stats.renders == 1
