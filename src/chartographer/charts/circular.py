"""Charts around a centre: pie, doughnut, radar and gauge, drawn without autoscaling."""

from __future__ import annotations

import math

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.colors import to_hex, to_rgb
from matplotlib.lines import Line2D
from matplotlib.patches import Polygon, Rectangle, Wedge
from matplotlib.transforms import Affine2D

from chartographer.charts.curves import spline
from chartographer.charts.guides import nice_ticks
from chartographer.charts.layout import DPI, GRID, INK, as_array, format_number
from chartographer.charts.spec import ChartSpec
from chartographer.charts.styling import Arrow


def add_shape(ax: Axes, artist: Artist) -> None:
    """Add an artist without autoscaling (limits are fixed by the caller; much cheaper)."""
    ax.add_artist(artist)


def draw_pie(ax: Axes, spec: ChartSpec, fonts: dict[str, float], *, hole: float = 0.0) -> None:
    """Pie or concentric doughnut rings, clockwise from 12 o'clock (or ``pie_start``)."""
    ax.set_axis_off()
    styling = spec.styling
    first = 90.0 if styling.pie_start is None else styling.pie_start  # hook: Google chp
    tilt, depth = (0.55, 0.16) if styling.pie_3d else (1.0, 0.0)  # hook: Google p3
    squash = Affine2D().scale(1.0, tilt) + ax.transData
    if spec.plot_background:  # hook: Google chf=c (the axes face is off for pies)
        ax.add_patch(
            Rectangle(
                (0, 0), 1, 1, transform=ax.transAxes, facecolor=spec.plot_background, zorder=-5
            )
        )
    rings = len(spec.series)
    step = (1.0 - hole) / rings
    labels: list[tuple[float, str]] = []  # (mid angle in radians, text)
    for ring, s in enumerate(spec.series):
        values = np.array([0.0 if v is None else max(v, 0.0) for v in s.values])
        total = float(values.sum())
        if total <= 0:
            continue
        colors = slice_colors(spec, ring)
        radius = 1.0 - ring * step
        start = first
        for i, value in enumerate(values):
            sweep = 360.0 * value / total
            if sweep <= 0:
                continue
            if depth and ring == 0:
                _pie_side(ax, start - sweep, start, tilt, depth, colors[i])
            wedge = Wedge(
                (0, 0),
                radius,
                start - sweep,
                start,
                width=step,
                facecolor=colors[i],
                edgecolor=spec.background if not depth else colors[i],
                linewidth=1 if not depth else 0.3,
                transform=squash,
                zorder=2,
            )
            add_shape(ax, wedge)
            mid = math.radians(start - sweep / 2)
            if ring == 0 and i < len(spec.labels) and spec.labels[i]:
                labels.append((mid, spec.labels[i]))
            if spec.value_labels and ring == 0:
                at = radius - step / 2 if hole else 0.62
                ax.text(
                    at * math.cos(mid),
                    at * math.sin(mid) * tilt,
                    f"{100 * value / total:.0f}%",
                    fontsize=fonts["value"],
                    color="#FFFFFF",
                    ha="center",
                    va="center",
                )
            start -= sweep
    ax.set_aspect("equal")
    ax.set_xlim(-1.05, 1.05)
    bottom = -1.05 if not depth else -(tilt + depth) - 0.1
    top = 1.05 if not depth else tilt + 0.1
    ax.set_ylim(bottom, top)
    _slice_labels(ax, spec, fonts, labels, tilt, depth, (bottom, top))


def _pie_side(ax: Axes, a0: float, a1: float, tilt: float, depth: float, color: str) -> None:
    """The visible rim of a tilted slice: the part of its arc on the front half."""
    lo, hi = a0 % 360, a0 % 360 + (a1 - a0)
    for front_lo, front_hi in ((180.0, 360.0), (540.0, 720.0), (-180.0, 0.0)):
        s, e = max(lo, front_lo), min(hi, front_hi)
        if e <= s:
            continue
        t = np.radians(np.linspace(s, e, max(int(e - s) // 3 + 2, 2)))
        upper = np.column_stack([np.cos(t), np.sin(t) * tilt])
        lower = upper - (0.0, depth)
        r, g, b = to_rgb(color)
        ax.add_patch(
            Polygon(
                np.vstack([upper, lower[::-1]]),
                closed=True,
                facecolor=(r * 0.7, g * 0.7, b * 0.7),
                edgecolor="none",
                zorder=1,
            )
        )


def _slice_labels(
    ax: Axes,
    spec: ChartSpec,
    fonts: dict[str, float],
    labels: list[tuple[float, str]],
    tilt: float,
    depth: float,
    limits: tuple[float, float],
) -> None:
    """Labels beside their slices, pushed apart on each side so no two overlap."""
    if not labels:
        return
    box = ax.get_position()
    per_unit = min(box.width * spec.width / 2.1, box.height * spec.height / (limits[1] - limits[0]))
    gap = fonts["label"] * DPI / 72 * 1.25 / max(per_unit, 1e-9)
    leaders = spec.styling.pie_start is not None  # Google draws lines toward the slices
    for right in (True, False):
        side = sorted(
            (
                (1.08 * math.sin(mid) * tilt - (depth if math.sin(mid) < 0 else 0.0), mid, text)
                for mid, text in labels
                if (math.cos(mid) >= 0) == right
            ),
            reverse=True,
        )
        ys = [y for y, _, _ in side]
        if not leaders:  # native pies keep their labels where they were
            gap = 0.0
        for k in range(1, len(ys)):  # downwards: each at least a line below the last
            ys[k] = min(ys[k], ys[k - 1] - gap)
        floor = limits[0] + gap / 2 if leaders else -math.inf
        for k in range(len(ys) - 1, -1, -1):  # then back up from the bottom edge
            ys[k] = max(ys[k], floor if k == len(ys) - 1 else ys[k + 1] + gap)
        for y, (_, mid, text) in zip(ys, side, strict=True):
            c, s_ = math.cos(mid), math.sin(mid)
            x = 1.08 * c
            if leaders:
                edge = (c, s_ * tilt - (depth if s_ < 0 else 0.0))
                ax.add_line(
                    Line2D([edge[0], x], [edge[1], y], color="#999999", linewidth=0.6, zorder=3)
                )
            ax.text(
                x + ((0.02 if right else -0.02) if leaders else 0.0),
                y,
                text,
                fontsize=fonts["label"],
                color=INK,
                ha="left" if right else "right",
                va="center",
                clip_on=False,
            )


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


def radar_scale(spec: ChartSpec) -> tuple[int, float, float, list[float]]:
    """Spokes, value range and ring values of a radar chart (markers place points with it)."""
    google = bool(spec.styling.radar_closed)  # hook: Google r/rs
    count = max(max(len(s.values) for s in spec.series), len(spec.labels) if google else 0)
    finite = [v for s in spec.series for v in s.values if v is not None] or [0.0]
    lo = spec.y_axis.min if spec.y_axis.min is not None else min(0.0, min(finite))
    hi = spec.y_axis.max if spec.y_axis.max is not None else max(finite)
    if hi <= lo:
        hi = lo + 1
    ticks = nice_ticks(lo, hi, bins=4)
    if spec.y_axis.max is None:
        hi = max(hi, ticks[-1])
    return max(count, 1), lo, hi, [t for t in ticks if lo < t <= hi]


def radar_xy(count: int, lo: float, hi: float, index: int, value: float) -> tuple[float, float]:
    """Where value ``value`` at spoke ``index`` sits (spokes clockwise from 12 o'clock)."""
    angle = math.pi / 2 - 2 * math.pi * index / count
    r = (min(max(value, lo), hi) - lo) / (hi - lo)
    return r * math.cos(angle), r * math.sin(angle)


def draw_radar(ax: Axes, spec: ChartSpec, fonts: dict[str, float]) -> None:
    """A radar (spider) chart on plain axes: polygon web, spokes, one polygon per series."""
    ax.set_axis_off()
    ax.set_aspect("equal")
    google = bool(spec.styling.radar_closed)  # hook: Google keeps open lines open, unfilled
    count, lo, hi, rings = radar_scale(spec)
    angles = np.pi / 2 - 2 * np.pi * np.arange(count) / count  # clockwise from the top
    cos, sin = np.cos(angles), np.sin(angles)

    def radius(v: np.ndarray | float) -> np.ndarray:
        return np.asarray((np.clip(v, lo, hi) - lo) / (hi - lo), dtype=float)

    if spec.gridlines:
        web = [np.column_stack([cos * radius(t), sin * radius(t)]) for t in rings]
        web = [np.vstack([w, w[:1]]) for w in web]
        spokes = [np.array([(0.0, 0.0), (c, s_)]) for c, s_ in zip(cos, sin, strict=True)]
        grid = spec.styling.grid  # hook: Google chg dashes
        dash = (0, (grid.dash, grid.space)) if grid and grid.dash > 0 and grid.space > 0 else "-"
        ax.add_collection(
            LineCollection(web + spokes, colors=GRID, linewidths=0.8, zorder=0.5, linestyles=dash)
        )
    for t in rings if not google or spec.y_axis.visible else ():
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
        color = spec.color_for(i)
        if google:
            n = len(s.values)
            r = radius(as_array(s.values))
            xs, ys = cos[:n] * r, sin[:n] * r
            closed = spec.styling.radar_closed[i]
            if spec.styling.radar_splines:  # hook: Google rs
                xs, ys = spline(xs, ys, closed=closed)
            elif closed:
                xs, ys = np.append(xs, xs[:1]), np.append(ys, ys[:1])
            ax.plot(xs, ys, color=color, linewidth=s.line_width or 2, label=s.name)
            continue
        r = radius(np.nan_to_num(as_array(s.values, count), nan=lo))
        xs, ys = np.append(cos * r, cos[0] * r[0]), np.append(sin * r, sin[0] * r[0])
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
    colors = spec.series[0].point_colors or ("#59A14F", "#EDC948", "#E15759")
    n = len(colors)
    for i, color in enumerate(colors):
        a0 = 180 - 180 * (i + 1) / n
        a1 = 180 - 180 * i / n
        add_shape(ax, Wedge((0, 0), 1.0, a0, a1, width=0.3, color=color))
    google = spec.styling.dial_labels is not None  # hook: Google gom
    values = [v for v in spec.series[0].values if v is not None] if google else []
    for k, value in enumerate(values or [spec.series[0].values[0] or 0.0]):
        frac = min(max((value - lo) / (hi - lo), 0.0), 1.0)
        angle = math.pi * (1 - frac)
        c, s_ = math.cos(angle), math.sin(angle)
        arrows = spec.styling.arrows  # hook: Google gom chls, a colour per arrow
        arrow = arrows[k] if k < len(arrows) else Arrow(color=INK)
        add_shape(
            ax,
            Line2D(
                [0, (0.85 if not arrows else 0.76) * c],
                [0, (0.85 if not arrows else 0.76) * s_],
                color=arrow.color,
                linewidth=arrow.width,
                linestyle=(0, arrow.dash) if arrow.dash else "-",
                solid_capstyle="round",
            ),
        )
        if arrows:  # Google's arrows end in a point
            add_shape(
                ax,
                Polygon(
                    [
                        (0.88 * c, 0.88 * s_),
                        (0.74 * c - 0.05 * s_, 0.74 * s_ + 0.05 * c),
                        (0.74 * c + 0.05 * s_, 0.74 * s_ - 0.05 * c),
                    ],
                    closed=True,
                    facecolor=arrow.color,
                    edgecolor="none",
                ),
            )
        if google and k < len(spec.labels) and spec.labels[k]:  # the arrow's label, at its tip
            ax.text(
                0.88 * c,
                0.88 * s_,
                spec.labels[k],
                ha="center" if abs(c) < 0.3 else ("left" if c > 0 else "right"),
                va="bottom",
                fontsize=fonts["tick"],
                color=INK,
                zorder=5,
            )
    add_shape(ax, Wedge((0, 0), 0.07, 0, 360, color=INK))
    if google:
        _dial_labels(ax, spec.styling.dial_labels or (), fonts)
    else:
        value = spec.series[0].values[0] or 0.0
        label = spec.labels[0] if spec.labels else format_number(value)
        ax.text(0, -0.18, label, ha="center", va="top", fontsize=fonts["title"], color=INK)
        for x, end in ((-0.85, lo), (0.85, hi)):
            ax.text(
                x,
                -0.05,
                format_number(end),
                ha="center",
                va="top",
                fontsize=fonts["tick"],
                color="#777777",
            )
    ax.set_xlim(-1.1, 1.1)
    ax.set_ylim(-0.45 if not google else -0.15, 1.1 if not google else 1.2)
    ax.set_aspect("equal")


def _dial_labels(ax: Axes, labels: tuple[str, ...], fonts: dict[str, float]) -> None:
    """Google's ``y`` axis on a meter: labels spread round the dial, left to right."""
    for k, text in enumerate(labels):
        angle = math.pi * (1 - (k / (len(labels) - 1) if len(labels) > 1 else 0.5))
        c, s_ = math.cos(angle), math.sin(angle)
        ax.text(
            1.04 * c,
            1.04 * s_,
            text,
            ha="center" if abs(c) < 0.3 else ("left" if c > 0 else "right"),
            va="bottom" if s_ > 0.3 else "center",
            fontsize=fonts["tick"],
            color="#555555",
        )
