"""``chartographer serve`` as a real server process on loopback: abuse and floods.

Bounded counts and bounded waits only; nothing here asserts how long anything took.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.conftest import decode
from tests.services import free_port, wait_for_port
from tests.test_renderpool import wait_until_gone

pytestmark = pytest.mark.slow


@contextmanager
def serve(tmp_path: Path, **settings: str) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    port = free_port()
    env = {
        **os.environ,
        "CHARTOGRAPHER_DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}",
        "CHARTOGRAPHER_OPEN_LIMITS": "",
        "CHARTOGRAPHER_RENDER_PROCESSES": "1",
        **{f"CHARTOGRAPHER_{k.upper()}": v for k, v in settings.items()},
    }
    log = (tmp_path / "serve.log").open("wb")
    args = [sys.executable, "-m", "chartographer.cli", "serve", "--port", str(port)]
    process = subprocess.Popen(args, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for_port(port, 60)
        base = f"http://127.0.0.1:{port}"
        give_up = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < give_up, (tmp_path / "serve.log").read_text()
            time.sleep(0.2)
        yield base, process
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def _port(base: str) -> int:
    return int(base.rsplit(":", 1)[1])


def _closed_by_server(sock: socket.socket) -> bool:
    sock.settimeout(0.2)
    try:
        return sock.recv(1024) == b""
    except TimeoutError:
        return False
    except OSError:
        return True


def test_serve_answers_head_and_refuses_an_oversized_head_with_431(tmp_path: Path) -> None:
    with serve(tmp_path, server_max_header_bytes="16384") as (base, _):
        head = httpx.head(f"{base}/healthz")
        assert head.status_code == 200 and head.content == b""
        with socket.create_connection(("127.0.0.1", _port(base)), timeout=10) as sock:
            # 1 MB of one header: the server answers (and closes) before reading it all
            with contextlib.suppress(OSError):
                sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * (1 << 20))
            status = sock.recv(64).split(b"\r\n", 1)[0]
        assert status.startswith(b"HTTP/1.1 431")
        assert httpx.get(f"{base}/healthz").status_code == 200  # and it keeps serving


def test_serve_drops_connections_that_never_finish_their_head(tmp_path: Path) -> None:
    with serve(tmp_path, server_header_timeout="1") as (base, _):
        socks = []
        for _ in range(40):  # slowloris: heads that never end
            sock = socket.create_connection(("127.0.0.1", _port(base)), timeout=5)
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: 1\r\n")
            socks.append(sock)
        give_up = time.monotonic() + 30
        open_ = list(socks)
        while open_ and time.monotonic() < give_up:
            open_ = [s for s in open_ if not _closed_by_server(s)]
        for sock in socks:
            sock.close()
        assert open_ == [], f"{len(open_)} of 40 unfinished connections still held"
        assert httpx.get(f"{base}/healthz").status_code == 200


def test_a_flood_gets_answers_or_503_and_the_server_stays_up(tmp_path: Path) -> None:
    with serve(tmp_path, render_queue="2", cache_bytes="0") as (base, _):

        def call(i: int) -> httpx.Response:
            url = f"{base}/v1/charts/line?values={','.join(str(i + j) for j in range(2000))}"
            return httpx.get(f"{url}&width=1200&height=900", timeout=60)

        with ThreadPoolExecutor(24) as pool:
            answers = list(pool.map(call, range(48)))
        statuses = [a.status_code for a in answers]
        assert set(statuses) <= {200, 503}, statuses
        assert statuses.count(503) >= 1  # one worker, two queue places, 24 at once
        assert statuses.count(200) >= 1
        for answer in answers:
            if answer.status_code == 503:
                assert answer.headers["content-type"] == "application/problem+json"
                assert answer.headers["retry-after"] == "1"
        after = httpx.get(f"{base}/v1/charts/bar?values=1,2,3&width=100&height=70", timeout=60)
        assert after.status_code == 200
        assert decode(after.content).size == (100, 70)


def _children() -> dict[int, list[int]]:
    """Every process's children, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    return children


def _render_workers(server_pid: int) -> list[int]:
    """Render workers: the children of the forkserver below the server process."""
    children = _children()
    found, todo = [], [server_pid]
    while todo:
        pid = todo.pop()
        for child in children.get(pid, []):
            try:
                cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
            except OSError:
                continue
            if b"forkserver" in cmdline:
                found.extend(children.get(child, []))
            else:
                todo.append(child)
    return found


def test_killing_an_idle_render_worker_of_a_real_server(tmp_path: Path) -> None:
    with serve(tmp_path, cache_bytes="0") as (base, process):
        first = httpx.get(f"{base}/v1/charts/bar?values=1,2&width=90&height=60", timeout=60)
        assert first.status_code == 200
        workers = _render_workers(process.pid)
        assert len(workers) == 1
        os.kill(workers[0], signal.SIGKILL)
        wait_until_gone(workers[0])
        again = httpx.get(f"{base}/v1/charts/bar?values=3,4&width=90&height=60", timeout=60)
        assert again.status_code == 200
        assert decode(again.content).size == (90, 60)
        assert httpx.get(f"{base}/readyz", timeout=30).status_code == 200


def test_granian_with_text_logs_writes_an_access_line(tmp_path: Path) -> None:
    """The default server writes no access log itself; the app's line names the request."""
    with serve(tmp_path, log_format="text", server="granian") as (base, _):
        response = httpx.get(
            f"{base}/v1/charts/bar?values=3,7&key=cg_live_hidden",
            headers={"X-Request-ID": "granian-req-1"},
            timeout=30,
        )
        assert response.status_code == 200 and decode(response.content).size == (600, 400)
    text = (tmp_path / "serve.log").read_text()
    lines = [line for line in text.splitlines() if "[granian-req-1]" in line]
    assert len(lines) == 1, text
    assert (
        " INFO chartographer.access [granian-req-1] 127.0.0.1 - "
        '"GET /v1/charts/bar?values=3,7&key=***" 200 '
    ) in lines[0]
    assert lines[0].endswith(" ms") and "cg_live_hidden" not in text
    assert text.count('"GET /healthz" 200 ') >= 1  # every request, not only charts


def _server_workers(server_pid: int) -> list[int]:
    """Granian's worker processes: the server's children that run the app, not helpers."""
    found = []
    for child in _children().get(server_pid, []):
        try:
            if b"chartographer.cli" in Path(f"/proc/{child}/cmdline").read_bytes():
                found.append(child)
        except OSError:
            continue
    return found


def test_a_worker_that_never_stops_is_killed_at_shutdown(tmp_path: Path) -> None:
    # A worker that got SIGTERM while it was still starting never stopped, and the
    # server waited for it forever; a stopped (SIGSTOP) worker stands in for it.
    with serve(tmp_path, server_shutdown_timeout="2") as (_, process):
        workers = _server_workers(process.pid)
        assert len(workers) == 1
        os.kill(workers[0], signal.SIGSTOP)
        process.terminate()
        assert process.wait(timeout=30) is not None
        wait_until_gone(workers[0])
