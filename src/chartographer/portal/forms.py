"""Reading submitted forms: CSRF first, then plain strings with a length cap.

Form handlers never trust a field to exist or to be text: a missing field is
an empty string, an over-long one is an error next to that field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from fastapi import Request
from starlette.datastructures import FormData

from chartographer.portal.security import check_csrf
from chartographer.usertext import is_digits

MAX_FIELD = 10_000


class FormError(ValueError):
    """A field's value is not acceptable; shown next to the field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass
class Form:
    data: FormData
    errors: dict[str, str] = field(default_factory=dict)

    def text(self, name: str, max_length: int = 500) -> str:
        value = self.data.get(name)
        if not isinstance(value, str):
            return ""
        if len(value) > max_length:
            self.errors.setdefault(name, f"use at most {max_length} characters")
            return ""
        return value

    def integer(self, name: str, low: int, high: int, default: int | None = None) -> int:
        raw = self.text(name, 20).strip()
        if not raw and default is not None:
            return default
        if not is_digits(raw) or not low <= int(raw) <= high:
            self.errors.setdefault(name, f"enter a whole number from {low} to {high}")
            return low
        return int(raw)

    def date(self, name: str) -> datetime | None:
        """``YYYY-MM-DD`` (end of that day, UTC) or empty for none."""
        raw = self.text(name, 20).strip()
        if not raw:
            return None
        try:
            day = datetime.strptime(raw, "%Y-%m-%d").replace(tzinfo=UTC)
        except ValueError:
            self.errors.setdefault(name, "enter a date as YYYY-MM-DD")
            return None
        return day.replace(hour=23, minute=59, second=59)

    def values(self, *names: str) -> dict[str, str]:
        """Submitted values to put back into the form (never passwords)."""
        out = {}
        for name in names:
            value = self.data.get(name)
            out[name] = value[:MAX_FIELD] if isinstance(value, str) else ""
        return out


async def read_form(request: Request) -> Form:
    """The submitted form, after the CSRF check (:class:`CsrfError` otherwise)."""
    data = await request.form(max_files=0, max_fields=50, max_part_size=64 * 1024)
    check_csrf(request, data.get("csrf_token"))
    return Form(data)
