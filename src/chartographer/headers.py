"""The one place where text from a request becomes a response header value.

HTTP header values must be visible ASCII: a control character (``%01`` in a
parameter name, CR/LF) makes the HTTP server refuse the response and drop the
connection, and anything outside latin-1 cannot be encoded at all. Every
warning goes through :func:`warning_header`, which escapes such characters the
way Python does (``\\x01``, ``\\u6771``) so they stay readable, and joins
several warnings into one field with ``; `` as the docs promise.
"""

from __future__ import annotations

from collections.abc import Iterable

WARNING = "X-Chartographer-Warning"
#: longest warning header value, in characters after escaping
MAX_WARNING = 2000
SEPARATOR = "; "

_ESCAPES = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _escape(char: str) -> str:
    if " " <= char <= "~":
        return char
    if char in _ESCAPES:
        return _ESCAPES[char]
    code = ord(char)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def header_safe(text: str, limit: int = MAX_WARNING) -> str:
    """``text`` as a header value: printable ASCII only, at most ``limit`` characters."""
    if text.isascii() and text.isprintable():
        return text[:limit]
    return "".join(_escape(c) for c in text)[:limit]


def warning_header(warnings: Iterable[str]) -> str | None:
    """One ``X-Chartographer-Warning`` value for all ``warnings`` (``None`` if there are none)."""
    parts = [w for w in warnings if w]
    return header_safe(SEPARATOR.join(parts)) if parts else None


def add_warnings(headers: dict[str, str], warnings: Iterable[str]) -> None:
    """Merge ``warnings`` into the one warning field of ``headers`` (in place)."""
    existing = [headers[WARNING]] if headers.get(WARNING) else []
    value = warning_header([*existing, *warnings])
    if value is not None:
        headers[WARNING] = value
