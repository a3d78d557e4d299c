"""Pies and doughnuts on the canvas, from :func:`~chartographer.charts.draw.pie_layout.pie_layout`.

Everything the legacy drawer (``charts/artists/circular.py``) drew, in its order:
the ``chf=c`` plot face, the ``p3`` rim under the front half, the slices
(outlined in the background colour, or in their own colour when tilted),
percentages inside the slices, and the slice labels — Google's spread apart
with leader lines, native ones (``pie_labels``) where :mod:`.pie_labels` put
them: beside their slices, or outside with leaders around a shrunk pie, with a
percentage on a slice only where it fits across it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
from matplotlib.colors import to_rgb
from matplotlib.path import Path
from matplotlib.transforms import Affine2D

from chartographer.charts.artists.circular import slice_colors
from chartographer.charts.draw.canvas import Canvas
from chartographer.charts.draw.frame import Box, equal_frame, kept_inside
from chartographer.charts.draw.pie_layout import PieLayout, Slice, pie_layout
from chartographer.charts.layout import INK
from chartographer.charts.spec import ChartSpec

LEADER = "#999999"


def draw_pie(
    canvas: Canvas,
    spec: ChartSpec,
    margins: Sequence[float],
    fonts: dict[str, float],
    *,
    under: Callable[[Box], None] | None = None,
) -> PieLayout:
    """Draw pie or doughnut ``spec`` in the plot rectangle ``margins`` (figure fractions).

    ``under`` paints the face of the aspect-fitted plot box first (Google ``chf=c``).
    Returns the geometry drawn.
    """
    layout = pie_layout(spec, margins, fonts["label"])
    device = equal_frame(
        spec.width,
        spec.height,
        canvas.device_scale,
        margins,
        (-layout.half_width, layout.half_width),
        layout.limits,
    )
    if under is not None:
        under(layout.box)
    colors = [slice_colors(spec, ring) for ring in range(len(spec.series))]
    flat = device.affine()
    squash = device.affine(Affine2D().scale(1.0, layout.tilt).get_matrix())
    with canvas.device_clip(device.clip):  # the axes' artists were clipped to the axes box
        if layout.depth:
            for s in layout.slices:
                if s.ring == 0:
                    _rim(canvas, layout, flat, s, colors[0][s.index])
        for s in layout.slices:
            color = colors[s.ring][s.index]
            canvas.device_path(
                legacy_wedge(s.outer, s.end, s.start, s.width),
                squash,
                fill=color,
                stroke=color if layout.depth else spec.background,
                line_width=0.3 if layout.depth else 1.0,
            )
    if spec.value_labels:
        for s in layout.slices:
            if s.ring != 0:
                continue
            at = s.outer - s.width / 2 if layout.hole else 0.62
            x, y = layout.px(at * math.cos(s.mid), at * math.sin(s.mid) * layout.tilt)
            text = f"{100 * s.share:.0f}%"
            if spec.pie_labels is not None and not _fits(canvas, layout, s, at, text, fonts):
                continue  # a native slice too thin for its percentage shows it outside only
            canvas.text(
                x,
                y,
                text,
                size=fonts["value"],
                color="#FFFFFF",
                ha="center",
                va="center",
            )
    for label in layout.labels:
        if label.leader is not None:
            xs, ys = [p[0] for p in label.leader], [p[1] for p in label.leader]
            leader = np.column_stack(np.broadcast_arrays(xs, ys)).astype(float)
            # Google's leaders are clipped to the axes box, as the artists were; native
            # ones run to their labels beside the shrunk pie (all inside the plot area)
            if label.box is None:
                with canvas.device_clip(device.clip):
                    _leader(canvas, leader, flat)
            else:
                _leader(canvas, leader, flat)
        x, y = layout.px(label.x, label.y)
        ha = "left" if label.right else "right"
        if label.box is None:  # native boxes are inside the plot area already
            x = kept_inside(canvas, x, label.text, fonts["label"], ha)
        canvas.text(x, y, label.text, size=fonts["label"], color=INK, ha=ha, va="center")
    return layout


def _leader(canvas: Canvas, points: np.ndarray, flat: Affine2D) -> None:
    canvas.device_path(
        Path(points), flat, stroke=LEADER, line_width=0.6, cap="projecting", join="round"
    )


def _fits(
    canvas: Canvas, layout: PieLayout, s: Slice, at: float, text: str, fonts: dict[str, float]
) -> bool:
    """Whether ``text`` fits across slice ``s`` at ``at`` radii (its arc there, in px)."""
    width, _, _ = canvas.measure(text, size=fonts["value"])
    arc = math.radians(s.start - s.end) * at * layout.frame.unit
    return width + 4 <= arc


def legacy_wedge(r: float, theta1: float, theta2: float, width: float | None) -> Path:
    """The path matplotlib's ``Wedge((0, 0), r, theta1, theta2, width=width)`` draws,
    computed in the same order (so the same floats)."""
    if abs((theta2 - theta1) - 360) <= 1e-12:
        theta1, theta2 = 0, 360
        connector = int(Path.MOVETO)
    else:
        connector = int(Path.LINETO)
    arc = Path.arc(theta1, theta2)
    unit: np.ndarray = np.asarray(arc.vertices)
    codes = [int(code) for code in np.asarray(arc.codes)]
    if width is not None:
        v1 = unit
        v2 = unit[::-1] * (r - width) / r
        v = np.concatenate([v1, v2, [(0, 0)]])
        c = [*codes, connector, *codes[1:], int(Path.CLOSEPOLY)]
    else:
        v = np.concatenate([unit, [(0, 0), (0, 0)]])
        c = [*codes, connector, int(Path.CLOSEPOLY)]
    return Path(v * r + (0.0, 0.0), c)


def _rim(canvas: Canvas, layout: PieLayout, flat: Affine2D, s: Slice, color: str) -> None:
    """The visible side of a tilted slice: the part of its arc on the front half, darkened."""
    a0, a1 = s.end, s.start
    tilt, depth = layout.tilt, layout.depth
    lo, hi = a0 % 360, a0 % 360 + (a1 - a0)
    r, g, b = to_rgb(color)
    shade = (r * 0.7, g * 0.7, b * 0.7, 1.0)
    for front_lo, front_hi in ((180.0, 360.0), (540.0, 720.0), (-180.0, 0.0)):
        start, end = max(lo, front_lo), min(hi, front_hi)
        if end <= start:
            continue
        t = np.radians(np.linspace(start, end, max(int(end - start) // 3 + 2, 2)))
        upper = np.column_stack([np.cos(t), np.sin(t) * tilt])
        lower = upper - (0.0, depth)
        xy = np.vstack([upper, lower[::-1]])
        if (xy[0] != xy[-1]).any():  # as a closed matplotlib Polygon stores it
            xy = np.concatenate([xy, [xy[0]]])
        canvas.device_path(Path(xy, closed=True), flat, fill=shade)
