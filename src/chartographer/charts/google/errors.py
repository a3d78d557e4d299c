"""The Google front door's fatal error: 400, naming the parameter (Google's model)."""

from __future__ import annotations

from chartographer.errors import ChartographerError


class GoogleChartError(ChartographerError):
    """A Google Image Charts parameter that cannot be drawn at all."""

    status = 400
    type = "invalid-chart-parameter"
    title = "Invalid chart parameter"
