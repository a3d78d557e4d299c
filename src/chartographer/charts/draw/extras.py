"""A cartesian frame with what axes users ask for: a right y axis and annotations.

:func:`build_frame` is ``charts.draw.cartesian.KINDS`` plus two things. A
spec with ``axis="right"`` series is drawn as two views of the same chart
(``charts.scales.side_view``): the left series on the left axis, the right
series on their own scale, ticks and number format at the right edge.
Annotations (reference lines and bands) go under the data (bands) or over it
(lines), clipped to the plot, each with its label inside the plot.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial

from chartographer.charts.artists.guides import PX
from chartographer.charts.draw.axes import Plot
from chartographer.charts.draw.canvas import PT, Canvas
from chartographer.charts.draw.cartesian import KINDS, Frame
from chartographer.charts.layout import DPI, INK, text_px
from chartographer.charts.scales import has_right_axis, side_view
from chartographer.charts.spec import Annotation, ChartSpec

#: an annotation without a colour: a neutral dark grey line, its band a pale wash of it
ANNOTATION_COLOR = "#555555"
#: a band's opacity when its colour carries none (RRGGBB)
BAND_ALPHA = 0.18
LINE_WIDTH = 1.5


def build_frame(spec: ChartSpec, fonts: dict[str, float], plot: Plot) -> Frame:
    """The frame of ``spec``'s kind, with its right axis and annotations."""
    draw = KINDS[spec.kind]
    frame = _dual(spec, fonts, plot) if has_right_axis(spec) else draw(spec, fonts, plot)
    for note in spec.annotations:
        _annotate(frame, note, fonts)
    return frame


def _dual(spec: ChartSpec, fonts: dict[str, float], plot: Plot) -> Frame:
    """The left view's frame with the right view's marks and value guide added."""
    draw = KINDS[spec.kind]
    left, right = side_view(spec, "left"), side_view(spec, "right")
    if any(s.x is not None for s in spec.series):  # xy lines: both views share one x range
        whole = draw(spec, fonts, plot)
        x_axis = spec.x_axis.model_copy(update={"min": whole.x.lo, "max": whole.x.hi})
        left = left.model_copy(update={"x_axis": x_axis})
        right = right.model_copy(update={"x_axis": x_axis})
    frame = draw(left, fonts, plot)
    other = draw(right, fonts, plot)
    frame.fills += other.fills
    frame.lines += other.lines
    frame.labels += other.labels
    guide, scale, limits = other.guides[0]
    frame.guides.append((replace(guide, side="right", grid=False), scale, limits))
    if spec.y2_axis.title:
        frame.texts.append(partial(_right_title, spec=right, fonts=fonts, plot=plot))
    return frame


def _right_title(canvas: Canvas, spec: ChartSpec, fonts: dict[str, float], plot: Plot) -> None:
    """The right axis title beyond its labels (``spec`` is the right view)."""
    from chartographer.charts.layout import value_tick_labels

    size = spec.y_axis.font_size or fonts["tick"]
    widest = max((text_px(t, size) for t in value_tick_labels(spec)), default=0)
    beside = (3 + 3 + widest + 4) * PX * PT
    canvas.text(
        plot.right + beside,
        plot.top + plot.height / 2,
        spec.y_axis.title or "",
        size=fonts["label"],
        color=INK,
        ha="left",
        va="center",
        rotation=90,
    )


def _annotate(frame: Frame, note: Annotation, fonts: dict[str, float]) -> None:
    plot = frame.plot
    color = note.color or ANNOTATION_COLOR
    scale = frame.y if note.axis == "y" else frame.x
    start = scale(note.start)
    if note.end is None:
        if note.axis == "y":
            ends = [(plot.left, start), (plot.right, start)]
        else:
            ends = [(start, plot.top), (start, plot.bottom)]
        frame.lines.append(partial(_line, points=ends, color=color))
        box = (start, start)
    else:
        end = scale(note.end)
        low, high = sorted((start, end))
        if note.axis == "y":
            rect = (plot.left, low, plot.width, high - low)
        else:
            rect = (low, plot.top, high - low, plot.height)
        alpha = None if len(color) == 9 else BAND_ALPHA
        frame.fills.insert(0, partial(_band, rect=rect, color=color, alpha=alpha))
        box = (low, high)
    if note.label:
        text_color = INK if note.end is not None else color
        frame.texts.append(
            partial(_label, note=note, box=box, plot=plot, color=text_color, size=fonts["value"])
        )


def _line(canvas: Canvas, points: list[tuple[float, float]], color: str) -> None:
    canvas.path(points, stroke=color, line_width=LINE_WIDTH)


def _band(
    canvas: Canvas, rect: tuple[float, float, float, float], color: str, alpha: float | None
) -> None:
    x, y, w, h = rect
    canvas.path(
        [(x, y), (x + w, y), (x + w, y + h), (x, y + h)],
        closed=True,
        fill=color,
        stroke=None,
        alpha=alpha,
    )


def _label(
    canvas: Canvas,
    note: Annotation,
    box: tuple[float, float],
    plot: Plot,
    color: str,
    size: float,
) -> None:
    """The label inside the plot: above a horizontal line's right end, beside a vertical
    line's top, in a band's top-left corner; none when the mark is outside the plot."""
    low, high = box
    pad = 4.0
    line = size * DPI / 72
    if note.axis == "y":
        if high < plot.top - 0.5 or low > plot.bottom + 0.5:
            return
        if note.end is None:
            y = max(low - 2, plot.top + line)
            canvas.text(plot.right - pad, y, note.label or "", size=size, color=color, ha="right")
        else:
            y = max(low, plot.top) + 2
            canvas.text(plot.left + pad, y, note.label or "", size=size, color=color, va="top")
        return
    if high < plot.left - 0.5 or low > plot.right + 0.5:
        return
    x = max(low, plot.left) + pad
    canvas.text(x, plot.top + pad, note.label or "", size=size, color=color, va="top")
