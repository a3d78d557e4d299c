"""Run the app under Granian with the connection and header limits from :class:`Settings`.

Chosen over uvicorn by measurement (``python -m bench.servers``, see
``docs/deployment.md``): Granian answers an oversized request head with 431
without buffering it, closes connections that do not finish their head within
``server_header_timeout`` (slowloris), bounds concurrent requests per worker
(``server_max_concurrency``; the rest wait in the kernel backlog), and serves
more requests per second. uvicorn has no header timeout and, with httptools,
no header size limit; it stays available with ``CHARTOGRAPHER_SERVER=uvicorn``.
"""

from __future__ import annotations

from typing import Any

from chartographer.config import Settings
from chartographer.logs import log_config

APP = "chartographer.app:create_app"


def granian_options(settings: Settings) -> dict[str, Any]:
    """Keyword arguments for :class:`granian.Granian` (also what the docs list)."""
    from granian.constants import HTTPModes, Interfaces
    from granian.http import HTTP1Settings
    from granian.log import LogLevels

    level = settings.log_level.lower()
    return {
        "target": APP,
        "factory": True,
        "interface": Interfaces.ASGI,
        "address": settings.host,
        "port": settings.port,
        "workers": settings.workers,
        "http": HTTPModes.http1,
        "websockets": False,
        "backlog": settings.server_backlog,
        "backpressure": settings.server_max_concurrency,
        "http1_settings": HTTP1Settings(
            header_read_timeout=int(settings.server_header_timeout * 1000),
            max_buffer_size=settings.server_max_header_bytes,
        ),
        "log_level": LogLevels(level) if level in LogLevels._value2member_map_ else LogLevels.info,
        "respawn_failed_workers": True,
        # a worker that got SIGTERM while it was still starting (a respawn, a rolling
        # restart) never stops by itself: Granian kills it after this long
        "workers_kill_timeout": settings.server_shutdown_timeout,
        # the app's log format (text or JSON, request ids, redaction) in every worker
        "log_dictconfig": log_config(settings),
    }


def run_granian(settings: Settings) -> None:  # pragma: no cover - blocks; run by a subprocess test
    from granian import Granian

    Granian(**granian_options(settings)).serve()
