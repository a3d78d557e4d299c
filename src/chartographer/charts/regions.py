"""Image-map regions (Google ``chof=json``): where each bar, slice and point lands, in pixels.

Google answered ``chof=json`` with ``{"chartshape": [...]}``: one entry per
clickable shape, ``RECT`` ``[x1, y1, x2, y2]``, ``CIRCLE`` ``[x, y, r]`` or
``POLY`` ``[x1, y1, x2, y2, …]``, named ``bar<series>_<point>``,
``pie<ring>_<slice>`` and ``line<series>_<point>``, so a page can build an HTML
``<map>`` over the PNG.

The geometry is computed from the spec with the renderer's own layout — the
plot rectangle (:func:`~chartographer.charts.layout.plot_margins` and the
Google ``plot_area`` hook), the value limits and the bar packing — and nothing
is drawn. The bar packing and the value-limit rule mirror
:func:`~chartographer.charts.artists.cartesian.draw_bar` and its value guide line for
line; ``tests/charts/test_regions.py`` checks every region against the bars
and slices found in the rendered PNG, so the two cannot drift apart unseen.
Pie slices come from :func:`~chartographer.charts.draw.pie_layout.pie_layout`,
the geometry the pie drawer itself draws.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Literal

import numpy as np

from chartographer.charts.artists import decorations
from chartographer.charts.draw.pie_layout import pie_layout
from chartographer.charts.layout import as_array, font_sizes, plot_margins, value_scale
from chartographer.charts.spec import Axis, ChartKind, ChartSpec
from chartographer.formats import Rendered


@dataclass(frozen=True)
class Region:
    name: str
    type: Literal["RECT", "CIRCLE", "POLY"]
    coords: tuple[int, ...]

    def as_json(self) -> dict[str, object]:
        return {"name": self.name, "type": self.type, "coords": list(self.coords)}


@dataclass(frozen=True)
class Frame:
    """The plot rectangle in image pixels (origin top-left) and its data limits."""

    left: float
    top: float
    width: float
    height: float
    x_limits: tuple[float, float] = (0.0, 1.0)
    y_limits: tuple[float, float] = (0.0, 1.0)

    def px(self, x: float, y: float) -> tuple[float, float]:
        (x0, x1), (y0, y1) = self.x_limits, self.y_limits
        return (
            self.left + self.width * (x - x0) / (x1 - x0),
            self.top + self.height * (1 - (y - y0) / (y1 - y0)),
        )


def plot_frame(spec: ChartSpec) -> Frame:
    """Where the renderer puts the plot area, in pixels of the finished image."""
    fonts = font_sizes(spec)
    left, bottom, width, height = decorations.plot_area(spec, fonts, plot_margins(spec, fonts))
    w, h = spec.width * spec.scale, spec.height * spec.scale
    return Frame(left * w, (1 - bottom - height) * h, width * w, height * h)


def chart_regions(spec: ChartSpec) -> list[Region]:
    """Every clickable shape of ``spec``; kinds without such shapes give an empty list."""
    frame = plot_frame(spec)
    if spec.kind is ChartKind.bar:
        return _bars(spec, frame)
    if spec.kind in (ChartKind.pie, ChartKind.doughnut):
        return _slices(spec)
    if spec.kind is ChartKind.line and all(s.x is None for s in spec.series):
        return _points(spec, frame)
    return []


def render_regions(spec: ChartSpec) -> Rendered:
    """The regions as Google's JSON document."""
    body = {"chartshape": [r.as_json() for r in chart_regions(spec)]}
    return Rendered(json.dumps(body, separators=(",", ":")).encode(), "application/json")


def value_limits(spec: ChartSpec, axis: Axis, auto: tuple[float, float]) -> tuple[float, float]:
    """The value axis range the renderer settles on (its value guide's rule)."""
    if axis.ticks is None:  # the layout's scale, as the value guide draws it
        _ticks, lo, hi = value_scale(spec)
        return lo, hi
    lo = axis.min if axis.min is not None else auto[0]
    hi = axis.max if axis.max is not None else auto[1]
    data_min = min((v for s in spec.series for v in s.values if v is not None), default=0.0)
    if axis.min is None and lo < 0 <= data_min:
        lo = 0.0
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    return lo, hi


def _bars(spec: ChartSpec, frame: Frame) -> list[Region]:
    count = max(len(s.values) for s in spec.series)
    n = len(spec.series)
    group = spec.styling.bar_group or 0.8
    single = spec.stacked or n == 1 or spec.styling.bar_overlap
    width = group if single else group / n
    pos_base, neg_base = np.zeros(count), np.zeros(count)
    lo = hi = 0.0
    boxes: list[tuple[str, float, float, float]] = []  # name, offset, start, length
    for i, s in enumerate(spec.series):
        arr = as_array(s.values, count)
        clean = np.nan_to_num(arr)
        base = np.where(clean >= 0, pos_base, neg_base) if spec.stacked else np.zeros(count)
        for j in range(count):
            if np.isnan(arr[j]):
                continue
            offset = j - width / 2 if single else j - group / 2 + width * i
            start, length = float(base[j]), float(clean[j])
            boxes.append((f"bar{i}_{j}", offset, start, length))
            lo, hi = min(lo, start, start + length), max(hi, start, start + length)
        if spec.stacked:
            pos_base = pos_base + np.where(clean > 0, clean, 0)
            neg_base = neg_base + np.where(clean < 0, clean, 0)
    if hi == lo:
        hi = lo + 1.0
    span = hi - lo
    auto = (lo - (0.05 * span if lo < 0 else 0), hi + (0.05 * span if hi > 0 else 0))
    axis = spec.x_axis if spec.horizontal else spec.y_axis
    values = value_limits(spec, axis, auto)
    categories = (-0.5, count - 0.5)
    if spec.horizontal:
        frame = _limits(frame, values, (categories[1], categories[0]))  # first bar on top
    else:
        frame = _limits(frame, categories, values)
    regions = []
    for name, offset, start, length in boxes:
        if spec.horizontal:
            a, b = frame.px(start, offset), frame.px(start + length, offset + width)
        else:
            a, b = frame.px(offset, start), frame.px(offset + width, start + length)
        x1, x2 = sorted((a[0], b[0]))
        y1, y2 = sorted((a[1], b[1]))
        regions.append(Region(name, "RECT", (round(x1), round(y1), round(x2), round(y2))))
    return regions


def _limits(frame: Frame, x: tuple[float, float], y: tuple[float, float]) -> Frame:
    return Frame(frame.left, frame.top, frame.width, frame.height, x, y)


def _slices(spec: ChartSpec) -> list[Region]:
    """Pie slices (and doughnut rings) as the drawer lays them out (:func:`pie_layout`)."""
    fonts = font_sizes(spec)
    margins = decorations.plot_area(spec, fonts, plot_margins(spec, fonts))
    layout = pie_layout(spec, margins, fonts["label"])
    scale = spec.scale
    return [
        Region(
            f"pie{s.ring}_{s.index}",
            "POLY",
            tuple(round(c * scale) for p in layout.outline(s) for c in p),
        )
        for s in layout.slices
    ]


def _points(spec: ChartSpec, frame: Frame) -> list[Region]:
    """Line data points as small circles (limits as the line drawer and Google frame set them)."""
    count = max(len(s.values) for s in spec.series)
    finite = [v for s in spec.series for v in s.values if v is not None]
    lo, hi = min(finite), max(finite)
    pad = (hi - lo) * 0.05  # matplotlib's data margins on an autoscaled line
    values = value_limits(spec, spec.y_axis, (lo - pad, hi + pad))
    if spec.styling.plain_lines:
        x_limits = (0.0, float(max(count - 1, 1)))
    else:
        x_limits = (-0.25, count - 0.75) if count > 1 else (-1.0, 1.0)
    frame = _limits(frame, x_limits, values)
    regions = []
    for i, s in enumerate(spec.series):
        for j, v in enumerate(s.values):
            if v is None:
                continue
            x, y = frame.px(float(j), v)
            regions.append(Region(f"line{i}_{j}", "CIRCLE", (round(x), round(y), 4)))
    return regions
