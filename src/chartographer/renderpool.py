"""The render pool: worker processes, a bounded queue in front of them, one deadline.

Every render a request asks for goes through :meth:`RenderPool.run`:

1. **Queue.** Each worker renders one thing at a time; callers that find no
   idle worker wait in a first-come queue of at most ``queue_limit`` places. A
   full queue answers ``503`` with ``Retry-After`` at once instead of piling up
   work.
2. **One deadline.** Each call carries one absolute deadline (default: now +
   ``deadline`` seconds) that covers waiting *and* rendering. A call whose
   deadline passes while queued leaves the queue with ``503`` + ``Retry-After``
   and its render never runs; a call that gets a worker renders with a budget
   of ``min(timeout, time left)``; over budget, the worker is killed (SIGKILL)
   and replaced.
3. **Abandoned work.** Cancelling a waiting call (the client disconnected, see
   :func:`chartographer.imaging.serve_image`) removes it from the queue, so
   nothing is rendered for nobody. A render already running finishes (its
   worker stays taken until then) and fills the cache.
4. **Dead workers.** A worker that dies is noticed by its socket closing: the
   render it was running (if any) gets ``503`` + ``Retry-After`` and a new
   worker is started in its place. Workers that die before they are ready (a
   broken install) are restarted with a growing pause, and meanwhile callers
   get ``503`` at once instead of waiting for their deadline.

How it talks to the workers. Each worker is a ``forkserver`` process with one
end of a socket pair; the event loop reads the other end itself
(``loop.add_reader``), so a result wakes the loop directly: no helper threads,
no thread hand-offs. A frame is an 8-byte length, a one-byte tag and a pickle.
Measured against the pebble pool this replaced (``docs/benchmarks.md``), a
render's round trip lost most of its overhead.

``processes=0`` renders in a thread of this process, one at a time (CLI, tests);
the time budget cannot be enforced there.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
import multiprocessing
import os
import pickle
import signal
import socket
import struct
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from chartographer import metrics
from chartographer.errors import RenderTimeout, RenderUnavailable

if TYPE_CHECKING:
    from multiprocessing.process import BaseProcess

    from chartographer.formats import Rendered

log = logging.getLogger(__name__)

RETRY = {"Retry-After": "1"}
#: the readiness probe's render must finish within this many seconds
PROBE_SECONDS = 10.0
#: the longest pause before restarting a worker that keeps dying before it is ready
MAX_BACKOFF = 5.0
#: this many workers in a row died before they were ready: callers get 503 at once
CRASH_LOOP = 3

_HEADER = struct.Struct("!Q")
_READY, _OK, _ERROR = b"R", b"O", b"E"
#: how often an expired budget looks again at a worker still unpickling its task
_START_POLL = 0.05


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


# --- the worker process ---------------------------------------------------------------


def _recv_exactly(sock: socket.socket, size: int) -> bytes | None:
    buffer = bytearray(size)
    view = memoryview(buffer)
    got = 0
    while got < size:
        count = sock.recv_into(view[got:])
        if count == 0:
            return None
        got += count
    return bytes(buffer)


def _send_frame(sock: socket.socket, tag: bytes, payload: bytes = b"") -> None:
    sock.sendall(_HEADER.pack(len(payload) + 1) + tag + payload)


def _pickled_error(exc: BaseException) -> bytes:
    try:
        return pickle.dumps(exc, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # an exception that does not pickle still reports what it was
        return pickle.dumps(RuntimeError(f"{type(exc).__name__}: {exc}"))


def serve_worker(sock: socket.socket, begun: Any, initializer: Callable[[], None] | None) -> None:
    """A worker's whole life: warm up, say ready, then render one task at a time.

    ``begun`` (shared memory) counts the tasks whose render has started: a task
    is unpickled first, which may import its renderer's module, and that time
    is not part of the render's budget.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    if initializer is not None:
        initializer()
    sock.setblocking(True)
    with contextlib.suppress(OSError):  # OSError: the parent has gone (shutdown)
        _send_frame(sock, _READY)
        while _serve_one(sock, begun):
            pass


def _serve_one(sock: socket.socket, begun: Any) -> bool:
    header = _recv_exactly(sock, _HEADER.size)
    if header is None:
        return False  # the parent closed its end (shutdown) or died
    (size,) = _HEADER.unpack(header)
    frame = _recv_exactly(sock, size)
    if frame is None:
        return False
    try:
        # the frame comes from the parent, over a socket pair only the two of them hold
        fn, args = pickle.loads(frame)  # noqa: S301
        begun.value += 1
        answer = _OK + pickle.dumps(fn(*args), protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException as exc:  # the caller gets the renderer's own error
        answer = _ERROR + _pickled_error(exc)
    sock.sendall(_HEADER.pack(len(answer)) + answer)
    return True


# --- the parent's side ----------------------------------------------------------------


class _Expired(Exception):
    """The render ran past its budget; its worker was killed."""


class _Died(Exception):
    """The worker stopped while rendering."""


class _Worker:
    """One worker process and the parent's end of its socket."""

    __slots__ = (
        "_pid",
        "begun",
        "budget",
        "inbox",
        "job",
        "loop",
        "lost",
        "outbox",
        "process",
        "ready",
        "sent",
        "sock",
        "timer",
        "waited",
    )

    def __init__(self, process: BaseProcess, sock: socket.socket, begun: Any) -> None:
        self.process = process
        self._pid = process.pid
        self.lost = False  # its socket closed: gone, or going
        self.sock = sock
        #: tasks sent, and (shared with the worker) tasks whose render has begun
        self.begun = begun
        self.sent = 0
        self.budget = 0.0
        self.waited = 0.0  # seconds the budget waited for a task still being unpickled
        self.ready = False
        self.job: asyncio.Future[Any] | None = None
        self.timer: asyncio.TimerHandle | None = None
        self.inbox = bytearray()
        self.outbox = bytearray()
        self.loop: asyncio.AbstractEventLoop | None = None

    @property
    def pid(self) -> int | None:
        return self._pid

    def alive(self) -> bool:
        if self.lost:
            return False
        try:
            return self.process.is_alive()
        except ValueError:  # closed: reaped already
            return False


#: the one "worker" of ``processes=0``: renders run in a thread of this process
_IN_THREAD: Any = object()
_thread_lock = threading.Lock()


def _render_in_thread(fn: Callable[..., Any], *args: Any) -> Any:
    # matplotlib is not thread-safe and the renderers keep per-process pools:
    # in-process rendering is one render at a time.
    with _thread_lock:
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
        self._closed = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self._workers: list[_Worker] = []
        self._idle: collections.deque[Any] = collections.deque()
        self._waiters: collections.deque[asyncio.Future[Any]] = collections.deque()
        self._starting = 0  # replacements being started
        self._failures = 0  # workers in a row that died before they were ready
        self._ctx: Any = None
        if processes == 0:
            self._idle.append(_IN_THREAD)
            return
        # forkserver: never fork a process that already runs the event loop and
        # its threads; the preload makes each worker start warm.
        self._ctx = multiprocessing.get_context("forkserver")
        # "__main__" (the default, kept): a new worker does not run the server's
        # entry script again, so a replacement is ready in a few milliseconds
        self._ctx.set_forkserver_preload(
            ["__main__", "chartographer.charts.render", "chartographer.maps.render"]
        )
        for _ in range(processes):
            self._workers.append(self._start_process())
        with contextlib.suppress(RuntimeError):  # no loop yet: bound on first use
            self._bind(asyncio.get_running_loop())

    # --- workers: start, watch, replace ---------------------------------------------
    def _start_process(self) -> _Worker:
        ours, theirs = socket.socketpair()
        begun = self._ctx.RawValue("Q", 0)
        try:
            process = self._ctx.Process(
                target=serve_worker,
                args=(theirs, begun, self.initializer),
                name="chartographer-render",
                daemon=True,
            )
            process.start()
        except BaseException:
            ours.close()
            raise
        finally:
            theirs.close()
        ours.setblocking(False)
        return _Worker(process, ours, begun)

    def _bind(self, loop: asyncio.AbstractEventLoop) -> None:
        """Watch every worker's socket from ``loop`` (the first, or a new, event loop)."""
        if loop is self._loop:
            return
        old, self._loop = self._loop, loop
        self._waiters.clear()  # futures of a loop that is gone
        if old is not None:
            for worker in list(self._workers):
                if worker.job is not None:  # its caller lived on the old loop
                    self._kill(worker)
                self._unwatch(worker)
            self._idle = collections.deque(w for w in self._idle if w is _IN_THREAD)
        for worker in self._workers:
            self._watch(worker)
            if worker.ready:
                self._idle.append(worker)
        self._top_up()

    def _watch(self, worker: _Worker) -> None:
        assert self._loop is not None
        worker.loop = self._loop
        self._loop.add_reader(worker.sock.fileno(), self._on_readable, worker)

    def _unwatch(self, worker: _Worker) -> None:
        loop, worker.loop = worker.loop, None
        if loop is not None and not loop.is_closed():
            with contextlib.suppress(ValueError, OSError):
                loop.remove_reader(worker.sock.fileno())
                loop.remove_writer(worker.sock.fileno())

    def _on_readable(self, worker: _Worker) -> None:
        try:
            chunk = worker.sock.recv(1 << 20)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            chunk = b""
        if not chunk:
            self._lost(worker)
            return
        inbox = worker.inbox
        inbox += chunk
        while len(inbox) >= _HEADER.size:
            (size,) = _HEADER.unpack_from(inbox)
            end = _HEADER.size + size
            if len(inbox) < end:
                return
            frame = bytes(inbox[_HEADER.size : end])
            del inbox[:end]
            self._on_frame(worker, frame)

    def _on_frame(self, worker: _Worker, frame: bytes) -> None:
        tag, payload = frame[:1], frame[1:]
        if tag == _READY:
            worker.ready = True
            self._failures = 0
            self._give(worker)
            return
        job, worker.job = worker.job, None
        if worker.timer is not None:
            worker.timer.cancel()
            worker.timer = None
        if job is not None and not job.done():
            try:
                value = pickle.loads(payload)  # noqa: S301 - our own worker's answer
            except Exception as exc:
                job.set_exception(RuntimeError(f"a render's result could not be read: {exc}"))
            else:
                if tag == _OK:
                    job.set_result(value)
                else:
                    job.set_exception(value)
        self._give(worker)

    def _lost(self, worker: _Worker) -> None:
        """The worker's socket closed: it died (or was killed). Replace it."""
        if worker.lost:
            return
        worker.lost = True
        with contextlib.suppress(ValueError):
            self._workers.remove(worker)
        with contextlib.suppress(ValueError):
            self._idle.remove(worker)
        self._unwatch(worker)
        worker.sock.close()
        if worker.timer is not None:
            worker.timer.cancel()
        job, worker.job = worker.job, None
        if job is not None and not job.done():
            job.set_exception(_Died())
        self._reap(worker.process)
        if not worker.ready and not self._closed:
            self._failures += 1
            log.error("a render worker stopped before it was ready (%d in a row)", self._failures)
            if self._crash_looping():
                self._fail_waiters(
                    "render workers cannot start (see the server log); retry shortly"
                )
        self._top_up()

    def _reap(self, process: BaseProcess) -> None:
        """Collect the exit status without blocking: at once, or when it is posted."""
        if process.exitcode is not None or not process.is_alive():
            process.join(0)
            with contextlib.suppress(ValueError):
                process.close()
            return
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_later(0.05, self._reap, process)

    def _crash_looping(self) -> bool:
        """Workers keep dying before they are ready and none is: waiting is pointless.

        One early death (a worker killed while it warms up) is not a crash loop.
        """
        return self._failures >= CRASH_LOOP and not any(w.ready for w in self._workers)

    def _kill(self, worker: _Worker) -> None:
        with contextlib.suppress(ProcessLookupError, TypeError):
            os.kill(worker.pid, signal.SIGKILL)  # type: ignore[arg-type]
        self._lost(worker)

    def _top_up(self) -> None:
        """Start replacements until there are ``processes`` workers again."""
        loop = self._loop
        if self._closed or loop is None or loop.is_closed():
            return
        missing = self.processes - len(self._workers) - self._starting
        if missing <= 0:
            return
        delay = 0.0 if self._failures == 0 else min(0.1 * 2 ** (self._failures - 1), MAX_BACKOFF)
        self._starting += missing
        for _ in range(missing):
            loop.call_later(delay, self._start_replacement, loop)

    def _start_replacement(self, loop: asyncio.AbstractEventLoop) -> None:
        # Process.start() waits for the forkserver's answer: off the event loop
        started = loop.run_in_executor(None, self._start_process)
        started.add_done_callback(self._started)

    def _started(self, started: asyncio.Future[_Worker]) -> None:
        self._starting -= 1
        if started.cancelled():
            return
        if (exc := started.exception()) is not None:
            log.error("starting a render worker failed: %s", exc)
            self._failures += 1
            self._top_up()
            return
        worker = started.result()
        if self._closed or self._loop is None:
            self._stop(worker)
            return
        self._workers.append(worker)
        self._watch(worker)

    def rebuild(self, reason: str) -> None:
        """Replace every worker (renders they were running get 503); any thread."""
        log.error("render pool rebuilt: %s", reason)
        loop = self._loop
        if loop is None or loop.is_closed():
            self._rebuild()
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            self._rebuild()
        else:
            loop.call_soon_threadsafe(self._rebuild)

    def _rebuild(self) -> None:
        self._failures = 0
        for worker in list(self._workers):
            self._kill(worker)

    def worker_pids(self) -> list[int]:
        """Process ids of the current workers (for operators and tests)."""
        return sorted(w.pid for w in list(self._workers) if w.pid is not None and w.alive())

    # --- queueing ---------------------------------------------------------------
    @property
    def queued(self) -> int:
        """Calls waiting for a worker."""
        return len(self._waiters)

    @property
    def running(self) -> int:
        if self.processes == 0:
            return 0 if self._idle else 1
        return sum(1 for w in self._workers if w.job is not None)

    def can_inline(self) -> bool:
        """Workers are up and none is busy: a bounded render may run on the loop.

        Up means a ready worker is idle: a pool that cannot start its workers
        renders nothing in this process either.
        """
        return bool(self.processes and self._idle and self.running == 0)

    def _give(self, worker: Any) -> None:
        """A worker is free: to the first caller still waiting, else to the idle set."""
        while self._waiters:
            turn = self._waiters.popleft()
            if not turn.done():
                turn.set_result(worker)
                return
        self._idle.append(worker)

    def _fail_waiters(self, detail: str) -> None:
        while self._waiters:
            turn = self._waiters.popleft()
            if not turn.done():
                turn.set_exception(RenderUnavailable(detail, headers=RETRY))

    def _take_idle(self) -> Any:
        while self._idle:
            # the worker freed last: its caches are the warmest (measured: a worker
            # left idle while another rendered renders the same bar slower)
            worker = self._idle.pop()
            if worker is _IN_THREAD or worker.alive():
                return worker
            self._lost(worker)  # died while idle, before its socket said so
        return None

    async def _acquire(self, deadline: float) -> Any:
        if self._closed:
            raise RenderUnavailable("the service is shutting down; retry", headers=RETRY)
        if self.processes:
            self._bind(asyncio.get_running_loop())
        worker = None if self._waiters else self._take_idle()
        if worker is not None:
            return worker
        if self._crash_looping():
            raise RenderUnavailable(
                "render workers cannot start (see the server log); retry shortly", headers=RETRY
            )
        if len(self._waiters) >= self.queue_limit:
            raise RenderUnavailable(
                f"{len(self._waiters)} renders are queued (limit {self.queue_limit}); "
                "retry shortly",
                headers=RETRY,
            )
        turn: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._waiters.append(turn)
        try:
            return await asyncio.wait_for(turn, max(deadline - time.monotonic(), 0.0))
        except BaseException as exc:
            if turn.done() and not turn.cancelled() and turn.exception() is None:
                self._give(turn.result())  # the worker arrived just as we gave up: pass it on
            else:
                turn.cancel()
                with contextlib.suppress(ValueError):  # _give may have skipped it
                    self._waiters.remove(turn)
            if isinstance(exc, TimeoutError):
                raise RenderUnavailable(
                    "the request's deadline passed while it waited for a render worker; "
                    "retry shortly",
                    headers=RETRY,
                ) from None
            raise  # cancelled (the client is gone, nothing was rendered) or no workers

    # --- running ----------------------------------------------------------------
    async def run(
        self,
        fn: Callable[..., Rendered],
        *args: Any,
        deadline: float | None = None,
        inline: bool = False,
    ) -> Rendered:
        """Render ``fn(*args)`` in a worker before ``deadline`` (``time.monotonic()``).

        ``inline``: the caller vouches that the render's cost is small and bounded
        (``charts.inline``); it then runs right here, on the event loop, when the
        workers are up and none is busy: cheaper than the round trip to a worker,
        and it delays no other render because none is running.
        """
        if deadline is None:
            deadline = time.monotonic() + self.deadline
        if inline and self.can_inline():
            metrics.RENDERS_INLINE.inc()
            return fn(*args)
        while True:
            worker = await self._acquire(deadline)
            if worker is _IN_THREAD or worker.alive():
                break
            self._lost(worker)  # handed over dead: wait for the next one
        budget = min(self.timeout, deadline - time.monotonic())
        if budget <= 0:
            self._give(worker)
            raise RenderUnavailable(
                "the request's deadline passed before a render could start; retry shortly",
                headers=RETRY,
            )
        if worker is _IN_THREAD:
            task = asyncio.ensure_future(asyncio.to_thread(_render_in_thread, fn, *args))
            task.add_done_callback(lambda _f: self._give(_IN_THREAD))
            in_thread: Rendered = await asyncio.shield(task)
            return in_thread
        try:
            job = self._send(worker, fn, args, budget)
        except BaseException:
            self._give(worker)
            raise
        try:
            result: Rendered = await asyncio.shield(job)
            return result
        except _Expired:
            metrics.WORKER_RESTARTS.labels("timeout").inc()
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
        except _Died:
            log.error("render worker %s died during a render", worker.pid)
            metrics.WORKER_RESTARTS.labels("died").inc()
            raise RenderUnavailable(
                "render worker stopped unexpectedly; retry", headers=RETRY
            ) from None

    def _send(
        self, worker: _Worker, fn: Callable[..., Any], args: tuple[Any, ...], budget: float
    ) -> asyncio.Future[Any]:
        """Hand the task to an idle worker; its future resolves when the answer is read."""
        assert self._loop is not None
        payload = pickle.dumps((fn, args), protocol=pickle.HIGHEST_PROTOCOL)
        job: asyncio.Future[Any] = self._loop.create_future()
        worker.job = job
        worker.sent += 1
        worker.budget, worker.waited = budget, 0.0
        worker.timer = self._loop.call_later(budget, self._expire, worker, job)
        self._write(worker, _HEADER.pack(len(payload)) + payload)
        return job

    def _write(self, worker: _Worker, data: bytes) -> None:
        try:
            sent = worker.sock.send(data)
        except (BlockingIOError, InterruptedError):
            sent = 0
        except OSError:
            return  # the worker is gone: its socket's EOF will say so
        if sent < len(data):  # a large task (map tiles): the rest when the socket drains
            worker.outbox += data[sent:]
            assert self._loop is not None
            self._loop.add_writer(worker.sock.fileno(), self._drain, worker)

    def _drain(self, worker: _Worker) -> None:
        try:
            sent = worker.sock.send(worker.outbox)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            sent = len(worker.outbox)
        del worker.outbox[:sent]
        if not worker.outbox and worker.loop is not None:
            worker.loop.remove_writer(worker.sock.fileno())

    def _expire(self, worker: _Worker, job: asyncio.Future[Any]) -> None:
        if worker.job is not job:
            return
        assert self._loop is not None
        if worker.begun.value != worker.sent and worker.waited < self.timeout:
            # still unpickling (importing the renderer): the budget starts with the render
            worker.waited += _START_POLL
            worker.timer = self._loop.call_later(_START_POLL, self._expire, worker, job)
            return
        if worker.waited and worker.begun.value == worker.sent:
            worker.waited = 0.0  # it has begun now: the whole budget from here
            worker.timer = self._loop.call_later(worker.budget, self._expire, worker, job)
            return
        worker.job = None
        if not job.done():
            job.set_exception(_Expired())
        self._kill(worker)

    async def check(self) -> None:
        """Readiness: a no-op must render in a worker (raises if not)."""
        if self.processes == 0:
            return
        if self._closed:
            raise RenderUnavailable("the service is shutting down; retry", headers=RETRY)
        if self.running >= self.processes:
            return  # every worker is busy rendering: that is alive enough
        await self.run(probe, deadline=time.monotonic() + PROBE_SECONDS)  # type: ignore[arg-type]

    def close(self) -> None:
        """Stop every worker: idle ones see their socket close, busy ones are killed."""
        self._closed = True
        self._fail_waiters("the service is shutting down; retry")
        workers, self._workers = list(self._workers), []
        self._idle.clear()
        for worker in workers:
            self._stop(worker)
        for worker in workers:
            worker.process.join(timeout=5)
            if worker.process.is_alive():  # pragma: no cover - a worker ignoring its EOF
                with contextlib.suppress(ProcessLookupError, TypeError):
                    os.kill(worker.pid, signal.SIGKILL)  # type: ignore[arg-type]
                worker.process.join(timeout=5)

    def _stop(self, worker: _Worker) -> None:
        self._unwatch(worker)
        if worker.timer is not None:
            worker.timer.cancel()
        job, worker.job = worker.job, None
        if job is not None:
            with contextlib.suppress(ProcessLookupError, TypeError):
                os.kill(worker.pid, signal.SIGKILL)  # type: ignore[arg-type]
            if not job.done() and not job.get_loop().is_closed():
                job.set_exception(_Died())
        worker.sock.close()
