"""Chartographer: charts and static maps as images, by URL."""

__version__ = "0.1.0"
