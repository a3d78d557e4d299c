"""An equal-aspect data frame, computed with matplotlib's own box arithmetic.

The legacy drawers put the round kinds on an ``Axes`` with fixed limits and
``set_aspect("equal")``; matplotlib then shrinks the axes box to the data's
aspect and centres it (``Axes.apply_aspect``) and maps data to device pixels
with ``transAxes · transLimits``. :func:`equal_frame` repeats exactly those
steps — the same ``Bbox`` methods and matrix products, in the same order — so
the data→pixel matrix is bit-for-bit the one an artist would be drawn with,
and the canvas output matches the artist renderer's bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.transforms import Affine2D, Bbox, BboxTransformFrom, BboxTransformTo

from chartographer.charts.draw.canvas import Canvas


@dataclass(frozen=True)
class Box:
    """A rectangle in CSS pixels, origin top-left."""

    left: float
    top: float
    width: float
    height: float


#: the legacy layout's resolution (CSS px per inch)
DPI = 100.0


@dataclass(frozen=True)
class EqualFrame:
    """Data → device pixels (y up) for one canvas, and the fitted box in CSS px."""

    matrix: np.ndarray
    box: Box
    unit: float  # CSS px per data unit
    limits: tuple[float, float, float, float]  # x0, x1, y0, y1

    def affine(self, then: np.ndarray | None = None) -> Affine2D:
        """The matrix as an ``Affine2D``; ``then`` is applied to the data first (a squash)."""
        if then is None:
            return Affine2D(self.matrix)
        return Affine2D(np.dot(self.matrix, then))

    height: float  # of the image, CSS px
    device_scale: float
    #: the fitted box as ``Axes.get_position()`` gives it: left, bottom, width, height
    fractions: tuple[float, float, float, float]
    #: the fitted box in device pixels (y up): the clip rectangle of the axes' artists
    clip: Bbox

    def css(self, x: float, y: float) -> tuple[float, float]:
        """A data point in CSS px (y down), as a ``Text`` artist places its anchor."""
        m = self.matrix
        s = self.device_scale
        dx = m[0, 0] * x + m[0, 1] * y + m[0, 2]
        dy = m[1, 0] * x + m[1, 1] * y + m[1, 2]
        return float(dx) / s, self.height - float(dy) / s


def equal_frame(
    width: int,
    height: int,
    device_scale: float,
    margins: Sequence[float],
    x_limits: tuple[float, float],
    y_limits: tuple[float, float],
) -> EqualFrame:
    """The frame of an equal-aspect ``Axes`` at ``margins`` (figure fractions) with these limits.

    ``device_scale`` is device pixels per CSS pixel (the raster ``scale``; 1 for SVG).
    """
    dpi = DPI * device_scale
    fig_box = Bbox.from_bounds(0, 0, width / DPI, height / DPI).transformed(Affine2D().scale(dpi))
    to_figure = BboxTransformTo(fig_box)
    unit_box = Bbox.unit().transformed(to_figure)
    fig_aspect = unit_box.height / unit_box.width
    x0, x1 = x_limits
    y0, y1 = y_limits
    ratio = max(abs(y1 - y0), 1e-30) / max(abs(x1 - x0), 1e-30)
    position = Bbox.from_bounds(*margins).frozen()
    fitted = position.shrunk_to_aspect(1.0 * ratio, position, fig_aspect).anchored("C", position)
    to_axes = BboxTransformTo(fitted.transformed(to_figure))
    from_limits = BboxTransformFrom(Bbox([[x0, y0], [x1, y1]]))
    matrix = np.dot(to_axes.get_matrix(), from_limits.get_matrix())
    left, b, w, h = fitted.bounds
    box = Box(left * width, (1 - b - h) * height, w * width, h * height)
    return EqualFrame(
        matrix,
        box,
        box.width / (x1 - x0),
        (x0, x1, y0, y1),
        float(height),
        device_scale,
        (float(left), float(b), float(w), float(h)),
        Bbox.unit().transformed(to_axes),
    )


#: CSS px kept clear between a label and the image edge
EDGE = 2.0


def kept_inside(canvas: Canvas, x: float, text: str, size: float, ha: str) -> float:
    """:func:`inside` for ``text`` at ``size`` points on ``canvas`` (its widest line)."""
    width = max(canvas.measure(line, size=size)[0] for line in text.split("\n"))
    return inside(x, width, ha, canvas.width)


def inside(x: float, width: float, ha: str, image_width: float) -> float:
    """``x`` moved just enough that a label ``width`` px wide, aligned ``ha`` at ``x``,
    stays inside the image (the artist renderer let such labels run off its edge)."""
    left = x - {"left": 0.0, "center": width / 2, "right": width}.get(ha, 0.0)
    if left < EDGE:
        return x + (EDGE - left)
    overflow = left + width - (image_width - EDGE)
    if overflow > 0:
        return x - min(overflow, left - EDGE)
    return x
