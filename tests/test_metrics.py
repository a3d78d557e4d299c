"""/metrics: the series, their format, who may read them, and several worker processes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from chartographer.app import create_app
from tests.conftest import SettingsFactory
from tests.services import _unavailable, free_port, wait_for_port

CHART = "/v1/charts/bar?values=3,7,5&width=200&height=120"


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of an exposition, by name and sorted labels (parsing fails on bad text)."""
    out = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            out[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return out


def value(text: str, name: str, **labels: str) -> float:
    return samples(text).get((name, tuple(sorted(labels.items()))), 0.0)


def test_metrics_count_requests_renders_and_cache(client: TestClient) -> None:
    before = client.get("/metrics").text
    first = client.get(CHART + "&title=metrics-a")
    second = client.get(CHART + "&title=metrics-a")
    assert first.headers["x-cache"] == "MISS" and second.headers["x-cache"] == "HIT"
    assert client.get("/nowhere").status_code == 404
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=")
    after = response.text
    route = {"route": "/v1/charts/{kind}", "method": "GET", "status": "200"}
    assert value(after, "chartographer_http_requests_total", **route) - value(
        before, "chartographer_http_requests_total", **route
    ) == pytest.approx(2)
    assert (
        value(
            after,
            "chartographer_http_requests_total",
            route="unmatched",
            method="GET",
            status="404",
        )
        >= 1
    )
    count = "chartographer_http_request_duration_seconds_count"
    assert value(after, count, route="/v1/charts/{kind}", method="GET") >= 2
    renders = value(after, "chartographer_renders_total", kind="bar", format="png", outcome="ok")
    assert renders - value(
        before, "chartographer_renders_total", kind="bar", format="png", outcome="ok"
    ) == pytest.approx(1)
    assert value(after, "chartographer_render_duration_seconds_count", kind="bar", format="png")
    assert value(after, "chartographer_render_queue_wait_seconds_count") >= 1
    assert value(after, "chartographer_render_queue_depth") == 0
    hits = "chartographer_image_cache_requests_total"
    assert value(after, hits, tier="memory", result="hit") > value(
        before, hits, tier="memory", result="hit"
    )
    assert value(after, "chartographer_image_cache_bytes", tier="memory") > 0
    # the series the issue lists are all present, even before they move
    names = {family.name for family in text_string_to_metric_families(after)}
    for expected in (
        "chartographer_limiter_decisions",
        "chartographer_usage_backlog_rows",
        "chartographer_render_worker_restarts",
        "chartographer_usage_write_failures",
    ):
        assert expected in names


def test_promtool_accepts_the_exposition(client: TestClient) -> None:
    promtool = shutil.which("promtool")
    if promtool is None:
        _unavailable("promtool not installed (Debian package: prometheus)")
    client.get(CHART)
    text = client.get("/metrics").text
    result = subprocess.run(
        [promtool, "check", "metrics"], input=text, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_limiter_decisions_are_counted(make_settings: SettingsFactory) -> None:
    with TestClient(create_app(make_settings(open_limits=["2/minute"]))) as client:
        before = client.get("/metrics").text
        statuses = [client.get(CHART + f"&title=l{i}").status_code for i in range(3)]
        after = client.get("/metrics").text
    assert statuses == [200, 200, 429]
    name = "chartographer_limiter_decisions_total"
    for decision, expected in (("admitted", 2), ("rate_limited", 1)):
        delta = value(after, name, decision=decision) - value(before, name, decision=decision)
        assert delta == pytest.approx(expected)


def test_keys_mode_hides_metrics_unless_a_token_is_given(make_settings: SettingsFactory) -> None:
    secret = {"access_mode": "keys", "key_hash_secret": "test-pepper-0123456789"}
    with TestClient(create_app(make_settings(**secret))) as client:
        assert client.get("/metrics").status_code == 404
    with TestClient(create_app(make_settings(**secret, metrics_token="scrape-me"))) as client:
        assert client.get("/metrics").status_code == 404
        wrong = client.get("/metrics", headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 404
        right = client.get("/metrics", headers={"Authorization": "Bearer scrape-me"})
        assert right.status_code == 200
        assert "chartographer_http_requests_total" in right.text
    with TestClient(create_app(make_settings(**secret, metrics_public=True))) as client:
        assert client.get("/metrics").status_code == 200


def test_metrics_disabled_is_404(make_settings: SettingsFactory) -> None:
    with TestClient(create_app(make_settings(metrics=False))) as client:
        assert client.get("/metrics").status_code == 404


def test_separate_metrics_port(make_settings: SettingsFactory) -> None:
    port = free_port()
    with TestClient(create_app(make_settings(metrics_port=port))) as client:
        assert client.get(CHART).status_code == 200
        assert client.get("/metrics").status_code == 404  # not on the API port
        scraped = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=10)
        assert scraped.status_code == 200
        assert value(
            scraped.text,
            "chartographer_http_requests_total",
            route="/v1/charts/{kind}",
            method="GET",
            status="200",
        )
        assert httpx.get(f"http://127.0.0.1:{port}/other", timeout=10).status_code == 404
        head = httpx.head(f"http://127.0.0.1:{port}/metrics", timeout=10)
        assert head.status_code == 200 and head.content == b""


@pytest.fixture
def served_workers(tmp_path: Path) -> Iterator[str]:
    """``chartographer serve --workers 2`` with render worker processes, as shipped."""
    port = free_port()
    env = {
        **os.environ,
        "CHARTOGRAPHER_DATABASE_URL": f"sqlite:///{tmp_path / 'cg.db'}",
        "CHARTOGRAPHER_USAGE_JOURNAL_DIR": str(tmp_path / "journal"),
        "CHARTOGRAPHER_RENDER_PROCESSES": "1",
        "CHARTOGRAPHER_OPEN_LIMITS": "",
    }
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    args = [sys.executable, "-m", "chartographer.cli", "serve", "--port", str(port)]
    with (tmp_path / "serve.log").open("wb") as log:
        process = subprocess.Popen(
            [*args, "--workers", "2"], env=env, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            wait_for_port(port, timeout=60)
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while httpx.get(base + "/healthz", timeout=10).status_code != 200:  # pragma: no cover
                assert time.monotonic() < deadline
            yield base
        finally:
            process.terminate()
            process.wait(timeout=30)


@pytest.mark.slow
def test_counts_are_summed_over_worker_processes(served_workers: str) -> None:
    with httpx.Client(base_url=served_workers, timeout=30) as http:
        # new connections spread over the two workers
        for i in range(12):
            response = http.get(CHART + f"&title=w{i}", headers={"Connection": "close"})
            assert response.status_code == 200
        scrapes = [http.get("/metrics", headers={"Connection": "close"}).text for _ in range(4)]
    route = {"route": "/v1/charts/{kind}", "method": "GET", "status": "200"}
    for text in scrapes:  # whichever worker answers, it reports all twelve
        assert value(text, "chartographer_http_requests_total", **route) == 12
        assert (
            value(text, "chartographer_renders_total", kind="bar", format="png", outcome="ok") == 12
        )


def test_prepare_multiprocess_gives_workers_a_clean_directory(
    make_settings: SettingsFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chartographer import metrics

    monkeypatch.delenv(metrics.MULTIPROC_ENV, raising=False)
    metrics.prepare_multiprocess(make_settings(workers=1))
    assert metrics.MULTIPROC_ENV not in os.environ  # one process: nothing to share
    shared = tmp_path / "metrics"
    shared.mkdir()
    (shared / "counter_123.db").write_bytes(b"stale")
    metrics.prepare_multiprocess(make_settings(workers=3, metrics_dir=str(shared)))
    assert os.environ[metrics.MULTIPROC_ENV] == str(shared)
    assert list(shared.iterdir()) == []
    metrics.prepare_multiprocess(make_settings(workers=2))
    assert Path(os.environ[metrics.MULTIPROC_ENV]).name.startswith("chartographer-metrics-")


def test_multiprocess_exposition_and_dead_worker_cleanup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chartographer import metrics

    assert metrics.multiprocess_dir() is None  # this test process is single-process mode
    monkeypatch.setattr(metrics, "multiprocess_dir", lambda: str(tmp_path))
    dead = tmp_path / "gauge_livesum_999999999.db"
    dead.write_bytes(b"")
    alive = tmp_path / f"gauge_livesum_{os.getpid()}.db"
    alive.write_bytes(b"")
    metrics.forget_dead_processes()
    assert not dead.exists() and alive.exists()
    alive.unlink()
    body, content_type = metrics.exposition()
    assert body == b"" and content_type.startswith("text/plain")


def test_render_formats_outside_the_label_alphabet_are_other() -> None:
    from chartographer import metrics

    metrics.observe_render("bar", "image/Weird Format", 0.01)
    text = metrics.exposition()[0].decode()
    assert value(text, "chartographer_renders_total", kind="bar", format="other", outcome="ok")
