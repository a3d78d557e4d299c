"""Chart layout computed from the spec, not measured: fonts, margins, tick estimates.

Measuring text and tight layouts is what makes naive matplotlib renders slow;
Chartographer estimates text extents (DejaVu Sans averages ~0.6 em per
character) and places the plot area from them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.ticker import FuncFormatter

from chartographer.charts import scales
from chartographer.charts.artists.guides import nice_ticks
from chartographer.charts.labels import LabelPlan, estimate_width, plan_labels
from chartographer.charts.numbers import (
    DEFAULT,
    NumberFormat,
    axis_labels,
    format_value,
    nice_scale,
    parse_number_format,
)
from chartographer.charts.spec import Axis, ChartKind, ChartSpec

DPI = 100.0


INK = "#333333"


GRID = "#DDDDDD"


CARTESIAN = (ChartKind.bar, ChartKind.line, ChartKind.area, ChartKind.scatter)


def font_sizes(spec: ChartSpec) -> dict[str, float]:
    base = min(max(min(spec.width, spec.height) / 26, 7.0), 11.0)
    return {"tick": base, "label": base, "title": base * 1.3, "value": base * 0.9}


def text_px(text: str, points: float) -> float:
    """Estimated width of ``text``'s longest line in pixels (DejaVu Sans averages ~0.6 em)."""
    longest = max((len(line) for line in text.split("\n")), default=0)
    return longest * points * DPI / 72 * 0.6


def _margins_px(spec: ChartSpec, fonts: dict[str, float]) -> list[float]:
    """Margins [left, bottom, right, top] in pixels, before rotated category labels."""
    w, h = spec.width, spec.height
    px = fonts["tick"] * DPI / 72  # one line of tick text, in pixels
    pad = 6.0
    top = pad + (fonts["title"] * DPI / 72 * 1.6 if spec.title else 0)
    left = right = bottom = pad
    if spec.kind in CARTESIAN:
        value_labels = value_tick_labels(spec)
        category_extent = px * 1.4
        value_extent = max((text_px(t, fonts["tick"]) for t in value_labels), default=0) + 8
        if spec.kind is ChartKind.bar and spec.horizontal:
            longest = max((text_px(t, fonts["tick"]) for t in spec.labels), default=0)
            left += longest + 8
            bottom += category_extent
            right += max((text_px(t, fonts["tick"]) for t in value_labels), default=0) / 2
        else:
            left += value_extent
            bottom += category_extent
        if spec.x_axis.title:
            bottom += px * 1.4
        if spec.y_axis.title:
            left += px * 1.4
        right += px * 0.6 + right_axis_extent(spec, fonts)
        top += px * 0.6
    elif spec.kind is ChartKind.radar:
        longest = max((text_px(t, fonts["tick"]) for t in spec.labels), default=0)
        ring = px * 1.5
        left, right = left + longest + 8, right + longest + 8
        bottom, top = bottom + ring, top + ring
    elif spec.kind is ChartKind.sparkline:
        left = right = top = bottom = 2.0
        if spec.title:
            top += fonts["title"] * DPI / 72 * 1.6
    elif spec.kind in (ChartKind.pie, ChartKind.doughnut) and spec.labels:
        side = pie_label_room(spec, fonts)
        left += side
        right += side
        top += px
        bottom += px
    if spec.show_legend and spec.kind is not ChartKind.gauge:
        names = legend_names(spec)
        longest = max((text_px(n, fonts["label"]) for n in names), default=0)
        if spec.legend_position in ("right", "left"):
            extent = min(longest + px * 2.5 + 8, w * 0.4)
            if spec.legend_position == "right":
                right += extent
            else:
                left += extent
        elif spec.legend_position == "bottom":
            bottom += px * 2.2
        else:
            top += px * 2.2
    left, right = min(left, w * 0.45), min(right, w * 0.45)
    bottom, top = min(bottom, h * 0.45), min(top, h * 0.45)
    return [left, bottom, right, top]


def plot_margins(spec: ChartSpec, fonts: dict[str, float]) -> list[float]:
    """Axes rectangle [left, bottom, width, height] in figure fractions, from the spec."""
    w, h = spec.width, spec.height
    left, bottom, right, top = _margins_px(spec, fonts)
    plan = category_plan(spec, fonts)
    if plan is not None and (plan.angle or plan.lines > 1):  # rotated or wrapped labels
        bottom = min(bottom + plan.depth - fonts["tick"] * DPI / 72, h * 0.45)
    return [left / w, bottom / h, 1 - (left + right) / w, 1 - (top + bottom) / h]


#: rotated category labels hang at most this share of the chart height
MAX_LABEL_DEPTH = 0.3


def category_limits(spec: ChartSpec, count: int) -> tuple[float, float]:
    """The category axis range of a native bar or line chart (categories at 0 … count-1)."""
    if spec.kind in (ChartKind.line, ChartKind.area):
        return (-0.25, count - 0.75) if count > 1 else (-1.0, 1.0)
    return (-0.5, count - 0.5)


def category_plan(spec: ChartSpec, fonts: dict[str, float]) -> LabelPlan | None:
    """Which x category labels a native bar/line/area chart draws (``charts.labels``).

    ``None`` where the x axis is not a labelled category axis. Layout and drawer
    both call this, so the margin reserved is the margin used.
    """
    if (
        spec.kind not in (ChartKind.bar, ChartKind.line, ChartKind.area)
        or (spec.kind is ChartKind.bar and spec.horizontal)
        or any(s.x is not None for s in spec.series)
        or not spec.labels
        or not spec.x_axis.visible
        or spec.x_axis.ticks is not None
        or spec.styling.bar_pixels is not None
    ):
        return None
    count = max(len(s.values) for s in spec.series)
    labels = [spec.labels[i] if i < len(spec.labels) else "" for i in range(count)]
    left, _bottom, right, _top = _margins_px(spec, fonts)
    plot = spec.width - left - right
    lo, hi = category_limits(spec, count)
    per_unit = plot / (hi - lo)
    room = (
        max(left + (0 - lo) * per_unit - 2, 0.0),
        max(right + (hi - count + 1) * per_unit - 2, 0.0),
    )
    size = spec.x_axis.font_size or fonts["tick"]
    return plan_labels(
        labels,
        (count - 1) * per_unit,
        lambda t: estimate_width(t, size),
        size * DPI / 72 * 1.2,
        room=room,
        max_depth=spec.height * MAX_LABEL_DEPTH,
    )


def pie_label_room(spec: ChartSpec, fonts: dict[str, float]) -> float:
    """Pixels beside a pie for its slice labels (the legend goes beyond them)."""
    if spec.kind not in (ChartKind.pie, ChartKind.doughnut) or not spec.labels:
        return 0.0
    longest = max(text_px(t, fonts["label"]) for t in spec.labels)
    return min(longest + 8, spec.width * 0.3)


def value_axis(spec: ChartSpec) -> Axis:
    return spec.x_axis if (spec.kind is ChartKind.bar and spec.horizontal) else spec.y_axis


def number_format(spec: ChartSpec) -> NumberFormat:
    return parse_number_format(spec.number_format) if spec.number_format else DEFAULT


def value_tick_labels(spec: ChartSpec) -> list[str]:
    if scales.has_right_axis(spec):  # --- axes: the left axis shows the left series ---
        spec = scales.side_view(spec, "left")
    if spec.y_scale == "log":
        return scales.log_labels(spec, spec.height * 0.8, font_sizes(spec)["tick"] * DPI / 72)
    axis = value_axis(spec)
    if axis.tick_labels is not None:
        return list(axis.tick_labels)
    ticks, _lo, _hi = value_scale(spec)
    return axis_labels(ticks, number_format(spec))


def right_axis_extent(spec: ChartSpec, fonts: dict[str, float]) -> float:
    """Pixels the right-hand y axis takes (labels, title): 0 without one (axes, #10 item 6)."""
    if not scales.has_right_axis(spec):
        return 0.0
    labels = value_tick_labels(scales.side_view(spec, "right"))
    extent = max((text_px(t, fonts["tick"]) for t in labels), default=0) + 8
    if spec.y2_axis.title:
        extent += fonts["tick"] * DPI / 72 * 1.4
    return extent


def max_ticks(extent: float) -> int:
    """How many value ticks an axis ``extent`` pixels long holds (about one per 45 px)."""
    return int(min(max(extent * 0.8 / 45 + 1, 3), 8))


def value_scale(spec: ChartSpec) -> tuple[list[float], float, float]:
    """Value ticks and axis bounds from the data: the ends hug the data on round ticks.

    A bound the request fixes (``y_min``/``y_max``) is kept and the ticks are
    those between; a free bound is the nearest round tick at or beyond the data
    (bars and areas always include zero). Lines get 2 % headroom (points 5 %)
    past the data so a marker at the extreme is not cut, even where that
    reaches past the last tick.
    """
    axis = value_axis(spec)
    lo, hi = value_range(spec, with_axis=False)
    # headroom so markers at the extremes are whole (points and bubbles are bigger)
    share = {ChartKind.line: 0.02, ChartKind.scatter: 0.05}.get(spec.kind, 0.0)
    pad = (hi - lo) * share
    fixed_lo, fixed_hi = axis.min, axis.max
    if fixed_lo is not None and fixed_hi is not None:
        slack = (fixed_hi - fixed_lo) * 1e-9
        inside = [
            t for t in nice_ticks(fixed_lo, fixed_hi) if fixed_lo - slack <= t <= fixed_hi + slack
        ]
        return inside, fixed_lo, fixed_hi
    lo = fixed_lo if fixed_lo is not None else lo
    hi = fixed_hi if fixed_hi is not None else hi
    if hi <= lo:  # a fixed bound beyond all the data: an invented range, no headroom
        pad = 0.0
        if fixed_lo is not None:
            hi = lo + (abs(lo) or 1.0)
        else:
            lo = hi - (abs(hi) or 1.0)
    extent = spec.width if spec.kind is ChartKind.bar and spec.horizontal else spec.height
    ticks = nice_scale(lo, hi, max_ticks(extent * 0.8))
    # the headroom of lines and points may reach past the last tick, never below zero
    below = min(ticks[0], lo - pad if lo < 0 else max(lo - pad, 0.0))
    above = max(ticks[-1], hi + pad)
    if fixed_lo is not None:
        return [t for t in ticks if t >= fixed_lo], fixed_lo, above
    if fixed_hi is not None:
        return [t for t in ticks if t <= fixed_hi], below, fixed_hi
    return ticks, below, above


def value_range(spec: ChartSpec, *, with_axis: bool = True) -> tuple[float, float]:
    if spec.stacked:
        pos = np.zeros(max(len(s.values) for s in spec.series))
        neg = pos.copy()
        for s in spec.series:
            arr = as_array(s.values, len(pos))
            pos += np.where(arr > 0, arr, 0)
            neg += np.where(arr < 0, arr, 0)
        lo, hi = float(neg.min()), float(pos.max())
    else:
        finite = [v for s in spec.series for v in s.values if v is not None]
        lo, hi = min(finite), max(finite)
    if spec.kind in (ChartKind.bar, ChartKind.area):
        lo, hi = min(lo, 0.0), max(hi, 0.0)
    if with_axis:
        axis = spec.y_axis
        lo = axis.min if axis.min is not None else lo
        hi = axis.max if axis.max is not None else hi
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    return lo, hi


def format_number(value: float, fmt: NumberFormat = DEFAULT) -> str:
    """One number as drawn (``charts.numbers``): ``12,345``, ``1.45M``, never ``1.45e+06``."""
    return format_value(value, fmt)


NUMBER_FORMATTER = FuncFormatter(lambda v, _pos: format_number(v))


def as_array(values: Sequence[float | None], length: int | None = None) -> np.ndarray:
    arr = np.array([np.nan if v is None else v for v in values], dtype=float)
    if length is not None and len(arr) < length:
        arr = np.concatenate([arr, np.full(length - len(arr), np.nan)])
    return arr


def legend_names(spec: ChartSpec) -> list[str]:
    # venn (Google cht=v): one entry per circle, like pie slices
    if spec.styling.legend_labels:  # hook: Google chl and chdl on one pie
        return list(spec.styling.legend_labels)
    if spec.kind in (ChartKind.pie, ChartKind.doughnut, ChartKind.venn) and len(spec.series) == 1:
        return list(spec.labels) or [s.name or "" for s in spec.series]
    return [s.name or f"Series {i + 1}" for i, s in enumerate(spec.series)]
