"""Keep credentials out of logs: ``key=…``, ``k%65y=…``, ``signature=…`` become ``…=***``.

Names are compared *decoded*, as the gate reads them: ``k%65y`` and
``%6B%65%79`` are ``key`` to every URL parser, so they authenticate and must be
redacted too. The functions are plain and reusable (any log formatter can call
:func:`redact`, :func:`redact_query` or :func:`redact_headers`); the
:class:`RedactSecrets` filter is installed on uvicorn's loggers while the app
runs, because uvicorn's access log prints the full request target.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import TypeVar
from urllib.parse import unquote_plus

#: query parameters that carry a credential (compared decoded, case-insensitively)
CREDENTIAL_PARAMS = frozenset(
    {
        "key",
        "api_key",
        "apikey",
        "signature",
        "sig",
        "client",
        "token",
        "access_token",
        "id_token",
        "refresh_token",
        "code",  # an OAuth/OIDC authorisation code
        "password",
        "secret",
    }
)
#: request headers that carry a credential
CREDENTIAL_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "x-api-key", "cookie", "set-cookie"}
)
MASK = "***"

# a query string: after "?" up to whitespace, a quote or "#" (or a whole bare query)
_QUERY = re.compile(r"\?([^\s\"'#<>]*)")
_BEARER = re.compile(r"(?i)(bearer\s+)\S+")


def _decoded(name: str) -> str:
    """A parameter name as a server would read it; decoded until stable (at most 3 times)."""
    for _ in range(3):
        decoded = unquote_plus(name)
        if decoded == name:
            break
        name = decoded
    return name.strip().lower()


def is_credential(name: str) -> bool:
    """Is the (raw, possibly percent-encoded) parameter name a credential?"""
    return _decoded(name) in CREDENTIAL_PARAMS


#: queries that redaction leaves unchanged, remembered (so they hold no credential)
CLEAN_QUERIES = 4096
#: longer queries are redacted every time (rarely repeated, and they would cost memory)
MAX_CLEAN_QUERY = 2048
_clean: set[str] = set()


def redact_query(query: str) -> str:
    """``a=1&k%65y=cg_live_x`` → ``a=1&k%65y=***``: names decoded, separators kept.

    A query that comes out unchanged carries no credential; the repeated ones
    (a page's chart URLs, each logged on every request) are remembered in a
    bounded set and returned at once. A query with a credential is never kept.
    """
    if query in _clean:
        return query
    parts = re.split(r"([&;])", query)
    for i in range(0, len(parts), 2):
        name, sep, _ = parts[i].partition("=")
        if sep and is_credential(name):
            parts[i] = f"{name}={MASK}"
    redacted = "".join(parts)
    if redacted == query and len(query) <= MAX_CLEAN_QUERY:
        if len(_clean) >= CLEAN_QUERIES:
            _clean.clear()
        _clean.add(query)
    return redacted


def redact(text: str) -> str:
    """Redact every query string in ``text`` (``/chart?key=x`` → ``/chart?key=***``) and Bearer
    tokens; a text without ``?`` is treated as a bare query when it has ``=`` in it."""
    if "?" in text:
        text = _QUERY.sub(lambda m: "?" + redact_query(m.group(1)), text)
    elif "=" in text and not any(c.isspace() for c in text):
        text = redact_query(text)
    return _BEARER.sub(rf"\1{MASK}", text)


H = TypeVar("H", str, bytes)


def redact_headers(headers: Sequence[tuple[H, H]]) -> list[tuple[H, H]]:
    """Header pairs (str or ASGI bytes) with credential values masked, URLs redacted."""
    out: list[tuple[H, H]] = []
    for name, value in headers:
        text_name = name.decode("latin-1") if isinstance(name, bytes) else name
        text = value.decode("latin-1") if isinstance(value, bytes) else value
        clean = MASK if text_name.lower() in CREDENTIAL_HEADERS else redact(text)
        out.append((name, clean.encode("latin-1") if isinstance(value, bytes) else clean))
    return out


class RedactSecrets(logging.Filter):
    """A logging filter that redacts credentials in a record's message and args."""

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
