"""Markers on series (Google ``chm``): area fills, value labels, lines, text, shapes.

Positions come from what the chart drew: bar tops from the bar containers,
line and scatter points from the spec's (already scaled) values.
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.axes import Axes
from matplotlib.patches import Rectangle
from matplotlib.transforms import Transform

from chartographer.charts import compound
from chartographer.charts.cartesian import bar_geometry
from chartographer.charts.circular import radar_scale, radar_xy
from chartographer.charts.curves import spline
from chartographer.charts.layout import text_px
from chartographer.charts.spec import ChartKind, ChartSpec
from chartographer.charts.styling import Marker

PX = 0.72
_SHAPES = {"o": "o", "s": "s", "d": "D", "x": "x", "c": "+", "a": "v", "C": "s"}

Point = tuple[float, float] | None


def series_points(ax: Axes, spec: ChartSpec, index: int) -> list[Point]:
    """Where each value of series ``index`` was drawn, in data coordinates."""
    values: tuple[float | None, ...]
    if index >= len(spec.series):  # a compound chart's marker-only series (chd=t1:)
        hidden = spec.styling.marker_series[index - len(spec.series)]
        values, given_x = hidden.values, hidden.x
        if spec.kind is ChartKind.bar and spec.horizontal:
            return [None if v is None else (float(v), float(j)) for j, v in enumerate(values)]
    elif spec.kind is ChartKind.bar:
        return _bar_tops(ax, spec, index)
    elif spec.kind is ChartKind.radar:  # hook: Google chm on r/rs
        count, lo, hi, _ = radar_scale(spec)
        return [
            None if v is None else radar_xy(count, lo, hi, j, v)
            for j, v in enumerate(spec.series[index].values)
        ]
    else:
        values, given_x = spec.series[index].values, spec.series[index].x
    xs = given_x if given_x is not None else tuple(float(i) for i in range(len(values)))
    return [
        None if x is None or y is None else (float(x), float(y))
        for x, y in zip(xs, values, strict=False)
    ]


def _bar_tops(ax: Axes, spec: ChartSpec, index: int) -> list[Point]:
    """The end of each bar of series ``index``, laid out as the bar drawer lays it out."""
    count = max(len(s.values) for s in spec.series)
    n = len(spec.series)
    single = spec.stacked or n == 1 or spec.styling.bar_overlap
    group, width, step, _ = bar_geometry(ax, spec)  # hook: Google chbh
    pos = np.zeros(count)
    neg = np.zeros(count)
    out: list[Point] = []
    for i, series in enumerate(spec.series[: index + 1]):
        values = np.array(
            [np.nan if v is None else v for v in series.values]
            + [np.nan] * (count - len(series.values))
        )
        clean = np.nan_to_num(values)
        base = np.where(clean >= 0, pos, neg) if spec.stacked else np.zeros(count)
        if i == index:
            for j in range(len(series.values)):
                centre = j if single else j - group / 2 + step * i + width / 2
                end = float(base[j] + clean[j])
                out.append(
                    None
                    if np.isnan(values[j])
                    else ((end, float(centre)) if spec.horizontal else (float(centre), end))
                )
        if spec.stacked:
            pos = pos + np.where(clean > 0, clean, 0)
            neg = neg + np.where(clean < 0, clean, 0)
    return out


def _chosen(points: list[Point], which: tuple[int, int, int]) -> list[tuple[int, float, float]]:
    start, end, step = which
    last = len(points) - 1 if end < 0 else min(end, len(points) - 1)
    out = []
    for i in range(start, last + 1, step):
        point = points[i]
        if point is not None:
            out.append((i, point[0], point[1]))
    return out


def format_value(value: float, number: tuple[str, str, int, str]) -> str:
    """A value as Google's ``N`` marker formats it (``*f2*``, ``*p0*``, ``*e*``, ``*cEUR*``)."""
    prefix, kind, places, suffix = number
    if kind == "p":
        text = f"{value * 100:.{places if places >= 0 else 0}f}%"
    elif kind == "e":
        text = f"{value:.{places if places >= 0 else 2}e}"
    elif kind in ("f", "c"):
        text = (
            f"{value:,.{places if places >= 0 else 0}f}"
            if kind == "c"
            else (f"{value:.{places if places >= 0 else 0}f}")
        )
    elif float(value).is_integer():
        text = str(int(value))
    else:
        text = f"{value:.6g}"
    return prefix + text + suffix


def draw_marker(
    ax: Axes,
    spec: ChartSpec,
    marker: Marker,
    fonts: dict[str, float],
    placed: list[compound.Box] | None = None,
) -> None:
    """Draw one marker; one that names a missing series or point draws nothing.

    ``placed`` collects the boxes of ``A`` annotations drawn so far, so the
    next one can move clear of them.
    """
    zorder = 4.0 if marker.above else 0.9
    if marker.type in ("r", "R") and marker.band is not None:
        start, end = sorted(marker.band)
        corner, size = (
            ((0.0, start), (1.0, end - start))
            if marker.type == "r"
            else ((start, 0.0), (end - start, 1.0))
        )
        ax.add_patch(
            Rectangle(
                corner,
                *size,
                transform=ax.transAxes,
                facecolor=marker.color,
                edgecolor="none",
                zorder=0.4,
            )
        )
        return
    if marker.at is not None:  # hook: Google @x:y, a place on the plot, not a data point
        _at_point(ax, spec, marker, -1, marker.at, ax.transAxes, zorder, placed)
        return
    points = series_points(ax, spec, marker.series)
    if marker.type in ("B", "b", "D"):
        _draw_series_line(ax, spec, marker, points)
        return
    if marker.type in ("E", "F"):  # hook: Google error bars and candlesticks
        _compound(ax, spec, marker, points, zorder)
        return
    for i, x, y in _chosen(points, marker.points):
        _at_point(ax, spec, marker, i, (x, y), ax.transData, zorder, placed)


def _compound(
    ax: Axes, spec: ChartSpec, marker: Marker, points: list[Point], zorder: float
) -> None:
    """E from each point to the next series' point; F over four series from this one."""
    count = 2 if marker.type == "E" else 4
    others = [series_points(ax, spec, marker.series + k) for k in range(1, count)]
    horizontal = spec.kind is ChartKind.bar and spec.horizontal
    for i, _, _ in _chosen(points, marker.points):
        group = [points[i]] + [o[i] if i < len(o) else None for o in others]
        if any(p is None for p in group):
            continue
        ends = [p for p in group if p is not None]
        if marker.type == "E":
            compound.error_bar(ax, marker, ends[0], ends[1], zorder)
        else:
            compound.candlestick(ax, marker, ends, horizontal, zorder)


def _at_point(
    ax: Axes,
    spec: ChartSpec,
    marker: Marker,
    i: int,
    at: tuple[float, float],
    transform: Transform,
    zorder: float,
    placed: list[compound.Box] | None,
) -> None:
    """One marker at one place: point ``i`` of its series (``-1``: an ``@`` position)."""
    x, y = at
    if transform is ax.transAxes and marker.type in ("h", "V", "v"):  # lines go by data
        (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
        x, y = x0 + x * (x1 - x0), y0 + y * (y1 - y0)
    if marker.type == "N":
        raw = spec.styling.raw_values
        value = raw[marker.series][i] if marker.series < len(raw) else y
        _label(
            ax, x, y, format_value(value if value is not None else y, marker.number), marker, spec
        )
    elif marker.type == "t":
        _label(ax, x, y, marker.text, marker, spec, transform)
    elif marker.type in ("f", "A"):
        compound.flag(ax, marker, at, transform, placed, zorder)
    elif marker.type == "H":
        compound.short_line(ax, marker, at, zorder)
    elif marker.type == "h":
        ax.axhline(y, color=marker.color, linewidth=marker.size * PX, zorder=zorder)
    elif marker.type == "V":
        ax.axvline(x, color=marker.color, linewidth=marker.size * PX, zorder=zorder)
    elif marker.type == "v":
        bottom = min(ax.get_ylim())
        ax.plot([x, x], [bottom, y], color=marker.color, linewidth=marker.size * PX, zorder=zorder)
    else:
        ax.plot(
            [x],
            [y],
            linestyle="none",
            marker=_SHAPES[marker.type],
            markersize=marker.size * PX,
            color=marker.color,
            markeredgewidth=max(marker.size * PX / 5, 1.0),
            zorder=zorder,
            clip_on=False,
            transform=transform,
        )


def _label(
    ax: Axes,
    x: float,
    y: float,
    text: str,
    marker: Marker,
    spec: ChartSpec,
    transform: Transform | None = None,
) -> None:
    where = transform if transform is not None else ax.transData
    horizontal = spec.kind is ChartKind.bar and spec.horizontal
    ha = "left" if horizontal else "center"
    # a label that would run off the image's side turns to stay inside it
    figure = ax.get_figure(root=True)
    scale = figure.dpi / 100 if figure is not None else 1.0
    at = float(where.transform((x, y))[0])
    half = text_px(text, marker.size * PX) * scale * 0.6
    limit = figure.bbox.width - 2 if figure is not None else math.inf
    if not horizontal and at - half < 2:
        ha = "left"
    elif at + (2 * half if horizontal else half) > limit:
        ha = "right"
    ax.annotate(
        text,
        (x, y),
        xycoords=where,
        textcoords="offset points",
        xytext=(4, 0) if horizontal and ha == "left" else ((-4, 0) if horizontal else (0, 3)),
        ha=ha,
        va="center" if horizontal else "bottom",
        fontsize=marker.size * PX,
        color=marker.color,
        zorder=5,
        annotation_clip=False,
    )


def _draw_series_line(ax: Axes, spec: ChartSpec, marker: Marker, points: list[Point]) -> None:
    xs = np.array([np.nan if p is None else p[0] for p in points])
    ys = np.array([np.nan if p is None else p[1] for p in points])
    if marker.type == "D":
        ax.plot(
            xs,
            ys,
            color=marker.color,
            linewidth=marker.size * PX,
            zorder=4.0 if marker.above else 0.9,
            solid_capstyle="round",
        )
        return
    if marker.type == "b" and marker.other is not None:
        xs, ys, lower = _between(xs, ys, series_points(ax, spec, marker.other))
    elif spec.kind is ChartKind.radar:  # B on a radar fills the series polygon
        keep = ~np.isnan(xs) & ~np.isnan(ys)
        xs, ys = xs[keep], ys[keep]
        if spec.styling.radar_splines:  # rs: the fill follows the curve
            xs, ys = spline(xs, ys, closed=True)
        ax.fill(xs, ys, color=marker.color, linewidth=0, zorder=0.8)
        return
    else:
        lower = np.full(len(ys), min(ax.get_ylim()))
    ax.fill_between(xs, lower, ys, color=marker.color, linewidth=0, zorder=0.8)


def _between(
    xs: np.ndarray, ys: np.ndarray, other: list[Point]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Two series on one set of x positions (they may have different point counts)."""
    ox = np.array([np.nan if p is None else p[0] for p in other])
    oy = np.array([np.nan if p is None else p[1] for p in other])
    if len(ox) == len(xs) and np.array_equal(ox, xs, equal_nan=True):
        return xs, ys, oy  # the same slots: gaps stay gaps
    mine, theirs = ~np.isnan(ys) & ~np.isnan(xs), ~np.isnan(oy) & ~np.isnan(ox)
    if not mine.any() or not theirs.any():
        return xs[:0], ys[:0], ys[:0]
    lo = max(xs[mine].min(), ox[theirs].min())
    hi = min(xs[mine].max(), ox[theirs].max())
    grid = np.union1d(xs[mine], ox[theirs])
    grid = grid[(grid >= lo) & (grid <= hi)]
    upper = np.interp(grid, xs[mine], ys[mine])
    lower = np.interp(grid, ox[theirs], oy[theirs])
    return grid, upper, lower
