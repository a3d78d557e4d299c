"""One number or text of a native request, checked: shared by ``params`` and ``axes``."""

from __future__ import annotations

import math

from chartographer.errors import InvalidParameter

#: numbers beyond this magnitude break axis layout; they are refused, not clipped
MAX_ABS_VALUE = 1e15
_GAPS = {"", "_", "null", "none"}


def parse_number(text: str, param: str) -> float | None:
    """One number of a list; empty, ``_`` or ``null`` is a gap."""
    item = text.strip()
    if item.lower() in _GAPS:
        return None
    try:
        value = float(item)
    except ValueError:
        raise InvalidParameter(
            f"{param}: {item[:30]!r} is not a number; expected comma-separated numbers "
            "such as 3,7,5",
            param=param,
        ) from None
    return check_number(value, param)


def check_number(value: float, param: str) -> float:
    if not math.isfinite(value) or abs(value) > MAX_ABS_VALUE:
        raise InvalidParameter(
            f"{param}: {value!r} is out of range; numbers must be finite with magnitude "
            f"at most {MAX_ABS_VALUE:g}",
            param=param,
        )
    return value


_CONTROL = dict.fromkeys([*range(0x20), 0x7F], None)


def clean_text(text: str | None) -> str | None:
    """Text as drawn: control characters removed (they have no glyph)."""
    return text.translate(_CONTROL) if text else text
