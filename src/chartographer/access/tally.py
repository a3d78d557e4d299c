"""What usage metering counts: the key of one counter and its tally (no I/O).

Shared by the writer (``usage``), the journal and the repository, which is why
it lives apart from all three.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

UsageKey = tuple[int, str, date, str]  # subscription id, key label, day, route


@dataclass
class Tally:
    requests: int = 0
    cache_hits: int = 0
    bytes: int = 0
    render_ms: float = 0.0

    def add(self, other: Tally) -> None:
        self.requests += other.requests
        self.cache_hits += other.cache_hits
        self.bytes += other.bytes
        self.render_ms += other.render_ms
