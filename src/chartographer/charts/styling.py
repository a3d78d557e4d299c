"""Optional styling a :class:`~chartographer.charts.spec.ChartSpec` may carry.

The Google Image Charts front door needs more than the native API exposes:
gradient and striped fills, range/shape/value markers, dashed grids, bar
widths, margins and any number of labelled axes. They live here, as one
``styling`` field on the spec whose defaults change nothing, and
:mod:`chartographer.charts.decorations` draws them. This module imports
nothing from the spec, so the spec can import it.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Fill(_Frozen):
    """A solid colour, linear gradient or linear stripes (Google ``chf``)."""

    kind: Literal["solid", "gradient", "stripes"]
    colors: tuple[str, ...]
    #: gradient: offsets 0–1 of each colour; stripes: width of each stripe (0–1)
    stops: tuple[float, ...] = ()
    #: degrees anticlockwise from horizontal (0 = left to right)
    angle: float = 0.0


class Marker(_Frozen):
    """One ``chm`` marker: a fill, value label, line or shape on a series."""

    #: B fill to bottom, b fill between series, N value, D line, t text, f flag,
    #: A annotation (a flag moved clear of other annotations), E error bar (to the
    #: next series), F candlestick (this and the next three series: low, open, close,
    #: high), H a short horizontal line, or a shape: o circle, s square, d diamond,
    #: x cross, c plus, h/v lines across
    type: str
    color: str
    series: int
    #: points as start, end (inclusive, -1 = last), step
    points: tuple[int, int, int] = (0, -1, 1)
    size: float = 5.0
    #: b: the series to fill towards
    other: int | None = None
    text: str = ""
    #: N: prefix, number type (f, p, e, c) and decimals, suffix
    number: tuple[str, str, int, str] = ("", "", -1, "")
    above: bool = True
    #: r/R range bands: start and end as fractions 0–1 of the plot
    band: tuple[float, float] | None = None
    #: Google ``@x:y``: drawn there (fractions 0–1 of the plot from its bottom left),
    #: not at data points
    at: tuple[float, float] | None = None
    #: E: cap width, H: line length, in pixels (the size field's second part, ``1:10``)
    span: float = 0.0


class MarkerSeries(_Frozen):
    """A series only markers use (Google compound charts: ``chd=t1:`` hides the rest).

    Values are on the chart's value scale; ``x`` in the chart's x units (``None``:
    the category slots 0, 1, 2…).
    """

    values: tuple[float | None, ...]
    x: tuple[float | None, ...] | None = None


class Grid(_Frozen):
    """Grid lines every ``x_step``/``y_step`` percent of the plot (Google ``chg``)."""

    x_step: float = 0.0
    y_step: float = 0.0
    dash: float = 4.0
    space: float = 1.0
    x_offset: float = 0.0
    y_offset: float = 0.0


class AxisStrip(_Frozen):
    """One labelled axis drawn on a side of the plot (Google ``chxt`` and friends)."""

    side: Literal["x", "y", "r", "t"]
    #: fractions 0–1 along the side (left→right, bottom→top)
    positions: tuple[float, ...] = ()
    labels: tuple[str, ...] = ()
    color: str = "#666666"
    font_size: float | None = None
    #: -1 left, 0 centred, 1 right (Google ``chxs`` alignment)
    alignment: int | None = None
    line: bool = True
    ticks: bool = True
    tick_color: str | None = None
    axis_color: str | None = None
    #: Google ``chxtc``: tick lengths in pixels, cycled over the ticks; negative
    #: lengths point into the plot (``-180``: a grid line across it)
    tick_lengths: tuple[float, ...] = ()


class Arrow(_Frozen):
    """One Google-o-meter arrow: its colour, width in points and dash (``chls``)."""

    color: str
    width: float = 3.0
    dash: tuple[float, ...] | None = None


class Styling(_Frozen):
    """Extras on top of a chart; every default leaves the native drawing unchanged."""

    background_fill: Fill | None = None
    plot_fill: Fill | None = None
    markers: tuple[Marker, ...] = ()
    grid: Grid | None = None
    #: share of each category slot the bar group fills (native: 0.8)
    bar_group: float | None = None
    #: Google ``chbh`` in pixels: bar width (0: fit the plot), space between the bars
    #: of a group, space between groups; groups packed from the start of the axis
    bar_pixels: tuple[float, float, float] | None = None
    #: the whole image this opaque, 0–1 (Google ``chf=a``)
    opacity: float | None = None
    #: bars of all series drawn from zero at the same place (Google ``bvo``)
    bar_overlap: bool = False
    #: extra margins in pixels: left, right, top, bottom (Google ``chma``)
    margins: tuple[int, int, int, int] = (0, 0, 0, 0)
    #: ``None`` keeps the native layout and axes; a tuple (even empty) means the
    #: decorations lay the plot out and draw exactly these axes
    axes: tuple[AxisStrip, ...] | None = None
    #: lines without point markers, first and last point on the plot edges
    plain_lines: bool = False
    #: draw the left and bottom axis lines (Google ``ls`` sparklines have none)
    frame: bool = True
    #: the values as sent, for value labels on rescaled data
    raw_values: tuple[tuple[float | None, ...], ...] = ()
    #: series after the drawn ones, for markers only (``chm`` series indexes go on
    #: counting past ``spec.series`` into these)
    marker_series: tuple[MarkerSeries, ...] = ()
    #: Google ``chdlp`` order suffix: legend entry indexes in the order drawn (empty: as given)
    legend_order: tuple[int, ...] = ()
    #: Google ``chdls``: legend text colour and size (points)
    legend_color: str | None = None
    legend_size: float | None = None
    #: legend entries when they differ from ``spec.labels`` (a pie with ``chl`` and ``chdl``)
    legend_labels: tuple[str, ...] = ()
    #: pies: where the first slice starts, degrees anticlockwise from 3 o'clock, drawn
    #: clockwise (``None``: the native 12 o'clock)
    pie_start: float | None = None
    #: pies: drawn tilted with a visible side, Google ``p3``
    pie_3d: bool = False
    #: Google radar: per series, whether its line closes (it repeated its first value);
    #: set, it also means no default fill and ring labels only with a ``y`` axis
    radar_closed: tuple[bool, ...] = ()
    #: Google-o-meter: labels round the dial (``chxt`` ``y``); set (even empty), the
    #: meter draws an arrow per value, each labelled at its tip, and no end values
    dial_labels: tuple[str, ...] | None = None
    #: Google-o-meter: one per value, how its arrow is drawn (empty: one dark arrow each)
    arrows: tuple[Arrow, ...] = ()
    #: Google ``rs``: radar lines drawn as smooth curves through their points
    radar_splines: bool = False
    #: Google ``chdlp=bv|tv``: a top or bottom legend stacked one entry per row
    legend_vertical: bool = False
    #: Google ``chma=…|w,h``: the least legend width (left, right) and height (top,
    #: bottom) in pixels
    legend_box: tuple[int, int] = (0, 0)

    @property
    def active(self) -> bool:
        return self != _NATIVE


_NATIVE = Styling()
