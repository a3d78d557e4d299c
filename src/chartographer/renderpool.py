"""The render pool: worker processes, a bounded queue in front of them, one deadline.

Every render a request asks for goes through :meth:`RenderPool.run`:

1. **Queue.** At most ``processes`` renders run at once; the others wait in a
   first-come queue of at most ``queue_limit`` places. A full queue answers
   ``503`` with ``Retry-After`` at once instead of piling up work.
2. **One deadline.** Each call carries one absolute deadline (default: now +
   ``deadline`` seconds) that covers waiting *and* rendering. A call whose
   deadline passes while queued leaves the queue with ``503`` + ``Retry-After``
   and its render never runs; a call that gets a worker renders with a budget
   of ``min(timeout, time left)``.
3. **Abandoned work.** Cancelling a waiting call (the client disconnected, see
   :func:`chartographer.imaging.serve_image`) removes it from the queue, so
   nothing is rendered for nobody. A render already running finishes (its
   worker slot stays taken until then) and fills the cache.
4. **Dead workers.** pebble replaces a worker that dies *during* a task (that
   request gets ``503`` + ``Retry-After``), but a worker killed while idle
   makes pebble declare the whole pool broken ("All workers expired"; every
   later ``schedule`` raises "Unexpected error within the Pool"). The pool
   notices a broken pebble pool before scheduling, on a failed future and in
   :meth:`check` (the ``/readyz`` probe), and builds a fresh one.

``processes=0`` renders in a thread of this process, one at a time (CLI, tests);
the time budget cannot be enforced there.
"""

from __future__ import annotations

import asyncio
import collections
import concurrent.futures
import contextlib
import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, Any

import pebble

from chartographer import metrics
from chartographer.errors import RenderTimeout, RenderUnavailable

if TYPE_CHECKING:
    from chartographer.formats import Rendered

log = logging.getLogger(__name__)

RETRY = {"Retry-After": "1"}
#: the readiness probe's render must finish within this many seconds
PROBE_SECONDS = 10.0


def warm_worker() -> None:
    """Import the renderers once per worker so the first request is not slow."""
    import matplotlib

    matplotlib.use("Agg")
    from chartographer.charts import render as chart_render
    from chartographer.maps import render as map_render

    chart_render.warm_up()
    map_render.warm_up()  # the basemap's data, so a first map meets its time budget


def probe() -> int:
    """The readiness probe's render: proves a worker can take and finish a task."""
    return os.getpid()


_inline_lock = threading.Lock()


def _render_inline(fn: Callable[..., Any], *args: Any) -> Any:
    # matplotlib is not thread-safe and the renderers keep per-process pools:
    # in-process rendering is one render at a time.
    with _inline_lock:
        return fn(*args)


class RenderPool:
    """Worker processes behind a bounded queue, with a per-request deadline."""

    def __init__(
        self,
        processes: int,
        timeout: float,
        queue_limit: int,
        deadline: float | None = None,
        *,
        warm: bool = True,
    ) -> None:
        self.processes = processes
        self.timeout = timeout
        self.queue_limit = queue_limit
        self.deadline = deadline if deadline is not None else timeout + 5.0
        #: runs once in each new worker (``warm=False``: nothing, for quick tests)
        self.initializer: Callable[[], None] | None = warm_worker if warm else None
        self._slots = max(processes, 1)
        self._running = 0
        self._waiters: collections.deque[asyncio.Future[None]] = collections.deque()
        self._lock = threading.Lock()
        self._closed = False
        self._pool: pebble.ProcessPool | None = None
        self._ctx: Any = None
        if processes > 0:
            # forkserver: never fork a process that already runs the event loop
            # and its threads; the preload makes each worker start warm.
            self._ctx = multiprocessing.get_context("forkserver")
            self._ctx.set_forkserver_preload(
                ["chartographer.charts.render", "chartographer.maps.render"]
            )
            self._pool = self._new_pool()

    # --- the pebble pool and its replacement --------------------------------------
    def _new_pool(self) -> pebble.ProcessPool:
        return pebble.ProcessPool(
            max_workers=self.processes, initializer=self.initializer, context=self._ctx
        )

    def rebuild(self, reason: str) -> None:
        """Replace the pebble pool (its workers are stopped in the background)."""
        with self._lock:
            old, self._pool = self._pool, self._new_pool()
        log.error("render pool rebuilt: %s", reason)
        if old is not None:
            threading.Thread(target=_retire, args=(old,), name="retire-pool", daemon=True).start()

    def _live_pool(self) -> pebble.ProcessPool:
        assert self._pool is not None
        if self._closed:
            raise RenderUnavailable("the service is shutting down; retry", headers=RETRY)
        if not self._pool.active:
            self.rebuild("pebble reported the pool broken (a worker died while idle)")
        return self._pool

    def _schedule(self, fn: Callable[..., Any], args: tuple[Any, ...], budget: float) -> Any:
        try:
            return self._live_pool().schedule(fn, args=args, timeout=budget)
        except RuntimeError:  # broke between the check and the call
            self.rebuild("pebble refused a task")
            return self._live_pool().schedule(fn, args=args, timeout=budget)

    def worker_pids(self) -> list[int]:
        """Process ids of the current workers (for operators and tests)."""
        if self._pool is None:
            return []
        manager = getattr(self._pool, "_pool_manager", None)
        workers = manager.worker_manager.workers if manager is not None else {}
        return sorted(pid for pid, process in list(workers.items()) if process.is_alive())

    # --- queueing ---------------------------------------------------------------
    @property
    def queued(self) -> int:
        """Calls waiting for a worker."""
        return len(self._waiters)

    @property
    def running(self) -> int:
        return self._running

    async def _acquire(self, deadline: float) -> None:
        if self._running < self._slots and not self._waiters:
            self._running += 1
            return
        if len(self._waiters) >= self.queue_limit:
            raise RenderUnavailable(
                f"{len(self._waiters)} renders are queued (limit {self.queue_limit}); "
                "retry shortly",
                headers=RETRY,
            )
        turn: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append(turn)
        try:
            await asyncio.wait_for(turn, max(deadline - time.monotonic(), 0.0))
        except BaseException as exc:
            if turn.done() and not turn.cancelled():
                self._release()  # the slot arrived just as we gave up: pass it on
            else:
                turn.cancel()
                with contextlib.suppress(ValueError):  # _release may have skipped it
                    self._waiters.remove(turn)
            if isinstance(exc, TimeoutError):
                raise RenderUnavailable(
                    "the request's deadline passed while it waited for a render worker; "
                    "retry shortly",
                    headers=RETRY,
                ) from None
            raise  # cancelled: the client is gone, nothing was rendered

    def _release(self) -> None:
        while self._waiters:
            turn = self._waiters.popleft()
            if not turn.done():
                turn.set_result(None)  # the slot passes straight to the next caller
                return
        self._running -= 1

    # --- running ----------------------------------------------------------------
    async def run(
        self, fn: Callable[..., Rendered], *args: Any, deadline: float | None = None
    ) -> Rendered:
        """Render ``fn(*args)`` in a worker before ``deadline`` (``time.monotonic()``)."""
        if deadline is None:
            deadline = time.monotonic() + self.deadline
        await self._acquire(deadline)
        for attempt in (1, 2):
            budget = min(self.timeout, deadline - time.monotonic())
            try:
                waiting = self._start(fn, args, budget)
            except BaseException:
                self._release()
                raise
            try:
                result: Rendered = await asyncio.shield(waiting)
                return result
            except BrokenProcessPool:
                # pebble breaks only when no task is running (an idle worker died), so
                # this task never ran: retry it once on a fresh pool (the slot is ours
                # again as soon as the aborted future released it)
                self.rebuild("pebble aborted a task: the pool broke")
                if attempt == 2:
                    raise RenderUnavailable(
                        "the render pool was restarted; retry", headers=RETRY
                    ) from None
                await self._acquire(deadline)
            except concurrent.futures.TimeoutError:
                metrics.WORKER_RESTARTS.labels("timeout").inc()  # pebble replaces it
                if budget < self.timeout:
                    raise RenderUnavailable(
                        f"the request's deadline ({self.deadline:g} s including queueing) "
                        "passed during the render; retry shortly",
                        headers=RETRY,
                    ) from None
                raise RenderTimeout(
                    f"render exceeded the {self.timeout:g} s time budget and was stopped; "
                    "reduce the size or the amount of data"
                ) from None
            except pebble.ProcessExpired as exc:
                log.error("render worker died: %s", exc)
                metrics.WORKER_RESTARTS.labels("died").inc()
                raise RenderUnavailable(
                    "render worker stopped unexpectedly; retry", headers=RETRY
                ) from None
        raise AssertionError("unreachable")  # pragma: no cover

    def _start(
        self, fn: Callable[..., Any], args: tuple[Any, ...], budget: float
    ) -> asyncio.Future[Any]:
        """Hand the render to a worker; the slot is released when the render ends.

        The slot is freed when the *render* is, not when the request is: a
        render whose client went away still occupies its worker until it ends.
        """
        if budget <= 0:
            raise RenderUnavailable(
                "the request's deadline passed before a render could start; retry shortly",
                headers=RETRY,
            )
        if self._pool is None:
            task = asyncio.ensure_future(asyncio.to_thread(_render_inline, fn, *args))
            task.add_done_callback(lambda _f: self._release())
            return task
        loop = asyncio.get_running_loop()
        future: concurrent.futures.Future[Any] = self._schedule(fn, args, budget)
        future.add_done_callback(lambda _f: _call_soon(loop, self._release))
        return asyncio.wrap_future(future)

    async def check(self) -> None:
        """Readiness: a broken pool is rebuilt, then a no-op must render (raises if not)."""
        if self._pool is None:
            return
        self._live_pool()
        if self._running >= self._slots:
            return  # every worker is busy rendering: that is alive enough
        # run() itself retries once on a rebuilt pool when it finds this one broken
        await self.run(probe, deadline=time.monotonic() + PROBE_SECONDS)  # type: ignore[arg-type]

    def close(self) -> None:
        self._closed = True
        if self._pool is not None:
            self._pool.stop()
            self._pool.join(timeout=5)


def _call_soon(loop: asyncio.AbstractEventLoop, callback: Callable[[], None]) -> None:
    with contextlib.suppress(RuntimeError):  # the loop is closed: nobody waits any more
        loop.call_soon_threadsafe(callback)


def _retire(pool: pebble.ProcessPool) -> None:
    try:
        pool.stop()
        pool.join(timeout=10)
    except Exception:  # pragma: no cover - best effort on a pool already broken
        log.exception("stopping a broken render pool failed")
