"""Venn diagrams (Google ``cht=v``) on the canvas: the circles ``charts.venn`` places.

The placement (radii from the sizes, centre distances from the overlaps by
:func:`~chartographer.charts.artists.venn.centre_distance`) is the legacy drawer's,
repeated in :func:`circles` because ``charts.venn.draw_venn`` draws as it
computes; the circles are fitted into the plot box at equal aspect and painted
at 55 % opacity, as the artist renderer did.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from matplotlib.path import Path
from matplotlib.transforms import Affine2D

from chartographer.charts.artists.venn import _DEFAULT_COLORS, centre_distance
from chartographer.charts.draw.canvas import Canvas
from chartographer.charts.draw.frame import Box, equal_frame
from chartographer.charts.spec import ChartSpec

#: the circles' opacity (the legacy ``alpha=0.55``)
ALPHA = 0.55


def circles(spec: ChartSpec) -> list[tuple[float, float, float]]:
    """(x, y, radius) of circles A, B and C in data units, y up (``charts.venn.draw_venn``)."""
    values = [max(v or 0.0, 0.0) for v in spec.series[0].values] + [0.0] * 7
    sizes, overlaps = values[:3], values[3:6]
    largest = max(sizes) or 1.0
    radii = [math.sqrt(s / largest) for s in sizes]
    area = [math.pi * r * r for r in radii]

    def shared(k: int, i: int, j: int) -> float:
        return min(overlaps[k] / largest * math.pi, area[i], area[j])

    d_ab = centre_distance(radii[0], radii[1], shared(0, 0, 1))
    d_ac = centre_distance(radii[0], radii[2], shared(1, 0, 2))
    d_bc = centre_distance(radii[1], radii[2], shared(2, 1, 2))
    x = (d_ac * d_ac - d_bc * d_bc + d_ab * d_ab) / (2 * d_ab) if d_ab > 0 else 0.0
    centres = [(0.0, 0.0), (d_ab, 0.0), (x, -math.sqrt(max(d_ac * d_ac - x * x, 0.0)))]
    return [(cx, cy, r) for (cx, cy), r in zip(centres, radii, strict=True)]


def draw_venn(
    canvas: Canvas,
    spec: ChartSpec,
    margins: Sequence[float],
    fonts: dict[str, float],
    *,
    under: Callable[[Box], None] | None = None,
) -> Box:
    """Draw the circles in ``margins`` (figure fractions); return the fitted box.

    ``under`` paints the face of that box first (Google ``chf=c``).
    """
    shown = [(i, c) for i, c in enumerate(circles(spec)) if c[2] > 0]
    xs: list[float] = []
    ys: list[float] = []
    for _, (cx, cy, radius) in shown:
        xs += [cx - radius, cx + radius]
        ys += [cy - radius, cy + radius]
    pad = 0.05 * max(max(xs) - min(xs), max(ys) - min(ys))
    x_limits, y_limits = (min(xs) - pad, max(xs) + pad), (min(ys) - pad, max(ys) + pad)
    css = equal_frame(spec.width, spec.height, 1.0, margins, x_limits, y_limits)
    device = equal_frame(spec.width, spec.height, canvas.device_scale, margins, x_limits, y_limits)
    if under is not None:
        under(css.box)
    colors = spec.series[0].point_colors or _DEFAULT_COLORS
    circle = Path.unit_circle()
    for i, (cx, cy, radius) in shown:
        width = height = 2 * radius  # matplotlib's Circle is an Ellipse of this size
        placed = Affine2D().scale(width * 0.5, height * 0.5).rotate_deg(0.0).scale(1, 1.0)
        placed = placed.translate(cx, cy)
        with canvas.device_clip(device.clip):
            canvas.device_path(
                circle,
                device.affine(placed.get_matrix()),
                fill=colors[i % len(colors)],
                alpha=ALPHA,
            )
    return css.box
