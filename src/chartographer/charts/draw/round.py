"""The round kinds on the canvas: pie, doughnut, radar, gauge and Venn, with title and legend.

:func:`supports_round` says which specs these drawers draw completely (the
rest stay with the legacy artist renderer); :func:`render_round` draws one.
The plot rectangle comes from the legacy layout (``charts.layout.plot_margins``
and the Google ``decorations.plot_area`` hook) and the legend is
:mod:`charts.draw.legend` beside the aspect-fitted box, so the pictures match
the artist renderer's. Two things the artist renderer dropped are drawn:
``chf=c`` on a radar, meter or Venn diagram (it painted the plot face only on pies), and a
``chf=c`` gradient on a pie (it covered it with the gradient's first colour).
"""

from __future__ import annotations

from chartographer.charts.artists import decorations
from chartographer.charts.artists.decorations import fill_pixels
from chartographer.charts.draw import (
    gauge,
    legend,
    pie,
    radar,
    venn,
)
from chartographer.charts.draw.axes import Plot
from chartographer.charts.draw.canvas import Canvas
from chartographer.charts.draw.fields import AXIS_FIELDS, SERIES_FIELDS, SPEC_FIELDS, sets_other
from chartographer.charts.draw.frame import Box
from chartographer.charts.layout import INK, font_sizes, plot_margins
from chartographer.charts.spec import ChartKind, ChartSpec
from chartographer.charts.styling import Fill
from chartographer.formats import Rendered

ROUND = (ChartKind.pie, ChartKind.doughnut, ChartKind.radar, ChartKind.gauge, ChartKind.venn)


#: the styling fields the round drawers draw (or, like the cartesian styling, that the
#: artist renderer ignored on round kinds too); the spec fields are ``fields.SPEC_FIELDS``
STYLING_FIELDS = frozenset(
    {
        "background_fill", "plot_fill", "grid", "opacity", "margins", "raw_values",
        "legend_order", "legend_color", "legend_size", "legend_labels", "pie_start",
        "pie_3d", "radar_closed", "dial_labels", "markers", "arrows",
        # cartesian-only: the artists ignored them on round kinds as well
        "bar_group", "bar_pixels", "bar_overlap", "plain_lines", "frame",
    }
)  # fmt: skip
# not drawn: "axes" (Google axis strips), "marker_series" (compound charts)


def supports_round(spec: ChartSpec) -> bool:
    """Whether :func:`render_round` draws every part of ``spec``."""
    if spec.kind not in ROUND:
        return False
    if (
        sets_other(spec, SPEC_FIELDS)
        or sets_other(spec.styling, STYLING_FIELDS)
        or sets_other(spec.x_axis, AXIS_FIELDS)
        or sets_other(spec.y_axis, AXIS_FIELDS)
        or any(sets_other(s, SERIES_FIELDS) for s in spec.series)
    ):
        return False
    if spec.kind is ChartKind.radar:
        return radar.supported(spec)
    if spec.kind is ChartKind.gauge and (
        any(a.dash for a in spec.styling.arrows)  # dashed arrows, a meter's legend: artists
        or (spec.show_legend and spec.styling.dial_labels is not None)
    ):
        return False
    return not spec.styling.markers


def plot_margins_of(spec: ChartSpec, fonts: dict[str, float]) -> list[float]:
    """The plot rectangle [left, bottom, width, height] in figure fractions (legacy layout)."""
    return decorations.plot_area(spec, fonts, plot_margins(spec, fonts))


def plot_box(spec: ChartSpec, fonts: dict[str, float]) -> Box:
    """The plot rectangle in CSS px, as the legacy renderer places its axes."""
    left, bottom, width, height = plot_margins_of(spec, fonts)
    w, h = spec.width, spec.height
    return Box(left * w, (1 - bottom - height) * h, width * w, height * h)


def render_round(spec: ChartSpec) -> Rendered:
    """Draw and encode a spec :func:`supports_round`."""
    canvas = Canvas.for_spec(spec)
    draw_round(canvas, spec, font_sizes(spec))
    return canvas.finish(spec.styling.opacity)


def draw_round(canvas: Canvas, spec: ChartSpec, fonts: dict[str, float]) -> None:
    """Google fills, the chart, its title and legend (the artist renderer's z-order)."""
    margins = plot_margins_of(spec, fonts)
    if spec.styling.background_fill is not None:  # Google chf=bg gradients and stripes
        _fill(canvas, spec.styling.background_fill, Box(0, 0, spec.width, spec.height))

    def face(box: Box) -> None:
        _face(canvas, spec, box)

    drawer = {
        ChartKind.gauge: gauge.draw_gauge,
        ChartKind.venn: venn.draw_venn,
        ChartKind.radar: radar.draw_radar,
    }.get(spec.kind)
    if drawer is not None:
        box = drawer(canvas, spec, margins, fonts, under=face)
    else:
        box = pie.draw_pie(canvas, spec, margins, fonts, under=face).box
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
    if spec.show_legend:  # the legend module skips gauges, as the legacy renderer did
        legend.draw(canvas, spec, fonts, Plot(box.left, box.top, box.width, box.height))


def _face(canvas: Canvas, spec: ChartSpec, box: Box) -> None:
    """Google ``chf=c``: the (aspect-fitted) plot box, solid or a gradient/stripes."""
    if spec.styling.plot_fill is not None:
        _fill(canvas, spec.styling.plot_fill, box)
    elif spec.plot_background:
        canvas.rect(box.left, box.top, box.width, box.height, fill=spec.plot_background)


def _fill(canvas: Canvas, fill: Fill, box: Box) -> None:
    if fill.kind == "solid":
        canvas.rect(box.left, box.top, box.width, box.height, fill=fill.colors[0])
    else:
        canvas.image(box.left, box.top, box.width, box.height, lambda w, h: fill_pixels(fill, w, h))
