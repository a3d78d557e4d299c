"""Pure chart rendering: :class:`ChartSpec` in, image bytes out.

Uses ``matplotlib.figure.Figure`` with the Agg canvas directly (never pyplot:
no global figure registry, nothing shared between two renders). Speed comes
from doing less than a naive ``Figure`` + ``savefig``: the layout is computed
from the spec instead of measured (no tight/constrained layout, no automatic
title placement), ticks come from cheap locators, and PNG is encoded from the
canvas buffer with a fast zlib level.
"""

from __future__ import annotations

import io
import math
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import matplotlib

matplotlib.use("Agg")

import numpy as np
from matplotlib import rcParams
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Polygon, Rectangle, Wedge
from matplotlib.ticker import FuncFormatter
from matplotlib.transforms import offset_copy
from PIL import Image

from chartographer.charts import decorations
from chartographer.charts.figures import borrowed_figure
from chartographer.charts.guides import PX, Guide, _figure, draw_guide, nice_ticks
from chartographer.charts.raster import FastCanvas
from chartographer.charts.spec import ChartKind, ChartSpec, Series
from chartographer.charts.venn import draw_venn
from chartographer.imaging import ImageFormat, Rendered, encode_raster

rcParams["svg.hashsalt"] = "chartographer"  # deterministic SVG ids → stable ETags
rcParams["svg.fonttype"] = "path"
rcParams["path.simplify"] = True

DPI = 100.0
INK = "#333333"
GRID = "#DDDDDD"

_CARTESIAN = (ChartKind.bar, ChartKind.line, ChartKind.area, ChartKind.scatter)


def render_chart(spec: ChartSpec) -> Rendered:
    """Render ``spec`` to PNG, SVG or WebP bytes."""
    with borrowed_figure(spec.width, spec.height, spec.scale) as pooled, quiet_glyphs():
        fig = pooled.figure
        fig.patch.set_facecolor(spec.background)
        draw_chart(fig, spec, _font_sizes(spec), ax=pooled.axes)
        return _encode(fig, spec)


@contextmanager
def quiet_glyphs() -> Iterator[None]:
    """A character the font lacks is drawn as a box; that is not worth a warning per render."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from font")
        yield


def draw_chart(
    fig: Figure, spec: ChartSpec, fonts: dict[str, float], ax: Axes | None = None
) -> None:
    """Draw every part of ``spec`` on ``fig``, on ``ax`` if given (else a new Axes)."""
    margins = _margins(spec, fonts)
    margins = decorations.plot_area(spec, fonts, margins)  # hook: Google styling layout
    if spec.title:
        fig.text(
            0.5,
            1 - 6 / spec.height,
            spec.title,
            ha="center",
            va="top",
            fontsize=spec.title_size or fonts["title"],
            color=spec.title_color or INK,
            fontweight="bold",
        )
    kind = spec.kind
    if ax is None:
        ax = fig.add_axes((margins[0], margins[1], margins[2], margins[3]))
    else:
        ax.set_position((margins[0], margins[1], margins[2], margins[3]))
    DRAWERS[kind](ax, spec, fonts)
    if spec.plot_background:
        ax.set_facecolor(spec.plot_background)
    elif kind in _CARTESIAN or kind is ChartKind.radar:
        ax.set_facecolor("none")
    if spec.show_legend and kind is not ChartKind.gauge:
        _draw_legend(fig, ax, spec, fonts)
    decorations.decorate(fig, ax, spec, fonts)  # hook: Google fills, markers, axes


# --- layout --------------------------------------------------------------------------


def _font_sizes(spec: ChartSpec) -> dict[str, float]:
    base = min(max(min(spec.width, spec.height) / 26, 7.0), 11.0)
    return {"tick": base, "label": base, "title": base * 1.3, "value": base * 0.9}


def _text_px(text: str, points: float) -> float:
    """Estimated rendered width of ``text`` in pixels (DejaVu Sans averages ~0.6 em)."""
    return len(text) * points * DPI / 72 * 0.6


def _margins(spec: ChartSpec, fonts: dict[str, float]) -> list[float]:
    """Axes rectangle [left, bottom, width, height] in figure fractions, from the spec."""
    w, h = spec.width, spec.height
    px = fonts["tick"] * DPI / 72  # one line of tick text, in pixels
    pad = 6.0
    top = pad + (fonts["title"] * DPI / 72 * 1.6 if spec.title else 0)
    left = right = bottom = pad
    if spec.kind in _CARTESIAN:
        value_labels = _estimate_value_tick_labels(spec)
        category_extent = px * 1.4
        value_extent = max((_text_px(t, fonts["tick"]) for t in value_labels), default=0) + 8
        if spec.kind is ChartKind.bar and spec.horizontal:
            longest = max((_text_px(t, fonts["tick"]) for t in spec.labels), default=0)
            left += longest + 8
            bottom += category_extent
            right += max((_text_px(t, fonts["tick"]) for t in value_labels), default=0) / 2
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
        longest = max((_text_px(t, fonts["tick"]) for t in spec.labels), default=0)
        ring = px * 1.5
        left, right = left + longest + 8, right + longest + 8
        bottom, top = bottom + ring, top + ring
    elif spec.kind is ChartKind.sparkline:
        left = right = top = bottom = 2.0
        if spec.title:
            top += fonts["title"] * DPI / 72 * 1.6
    elif spec.kind in (ChartKind.pie, ChartKind.doughnut) and spec.labels:
        longest = max(_text_px(t, fonts["label"]) for t in spec.labels)
        side = min(longest + 8, w * 0.3)
        left += side
        right += side
        top += px
        bottom += px
    if spec.show_legend and spec.kind is not ChartKind.gauge:
        names = _legend_names(spec)
        longest = max((_text_px(n, fonts["label"]) for n in names), default=0)
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


def _estimate_value_tick_labels(spec: ChartSpec) -> list[str]:
    axis = spec.x_axis if (spec.kind is ChartKind.bar and spec.horizontal) else spec.y_axis
    if axis.tick_labels is not None:
        return list(axis.tick_labels)
    lo, hi = _value_range(spec)
    pad = (hi - lo) * 0.05  # matplotlib's default margins widen the range before ticks
    ticks = nice_ticks(lo - pad, hi + pad)
    return [_format_number(t) for t in ticks]


def _value_range(spec: ChartSpec) -> tuple[float, float]:
    if spec.stacked:
        pos = np.zeros(max(len(s.values) for s in spec.series))
        neg = pos.copy()
        for s in spec.series:
            arr = _array(s.values, len(pos))
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


def _format_number(value: float) -> str:
    if value == 0:
        return "0"
    magnitude = abs(value)
    if magnitude >= 1e6 or magnitude < 1e-3:
        return f"{value:.3g}"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.6g}"


_FORMATTER = FuncFormatter(lambda v, _pos: _format_number(v))


def _array(values: Sequence[float | None], length: int | None = None) -> np.ndarray:
    arr = np.array([np.nan if v is None else v for v in values], dtype=float)
    if length is not None and len(arr) < length:
        arr = np.concatenate([arr, np.full(length - len(arr), np.nan)])
    return arr


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
    if axis.ticks is not None:
        positions = [float(t) for t in axis.ticks]
        labels = list(axis.tick_labels or [_format_number(t) for t in positions])
    else:
        positions = nice_ticks(lo, hi)
        labels = [_format_number(t) for t in positions]
        if axis.min is None:
            lo = min(lo, positions[0])
        if axis.max is None:
            hi = max(hi, positions[-1])
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


def _category_guide(spec: ChartSpec, count: int, fonts: dict[str, float], axis: str) -> Guide:
    positions = list(range(count))
    labels = [spec.labels[i] if i < len(spec.labels) else "" for i in positions]
    if labels:
        # thin out labels that cannot fit, keeping the first and every k-th
        room = (spec.width if axis == "x" else spec.height) * 0.8
        widest = max(_text_px(t, fonts["tick"]) for t in labels) + 6
        per_label = widest if axis == "x" else fonts["tick"] * DPI / 72 * 1.3
        step = max(1, math.ceil(count * per_label / max(room, 1)))
        labels = [t if i % step == 0 else "" for i, t in enumerate(labels)]
    chosen = spec.x_axis if axis == "x" else spec.y_axis
    return Guide(
        side="bottom" if axis == "x" else "left",
        positions=positions,
        labels=labels if chosen.visible else [],
        font_size=chosen.font_size or fonts["tick"],
        color=chosen.color or INK,
        tick_length=0,
        line=axis == "x",
    )


def _numeric_guide(
    ax: Axes, spec: ChartSpec, fonts: dict[str, float]
) -> tuple[Guide, tuple[float, float]]:
    """A numeric x axis (scatter, xy lines)."""
    lo, hi = ax.get_xlim()
    lo = spec.x_axis.min if spec.x_axis.min is not None else lo
    hi = spec.x_axis.max if spec.x_axis.max is not None else hi
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    ax.set_xlim(lo, hi)
    positions = nice_ticks(lo, hi)
    guide = Guide(
        side="bottom",
        positions=positions,
        labels=[_format_number(t) for t in positions] if spec.x_axis.visible else [],
        font_size=spec.x_axis.font_size or fonts["tick"],
        color=spec.x_axis.color or INK,
        grid=spec.gridlines and spec.kind is ChartKind.scatter,
    )
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
        second = _category_guide(spec, categories, fonts, other)
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
            transform=offset_copy(ax.transAxes, fig=_figure(ax), y=-below, units="points"),
            ha="center",
            va="top",
            fontsize=size,
            color=INK,
        )
    if spec.y_axis.title:
        widest = max((_text_px(t, left.font_size) for t in left.labels), default=0)
        beside = (3 + left.tick_length + widest + 4) * PX
        ax.text(
            0,
            0.5,
            spec.y_axis.title,
            transform=offset_copy(ax.transAxes, fig=_figure(ax), x=-beside, units="points"),
            ha="right",
            va="center",
            rotation=90,
            fontsize=size,
            color=INK,
        )


# --- chart kinds ------------------------------------------------------------------------


def _series_colors(spec: ChartSpec, index: int, count: int) -> Any:
    series = spec.series[index]
    if series.point_colors:
        return [series.point_colors[i % len(series.point_colors)] for i in range(count)]
    return spec.color_for(index)


def _draw_bar(ax: Axes, spec: ChartSpec, fonts: dict[str, float]) -> None:
    """Grouped or stacked bars, vertical or horizontal, as plain rectangles."""
    count = max(len(s.values) for s in spec.series)
    n = len(spec.series)
    group = spec.styling.bar_group or 0.8  # hook: Google chbh
    overlap = spec.styling.bar_overlap  # hook: Google bvo draws every series from zero
    width = group if spec.stacked or n == 1 or overlap else group / n
    pos_base = np.zeros(count)
    neg_base = np.zeros(count)
    lo = hi = 0.0
    for i, s in enumerate(spec.series):
        arr = _array(s.values, count)
        clean = np.nan_to_num(arr)
        base = np.where(clean >= 0, pos_base, neg_base) if spec.stacked else np.zeros(count)
        colors = _series_colors(spec, i, count)
        for j in range(count):
            if np.isnan(arr[j]):
                continue
            offset = (
                j - width / 2 if spec.stacked or n == 1 or overlap else j - group / 2 + width * i
            )
            start, length = float(base[j]), float(clean[j])
            color = colors[j] if isinstance(colors, list) else colors
            if spec.horizontal:
                rect = Rectangle((start, offset), length, width, facecolor=color, linewidth=0)
            else:
                rect = Rectangle((offset, start), width, length, facecolor=color, linewidth=0)
            _add_shape(ax, rect)
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
    _finish_cartesian(ax, spec, fonts, value_axis=value_axis, categories=count)


def _bar_value_label(
    ax: Axes, spec: ChartSpec, fonts: dict[str, float], middle: float, start: float, length: float
) -> None:
    text = _format_number(length)
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


def _x_values(s: Series, count: int) -> np.ndarray:
    if s.x is not None:
        return _array(s.x)
    return np.arange(count, dtype=float)


def _draw_line(ax: Axes, spec: ChartSpec, fonts: dict[str, float], *, fill: bool = False) -> None:
    count = max(len(s.values) for s in spec.series)
    cumulative = np.zeros(count)
    for i, s in enumerate(spec.series):
        y = _array(s.values)
        x = _x_values(s, len(y))
        color = spec.color_for(i)
        if fill and spec.stacked:
            y_full = _array(s.values, count)
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
                        _format_number(float(yv)),
                        (xv, yv),
                        textcoords="offset points",
                        xytext=(0, 4),
                        ha="center",
                        fontsize=fonts["value"],
                        color=INK,
                    )
    if fill and spec.y_axis.min is None:
        lo = min(0.0, float(np.nanmin(_array([v for s in spec.series for v in s.values]))))
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


def _draw_area(ax: Axes, spec: ChartSpec, fonts: dict[str, float]) -> None:
    _draw_line(ax, spec, fonts, fill=True)


def _draw_sparkline(ax: Axes, spec: ChartSpec, fonts: dict[str, float]) -> None:
    ax.set_axis_off()
    for i, s in enumerate(spec.series):
        y = _array(s.values)
        x = _x_values(s, len(y))
        color = spec.color_for(i)
        ax.plot(x, y, color=color, linewidth=s.line_width or 1.5)
        if len(spec.series) == 1:
            base = float(np.nanmin(y))
            ax.fill_between(x, base, y, color=color, alpha=0.15, linewidth=0)
    ax.margins(x=0.01, y=0.08)
    if spec.y_axis.min is not None or spec.y_axis.max is not None:
        ax.set_ylim(bottom=spec.y_axis.min, top=spec.y_axis.max)


def _add_shape(ax: Axes, artist: Artist) -> None:
    """Add an artist without autoscaling (limits are fixed by the caller; much cheaper)."""
    ax.add_artist(artist)


def _draw_pie(ax: Axes, spec: ChartSpec, fonts: dict[str, float], *, hole: float = 0.0) -> None:
    """Pie or concentric doughnut rings, clockwise from 12 o'clock."""
    ax.set_axis_off()
    rings = len(spec.series)
    step = (1.0 - hole) / rings
    for ring, s in enumerate(spec.series):
        values = np.array([0.0 if v is None else max(v, 0.0) for v in s.values])
        total = float(values.sum())
        if total <= 0:
            continue
        colors = _slice_colors(spec, ring)
        radius = 1.0 - ring * step
        start = 90.0
        for i, value in enumerate(values):
            sweep = 360.0 * value / total
            if sweep <= 0:
                continue
            wedge = Wedge(
                (0, 0),
                radius,
                start - sweep,
                start,
                width=step,
                facecolor=colors[i],
                edgecolor=spec.background,
                linewidth=1,
            )
            _add_shape(ax, wedge)
            mid = math.radians(start - sweep / 2)
            if ring == 0 and i < len(spec.labels) and spec.labels[i]:
                c, s_ = math.cos(mid), math.sin(mid)
                ax.text(
                    1.08 * c,
                    1.08 * s_,
                    spec.labels[i],
                    fontsize=fonts["label"],
                    color=INK,
                    ha="left" if c >= 0 else "right",
                    va="center",
                )
            if spec.value_labels and ring == 0:
                at = radius - step / 2 if hole else 0.62
                ax.text(
                    at * math.cos(mid),
                    at * math.sin(mid),
                    f"{100 * value / total:.0f}%",
                    fontsize=fonts["value"],
                    color="#FFFFFF",
                    ha="center",
                    va="center",
                )
            start -= sweep
    ax.set_aspect("equal")
    ax.set_xlim(-1.05, 1.05)
    ax.set_ylim(-1.05, 1.05)


def _slice_colors(spec: ChartSpec, ring: int) -> list[str]:
    s = spec.series[ring]
    count = len(s.values)
    if s.point_colors:
        return [s.point_colors[i % len(s.point_colors)] for i in range(count)]
    if s.color and len(spec.series) == 1:
        return _shades(s.color, count)
    return [spec.palette[(i + ring * 3) % len(spec.palette)] for i in range(count)]


def _shades(color: str, count: int) -> list[str]:
    """Google's single-colour pie: slices shaded from the colour toward white."""
    from matplotlib.colors import to_rgb

    r, g, b = to_rgb(color)
    out = []
    for i in range(count):
        t = 0.75 * i / max(count - 1, 1)
        out.append(matplotlib.colors.to_hex((r + (1 - r) * t, g + (1 - g) * t, b + (1 - b) * t)))
    return out


def _draw_doughnut(ax: Axes, spec: ChartSpec, fonts: dict[str, float]) -> None:
    _draw_pie(ax, spec, fonts, hole=0.5)


def _draw_scatter(ax: Axes, spec: ChartSpec, fonts: dict[str, float]) -> None:
    area = spec.width * spec.height
    largest = max((max(s.sizes, default=0) for s in spec.series if s.sizes), default=0)
    for i, s in enumerate(spec.series):
        y = _array(s.values)
        x = _x_values(s, len(y))
        if s.sizes and largest > 0:
            sizes: Any = np.array(s.sizes) / largest * area / 150 + 4
        else:
            sizes = max(12.0, min(40.0, area / 4000))
        ax.scatter(
            x,
            y,
            s=sizes,
            c=_series_colors(spec, i, len(y)) if s.point_colors else spec.color_for(i),
            alpha=0.75 if s.sizes else 0.9,
            label=s.name,
            linewidths=0,
        )
    _finish_cartesian(ax, spec, fonts)


def _draw_radar(ax: Axes, spec: ChartSpec, fonts: dict[str, float]) -> None:
    """A radar (spider) chart on plain axes: polygon web, spokes, one polygon per series."""
    ax.set_axis_off()
    ax.set_aspect("equal")
    count = max(len(s.values) for s in spec.series)
    angles = np.pi / 2 - 2 * np.pi * np.arange(count) / count  # clockwise from the top
    cos, sin = np.cos(angles), np.sin(angles)
    finite = [v for s in spec.series for v in s.values if v is not None]
    lo = spec.y_axis.min if spec.y_axis.min is not None else min(0.0, min(finite))
    hi = spec.y_axis.max if spec.y_axis.max is not None else max(finite)
    if hi <= lo:
        hi = lo + 1
    ticks = nice_ticks(lo, hi, bins=4)
    if spec.y_axis.max is None:
        hi = max(hi, ticks[-1])
    rings = [t for t in ticks if lo < t <= hi]

    def radius(v: np.ndarray | float) -> np.ndarray:
        return np.asarray((np.clip(v, lo, hi) - lo) / (hi - lo), dtype=float)

    if spec.gridlines:
        web = [np.column_stack([cos * radius(t), sin * radius(t)]) for t in rings]
        web = [np.vstack([w, w[:1]]) for w in web]
        spokes = [np.array([(0.0, 0.0), (c, s_)]) for c, s_ in zip(cos, sin, strict=True)]
        ax.add_collection(LineCollection(web + spokes, colors=GRID, linewidths=0.8, zorder=0.5))
    for t in rings:
        ax.text(
            0,
            float(radius(t)),
            " " + _format_number(t),
            ha="left",
            va="bottom",
            fontsize=fonts["tick"] * 0.85,
            color="#777777",
        )
    for i, s in enumerate(spec.series):
        r = radius(np.nan_to_num(_array(s.values, count), nan=lo))
        xs, ys = np.append(cos * r, cos[0] * r[0]), np.append(sin * r, sin[0] * r[0])
        color = spec.color_for(i)
        ax.fill(xs, ys, color=color, alpha=0.2, linewidth=0)
        ax.plot(xs, ys, color=color, linewidth=2, label=s.name)
    for i in range(count):
        label = spec.labels[i] if i < len(spec.labels) else ""
        if label:
            c, s_ = cos[i], sin[i]
            ax.text(
                1.08 * c,
                1.08 * s_,
                label,
                fontsize=fonts["tick"],
                color=INK,
                ha="center" if abs(c) < 0.2 else ("left" if c > 0 else "right"),
                va="center" if abs(s_) < 0.2 else ("bottom" if s_ > 0 else "top"),
            )
    ax.set_xlim(-1.05, 1.05)
    ax.set_ylim(-1.05, 1.05)


def _draw_gauge(ax: Axes, spec: ChartSpec, fonts: dict[str, float]) -> None:
    ax.set_axis_off()
    lo = spec.y_axis.min if spec.y_axis.min is not None else 0.0
    hi = spec.y_axis.max if spec.y_axis.max is not None else 100.0
    if hi <= lo:
        hi = lo + 1
    value = spec.series[0].values[0] or 0.0
    frac = min(max((value - lo) / (hi - lo), 0.0), 1.0)
    colors = spec.series[0].point_colors or ("#59A14F", "#EDC948", "#E15759")
    n = len(colors)
    for i, color in enumerate(colors):
        a0 = 180 - 180 * (i + 1) / n
        a1 = 180 - 180 * i / n
        _add_shape(ax, Wedge((0, 0), 1.0, a0, a1, width=0.3, color=color))
    angle = math.pi * (1 - frac)
    needle = Line2D(
        [0, 0.85 * math.cos(angle)],
        [0, 0.85 * math.sin(angle)],
        color=INK,
        linewidth=3,
        solid_capstyle="round",
    )
    _add_shape(ax, needle)
    _add_shape(ax, Wedge((0, 0), 0.07, 0, 360, color=INK))
    label = spec.labels[0] if spec.labels else _format_number(value)
    ax.text(0, -0.18, label, ha="center", va="top", fontsize=fonts["title"], color=INK)
    ax.text(
        -0.85,
        -0.05,
        _format_number(lo),
        ha="center",
        va="top",
        fontsize=fonts["tick"],
        color="#777777",
    )
    ax.text(
        0.85,
        -0.05,
        _format_number(hi),
        ha="center",
        va="top",
        fontsize=fonts["tick"],
        color="#777777",
    )
    ax.set_xlim(-1.1, 1.1)
    ax.set_ylim(-0.45, 1.1)
    ax.set_aspect("equal")


DRAWERS = {
    ChartKind.bar: _draw_bar,
    ChartKind.line: _draw_line,
    ChartKind.area: _draw_area,
    ChartKind.sparkline: _draw_sparkline,
    ChartKind.pie: _draw_pie,
    ChartKind.doughnut: _draw_doughnut,
    ChartKind.scatter: _draw_scatter,
    ChartKind.gauge: _draw_gauge,
    ChartKind.radar: _draw_radar,
    ChartKind.venn: draw_venn,  # hook: Google cht=v
}


def _legend_names(spec: ChartSpec) -> list[str]:
    # venn (Google cht=v): one entry per circle, like pie slices
    if spec.kind in (ChartKind.pie, ChartKind.doughnut, ChartKind.venn) and len(spec.series) == 1:
        return list(spec.labels) or [s.name or "" for s in spec.series]
    return [s.name or f"Series {i + 1}" for i, s in enumerate(spec.series)]


def _legend_entries(spec: ChartSpec) -> list[tuple[str, str, bool]]:
    """(name, colour, is_line) per legend entry, straight from the spec."""
    if spec.kind in (ChartKind.pie, ChartKind.doughnut, ChartKind.venn) and len(spec.series) == 1:
        colors = _slice_colors(spec, 0)
        names = _legend_names(spec)
        return [(names[i], colors[i], False) for i in range(min(len(names), len(colors)))]
    is_line = spec.kind in (ChartKind.line, ChartKind.radar, ChartKind.sparkline)
    return [(name, spec.color_for(i), is_line) for i, name in enumerate(_legend_names(spec))]


def _draw_legend(fig: Figure, ax: Axes, spec: ChartSpec, fonts: dict[str, float]) -> None:
    """Swatches and names in the margin the layout reserved (cheaper than ``Axes.legend``)."""
    entries = _legend_entries(spec)
    w, h = spec.width, spec.height
    size = fonts["label"]
    line = size * DPI / 72 * 1.5  # row height in pixels
    swatch = size * DPI / 72 * 0.9
    box = ax.get_position()
    left, right = box.x0 * w, box.x1 * w
    bottom, top = box.y0 * h, box.y1 * h
    position = spec.legend_position
    spots: list[tuple[float, float]] = []  # swatch left, row centre (pixels, y up)
    if position in ("right", "left"):
        widest = max(_text_px(n, size) for n, _, _ in entries) + swatch + 6
        x = (
            right + 12
            if position == "right"
            else max(4.0, left - _left_gap_px(spec, fonts) - widest - 12)
        )
        y0 = (bottom + top) / 2 + line * (len(entries) - 1) / 2
        spots = [(x, y0 - i * line) for i in range(len(entries))]
    else:
        widths = [_text_px(n, size) + swatch + 14 for n, _, _ in entries]
        x = max(4.0, (left + right) / 2 - sum(widths) / 2)
        y = top + line * 0.8 if position == "top" else max(line / 2, bottom - line * 2.0)
        for width in widths:
            spots.append((x, y))
            x += width
    for (name, color, is_line), (x, y) in zip(entries, spots, strict=True):
        if is_line:
            fig.add_artist(
                Line2D(
                    [(x) / w, (x + swatch) / w],
                    [y / h, y / h],
                    color=color,
                    linewidth=2,
                    transform=fig.transFigure,
                )
            )
        else:
            fig.add_artist(
                Rectangle(
                    (x / w, (y - swatch / 2) / h),
                    swatch / w,
                    swatch / h,
                    facecolor=color,
                    edgecolor="none",
                    transform=fig.transFigure,
                )
            )
        fig.text(
            (x + swatch + 5) / w, y / h, name, ha="left", va="center", fontsize=size, color=INK
        )


def _left_gap_px(spec: ChartSpec, fonts: dict[str, float]) -> float:
    if spec.kind in _CARTESIAN:
        labels = _estimate_value_tick_labels(spec)
        return max((_text_px(t, fonts["tick"]) for t in labels), default=0) + 8
    return 0.0


# --- output ---------------------------------------------------------------------------


def _encode(fig: Figure, spec: ChartSpec) -> Rendered:
    fmt = spec.format
    if fmt is ImageFormat.svg:
        buf = io.BytesIO()
        fig.savefig(buf, format="svg", metadata={"Date": None}, facecolor=spec.background)
        return Rendered(buf.getvalue(), fmt.media_type)
    canvas = FastCanvas(fig)
    canvas.draw()
    width, height = canvas.get_width_height(physical=True)
    image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    if spec.background.upper().endswith(("FF",)) or len(spec.background) == 7:
        image = image.convert("RGB")  # opaque: smaller files, faster encode
    return Rendered(encode_raster(image, fmt), fmt.media_type)


def warm_up() -> None:
    """Render one small chart so fonts and caches are loaded before real traffic."""
    spec = ChartSpec(
        kind=ChartKind.bar,
        series=(Series(values=(1.0, 2.0)),),
        labels=("a", "b"),
        title="warm",
        width=120,
        height=80,
    )
    render_chart(spec)
