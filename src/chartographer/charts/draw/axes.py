"""The plot rectangle, data→pixel scales and axis guides on a :class:`Canvas`.

The legacy renderer places an ``Axes`` at the margins ``charts.layout``
computes and lets matplotlib map data to pixels; here a :class:`Scale` does
that mapping and :func:`draw_guide` draws what ``charts.guides.draw_guide``
draws (grid, axis line, tick marks, labels), in the same places.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from matplotlib.path import Path
from matplotlib.transforms import Bbox

from chartographer.charts.artists.guides import PX, Guide
from chartographer.charts.draw.canvas import PT, Canvas

#: tick marks as matplotlib's TICKDOWN/TICKLEFT… markers draw them (unit length, y up)
_TICK_UP = Path([[0.0, 0.0], [0.0, 1.0]])
_TICK_RIGHT = Path([[0.0, 0.0], [1.0, 0.0]])
_TICKS = {
    "bottom": Path([[0.0, 0.0], [0.0, -1.0]]),
    "top": _TICK_UP,
    "left": Path([[0.0, 0.0], [-1.0, 0.0]]),
    "right": _TICK_RIGHT,
}


@dataclass(frozen=True)
class Scale:
    """Data ``lo``→pixel ``start``, ``hi``→``end`` (either may be the larger)."""

    lo: float
    hi: float
    start: float
    end: float

    def __call__(self, value: float) -> float:
        span = self.hi - self.lo
        return self.start + (value - self.lo) / span * (self.end - self.start)

    def many(self, values: np.ndarray) -> np.ndarray:
        span = self.hi - self.lo
        result: np.ndarray = self.start + (values - self.lo) / span * (self.end - self.start)
        return result


@dataclass(frozen=True)
class Plot:
    """The plot rectangle in CSS px (y downward)."""

    left: float
    top: float
    width: float
    height: float

    @classmethod
    def from_margins(cls, margins: Sequence[float], width: int, height: int) -> Plot:
        """From ``[left, bottom, width, height]`` figure fractions (the legacy layout)."""
        left, bottom, w, h = margins
        return cls(left * width, (1 - bottom - h) * height, w * width, h * height)

    @property
    def right(self) -> float:
        return self.left + self.width

    @property
    def bottom(self) -> float:
        return self.top + self.height

    def bbox(self, width: int, height: int) -> Bbox:
        """The rectangle as an ``Axes.get_position()`` would give it (figure fractions)."""
        return Bbox.from_bounds(
            self.left / width, 1 - self.bottom / height, self.width / width, self.height / height
        )

    def x_scale(self, lo: float, hi: float) -> Scale:
        return Scale(lo, hi, self.left, self.right)

    def y_scale(self, lo: float, hi: float) -> Scale:
        """Values up the plot: ``lo`` at the bottom (pass ``hi < lo`` to invert)."""
        return Scale(lo, hi, self.bottom, self.top)


def nonsingular(lo: float, hi: float, expander: float = 0.05) -> tuple[float, float]:
    """``matplotlib.transforms.nonsingular``: widen an empty or tiny range."""
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return -expander, expander
    if hi < lo:
        lo, hi = hi, lo
    largest = max(abs(lo), abs(hi))
    if largest < (1e6 / 1e-15) * np.finfo(float).tiny:
        return -expander, expander
    if hi - lo <= largest * 1e-15:
        if hi == 0 and lo == 0:
            return -expander, expander
        lo -= expander * abs(lo)
        hi += expander * abs(hi)
    return lo, hi


def autoscale(lo: float, hi: float, margin: float = 0.05) -> tuple[float, float]:
    """The view limits an autoscaled matplotlib axis picks for data from ``lo`` to ``hi``."""
    lo, hi = nonsingular(lo, hi)
    delta = (hi - lo) * margin
    return nonsingular(lo - delta, hi + delta)


def draw_guide(
    canvas: Canvas,
    plot: Plot,
    guide: Guide,
    scale: Scale,
    limits: tuple[float, float],
    part: Literal["grid", "line", "labels"],
) -> None:
    """One layer of ``charts.guides.draw_guide``; positions outside ``limits`` dropped.

    The layers go at different depths (grid under the data, the rest over it).
    """
    lo, hi = min(limits), max(limits)
    span = hi - lo
    aligns = list(guide.aligns) or [guide.align] * len(guide.positions)
    keep = [
        (scale(p), label, align)
        for p, label, align in zip(guide.positions, guide.labels, aligns, strict=False)
        if lo - span * 1e-9 <= p <= hi + span * 1e-9
    ]
    side = guide.side
    horizontal = side in ("bottom", "top")
    edge = {
        "bottom": plot.bottom,
        "top": plot.top,
        "left": plot.left,
        "right": plot.right,
    }[side]
    outward = 1.0 if side in ("bottom", "right") else -1.0  # in CSS px, y down
    if part == "grid" and guide.grid:
        with canvas.clip(plot.left, plot.top, plot.width, plot.height):
            dash = [d * guide.grid_width for d in guide.grid_dash] if guide.grid_dash else None
            for at, _, _ in keep:
                ends = (
                    [(at, plot.bottom), (at, plot.top)]
                    if horizontal
                    else [(plot.left, at), (plot.right, at)]
                )
                canvas.path(ends, stroke=guide.grid_color, line_width=guide.grid_width, dash=dash)
        return
    length = guide.tick_length
    if part == "line":
        if guide.line:
            ends = (
                [(plot.left, edge), (plot.right, edge)]
                if horizontal
                else [(edge, plot.bottom), (edge, plot.top)]
            )
            with canvas.clip(plot.left, plot.top, plot.width, plot.height):
                canvas.path(ends, stroke=guide.line_color, line_width=0.8, join="round")
        if length > 0 and keep:
            points = [(at, edge) if horizontal else (edge, at) for at, _, _ in keep]
            tick_marks(canvas, side, points, length, guide.line_color)
        return
    if part != "labels":
        return
    pad = (max(length, 0) + 3) * PX * PT  # points → CSS px
    if horizontal:
        va = "top" if side == "bottom" else "bottom"
    else:
        ha = "right" if side == "left" else "left"
        va = {-1: "bottom", 0: "center", 1: "top"}[guide.align]
    for at, label, align in keep:
        if not label:
            continue
        x, y = (at, edge + outward * pad) if horizontal else (edge + outward * pad, at)
        if horizontal and guide.rotation:  # rotated labels hang from their tick
            canvas.text(
                x,
                y,
                label,
                size=guide.font_size,
                color=guide.color,
                ha="right",
                va="center",
                rotation=guide.rotation,
                anchor=True,
            )
            continue
        if horizontal:
            ha = {-1: "left", 0: "center", 1: "right"}[align]
        canvas.text(x, y, label, size=guide.font_size, color=guide.color, ha=ha, va=va)


def tick_marks(
    canvas: Canvas, side: str, points: Sequence[tuple[float, float]], length: float, color: str
) -> None:
    """Outward tick marks ``length`` CSS px long at ``points`` (0.8 pt lines, unclipped)."""
    canvas.markers(
        points, _TICKS[side], size=length * PX, stroke=color, line_width=0.8, join="miter"
    )
