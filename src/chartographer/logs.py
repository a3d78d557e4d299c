"""Logging: text or one JSON object per line, every record tagged with its request id.

``chartographer serve`` hands :func:`log_config` to the ASGI server, so the
server's own loggers and the application's share one format. Every record
passes through the credential redaction of :mod:`chartographer.access.redact`
(the formatter redacts the final message, so nothing formatted late escapes).
"""

from __future__ import annotations

import json
import logging
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from chartographer.access.redact import redact
from chartographer.config import Settings

#: the id of the request being served (set by ``ObservabilityMiddleware``)
REQUEST_ID: ContextVar[str | None] = ContextVar("chartographer_request_id", default=None)

# attributes every LogRecord has; anything else was passed as ``extra=``
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "color_message"}


class RequestIdFilter(logging.Filter):
    """Adds ``record.request_id`` (``-`` outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = REQUEST_ID.get() or "-"
        return True


class JsonFormatter(logging.Formatter):
    """``{"ts", "level", "logger", "message", "request_id", …extra}`` on one line."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": redact(record.getMessage()),
            "request_id": getattr(record, "request_id", None) or REQUEST_ID.get(),
        }
        for name, value in vars(record).items():
            if name not in _STANDARD and name not in entry and name != "request_id":
                entry[name] = redact(value) if isinstance(value, str) else value
        if record.exc_info:
            entry["exception"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, default=str, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """The classic line, with the request id and redaction."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        if not hasattr(record, "request_id"):
            record.request_id = REQUEST_ID.get() or "-"
        return redact(super().format(record))


def app_writes_access_log(settings: Settings) -> bool:
    """Does the app write the access line (else the server does: uvicorn with text logs)?

    Granian writes no access log of its own; uvicorn's JSON-less line has no
    request id or duration, so with JSON logs the app writes it instead.
    """
    return settings.log_format == "json" or settings.server == "granian"


def log_config(settings: Settings) -> dict[str, Any]:
    """A ``logging.config.dictConfig`` for the server and the app."""
    formatter = "json" if settings.log_format == "json" else "text"
    level = settings.log_level.upper()
    handler = {
        "class": "logging.StreamHandler",
        "formatter": formatter,
        "filters": ["request_id"],
        "stream": "ext://sys.stderr",
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": RequestIdFilter}},
        "formatters": {
            "json": {"()": JsonFormatter},
            "text": {"()": TextFormatter},
        },
        "handlers": {"default": handler},
        "loggers": {
            "uvicorn": {"handlers": ["default"], "level": level, "propagate": False},
            "uvicorn.error": {"level": level},
            "uvicorn.access": {"handlers": ["default"], "level": level, "propagate": False},
            "chartographer": {"handlers": ["default"], "level": level, "propagate": False},
        },
        "root": {"handlers": ["default"], "level": "WARNING"},
    }
