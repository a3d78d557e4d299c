"""A whole chart on a :class:`Canvas`: background, title, plot, legend, Google extras.

The layout is the legacy one (``charts.layout.plot_margins`` and
``charts.decorations.plot_area``, imported, not copied); the parts are drawn
in the order the artist renderer's z-order puts them.
"""

from __future__ import annotations

from chartographer.charts.artists import decorations
from chartographer.charts.artists.decorations import AXIS_LINE, fill_pixels
from chartographer.charts.artists.guides import PX
from chartographer.charts.draw import extras, legend
from chartographer.charts.draw.axes import Plot, tick_marks
from chartographer.charts.draw.canvas import PT, Canvas
from chartographer.charts.draw.cartesian import Frame, as_axes, draw_frame
from chartographer.charts.layout import INK, font_sizes, plot_margins, text_px
from chartographer.charts.spec import ChartKind, ChartSpec
from chartographer.charts.styling import AxisStrip, Fill, Grid
from chartographer.formats import Rendered

_SIDES = {"x": "bottom", "t": "top", "y": "left", "r": "right"}


def render(spec: ChartSpec) -> Rendered:
    """Draw ``spec`` (a kind in :data:`KINDS`) and encode it."""
    fonts = font_sizes(spec)
    margins = decorations.plot_area(spec, fonts, plot_margins(spec, fonts))
    plot = Plot.from_margins(margins, spec.width, spec.height)
    canvas = Canvas.for_spec(spec)
    styling = spec.styling
    if styling.background_fill is not None:
        _fill(canvas, styling.background_fill, 0, 0, spec.width, spec.height)
    if styling.plot_fill is not None:
        _fill(canvas, styling.plot_fill, plot.left, plot.top, plot.width, plot.height)
    elif spec.plot_background and (
        spec.kind is not ChartKind.sparkline or styling.background_fill is not None
    ):  # a sparkline has no axes face; only the Google fill's own rectangle shows it
        canvas.rect(plot.left, plot.top, plot.width, plot.height, fill=spec.plot_background)
    frame = extras.build_frame(spec, fonts, plot)  # axes: right y axis, annotations
    grid = styling.grid if styling.axes is not None else None
    draw_frame(canvas, frame, under=(lambda c: _grid(c, plot, grid)) if grid else None)
    if styling.axes is not None:
        _google_axes(canvas, spec, fonts, frame)
    if spec.title:
        canvas.text(
            spec.width / 2,
            6,
            spec.title,
            size=spec.title_size or fonts["title"],
            color=spec.title_color or INK,
            weight="bold",
            ha="center",
            va="top",
        )
    if spec.show_legend:
        legend.draw(canvas, spec, fonts, plot)
    return canvas.finish(styling.opacity)


def _fill(canvas: Canvas, fill: Fill, x: float, y: float, w: float, h: float) -> None:
    if fill.kind == "solid":
        canvas.rect(x, y, w, h, fill=fill.colors[0])
    else:
        canvas.image(x, y, w, h, lambda dw, dh: fill_pixels(fill, dw, dh))


def _grid(canvas: Canvas, plot: Plot, grid: Grid) -> None:
    """Google ``chg``: lines every step percent of the plot (``decorations._draw_grid``)."""
    dash = [grid.dash * 0.8, grid.space * 0.8] if grid.space > 0 and grid.dash > 0 else None
    with canvas.clip(plot.left, plot.top, plot.width, plot.height):
        for step, offset, vertical in (
            (grid.x_step, grid.x_offset, True),
            (grid.y_step, grid.y_offset, False),
        ):
            if step < 0.5:
                continue
            pos = (offset % step) / 100
            while pos <= 1.0 + 1e-9:
                if vertical:
                    x = plot.left + pos * plot.width
                    ends = [(x, plot.bottom), (x, plot.top)]
                else:
                    y = plot.bottom - pos * plot.height
                    ends = [(plot.left, y), (plot.right, y)]
                canvas.path(ends, stroke="#CCCCCC", line_width=0.8, dash=dash)
                pos += step / 100


def _google_axes(canvas: Canvas, spec: ChartSpec, fonts: dict[str, float], frame: Frame) -> None:
    """The frame and ``chxt`` axis strips (``decorations._google_frame``)."""
    plot = frame.plot
    if spec.styling.frame:
        corner = (plot.left, plot.bottom)
        for end in ((plot.right, plot.bottom), (plot.left, plot.top)):
            canvas.path([corner, end], stroke=AXIS_LINE, line_width=0.8, join="round")
    depth = {"x": 0.0, "y": 0.0, "r": 0.0, "t": 0.0}
    ax = as_axes(plot, spec)
    for strip in spec.styling.axes or ():
        _strip(canvas, plot, decorations._packed(ax, spec, strip), depth[strip.side], fonts)
        depth[strip.side] += decorations._strip_extent(strip, fonts)


def _strip(
    canvas: Canvas, plot: Plot, strip: AxisStrip, depth: float, fonts: dict[str, float]
) -> None:
    """One labelled axis ``depth`` px out from the plot edge (``decorations._draw_strip``)."""
    horizontal = strip.side in ("x", "t")
    outward = 1.0 if strip.side in ("x", "r") else -1.0  # CSS px, y down
    depth_px = depth * PX * PT
    edge = {"x": plot.bottom, "t": plot.top, "y": plot.left, "r": plot.right}[strip.side]
    edge += outward * depth_px

    def at(p: float) -> tuple[float, float]:
        if horizontal:
            return plot.left + p * plot.width, edge
        return edge, plot.bottom - p * plot.height

    line_color = strip.axis_color or AXIS_LINE
    if strip.line:
        ends = [at(0.0), at(1.0)]
        canvas.path(ends, stroke=line_color, line_width=0.8, join="round")
    tick = 4.0 if strip.ticks else 0.0
    if tick and strip.positions:
        points = [at(p) for p in strip.positions]
        tick_marks(canvas, _SIDES[strip.side], points, tick, strip.tick_color or line_color)
    size = strip.font_size or fonts["tick"]
    gap = ((tick + 2) if horizontal else (tick + 3)) * PX * PT * outward
    align = 0
    into = 0.0
    if not horizontal:
        align = strip.alignment if strip.alignment is not None else (1 if strip.side == "y" else -1)
        widest = max((text_px(t, size) for t in strip.labels), default=0.0)
        near = align == (1 if strip.side == "y" else -1)
        into = 0.0 if near else (widest if align != 0 else widest / 2)
        into *= PX * PT * outward
    for p, text in zip(strip.positions, strip.labels, strict=True):
        if not text:
            continue
        x, y = at(p)
        if horizontal:
            ha = {-1: "left", 0: "center", 1: "right"}[strip.alignment or 0]
            va = "top" if strip.side == "x" else "bottom"
            canvas.text(x, y + gap, text, size=size, color=strip.color, ha=ha, va=va)
        else:
            ha = {-1: "left", 0: "center", 1: "right"}[align]
            canvas.text(x + gap + into, y, text, size=size, color=strip.color, ha=ha, va="center")
