"""Real server processes: two replicas sharing one Redis, and a path-prefix proxy."""

from __future__ import annotations

import http.server
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.access.conftest import CHART, SECRET, Seeder
from tests.conftest import decode
from tests.services import RedisServer, free_port, wait_for_port

pytestmark = pytest.mark.slow


@contextmanager
def uvicorn(env: dict[str, str], log: Path) -> Iterator[str]:
    """``uvicorn chartographer.app:create_app`` on a free loopback port; yields its base URL."""
    port = free_port()
    full_env = {**os.environ, "CHARTOGRAPHER_RENDER_PROCESSES": "0", **env}
    full_env.setdefault("CHARTOGRAPHER_USAGE_JOURNAL_DIR", str(log.parent / "usage-journal"))
    args = [sys.executable, "-m", "uvicorn", "chartographer.app:create_app", "--factory"]
    args += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "info"]
    with log.open("wb") as out:
        process = subprocess.Popen(
            args,
            env=full_env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_for_port(port)
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            process.wait(timeout=20)


def _avoid_minute_boundary() -> None:
    # Not a timing assertion: the count is per calendar-aligned minute, so do not
    # start the burst in the last seconds of one.
    second = time.time() % 60
    if second > 50:
        time.sleep(61 - second)


@pytest.mark.services
def test_two_replicas_sharing_redis_admit_exactly_n(
    redis_server: RedisServer, seeder: Seeder, tmp_path: Path
) -> None:
    redis_server.flush()
    seeder.plan("ten", "10/minute")
    key = seeder.key("ten").key
    env = {
        "CHARTOGRAPHER_ACCESS_MODE": "keys",
        "CHARTOGRAPHER_KEY_HASH_SECRET": SECRET,
        "CHARTOGRAPHER_DATABASE_URL": seeder.url,
        "CHARTOGRAPHER_REDIS_URL": redis_server.url,
    }
    with uvicorn(env, tmp_path / "a.log") as first, uvicorn(env, tmp_path / "b.log") as second:
        _avoid_minute_boundary()

        def call(i: int) -> int:
            base = first if i % 2 else second
            return httpx.get(f"{base}{CHART}&key={key}", timeout=30).status_code

        with ThreadPoolExecutor(8) as pool:
            statuses = list(pool.map(call, range(30)))
    assert statuses.count(200) == 10
    assert statuses.count(429) == 20
    logs = (tmp_path / "a.log").read_text() + (tmp_path / "b.log").read_text()
    assert "GET /v1/charts/bar?" in logs  # the access log ran…
    assert key not in logs and "key=***" in logs  # …without the key


class _PrefixProxy(http.server.BaseHTTPRequestHandler):
    """Strips ``/prefix`` and forwards to the upstream, like an ingress with rewrite."""

    upstream = ""
    prefix = "/prefix"

    def do_GET(self) -> None:
        if not self.path.startswith(self.prefix + "/"):
            self.send_error(404)
            return
        answer = httpx.get(self.upstream + self.path[len(self.prefix) :], timeout=30)
        self.send_response(answer.status_code)
        for name in ("content-type", "ratelimit", "ratelimit-policy"):
            if name in answer.headers:
                self.send_header(name, answer.headers[name])
        self.send_header("content-length", str(len(answer.content)))
        self.end_headers()
        self.wfile.write(answer.content)

    def log_message(self, format: str, *args: object) -> None:
        pass


def test_docs_work_behind_a_path_prefix(tmp_path: Path) -> None:
    env = {
        "CHARTOGRAPHER_ROOT_PATH": "/prefix",
        "CHARTOGRAPHER_DATABASE_URL": f"sqlite:///{tmp_path / 'p.db'}",
    }
    with uvicorn(env, tmp_path / "p.log") as upstream:
        handler = type("Proxy", (_PrefixProxy,), {"upstream": upstream})
        proxy = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        thread = threading.Thread(target=proxy.serve_forever, daemon=True)
        thread.start()
        base = f"http://127.0.0.1:{proxy.server_address[1]}"
        try:
            docs = httpx.get(f"{base}/prefix/docs")
            assert docs.status_code == 200 and "swagger-ui" in docs.text
            schema_url = re.search(r"url: '([^']+)'", docs.text)
            assert schema_url is not None and schema_url.group(1) == "/prefix/openapi.json"
            schema = httpx.get(base + schema_url.group(1)).json()
            # "Try it out" builds request URLs from servers[0].url + the operation path
            assert schema["servers"] == [{"url": "/prefix"}]
            assert "/v1/charts/{kind}" in schema["paths"]
            tried = httpx.get(base + schema["servers"][0]["url"] + CHART)
            assert tried.status_code == 200 and tried.headers["content-type"] == "image/png"
            assert decode(tried.content).size == (200, 120)
            assert tried.headers["ratelimit-policy"] == '"second";q=50;w=1, "minute";q=2000;w=60'
        finally:
            proxy.shutdown()
            proxy.server_close()
