"""Chart layout computed from the spec, not measured: fonts, margins, tick estimates.

Measuring text and tight layouts is what makes naive matplotlib renders slow;
Chartographer estimates text extents (DejaVu Sans averages ~0.6 em per
character) and places the plot area from them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.ticker import FuncFormatter

from chartographer.charts.guides import nice_ticks
from chartographer.charts.spec import ChartKind, ChartSpec

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


def plot_margins(spec: ChartSpec, fonts: dict[str, float]) -> list[float]:
    """Axes rectangle [left, bottom, width, height] in figure fractions, from the spec."""
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
        right += px * 0.6
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
    return [left / w, bottom / h, 1 - (left + right) / w, 1 - (top + bottom) / h]


def pie_label_room(spec: ChartSpec, fonts: dict[str, float]) -> float:
    """Pixels beside a pie for its slice labels (the legend goes beyond them)."""
    if spec.kind not in (ChartKind.pie, ChartKind.doughnut) or not spec.labels:
        return 0.0
    longest = max(text_px(t, fonts["label"]) for t in spec.labels)
    return min(longest + 8, spec.width * 0.3)


def value_tick_labels(spec: ChartSpec) -> list[str]:
    axis = spec.x_axis if (spec.kind is ChartKind.bar and spec.horizontal) else spec.y_axis
    if axis.tick_labels is not None:
        return list(axis.tick_labels)
    lo, hi = value_range(spec)
    pad = (hi - lo) * 0.05  # matplotlib's default margins widen the range before ticks
    ticks = nice_ticks(lo - pad, hi + pad)
    return [format_number(t) for t in ticks]


def value_range(spec: ChartSpec) -> tuple[float, float]:
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
    axis = spec.y_axis
    lo = axis.min if axis.min is not None else lo
    hi = axis.max if axis.max is not None else hi
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    return lo, hi


def format_number(value: float) -> str:
    if value == 0:
        return "0"
    magnitude = abs(value)
    if magnitude >= 1e6 or magnitude < 1e-3:
        return f"{value:.3g}"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.6g}"


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
