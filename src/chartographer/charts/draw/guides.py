"""The native axis guides of cartesian charts: which ticks, labels and limits.

The decisions of ``charts.cartesian`` (``_value_guide``, ``category_guide``,
``_numeric_guide``, ``_axis_titles``) without an ``Axes``: the limits come in
as numbers and the guides go out as :class:`~chartographer.charts.artists.guides.Guide`.
"""

from __future__ import annotations

from collections.abc import Sequence

from chartographer.charts.artists.cartesian import category_guide as artist_category_guide
from chartographer.charts.artists.cartesian import numeric_guide as artist_numeric_guide
from chartographer.charts.artists.guides import PX, Guide
from chartographer.charts.draw.axes import Plot, Scale
from chartographer.charts.draw.canvas import PT, Canvas
from chartographer.charts.layout import (
    DPI,
    INK,
    number_format,
    text_px,
    value_scale,
)
from chartographer.charts.numbers import axis_labels
from chartographer.charts.spec import ChartSpec


def _data_min(spec: ChartSpec) -> float:
    return min((v for s in spec.series for v in s.values if v is not None), default=0.0)


def value_guide(
    spec: ChartSpec, fonts: dict[str, float], value_axis: str, auto: tuple[float, float]
) -> tuple[Guide, tuple[float, float]]:
    """``charts.cartesian._value_guide``: round ticks, and limits widened to them."""
    axis = spec.y_axis if value_axis == "y" else spec.x_axis
    auto_lo, auto_hi = sorted(auto)
    lo = axis.min if axis.min is not None else auto_lo
    hi = axis.max if axis.max is not None else auto_hi
    if axis.min is None and lo < 0 <= _data_min(spec):
        lo = 0.0
    fmt = number_format(spec)
    if axis.ticks is not None:
        positions = [float(t) for t in axis.ticks]
        labels = list(axis.tick_labels or axis_labels(positions, fmt))
    else:  # the layout's scale: round ticks whose ends hug the data
        positions, lo, hi = value_scale(spec)
        labels = axis_labels(positions, fmt)
    if lo == hi:
        lo, hi = lo - 1, hi + 1
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


# the category axis is decided without an Axes in the artist renderer already: share it
category_guide = artist_category_guide


numeric_guide = artist_numeric_guide


def axis_titles(
    canvas: Canvas,
    spec: ChartSpec,
    fonts: dict[str, float],
    plot: Plot,
    guides: Sequence[tuple[Guide, Scale, tuple[float, float]]],
) -> None:
    """The x and y axis titles beside the guides (``charts.cartesian._axis_titles``)."""
    size = fonts["label"]
    line = size * DPI / 72
    if spec.x_axis.title:
        below = (3 + 3 + line * 1.25 + 2) * PX * PT
        canvas.text(
            plot.left + plot.width / 2,
            plot.bottom + below,
            spec.x_axis.title,
            size=size,
            color=INK,
            ha="center",
            va="top",
        )
    if spec.y_axis.title:
        left = next(g for g, _, _ in guides if g.side == "left")
        widest = max((text_px(t, left.font_size) for t in left.labels), default=0)
        beside = (3 + left.tick_length + widest + 4) * PX * PT
        canvas.text(
            plot.left - beside,
            plot.top + plot.height / 2,
            spec.y_axis.title,
            size=size,
            color=INK,
            ha="right",
            va="center",
            rotation=90,
        )
