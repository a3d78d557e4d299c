"""The native axis guides of cartesian charts: which ticks, labels and limits.

The decisions of ``charts.cartesian`` (``_value_guide``, ``_category_guide``,
``_numeric_guide``, ``_axis_titles``) without an ``Axes``: the limits come in
as numbers and the guides go out as :class:`~chartographer.charts.artists.guides.Guide`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from chartographer.charts.artists.guides import PX, Guide, nice_ticks
from chartographer.charts.draw.axes import Plot, Scale
from chartographer.charts.draw.canvas import PT, Canvas
from chartographer.charts.labels import even_indices, shorten
from chartographer.charts.layout import (
    DPI,
    INK,
    category_plan,
    number_format,
    text_px,
    value_scale,
)
from chartographer.charts.numbers import axis_labels
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


def category_guide(spec: ChartSpec, count: int, fonts: dict[str, float], axis: str) -> Guide:
    """``charts.cartesian._category_guide``: labels thinned evenly or on calendar steps."""
    positions: list[float] = [float(i) for i in range(count)]
    labels = [spec.labels[i] if i < len(spec.labels) else "" for i in range(count)]
    chosen = spec.x_axis if axis == "x" else spec.y_axis
    size = chosen.font_size or fonts["tick"]
    rotation = 0
    plan = category_plan(spec, fonts) if axis == "x" else None
    if plan is not None:  # thinned evenly or on calendar steps, maybe rotated (charts.labels)
        positions = [float(i) for i in plan.shown]
        labels = list(plan.texts)
        rotation = plan.angle
    elif labels and axis == "y":
        # horizontal bars: one label per line of text, first and last kept, none
        # longer than the margin the layout gave them
        line = size * DPI / 72 * 1.3
        shown = max(1, math.floor(spec.height * 0.8 / line))
        keep = set(even_indices(count, shown))
        limit = min(max(text_px(t, size) for t in labels), spec.width * 0.45 - 14)
        labels = [
            shorten(t, limit, lambda x: text_px(x, size)) if i in keep else ""
            for i, t in enumerate(labels)
        ]
    elif labels:
        room = spec.width * 0.8
        step = max(1, math.ceil(count * (max(text_px(t, size) for t in labels) + 6) / room))
        labels = [t if i % step == 0 else "" for i, t in enumerate(labels)]
    return Guide(
        side="bottom" if axis == "x" else "left",
        positions=positions,
        labels=labels if chosen.visible else [],
        font_size=size,
        color=chosen.color or INK,
        tick_length=0,
        line=axis == "x",
        rotation=rotation,
        aligns=plan.align if plan is not None else (),
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
        labels=axis_labels(positions, number_format(spec)) if spec.x_axis.visible else [],
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
