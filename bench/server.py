"""Chartographer over HTTP against today's landed server and the naive endpoint, side by side.

Prints the rows of the speed issue's target table (issue #9) as ratios. Every
contender is a real server on 127.0.0.1 started by this script:

- ``ours``: this tree's ``chartographer serve`` (this venv);
- ``base``: the landed server at commit ``1ec397e`` in its own worktree and venv
  (``--base``; ``make bench`` creates ``.bench/base`` on first use);
- ``naive``: FastAPI + a new ``Figure`` + ``savefig`` per request (``bench.naive``).

Both Chartographer servers run with the same settings (2 render processes,
uvicorn's default access log to /dev/null). Latency rows send one request at a
time, alternating between the servers in every round; throughput rows run
``wrk`` (or, without it, an httpx load loop) for a few seconds per server,
alternating rounds. Each row prints medians with min/max and the ratio of
medians. The machine may be shared: read the ratios, not the milliseconds.
Run: ``python -m bench.server --base PATH [--rounds N]``.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent.parent
SECRET = "bench-pepper-0123456789"

#: the issue's uncached Google-compatible suite: 300×200–600×400, axes, legends, titles
GOOGLE_SUITE = [
    "cht=bvs&chs=400x300&chd=t:10,50,60,80,40|20,30,10,5,25&chco=4D89F9,C6D9FD"
    "&chxt=x,y&chdl=2025|2026&chtt=Sales",
    "cht=bvg&chs=500x300&chd=t:10,50,60,80|20,30,40,50&chxt=x,y&chdl=a|b&chtt=Grouped",
    "cht=bhs&chs=400x300&chd=t:10,50,60|30,20,10&chxt=x,y&chdl=a|b",
    "cht=bhg&chs=300x200&chd=t:10,50,60|30,20,10&chxt=x,y",
    "cht=bvo&chs=400x300&chd=t:10,50,60,80|5,20,30,40&chxt=x,y&chtt=Overlapped",
    "cht=lc&chs=600x400&chd=t:5,10,30,20,45,35,60,50,70,65&chxt=x,y&chdl=load&chtt=Load",
    "cht=lc&chs=500x300&chd=t:5,10,30,20,45|15,25,20,35,30&chxt=x,y&chdl=a|b&chg=20,25",
    "cht=ls&chs=300x200&chd=t:5,10,30,20,45,35,60,50",
    "cht=p&chs=400x300&chd=t:30,20,50&chl=red|green|blue&chtt=Share",
    "cht=p3&chs=500x250&chd=t:30,20,50&chl=a|b|c",
    "cht=pc&chs=400x400&chd=t:30,20,50|10,40,50&chl=a|b|c|d|e|f",
    "cht=qr&chs=300x300&chl=https://example.com/a/long/enough/path",
    "cht=bvs&chs=600x400&chd=t:1,2,3,4,5,6,7,8,9,10,11,12&chxt=x,y&chxl=0:|J|F|M|A|M|J|J|A|S|O|N|D",
]
NATIVE_BAR = "/v1/charts/bar?values=3,7,5,9&labels=a,b,c,d&width=400&height=300"
QR = "/chart?cht=qr&chs=200x200&chl=Chartographer"
CACHED = "/v1/charts/bar?values=3,7,5,9&labels=a,b,c,d&width=300&height=200"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """A server subprocess on a random loopback port."""

    def __init__(self, name: str, argv: list[str], cwd: Path, env: dict[str, str]) -> None:
        self.name = name
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        full_env = {**os.environ, **env, "CHARTOGRAPHER_PORT": str(self.port)}
        argv = [a.replace("{port}", str(self.port)) for a in argv]
        self.process = subprocess.Popen(
            argv, cwd=cwd, env=full_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"{name} did not start on {self.url}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def chartographer(name: str, tree: Path, env: dict[str, str]) -> Server:
    python = tree / ".venv" / "bin" / "python"
    argv = [str(python), "-c", "from chartographer.cli import main; main()", "serve"]
    base_env = {"CHARTOGRAPHER_RENDER_PROCESSES": "2", "CHARTOGRAPHER_OPEN_LIMITS": "[]"}
    return Server(name, argv, tree, {**base_env, **env})


def seed_key(tree: Path, url: str) -> str:
    """Create a plan and a key with the tree's own code (its own migrations)."""
    code = f"import sys; sys.path.insert(0, {str(tree)!r}); from bench.access import _seed; "
    code += f"print(_seed({url!r}))"
    python = tree / ".venv" / "bin" / "python"
    out = subprocess.run([str(python), "-c", code], cwd=tree, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(out.stderr)
    return out.stdout.strip().splitlines()[-1]


def timed_get(client: http.client.HTTPConnection, url: str) -> float:
    """Milliseconds for one GET on a kept-alive connection, body read.

    The standard library's client, not httpx: httpx spends about 0.4 ms of its own
    per request here (measured on /healthz), the same on every server, which only
    dilutes the ratios.
    """
    start = time.perf_counter()
    client.request("GET", url)
    response = client.getresponse()
    body = response.read()
    elapsed = (time.perf_counter() - start) * 1000
    if response.status != 200:
        raise RuntimeError(f"{url}: {response.status} {body[:200]!r}")
    return elapsed


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):8.2f} [{min(values):7.2f}–{max(values):7.2f}]"


def latency_row(
    label: str, servers: dict[str, Server], paths: list[str], rounds: int, *, blocks: bool = False
) -> dict[str, list[float]]:
    """Per round: every path once on every server, alternating; the round's sum per server.

    ``blocks``: per round, each server gets all of ``paths`` back to back (the
    servers' order alternating by round), so neither waits idle between its own
    requests. Per-request alternation makes the faster server always follow the
    slower one's request: on this shared 2-core VM, code that has slept 30 ms runs
    ~60 % slower (an in-process bar render: 1.8 ms back to back, 2.9 ms after a
    30 ms sleep), which costs the fast side its whole margin and the slow one little.
    """
    totals: dict[str, list[float]] = {name: [] for name in servers}
    clients = {
        name: http.client.HTTPConnection("127.0.0.1", s.port, timeout=30)
        for name, s in servers.items()
    }
    try:
        for path in paths:  # warm: workers, fonts
            for name in servers:
                timed_get(clients[name], path)
        for round_ in range(rounds):
            order = list(servers) if round_ % 2 == 0 else list(reversed(servers))
            sums = dict.fromkeys(servers, 0.0)
            if blocks:
                for name in order:
                    for path in paths:
                        sums[name] += timed_get(clients[name], path)
            else:
                for path in paths:
                    for name in order:
                        sums[name] += timed_get(clients[name], path)
            for name in servers:
                totals[name].append(sums[name])
    finally:
        for client in clients.values():
            client.close()
    return totals


def wrk_rps(url: str, seconds: float, header: str | None, paths: list[str] | None) -> float:
    argv = ["wrk", "-t2", "-c8", f"-d{seconds:g}s", "--timeout", "20s"]
    script = None
    if header:
        argv += ["-H", header]
    if paths:
        fd, script = tempfile.mkstemp(suffix=".lua")
        lines = ", ".join('"' + p.replace('"', '\\"') + '"' for p in paths)
        body = f"paths = {{{lines}}}\ni = 0\n"
        body += "request = function()\n  i = i % #paths + 1\n"
        body += "  return wrk.format(nil, paths[i])\nend\n"
        os.write(fd, body.encode())
        os.close(fd)
        argv += ["-s", script]
    try:
        out = subprocess.run([*argv, url], capture_output=True, text=True, check=True).stdout
    finally:
        if script:
            os.unlink(script)
    if re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        raise RuntimeError(f"{url}: errors under load\n{out}")
    found = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if not found:
        raise RuntimeError(out)
    return float(found.group(1))


def httpx_rps(url: str, seconds: float, header: str | None, paths: list[str] | None) -> float:
    headers = dict([header.split(": ", 1)]) if header else {}
    targets = [url + p for p in paths] if paths else [url]

    async def run() -> int:
        done = 0
        stop = time.monotonic() + seconds
        async with httpx.AsyncClient(headers=headers, timeout=30) as client:

            async def worker(offset: int) -> None:
                nonlocal done
                i = offset
                while time.monotonic() < stop:
                    response = await client.get(targets[i % len(targets)])
                    response.raise_for_status()
                    done += 1
                    i += 1

            await asyncio.gather(*(worker(i) for i in range(8)))
        return done

    start = time.monotonic()
    count = asyncio.run(run())
    return count / (time.monotonic() - start)


RPS: Callable[[str, float, str | None, list[str] | None], float] = (
    wrk_rps if shutil.which("wrk") else httpx_rps
)


def throughput_row(
    jobs: dict[str, tuple[str, str | None, list[str] | None]], rounds: int, seconds: float
) -> dict[str, list[float]]:
    """Requests/s at concurrency 8; jobs alternate within every round."""
    found: dict[str, list[float]] = {name: [] for name in jobs}
    for url, header, paths in jobs.values():  # warm: the first renders of fresh workers
        for path in paths or [""]:
            headers = dict([header.split(": ", 1)]) if header else {}
            httpx.get(url + path, headers=headers, timeout=120).raise_for_status()
        RPS(url, 1, header, paths)
    for round_ in range(rounds):
        names = list(jobs) if round_ % 2 == 0 else list(reversed(jobs))
        for name in names:
            url, header, paths = jobs[name]
            found[name].append(RPS(url, seconds, header, paths))
    return found


def verdict(ratio: float, target: float, lower_is_better: bool) -> str:
    met = ratio <= target if lower_is_better else ratio >= target
    sign = "≤" if lower_is_better else "≥"
    return f"target {sign} {target:g}: {'met' if met else 'NOT met'}"


@contextmanager
def servers_for(base: Path, workdir: Path, **env: str) -> Iterator[dict[str, Server]]:
    started: dict[str, Server] = {}
    try:
        for name, tree in (("ours", HERE), ("base", base)):
            db = workdir / f"{name}-{len(os.listdir(workdir))}.db"
            settings = {"CHARTOGRAPHER_DATABASE_URL": f"sqlite:///{db}", **env}
            if env.get("CHARTOGRAPHER_ACCESS_MODE") == "keys":
                seed_key(tree, settings["CHARTOGRAPHER_DATABASE_URL"])
            started[name] = chartographer(name, tree, settings)
        yield started
    finally:
        for server in started.values():
            server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base", type=Path, required=True, help="worktree of commit 1ec397e")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--seconds", type=float, default=3.0, help="per throughput sample")
    parser.add_argument("--cached-only", action="store_true", help="only the keys rows")
    args = parser.parse_args()
    args.base = args.base.resolve()  # servers start in their own tree (`make bench`: relative)
    if not (args.base / ".venv" / "bin" / "python").exists():
        sys.exit(f"{args.base} has no .venv: see `make bench` (bench-base)")
    print(f"load generator: {'wrk' if RPS is wrk_rps else 'httpx (wrk not installed)'}")
    print("medians [min–max] over rounds; ratios are of medians\n")
    workdir = Path(tempfile.mkdtemp(prefix="cg-bench-http-"))
    rows: list[str] = []
    try:
        if not args.cached_only:
            rows += uncached_rows(args, workdir)
        for storage in ("memory", "redis"):
            rows.append(cached_row(args, workdir, storage))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print("\n| figure | measured | target |\n| --- | --- | --- |")
    print("\n".join(rows))
    print("(native in-process suite vs naive Figure + savefig: `python -m bench.charts`)")


def uncached_rows(args: argparse.Namespace, workdir: Path) -> list[str]:
    google = ["/chart?" + q for q in GOOGLE_SUITE]
    rows: list[str] = []
    with servers_for(args.base, workdir, CHARTOGRAPHER_CACHE_BYTES="0") as servers:
        naive = Server("naive", [sys.executable, "-m", "bench.naive", "{port}"], HERE, {})
        try:
            suite = latency_row("google", servers, google, args.rounds)
            ratio = statistics.median(suite["ours"]) / statistics.median(suite["base"])
            print(f"Google suite, ms per pass:      ours {spread(suite['ours'])}")
            print(f"{'':32} base {spread(suite['base'])}")
            rows.append(
                f"| uncached Google suite over HTTP vs today's server | {ratio:.2f}× "
                f"| {verdict(ratio, 0.45, True)} |"
            )
            qr = latency_row("qr", servers, [QR] * 5, args.rounds)
            ratio = statistics.median(qr["ours"]) / statistics.median(qr["base"])
            print(f"QR 200x200 ms per 5 requests:   ours {spread(qr['ours'])}")
            print(f"{'':32} base {spread(qr['base'])}")
            rows.append(
                f"| QR 200×200 over HTTP vs today's server | {ratio:.2f}× "
                f"| {verdict(ratio, 0.5, True)} |"
            )
            pair = {"ours": servers["ours"], "naive": naive}
            bars = latency_row("bar", pair, [NATIVE_BAR] * 5, args.rounds)
            faster = statistics.median(bars["naive"]) / statistics.median(bars["ours"])
            print(f"native bar 400x300 ms per 5:    ours {spread(bars['ours'])}")
            print(f"{'':31} naive {spread(bars['naive'])}")
            rows.append(
                f"| native bar 400×300 over HTTP vs naive FastAPI + matplotlib "
                f"| {faster:.1f}× faster | {verdict(faster, 8, False)} |"
            )
            bars = latency_row("bar", pair, [NATIVE_BAR] * 5, args.rounds, blocks=True)
            faster = statistics.median(bars["naive"]) / statistics.median(bars["ours"])
            print(f"  the same, back to back:       ours {spread(bars['ours'])}")
            print(f"{'':31} naive {spread(bars['naive'])}")
            rows.append(
                f"| (the same, each server's 5 requests back to back, servers alternating "
                f"by round) | {faster:.1f}× faster | (not the issue's row) |"
            )
        finally:
            naive.stop()
        jobs = {name: (s.url, None, google) for name, s in servers.items()}
        rps = throughput_row(jobs, max(3, args.rounds // 2), args.seconds)
        ratio = statistics.median(rps["ours"]) / statistics.median(rps["base"])
        print(f"uncached req/s at c=8:          ours {spread(rps['ours'])}")
        print(f"{'':32} base {spread(rps['base'])}")
        rows.append(
            f"| uncached throughput at concurrency 8 vs today's server | {ratio:.2f}× "
            f"| {verdict(ratio, 2.5, False)} |"
        )
    return rows


def cached_row(args: argparse.Namespace, workdir: Path, storage: str) -> str:
    env = {"CHARTOGRAPHER_ACCESS_MODE": "keys", "CHARTOGRAPHER_KEY_HASH_SECRET": SECRET}
    redis = None
    if storage == "redis":
        if not shutil.which("redis-server"):
            return "| cached with keys (redis) | skipped: no redis-server | |"
        sys.path.insert(0, str(HERE))
        from tests.services import RedisServer

        redis = RedisServer(shutil.which("redis-server") or "", workdir)
        redis.start()
        env["CHARTOGRAPHER_REDIS_URL"] = redis.url
    try:
        keys: dict[str, str] = {}
        for name, tree in (("ours", HERE), ("base", args.base)):
            db = workdir / f"{name}-{storage}.db"
            keys[name] = seed_key(tree, f"sqlite:///{db}")
        started: dict[str, Server] = {}
        try:
            for name, tree in (("ours", HERE), ("base", args.base)):
                db = f"sqlite:///{workdir / f'{name}-{storage}.db'}"
                started[name] = chartographer(name, tree, {**env, "CHARTOGRAPHER_DATABASE_URL": db})
            jobs: dict[str, tuple[str, str | None, list[str] | None]] = {}
            for name, server in started.items():
                header = f"X-API-Key: {keys[name]}"
                jobs[f"{name} cached"] = (server.url + CACHED, header, None)
                jobs[f"{name} healthz"] = (server.url + "/healthz", None, None)
            rps = throughput_row(jobs, max(3, args.rounds // 2), args.seconds)
        finally:
            for server in started.values():
                server.stop()
    finally:
        if redis is not None:
            redis.stop()
    ratios = {}
    for name in ("ours", "base"):
        hit, health = rps[f"{name} cached"], rps[f"{name} healthz"]
        ratios[name] = statistics.median(hit) / max(statistics.median(health), 1e-9)
        print(f"keys/{storage} {name}: cached {spread(hit)} req/s, /healthz {spread(health)}")
    return (
        f"| cached image, keys on ({storage}) vs the same server's /healthz, c=8 "
        f"| {ratios['ours']:.2f}× (today {ratios['base']:.2f}×) "
        f"| {verdict(ratios['ours'], 0.7, False)} |"
    )


if __name__ == "__main__":
    main()
