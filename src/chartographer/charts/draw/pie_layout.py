"""Pie geometry, computed once: where the centre, the slices and the labels go.

Both the pie drawer (:mod:`chartographer.charts.draw.circular`) and the image-map
regions (:mod:`chartographer.charts.regions`, ``chof=json``) take their shapes
from :func:`pie_layout`, so a region cannot drift from the slice it names.

Angles are degrees anticlockwise from 3 o'clock (the maths convention); slices
run clockwise from ``first``: native pies start at 12 o'clock, Google's at
3 o'clock turned by ``chp`` (``styling.pie_start``). A ``p3`` pie is squashed
vertically by ``tilt`` and shows a rim ``depth`` deep below its front half.

Native specs (``pie_labels`` set) have their labels placed by
:func:`~chartographer.charts.draw.pie_labels.place_pie_labels`; when they need
the room the frame's limits widen (``half_width``), so the pie — drawn and in
``chof=json`` alike — is smaller.

Positions are CSS pixels of the finished image, origin top-left, y downward.
The data frame is the legacy drawer's: ``x`` in ±1.05 and the ``y`` limits of
:func:`y_limits`, fitted into the plot box at equal aspect and centred (what
matplotlib's ``set_aspect("equal")`` did to the axes box).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from chartographer.charts.draw.frame import EDGE, Box, EqualFrame, equal_frame
from chartographer.charts.draw.pie_labels import (
    Geometry,
    Item,
    Placement,
    percent,
    place_pie_labels,
)
from chartographer.charts.draw.placement import Rect
from chartographer.charts.layout import DPI, format_number, number_format
from chartographer.charts.spec import ChartKind, ChartSpec

#: a label's size in CSS px: text → (width, height)
Measure = Callable[[str], tuple[float, float]]

#: vertical squash and rim depth (data units) of a Google ``p3`` pie
TILT_3D, DEPTH_3D = 0.55, 0.16
#: data half-width of the frame around the unit pie
HALF_WIDTH = 1.05
#: labels sit this far out (data units), Google's leaders end there
LABEL_RADIUS = 1.08


@dataclass(frozen=True)
class Slice:
    ring: int
    index: int
    #: degrees anticlockwise from 3 o'clock; the slice runs clockwise from ``start`` to ``end``
    start: float
    end: float
    #: radii in data units (``inner`` 0 for a full slice); ``width`` is the ring's width
    outer: float
    inner: float
    width: float
    #: share of its ring, 0–1
    share: float
    #: the bisecting angle in radians
    mid: float


@dataclass(frozen=True)
class SliceLabel:
    text: str
    #: anchor of the text (data units); right-hand labels start there, left-hand ones end there
    x: float
    y: float
    right: bool
    #: the leader line from the slice's edge to beside the text (data units), or ``None``
    leader: tuple[tuple[float, float], ...] | None
    #: the text's box in CSS px (native ``pie_labels`` only: no two overlap, all in the plot)
    box: Rect | None = None


@dataclass(frozen=True)
class PieLayout:
    frame: EqualFrame  # data → pixels, at one CSS px per device px
    margins: tuple[float, float, float, float]  # the plot box, figure fractions
    limits: tuple[float, float]  # y data limits (bottom, top)
    tilt: float
    depth: float
    hole: float
    slices: tuple[Slice, ...]
    labels: tuple[SliceLabel, ...]
    #: data half-width of the frame: larger than ``HALF_WIDTH`` when the pie shrank for labels
    half_width: float = HALF_WIDTH
    #: ring-0 slice indices whose labels did not fit (native ``pie_labels``: legend only)
    dropped: tuple[int, ...] = ()

    @property
    def box(self) -> Box:
        """The axes box after the equal-aspect fit, CSS px."""
        return self.frame.box

    def px(self, x: float, y: float) -> tuple[float, float]:
        """Data units → CSS pixels."""
        return self.frame.css(x, y)

    def arc(
        self, radius: float, a0: float, a1: float, *, drop: float = 0.0
    ) -> list[tuple[float, float]]:
        """Points (CSS px) along the tilted circle of ``radius`` from ``a0`` to ``a1`` degrees."""
        steps = max(2, math.ceil(abs(a1 - a0) / 10) + 1)
        out = []
        for k in range(steps):
            a = math.radians(a0 + (a1 - a0) * k / (steps - 1))
            out.append(self.px(radius * math.cos(a), radius * math.sin(a) * self.tilt - drop))
        return out

    def outline(self, s: Slice) -> list[tuple[float, float]]:
        """A slice as a polygon (CSS px): outer arc, then the inner arc back or the centre."""
        points = self.arc(s.outer, s.end, s.start)
        if s.inner > 0:
            return points + self.arc(s.inner, s.start, s.end)
        return [*points, self.px(0.0, 0.0)]


def y_limits(spec: ChartSpec) -> tuple[float, float]:
    """The drawer's y data limits: ±1.05, or the tilted disc and its rim with a margin."""
    if not spec.styling.pie_3d:
        return -HALF_WIDTH, HALF_WIDTH
    return -(TILT_3D + DEPTH_3D) - 0.1, TILT_3D + 0.1


def first_angle(spec: ChartSpec) -> float:
    """Where the first slice starts (degrees anticlockwise from 3 o'clock)."""
    return 90.0 if spec.styling.pie_start is None else spec.styling.pie_start


def pie_layout(
    spec: ChartSpec,
    margins: Sequence[float],
    label_size: float,
    measure: Measure | None = None,
) -> PieLayout:
    """The geometry of pie or doughnut ``spec`` in the plot rectangle ``margins``.

    ``margins`` is ``[left, bottom, width, height]`` in figure fractions, as the
    legacy layout gives it; ``label_size`` is the slice-label font size in
    points (it sets how far Google's spread labels are pushed apart). With
    ``spec.pie_labels`` set the labels are placed by :mod:`.pie_labels`, their
    texts sized by ``measure`` (default: :func:`text_size` at ``label_size``).
    """
    hole = 0.5 if spec.kind is ChartKind.doughnut else 0.0
    tilt, depth = (TILT_3D, DEPTH_3D) if spec.styling.pie_3d else (1.0, 0.0)
    limits = y_limits(spec)
    frame = equal_frame(spec.width, spec.height, 1.0, margins, (-HALF_WIDTH, HALF_WIDTH), limits)
    rings = len(spec.series)
    step = (1.0 - hole) / rings
    first = first_angle(spec)
    slices: list[Slice] = []
    mids: list[tuple[float, str]] = []
    for ring, s in enumerate(spec.series):
        values = [0.0 if v is None else max(v, 0.0) for v in s.values]
        total = sum(values)
        if total <= 0:
            continue
        outer = 1.0 - ring * step
        inner = outer - step if outer - step > 1e-9 else 0.0
        start = first
        for i, value in enumerate(values):
            sweep = 360.0 * value / total
            if sweep <= 0:
                continue
            mid = math.radians(start - sweep / 2)
            piece = Slice(ring, i, start, start - sweep, outer, inner, step, value / total, mid)
            slices.append(piece)
            if ring == 0 and i < len(spec.labels) and spec.labels[i]:
                mids.append((piece.mid, spec.labels[i]))
            start -= sweep
    # the legacy per-unit arithmetic, from the fitted box in figure fractions
    _, _, fraction_w, fraction_h = frame.fractions
    per_unit = min(
        fraction_w * spec.width / 2.1, fraction_h * spec.height / (limits[1] - limits[0])
    )
    gap = label_size * DPI / 72 * 1.25 / max(per_unit, 1e-9)
    m = (float(margins[0]), float(margins[1]), float(margins[2]), float(margins[3]))
    if spec.pie_labels is not None:
        size = measure or (lambda text: text_size(text, label_size))
        return _native(spec, frame, m, (limits, tilt, depth, hole), tuple(slices), size)
    labels = _spread(mids, tilt, depth, limits, gap, leaders=spec.styling.pie_start is not None)
    return PieLayout(frame, m, limits, tilt, depth, hole, tuple(slices), labels)


def slice_text(spec: ChartSpec, s: Slice, value: float) -> str:
    """What a native slice label says (``spec.pie_labels``)."""
    label = spec.labels[s.index] if s.index < len(spec.labels) else ""
    mode = spec.pie_labels
    if mode == "label":
        return label
    if mode == "percent":
        return percent(s.share)
    if mode == "value":
        return format_number(value, number_format(spec))
    if mode == "label_percent":
        return f"{label} ({percent(s.share)})" if label else percent(s.share)
    return ""


def text_size(text: str, points: float) -> tuple[float, float]:
    """Width and height (CSS px) of one line of ``text`` at ``points``, as the canvas draws it."""
    from chartographer.charts.draw.canvas import Canvas
    from chartographer.formats import ImageFormat

    width, height, _ = Canvas(16, 16, 1.0, ImageFormat.png, "#FFFFFF").measure(text, size=points)
    return width, height


def label_bounds(spec: ChartSpec, margins: tuple[float, float, float, float]) -> Rect:
    """Where native labels may go: the plot rectangle's height (below the title, clear of a
    legend above or below), the image's width but for a legend's side."""
    left, bottom, w, h = margins
    side = spec.legend_position if spec.show_legend else None
    return Rect(
        left * spec.width if side == "left" else EDGE,
        (1 - bottom - h) * spec.height,
        (left + w) * spec.width if side == "right" else spec.width - EDGE,
        (1 - bottom) * spec.height,
    )


def _native(
    spec: ChartSpec,
    frame: EqualFrame,
    margins: tuple[float, float, float, float],
    shape: tuple[tuple[float, float], float, float, float],
    slices: tuple[Slice, ...],
    measure: Measure,
) -> PieLayout:
    """Labels placed by :func:`place_pie_labels`; the pie shrunk when they need the room."""
    limits, tilt, depth, hole = shape
    cx, cy = frame.css(0.0, 0.0)
    values = spec.series[0].values if spec.series else ()
    items = []
    for s in slices:
        value = values[s.index] if s.ring == 0 else None
        text = slice_text(spec, s, float(value or 0.0)) if value is not None else ""
        if text:
            width, height = measure(text)
            items.append(Item(s.index, s.mid, s.share, text, width, height))
    bounds = label_bounds(spec, margins)
    pie = Geometry(cx, cy, frame.unit, tilt, depth * frame.unit)
    placed: Placement = place_pie_labels(items, pie, bounds)
    half = HALF_WIDTH / placed.shrink
    if placed.shrink != 1.0:
        limits = (limits[0] / placed.shrink, limits[1] / placed.shrink)
        frame = equal_frame(spec.width, spec.height, 1.0, margins, (-half, half), limits)
    unit = frame.unit

    def data(point: tuple[float, float]) -> tuple[float, float]:
        return (point[0] - cx) / unit, (cy - point[1]) / unit

    labels = tuple(
        SliceLabel(
            label.text,
            *data((label.x, label.y)),
            label.right,
            tuple(data(p) for p in label.leader) or None,
            label.rect,
        )
        for label in placed.labels
    )
    return PieLayout(
        frame, margins, limits, tilt, depth, hole, slices, labels, half, placed.dropped
    )


def _spread(
    mids: list[tuple[float, str]],
    tilt: float,
    depth: float,
    limits: tuple[float, float],
    gap: float,
    *,
    leaders: bool,
) -> tuple[SliceLabel, ...]:
    """Labels beside their slices; Google's pushed apart on each side so no two overlap."""
    out: list[SliceLabel] = []
    if not leaders:  # native pies keep each label beside its slice
        gap = 0.0
    for right in (True, False):
        side = sorted(
            (
                (
                    LABEL_RADIUS * math.sin(mid) * tilt - (depth if math.sin(mid) < 0 else 0.0),
                    mid,
                    text,
                )
                for mid, text in mids
                if (math.cos(mid) >= 0) == right
            ),
            reverse=True,
        )
        ys = [y for y, _, _ in side]
        for k in range(1, len(ys)):  # downwards: each at least a line below the last
            ys[k] = min(ys[k], ys[k - 1] - gap)
        floor = limits[0] + gap / 2 if leaders else -math.inf
        for k in range(len(ys) - 1, -1, -1):  # then back up from the bottom edge
            ys[k] = max(ys[k], floor if k == len(ys) - 1 else ys[k + 1] + gap)
        for y, (_, mid, text) in zip(ys, side, strict=True):
            c, s_ = math.cos(mid), math.sin(mid)
            x = LABEL_RADIUS * c
            if leaders:
                edge = (c, s_ * tilt - (depth if s_ < 0 else 0.0))
                out.append(
                    SliceLabel(text, x + (0.02 if right else -0.02), y, right, (edge, (x, y)))
                )
            else:
                out.append(SliceLabel(text, x, y, right, None))
    return tuple(out)
