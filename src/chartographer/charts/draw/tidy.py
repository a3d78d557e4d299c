"""Value labels that keep off the lines and each other, and the emphasised zero line.

Drawn for specs with ``tidy_labels`` (the native API's); Google's charts keep
the legacy placement. The geometry is :mod:`.placement`'s (pure); this module
measures the texts on the canvas, hands them over and draws what it keeps.
"""

from __future__ import annotations

from collections.abc import Sequence

from chartographer.charts.draw.axes import Plot, Scale
from chartographer.charts.draw.canvas import PT, Canvas
from chartographer.charts.draw.frame import EDGE
from chartographer.charts.draw.placement import (
    Candidate,
    Placed,
    Rect,
    Segment,
    line_sides,
    place,
    polyline_segments,
    text_rect,
)
from chartographer.charts.layout import INK

#: the zero line: darker and thicker than a gridline (#DDDDDD, 0.8 px)
ZERO_COLOR, ZERO_WIDTH = "#555555", 1.5
#: a line's value label sits this many points above or below its point
LINE_GAP = 4.0


def image_bounds(canvas: Canvas) -> Rect:
    return Rect(EDGE, EDGE, canvas.width - EDGE, canvas.height - EDGE)


def line_candidates(
    canvas: Canvas,
    lines: Sequence[tuple[Sequence[float], Sequence[tuple[float, float]], Sequence[str]]],
    size: float,
) -> list[Candidate]:
    """Per point of each line (values, CSS px points, texts): above or below it, then
    shifted sideways, the side :func:`line_sides` prefers first."""
    gap = LINE_GAP * PT
    out = []
    for values, points, texts in lines:
        for (x, y), above, text in zip(points, line_sides(values), texts, strict=True):
            if text == "":
                continue
            w, h, _ = canvas.measure(text, size=size)
            places = []
            for up in (above, not above):
                ay, va = (y - gap, "bottom") if up else (y + gap, "top")
                for ax, ha in ((x, "center"), (x - gap, "right"), (x + gap, "left")):
                    places.append((ax, ay, ha, va, text_rect(ax, ay, w, h, ha, va)))
            out.append(Candidate(text, tuple(places)))
    return out


def line_obstacles(points: Sequence[Sequence[tuple[float, float]]]) -> list[Segment]:
    return [segment for line in points for segment in polyline_segments(line)]


def draw_placed(canvas: Canvas, placed: Sequence[Placed], size: float) -> None:
    for label in placed:
        canvas.text(label.x, label.y, label.text, size=size, color=INK, ha=label.ha, va=label.va)


def draw_line_labels(
    canvas: Canvas,
    lines: Sequence[tuple[Sequence[float], Sequence[tuple[float, float]], Sequence[str]]],
    size: float,
) -> None:
    """Place and draw the value labels of ``lines``."""
    candidates = line_candidates(canvas, lines, size)
    placed = place(candidates, line_obstacles([p for _, p, _ in lines]), image_bounds(canvas))
    draw_placed(canvas, placed, size)


def draw_anchored_labels(
    canvas: Canvas, labels: Sequence[tuple[str, float, float, str, str]], size: float
) -> None:
    """Labels at fixed anchors (bar ends): those that would overlap an earlier one are dropped."""
    candidates = []
    for text, x, y, ha, va in labels:
        w, h, _ = canvas.measure(text, size=size)
        candidates.append(Candidate(text, ((x, y, ha, va, text_rect(x, y, w, h, ha, va)),)))
    placed = place(candidates, (), image_bounds(canvas))
    draw_placed(canvas, placed, size)


def crosses_zero(values: Sequence[float], limits: tuple[float, float]) -> bool:
    """Data on both sides of zero (or below it, with zero in view)."""
    lo, hi = min(limits), max(limits)
    return lo < 0 < hi and any(v < 0 for v in values)


def draw_zero_line(canvas: Canvas, plot: Plot, scale: Scale, *, vertical: bool) -> None:
    """The value axis's zero across the plot; ``vertical`` for horizontal bars."""
    at = scale(0.0)
    if vertical:
        points = [(at, plot.top), (at, plot.bottom)]
    else:
        points = [(plot.left, at), (plot.right, at)]
    canvas.path(points, stroke=ZERO_COLOR, line_width=ZERO_WIDTH, cap="butt")
