"""Checks on text from a request that the standard library gets subtly wrong.

``is_digits``: ``str.isdigit()`` is true for ``²`` and ``①``, which ``int()``
refuses, so a check with it let a 500 through (a map ``size=²x100``, a portal
form's ``overlap=²``); only ASCII digits pass here.

``is_one_line`` / ``one_line``: Pillow's shaper (raqm) fails on paragraph
separators (``\\n``, ``\\r``, U+001C–1E, U+0085, U+2029), so user text drawn by
Pillow (Google icons, map marker labels) is checked or cleaned here first: a
``%0A`` is a 4xx or a space, never a 500.
"""

from __future__ import annotations

import unicodedata


def is_digits(text: str) -> bool:
    """``text`` is one or more ASCII digits (what ``int()`` reads back unchanged)."""
    return text.isascii() and text.isdigit()


#: Unicode categories that do not belong inside one drawn line
_BREAKING = ("Cc", "Zl", "Zp")


def is_one_line(text: str) -> bool:
    """No control character, line or paragraph separator in ``text``."""
    return text.isprintable() or not any(unicodedata.category(c) in _BREAKING for c in text)


def one_line(text: str) -> str:
    """``text`` with each control character, line or paragraph separator as a space."""
    if is_one_line(text):
        return text
    return "".join(" " if unicodedata.category(c) in _BREAKING else c for c in text)
