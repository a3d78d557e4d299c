"""Compare ASGI servers under header and connection abuse, and for plain speed.

    python -m bench.servers [--rounds 3] [--hold 15]

Each candidate serves the real app on a loopback port with the hardening
settings it offers (see ``CANDIDATES``), all at once, so the trials can
alternate between them on a shared machine:

* **big headers** — 8 connections each send up to 64 MB of one unfinished
  header; reports the growth of the server's process tree RSS and what the
  server answered (431, 400, or nothing before it closed);
* **slowloris** — 300 connections trickle header lines every 2 s; reports how
  many the server still holds after ``--hold`` seconds;
* **speed** — requests/s on ``/healthz`` and on a cached chart with 4
  keep-alive client threads, rounds alternating between servers; medians,
  min–max, and the ratio to uvicorn+h11 (the baseline).

Numbers are for comparing the candidates with each other on the same machine
at the same time; absolute figures mean nothing on a shared one.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from tests.services import free_port, wait_for_port

APP = "chartographer.app:create_app"
CHART = "/v1/charts/bar?values=3,7,5,9&labels=a,b,c,d&width=300&height=200"


def _candidates(port: int) -> dict[str, list[str]]:
    py = [sys.executable, "-m"]
    uvicorn = [*py, "uvicorn", APP, "--factory", "--host", "127.0.0.1", "--port", str(port)]
    uvicorn += ["--log-level", "warning", "--limit-concurrency", "512", "--timeout-keep-alive", "5"]
    return {
        "uvicorn-h11": [*uvicorn, "--http", "h11", "--h11-max-incomplete-event-size", "65536"],
        "uvicorn-httptools": [*uvicorn, "--http", "httptools"],
        "granian": [
            *py,
            "granian",
            APP,
            "--factory",
            "--interface",
            "asgi",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--http",
            "1",
            "--no-ws",
            "--log-level",
            "warning",
            "--http1-buffer-size",
            "65536",
            "--http1-header-read-timeout",
            "10000",
            "--backpressure",
            "512",
        ],
        "hypercorn": [
            *py,
            "hypercorn",
            f"{APP}()",
            "--bind",
            f"127.0.0.1:{port}",
            "--keep-alive",
            "5",
            "--read-timeout",
            "10",
            "--log-level",
            "warning",
        ],
    }


@contextlib.contextmanager
def serve(name: str, workdir: Path) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    port = free_port()
    env = {
        **os.environ,
        "CHARTOGRAPHER_DATABASE_URL": f"sqlite:///{workdir / (name + '.db')}",
        "CHARTOGRAPHER_RENDER_PROCESSES": "1",
        "CHARTOGRAPHER_OPEN_LIMITS": "",
    }
    log = (workdir / f"{name}.log").open("wb")
    process = subprocess.Popen(_candidates(port)[name], env=env, stdout=log, stderr=log)
    try:
        wait_for_port(port, 60)
        get(port, CHART)  # warm the render cache
        yield port, process
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


def get(port: int, path: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and all its descendants."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry.name))
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        todo.extend(children.get(current, []))
        with contextlib.suppress(OSError, IndexError, ValueError):
            total += int((Path(f"/proc/{current}/statm")).read_text().split()[1]) * 4096
    return total


def big_headers(port: int, pid: int, connections: int = 8, size: int = 64 << 20) -> str:
    answers: list[str] = []
    peak = [tree_rss(pid)]
    base = peak[0]
    chunk = b"a" * (1 << 20)

    def one() -> None:
        with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
            sent = 0
            try:
                sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ")
                while sent < size:
                    sock.sendall(chunk)
                    sent += len(chunk)
            except OSError:
                pass
            try:
                sock.settimeout(5)
                status = sock.recv(64).split(b"\r\n", 1)[0].decode(errors="replace")
            except OSError:
                status = ""
            answers.append(f"{status or 'closed'} after {sent >> 20} MB")

    threads = [threading.Thread(target=one) for _ in range(connections)]
    for thread in threads:
        thread.start()
    while any(t.is_alive() for t in threads):
        peak.append(tree_rss(pid))
        time.sleep(0.05)
    for thread in threads:
        thread.join()
    growth = (max(peak) - base) >> 20
    return f"+{growth} MB RSS; answers: {sorted(set(answers))}"


def slowloris(port: int, connections: int = 300, hold: float = 15.0) -> str:
    socks = []
    for _ in range(connections):
        sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        socks.append(sock)
    ends = time.monotonic() + hold
    while time.monotonic() < ends:
        time.sleep(2)
        for sock in socks:
            with contextlib.suppress(OSError):
                sock.sendall(b"X-Slow: 1\r\n")
    held = 0
    for sock in socks:
        sock.setblocking(False)
        try:
            data = sock.recv(1)
            held += 0 if data == b"" or data else 1  # closed or answered: not held
        except BlockingIOError:
            held += 1  # open, nothing sent back: still held
        except OSError:
            pass
        sock.close()
    return f"{held}/{connections} still held after {hold:g} s"


def speed(port: int, path: str, seconds: float = 2.0, threads: int = 4) -> float:
    counts = [0] * threads
    stop = time.monotonic() + seconds

    def worker(i: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < stop:
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            if response.status == 200:
                counts[i] += 1
        conn.close()

    pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    started = time.monotonic()
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return sum(counts) / (time.monotonic() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--hold", type=float, default=15.0)
    parser.add_argument("--only", nargs="*", default=None)
    args = parser.parse_args()
    names = args.only or list(_candidates(0))
    print(f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f} (shared: ratios only)")
    with tempfile.TemporaryDirectory() as tmp, contextlib.ExitStack() as stack:
        servers = {name: stack.enter_context(serve(name, Path(tmp))) for name in names}
        rates: dict[tuple[str, str], list[float]] = {}
        for _ in range(args.rounds):
            for path in ("/healthz", CHART):
                for name, (port, _process) in servers.items():
                    rates.setdefault((name, path), []).append(speed(port, path))
        base = names[0]
        for path in ("/healthz", "chart"):
            key = "/healthz" if path == "/healthz" else CHART
            ref = statistics.median(rates[(base, key)])
            for name in names:
                got = rates[(name, key)]
                median = statistics.median(got)
                print(
                    f"speed {path:8} {name:18} median {median:7.0f}/s "
                    f"(min {min(got):.0f}, max {max(got):.0f})  x{median / ref:.2f} vs {base}"
                )
        for name, (port, process) in servers.items():
            print(f"big headers  {name:18} {big_headers(port, process.pid)}")
            print(f"alive after  {name:18} /healthz {get(port, '/healthz')}")
        for name, (port, _process) in servers.items():
            print(f"slowloris    {name:18} {slowloris(port, hold=args.hold)}")


if __name__ == "__main__":
    main()
