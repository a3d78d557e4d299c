"""Axis guides — tick labels, tick marks, gridlines, axis lines and titles.

matplotlib's ``Axis``/``Tick`` machinery builds several artists per tick and
measures them all on every draw; for a small chart that is most of the render
time. Chartographer knows its layout in advance, so it turns the Axes' own axis
off and draws each guide with a handful of plain artists: one ``LineCollection``
for the gridlines, one for the tick marks, one ``Text`` per label. The result
looks like a clean matplotlib axis and costs a fraction of it.

Positions are in data units along the guide's axis; the other coordinate is in
Axes fractions, so a guide stays glued to its side whatever the data limits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, cast

from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.markers import TICKDOWN, TICKLEFT, TICKRIGHT, TICKUP
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import Transform, offset_copy

Side = Literal["left", "bottom", "right", "top"]

INK = "#333333"
LINE = "#999999"
GRID = "#DDDDDD"
#: one CSS pixel in points (charts are laid out at 100 dpi before scaling)
PX = 0.72


@dataclass
class Guide:
    """One axis drawn along one side of the plot area."""

    side: Side
    positions: Sequence[float]
    labels: Sequence[str]
    font_size: float
    color: str = INK
    line: bool = True
    line_color: str = LINE
    tick_length: float = 3.0
    #: label alignment along the axis: -1 left/bottom, 0 centre, 1 right/top
    align: int = 0
    grid: bool = False
    grid_color: str = GRID
    grid_dash: tuple[float, float] | None = None
    grid_width: float = 0.8
    title: str | None = None
    extra: dict[str, float] = field(default_factory=dict)
    #: label angle in degrees (0, 45 or 90: rotated labels hang from their tick)
    rotation: int = 0
    #: per-label alignment along the axis (-1, 0, 1), overriding ``align`` (edge labels)
    aligns: Sequence[int] = ()


_TICK_MARKERS = {"bottom": TICKDOWN, "top": TICKUP, "left": TICKLEFT, "right": TICKRIGHT}


#: narrowest range ticked, absolute and relative to its magnitude (float rounding below that)
MIN_SPAN, MIN_RELATIVE_SPAN = 1e-280, 1e-9


def readable_range(lo: float, hi: float) -> tuple[float, float]:
    """``(lo, hi)`` widened around its middle if it is narrower than floats can tick."""
    floor = max(MIN_SPAN, MIN_RELATIVE_SPAN * max(abs(lo), abs(hi)))
    if hi - lo >= floor:
        return lo, hi
    middle = lo / 2 + hi / 2
    return middle - floor, middle + floor


def nice_ticks(lo: float, hi: float, bins: int = 5) -> list[float]:
    """Round tick values covering [lo, hi] (1-2-2.5-5 steps), like a person picks them."""
    lo, hi = readable_range(lo, hi)
    locator = MaxNLocator(nbins=bins, steps=[1, 2, 2.5, 5, 10])
    return [float(t) for t in locator.tick_values(lo, hi)]


def draw_tick_marks(
    ax: Axes,
    side: Side,
    positions: Sequence[float],
    transform: Transform,
    length: float,
    color: str,
    zorder: float = 2.5,
) -> None:
    """Tick marks pointing outward from ``side``: one Line2D whose markers are the ticks.

    ``positions`` run along the axis in ``transform``'s units; the other
    coordinate is the plot edge (0 or 1). Google's axis strips use this too.
    """
    horizontal = side in ("bottom", "top")
    across = 0.0 if side in ("bottom", "left") else 1.0
    flat = [across] * len(positions)
    ax.add_line(
        Line2D(
            list(positions) if horizontal else flat,
            flat if horizontal else list(positions),
            transform=transform,
            linestyle="none",
            marker=cast(Any, _TICK_MARKERS[side]),
            markersize=length * PX,
            markeredgewidth=0.8,
            color=color,
            clip_on=False,
            zorder=zorder,
        )
    )


def _along(ax: Axes, side: Side) -> Transform:
    """Data units along the axis, Axes fractions across it."""
    return ax.get_xaxis_transform() if side in ("bottom", "top") else ax.get_yaxis_transform()


def draw_guide(ax: Axes, guide: Guide, limits: tuple[float, float]) -> None:
    """Draw ``guide`` on ``ax``; positions outside ``limits`` are dropped."""
    lo, hi = min(limits), max(limits)
    span = hi - lo
    aligns = list(guide.aligns) or [guide.align] * len(guide.positions)
    keep = [
        (p, label, align)
        for p, label, align in zip(guide.positions, guide.labels, aligns, strict=False)
        if lo - span * 1e-9 <= p <= hi + span * 1e-9
    ]
    side = guide.side
    horizontal = side in ("bottom", "top")
    base = _along(ax, side)
    across = {"bottom": 0.0, "left": 0.0, "top": 1.0, "right": 1.0}[side]
    outward = -1.0 if side in ("bottom", "left") else 1.0
    if guide.grid and keep:
        ends = [p for p, _, _ in keep]
        segments = [[(p, 0.0), (p, 1.0)] if horizontal else [(0.0, p), (1.0, p)] for p in ends]
        grid = LineCollection(
            segments,
            transform=base,
            colors=guide.grid_color,
            linewidths=guide.grid_width,
            linestyles=(0, guide.grid_dash) if guide.grid_dash else "solid",
            zorder=0.5,
        )
        ax.add_collection(grid, autolim=False)
    if guide.line:
        xs, ys = ([0.0, 1.0], [across, across]) if horizontal else ([across, across], [0.0, 1.0])
        ax.add_line(
            Line2D(
                xs,
                ys,
                transform=ax.transAxes,
                color=guide.line_color,
                linewidth=0.8,
                solid_capstyle="butt",
                zorder=2.5,
            )
        )
    length = guide.tick_length
    if length > 0 and keep:
        draw_tick_marks(ax, side, [p for p, _, _ in keep], base, length, guide.line_color)
    pad = (max(length, 0) + 3) * PX
    if horizontal:
        label_transform = offset_copy(base, fig=figure_of(ax), y=outward * pad, units="points")
        va = "top" if side == "bottom" else "bottom"
    else:
        label_transform = offset_copy(base, fig=figure_of(ax), x=outward * pad, units="points")
        ha = "right" if side == "left" else "left"
        va = {-1: "bottom", 0: "center", 1: "top"}[guide.align]
    for p, label, align in keep:
        if not label:
            continue
        x, y = (p, across) if horizontal else (across, p)
        extra: dict[str, Any] = {}
        if horizontal and guide.rotation:
            ha, extra = "right", {"rotation": guide.rotation, "rotation_mode": "anchor"}
            va_here = "center"
        else:
            if horizontal:
                ha = {-1: "left", 0: "center", 1: "right"}[align]
            va_here = va
        ax.text(
            x,
            y,
            label,
            transform=label_transform,
            ha=ha,
            va=va_here,
            fontsize=guide.font_size,
            color=guide.color,
            clip_on=False,
            **extra,
        )


def figure_of(ax: Axes) -> Figure:
    """The root figure of ``ax`` (charts never use subfigures)."""
    return cast(Figure, ax.get_figure(root=True))
