"""Radar (spider) charts on the canvas: web of rings and spokes, one polygon per series.

As the legacy drawer (``charts/artists/circular.py``): native series are closed and
filled faintly; Google's (``styling.radar_closed`` set) stay open unless they
repeated their first value, are unfilled unless ``chm=B`` asks, and the rings
carry values only with a ``y`` axis. ``chm`` fills (``B``), lines (``D``) and
the round and square shapes are drawn here; other marker types make
:func:`supported` say no, so such charts stay with the legacy renderer.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
from matplotlib.path import Path
from matplotlib.transforms import Affine2D

from chartographer.charts.artists.circular import radar_scale, radar_xy
from chartographer.charts.draw.canvas import Canvas
from chartographer.charts.draw.frame import Box, EqualFrame, equal_frame, kept_inside
from chartographer.charts.layout import GRID, INK, as_array, format_number, number_format
from chartographer.charts.spec import ChartSpec
from chartographer.charts.styling import Marker

HALF = 1.05
#: chm types this drawer draws on a radar
MARKERS = frozenset("BDos")
#: Google sizes markers in pixels, the legacy drawer in points at 100 dpi (as markers.PX)
PX = 0.72


def supported(spec: ChartSpec) -> bool:
    return all(
        m.type in MARKERS and m.series < len(spec.series) and m.at is None and not m.span
        for m in spec.styling.markers
    )


def draw_radar(
    canvas: Canvas,
    spec: ChartSpec,
    margins: Sequence[float],
    fonts: dict[str, float],
    *,
    under: Callable[[Box], None] | None = None,
) -> Box:
    """Draw radar ``spec`` in ``margins`` (figure fractions); return the fitted box.

    ``under`` paints the face of that box first (Google ``chf=c``). Paths are
    built from the same arrays the legacy drawer built and drawn through the
    same data→pixel matrix (:func:`equal_frame`), so the pixels are identical.
    """
    limits = (-HALF, HALF)
    css = equal_frame(spec.width, spec.height, 1.0, margins, limits, limits)
    device = equal_frame(spec.width, spec.height, canvas.device_scale, margins, limits, limits)
    data = device.affine()
    px = css.css
    google = bool(spec.styling.radar_closed)
    count, lo, hi, rings = radar_scale(spec)
    angles = np.pi / 2 - 2 * np.pi * np.arange(count) / count  # clockwise from the top
    cos, sin = np.cos(angles), np.sin(angles)

    def radius(v: np.ndarray | float) -> np.ndarray:
        return np.asarray((np.clip(v, lo, hi) - lo) / (hi - lo), dtype=float)

    def line(xs: np.ndarray, ys: np.ndarray, color: str, width: float) -> None:
        xy = np.column_stack(np.broadcast_arrays(xs, ys)).astype(float)  # as Line2D
        with canvas.device_clip(device.clip):
            canvas.device_path(
                Path(xy), data, stroke=color, line_width=width, cap="projecting", join="round"
            )

    if under is not None:
        under(css.box)
    if spec.gridlines:  # one LineCollection: butt caps, round joins, dashes scaled by width
        grid = spec.styling.grid
        dash = (
            (grid.dash * 0.8, grid.space * 0.8)
            if grid and grid.dash > 0 and grid.space > 0
            else None
        )
        web = [np.column_stack([cos * radius(t), sin * radius(t)]) for t in rings]
        web = [np.vstack([w, w[:1]]) for w in web]
        spokes = [np.array([(0.0, 0.0), (c, s_)]) for c, s_ in zip(cos, sin, strict=True)]
        with canvas.device_clip(device.clip):
            for segment in web + spokes:
                canvas.device_path(
                    Path(np.asarray(segment, float)),
                    data,
                    stroke=GRID,
                    line_width=0.8,
                    dash=dash,
                    join="round",
                )
    for marker in spec.styling.markers:  # z-order 0.8: over the web, under the series
        if marker.type == "B":
            xy = np.array([p for p in _series_xy(spec, marker.series, count, lo, hi) if p])
            if len(xy) and (xy[0] != xy[-1]).any():
                xy = np.concatenate([xy, [xy[0]]])
            if len(xy) >= 3:
                with canvas.device_clip(device.clip):
                    canvas.device_path(Path(xy, closed=True), data, fill=marker.color)
    for marker in spec.styling.markers:
        if marker.type != "B" and not marker.above:
            _marker(canvas, spec, marker, (count, lo, hi), device, px)
    lines: list[tuple[np.ndarray, np.ndarray, str, float]] = []
    for i, s in enumerate(spec.series):
        color = spec.color_for(i)
        if google:
            n = len(s.values)
            r = radius(as_array(s.values))
            xs, ys = cos[:n] * r, sin[:n] * r
            if spec.styling.radar_closed[i]:
                xs, ys = np.append(xs, xs[:1]), np.append(ys, ys[:1])
            lines.append((xs, ys, color, s.line_width or 2))
            continue
        r = radius(np.nan_to_num(as_array(s.values, count), nan=lo))
        xs, ys = np.append(cos * r, cos[0] * r[0]), np.append(sin * r, sin[0] * r[0])
        face = Path(np.column_stack((xs, ys)), closed=True)  # ax.fill's Polygon
        with canvas.device_clip(device.clip):  # every fill under every line
            canvas.device_path(face, data, fill=color, alpha=0.2)
        lines.append((xs, ys, color, 2))
    for xs, ys, color, width in lines:
        line(xs, ys, color, width)
    for t in rings if not google or spec.y_axis.visible else ():
        x, y = px(0, float(radius(t)))
        canvas.text(
            x,
            y,
            " " + format_number(t, number_format(spec)),
            size=fonts["tick"] * 0.85,
            color="#777777",
            ha="left",
            va="bottom",
        )
    for i in range(count):
        label = spec.labels[i] if i < len(spec.labels) else ""
        if label:
            c, s_ = cos[i], sin[i]
            x, y = px(1.08 * c, 1.08 * s_)
            ha = "center" if abs(c) < 0.2 else ("left" if c > 0 else "right")
            x = kept_inside(canvas, x, label, fonts["tick"], ha)
            canvas.text(
                x,
                y,
                label,
                size=fonts["tick"],
                color=INK,
                ha=ha,
                va="center" if abs(s_) < 0.2 else ("bottom" if s_ > 0 else "top"),
            )
    for marker in spec.styling.markers:
        if marker.type != "B" and marker.above:
            _marker(canvas, spec, marker, (count, lo, hi), device, px)
    return css.box


def _series_xy(
    spec: ChartSpec, index: int, count: int, lo: float, hi: float
) -> list[tuple[float, float] | None]:
    """Each value of series ``index`` in data units (``markers.series_points`` on a radar)."""
    return [
        None if v is None else radar_xy(count, lo, hi, j, v)
        for j, v in enumerate(spec.series[index].values)
    ]


#: Line2D marker shapes (unit size, y up) and their joins, as ``MarkerStyle`` builds them
_SHAPES = {
    "o": (Affine2D().scale(0.5).transform_path(Path.unit_circle()), "round"),
    "s": (Affine2D().translate(-0.5, -0.5).transform_path(Path.unit_rectangle()), "miter"),
}


def _marker(
    canvas: Canvas,
    spec: ChartSpec,
    marker: Marker,
    scale: tuple[int, float, float],
    device: EqualFrame,
    px: Callable[[float, float], tuple[float, float]],
) -> None:
    """One ``chm`` line (``D``) or shape (``o``, ``s``) on a radar series."""
    points = _series_xy(spec, marker.series, *scale)
    if marker.type == "D":
        xy = np.array([(math.nan, math.nan) if p is None else p for p in points], dtype=float)
        with canvas.device_clip(device.clip):
            canvas.device_path(
                Path(xy),
                device.affine(),
                stroke=marker.color,
                line_width=marker.size * PX,
                cap="round",
                join="round",
            )
        return
    start, end, step = marker.points
    last = len(points) - 1 if end < 0 else min(end, len(points) - 1)
    chosen = [points[i] for i in range(start, last + 1, step)]
    shape, join = _SHAPES[marker.type]
    canvas.markers(
        [px(*p) for p in chosen if p is not None],
        shape,
        size=marker.size * PX,
        fill=marker.color,
        stroke=marker.color,
        line_width=max(marker.size * PX / 5, 1.0),
        join=join,
    )
