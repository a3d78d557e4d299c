"""Radar (spider) charts on the canvas: web of rings and spokes, one polygon per series.

As the legacy drawer (``charts/circular.py``): native series are closed and
filled faintly; Google's (``styling.radar_closed`` set) stay open unless they
repeated their first value, are unfilled unless ``chm=B`` asks, and the rings
carry values only with a ``y`` axis. ``chm`` fills (``B``), lines (``D``) and
the round and square shapes are drawn here; other marker types make
:func:`supported` say no, so such charts stay with the legacy renderer.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from matplotlib.colors import to_rgba
from matplotlib.path import Path

from chartographer.charts.circular import radar_scale
from chartographer.charts.draw.canvas import PT, Canvas
from chartographer.charts.draw.pie_layout import Box, fit
from chartographer.charts.layout import GRID, INK, as_array, format_number
from chartographer.charts.spec import ChartSpec
from chartographer.charts.styling import Marker

HALF = 1.05
#: chm types this drawer draws on a radar
MARKERS = frozenset("BDos")
#: Google sizes markers in pixels, the legacy drawer in points at 100 dpi (as markers.PX)
PX = 0.72


def supported(spec: ChartSpec) -> bool:
    return all(m.type in MARKERS and m.series < len(spec.series) for m in spec.styling.markers)


def draw_radar(
    canvas: Canvas,
    spec: ChartSpec,
    plot: Box,
    fonts: dict[str, float],
    *,
    under: Callable[[Box], None] | None = None,
) -> Box:
    """Draw radar ``spec`` in ``plot``; return the aspect-fitted box (the legend goes by it).

    ``under`` paints the face of that box first (Google ``chf=c``).
    """
    box, unit = fit(plot, (-HALF, HALF))
    google = bool(spec.styling.radar_closed)
    count, lo, hi, rings = radar_scale(spec)
    angles = np.pi / 2 - 2 * np.pi * np.arange(count) / count  # clockwise from the top
    cos, sin = np.cos(angles), np.sin(angles)

    def px(x: float, y: float) -> tuple[float, float]:
        return box.left + (x + HALF) * unit, box.top + (HALF - y) * unit

    def radius(v: np.ndarray | float) -> np.ndarray:
        return np.asarray((np.clip(v, lo, hi) - lo) / (hi - lo), dtype=float)

    if under is not None:
        under(box)
    if spec.gridlines:
        grid = spec.styling.grid
        dash = (
            (grid.dash * 0.8, grid.space * 0.8)  # matplotlib scales dashes by the width
            if grid and grid.dash > 0 and grid.space > 0
            else None
        )
        for t in rings:
            r = float(radius(t))
            web = [px(c * r, s_ * r) for c, s_ in zip(cos, sin, strict=True)]
            canvas.path(web, closed=True, stroke=GRID, line_width=0.8, dash=dash)
        for c, s_ in zip(cos, sin, strict=True):
            canvas.path([px(0.0, 0.0), px(c, s_)], stroke=GRID, line_width=0.8, dash=dash)
    for marker in spec.styling.markers:  # over the web, under the series
        if marker.type == "B":
            points = [
                p for p in _series_px(spec, marker.series, count, lo, hi, px) if p is not None
            ]
            canvas.path(points, closed=True, fill=marker.color)
    for marker in spec.styling.markers:
        if marker.type != "B" and not marker.above:
            _marker(canvas, spec, marker, count, lo, hi, px)
    for i, s in enumerate(spec.series):
        color = spec.color_for(i)
        if google:
            n = len(s.values)
            radii = radius(as_array(s.values))
            points = [
                px(float(c * rr), float(s_ * rr))
                for c, s_, rr in zip(cos[:n], sin[:n], radii, strict=True)
            ]
            _polyline(canvas, points, spec.styling.radar_closed[i], color, s.line_width or 2)
            continue
        radii = radius(np.nan_to_num(as_array(s.values, count), nan=lo))
        points = [
            px(float(c * rr), float(s_ * rr)) for c, s_, rr in zip(cos, sin, radii, strict=True)
        ]
        canvas.path(points, closed=True, fill=faint(color))
        _polyline(canvas, points, True, color, 2)
    for t in rings if not google or spec.y_axis.visible else ():
        x, y = px(0.0, float(radius(t)))
        canvas.text(
            x,
            y,
            " " + format_number(t),
            size=fonts["tick"] * 0.85,
            color="#777777",
            ha="left",
            va="bottom",
        )
    for i in range(count):
        label = spec.labels[i] if i < len(spec.labels) else ""
        if label:
            c, s_ = float(cos[i]), float(sin[i])
            x, y = px(1.08 * c, 1.08 * s_)
            canvas.text(
                x,
                y,
                label,
                size=fonts["tick"],
                color=INK,
                ha="center" if abs(c) < 0.2 else ("left" if c > 0 else "right"),
                va="center" if abs(s_) < 0.2 else ("bottom" if s_ > 0 else "top"),
            )
    for marker in spec.styling.markers:
        if marker.type != "B" and marker.above:
            _marker(canvas, spec, marker, count, lo, hi, px)
    return box


def faint(color: str) -> str:
    """``color`` at 20 % opacity (matplotlib's ``alpha=0.2`` replaced any alpha it had)."""
    r, g, b, _ = to_rgba(color)
    return "#{:02X}{:02X}{:02X}33".format(*(round(c * 255) for c in (r, g, b)))


def _polyline(
    canvas: Canvas, points: list[tuple[float, float]], closed: bool, color: str, width: float
) -> None:
    """A series line; gaps (NaN radii) split it as matplotlib's ``plot`` did."""
    if closed and points:
        points = [*points, points[0]]
    run: list[tuple[float, float]] = []
    for p in [*points, (math.nan, math.nan)]:
        if math.isnan(p[0]) or math.isnan(p[1]):
            if len(run) > 1:
                canvas.path(run, stroke=color, line_width=width, cap="projecting", join="round")
            run = []
        else:
            run.append(p)


Px = Callable[[float, float], tuple[float, float]]


def _series_px(
    spec: ChartSpec, index: int, count: int, lo: float, hi: float, px: Px
) -> list[tuple[float, float] | None]:
    """Where each value of series ``index`` sits, in CSS pixels (``None``: a gap)."""
    out: list[tuple[float, float] | None] = []
    for j, v in enumerate(spec.series[index].values):
        if v is None:
            out.append(None)
            continue
        angle = math.pi / 2 - 2 * math.pi * j / count
        r = (min(max(v, lo), hi) - lo) / (hi - lo)
        out.append(px(r * math.cos(angle), r * math.sin(angle)))
    return out


def _marker(
    canvas: Canvas, spec: ChartSpec, marker: Marker, count: int, lo: float, hi: float, px: Px
) -> None:
    """One ``chm`` line (``D``) or shape (``o``, ``s``) on a radar series."""
    points = _series_px(spec, marker.series, count, lo, hi, px)
    if marker.type == "D":
        run = [p for p in points if p is not None]
        canvas.path(run, stroke=marker.color, line_width=marker.size * PX, cap="round")
        return
    start, end, step = marker.points
    last = len(points) - 1 if end < 0 else min(end, len(points) - 1)
    size = marker.size * PX * PT  # matplotlib's markersize: the shape's width, in CSS px
    edge = max(marker.size * PX / 5, 1.0)  # points
    for i in range(start, last + 1, step):
        p = points[i]
        if p is None:
            continue
        if marker.type == "o":
            circle = Path.circle(p, size / 2)
            canvas.curve(circle, fill=marker.color, stroke=marker.color, line_width=edge)
        else:
            x, y = p[0] - size / 2, p[1] - size / 2
            canvas.rect(x, y, size, size, fill=marker.color, stroke=marker.color, line_width=edge)
