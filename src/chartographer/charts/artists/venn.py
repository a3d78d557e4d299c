"""Venn diagrams: up to three circles whose areas and overlaps follow the data.

Values are the sizes of A, B and C, then the overlaps AB, AC, BC (and ABC,
which only three circles drawn exactly could honour; it is not used for
placement). Each pair's centre distance is solved so the lens area matches
the requested overlap, then C is placed against A and B by the triangle rule.
"""

from __future__ import annotations

import math

from matplotlib.axes import Axes
from matplotlib.patches import Circle

from chartographer.charts.spec import ChartSpec

_DEFAULT_COLORS = ("#FF9900", "#3366CC", "#DC3912")


def lens_area(r1: float, r2: float, d: float) -> float:
    """Area shared by two circles of radii ``r1``, ``r2`` with centres ``d`` apart."""
    if d >= r1 + r2:
        return 0.0
    if d <= abs(r1 - r2):
        return math.pi * min(r1, r2) ** 2
    a = r1 * r1 * math.acos((d * d + r1 * r1 - r2 * r2) / (2 * d * r1))
    b = r2 * r2 * math.acos((d * d + r2 * r2 - r1 * r1) / (2 * d * r2))
    c = 0.5 * math.sqrt((-d + r1 + r2) * (d + r1 - r2) * (d - r1 + r2) * (d + r1 + r2))
    return a + b - c


def centre_distance(r1: float, r2: float, overlap: float) -> float:
    """The distance at which two circles share ``overlap`` area (bisection)."""
    lo, hi = abs(r1 - r2), r1 + r2
    if overlap <= 0:
        return hi
    if overlap >= math.pi * min(r1, r2) ** 2:
        return lo
    for _ in range(60):
        mid = (lo + hi) / 2
        if lens_area(r1, r2, mid) > overlap:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def draw_venn(ax: Axes, spec: ChartSpec, fonts: dict[str, float]) -> None:
    """Draw the circles of ``spec.series[0]`` (A, B, C, AB, AC, BC, ABC)."""
    ax.set_axis_off()
    series = spec.series[0]
    values = [max(v or 0.0, 0.0) for v in series.values] + [0.0] * 7
    sizes, overlaps = values[:3], values[3:6]
    largest = max(sizes) or 1.0
    radii = [math.sqrt(s / largest) for s in sizes]
    area = [math.pi * r * r for r in radii]

    def shared(k: int, i: int, j: int) -> float:
        return min(overlaps[k] / largest * math.pi, area[i], area[j])

    d_ab = centre_distance(radii[0], radii[1], shared(0, 0, 1))
    d_ac = centre_distance(radii[0], radii[2], shared(1, 0, 2))
    d_bc = centre_distance(radii[1], radii[2], shared(2, 1, 2))
    centres = [(0.0, 0.0), (d_ab, 0.0)]
    x = (d_ac * d_ac - d_bc * d_bc + d_ab * d_ab) / (2 * d_ab) if d_ab > 0 else 0.0
    centres.append((x, -math.sqrt(max(d_ac * d_ac - x * x, 0.0))))
    colors = series.point_colors or _DEFAULT_COLORS
    xs, ys = [], []
    for i, (radius, (cx, cy)) in enumerate(zip(radii, centres, strict=True)):
        if radius <= 0:
            continue
        label = spec.labels[i] if i < len(spec.labels) else None
        ax.add_patch(
            Circle(
                (cx, cy),
                radius,
                facecolor=colors[i % len(colors)],
                alpha=0.55,
                edgecolor="none",
                label=label or f"_circle{i}",
            )
        )
        xs += [cx - radius, cx + radius]
        ys += [cy - radius, cy + radius]
    pad = 0.05 * max(max(xs) - min(xs), max(ys) - min(ys))
    ax.set_xlim(min(xs) - pad, max(xs) + pad)
    ax.set_ylim(min(ys) - pad, max(ys) + pad)
    ax.set_aspect("equal")
