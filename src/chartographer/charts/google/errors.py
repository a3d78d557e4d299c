"""The Google front door's fatal error: 400, naming the parameter (Google's model)."""

from __future__ import annotations

from chartographer.errors import GoogleChartError

__all__ = ["GoogleChartError"]
