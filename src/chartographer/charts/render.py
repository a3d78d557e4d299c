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
from collections.abc import Sequence
from typing import Any

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
from matplotlib import rcParams  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Wedge  # noqa: E402
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator  # noqa: E402
from PIL import Image  # noqa: E402

from chartographer.charts.spec import ChartKind, ChartSpec, Series  # noqa: E402
from chartographer.imaging import ImageFormat, Rendered, encode_raster  # noqa: E402

rcParams["svg.hashsalt"] = "chartographer"  # deterministic SVG ids → stable ETags
rcParams["svg.fonttype"] = "path"
rcParams["path.simplify"] = True

DPI = 100.0
INK = "#333333"
GRID = "#DDDDDD"

_CARTESIAN = (ChartKind.bar, ChartKind.line, ChartKind.area, ChartKind.scatter)


def render_chart(spec: ChartSpec) -> Rendered:
    """Render ``spec`` to PNG, SVG or WebP bytes."""
    fig = Figure(figsize=(spec.width / DPI, spec.height / DPI), dpi=DPI * spec.scale)
    fig.patch.set_facecolor(spec.background)
    fonts = _font_sizes(spec)
    draw_chart(fig, spec, fonts)
    return _encode(fig, spec)


def draw_chart(fig: Figure, spec: ChartSpec, fonts: dict[str, float]) -> None:
    """Draw every part of ``spec`` on ``fig`` (shared by the Google front door)."""
    margins = _margins(spec, fonts)
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
    if kind is ChartKind.radar:
        ax = fig.add_axes(margins, projection="polar")
        _draw_radar(ax, spec, fonts)
    else:
        ax = fig.add_axes(margins)
        DRAWERS[kind](ax, spec, fonts)
    if spec.plot_background:
        ax.set_facecolor(spec.plot_background)
    elif kind in _CARTESIAN or kind is ChartKind.radar:
        ax.set_facecolor("none")
    if spec.show_legend and kind is not ChartKind.gauge:
        _draw_legend(fig, ax, spec, fonts)


# --- layout --------------------------------------------------------------------------


def _font_sizes(spec: ChartSpec) -> dict[str, float]:
    base = min(max(min(spec.width, spec.height) / 32, 6.5), 11.0)
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
        ring = px * 1.8
        left, right, bottom, top = left + ring, right + ring, bottom + ring, top + ring
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
    ticks = MaxNLocator(nbins=6).tick_values(lo, hi)
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


def _style_axes(ax: Axes, spec: ChartSpec, fonts: dict[str, float], value_axis: str) -> None:
    ax.tick_params(labelsize=fonts["tick"], colors=INK, length=3)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color("#999999")
    value = ax.yaxis if value_axis == "y" else ax.xaxis
    axis_spec = spec.y_axis if value_axis == "y" else spec.x_axis
    if axis_spec.ticks is not None:
        value.set_major_locator(FixedLocator(list(axis_spec.ticks)))
        if axis_spec.tick_labels is not None:
            value.set_ticklabels(list(axis_spec.tick_labels))
    else:
        value.set_major_locator(MaxNLocator(nbins=6))
        value.set_major_formatter(_FORMATTER)
    if spec.gridlines:
        ax.grid(True, axis=value_axis, color=GRID, linewidth=0.8)
        ax.set_axisbelow(True)
    if spec.x_axis.title:
        ax.set_xlabel(spec.x_axis.title, fontsize=fonts["label"], color=INK, labelpad=2)
    if spec.y_axis.title:
        ax.set_ylabel(spec.y_axis.title, fontsize=fonts["label"], color=INK, labelpad=2)
    for axis_spec_, axis in ((spec.x_axis, ax.xaxis), (spec.y_axis, ax.yaxis)):
        if not axis_spec_.visible:
            axis.set_visible(False)


def _apply_limits(ax: Axes, spec: ChartSpec, value_axis: str) -> None:
    axis = spec.y_axis if value_axis == "y" else spec.x_axis
    setter = ax.set_ylim if value_axis == "y" else ax.set_xlim
    if axis.min is not None or axis.max is not None:
        setter(bottom=axis.min, top=axis.max) if value_axis == "y" else setter(
            left=axis.min, right=axis.max
        )
    if spec.kind in (ChartKind.line, ChartKind.area, ChartKind.scatter):
        other = spec.x_axis
        if other.min is not None or other.max is not None:
            ax.set_xlim(left=other.min, right=other.max)


def _category_axis(ax: Axes, spec: ChartSpec, count: int, fonts: dict[str, float], axis: str) -> None:
    target = ax.xaxis if axis == "x" else ax.yaxis
    positions = list(range(count))
    labels = [spec.labels[i] if i < len(spec.labels) else "" for i in positions]
    if not spec.labels:
        target.set_major_locator(FixedLocator([]))
        return
    # thin out labels that cannot fit, keeping the first and every k-th
    room = (spec.width if axis == "x" else spec.height) * 0.8
    per_label = max(_text_px(t, fonts["tick"]) for t in labels) + 6 if axis == "x" else 14.0
    step = max(1, math.ceil(count * per_label / max(room, 1)))
    keep = positions[::step]
    target.set_major_locator(FixedLocator(keep))
    target.set_major_formatter(FuncFormatter(lambda v, _p: labels[int(v)] if 0 <= v < count else ""))
    target.set_tick_params(length=0)


# --- chart kinds ------------------------------------------------------------------------


def _series_colors(spec: ChartSpec, index: int, count: int) -> Any:
    series = spec.series[index]
    if series.point_colors:
        return [series.point_colors[i % len(series.point_colors)] for i in range(count)]
    return spec.color_for(index)


def _draw_bar(ax: Axes, spec: ChartSpec, fonts: dict[str, float]) -> None:
    count = max(len(s.values) for s in spec.series)
    n = len(spec.series)
    positions = np.arange(count)
    group = 0.8
    width = group if spec.stacked or n == 1 else group / n
    pos_base = np.zeros(count)
    neg_base = np.zeros(count)
    draw = ax.barh if spec.horizontal else ax.bar
    for i, s in enumerate(spec.series):
        arr = _array(s.values, count)
        clean = np.nan_to_num(arr)
        if spec.stacked:
            base = np.where(clean >= 0, pos_base, neg_base)
            offsets = positions
        else:
            base = np.zeros(count)
            offsets = positions - group / 2 + width * (i + 0.5) if n > 1 else positions
        kwargs: dict[str, Any] = {"color": _series_colors(spec, i, count), "label": s.name}
        if spec.horizontal:
            bars = draw(offsets, clean, height=width, left=base, **kwargs)
        else:
            bars = draw(offsets, clean, width=width, bottom=base, **kwargs)
        if spec.stacked:
            pos_base = pos_base + np.where(clean > 0, clean, 0)
            neg_base = neg_base + np.where(clean < 0, clean, 0)
        if spec.value_labels:
            texts = ["" if np.isnan(v) else _format_number(v) for v in arr]
            ax.bar_label(
                bars,
                labels=texts,
                fontsize=fonts["value"],
                color=INK,
                label_type="center" if spec.stacked else "edge",
                padding=2,
            )
    value_axis = "x" if spec.horizontal else "y"
    _style_axes(ax, spec, fonts, value_axis)
    _category_axis(ax, spec, count, fonts, "y" if spec.horizontal else "x")
    if spec.horizontal:
        ax.set_ylim(count - 0.5, -0.5)  # first category on top, as people read
    else:
        ax.set_xlim(-0.5, count - 0.5)
    _apply_limits(ax, spec, value_axis)


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
            ax.fill_between(x, lower, cumulative, color=color, alpha=0.55, linewidth=0)
            y = cumulative.copy()
        elif fill:
            ax.fill_between(x, 0, y, color=color, alpha=0.35, linewidth=0)
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
    _style_axes(ax, spec, fonts, "y")
    if any(s.x is not None for s in spec.series):
        ax.xaxis.set_major_locator(MaxNLocator(nbins=6))
        ax.xaxis.set_major_formatter(_FORMATTER)
    else:
        _category_axis(ax, spec, count, fonts, "x")
        ax.set_xlim(-0.25 if count > 1 else -1, count - 0.75 if count > 1 else 1)
    if fill and spec.y_axis.min is None:
        lo = min(0.0, float(np.nanmin(_array([v for s in spec.series for v in s.values]))))
        ax.set_ylim(bottom=lo)
    _apply_limits(ax, spec, "y")


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
    _apply_limits(ax, spec, "y")


def _draw_pie(ax: Axes, spec: ChartSpec, fonts: dict[str, float], *, hole: float = 0.0) -> None:
    ax.set_axis_off()
    rings = len(spec.series)
    outer = 1.0
    step = (1.0 - hole) / rings if rings else 1.0
    for ring, s in enumerate(spec.series):
        values = [0.0 if v is None else v for v in s.values]
        count = len(values)
        if s.point_colors:
            colors = _series_colors(spec, ring, count)
        elif s.color and rings == 1:
            colors = _shades(s.color, count)
        else:
            colors = [spec.palette[(i + ring * 3) % len(spec.palette)] for i in range(count)]
        labels = None
        if ring == 0 and spec.labels:
            labels = [spec.labels[i] if i < len(spec.labels) else "" for i in range(count)]
        radius = outer - ring * step
        ax.pie(
            values,
            labels=labels,
            colors=colors,
            radius=radius,
            startangle=90,
            counterclock=False,
            wedgeprops={"width": step, "edgecolor": spec.background, "linewidth": 1},
            textprops={"fontsize": fonts["label"], "color": INK},
            autopct=(lambda p: f"{p:.0f}%") if spec.value_labels and ring == 0 else None,
            pctdistance=1 - step / 2 if hole else 0.65,
            labeldistance=1.08,
        )
    ax.set_aspect("equal")
    ax.set_xlim(-1.05, 1.05)
    ax.set_ylim(-1.05, 1.05)


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
    _style_axes(ax, spec, fonts, "y")
    ax.xaxis.set_major_locator(MaxNLocator(nbins=6))
    ax.xaxis.set_major_formatter(_FORMATTER)
    if spec.gridlines:
        ax.grid(True, axis="both", color=GRID, linewidth=0.8)
    _apply_limits(ax, spec, "y")


def _draw_radar(ax: Axes, spec: ChartSpec, fonts: dict[str, float]) -> None:
    count = max(len(s.values) for s in spec.series)
    angles = np.linspace(0, 2 * np.pi, count, endpoint=False)
    closed = np.concatenate([angles, angles[:1]])
    for i, s in enumerate(spec.series):
        vals = np.nan_to_num(_array(s.values, count))
        ring = np.concatenate([vals, vals[:1]])
        color = spec.color_for(i)
        ax.plot(closed, ring, color=color, linewidth=2, label=s.name)
        ax.fill(closed, ring, color=color, alpha=0.2)
    ax.set_theta_offset(np.pi / 2)
    ax.set_theta_direction(-1)
    ax.set_xticks(angles)
    labels = [spec.labels[i] if i < len(spec.labels) else "" for i in range(count)]
    ax.set_xticklabels(labels, fontsize=fonts["tick"], color=INK)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=4))
    ax.yaxis.set_major_formatter(_FORMATTER)
    ax.tick_params(axis="y", labelsize=fonts["tick"] * 0.85, colors="#777777")
    lo = spec.y_axis.min if spec.y_axis.min is not None else min(0.0, float(np.nanmin(_array(
        [v for s in spec.series for v in s.values]))))
    ax.set_ylim(bottom=lo, top=spec.y_axis.max)
    ax.grid(spec.gridlines, color=GRID)
    ax.spines["polar"].set_color("#BBBBBB")


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
        ax.add_patch(Wedge((0, 0), 1.0, a0, a1, width=0.3, color=color))
    angle = math.pi * (1 - frac)
    ax.plot([0, 0.85 * math.cos(angle)], [0, 0.85 * math.sin(angle)], color=INK, linewidth=3,
            solid_capstyle="round")
    ax.add_patch(Wedge((0, 0), 0.07, 0, 360, color=INK))
    label = spec.labels[0] if spec.labels else _format_number(value)
    ax.text(0, -0.18, label, ha="center", va="top", fontsize=fonts["title"], color=INK)
    ax.text(-0.85, -0.05, _format_number(lo), ha="center", va="top", fontsize=fonts["tick"],
            color="#777777")
    ax.text(0.85, -0.05, _format_number(hi), ha="center", va="top", fontsize=fonts["tick"],
            color="#777777")
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
}


def _legend_names(spec: ChartSpec) -> list[str]:
    if spec.kind in (ChartKind.pie, ChartKind.doughnut) and len(spec.series) == 1:
        return list(spec.labels) or [s.name or "" for s in spec.series]
    return [s.name or f"Series {i + 1}" for i, s in enumerate(spec.series)]


def _draw_legend(fig: Figure, ax: Axes, spec: ChartSpec, fonts: dict[str, float]) -> None:
    handles, labels = ax.get_legend_handles_labels()
    if spec.kind in (ChartKind.pie, ChartKind.doughnut):
        handles = list(ax.patches)[: len(spec.series[0].values)]
        labels = _legend_names(spec)[: len(handles)]
    if not handles:
        return
    position = spec.legend_position
    placement = {
        "right": {"loc": "center left", "bbox_to_anchor": (1.01, 0.5)},
        "left": {"loc": "center right", "bbox_to_anchor": (-0.01 - _left_gap(spec, fonts), 0.5)},
        "top": {"loc": "lower center", "bbox_to_anchor": (0.5, 1.01), "ncols": len(labels)},
        "bottom": {"loc": "upper center", "bbox_to_anchor": (0.5, -0.08), "ncols": len(labels)},
    }[position]
    ax.legend(
        handles,
        labels,
        fontsize=fonts["label"],
        frameon=False,
        handlelength=1.2,
        borderaxespad=0.2,
        **placement,
    )


def _left_gap(spec: ChartSpec, fonts: dict[str, float]) -> float:
    if spec.kind in _CARTESIAN:
        longest = max((_text_px(t, fonts["tick"]) for t in _estimate_value_tick_labels(spec)),
                      default=0)
        return (longest + 8) / spec.width
    return 0.0


# --- output ---------------------------------------------------------------------------


def _encode(fig: Figure, spec: ChartSpec) -> Rendered:
    fmt = spec.format
    if fmt is ImageFormat.svg:
        buf = io.BytesIO()
        fig.savefig(buf, format="svg", metadata={"Date": None}, facecolor=spec.background)
        return Rendered(buf.getvalue(), fmt.media_type)
    canvas = FigureCanvasAgg(fig)
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
