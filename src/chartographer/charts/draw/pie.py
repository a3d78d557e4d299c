"""Pies and doughnuts on the canvas, from :func:`~chartographer.charts.draw.pie_layout.pie_layout`.

Everything the legacy drawer (``charts/circular.py``) drew, in its order:
the ``chf=c`` plot face, the ``p3`` rim under the front half, the slices
(outlined in the background colour, or in their own colour when tilted),
percentages inside the slices, and the slice labels — Google's spread apart
with leader lines, native ones beside their slices.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from matplotlib.colors import to_rgb
from matplotlib.path import Path

from chartographer.charts.circular import slice_colors
from chartographer.charts.draw.canvas import Canvas
from chartographer.charts.draw.pie_layout import Box, PieLayout, Slice, pie_layout
from chartographer.charts.layout import INK
from chartographer.charts.spec import ChartSpec

LEADER = "#999999"


def draw_pie(
    canvas: Canvas,
    spec: ChartSpec,
    plot: Box,
    fonts: dict[str, float],
    *,
    under: Callable[[Box], None] | None = None,
) -> PieLayout:
    """Draw pie or doughnut ``spec`` in the plot rectangle ``plot``; return its geometry.

    ``under`` paints the face of the aspect-fitted plot box first (Google ``chf=c``).
    """
    layout = pie_layout(spec, plot, fonts["label"])
    if under is not None:
        under(layout.box)
    colors = [slice_colors(spec, ring) for ring in range(len(spec.series))]
    if layout.depth:
        for s in layout.slices:
            if s.ring == 0:
                _rim(canvas, layout, s, colors[0][s.index])
    for s in layout.slices:
        color = colors[s.ring][s.index]
        canvas.curve(
            wedge_path(layout, s),
            fill=color,
            stroke=color if layout.depth else spec.background,
            line_width=0.3 if layout.depth else 1.0,
        )
    if spec.value_labels:
        for s in layout.slices:
            if s.ring != 0:
                continue
            at = s.outer - (s.outer - s.inner) / 2 if layout.hole else 0.62
            x, y = layout.px(at * math.cos(s.mid), at * math.sin(s.mid) * layout.tilt)
            canvas.text(
                x,
                y,
                f"{100 * s.share:.0f}%",
                size=fonts["value"],
                color="#FFFFFF",
                ha="center",
                va="center",
            )
    for label in layout.labels:
        if label.leader is not None:
            canvas.path(
                [layout.px(*label.leader[0]), layout.px(*label.leader[1])],
                stroke=LEADER,
                line_width=0.6,
                cap="projecting",
                join="round",
            )
        x, y = layout.px(label.x, label.y)
        canvas.text(
            x,
            y,
            label.text,
            size=fonts["label"],
            color=INK,
            ha="left" if label.right else "right",
            va="center",
        )
    return layout


def wedge_path(layout: PieLayout, s: Slice) -> Path:
    """The slice as matplotlib's ``Wedge`` built it (Bézier arcs), placed in CSS pixels."""
    vertices, codes = ring_segment(s.end, s.start, s.outer, s.inner)
    return Path(_to_px(layout, vertices), codes)


def ring_segment(
    theta1: float, theta2: float, outer: float, inner: float
) -> tuple[np.ndarray, list[int]]:
    """Vertices and codes of a ``Wedge`` with a width: outer arc, inner arc back, closed."""
    full = abs((theta2 - theta1) - 360) <= 1e-12
    arc = Path.arc(0, 360) if full else Path.arc(theta1, theta2)
    unit = np.asarray(arc.vertices, dtype=float)
    arc_codes = [int(c) for c in np.asarray(arc.codes)]
    vertices = np.concatenate([unit * outer, unit[::-1] * inner, [(0.0, 0.0)]])
    connector = int(Path.MOVETO if full else Path.LINETO)
    return vertices, [*arc_codes, connector, *arc_codes[1:], int(Path.CLOSEPOLY)]


def _to_px(layout: PieLayout, xy: np.ndarray) -> np.ndarray:
    """Data units (before the tilt) → CSS pixels, vectorised."""
    b, unit = layout.box, layout.unit
    out = np.empty_like(xy, dtype=float)
    out[:, 0] = b.left + (xy[:, 0] + 1.05) * unit
    out[:, 1] = b.top + (layout.limits[1] - xy[:, 1] * layout.tilt) * unit
    return out


def _rim(canvas: Canvas, layout: PieLayout, s: Slice, color: str) -> None:
    """The visible side of a tilted slice: the part of its arc on the front half, darkened."""
    a0, a1 = s.end, s.start
    lo, hi = a0 % 360, a0 % 360 + (a1 - a0)
    r, g, b = to_rgb(color)
    shade = "#{:02X}{:02X}{:02X}".format(*(round(c * 0.7 * 255) for c in (r, g, b)))
    for front_lo, front_hi in ((180.0, 360.0), (540.0, 720.0), (-180.0, 0.0)):
        start, end = max(lo, front_lo), min(hi, front_hi)
        if end <= start:
            continue
        t = np.radians(np.linspace(start, end, max(int(end - start) // 3 + 2, 2)))
        upper = np.column_stack([np.cos(t), np.sin(t)])
        top = _to_px(layout, upper)
        bottom = top + np.array([0.0, layout.depth * layout.unit])
        points = np.vstack([top, bottom[::-1]])
        canvas.path([(float(x), float(y)) for x, y in points], closed=True, fill=shade)
