"""Prometheus metrics: the series, the ``/metrics`` endpoint and multiprocess support.

The series are module-level objects in a private registry; code that counts
imports them and calls ``inc``/``observe`` (a lock and a float add: about a
microsecond). With ``--workers N`` every uvicorn worker is its own process, so
``chartographer serve`` points ``PROMETHEUS_MULTIPROC_DIR`` at a fresh directory
before the workers start (:func:`prepare_multiprocess`); prometheus-client then
keeps each process's values in a memory-mapped file there and a scrape of any
worker sums them all (:func:`exposition`). Render worker processes record
nothing themselves: the parent measures queue wait and render time around each
call (a render's own duration travels back with its result), so the pool needs
no metrics plumbing.

Series (all prefixed ``chartographer_``)::

    http_requests_total{route,method,status}        counter
    http_request_duration_seconds{route,method}     histogram
    renders_total{kind,format,outcome}              counter   outcome: ok|timeout|error
    render_duration_seconds{kind,format}            histogram time inside the worker
    render_queue_wait_seconds                       histogram time before a worker took it
    render_queue_depth                              gauge     renders queued or running
    render_worker_restarts_total{reason}            counter   timeout|died
    image_cache_requests_total{tier,result}         counter   tier: memory|redis; hit|miss|error
    image_cache_bytes{tier}                         gauge     bytes held by the memory cache
    limiter_decisions_total{decision}               counter   admitted|rate_limited|
                                                              quota_exceeded|store_error|denied
    usage_backlog_rows                              gauge     metered rows not yet in the database
    usage_journal_bytes                             gauge     unflushed bytes in the usage journal
    usage_write_failures_total                      counter
"""

from __future__ import annotations

import contextlib
import hmac
import os
import re
from pathlib import Path

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

from chartographer.config import Settings
from chartographer.metrics_setup import MULTIPROC_ENV, prepare_multiprocess

__all__ = ["MULTIPROC_ENV", "prepare_multiprocess"]  # re-exported from metrics_setup
REGISTRY = CollectorRegistry(auto_describe=True)
_NS = "chartographer"
_LATENCY = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

HTTP_REQUESTS = Counter(
    "http_requests",
    "HTTP requests answered, by route template, method and status",
    ["route", "method", "status"],
    namespace=_NS,
    registry=REGISTRY,
)
HTTP_DURATION = Histogram(
    "http_request_duration_seconds",
    "Time from request to the last response byte, by route template and method",
    ["route", "method"],
    namespace=_NS,
    buckets=_LATENCY,
    registry=REGISTRY,
)
RENDERS = Counter(
    "renders",
    "Renders run (cache misses), by kind, format and outcome",
    ["kind", "format", "outcome"],
    namespace=_NS,
    registry=REGISTRY,
)
RENDER_DURATION = Histogram(
    "render_duration_seconds",
    "Time a render took inside its worker, by kind and format",
    ["kind", "format"],
    namespace=_NS,
    buckets=_LATENCY,
    registry=REGISTRY,
)
QUEUE_WAIT = Histogram(
    "render_queue_wait_seconds",
    "Time a render waited for a worker process",
    namespace=_NS,
    buckets=(0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
    registry=REGISTRY,
)
QUEUE_DEPTH = Gauge(
    "render_queue_depth",
    "Renders queued or running",
    namespace=_NS,
    multiprocess_mode="livesum",
    registry=REGISTRY,
)
RENDERS_INLINE = Counter(
    "renders_inline",
    "Renders of bounded cost run in the server process because no worker was busy",
    namespace=_NS,
    registry=REGISTRY,
)
WORKER_RESTARTS = Counter(
    "render_worker_restarts",
    "Render worker processes replaced, by reason (timeout: killed over budget; died)",
    ["reason"],
    namespace=_NS,
    registry=REGISTRY,
)
CACHE = Counter(
    "image_cache_requests",
    "Image cache lookups by tier (memory, redis) and result (hit, miss, error)",
    ["tier", "result"],
    namespace=_NS,
    registry=REGISTRY,
)
CACHE_BYTES = Gauge(
    "image_cache_bytes",
    "Bytes of images held by the in-process cache",
    ["tier"],
    namespace=_NS,
    multiprocess_mode="livesum",
    registry=REGISTRY,
)
LIMITER = Counter(
    "limiter_decisions",
    "Access decisions: admitted, rate_limited, quota_exceeded, store_error, denied",
    ["decision"],
    namespace=_NS,
    registry=REGISTRY,
)
USAGE_BACKLOG = Gauge(
    "usage_backlog_rows",
    "Metered usage rows waiting to be written to the database",
    namespace=_NS,
    multiprocess_mode="livesum",
    registry=REGISTRY,
)
USAGE_JOURNAL_BYTES = Gauge(
    "usage_journal_bytes",
    "Bytes in the local usage journal not yet written to the database",
    namespace=_NS,
    multiprocess_mode="livesum",
    registry=REGISTRY,
)
USAGE_WRITE_FAILURES = Counter(
    "usage_write_failures",
    "Usage writes the database refused (kept and retried)",
    namespace=_NS,
    registry=REGISTRY,
)

# children bound once: the hot path does no label lookups for these
CACHE_MEMORY_HIT = CACHE.labels("memory", "hit")
CACHE_MEMORY_MISS = CACHE.labels("memory", "miss")
CACHE_REDIS_HIT = CACHE.labels("redis", "hit")
CACHE_REDIS_MISS = CACHE.labels("redis", "miss")
CACHE_REDIS_ERROR = CACHE.labels("redis", "error")
MEMORY_BYTES = CACHE_BYTES.labels("memory")
LIMITER_DECISIONS = {
    name: LIMITER.labels(name)
    for name in ("admitted", "rate_limited", "quota_exceeded", "store_error", "denied")
}
_DECISION_BY_ERROR = {
    "rate-limited": "rate_limited",
    "quota-exceeded": "quota_exceeded",
    "limiter-unavailable": "store_error",
}


def count_refusal(error_type: str) -> None:
    """Count an access refusal by its problem type."""
    LIMITER_DECISIONS[_DECISION_BY_ERROR.get(error_type, "denied")].inc()


_route_series: dict[tuple[str, str, int], tuple[Counter, Histogram]] = {}


def observe_request(route: str, method: str, status: int, seconds: float) -> None:
    """Count one answered request (children cached by label set)."""
    key = (route, method, status)
    children = _route_series.get(key)
    if children is None:
        children = (
            HTTP_REQUESTS.labels(route, method, str(status)),
            HTTP_DURATION.labels(route, method),
        )
        _route_series[key] = children
    children[0].inc()
    children[1].observe(seconds)


_SAFE_FORMAT = re.compile(r"[a-z0-9+.-]{1,20}")


def observe_render(kind: str, media_type: str, seconds: float) -> None:
    fmt = media_type.rpartition("/")[2].split("+")[0]
    if not _SAFE_FORMAT.fullmatch(fmt):
        fmt = "other"
    RENDERS.labels(kind, fmt, "ok").inc()
    RENDER_DURATION.labels(kind, fmt).observe(seconds)


def multiprocess_dir() -> str | None:
    """The directory prometheus-client was imported with (``None``: single process)."""
    from prometheus_client import values

    if values.ValueClass.__name__ == "MmapedValue":
        return os.environ.get(MULTIPROC_ENV)
    return None


def forget_dead_processes() -> None:
    """Drop the live gauges of worker processes that no longer exist (a restarted worker)."""
    directory = multiprocess_dir()
    if directory is None:
        return
    for file in Path(directory).glob("gauge_live*_*.db"):
        pid = int(file.stem.rpartition("_")[2])
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            multiprocess.mark_process_dead(pid, directory)  # type: ignore[no-untyped-call]
        except PermissionError:  # pragma: no cover - another user's live process
            pass


def exposition() -> tuple[bytes, str]:
    """The text exposition of every series (summed over processes in multiprocess mode)."""
    directory = multiprocess_dir()
    if directory is None:
        return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry, path=directory)  # type: ignore[no-untyped-call]
    with contextlib.suppress(FileNotFoundError):  # a worker's file vanishing mid-scrape
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(registry), CONTENT_TYPE_LATEST  # pragma: no cover


def authorized(settings: Settings, authorization: str | None) -> bool:
    """May this caller read ``/metrics`` on the main port?

    Open mode: yes. Keys mode: only with ``Authorization: Bearer <metrics_token>``
    or when the operator made it public (``metrics_public``).
    """
    if settings.access_mode == "open" or settings.metrics_public:
        return True
    token = settings.metrics_token
    if token is None or not authorization:
        return False
    scheme, _, value = authorization.partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(
        value.strip().encode(), token.get_secret_value().encode()
    )
