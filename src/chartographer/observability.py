"""The outermost middleware: request id, request metrics and the access log.

Pure ASGI (no ``BaseHTTPMiddleware``, no per-request objects beyond a closure):
it reads ``X-Request-ID`` from the request when it is a sane token (else makes
one), returns it on the response, makes it visible to every log record of the
request (:data:`chartographer.logs.REQUEST_ID`), and after the last byte counts
the request by route *template* (``/v1/charts/{kind}``, never the raw path, so
the series stay bounded) and status. It also writes the access log line
itself whenever the server does not (:func:`chartographer.logs.app_writes_access_log`:
JSON logs, and Granian, which writes none of its own), redacted like every other
record: ``127.0.0.1 - "GET /v1/charts/bar?key=***" 200 4.2 ms`` in text, tagged
with the request id by the formatter, or those fields in JSON.
"""

from __future__ import annotations

import itertools
import logging
import os
import re
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from chartographer import metrics
from chartographer.access.redact import redact_query
from chartographer.logs import REQUEST_ID

access_log = logging.getLogger("chartographer.access")
_HEADER = b"x-request-id"
_SANE_ID = re.compile(rb"[A-Za-z0-9._:@/+=-]{1,128}")
# new ids: a random per-process prefix and a counter (unique, 32 hex digits, and
# far cheaper than a uuid4 syscall per request)
_PREFIX = os.urandom(8).hex()
_SEQUENCE = itertools.count(1)


def _reseed() -> None:  # a forked child (e.g. a pre-forking server) gets its own prefix
    global _PREFIX, _SEQUENCE
    _PREFIX, _SEQUENCE = os.urandom(8).hex(), itertools.count(1)


os.register_at_fork(after_in_child=_reseed)


class _Active:
    """HTTP requests this process is handling now (the event loop is one thread)."""

    count = 0


def requests_in_progress() -> int:
    """Requests between this middleware's entry and its exit, in this process."""
    return _Active.count


def request_id_from(headers: list[tuple[bytes, bytes]]) -> str:
    """The caller's ``X-Request-ID`` if it is a short plain token, else a new one."""
    for name, value in headers:
        if name == _HEADER:
            if _SANE_ID.fullmatch(value):
                return value.decode("ascii")
            break
    return f"{_PREFIX}{next(_SEQUENCE):016x}"


class ObservabilityMiddleware:
    """Request id in and out, one metrics observation (and optionally a log line) per request."""

    def __init__(self, app: ASGIApp, *, access_log: bool = False) -> None:
        self.app = app
        self.access_log = access_log

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        rid = request_id_from(scope["headers"])
        token = REQUEST_ID.set(rid)
        scope.setdefault("state", {})["request_id"] = rid
        status = 500  # what the client sees when the app fails before answering
        raw_id = rid.encode("ascii")
        _Active.count += 1

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", ()), (_HEADER, raw_id)]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            _Active.count -= 1  # first: a failing metric or log line must not leave it counted
            elapsed = time.perf_counter() - started
            route = scope.get("route")
            template = getattr(route, "path", None) or "unmatched"
            metrics.observe_request(template, scope["method"], status, elapsed)
            if self.access_log:
                self._log(scope, status, elapsed)
            REQUEST_ID.reset(token)

    @staticmethod
    def _log(scope: Scope, status: int, elapsed: float) -> None:
        query = scope.get("query_string", b"")
        target = scope.get("root_path", "") + scope["path"]
        if query:  # redacted here, not only by the formatter: every handler sees it clean
            target += "?" + redact_query(query.decode("latin-1"))
        client: Any = scope.get("client")
        duration_ms = round(elapsed * 1000, 3)
        access_log.info(
            '%s - "%s %s" %d %.1f ms',
            client[0] if client else "-",
            scope["method"],
            target,
            status,
            duration_ms,
            extra={
                "http_method": scope["method"],
                "http_target": target,
                "http_status": status,
                "duration_ms": duration_ms,
                "client": client[0] if client else None,
            },
        )
