"""Charts on x/y axes: bar, line, area, sparkline and scatter, with their guides."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.patches import Polygon, Rectangle
from matplotlib.transforms import offset_copy

from chartographer.charts.artists.circular import add_shape
from chartographer.charts.artists.guides import PX, Guide, draw_guide, figure_of, nice_ticks
from chartographer.charts.labels import even_indices, shorten
from chartographer.charts.layout import (
    DPI,
    INK,
    as_array,
    category_plan,
    format_number,
    number_format,
    text_px,
    value_scale,
)
from chartographer.charts.numbers import axis_labels
from chartographer.charts.spec import ChartKind, ChartSpec, Series


def _hide_native_axes(ax: Axes) -> None:
    """Switch off matplotlib's Axis/Tick machinery; guides draw the axes instead."""
    ax.xaxis.set_visible(False)
    ax.yaxis.set_visible(False)
    for spine in ax.spines.values():
        spine.set_visible(False)


def _value_guide(
    ax: Axes, spec: ChartSpec, fonts: dict[str, float], value_axis: str
) -> tuple[Guide, tuple[float, float]]:
    """Fix the value axis limits to round ticks and describe its guide."""
    axis = spec.y_axis if value_axis == "y" else spec.x_axis
    get_limits = ax.get_ylim if value_axis == "y" else ax.get_xlim
    auto_lo, auto_hi = sorted(get_limits())
    lo = axis.min if axis.min is not None else auto_lo
    hi = axis.max if axis.max is not None else auto_hi
    if axis.min is None and lo < 0 <= _data_min(spec):
        lo = 0.0  # all data is non-negative: do not invent a negative tick
    fmt = number_format(spec)
    if axis.ticks is not None:
        positions = [float(t) for t in axis.ticks]
        labels = list(axis.tick_labels or axis_labels(positions, fmt))
    else:  # the layout's scale: round ticks whose ends hug the data
        positions, lo, hi = value_scale(spec)
        labels = axis_labels(positions, fmt)
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    _set_limits(ax, value_axis, lo, hi)
    guide = Guide(
        side="left" if value_axis == "y" else "bottom",
        positions=positions,
        labels=labels if axis.visible else [],
        font_size=axis.font_size or fonts["tick"],
        color=axis.color or INK,
        grid=spec.gridlines,
        line=value_axis == "x",
    )
    return guide, (lo, hi)


def _data_min(spec: ChartSpec) -> float:
    return min((v for s in spec.series for v in s.values if v is not None), default=0.0)


def _set_limits(ax: Axes, axis: str, lo: float, hi: float, *, inverted: bool = False) -> None:
    a, b = (hi, lo) if inverted else (lo, hi)
    if axis == "y":
        ax.set_ylim(a, b)
    else:
        ax.set_xlim(a, b)


def category_guide(spec: ChartSpec, count: int, fonts: dict[str, float], axis: str) -> Guide:
    positions: list[float] = list(range(count))
    labels = [spec.labels[i] if i < len(spec.labels) else "" for i in range(count)]
    chosen = spec.x_axis if axis == "x" else spec.y_axis
    size = chosen.font_size or fonts["tick"]
    rotation = 0
    plan = category_plan(spec, fonts) if axis == "x" else None
    if plan is not None:  # thinned evenly or on calendar steps, maybe rotated (charts.labels)
        positions = [float(i) for i in plan.shown]
        labels = list(plan.texts)
        rotation = plan.angle
    elif labels and axis == "y":
        # horizontal bars: one label per line of text, first and last kept, none
        # longer than the margin the layout gave them
        line = size * DPI / 72 * 1.3
        shown = max(1, math.floor(spec.height * 0.8 / line))
        keep = set(even_indices(count, shown))
        limit = min(max(text_px(t, size) for t in labels), spec.width * 0.45 - 14)
        labels = [
            shorten(t, limit, lambda x: text_px(x, size)) if i in keep else ""
            for i, t in enumerate(labels)
        ]
    elif labels:
        room = spec.width * 0.8
        step = max(1, math.ceil(count * (max(text_px(t, size) for t in labels) + 6) / room))
        labels = [t if i % step == 0 else "" for i, t in enumerate(labels)]
    return Guide(
        side="bottom" if axis == "x" else "left",
        positions=positions,
        labels=labels if chosen.visible else [],
        font_size=size,
        color=chosen.color or INK,
        tick_length=0,
        line=axis == "x",
        rotation=rotation,
        aligns=plan.align if plan is not None else (),
    )


def numeric_guide(
    spec: ChartSpec, fonts: dict[str, float], auto: tuple[float, float]
) -> tuple[Guide, tuple[float, float]]:
    """A numeric x axis (scatter, xy lines) from the automatic limits; no Axes needed."""
    lo, hi = auto
    lo = spec.x_axis.min if spec.x_axis.min is not None else lo
    hi = spec.x_axis.max if spec.x_axis.max is not None else hi
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    positions = nice_ticks(lo, hi)
    guide = Guide(
        side="bottom",
        positions=positions,
        labels=axis_labels(positions, number_format(spec)) if spec.x_axis.visible else [],
        font_size=spec.x_axis.font_size or fonts["tick"],
        color=spec.x_axis.color or INK,
        grid=spec.gridlines and spec.kind is ChartKind.scatter,
    )
    return guide, (lo, hi)


def _numeric_guide(
    ax: Axes, spec: ChartSpec, fonts: dict[str, float]
) -> tuple[Guide, tuple[float, float]]:
    guide, (lo, hi) = numeric_guide(spec, fonts, ax.get_xlim())
    ax.set_xlim(lo, hi)
    return guide, (lo, hi)


def _finish_cartesian(
    ax: Axes,
    spec: ChartSpec,
    fonts: dict[str, float],
    *,
    value_axis: str = "y",
    categories: int | None = None,
    category_limits: tuple[float, float] | None = None,
) -> None:
    """Fix limits, then draw value and category/numeric guides and axis titles."""
    _hide_native_axes(ax)
    other = "x" if value_axis == "y" else "y"
    value, value_limits = _value_guide(ax, spec, fonts, value_axis)
    if categories is not None:
        lo, hi = category_limits or (-0.5, categories - 0.5)
        _set_limits(ax, other, lo, hi, inverted=other == "y")
        second = category_guide(spec, categories, fonts, other)
        second_limits = (lo, hi)
    else:
        second, second_limits = _numeric_guide(ax, spec, fonts)
    draw_guide(ax, value, value_limits)
    draw_guide(ax, second, second_limits)
    _axis_titles(ax, spec, fonts, left=value if value.side == "left" else second)


def _axis_titles(ax: Axes, spec: ChartSpec, fonts: dict[str, float], left: Guide) -> None:
    size = fonts["label"]
    line = size * DPI / 72  # one line of text, in pixels
    if spec.x_axis.title:
        below = (3 + 3 + line * 1.25 + 2) * PX
        ax.text(
            0.5,
            0,
            spec.x_axis.title,
            transform=offset_copy(ax.transAxes, fig=figure_of(ax), y=-below, units="points"),
            ha="center",
            va="top",
            fontsize=size,
            color=INK,
        )
    if spec.y_axis.title:
        widest = max((text_px(t, left.font_size) for t in left.labels), default=0)
        beside = (3 + left.tick_length + widest + 4) * PX
        ax.text(
            0,
            0.5,
            spec.y_axis.title,
            transform=offset_copy(ax.transAxes, fig=figure_of(ax), x=-beside, units="points"),
            ha="right",
            va="center",
            rotation=90,
            fontsize=size,
            color=INK,
        )


def series_colors(spec: ChartSpec, index: int, count: int) -> Any:
    series = spec.series[index]
    if series.point_colors:
        return [series.point_colors[i % len(series.point_colors)] for i in range(count)]
    return spec.color_for(index)


def bar_geometry(ax: Axes, spec: ChartSpec) -> tuple[float, float, float, tuple[float, float]]:
    """Group width, bar width, bar-to-bar step and category limits, in category units.

    Category ``j``'s group is centred on ``j``. With Google ``chbh`` pixels one unit
    is one group plus its gap, so groups pack from the start and the rest stays empty.
    """
    count = max(len(s.values) for s in spec.series)
    single = spec.stacked or len(spec.series) == 1 or spec.styling.bar_overlap
    per_group = 1 if single else len(spec.series)
    pixels = spec.styling.bar_pixels  # hook: Google chbh in pixels
    if pixels is None:
        group = spec.styling.bar_group or 0.8  # hook: Google chbh r
        width = group / per_group
        return group, width, width, (-0.5, count - 0.5)
    box = ax.get_position()
    room = box.height * spec.height if spec.horizontal else box.width * spec.width
    bar, gap, group_gap = pixels
    if bar <= 0:  # a: fit the bars to the plot
        bar = max((room / count - group_gap - (per_group - 1) * gap) / per_group, 1.0)
    group_px = per_group * bar + (per_group - 1) * gap
    slot = group_px + group_gap
    return group_px / slot, bar / slot, (bar + gap) / slot, (-0.5, -0.5 + room / slot)


def draw_bar(ax: Axes, spec: ChartSpec, fonts: dict[str, float]) -> None:
    """Grouped or stacked bars, vertical or horizontal, as plain rectangles."""
    count = max(len(s.values) for s in spec.series)
    n = len(spec.series)
    overlap = spec.styling.bar_overlap  # hook: Google bvo draws every series from zero
    group, width, step, limits = bar_geometry(ax, spec)
    pos_base = np.zeros(count)
    neg_base = np.zeros(count)
    lo = hi = 0.0
    for i, s in enumerate(spec.series):
        arr = as_array(s.values, count)
        clean = np.nan_to_num(arr)
        base = np.where(clean >= 0, pos_base, neg_base) if spec.stacked else np.zeros(count)
        colors = series_colors(spec, i, count)
        for j in range(count):
            if np.isnan(arr[j]):
                continue
            offset = (
                j - width / 2 if spec.stacked or n == 1 or overlap else j - group / 2 + step * i
            )
            start, length = float(base[j]), float(clean[j])
            color = colors[j] if isinstance(colors, list) else colors
            if spec.horizontal:
                rect = Rectangle((start, offset), length, width, facecolor=color, linewidth=0)
            else:
                rect = Rectangle((offset, start), width, length, facecolor=color, linewidth=0)
            add_shape(ax, rect)
            lo, hi = min(lo, start, start + length), max(hi, start, start + length)
            if spec.value_labels:
                _bar_value_label(ax, spec, fonts, offset + width / 2, start, length)
        if spec.stacked:
            pos_base = pos_base + np.where(clean > 0, clean, 0)
            neg_base = neg_base + np.where(clean < 0, clean, 0)
    # leave 5 % headroom past the longest bar, never below/above zero
    if hi == lo:  # all zero: show an empty 0–1 scale
        hi = lo + 1.0
    span = hi - lo
    value_axis = "x" if spec.horizontal else "y"
    _set_limits(
        ax, value_axis, lo - (0.05 * span if lo < 0 else 0), hi + (0.05 * span if hi > 0 else 0)
    )
    # horizontal bars: the first category on top, as people read
    _finish_cartesian(
        ax, spec, fonts, value_axis=value_axis, categories=count, category_limits=limits
    )


def _bar_value_label(
    ax: Axes, spec: ChartSpec, fonts: dict[str, float], middle: float, start: float, length: float
) -> None:
    text = format_number(length, number_format(spec))
    if spec.stacked:
        at, shift = start + length / 2, 0.0
    else:
        at, shift = start + length, 3.0 if length >= 0 else -3.0
    if spec.horizontal:
        xy, offset = (at, middle), (shift, 0.0)
        ha, va = ("center" if spec.stacked else ("left" if length >= 0 else "right")), "center"
    else:
        xy, offset = (middle, at), (0.0, shift)
        ha, va = "center", ("center" if spec.stacked else ("bottom" if length >= 0 else "top"))
    ax.annotate(
        text,
        xy,
        xytext=offset,
        textcoords="offset points",
        ha=ha,
        va=va,
        fontsize=fonts["value"],
        color=INK,
    )


def x_values(s: Series, count: int) -> np.ndarray:
    if s.x is not None:
        return as_array(s.x)
    return np.arange(count, dtype=float)


def draw_line(ax: Axes, spec: ChartSpec, fonts: dict[str, float], *, fill: bool = False) -> None:
    count = max(len(s.values) for s in spec.series)
    cumulative = np.zeros(count)
    for i, s in enumerate(spec.series):
        y = as_array(s.values)
        x = x_values(s, len(y))
        color = spec.color_for(i)
        if fill and spec.stacked:
            y_full = as_array(s.values, count)
            lower = cumulative.copy()
            cumulative = cumulative + np.nan_to_num(y_full)
            x = np.arange(count, dtype=float)
            _fill_band(ax, x, lower, cumulative, color, 0.55)
            y = cumulative.copy()
        elif fill:
            _fill_band(ax, x, np.zeros(len(y)), np.nan_to_num(y), color, 0.35)
        marker = "o" if len(y) <= 24 and not fill else None
        ax.plot(
            x,
            y,
            color=color,
            linewidth=s.line_width or 2.0,
            marker=marker,
            markersize=3.5,
            label=s.name,
            linestyle=(0, s.dash) if s.dash else "-",
        )
        if spec.value_labels:
            for xv, yv in zip(x, y, strict=True):
                if not np.isnan(yv):
                    ax.annotate(
                        format_number(float(yv), number_format(spec)),
                        (xv, yv),
                        textcoords="offset points",
                        xytext=(0, 4),
                        ha="center",
                        fontsize=fonts["value"],
                        color=INK,
                    )
    if fill and spec.y_axis.min is None:
        lo = min(0.0, float(np.nanmin(as_array([v for s in spec.series for v in s.values]))))
        ax.set_ylim(bottom=lo)
    if any(s.x is not None for s in spec.series):
        _finish_cartesian(ax, spec, fonts)
    else:
        edges = (-0.25, count - 0.75) if count > 1 else (-1.0, 1.0)
        _finish_cartesian(ax, spec, fonts, categories=count, category_limits=edges)


def _fill_band(
    ax: Axes, x: np.ndarray, lower: np.ndarray, upper: np.ndarray, color: str, alpha: float
) -> None:
    """The area between two curves as one polygon (cheaper than ``fill_between``)."""
    outline = np.concatenate([np.column_stack([x, upper]), np.column_stack([x, lower])[::-1]])
    ax.add_patch(Polygon(outline, closed=True, facecolor=color, alpha=alpha, linewidth=0))


def draw_area(ax: Axes, spec: ChartSpec, fonts: dict[str, float]) -> None:
    draw_line(ax, spec, fonts, fill=True)


def draw_sparkline(ax: Axes, spec: ChartSpec, fonts: dict[str, float]) -> None:
    ax.set_axis_off()
    for i, s in enumerate(spec.series):
        y = as_array(s.values)
        x = x_values(s, len(y))
        color = spec.color_for(i)
        ax.plot(x, y, color=color, linewidth=s.line_width or 1.5)
        if len(spec.series) == 1:
            base = float(np.nanmin(y))
            ax.fill_between(x, base, y, color=color, alpha=0.15, linewidth=0)
    ax.margins(x=0.01, y=0.08)
    if spec.y_axis.min is not None or spec.y_axis.max is not None:
        ax.set_ylim(bottom=spec.y_axis.min, top=spec.y_axis.max)


def draw_scatter(ax: Axes, spec: ChartSpec, fonts: dict[str, float]) -> None:
    area = spec.width * spec.height
    largest = max((max(s.sizes, default=0) for s in spec.series if s.sizes), default=0)
    for i, s in enumerate(spec.series):
        y = as_array(s.values)
        x = x_values(s, len(y))
        if s.sizes and largest > 0:
            sizes: Any = np.array(s.sizes) / largest * area / 150 + 4
        else:
            sizes = max(12.0, min(40.0, area / 4000))
        ax.scatter(
            x,
            y,
            s=sizes,
            c=series_colors(spec, i, len(y)) if s.point_colors else spec.color_for(i),
            alpha=0.75 if s.sizes else 0.9,
            label=s.name,
            linewidths=0,
        )
    _finish_cartesian(ax, spec, fonts)
