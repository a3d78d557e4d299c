"""Keep keys and signatures out of logs: ``key=…``/``signature=…`` become ``key=***``.

Uvicorn's access log prints the full request target, query string included, so
the filter is installed on the ``uvicorn.access`` logger while the app runs.
"""

from __future__ import annotations

import logging
import re

_SECRET_PARAMS = re.compile(r"(?i)((?:^|[?&;])(?:key|signature)=)[^&;#\s\"]*")
_BEARER = re.compile(r"(?i)(bearer\s+)\S+")


def redact(text: str) -> str:
    """``/chart?key=cg_live_x&a=1`` → ``/chart?key=***&a=1`` (and Bearer tokens)."""
    return _BEARER.sub(r"\1***", _SECRET_PARAMS.sub(r"\1***", text))


class RedactSecrets(logging.Filter):
    """A logging filter that redacts keys and signatures in a record's message and args."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        return True


ACCESS_LOGGERS = ("uvicorn.access", "uvicorn.error")
_FILTER = RedactSecrets()


def install() -> None:
    for name in ACCESS_LOGGERS:
        logging.getLogger(name).addFilter(_FILTER)


def uninstall() -> None:
    for name in ACCESS_LOGGERS:
        logging.getLogger(name).removeFilter(_FILTER)
