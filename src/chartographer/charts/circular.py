"""Charts around a centre: pie, doughnut, radar and gauge, drawn without autoscaling."""

from __future__ import annotations

import math

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.colors import to_hex, to_rgb
from matplotlib.lines import Line2D
from matplotlib.patches import Wedge

from chartographer.charts.guides import nice_ticks
from chartographer.charts.layout import GRID, INK, as_array, format_number
from chartographer.charts.spec import ChartSpec


def add_shape(ax: Axes, artist: Artist) -> None:
    """Add an artist without autoscaling (limits are fixed by the caller; much cheaper)."""
    ax.add_artist(artist)


def draw_pie(ax: Axes, spec: ChartSpec, fonts: dict[str, float], *, hole: float = 0.0) -> None:
    """Pie or concentric doughnut rings, clockwise from 12 o'clock."""
    ax.set_axis_off()
    rings = len(spec.series)
    step = (1.0 - hole) / rings
    for ring, s in enumerate(spec.series):
        values = np.array([0.0 if v is None else max(v, 0.0) for v in s.values])
        total = float(values.sum())
        if total <= 0:
            continue
        colors = slice_colors(spec, ring)
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
            add_shape(ax, wedge)
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


def slice_colors(spec: ChartSpec, ring: int) -> list[str]:
    s = spec.series[ring]
    count = len(s.values)
    if s.point_colors:
        return [s.point_colors[i % len(s.point_colors)] for i in range(count)]
    if s.color and len(spec.series) == 1:
        return _shades(s.color, count)
    return [spec.palette[(i + ring * 3) % len(spec.palette)] for i in range(count)]


def _shades(color: str, count: int) -> list[str]:
    """Google's single-colour pie: slices shaded from the colour toward white."""
    r, g, b = to_rgb(color)
    out = []
    for i in range(count):
        t = 0.75 * i / max(count - 1, 1)
        out.append(to_hex((r + (1 - r) * t, g + (1 - g) * t, b + (1 - b) * t)))
    return out


def draw_doughnut(ax: Axes, spec: ChartSpec, fonts: dict[str, float]) -> None:
    draw_pie(ax, spec, fonts, hole=0.5)


def draw_radar(ax: Axes, spec: ChartSpec, fonts: dict[str, float]) -> None:
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
            " " + format_number(t),
            ha="left",
            va="bottom",
            fontsize=fonts["tick"] * 0.85,
            color="#777777",
        )
    for i, s in enumerate(spec.series):
        r = radius(np.nan_to_num(as_array(s.values, count), nan=lo))
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


def draw_gauge(ax: Axes, spec: ChartSpec, fonts: dict[str, float]) -> None:
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
        add_shape(ax, Wedge((0, 0), 1.0, a0, a1, width=0.3, color=color))
    angle = math.pi * (1 - frac)
    needle = Line2D(
        [0, 0.85 * math.cos(angle)],
        [0, 0.85 * math.sin(angle)],
        color=INK,
        linewidth=3,
        solid_capstyle="round",
    )
    add_shape(ax, needle)
    add_shape(ax, Wedge((0, 0), 0.07, 0, 360, color=INK))
    label = spec.labels[0] if spec.labels else format_number(value)
    ax.text(0, -0.18, label, ha="center", va="top", fontsize=fonts["title"], color=INK)
    ax.text(
        -0.85,
        -0.05,
        format_number(lo),
        ha="center",
        va="top",
        fontsize=fonts["tick"],
        color="#777777",
    )
    ax.text(
        0.85,
        -0.05,
        format_number(hi),
        ha="center",
        va="top",
        fontsize=fonts["tick"],
        color="#777777",
    )
    ax.set_xlim(-1.1, 1.1)
    ax.set_ylim(-0.45, 1.1)
    ax.set_aspect("equal")
