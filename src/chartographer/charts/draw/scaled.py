"""Log and time axes on the canvas: the scales and guides they change in a frame.

``charts.draw.cartesian`` builds a frame's linear scales and guides; when the
spec asks for ``y_scale="log"``, ``x_scale="log"`` or ``x_scale="time"``,
:func:`rescale` swaps in a :class:`LogScale` and the ticks of
``charts.scales`` before any point is placed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Protocol

import numpy as np

from chartographer.charts.artists.guides import Guide
from chartographer.charts.draw.axes import Plot, Scale
from chartographer.charts.labels import estimate_width
from chartographer.charts.layout import DPI
from chartographer.charts.scales import LOG_PAD, log_limits, log_ticks, time_ticks
from chartographer.charts.spec import ChartSpec


class Frame(Protocol):
    """What :func:`rescale` changes of a ``charts.draw.cartesian.Frame``."""

    plot: Plot
    x: Scale
    y: Scale
    guides: list[tuple[Guide, Scale, tuple[float, float]]]


@dataclass(frozen=True)
class LogScale(Scale):
    """Data ``lo``→``start``, ``hi``→``end`` on log10 (both > 0); values ≤ 0 go to ``lo``."""

    def __call__(self, value: float) -> float:
        if math.isnan(value):
            return value
        low, high = math.log10(self.lo), math.log10(self.hi)
        at = math.log10(value) if value > 0 else low
        return self.start + (at - low) / (high - low) * (self.end - self.start)

    def many(self, values: np.ndarray) -> np.ndarray:
        low, high = math.log10(self.lo), math.log10(self.hi)
        safe = np.where(np.isnan(values) | (values > 0), values, self.lo)
        with np.errstate(invalid="ignore"):
            at = np.log10(safe)
        result: np.ndarray = self.start + (at - low) / (high - low) * (self.end - self.start)
        return result


def rescale(spec: ChartSpec, fonts: dict[str, float], frame: Frame) -> None:
    """Swap the linear y (and x) scale and guide of ``frame`` for the log or time ones."""
    if spec.y_scale == "log" and not spec.horizontal:
        positive = [v for s in spec.series for v in s.values if v is not None and v > 0]
        frame.y = _log_guide(spec, fonts, frame.plot, positive, "y", frame, 0)
    if spec.x_scale == "log":
        positive = [
            x
            for s in spec.series
            for x, v in zip(s.x or (), s.values, strict=False)
            if x is not None and x > 0 and v is not None
        ]
        frame.x = _log_guide(spec, fonts, frame.plot, positive, "x", frame, 1)
    if spec.x_scale == "time":
        guide, x, limits = frame.guides[1]
        frame.guides[1] = (_time_guide(spec, guide, x, frame.plot), x, limits)


def _log_guide(
    spec: ChartSpec,
    fonts: dict[str, float],
    plot: Plot,
    positive: list[float],
    axis: str,
    frame: Frame,
    index: int,
) -> Scale:
    chosen = spec.y_axis if axis == "y" else spec.x_axis
    lo, hi = log_limits(positive, chosen.min, chosen.max, LOG_PAD.get(spec.kind.value, 0.0))
    size = chosen.font_size or fonts["tick"]
    if axis == "y":
        positions, labels = log_ticks(lo, hi, plot.height, size * DPI / 72 * 1.2)
        scale = LogScale(lo, hi, plot.bottom, plot.top)
    else:  # labels side by side: a decade must hold the widest label
        positions, labels = log_ticks(lo, hi, plot.width, estimate_width("100K", size) * 1.5)
        scale = LogScale(lo, hi, plot.left, plot.right)
    guide, _old, _limits = frame.guides[index]
    shown = labels if chosen.visible else []
    aligns = edge_aligns(spec, positions, labels, scale, size) if axis == "x" else []
    guide = replace(guide, positions=positions, labels=shown, aligns=aligns)
    frame.guides[index] = (guide, scale, (lo, hi))
    return scale


def edge_aligns(
    spec: ChartSpec, positions: list[float], labels: list[str], scale: Scale, size: float
) -> list[int]:
    """Centred labels, except those that would cross the image edge: turned inward."""
    aligns = []
    for at, label in zip(positions, labels, strict=True):
        half = estimate_width(label, size) / 2
        px = scale(at)
        aligns.append(-1 if px - half < 2 else (1 if px + half > spec.width - 2 else 0))
    return aligns


def _time_guide(spec: ChartSpec, guide: Guide, x: Scale, plot: Plot) -> Guide:
    """Calendar ticks for the x range; labels at the image edges turned inward."""
    size = spec.x_axis.font_size or guide.font_size

    def measure(text: str) -> float:
        return estimate_width(text, size)

    lo, hi = sorted((x.lo, x.hi))
    room = (plot.left, spec.width - plot.left - plot.width)  # to the image edges
    _step, positions, labels = time_ticks(lo, hi, plot.width, measure, room)
    aligns = edge_aligns(spec, positions, labels, x, size)
    shown = labels if spec.x_axis.visible else []
    return replace(guide, positions=positions, labels=shown, aligns=aligns, tick_length=3.0)
