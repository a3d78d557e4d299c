"""The native axis guides of cartesian charts: which ticks, labels and limits.

The decisions of ``charts.cartesian`` (``_value_guide``, ``_category_guide``,
``_numeric_guide``, ``_axis_titles``) without an ``Axes``: the limits come in
as numbers and the guides go out as :class:`~chartographer.charts.guides.Guide`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from chartographer.charts.draw.axes import Plot, Scale
from chartographer.charts.draw.canvas import PT, Canvas
from chartographer.charts.guides import PX, Guide, nice_ticks
from chartographer.charts.layout import DPI, INK, format_number, text_px
from chartographer.charts.spec import ChartKind, ChartSpec


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
    if axis.ticks is not None:
        positions = [float(t) for t in axis.ticks]
        labels = list(axis.tick_labels or [format_number(t) for t in positions])
    else:
        positions = nice_ticks(lo, hi)
        labels = [format_number(t) for t in positions]
        if axis.min is None:
            lo = min(lo, positions[0])
        if axis.max is None:
            hi = max(hi, positions[-1])
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


def category_guide(spec: ChartSpec, count: int, fonts: dict[str, float], axis: str) -> Guide:
    """``charts.cartesian._category_guide``: labels thinned to what fits."""
    positions = list(range(count))
    labels = [spec.labels[i] if i < len(spec.labels) else "" for i in positions]
    if labels:
        room = (spec.width if axis == "x" else spec.height) * 0.8
        widest = max(text_px(t, fonts["tick"]) for t in labels) + 6
        per_label = widest if axis == "x" else fonts["tick"] * DPI / 72 * 1.3
        step = max(1, math.ceil(count * per_label / max(room, 1)))
        labels = [t if i % step == 0 else "" for i, t in enumerate(labels)]
    chosen = spec.x_axis if axis == "x" else spec.y_axis
    return Guide(
        side="bottom" if axis == "x" else "left",
        positions=[float(p) for p in positions],
        labels=labels if chosen.visible else [],
        font_size=chosen.font_size or fonts["tick"],
        color=chosen.color or INK,
        tick_length=0,
        line=axis == "x",
    )


def numeric_guide(
    spec: ChartSpec, fonts: dict[str, float], auto: tuple[float, float]
) -> tuple[Guide, tuple[float, float]]:
    lo, hi = auto
    lo = spec.x_axis.min if spec.x_axis.min is not None else lo
    hi = spec.x_axis.max if spec.x_axis.max is not None else hi
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    positions = nice_ticks(lo, hi)
    guide = Guide(
        side="bottom",
        positions=positions,
        labels=[format_number(t) for t in positions] if spec.x_axis.visible else [],
        font_size=spec.x_axis.font_size or fonts["tick"],
        color=spec.x_axis.color or INK,
        grid=spec.gridlines and spec.kind is ChartKind.scatter,
    )
    return guide, (lo, hi)


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
