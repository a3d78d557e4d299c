"""Gauges and Google-o-meters on the canvas: coloured bands, needles, hub and labels.

As the legacy drawer (``charts/artists/circular.py``): the dial's bands run left to
right over the top half; a native gauge shows one needle, its label below the
hub and the two end values; a Google meter (``styling.dial_labels`` set) shows
a needle per value, each labelled at its tip, and the ``y`` labels round the dial.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
from matplotlib.path import Path

from chartographer.charts.draw.canvas import Canvas
from chartographer.charts.draw.frame import Box, equal_frame, kept_inside
from chartographer.charts.draw.pie import legacy_wedge
from chartographer.charts.layout import INK, format_number, number_format
from chartographer.charts.spec import ChartSpec
from chartographer.charts.styling import Arrow

DEFAULT_BANDS = ("#59A14F", "#EDC948", "#E15759")


def draw_gauge(
    canvas: Canvas,
    spec: ChartSpec,
    margins: Sequence[float],
    fonts: dict[str, float],
    *,
    under: Callable[[Box], None] | None = None,
) -> Box:
    """Draw gauge ``spec`` in ``margins`` (figure fractions); return the fitted box.

    ``under`` paints the fitted box first (Google ``chf=c``).
    """
    google = spec.styling.dial_labels is not None
    x_limits = (-1.1, 1.1)
    y_limits = (-0.15, 1.2) if google else (-0.45, 1.1)
    css = equal_frame(spec.width, spec.height, 1.0, margins, x_limits, y_limits)
    frame = equal_frame(spec.width, spec.height, canvas.device_scale, margins, x_limits, y_limits)
    device = frame.affine()
    px = css.css
    if under is not None:
        under(css.box)
    lo = spec.y_axis.min if spec.y_axis.min is not None else 0.0
    hi = spec.y_axis.max if spec.y_axis.max is not None else 100.0
    if hi <= lo:
        hi = lo + 1
    colors = spec.series[0].point_colors or DEFAULT_BANDS
    n = len(colors)
    values = [v for v in spec.series[0].values if v is not None] if google else []
    arrows = spec.styling.arrows  # Google gom chls: a colour and width per arrow
    tips = []
    with canvas.device_clip(frame.clip):  # the axes' artists were clipped to the axes box
        for i, color in enumerate(colors):
            band = legacy_wedge(1.0, 180 - 180 * (i + 1) / n, 180 - 180 * i / n, 0.3)
            canvas.device_path(band, device, fill=color, stroke=color, line_width=1.0)
        hub = legacy_wedge(0.07, 0, 360, None)  # drawn before the needles (a patch's z-order)
        canvas.device_path(hub, device, fill=INK, stroke=INK, line_width=1.0)
        shown = values or [spec.series[0].values[0] or 0.0]
        for k, value in enumerate(shown if arrows else ()):  # heads are patches: below lines
            c, s_ = _direction(value, lo, hi)
            head = [
                (0.88 * c, 0.88 * s_),
                (0.74 * c - 0.05 * s_, 0.74 * s_ + 0.05 * c),
                (0.74 * c + 0.05 * s_, 0.74 * s_ - 0.05 * c),
                (0.88 * c, 0.88 * s_),
            ]
            color = arrows[k].color if k < len(arrows) else INK
            canvas.device_path(Path(head, closed=True), device, fill=color)
        for k, value in enumerate(shown):
            c, s_ = _direction(value, lo, hi)
            arrow = arrows[k] if k < len(arrows) else Arrow(color=INK)
            reach = 0.76 if arrows else 0.85  # Google's arrows end in a point past the shaft
            needle = np.column_stack(np.broadcast_arrays([0, reach * c], [0, reach * s_]))
            canvas.device_path(
                Path(needle.astype(float)),
                device,
                stroke=arrow.color,
                line_width=arrow.width,
                cap="round",
                join="round",
            )
            if google and k < len(spec.labels) and spec.labels[k]:
                tips.append((c, s_, spec.labels[k]))
    if google:
        labels = spec.styling.dial_labels or ()
        for k, text in enumerate(labels):
            angle = math.pi * (1 - (k / (len(labels) - 1) if len(labels) > 1 else 0.5))
            c, s_ = math.cos(angle), math.sin(angle)
            x, y = px(1.04 * c, 1.04 * s_)
            ha = "center" if abs(c) < 0.3 else ("left" if c > 0 else "right")
            x = kept_inside(canvas, x, text, fonts["tick"], ha)
            canvas.text(
                x,
                y,
                text,
                size=fonts["tick"],
                color="#555555",
                ha=ha,
                va="bottom" if s_ > 0.3 else "center",
            )
        for c, s_, text in tips:  # above everything (the legacy zorder 5)
            x, y = px(0.88 * c, 0.88 * s_)
            ha = "center" if abs(c) < 0.3 else ("left" if c > 0 else "right")
            x = kept_inside(canvas, x, text, fonts["tick"], ha)
            canvas.text(x, y, text, size=fonts["tick"], color=INK, ha=ha, va="bottom")
        return css.box
    value = spec.series[0].values[0] or 0.0
    label = spec.labels[0] if spec.labels else format_number(value, number_format(spec))
    x, y = px(0.0, -0.18)
    canvas.text(x, y, label, size=fonts["title"], color=INK, ha="center", va="top")
    for at, end in ((-0.85, lo), (0.85, hi)):
        x, y = px(at, -0.05)
        canvas.text(
            x,
            y,
            format_number(end, number_format(spec)),
            size=fonts["tick"],
            color="#777777",
            ha="center",
            va="top",
        )
    return css.box


def _direction(value: float, lo: float, hi: float) -> tuple[float, float]:
    """The unit vector of a needle at ``value`` on a dial from ``lo`` (left) to ``hi``."""
    frac = min(max((value - lo) / (hi - lo), 0.0), 1.0)
    angle = math.pi * (1 - frac)
    return math.cos(angle), math.sin(angle)
