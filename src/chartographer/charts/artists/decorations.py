"""Drawing of :class:`~chartographer.charts.styling.Styling`: fills, markers, grids, axes.

The renderer calls two hooks: :func:`plot_area` (the plot rectangle, when
the styling asks for Google's layout) and :func:`decorate` (after the chart
itself is drawn). With the default styling both do nothing, so native charts
are untouched.
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.image import AxesImage
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.transforms import Transform, offset_copy

from chartographer.charts.artists.cartesian import bar_geometry
from chartographer.charts.artists.guides import PX, Side, draw_tick_marks
from chartographer.charts.artists.markers import draw_marker
from chartographer.charts.layout import DPI, legend_names, text_px
from chartographer.charts.spec import ChartKind, ChartSpec
from chartographer.charts.styling import AxisStrip, Fill, Grid

AXIS_LINE = "#666666"
#: Google's axis names → the side of the plot they sit on
_SIDES: dict[str, Side] = {"x": "bottom", "t": "top", "y": "left", "r": "right"}


def _tick_out(strip: AxisStrip) -> float:
    """How far the ticks reach outwards, pixels (``chxtc`` lengths, else 4)."""
    if not strip.ticks:
        return 0.0
    if strip.tick_lengths:
        return max(0.0, *strip.tick_lengths)
    return 4.0


def _strip_extent(strip: AxisStrip, fonts: dict[str, float]) -> float:
    size = strip.font_size or fonts["tick"]
    tick = _tick_out(strip)
    if strip.side in ("x", "t"):
        return tick + size * DPI / 72 * 1.2 + 4
    return tick + max((text_px(t, size) for t in strip.labels), default=0) + 6


def plot_area(spec: ChartSpec, fonts: dict[str, float], margins: list[float]) -> list[float]:
    """The plot rectangle [left, bottom, width, height] in figure fractions."""
    styling = spec.styling
    w, h = spec.width, spec.height
    extra_l, extra_r, extra_t, extra_b = styling.margins
    if styling.axes is None:
        grow = _legend_growth(spec, fonts)  # hook: Google chdlp=bv|tv, chma legend, gom
        if styling.margins == (0, 0, 0, 0) and not any(grow.values()):
            return margins
        left, bottom, width, height = margins
        return _rect(
            w,
            h,
            left * w + extra_l + grow["left"],
            (1 - left - width) * w + extra_r + grow["right"],
            (1 - bottom - height) * h + extra_t + grow["top"],
            bottom * h + extra_b + grow["bottom"],
        )
    pad = 4.0 if styling.frame or styling.axes else 2.0
    sides = {"x": pad, "y": pad, "r": pad, "t": pad}
    for strip in styling.axes:
        sides[strip.side] += _strip_extent(strip, fonts)
    for strip in styling.axes:  # end labels of x/t axes hang outside the plot
        if strip.side in ("x", "t") and strip.labels:
            size = strip.font_size or fonts["tick"]
            before = {-1: 0.0, 0: 0.5, 1: 1.0}[strip.alignment or 0]  # share left of the tick
            w_first, w_last = text_px(strip.labels[0], size), text_px(strip.labels[-1], size)
            sides["y"] = max(sides["y"], w_first * before + 2)
            sides["r"] = max(sides["r"], w_last * (1 - before) + 2)
        if strip.side in ("y", "r") and strip.labels:  # end labels hang half out, too
            half = (strip.font_size or fonts["tick"]) * DPI / 72 * 0.6 + 1
            sides["t"] = max(sides["t"], half)
            sides["x"] = max(sides["x"], half)
    if spec.title:
        sides["t"] += (spec.title_size or fonts["title"]) * DPI / 72 * 1.3 * (
            spec.title.count("\n") + 1
        ) + 6
    if spec.show_legend:
        side = {"right": "r", "left": "y", "bottom": "x", "top": "t"}[spec.legend_position]
        sides[side] += legend_extent(spec, fonts)
    return _rect(
        w,
        h,
        max(sides["y"], extra_l),
        max(sides["r"], extra_r),
        max(sides["t"], extra_t),
        max(sides["x"], extra_b),
    )


def legend_extent(spec: ChartSpec, fonts: dict[str, float]) -> float:
    """Pixels the legend needs on its side of the plot.

    A row for a top or bottom legend, a row per entry when stacked (``bv``,
    ``tv``), the widest name beside the plot; never less than ``chma``'s
    legend size.
    """
    styling = spec.styling
    line = fonts["tick"] * DPI / 72
    names = legend_names(spec) if styling.axes is None else [s.name or "" for s in spec.series]
    if spec.legend_position in ("right", "left"):
        longest = max((text_px(n, fonts["label"]) for n in names), default=0.0)
        return max(min(longest + line * 2.5 + 8, spec.width * 0.4), styling.legend_box[0])
    rows = line * 2.2
    if styling.legend_vertical:
        size = styling.legend_size or fonts["label"]
        rows = len(names) * size * DPI / 72 * 1.5 + line * 0.7
    return max(rows, styling.legend_box[1])


def _legend_growth(spec: ChartSpec, fonts: dict[str, float]) -> dict[str, float]:
    """Legend room beyond what the native layout reserved (it reserves none on a meter)."""
    grow = {"left": 0.0, "right": 0.0, "top": 0.0, "bottom": 0.0}
    meter = spec.kind is ChartKind.gauge
    if not spec.show_legend or (meter and spec.styling.dial_labels is None):
        return grow
    native = 0.0
    if not meter:
        line = fonts["tick"] * DPI / 72
        longest = max((text_px(n, fonts["label"]) for n in legend_names(spec)), default=0.0)
        native = (
            min(longest + line * 2.5 + 8, spec.width * 0.4)
            if spec.legend_position in ("right", "left")
            else line * 2.2
        )
    grow[spec.legend_position] = max(legend_extent(spec, fonts) - native, 0.0)
    return grow


def _rect(w: int, h: int, left: float, right: float, top: float, bottom: float) -> list[float]:
    left, right = min(left, w * 0.45), min(right, w * 0.45)
    top, bottom = min(top, h * 0.45), min(bottom, h * 0.45)
    return [left / w, bottom / h, 1 - (left + right) / w, 1 - (top + bottom) / h]


def decorate(fig: Figure, ax: Axes, spec: ChartSpec, fonts: dict[str, float]) -> None:
    """Draw the styling extras over (or under) the finished chart."""
    styling = spec.styling
    if not styling.active:
        return
    if styling.background_fill is not None:
        # drawn by the Axes (below everything in it) so SVG and PNG place it alike
        _add_fill(ax, styling.background_fill, fig.transFigure, -10.0)
        if spec.plot_background and styling.plot_fill is None:
            ax.add_patch(
                Rectangle(
                    (0, 0),
                    1,
                    1,
                    transform=ax.transAxes,
                    zorder=-9.0,
                    facecolor=spec.plot_background,
                    edgecolor="none",
                )
            )
    if styling.plot_fill is not None:
        ax.set_facecolor("none")
        _add_fill(ax, styling.plot_fill, ax.transAxes, -9.0)
    if styling.axes is not None:
        _google_frame(ax, spec, fonts)
    placed: list[tuple[float, float, float, float]] = []  # A annotations stack clear
    for marker in styling.markers:
        draw_marker(ax, spec, marker, fonts, placed)


def _add_fill(ax: Axes, fill: Fill, transform: object, zorder: float) -> None:
    image = AxesImage(
        ax,
        extent=(0, 1, 0, 1),
        transform=transform,
        zorder=zorder,
        interpolation="bilinear" if fill.kind == "gradient" else "nearest",
        origin="upper",
    )
    image.set_data(fill_pixels(fill, 256, 256))
    image.set_clip_on(False)
    ax.add_image(image)


def fill_pixels(fill: Fill, width: int, height: int) -> np.ndarray:
    """An RGBA array (row 0 = top) painting a gradient or stripes at ``fill.angle``."""
    colors = np.array([to_rgba(c) for c in fill.colors])
    if fill.kind == "solid":
        return np.broadcast_to(colors[0], (height, width, 4)).copy()
    angle = math.radians(fill.angle)
    xs = (np.arange(width) + 0.5) / width
    ys = 1 - (np.arange(height) + 0.5) / height
    t = xs[None, :] * math.cos(angle) + ys[:, None] * math.sin(angle)
    if fill.kind == "gradient":
        corners = [cx * math.cos(angle) + cy * math.sin(angle) for cx in (0, 1) for cy in (0, 1)]
        t = (t - min(corners)) / ((max(corners) - min(corners)) or 1.0)
        order = np.argsort(fill.stops, kind="stable")
        stops = np.array(fill.stops)[order]
        out = np.empty((height, width, 4))
        for channel in range(4):
            out[..., channel] = np.interp(t, stops, colors[order, channel])
        return out
    widths = np.array(fill.stops)
    bounds = np.cumsum(widths)
    index = np.searchsorted(bounds, np.mod(t, bounds[-1]), side="right")
    picked: np.ndarray = colors[np.minimum(index, len(colors) - 1)]
    return picked


def _google_frame(ax: Axes, spec: ChartSpec, fonts: dict[str, float]) -> None:
    styling = spec.styling
    if styling.plain_lines and spec.kind is ChartKind.line:
        for artist in ax.lines:
            artist.set_marker("None")
        if all(s.x is None for s in spec.series):
            count = max(len(s.values) for s in spec.series)
            ax.set_xlim(0, max(count - 1, 1))
    if styling.frame:
        for xs, ys in (([0, 1], [0, 0]), ([0, 0], [0, 1])):
            ax.add_line(
                Line2D(
                    xs,
                    ys,
                    transform=ax.transAxes,
                    color=AXIS_LINE,
                    linewidth=0.8,
                    zorder=2.6,
                    clip_on=False,
                )
            )
    if styling.grid is not None:
        _draw_grid(ax, styling.grid)
    depth = {"x": 0.0, "y": 0.0, "r": 0.0, "t": 0.0}
    for strip in styling.axes or ():
        _draw_strip(ax, _packed(ax, spec, strip), depth[strip.side], fonts)
        depth[strip.side] += _strip_extent(strip, fonts)


def _draw_grid(ax: Axes, grid: Grid) -> None:
    segments = []
    for step, offset, vertical in (
        (grid.x_step, grid.x_offset, True),
        (grid.y_step, grid.y_offset, False),
    ):
        if step < 0.5:
            continue
        pos = (offset % step) / 100
        while pos <= 1.0 + 1e-9:
            segments.append([(pos, 0.0), (pos, 1.0)] if vertical else [(0.0, pos), (1.0, pos)])
            pos += step / 100
    dash = (0, (grid.dash, grid.space)) if grid.space > 0 and grid.dash > 0 else "solid"
    ax.add_collection(
        LineCollection(
            segments,
            transform=ax.transAxes,
            colors="#CCCCCC",
            linewidths=0.8,
            linestyles=dash,
            zorder=0.5,
        ),
        autolim=False,
    )


def _packed(ax: Axes, spec: ChartSpec, strip: AxisStrip) -> AxisStrip:
    """Category labels under bars packed by ``chbh`` pixels (labels came evenly spread)."""
    if spec.kind is not ChartKind.bar or spec.styling.bar_pixels is None:
        return strip
    if strip.side not in (("y", "r") if spec.horizontal else ("x", "t")):
        return strip
    count = max(len(s.values) for s in spec.series)
    lo, hi = bar_geometry(ax, spec)[3]
    flip = spec.horizontal  # categories run top to bottom, fractions bottom to top
    moved = []
    for p in strip.positions:
        along = 1 - p if flip else p
        at = (-0.5 + along * count - lo) / (hi - lo)
        moved.append(1 - at if flip else at)
    kept = [(p, t) for p, t in zip(moved, strip.labels, strict=True) if -1e-9 <= p <= 1 + 1e-9]
    return strip.model_copy(
        update={"positions": tuple(p for p, _ in kept), "labels": tuple(t for _, t in kept)}
    )


def _draw_strip(ax: Axes, strip: AxisStrip, depth: float, fonts: dict[str, float]) -> None:
    """One labelled axis, ``depth`` pixels out from the plot edge."""
    horizontal = strip.side in ("x", "t")
    across = 0.0 if strip.side in ("x", "y") else 1.0
    outward = -1.0 if strip.side in ("x", "y") else 1.0
    base = offset_copy(
        ax.transAxes,
        fig=ax.get_figure(root=True),
        units="points",
        **({"y": outward * depth * PX} if horizontal else {"x": outward * depth * PX}),
    )
    line_color = strip.axis_color or AXIS_LINE
    if strip.line:
        xs, ys = ([0, 1], [across, across]) if horizontal else ([across, across], [0, 1])
        ax.add_line(
            Line2D(
                xs, ys, transform=base, color=line_color, linewidth=0.8, clip_on=False, zorder=2.6
            )
        )
    tick = _tick_out(strip)
    if strip.ticks and strip.tick_lengths and strip.positions:  # hook: Google chxtc
        _long_ticks(ax, strip, base, strip.tick_color or line_color)
    elif tick and strip.positions:
        color = strip.tick_color or line_color
        draw_tick_marks(ax, _SIDES[strip.side], strip.positions, base, tick, color, zorder=2.6)
    size = strip.font_size or fonts["tick"]
    label_at = offset_copy(
        base,
        fig=ax.get_figure(root=True),
        units="points",
        **({"y": outward * (tick + 2) * PX} if horizontal else {"x": outward * (tick + 3) * PX}),
    )
    if not horizontal:  # chxs alignment within the label column, never across the axis
        align = strip.alignment if strip.alignment is not None else (1 if strip.side == "y" else -1)
        widest = max((text_px(t, size) for t in strip.labels), default=0.0)
        near = align == (1 if strip.side == "y" else -1)
        into = 0.0 if near else (widest if align != 0 else widest / 2)
        label_at = offset_copy(
            label_at, fig=ax.get_figure(root=True), units="points", x=outward * into * PX
        )
    for p, text in zip(strip.positions, strip.labels, strict=True):
        if not text:
            continue
        x, y = (p, across) if horizontal else (across, p)
        if horizontal:
            ha = {-1: "left", 0: "center", 1: "right"}[strip.alignment or 0]
            va = "top" if strip.side == "x" else "bottom"
        else:
            ha = {-1: "left", 0: "center", 1: "right"}[align]
            va = "center"
        ax.text(
            x,
            y,
            text,
            transform=label_at,
            ha=ha,
            va=va,
            fontsize=size,
            color=strip.color,
            clip_on=False,
        )


def _long_ticks(ax: Axes, strip: AxisStrip, base: Transform, color: str) -> None:
    """``chxtc`` ticks: each its own length in pixels, negative ones into the plot.

    Lengths become fractions of the plot's side so one segment per tick is
    drawn in ``base`` (the strip's transform); inward ticks stop at the far edge.
    """
    horizontal = strip.side in ("x", "t")
    across = 0.0 if strip.side in ("x", "y") else 1.0
    outward = -1.0 if strip.side in ("x", "y") else 1.0
    figure = ax.get_figure(root=True)
    box = ax.get_position()
    side_px = (
        (box.height if horizontal else box.width)
        * (figure.bbox.height if horizontal else figure.bbox.width)
        if figure is not None
        else 1.0
    )
    scale = figure.dpi / DPI if figure is not None else 1.0
    segments = []
    for k, p in enumerate(strip.positions):
        length = strip.tick_lengths[k % len(strip.tick_lengths)]
        reach = min(abs(length) * scale / max(side_px, 1e-9), 1.0 if length < 0 else 10.0)
        end = across + (outward if length > 0 else -outward) * reach
        segments.append([(p, across), (p, end)] if horizontal else [(across, p), (end, p)])
    ax.add_collection(
        LineCollection(
            segments, transform=base, colors=color, linewidths=0.8, zorder=2.6, clip_on=False
        ),
        autolim=False,
    )
