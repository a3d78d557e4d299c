"""Calendar quotas (daily, monthly, UTC) and the windows a plan is made of.

A rate window (``20/second``) and a calendar quota (``10000`` a month) are both
counted the same way: one counter per *period*, named by the period it covers.
For rate windows the period is ``floor(now / window)``; for quotas it is the UTC
date or month — so a month is a calendar month (28–31 days) and the counter
resets exactly at 00:00 UTC on the 1st, not 30 days after the first call.
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from limits import RateLimitItem, parse_many

_WINDOW_NAMES = {1: "second", 60: "minute", 3600: "hour", 86400: "day"}


@dataclass(frozen=True)
class Window:
    """One counted limit: ``amount`` calls per period of kind ``kind``."""

    name: str
    amount: int
    kind: str  # "rate", "daily" or "monthly"
    seconds: int = 0  # rate windows only

    def period(self, now: float) -> tuple[str, int, int]:
        """(period id, seconds until it ends, the period's length) at unix time ``now``."""
        if self.kind == "rate":
            index = int(now // self.seconds)
            reset = math.ceil((index + 1) * self.seconds - now)
            return str(index), max(reset, 1), self.seconds
        moment = datetime.fromtimestamp(now, UTC)
        if self.kind == "daily":
            start = datetime(moment.year, moment.month, moment.day, tzinfo=UTC).timestamp()
            return moment.strftime("%Y-%m-%d"), max(math.ceil(start + 86400 - now), 1), 86400
        days = calendar.monthrange(moment.year, moment.month)[1]
        start = datetime(moment.year, moment.month, 1, tzinfo=UTC).timestamp()
        length = days * 86400
        return moment.strftime("%Y-%m"), max(math.ceil(start + length - now), 1), length


def _window_name(item: RateLimitItem, taken: set[str]) -> str:
    seconds = item.get_expiry()
    name = _WINDOW_NAMES.get(seconds, f"{seconds}s")
    while name in taken:
        name += "+"
    return name


def parse_limits(limits: Sequence[str]) -> list[Window]:
    """Parse ``["20/second", "1000/minute"]`` (or ``"20/second;1000/minute"``) into windows.

    Raises ValueError naming the bad entry.
    """
    windows: list[Window] = []
    taken: set[str] = set()
    for text in limits:
        try:
            items = parse_many(text)
        except ValueError as exc:
            raise ValueError(f"not a rate limit: {text!r} (use e.g. 20/second)") from exc
        for item in items:
            name = _window_name(item, taken)
            taken.add(name)
            windows.append(Window(name, item.amount, "rate", item.get_expiry()))
    return windows


def plan_windows(limits: Sequence[str], daily: int | None, monthly: int | None) -> list[Window]:
    """All windows of a plan: rate windows first, then calendar quotas."""
    windows = parse_limits(limits)
    if daily:
        windows.append(Window("daily", daily, "daily"))
    if monthly:
        windows.append(Window("monthly", monthly, "monthly"))
    return windows
