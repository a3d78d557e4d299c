"""Three replicas behind nginx, one Redis, one PostgreSQL, keys mode: nothing lost.

Real processes on loopback: ``uvicorn`` replicas sharing the database, Redis
(limits and images) and a usage-journal directory, behind Debian's nginx with
``proxy_next_upstream`` for idempotent requests. The test prints the counts it
asserts (requests sent, statuses, calls metered in PostgreSQL).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from chartographer.access.models import UsageRecord
from tests.access.conftest import SECRET, Seeder
from tests.services import (
    PostgresServer,
    RedisServer,
    _unavailable,
    free_port,
    wait_for_port,
)

pytestmark = [pytest.mark.slow, pytest.mark.services]
CHART = "/v1/charts/bar?values=3,7,5&width=160&height=100"

NGINX_CONF = """
worker_processes 1;
daemon off;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    upstream chartographer {{
{servers}
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://chartographer;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Request-ID $request_id;
            # a replica that dies or refuses: try the next one (GETs are idempotent)
            proxy_next_upstream error timeout http_502 http_503;
            proxy_next_upstream_tries 3;
            proxy_connect_timeout 1s;
            proxy_read_timeout 30s;
        }}
    }}
}}
"""


@dataclass
class Replica:
    port: int
    env: dict[str, str]
    log: Path
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        args = [sys.executable, "-m", "uvicorn", "chartographer.app:create_app", "--factory"]
        args += ["--host", "127.0.0.1", "--port", str(self.port), "--log-level", "warning"]
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                args, env={**os.environ, **self.env}, stdout=out, stderr=subprocess.STDOUT
            )
        wait_for_port(self.port, timeout=90)

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(sig)
            self.process.wait(timeout=60)
        self.process = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@dataclass
class Cluster:
    replicas: list[Replica]
    proxy: str
    seeder: Seeder
    nginx: subprocess.Popen[bytes] = field(repr=False)


@pytest.fixture
def cluster(
    postgres_server: PostgresServer, redis_server: RedisServer, tmp_path: Path
) -> Iterator[Cluster]:
    nginx = shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )
    if nginx is None:
        _unavailable("nginx not installed (Debian package: nginx)")
        raise AssertionError("unreachable")
    redis_server.flush()
    seeder = Seeder(postgres_server.create_database())
    env = {
        "CHARTOGRAPHER_ACCESS_MODE": "keys",
        "CHARTOGRAPHER_KEY_HASH_SECRET": SECRET,
        "CHARTOGRAPHER_DATABASE_URL": seeder.url,
        "CHARTOGRAPHER_REDIS_URL": redis_server.url,
        "CHARTOGRAPHER_RENDER_PROCESSES": "0",
        "CHARTOGRAPHER_USAGE_FLUSH_SECONDS": "1",
        "CHARTOGRAPHER_USAGE_JOURNAL_DIR": str(tmp_path / "journal"),
        "CHARTOGRAPHER_TRUSTED_PROXIES": "127.0.0.1/32",
    }
    replicas = [Replica(free_port(), env, tmp_path / f"replica-{i}.log") for i in range(3)]
    for replica in replicas:
        replica.start()
    port = free_port()
    servers = "\n".join(
        f"        server 127.0.0.1:{r.port} max_fails=1 fail_timeout=2s;" for r in replicas
    )
    conf = tmp_path / "nginx.conf"
    conf.write_text(NGINX_CONF.format(dir=tmp_path, servers=servers, port=port))
    with (tmp_path / "nginx.out").open("wb") as out:
        proxy = subprocess.Popen(
            [nginx, "-p", str(tmp_path), "-c", str(conf)], stdout=out, stderr=subprocess.STDOUT
        )
    try:
        wait_for_port(port)
        yield Cluster(replicas, f"http://127.0.0.1:{port}", seeder, proxy)
    finally:
        proxy.send_signal(signal.SIGQUIT)
        proxy.wait(timeout=30)
        for replica in replicas:
            replica.stop()
        seeder.engine.dispose()


def metered(seeder: Seeder, key_label: str) -> int:
    with seeder.sessions() as session:
        total = session.scalar(
            select(func.coalesce(func.sum(UsageRecord.requests), 0)).where(
                UsageRecord.key_label == key_label
            )
        )
    return int(total or 0)


class Load:
    """Steady GETs through nginx from a few threads until stopped; statuses counted."""

    def __init__(self, base: str, key: str, threads: int = 4) -> None:
        self.base, self.key = base, key
        self.statuses: Counter[int] = Counter()
        self.errors: list[str] = []
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._threads = [threading.Thread(target=self._run, args=(i,)) for i in range(threads)]

    def _run(self, index: int) -> None:
        with httpx.Client(base_url=self.base, timeout=60) as http:
            n = 0
            while not self._stop.is_set():
                n += 1
                url = f"{CHART}&title=load-{index}-{n % 7}&key={self.key}"
                try:
                    status = http.get(url).status_code
                except httpx.HTTPError as exc:  # a dropped request: a failure, counted
                    with self._lock:
                        self.errors.append(type(exc).__name__)
                    continue
                with self._lock:
                    self.statuses[status] += 1

    def __enter__(self) -> Load:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=120)

    @property
    def sent(self) -> int:
        return sum(self.statuses.values()) + len(self.errors)


def wait_metered(seeder: Seeder, label: str, expected: int, timeout: float = 30) -> int:
    deadline = time.monotonic() + timeout
    while True:
        found = metered(seeder, label)
        if found >= expected or time.monotonic() > deadline:
            return found
        time.sleep(0.5)


def test_three_replicas_lose_nothing(cluster: Cluster, capsys: pytest.CaptureFixture[str]) -> None:
    seeder = cluster.seeder
    report: list[str] = []

    # 1. a plan's limit holds exactly in total, whichever replica answers
    seeder.plan("fifty", "50/minute")
    limited = seeder.key("fifty")
    second = time.time() % 60
    if second > 40:  # the window is clock-aligned: do not straddle a minute
        time.sleep(61 - second)
    with httpx.Client(base_url=cluster.proxy, timeout=60) as http:
        limit_statuses = Counter(
            http.get(f"{CHART}&title=limit-{i}&key={limited.key}").status_code for i in range(80)
        )
    report.append(f"limit 50/minute, 80 sent through nginx: {dict(limit_statuses)}")
    assert limit_statuses == {200: 50, 429: 30}

    # 2. rendered through one replica, a cache hit through another
    seeder.plan("big", "100000/minute")
    issued = seeder.key("big")
    key = issued.key
    first, other = cluster.replicas[0], cluster.replicas[1]
    miss = httpx.get(f"{first.url}{CHART}&title=shared&key={key}", timeout=60)
    hit = httpx.get(f"{other.url}{CHART}&title=shared&key={key}", timeout=60)
    assert miss.headers["x-cache"] == "MISS"
    assert hit.headers["x-cache"] == "HIT" and hit.content == miss.content
    report.append("cache: MISS on replica 0, HIT on replica 1 (same bytes)")
    direct = 2

    # 3. kill -9 of one replica under steady load
    victim = cluster.replicas[2]
    with Load(cluster.proxy, key) as load:
        time.sleep(4)
        assert victim.process is not None
        victim.process.send_signal(signal.SIGKILL)
        victim.process.wait(timeout=10)
        victim.process = None
        time.sleep(4)
        victim.start()  # it comes back; its journal is replayed by whoever looks first
        time.sleep(3)
    killed = (load.sent, dict(load.statuses), len(load.errors))
    report.append(f"kill -9 under load: sent {killed[0]}, statuses {killed[1]}, errors {killed[2]}")
    assert load.errors == [] and set(load.statuses) == {200}

    # 4. a rolling restart, SIGTERM one by one, under steady load
    with Load(cluster.proxy, key) as rolling:
        for replica in cluster.replicas:
            time.sleep(2)
            replica.stop(signal.SIGTERM)
            replica.start()
        time.sleep(2)
    rolled = (rolling.sent, dict(rolling.statuses), len(rolling.errors))
    report.append(f"rolling restart: sent {rolled[0]}, statuses {rolled[1]}, errors {rolled[2]}")
    assert rolling.errors == [] and set(rolling.statuses) == {200}

    # every 200 the clients saw is metered in PostgreSQL: stop gracefully, then count
    for replica in cluster.replicas:
        replica.stop(signal.SIGTERM)
    ok = direct + load.statuses[200] + rolling.statuses[200]
    label = issued.record.prefix
    in_db = wait_metered(seeder, label, ok, timeout=5)
    report.append(f"metered in PostgreSQL: {in_db} calls; 200s seen by clients: {ok}")
    with capsys.disabled():
        print("\nmulti-replica counts:\n  " + "\n  ".join(report))
    assert in_db >= ok  # none lost
    # a call journaled by a replica that then went away before answering (killed, or
    # closing its connections on SIGTERM) is retried by nginx and counts twice: at most
    # the load's threads per disruption (one kill, three restarts); a loaded machine
    # has shown 12
    assert in_db - ok <= 4 * (1 + len(cluster.replicas))
