"""Bar, line, area, scatter and sparkline charts drawn on a :class:`Canvas`.

Each kind computes its data limits the way the legacy ``charts.cartesian``
(matplotlib autoscaling with 5 % margins, bars from zero with 5 % headroom)
does, then the guides of ``charts.guides`` are drawn in the same places, so
a chart looks the same whichever renderer drew it. Layers go in matplotlib's
z-order: grid, bars/fills/points, lines, axis lines and ticks, text.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any, cast

import numpy as np
from matplotlib.axes import Axes
from matplotlib.path import Path
from matplotlib.transforms import Affine2D, Bbox

from chartographer.charts.artists.cartesian import bar_geometry, series_colors, x_values
from chartographer.charts.artists.guides import Guide
from chartographer.charts.draw.axes import Plot, Scale, autoscale, draw_guide
from chartographer.charts.draw.canvas import PT, Canvas
from chartographer.charts.draw.guides import axis_titles, category_guide, numeric_guide, value_guide
from chartographer.charts.draw.scaled import rescale
from chartographer.charts.draw.tidy import (
    crosses_zero,
    draw_anchored_labels,
    draw_line_labels,
    draw_zero_line,
)
from chartographer.charts.layout import INK, as_array, format_number, number_format
from chartographer.charts.spec import ChartKind, ChartSpec

#: matplotlib's "o" marker: a circle of diameter 1 (its size in points)
CIRCLE = Affine2D().scale(0.5).transform_path(Path.unit_circle())


class _Box:
    """Stands in for an ``Axes`` where a legacy layout function only asks its position."""

    def __init__(self, bbox: Bbox) -> None:
        self._bbox = bbox

    def get_position(self) -> Bbox:
        return self._bbox


def as_axes(plot: Plot, spec: ChartSpec) -> Axes:
    return cast(Axes, _Box(plot.bbox(spec.width, spec.height)))


@dataclass
class Frame:
    """A cartesian chart's scales and what it draws in each layer."""

    plot: Plot
    x: Scale
    y: Scale
    fills: list[Callable[[Canvas], None]] = field(default_factory=list)
    lines: list[Callable[[Canvas], None]] = field(default_factory=list)
    #: value labels (drawn before the guide labels, as the artists were added)
    labels: list[Callable[[Canvas], None]] = field(default_factory=list)
    texts: list[Callable[[Canvas], None]] = field(default_factory=list)
    guides: list[tuple[Guide, Scale, tuple[float, float]]] = field(default_factory=list)


def _frame(
    spec: ChartSpec,
    fonts: dict[str, float],
    plot: Plot,
    value: tuple[float, float],
    *,
    value_axis: str = "y",
    categories: int | None = None,
    category_limits: tuple[float, float] | None = None,
    numeric_x: tuple[float, float] = (0.0, 1.0),
) -> Frame:
    """Scales and guides from the auto limits (``charts.cartesian._finish_cartesian``)."""
    vguide, vlim = value_guide(spec, fonts, value_axis, value)
    if categories is not None:
        lo, hi = category_limits or (-0.5, categories - 0.5)
        cguide = category_guide(spec, categories, fonts, "x" if value_axis == "y" else "y")
        clim = (lo, hi)
    else:
        cguide, clim = numeric_guide(spec, fonts, numeric_x)
        lo, hi = clim
    if value_axis == "y":
        x, y = plot.x_scale(lo, hi), plot.y_scale(*vlim)
        frame = Frame(plot, x, y)
        frame.guides = [(vguide, y, vlim), (cguide, x, clim)]
    else:  # horizontal bars: the first category on top
        x, y = plot.x_scale(*vlim), plot.y_scale(hi, lo)
        frame = Frame(plot, x, y)
        frame.guides = [(vguide, x, vlim), (cguide, y, (lo, hi))]
    if spec.y_scale != "linear" or spec.x_scale != "linear":  # axes: log and time scales
        rescale(spec, fonts, frame)
    frame.texts.append(lambda c: axis_titles(c, spec, fonts, plot, frame.guides))
    return frame


def _value_label(
    frame: Frame, text: str, x: float, y: float, dx: float, dy: float, ha: str, va: str, size: float
) -> None:
    """An annotation ``dx, dy`` points from a data point (y up, as matplotlib's offsets)."""
    frame.labels.append(
        lambda c: c.text(
            frame.x(x) + dx * PT, frame.y(y) - dy * PT, text, size=size, color=INK, ha=ha, va=va
        )
    )


def _zero_line(spec: ChartSpec, frame: Frame, values: list[float], *, vertical: bool) -> None:
    """``tidy_labels``: the zero line drawn over the bars and fills when the data crosses it."""
    _guide, scale, limits = frame.guides[0]
    if spec.tidy_labels and crosses_zero(values, limits):
        frame.lines.insert(0, lambda c: draw_zero_line(c, frame.plot, scale, vertical=vertical))


def bar(spec: ChartSpec, fonts: dict[str, float], plot: Plot) -> Frame:
    """Grouped or stacked bars, vertical or horizontal (``charts.cartesian.draw_bar``)."""
    count = max(len(s.values) for s in spec.series)
    n = len(spec.series)
    overlap = spec.styling.bar_overlap
    group, width, step, limits = bar_geometry(as_axes(plot, spec), spec)
    pos_base, neg_base = np.zeros(count), np.zeros(count)
    lo = hi = 0.0
    rects: list[tuple[float, float, float, float, str]] = []  # offset, start, length, colour
    labels: list[tuple[float, float, float]] = []
    for i, s in enumerate(spec.series):
        arr = as_array(s.values, count)
        clean = np.nan_to_num(arr)
        base = np.where(clean >= 0, pos_base, neg_base) if spec.stacked else np.zeros(count)
        colors = series_colors(spec, i, count)
        for j in range(count):
            if np.isnan(arr[j]):
                continue
            single = spec.stacked or n == 1 or overlap
            offset = j - width / 2 if single else j - group / 2 + step * i
            start, length = float(base[j]), float(clean[j])
            color = colors[j] if isinstance(colors, list) else colors
            rects.append((offset, start, length, width, color))
            lo, hi = min(lo, start, start + length), max(hi, start, start + length)
            if spec.value_labels:
                labels.append((offset + width / 2, start, length))
        if spec.stacked:
            pos_base = pos_base + np.where(clean > 0, clean, 0)
            neg_base = neg_base + np.where(clean < 0, clean, 0)
    if hi == lo:
        hi = lo + 1.0
    span = hi - lo
    value = (lo - (0.05 * span if lo < 0 else 0), hi + (0.05 * span if hi > 0 else 0))
    axis = "x" if spec.horizontal else "y"
    frame = _frame(
        spec, fonts, plot, value, value_axis=axis, categories=count, category_limits=limits
    )

    def draw(canvas: Canvas) -> None:
        for offset, start, length, thick, color in rects:
            if spec.horizontal:
                x0, x1 = frame.x(start), frame.x(start + length)
                y0, y1 = frame.y(offset), frame.y(offset + thick)
            else:
                x0, x1 = frame.x(offset), frame.x(offset + thick)
                y0, y1 = frame.y(start), frame.y(start + length)
            canvas.path(
                [(x0, y0), (x1, y0), (x1, y1), (x0, y1)], closed=True, fill=color, stroke=None
            )

    frame.fills.append(draw)
    _zero_line(spec, frame, [r[1] + r[2] for r in rects], vertical=spec.horizontal)
    anchored = [_bar_anchor(frame, spec, *label) for label in labels]
    size = fonts["value"]
    if spec.tidy_labels:  # the same anchors; a label overlapping an earlier one is dropped
        frame.labels.append(lambda c: draw_anchored_labels(c, anchored, size))
    else:
        for text, x, y, ha, va in anchored:
            frame.labels.append(partial(_text, text=text, x=x, y=y, ha=ha, va=va, size=size))
    return frame


def _text(canvas: Canvas, text: str, x: float, y: float, ha: str, va: str, size: float) -> None:
    canvas.text(x, y, text, size=size, color=INK, ha=ha, va=va)


def _bar_anchor(
    frame: Frame, spec: ChartSpec, middle: float, start: float, length: float
) -> tuple[str, float, float, str, str]:
    """Where a bar's value label is anchored (CSS px): past its end, or mid-segment if stacked."""
    text = format_number(length, number_format(spec))
    if spec.stacked:
        at, shift = start + length / 2, 0.0
    else:
        at, shift = start + length, (3.0 if length >= 0 else -3.0) * PT
    if spec.horizontal:
        ha = "center" if spec.stacked else ("left" if length >= 0 else "right")
        return text, frame.x(at) + shift, frame.y(middle), ha, "center"
    va = "center" if spec.stacked else ("bottom" if length >= 0 else "top")
    return text, frame.x(middle), frame.y(at) - shift, "center", va


def _points(frame: Frame, x: np.ndarray, y: np.ndarray) -> list[tuple[float, float]]:
    return list(zip(frame.x.many(x).tolist(), frame.y.many(y).tolist(), strict=True))


def line(spec: ChartSpec, fonts: dict[str, float], plot: Plot, *, fill: bool = False) -> Frame:
    """Lines (or areas, ``fill``) over categories or x values (``draw_line``)."""
    count = max(len(s.values) for s in spec.series)
    cumulative = np.zeros(count)
    drawn: list[tuple[np.ndarray, np.ndarray, Any]] = []  # x, y, series index
    bands: list[tuple[np.ndarray, np.ndarray, np.ndarray, str, float]] = []
    for i, s in enumerate(spec.series):
        y = as_array(s.values)
        x = x_values(s, len(y))
        color = spec.color_for(i)
        if fill and spec.stacked:
            lower = cumulative.copy()
            cumulative = cumulative + np.nan_to_num(as_array(s.values, count))
            x = np.arange(count, dtype=float)
            bands.append((x, lower, cumulative.copy(), color, 0.55))
            y = cumulative.copy()
        elif fill:
            bands.append((x, np.zeros(len(y)), np.nan_to_num(y), color, 0.35))
        drawn.append((x, y, i))
    ys = [v for _, y, _ in drawn for v in y[~np.isnan(y)]] + [
        v for _, lo, up, _, _ in bands for v in (*lo, *up)
    ]
    xs = [v for x, y, _ in drawn for v in x[~np.isnan(y) & ~np.isnan(x)]]
    xs += [v for x, *_ in bands for v in x]
    auto_y = autoscale(min(ys), max(ys)) if ys else (-0.05, 0.05)
    if fill and spec.y_axis.min is None:
        values = [v for s in spec.series for v in s.values if v is not None]
        auto_y = (min(0.0, min(values, default=0.0)), auto_y[1])
    if any(s.x is not None for s in spec.series):
        auto_x = autoscale(min(xs), max(xs)) if xs else (-0.05, 0.05)
        frame = _frame(spec, fonts, plot, auto_y, numeric_x=auto_x)
    else:
        edges = (-0.25, count - 0.75) if count > 1 else (-1.0, 1.0)
        if plain_lines(spec):
            edges = (0.0, float(max(count - 1, 1)))  # Google: first and last point on the edges
        frame = _frame(spec, fonts, plot, auto_y, categories=count, category_limits=edges)
    for x, lower, upper, color, alpha in bands:
        outline = np.concatenate([np.column_stack([x, upper]), np.column_stack([x, lower])[::-1]])
        pts = _points(frame, outline[:, 0], outline[:, 1])
        frame.fills.append(partial(_polygon, points=pts, fill=color, alpha=alpha))
    plain = plain_lines(spec)
    for x, y, i in drawn:
        s = spec.series[i]
        pts = _points(frame, x, y)
        width = s.line_width or 2.0
        dash = [d * width for d in s.dash] if s.dash else None
        marker = len(y) <= 24 and not fill and not plain
        color = spec.color_for(i)
        frame.lines.append(
            partial(_polyline, points=pts, color=color, width=width, dash=dash, marker=marker)
        )
        if spec.value_labels and not spec.tidy_labels:
            for xv, yv in zip(x, y, strict=True):
                if not np.isnan(yv):
                    text = format_number(float(yv), number_format(spec))
                    _value_label(
                        frame, text, xv, yv, 0.0, 4.0, "center", "baseline", fonts["value"]
                    )
    _zero_line(spec, frame, ys, vertical=False)
    if spec.value_labels and spec.tidy_labels:
        fmt = number_format(spec)
        lines = [
            (
                y.tolist(),
                _points(frame, x, y),
                ["" if np.isnan(v) else format_number(float(v), fmt) for v in y],
            )
            for x, y, _ in drawn
        ]
        frame.labels.append(lambda c: draw_line_labels(c, lines, fonts["value"]))
    return frame


def plain_lines(spec: ChartSpec) -> bool:
    """Google lines: no point markers, the first and last point on the plot edges."""
    styling = spec.styling
    return spec.kind is ChartKind.line and styling.plain_lines and styling.axes is not None


def _polygon(
    canvas: Canvas, points: list[tuple[float, float]], fill: str, alpha: float | None = None
) -> None:
    canvas.path(points, closed=True, fill=fill, alpha=alpha)


def _band(
    canvas: Canvas, polygons: list[list[tuple[float, float]]], fill: str, alpha: float
) -> None:
    canvas.fill_snapped(polygons, fill=fill, alpha=alpha)


def _runs(mask: np.ndarray) -> list[slice]:
    """The slices where ``mask`` holds, in order."""
    edges = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    return [slice(int(a), int(b)) for a, b in zip(starts, ends, strict=True)]


def _polyline(
    canvas: Canvas,
    points: list[tuple[float, float]],
    color: str,
    width: float,
    dash: list[float] | None,
    marker: bool,
) -> None:
    """A ``Line2D``: round joins, projecting caps (butt when dashed), then its "o" markers."""
    cap = "butt" if dash else "projecting"  # Line2D's dash_capstyle and solid_capstyle
    canvas.path(points, stroke=color, line_width=width, dash=dash, cap=cap, join="round")
    if marker:
        finite = [p for p in points if not (math.isnan(p[0]) or math.isnan(p[1]))]
        canvas.markers(finite, CIRCLE, size=3.5, fill=color, stroke=color, line_width=1.0)


def area(spec: ChartSpec, fonts: dict[str, float], plot: Plot) -> Frame:
    return line(spec, fonts, plot, fill=True)


def scatter(spec: ChartSpec, fonts: dict[str, float], plot: Plot) -> Frame:
    """Points or bubbles (``draw_scatter``)."""
    area_px = spec.width * spec.height
    largest = max((max(s.sizes, default=0) for s in spec.series if s.sizes), default=0)
    points: list[tuple[np.ndarray, np.ndarray, np.ndarray, list[str], float]] = []
    for i, s in enumerate(spec.series):
        y = as_array(s.values)
        x = x_values(s, len(y))
        if s.sizes and largest > 0:
            sizes = np.array(s.sizes) / largest * area_px / 150 + 4
        else:
            sizes = np.full(len(y), max(12.0, min(40.0, area_px / 4000)))
        sizes = np.resize(sizes, len(y))
        colors = series_colors(spec, i, len(y)) if s.point_colors else [spec.color_for(i)] * len(y)
        points.append((x, y, sizes, colors, 0.75 if s.sizes else 0.9))
    finite = [
        (a, b)
        for x, y, *_ in points
        for a, b in zip(x, y, strict=True)
        if not (np.isnan(a) or np.isnan(b))
    ]
    xs, ys = [p[0] for p in finite], [p[1] for p in finite]
    auto_x = autoscale(min(xs), max(xs)) if xs else (-0.05, 0.05)
    auto_y = autoscale(min(ys), max(ys)) if ys else (-0.05, 0.05)
    frame = _frame(spec, fonts, plot, auto_y, numeric_x=auto_x)

    def draw(canvas: Canvas) -> None:
        for x, y, sizes, colors, alpha in points:
            ok = ~np.isnan(x) & ~np.isnan(y)
            if not ok.any():
                continue
            centres = list(
                zip(frame.x.many(x[ok]).tolist(), frame.y.many(y[ok]).tolist(), strict=True)
            )
            # a scatter's s is an area in points²: the marker is sqrt(s) points across
            across = (
                np.sqrt(sizes[ok]).tolist()
                if len(set(sizes.tolist())) > 1
                else [math.sqrt(sizes[0])]
            )
            fills = (
                [c for c, keep in zip(colors, ok, strict=True) if keep]
                if len(set(colors)) > 1
                else colors[:1]
            )
            canvas.points(centres, CIRCLE, sizes=across, fills=fills, alpha=alpha)

    frame.fills.append(draw)
    return frame


def sparkline(spec: ChartSpec, fonts: dict[str, float], plot: Plot) -> Frame:
    """A bare line (and a soft fill for one series), no guides (``draw_sparkline``)."""
    shapes: list[tuple[np.ndarray, np.ndarray, str, float, bool]] = []
    xs: list[float] = []
    ys: list[float] = []
    for i, s in enumerate(spec.series):
        y = as_array(s.values)
        x = x_values(s, len(y))
        ok = ~np.isnan(y) & ~np.isnan(x)
        xs += x[ok].tolist()
        ys += y[ok].tolist()
        shapes.append((x, y, spec.color_for(i), s.line_width or 1.5, len(spec.series) == 1))
    lo_x, hi_x = autoscale(min(xs), max(xs), 0.01) if xs else (-0.05, 0.05)
    lo_y, hi_y = autoscale(min(ys), max(ys), 0.08) if ys else (-0.05, 0.05)
    if spec.y_axis.min is not None:
        lo_y = spec.y_axis.min
    if spec.y_axis.max is not None:
        hi_y = spec.y_axis.max
    frame = Frame(plot, plot.x_scale(lo_x, hi_x), plot.y_scale(lo_y, hi_y))
    for x, y, color, width, soft in shapes:
        pts = _points(frame, x, y)
        if soft:
            base = float(np.nanmin(y))
            bands = []
            for run in _runs(~np.isnan(y) & ~np.isnan(x)):
                # fill_between(x, base, y): start, along base, end, back along y
                xr, yr = x[run], y[run]
                px = np.concatenate([[xr[0]], xr, [xr[-1]], xr[::-1]])
                py = np.concatenate([[yr[0]], np.full(len(xr), base), [yr[-1]], yr[::-1]])
                bands.append(_points(frame, px, py))
            frame.fills.append(partial(_band, polygons=bands, fill=color, alpha=0.15))
        frame.lines.append(
            partial(_polyline, points=pts, color=color, width=width, dash=None, marker=False)
        )
    return frame


KINDS: dict[ChartKind, Callable[[ChartSpec, dict[str, float], Plot], Frame]] = {
    ChartKind.bar: bar,
    ChartKind.line: line,
    ChartKind.area: area,
    ChartKind.scatter: scatter,
    ChartKind.sparkline: sparkline,
}


def draw_frame(canvas: Canvas, frame: Frame, under: Callable[[Canvas], None] | None = None) -> None:
    """The layers in matplotlib's z-order; ``under`` (Google grid) goes with the grid."""
    plot = frame.plot
    for guide, scale, limits in frame.guides:
        draw_guide(canvas, plot, guide, scale, limits, part="grid")
    if under is not None:
        under(canvas)
    with canvas.clip(plot.left, plot.top, plot.width, plot.height):
        for draw in frame.fills:
            draw(canvas)
        for draw in frame.lines:
            draw(canvas)
    for guide, scale, limits in frame.guides:
        draw_guide(canvas, plot, guide, scale, limits, part="line")
    for draw in frame.labels:
        draw(canvas)
    for guide, scale, limits in frame.guides:
        draw_guide(canvas, plot, guide, scale, limits, part="labels")
    for draw in frame.texts:
        draw(canvas)
