"""``GET /metrics`` on the main port, or on a port of its own (``metrics_port``).

On the main port the route follows :func:`chartographer.metrics.authorized`
(public in open mode; in keys mode only with the metrics token or when made
public). With ``metrics_port`` set, the main port answers 404 and a minimal
HTTP listener on ``metrics_host:metrics_port`` serves the text format to
whoever can reach that (private) address. Every uvicorn worker binds it with
``SO_REUSEPORT``; any of them answers for all, since the values are shared.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from fastapi import APIRouter, Request, Response
from starlette.exceptions import HTTPException

from chartographer import metrics
from chartographer.config import Settings

log = logging.getLogger(__name__)
router = APIRouter()
_MAX_HEAD = 8192


@router.get("/metrics", include_in_schema=False)
async def metrics_route(request: Request) -> Response:
    settings: Settings = request.app.state.settings
    if settings.metrics_port is not None:
        raise HTTPException(404)
    if not metrics.authorized(settings, request.headers.get("authorization")):
        raise HTTPException(404)
    metrics.forget_dead_processes()
    body, content_type = metrics.exposition()
    return Response(body, media_type=content_type, headers={"Cache-Control": "no-store"})


async def _answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout=5)
        method, _, rest = head[:_MAX_HEAD].partition(b" ")
        target = rest.partition(b" ")[0].partition(b"?")[0]
        if method in (b"GET", b"HEAD") and target == b"/metrics":
            body, content_type = metrics.exposition()
            status = b"200 OK"
        else:
            body, content_type, status = b"not found\n", "text/plain", b"404 Not Found"
        writer.write(
            b"HTTP/1.1 " + status + b"\r\nContent-Type: " + content_type.encode() + b"\r\n"
            b"Content-Length: " + str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n"
        )
        if method != b"HEAD":
            writer.write(body)
        await writer.drain()
    except (TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, OSError):
        pass
    finally:
        writer.close()
        with contextlib.suppress(OSError):
            await writer.wait_closed()


async def start_server(settings: Settings) -> asyncio.Server | None:
    """The separate metrics listener, when ``metrics_port`` is set."""
    if settings.metrics_port is None:
        return None
    server = await asyncio.start_server(
        _answer,
        settings.metrics_host,
        settings.metrics_port,
        reuse_port=True,
        limit=_MAX_HEAD,
    )
    log.info("metrics on http://%s:%d/metrics", settings.metrics_host, settings.metrics_port)
    return server
